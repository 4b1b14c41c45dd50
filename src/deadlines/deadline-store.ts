/**
 * Deadline rows: one per clock a state starts, planned here (pure calendar arithmetic) and written
 * by the case writer in the transition's transaction; BullMQ jobs are only a way to be woken up at
 * `warnAt` and `dueAt` (see deadline-queue.ts).
 */
import type { deadlines } from '../../db/schema.js';
import type { ClockTimes, WorkingCalendar } from '../calendar/working-calendar.js';
import type { Duration } from './sla-policies.js';
import type { DeadlineStep, Level, TimeUnit } from '../../workflows/case-rules.js';

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

