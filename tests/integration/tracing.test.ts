/**
 * Traces (issue 23, item 3): one action's spans, from the HTTP request through the transition
 * (the chart's decision, the write batch) to the work done later elsewhere — the outbox delivery,
 * an export job — in one trace, each under the span that caused it: the trace context travels in
 * the outbox row and in the export job's data. A group of deadlines a worker process fires is a
 * trace of its own. A local
 * OTLP/HTTP receiver takes what the exporter sends. No span carries the worker's personal data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, aGrievance, type District } from '../support/builders.js';
import { eventually, spawnWorker, type WorkerProcess } from '../support/processes.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';

const WORKER = aGrievance().worker;
const PERSONAL = [WORKER.name, WORKER.phone, aGrievance().description];

let receiver: OtlpReceiver;
let tracing: Tracing;
const servers: Server[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // This process plays the API (its service name); a short batch delay, so spans arrive while the test waits.
  tracing = startTracing({ serviceName: 'grievance-engine-api', url: receiver.url, batchDelayMs: 50 });
});
afterAll(async () => {
  servers.forEach((s) => { s.closeAllConnections(); s.close(); });
  await tracing?.shutdown();
  await receiver?.close();
});

/** A unit's webhook: the bodies it got. */
async function webhook() {
  const received: Record<string, unknown>[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    received.push(JSON.parse(raw));
    res.writeHead(204).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const span = (name: string, match: (s: ReceivedSpan) => boolean = () => true) =>
  eventually(async () => receiver.spans.find((s) => s.name === name && match(s)), 15_000, `a ${name} span`, async () => receiver.spans.map((s) => s.name));
const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

describe('in one process: the API and its workers', () => {
  let engine: TestEngine;
  let d: District;
  beforeAll(async () => {
    engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 200 });
    d = await aDistrict(engine.app);
  });
  afterAll(async () => engine?.close());

  it('a registration: the request span, the decision and the write batch under it, the delivery under the batch — one trace', async () => {
    // An urgent case reaches its competent department (the market regulator) at once: a notice by its webhook.
    const hook = await webhook();
    const patched = await engine.app.inject({
      method: 'PATCH', url: `/api/v1/orgs/${d.orgs.market}`, headers: { authorization: `Bearer ${d.admin.token}` }, payload: { webhookUrl: hook.url },
    });
    expect(patched.statusCode).toBe(200);
    const created = await d.liaison.post('/api/v1/cases', aGrievance({ urgency: 'urgent' }));
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    await eventually(async () => hook.received.some((b) => b.caseId === caseId && b.kind === 'urgent_case'), 10_000, 'the webhook delivery');

    const delivery = await span('outbox.deliver', (s) => s.attributes['grievance.case_id'] === caseId);
    const trace = inTrace(delivery.traceId);
    const request = trace.find((s) => s.name === 'POST /api/v1/cases')!;
    const decision = trace.find((s) => s.name === 'case.decide')!;
    const batch = trace.find((s) => s.name === 'case.write')!;
    expect(request).toMatchObject({
      kind: SPAN_KIND.server, parentSpanId: null, service: 'grievance-engine-api',
      attributes: { 'http.request.method': 'POST', 'http.route': '/api/v1/cases', 'http.response.status_code': 201 },
    });
    expect(decision).toMatchObject({
      parentSpanId: request.spanId, attributes: { 'grievance.action': 'register', 'grievance.case_id': caseId, 'grievance.to_state': 'registered' },
    });
    expect(batch).toMatchObject({ parentSpanId: request.spanId, attributes: { 'grievance.action': 'register', 'grievance.case_id': caseId, 'db.system.name': 'postgresql' } });
    expect(batch.attributes['db.operation.batch.size']).toBeGreaterThan(3);
    expect(batch.attributes['grievance.notices']).toBeGreaterThanOrEqual(1);
    expect(delivery).toMatchObject({
      kind: SPAN_KIND.client, parentSpanId: batch.spanId,
      attributes: { 'grievance.notification_kind': 'urgent_case', 'grievance.channel': 'webhook', 'grievance.outcome': 'delivered', 'grievance.attempt': 1 },
    });

    // The context came through the row: the batch's span, as W3C traceparent.
    const sql = postgres(engine.databaseUrl, { max: 1 });
    const rows = await sql<{ traceparent: string }[]>`select traceparent from outbox where case_id = ${caseId} and kind = 'urgent_case' and channel = 'webhook'`;
    await sql.end();
    expect(rows.map((r) => r.traceparent)).toEqual([`00-${batch.traceId}-${batch.spanId}-01`]);
  });

  it('a request span names the route template, never the URL: no query, no personal data in any span', async () => {
    const found = await d.liaison.get(`/api/v1/cases?q=${encodeURIComponent(WORKER.name)}`);
    expect(found.status).toBe(200);
    const search = await span('GET /api/v1/cases', (s) => s.attributes['http.response.status_code'] === 200);
    expect(search.attributes['http.route']).toBe('/api/v1/cases');
    expect(Object.keys(search.attributes).sort()).toEqual(['http.request.method', 'http.response.status_code', 'http.route']);
    const shown = receiver.spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]);
    for (const personal of PERSONAL) {
      expect(shown.filter((value) => value.includes(personal))).toEqual([]);
      // Nor anywhere in what was sent (resource attributes included).
      expect(receiver.bodies.filter((body) => body.includes(personal))).toEqual([]);
    }
  });

  it('an export job runs in a span continuing the request that queued it', async () => {
    const meeting = await d.convener.post('/api/v1/meetings', { title: '导出追踪', periodFrom: '2020-01-01T00:00:00Z', periodTo: '2020-02-01T00:00:00Z' });
    expect(meeting.status).toBe(201);
    const started = await d.convener.post(`/api/v1/meetings/${meeting.body.id}/exports`, { format: 'csv' });
    expect(started.status).toBe(202);
    const run = await span('export.run', (s) => s.attributes['grievance.export_id'] === started.body.id && s.attributes['grievance.outcome'] === 'done');
    const request = inTrace(run.traceId).find((s) => s.spanId === run.parentSpanId);
    expect(request).toMatchObject({ name: 'POST /api/v1/meetings/:id/exports', kind: SPAN_KIND.server, attributes: { 'http.response.status_code': 202 } });
    expect(run).toMatchObject({ kind: SPAN_KIND.consumer, attributes: { 'grievance.export_format': 'csv', 'grievance.attempt': 1 } });
  });
});

describe('across processes: `npm run worker` with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  const prefix = uniqueName('bulltrace');
  let engine: TestEngine;
  let d: District;
  let worker: WorkerProcess;
  beforeAll(async () => {
    // API only here: the deadlines are fired by the worker process.
    engine = await startTestEngine({ runWorkers: false, queuePrefix: prefix });
    d = await aDistrict(engine.app, { amount: 2, unit: 'seconds' });
    worker = spawnWorker({
      DATABASE_URL: engine.databaseUrl, REDIS_URL, QUEUE_PREFIX: prefix,
      // Its sweeper stays out of the way: the wake-up it runs is the one the API queued.
      SWEEP_INTERVAL_SECONDS: '600', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await worker.started;
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await engine?.close();
  });

  it('deadlines fired by the worker: a group is a trace of its own, each case\'s decision and write under it', async () => {
    const created = await d.liaison.post('/api/v1/cases', aGrievance());
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    // The forwarding clock (2 s) warns at 80 %: the worker's transition, under the group's span.
    const decision = await span('case.decide', (s) => s.attributes['grievance.case_id'] === caseId && s.attributes['grievance.action'] === 'deadline_warning');
    const trace = inTrace(decision.traceId);
    const group = trace.find((s) => s.spanId === decision.parentSpanId)!;
    expect(group).toMatchObject({ name: 'deadline.batch', kind: SPAN_KIND.consumer, service: 'grievance-engine-worker', parentSpanId: null });
    expect(group.attributes['grievance.claimed']).toBeGreaterThanOrEqual(1);
    expect(decision).toMatchObject({ service: 'grievance-engine-worker', attributes: { 'grievance.from_state': 'registered', 'grievance.to_state': 'registered' } });
    // Not the request's trace: a group's cases come from many requests.
    expect(trace.some((s) => s.name === 'POST /api/v1/cases')).toBe(false);
    const batch = await span('case.write', (s) => s.parentSpanId === group.spanId);
    expect(batch).toMatchObject({ service: 'grievance-engine-worker', attributes: { 'grievance.action': 'deadline_warning', 'grievance.case_id': caseId } });
  });
});
