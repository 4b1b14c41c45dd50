/**
 * The composition root: wires the database, the calendar, the queues (deadlines, exports), the
 * file storage, the engine and the background loops. Every dependency is passed in from here;
 * `serveHttp` adds the HTTP app (a worker process does without it).
 *
 * Every process delivers the notifications its own transitions wrote, right after commit.
 * With `runWorkers` a process also fires deadlines, runs export jobs, polls the outbox for the
 * rest, every sweep interval adds the deadline wake-ups of the horizon and maintains export jobs,
 * and every RECORD_VERIFY_INTERVAL_MINUTES verifies a batch of case records. Any number of such
 * processes may run on one Postgres and one Redis. Each runtime has its own metrics
 * (src/observability/metrics.ts), passed to the engine, the delivery and the HTTP app; main.ts
 * and worker.ts serve them.
 */
import { createLinkKey } from './worker-links/worker-links.js';
import { createMeetingSchedules, type MeetingSchedules } from './meetings/meeting-schedules.js';
import type { Logger } from 'pino';
import { connectDatabase, type Database, type DatabaseSocket } from '../db/client.js';
import { connectReadReplica, primaryOnly, type ReadDatabase } from '../db/read-replica.js';
import { isDatabaseUnavailable, unavailableReason } from '../db/unavailable.js';
import type { WorkingHours } from './calendar/working-calendar.js';
import { createCalendarSource } from './calendar/calendar-years.js';
import { createCaseEngine, type CaseEngine, type CaseEngineDeps } from './cases/case-engine.js';
import { createDeadlineQueue, type DeadlineQueue, type FireDue } from './deadlines/deadline-queue.js';
import { createSubmissionClock } from './submissions/submission-clock.js';
import { sweepDeadlines, type SweepResult } from './deadlines/deadline-sweeper.js';
import { eraseExpiredContacts } from './privacy/contact-retention.js';
import { flagDormantUnits } from './orgs/dormant-units.js';
import { createOutboxDelivery, type DeliveryOptions, type OutboxDelivery } from './notifications/outbox.js';
import { createOutboundGuard, type OutboundGuard, type OutboundSettings } from './notifications/outbound-guard.js';
import { createExportJobs, type ExportJobs, type ExportLimits } from './meetings/export-jobs.js';
import { createFileStorage, type FileStorage, type StorageConfig } from './storage/file-storage.js';
import { createReceiptCodes } from './worker-access/receipt-codes.js';
import { createQueueBackend, type QueueBackendConfig } from './workers/queue-backend.js';
import type { AppDeps } from './http/app.js';
import type { Config } from './config.js';
import { cached } from './cached.js';
import { createTokenCache, type TokenCache } from './access/callers.js';
import { loadRoutingRules } from './routing/routing-rules.js';
import { loadOrgDirectory } from './orgs/org-directory.js';
import { loadSlaPolicies, reportDefaults } from './deadlines/sla-policies.js';
import { createRecordKey } from './cases/case-record.js';
import { createRecordAudit, yesterdayInChina, type RecordAudit } from './cases/record-audit.js';
import { createMetrics, measuredEngine, type Metrics } from './observability/metrics.js';

export interface RuntimeOptions {
  databaseUrl: string;
  /** How the pool's connections reach Postgres (the round-trip test counts them); a TCP or socket connection by default. */
  databaseSocket?: DatabaseSocket;
  /** DATABASE_READ_URL: a streaming standby of the primary for the heavy reads; unset, everything on the primary. */
  databaseReadUrl?: string | null;
  /** READ_REPLICA_MAX_LAG_SECONDS: further behind than this, reads go to the primary (30). */
  readReplicaMaxLagSeconds?: number;
  queue: QueueBackendConfig;
  queueName?: string;
  adminToken: string;
  /** RECORD_PEPPER: the key of the record's digests of personal fields. */
  recordPepper: string;
  /** LINK_KEY: the key of a consenting worker's linking digest (src/worker-links). */
  linkKey: string;
  logger: Logger;
  workingHours?: WorkingHours;
  runWorkers: boolean;
  sweepHorizonMs?: number;
  sweepIntervalMs?: number;
  outboxIntervalMs?: number;
  /** Timeout, per-receiver concurrency and parking of webhook deliveries. */
  delivery?: Omit<DeliveryOptions, 'sql' | 'log' | 'outbound'>;
  /** OUTBOUND_ALLOW_HOSTS (none by default: https to public addresses only); a test may pass its own resolver. */
  outbound?: OutboundSettings;
  workerConcurrency?: number;
  /** PII_RETENTION_DAYS: contacts are erased this long after closure (by the workers' loop). */
  piiRetentionDays?: number;
  /** Where export files and attachments go; default a local `.data/files`. */
  storage?: StorageConfig;
  /** RECEIPT_SECRET: the key of the workers' receipt codes; without it one is derived from the admin token. */
  receiptSecret?: string;
  /** PUBLIC_URL: the origin in the worker's feedback links. */
  publicUrl?: string;
  exportLimits?: Partial<ExportLimits>;
  /** RECORD_VERIFY_INTERVAL_MINUTES: how often a worker verifies a batch of case records and the anchors (default hourly; 0 = never). */
  recordVerifyIntervalMs?: number;
  /** Demo mode (`npm start` on the embedded database): the worker's texts are kept for the demo's SMS page (src/demo/demo-sms.ts); never otherwise. */
  demoSms?: boolean;
}

/** The runtime a process runs from its settings (the API process and `npm run worker` alike). */
export function runtimeOptionsFrom(
  config: Config, at: { databaseUrl: string; adminToken: string; recordPepper: string; linkKey: string; logger: Logger; runWorkers: boolean; demoSms?: boolean },
): RuntimeOptions {
  return {
    ...at,
    databaseReadUrl: config.databaseReadUrl,
    readReplicaMaxLagSeconds: config.readReplicaMaxLagSeconds,
    queue: config.redisUrl ? { kind: 'redis', url: config.redisUrl, prefix: config.queuePrefix } : { kind: 'postgres', url: at.databaseUrl },
    workingHours: config.workingHours,
    sweepHorizonMs: config.sweepHorizonMs,
    sweepIntervalMs: config.sweepIntervalMs,
    piiRetentionDays: config.piiRetentionDays,
    storage: config.storage,
    exportLimits: config.exportLimits,
    receiptSecret: config.receiptSecret ?? undefined,
    publicUrl: config.publicUrl,
    delivery: { mail: config.notifications.mail },
    outbound: config.outbound,
    recordVerifyIntervalMs: config.recordVerifyIntervalMs,
  };
}

export interface Runtime {
  engine: CaseEngine;
  /** Export files and attachments. */
  storage: FileStorage;
  /** The record as an outsider checks it: its export, the published daily anchors, verification. */
  recordAudit: RecordAudit;
  /** What the engine was built from, for a second engine with its own clock (the demo's history). */
  engineDeps: CaseEngineDeps;
  database: Database;
  /** The reads that may go to the read replica (the primary when there is none, or it lags or is away). */
  read: ReadDatabase;
  queue: DeadlineQueue;
  /** Meetings on a schedule, drafted by the workers' round. */
  meetingSchedules: MeetingSchedules;
  exports: ExportJobs;
  delivery: OutboxDelivery;
  /** The one gate of outbound HTTP: checks URLs at save (the HTTP app) and at send (the delivery). */
  outbound: OutboundGuard;
  /** This process's Prometheus metrics (served by src/observability/metrics-server.ts). */
  metrics: Metrics;
  /** One round of record verification (the workers run one every RECORD_VERIFY_INTERVAL_MINUTES). */
  verifyRecord(): Promise<{ ok: boolean; checked: number; broken: number }>;
  /** Re-reads the admin's calendar overrides and loaded years; recomputes provisional deadlines when a year became known. */
  reloadCalendar(): Promise<{ recomputed: number }>;
  /** Cached configuration, for the HTTP app to invalidate when an admin changes it. */
  settings: AppDeps['settings'];
  /** Demo mode: the worker's texts are kept for the demo's SMS page. */
  demoSms: boolean;
  /** Who a token belongs to, for 5 s (the HTTP app's; the admin's changes forget a user at once). */
  tokens: TokenCache;
  /** One sweep: wake-up jobs for the horizon's seconds that hold a warning or a due time, and one at once if anything is due already. */
  sweep(): Promise<SweepResult>;
  /** Stops the loops, the workers (running jobs finish), the queues, the outbox delivery, the pool; logs each step. */
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.logger;
  const database = connectDatabase(opts.databaseUrl, { socket: opts.databaseSocket });
  const read = opts.databaseReadUrl
    ? await connectReadReplica({ url: opts.databaseReadUrl, primary: database.sql, maxLagSeconds: opts.readReplicaMaxLagSeconds ?? 30, log })
    : primaryOnly(database.sql);
  const horizonMs = opts.sweepHorizonMs ?? 3600_000;
  const backend = createQueueBackend(opts.queue, log);
  const queue = createDeadlineQueue(backend, log, horizonMs, opts.queueName);
  const storage = createFileStorage(opts.storage ?? { kind: 'local', dir: '.data/files' });
  const recordKey = createRecordKey(opts.recordPepper);
  // The anchor's messages go out through the outbox delivery made below (called after commit, never before).
  const recordAudit = createRecordAudit({ sql: database.sql, storage, log, deliver: () => delivery.kick() });
  const exports = createExportJobs({
    sql: database.sql, read, storage, backend, log, limits: opts.exportLimits,
    queueName: opts.queueName ? `${opts.queueName}-exports` : undefined,
  });
  const metrics = createMetrics({ sql: database.sql, pool: database.pool, queues: { deadlines: queue.queue, exports: exports.queue }, log });

  // After commit. If the queue is down the rows are safe in Postgres and the sweeper re-adds the jobs.
  // Schedules in flight are awaited by close(), so none runs on a queue that is closing.
  const scheduling = new Set<Promise<void>>();
  const wake: CaseEngineDeps['wake'] = (wakeups) => {
    const p = queue.schedule(wakeups).catch((err) => log.warn({ err: String(err) }, 'could not schedule deadline jobs; the sweeper will'));
    scheduling.add(p);
    void p.finally(() => scheduling.delete(p));
    return p;
  };
  const calendar = createCalendarSource({ sql: database.sql, hours: opts.workingHours, wake, log, recordKey });
  const reloadCalendar = calendar.reload;
  await reloadCalendar();

  // Sends happen outside any transaction; kick() never waits for a receiver.
  // One PUBLIC_URL for the links in unit messages and in the worker's feedback link.
  const outbound = createOutboundGuard(opts.outbound ?? { allowHosts: [] });
  const delivery = createOutboxDelivery({ sql: database.sql, log, outbound, publicUrl: opts.publicUrl, metrics, demoSms: opts.demoSms, ...opts.delivery });

  const noteDefaults = reportDefaults(log);
  const settings = {
    routingRules: cached(() => loadRoutingRules(database.sql), 5000),
    slaPolicies: cached(() => loadSlaPolicies(database.sql).then(noteDefaults), 5000),
    orgs: cached(() => loadOrgDirectory(database.sql), 5000),
  };

  const engineDeps: CaseEngineDeps = {
    sql: database.sql,
    ...settings,
    calendar: calendar.current,
    wake,
    deliver: () => delivery.kick(),
    receipts: createReceiptCodes(opts.receiptSecret ?? `derived-from-admin-token:${opts.adminToken}`),
    recordKey,
    linkKey: createLinkKey(opts.linkKey),
    publicUrl: opts.publicUrl,
  };
  const engine = measuredEngine(createCaseEngine(engineDeps), metrics);
  const submissionClock = createSubmissionClock({ sql: database.sql, orgs: settings.orgs, deliver: () => delivery.kick(), publicUrl: opts.publicUrl });
  /** A wake-up fires the case clocks due, then the submissions' (a claim keeps the drain going while either finds work). */
  const fireDue: FireDue = async (limit, exclude) => {
    const fired = await engine.fireDue(limit, exclude);
    return { ...fired, claimed: fired.claimed + await submissionClock.fireDue(limit) };
  };

  const meetingSchedules = createMeetingSchedules({ sql: database.sql, calendar: calendar.current });
  const sweep = () => sweepDeadlines({ sql: database.sql, queue, horizonMs });
  // A loop that fails tries again at its next round; a database that is away is one line with its code.
  const warnIfFails = (what: string, work: () => Promise<unknown>) => work().catch((err) => (isDatabaseUnavailable(err)
    ? log.warn({ err: unavailableReason(err) }, `${what} failed: database unavailable; trying again next round`)
    : log.warn({ err: String(err) }, `${what} failed`)));
  const maintain = async () => {
    await warnIfFails('deadline sweep', sweep);
    await warnIfFails('export maintenance', () => exports.maintain());
    // Yesterday's anchor over every case record's head: written once, by whichever worker comes first.
    await warnIfFails('daily anchor', () => recordAudit.anchorDay(yesterdayInChina(new Date())));
    await warnIfFails('contact retention', () => eraseExpiredContacts(database.sql, opts.piiRetentionDays ?? 1095));
    await warnIfFails('scheduled meetings', () => meetingSchedules.draftDue());
    // 挂牌不运行: units holding open cases that acted on none for 30 days, told to the convener units once a day.
    await warnIfFails('dormant units', () => flagDormantUnits(database.sql, new Date(), () => delivery.kick()));
  };
  let closing = false;
  const verifyRecord = async () => {
    const round = await recordAudit.verifyRound({ stopping: () => closing });
    if (closing) return round;
    metrics.recordVerified({ ok: round.ok, checked: round.checked, at: new Date() });
    return round;
  };
  // A round in flight when the process stops ends after the record in hand, and is awaited: it never runs on a closing pool.
  let verifying: Promise<unknown> | null = null;
  const verifyInBackground = () => { verifying ??= warnIfFails('record verification', verifyRecord).finally(() => { verifying = null; }); };
  const sweepIntervalMs = opts.sweepIntervalMs ?? 60_000;
  // Every process, API replicas too: an admin's calendar change made on another replica arrives here.
  const timers: NodeJS.Timeout[] = [setInterval(() => void warnIfFails('calendar reload', reloadCalendar), sweepIntervalMs)];
  let worker: { close(): Promise<void> } | null = null;
  if (opts.runWorkers) {
    worker = queue.startWorker(fireDue, { concurrency: opts.workerConcurrency });
    exports.startWorker();
    await maintain();
    timers.push(setInterval(() => void maintain(), sweepIntervalMs));
    timers.push(setInterval(() => delivery.kick(), opts.outboxIntervalMs ?? 5_000));
    delivery.kick();
    const verifyIntervalMs = opts.recordVerifyIntervalMs ?? 3600_000;
    if (verifyIntervalMs > 0) {
      verifyInBackground();
      timers.push(setInterval(verifyInBackground, verifyIntervalMs));
    }
  }

  return {
    engine, engineDeps, storage, recordAudit, database, read, queue, exports, delivery, outbound, reloadCalendar, sweep, tokens: createTokenCache(),
    meetingSchedules,
    metrics, verifyRecord, demoSms: opts.demoSms ?? false,
    settings: { ...settings, reloadCalendar },
    async close() {
      timers.forEach(clearInterval);
      closing = true;
      await verifying;
      if (worker) {
        // BullMQ's close waits for the jobs in hand; a job it cannot finish goes back to the queue when its lock expires.
        await worker.close();
        log.info('停止 / stopped: deadline workers (running jobs finished)');
      }
      await delivery.close();
      log.info('停止 / stopped: notification delivery');
      await Promise.all(scheduling);
      await backend.close();
      log.info('停止 / stopped: queues');
      await read.close();
      await database.close();
      log.info('停止 / stopped: database pool');
    },
  };
}
