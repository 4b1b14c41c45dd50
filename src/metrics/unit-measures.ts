/**
 * The measures units are judged by (考核), computed in SQL over a period, grouped by unit,
 * category, platform or area. Definitions (README, Measures):
 *   received          clocks that start when a case arrives at a unit (l1_forward, l2_accept, l3_accept) started in the period
 *   accepted_on_time  of those, the ones met (answered before due)
 *   resolved          resolve actions in the period
 *   on_time / overdue clocks closed in the period met / missed;  escalated: missed, except the feedback clock
 *   feedback          feedback recorded in the period, counted for the unit that resolved (recorded on the event);  satisfied: satisfied + basically satisfied
 *   reopened          dissatisfied feedback (it reopens the case one level up)
 *   response_rate     accepted_on_time / received        on_time_rate   on_time / (on_time + overdue)
 *   resolution_rate   resolved / received                satisfaction_rate  satisfied / feedback
 *   avg_handling_hours  mean hours from a clock's start to its close, over clocks closed in the period
 */
import type { PendingQuery, Row } from 'postgres';
import type { Tx } from '../../db/client.js';

type Fragment = PendingQuery<Row[]>;

export type GroupBy = 'org' | 'category' | 'platform' | 'area';

export interface MeasureRow {
  key: string; label: string;
  received: number; acceptedOnTime: number; resolved: number; onTime: number; overdue: number; escalated: number;
  reopened: number; feedback: number; satisfied: number;
  responseRate: number | null; onTimeRate: number | null; resolutionRate: number | null; satisfactionRate: number | null;
  avgHandlingHours: number | null;
}

export interface MeasureQuery { from: Date; to: Date; groupBy: GroupBy; /** Only this unit's own work. */ orgId?: string | null }

export async function unitMeasures(tx: Tx, q: MeasureQuery): Promise<MeasureRow[]> {
  const { from, to } = q;
  const byOrg = q.groupBy === 'org';
  // Grouping by unit needs nothing but the clocks and the record; other groupings read the case.
  const key = (orgColumn: Fragment) => byOrg ? orgColumn
    : q.groupBy === 'category' ? tx`c.category` : q.groupBy === 'platform' ? tx`c.platform` : tx`coalesce(c.area, '—')`;
  const caseOf = (alias: Fragment) => (byOrg ? tx`` : tx`join cases c on c.id = ${alias}.case_id`);
  const own = (column: Fragment) => (q.orgId ? tx`and ${column} = ${q.orgId}` : tx``);
  const rows = await tx<(Omit<MeasureRow, 'label'> & { label: string | null })[]>`
    with started as (
      select ${key(tx`d.org_id::text`)} as key,
        count(*) filter (where d.step in ('l1_forward', 'l2_accept', 'l3_accept')) as received,
        count(*) filter (where d.step in ('l1_forward', 'l2_accept', 'l3_accept') and d.status = 'met') as accepted_on_time
      from deadlines d ${caseOf(tx`d`)}
      where d.started_at >= ${from} and d.started_at < ${to} ${own(tx`d.org_id`)}
      group by 1
    ), closed as (
      select ${key(tx`d.org_id::text`)} as key,
        count(*) filter (where d.status = 'met') as on_time,
        count(*) filter (where d.status = 'missed') as overdue,
        count(*) filter (where d.status = 'missed' and d.step <> 'feedback') as escalated,
        avg(extract(epoch from d.closed_at - d.started_at) / 3600) filter (where d.status in ('met', 'missed')) as avg_handling_hours
      from deadlines d ${caseOf(tx`d`)}
      where d.closed_at >= ${from} and d.closed_at < ${to} ${own(tx`d.org_id`)}
      group by 1
    ), resolutions as (
      select ${key(tx`e.actor_org_id::text`)} as key, count(*) as resolved
      from case_events e ${caseOf(tx`e`)}
      where e.action = 'resolve' and e.at >= ${from} and e.at < ${to} ${own(tx`e.actor_org_id`)}
      group by 1
    ), feedback as (
      select ${key(tx`e.data->>'resolvedByOrgId'`)} as key, count(*) as feedback,
        count(*) filter (where e.data->>'rating' in ('satisfied', 'basically_satisfied')) as satisfied,
        count(*) filter (where e.data->>'rating' = 'dissatisfied') as reopened
      from case_events e ${caseOf(tx`e`)}
      where e.action = 'feedback' and e.at >= ${from} and e.at < ${to} ${own(tx`(e.data->>'resolvedByOrgId')::uuid`)}
      group by 1
    )
    select key, ${byOrg ? tx`o.name` : tx`key`} as label,
      coalesce(received, 0)::int as received, coalesce(accepted_on_time, 0)::int as accepted_on_time,
      coalesce(resolved, 0)::int as resolved, coalesce(on_time, 0)::int as on_time, coalesce(overdue, 0)::int as overdue,
      coalesce(escalated, 0)::int as escalated, coalesce(reopened, 0)::int as reopened,
      coalesce(feedback, 0)::int as feedback, coalesce(satisfied, 0)::int as satisfied,
      round(accepted_on_time::numeric / nullif(received, 0), 4)::float8 as response_rate,
      round(on_time::numeric / nullif(coalesce(on_time, 0) + coalesce(overdue, 0), 0), 4)::float8 as on_time_rate,
      round(coalesce(resolved, 0)::numeric / nullif(received, 0), 4)::float8 as resolution_rate,
      round(satisfied::numeric / nullif(feedback, 0), 4)::float8 as satisfaction_rate,
      round(avg_handling_hours::numeric, 1)::float8 as avg_handling_hours
    from started full join closed using (key) full join resolutions using (key) full join feedback using (key)
    ${byOrg ? tx`left join orgs o on o.id::text = key` : tx``}
    where key is not null
    order by label`;
  return rows.map((r) => ({ ...r, label: r.label ?? r.key }));
}

export interface HotSpot { category: string; platform: string; area: string; count: number; previous: number; growth: number }

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
    from current_period c left join previous_period p using (category, platform, area)
    where c.n > coalesce(p.n, 0)
    order by growth desc, c.n desc, c.category, c.platform, c.area limit ${limit}`;
}
