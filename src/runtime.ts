/**
 * The composition root: wires the database, the calendar, the queues (deadlines, exports), the
 * file storage, the engine and the background loops. Every dependency is passed in from here;
 * `serveHttp` adds the HTTP app (a worker process does without it).
 *
 * Every process delivers the notifications its own transitions wrote, right after commit.
 * With `runWorkers` a process also fires deadlines, runs export jobs, polls the outbox for the
 * rest, and every sweep interval re-arms deadline jobs and maintains export jobs. Any number of
 * such processes may run on one Postgres and one Redis.
 */
import type { Logger } from 'pino';
import { connectDatabase, type Database } from '../db/client.js';
import { WorkingCalendar, type WorkingHours } from './calendar/working-calendar.js';
import { listCalendarOverrides } from './calendar/calendar-overrides.js';
import { createCaseEngine, type CaseEngine } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue } from './deadlines/deadline-queue.js';
import { sweepDeadlines, type SweepResult } from './deadlines/deadline-sweeper.js';
import { createOutboxDelivery, type DeliveryOptions, type OutboxDelivery } from './notifications/outbox.js';
import { createExportJobs, type ExportJobs, type ExportLimits } from './meetings/export-jobs.js';
import { createFileStorage, type StorageConfig } from './storage/file-storage.js';
import { createQueueBackend, type QueueBackendConfig } from './workers/queue-backend.js';
import type { AppDeps } from './http/app.js';
import { cached } from './cached.js';
import { loadRoutingRules } from './routing/routing-rules.js';
import { loadSlaPolicies } from './deadlines/sla-policies.js';

export interface RuntimeOptions {
  databaseUrl: string;
  queue: QueueBackendConfig;
  queueName?: string;
  adminToken: string;
  logger: Logger;
  workingHours?: WorkingHours;
  runWorkers: boolean;
  sweepHorizonMs?: number;
  sweepIntervalMs?: number;
  outboxIntervalMs?: number;
  /** Timeout, per-receiver concurrency and parking of webhook deliveries. */
  delivery?: Omit<DeliveryOptions, 'sql' | 'log'>;
  workerConcurrency?: number;
  /** Where export files go; default a local `.data/exports`. */
  storage?: StorageConfig;
  exportLimits?: Partial<ExportLimits>;
}

export interface Runtime {
  engine: CaseEngine;
  database: Database;
  queue: DeadlineQueue;
  exports: ExportJobs;
  delivery: OutboxDelivery;
  /** Deadline jobs that had failed all their attempts and were re-armed, since start. */
  counters: { deadlineJobsRearmed: number };
  /** Re-reads the admin's calendar overrides. */
  reloadCalendar(): Promise<void>;
  /** Cached configuration, for the HTTP app to invalidate when an admin changes it. */
  settings: AppDeps['settings'];
  /** One sweep: re-arms failed deadline jobs, re-adds wake-up jobs for pending deadlines within the horizon. */
  sweep(): Promise<SweepResult>;
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const database = connectDatabase(opts.databaseUrl);
  const horizonMs = opts.sweepHorizonMs ?? 3600_000;
  const backend = createQueueBackend(opts.queue, log);
  const queue = createDeadlineQueue(backend, log, horizonMs, opts.queueName);
  const storage = createFileStorage(opts.storage ?? { kind: 'local', dir: '.data/exports' });
  const exports = createExportJobs({
    sql: database.sql, storage, backend, log, limits: opts.exportLimits,
    queueName: opts.queueName ? `${opts.queueName}-exports` : undefined,
  });

  let calendar = new WorkingCalendar(new Map(), opts.workingHours);
  async function reloadCalendar() {
    const days = await listCalendarOverrides(database.sql);
    calendar = new WorkingCalendar(new Map(days.map((d) => [d.day, d.kind])), opts.workingHours);
  }
  await reloadCalendar();

  // Sends happen outside any transaction; kick() never waits for a receiver.
  const delivery = createOutboxDelivery({ sql: database.sql, log, ...opts.delivery });

  const settings = {
    routingRules: cached(() => loadRoutingRules(database.sql), 5000),
    slaPolicies: cached(() => loadSlaPolicies(database.sql), 5000),
  };

  const engine = createCaseEngine({
    sql: database.sql,
    ...settings,
    calendar: () => calendar,
    // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
    wake: (wakeups) => queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will')),
    deliver: () => delivery.kick(),
  });

  const counters = { deadlineJobsRearmed: 0 };
  const sweep = async () => {
    const result = await sweepDeadlines({ sql: database.sql, queue, horizonMs, log });
    counters.deadlineJobsRearmed += result.rearmed;
    return result;
  };
  const maintain = async () => {
    await sweep().catch((err) => log.warn({ err: String(err) }, 'deadline sweep failed'));
    await exports.maintain().catch((err) => log.warn({ err: String(err) }, 'export maintenance failed'));
  };
  const sweepIntervalMs = opts.sweepIntervalMs ?? 60_000;
  // Every process, API replicas too: an admin's calendar change made on another replica arrives here.
  const timers: NodeJS.Timeout[] = [setInterval(() => {
    reloadCalendar().catch((err) => log.warn({ err: String(err) }, 'calendar reload failed'));
  }, sweepIntervalMs)];
  if (opts.runWorkers) {
    queue.startWorker(engine.fireDeadline, { concurrency: opts.workerConcurrency });
    exports.startWorker();
    await maintain();
    timers.push(setInterval(() => void maintain(), sweepIntervalMs));
    timers.push(setInterval(() => delivery.kick(), opts.outboxIntervalMs ?? 5_000));
    delivery.kick();
  }

  return {
    engine, database, queue, exports, delivery, counters, reloadCalendar, sweep,
    settings: { ...settings, reloadCalendar },
    async close() {
      timers.forEach(clearInterval);
      await delivery.close();
      await backend.close();
      await database.close();
    },
  };
}
