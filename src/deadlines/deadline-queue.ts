/**
 * BullMQ wakes the workers at the seconds that hold a warning or a due time: one wake-up job per
 * second (its id is the second, so a second add is a no-op), never one job per clock — Redis holds
 * at most one job per second of the horizon, whatever the number of clocks. The job's worker
 * claims the cases due from Postgres in groups (`claimDueCases`, skip locked; two claims in
 * flight) and fires them through the one writer, again and again through its second, then until
 * nothing is due.
 *
 * Postgres is the source of truth: a lost or failed wake-up costs at most one sweep interval (the
 * sweeper, deadline-sweeper.ts, adds the horizon's seconds again and wakes the workers at once when
 * anything is due already).
 *
 * Only wake-ups within the horizon are queued; the sweeper adds later ones as they come near.
 * Two backends: Redis (REDIS_URL) or BullMQ's Postgres backend (the zero-setup default).
 */
import { DelayedError, type Queue, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueBackend } from '../workers/queue-backend.js';
import { owesWarning, type FiredGroup, type Wakeup } from './deadline-store.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableReason } from '../../db/unavailable.js';

export type { QueueBackendConfig } from '../workers/queue-backend.js';

/** A wake-up: the second it is for (ms since the epoch, a whole second). */
export interface WakeupJob { second: number }
/** Claims up to `limit` due cases (but none of `exclude`) and fires each one's first due event (the engine's `fireDue`). */
export type FireDue = (limit: number, exclude: string[]) => Promise<FiredGroup>;

export interface DeadlineQueue {
  backend: QueueBackend['kind'];
  /** Wake-ups at the seconds of these clocks' warning and due times, within the horizon. */
  schedule(wakeups: Wakeup[]): Promise<void>;
  /** Wake-ups at these seconds (the sweeper's), and one at once when `now` is set. */
  wakeAt(seconds: Date[], opts?: { now?: boolean }): Promise<void>;
  /** Starts a worker that fires what is due when woken; `close()` stops it. */
  startWorker(fire: FireDue, opts?: { concurrency?: number }): Worker<WakeupJob>;
  ping(): Promise<void>;
  queue: Queue<WakeupJob>;
}

/** A wake-up takes milliseconds to seconds; a worker that died mid-job gives it back within ~20 s. */
const WORKER_LOCKS = { lockDuration: 15_000, stalledInterval: 5_000 };
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } };
/** Between two empty claims within the job's second: what is due later in that second waits at most this long. */
const POLL_MS = 50;
/** A job that has drained this long hands over to a fresh wake-up, so that no job runs for ever under a backlog. */
const MAX_DRAIN_MS = 20_000;
/**
 * Cases per claim: doubled while claims come back full (a backlog), halved when they do not. A
 * group commits together, so its first case waits for its last: 16 keeps that under ~100 ms of
 * work while one commit still carries many transitions.
 */
const GROUP = { min: 4, max: 16 };
/** Claims in flight per wake-up: one group in Postgres while the next is planned in Node. */
const LOOPS = 2;
/**
 * Wake-ups a process runs at once (LOOPS claims each). Measured at the 1 M peak (500 due/s): 4 gave
 * 413/s with one worker and 224/s with two, 2 gave 345/s and 183/s — a second worker on 2 cores
 * costs more Postgres per escalation either way (README, "A province and beyond").
 */
const WAKEUPS_AT_ONCE = 4;

const secondOf = (at: Date | number) => Math.floor(new Date(at).getTime() / 1000) * 1000;

/** The backend's `close()` closes this queue and its workers. */
export function createDeadlineQueue(backend: QueueBackend, log: Logger, horizonMs: number, name = 'deadlines'): DeadlineQueue {
  const queue = backend.queue<WakeupJob>(name);
  /** Future seconds this process has already queued: the writer's every commit need not call Redis again. */
  const queued = new Set<number>();

  async function add(seconds: number[], extra: { id: string; second: number }[] = []) {
    const now = Date.now();
    for (const s of queued) if (s < now) queued.delete(s);
    const fresh = [...new Set(seconds)].filter((s) => !queued.has(s));
    const jobs = [...fresh.map((s) => ({ id: `tick-${s}`, second: s })), ...extra].map(({ id, second }) => ({
      name: 'wake', data: { second }, opts: { ...JOB_OPTIONS, jobId: id, delay: Math.max(0, second - now) },
    }));
    if (jobs.length === 0) return;
    await queue.addBulk(jobs);
    // Only seconds still ahead are remembered: a past second's job may have run already, and is added again.
    for (const s of fresh) if (s > now + 1000) queued.add(s);
  }

  /** Fires what is due: through the job's second, then until a claim comes back empty (LOOPS claims at a time). */
  async function drain(job: WakeupJob, fire: FireDue): Promise<'done' | 'handed-over'> {
    const started = Date.now();
    // A case whose transition failed is left out for the rest of this job: tried again at the next wake-up, not in a loop.
    const failed: string[] = [];
    const outcomes = await Promise.all(Array.from({ length: LOOPS }, () => claimUntilEmpty(job, fire, started, failed)));
    return outcomes.includes('handed-over') ? 'handed-over' : 'done';
  }

  async function claimUntilEmpty(job: WakeupJob, fire: FireDue, started: number, failed: string[]): Promise<'done' | 'handed-over'> {
    let limit = GROUP.min;
    for (;;) {
      const group = await fire(limit, failed);
      for (const f of group.failed) {
        failed.push(f.caseId);
        log.error({ caseId: f.caseId, err: String(f.err) }, 'a due clock\'s transition failed; tried again at the next wake-up');
      }
      const full = group.claimed === limit;
      limit = full ? Math.min(limit * 2, GROUP.max) : Math.max(limit / 2, GROUP.min);
      const now = Date.now();
      if (now - started > MAX_DRAIN_MS) return 'handed-over';
      if (group.claimed > 0) continue;
      if (now >= job.second + 1000) return 'done';
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, job.second + 1000 - now)));
    }
  }

  return {
    backend: backend.kind,
    queue,
    async schedule(wakeups) {
      const until = Date.now() + horizonMs;
      const times = wakeups.flatMap((w) => [...(owesWarning(w) ? [w.warnAt] : []), w.dueAt]).filter((t) => t.getTime() <= until);
      await add(times.map(secondOf));
    },
    async wakeAt(seconds, opts = {}) {
      const now = Date.now();
      // The sweeper's adds are never skipped by the memory of this process: after a Redis wipe that memory is wrong.
      for (const s of seconds) queued.delete(s.getTime());
      await add(seconds.map(secondOf), opts.now ? [{ id: `tick-now-${now}-${Math.random().toString(36).slice(2, 8)}`, second: now }] : []);
    },
    startWorker(fire, opts = {}) {
      const worker = backend.worker<WakeupJob>(name, async (job, token) => {
        const outcome = await drain(job.data, fire).catch((err: unknown) => {
          // Postgres away: the wake-up waits and tries again without spending an attempt (on the Postgres backend the move fails too, and the attempt counts).
          if (!isDatabaseUnavailable(err)) throw err;
          log.warn({ jobId: job.id, err: unavailableReason(err) }, 'database unavailable: deadline wake-up delayed');
          return 'unavailable' as const;
        });
        if (outcome === 'handed-over') await add([], [{ id: `tick-now-${Date.now()}-${job.id}`, second: Date.now() }]);
        if (outcome === 'unavailable') {
          await job.moveToDelayed(Date.now() + DATABASE_RETRY_AFTER_SECONDS * 1000, token);
          throw new DelayedError();
        }
      }, { concurrency: opts.concurrency ?? WAKEUPS_AT_ONCE, ...WORKER_LOCKS });
      worker.on('failed', (job, err) => log.error({ jobId: job?.id, err: err.message }, 'deadline wake-up failed'));
      worker.on('error', (err) => log.warn({ err: err.message }, 'deadline worker error'));
      return worker;
    },
    async ping() {
      await queue.getJobCounts('delayed');
    },
  };
}
