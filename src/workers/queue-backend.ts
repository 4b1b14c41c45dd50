/**
 * BullMQ queues and workers on either backend: Redis (REDIS_URL) or BullMQ's Postgres backend
 * (the zero-setup default). The deadline queue and the export queue share this; connections
 * made here are closed here (BullMQ does not close connections it is given).
 */
import { Queue, Worker, createPostgresBackend, withBackend, type Job, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type QueueBackendConfig =
  | { kind: 'redis'; url: string; prefix?: string }
  | { kind: 'postgres'; url: string; schema?: string };

export type Processor<T> = (job: Job<T>, token?: string) => Promise<void>;
type WorkerSettings = Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'>;

export interface QueueBackend {
  kind: QueueBackendConfig['kind'];
  queue<T>(name: string): Queue<T>;
  worker<T>(name: string, processor: Processor<T>, settings: WorkerSettings): Worker<T>;
  /** Closes the workers, then the queues, then the connections. */
  close(): Promise<void>;
}

/** A queue's jobs by state, for admins (`GET /api/v1/queues`). */
export interface QueueCounts { name: string; waiting: number; delayed: number; failed: number }

/** `waiting` counts the jobs in hand too (BullMQ's `active`). */
export async function countJobs(name: string, queue: Queue<any>): Promise<QueueCounts> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
  return { name, waiting: (c.waiting ?? 0) + (c.active ?? 0), delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
}

export function createQueueBackend(config: QueueBackendConfig, log: Logger): QueueBackend {
  const queues: Queue[] = [];
  const workers: Worker[] = [];
  const redisClients: Redis[] = [];
  const track = <Q>(list: Q[], item: Q) => (list.push(item), item);
  /** A queue's connection errors go to our log (without a listener BullMQ writes them to stderr). */
  const listened = (queue: Queue) => queue.on('error', (err) => log.warn({ queue: queue.name, err: err.message }, 'queue connection error'));

  if (config.kind === 'redis') {
    // Producers fail fast (the sweepers catch up); workers wait for Redis as long as it takes.
    let producer: Redis | null = null;
    const producerConnection = () => {
      if (!producer) {
        producer = track(redisClients, new Redis(config.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false }));
        producer.on('error', (err) => log.warn({ err: err.message }, 'redis producer connection error'));
      }
      return producer;
    };
    return {
      kind: 'redis',
      queue: <T>(name: string) => track(queues, listened(new Queue<T>(name, { connection: producerConnection(), prefix: config.prefix }) as Queue)),
      worker: <T>(name: string, processor: Processor<T>, settings: WorkerSettings) => {
        const connection = track(redisClients, new Redis(config.url, { maxRetriesPerRequest: null }));
        connection.on('error', (err) => log.warn({ err: err.message }, 'redis worker connection error'));
        return track(workers, new Worker<T>(name, processor, { connection, prefix: config.prefix, ...settings }) as Worker) as Worker<T>;
      },
      close: () => closeAll(),
    } as QueueBackend;
  }

  const pg = withBackend(createPostgresBackend);
  const connection = { connectionString: config.url, schema: config.schema ?? 'bullmq', migrate: true, max: 4 };
  return {
    kind: 'postgres',
    queue: <T>(name: string) => track(queues, listened(new pg.Queue<T>(name, { connection }) as unknown as Queue)),
    worker: <T>(name: string, processor: Processor<T>, settings: WorkerSettings) =>
      track(workers, new pg.Worker<T>(name, processor, { connection, ...settings }) as unknown as Worker) as Worker<T>,
    close: () => closeAll(),
  } as QueueBackend;

  async function closeAll() {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(queues.map((q) => q.close()));
    await Promise.all(redisClients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
