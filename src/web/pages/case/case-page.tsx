/** One case: what it is, where it stands, its clocks and record, and the actions this user may take. */
import { useEffect, useState } from 'preact/hooks';
import { onCaseChange } from '../../live.js';
import { api, must } from '../../api/client.js';
import { Card } from '../../components/field.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { DueBadge, StatePill } from '../../components/pills.js';
import { fmtTime, t, tAction, tEnum } from '../../i18n.js';
import { categoryName, holderName, orgName, type Session } from '../../session.js';
import { ActionForm } from './action-form.js';
import { Attachments } from './attachments.js';
import { isPrimaryAction } from './action-specs.js';
import { CaseRecord, latestOf, type CaseEvent } from './case-record.js';
import { SupervisionOrder } from './supervision-order.js';
import { WorkerLoop } from './worker-loop.js';

export function CasePage(props: { id: string; session: Session }) {
  const loaded = useLoad(() => Promise.all([
    must(api.GET('/api/v1/cases/{id}', { params: { path: { id: props.id } } })),
    must(api.GET('/api/v1/cases/{id}/events', { params: { path: { id: props.id } } })),
  ]), [props.id]);
  useEffect(() => onCaseChange((change) => { if (change.caseId === props.id) loaded.reload(); }), [props.id, loaded.reload]);
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
      <CaseFacts kase={c} />
      <section class="no-print" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('actions')}</h2>
        {c.allowedActions.length ? (
          <div class="actions">
            {c.allowedActions.map((a) => (
              <button key={a} type="button" class={isPrimaryAction(a) ? '' : 'secondary'} aria-expanded={action === a}
                onClick={() => setAction(action === a ? null : a)}>{tAction(a)}</button>
            ))}
          </div>
        ) : <p class="muted">{t('none')}</p>}
        {action ? <ActionForm key={action} action={action} kase={c} session={session}
          onDone={() => { setAction(null); props.reload(); }} onCancel={() => setAction(null)} /> : null}
      </section>
      {supervision ? <SupervisionOrder kase={c} order={supervision} reply={events.find((e) => e.seq > supervision.seq && e.action === 'resolve') ?? null} /> : null}
      <WorkerLoop caseId={c.id} reference={c.reference} feedback={feedback} />
      <Attachments caseId={c.id} />
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

/** What the case is: category, platform, holder, clock, worker, urgency, the rules' fields and the outcome. */
function CaseFacts(props: { kase: Case }) {
  const { kase: c } = props;
  return (
    <Card class="no-print">
      <dl class="facts">
        <div><dt>{t('category')}</dt><dd>{categoryName(c.category)}</dd></div>
        <div><dt>{t('platform')}</dt><dd>{c.platform ?? '—'}</dd></div>
        <div><dt>{t('holder')}</dt><dd>{holderName(c.holderOrgId)}</dd></div>
        <div><dt>{t('timeLeft')}</dt><dd><DueBadge dueAt={c.dueAt} overdue={c.overdue} /></dd></div>
        <div><dt>{t('worker')}</dt><dd>{c.worker.anonymous ? t('anonymous') : `${c.worker.name ?? '—'} ${c.worker.phone ?? ''}`} · {tEnum('workerType', c.worker.workerType)}</dd></div>
        <div><dt>{t('urgency')}</dt><dd>{tEnum('urgency', c.urgency)}</dd></div>
        {c.area ? <div><dt>{t('area')}</dt><dd>{c.area}</dd></div> : null}
        {c.linkedOpenCases?.count ? (
          <div><dt>{t('linkedOpenCases')}</dt><dd>{c.linkedOpenCases.cases.map((l, i) => <span key={l.id}>{i ? '、' : ''}<a href={`#/case/${l.id}`}>{l.reference}</a></span>)}</dd></div>
        ) : null}
        <Classification kase={c} />
      </dl>
      <p>{c.description}</p>
      {c.resolution ? <p><strong>{t('resolution')}：</strong>{c.resolution}</p> : null}
      <Rules kase={c} />
    </Card>
  );
}

/** The rules' fields (RULES): sub-item, request type, the algorithm decision of an ALG case. */
type RuleFields = Partial<{
  subcategory: string | null; requestType: string | null;
  algorithm: { orderId: string; ruleVersion: string; decidedAt: string; amount?: number } | null;
  cohandlers: { orgId: string; orgName: string; dueAt: string | null; contributedAt: string | null; opinion: string | null }[];
  humanReview: { outcome: string; explanation: string; at: string } | null;
}>;

function Classification(props: { kase: RuleFields }) {
  const c = props.kase;
  return (
    <>
      {c.subcategory ? <div><dt>{t('subcategory')}</dt><dd>{c.subcategory}</dd></div> : null}
      {c.requestType ? <div><dt>{t('requestType')}</dt><dd>{tEnum('requestType', c.requestType)}</dd></div> : null}
      {c.algorithm ? (
        <div><dt>{t('algorithm')}</dt><dd>{c.algorithm.orderId} · {c.algorithm.ruleVersion} · {fmtTime(c.algorithm.decidedAt)}{c.algorithm.amount != null ? ` · ¥${c.algorithm.amount}` : ''}</dd></div>
      ) : null}
    </>
  );
}

/** Co-handling departments with their opinions, and the human review of an algorithm decision. */
function Rules(props: { kase: RuleFields }) {
  const c = props.kase;
  return (
    <>
      {c.cohandlers?.length ? (
        <div class="cohandlers">
          <strong>{t('cohandlers')}：</strong>
          <ul>{c.cohandlers.map((h) => (
            <li key={h.orgId}>{h.orgName} · {h.contributedAt ? `${t('contributed')}：${h.opinion ?? ''}` : `${t('waitingOpinion')}（${fmtTime(h.dueAt)}）`}</li>
          ))}</ul>
        </div>
      ) : null}
      {c.humanReview ? <p><strong>{t('humanReview')}：</strong>{tEnum('outcome', c.humanReview.outcome)} · {c.humanReview.explanation}</p> : null}
    </>
  );
}
