/** The escalation chain with real workers and SLA policies in seconds: a missed supervision order escalates once more. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { ESCALATING_CLOCKS } from '../../workflows/case-rules.js';

describe('a missed supervision order', () => {
  let engine: TestEngine;
  let d: District;

  beforeAll(async () => {
    engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 2000 });
    d = await aDistrict(engine.app, { amount: 1, unit: 'hours' });
    await d.admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 1, unit: 'hours' }), { step: 'supervision_min', amount: 1, unit: 'seconds' }]);
  });
  afterAll(async () => engine?.close());

  it('goes on the convener\'s agenda as supervision_missed and on the platform\'s accountability record', async () => {
    const c = await aCase(d, [
      ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '需部门处理' }],
      ['market', { action: 'accept' }], ['market', { action: 'supervise', instructions: '限期整改', amount: 2, unit: 'seconds' }],
    ]);
    expect(c).toMatchObject({ state: 'platform_handling', holderOrgId: d.orgs.meituan, supervised: true, onMeetingAgenda: false });
    const escalated = await eventually(async () => {
      const res = await d.convener.get(`/api/v1/cases/${c.id}`);
      return res.body.onMeetingAgenda ? res.body : null;
    }, 15_000, 'the escalation of the missed order');
    expect(escalated).toMatchObject({ state: 'platform_handling', overdue: true });
    expect(escalated.deadlines.find((x: { step: string }) => x.step === 'supervision')).toMatchObject({ status: 'missed' });
    const events = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    const missed = events.filter((e: { action: string }) => e.action === 'deadline_missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ actor: { system: 'deadline-clock' }, data: { step: 'supervision', agendaReason: 'supervision_missed', accountable_org_id: d.orgs.meituan } });
    const [row] = await engine.runtime.database.sql`select reason_code, step from case_events where case_id = ${c.id} and action = 'deadline_missed'`;
    expect(row).toEqual({ reasonCode: 'supervision_missed', step: 'supervision' });
  });

  it('a pause longer than its policy\'s maxPause resumes the clock on its own, with a system event', async () => {
    await d.admin.put('/api/v1/sla-policies', [
      ...uniformSla({ amount: 1, unit: 'hours' }).filter((p) => p.step !== 'l2_resolve'),
      { step: 'l2_resolve', amount: 1, unit: 'hours', maxPause: { amount: 2, unit: 'seconds' } },
    ]);
    const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'request_info', question: '请补充订单截图' }]]);
    expect(c.state).toBe('platform_awaiting_info');
    const resumed = await eventually(async () => {
      const res = await d.convener.get(`/api/v1/cases/${c.id}`);
      return res.body.state === 'platform_handling' ? res.body : null;
    }, 15_000, 'the automatic resume');
    expect(resumed.deadlines.find((x: { step: string }) => x.step === 'l2_resolve')).toMatchObject({ status: 'pending' });
    expect(resumed).toMatchObject({ overdue: false, supervised: false });
    const events = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'deadline_missed', actor: { system: 'deadline-clock' }, fromState: 'platform_awaiting_info', toState: 'platform_handling', data: { step: 'pause_limit' } });
  });

  it('the measures and the meeting count the same misses as escalated (ESCALATING_CLOCKS): the missed order, not the pause limit', async () => {
    expect(ESCALATING_CLOCKS).toContain('supervision');
    expect(ESCALATING_CLOCKS).not.toContain('pause_limit');
    const period = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() };
    const query = `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
    const byOrg = (await d.convener.get(`/api/v1/metrics?${query}&groupBy=org`)).body.rows;
    // 美团 missed its supervision order, which escalates; the branch (the pause limit's owner) let 美团's question wait
    // past its maxPause, which resumes the clock and escalates nothing.
    const figures = (orgId: string) => byOrg.find((r: { key: string }) => r.key === orgId);
    expect(figures(d.orgs.meituan)).toMatchObject({ overdue: 1, escalated: 1 });
    expect(figures(d.orgs.branch)).toMatchObject({ overdue: 1, escalated: 0 });
    const byCategory = (await d.convener.get(`/api/v1/metrics?${query}&groupBy=category`)).body.rows;
    expect(byCategory).toEqual([expect.objectContaining({ key: 'DED', received: 2, overdue: 2, escalated: 1 })]);
    const meeting = await d.convener.post('/api/v1/meetings', { title: '升级口径', periodFrom: period.from, periodTo: period.to });
    const escalated = meeting.body.agenda.filter((a: { reasons: string[] }) => a.reasons.includes('escalated'));
    expect(escalated).toHaveLength(1);
  });
});
