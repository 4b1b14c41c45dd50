/** One case: what it is, where it stands, its clocks and record, and the actions this user may take. */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { Card } from '../../components/field.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill } from '../../components/pills.js';
import { fmtTime, t, tAction, tEnum } from '../../i18n.js';
import { categoryName, orgName, type Session } from '../../session.js';
import { ActionForm } from './action-form.js';
import { PRIMARY_ACTIONS } from './action-specs.js';
import { CaseRecord, latestOf, type CaseEvent } from './case-record.js';
import { SupervisionOrder } from './supervision-order.js';

export function CasePage(props: { id: string; session: Session }) {
  const loaded = useLoad(() => Promise.all([
    must(api.GET('/api/v1/cases/{id}', { params: { path: { id: props.id } } })),
    must(api.GET('/api/v1/cases/{id}/events', { params: { path: { id: props.id } } })),
  ]), [props.id]);
  return <Loading loaded={loaded}>{([c, events]) => <CaseView kase={c} events={events.items} session={props.session} reload={loaded.reload} />}</Loading>;
}

type Case = Awaited<ReturnType<typeof loadCase>>;
const loadCase = (id: string) => must(api.GET('/api/v1/cases/{id}', { params: { path: { id } } }));

function CaseView(props: { kase: Case; events: CaseEvent[]; session: Session; reload: () => void }) {
  const { kase: c, events, session } = props;
  const [action, setAction] = useState<string | null>(null);
  const returned = c.state === 'registered' ? latestOf(events, 'return') : null;
  const feedback = latestOf(events, 'feedback') ?? latestOf(events, 'worker_feedback');
  const supervision = c.supervised ? latestOf(events, 'supervise') : null;
  return (
    <>
      <p class="no-print"><a href="#/">← {t('back')}</a></p>
      <h1>{c.reference} <StatePill state={c.state} overdue={c.overdue} />
        {c.supervised ? <> <span class="pill soon">{t('supervised')}</span></> : null}
        {c.onMeetingAgenda ? <> <span class="pill">{t('onAgenda')}</span></> : null}
      </h1>
      {returned ? <p class="banner" role="status"><strong>{t('returnedBecause')}</strong>{String(returned.data.reason ?? '')}</p> : null}
      <Card class="no-print">
        <dl class="facts">
          <div><dt>{t('category')}</dt><dd>{categoryName(c.category)}</dd></div>
          <div><dt>{t('platform')}</dt><dd>{c.platform ?? '—'}</dd></div>
          <div><dt>{t('holder')}</dt><dd>{tEnum('level', c.level)} · {orgName(c.holderOrgId)}</dd></div>
          <div><dt>{t('timeLeft')}</dt><dd><DueBadge dueAt={c.dueAt} overdue={c.overdue} /></dd></div>
          <div><dt>{t('worker')}</dt><dd>{c.worker.anonymous ? t('anonymous') : `${c.worker.name ?? '—'} ${c.worker.phone ?? ''}`} · {tEnum('workerType', c.worker.workerType)}</dd></div>
          <div><dt>{t('urgency')}</dt><dd>{tEnum('urgency', c.urgency)}</dd></div>
          {c.area ? <div><dt>{t('area')}</dt><dd>{c.area}</dd></div> : null}
        </dl>
        <p>{c.description}</p>
        {c.resolution ? <p><strong>{t('resolution')}：</strong>{c.resolution}</p> : null}
        {feedback ? (
          <p class="feedback-note"><strong>{t('workerFeedback')}：</strong>{tEnum('rating', String(feedback.data.rating ?? ''))}
            {feedback.data.solved ? ` · ${t('solved')}：${tEnum('solved', String(feedback.data.solved))}` : ''}
            {feedback.data.comment ? ` · ${String(feedback.data.comment)}` : ''}</p>
        ) : null}
      </Card>
      <section class="no-print" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('actions')}</h2>
        {c.allowedActions.length ? (
          <div class="actions">
            {c.allowedActions.map((a) => (
              <button key={a} type="button" class={PRIMARY_ACTIONS.includes(a) ? '' : 'secondary'} aria-expanded={action === a}
                onClick={() => setAction(action === a ? null : a)}>{tAction(a)}</button>
            ))}
          </div>
        ) : <p class="muted">{t('none')}</p>}
        {action ? <ActionForm key={action} action={action} kase={c} session={session}
          onDone={() => { setAction(null); props.reload(); }} onCancel={() => setAction(null)} /> : null}
      </section>
      {supervision ? <SupervisionOrder kase={c} order={supervision} /> : null}
      <section class="no-print">
        <h2>{t('deadlines')}</h2>
        <DataTable rows={c.deadlines} rowKey={(d) => d.id} columns={[
          { label: t('step'), cell: (d) => tEnum('step', d.step), primary: true },
          { label: t('holder'), cell: (d) => orgName(d.orgId) },
          { label: t('dueAt'), cell: (d) => fmtTime(d.dueAt) },
          { label: t('status'), cell: (d) => <span class={`pill ${d.status === 'missed' ? 'overdue' : d.status === 'met' ? 'ok' : ''}`}>{tEnum('deadlineStatus', d.status)}</span> },
        ]} />
        <h2>{t('record')}</h2>
        <CaseRecord events={events} />
      </section>
    </>
  );
}
