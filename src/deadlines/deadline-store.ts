/**
 * Deadline rows: one per clock a state starts, planned here (pure calendar arithmetic) and written
 * by the case writer in the transition's transaction. The workers claim the cases whose clocks
 * are due from here; BullMQ only wakes them up at the seconds that hold a warning or a due time
 * (see deadline-queue.ts).
 */
import type { Tx } from '../../db/client.js';
import type { deadlines } from '../../db/schema.js';
import type { ClockTimes, WorkingCalendar } from '../calendar/working-calendar.js';
import type { Duration } from './sla-policies.js';
import type { DeadlineStep, Level, TimeUnit } from '../../workflows/case-rules.js';
import type { CaseEvent } from '../../workflows/case-machine.js';

export type DeadlineRow = typeof deadlines.$inferSelect;

/** What the scheduler needs to set the wake-ups of one deadline revision. */
export type Wakeup = Pick<DeadlineRow, 'id' | 'rev' | 'dueAt' | 'warnAt' | 'warnedAt'>;

/** A clock about to start: its step, who owes it, its duration, and when it warns and falls due. */
export interface ClockPlan extends ClockTimes {
  step: DeadlineStep; level: Level; orgId: string; startedAt: Date; amount: number; unit: TimeUnit;
}

/** What fixes a clock's due time: its start and duration, the pauses given back, the extensions approved. */
export interface ClockSpec { startedAt: Date; amount: number; unit: TimeUnit; givenBackMs: number; extensions: Duration[] }

/**
 * The due and warning times of a clock, computed from its start: the duration, then the paused
 * time given back (in the clock's unit), then each extension. Recomputing a clock when a year's
 * schedule arrives runs exactly this again.
 */
export function clockTimes(calendar: WorkingCalendar, c: ClockSpec): ClockTimes {
  let dueAt = calendar.addDuration(c.startedAt, c.amount, c.unit);
  dueAt = calendar.giveBack(dueAt, c.givenBackMs, c.unit);
  for (const e of c.extensions) dueAt = calendar.addDuration(dueAt, e.amount, e.unit);
  const provisional = [c.unit, ...c.extensions.map((e) => e.unit)].some((unit) => calendar.countsProvisionalDays(c.startedAt, dueAt, unit));
  return { dueAt, warnAt: calendar.warnAt(c.startedAt, dueAt, c.unit), provisional };
}

export function planClock(
  calendar: WorkingCalendar, c: { step: DeadlineStep; level: Level; orgId: string; at: Date; amount: number; unit: TimeUnit },
): ClockPlan {
  const times = clockTimes(calendar, { startedAt: c.at, amount: c.amount, unit: c.unit, givenBackMs: 0, extensions: [] });
  return { step: c.step, level: c.level, orgId: c.orgId, startedAt: c.at, amount: c.amount, unit: c.unit, ...times };
}

/**
 * A clock's unit. Rows written before the unit was stored were plain-time arithmetic (their
 * pauses were given back in milliseconds), so they keep it.
 */
export function clockUnit(row: Pick<DeadlineRow, 'unit'>): TimeUnit {
  return (row.unit as TimeUnit | null) ?? 'hours';
}


/** A clock's warning or end, fired: its step, which, when it was due and when it fired (the lateness). */
export interface Firing { step: DeadlineStep; kind: DueKind; time: Date; at: Date }
/** One claim of due cases, fired: how many were claimed, what fired, and the cases whose transition failed. */
export interface FiredGroup { claimed: number; fired: Firing[]; failed: { caseId: string; err: unknown }[] }

/** What comes due on a clock: its warning (80 % of the time) or its end. */
export type DueKind = 'warn' | 'due';
/** The chart's event for each: the engine fires it, the metrics count it under it. */
export const DUE_EVENTS = { warn: 'deadline_warning', due: 'deadline_missed' } as const satisfies Record<DueKind, CaseEvent['type']>;

/** The warning a clock still owes: not given yet, and before the clock's end (a clock whose warning falls at its end has none). */
export const owesWarning = (d: Pick<DeadlineRow, 'warnAt' | 'dueAt' | 'warnedAt'>) => !d.warnedAt && d.warnAt < d.dueAt;

/**
 * The first thing due on a case at `at`: among its running clocks, the earliest warning still owed
 * or end reached. One event per case at a time; the next claim takes the next.
 */
export function firstDue(clocks: DeadlineRow[], at: Date): { clock: DeadlineRow; kind: DueKind; time: Date } | null {
  const due = clocks.filter((d) => d.status === 'pending').flatMap((clock) => [
    // A warning whose clock has ended meanwhile (workers away through both) is not sent late: the miss says more.
    ...(owesWarning(clock) && clock.warnAt <= at && clock.dueAt > at ? [{ clock, kind: 'warn' as const, time: clock.warnAt }] : []),
    ...(clock.dueAt <= at ? [{ clock, kind: 'due' as const, time: clock.dueAt }] : []),
  ]);
  return due.sort((a, b) => a.time.getTime() - b.time.getTime() || (a.kind === 'warn' ? -1 : 1))[0] ?? null;
}

/**
 * Locks up to `limit` cases that have a clock due at `at` (a warning owed or an end reached),
 * earliest first, skipping cases another transaction holds: a case an action is changing, or one
 * another worker claimed. Both branches read their partial index in time order (`deadlines_pending_due`,
 * `deadlines_pending_warn`); `scan` bounds how many due clocks are looked at past the locked ones.
 * `exclude`: cases whose transition failed in this wake-up, left for the next.
 */
export async function claimDueCases(tx: Tx, at: Date, limit: number, exclude: string[] = []): Promise<string[]> {
  const scan = limit * 4;
  const rows = await tx<{ id: string }[]>`
    select c.id from cases c join (
      select case_id, min(at) as at from (
        (select case_id, due_at as at from deadlines where status = 'pending' and due_at <= ${at} order by due_at limit ${scan})
        union all
        (select case_id, warn_at from deadlines where status = 'pending' and warned_at is null and warn_at <= ${at} and warn_at < due_at
          order by warn_at limit ${scan})
      ) due group by case_id
    ) d on d.case_id = c.id
    where c.id <> all(${exclude}::uuid[])
    order by d.at limit ${limit}
    for update of c skip locked`;
  return rows.map((r) => r.id);
}

/**
 * The seconds in (`from`, `until`] that hold a due time or a warning owed, for the wake-up jobs: a
 * loose index scan (one index probe per second found, on each partial index), never a read of
 * every clock in the horizon — at 500 due a second the horizon holds 1.8 million.
 */
export async function dueSeconds(tx: Tx, from: Date, until: Date): Promise<Date[]> {
  const rows = await tx<{ s: Date }[]>`
    with recursive due(s) as (
      (select date_trunc('second', due_at) from deadlines where status = 'pending' and due_at > ${from} and due_at <= ${until} order by due_at limit 1)
      union all
      select (select date_trunc('second', d.due_at) from deadlines d
        where d.status = 'pending' and d.due_at >= due.s + interval '1 second' and d.due_at <= ${until} order by d.due_at limit 1)
      from due where due.s is not null
    ), warn(s) as (
      (select date_trunc('second', warn_at) from deadlines where status = 'pending' and warned_at is null and warn_at > ${from} and warn_at <= ${until}
        order by warn_at limit 1)
      union all
      select (select date_trunc('second', d.warn_at) from deadlines d
        where d.status = 'pending' and d.warned_at is null and d.warn_at >= warn.s + interval '1 second' and d.warn_at <= ${until} order by d.warn_at limit 1)
      from warn where warn.s is not null
    )
    select s from due where s is not null union select s from warn where s is not null order by s`;
  return rows.map((r) => r.s);
}

/** Whether anything is due already (a warning owed or an end reached at `at`): two index probes. */
export async function anythingDue(tx: Tx, at: Date): Promise<boolean> {
  const [{ due }] = await tx<{ due: boolean }[]>`
    select exists(select 1 from deadlines where status = 'pending' and due_at <= ${at})
      or exists(select 1 from deadlines where status = 'pending' and warned_at is null and warn_at <= ${at} and warn_at < due_at) as due`;
  return due;
}
