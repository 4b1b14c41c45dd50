/** The officer's page: the department's queue, its oversight board (supervised and held cases), and its rates by week. */
import { api, must } from '../../api/client.js';
import { Card } from '../../components/field.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill } from '../../components/pills.js';
import { RateChart } from '../../components/rate-chart.js';
import { LevelTimeline } from '../../components/level-timeline.js';
import { shanghaiDate, t } from '../../i18n.js';
import { orgName, type Session } from '../../session.js';
import { QueuePage } from '../queue/queue-page.js';

const WEEK = 7 * 86_400_000;

export function OfficerHome(props: { session: Session }) {
  const { me } = props.session;
  const board = useLoad(() => must(api.GET('/api/v1/oversight', { params: { query: { limit: '100' } } })), []);
  const weeks = Array.from({ length: 8 }, (_, i) => new Date(Date.now() - (7 - i) * WEEK));
  const measures = useLoad(() => Promise.all(weeks.map((to) =>
    must(api.GET('/api/v1/metrics', { params: { query: { from: new Date(to.getTime() - WEEK).toISOString(), to: to.toISOString() } } }))
      .then((r) => r.rows.find((x) => x.key === me.orgId) ?? { response_rate: null, rectification_rate: null, on_time_rate: null, resolution_rate: null, satisfaction_rate: null }))), []);
  return (
    <>
      <QueuePage session={props.session} title={t('heldHere')} emptyHint={t('noneHeldSeeBoard')} />
      <h2>{t('oversight')}</h2>
      <Loading loaded={board}>{(b) => (
        <DataTable rows={b.items} rowKey={(c) => c.id} caption={t('oversight')} rowClass={(c) => (c.overdue ? 'overdue' : '')} columns={[
          { label: t('reference'), cell: (c) => <a href={`#/case/${c.id}`}>{c.reference}</a>, primary: true },
          { label: t('state'), cell: (c) => <StatePill state={c.state} overdue={c.overdue} /> },
          { label: t('holder'), cell: (c) => orgName(c.holderOrgId) },
          { label: t('timeLeft'), cell: (c) => <DueBadge dueAt={c.dueAt} overdue={c.overdue} /> },
          { label: t('supervised'), cell: (c) => (c.supervised ? <span class="pill soon">{t('supervised')}</span> : '—') },
          { label: t('levels'), cell: (c) => <LevelTimeline stays={c.levelHistory} /> },
        ]} />
      )}</Loading>
      <h2>{t('measuresByWeek')}</h2>
      <Card>
        <Loading loaded={measures}>{(rows) => <RateChart type="line" label={t('measuresByWeek')} rows={rows} labels={weeks.map((w) => shanghaiDate(w.getTime()).slice(5))} />}</Loading>
      </Card>
    </>
  );
}
