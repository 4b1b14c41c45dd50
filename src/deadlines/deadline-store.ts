/**
 * Deadline rows: one per clock a state starts. Written in the case transition's transaction;
 * BullMQ jobs are only a way to be woken up at `warnAt` and `dueAt` (see deadline-queue.ts).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { deadlines } from '../../db/schema.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { DeadlineStep, Level, TimeUnit } from '../../workflows/case-machine.js';

export type DeadlineRow = typeof deadlines.$inferSelect;
export type DeadlineStatus = DeadlineRow['status'];

/** What the scheduler needs to set the wake-ups of one deadline revision. */
export type Wakeup = Pick<DeadlineRow, 'id' | 'rev' | 'dueAt' | 'warnAt' | 'warnedAt'>;

export interface ClockStart {
  caseId: string; step: DeadlineStep; level: Level; orgId: string;
  at: Date; amount: number; unit: TimeUnit;
}

export async function startDeadline(tx: Tx, calendar: WorkingCalendar, c: ClockStart): Promise<DeadlineRow> {
  const dueAt = calendar.addDuration(c.at, c.amount, c.unit);
  const warnAt = calendar.warnAt(c.at, dueAt, c.unit);
  const [row] = await tx.insert(deadlines).values({
    caseId: c.caseId, step: c.step, level: c.level, orgId: c.orgId, startedAt: c.at, dueAt, warnAt, status: 'pending',
  }).returning();
  return row;
}

/** The clock that is running or paused for the case, if any. */
export async function openDeadline(tx: Tx, caseId: string): Promise<DeadlineRow | null> {
  const [row] = await tx.select().from(deadlines)
    .where(and(eq(deadlines.caseId, caseId), inArray(deadlines.status, ['pending', 'paused'])))
    .orderBy(asc(deadlines.startedAt)).limit(1);
  return row ?? null;
}

export async function deadlinesOf(tx: Tx, caseId: string): Promise<DeadlineRow[]> {
  return tx.select().from(deadlines).where(eq(deadlines.caseId, caseId)).orderBy(asc(deadlines.startedAt), asc(deadlines.id));
}

export async function closeDeadline(tx: Tx, id: string, status: 'met' | 'missed' | 'cancelled', at: Date): Promise<void> {
  await tx.update(deadlines).set({ status, closedAt: at }).where(eq(deadlines.id, id));
}

export async function pauseDeadline(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(deadlines).set({ status: 'paused', pausedAt: at, rev: sql`${deadlines.rev} + 1` }).where(eq(deadlines.id, id));
}

/** Restarts a paused clock: the paused time is added back to the due and warning times. */
export async function resumeDeadline(tx: Tx, row: DeadlineRow, at: Date): Promise<DeadlineRow> {
  const pausedMs = at.getTime() - (row.pausedAt ?? at).getTime();
  const [updated] = await tx.update(deadlines).set({
    status: 'pending', pausedAt: null, rev: row.rev + 1,
    dueAt: new Date(row.dueAt.getTime() + pausedMs), warnAt: new Date(row.warnAt.getTime() + pausedMs),
  }).where(eq(deadlines.id, row.id)).returning();
  return updated;
}

/** An approved extension moves the due time (and the 80 % warning with it). */
export async function extendDeadline(
  tx: Tx, calendar: WorkingCalendar, row: DeadlineRow, amount: number, unit: TimeUnit,
): Promise<DeadlineRow> {
  const dueAt = calendar.addDuration(row.dueAt, amount, unit);
  const warnAt = calendar.warnAt(row.startedAt, dueAt, unit);
  const [updated] = await tx.update(deadlines).set({
    dueAt, warnAt, rev: row.rev + 1, warnedAt: warnAt > row.dueAt ? null : row.warnedAt,
  }).where(eq(deadlines.id, row.id)).returning();
  return updated;
}

export async function markWarned(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(deadlines).set({ warnedAt: at }).where(eq(deadlines.id, id));
}

export async function lockDeadline(tx: Tx, id: string): Promise<DeadlineRow | null> {
  const [row] = await tx.select().from(deadlines).where(eq(deadlines.id, id)).for('update');
  return row ?? null;
}
