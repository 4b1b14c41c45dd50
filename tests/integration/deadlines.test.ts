/** Deadlines with SLA policies in seconds, on both queue backends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

describe.each(['redis', 'postgres'] as const)('deadlines on the %s backend', (backend) => {
  let engine: TestEngine;
  let d: District;

  beforeAll(async () => {
    engine = await startTestEngine({ backend, runWorkers: true, sweepIntervalMs: 2000 });
    d = await aDistrict(engine.app, { amount: 2, unit: 'seconds' });
  });
  afterAll(async () => engine?.close());

  it('a case forwarded and never accepted escalates on its own: overdue, supervised, in the department\'s scope', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }]]);
    expect(c.deadlines.at(-1)).toMatchObject({ step: 'l2_accept', status: 'pending' });
    expect((await d.market.get(`/api/v1/cases/${c.id}`)).status).toBe(404);

    const escalated = await eventually(async () => {
      const res = await d.convener.get(`/api/v1/cases/${c.id}`);
      return res.body.overdue ? res.body : null;
    }, 15_000, 'the escalation');
    expect(escalated).toMatchObject({ state: 'forwarded', overdue: true, supervised: true, supervisingOrgId: d.orgs.market });
    const deadline = escalated.deadlines.at(-1);
    expect(deadline).toMatchObject({ step: 'l2_accept', status: 'missed' });

    const events = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    const warning = events.find((e: { action: string }) => e.action === 'deadline_warning');
    const missed = events.filter((e: { action: string }) => e.action === 'deadline_missed');
    expect(warning).toMatchObject({ actor: { system: 'deadline-clock' }, data: { step: 'l2_accept' } });
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ actor: { system: 'deadline-clock' }, data: { step: 'l2_accept' }, fromState: 'forwarded', toState: 'forwarded' });
    expect(new Date(missed[0].at).getTime()).toBeGreaterThanOrEqual(new Date(deadline.dueAt).getTime());

    // The supervising department now sees it, and may order the platform to act.
    const seen = await d.market.get(`/api/v1/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toContain('supervise');
    const listed = await d.market.get('/api/v1/cases?overdue=true');
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('a missed L3 step puts the case on the meeting agenda; no feedback in time closes it', async () => {
    const atL3 = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '移交' }]]);
    const resolved = await aCase(d, [['liaison', { action: 'resolve', resolution: '已答复' }]]);
    await eventually(async () => (await d.convener.get(`/api/v1/cases/${atL3.id}`)).body.onMeetingAgenda, 15_000, 'the L3 escalation');
    const closed = await eventually(async () => {
      const res = await d.convener.get(`/api/v1/cases/${resolved.id}`);
      return res.body.state === 'closed' ? res.body : null;
    }, 15_000, 'closing without feedback');
    expect(closed.outcome).toBe('no_feedback');
  });

  it('no deadline fires before it is due, and each fires once', async () => {
    const cases = await Promise.all(Array.from({ length: 20 }, () => aCase(d)));
    await eventually(async () => {
      const all = await Promise.all(cases.map((c) => d.liaison.get(`/api/v1/cases/${c.id}`)));
      return all.every((r) => r.body.overdue);
    }, 20_000, 'all 20 escalations');
    for (const c of cases) {
      const view = (await d.liaison.get(`/api/v1/cases/${c.id}`)).body;
      const missed = (await d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items.filter((e: { action: string }) => e.action === 'deadline_missed');
      expect(missed).toHaveLength(1);
      expect(new Date(missed[0].at).getTime()).toBeGreaterThanOrEqual(new Date(view.deadlines[0].dueAt).getTime());
    }
  });

  it('a paused clock gives the paused time back; an approved extension re-schedules the deadline', async () => {
    await d.admin.put('/api/v1/sla-policies', [
      { step: 'l1_forward', amount: 1, unit: 'hours' }, { step: 'l2_accept', amount: 1, unit: 'hours' },
      { step: 'l2_resolve', amount: 3, unit: 'seconds' }, { step: 'l3_accept', amount: 1, unit: 'hours' },
      { step: 'l3_resolve', amount: 1, unit: 'hours' }, { step: 'feedback', amount: 1, unit: 'hours' },
    ]);
    const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'request_info', question: '请补充' }]]);
    const resolveClock = (view: { deadlines: { step: string; dueAt: string; status: string }[] }) => view.deadlines.find((x) => x.step === 'l2_resolve')!;
    const due = new Date(resolveClock(c).dueAt).getTime();
    await new Promise((r) => setTimeout(r, 4000)); // longer than the whole clock: paused, nothing fires
    const resumed = await d.meituan.act(c.id, { action: 'resume', answer: '已补充' });
    expect(resumed.body.overdue).toBe(false);
    expect(new Date(resolveClock(resumed.body).dueAt).getTime()).toBeGreaterThanOrEqual(due + 3500);

    const asked = await d.meituan.act(c.id, { action: 'request_extension', amount: 1, unit: 'hours', reason: '需要时间' });
    const approved = await d.market.act(c.id, { action: 'approve_extension' });
    expect(asked.status).toBe(200);
    expect(approved.status).toBe(200);
    await new Promise((r) => setTimeout(r, 4000));
    const later = await d.meituan.get(`/api/v1/cases/${c.id}`);
    expect(later.body).toMatchObject({ overdue: false, state: 'platform_handling' });
    expect(resolveClock(later.body).status).toBe('pending');
  });
});
