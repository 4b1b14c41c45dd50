/**
 * Units that merge (组建 / 撤并, issue 21 item 6): a unit hands every open case, clock, routing rule,
 * user and channel to its successor in one transaction, one record event per moved case, and is
 * deactivated; in the admin audit. Units holding open cases that acted on none for 30 days are
 * flagged to the convener units once a day (挂牌不运行).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, client, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { DORMANT_AFTER_DAYS, flagDormantUnits } from '../../src/orgs/dormant-units.js';

let engine: TestEngine;
let d: District;
let hook: WebhookReceiver;
beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook?.close();
  await engine?.close();
});

const unit = async (body: Record<string, unknown>) => {
  const res = await d.admin.post('/api/v1/orgs', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const succeed = (id: string, successorId: string) => d.admin.post(`/api/v1/orgs/${id}/succession`, { successorId });
/** PATCH and DELETE, which the test client has no verbs for. */
const asAdmin = async (method: 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  (await engine.app.inject({ method, url, payload, headers: { authorization: `Bearer ${d.admin.token}` } })).statusCode;
const orgOf = async (id: string) => (await d.admin.get('/api/v1/orgs')).body.items.find((o: { id: string }) => o.id === id);

describe('POST /orgs/:id/succession', () => {
  it('refuses the unit itself, an inactive unit or one of another type as successor (422 successorId); unknown 404; admins only', async () => {
    const inactive = await unit({ name: '已撤销支部', type: 'branch' });
    expect(await asAdmin('DELETE', `/api/v1/orgs/${inactive}`)).toBe(200);
    for (const successorId of [d.orgs.otherBranch, inactive, d.orgs.meituan]) {
      const res = await succeed(d.orgs.otherBranch, successorId);
      expect(res.status, successorId).toBe(422);
      expect(res.body.field).toBe('successorId');
    }
    expect((await succeed(d.orgs.otherBranch, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await succeed('00000000-0000-4000-8000-000000000000', d.orgs.branch)).status).toBe(404);
    expect((await d.liaison.post(`/api/v1/orgs/${d.orgs.otherBranch}/succession`, { successorId: d.orgs.branch })).status).toBe(403);
    expect((await orgOf(d.orgs.otherBranch)).active).toBe(true);
  });

  it('a branch merges: its open cases (held or registered), clocks, users and channels move, one record event each; it is deactivated', async () => {
    const successor = await unit({ name: '联合支部', type: 'branch' });
    expect((await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, { wecom: { webhookUrl: `${hook.url}/wecom` } })).status).toBe(200);
    expect(await asAdmin('PATCH', `/api/v1/orgs/${d.orgs.branch}`, { webhookUrl: hook.url })).toBe(200);
    const held = await aCase(d);
    const forwarded = await aCase(d, [['liaison', { action: 'forward' }]]);
    const closed = await aCase(d, [['liaison', { action: 'resolve', resolution: '当场解答' }], ['callback', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]]);
    expect(closed.state).toBe('closed');
    const res = await succeed(d.orgs.branch, successor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ successorId: successor, unit: { id: d.orgs.branch, active: false }, moved: { cases: 2, users: 1, channels: 1 } });
    expect(res.body.moved.clocks).toBeGreaterThanOrEqual(1);

    // The liaison (same token) now works for the successor, which holds the case, its clock and its record.
    expect((await d.liaison.get('/api/v1/me')).body.orgId).toBe(successor);
    const now = (await d.liaison.get(`/api/v1/cases/${held.id}`)).body;
    expect(now).toMatchObject({ holderOrgId: successor, branchOrgId: successor, state: 'registered', version: held.version + 1 });
    expect(now.deadlines.find((c: { step: string }) => c.step === 'l1_forward')).toMatchObject({ orgId: successor, status: 'pending' });
    const events = (await d.liaison.get(`/api/v1/cases/${held.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({
      action: 'succession', actor: { system: 'succession' }, fromState: 'registered', toState: 'registered',
      data: { fromOrgId: d.orgs.branch, toOrgId: successor, parts: ['holder', 'branch', 'clocks'] },
    });
    expect((await d.convener.get(`/api/v1/audit/verify?caseId=${held.id}`)).body.ok).toBe(true);
    expect((await d.liaison.get(`/api/v1/cases/${forwarded.id}`)).body).toMatchObject({ holderOrgId: d.orgs.meituan, branchOrgId: successor });
    // A closed case keeps its history; the successor reads it.
    expect((await d.liaison.get(`/api/v1/cases/${closed.id}`)).body).toMatchObject({ state: 'closed', branchOrgId: d.orgs.branch });
    // The successor acts as the branch now.
    expect((await d.liaison.act(held.id, { action: 'forward' })).status).toBe(200);

    const [old, next] = [await orgOf(d.orgs.branch), await orgOf(successor)];
    expect(old.active).toBe(false);
    expect(next.webhookUrl).toBe(hook.url);
    expect(Object.keys((await d.admin.get(`/api/v1/orgs/${successor}/channels`)).body)).toEqual(['wecom']);
    expect((await d.admin.get(`/api/v1/orgs/${d.orgs.branch}/channels`)).body).toEqual({});
    const audit = await d.admin.get('/api/v1/audit/admin');
    expect(audit.body.items.find((a: { action: string }) => a.action === 'succession')).toMatchObject({ entity: 'org', entityId: d.orgs.branch, details: { successorId: successor, cases: 2 } });
  });

  it('a department merges: the cases it holds, its clocks and the routing rules that name it move', async () => {
    const successor = await unit({ name: '市场监管局（合并后）', type: 'department', sectors: ['delivery'] });
    const handedOff = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '移交' }]]);
    expect(handedOff.holderOrgId).toBe(d.orgs.market);
    const res = await succeed(d.orgs.market, successor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.moved.routingRules).toBe(1);
    const rules = (await d.admin.get('/api/v1/routing-rules')).body;
    expect(rules.filter((r: { toOrgId: string }) => r.toOrgId === d.orgs.market)).toEqual([]);
    expect(rules.some((r: { toOrgId: string }) => r.toOrgId === successor)).toBe(true);
    const now = (await d.market.get(`/api/v1/cases/${handedOff.id}`)).body;
    expect(now).toMatchObject({ holderOrgId: successor, departmentOrgId: successor, state: 'handed_off' });
    expect(now.deadlines.find((c: { step: string; status: string }) => c.step === 'l3_accept' && c.status === 'pending').orgId).toBe(successor);
    expect((await d.market.act(handedOff.id, { action: 'accept' })).status).toBe(200);
  });
});

describe('a hotline merges', () => {
  it('its open orders go on under the successor (the case names it); a clashing order number is 409, nothing moved', async () => {
    const hotline = async (name: string) => {
      const id = await unit({ name, type: 'hotline', defaultBranchId: d.orgs.otherBranch });
      const user = await d.admin.post('/api/v1/users', { name: `${name}话务员`, orgId: id, role: 'hotline' });
      return { id, operator: client(engine.app, user.body.token) };
    };
    const [old, next] = [await hotline('老热线'), await hotline('新热线')];
    const order = (no: string) => ({ orderNo: no, description: '配送超时扣款', category: 'DED', platform: '饿了么' });
    const open = await old.operator.post('/api/v1/intake/hotline', order('GD-1'));
    expect((await next.operator.post('/api/v1/intake/hotline', order('GD-1'))).status).toBe(201);
    const clash = await succeed(old.id, next.id);
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('GD-1');
    expect((await orgOf(old.id)).active).toBe(true);

    const other = await unit({ name: '另一热线', type: 'hotline', defaultBranchId: d.orgs.otherBranch });
    expect((await succeed(old.id, other)).status).toBe(200);
    expect((await d.eleme.get(`/api/v1/cases/${open.body.id}`)).body.hotlineOrgId).toBe(other);
    // The old operator now works for the successor and still follows the case.
    expect((await old.operator.get(`/api/v1/cases/${open.body.id}`)).status).toBe(200);
  });
});

describe('挂牌不运行: units holding open cases that acted on none for 30 days', () => {
  it('are told to the convener units once per unit per day', async () => {
    expect(await asAdmin('PATCH', `/api/v1/orgs/${d.orgs.convener}`, { webhookUrl: `${hook.url}/convener` })).toBe(200);
    const registered = await d.otherLiaison.post('/api/v1/cases', aGrievance({ platform: '饿了么' }));
    expect((await d.otherLiaison.act(registered.body.id, { action: 'forward' })).status).toBe(200);
    const { sql } = engine.runtime.database;
    const later = new Date(Date.now() + (DORMANT_AFTER_DAYS + 1) * 86_400_000);
    const flagged = await flagDormantUnits(sql, later, () => engine.runtime.delivery.kick());
    expect(flagged).toBeGreaterThan(0);
    expect(await flagDormantUnits(sql, later, () => engine.runtime.delivery.kick())).toBe(0);
    const told = await eventually(async () => {
      const mine = hook.received.filter((r) => r.body.kind === 'dormant_unit' && r.body.orgId === d.orgs.convener);
      return mine.length === flagged && mine;
    }, 10_000, 'the dormant-unit messages');
    const eleme = told.filter((r) => r.body.unitId === d.orgs.eleme);
    expect(eleme).toHaveLength(1);
    const held = (await d.eleme.get(`/api/v1/cases?open=true&holderOrgId=${d.orgs.eleme}&limit=100`)).body.items.length;
    expect(eleme[0].body).toMatchObject({ unitName: '饿了么平台党委', openCases: held, lastActedAt: null });
    // A unit with no open case is not flagged.
    expect(told.some((r) => r.body.unitId === d.orgs.convener)).toBe(false);
    // Today (not a month on) every unit is younger than the period or acted within it: none is flagged.
    expect(await flagDormantUnits(sql, new Date(), () => {})).toBe(0);
  });
});
