/** Issue 12: token rotation, expiry and last use, deactivation, sign-in links, units, webhook URLs, the admin audit log. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, type District } from '../support/builders.js';
import { DEFAULT_SECURITY } from '../../src/config.js';

let engine: TestEngine;
let d: District;
const call = (method: string, url: string, token: string, payload?: object) =>
  engine.app.inject({ method: method as 'GET', url, payload, headers: { authorization: `Bearer ${token}` } })
    .then((res) => ({ status: res.statusCode, body: res.body ? JSON.parse(res.body) : null }));
const admin = (method: string, url: string, payload?: object) => call(method, url, d.admin.token, payload);
const newUser = async (name: string, orgId: string, role: string) => (await admin('POST', '/api/v1/users', { name, orgId, role })).body;

beforeAll(async () => {
  engine = await startTestEngine({ security: { ...DEFAULT_SECURITY, tokenTtlDays: 30 } });
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

describe('tokens', () => {
  it('rotation: a new token works, the old one is dead', async () => {
    const user = await newUser('轮换联络员', d.orgs.branch, 'liaison');
    expect((await call('GET', '/api/v1/me', user.token)).status).toBe(200);
    const rotated = await admin('POST', `/api/v1/users/${user.id}/token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(user.token);
    expect((await call('GET', '/api/v1/me', user.token)).status).toBe(401);
    expect((await call('GET', '/api/v1/me', rotated.body.token)).body).toMatchObject({ userId: user.id, role: 'liaison' });
    expect((await call('POST', `/api/v1/users/${user.id}/token`, rotated.body.token)).status).toBe(403);
  });

  it('expiry (TOKEN_TTL_DAYS) and last use', async () => {
    const user = await newUser('过期联络员', d.orgs.branch, 'liaison');
    const sql = engine.runtime.database.sql;
    const [row] = await sql`select expires_at from api_tokens where user_id = ${user.id}`;
    expect(Math.round((row.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(30);
    expect((await call('GET', '/api/v1/me', user.token)).status).toBe(200);
    const listed = await admin('GET', `/api/v1/users?orgId=${d.orgs.branch}`);
    expect(listed.body.items.find((u: { id: string }) => u.id === user.id).lastUsedAt).not.toBeNull();
    // A token about to expire: the process keeps who it belongs to (5 s), but never past its expiry.
    const soon = await newUser('将过期联络员', d.orgs.branch, 'liaison');
    await sql`update api_tokens set expires_at = now() + interval '1 second' where user_id = ${soon.id}`;
    expect((await call('GET', '/api/v1/me', soon.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await call('GET', '/api/v1/me', soon.token)).status).toBe(401);
  });

  it('deactivating a user kills its tokens; its open work stays with the unit', async () => {
    const user = await newUser('离职联络员', d.orgs.branch, 'liaison');
    const created = await call('POST', '/api/v1/cases', user.token, {
      worker: { workerType: 'delivery', platforms: ['美团'] }, channel: 'station', category: 'DED', description: '离职前登记', platform: '美团', urgency: 'normal',
    });
    expect(created.status).toBe(201);
    const off = await admin('DELETE', `/api/v1/users/${user.id}`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: user.id, active: false });
    expect((await call('GET', '/api/v1/me', user.token)).status).toBe(401);
    expect((await admin('POST', `/api/v1/users/${user.id}/token`)).status).toBe(422);
    const colleague = await d.liaison.act(created.body.id, { action: 'forward' });
    expect(colleague.status).toBe(200);
    expect((await admin('DELETE', '/api/v1/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('GET /users?orgId= is the admin\'s', async () => {
    const res = await admin('GET', `/api/v1/users?orgId=${d.orgs.meituan}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { name: string }) => u.name)).toContain('美团专员');
    expect(res.body.items.every((u: { orgId: string }) => u.orgId === d.orgs.meituan)).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/ge_/);
    expect((await d.convener.get('/api/v1/users')).status).toBe(403);
  });
});

describe('sign-in links', () => {
  it('one-time, short-lived, with a QR code; the exchange answers a token', async () => {
    const user = await newUser('手机联络员', d.orgs.branch, 'liaison');
    const link = await admin('POST', `/api/v1/users/${user.id}/sign-in-link`);
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/#\/sign-in\/[A-Za-z0-9_-]+$/);
    expect(link.body.qrSvg).toMatch(/^<svg/);
    expect(new Date(link.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 5000);
    const signIn = (code: string) => engine.app.inject({ method: 'POST', url: '/api/v1/sign-in', payload: { code } });
    const first = await signIn(link.body.code);
    expect(first.statusCode).toBe(200);
    const { token, me } = JSON.parse(first.body);
    expect(me).toMatchObject({ userId: user.id, role: 'liaison', orgId: d.orgs.branch });
    expect((await call('GET', '/api/v1/me', token)).status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect((await signIn(link.body.code)).statusCode).toBe(401);
    const late = await admin('POST', `/api/v1/users/${user.id}/sign-in-link`);
    await engine.runtime.database.sql`update sign_in_links set expires_at = now() - interval '1 second' where used_at is null`;
    expect((await signIn(late.body.code)).statusCode).toBe(401);
    expect((await d.liaison.post(`/api/v1/users/${user.id}/sign-in-link`)).status).toBe(403);
  });
});

describe('units', () => {
  it('PATCH changes a unit; DELETE answers 409 listing its open cases until they are reassigned', async () => {
    const unit = (await admin('POST', '/api/v1/orgs', { name: '第三支部', type: 'branch' })).body;
    const renamed = await admin('PATCH', `/api/v1/orgs/${unit.id}`, { name: '第三支部（新）', areas: ['望京街道'] });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: '第三支部（新）', areas: ['望京街道'], active: true });
    const liaison = client(engine.app, (await newUser('三支部联络员', unit.id, 'liaison')).token);
    const open = await aCase({ ...d, liaison }, []);
    const refused = await admin('DELETE', `/api/v1/orgs/${unit.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.openCases).toEqual([expect.objectContaining({ id: open.id, reference: open.reference })]);
    expect((await liaison.act(open.id, { action: 'forward' })).status).toBe(200);
    const done = await admin('DELETE', `/api/v1/orgs/${unit.id}`);
    expect(done.status).toBe(200);
    expect(done.body.active).toBe(false);
    await admin('PATCH', `/api/v1/orgs/${d.orgs.otherBranch}`, { webhookUrl: 'https://hooks.example/b2?secret=s3cr3t' });
    expect((await admin('POST', '/api/v1/users', { name: '迟到者', orgId: unit.id, role: 'liaison' })).status).toBe(422);
  });

  it('routing rules may not point at an inactive unit (422), and DELETE refuses while a rule names it', async () => {
    const unit = (await admin('POST', '/api/v1/orgs', { name: '交通运输局', type: 'department', sectors: ['freight'] })).body;
    const rules = (await admin('GET', '/api/v1/routing-rules')).body;
    const withUnit = [...rules, { step: 'hand_off', match: { workerType: 'freight' }, toOrgId: unit.id }];
    expect((await admin('PUT', '/api/v1/routing-rules', withUnit)).status).toBe(200);
    expect((await admin('DELETE', `/api/v1/orgs/${unit.id}`)).status).toBe(409);
    expect((await admin('PUT', '/api/v1/routing-rules', rules)).status).toBe(200);
    expect((await admin('DELETE', `/api/v1/orgs/${unit.id}`)).status).toBe(200);
    const refused = await admin('PUT', '/api/v1/routing-rules', withUnit);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('toOrgId');
  });

  it('no case moves to an inactive unit, even when named explicitly', async () => {
    const unit = (await admin('POST', '/api/v1/orgs', { name: '停用平台党委', type: 'platform', platform: '停用平台' })).body;
    expect((await admin('DELETE', `/api/v1/orgs/${unit.id}`)).status).toBe(200);
    const c = await aCase(d);
    const refused = await d.liaison.act(c.id, { action: 'forward', toOrgId: unit.id });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('deactivated');
  });

  it('only admins see webhook URLs', async () => {
    const hooked = (await admin('POST', '/api/v1/orgs', { name: '顺丰平台党委', type: 'platform', platform: '顺丰', webhookUrl: 'https://hooks.example/sf?secret=s3cr3t' })).body;
    expect(hooked.webhookUrl).toContain('secret');
    for (const who of [d.liaison, d.meituan, d.market, d.convener]) {
      const res = await who.get('/api/v1/orgs');
      expect(JSON.stringify(res.body)).not.toContain('s3cr3t');
      expect(res.body.items.find((o: { id: string }) => o.id === hooked.id)).not.toHaveProperty('webhookUrl');
    }
    expect((await admin('GET', '/api/v1/orgs')).body.items.find((o: { id: string }) => o.id === hooked.id).webhookUrl).toContain('s3cr3t');
    const cleared = await admin('PATCH', `/api/v1/orgs/${hooked.id}`, { webhookUrl: null });
    expect(cleared.status).toBe(200);
    expect((await admin('GET', '/api/v1/orgs')).body.items.find((o: { id: string }) => o.id === hooked.id).webhookUrl).toBeNull();
  });
});

describe('queue counts (GET /api/v1/queues)', () => {
  it('shows admins the deadline, export and outbox queues; nobody else', async () => {
    await aCase(d, [['liaison', { action: 'forward' }]]);
    const res = await admin('GET', '/api/v1/queues');
    expect(res.status).toBe(200);
    expect(res.body.items.map((q: { name: string }) => q.name)).toEqual(['deadlines', 'exports', 'outbox']);
    for (const q of res.body.items) for (const k of ['waiting', 'delayed', 'failed']) expect(q[k]).toBeGreaterThanOrEqual(0);
    expect((await call('GET', '/api/v1/queues', d.convener.token)).status).toBe(403);
  });
});

describe('the admin audit log', () => {
  it('records units, users, tokens, rules, policies and calendar, without tokens or secrets', async () => {
    const user = await newUser('审计对象', d.orgs.hr, 'officer');
    await admin('POST', `/api/v1/users/${user.id}/token`);
    await admin('POST', `/api/v1/users/${user.id}/sign-in-link`);
    await admin('PUT', '/api/v1/calendar-overrides', [{ day: '2027-02-06', kind: 'workday' }]);
    await admin('PUT', '/api/v1/sla-policies', (await admin('GET', '/api/v1/sla-policies')).body);
    await admin('DELETE', `/api/v1/users/${user.id}`);
    const log = await admin('GET', '/api/v1/audit/admin');
    expect(log.status).toBe(200);
    const seen = new Set(log.body.items.map((c: { entity: string; action: string }) => `${c.entity}:${c.action}`));
    for (const kind of ['org:create', 'org:update', 'org:deactivate', 'user:create', 'user:deactivate', 'token:rotate', 'token:sign_in_link',
      'routing_rules:replace', 'sla_policies:replace', 'calendar:replace', 'channels:update']) {
      expect(seen, kind).toContain(kind);
    }
    expect(JSON.stringify(log.body)).not.toMatch(/ge_|s3cr3t/);
    const users = await admin('GET', '/api/v1/audit/admin?entity=user');
    expect(users.body.items.every((c: { entity: string }) => c.entity === 'user')).toBe(true);
    expect((await d.convener.get('/api/v1/audit/admin')).status).toBe(403);
  });
});
