/**
 * Live updates and the notification centre (issue 10.1, issue 9.3): server-sent events by scope,
 * across two API instances on one database (a change made through A reaches a client of B), only
 * after commit; who is told what; unread counts and marking read; a clean close with open streams.
 */
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, LINK_KEY, RECORD_PEPPER, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { openEventStream, type EventStreamReader } from '../support/sse-client.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import type { App } from '../../src/http/app.js';
import { createLiveStream } from '../../src/live/live-stream.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import { WHO_IS_TOLD } from '../../src/notifications/who-is-told.js';
import type { NotificationKind } from '../../workflows/case-machine.js';

let a: TestEngine;
let b: { runtime: Runtime; app: App; url: string };
let d: District;
const streams: EventStreamReader[] = [];

/** A second API instance on the same database: its own pool, its own LISTEN connection. */
async function secondInstance(databaseUrl: string) {
  const runtime = await createRuntime({
    databaseUrl, queue: { kind: 'redis', url: REDIS_URL, prefix: uniqueName('bulllive') }, adminToken: ADMIN_TOKEN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY,
    logger: pino({ level: 'silent' }), runWorkers: false, storage: { kind: 'local', dir: path.join(os.tmpdir(), uniqueName('live')) },
  });
  const app = await serveHttp(runtime, { adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { runtime, app, url };
}

async function stream(token: string) {
  const s = await openEventStream(b.url, token);
  streams.push(s);
  return s;
}
const caseEvents = (s: EventStreamReader, caseId: string) => s.events.filter((e) => e.event === 'case' && e.data.caseId === caseId);

beforeAll(async () => {
  a = await startTestEngine();
  d = await aDistrict(a.app);
  b = await secondInstance(a.databaseUrl);
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await b?.app.close();
  await b?.runtime.close();
  await a?.close();
});

describe('GET /api/v1/stream', () => {
  it('needs the bearer header; admins have nothing to follow', async () => {
    const none = await fetch(`${b.url}/api/v1/stream`);
    expect(none.status).toBe(401);
    const admin = await openEventStream(b.url, ADMIN_TOKEN);
    expect(admin.status).toBe(403);
  });

  it('a change made through instance A reaches the users of instance B whose scope holds the case, and no one else', async () => {
    const [liaison, other, meituan, convener] = [
      await stream(d.liaison.token), await stream(d.otherLiaison.token), await stream(d.meituan.token), await stream(d.convener.token),
    ];
    expect(liaison.status).toBe(200);
    expect(liaison.headers.get('content-type')).toContain('text/event-stream');
    // The stream writes its own head: the security headers go with it, as on every answer.
    expect(liaison.headers.get('x-content-type-options')).toBe('nosniff');
    expect(liaison.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(liaison.headers.get('cache-control')).toBe('no-store');
    const created = await aCase(d);
    await eventually(async () => caseEvents(liaison, created.id).length === 1 && caseEvents(convener, created.id).length === 1, 5000, 'registration on B');
    expect(caseEvents(liaison, created.id)[0].data).toMatchObject({
      caseId: created.id, reference: created.reference, state: 'registered', level: 'branch', holderOrgId: d.orgs.branch, version: 1,
    });
    expect(typeof caseEvents(liaison, created.id)[0].data.at).toBe('string');

    const forwarded = await d.liaison.act(created.id, { action: 'forward' });
    expect(forwarded.status).toBe(200);
    await eventually(async () => caseEvents(meituan, created.id).find((e) => e.data.state === 'forwarded'), 5000, 'forward on B');
    await eventually(async () => meituan.events.find((e) => e.event === 'notification' && e.data.caseId === created.id), 5000, 'notification on B');
    const note = meituan.events.find((e) => e.event === 'notification' && e.data.caseId === created.id)!.data;
    expect(note).toMatchObject({ kind: 'case_arrived', reference: created.reference, unread: true, title: WHO_IS_TOLD.case_arrived.title });
    expect(Object.keys(note).sort()).toEqual(['caseId', 'createdAt', 'id', 'kind', 'reference', 'title', 'unread']);
    await eventually(async () => caseEvents(liaison, created.id).length === 2, 5000, 'the branch sees the forward too');

    // The other branch never held it: nothing about this case, nor its notifications.
    await new Promise((r) => setTimeout(r, 300));
    expect(caseEvents(other, created.id)).toHaveLength(0);
    expect(other.events.filter((e) => e.event === 'notification')).toHaveLength(0);
    expect(JSON.stringify(meituan.events)).not.toMatch(/张三|13812341234/);
  });

  it('announces a change only after its transaction commits', async () => {
    const liaison = await stream(d.liaison.token);
    const created = await aCase(d);
    await eventually(async () => caseEvents(liaison, created.id).length === 1, 5000, 'registration');
    const direct = postgres(a.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await direct.begin(async (tx) => {
        await tx`update cases set version = version + 1, updated_at = now() where id = ${created.id}`;
        await new Promise((r) => setTimeout(r, 500));
        expect(caseEvents(liaison, created.id)).toHaveLength(1);
      });
      await eventually(async () => caseEvents(liaison, created.id).length === 2, 5000, 'the committed change');
      await direct.begin(async (tx) => {
        await tx`update cases set version = version + 1 where id = ${created.id}`;
        throw new Error('roll back');
      }).catch(() => {});
      await new Promise((r) => setTimeout(r, 500));
      expect(caseEvents(liaison, created.id)).toHaveLength(2);
    } finally {
      await direct.end();
    }
  });

  it('keeps the stream alive with a ping comment, and ends it when the caller is no longer allowed', async () => {
    const pings: string[] = [];
    let allowed = true;
    let ended = false;
    const live = createLiveStream({ sql: a.runtime.database.sql, log: pino({ level: 'silent' }), limits: DEFAULT_SECURITY.streams, orgs: a.runtime.engineDeps.orgs, pingMs: 50 });
    await live.listen();
    live.subscribe({
      caller: { userId: null, orgId: d.orgs.branch, role: 'liaison' }, tokenKey: 'revoked', send: () => {}, ping: () => pings.push('ping'),
      end: () => { ended = true; }, stillAllowed: async () => allowed,
    });
    await eventually(async () => pings.length >= 2, 2000, 'pings');
    expect(ended).toBe(false);
    allowed = false;
    await eventually(async () => ended, 2000, 'the stream of a revoked token to end');
    const count = pings.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(pings.length).toBeLessThanOrEqual(count + 1);
    await live.close();
  });
});

describe('who is told what', () => {
  it('has a row, with a Chinese and an English title, for every kind the chart sends', () => {
    const chartKinds: Record<NotificationKind, true> = {
      case_arrived: true, case_returned: true, supervision_order: true, meeting_decision: true, info_requested: true,
      info_provided: true, extension_requested: true, extension_decided: true, deadline_warning: true, deadline_missed: true, escalated: true,
      cohandler_added: true, contribution_received: true, referral_requested: true, referral_answered: true,
    };
    for (const kind of Object.keys(chartKinds)) expect(WHO_IS_TOLD, kind).toHaveProperty(kind);
    for (const rule of Object.values(WHO_IS_TOLD)) expect(rule.title).toMatch(/^[^a-zA-Z]*[\u4e00-\u9fff].*\/ [a-zA-Z0-9]/);
    expect(WHO_IS_TOLD.info_requested.role).toBe('liaison');
  });

  it('an urgent case reaches the competent department at once, which may then read it; the others may not', async () => {
    const created = await aCase(d, [], aGrievance({ urgency: 'urgent' }));
    const market = await d.market.get('/api/v1/notifications?unread=true');
    expect(market.status).toBe(200);
    const item = market.body.items.find((n: { caseId: string }) => n.caseId === created.id);
    expect(item).toMatchObject({ kind: 'urgent_case', reference: created.reference, readAt: null });
    expect(JSON.stringify(item)).not.toMatch(/张三|1381234|1234/);
    expect((await d.market.get(`/api/v1/cases/${created.id}`)).status).toBe(200);
    expect((await d.hr.get(`/api/v1/cases/${created.id}`)).status).toBe(404);
    expect((await d.hr.get('/api/v1/notifications')).body.items.some((n: { caseId: string }) => n.caseId === created.id)).toBe(false);
    // Told once: the forward of the same case does not tell it again.
    await d.liaison.act(created.id, { action: 'forward' });
    const again = await d.market.get('/api/v1/notifications');
    expect(again.body.items.filter((n: { caseId: string }) => n.caseId === created.id)).toHaveLength(1);
  });

  it('a case reclassified as urgent reaches the competent department then', async () => {
    const created = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
    const toldOf = async () => (await d.market.get('/api/v1/notifications')).body.items.filter((n: { caseId: string; kind: string }) => n.caseId === created.id && n.kind === 'urgent_case');
    expect(await toldOf()).toHaveLength(0);
    expect((await d.meituan.act(created.id, { action: 'reclassify', urgency: 'urgent', reason: '涉及人身安全' })).status).toBe(200);
    expect(await toldOf()).toHaveLength(1);
    expect((await d.market.get(`/api/v1/cases/${created.id}`)).status).toBe(200);
  });

  it('request_info reaches the branch liaison; an extension request its approver', async () => {
    const created = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
    expect((await d.meituan.act(created.id, { action: 'request_info', question: '请提供扣款截图' })).status).toBe(200);
    const liaison = await d.liaison.get('/api/v1/notifications');
    expect(liaison.body.items.find((n: { caseId: string; kind: string }) => n.caseId === created.id && n.kind === 'info_requested')).toBeDefined();
    expect((await d.liaison.act(created.id, { action: 'provide_info', answer: '已提供' })).status).toBe(200);
    const asked = await d.meituan.act(created.id, { action: 'request_extension', amount: 1, unit: 'working_days', reason: '需要平台数据' });
    expect(asked.status).toBe(200);
    const market = await d.market.get('/api/v1/notifications');
    expect(market.body.items.find((n: { caseId: string; kind: string }) => n.caseId === created.id && n.kind === 'extension_requested')).toBeDefined();
  });
});

describe('GET /api/v1/notifications', () => {
  it('lists the unit\'s notifications with the unread count; marking one read counts down; another unit\'s is not found', async () => {
    const created = await aCase(d, [['liaison', { action: 'forward' }]]);
    const before = await d.meituan.get('/api/v1/notifications?unread=true');
    expect(before.status).toBe(200);
    const mine = before.body.items.find((n: { caseId: string }) => n.caseId === created.id);
    expect(mine).toMatchObject({ kind: 'case_arrived', reference: created.reference, readAt: null });
    expect(mine.title).toBe(WHO_IS_TOLD.case_arrived.title);
    expect(mine.body).toContain(created.reference);
    expect(before.body.unread).toBeGreaterThanOrEqual(1);

    expect((await d.meituan.post(`/api/v1/notifications/${mine.id}/read`)).status).toBe(204);
    expect((await d.meituan.post(`/api/v1/notifications/${mine.id}/read`)).status).toBe(204);
    const after = await d.meituan.get('/api/v1/notifications?unread=true');
    expect(after.body.unread).toBe(before.body.unread - 1);
    expect(after.body.items.some((n: { id: string }) => n.id === mine.id)).toBe(false);
    const all = await d.meituan.get('/api/v1/notifications');
    expect(all.body.items.find((n: { id: string }) => n.id === mine.id).readAt).toEqual(expect.any(String));

    expect((await d.eleme.post(`/api/v1/notifications/${mine.id}/read`)).status).toBe(404);
    expect((await d.eleme.get('/api/v1/notifications')).body.items.some((n: { id: string }) => n.id === mine.id)).toBe(false);
    expect((await d.meituan.get('/api/v1/notifications?limit=0')).status).toBe(400);
  });
});

describe('shutting down', () => {
  it('ends open streams, so the server closes at once', async () => {
    const extra = await secondInstance(a.databaseUrl);
    const s = await openEventStream(extra.url, d.liaison.token);
    expect(s.status).toBe(200);
    const started = Date.now();
    await extra.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await eventually(async () => s.ended(), 2000, 'the stream to end');
    await extra.runtime.close();
  });
});
