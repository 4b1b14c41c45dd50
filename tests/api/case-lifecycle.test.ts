import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';

const file = districtPerFile();

describe('the whole path through the three levels', () => {
  it('register → forward → accept → hand_off → accept → supervise → resolve → feedback(satisfied) → closed', async () => {
    const registered = await file.d.liaison.post('/api/v1/cases', aGrievance());
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ state: 'registered', level: 'branch', holderOrgId: file.d.orgs.branch, version: 1 });
    expect(registered.body.reference).toMatch(/^SQ-\d{4}-\d{6}$/);
    expect(registered.body.allowedActions).toEqual(expect.arrayContaining(['forward', 'resolve', 'withdraw', 'merge']));
    expect(registered.body.deadlines).toEqual([expect.objectContaining({ step: 'l1_forward', status: 'pending' })]);
    const id = registered.body.id;

    const forwarded = await file.d.liaison.act(id, { action: 'forward' });
    expect(forwarded.body).toMatchObject({ state: 'forwarded', level: 'platform', holderOrgId: file.d.orgs.meituan });

    const accepted = await file.d.meituan.act(id, { action: 'accept' });
    expect(accepted.body).toMatchObject({ state: 'platform_handling', level: 'platform' });
    expect(accepted.body.allowedActions).toEqual(expect.arrayContaining(['resolve', 'hand_off', 'request_info', 'request_extension', 'transfer']));

    const handedOff = await file.d.meituan.act(id, { action: 'hand_off', reason: '涉及扣款规则，需主管部门处理' });
    expect(handedOff.body).toMatchObject({ state: 'handed_off', level: 'department', holderOrgId: file.d.orgs.market });

    const deptAccepted = await file.d.market.act(id, { action: 'accept' });
    expect(deptAccepted.body.state).toBe('department_handling');

    const supervised = await file.d.market.act(id, { action: 'supervise', instructions: '三个工作日内退还扣款', amount: 3, unit: 'working_days' });
    expect(supervised.body).toMatchObject({ state: 'platform_handling', level: 'platform', holderOrgId: file.d.orgs.meituan, supervisingOrgId: file.d.orgs.market, supervised: true });

    const resolved = await file.d.meituan.act(id, { action: 'resolve', resolution: '已退还扣款 30 元' });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolution: '已退还扣款 30 元' });

    const closed = await file.d.liaison.act(id, { action: 'feedback', rating: 'satisfied' });
    expect(closed.body).toMatchObject({ state: 'closed', outcome: 'satisfied', allowedActions: [] });
    expect(closed.body.closedAt).not.toBeNull();

    const events = await file.d.convener.get(`/api/v1/cases/${id}/events`);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(
      ['register', 'forward', 'accept', 'hand_off', 'accept', 'supervise', 'resolve', 'feedback']);
    expect(events.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.body.items[3]).toMatchObject({
      fromState: 'platform_handling', toState: 'handed_off', level: 'department',
      actor: { orgId: file.d.orgs.meituan }, data: { reason: '涉及扣款规则，需主管部门处理', toOrgId: file.d.orgs.market },
    });
    // Every clock the case passed through was met; none is left running.
    const final = await file.d.convener.get(`/api/v1/cases/${id}`);
    expect(final.body.deadlines.map((x: { status: string }) => x.status)).toEqual(Array(7).fill('met'));
  });

  it('dissatisfied feedback reopens the case one level up', async () => {
    const atBranch = await aCase(file.d, [['liaison', { action: 'resolve', resolution: '支部答复' }], ['callback', { action: 'feedback', rating: 'dissatisfied' }]]);
    expect(atBranch).toMatchObject({ state: 'forwarded', level: 'platform', holderOrgId: file.d.orgs.meituan });

    const atPlatform = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
      ['meituan', { action: 'resolve', resolution: '平台答复' }], ['liaison', { action: 'feedback', rating: 'dissatisfied' }]]);
    expect(atPlatform).toMatchObject({ state: 'handed_off', level: 'department', holderOrgId: file.d.orgs.market });

    const atDepartment = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
      ['meituan', { action: 'hand_off', reason: '移交' }], ['market', { action: 'accept' }],
      ['market', { action: 'resolve', resolution: '部门答复' }], ['liaison', { action: 'feedback', rating: 'dissatisfied' }]]);
    expect(atDepartment).toMatchObject({ state: 'department_handling', level: 'department', holderOrgId: file.d.orgs.market, onMeetingAgenda: true });
  });

  it('returns, transfers, pauses the clock, and moves it on an approved extension', async () => {
    const returned = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'return', reason: '请补充订单号' }]]);
    expect(returned).toMatchObject({ state: 'registered', level: 'branch', holderOrgId: file.d.orgs.branch });

    const transferred = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '属饿了么订单' }]]);
    expect(transferred).toMatchObject({ state: 'forwarded', holderOrgId: file.d.orgs.eleme });
    expect((await file.d.eleme.get(`/api/v1/cases/${transferred.id}`)).status).toBe(200);

    const paused = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'request_info', question: '请提供截图' }]]);
    expect(paused.state).toBe('platform_awaiting_info');
    const clock = (view: { deadlines: { step: string; dueAt: string }[] }, step = 'l2_resolve') => view.deadlines.find((x) => x.step === step);
    expect(clock(paused)).toMatchObject({ status: 'paused' });
    expect(clock(paused, 'pause_limit')).toMatchObject({ status: 'pending' });
    const resumed = await file.d.meituan.act(paused.id, { action: 'resume', answer: '截图已补充' });
    expect(clock(resumed.body)).toMatchObject({ status: 'pending' });
    expect(clock(resumed.body, 'pause_limit')).toMatchObject({ status: 'met' });

    const asked = await file.d.meituan.act(resumed.body.id, { action: 'request_extension', amount: 2, unit: 'working_days', reason: '需调取后台数据' });
    expect(asked.status).toBe(200);
    expect(asked.body.allowedActions).not.toContain('request_extension');
    const before = clock(asked.body)!.dueAt;
    const approved = await file.d.market.act(asked.body.id, { action: 'approve_extension', reason: '同意' });
    expect(approved.status).toBe(200);
    expect(new Date(clock(approved.body)!.dueAt).getTime()).toBeGreaterThan(new Date(before).getTime());
  });

  it('merge closes the duplicate and notes it on the target', async () => {
    const target = await aCase(file.d);
    const duplicate = await aCase(file.d, [['liaison', { action: 'merge', intoCaseId: target.id }]]);
    expect(duplicate).toMatchObject({ state: 'merged', mergedInto: target.id });
    const events = await file.d.liaison.get(`/api/v1/cases/${target.id}/events`);
    expect(events.body.items.at(-1)).toMatchObject({ action: 'merged_from', data: { caseId: duplicate.id } });
  });

  it('a meeting decision assigns a new lead and deadline', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]]);
    const res = await file.d.convener.act(c.id, { action: 'assign_lead', leadOrgId: file.d.orgs.hr, amount: 5, unit: 'working_days', decision: '由人社局牵头' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'department_handling', level: 'department', holderOrgId: file.d.orgs.hr });
    expect((await file.d.hr.get(`/api/v1/cases/${c.id}`)).status).toBe(200);
  });
});

describe('lists and personal data', () => {
  it('lists only cases in scope, filters, and pages with a stable cursor', async () => {
    const mine = [await aCase(file.d), await aCase(file.d), await aCase(file.d)];
    const page1 = await file.d.liaison.get('/api/v1/cases?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await file.d.liaison.get(`/api/v1/cases?limit=2&cursor=${page1.body.nextCursor}`);
    const ids = [...page1.body.items, ...page2.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 3)).toEqual(mine.reverse().map((c) => c.id));

    const other = await file.d.otherLiaison.get('/api/v1/cases');
    expect(other.body.items).toEqual([]);
    const registeredOnly = await file.d.liaison.get('/api/v1/cases?state=registered&limit=100');
    expect(registeredOnly.body.items.every((c: { state: string }) => c.state === 'registered')).toBe(true);
  });

  it('shows the worker in full only to the registering liaison; masks for everyone else', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]]);
    expect((await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body.worker).toMatchObject({ name: '张三', phone: '13812341234' });
    expect((await file.d.meituan.get(`/api/v1/cases/${c.id}`)).body.worker).toMatchObject({ name: '张*', phone: '138****1234' });
    expect((await file.d.convener.get(`/api/v1/cases/${c.id}`)).body.worker).toMatchObject({ name: '张*', phone: '138****1234' });
    const events = await file.d.convener.get(`/api/v1/cases/${c.id}/events`);
    expect(JSON.stringify(events.body)).not.toContain('13812341234');
  });

  it('keeps nothing of an anonymous worker', async () => {
    const c = await aCase(file.d, [], aGrievance({ worker: { name: '李四', phone: '13900001111', anonymous: true, workerType: 'delivery', platforms: ['美团'] } }));
    expect(c.worker).toMatchObject({ name: null, phone: null, anonymous: true });
  });
});
