/**
 * Postgres is the source of truth for deadlines. The sweeper, at start-up and every minute,
 * re-adds the wake-up jobs of every pending deadline due (or warning) within the horizon —
 * deterministic job ids make a second add a no-op — so a Redis wipe or a lost job costs at most
 * one sweep interval. Deadlines already past due get a job with no delay: they fire at once.
 */
import { and, asc, eq, gt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { deadlines } from '../../db/schema.js';
import type { DeadlineQueue } from './deadline-queue.js';

const BATCH = 1000;

export async function sweepDeadlines(deps: { db: Db; queue: Pick<DeadlineQueue, 'schedule'>; horizonMs: number; now?: Date }): Promise<number> {
  const until = new Date((deps.now ?? new Date()).getTime() + deps.horizonMs);
  const wakesBefore = or(lte(deadlines.dueAt, until), and(sql`${deadlines.warnedAt} is null`, lte(deadlines.warnAt, until)));
  let after = '00000000-0000-0000-0000-000000000000';
  let scheduled = 0;
  for (;;) {
    const batch = await deps.db.select({
      id: deadlines.id, rev: deadlines.rev, dueAt: deadlines.dueAt, warnAt: deadlines.warnAt, warnedAt: deadlines.warnedAt,
    }).from(deadlines)
      .where(and(eq(deadlines.status, 'pending'), wakesBefore, gt(deadlines.id, after)))
      .orderBy(asc(deadlines.id)).limit(BATCH);
    if (batch.length === 0) return scheduled;
    await deps.queue.schedule(batch);
    scheduled += batch.length;
    after = batch[batch.length - 1].id;
  }
}
