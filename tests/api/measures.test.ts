/**
 * The measures (三率) on a hand-worked fixture. Every expected number below was worked out by hand
 * from the cases' stories; the comments say how. Clocks run in hours, except the platform's
 * acceptance of PAY cases: 2 s, so that case C misses it.
 *
 *   A  DED  branch → 美团 accepts, resolves; feedback satisfied, solved yes.
 *   B  DED  branch → 美团 returns it → branch forwards again → 美团 accepts, resolves; feedback dissatisfied (solved no)
 *           → reopened at 市场监管局, which accepts and resolves; feedback basically satisfied, solved partly.
 *   C  PAY  branch → 美团 misses the 2 s acceptance (escalated), accepts late, resolves; feedback satisfied, no solved answer.
 *   T  DED  branch → 美团 transfers it to 饿了么 (the case's platform becomes 饿了么), which accepts and resolves; no feedback yet.
 *   D  DED  (望京街道) the branch resolves it itself; feedback satisfied, solved yes.
 *   E  DED  withdrawn at the branch.
 * Areas: 朝阳街道 except D.
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
  await aCase(d, [['liaison', { action: 'resolve', resolution: '支部答复' }], ['liaison', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]],
    aGrievance({ area: '望京街道' }));
  await aCase(d, [['liaison', { action: 'withdraw', reason: '已协商' }]]);
}, 60_000);
afterAll(async () => engine?.close());

const measures = async (groupBy: string) => {
  const res = await d.convener.get(`/api/v1/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}&groupBy=${groupBy}`);
  expect(res.status).toBe(200);
  for (const row of res.body.rows) {
    for (const rate of ['response_rate', 'on_time_rate', 'resolution_rate', 'solved_rate', 'satisfaction_rate']) {
      expect(row[rate] === null || (row[rate] >= 0 && row[rate] <= 1), `${row.key} ${rate} = ${row[rate]}`).toBe(true);
    }
  }
  return Object.fromEntries(res.body.rows.map((r: { key: string | null }) => [r.key ?? 'null', r]));
};

describe('measures by unit: per arrival', () => {
  it('counts each arrival, its acceptance, and the unit\'s own resolutions and feedback', async () => {
    const byOrg = await measures('org');
    // Branch: arrivals = 6 registrations + B's return = 7; each started l1_forward, met except E's (cancelled) → 6.
    // It resolved D (on time); D's feedback: satisfied, solved yes.
    expect(byOrg[d.orgs.branch]).toMatchObject({
      label: '第一支部', received: 7, accepted_on_time: 6, resolved: 1, on_time: 1, overdue: 0, escalated: 0,
      feedback: 1, satisfied: 1, reopened: 0, solved_answered: 1, solved: 1,
      response_rate: 0.8571, on_time_rate: 1, resolution_rate: 0.1429, solved_rate: 1, satisfaction_rate: 1,
    });
    // 美团: arrivals A, B (twice), C, T = 5; acceptance clocks met except C's (missed) → 4. It resolved A, B (second stay) and C,
    // all while its l2_resolve ran; B's first stay ended in a return, T's in a transfer. Feedback on its resolutions: A satisfied/yes,
    // B dissatisfied/no (reopened), C satisfied/no answer.
    expect(byOrg[d.orgs.meituan]).toMatchObject({
      label: '美团平台党委', received: 5, accepted_on_time: 4, resolved: 3, on_time: 3, overdue: 1, escalated: 1,
      feedback: 3, satisfied: 2, reopened: 1, solved_answered: 2, solved: 1,
      response_rate: 0.8, on_time_rate: 1, resolution_rate: 0.6, solved_rate: 0.5, satisfaction_rate: 0.6667,
    });
    // 饿了么: T arrived by transfer, accepted, resolved on time; no feedback yet → feedback rates null, not 0.
    expect(byOrg[d.orgs.eleme]).toMatchObject({
      received: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 0,
      response_rate: 1, on_time_rate: 1, resolution_rate: 1, solved_rate: null, satisfaction_rate: null,
    });
    // 市场监管局: B reopened there, accepted, resolved; basically satisfied, solved partly (not solved).
    expect(byOrg[d.orgs.market]).toMatchObject({
      received: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 1, satisfied: 1, solved_answered: 1, solved: 0,
      response_rate: 1, on_time_rate: 1, resolution_rate: 1, solved_rate: 0, satisfaction_rate: 1,
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

describe('measures by category, platform, area: per case registered in the period, each once', () => {
  it('by category: received = number of cases', async () => {
    const rows = await measures('category');
    // DED: A, B, T, D, E. All arrivals on time except E (cancelled); resolved and on time A, B, T, D; B reopened;
    // last feedback: A satisfied/yes, B basically/partly, D satisfied/yes.
    expect(rows.DED).toMatchObject({
      received: 5, accepted_on_time: 4, resolved: 4, on_time: 4, overdue: 0, escalated: 0, reopened: 1,
      feedback: 3, satisfied: 3, solved_answered: 3, solved: 2,
      response_rate: 0.8, on_time_rate: 1, resolution_rate: 0.8, solved_rate: 0.6667, satisfaction_rate: 1,
    });
    // PAY: C alone. Missed acceptance, resolved on time later; satisfied, no solved answer.
    expect(rows.PAY).toMatchObject({
      received: 1, accepted_on_time: 0, resolved: 1, on_time: 1, overdue: 1, escalated: 1, reopened: 0,
      feedback: 1, satisfied: 1, solved_answered: 0, solved: 0,
      response_rate: 0, on_time_rate: 1, resolution_rate: 1, solved_rate: null, satisfaction_rate: 1,
    });
    expect(Object.keys(rows).sort()).toEqual(['DED', 'PAY']);
  });

  it('by platform: the case counts for its real platform (T moved to 饿了么); six cases, six received', async () => {
    const rows = await measures('platform');
    expect(rows['美团']).toMatchObject({
      received: 5, accepted_on_time: 3, resolved: 4, on_time: 4, overdue: 1, escalated: 1, reopened: 1,
      feedback: 4, satisfied: 4, solved_answered: 3, solved: 2,
      response_rate: 0.6, on_time_rate: 1, resolution_rate: 0.8, solved_rate: 0.6667, satisfaction_rate: 1,
    });
    expect(rows['饿了么']).toMatchObject({
      received: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 0,
      response_rate: 1, resolution_rate: 1, on_time_rate: 1, solved_rate: null, satisfaction_rate: null,
    });
    expect(Object.values(rows).reduce((n, r) => n + (r as { received: number }).received, 0)).toBe(6);
  });

  it('by area', async () => {
    const rows = await measures('area');
    // 朝阳街道: A, B, C, T, E.
    expect(rows['朝阳街道']).toMatchObject({
      received: 5, accepted_on_time: 3, resolved: 4, on_time: 4, overdue: 1, reopened: 1, feedback: 3, satisfied: 3, solved_answered: 2, solved: 1,
      response_rate: 0.6, on_time_rate: 1, resolution_rate: 0.8, solved_rate: 0.5, satisfaction_rate: 1,
    });
    expect(rows['望京街道']).toMatchObject({
      received: 1, accepted_on_time: 1, resolved: 1, on_time: 1, feedback: 1, satisfied: 1, solved_answered: 1, solved: 1,
      response_rate: 1, on_time_rate: 1, resolution_rate: 1, solved_rate: 1, satisfaction_rate: 1,
    });
  });

  it('the OpenAPI document gives each field its formula', async () => {
    const doc = (await engine.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const text = JSON.stringify(doc);
    expect(text).toContain('按时受理率 accepted_on_time / received');
    expect(text).toContain('问题解决率 solved / solved_answered');
  });
});
