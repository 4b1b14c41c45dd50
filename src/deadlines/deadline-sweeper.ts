/**
 * Postgres is the source of truth for deadlines. The sweeper, at start-up and every minute,
 * re-adds the wake-up jobs of every pending deadline due (or warning) within the horizon —
 * deterministic job ids make a second add a no-op — so a Redis wipe or a lost job costs at most
 * one sweep interval. Deadlines already past due get a job with no delay: they fire at once.
 *
 * A job that failed all its attempts is still in the queue under its fixed id, so a plain re-add
 * would do nothing and that deadline would never fire: the sweeper first removes such a job when
 * its deadline (same revision) is still pending, logs it with the case id and counts it, and the
 * scan below adds it afresh.
 */
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { Wakeup } from './deadline-store.js';

const BATCH = 1000;

export interface SweepResult { scheduled: number; rearmed: number }

export async function sweepDeadlines(deps: {
  sql: Sql; queue: Pick<DeadlineQueue, 'schedule' | 'failedJobs' | 'removeJob'>; horizonMs: number; log: Logger; now?: Date;
}): Promise<SweepResult> {
  const rearmed = await rearmFailed(deps);
  const until = new Date((deps.now ?? new Date()).getTime() + deps.horizonMs);
  let after = '00000000-0000-0000-0000-000000000000';
  let scheduled = 0;
  for (;;) {
    const batch = await deps.sql<Wakeup[]>`
      select id, rev, due_at, warn_at, warned_at from deadlines
      where status = 'pending' and (due_at <= ${until} or (warned_at is null and warn_at <= ${until})) and id > ${after}
      order by id limit ${BATCH}`;
    if (batch.length === 0) return { scheduled, rearmed };
    await deps.queue.schedule(batch);
    scheduled += batch.length;
    after = batch[batch.length - 1].id;
  }
}

async function rearmFailed(deps: { sql: Sql; queue: Pick<DeadlineQueue, 'failedJobs' | 'removeJob'>; log: Logger }): Promise<number> {
  const failed = await deps.queue.failedJobs();
  if (failed.length === 0) return 0;
  const rows = await deps.sql<{ id: string; rev: number; caseId: string; step: string; warnedAt: Date | null }[]>`
    select id, rev, case_id, step, warned_at from deadlines
    where status = 'pending' and id = any(${failed.map((f) => f.data.deadlineId)}::uuid[])`;
  const pending = new Map(rows.map((r) => [r.id, r]));
  let rearmed = 0;
  for (const job of failed) {
    const deadline = pending.get(job.data.deadlineId);
    // A stale revision, a deadline met since, or a warning already given: nothing left to fire.
    if (!deadline || deadline.rev !== job.data.rev || (job.data.kind === 'warn' && deadline.warnedAt)) continue;
    await deps.queue.removeJob(job.jobId);
    rearmed++;
    deps.log.error({ caseId: deadline.caseId, deadlineId: deadline.id, step: deadline.step, kind: job.data.kind, attempts: job.attempts },
      'deadline job failed all its attempts; re-armed by the sweeper');
  }
  return rearmed;
}
