/**
 * The measures units are judged by (考核, as 12345 hotlines judge them), over whole days in
 * Asia/Shanghai, read from the daily counters the case writer keeps (measure_days, counted by
 * measure-rollup.ts, which says what each counter counts). A month is a few thousand rows
 * whatever the number of cases. Two units of count (README, "Measures"; every field's formula is
 * also in OpenAPI):
 *
 * groupBy=org — per unit: `received` is its arrivals; its clocks, resolutions and the feedback on them.
 * groupBy=category|platform|area|workerType|channel — `received` is the cases registered, each once,
 *   `resolved` a case's first resolution; every other count is an event, under the value the case
 *   had when it happened.
 * Every rate is a fraction of its own denominator, in [0, 1], null when the denominator is 0.
 */
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import type { Sql, Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import { readingUnits } from '../access/case-permissions.js';
import type { Cached } from '../cached.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { shanghaiDay, shanghaiDayStart } from '../calendar/working-calendar.js';
import type { GroupBy, HotSpot, HotSpotsView, MeasureRow, MeasuresView } from './measures-view.js';
import { COUNTERS, COUNTER_COLUMNS, type Counter } from './measure-rollup.js';

export interface MeasureQuery { from: Date; to: Date; groupBy: GroupBy; /** Only these units' own work. */ orgIds?: readonly string[] | null }

/**
 * What the measures route answers: conveners see every unit, the others their own unit's work; per
 * unit (groupBy=org), a platform headquarters committee sees a row for each unit of its network too
 * (`units`: readingUnits, src/access/case-permissions.ts).
 */
export async function readMeasures(sql: Sql, caller: Caller, q: { from: Date; to: Date; groupBy?: GroupBy }, units: readonly string[]): Promise<MeasuresView> {
  requireCapability(caller, 'readMeasures');
  const groupBy = q.groupBy ?? 'org';
  const days = periodDays(q.from, q.to);
  // The network's rows are per unit; the other groupings stay the caller's own unit's work (the first reading unit).
  const orgIds = seesEveryCase(caller) ? null : groupBy === 'org' ? units : units.slice(0, 1);
  const rows = await unitMeasures(sql, { from: q.from, to: q.to, groupBy, orgIds });
  return { from: shanghaiDayStart(days.from).toISOString(), to: shanghaiDayStart(days.to).toISOString(), groupBy, rows };
}

export async function readHotSpots(tx: Tx, caller: Caller, q: { from: Date; to: Date }): Promise<HotSpotsView> {
  requireCapability(caller, 'readHotSpots');
  return { items: await hotSpots(tx, q.from, q.to) };
}

/** What the measures routes call: reads only, so on the read replica when there is one. */
export function createMeasuresService(deps: { read: ReadDatabase; orgs: Cached<OrgDirectory> }) {
  return {
    readMeasures: async (caller: Caller, q: { from: Date; to: Date; groupBy?: GroupBy }) => {
      const units = readingUnits(caller, await deps.orgs.get());
      return deps.read.read((sql) => readMeasures(sql, caller, q, units), { reader: caller.userId });
    },
    readHotSpots: (caller: Caller, q: { from: Date; to: Date }) =>
      deps.read.read((sql) => readHotSpots(sql, caller, q), { reader: caller.userId }),
  };
}
export type MeasuresService = ReturnType<typeof createMeasuresService>;

const DAY_MS = 86_400_000;
/** Midnight in Asia/Shanghai (no daylight saving) of a day. */
/**
 * The whole days (Asia/Shanghai) a period covers: from the day of `from` (inclusive) to the day of
 * `to` (exclusive) — the day `to` falls in counts too unless `to` is its midnight.
 */
function periodDays(from: Date, to: Date): { from: string; to: string } {
  const last = shanghaiDay(to);
  return { from: shanghaiDay(from), to: shanghaiDayStart(last).getTime() === to.getTime() ? last : shanghaiDay(new Date(shanghaiDayStart(last).getTime() + DAY_MS)) };
}

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
/** 办结率: a period may resolve cases that arrived before it, so resolutions can outnumber arrivals; the rate stops at 1. */
const resolutionRate = (resolved: number, received: number) => rate(Math.min(resolved, received), received);

type Sums = Record<Counter, number> & { key: string | null };
/** Each counter summed over the period's rows (constant column names, never input). */
const SUMS = COUNTERS.map((c) => `sum(${COUNTER_COLUMNS[c]})::float8 as ${COUNTER_COLUMNS[c]}`).join(', ');

export async function unitMeasures(sql: Sql, q: MeasureQuery): Promise<MeasureRow[]> {
  const days = periodDays(q.from, q.to);
  const key = q.groupBy === 'org' ? sql`org_id::text` : sql`value`;
  const sums = await sql<Sums[]>`
    select ${key} as key, ${sql.unsafe(SUMS)}
    from measure_days
    where dimension = ${q.groupBy} and day >= ${days.from}::date and day < ${days.to}::date ${q.orgIds ? sql`and org_id = any(${q.orgIds as string[]}::uuid[])` : sql``}
    group by 1`;
  const labels = q.groupBy === 'org'
    ? new Map((await sql<{ id: string; name: string }[]>`select id::text, name from orgs where id = any(${sums.map((r) => r.key!)}::uuid[])`).map((o) => [o.id, o.name]))
    : new Map<string, string>();
  return sums.map((r) => ({
    key: r.key,
    label: (r.key && labels.get(r.key)) ?? r.key ?? (q.groupBy === 'platform' ? '属地（无平台）/ territorial' : '—'),
    received: r.received, accepts_judged: r.acceptsJudged, accepted_on_time: r.acceptedOnTime,
    rectifications: r.rectifications, rectified_on_time: r.rectifiedOnTime, resolved: r.resolved, on_time: r.onTime,
    overdue: r.overdue, escalated: r.escalated, reopened: r.reopened, feedback: r.feedback, satisfied: r.satisfied,
    solved_answered: r.solvedAnswered, solved: r.solved,
    response_rate: rate(r.acceptedOnTime, r.acceptsJudged), rectification_rate: rate(r.rectifiedOnTime, r.rectifications),
    on_time_rate: rate(r.onTime, r.resolved), resolution_rate: resolutionRate(r.resolved, r.received), solved_rate: rate(r.solved, r.solvedAnswered),
    satisfaction_rate: rate(r.satisfied, r.feedback),
    alg_reviews: r.algReviews, alg_reviewed_on_time: r.algReviewedOnTime, alg_reviewed_on_time_rate: rate(r.algReviewedOnTime, r.algReviews),
    referred: r.referred, referrals_answered: r.referralsAnswered, referrals_settled: r.referralsSettled,
    referral_settled_rate: rate(r.referralsSettled, r.referralsAnswered),
    avg_handling_hours: r.handled === 0 ? null : Math.round(r.handlingMs / r.handled / 360_000) / 10,
  })).sort((x, y) => (x.key === null ? 1 : y.key === null ? -1 : x.label.localeCompare(y.label, 'zh') || x.key.localeCompare(y.key)));
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
