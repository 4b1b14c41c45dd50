/** The committee's and the officer's work queue: the cases my unit holds, as a table (cards on a phone). */
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill, dueOf } from '../../components/pills.js';
import { t } from '../../i18n.js';
import { categoryName, orgName, type Session } from '../../session.js';

export function QueuePage(props: { session: Session }) {
  const { me } = props.session;
  const loaded = useLoad(() => must(api.GET('/api/v1/cases', { params: { query: { holderOrgId: me.orgId ?? undefined, limit: '50' } } })), [me.orgId]);
  return (
    <>
      <h1>{t('triage')} · {me.orgName}</h1>
      <Loading loaded={loaded}>{(page) => (
        <DataTable rows={page.items} rowKey={(c) => c.id} caption={t('triage')}
          rowClass={(c) => dueOf(c.dueAt, c.overdue).tone}
          columns={[
            { label: t('reference'), cell: (c) => <a href={`#/case/${c.id}`}>{c.reference}</a>, primary: true },
            { label: t('state'), cell: (c) => <StatePill state={c.state} overdue={c.overdue} /> },
            { label: t('category'), cell: (c) => categoryName(c.category) },
            { label: t('holder'), cell: (c) => orgName(c.holderOrgId) },
            { label: t('timeLeft'), cell: (c) => <DueBadge dueAt={c.dueAt} overdue={c.overdue} /> },
          ]} />
      )}</Loading>
    </>
  );
}
