/**
 * Only what the server allows (issue 22, item 3): a case answer names, for each action that names
 * a unit and that the caller may send now, the units the rules accept — read from the same checks
 * the actions run, so every unit offered is accepted and a unit left out is refused.
 */
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';

const file = districtPerFile();
const atPlatform: Parameters<typeof aCase>[1] = [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]];

describe('actionTargets', () => {
  it('at the platform: a transfer only to a platform the worker names; hand-offs to departments; referrals to the units that take them', async () => {
    const { d } = file;
    const c = await aCase(d, atPlatform, aGrievance({ worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团', '饿了么'] } }));
    const answer = (await d.meituan.get(`/api/v1/cases/${c.id}`)).body;
    expect(answer.actionTargets.transfer).toEqual([d.orgs.eleme]);
    expect(answer.actionTargets.hand_off).toEqual(expect.arrayContaining([d.orgs.market, d.orgs.hr]));
    expect(answer.actionTargets.hand_off).not.toContain(d.orgs.meituan);
    expect(answer.actionTargets.refer).toEqual(expect.arrayContaining([d.orgs.mediation, d.orgs.union]));
    expect(answer.actionTargets).not.toHaveProperty('forward');
    // What is offered is accepted; what is not is refused.
    const refused = await d.meituan.act(c.id, { action: 'transfer', toOrgId: d.orgs.market, reason: '不属本平台' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const moved = await d.meituan.act(c.id, { action: 'transfer', toOrgId: answer.actionTargets.transfer[0], reason: '骑手在饿了么接单' });
    expect(moved.status).toBe(200);
    // The action's answer carries them too, for the new holder's view: the liaison may not act, so none.
    expect(moved.body.actionTargets).toEqual({});
  });

  it('a caller who may not act gets none; the liaison forwarding gets the committees the case may go to', async () => {
    const { d } = file;
    const c = await aCase(d);
    expect((await d.convener.get(`/api/v1/cases/${c.id}`)).body.actionTargets).toEqual({});
    const forward = (await d.liaison.get(`/api/v1/cases/${c.id}`)).body.actionTargets.forward;
    expect(forward).toContain(d.orgs.meituan);
    expect(forward).not.toContain(d.orgs.market);
  });
});
