/**
 * Postgres is the source of truth for deadlines. The sweeper, at start-up and every sweep
 * interval, adds a wake-up job for each second of the horizon that holds a due time or a warning
 * owed (the job id is the second: a second add is a no-op), and wakes the workers at once when
 * anything is due already — after a Redis wipe, a wake-up that failed all its attempts, or an
 * outage. So a lost job costs at most one sweep interval, and nothing is ever lost: the workers
 * claim what is due from Postgres, not from the jobs.
 *
 * Its reads are index probes (deadline-store.ts): one per second found in the horizon, two for
 * "anything due already" — never a scan of the clocks.
 */
import type { Sql } from '../../db/client.js';
import type { DeadlineQueue } from './deadline-queue.js';
import { anythingDue, dueSeconds } from './deadline-store.js';

export interface SweepResult { seconds: number; dueAlready: boolean }

export async function sweepDeadlines(deps: {
  sql: Sql; queue: Pick<DeadlineQueue, 'wakeAt'>; horizonMs: number; now?: Date;
}): Promise<SweepResult> {
  const now = deps.now ?? new Date();
  const [seconds, dueAlready] = await Promise.all([
    dueSeconds(deps.sql, now, new Date(now.getTime() + deps.horizonMs)), anythingDue(deps.sql, now),
  ]);
  await deps.queue.wakeAt(seconds, { now: dueAlready });
  return { seconds: seconds.length, dueAlready };
}
