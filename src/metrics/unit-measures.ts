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
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { Forbidden } from '../errors.js';
import type { GroupBy, HotSpot, HotSpotsView, MeasureRow, MeasuresView } from './measures-view.js';

export interface MeasureQuery { from: Date; to: Date; groupBy: GroupBy; /** Only this unit's own work. */ orgId?: string | null }

/** What the measures route answers: conveners see every unit, the others their own unit's work. */
export async function readMeasures(sql: Sql, caller: Caller, q: { from: Date; to: Date; groupBy?: GroupBy }): Promise<MeasuresView> {
  if (caller.role === 'admin') throw new Forbidden('考核指标仅限业务角色 / measures are for liaisons, committees, officers and conveners');
  const groupBy = q.groupBy ?? 'org';
  const rows = await unitMeasures(sql, { from: q.from, to: q.to, groupBy, orgId: caller.role === 'convener' ? null : caller.orgId });
  return { from: q.from.toISOString(), to: q.to.toISOString(), groupBy, rows };
}

export async function readHotSpots(tx: Tx, caller: Caller, q: { from: Date; to: Date }): Promise<HotSpotsView> {
  if (caller.role !== 'officer' && caller.role !== 'convener') throw new Forbidden('热点仅限 officer/convener / hot spots are for officers and conveners');
  return { items: await hotSpots(tx, q.from, q.to) };
}

type Counts = Omit<MeasureRow, 'response_rate' | 'on_time_rate' | 'resolution_rate' | 'solved_rate' | 'satisfaction_rate'>;

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function withRates(c: Counts): MeasureRow {
  return {
    ...c,
    response_rate: rate(c.accepted_on_time, c.received),
    on_time_rate: rate(c.on_time, c.resolved),
    resolution_rate: rate(c.resolved, c.received),
    solved_rate: rate(c.solved, c.solved_answered),
    satisfaction_rate: rate(c.satisfied, c.feedback),
  };
}

interface RawRow {
  key: string | null; label: string | null; received: number; acceptedOnTime: number; resolved: number; onTime: number;
  overdue: number; escalated: number; reopened: number; feedback: number; satisfied: number; solvedAnswered: number; solved: number;
  avgHandlingHours: number | null;
}

/** A month at a million cases hashes and sorts a few hundred thousand rows: enough memory to do it without spilling to disk. */
const MEASURES_WORK_MEM = '64MB';

export async function unitMeasures(sql: Sql, q: MeasureQuery): Promise<MeasureRow[]> {
  const rows = await inTransaction(sql, async (tx) => {
    await tx`select set_config('work_mem', ${MEASURES_WORK_MEM}, true)`;
    return q.groupBy === 'org' ? byOrg(tx, q) : byCase(tx, q);
  });
  return rows.map((r) => withRates({
    key: r.key, label: r.label ?? r.key ?? (q.groupBy === 'platform' ? '属地（无平台）/ territorial' : '—'),
    received: r.received, accepted_on_time: r.acceptedOnTime, resolved: r.resolved, on_time: r.onTime, overdue: r.overdue,
    escalated: r.escalated, reopened: r.reopened, feedback: r.feedback, satisfied: r.satisfied, solved_answered: r.solvedAnswered,
    solved: r.solved, avg_handling_hours: r.avgHandlingHours,
  }));
}

/**
 * The period's arrivals and what became of each, shared by both groupings. Written so that each
 * input is read once from an index in time order: a month at a million cases is some 200,000
 * arrivals, and every extra sort or hash of them costs more than the rest of the query.
 *   arrivals      registration (at the branch) or an event that moved the case to another unit
 *   late          arrivals not accepted on time: the clock the arrival started at that unit (side
 *                 clocks aside) was not met (missed, cancelled, or still running). Every arrival
 *                 starts one, so the rest were accepted on time; reading the few clocks that were
 *                 not met is much cheaper than joining every arrival to its clock.
 *   resolutions   each resolution in the period belongs to the latest arrival of the case at the
 *                 resolving unit before it (the unit has held the case since); on time when it
 *                 closed a clock that was met at that moment
 */
function arrivalOutcomes(tx: Tx, from: Date, to: Date) {
  return tx`
    arrivals as not materialized (
      select e.case_id, e.at, coalesce(e.to_org_id, e.holder_org_id) as org_id
      from case_events e
      where e.at >= ${from} and e.at < ${to} and (e.to_org_id is not null or e.action = 'register')
    ), late as (
      select d.case_id, d.org_id
      from deadlines d
      where d.started_at >= ${from} and d.started_at < ${to} and d.status <> 'met' and d.step <> 'pause_limit'
        and exists (select 1 from case_events e where e.at = d.started_at and e.case_id = d.case_id
          and (e.to_org_id is not null or e.action = 'register') and coalesce(e.to_org_id, e.holder_org_id) = d.org_id)
    ), resolutions as (
      select e.case_id, e.at, coalesce(e.resolved_by_org_id, e.actor_org_id) as org_id,
        exists (select 1 from deadlines d where d.closed_at = e.at and d.case_id = e.case_id and d.status = 'met') as on_time
      from case_events e where e.action = 'resolve' and e.at >= ${from} and e.at < ${to}
    ), resolved as (
      select distinct on (case_id, arrived_at) case_id, org_id, arrived_at, on_time from (
        select distinct on (r.case_id, r.at) r.case_id, r.org_id, r.at, r.on_time, a.at as arrived_at
        from resolutions r
        join (select * from arrivals where case_id in (select case_id from resolutions)) a
          on a.case_id = r.case_id and a.org_id = r.org_id and a.at <= r.at
        order by r.case_id, r.at, a.at desc
      ) x order by case_id, arrived_at, at desc
    )`;
}

/** Per unit, per arrival. */
async function byOrg(tx: Tx, { from, to, orgId }: MeasureQuery): Promise<RawRow[]> {
  const own = (column: ReturnType<Tx>) => (orgId ? tx`and ${column} = ${orgId}` : tx``);
  return tx<RawRow[]>`
    with ${arrivalOutcomes(tx, from, to)}, arrival_counts as (
      select org_id as key, count(*)::int as received from arrivals where true ${own(tx`org_id`)} group by 1
    ), late_counts as (
      select org_id as key, count(*)::int as late from late where true ${own(tx`org_id`)} group by 1
    ), resolved_counts as (
      select org_id as key, count(*)::int as resolved, count(*) filter (where on_time)::int as on_time
      from resolved where true ${own(tx`org_id`)} group by 1
    ), closed as (
      select d.org_id as key, count(*) filter (where d.status = 'missed')::int as overdue,
        count(*) filter (where d.status = 'missed' and d.step <> 'feedback')::int as escalated,
        avg(extract(epoch from d.closed_at - d.started_at) / 3600) filter (where d.status in ('met', 'missed')) as avg_handling_hours
      from deadlines d
      where d.closed_at >= ${from} and d.closed_at < ${to} ${own(tx`d.org_id`)}
      group by 1
    ), feedback as (
      select e.resolved_by_org_id as key, count(*)::int as feedback,
        count(*) filter (where e.rating in ('satisfied', 'basically_satisfied'))::int as satisfied,
        count(*) filter (where e.rating = 'dissatisfied')::int as reopened,
        count(*) filter (where e.solved is not null)::int as solved_answered,
        count(*) filter (where e.solved = 'yes')::int as solved
      from case_events e
      where e.action = 'feedback' and e.at >= ${from} and e.at < ${to} and e.resolved_by_org_id is not null ${own(tx`e.resolved_by_org_id`)}
      group by 1
    )
    select key::text, o.name as label,
      coalesce(received, 0) as received, greatest(coalesce(received, 0) - coalesce(late, 0), 0) as accepted_on_time,
      coalesce(resolved, 0) as resolved, coalesce(on_time, 0) as on_time, coalesce(overdue, 0) as overdue,
      coalesce(escalated, 0) as escalated, coalesce(reopened, 0) as reopened, coalesce(feedback, 0) as feedback,
      coalesce(satisfied, 0) as satisfied, coalesce(solved_answered, 0) as solved_answered, coalesce(solved, 0) as solved,
      round(avg_handling_hours::numeric, 1)::float8 as avg_handling_hours
    from arrival_counts left join late_counts using (key) full join resolved_counts using (key) full join closed using (key) full join feedback using (key)
    left join orgs o on o.id = key
    where key is not null
    order by o.name, key`;
}

/** Per case registered in the period (category, platform or area), each case once. */
async function byCase(tx: Tx, { from, to, groupBy, orgId }: MeasureQuery): Promise<RawRow[]> {
  const key = groupBy === 'category' ? tx`c.category` : groupBy === 'platform' ? tx`c.platform` : tx`c.area`;
  // A unit's own view: the cases it took part in.
  const own = orgId ? tx`and exists (select 1 from case_participants p where p.case_id = c.id and p.org_id = ${orgId})` : tx``;
  return tx<RawRow[]>`
    with ${arrivalOutcomes(tx, from, to)}, cohort as (
      select c.id, ${key} as key, c.created_at from cases c where c.created_at >= ${from} and c.created_at < ${to} ${own}
    ), late_cases as (
      select distinct case_id from late
    ), last_resolution as (
      select distinct on (case_id) case_id, at, on_time from resolutions order by case_id, at desc
    ), missed as (
      select d.case_id, bool_or(d.step <> 'feedback') as escalated
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
    select c.key, null as label, count(*)::int as received,
      count(*) filter (where a.case_id is null)::int as accepted_on_time,
      count(r.case_id)::int as resolved, count(*) filter (where r.on_time)::int as on_time,
      count(m.case_id)::int as overdue, count(*) filter (where m.escalated)::int as escalated,
      count(ro.case_id)::int as reopened, count(f.case_id)::int as feedback,
      count(*) filter (where f.rating in ('satisfied', 'basically_satisfied'))::int as satisfied,
      count(s.case_id)::int as solved_answered, count(*) filter (where s.solved = 'yes')::int as solved,
      round(avg(extract(epoch from r.at - c.created_at) / 3600)::numeric, 1)::float8 as avg_handling_hours
    from cohort c
    left join late_cases a on a.case_id = c.id
    left join last_resolution r on r.case_id = c.id
    left join missed m on m.case_id = c.id
    left join last_feedback f on f.case_id = c.id
    left join last_solved s on s.case_id = c.id
    left join reopened ro on ro.case_id = c.id
    group by c.key
    order by c.key nulls last`;
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
