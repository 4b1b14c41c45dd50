/**
 * Prometheus metrics (`GET /metrics` on METRICS_PORT) of both kinds of process, after real traffic:
 * the API runtime with its workers (registrations, actions refused and stale, a 1-second clock
 * that fires, a webhook delivered, a record verification that finds an edited event), and a
 * worker process (`src/worker.ts`, as `npm run worker` starts it). Every key series is there with
 * sane values, no label holds an id or anything personal, and `promtool check metrics` accepts
 * the exposition; the alert rules and the scrape configuration pass `promtool check`, and every
 * series the rules and the dashboard read is one the processes export.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMetrics, type MetricsServer } from '../../src/observability/metrics-server.js';
import { DEADLINE_STEPS } from '../../workflows/case-rules.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, startTestEngine, type TestEngine } from '../support/harness.js';
import { PROMTOOL, hasPromtool } from '../support/prerequisites.js';
import { eventually, spawnWorker, type WorkerProcess } from '../support/processes.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';
import { nodeArgsOf } from '../support/npm-scripts.js';

const OBSERVABILITY = 'src/observability';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let engine: TestEngine;
let d: District;
let metrics: MetricsServer;
let hook: Server;
const delivered: string[] = [];
/** Every id and personal value the traffic made: none may appear in an exposition. */
const secrets = new Set<string>(['张三', '13812341234', ADMIN_TOKEN]);

const promtool = hasPromtool();
let saidNoPromtool = false;
/** `promtool <args>` with `input` on stdin; without promtool, one line and no check. */
function checkWithPromtool(args: string[], input?: string) {
  if (!promtool) {
    if (!saidNoPromtool) process.stderr.write('promtool 未安装，跳过其检查 / promtool not found, its checks skipped: apt-get install prometheus\n');
    saidNoPromtool = true;
    return;
  }
  const run = spawnSync(PROMTOOL, args, { input, encoding: 'utf8' });
  expect(`${run.stdout}${run.stderr}`.trim() || 'ok', `promtool ${args.join(' ')}`).not.toMatch(/error|FAILED/i);
  expect(run.status, `promtool ${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(0);
}

interface Sample { name: string; labels: Record<string, string>; value: number }
/** The exposition's samples (the text format: `name{a="b",…} value`). */
function samplesOf(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    return { name: m[1], labels, value: Number(m[3]) };
  });
}
const pick = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = pick(samples, name, labels);
  if (found.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0].value;
};

async function scrape(url: string): Promise<{ text: string; samples: Sample[] }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: samplesOf(text) };
}

/** No label value is an id, a reference or a number the traffic made; nothing personal anywhere. */
function expectNothingIdentifying({ text, samples }: { text: string; samples: Sample[] }) {
  for (const s of samples) for (const value of Object.values(s.labels)) {
    expect(value, `${s.name} label`).not.toMatch(UUID);
    expect(value, `${s.name} label`).not.toMatch(/SQ-\d{4}-\d+/);
  }
  for (const secret of secrets) expect(text.includes(secret), `the exposition holds ${secret}`).toBe(false);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** As the database's owner: changes one stored event's data in place (its hash no longer matches), or puts it back. */
async function setEventData(caseId: string, seq: number, data: (sql: postgres.Sql) => postgres.Fragment | postgres.Parameter) {
  const owner = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await owner.begin(async (tx) => {
      await tx`alter table case_events disable trigger case_events_append_only`;
      await tx`update case_events set data = ${data(owner)} where case_id = ${caseId} and seq = ${seq}`;
      await tx`alter table case_events enable trigger case_events_append_only`;
    });
  } finally {
    await owner.end();
  }
}

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 2000, outboxIntervalMs: 200 });
  d = await aDistrict(engine.app, { amount: 1, unit: 'seconds' });
  metrics = await serveMetrics(engine.runtime.metrics.registry, { port: 0, host: '127.0.0.1', log: pino({ level: 'silent' }) });
  hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => { delivered.push(req.url ?? ''); res.writeHead(204).end(); });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  // The platform committee is told of each forwarded case: through a webhook, so deliveries are timed.
  const patched = await engine.app.inject({
    method: 'PATCH', url: `/api/v1/orgs/${d.orgs.meituan}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` },
  });
  expect(patched.statusCode).toBe(200);
  for (const id of Object.values(d.orgs)) secrets.add(id);
}, 60_000);

afterAll(async () => {
  await metrics?.close();
  hook?.closeAllConnections();
  hook?.close();
  await engine?.close();
});

describe('the API process with its workers', () => {
  it('counts HTTP answers, transitions by outcome, a fired clock\'s lateness and a delivery; reads clocks, outbox, queues and exports at scrape time', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    secrets.add(c.id).add(c.reference);
    // A stale If-Match, and an action the rules refuse.
    const stale = await d.meituan.post(`/api/v1/cases/${c.id}/actions`, { action: 'accept' }, { 'if-match': String(c.version - 1) });
    expect(stale.status).toBe(409);
    const refused = await d.liaison.act(c.id, { action: 'resolve', resolution: '已答复' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await d.liaison.get('/no/such/page/for/metrics')).status).toBe(404);

    // The 1-second acceptance clock runs out: the deadline job fires it.
    await eventually(async () => (await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue, 15_000, 'the missed acceptance clock');
    await eventually(async () => delivered.length > 0, 15_000, 'the webhook delivery');

    const exposition = await scrape(metrics.url);
    const { samples } = exposition;
    const transitions = (action: string, outcome: string) => valueOf(samples, 'grievance_case_transitions_total', { action, outcome });
    expect(transitions('register', 'applied')).toBeGreaterThanOrEqual(1);
    expect(transitions('forward', 'applied')).toBeGreaterThanOrEqual(1);
    expect(transitions('accept', 'stale')).toBe(1);
    expect(transitions('resolve', 'refused')).toBe(1);
    expect(transitions('deadline_missed', 'applied')).toBeGreaterThanOrEqual(1);
    expect(transitions('withdraw', 'applied')).toBe(0); // every action of the chart is there from the start

    const late = { step: 'l2_accept', kind: 'due' };
    const fired = valueOf(samples, 'grievance_deadline_lateness_seconds_count', late);
    expect(fired).toBeGreaterThanOrEqual(1);
    const meanLateness = valueOf(samples, 'grievance_deadline_lateness_seconds_sum', late) / fired;
    expect(meanLateness).toBeGreaterThanOrEqual(0);
    expect(meanLateness).toBeLessThan(10);

    const http = (route: string, method: string, statusClass: string) =>
      valueOf(samples, 'grievance_http_request_duration_seconds_count', { route, method, status_class: statusClass });
    expect(http('/api/v1/cases', 'POST', '2xx')).toBeGreaterThanOrEqual(1);
    expect(http('/api/v1/cases/:id/actions', 'POST', '4xx')).toBe(2);
    expect(http('unmatched', 'GET', '4xx')).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'grievance_http_request_duration_seconds_bucket', { route: '/api/v1/cases', method: 'POST', status_class: '2xx', le: '+Inf' }))
      .toBe(http('/api/v1/cases', 'POST', '2xx'));

    const deliveries = valueOf(samples, 'grievance_outbox_delivery_latency_seconds_count', { channel: 'webhook' });
    expect(deliveries).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'grievance_outbox_delivery_latency_seconds_sum', { channel: 'webhook' }) / deliveries).toBeLessThan(10);

    for (const step of DEADLINE_STEPS) {
      expect(valueOf(samples, 'grievance_deadline_clocks_pending', { step })).toBeGreaterThanOrEqual(0);
      expect(valueOf(samples, 'grievance_deadline_clocks_overdue_unfired', { step })).toBeGreaterThanOrEqual(0);
    }
    for (const status of ['pending', 'parked', 'failed']) expect(valueOf(samples, 'grievance_outbox_rows', { status })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'grievance_outbox_rows', { status: 'parked' })).toBe(0);
    for (const queue of ['deadlines', 'exports']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(valueOf(samples, 'grievance_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
    }
    for (const state of ['queued', 'running', 'done', 'failed', 'expired']) expect(valueOf(samples, 'grievance_export_jobs', { state })).toBe(0);
    expect(valueOf(samples, 'grievance_live_streams_open')).toBe(0);
    expect(valueOf(samples, 'grievance_db_pool_connections_max')).toBe(10);
    expect(valueOf(samples, 'grievance_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'grievance_db_pool_connections_in_use')).toBeLessThanOrEqual(10);
    expect(valueOf(samples, 'grievance_db_pool_queries_waiting')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'grievance_metrics_collect_failures_total', { source: 'deadlines' })).toBe(0);
    expect(pick(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(pick(samples, 'nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);

    expectNothingIdentifying(exposition);
    checkWithPromtool(['check', 'metrics'], exposition.text);
  }, 60_000);

  it('the pending and overdue clocks are read from Postgres: a clock whose job never fires shows as overdue-but-unfired', async () => {
    // A case forwarded, then its clock made overdue while no worker can fire it.
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    secrets.add(c.id).add(c.reference);
    const sql = engine.runtime.database.sql;
    // The case held by another transaction, so no worker can claim it (they skip locked cases), and its clock put past
    // due: overdue but unfired for as long as the lock is held.
    const held = await sql.reserve();
    let clock: { id: string; step: string };
    try {
      await held`begin`;
      await held`select id from cases where id = ${c.id} for update`;
      [clock] = await sql<{ id: string; step: string }[]>`
        update deadlines set due_at = now() - interval '1 minute', warn_at = now() - interval '2 minutes'
        where case_id = ${c.id} and status = 'pending' returning id, step`;
      expect(clock).toBeDefined();
      await eventually(async () => {
        const { samples } = await scrape(metrics.url);
        return valueOf(samples, 'grievance_deadline_clocks_overdue_unfired', { step: clock.step }) >= 1;
      }, 15_000, 'a stuck clock to show');
    } finally {
      await held`commit`;
      held.release();
    }
    // Let go: the next wake-up (the sweeper's, every 2 s) claims it, it fires, and the gauge falls back.
    await eventually(async () => {
      const { samples } = await scrape(metrics.url);
      return valueOf(samples, 'grievance_deadline_clocks_overdue_unfired', { step: clock.step }) === 0;
    }, 15_000, 'the stuck clock to fire after a sweep');
  }, 30_000);

  it('a record verification round reports its result: an edited event reads as failed until it is put back', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    secrets.add(c.id).add(c.reference);
    const [{ n: cases }] = await engine.runtime.database.sql<{ n: number }[]>`select count(*)::int as n from cases`;
    await engine.runtime.verifyRecord();
    let { samples } = await scrape(metrics.url);
    expect(valueOf(samples, 'grievance_record_verification_ok')).toBe(1);
    expect(valueOf(samples, 'grievance_record_verification_records_checked')).toBe(cases);
    const completed = valueOf(samples, 'grievance_record_verification_last_completed_timestamp_seconds');
    expect(Math.abs(Date.now() / 1000 - completed)).toBeLessThan(30);

    const [{ data }] = await engine.runtime.database.sql<{ data: Record<string, unknown> }[]>`select data from case_events where case_id = ${c.id} and seq = 2`;
    await setEventData(c.id, 2, (sql) => sql.json({ ...data, note: 'changed afterwards' } as never));
    expect(await engine.runtime.verifyRecord()).toMatchObject({ ok: false, broken: 1 });
    ({ samples } = await scrape(metrics.url));
    expect(valueOf(samples, 'grievance_record_verification_ok')).toBe(0);

    await setEventData(c.id, 2, (sql) => sql.json(data as never));
    expect(await engine.runtime.verifyRecord()).toMatchObject({ ok: true, broken: 0 });
    ({ samples } = await scrape(metrics.url));
    expect(valueOf(samples, 'grievance_record_verification_ok')).toBe(1);
  }, 30_000);
});

describe('a worker process (npm run worker)', () => {
  let worker: WorkerProcess | null = null;
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('serves its own metrics on METRICS_PORT + 1: queues, clocks, the record verification, the process; no HTTP series', async () => {
    const port = await freePort();
    // Its own queue prefix: the engine above keeps its jobs; the database (and so its gauges) is the same.
    worker = spawnWorker({ DATABASE_URL: engine.databaseUrl, REDIS_URL, QUEUE_PREFIX: uniqueName('metricsworker'), METRICS_PORT: String(port - 1) });
    await worker.started;
    const url = `http://127.0.0.1:${port}/metrics`;
    // Its first verification round runs right after its start.
    const exposition = await eventually(async () => {
      const scraped = await scrape(url);
      return pick(scraped.samples, 'grievance_record_verification_ok').length > 0 ? scraped : null;
    }, 20_000, 'the worker\'s first record verification');
    const { samples } = exposition;
    const [{ n: cases }] = await engine.runtime.database.sql<{ n: number }[]>`select count(*)::int as n from cases`;
    expect(valueOf(samples, 'grievance_record_verification_ok')).toBe(1);
    expect(valueOf(samples, 'grievance_record_verification_records_checked')).toBe(cases);
    for (const step of DEADLINE_STEPS) expect(valueOf(samples, 'grievance_deadline_clocks_pending', { step })).toBeGreaterThanOrEqual(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(valueOf(samples, 'grievance_queue_jobs', { queue: 'deadlines', state })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'grievance_outbox_rows', { status: 'failed' })).toBe(0);
    expect(valueOf(samples, 'grievance_db_pool_connections_max')).toBe(10);
    expect(pick(samples, 'grievance_http_request_duration_seconds_count')).toHaveLength(0);
    expect(pick(samples, 'process_resident_memory_bytes')).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    expectNothingIdentifying(exposition);
    checkWithPromtool(['check', 'metrics'], exposition.text);

    worker.child.kill('SIGTERM');
    await worker.exited;
    expect(worker.child.exitCode).toBe(0);
  }, 60_000);
});

it('npm start with its metrics port taken stops with one line naming the port and METRICS_PORT', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as AddressInfo).port;
  try {
    const child = spawn(process.execPath, nodeArgsOf('start'), {
      env: {
        ...process.env, DATABASE_URL: engine.databaseUrl, REDIS_URL, QUEUE_PREFIX: uniqueName('metricsport'), ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY,
        RUN_WORKERS: 'false', PORT: '0', METRICS_PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`metrics port ${port} is taken`);
    expect(lines[0]).toContain('METRICS_PORT');
  } finally {
    taken.close();
  }
}, 60_000);

describe('the alert rules, the scrape configuration and the dashboard', () => {
  it('pass promtool', () => {
    checkWithPromtool(['check', 'rules', `${OBSERVABILITY}/prometheus/alerts.yml`]);
    checkWithPromtool(['check', 'config', `${OBSERVABILITY}/prometheus/prometheus.yml`]);
  });

  it('read only series the processes export', async () => {
    const { samples } = await scrape(metrics.url);
    const exported = new Set(samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    // The record verification's series come from the worker's rounds (the test above ran one here too).
    const used = (text: string) => [...text.matchAll(/\b(grievance_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+)/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ''));
    const rules = readFileSync(`${OBSERVABILITY}/prometheus/alerts.yml`, 'utf8');
    const dashboard = readFileSync(`${OBSERVABILITY}/grafana/dashboards/grievance-engine.json`, 'utf8');
    const panels = (JSON.parse(dashboard) as { panels: { title: string; targets?: { expr: string }[] }[] }).panels;
    expect(panels.length).toBeGreaterThan(10);
    for (const name of new Set([...used(rules), ...used(dashboard)])) expect(exported, name).toContain(name);
    for (const alert of ['DeadlineLatenessHigh', 'DeadlinesOverdueUnfired', 'NotificationsParked', 'RecordVerificationFailed', 'HttpErrorsHigh', 'WorkerDown']) {
      expect(rules).toContain(`alert: ${alert}`);
    }
  });
});
