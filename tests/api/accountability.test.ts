/**
 * 问责清单 (issue 21 item 5): `GET /accountability` lists every missed clock whose miss is a unit's
 * failure, with the unit held to account, how late it was, and the meeting decision taken on it.
 * Real deadline workers; the platform's acceptance of PAY cases lasts 2 s, every other clock an hour.
 *   late     PAY  forwarded; 美团 misses its acceptance, then accepts: not ongoing, a few seconds late.
 *   decided  PAY  forwarded; 美团 misses its acceptance and does nothing; the convener decides (assign_lead).
 *   idle     PAY  forwarded; 美团 misses its acceptance and does nothing: ongoing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let from: string;
const ids = { late: '', decided: '', idle: '', onTime: '' };

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 1000 });
  d = await aDistrict(engine.app);
  expect((await d.admin.put('/api/v1/sla-policies', [
    ...uniformSla({ amount: 1, unit: 'hours' }), { step: 'l2_accept', category: 'PAY', amount: 2, unit: 'seconds' },
  ])).status).toBe(200);
  from = new Date(Date.now() - 60_000).toISOString();
  const pay = () => aCase(d, [['liaison', { action: 'forward' }]], aGrievance({ category: 'PAY' }));
  ids.late = (await pay()).id;
  ids.decided = (await pay()).id;
  ids.idle = (await pay()).id;
  ids.onTime = (await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]])).id;
  for (const id of [ids.late, ids.decided, ids.idle]) {
    await eventually(async () => (await d.convener.get(`/api/v1/cases/${id}`)).body.overdue, 20_000, 'the missed acceptance');
  }
  expect((await d.meituan.act(ids.late, { action: 'accept' })).status).toBe(200);
  expect((await d.convener.act(ids.decided, {
    action: 'assign_lead', leadOrgId: d.orgs.hr, amount: 3, unit: 'working_days', decision: '由人社局牵头核实，联系人 13912345678',
  })).status).toBe(200);
}, 60_000);
afterAll(async () => engine?.close());

const period = () => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
type Item = { caseId: string; dueAt: string; missedAt: string; lateHours: number };
const byCase = (items: Item[]) => new Map(items.map((i) => [i.caseId, i]));

describe('the accountability list (问责清单)', () => {
  it('holds every missed acceptance with the unit accountable, how late, and the decision taken afterwards', async () => {
    const res = await d.convener.get(`/api/v1/accountability?${period()}`);
    expect(res.status).toBe(200);
    const items = byCase(res.body.items);
    expect(items.has(ids.onTime)).toBe(false);
    const late = items.get(ids.late)!;
    expect(late).toMatchObject({ orgId: d.orgs.meituan, orgName: '美团平台党委', step: 'l2_accept', ongoing: false, decision: null, meetingId: null });
    expect(new Date(late.missedAt).getTime()).toBeGreaterThanOrEqual(new Date(late.dueAt).getTime());
    expect(late.lateHours).toBeGreaterThanOrEqual(0);
    expect(late.lateHours).toBeLessThan(0.1);
    expect(items.get(ids.decided)).toMatchObject({ step: 'l2_accept', ongoing: false, decision: '由人社局牵头核实，联系人 139****5678' });
    expect(items.get(ids.idle)).toMatchObject({ ongoing: true, decision: null });
    const reference = (await d.convener.get(`/api/v1/cases/${ids.idle}`)).body.reference;
    expect(items.get(ids.idle)).toMatchObject({ reference });
  });

  it('a unit reads its own (another unit\'s: 403); the convener any unit\'s; admins none; a bad period 400 naming the field', async () => {
    const own = await d.meituan.get(`/api/v1/accountability?${period()}`);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThanOrEqual(3);
    expect(own.body.items.every((i: { orgId: string }) => i.orgId === d.orgs.meituan)).toBe(true);
    expect((await d.market.get(`/api/v1/accountability?${period()}`)).body.items).toEqual([]);
    const other = await d.market.get(`/api/v1/accountability?${period()}&orgId=${d.orgs.meituan}`);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/orgId/);
    expect((await d.convener.get(`/api/v1/accountability?${period()}&orgId=${d.orgs.market}`)).body.items).toEqual([]);
    expect((await d.admin.get(`/api/v1/accountability?${period()}`)).status).toBe(403);
    const reversed = await d.convener.get(`/api/v1/accountability?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(from)}`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/from/);
    expect((await d.convener.get(`/api/v1/accountability?limit=0`)).status).toBe(400);
  });
});
