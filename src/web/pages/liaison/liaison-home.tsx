/**
 * The liaison's page: the form first (it needs nothing from the network), then the workers' own
 * submissions waiting to be verified (their list's code loads only when one waits), then my cases.
 */
import { useEffect } from 'preact/hooks';
import { api, must, token } from '../../api/client.js';
import { onCaseChange } from '../../live.js';
import { Loading, useLoad } from '../../components/load.js';
import { lazyPage } from '../../components/lazy.js';
import { CaseCards } from '../../components/case-cards.js';
import { t } from '../../i18n.js';
import type { Session } from '../../session.js';
import { RegisterForm } from './register-form.js';

const VerifyList = lazyPage(() => import('../submissions/verify-list.js').then((m) => m.VerifyList));

export function LiaisonHome(props: { session: Session }) {
  const mine = useLoad(() => must(api.GET('/api/v1/cases', { params: { query: { limit: '50' } } })), []);
  const waiting = useLoad(() => must(api.GET('/api/v1/submissions', { params: { query: { state: 'waiting' } } })), []);
  useEffect(() => onCaseChange(() => mine.reload()), [mine.reload]);
  return (
    <>
      <RegisterForm session={props.session} onRegistered={mine.reload} />
      {waiting.data?.items.length ? <VerifyList session={props.session} items={waiting.data.items} onChange={waiting.reload} /> : null}
      <p><button type="button" class="secondary small" onClick={() => void openPoster(props.session.me.orgId)}>{t('intakePoster')}</button></p>
      <h2>{t('myCases')}</h2>
      <Loading loaded={mine}>{(page) => <CaseCards items={page.items} />}</Loading>
    </>
  );
}

/** The branch's printable QR poster (SVG) in a new tab: fetched with the bearer token, never a token in a URL. */
async function openPoster(orgId: string | null) {
  if (!orgId) return;
  const tab = window.open('', '_blank');
  const res = await fetch(`/api/v1/orgs/${orgId}/intake-qr`, { headers: { authorization: `Bearer ${token.value}` } });
  if (tab && res.ok) tab.location.href = URL.createObjectURL(new Blob([await res.text()], { type: 'image/svg+xml' }));
}
