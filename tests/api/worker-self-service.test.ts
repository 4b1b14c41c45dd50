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
import { startSmsGateway, type SmsGateway } from '../support/sms-gateway.js';
import { aCase, aDistrict, aGrievance, districtPerFile } from '../support/builders.js';
import { ADMIN_TOKEN, startTestEngine } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import { MAX_WRONG_DIGITS_PER_DAY } from '../../src/worker-access/public-status.js';
import type { App } from '../../src/http/app.js';

const file = districtPerFile();
let sql: postgres.Sql;
/** The branch's SMS gateway: the worker's link arrives here as a text message, as it would on the phone. */
let gateway: SmsGateway;
beforeAll(async () => {
  sql = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} });
  gateway = await startSmsGateway();
  const set = await file.engine.app.inject({
    method: 'PUT', url: `/api/v1/orgs/${file.d.orgs.branch}/channels`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { sms: { gatewayUrl: gateway.url, token: 'sms-token' } },
  });
  expect(set.statusCode).toBe(200);
});
afterAll(async () => {
  await sql?.end();
  await gateway?.close();
});

let ip = 0;
/** A public call, no token, from its own client address (the per-IP limit is tested on its own). */
const pub = async (method: 'GET' | 'POST', url: string, payload?: object, app: App = file.engine.app, remoteAddress = `10.0.0.${++ip}`) => {
  const res = await app.inject({ method, url, payload, remoteAddress });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};

/** The feedback links the worker of a case has received by SMS, oldest first (waits for `count` of them). */
const linkOf = async (caseId: string, count = 1) => {
  const rows = await sql<{ orgId: string; reference: string }[]>`
    select org_id as "orgId", payload->>'reference' as reference from outbox where case_id = ${caseId} and kind = 'worker_feedback_link' order by created_at`;
  const reference = rows[0]?.reference;
  const received = () => gateway.texts.filter((t) => reference && t.text.includes(reference) && t.text.includes('/feedback/'));
  await eventually(async () => received().length >= count, 10_000, `${count} feedback link(s) by SMS`);
  return received().map((t) => {
    const link = /\S*\/feedback\/[A-Za-z0-9_-]+/.exec(t.text)![0];
    return { reference, orgId: rows[0].orgId, to: t.to, link, token: link.split('/feedback/')[1] };
  });
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

  it('after too many wrong phone digits in a day a case answers to its receipt code only (no guessing the last 4)', async () => {
    const created = await file.d.liaison.post('/api/v1/cases', aGrievance({ worker: { name: '李四', phone: '13900006789', workerType: 'courier', platforms: ['顺丰'] } }));
    const { reference, receiptCode } = created.body;
    // Earlier wrong tries today (from many addresses: the per-IP and per-reference limits allow 10 a minute each).
    await sql`insert into public_lookup_failures (case_id, day, failures) values (${created.body.id}, ${new Date().toISOString().slice(0, 10)}, ${MAX_WRONG_DIGITS_PER_DAY - 1})`;
    expect((await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=0000`)).status).toBe(404);
    const right = await pub('GET', `/api/v1/public/cases/${reference}?phoneLast4=6789`);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.body.message).toContain('回执码');
    expect((await pub('GET', `/api/v1/public/cases/${reference}?code=${receiptCode}`)).status).toBe(200);
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
    expect(link).toMatchObject({ reference: c.reference, orgId: file.d.orgs.branch, to: '13812341234' });
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

  it('call-back first: the worker\'s link then answers 422 feedback_already_recorded', async () => {
    const { c, link } = await resolved();
    expect((await file.d.callback.act(c.id, { action: 'feedback', rating: 'basically_satisfied', solved: 'partly' })).status).toBe(200);
    const late = await pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'satisfied', solved: 'yes' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('feedback_already_recorded');
    expect((await pub('GET', `/api/v1/public/feedback/${link.token}`)).body.open).toBe(false);
  });

  it('worker and call-back user at the same moment: exactly one feedback is recorded, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      const { c, link } = await resolved();
      const [worker, liaison] = await Promise.all([
        pub('POST', `/api/v1/public/feedback/${link.token}`, { rating: 'satisfied', solved: 'yes' }),
        file.d.callback.act(c.id, { action: 'feedback', rating: 'dissatisfied' }),
      ]);
      // The liaison's page sent the version it read: the worker's feedback makes it stale (409) or closes the step (422).
      expect(worker.status === 200 ? [422, 409] : [200]).toContain(liaison.status);
      expect(worker.status === 200 || liaison.status === 200).toBe(true);
      const refused = worker.status === 422 ? worker : liaison;
      expect(refused.body.code).toMatch(/feedback_already_recorded|version_stale|action_not_allowed/);
      const events = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
      expect(events.filter((e: { action: string }) => e.action === 'feedback')).toHaveLength(1);
    }
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
    expect((await d.callback.act(c.id, { action: 'feedback', rating: 'dissatisfied', solved: 'no' })).status).toBe(200);
    await d.meituan.act(c.id, { action: 'accept' });
    await d.meituan.act(c.id, { action: 'resolve', resolution: '平台已复核' });
    const links = await linkOf(c.id, 2);
    expect(links).toHaveLength(2);
    expect((await pub('POST', `/api/v1/public/feedback/${old.token}`, { rating: 'satisfied', solved: 'yes' })).body.code).toBe('feedback_link_expired');
    const fresh = await pub('POST', `/api/v1/public/feedback/${links[1].token}`, { rating: 'satisfied', solved: 'yes' });
    expect(fresh.body).toEqual({ reference: c.reference, state: 'closed' });
  });
});

describe('the link is a credential', () => {
  it('never appears in a log line, and leaves the outbox row once delivered (here to a unit without a webhook)', async () => {
    let logs = '';
    const stream = new PassThrough();
    stream.on('data', (chunk) => { logs += chunk; });
    const engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 200, logTo: stream });
    try {
      const d = await aDistrict(engine.app);
      const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '已处理' }]]);
      await eventually(async () => logs.includes('worker_feedback_link'), 10_000, 'the link row logged');
      const db = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
      const [row] = await db`select payload, delivered_at from outbox where case_id = ${c.id} and kind = 'worker_feedback_link'`;
      await db.end();
      // Once sent, the kept row no longer holds the link (a one-time credential).
      expect(row.delivered_at).toBeInstanceOf(Date);
      expect(row.payload).toEqual({ reference: c.reference });
      expect(logs).toContain(c.reference);
      expect(logs).not.toMatch(/\/feedback\/(?!\*\*\*)/);
    } finally {
      await engine.close();
    }
  });
});
