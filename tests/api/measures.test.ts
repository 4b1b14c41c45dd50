/**
 * The measures (三率) on a hand-worked fixture. Every expected number below was worked out by hand
 * from the cases' stories; the comments say how. Clocks run in hours, except the platform's
 * acceptance of PAY cases: 2 s, so that case C misses it. Measures are read from the daily
 * counters the writer keeps; a counted event counts under the values the case had when it happened.
 *
 *   A  DED  branch → 美团 accepts, resolves; feedback satisfied, solved yes.
 *   B  DED  branch → 美团 returns it → branch forwards again → 美团 accepts, resolves; feedback dissatisfied (solved no)
 *           → reopened at 市场监管局, which accepts and resolves; feedback basically satisfied, solved partly.
 *   C  PAY  branch → 美团 misses the 2 s acceptance (escalated), accepts late, resolves; feedback satisfied, no solved answer.
 *   T  DED  branch → 美团 transfers it to 饿了么 (the case's platform becomes 饿了么), which accepts and resolves; no feedback yet.
 *   D  DED  (望京街道) the branch resolves it itself; feedback satisfied, solved yes.
 *   E  DED  withdrawn at the branch (its forward clock is cancelled: not judged).
 *   S  DED  (建外街道, a courier, by hotline) branch → 美团 accepts, hands off to 市场监管局, which accepts and issues a
 *           supervision order (督办) back to 美团 → 美团 resolves within the order's clock; no feedback yet.
 * Areas: 朝阳街道 except D and S; every worker a delivery rider at a station except S.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let from: string;
const both = { worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团', '饿了么'] } };

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 1000 });
  d = await aDistrict(engine.app);
  const policies = await d.admin.put('/api/v1/sla-policies', [
    ...uniformSla({ amount: 1, unit: 'hours' }), { step: 'l2_accept', category: 'PAY', amount: 2, unit: 'seconds' },
  ]);
  expect(policies.status).toBe(200);
  from = new Date(Date.now() - 60_000).toISOString();

  await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'resolve', resolution: '已退款' }],
    ['liaison', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]]);
  await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'return', reason: '材料不全' }], ['liaison', { action: 'forward' }],
    ['meituan', { action: 'accept' }], ['meituan', { action: 'resolve', resolution: '平台已答复' }],
    ['liaison', { action: 'feedback', rating: 'dissatisfied', solved: 'no' }], ['market', { action: 'accept' }],
    ['market', { action: 'resolve', resolution: '部门约谈平台，已整改' }], ['liaison', { action: 'feedback', rating: 'basically_satisfied', solved: 'partly' }]]);
  const c = await aCase(d, [['liaison', { action: 'forward' }]], aGrievance({ ...both, category: 'PAY' }));
  await eventually(async () => (await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue, 20_000, 'C to miss its acceptance');
  await d.meituan.act(c.id, { action: 'accept' });
  await d.meituan.act(c.id, { action: 'resolve', resolution: '补发工资' });
  expect((await d.liaison.act(c.id, { action: 'feedback', rating: 'satisfied' })).status).toBe(200);
  await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'transfer', toOrgId: d.orgs.eleme, reason: '属饿了么订单' }],
    ['eleme', { action: 'accept' }], ['eleme', { action: 'resolve', resolution: '已处理' }]], aGrievance(both));
  await aCase(d, [['liaison', { action: 'resolve', resolution: '支部答复' }], ['callback', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]],
    aGrievance({ area: '望京街道' }));
  await aCase(d, [['liaison', { action: 'withdraw', reason: '已协商' }]]);
  await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'hand_off', toOrgId: d.orgs.market, reason: '需部门处理' }], ['market', { action: 'accept' }],
    ['market', { action: 'supervise', instructions: '两个工作日内退还扣款', amount: 2, unit: 'working_days' }], ['meituan', { action: 'resolve', resolution: '已退还' }]],
  aGrievance({ area: '建外街道', channel: 'hotline', worker: { name: '李四', phone: '13900001111', workerType: 'courier', platforms: ['美团'] } }));
}, 60_000);
afterAll(async () => engine?.close());

const measures = async (groupBy: string) => {
  const res = await d.convener.get(`/api/v1/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}&groupBy=${groupBy}`);
  expect(res.status).toBe(200);
  for (const row of res.body.rows) {
    for (const rate of ['response_rate', 'rectification_rate', 'on_time_rate', 'resolution_rate', 'solved_rate', 'satisfaction_rate']) {
      expect(row[rate] === null || (row[rate] >= 0 && row[rate] <= 1), `${row.key} ${rate} = ${row[rate]}`).toBe(true);
    }
  }
  return Object.fromEntries(res.body.rows.map((r: { key: string | null }) => [r.key ?? 'null', r]));
};

describe('measures by unit: per arrival', () => {
  it('counts each arrival, its acceptance, and the unit\'s own resolutions and feedback', async () => {
    const byOrg = await measures('org');
    // Branch: arrivals = 7 registrations + B's return = 8. Acceptance judged by its l1_forward clocks: A, B twice, C, T, D, S
    // met (forwarded or resolved in time) = 7; E's was cancelled by the withdrawal: not judged. It resolved D (on time);
    // D's feedback: satisfied, solved yes.
    expect(byOrg[d.orgs.branch]).toMatchObject({
      label: '第一支部', received: 8, accepts_judged: 7, accepted_on_time: 7, resolved: 1, on_time: 1, overdue: 0, escalated: 0,
      feedback: 1, satisfied: 1, reopened: 0, solved_answered: 1, solved: 1, rectifications: 0,
      response_rate: 1, on_time_rate: 1, resolution_rate: 0.125, solved_rate: 1, satisfaction_rate: 1, rectification_rate: null,
    });
    // 美团: arrivals A, B (twice), C, T, S = 6 (S's supervision order is not an arrival). Acceptance clocks: all met (accepted,
    // returned, transferred) except C's (missed) → 5 of 6. It resolved A, B (second stay), C (its l2_resolve met) and S (the
    // order's clock met: rectified on time). Feedback on its resolutions: A satisfied/yes, B dissatisfied/no (reopened),
    // C satisfied/no answer.
    expect(byOrg[d.orgs.meituan]).toMatchObject({
      label: '美团平台党委', received: 6, accepts_judged: 6, accepted_on_time: 5, resolved: 4, on_time: 4, overdue: 1, escalated: 1,
      rectifications: 1, rectified_on_time: 1, feedback: 3, satisfied: 2, reopened: 1, solved_answered: 2, solved: 1,
      response_rate: 0.8333, rectification_rate: 1, on_time_rate: 1, resolution_rate: 0.6667, solved_rate: 0.5, satisfaction_rate: 0.6667,
    });
    // 饿了么: T arrived by transfer, accepted, resolved on time; no feedback yet → feedback rates null, not 0.
    expect(byOrg[d.orgs.eleme]).toMatchObject({
      received: 1, accepts_judged: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 0,
      response_rate: 1, on_time_rate: 1, resolution_rate: 1, solved_rate: null, satisfaction_rate: null,
    });
    // 市场监管局: B reopened there and S handed off to it: 2 arrivals, both accepted in time; it resolved B (basically
    // satisfied, solved partly: not solved); S it sent back with a supervision order.
    expect(byOrg[d.orgs.market]).toMatchObject({
      received: 2, accepts_judged: 2, accepted_on_time: 2, resolved: 1, on_time: 1, feedback: 1, satisfied: 1, solved_answered: 1, solved: 0,
      rectifications: 0, response_rate: 1, on_time_rate: 1, resolution_rate: 0.5, solved_rate: 0, satisfaction_rate: 1,
    });
    // 人社局 supervises C (its PAY hand-off rule) but nothing arrived there and it owes no clock.
    expect(Object.keys(byOrg).sort()).toEqual([d.orgs.branch, d.orgs.meituan, d.orgs.eleme, d.orgs.market].sort());
  });

  it('a unit sees only its own row', async () => {
    const own = await d.meituan.get(`/api/v1/metrics?from=${encodeURIComponent(from)}`);
    expect(own.body.rows.map((r: { key: string }) => r.key)).toEqual([d.orgs.meituan]);
    expect((await d.admin.get('/api/v1/metrics')).status).toBe(403);
  });
});

describe('measures by category, platform, area, worker type, channel: cases registered, each once; events under the values of their time', () => {
  it('by category: received = number of cases', async () => {
    const rows = await measures('category');
    // DED: A, B, T, D, E, S registered. Acceptance clocks judged: A 2, B 5 (l1, l2 returned, l1, l2, l3), T 3 (l1, 美团's
    // l2 transferred, 饿了么's l2), D 1, S 3, all met = 14. First resolutions: A, B, T, D, S, all on time. S's order rectified
    // in time. Feedback, each once: A satisfied/yes, B dissatisfied/no, B basically/partly, D satisfied/yes.
    expect(rows.DED).toMatchObject({
      received: 6, accepts_judged: 14, accepted_on_time: 14, resolved: 5, on_time: 5, overdue: 0, escalated: 0, reopened: 1,
      rectifications: 1, rectified_on_time: 1, feedback: 4, satisfied: 3, solved_answered: 4, solved: 2,
      response_rate: 1, rectification_rate: 1, on_time_rate: 1, resolution_rate: 0.8333, solved_rate: 0.5, satisfaction_rate: 0.75,
    });
    // PAY: C alone. Forward in time, acceptance missed; resolved on time later; satisfied, no solved answer.
    expect(rows.PAY).toMatchObject({
      received: 1, accepts_judged: 2, accepted_on_time: 1, resolved: 1, on_time: 1, overdue: 1, escalated: 1, reopened: 0,
      feedback: 1, satisfied: 1, solved_answered: 0, solved: 0,
      response_rate: 0.5, on_time_rate: 1, resolution_rate: 1, solved_rate: null, satisfaction_rate: 1,
    });
    expect(Object.keys(rows).sort()).toEqual(['DED', 'PAY']);
  });

  it('by platform: what happened before T\'s transfer counts for 美团, what happened after for 饿了么', async () => {
    const rows = await measures('platform');
    // Every case was registered as 美团's (7). T's acceptance clock at 美团 ended by the transfer: judged under 美团 (15 judged,
    // C's late); its acceptance and resolution at 饿了么 under 饿了么.
    expect(rows['美团']).toMatchObject({
      received: 7, accepts_judged: 15, accepted_on_time: 14, resolved: 5, on_time: 5, overdue: 1, escalated: 1, reopened: 1,
      rectifications: 1, rectified_on_time: 1, feedback: 5, satisfied: 4, solved_answered: 4, solved: 2,
      response_rate: 0.9333, on_time_rate: 1, resolution_rate: 0.7143, solved_rate: 0.5, satisfaction_rate: 0.8,
    });
    expect(rows['饿了么']).toMatchObject({
      received: 0, accepts_judged: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 0,
      response_rate: 1, resolution_rate: null, on_time_rate: 1, solved_rate: null, satisfaction_rate: null,
    });
    expect(Object.values(rows).reduce((n, r) => n + (r as { received: number }).received, 0)).toBe(7);
  });

  it('by area', async () => {
    const rows = await measures('area');
    // 朝阳街道: A, B, C, T, E.
    expect(rows['朝阳街道']).toMatchObject({
      received: 5, accepts_judged: 12, accepted_on_time: 11, resolved: 4, on_time: 4, overdue: 1, reopened: 1,
      feedback: 4, satisfied: 3, solved_answered: 3, solved: 1,
      response_rate: 0.9167, on_time_rate: 1, resolution_rate: 0.8, solved_rate: 0.3333, satisfaction_rate: 0.75,
    });
    expect(rows['望京街道']).toMatchObject({
      received: 1, accepts_judged: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 1, satisfied: 1, solved_answered: 1, solved: 1,
      response_rate: 1, on_time_rate: 1, resolution_rate: 1, solved_rate: 1, satisfaction_rate: 1,
    });
    expect(rows['建外街道']).toMatchObject({ received: 1, accepts_judged: 3, resolved: 1, rectifications: 1, rectification_rate: 1 });
  });

  it('by worker type and by channel (均等化): the courier who called the hotline apart', async () => {
    const byType = await measures('workerType');
    expect(Object.keys(byType).sort()).toEqual(['courier', 'delivery']);
    expect(byType.courier).toMatchObject({ received: 1, accepts_judged: 3, accepted_on_time: 3, resolved: 1, rectifications: 1, response_rate: 1 });
    expect(byType.delivery).toMatchObject({ received: 6, accepts_judged: 13, accepted_on_time: 12, resolved: 5, feedback: 5 });
    const byChannel = await measures('channel');
    expect(Object.keys(byChannel).sort()).toEqual(['hotline', 'station']);
    const { key: _key, label: _label, ...courier } = byType.courier;
    expect(byChannel.hotline).toMatchObject(courier);
    expect(byChannel.station).toMatchObject({ received: 6, accepts_judged: 13, resolved: 5 });
  });

  it('the OpenAPI document gives each field its formula', async () => {
    const doc = (await engine.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const text = JSON.stringify(doc);
    expect(text).toContain('按时受理率 accepted_on_time / accepts_judged');
    expect(text).toContain('按时整改率 rectified_on_time / rectifications');
    expect(text).toContain('问题解决率 solved / solved_answered');
  });
});

// Last: it adds a case.
describe('acceptance is judged when its clock ends', () => {
  it('an arrival still within its time is not judged yet', async () => {
    const before = (await measures('org'))[d.orgs.eleme];
    await aCase(d, [['liaison', { action: 'forward', toOrgId: d.orgs.eleme }]], aGrievance({ platform: '饿了么' }));
    const after = (await measures('org'))[d.orgs.eleme];
    expect(after.received).toBe(before.received + 1);
    expect([after.accepts_judged, after.accepted_on_time, after.response_rate]).toEqual([before.accepts_judged, before.accepted_on_time, 1]);
  });
});
