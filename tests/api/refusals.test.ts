import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, client, type District } from '../support/builders.js';

let engine: TestEngine;
let d: District;

const countRows = async (table: string) => {
  const [{ n }] = await engine.runtime.database.sql.unsafe(`select count(*)::int as n from ${table}`);
  return n as number;
};

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

describe('authentication and roles', () => {
  it('401 without a token or with a wrong one', async () => {
    const app = engine.app;
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
    const bad = await client(app, 'ge_not_a_token').get('/api/v1/cases');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('403 when the role may not do it', async () => {
    expect((await d.meituan.post('/api/v1/cases', aGrievance())).status).toBe(403);
    expect((await d.liaison.post('/api/v1/orgs', { name: 'x', type: 'branch' })).status).toBe(403);
    expect((await d.convener.put('/api/v1/sla-policies', [])).status).toBe(403);
    expect((await d.admin.get('/api/v1/cases')).status).toBe(403);
  });
});

describe('actions refused with a reason', () => {
  it('409 on a stale version, and nothing changes', async () => {
    const c = await aCase(d);
    const res = await d.liaison.post(`/api/v1/cases/${c.id}/actions`, { action: 'forward' }, { 'if-match': '0' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('current version 1');
    expect((await d.liaison.get(`/api/v1/cases/${c.id}`)).body.state).toBe('registered');
  });

  it('422 when the action is not allowed in the state, naming the state', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    const res = await d.meituan.act(c.id, { action: 'hand_off', reason: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("'hand_off' is not allowed in state 'forwarded'");
  });

  it('422 when the role may not send the action, naming the roles that may', async () => {
    const c = await aCase(d);
    const res = await d.convener.act(c.id, { action: 'forward' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("role 'convener' may not 'forward'");
  });

  it('422 when a unit that once held the case acts after it moved on', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'transfer', toOrgId: d.orgs.eleme, reason: '转' }]]);
    const res = await d.meituan.act(c.id, { action: 'accept' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('only the unit holding the case');
  });

  it('422 on a final case', async () => {
    const c = await aCase(d, [['liaison', { action: 'withdraw', reason: '已协商' }]]);
    const res = await d.liaison.act(c.id, { action: 'forward' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('final');
  });

  it('422 when no routing rule matches and no toOrgId is given, and nothing is written', async () => {
    const c = await aCase(d, [], aGrievance({ platform: '饿了么', worker: { workerType: 'courier', platforms: ['饿了么'] }, category: 'ACC' }));
    await d.liaison.act(c.id, { action: 'forward' });
    await d.eleme.act(c.id, { action: 'accept' });
    const events = await countRows('case_events');
    const res = await d.eleme.act(c.id, { action: 'hand_off', reason: '移交' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("no routing rule for step 'hand_off'");
    expect(await countRows('case_events')).toBe(events);
  });
});

describe('scope: a case outside the caller\'s scope answers 404', () => {
  it('404 for every unit that never held or supervised the case', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    for (const outsider of [d.otherLiaison, d.eleme, d.market, d.hr]) {
      expect((await outsider.get(`/api/v1/cases/${c.id}`)).status).toBe(404);
      expect((await outsider.get(`/api/v1/cases/${c.id}/events`)).status).toBe(404);
      expect((await outsider.post(`/api/v1/cases/${c.id}/actions`, { action: 'accept' }, { 'if-match': '2' })).status).toBe(404);
    }
    for (const insider of [d.liaison, d.meituan, d.convener]) expect((await insider.get(`/api/v1/cases/${c.id}`)).status).toBe(200);
    expect((await d.convener.get('/api/v1/cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('the same key and body answer the first case again; another body is 422', async () => {
    const headers = { 'idempotency-key': 'draft-001' };
    const first = await d.liaison.post('/api/v1/cases', aGrievance(), headers);
    const again = await d.liaison.post('/api/v1/cases', aGrievance(), headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await d.liaison.post('/api/v1/cases', aGrievance({ description: '另一件事' }), headers);
    expect(other.status).toBe(422);
    expect(other.body.message).toContain('Idempotency-Key');
  });

  it('20 concurrent requests with one key make one case', async () => {
    const before = await countRows('cases');
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      d.liaison.post('/api/v1/cases', aGrievance({ description: '并发提交' }), { 'idempotency-key': 'draft-concurrent' })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await countRows('cases')).toBe(before + 1);
  });
});

describe('bad input: 400 naming the field, and no row written', () => {
  const good = aGrievance();
  const cases: [string, unknown, string][] = [
    ['missing worker', { ...good, worker: undefined }, 'body.worker'],
    ['missing description', { ...good, description: undefined }, 'body.description'],
    ['wrong worker type', { ...good, worker: { ...good.worker, workerType: 'astronaut' } }, 'body.worker.workerType'],
    ['wrong urgency', { ...good, urgency: 'whenever' }, 'body.urgency'],
    ['wrong channel', { ...good, channel: 'pigeon' }, 'body.channel'],
    ['100 kB description', { ...good, description: 'x'.repeat(100_000) }, 'body.description'],
    ['number for a string', { ...good, description: 42 }, 'body.description'],
    ['string for an array', { ...good, worker: { ...good.worker, platforms: '美团' } }, 'body.worker.platforms'],
    ['unknown field', { ...good, salary: 1 }, 'salary'],
    ['unknown category', { ...good, category: 'XYZ' }, 'category'],
    ['platform without committee', { ...good, platform: '无此平台' }, 'platform'],
    ['phone that is not a phone', { ...good, worker: { ...good.worker, phone: 'call me' } }, 'body.worker.phone'],
  ];
  it.each(cases)('%s', async (_name, body, field) => {
    const before = await countRows('cases');
    const res = await d.liaison.post('/api/v1/cases', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toContain(field);
    expect(await countRows('cases')).toBe(before);
  });

  it('non-JSON body is 400', async () => {
    const res = await engine.app.inject({
      method: 'POST', url: '/api/v1/cases', payload: '{"worker": ',
      headers: { authorization: `Bearer ${(await d.admin.post('/api/v1/users', { name: 'x', orgId: d.orgs.branch, role: 'liaison' })).body.token}`, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).statusCode).toBe(400);
  });

  it('action bodies are checked per action, naming the field', async () => {
    const c = await aCase(d);
    const noReason = await d.liaison.act(c.id, { action: 'withdraw' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain('reason');
    const badAction = await d.liaison.act(c.id, { action: 'teleport' });
    expect(badAction.status).toBe(400);
    expect(badAction.body.message).toContain('body.action');
    const badUnit = await d.liaison.act(c.id, { action: 'supervise', instructions: 'x', amount: 1, unit: 'fortnights' });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.message).toContain('unit');
    const noIfMatch = await d.liaison.post(`/api/v1/cases/${c.id}/actions`, { action: 'forward' });
    expect(noIfMatch.status).toBe(400);
    expect(noIfMatch.body.message).toContain('if-match');
    expect((await d.liaison.get('/api/v1/cases/not-a-uuid')).status).toBe(400);
  });

  it('admin configuration is validated too', async () => {
    const badRule = await d.admin.put('/api/v1/routing-rules', [{ step: 'forward', match: {}, toOrgId: d.orgs.market }]);
    expect(badRule.status).toBe(400);
    expect(badRule.body.message).toContain('body[0].toOrgId');
    const badPolicy = await d.admin.put('/api/v1/sla-policies', [{ step: 'l9_nothing', amount: 1, unit: 'hours' }]);
    expect(badPolicy.status).toBe(400);
    const badUser = await d.admin.post('/api/v1/users', { name: 'x', orgId: d.orgs.branch, role: 'officer' });
    expect(badUser.status).toBe(400);
    expect(badUser.body.message).toContain('orgId');
  });
});
