/**
 * The worker follows their own case (issue 10.3): the receipt code at registration (and in the
 * idempotent replay), the public status by code or phone last 4 (404 on a mismatch, 429 past the
 * limit, no token, no personal data), and the one-time feedback link (回访): first feedback wins,
 * the liaison's or the worker's; a link works once.
 */
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { aCase, aDistrict, aGrievance, districtPerFile } from '../support/builders.js';
import { ADMIN_TOKEN, startTestEngine } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import type { App } from '../../src/http/app.js';

const file = districtPerFile();
let sql: postgres.Sql;
beforeAll(() => { sql = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} }); });
afterAll(async () => sql?.end());

let ip = 0;
/** A public call, no token, from its own client address (the per-IP limit is tested on its own). */
const pub = async (method: 'GET' | 'POST', url: string, payload?: object, app: App = file.engine.app, remoteAddress = `10.0.0.${++ip}`) => {
  const res = await app.inject({ method, url, payload, remoteAddress });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};

const linkOf = async (caseId: string) => {
  const rows = await sql<{ payload: { reference: string; link: string }; org_id: string }[]>`
    select payload, org_id from outbox where case_id = ${caseId} and kind = 'worker_feedback_link' order by created_at`;
  return rows.map((r) => ({ ...r.payload, orgId: r.org_id, token: r.payload.link.split('/feedback/')[1] }));
};

describe('the receipt code', () => {
  it('is 6 unambiguous characters, shown in the 201 and in its idempotent replay, stored only as an HMAC', async () => {
    const { d } = file;
    const first = await d.liaison.post('/api/v1/cases', aGrievance(), { 'idempotency-key': 'receipt-1' });
    expect(first.status).toBe(201);
    expect(first.body.receiptCode).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const replay = await d.liaison.post('/api/v1/cases', aGrievance(), { 'idempotency-key': 'receipt-1' });
    expect(replay.body).toMatchObject({ id: first.body.id, receiptCode: first.body.receiptCode });
    expect((await d.liaison.get(`/api/v1/cases/${first.body.id}`)).body.receiptCode).toBeUndefined();
    const [row] = await sql`select receipt_code_hash from cases where id = ${first.body.id}`;
    expect(row.receipt_code_hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await sql`select * from cases c join idempotency_keys k on k.case_id = c.id where c.id = ${first.body.id}`);
    expect(dump).not.toContain(first.body.receiptCode);
  });
});

describe('the public status', () => {
  it('answers by code (any letter case) or phone last 4 with steps and what is next, no personal data; a mismatch is 404', async () => {
    const { d } = file;
    const created = await d.liaison.post('/api/v1/cases', aGrievance());
    const { reference, receiptCode, id } = created.body;
    await d.liaison.act(id, { action: 'forward' });
    await d.meituan.act(id, { action: 'accept' });

    const byCode = await pub('GET', `/api/v1/public/cases/${reference}?code=${receiptCode.toLowerCase()}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({
      reference, state: 'platform_handling', stateName: '平台办理中', level: 'platform', category: 'DED',
      steps: [{ what: '诉求已登记' }, { what: '已转交平台企业或街道' }, { what: '已受理' }],
    });
    expect(byCode.body.next).toContain('办理');
    expect(byCode.headers['cache-control']).toBe('no-store');
    const text = JSON.stringify(byCode.body);
    for (const secret of ['张三', '1381234', '美团专员', '李联络', '美团平台党委', d.orgs.meituan, '暴雨']) expect(text).not.toContain(secret);

    expect((await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=1234`)).status).toBe(200);
    expect((await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=4321`)).status).toBe(404);
    const wrong = receiptCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
    const mismatch = await pub('GET', `/api/v1/public/cases/${reference}?code=${wrong}`);
    const missing = await pub('GET', `/api/v1/public/cases/SQ-0000-0000000?code=${wrong}`);
    expect([mismatch.status, missing.status]).toEqual([404, 404]);
    expect(mismatch.body.message).toBe(missing.body.message.replace('SQ-0000-0000000', reference));
    expect((await pub('GET', `/api/v1/public/cases/${reference}`)).status).toBe(400);
    expect((await pub('GET', `/api/v1/public/cases/${reference}?code=${receiptCode}&phoneLast4=1234`)).status).toBe(400);
  });

  it('an anonymous worker uses the code; the phone digits find nothing', async () => {
    const { d } = file;
    const created = await d.liaison.post('/api/v1/cases', aGrievance({ worker: { anonymous: true, workerType: 'delivery', platforms: ['美团'] } }));
    const { reference, receiptCode } = created.body;
    expect((await pub('GET', `/api/v1/public/cases/${reference}?code=${receiptCode}`)).status).toBe(200);
    expect((await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=0000`)).status).toBe(404);
  });

  it('is limited per IP and per reference (429 with Retry-After)', async () => {
    const { d, engine } = file;
    const strict = await serveHttp(engine.runtime, {
      adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }),
      security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, publicPerMinute: 3 } },
    });
    try {
      const { reference } = (await d.liaison.post('/api/v1/cases', aGrievance())).body;
      const fromOneIp = [];
      for (let i = 0; i < 4; i++) fromOneIp.push(await pub('GET', `/api/v1/public/cases/SQ-X-${i}?phoneLast4=1234`, undefined, strict, '10.9.9.9'));
      expect(fromOneIp.map((r) => r.status)).toEqual([404, 404, 404, 429]);
      expect(Number(fromOneIp[3].headers['retry-after'])).toBeGreaterThan(0);
      const oneReference = [];
      for (let i = 0; i < 4; i++) oneReference.push(await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=000${i}`, undefined, strict));
      expect(oneReference.map((r) => r.status)).toEqual([404, 404, 404, 429]);
      expect(oneReference[3].body.code).toBe('rate_limited');
    } finally {
      await strict.close();
    }
  });
});

describe('the worker\'s feedback link (回访)', () => {
  const resolved = async () => {
    const c = await aCase(file.d, [['liaison', { action: 'resolve', resolution: '已退还扣款，有问题请联系 13912345678' }]]);
    const [link] = await linkOf(c.id);
    return { c, link };
  };

  it('is written to the outbox for the registering branch when the case is resolved; it shows the masked resolution', async () => {
    const { c, link } = await resolved();
    expect(link).toMatchObject({ reference: c.reference, orgId: file.d.orgs.branch });
    expect(link.link).toMatch(/\/feedback\/[A-Za-z0-9_-]{32}$/);
    const subject = await pub('GET', `/api/v1/public/feedback/${link.token}`);
    expect(subject.status).toBe(200);
    expect(subject.body).toMatchObject({ reference: c.reference, open: true, resolution: '已退还扣款，有问题请联系 139****5678' });
    expect(subject.body.ratings).toContain('satisfied');
  });

  it('worker first: closes the case as the worker; the link works once (410); the liaison\'s later feedback is refused (422)', async () => {
    const { c, link } = await resolved();
    const given = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'satisfied', solved: 'yes', comment: '谢谢，我的电话 13812341234' });
    expect(given.status).toBe(200);
    expect(given.body).toEqual({ reference: c.reference, state: 'closed' });

    const again = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'dissatisfied', solved: 'no' });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('feedback_link_used');
    expect((await pub('GET', `/api/v1/public/feedback/${link.token}`)).status).toBe(410);

    const liaison = await file.d.liaison.act(c.id, { action: 'feedback', rating: 'dissatisfied' });
    expect(liaison.status).toBe(422);
    expect(liaison.body.code).toBe('feedback_already_recorded');

    const events = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    const feedback = events.filter((e: { action: string }) => e.action === 'feedback');
    expect(feedback).toHaveLength(1);
    expect(feedback[0].actor).toEqual({ system: 'worker' });
    expect(feedback[0].data).toMatchObject({ rating: 'satisfied', solved: 'yes', comment: '谢谢，我的电话 138****1234' });
  });

  it('liaison first: the worker\'s link then answers 422 feedback_already_recorded', async () => {
    const { c, link } = await resolved();
    expect((await file.d.liaison.act(c.id, { action: 'feedback', rating: 'basically_satisfied', solved: 'partly' })).status).toBe(200);
    const late = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'satisfied', solved: 'yes' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('feedback_already_recorded');
    expect((await pub('GET', `/api/v1/public/feedback/${link.token}`)).body.open).toBe(false);
  });

  it('a dissatisfied worker reopens the case one level up; unknown links are 404, malformed 400', async () => {
    const { c, link } = await resolved();
    const given = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'dissatisfied', solved: 'no' });
    expect(given.body).toEqual({ reference: c.reference, state: 'forwarded' });
    expect((await pub('POST', `/api/v1/public/feedback/${'x'.repeat(32)}`, { rating: 'satisfied', solved: 'yes' })).status).toBe(404);
    expect((await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'great', solved: 'yes' })).status).toBe(400);
  });

  it('expires with the feedback clock (410)', async () => {
    const { c, link } = await resolved();
    const [clock] = await sql`select due_at from deadlines where case_id = ${c.id} and step = 'feedback' and status = 'pending'`;
    const [stored] = await sql`select expires_at from worker_feedback_links where case_id = ${c.id}`;
    expect(stored.expires_at.getTime()).toBe(clock.due_at.getTime());
    await sql`update worker_feedback_links set expires_at = now() - interval '1 second' where case_id = ${c.id}`;
    const expired = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'satisfied', solved: 'yes' });
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('feedback_link_expired');
  });

  it('a newer resolution (after a reopening) replaces the older link', async () => {
    const { d } = file;
    const { c, link: old } = await resolved();
    expect((await d.liaison.act(c.id, { action: 'feedback', rating: 'dissatisfied', solved: 'no' })).status).toBe(200);
    await d.meituan.act(c.id, { action: 'accept' });
    await d.meituan.act(c.id, { action: 'resolve', resolution: '平台已复核' });
    const links = await linkOf(c.id);
    expect(links).toHaveLength(2);
    expect((await pub('POST', `/api/v1/public/feedback/${old.token}`, { rating: 'satisfied', solved: 'yes' })).body.code).toBe('feedback_link_expired');
    const fresh = await pub('POST', `/api/v1/public/feedback/${links[1].token}`, { rating: 'satisfied', solved: 'yes' });
    expect(fresh.body).toEqual({ reference: c.reference, state: 'closed' });
  });
});

describe('the link is a credential', () => {
  it('never appears in a log line when the outbox row is delivered to a unit without a webhook', async () => {
    let logs = '';
    const stream = new PassThrough();
    stream.on('data', (chunk) => { logs += chunk; });
    const engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 200, logTo: stream });
    try {
      const d = await aDistrict(engine.app);
      const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '已处理' }]]);
      await eventually(async () => logs.includes('worker_feedback_link'), 10_000, 'the link row logged');
      const db = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
      const [row] = await db`select payload from outbox where case_id = ${c.id} and kind = 'worker_feedback_link'`;
      await db.end();
      const token = (row.payload as { link: string }).link.split('/feedback/')[1];
      expect(logs).toContain(c.reference);
      expect(logs).not.toContain(token);
    } finally {
      await engine.close();
    }
  });
});
