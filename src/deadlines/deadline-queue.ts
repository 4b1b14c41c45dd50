/**
 * BullMQ wakes the engine at each deadline's warning and due time. Jobs are small and safe to
 * run twice: their ids derive from the deadline and its revision, and the engine re-checks the
 * row under the case lock. Postgres is the source of truth; the sweeper rebuilds the queue.
 *
 * Only wake-ups within the horizon are queued; the sweeper adds later ones as they come near,
 * so the queue holds the next hour's work, not every deadline of the next weeks.
 *
 * Two backends: Redis (REDIS_URL) or BullMQ's Postgres backend (the zero-setup default).
 */
import { DelayedError, Queue, Worker, createPostgresBackend, withBackend, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Wakeup } from './deadline-store.js';

export interface DeadlineJob { deadlineId: string; rev: number; kind: 'warn' | 'due' }
export type FireDeadline = (deadlineId: string, rev: number, kind: 'warn' | 'due') => Promise<{ retryAt?: Date }>;

export type QueueBackendConfig =
  | { kind: 'redis'; url: string; prefix?: string }
  | { kind: 'postgres'; url: string; schema?: string };

export interface DeadlineQueue {
  backend: QueueBackendConfig['kind'];
  /** Adds the wake-up jobs; an id that is already queued is left as it is. */
  schedule(wakeups: Wakeup[]): Promise<void>;
  /** Starts a worker that fires deadlines; `close()` stops it. */
  startWorker(fire: FireDeadline, opts?: { concurrency?: number }): Worker<DeadlineJob>;
  ping(): Promise<void>;
  close(): Promise<void>;
  queue: Queue<DeadlineJob>;
}

/** A deadline job takes milliseconds; a worker that died mid-job gives its jobs back within ~20 s. */
const WORKER_LOCKS = { lockDuration: 15_000, stalledInterval: 5_000 };
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } };

function jobsFor(wakeups: Wakeup[], horizonMs: number, now = Date.now()) {
  return wakeups.flatMap((w) => {
    const jobs: { kind: DeadlineJob['kind']; at: Date }[] = [{ kind: 'due', at: w.dueAt }];
    if (!w.warnedAt && w.warnAt < w.dueAt) jobs.unshift({ kind: 'warn' as const, at: w.warnAt });
    return jobs.filter(({ at }) => at.getTime() <= now + horizonMs).map(({ kind, at }) => ({
      name: kind,
      data: { deadlineId: w.id, rev: w.rev, kind },
      opts: { ...JOB_OPTIONS, jobId: `${kind}-${w.id}-${w.rev}`, delay: Math.max(0, at.getTime() - now) },
    }));
  });
}

export function createDeadlineQueue(config: QueueBackendConfig, log: Logger, horizonMs: number, name = 'deadlines'): DeadlineQueue {
  const workers: Worker<DeadlineJob>[] = [];
  const redisClients: Redis[] = [];
  let queue: Queue<DeadlineJob>;
  let makeWorker: (processor: (job: Job<DeadlineJob>, token?: string) => Promise<void>, concurrency: number) => Worker<DeadlineJob>;

  if (config.kind === 'redis') {
    // Producers fail fast (the sweeper catches up); workers wait for Redis as long as it takes.
    const producer = new Redis(config.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    producer.on('error', (err) => log.warn({ err: err.message }, 'redis producer connection error'));
    redisClients.push(producer);
    queue = new Queue<DeadlineJob>(name, { connection: producer, prefix: config.prefix });
    makeWorker = (processor, concurrency) => {
      const connection = new Redis(config.url, { maxRetriesPerRequest: null });
      connection.on('error', (err) => log.warn({ err: err.message }, 'redis worker connection error'));
      redisClients.push(connection);
      return new Worker<DeadlineJob>(name, processor, { connection, prefix: config.prefix, concurrency, ...WORKER_LOCKS });
    };
  } else {
    const pg = withBackend(createPostgresBackend);
    const connection = { connectionString: config.url, schema: config.schema ?? 'bullmq', migrate: true, max: 4 };
    queue = new pg.Queue<DeadlineJob>(name, { connection }) as unknown as Queue<DeadlineJob>;
    makeWorker = (processor, concurrency) =>
      new pg.Worker<DeadlineJob>(name, processor, { connection, concurrency, ...WORKER_LOCKS }) as unknown as Worker<DeadlineJob>;
  }

  return {
    backend: config.kind,
    queue,
    async schedule(wakeups) {
      const jobs = jobsFor(wakeups, horizonMs);
      if (jobs.length > 0) await queue.addBulk(jobs);
    },
    startWorker(fire, opts = {}) {
      const worker = makeWorker(async (job, token) => {
        const { retryAt } = await fire(job.data.deadlineId, job.data.rev, job.data.kind);
        if (retryAt) {
          await job.moveToDelayed(retryAt.getTime(), token);
          throw new DelayedError();
        }
      }, opts.concurrency ?? 8);
      worker.on('failed', (job, err) => log.error({ jobId: job?.id, err: err.message }, 'deadline job failed'));
      worker.on('error', (err) => log.warn({ err: err.message }, 'deadline worker error'));
      workers.push(worker);
      return worker;
    },
    async ping() {
      await queue.getJobCounts('delayed');
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await Promise.all(redisClients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
