/**
 * The measures units are judged by (考核, as 12345 hotlines judge them), over a period [from, to),
 * computed in SQL from the record's typed columns (to_org_id, rating, solved, resolved_by_org_id)
 * and the clocks. Two units of count (README, "Measures"; every field's formula is also in OpenAPI):
 *
 * groupBy=org — per unit, per arrival. An arrival is an event in the period that brings a case to
 *   the unit (registration at the branch, forward, return, transfer, hand-off, supervision order,
 *   meeting decision, reopening); a case that reaches a unit twice counts twice. Its outcome:
 *   accepted on time when the clock the arrival started at the unit was met; resolved when the unit
 *   resolved the case before it left and before the period ended; on time when that resolution
 *   closed a running clock (met, not missed). Feedback is counted for the unit whose resolution
 *   it judges. Overdue / escalated: the unit's clocks missed in the period.
 * groupBy=category|platform|area — per case registered in the period, each case once, from its
 *   events in the period: accepted on time when all its arrivals were; resolved when it was
 *   resolved, on time when its last resolution was; feedback, satisfaction and "solved" from its
 *   last feedback in the period (a reopened case counts its last one).
 * Every rate is a fraction of its own denominator, in [0, 1], null when the denominator is 0.
 */
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';

import type { GroupBy, HotSpot, HotSpotsView, MeasureRow, MeasuresView } from './measures-view.js';
import type { UserAction } from '../../workflows/case-actions.js';
import { ARRIVAL_CLOCKS, ESCALATING_CLOCKS, type DeadlineStep, type ReferralOutcome } from '../../workflows/case-rules.js';

/** The clock the ALG measures read. */
const HUMAN_REVIEW: DeadlineStep = 'human_review';
/** The referral measures: referrals received by a unit, answered by it, settled. */
const REFER: UserAction = 'refer';
const REFER_OUTCOME: UserAction = 'refer_outcome';
const SETTLED: ReferralOutcome = 'settled';

export interface MeasureQuery { from: Date; to: Date; groupBy: GroupBy; /** Only this unit's own work. */ orgId?: string | null }

/** What the measures route answers: conveners see every unit, the others their own unit's work. */
export async function readMeasures(sql: Sql, caller: Caller, q: { from: Date; to: Date; groupBy?: GroupBy }): Promise<MeasuresView> {
  requireCapability(caller, 'readMeasures');
  const groupBy = q.groupBy ?? 'org';
  const rows = await unitMeasures(sql, { from: q.from, to: q.to, groupBy, orgId: seesEveryCase(caller) ? null : caller.orgId });
  return { from: q.from.toISOString(), to: q.to.toISOString(), groupBy, rows };
}

export async function readHotSpots(tx: Tx, caller: Caller, q: { from: Date; to: Date }): Promise<HotSpotsView> {
  requireCapability(caller, 'readHotSpots');
  return { items: await hotSpots(tx, q.from, q.to) };
}

/** What the measures routes call, bound to the database. */
export function createMeasuresService(deps: { sql: Sql }) {
  return {
    readMeasures: (caller: Caller, q: { from: Date; to: Date; groupBy?: GroupBy }) => readMeasures(deps.sql, caller, q),
    readHotSpots: (caller: Caller, q: { from: Date; to: Date }) => readHotSpots(deps.sql, caller, q),
  };
}
export type MeasuresService = ReturnType<typeof createMeasuresService>;

type Counts = Omit<MeasureRow, 'response_rate' | 'on_time_rate' | 'resolution_rate' | 'solved_rate' | 'satisfaction_rate' | 'alg_reviewed_on_time_rate' | 'referral_settled_rate'>;

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function withRates(c: Counts): MeasureRow {
  return {
    ...c,
    response_rate: rate(c.accepted_on_time, c.received),
    on_time_rate: rate(c.on_time, c.resolved),
    resolution_rate: rate(c.resolved, c.received),
    solved_rate: rate(c.solved, c.solved_answered),
    satisfaction_rate: rate(c.satisfied, c.feedback),
    alg_reviewed_on_time_rate: rate(c.alg_reviewed_on_time, c.alg_reviews),
    referral_settled_rate: rate(c.referrals_settled, c.referrals_answered),
  };
}

interface RawRow {
  key: string | null; received: number; late: number; resolved: number; onTime: number;
  overdue: number; escalated: number; reopened: number; feedback: number; satisfied: number; solvedAnswered: number; solved: number;
  avgHandlingHours: number | null; algReviews: number; algOnTime: number;
  referred: number; referralsAnswered: number; referralsSettled: number;
}

/** A month at a million cases hashes and sorts a few hundred thousand rows: enough memory to do it without spilling to disk. */
const MEASURES_WORK_MEM = '64MB';

/** Counts per key from one part of the measures; the parts run at once, on separate connections. */
type Part = Partial<Omit<RawRow, 'key'>> & { key: string | null };

/** One part of the measures, in its own short transaction (for its work_mem). */
function part(sql: Sql, query: (tx: Tx) => Promise<Part[]>): Promise<Part[]> {
  return inTransaction(sql, async (tx) => {
    await tx`select set_config('work_mem', ${MEASURES_WORK_MEM}, true)`;
    return query(tx);
  });
}

export async function unitMeasures(sql: Sql, q: MeasureQuery): Promise<MeasureRow[]> {
  const parts = await Promise.all(q.groupBy === 'org' ? byOrg(sql, q) : byCase(sql, q));
  const merged = new Map<string, Part>();
  for (const row of parts.flat()) {
    const id = row.key ?? '\u0000null';
    merged.set(id, { ...merged.get(id), ...row });
  }
  const labels = q.groupBy === 'org'
    ? new Map((await sql<{ id: string; name: string }[]>`select id::text, name from orgs where id = any(${[...merged.keys()].filter((k) => !k.startsWith('\u0000'))}::uuid[])`).map((o) => [o.id, o.name]))
    : new Map<string, string>();
  const rows = [...merged.values()].map((r) => {
    const received = r.received ?? 0;
    return withRates({
      key: r.key,
      label: (r.key && labels.get(r.key)) ?? r.key ?? (q.groupBy === 'platform' ? '属地（无平台）/ territorial' : '—'),
      received, accepted_on_time: Math.max(received - (r.late ?? 0), 0), resolved: r.resolved ?? 0, on_time: r.onTime ?? 0,
      overdue: r.overdue ?? 0, escalated: r.escalated ?? 0, reopened: r.reopened ?? 0, feedback: r.feedback ?? 0,
      satisfied: r.satisfied ?? 0, solved_answered: r.solvedAnswered ?? 0, solved: r.solved ?? 0,
      avg_handling_hours: r.avgHandlingHours ?? null, alg_reviews: r.algReviews ?? 0, alg_reviewed_on_time: r.algOnTime ?? 0,
      referred: r.referred ?? 0, referrals_answered: r.referralsAnswered ?? 0, referrals_settled: r.referralsSettled ?? 0,
    });
  });
  // A unit's own view: only its row (its clocks and feedback are filtered in SQL, arrivals here).
  return rows.filter((r) => q.groupBy !== 'org' || !q.orgId || r.key === q.orgId)
    .sort((x, y) => (x.key === null ? 1 : y.key === null ? -1 : x.label.localeCompare(y.label, 'zh') || x.key.localeCompare(y.key)));
}

/**
 * The period's arrivals and what became of them, shared by both groupings. Each input is read
 * from an index, in time order, without visiting the tables:
 *   arrivals      registration (at the branch) or an event that moved the case to another unit
 *   late          arrivals not accepted on time: the clock the arrival started at that unit (one of
 *                 ARRIVAL_CLOCKS; side clocks and the feedback clock are started otherwise) was not met
 *                 (missed, cancelled, or still running). Every arrival
 *                 starts one, so the rest were accepted on time; reading the few clocks that were
 *                 not met is much cheaper than joining every arrival to its clock.
 *   resolutions   each resolution in the period belongs to the latest arrival of the case at the
 *                 resolving unit before it (the unit has held the case since); on time when it
 *                 closed a clock that was met at that moment. `resolved` keeps one per arrival in the period.
 */
const arrivals = (tx: Tx, from: Date, to: Date) => tx`
  arrivals as (
    select e.case_id, e.at, coalesce(e.to_org_id, e.holder_org_id) as org_id
    from case_events e
    where e.at >= ${from} and e.at < ${to} and (e.to_org_id is not null or e.action = 'register')
  )`;
const late = (tx: Tx, from: Date, to: Date) => tx`
  late as (
    select d.case_id, d.org_id
    from deadlines d
    join case_events e on e.at = d.started_at and e.case_id = d.case_id
      and (e.to_org_id is not null or e.action = 'register') and coalesce(e.to_org_id, e.holder_org_id) = d.org_id
    where d.started_at >= ${from} and d.started_at < ${to} and d.status <> 'met' and d.step = any(${ARRIVAL_CLOCKS})
      and e.at >= ${from} and e.at < ${to}
  )`;
const resolutions = (tx: Tx, from: Date, to: Date) => tx`
  resolutions as (
    select e.case_id, e.at, coalesce(e.resolved_by_org_id, e.actor_org_id) as org_id,
      exists (select 1 from deadlines d where d.closed_at = e.at and d.case_id = e.case_id and d.status = 'met') as on_time
    from case_events e where e.action = 'resolve' and e.at >= ${from} and e.at < ${to}
  ), resolved as (
    select distinct on (r.case_id, a.at) r.case_id, r.org_id, a.at as arrived_at, r.on_time
    from resolutions r
    cross join lateral (
      select e.at from case_events e
      where e.case_id = r.case_id and e.at <= r.at and (e.to_org_id is not null or e.action = 'register')
        and coalesce(e.to_org_id, e.holder_org_id) = r.org_id
      order by e.at desc limit 1
    ) a
    where a.at >= ${from}
    order by r.case_id, a.at, r.at desc
  )`;

/** Per unit, per arrival: three parts at once. */
function byOrg(sql: Sql, { from, to, orgId }: MeasureQuery): Promise<Part[]>[] {
  const own = (tx: Tx, column: ReturnType<Tx>) => (orgId ? tx`and ${column} = ${orgId}` : tx``);
  return [
    part(sql, (tx) => tx<Part[]>`
      with ${arrivals(tx, from, to)}, ${late(tx, from, to)}, late_counts as (
        select org_id, count(*)::int as late from late group by 1
      )
      select a.org_id::text as key, count(*)::int as received, min(l.late) as late
      from arrivals a left join late_counts l using (org_id)
      group by a.org_id`),
    part(sql, (tx) => tx<Part[]>`
      with ${resolutions(tx, from, to)}
      select org_id::text as key, count(*)::int as resolved, count(*) filter (where on_time)::int as on_time
      from resolved where true ${own(tx, tx`org_id`)} group by 1`),
    part(sql, (tx) => tx<Part[]>`
      select d.org_id::text as key, count(*) filter (where d.status = 'missed')::int as overdue,
        count(*) filter (where d.status = 'missed' and d.step = any(${ESCALATING_CLOCKS}))::int as escalated,
        round(avg(extract(epoch from d.closed_at - d.started_at) / 3600) filter (where d.status in ('met', 'missed'))::numeric, 1)::float8 as avg_handling_hours,
        count(*) filter (where d.step = ${HUMAN_REVIEW} and d.status in ('met', 'missed'))::int as alg_reviews,
        count(*) filter (where d.step = ${HUMAN_REVIEW} and d.status = 'met')::int as alg_on_time
      from deadlines d
      where d.closed_at >= ${from} and d.closed_at < ${to} ${own(tx, tx`d.org_id`)}
      group by 1`),
    part(sql, (tx) => tx<Part[]>`
      select e.resolved_by_org_id::text as key, count(*)::int as feedback,
        count(*) filter (where e.rating in ('satisfied', 'basically_satisfied'))::int as satisfied,
        count(*) filter (where e.rating = 'dissatisfied')::int as reopened,
        count(*) filter (where e.solved is not null)::int as solved_answered,
        count(*) filter (where e.solved = 'yes')::int as solved
      from case_events e
      where e.action = 'feedback' and e.at >= ${from} and e.at < ${to} and e.resolved_by_org_id is not null ${own(tx, tx`e.resolved_by_org_id`)}
      group by 1`),
    // Referrals by the unit they went to: received (refer names it), answered and settled (its refer_outcome).
    part(sql, (tx) => tx<Part[]>`
      select coalesce(e.data->>'toOrgId', e.data->>'orgId') as key,
        count(*) filter (where e.action = ${REFER})::int as referred,
        count(*) filter (where e.action = ${REFER_OUTCOME})::int as referrals_answered,
        count(*) filter (where e.action = ${REFER_OUTCOME} and e.data->>'outcome' = ${SETTLED})::int as referrals_settled
      from case_events e
      where e.action in (${REFER}, ${REFER_OUTCOME}) and e.at >= ${from} and e.at < ${to}
        ${orgId ? tx`and coalesce(e.data->>'toOrgId', e.data->>'orgId') = ${orgId}` : tx``}
      group by 1`),
  ];
}

/** Per case registered in the period (category, platform or area), each case once: four parts at once. */
function byCase(sql: Sql, { from, to, groupBy, orgId }: MeasureQuery): Promise<Part[]>[] {
  const cohort = (tx: Tx) => {
    const key = groupBy === 'category' ? tx`c.category` : groupBy === 'platform' ? tx`c.platform` : tx`c.area`;
    // A unit's own view: the cases it took part in.
    const own = orgId ? tx`and exists (select 1 from case_participants p where p.case_id = c.id and p.org_id = ${orgId})` : tx``;
    return tx`cohort as materialized (select c.id, ${key} as key, c.created_at from cases c where c.created_at >= ${from} and c.created_at < ${to} ${own})`;
  };
  return [
    part(sql, (tx) => tx<Part[]>`
      with ${cohort(tx)}, ${late(tx, from, to)}, late_cases as materialized (select distinct case_id from late)
      select c.key, count(*)::int as received, count(l.case_id)::int as late
      from cohort c left join late_cases l on l.case_id = c.id group by c.key`),
    part(sql, (tx) => tx<Part[]>`
      with ${cohort(tx)}, ${resolutions(tx, from, to)}, last_resolution as (
        select distinct on (case_id) case_id, at, on_time from resolutions order by case_id, at desc
      )
      select c.key, count(*)::int as resolved, count(*) filter (where r.on_time)::int as on_time,
        round(avg(extract(epoch from r.at - c.created_at) / 3600)::numeric, 1)::float8 as avg_handling_hours
      from cohort c join last_resolution r on r.case_id = c.id group by c.key`),
    part(sql, (tx) => tx<Part[]>`
      with ${cohort(tx)}, missed as (
        select d.case_id, bool_or(d.step = any(${ESCALATING_CLOCKS})) as escalated
        from deadlines d
        where d.status = 'missed' and d.closed_at >= ${from} and d.closed_at < ${to}
        group by 1
      ), feedback_events as (
        select e.case_id, e.seq, e.rating, e.solved
        from case_events e
        where e.action = 'feedback' and e.at >= ${from} and e.at < ${to}
      ), last_feedback as (
        select distinct on (case_id) case_id, rating from feedback_events order by case_id, seq desc
      ), last_solved as (
        select distinct on (case_id) case_id, solved from feedback_events where solved is not null order by case_id, seq desc
      ), reopened as (
        select distinct case_id from feedback_events where rating = 'dissatisfied'
      )
      select c.key, count(m.case_id)::int as overdue, count(*) filter (where m.escalated)::int as escalated,
        count(ro.case_id)::int as reopened, count(f.case_id)::int as feedback,
        count(*) filter (where f.rating in ('satisfied', 'basically_satisfied'))::int as satisfied,
        count(s.case_id)::int as solved_answered, count(*) filter (where s.solved = 'yes')::int as solved
      from cohort c
      left join missed m on m.case_id = c.id
      left join last_feedback f on f.case_id = c.id
      left join last_solved s on s.case_id = c.id
      left join reopened ro on ro.case_id = c.id
      group by c.key`),
    // ALG cases: reviewed on time when every human_review clock that closed in the period was met.
    part(sql, (tx) => tx<Part[]>`
      with ${cohort(tx)}, reviews as (
        select d.case_id, bool_and(d.status = 'met') as on_time from deadlines d join cohort c on c.id = d.case_id
        where d.step = ${HUMAN_REVIEW} and d.status in ('met', 'missed') and d.closed_at >= ${from} and d.closed_at < ${to}
        group by 1
      )
      select c.key, count(*)::int as alg_reviews, count(*) filter (where r.on_time)::int as alg_on_time
      from cohort c join reviews r on r.case_id = c.id group by c.key`),
    // Referrals of the cohort's cases in the period, and their answers.
    part(sql, (tx) => tx<Part[]>`
      with ${cohort(tx)}
      select c.key, count(*) filter (where e.action = ${REFER})::int as referred,
        count(*) filter (where e.action = ${REFER_OUTCOME})::int as referrals_answered,
        count(*) filter (where e.action = ${REFER_OUTCOME} and e.data->>'outcome' = ${SETTLED})::int as referrals_settled
      from cohort c join case_events e on e.case_id = c.id
      where e.action in (${REFER}, ${REFER_OUTCOME}) and e.at >= ${from} and e.at < ${to}
      group by c.key`),
  ];
}

/** Category × platform × area clusters that grew against the previous period of the same length. */
export async function hotSpots(tx: Tx, from: Date, to: Date, limit = 10): Promise<HotSpot[]> {
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  return tx<HotSpot[]>`
    with current_period as (
      select category, platform, coalesce(area, '—') as area, count(*)::int as n from cases
      where created_at >= ${from} and created_at < ${to} group by 1, 2, 3
    ), previous_period as (
      select category, platform, coalesce(area, '—') as area, count(*)::int as n from cases
      where created_at >= ${previousFrom} and created_at < ${from} group by 1, 2, 3
    )
    select c.category, c.platform, c.area, c.n as count, coalesce(p.n, 0) as previous, c.n - coalesce(p.n, 0) as growth
    from current_period c left join previous_period p on p.category = c.category and p.platform is not distinct from c.platform and p.area = c.area
    where c.n > coalesce(p.n, 0)
    order by growth desc, c.n desc, c.category, c.platform, c.area limit ${limit}`;
}
