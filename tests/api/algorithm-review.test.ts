/**
 * Algorithm-decision grievances (ALG): registered with the platform's order, rule version and
 * decision time; the committee records a human review within its own clock (default 2 working
 * days) before it may resolve or hand off; a missed review escalates like any L2 step; the measures
 * count ALG cases reviewed on time.
 */
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';

const file = districtPerFile();
const algorithm = { orderId: 'MT-20261120-0042', ruleVersion: 'dispatch-v7.3', decidedAt: '2026-11-20T10:15:00+08:00', amount: 50 };
const alg = (overrides: Record<string, unknown> = {}) =>
  aGrievance({ category: 'ALG', subcategory: 'ALG04', requestType: 'complaint', description: '超时罚款由算法判定，申请人工复核', algorithm, ...overrides });
const atPlatform: Parameters<typeof aCase>[1] = [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]];
type Deadline = { step: string; status: string; id: string; dueAt: string; startedAt: string };

describe('registration', () => {
  it('algorithm is required for ALG and refused for other categories, naming the field', async () => {
    const { algorithm: _a, ...withoutAlgorithm } = alg() as Record<string, unknown>;
    const missing = await file.d.liaison.post('/api/v1/cases', withoutAlgorithm);
    expect([missing.status, missing.body.field]).toEqual([400, 'algorithm']);
    const misplaced = await file.d.liaison.post('/api/v1/cases', aGrievance({ algorithm }));
    expect([misplaced.status, misplaced.body.field]).toEqual([400, 'algorithm']);
    const badTime = await file.d.liaison.post('/api/v1/cases', alg({ algorithm: { ...algorithm, decidedAt: 'yesterday' } }));
    expect(badTime.status).toBe(400);
    expect(badTime.body.message).toContain('decidedAt');
  });
});

describe('human review', () => {
  it('starts its clock on acceptance (2 working days by default); resolve and hand_off wait for it (422 saying so)', async () => {
    const c = await aCase(file.d, atPlatform, alg());
    expect(c.algorithm).toEqual(algorithm);
    const review = c.deadlines.find((d: Deadline) => d.step === 'human_review');
    expect(review).toMatchObject({ status: 'pending' });
    expect(c.humanReview).toBeNull();
    expect(c.allowedActions).toContain('human_review');
    expect(c.allowedActions).not.toContain('resolve');
    for (const body of [{ action: 'resolve', resolution: '维持' }, { action: 'hand_off', reason: '部门' }]) {
      const refused = await file.d.meituan.act(c.id, body);
      expect(refused.status).toBe(422);
      expect(refused.body.message).toContain('human_review');
    }
    const reviewed = await file.d.meituan.act(c.id, { action: 'human_review', outcome: 'revoked', explanation: '暴雨天气系统未计入，撤销罚款并返还 50 元' });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.humanReview).toMatchObject({ outcome: 'revoked', explanation: '暴雨天气系统未计入，撤销罚款并返还 50 元' });
    expect(reviewed.body.deadlines.find((d: Deadline) => d.step === 'human_review').status).toBe('met');
    expect((await file.d.meituan.act(c.id, { action: 'human_review', outcome: 'upheld', explanation: '再次' })).status).toBe(422);
    expect((await file.d.meituan.act(c.id, { action: 'resolve', resolution: '已撤销罚款' })).body.state).toBe('resolved');
    const events = (await file.d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.find((e: { action: string }) => e.action === 'human_review').data).toMatchObject({ outcome: 'revoked' });
  });

  it('only for ALG cases, only by the committee, outcome upheld|revised|revoked', async () => {
    const other = await aCase(file.d, atPlatform);
    expect((await file.d.meituan.act(other.id, { action: 'human_review', outcome: 'upheld', explanation: 'x' })).status).toBe(422);
    const c = await aCase(file.d, atPlatform, alg());
    const bad = await file.d.meituan.act(c.id, { action: 'human_review', outcome: 'ignored', explanation: 'x' });
    expect(bad.status).toBe(400);
    expect((await file.d.liaison.act(c.id, { action: 'human_review', outcome: 'upheld', explanation: 'x' })).status).toBe(422);
  });

  it('a missed review escalates to the department\'s supervision; the measures count ALG cases reviewed on time', async () => {
    const policies = (await file.d.admin.get('/api/v1/sla-policies')).body;
    await file.d.admin.put('/api/v1/sla-policies', [...policies, { step: 'human_review', amount: 1, unit: 'seconds' }]);
    const late = await aCase(file.d, atPlatform, alg());
    const clock = late.deadlines.find((d: Deadline) => d.step === 'human_review');
    await new Promise((r) => setTimeout(r, 1200));
    // What the deadline worker runs when the job fires (this file runs no workers).
    const [{ rev }] = await file.engine.runtime.engineDeps.sql<{ rev: number }[]>`select rev from deadlines where id = ${clock.id}`;
    await file.engine.runtime.engine.fireDeadline(clock.id, rev, 'due');
    const after = (await file.d.meituan.get(`/api/v1/cases/${late.id}`)).body;
    expect(after).toMatchObject({ overdue: true, supervised: true, supervisingOrgId: file.d.orgs.market });
    expect(after.deadlines.find((d: Deadline) => d.id === clock.id).status).toBe('missed');
    await file.d.admin.put('/api/v1/sla-policies', policies);

    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const measures = await file.d.convener.get(`/api/v1/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=category`);
    const row = measures.body.rows.find((r: { key: string }) => r.key === 'ALG');
    expect(row).toMatchObject({ alg_reviews: 2, alg_reviewed_on_time: 1, alg_reviewed_on_time_rate: 0.5 });
    const byOrg = await file.d.convener.get(`/api/v1/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=org`);
    expect(byOrg.body.rows.find((r: { key: string }) => r.key === file.d.orgs.meituan)).toMatchObject({ alg_reviews: 2, alg_reviewed_on_time: 1 });
  });
});
