/**
 * Deadline rows: one per clock a state starts. Written in the case transition's transaction;
 * BullMQ jobs are only a way to be woken up at `warnAt` and `dueAt` (see deadline-queue.ts).
 */
import { jsonb, type Tx } from '../../db/client.js';
import type { deadlines } from '../../db/schema.js';
import type { ClockTimes, WorkingCalendar } from '../calendar/working-calendar.js';
import type { Duration } from './sla-policies.js';
import type { DeadlineStep, Level, TimeUnit } from '../../workflows/case-rules.js';

export type DeadlineRow = typeof deadlines.$inferSelect;
export type DeadlineStatus = DeadlineRow['status'];

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

/** When a paused clock resumes on its own: `maxPause` (its policy's, counted on the calendar) after the pause began. */
export function autoResumeAt(calendar: WorkingCalendar, pausedAt: Date, maxPause: Duration): Date {
  return calendar.addDuration(pausedAt, maxPause.amount, maxPause.unit);
}

export async function startDeadline(tx: Tx, caseId: string, c: ClockPlan): Promise<DeadlineRow> {
  const [row] = await tx<DeadlineRow[]>`
    insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status, amount, unit, provisional)
    values (${caseId}, ${c.step}, ${c.level}, ${c.orgId}, ${c.startedAt}, ${c.dueAt}, ${c.warnAt}, 'pending', ${c.amount}, ${c.unit}, ${c.provisional})
    returning *`;
  return row;
}

/** The clock that is running or paused for the case, if any. */
export async function openDeadline(tx: Tx, caseId: string): Promise<DeadlineRow | null> {
  const [row] = await tx<DeadlineRow[]>`
    select * from deadlines where case_id = ${caseId} and status in ('pending', 'paused') order by started_at limit 1`;
  return row ?? null;
}

export async function deadlinesOf(tx: Tx, caseId: string): Promise<DeadlineRow[]> {
  return tx<DeadlineRow[]>`select * from deadlines where case_id = ${caseId} order by started_at, id`;
}

export async function closeDeadline(tx: Tx, id: string, status: 'met' | 'missed' | 'cancelled', at: Date): Promise<void> {
  await tx`update deadlines set status = ${status}, closed_at = ${at} where id = ${id}`;
}

/** Ends the case's running or paused clock when its state moves on. */
export async function closeOpenDeadlines(tx: Tx, caseId: string, status: 'met' | 'cancelled', at: Date): Promise<void> {
  await tx`update deadlines set status = ${status}, closed_at = ${at} where case_id = ${caseId} and status in ('pending', 'paused')`;
}

export async function pauseDeadline(tx: Tx, id: string, at: Date): Promise<void> {
  await tx`update deadlines set status = 'paused', paused_at = ${at}, rev = rev + 1 where id = ${id}`;
}

/**
 * Restarts a paused clock. The paused span is measured in the clock's own unit and given back in
 * that unit: working days and working hours stay on the calendar (a pause over a weekend gives
 * nothing back; one working day paused gives one working day back).
 */
export async function resumeDeadline(tx: Tx, calendar: WorkingCalendar, row: DeadlineRow, at: Date): Promise<DeadlineRow> {
  const unit = clockUnit(row);
  const span = calendar.pausedSpan(row.pausedAt ?? at, at, unit);
  const dueAt = calendar.giveBack(row.dueAt, span, unit);
  const warnAt = calendar.giveBack(row.warnAt, span, unit);
  const provisional = row.provisional || calendar.countsProvisionalDays(row.startedAt, dueAt, unit);
  const [updated] = await tx<DeadlineRow[]>`
    update deadlines set status = 'pending', paused_at = null, rev = ${row.rev + 1}, due_at = ${dueAt}, warn_at = ${warnAt},
      given_back_ms = given_back_ms + ${span}, provisional = ${provisional}
    where id = ${row.id} returning *`;
  return updated;
}

/** An approved extension moves the due time (and the 80 % warning with it). */
export async function extendDeadline(
  tx: Tx, calendar: WorkingCalendar, row: DeadlineRow, amount: number, unit: TimeUnit,
): Promise<DeadlineRow> {
  const dueAt = calendar.addDuration(row.dueAt, amount, unit);
  const warnAt = calendar.warnAt(row.startedAt, dueAt, clockUnit(row));
  const provisional = row.provisional || calendar.countsProvisionalDays(row.startedAt, dueAt, unit);
  const [updated] = await tx<DeadlineRow[]>`
    update deadlines set due_at = ${dueAt}, warn_at = ${warnAt}, rev = ${row.rev + 1}, provisional = ${provisional},
      extensions = extensions || ${jsonb(tx, [{ amount, unit }])}, warned_at = ${warnAt > row.dueAt ? null : row.warnedAt}
    where id = ${row.id} returning *`;
  return updated;
}

/**
 * A clock's unit. Rows written before the unit was stored were plain-time arithmetic (their
 * pauses were given back in milliseconds), so they keep it.
 */
function clockUnit(row: DeadlineRow): TimeUnit {
  return (row.unit as TimeUnit | null) ?? 'hours';
}

export async function markWarned(tx: Tx, id: string, at: Date): Promise<void> {
  await tx`update deadlines set warned_at = ${at} where id = ${id}`;
}

export async function caseOfDeadline(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx<{ caseId: string }[]>`select case_id from deadlines where id = ${id}`;
  return row?.caseId ?? null;
}

export async function lockDeadline(tx: Tx, id: string): Promise<DeadlineRow | null> {
  const [row] = await tx<DeadlineRow[]>`select * from deadlines where id = ${id} for update`;
  return row ?? null;
}
