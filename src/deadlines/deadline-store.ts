/**
 * Deadline rows: one per clock a state starts. Written in the case transition's transaction;
 * BullMQ jobs are only a way to be woken up at `warnAt` and `dueAt` (see deadline-queue.ts).
 */
import type { Tx } from '../../db/client.js';
import type { deadlines } from '../../db/schema.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { DeadlineStep, Level, TimeUnit } from '../../workflows/case-machine.js';

export type DeadlineRow = typeof deadlines.$inferSelect;
export type DeadlineStatus = DeadlineRow['status'];

/** What the scheduler needs to set the wake-ups of one deadline revision. */
export type Wakeup = Pick<DeadlineRow, 'id' | 'rev' | 'dueAt' | 'warnAt' | 'warnedAt'>;

/** A clock about to start: its step, who owes it, and when it warns and falls due. */
export interface ClockPlan { step: DeadlineStep; level: Level; orgId: string; startedAt: Date; dueAt: Date; warnAt: Date }

export function planClock(
  calendar: WorkingCalendar, c: { step: DeadlineStep; level: Level; orgId: string; at: Date; amount: number; unit: TimeUnit },
): ClockPlan {
  const dueAt = calendar.addDuration(c.at, c.amount, c.unit);
  return { step: c.step, level: c.level, orgId: c.orgId, startedAt: c.at, dueAt, warnAt: calendar.warnAt(c.at, dueAt, c.unit) };
}

export async function startDeadline(tx: Tx, caseId: string, c: ClockPlan): Promise<DeadlineRow> {
  const [row] = await tx<DeadlineRow[]>`
    insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status)
    values (${caseId}, ${c.step}, ${c.level}, ${c.orgId}, ${c.startedAt}, ${c.dueAt}, ${c.warnAt}, 'pending') returning *`;
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

/** Restarts a paused clock: the paused time is added back to the due and warning times. */
export async function resumeDeadline(tx: Tx, row: DeadlineRow, at: Date): Promise<DeadlineRow> {
  const pausedMs = at.getTime() - (row.pausedAt ?? at).getTime();
  const [updated] = await tx<DeadlineRow[]>`
    update deadlines set status = 'pending', paused_at = null, rev = ${row.rev + 1},
      due_at = ${new Date(row.dueAt.getTime() + pausedMs)}, warn_at = ${new Date(row.warnAt.getTime() + pausedMs)}
    where id = ${row.id} returning *`;
  return updated;
}

/** An approved extension moves the due time (and the 80 % warning with it). */
export async function extendDeadline(
  tx: Tx, calendar: WorkingCalendar, row: DeadlineRow, amount: number, unit: TimeUnit,
): Promise<DeadlineRow> {
  const dueAt = calendar.addDuration(row.dueAt, amount, unit);
  const warnAt = calendar.warnAt(row.startedAt, dueAt, unit);
  const [updated] = await tx<DeadlineRow[]>`
    update deadlines set due_at = ${dueAt}, warn_at = ${warnAt}, rev = ${row.rev + 1},
      warned_at = ${warnAt > row.dueAt ? null : row.warnedAt}
    where id = ${row.id} returning *`;
  return updated;
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
