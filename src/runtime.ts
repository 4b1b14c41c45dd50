/**
 * The composition root: wires the database, the calendar, the deadline queue, the engine and
 * the background loops. Every dependency is passed in from here; `serveHttp` adds the HTTP app
 * (a worker process does without it).
 */
import type { Logger } from 'pino';
import { connectDatabase, type Database } from '../db/client.js';
import { WorkingCalendar, type WorkingHours } from './calendar/working-calendar.js';
import { listCalendarOverrides } from './calendar/calendar-overrides.js';
import { createCaseEngine, type CaseEngine, type CaseEngineDeps } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue, type QueueBackendConfig } from './deadlines/deadline-queue.js';
import { sweepDeadlines } from './deadlines/deadline-sweeper.js';
import { eraseExpiredContacts } from './privacy/contact-retention.js';
import { deliverOutbox } from './notifications/outbox.js';
import type { AppDeps } from './http/app.js';
import { cached } from './cached.js';
import { loadRoutingRules } from './routing/routing-rules.js';
import { loadSlaPolicies } from './deadlines/sla-policies.js';
import { anchorDay, yesterdayInChina } from './cases/case-record.js';

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
  workerConcurrency?: number;
  /** PII_RETENTION_DAYS: contacts are erased this long after closure (by the workers' loop). */
  piiRetentionDays?: number;
}

export interface Runtime {
  engine: CaseEngine;
  /** What the engine was built from, for a second engine with its own clock (the demo's history). */
  engineDeps: CaseEngineDeps;
  database: Database;
  queue: DeadlineQueue;
  /** Re-reads the admin's calendar overrides. */
  reloadCalendar(): Promise<void>;
  /** Cached configuration, for the HTTP app to invalidate when an admin changes it. */
  settings: AppDeps['settings'];
  /** One sweep: re-adds wake-up jobs for pending deadlines within the horizon. */
  sweep(): Promise<number>;
  /** Stops the loops, the workers (running jobs finish), the queue, the outbox delivery, the pool; logs each step. */
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const database = connectDatabase(opts.databaseUrl);
  const horizonMs = opts.sweepHorizonMs ?? 3600_000;
  const queue = createDeadlineQueue(opts.queue, log, horizonMs, opts.queueName);

  let calendar = new WorkingCalendar(new Map(), opts.workingHours);
  async function reloadCalendar() {
    const days = await listCalendarOverrides(database.sql);
    calendar = new WorkingCalendar(new Map(days.map((d) => [d.day, d.kind])), opts.workingHours);
  }
  await reloadCalendar();

  // Notifications written by transitions close together are delivered in one batch.
  let delivering: Promise<unknown> = Promise.resolve();
  let batchPending = false;
  const deliver = () => {
    if (batchPending) return;
    batchPending = true;
    delivering = delivering
      .then(() => new Promise((r) => setTimeout(r, 50)))
      .then(() => { batchPending = false; return deliverOutbox({ sql: database.sql, log }); })
      .catch((err) => log.warn({ err: String(err) }, 'outbox delivery failed'));
  };

  const settings = {
    routingRules: cached(() => loadRoutingRules(database.sql), 5000),
    slaPolicies: cached(() => loadSlaPolicies(database.sql), 5000),
  };

  const engineDeps: CaseEngineDeps = {
    sql: database.sql,
    ...settings,
    calendar: () => calendar,
    // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
    wake: (wakeups) => queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will')),
    deliver,
  };
  const engine = createCaseEngine(engineDeps);

  const sweep = () => sweepDeadlines({ sql: database.sql, queue, horizonMs });
  const timers: NodeJS.Timeout[] = [];
  let worker: { close(): Promise<void> } | null = null;
  if (opts.runWorkers) {
    worker = queue.startWorker(engine.fireDeadline, { concurrency: opts.workerConcurrency });
    await sweep().catch((err) => log.warn({ err: String(err) }, 'start-up sweep failed'));
    // Yesterday's anchor over every case record's head: written once, by whichever worker comes first.
    const anchor = () => anchorDay(database.sql, yesterdayInChina(new Date())).catch((err) => log.warn({ err: String(err) }, 'daily anchor failed'));
    await anchor();
    timers.push(setInterval(() => {
      sweep().catch((err) => log.warn({ err: String(err) }, 'deadline sweep failed'));
      void anchor();
      reloadCalendar().catch((err) => log.warn({ err: String(err) }, 'calendar reload failed'));
      eraseExpiredContacts(database.sql, opts.piiRetentionDays ?? 1095)
        .catch((err) => log.warn({ err: String(err) }, 'contact retention failed'));
    }, opts.sweepIntervalMs ?? 60_000));
    timers.push(setInterval(deliver, opts.outboxIntervalMs ?? 5_000));
  }

  return {
    engine, engineDeps, database, queue, reloadCalendar, sweep,
    settings: { ...settings, reloadCalendar },
    async close() {
      timers.forEach(clearInterval);
      if (worker) {
        // BullMQ's close waits for the jobs in hand; a job it cannot finish goes back to the queue when its lock expires.
        await worker.close();
        log.info('停止 / stopped: deadline workers (running jobs finished)');
      }
      await queue.close();
      log.info('停止 / stopped: deadline queue');
      await delivering;
      await database.close();
      log.info('停止 / stopped: database pool');
    },
  };
}
