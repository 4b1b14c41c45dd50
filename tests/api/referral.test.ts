/**
 * Referral (矛盾调解, legal aid, arbitration, unions): the holder at L2 or L3 refers the case; the
 * case waits on the referred unit's own clock while the holder's is paused; the referred unit's
 * mediator answers; a missed answer goes on the meeting's agenda with that unit accountable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true });
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

const atPlatform = () => aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
const clock = (c: { deadlines: { step: string; status: string }[] }, step: string) => c.deadlines.find((x) => x.step === step && ['pending', 'paused'].includes(x.status));

describe('refer and refer_outcome', () => {
  it('the holder refers; its clock pauses, the referral clock is the due time; it may not resolve, transfer or hand off meanwhile', async () => {
    const c = await atPlatform();
    const referred = await d.meituan.act(c.id, { action: 'refer', toOrgId: d.orgs.mediation, kind: 'mediation', reason: '劳动报酬争议，先行调解' });
    expect(referred.status).toBe(200);
    expect(clock(referred.body, 'l2_resolve')?.status).toBe('paused');
    expect(clock(referred.body, 'referral')).toMatchObject({ status: 'pending', orgId: d.orgs.mediation });
    expect(clock(referred.body, 'pause_limit')).toBeUndefined();
    expect(referred.body.dueAt).toBe(referred.body.deadlines.find((x: { step: string }) => x.step === 'referral').dueAt);
    expect(referred.body.allowedActions).not.toContain('resolve');
    for (const body of [{ action: 'resolve', resolution: '已处理' }, { action: 'hand_off', reason: '移交' }, { action: 'refer', toOrgId: d.orgs.union, kind: 'union', reason: '再转' }]) {
      const refused = await d.meituan.act(c.id, body);
      expect(refused.status, body.action).toBe(422);
      expect(refused.body.code).toBe('referral_pending');
    }
    // The referred unit reads the case (contacts masked) and finds it in its queue.
    const read = await d.mediator.get(`/api/v1/cases/${c.id}`);
    expect(read.status).toBe(200);
    expect(read.body.worker.phone).not.toBe('13812341234');
    expect(read.body.allowedActions).toEqual(['refer_outcome']);
    expect((await d.mediator.get('/api/v1/cases')).body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    // Another unit's mediator may not answer; the referred one does: the holder's clock resumes.
    const outsider = await d.unionist.post(`/api/v1/cases/${c.id}/actions`, { action: 'refer_outcome', outcome: 'settled', note: '已调解' }, { 'if-match': String(read.body.version) });
    expect(outsider.status).toBe(404);
    const answered = await d.mediator.act(c.id, { action: 'refer_outcome', outcome: 'settled', note: '双方达成调解协议，平台补发报酬' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: 'platform_handling', holderOrgId: d.orgs.meituan });
    const back = await d.meituan.get(`/api/v1/cases/${c.id}`);
    expect(clock(back.body, 'l2_resolve')?.status).toBe('pending');
    expect(back.body.allowedActions).toContain('resolve');
    // The record names the referral and its answer.
    const events = (await d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['refer', 'refer_outcome']));
    expect(events.find((e: { action: string }) => e.action === 'refer_outcome').data).toMatchObject({ outcome: 'settled', orgId: d.orgs.mediation });
    expect((await d.meituan.act(c.id, { action: 'resolve', resolution: '按调解协议办结' })).status).toBe(200);
    // Measures: the mediation unit received one referral, answered it, settled it.
    const period = `from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`;
    const mine = (await d.mediator.get(`/api/v1/metrics?${period}`)).body.rows;
    expect(mine).toEqual([expect.objectContaining({ key: d.orgs.mediation, referred: 1, referrals_answered: 1, referrals_settled: 1, referral_settled_rate: 1 })]);
    const byCategory = (await d.convener.get(`/api/v1/metrics?${period}&groupBy=category`)).body.rows;
    expect(byCategory.find((r: { key: string }) => r.key === 'DED')).toMatchObject({ referred: 1, referrals_settled: 1 });
  });

  it('a kind the target does not offer, or a unit that takes no referrals: 422 referral_target_invalid; at L1: 422', async () => {
    const c = await atPlatform();
    for (const [toOrgId, kind] of [[d.orgs.mediation, 'arbitration'], [d.orgs.union, 'mediation'], [d.orgs.mediation, 'union'], [d.orgs.market, 'mediation']]) {
      const refused = await d.meituan.act(c.id, { action: 'refer', toOrgId, kind, reason: '转介' });
      expect(refused.status, `${kind}`).toBe(422);
      expect(refused.body.code).toBe('referral_target_invalid');
    }
    const atBranch = await aCase(d);
    expect((await d.liaison.act(atBranch.id, { action: 'refer', toOrgId: d.orgs.union, kind: 'union', reason: '转介' })).status).toBe(422);
    expect((await d.meituan.act(c.id, { action: 'refer', toOrgId: d.orgs.union, kind: 'union', reason: '请工会参与' })).status).toBe(200);
  });

  it('a mediation unit lists its services; a user of a union or mediation unit is a mediator', async () => {
    expect((await d.admin.post('/api/v1/orgs', { name: '调解室', type: 'mediation' })).status).toBe(400);
    expect((await d.admin.post('/api/v1/orgs', { name: '工会', type: 'union', services: ['mediation'] })).status).toBe(400);
    expect((await d.admin.post('/api/v1/users', { name: '工会干部', orgId: d.orgs.union, role: 'committee' })).status).toBe(400);
  });

  it('the convener\'s decision still works on a referred case, and ends the referral', async () => {
    const c = await atPlatform();
    await d.meituan.act(c.id, { action: 'refer', toOrgId: d.orgs.mediation, kind: 'legal_aid', reason: '法律援助' });
    const decided = await d.convener.act(c.id, { action: 'assign_lead', leadOrgId: d.orgs.market, amount: 5, unit: 'working_days', decision: '市场监管局牵头' });
    expect(decided.status).toBe(200);
    expect(decided.body.deadlines.find((x: { step: string }) => x.step === 'referral').status).toBe('cancelled');
  });

  it('a missed referral clock resumes the holder\'s clock and puts the case on the agenda, the referred unit accountable', async () => {
    expect((await d.admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 5, unit: 'working_days' }), { step: 'referral', amount: 1, unit: 'seconds' }])).status).toBe(200);
    const c = await atPlatform();
    await d.meituan.act(c.id, { action: 'refer', toOrgId: d.orgs.mediation, kind: 'mediation', reason: '调解' });
    await eventually(async () => (await d.meituan.get(`/api/v1/cases/${c.id}`)).body.onMeetingAgenda === true, 15_000, 'the missed referral on the agenda');
    const after = (await d.meituan.get(`/api/v1/cases/${c.id}`)).body;
    expect(clock(after, 'l2_resolve')?.status).toBe('pending');
    const missed = (await d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items.find((e: { action: string; data: { step?: string } }) => e.action === 'deadline_missed' && e.data.step === 'referral');
    expect(missed.data).toMatchObject({ agendaReason: 'referral_missed', accountable_org_id: d.orgs.mediation });
  });
});
