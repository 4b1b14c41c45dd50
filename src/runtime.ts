/**
 * The composition root: wires the database, the calendar, the deadline queue, the engine,
 * the HTTP app and the background loops. Every dependency is passed in from here.
 */
import type { Logger } from 'pino';
import { connectDatabase, type Database } from '../db/client.js';
import { calendarOverrides } from '../db/schema.js';
import { WorkingCalendar, type DayKind, type WorkingHours } from './calendar/working-calendar.js';
import { createCaseEngine, type CaseEngine } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue, type QueueBackendConfig } from './deadlines/deadline-queue.js';
import { sweepDeadlines } from './deadlines/deadline-sweeper.js';
import { buildApp, type App } from './http/app.js';
import { deliverOutbox } from './notifications/outbox.js';

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
  const queue = createDeadlineQueue(opts.queue, log, opts.queueName);

  let calendar = new WorkingCalendar(new Map(), opts.workingHours);
  async function reloadCalendar() {
    const rows = await database.db.select().from(calendarOverrides);
    calendar = new WorkingCalendar(new Map(rows.map((r) => [r.day, r.kind as DayKind])), opts.workingHours);
  }
  await reloadCalendar();

  let delivering: Promise<unknown> = Promise.resolve();
  const deliver = () => {
    delivering = delivering.then(() => deliverOutbox({ db: database.db, log })).catch((err) => log.warn({ err: String(err) }, 'outbox delivery failed'));
  };

  const engine = createCaseEngine({
    db: database.db,
    calendar: () => calendar,
    // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
    wake: (wakeups) => queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will')),
    deliver,
  });

  const sweep = () => sweepDeadlines({ db: database.db, queue, horizonMs: opts.sweepHorizonMs ?? 3600_000 });
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

  const app = await buildApp({ db: database.db, engine, adminToken: opts.adminToken, logger: log, pingQueue: () => queue.ping() });

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
