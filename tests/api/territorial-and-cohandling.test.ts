/**
 * 以块为主: territorial categories go from the branch to the street office of the case's area, which
 * acts at L2 with no platform. 横向联动: the department holding a case asks others for opinions, each
 * against its own clock; the lead resolves when all have answered or run out of time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aCase, aGrievance, client, districtPerFile, type Client } from '../support/builders.js';

const file = districtPerFile();
const street = { wangjing: '', jiuxianqiao: '' };
let wangjing: Client;
let jiuxianqiao: Client;

/** A territorial grievance: no platform (the builder's default one is left out). */
const territorial = (overrides: Record<string, unknown> = {}) => {
  const { platform: _none, ...rest } = aGrievance({ category: 'FAC', subcategory: 'FAC01', area: '望京街道', description: '驿站冬季不开放', ...overrides });
  return rest as ReturnType<typeof aGrievance>;
};

beforeAll(async () => {
  const { admin, orgs } = file.d;
  const office = async (name: string, areas: string[]) => (await admin.post('/api/v1/orgs', { name, type: 'territorial', areas })).body.id as string;
  street.wangjing = await office('望京街道办事处', ['望京街道', '望京']);
  street.jiuxianqiao = await office('酒仙桥街道办事处', ['酒仙桥街道']);
  const user = async (name: string, orgId: string) => client(file.engine.app, (await admin.post('/api/v1/users', { name, orgId, role: 'committee' })).body.token);
  wangjing = await user('望京街道专干', street.wangjing);
  jiuxianqiao = await user('酒仙桥街道专干', street.jiuxianqiao);
  const rules = (await admin.get('/api/v1/routing-rules')).body;
  // A rule naming the area beats the office that lists it: the most specific match wins.
  const saved = await admin.put('/api/v1/routing-rules', [...rules, { step: 'forward', match: { category: 'LIV', area: '望京街道' }, toOrgId: street.jiuxianqiao }]);
  expect(saved.status).toBe(200);
  void orgs;
});

describe('the territorial path (以块为主)', () => {
  it('a territorial case needs no platform and goes to the street office of its area, which acts at L2', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]], territorial());
    expect(c).toMatchObject({ level: 'platform', state: 'forwarded', holderOrgId: street.wangjing, holderOrgType: 'territorial', platform: null, area: '望京街道' });
    const seen = (await wangjing.get(`/api/v1/cases/${c.id}`)).body;
    expect(seen.allowedActions).toEqual(expect.arrayContaining(['accept', 'return', 'transfer']));
    const accepted = await wangjing.act(c.id, { action: 'accept' });
    expect(accepted.body.deadlines.map((x: { step: string }) => x.step)).toContain('l2_resolve');
    const resolved = await wangjing.act(c.id, { action: 'resolve', resolution: '驿站已恢复开放' });
    expect(resolved.body).toMatchObject({ state: 'resolved', platform: null });
  });

  it('routing rules can name the area; the street office hands off to a department or transfers to another office', async () => {
    const liv = await aCase(file.d, [['liaison', { action: 'forward' }]], territorial({ category: 'LIV', subcategory: 'LIV01' }));
    expect(liv.holderOrgId).toBe(street.jiuxianqiao);
    const toPlatform = await jiuxianqiao.act(liv.id, { action: 'transfer', toOrgId: file.d.orgs.meituan, reason: '平台问题' });
    expect(toPlatform.status).toBe(400);
    expect(toPlatform.body.field).toBe('toOrgId');
    const moved = await jiuxianqiao.act(liv.id, { action: 'transfer', toOrgId: street.wangjing, reason: '属望京' });
    expect(moved.body).toMatchObject({ holderOrgId: street.wangjing, level: 'platform', platform: null });
    await wangjing.act(liv.id, { action: 'accept' });
    const handedOff = await wangjing.act(liv.id, { action: 'hand_off', toOrgId: file.d.orgs.hr, reason: '涉及社保' });
    expect(handedOff.body).toMatchObject({ level: 'department', holderOrgId: file.d.orgs.hr });
    expect((await wangjing.get(`/api/v1/cases/${liv.id}`)).status).toBe(200);
  });

  it('registration: a territorial category refuses a platform and needs an area an office covers; others need a platform', async () => {
    const post = (body: unknown) => file.d.liaison.post('/api/v1/cases', body);
    const withPlatform = await post({ ...territorial(), platform: '美团' });
    expect([withPlatform.status, withPlatform.body.field]).toEqual([400, 'platform']);
    const { area: _a, ...noArea } = territorial();
    const missing = await post(noArea);
    expect([missing.status, missing.body.field]).toEqual([400, 'area']);
    const nowhere = await post(territorial({ area: '火星街道' }));
    expect([nowhere.status, nowhere.body.field]).toEqual([400, 'area']);
    const { platform: _p, ...noPlatform } = aGrievance();
    const platformless = await post(noPlatform);
    expect([platformless.status, platformless.body.field]).toEqual([400, 'platform']);
  });

  it('a meeting decision can make a street office the lead: it holds the case at L2', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]], territorial());
    const decided = await file.d.convener.act(c.id, { action: 'assign_lead', leadOrgId: street.jiuxianqiao, amount: 3, unit: 'working_days', decision: '由酒仙桥街道牵头' });
    expect(decided.body).toMatchObject({ state: 'platform_handling', level: 'platform', holderOrgId: street.jiuxianqiao, holderOrgType: 'territorial' });
  });

  it('a street office is a unit type with areas, and its users are committee members', async () => {
    const noAreas = await file.d.admin.post('/api/v1/orgs', { name: '无区域街道', type: 'territorial' });
    expect([noAreas.status, noAreas.body.field]).toEqual([400, 'areas']);
    const officer = await file.d.admin.post('/api/v1/users', { name: 'x', orgId: street.wangjing, role: 'officer' });
    expect(officer.status).toBe(400);
  });

  it('the measures by platform count territorial cases under a null platform', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const res = await file.d.convener.get(`/api/v1/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=platform`);
    expect(res.status).toBe(200);
    const row = res.body.rows.find((r: { key: string | null }) => r.key === null);
    expect(row.received).toBeGreaterThanOrEqual(2);
  });
});

describe('co-handling (横向联动)', () => {
  let transport: Client;
  let transportId = '';
  beforeAll(async () => {
    transportId = (await file.d.admin.post('/api/v1/orgs', { name: '交通运输局', type: 'department', sectors: ['ride_hailing'] })).body.id;
    transport = client(file.engine.app, (await file.d.admin.post('/api/v1/users', { name: '交通督办员', orgId: transportId, role: 'officer' })).body.token);
  });
  const atDepartment: Parameters<typeof aCase>[1] = [
    ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '部门处理' }], ['market', { action: 'accept' }],
  ];
  type Deadline = { id: string; step: string; orgId: string; status: string };

  it('the lead asks departments for opinions, each with its own clock and read scope; resolves when all have answered or run out', async () => {
    const policies = (await file.d.admin.get('/api/v1/sla-policies')).body;
    const c = await aCase(file.d, atDepartment);
    expect((await file.d.hr.get(`/api/v1/cases/${c.id}`)).status).toBe(404);
    const asked = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [file.d.orgs.hr], reason: '涉及劳动报酬' });
    expect(asked.status).toBe(200);
    expect(asked.body.cohandlers).toEqual([expect.objectContaining({ orgId: file.d.orgs.hr, orgName: '人社局', opinion: null, contributedAt: null })]);
    // A second co-handler with a short clock, to see a missed contribution.
    await file.d.admin.put('/api/v1/sla-policies', [...policies, { step: 'contribute', amount: 1, unit: 'seconds' }]);
    const both = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [transportId], reason: '涉及交通' });
    await file.d.admin.put('/api/v1/sla-policies', policies);
    const clocks = both.body.deadlines.filter((d: Deadline) => d.step === 'contribute');
    expect(clocks.map((d: Deadline) => d.orgId).sort()).toEqual([file.d.orgs.hr, transportId].sort());

    const hrView = (await file.d.hr.get(`/api/v1/cases/${c.id}`)).body;
    expect(hrView.allowedActions).toEqual(['contribute']);
    const early = await file.d.market.act(c.id, { action: 'resolve', resolution: '已处理' });
    expect(early.status).toBe(422);
    expect(early.body.message).toContain('人社局');
    expect(early.body.message).toContain('交通运输局');

    const opinion = await file.d.hr.act(c.id, { action: 'contribute', opinion: '建议按最低工资标准核算' });
    expect(opinion.status).toBe(200);
    expect(opinion.body.cohandlers.find((h: { orgId: string }) => h.orgId === file.d.orgs.hr)).toMatchObject({ opinion: '建议按最低工资标准核算' });
    expect((await file.d.hr.act(c.id, { action: 'contribute', opinion: '再说一次' })).status).toBe(422);
    expect((await file.d.market.act(c.id, { action: 'resolve', resolution: '已处理' })).status).toBe(422);

    // Transport's clock runs out: the case goes on the meeting agenda with transport accountable; the lead may resolve.
    await new Promise((r) => setTimeout(r, 1200));
    const clock = clocks.find((d: Deadline) => d.orgId === transportId);
    const [{ rev }] = await file.engine.runtime.engineDeps.sql<{ rev: number }[]>`select rev from deadlines where id = ${clock.id}`;
    await file.engine.runtime.engine.fireDeadline(clock.id, rev, 'due');
    const after = (await file.d.market.get(`/api/v1/cases/${c.id}`)).body;
    expect(after.onMeetingAgenda).toBe(true);
    const missed = (await file.d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items.at(-1);
    expect(missed).toMatchObject({ action: 'deadline_missed', data: { step: 'contribute', agendaReason: 'cohandler_missed', accountable_org_id: transportId } });
    const lateOpinion = await transport.act(c.id, { action: 'contribute', opinion: '迟到的意见' });
    expect(lateOpinion.status).toBe(200);
    expect((await file.d.market.act(c.id, { action: 'resolve', resolution: '综合各部门意见办结' })).body.state).toBe('resolved');
    expect((await transport.get(`/api/v1/cases/${c.id}`)).status).toBe(200);
  });

  it('co-handlers are other active departments, not the holder, not already asked; only the accepted L3 holder asks', async () => {
    const c = await aCase(file.d, atDepartment);
    const self = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [file.d.orgs.market], reason: 'x' });
    expect([self.status, self.body.field]).toEqual([400, 'body.orgIds.0']);
    const platform = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [file.d.orgs.meituan], reason: 'x' });
    expect(platform.status).toBe(400);
    await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [file.d.orgs.hr], reason: 'x' });
    const again = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [transportId, file.d.orgs.hr], reason: 'x' });
    expect([again.status, again.body.field]).toEqual([400, 'body.orgIds.1']);
    expect((await file.d.hr.act(c.id, { action: 'add_cohandler', orgIds: [transportId], reason: 'x' })).status).toBe(422);
    expect((await file.d.market.act(c.id, { action: 'contribute', opinion: '自己' })).status).toBe(422);
    const empty = await file.d.market.act(c.id, { action: 'add_cohandler', orgIds: [], reason: 'x' });
    expect(empty.status).toBe(400);
  });
});
