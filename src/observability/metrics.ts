/**
 * Prometheus metrics, one registry per process (per runtime: two engines in one test process
 * never share a series). Events are counted where they happen — an HTTP answer, a transition, a
 * deadline firing, a delivered notification, a record verification round — through the methods
 * of the one `Metrics` object the composition root makes and passes in. What Postgres and the
 * queues hold (pending clocks, outbox rows, export jobs, queued jobs) is read when Prometheus
 * scrapes, a few indexed counts at a time. Served on a listener of its own (metrics-server.ts).
 *
 * Labels take bounded values only — route templates, actions and steps from the chart, channels,
 * states — never a case, user or unit id, a reference or anything a worker wrote.
 */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolState, Sql } from '../../db/client.js';
import { USER_ACTIONS } from '../../workflows/case-actions.js';
import { DEADLINE_STEPS, type DeadlineStep } from '../../workflows/case-rules.js';
import type { CaseEngine } from '../cases/case-engine.js';
import { DUE_EVENTS, type Firing } from '../deadlines/deadline-store.js';
import { DomainError, StaleVersion } from '../errors.js';
import { CHANNELS } from '../notifications/channel-adapters.js';
import { MAX_ATTEMPTS } from '../notifications/outbox.js';

/** Every action a transition records, from the chart: a user's, the registration, the clock's. */
export const TRANSITION_ACTIONS = ['register', ...USER_ACTIONS, 'deadline_warning', 'deadline_missed'] as const;
/** applied: written; refused: a rule said no (a 4xx); stale: If-Match behind, or a clock that had moved on; error: anything else. */
export const TRANSITION_OUTCOMES = ['applied', 'refused', 'stale', 'error'] as const;
export type TransitionOutcome = (typeof TRANSITION_OUTCOMES)[number];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const DELIVERY_CHANNELS: readonly string[] = ['webhook', ...CHANNELS];
const EXPORT_STATES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const OUTBOX_STATUSES = ['pending', 'parked', 'failed'] as const;
/** A scrape waits this long for Postgres or the queue, then leaves those series out (and counts the failure). */
const COLLECT_TIMEOUT_MS = 2000;

/** Where the scrape-time series come from. */
export interface MetricsSources {
  sql: Sql;
  pool: () => PoolState | null;
  /** The BullMQ queues by their role (the label), whatever their names in Redis. */
  queues: { deadlines: Queue<any>; exports: Queue<any> };
  log: Logger;
}

export interface RecordVerificationResult { ok: boolean; checked: number; at: Date }

export interface Metrics {
  registry: Registry;
  /** `route`: the route's template (`request.routeOptions.url`), undefined when nothing matched. */
  httpRequest(route: string | undefined, method: string, statusCode: number, seconds: number): void;
  transition(action: string, outcome: TransitionOutcome): void;
  /** A clock fired: how long after its due (or warning) time. */
  deadlineFired(step: DeadlineStep, kind: 'warn' | 'due', latenessSeconds: number): void;
  /** A notification reached its receiver this long after the transition wrote it. */
  notificationDelivered(channel: string, seconds: number): void;
  /** The HTTP app's open live streams (only an API process has any). */
  watchLiveStreams(open: () => number): void;
  /** A verification round finished (only processes that run them report it: no false "failed" from the others). */
  recordVerified(result: RecordVerificationResult): void;
}

const known = (value: string, values: readonly string[]) => (values.includes(value) ? value : 'other');

export function createMetrics(sources: MetricsSources): Metrics {
  const { sql, log } = sources;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters (`promtool check metrics` refuses them); `nodejs_active_handles{type}` and the like stay.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);

  const collectFailures = new Counter({
    name: 'grievance_metrics_collect_failures_total', help: 'Scrapes that could not read a source (its series are left out of that scrape)',
    labelNames: ['source'], registers,
  });
  for (const source of ['deadlines', 'outbox', 'exports', 'queues']) collectFailures.inc({ source }, 0);
  /** A source read once per scrape by every gauge that needs it; a failure leaves those gauges empty. */
  const perScrape = <T>(source: string, read: () => Promise<T>) => {
    let current: Promise<T | null> | null = null;
    return () => {
      current ??= withTimeout(read(), COLLECT_TIMEOUT_MS).catch((err: unknown) => {
        collectFailures.inc({ source });
        log.debug({ source, err: String(err) }, 'metrics source unavailable');
        return null;
      }).finally(() => setTimeout(() => { current = null; }, 500).unref());
      return current;
    };
  };

  const http = new Histogram({
    name: 'grievance_http_request_duration_seconds', help: 'HTTP requests by route template, method and status class',
    labelNames: ['route', 'method', 'status_class'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
  });
  const transitions = new Counter({
    name: 'grievance_case_transitions_total', help: 'Case transitions by action and outcome (applied, refused, stale, error)',
    labelNames: ['action', 'outcome'], registers,
  });
  for (const action of TRANSITION_ACTIONS) for (const outcome of TRANSITION_OUTCOMES) transitions.inc({ action, outcome }, 0);
  const lateness = new Histogram({
    name: 'grievance_deadline_lateness_seconds', help: 'How long after its due (kind=due) or warning (kind=warn) time a clock fired',
    labelNames: ['step', 'kind'], buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600], registers,
  });
  const deliveryLatency = new Histogram({
    name: 'grievance_outbox_delivery_latency_seconds', help: 'From the transition that wrote a notification to its delivery, by channel',
    labelNames: ['channel'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600], registers,
  });

  const clocks = perScrape('deadlines', () => sql<{ step: string; pending: number; overdue: number }[]>`
    select step, count(*)::int as pending, count(*) filter (where due_at < now())::int as overdue
    from deadlines where status = 'pending' group by step`);
  // Two gauges from the one read: every step at 0, then the counts of the steps that have clocks.
  const clockGauge = (name: string, help: string, count: 'pending' | 'overdue') => new Gauge({
    name, help, labelNames: ['step'], registers,
    async collect() {
      const rows = await clocks();
      this.reset();
      if (!rows) return;
      for (const step of DEADLINE_STEPS) this.set({ step }, 0);
      for (const r of rows) this.set({ step: known(r.step, DEADLINE_STEPS) }, r[count]);
    },
  });
  clockGauge('grievance_deadline_clocks_pending', 'Running clocks (pending deadlines) by step', 'pending');
  clockGauge('grievance_deadline_clocks_overdue_unfired', 'Pending clocks past their due time: no worker has fired them (yet)', 'overdue');

  const outbox = perScrape('outbox', async () => {
    const [c] = await sql<{ pending: number; parked: number; failed: number }[]>`
      select count(*) filter (where o.attempts < ${MAX_ATTEMPTS} and r.parked_until is null)::int as pending,
        count(*) filter (where o.attempts < ${MAX_ATTEMPTS} and r.parked_until is not null)::int as parked,
        count(*) filter (where o.attempts >= ${MAX_ATTEMPTS})::int as failed
      from outbox o left join delivery_receivers r on r.org_id = o.org_id and r.channel = o.channel
      where o.delivered_at is null`;
    return c;
  });
  new Gauge({
    name: 'grievance_outbox_rows', help: 'Undelivered notifications: pending, parked (their receiver is parked), failed (gave up)',
    labelNames: ['status'], registers,
    async collect() {
      const counts = await outbox();
      this.reset();
      if (counts) for (const status of OUTBOX_STATUSES) this.set({ status }, counts[status]);
    },
  });

  const exportJobs = perScrape('exports', () => sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from export_jobs group by status`);
  new Gauge({
    name: 'grievance_export_jobs', help: 'Meeting export jobs by state', labelNames: ['state'], registers,
    async collect() {
      const rows = await exportJobs();
      this.reset();
      if (!rows) return;
      for (const state of EXPORT_STATES) this.set({ state }, 0);
      for (const r of rows) this.set({ state: known(r.status, EXPORT_STATES) }, r.n);
    },
  });

  const queued = perScrape('queues', () => Promise.all(Object.entries(sources.queues).map(async ([queue, q]) => ({
    queue, counts: await q.getJobCounts(...QUEUE_STATES),
  }))));
  new Gauge({
    name: 'grievance_queue_jobs', help: 'BullMQ jobs by queue (deadlines, exports) and state', labelNames: ['queue', 'state'], registers,
    async collect() {
      const rows = await queued();
      this.reset();
      for (const { queue, counts } of rows ?? []) for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
    },
  });

  let liveStreams: () => number = () => 0;
  new Gauge({
    name: 'grievance_live_streams_open', help: 'Open live streams (server-sent events) of this process', registers,
    collect() { this.set(liveStreams()); },
  });

  const poolGauge = (name: string, help: string, value: (p: PoolState) => number) => new Gauge({
    name, help, registers,
    collect() {
      const pool = sources.pool();
      if (pool) this.set(value(pool));
    },
  });
  poolGauge('grievance_db_pool_connections_in_use', 'Database connections running queries, held by a transaction or connecting', (p) => p.inUse);
  poolGauge('grievance_db_pool_queries_waiting', 'Queries waiting for a database connection (every one in use)', (p) => p.waiting);
  poolGauge('grievance_db_pool_connections_max', 'Size of the database pool', (p) => p.max);

  // Registered with the first round: a process that never verifies shows no result rather than a 0 that reads as "failed".
  const verification = {
    ok: new Gauge({ name: 'grievance_record_verification_ok', help: 'Whether the case records verified in the last round (1) or one is broken (0)', registers: [] }),
    completed: new Gauge({ name: 'grievance_record_verification_last_completed_timestamp_seconds', help: 'When the last record verification round completed (Unix time)', registers: [] }),
    checked: new Gauge({ name: 'grievance_record_verification_records_checked', help: 'Case records the last verification round checked', registers: [] }),
  };

  return {
    registry,
    httpRequest(route, method, statusCode, seconds) {
      http.observe({ route: route ?? 'unmatched', method: known(method, METHODS), status_class: `${Math.floor(statusCode / 100)}xx` }, seconds);
    },
    transition(action, outcome) {
      transitions.inc({ action: known(action, TRANSITION_ACTIONS), outcome });
    },
    deadlineFired(step, kind, latenessSeconds) {
      lateness.observe({ step: known(step, DEADLINE_STEPS), kind }, Math.max(0, latenessSeconds));
    },
    notificationDelivered(channel, seconds) {
      deliveryLatency.observe({ channel: known(channel, DELIVERY_CHANNELS) }, Math.max(0, seconds));
    },
    watchLiveStreams(open) {
      liveStreams = open;
    },
    recordVerified({ ok, checked, at }) {
      if (!registry.getSingleMetric('grievance_record_verification_ok')) Object.values(verification).forEach((gauge) => registry.registerMetric(gauge));
      verification.ok.set(ok ? 1 : 0);
      verification.checked.set(checked);
      verification.completed.set(at.getTime() / 1000);
    },
  };
}

/** What a refused or failed transition counts as. */
function outcomeOf(error: unknown): TransitionOutcome {
  if (error instanceof StaleVersion) return 'stale';
  return error instanceof DomainError && error.statusCode < 500 ? 'refused' : 'error';
}

/**
 * The engine, counting its transitions: every user action, registration and worker feedback by
 * outcome; a clock that fired, with its lateness; a deadline job that found its clock moved on, as stale.
 */
export function measuredEngine(engine: CaseEngine, metrics: Metrics): CaseEngine {
  const counted = async <T>(action: string, work: Promise<T>): Promise<T> => {
    try {
      const value = await work;
      metrics.transition(action, 'applied');
      return value;
    } catch (error) {
      metrics.transition(action, outcomeOf(error));
      throw error;
    }
  };
  /** A clock's warning or end fired: its transition applied, and how late it came. */
  const fired = (f: Firing) => {
    metrics.transition(DUE_EVENTS[f.kind], 'applied');
    metrics.deadlineFired(f.step, f.kind, (f.at.getTime() - f.time.getTime()) / 1000);
  };
  return {
    ...engine,
    register: (caller, input, key, from) => counted('register', engine.register(caller, input, key, from)),
    act: (caller, caseId, ifMatch, body) => counted(body.action, engine.act(caller, caseId, ifMatch, body)),
    workerFeedback: (token, input) => counted('feedback', engine.workerFeedback(token, input)),
    async fireDue(limit, exclude) {
      const group = await engine.fireDue(limit, exclude);
      group.fired.forEach(fired);
      return group;
    },
    async fireDeadline(deadlineId, rev, kind) {
      const action = DUE_EVENTS[kind];
      try {
        const result = await engine.fireDeadline(deadlineId, rev, kind);
        if (result.fired) {
          fired(result.fired);
        } else if (!result.retryAt) {
          metrics.transition(action, 'stale');
        }
        return result;
      } catch (error) {
        metrics.transition(action, outcomeOf(error));
        throw error;
      }
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
