/**
 * Worker-direct intake (issue 21.1): a worker submits from the station's QR code or a link (no
 * token, limited per IP and per phone), adds a photo, follows it by the tracking code; it waits in
 * the branch's 待核实 queue on its l0_verify clock (warned, then told to the branch's parent unit,
 * once each, even after a Redis wipe) until the liaison registers it through the case engine (the
 * worker's words and files kept, the record linking it), declines it with a reason the worker
 * sees, or forwards a suggestion to the convener.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, client, districtPerFile, uniformSla } from '../support/builders.js';
import { ADMIN_TOKEN, startTestEngine } from '../support/harness.js';
import { eventually, startPrivateRedis } from '../support/processes.js';
import { MP3, multipart, photoWithGps } from '../support/uploads.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import { eraseExpiredContacts } from '../../src/privacy/contact-retention.js';
import type { App } from '../../src/http/app.js';

const file = districtPerFile();
let sql: postgres.Sql;
beforeAll(async () => { sql = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} }); });
afterAll(async () => { await sql?.end(); });

let ip = 0;
/** A public call, no token, from its own client address (the limits are tested on their own). */
const pub = async (method: 'GET' | 'POST', url: string, payload?: object, app: App = file.engine.app, remoteAddress = `10.1.0.${++ip}`) => {
  const res = await app.inject({ method, url, payload, remoteAddress });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};
const uploadTo = async (trackingCode: string, filename: string, bytes: Buffer) => {
  const body = multipart('file', filename, bytes);
  const res = await file.engine.app.inject({
    method: 'POST', url: `/api/v1/public/submissions/${trackingCode}/attachments`, payload: body.payload,
    headers: { 'content-type': body.contentType }, remoteAddress: `10.2.0.${++ip}`,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
/** Each with its own phone (the per-phone limit is tested on its own). */
let phones = 1000;
const aSubmission = (overrides: Record<string, unknown> = {}) => ({
  branchId: file.d.orgs.branch, kind: 'grievance', description: '站点扣我 200 元，电话 13812345678', category: 'DED',
  phone: `1391234${++phones}`, workerType: 'delivery', platform: '美团', area: '朝阳街道', ...overrides,
});
const submit = async (overrides: Record<string, unknown> = {}) => {
  const res = await pub('POST', '/api/v1/public/submissions', aSubmission(overrides));
  expect(res.status).toBe(201);
  const [row] = await sql<{ id: string }[]>`select id from submissions order by created_at desc limit 1`;
  return { trackingCode: res.body.trackingCode as string, id: row.id };
};

describe('a worker submits', () => {
  it('without a token: a tracking code, waiting in the branch\'s queue with an l0_verify clock of 1 working day by default', async () => {
    const form = await pub('GET', `/api/v1/public/intake/${file.d.orgs.branch}`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ branchName: '第一支部' });
    expect(form.body.categories).toContainEqual(expect.objectContaining({ code: 'DED' }));

    const res = await pub('POST', '/api/v1/public/submissions', aSubmission({ phone: '13812345678' }));
    expect(res.status).toBe(201);
    expect(res.body.trackingCode).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(res.body.state).toBe('waiting');
    const status = await pub('GET', `/api/v1/public/submissions/${res.body.trackingCode.toLowerCase()}`);
    expect(status).toMatchObject({ status: 200, body: { state: 'waiting' } });
    expect(JSON.stringify(status.body)).not.toContain('1381234');

    const queue = await file.d.liaison.get('/api/v1/submissions?state=waiting');
    expect(queue.status).toBe(200);
    const mine = queue.body.items.find((s: { description: string }) => s.description.includes('站点扣我'));
    expect(mine).toMatchObject({ kind: 'grievance', state: 'waiting', phone: '138****5678', category: 'DED', source: 'public', overdue: false });
    expect(mine.description).not.toContain('13812345678');
    const [row] = await sql`select tracking_code_hash, due_at, created_at from submissions where id = ${mine.id}`;
    expect(row.tracking_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.due_at.getTime() - row.created_at.getTime()).toBeGreaterThan(3600_000);
  });

  it('anonymously, without a phone: nothing of a phone is kept', async () => {
    const { id } = await submit({ phone: '13900001111', anonymous: true });
    const [row] = await sql`select phone, anonymous from submissions where id = ${id}`;
    expect(row).toEqual({ phone: null, anonymous: true });
  });

  it('refuses an unknown, inactive or non-branch unit (404), an unknown category (400), a bad body (400)', async () => {
    expect((await pub('POST', '/api/v1/public/submissions', aSubmission({ branchId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
    expect((await pub('POST', '/api/v1/public/submissions', aSubmission({ branchId: file.d.orgs.meituan }))).status).toBe(404);
    const gone = await file.d.admin.post('/api/v1/orgs', { name: '撤销支部', type: 'branch' });
    await file.engine.app.inject({ method: 'DELETE', url: `/api/v1/orgs/${gone.body.id}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect((await pub('POST', '/api/v1/public/submissions', aSubmission({ branchId: gone.body.id }))).status).toBe(404);
    expect((await pub('GET', `/api/v1/public/intake/${gone.body.id}`)).status).toBe(404);
    const unknown = await pub('POST', '/api/v1/public/submissions', aSubmission({ category: 'XYZ' }));
    expect(unknown).toMatchObject({ status: 400, body: { code: 'field_invalid' } });
    expect(unknown.body.message).toContain('category');
    expect((await pub('POST', '/api/v1/public/submissions', aSubmission({ kind: 'rumour' }))).status).toBe(400);
    expect((await pub('POST', '/api/v1/public/submissions', aSubmission({ description: '' }))).status).toBe(400);
    expect((await pub('GET', '/api/v1/public/submissions/ABCDEFGHJKMN')).status).toBe(404);
  });

  it('adds a photo (metadata stripped) and a voice note; refuses what a case attachment refuses', async () => {
    const { trackingCode, id } = await submit();
    const photo = await uploadTo(trackingCode, '现场 13812345678.jpg', await photoWithGps());
    expect(photo).toMatchObject({ status: 201, body: { contentType: 'image/jpeg', name: '现场 138****5678.jpg' } });
    expect((await uploadTo(trackingCode, 'voice.mp3', MP3)).status).toBe(201);
    expect((await uploadTo(trackingCode, 'x.exe', Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(2048)]))).status).toBe(415);
    expect((await uploadTo('ABCDEFGHJKMN', 'voice.mp3', MP3)).status).toBe(404);
    const [{ n }] = await sql`select count(*)::int as n from submission_attachments where submission_id = ${id}`;
    expect(n).toBe(2);
  });

  it('is limited per phone across addresses and per address (429 with Retry-After)', async () => {
    const engine = await startTestEngine();
    try {
      const d = await aDistrict(engine.app);
      const app = await serveHttp(engine.runtime, {
        adminToken: ADMIN_TOKEN, logger: (await import('pino')).default({ level: 'silent' }),
        security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, publicPerMinute: 3 } },
      });
      try {
        const body = { branchId: d.orgs.branch, kind: 'grievance', description: '扣款', phone: '13700001234' };
        const fromMany = [];
        for (let i = 0; i < 4; i++) fromMany.push(await pub('POST', '/api/v1/public/submissions', body, app, `10.3.0.${i}`));
        expect(fromMany.map((r) => r.status)).toEqual([201, 201, 201, 429]);
        expect(fromMany[3].headers['retry-after']).toBeDefined();
        const oneAddress = [];
        for (let i = 0; i < 4; i++) oneAddress.push(await pub('POST', '/api/v1/public/submissions', { ...body, phone: `1360000000${i}` }, app, '10.4.0.1'));
        expect(oneAddress.map((r) => r.status)).toEqual([201, 201, 201, 429]);
      } finally {
        await app.close();
      }
    } finally {
      await engine.close();
    }
  });
});

describe('the liaison verifies', () => {
  it('registers it: prefilled from the submission, edits taken, channel online, the record links it, the files move to the case', async () => {
    const { d } = file;
    const { trackingCode, id } = await submit({ phone: '13812345678' });
    expect((await uploadTo(trackingCode, 'photo.jpg', await photoWithGps())).status).toBe(201);

    const res = await d.liaison.post(`/api/v1/submissions/${id}/register`, { urgency: 'urgent', worker: { name: '张三' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'registered', level: 'branch', holderOrgId: d.orgs.branch, channel: 'online', category: 'DED', urgency: 'urgent', platform: '美团' });
    expect(res.body.receiptCode).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(res.body.description).toContain('站点扣我');

    const events = await d.liaison.get(`/api/v1/cases/${res.body.id}/events`);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['register', 'attachment_added']);
    expect(events.body.items[0].data).toMatchObject({ submissionId: id, channel: 'online' });
    const verified = await d.convener.get(`/api/v1/audit/verify?caseId=${res.body.id}`);
    expect(verified.body).toMatchObject({ ok: true, checked: 2 });
    const files = await d.liaison.get(`/api/v1/cases/${res.body.id}/attachments`);
    expect(files.body.items).toHaveLength(1);
    const download = await file.engine.app.inject({ method: 'GET', url: `/api/v1/attachments/${files.body.items[0].id}`, headers: { authorization: `Bearer ${d.liaison.token}` } });
    expect(download.statusCode).toBe(200);
    const contact = await d.liaison.post(`/api/v1/cases/${res.body.id}/reveal`, { reason: '回访' });
    expect(contact.body).toEqual({ name: '张三', phone: '13812345678' });
    // The phone moved to the case: the submission keeps none.
    expect((await sql`select phone, case_id from submissions where id = ${id}`)[0]).toEqual({ phone: null, case_id: res.body.id });

    // The worker sees the case's reference, then follows it as any case.
    expect((await pub('GET', `/api/v1/public/submissions/${trackingCode}`)).body).toEqual({ state: 'registered', reference: res.body.reference });
    // Twice, or a file afterwards: 409.
    const again = await d.liaison.post(`/api/v1/submissions/${id}/register`, {});
    expect(again).toMatchObject({ status: 409, body: { code: 'submission_not_waiting' } });
    expect((await d.liaison.post(`/api/v1/submissions/${id}/decline`, { reason: '重复' })).status).toBe(409);
    expect((await uploadTo(trackingCode, 'late.mp3', MP3)).status).toBe(409);
    expect((await d.liaison.get('/api/v1/submissions?state=registered')).body.items.map((s: { id: string }) => s.id)).toContain(id);
  });

  it('asks for what the submission lacks (400 naming the field) and writes nothing', async () => {
    const { d } = file;
    const { id } = await submit({ category: undefined, workerType: undefined });
    const missing = await d.liaison.post(`/api/v1/submissions/${id}/register`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/category|workerType/);
    const bad = await d.liaison.post(`/api/v1/submissions/${id}/register`, { category: 'DED', worker: { workerType: 'delivery' }, platform: '无此平台' });
    expect(bad.status).toBe(400);
    const [row] = await sql`select state, case_id from submissions where id = ${id}`;
    expect(row).toEqual({ state: 'waiting', case_id: null });
    const ok = await d.liaison.post(`/api/v1/submissions/${id}/register`, { category: 'DED', worker: { workerType: 'delivery' } });
    expect(ok.status).toBe(201);
  });

  it('declines it with a reason the worker sees (personal numbers masked); twice is 409', async () => {
    const { d } = file;
    const { trackingCode, id } = await submit();
    const res = await d.liaison.post(`/api/v1/submissions/${id}/decline`, { reason: '非本站点劳动者，请拨打 13800001111 咨询' });
    expect(res).toMatchObject({ status: 200, body: { state: 'declined' } });
    const status = await pub('GET', `/api/v1/public/submissions/${trackingCode}`);
    expect(status.body).toEqual({ state: 'declined', reason: '非本站点劳动者，请拨打 138****1111 咨询' });
    expect((await d.liaison.post(`/api/v1/submissions/${id}/decline`, { reason: '再次' })).status).toBe(409);
    expect((await d.liaison.post(`/api/v1/submissions/${id}/register`, {})).status).toBe(409);
    // Its phone goes with the contacts' retention (PII_RETENTION_DAYS after the decision).
    expect((await sql`select phone from submissions where id = ${id}`)[0].phone).not.toBeNull();
    await eraseExpiredContacts(file.engine.runtime.database.sql, 1, new Date(Date.now() + 2 * 86_400_000));
    expect((await sql`select phone from submissions where id = ${id}`)[0].phone).toBeNull();
  });

  it('forwards a suggestion to the convener (a message to the convener unit); a grievance there is 422', async () => {
    const { d } = file;
    const grievance = await submit();
    const refused = await d.liaison.post(`/api/v1/submissions/${grievance.id}/forward-to-convener`, {});
    expect(refused).toMatchObject({ status: 422, body: { code: 'submission_kind_not_allowed' } });

    const suggestion = await submit({ kind: 'suggestion', description: '建议在驿站加装充电柜', category: undefined });
    const res = await d.liaison.post(`/api/v1/submissions/${suggestion.id}/forward-to-convener`, { note: '请协调会研究' });
    expect(res).toMatchObject({ status: 200, body: { state: 'forwarded' } });
    const told = await sql`select org_id, kind from outbox where kind = 'submission_forwarded' and payload->>'reference' = ${suggestion.id}`;
    expect(told.map((r) => r.org_id)).toContain(d.orgs.convener);
    expect((await pub('GET', `/api/v1/public/submissions/${suggestion.trackingCode}`)).body).toEqual({ state: 'forwarded' });
    expect((await d.liaison.post(`/api/v1/submissions/${suggestion.id}/forward-to-convener`, {})).status).toBe(409);
  });

  it('is the branch\'s alone: another branch sees none of it (404), other roles are refused (403)', async () => {
    const { d } = file;
    const { id } = await submit();
    expect((await d.otherLiaison.get('/api/v1/submissions')).body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    expect((await d.otherLiaison.post(`/api/v1/submissions/${id}/decline`, { reason: 'x' })).status).toBe(404);
    expect((await d.otherLiaison.post(`/api/v1/submissions/${id}/register`, {})).status).toBe(404);
    expect((await d.meituan.get('/api/v1/submissions')).status).toBe(403);
    expect((await d.admin.get('/api/v1/submissions')).status).toBe(403);
    expect((await d.meituan.post(`/api/v1/submissions/${id}/decline`, { reason: 'x' })).status).toBe(403);
    expect((await d.liaison.post('/api/v1/submissions/00000000-0000-4000-8000-000000000000/decline', { reason: 'x' })).status).toBe(404);
  });
});

describe('the intake poster', () => {
  it('is an SVG, Chinese first, with the branch name, the QR code and the link; for the branch\'s liaison and admins', async () => {
    const { d } = file;
    const poster = await d.liaison.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`);
    expect(poster.status).toBe(200);
    expect(String(poster.headers['content-type'])).toContain('image/svg+xml');
    expect(poster.text).toContain('第一支部');
    expect(poster.text.indexOf('扫码')).toBeLessThan(poster.text.indexOf('Scan'));
    expect(poster.text).toContain(`/submit/${d.orgs.branch}`);
    expect(poster.text.match(/<svg/g)!.length).toBe(2);
    expect((await d.admin.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`)).status).toBe(200);
    expect((await d.otherLiaison.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`)).status).toBe(404);
    expect((await d.meituan.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`)).status).toBe(403);
    expect((await d.admin.get(`/api/v1/orgs/${d.orgs.meituan}/intake-qr`))).toMatchObject({ status: 422, body: { code: 'not_a_branch' } });
    expect((await d.admin.get('/api/v1/orgs/00000000-0000-4000-8000-000000000000/intake-qr')).status).toBe(404);
  });
});

describe('the l0_verify clock', () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  beforeAll(async () => { redis = await startPrivateRedis(); });
  afterAll(async () => redis?.stop());

  it('warns the branch at 80 % and tells the branch and its parent when missed, once each, even after a Redis wipe', async () => {
    const engine = await startTestEngine({ runWorkers: true, redisUrl: redis.url, queuePrefix: 'verify', sweepIntervalMs: 500 });
    const db = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const d = await aDistrict(engine.app);
      const admin = client(engine.app, ADMIN_TOKEN);
      const parent = await admin.post('/api/v1/orgs', { name: '街道党工委', type: 'convener' });
      const branch = await admin.post('/api/v1/orgs', { name: '驿站支部', type: 'branch', parentId: parent.body.id });
      const policies = await admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 5, unit: 'working_days' }), { step: 'l0_verify', amount: 4, unit: 'seconds' }]);
      expect(policies.status).toBe(200);
      // Waits until the settings cache has the new policy and unit.
      await new Promise((r) => setTimeout(r, 100));
      const submitted = await engine.app.inject({ method: 'POST', url: '/api/v1/public/submissions', remoteAddress: '10.9.0.1',
        payload: { branchId: branch.body.id, kind: 'grievance', description: '押金不退' } });
      expect(submitted.statusCode).toBe(201);
      const [row] = await db<{ id: string; dueAt: Date; warnAt: Date }[]>`select id, due_at as "dueAt", warn_at as "warnAt" from submissions`;
      expect(row.dueAt.getTime() - row.warnAt.getTime()).toBeGreaterThan(500);
      // The wake-ups are lost: the sweeper brings them back from Postgres.
      await redis.client.flushall();

      const told = () => db<{ orgId: string; kind: string }[]>`
        select org_id as "orgId", kind from outbox where payload->>'reference' = ${row.id} and channel = 'webhook' order by created_at, kind, org_id`;
      await eventually(async () => (await told()).some((t) => t.kind === 'submission_missed'), 20_000, 'the miss', told);
      // More sweeps and wake-ups change nothing.
      await engine.runtime.sweep();
      await new Promise((r) => setTimeout(r, 1500));
      const notes = await told();
      expect(notes).toEqual([
        { orgId: branch.body.id, kind: 'submission_warning' },
        ...[branch.body.id, parent.body.id].sort().map((orgId) => ({ orgId, kind: 'submission_missed' })),
      ]);
      const [fired] = await db`select warned_at, missed_at from submissions where id = ${row.id}`;
      expect(fired.warned_at.getTime()).toBeGreaterThanOrEqual(row.warnAt.getTime());
      expect(fired.missed_at.getTime()).toBeGreaterThanOrEqual(row.dueAt.getTime());
      const liaison = await admin.post('/api/v1/users', { name: '驿站联络员', orgId: branch.body.id, role: 'liaison' });
      const queue = await client(engine.app, liaison.body.token).get('/api/v1/submissions');
      expect(queue.body.items).toMatchObject([{ id: row.id, overdue: true }]);
      expect(d.orgs.branch).not.toBe(branch.body.id);
    } finally {
      await db.end();
      await engine.close();
    }
  }, 60_000);
});
