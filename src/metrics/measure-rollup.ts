/**
 * The measures' daily counters (measure_days), kept by the case writer: each transition's counts
 * are one more statement in its pipelined batch, so they commit or roll back with the event that
 * changes them and a crash can neither lose nor double a count (README, "Measures").
 *
 * What one transition counts, for the unit concerned, on the event's day (Asia/Shanghai), under
 * the values the case had when it happened — as the event found it: a transfer judges the old
 * platform's acceptance under the old platform; a reclassified case counts under its new values
 * from then on:
 *   received           org rows: an arrival — registration at the branch, or a move to another unit
 *                      (a supervision order is not an arrival: its own clock judges it);
 *                      grouping rows: a registration (the case, once)
 *   accepts_judged     an acceptance clock (l1_forward, l2_accept, l3_accept) ended, met or missed —
 *   accepted_on_time     accepted, returned, transferred or forwarded in time (met); one cancelled
 *                        (withdrawn, merged, decided over its head) or still running is not judged
 *   rectifications     a supervision order's clock ended, met or missed; rectified_on_time: met
 *   resolved, on_time  org rows: every resolution by the unit; grouping rows: the case's first
 *                      resolution; on time when it closed one of the unit's clocks in time (met)
 *   overdue            a clock of the unit missed; escalated: one whose miss escalates (ESCALATING_CLOCKS)
 *   feedback …         each feedback, for the unit whose resolution it judges (a case rated twice counts twice)
 *   alg_reviews        a human_review clock ended; alg_reviewed_on_time: met
 *   referred …         a referral received by the unit; its answer, settled or not
 *   handled            a clock of the unit closed (met or missed), and its time from start to close
 */
import type { Tx } from '../../db/client.js';
import type { measureDays } from '../../db/schema.js';
import { CLOCKS, ESCALATING_CLOCKS, RATINGS, REOPENING, type ReferralOutcome, type SolvedAnswer } from '../../workflows/case-rules.js';
import type { CaseFacts, CasePlan } from '../cases/case-plan.js';
import type { RecordedAction } from '../cases/case-record.js';
import type { CaseRow } from '../cases/case-store.js';
import { shanghaiDay } from '../calendar/working-calendar.js';
import { GROUP_BYS, type GroupBy } from './measures-view.js';

/** The counters of a measure_days row. */
export const COUNTERS = [
  'received', 'acceptsJudged', 'acceptedOnTime', 'rectifications', 'rectifiedOnTime', 'resolved', 'onTime', 'overdue', 'escalated',
  'reopened', 'feedback', 'satisfied', 'solvedAnswered', 'solved', 'algReviews', 'algReviewedOnTime', 'referred', 'referralsAnswered',
  'referralsSettled', 'handled', 'handlingMs',
] as const satisfies readonly (keyof typeof measureDays.$inferSelect)[];
export type Counter = (typeof COUNTERS)[number];
export type Counts = Partial<Record<Counter, number>>;

/** What a transition counts for one unit: on its org row (per arrival) and on its grouping rows (per case). */
export interface Counted { orgId: string; unit: Counts; cases: Counts }

/** The groupings counted per case, and the case's value of each. */
const CASE_GROUPINGS = GROUP_BYS.filter((g): g is Exclude<GroupBy, 'org'> => g !== 'org');
const VALUE_OF = {
  category: (c) => c.category, platform: (c) => c.platform, area: (c) => c.area, workerType: (c) => c.workerType, channel: (c) => c.channel,
} as const satisfies Record<Exclude<GroupBy, 'org'>, (c: CaseRow) => string | null>;

const REGISTER: RecordedAction = 'register';
const RESOLVE: RecordedAction = 'resolve';
const FEEDBACK: RecordedAction = 'feedback';
const REFER: RecordedAction = 'refer';
const REFER_OUTCOME: RecordedAction = 'refer_outcome';
const SATISFIED: readonly string[] = RATINGS.filter((r) => r !== REOPENING.feedback.rating);
const SOLVED: SolvedAnswer = 'yes';
const SETTLED: ReferralOutcome = 'settled';

/** What the plan counts, per unit (pure: from the plan and the facts it was made from). */
export function countTransition(plan: CasePlan, facts: CaseFacts): Counted[] {
  const { event } = plan;
  const byOrg = new Map<string, Counted>();
  const add = (orgId: string | null | undefined, counter: Counter, n: number, rows: 'both' | 'unit' | 'cases' = 'both') => {
    if (!orgId || n === 0) return;
    const counted = byOrg.get(orgId) ?? { orgId, unit: {}, cases: {} };
    if (rows !== 'cases') counted.unit[counter] = (counted.unit[counter] ?? 0) + n;
    if (rows !== 'unit') counted.cases[counter] = (counted.cases[counter] ?? 0) + n;
    byOrg.set(orgId, counted);
  };

  if (event.action === REGISTER) add(event.holderOrgId, 'received', 1);
  else if (event.toOrgId && !plan.startClocks.some((c) => CLOCKS[c.step].judges === 'rectification')) add(event.toOrgId, 'received', 1, 'unit');

  const metNow = new Set<string>();
  for (const change of plan.changeClocks) {
    const clock = facts.deadlines.find((d) => d.id === change.id);
    if (!clock || (clock.status !== 'pending' && clock.status !== 'paused') || (change.status !== 'met' && change.status !== 'missed')) continue;
    const met = change.status === 'met';
    if (met) metNow.add(clock.orgId);
    const judges = CLOCKS[clock.step].judges;
    if (judges === 'acceptance') { add(clock.orgId, 'acceptsJudged', 1); add(clock.orgId, 'acceptedOnTime', met ? 1 : 0); }
    if (judges === 'rectification') { add(clock.orgId, 'rectifications', 1); add(clock.orgId, 'rectifiedOnTime', met ? 1 : 0); }
    if (judges === 'review') { add(clock.orgId, 'algReviews', 1); add(clock.orgId, 'algReviewedOnTime', met ? 1 : 0); }
    add(clock.orgId, 'handled', 1);
    add(clock.orgId, 'handlingMs', (change.closedAt ?? event.at).getTime() - clock.startedAt.getTime());
    if (!met) { add(clock.orgId, 'overdue', 1); add(clock.orgId, 'escalated', ESCALATING_CLOCKS.includes(clock.step) ? 1 : 0); }
  }

  if (event.action === RESOLVE) {
    const orgId = event.resolvedByOrgId;
    const onTime = orgId && metNow.has(orgId) ? 1 : 0;
    add(orgId, 'resolved', 1, 'unit');
    add(orgId, 'onTime', onTime, 'unit');
    // Per case: its first resolution (a reopened case resolved again is still one case resolved).
    if (facts.row.resolution === null) { add(orgId, 'resolved', 1, 'cases'); add(orgId, 'onTime', onTime, 'cases'); }
  }
  if (event.action === FEEDBACK) {
    const orgId = event.resolvedByOrgId;
    add(orgId, 'feedback', 1);
    add(orgId, 'satisfied', event.rating && SATISFIED.includes(event.rating) ? 1 : 0);
    add(orgId, 'reopened', event.rating === REOPENING.feedback.rating ? 1 : 0);
    add(orgId, 'solvedAnswered', event.solved ? 1 : 0);
    add(orgId, 'solved', event.solved === SOLVED ? 1 : 0);
  }
  if (event.action === REFER) add(event.data.toOrgId as string | undefined, 'referred', 1);
  if (event.action === REFER_OUTCOME) {
    add(event.data.orgId as string | undefined, 'referralsAnswered', 1);
    add(event.data.orgId as string | undefined, 'referralsSettled', event.data.outcome === SETTLED ? 1 : 0);
  }
  return [...byOrg.values()];
}

/** Each counter's column in measure_days (`acceptsJudged` → `accepts_judged`): constant names, never input. */
export const COUNTER_COLUMNS = Object.fromEntries(COUNTERS.map((c) => [c, c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`)])) as Record<Counter, string>;
const COLUMNS = COUNTERS.map((c) => COUNTER_COLUMNS[c]);
/**
 * How many rows a key is spread over. Every transaction on one connection adds to the same shard
 * (its backend's pid modulo this), so the busy units' rows of the day are locked by one
 * transaction per shard at a time rather than one in all: at 8 concurrent writers on one unit the
 * upsert waited 20 ms on average for the other's commit with one row (bench:engine).
 */
export const MEASURE_SHARDS = 8;
/** One statement text whatever the counts (prepared once per connection): the rows as arrays, each counter added to the row of its day, unit, grouping, value and shard. */
const UPSERT = `insert into measure_days (day, org_id, dimension, value, shard, ${COLUMNS.join(', ')})
  select d, o, g, v, (pg_backend_pid() % ${MEASURE_SHARDS})::int2, ${COLUMNS.map((_, i) => `c${i}`).join(', ')}
  from unnest($1::date[], $2::uuid[], $3::text[], $4::text[], ${COLUMNS.map((c, i) => `$${i + 5}::${c === 'handling_ms' ? 'int8' : 'int4'}[]`).join(', ')})
    as r(d, o, g, v, ${COLUMNS.map((_, i) => `c${i}`).join(', ')})
  on conflict (dimension, day, org_id, value, shard) do update set ${COLUMNS.map((c) => `${c} = measure_days.${c} + excluded.${c}`).join(', ')}`;

/** One counter row's increments: its day, unit, grouping and value. */
export interface CountRow { day: string; orgId: string; dimension: GroupBy; value: string | null; counts: Counts }

/** The rows a transition adds to (none when it counts nothing), under the case's values as the event found them. */
export function countRows(plan: CasePlan, facts: CaseFacts): CountRow[] {
  const day = shanghaiDay(plan.event.at);
  const rows: CountRow[] = [];
  for (const c of countTransition(plan, facts)) {
    if (Object.keys(c.unit).length > 0) rows.push({ day, orgId: c.orgId, dimension: 'org', value: null, counts: c.unit });
    if (Object.keys(c.cases).length > 0) for (const g of CASE_GROUPINGS) rows.push({ day, orgId: c.orgId, dimension: g, value: VALUE_OF[g](facts.row), counts: c.cases });
  }
  return rows;
}

/**
 * The one statement adding these rows (null when there are none) — one transition's, or a
 * deadline group's many: rows of the same key are summed first (an upsert may touch a row once),
 * then sent in key order, so two transactions lock shared rows in the same order.
 */
export function countStatement(tx: Tx, rows: CountRow[]) {
  if (rows.length === 0) return null;
  const byKey = new Map<string, CountRow>();
  for (const r of rows) {
    const key = [r.dimension, r.day, r.orgId, r.value ?? ''].join('|');
    const kept = byKey.get(key);
    if (!kept) { byKey.set(key, { ...r, counts: { ...r.counts } }); continue; }
    for (const [counter, n] of Object.entries(r.counts) as [Counter, number][]) kept.counts[counter] = (kept.counts[counter] ?? 0) + n;
  }
  const sorted = [...byKey.values()].sort((a, b) => a.dimension.localeCompare(b.dimension) || a.day.localeCompare(b.day)
    || a.orgId.localeCompare(b.orgId) || (a.value ?? '').localeCompare(b.value ?? ''));
  return tx.unsafe(UPSERT, [
    sorted.map((r) => r.day), sorted.map((r) => r.orgId), sorted.map((r) => r.dimension), sorted.map((r) => r.value),
    ...COUNTERS.map((counter) => sorted.map((r) => r.counts[counter] ?? 0)),
  ] as never[], { prepare: true });
}
