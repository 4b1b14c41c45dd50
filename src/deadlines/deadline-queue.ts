/**
 * BullMQ wakes the engine at each deadline's warning and due time. Jobs are small and safe to
 * run twice: their ids derive from the deadline and its revision, and the engine re-checks the
 * row under the case lock. Postgres is the source of truth; the sweeper rebuilds the queue.
 *
 * Only wake-ups within the horizon are queued; the sweeper adds later ones as they come near,
 * so the queue holds the next hour's work, not every deadline of the next weeks.
 *
 * Two backends: Redis (REDIS_URL) or BullMQ's Postgres backend (the zero-setup default).
 * A job carries the `traceparent` of the request or firing that scheduled it: its firing's span
 * continues that trace (README "Traces").
 */
import { DelayedError, type Queue, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueBackend } from '../workers/queue-backend.js';
import type { Wakeup } from './deadline-store.js';
import { SpanKind, continuing, currentTraceparent, inSpan } from '../observability/spans.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableReason } from '../../db/unavailable.js';

export type { QueueBackendConfig } from '../workers/queue-backend.js';

/** `traceparent`: the trace of the transition that started the clock, continued by the firing's span (none from the sweeper). */
export interface DeadlineJob { deadlineId: string; rev: number; kind: 'warn' | 'due'; traceparent?: string }
export type FireDeadline = (deadlineId: string, rev: number, kind: 'warn' | 'due') => Promise<{ retryAt?: Date }>;

export interface DeadlineQueue {
  backend: QueueBackend['kind'];
  /** Adds the wake-up jobs; an id that is already queued is left as it is. */
  schedule(wakeups: Wakeup[]): Promise<void>;
  /**
   * Jobs that used up their attempts. They stay queued as failed, and their fixed ids would turn
   * every later add into a no-op: the sweeper removes the ones whose deadline is still pending.
   */
  failedJobs(): Promise<{ jobId: string; data: DeadlineJob; attempts: number }[]>;
  removeJob(jobId: string): Promise<void>;
  /** Starts a worker that fires deadlines; `close()` stops it. */
  startWorker(fire: FireDeadline, opts?: { concurrency?: number }): Worker<DeadlineJob>;
  ping(): Promise<void>;
  queue: Queue<DeadlineJob>;
}

/** A deadline job takes milliseconds; a worker that died mid-job gives its jobs back within ~20 s. */
const WORKER_LOCKS = { lockDuration: 15_000, stalledInterval: 5_000 };
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } };

function jobsFor(wakeups: Wakeup[], horizonMs: number, now = Date.now()) {
  const traceparent = currentTraceparent();
  return wakeups.flatMap((w) => {
    const jobs: { kind: DeadlineJob['kind']; at: Date }[] = [{ kind: 'due', at: w.dueAt }];
    if (!w.warnedAt && w.warnAt < w.dueAt) jobs.unshift({ kind: 'warn' as const, at: w.warnAt });
    return jobs.filter(({ at }) => at.getTime() <= now + horizonMs).map(({ kind, at }) => ({
      name: kind,
      data: { deadlineId: w.id, rev: w.rev, kind, ...(traceparent ? { traceparent } : {}) },
      opts: { ...JOB_OPTIONS, jobId: `${kind}-${w.id}-${w.rev}`, delay: Math.max(0, at.getTime() - now) },
    }));
  });
}

/** The backend's `close()` closes this queue and its workers. */
export function createDeadlineQueue(backend: QueueBackend, log: Logger, horizonMs: number, name = 'deadlines'): DeadlineQueue {
  const queue = backend.queue<DeadlineJob>(name);

  return {
    backend: backend.kind,
    queue,
    async schedule(wakeups) {
      const jobs = jobsFor(wakeups, horizonMs);
      if (jobs.length > 0) await queue.addBulk(jobs);
    },
    async failedJobs() {
      const jobs = await queue.getFailed(0, JOB_OPTIONS.removeOnFail - 1);
      return jobs.filter(Boolean).map((j) => ({ jobId: j.id!, data: j.data, attempts: j.attemptsMade }));
    },
    async removeJob(jobId) {
      await queue.remove(jobId);
    },
    startWorker(fire, opts = {}) {
      const worker = backend.worker<DeadlineJob>(name, async (job, token) => {
        const attributes = { 'grievance.deadline_id': job.data.deadlineId, 'grievance.deadline_kind': job.data.kind, 'grievance.attempt': job.attemptsMade + 1 };
        const { retryAt } = await inSpan('deadline.fire', attributes, async (span) => {
          const fired = await fire(job.data.deadlineId, job.data.rev, job.data.kind).catch((err: unknown) => {
            // Postgres away: the job waits and tries again without spending an attempt (on the Postgres backend the move fails too, and the attempt counts).
            if (!isDatabaseUnavailable(err)) throw err;
            log.warn({ jobId: job.id, err: unavailableReason(err) }, 'database unavailable: deadline job delayed');
            return { retryAt: new Date(Date.now() + DATABASE_RETRY_AFTER_SECONDS * 1000) };
          });
          span.setAttribute('grievance.outcome', fired.retryAt ? 'later' : 'done');
          return fired;
        }, { kind: SpanKind.CONSUMER, parent: continuing(job.data.traceparent) });
        if (retryAt) {
          await job.moveToDelayed(retryAt.getTime(), token);
          throw new DelayedError();
        }
      }, { concurrency: opts.concurrency ?? 8, ...WORKER_LOCKS });
      worker.on('failed', (job, err) => log.error({ jobId: job?.id, err: err.message }, 'deadline job failed'));
      worker.on('error', (err) => log.warn({ err: err.message }, 'deadline worker error'));
      return worker;
    },
    async ping() {
      await queue.getJobCounts('delayed');
    },
  };
}
