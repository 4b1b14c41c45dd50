/** The liaison's page: the form first (it needs nothing from the network), then my cases, loaded after with retry. */
import { api, must } from '../../api/client.js';
import { Loading, useLoad } from '../../components/load.js';
import { CaseCards } from '../../components/case-cards.js';
import { t } from '../../i18n.js';
import type { Session } from '../../session.js';
import { RegisterForm } from './register-form.js';

export function LiaisonHome(props: { session: Session }) {
  const mine = useLoad(() => must(api.GET('/api/v1/cases', { params: { query: { limit: '50' } } })), []);
  return (
    <>
      <RegisterForm session={props.session} onRegistered={mine.reload} />
      <h2>{t('myCases')}</h2>
      <Loading loaded={mine}>{(page) => <CaseCards items={page.items} />}</Loading>
    </>
  );
}
