/**
 * The composition root: wires the database, the calendar, the deadline queue, the engine,
 * the HTTP app and the background loops. Every dependency is passed in from here.
 */
import type { Logger } from 'pino';
import { connectDatabase, type Database } from '../db/client.js';
import { WorkingCalendar, type DayKind, type WorkingHours } from './calendar/working-calendar.js';
import { createCaseEngine, type CaseEngine } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue, type QueueBackendConfig } from './deadlines/deadline-queue.js';
import { sweepDeadlines } from './deadlines/deadline-sweeper.js';
import { buildApp, type App } from './http/app.js';
import { deliverOutbox } from './notifications/outbox.js';
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
  workerConcurrency?: number;
}

export interface Runtime {
  app: App;
  engine: CaseEngine;
  database: Database;
  queue: DeadlineQueue;
  /** Re-reads the admin's calendar overrides. */
  reloadCalendar(): Promise<void>;
  /** One sweep: re-adds wake-up jobs for pending deadlines within the horizon. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const database = connectDatabase(opts.databaseUrl);
  const horizonMs = opts.sweepHorizonMs ?? 3600_000;
  const queue = createDeadlineQueue(opts.queue, log, horizonMs, opts.queueName);

  let calendar = new WorkingCalendar(new Map(), opts.workingHours);
  async function reloadCalendar() {
    const rows = await database.sql<{ day: string; kind: DayKind }[]>`select day::text, kind from calendar_overrides`;
    calendar = new WorkingCalendar(new Map(rows.map((r) => [r.day, r.kind])), opts.workingHours);
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

  const engine = createCaseEngine({
    sql: database.sql,
    ...settings,
    calendar: () => calendar,
    // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
    wake: (wakeups) => queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will')),
    deliver,
  });

  const sweep = () => sweepDeadlines({ sql: database.sql, queue, horizonMs });
  const timers: NodeJS.Timeout[] = [];
  if (opts.runWorkers) {
    queue.startWorker(engine.fireDeadline, { concurrency: opts.workerConcurrency });
    await sweep().catch((err) => log.warn({ err: String(err) }, 'start-up sweep failed'));
    timers.push(setInterval(() => {
      sweep().catch((err) => log.warn({ err: String(err) }, 'deadline sweep failed'));
      reloadCalendar().catch((err) => log.warn({ err: String(err) }, 'calendar reload failed'));
    }, opts.sweepIntervalMs ?? 60_000));
    timers.push(setInterval(deliver, opts.outboxIntervalMs ?? 5_000));
  }

  const app = await buildApp({ sql: database.sql, engine, settings, adminToken: opts.adminToken, logger: log, pingQueue: () => queue.ping() });

  return {
    app, engine, database, queue, reloadCalendar, sweep,
    async close() {
      timers.forEach(clearInterval);
      await app.close();
      await queue.close();
      await delivering;
      await database.close();
    },
  };
}
