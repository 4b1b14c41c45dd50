/**
 * Postgres is the source of truth for deadlines. The sweeper, at start-up and every sweep
 * interval, adds a wake-up job for each second of the horizon that holds a due time or a warning
 * owed (the job id is the second: a second add is a no-op), and wakes the workers at once when
 * anything is due already — after a Redis wipe, a wake-up that failed all its attempts, or an
 * outage. So a lost job costs at most one sweep interval, and nothing is ever lost: the workers
 * claim what is due from Postgres, not from the jobs.
 *
 * Its reads are index probes (deadline-store.ts): one per second found in the horizon, two for
 * "anything due already" — never a scan of the clocks; the same for the submissions' clocks
 * (src/submissions/submission-clock.ts), whose seconds share the wake-ups.
 */
import type { Sql } from '../../db/client.js';
import type { DeadlineQueue } from './deadline-queue.js';
import { anythingDue, dueSeconds } from './deadline-store.js';
import { anySubmissionDue, submissionDueSeconds } from '../submissions/submission-clock.js';

export interface SweepResult { seconds: number; dueAlready: boolean }

export async function sweepDeadlines(deps: {
  sql: Sql; queue: Pick<DeadlineQueue, 'wakeAt'>; horizonMs: number; now?: Date;
}): Promise<SweepResult> {
  const now = deps.now ?? new Date();
  const until = new Date(now.getTime() + deps.horizonMs);
  // The case clocks and the submissions' l0_verify clocks (src/submissions) share the wake-ups.
  const [caseSeconds, submissionSeconds, caseDue, submissionDue] = await Promise.all([
    dueSeconds(deps.sql, now, until), submissionDueSeconds(deps.sql, now, until), anythingDue(deps.sql, now), anySubmissionDue(deps.sql, now),
  ]);
  const seconds = [...new Map([...caseSeconds, ...submissionSeconds].map((s) => [s.getTime(), s])).values()];
  const dueAlready = caseDue || submissionDue;
  await deps.queue.wakeAt(seconds, { now: dueAlready });
  return { seconds: seconds.length, dueAlready };
}
