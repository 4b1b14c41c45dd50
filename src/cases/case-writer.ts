/**
 * The one writer of a case transition. It applies a plan (case-plan.ts) inside the case's
 * transaction as one batch: every statement is sent without waiting for the one before it
 * (postgres.js pipelines them on the transaction's connection: one round trip), in this order —
 *   1. the case row of a new registration, with the columns the plan sets (no update of it follows);
 *   2. clocks: the new ones, then the changes to existing ones;
 *   3. co-handlers asked and their opinions; the units that may now read the case;
 *   4. notices (an outbox row per channel, a notification-centre row) and the worker's feedback link;
 *   5. the record: the event chained after the case's head, and a merge's note on its target;
 *   6. the measures' daily counters the event changes (src/metrics/measure-rollup.ts) — or, for a
 *      group of deadline transitions in one transaction, handed back for one statement after all;
 *   7. the case row of a case that was there before: the plan's columns, the version, the record's
 *      head, and an entry in its holder timeline when the event's holder is not the one before
 *      (db/schema.ts `holder_timeline`). A new registration's row (1) already holds all of them.
 * The statements sent on every action have their SQL text built once (db/client.ts `fixedUpdate`, `fixedInsert`).
 * Postgres runs them in that order; one failing statement fails the transaction and nothing is kept.
 * The answer is built from what the batch wrote, computed here: nothing is read back.
 */
import { randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { columnValues, fixedInsert, fixedUpdate, jsonb, timestamp, type Tx } from '../../db/client.js';
import type { HolderEntry } from '../../db/schema.js';
import type { DeadlineRow, Wakeup } from '../deadlines/deadline-store.js';
import { countRows, countStatement, type CountRow } from '../metrics/measure-rollup.js';
import { noticeStatements, type Notification } from '../notifications/outbox.js';
import { inSpan } from '../observability/spans.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { issueFeedbackLink } from '../worker-access/feedback-links.js';
import type { CaseFacts, CasePlan, CohandlerRow } from './case-plan.js';
import { chainEvents, insertEvents, type RecordKey } from './case-record.js';
import type { CaseRow, NewCaseRow } from './case-store.js';

export interface WriterDeps { orgs: OrgDirectory; publicUrl: string; recordKey: RecordKey }

/** The case columns a plan may set: the writer writes all of them every time (one statement shape). */
const CASE_COLUMNS = [
  'state', 'level', 'holderOrgId', 'platformOrgId', 'departmentOrgId', 'supervisingOrgId', 'supervised', 'overdue', 'onMeetingAgenda', 'dueAt',
  'category', 'subcategory', 'requestType', 'platform', 'urgency', 'workerType', 'workerPlatforms', 'humanReview', 'resolution', 'outcome', 'mergedInto',
  'snapshot', 'closedAt', 'version', 'eventSeq', 'eventHash', 'updatedAt', 'assigneeUserId',
] as const satisfies readonly (keyof CaseRow)[];
/** Their nullable timestamps, sent typed (`timestamp`): one statement shape whatever the values. */
const CASE_TIMESTAMPS: readonly string[] = ['dueAt', 'closedAt', 'updatedAt'] satisfies (typeof CASE_COLUMNS)[number][];
/** The clock columns a plan may change. */
const CLOCK_COLUMNS = [
  'status', 'closedAt', 'pausedAt', 'dueAt', 'warnAt', 'rev', 'givenBackMs', 'provisional', 'extensions', 'warnedAt',
] as const satisfies readonly (keyof DeadlineRow)[];
const CLOCK_TIMESTAMPS: readonly string[] = ['closedAt', 'pausedAt', 'dueAt', 'warnAt', 'warnedAt'] satisfies (typeof CLOCK_COLUMNS)[number][];
/** The columns of a new clock. */
const NEW_CLOCK_COLUMNS = [
  'id', 'caseId', 'step', 'level', 'orgId', 'startedAt', 'dueAt', 'warnAt', 'status', 'amount', 'unit', 'provisional',
] as const satisfies readonly (keyof DeadlineRow)[];
const updateCase = fixedUpdate('cases', CASE_COLUMNS, (n) => `, holder_timeline = holder_timeline || $${n} where id = $${n + 1}`);
const updateClock = fixedUpdate('deadlines', CLOCK_COLUMNS, (n) => ` where id = $${n}`);
const insertClocks = fixedInsert('deadlines', NEW_CLOCK_COLUMNS);
const insertParticipants = fixedInsert('case_participants', ['caseId', 'orgId'], ' on conflict do nothing');
/** A statement not yet sent (postgres.js sends it on `execute` or when awaited). */
export type Statement = Promise<unknown> & { execute(): unknown };

/** What the batch wrote: the case row, all its clocks and co-handlers as they are now, the wake-ups to schedule after commit. */
export interface Written { row: CaseRow; deadlines: DeadlineRow[]; cohandlers: CohandlerRow[]; wakeups: Wakeup[]; notices: number }

type WriteOptions = { insert?: NewCaseRow & { id: string }; also?: Statement[]; countInto?: CountRow[] };

/** The batch in a span of its own (postgres.js is not instrumented): the action, the case (an opaque id), the statements sent. */
export function writePlan(tx: Tx, plan: CasePlan, facts: CaseFacts, deps: WriterDeps, opts: WriteOptions = {}): Promise<Written> {
  const attributes = { 'grievance.action': plan.event.action, 'grievance.case_id': plan.caseId, 'grievance.to_state': plan.event.toState, 'db.system.name': 'postgresql' };
  return inSpan('case.write', attributes, (span) => writeBatch(tx, plan, facts, deps, opts, span));
}

async function writeBatch(tx: Tx, plan: CasePlan, facts: CaseFacts, deps: WriterDeps, opts: WriteOptions, span: Span): Promise<Written> {
  const { row } = facts;
  const at = plan.event.at;
  // New clocks get their ids here, so that nothing needs reading back.
  const inserted: DeadlineRow[] = plan.startClocks.map((c) => ({
    id: randomUUID(), caseId: plan.caseId, step: c.step, level: c.level, orgId: c.orgId, startedAt: c.startedAt, dueAt: c.dueAt, warnAt: c.warnAt,
    status: 'pending', rev: 1, pausedAt: null, warnedAt: null, closedAt: null, amount: c.amount, unit: c.unit, givenBackMs: 0, extensions: [],
    provisional: c.provisional,
  }));
  const newClocks = inserted.length === 0 ? null : insertClocks(tx, inserted);
  // Updates of one fixed shape (every column a plan may move): each is prepared once per connection, never again.
  const changedRows: DeadlineRow[] = plan.changeClocks.map((change) => ({ ...facts.deadlines.find((d) => d.id === change.id)!, ...change }));
  const changedClocks = changedRows.map((clock) => {
    const columns = columnValues(CLOCK_COLUMNS, (c) =>
      c === 'extensions' ? jsonb(tx, clock.extensions) : CLOCK_TIMESTAMPS.includes(c) ? timestamp(tx, clock[c] as Date | null) : clock[c]);
    return updateClock(tx, columns, clock.id);
  });
  const cohandlers = [
    ...(plan.askCohandlers.length === 0 ? [] : [tx`insert into case_cohandlers ${tx(plan.askCohandlers.map((c) => ({ caseId: plan.caseId, ...c, contributedAt: timestamp(tx, c.contributedAt) })))}
      on conflict (case_id, org_id) do update set reason = excluded.reason, added_at = excluded.added_at, due_at = excluded.due_at,
        contributed_at = null, opinion = null`]),
    ...plan.opinions.map((o) => tx`update case_cohandlers set opinion = ${o.opinion}, contributed_at = ${o.at}
      where case_id = ${plan.caseId} and org_id = ${o.orgId}`),
  ];
  const participants = plan.participants.length === 0 ? [] : [insertParticipants(tx, plan.participants.map((orgId) => ({ caseId: plan.caseId, orgId })))];
  const link = plan.feedbackLink ? issueFeedbackLink(tx, row, at, plan.feedbackLink.expiresAt, deps.publicUrl) : null;
  const notes: Notification[] = [...plan.notices, ...(link ? [link.note] : [])];
  const notices = noticeStatements(tx, notes, (orgId) => deps.orgs.find(orgId)?.channels ?? []);

  const record = chainEvents(deps.recordKey, { seq: row.eventSeq, hash: row.eventHash }, [plan.event]);
  const merged = plan.mergedFrom ? chainEvents(deps.recordKey, { seq: plan.mergedFrom.target.eventSeq, hash: plan.mergedFrom.target.eventHash }, [plan.mergedFrom.event]) : null;
  const events = [insertEvents(tx, [...record.events, ...(merged?.events ?? [])])];
  const targetHead = merged ? [tx`update cases set event_seq = ${merged.head.seq}, event_hash = ${merged.head.hash} where id = ${plan.mergedFrom!.target.id}`] : [];
  const unknown = Object.keys(plan.changes).filter((c) => !(CASE_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`the writer does not write case columns ${unknown.join(', ')}: add them to CASE_COLUMNS`);
  // The holder timeline gains an entry when the event's holder is not the previous event's (the first event's always).
  const took: HolderEntry[] = row.eventSeq === 0 || plan.event.holderOrgId !== row.holderOrgId
    ? [{ level: plan.event.level, orgId: plan.event.holderOrgId, at: at.toISOString() }] : [];
  const after = {
    ...row, ...plan.changes, version: plan.bumpsVersion ? row.version + 1 : row.version,
    eventSeq: record.head.seq, eventHash: record.head.hash, updatedAt: at, holderTimeline: [...row.holderTimeline, ...took],
  } as CaseRow;
  const values = columnValues(CASE_COLUMNS, (c) =>
    c === 'snapshot' ? jsonb(tx, after.snapshot) : CASE_TIMESTAMPS.includes(c) ? timestamp(tx, after[c] as Date | null) : after[c] ?? null);
  const caseRow = opts.insert
    ? tx`insert into cases ${tx({ ...opts.insert, occurredAt: timestamp(tx, opts.insert.occurredAt ?? null), ...values, holderTimeline: jsonb(tx, after.holderTimeline) })}`
    : updateCase(tx, values, jsonb(tx, took), plan.caseId);
  // `countInto`: the caller sends one statement for the counts of several transitions (countStatement sums and orders them).
  const counted = countRows(plan, facts);
  if (opts.countInto) opts.countInto.push(...counted);
  const counts = opts.countInto ? null : countStatement(tx, counted);

  // Sent in this order, each without waiting: one round trip for the whole batch.
  const batch: Statement[] = [
    ...(opts.insert ? [caseRow] : []), ...(newClocks ? [newClocks] : []), ...changedClocks, ...cohandlers, ...participants, ...(link?.statements ?? []),
    ...notices, ...events, ...targetHead, ...(counts ? [counts] : []), ...(opts.also ?? []), ...(opts.insert ? [] : [caseRow]),
  ];
  span.setAttributes({ 'db.operation.batch.size': batch.length, 'grievance.notices': notes.length });
  for (const statement of batch) statement.execute();
  await Promise.all(batch);
  const deadlines = [...facts.deadlines.map((d) => changedRows.find((c) => c.id === d.id) ?? d), ...inserted]
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
  // A clock that starts, resumes or moves needs its wake-ups; a paused or closed one does not.
  const wakeups = [...inserted, ...changedRows.filter((d) => d.status === 'pending' && plan.changeClocks.some((c) => c.id === d.id && c.dueAt))];
  return { row: after, deadlines, cohandlers: cohandlersAfter(facts.cohandlers, plan), wakeups, notices: notes.length };
}

function cohandlersAfter(before: CohandlerRow[], plan: CasePlan): CohandlerRow[] {
  const byOrg = new Map(before.map((c) => [c.orgId, c]));
  for (const asked of plan.askCohandlers) byOrg.set(asked.orgId, asked);
  for (const o of plan.opinions) {
    const c = byOrg.get(o.orgId);
    if (c) byOrg.set(o.orgId, { ...c, opinion: o.opinion, contributedAt: o.at });
  }
  return [...byOrg.values()];
}
