/**
 * The composition root: wires the database, the calendar, the deadline queue, the engine and
 * the background loops. Every dependency is passed in from here; `serveHttp` adds the HTTP app
 * (a worker process does without it).
 */
import type { Logger } from 'pino';
import { connectDatabase, type Database } from '../db/client.js';
import type { WorkingHours } from './calendar/working-calendar.js';
import { createCalendarSource } from './calendar/calendar-years.js';
import { createCaseEngine, type CaseEngine, type CaseEngineDeps } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue, type QueueBackendConfig } from './deadlines/deadline-queue.js';
import { sweepDeadlines } from './deadlines/deadline-sweeper.js';
import { deliverOutbox } from './notifications/outbox.js';
import type { AppDeps } from './http/app.js';
import { cached } from './cached.js';
import { loadRoutingRules } from './routing/routing-rules.js';
import { loadSlaPolicies, reportDefaults } from './deadlines/sla-policies.js';
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
}

export interface Runtime {
  engine: CaseEngine;
  database: Database;
  queue: DeadlineQueue;
  /** Re-reads the admin's calendar overrides and loaded years; recomputes provisional deadlines when a year became known. */
  reloadCalendar(): Promise<{ recomputed: number }>;
  /** Cached configuration, for the HTTP app to invalidate when an admin changes it. */
  settings: AppDeps['settings'];
  /** One sweep: re-adds wake-up jobs for pending deadlines within the horizon. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const database = connectDatabase(opts.databaseUrl);
  const horizonMs = opts.sweepHorizonMs ?? 3600_000;
  const queue = createDeadlineQueue(opts.queue, log, horizonMs, opts.queueName);

  // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
  const wake: CaseEngineDeps['wake'] = (wakeups) => queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will'));
  const calendar = createCalendarSource({ sql: database.sql, hours: opts.workingHours, wake, log });
  const reloadCalendar = calendar.reload;
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

  const noteDefaults = reportDefaults(log);
  const settings = {
    routingRules: cached(() => loadRoutingRules(database.sql), 5000),
    slaPolicies: cached(() => loadSlaPolicies(database.sql).then(noteDefaults), 5000),
  };

  const engine = createCaseEngine({
    sql: database.sql,
    ...settings,
    calendar: calendar.current,
    wake,
    deliver,
  });

  const sweep = () => sweepDeadlines({ sql: database.sql, queue, horizonMs });
  const timers: NodeJS.Timeout[] = [];
  if (opts.runWorkers) {
    queue.startWorker(engine.fireDeadline, { concurrency: opts.workerConcurrency });
    await sweep().catch((err) => log.warn({ err: String(err) }, 'start-up sweep failed'));
    // Yesterday's anchor over every case record's head: written once, by whichever worker comes first.
    const anchor = () => anchorDay(database.sql, yesterdayInChina(new Date())).catch((err) => log.warn({ err: String(err) }, 'daily anchor failed'));
    await anchor();
    timers.push(setInterval(() => {
      sweep().catch((err) => log.warn({ err: String(err) }, 'deadline sweep failed'));
      void anchor();
      reloadCalendar().catch((err) => log.warn({ err: String(err) }, 'calendar reload failed'));
    }, opts.sweepIntervalMs ?? 60_000));
    timers.push(setInterval(deliver, opts.outboxIntervalMs ?? 5_000));
  }

  return {
    engine, database, queue, reloadCalendar, sweep,
    settings: { ...settings, reloadCalendar },
    async close() {
      timers.forEach(clearInterval);
      await queue.close();
      await delivering;
      await database.close();
    },
  };
}
