/**
 * The clerk's workbench (issue 22, item 2): `assign` within the holding unit — a record entry and a
 * version bump, no clock change, cleared when the case leaves the unit — the "mine" list
 * (`assignee=me|<userId>`) and the unit's workload (open and overdue per person).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, uniformSla, type Client, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

const file = {} as { engine: TestEngine; d: District };
beforeAll(async () => {
  // Workers run: a missed clock makes a case overdue as it would in production.
  file.engine = await startTestEngine({ runWorkers: true });
  file.d = await aDistrict(file.engine.app);
});
afterAll(async () => file.engine?.close());
const atPlatform: Parameters<typeof aCase>[1] = [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]];

/** A user made by the admin: its id and a client. */
async function aUser(name: string, orgId: string, role: string): Promise<{ id: string; as: Client }> {
  const res = await file.d.admin.post('/api/v1/users', { name, orgId, role });
  expect(res.status).toBe(201);
  return { id: res.body.id, as: client(file.engine.app, res.body.token) };
}
const idOf = async (who: Client) => (await who.get('/api/v1/me')).body.userId as string;

describe('assign', () => {
  it('a user of the holding unit assigns to a colleague: one record entry, the version moves, the clocks do not', async () => {
    const { d } = file;
    const colleague = await aUser('美团二号专员', d.orgs.meituan, 'committee');
    const c = await aCase(d, atPlatform);
    const assigned = await d.meituan.act(c.id, { action: 'assign', userId: colleague.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assigneeUserId: colleague.id, version: c.version + 1, state: 'platform_handling', dueAt: c.dueAt });
    expect(assigned.body.deadlines).toEqual(c.deadlines);
    const events = (await d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'assign', fromState: 'platform_handling', toState: 'platform_handling', data: { userId: colleague.id } });
    // Reassigning is another assignment; the colleague may assign too.
    const me = await idOf(d.meituan);
    expect((await colleague.as.act(c.id, { action: 'assign', userId: me })).body.assigneeUserId).toBe(me);
    expect((await d.meituan.get(`/api/v1/cases/${c.id}`)).body.allowedActions).toContain('assign');
  });

  it('a user outside the unit, a deactivated user or an unknown id: 422 naming userId; another unit may not assign', async () => {
    const { d } = file;
    const c = await aCase(d, atPlatform);
    const gone = await aUser('已调离专员', d.orgs.meituan, 'committee');
    const deactivated = await file.engine.app.inject({ method: 'DELETE', url: `/api/v1/users/${gone.id}`, headers: { authorization: `Bearer ${d.admin.token}` } });
    expect(deactivated.statusCode).toBeLessThan(300);
    for (const userId of [await idOf(d.eleme), gone.id, '00000000-0000-4000-8000-000000000000']) {
      const refused = await d.meituan.act(c.id, { action: 'assign', userId });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ field: 'userId', code: 'assignee_invalid' });
    }
    expect((await d.meituan.act(c.id, { action: 'assign', userId: 'not-a-uuid' })).status).toBe(400);
    // The branch that registered it (it can read it) is not the holder now.
    const byBranch = await d.liaison.act(c.id, { action: 'assign', userId: await idOf(d.liaison) });
    expect(byBranch.status).toBe(422);
    expect(byBranch.body.message).toMatch(/assign/);
    expect((await d.meituan.get(`/api/v1/cases/${c.id}`)).body.assigneeUserId).toBeNull();
  });

  it('the assignment ends when the case leaves the unit: forwarded, transferred', async () => {
    const { d } = file;
    const c = await aCase(d);
    expect((await d.liaison.act(c.id, { action: 'assign', userId: await idOf(d.liaison) })).body.assigneeUserId).toBe(await idOf(d.liaison));
    const forwarded = await d.liaison.act(c.id, { action: 'forward' });
    expect(forwarded.body).toMatchObject({ state: 'forwarded', assigneeUserId: null });
    expect((await d.meituan.act(c.id, { action: 'assign', userId: await idOf(d.meituan) })).body.assigneeUserId).toBe(await idOf(d.meituan));
    const transferred = await d.meituan.act(c.id, { action: 'transfer', toOrgId: d.orgs.eleme, reason: '骑手在饿了么接单' });
    expect(transferred.body).toMatchObject({ holderOrgId: d.orgs.eleme, assigneeUserId: null });
    const returned = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'assign', userId: await idOf(d.meituan) }], ['meituan', { action: 'return', reason: '材料不全' }]]);
    expect(returned).toMatchObject({ state: 'registered', assigneeUserId: null });
  });
});

describe('assignee= and the workload', () => {
  it('"mine" lists the cases assigned to the caller; the workload counts open and overdue per person of the unit', async () => {
    const { d } = file;
    const unit = await file.d.admin.post('/api/v1/orgs', { name: '测试平台党委', type: 'platform', platform: '测试平台' });
    const [a, b] = [await aUser('甲专员', unit.body.id, 'committee'), await aUser('乙专员', unit.body.id, 'committee')];
    const routed = await d.admin.get('/api/v1/routing-rules');
    expect((await d.admin.put('/api/v1/routing-rules', [...routed.body, { step: 'forward', match: { platform: '测试平台' }, toOrgId: unit.body.id }])).status).toBe(200);
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await aCase(d, [['liaison', { action: 'forward' }]], { ...aGrievanceFor('测试平台') }));
    for (const c of cases.slice(0, 2)) expect((await a.as.act(c.id, { action: 'assign', userId: a.id })).status).toBe(200);
    expect((await a.as.act(cases[2].id, { action: 'assign', userId: b.id })).status).toBe(200);

    const mine = (await a.as.get('/api/v1/cases?assignee=me&open=true')).body;
    expect(mine.items.map((x: { id: string }) => x.id).sort()).toEqual(cases.slice(0, 2).map((x) => x.id).sort());
    expect(mine.counts).toMatchObject({ total: 2, mine: 2 });
    expect((await a.as.get('/api/v1/cases')).body.counts).toMatchObject({ total: 3, mine: 2 });
    expect((await a.as.get(`/api/v1/cases?assignee=${b.id}`)).body.items.map((x: { id: string }) => x.id)).toEqual([cases[2].id]);
    expect((await a.as.get('/api/v1/cases?assignee=someone')).status).toBe(400);
    // Another unit's person: nothing in the caller's scope.
    expect((await d.eleme.get(`/api/v1/cases?assignee=${a.id}`)).body.items).toEqual([]);

    const workload = await b.as.get(`/api/v1/workload?orgId=${unit.body.id}`);
    expect(workload.status).toBe(200);
    expect(workload.body.items).toHaveLength(2);
    expect(workload.body.items).toEqual(expect.arrayContaining([
      { userId: a.id, name: '甲专员', role: 'committee', active: true, open: 2, overdue: 0 },
      { userId: b.id, name: '乙专员', role: 'committee', active: true, open: 1, overdue: 0 },
    ]));
    expect((await d.meituan.get(`/api/v1/workload?orgId=${unit.body.id}`)).status).toBe(403);
    expect((await d.admin.get(`/api/v1/workload?orgId=${unit.body.id}`)).status).toBe(403);
    expect((await b.as.get('/api/v1/workload?orgId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await b.as.get('/api/v1/workload')).status).toBe(400);
  });

  it('overdue counts the assigned cases whose clock ran out (an escalation keeps the assignment)', async () => {
    const { d } = file;
    const unit = await file.d.admin.post('/api/v1/orgs', { name: '超期平台党委', type: 'platform', platform: '超期平台' });
    const a = await aUser('丙专员', unit.body.id, 'committee');
    const routed = await d.admin.get('/api/v1/routing-rules');
    expect((await d.admin.put('/api/v1/routing-rules', [...routed.body, { step: 'forward', match: { platform: '超期平台' }, toOrgId: unit.body.id }])).status).toBe(200);
    const onTime = await aCase(d, [['liaison', { action: 'forward' }]], aGrievanceFor('超期平台'));
    expect((await d.admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 5, unit: 'working_days' }).filter((p) => p.step !== 'l2_accept'), { step: 'l2_accept', amount: 2, unit: 'seconds' }])).status).toBe(200);
    const late = await aCase(d, [['liaison', { action: 'forward' }]], aGrievanceFor('超期平台'));
    for (const c of [late, onTime]) expect((await a.as.act(c.id, { action: 'assign', userId: a.id })).status).toBe(200);
    await eventually(async () => (await a.as.get(`/api/v1/cases/${late.id}`)).body.overdue === true, 15_000, 'the late case overdue');
    expect((await a.as.get(`/api/v1/cases/${late.id}`)).body).toMatchObject({ supervised: true, assigneeUserId: a.id });
    const workload = await a.as.get(`/api/v1/workload?orgId=${unit.body.id}`);
    expect(workload.body.items).toEqual([{ userId: a.id, name: '丙专员', role: 'committee', active: true, open: 2, overdue: 1 }]);
  });
});

function aGrievanceFor(platform: string) {
  return {
    worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: [platform] },
    channel: 'station', category: 'DED', description: '暴雨天配送超时被扣款', platform, area: '朝阳街道', urgency: 'normal',
  };
}
