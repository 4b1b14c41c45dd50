/**
 * 抓总部带全网 (issue 21 item 7): a platform committee may have regional committees below it
 * (`platform` units whose `parentId` is a platform unit, at any depth). The headquarters reads its
 * network's cases — the case, the lists, the record, the attachments — and its measures by unit,
 * and never acts on them: no allowedActions, 422 on an action; the regional committee's relations
 * stay its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aCase, aGrievance, client, districtPerFile, type Client } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { openEventStream } from '../support/sse-client.js';
import { PDF, upload } from '../support/uploads.js';

const file = districtPerFile();
let region: string;
let subRegion: string;
let regional: Client;
let subRegional: Client;

const unit = async (body: Record<string, unknown>) => file.d.admin.post('/api/v1/orgs', body);
const patchOrg = async (id: string, payload: Record<string, unknown>) => {
  const res = await file.engine.app.inject({ method: 'PATCH', url: `/api/v1/orgs/${id}`, payload, headers: { authorization: `Bearer ${file.d.admin.token}` } });
  return { status: res.statusCode, body: res.json() };
};
const userAt = async (orgId: string, name: string) => {
  const res = await file.d.admin.post('/api/v1/users', { name, orgId, role: 'committee' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return client(file.engine.app, res.body.token);
};

beforeAll(async () => {
  const { d } = file;
  // 美团 is the headquarters: 美团华北 below it, 美团北京 below that.
  const north = await unit({ name: '美团华北区域党委', type: 'platform', platform: '美团华北', parentId: d.orgs.meituan });
  expect(north.status, JSON.stringify(north.body)).toBe(201);
  region = north.body.id;
  const beijing = await unit({ name: '美团北京党委', type: 'platform', platform: '美团北京', parentId: region });
  expect(beijing.status, JSON.stringify(beijing.body)).toBe(201);
  subRegion = beijing.body.id;
  regional = await userAt(region, '华北专员');
  subRegional = await userAt(subRegion, '北京专员');
});

describe('regional committees (parentId of a platform unit)', () => {
  it('only a platform committee goes below a platform committee, and parents never form a cycle (422 naming parentId)', async () => {
    const { d } = file;
    for (const type of ['branch', 'department', 'territorial']) {
      const res = await unit({ name: `挂错的${type}`, type, parentId: d.orgs.meituan, areas: ['某街道'] });
      expect(res.status, type).toBe(422);
      expect(res.body).toMatchObject({ field: 'parentId', code: 'parent_invalid' });
    }
    const moved = await patchOrg(d.orgs.branch, { parentId: region });
    expect(moved.status).toBe(422);
    expect(moved.body.field).toBe('parentId');
    // 美团 → 美团华北 → 美团北京: making 美团's parent 美团北京 would close the circle.
    const cycle = await patchOrg(d.orgs.meituan, { parentId: subRegion });
    expect(cycle.status).toBe(422);
    expect(cycle.body).toMatchObject({ field: 'parentId', code: 'parent_invalid' });
    expect(cycle.body.message).toMatch(/cycle/);
    // A platform unit may still sit under a unit of another type, as before.
    expect((await unit({ name: '饿了么华南区域党委', type: 'platform', platform: '饿了么华南', parentId: d.orgs.convener })).status).toBe(201);
  });
});

describe('the headquarters reads its network\'s cases, never acts on them', () => {
  it('reads a regional committee\'s case, its record and attachments, with no allowedActions; an action is refused (422)', async () => {
    const { d } = file;
    const c = await aCase(d, [['liaison', { action: 'forward', toOrgId: region }]], aGrievance({ platform: '美团华北', worker: { name: '赵六', phone: '13700001111', workerType: 'delivery', platforms: ['美团华北'] } }));
    expect(c.holderOrgId).toBe(region);
    expect((await regional.act(c.id, { action: 'accept' })).status).toBe(200);

    const read = await d.meituan.get(`/api/v1/cases/${c.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ holderOrgId: region, state: 'platform_handling', allowedActions: [] });
    expect(read.body.worker.phone).toBe('137****1111');
    // Evidence: the regional committee adds it, the headquarters reads it and adds none (403).
    expect((await upload(file.engine.app, regional.token, c.id, 'contract.pdf', PDF)).status).toBe(201);
    expect((await d.meituan.get(`/api/v1/cases/${c.id}/attachments`)).body.items).toHaveLength(1);
    const added = await upload(file.engine.app, d.meituan.token, c.id, 'hq.pdf', PDF);
    expect(added.status).toBe(403);
    expect(added.body.message).toMatch(/headquarters committee reads/);
    expect((await d.meituan.get(`/api/v1/cases/${c.id}/events`)).body.items.map((e: { action: string }) => e.action)).toEqual(['register', 'forward', 'accept', 'attachment_added']);
    const refused = await d.meituan.act(c.id, { action: 'resolve', resolution: '总部代办' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/only the unit holding the case/);
    // The regional committee still acts on its own case.
    expect((await regional.get(`/api/v1/cases/${c.id}`)).body.allowedActions).toContain('resolve');

    // Any depth: a case at 美团北京 too; not the other way round, and not another platform.
    const deeper = await aCase(d, [['liaison', { action: 'forward', toOrgId: subRegion }]], aGrievance({ platform: '美团北京', worker: { workerType: 'delivery', platforms: ['美团北京'] } }));
    expect(deeper.holderOrgId).toBe(subRegion);
    expect((await d.meituan.get(`/api/v1/cases/${deeper.id}`)).status).toBe(200);
    expect((await regional.get(`/api/v1/cases/${deeper.id}`)).status).toBe(200);
    expect((await subRegional.get(`/api/v1/cases/${c.id}`)).status).toBe(404);
    expect((await d.eleme.get(`/api/v1/cases/${c.id}`)).status).toBe(404);
    const own = await aCase(d, [['liaison', { action: 'forward' }]]);
    expect(own.holderOrgId).toBe(d.orgs.meituan);
    expect((await regional.get(`/api/v1/cases/${own.id}`)).status).toBe(404);

    // The lists: the same scope.
    const hqList = (await d.meituan.get('/api/v1/cases?limit=100')).body.items.map((i: { id: string }) => i.id);
    expect(hqList).toEqual(expect.arrayContaining([c.id, deeper.id, own.id]));
    expect((await d.meituan.get(`/api/v1/cases?holderOrgId=${region}`)).body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    const regionalList = (await regional.get('/api/v1/cases?limit=100')).body.items.map((i: { id: string }) => i.id);
    expect(regionalList).toEqual(expect.arrayContaining([c.id, deeper.id]));
    expect(regionalList).not.toContain(own.id);
    expect((await d.eleme.get('/api/v1/cases?limit=100')).body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
  });

  it('follows its network live: a regional committee\'s case reaches the headquarters\' stream, not another platform\'s', async () => {
    const { d, engine } = file;
    const url = await engine.app.listen({ port: 0, host: '127.0.0.1' });
    const [hq, eleme] = [await openEventStream(url, d.meituan.token), await openEventStream(url, d.eleme.token)];
    try {
      const c = await aCase(d, [['liaison', { action: 'forward', toOrgId: region }]], aGrievance({ platform: '美团华北', worker: { workerType: 'delivery', platforms: ['美团华北'] } }));
      await eventually(async () => hq.events.some((e) => e.event === 'case' && e.data.caseId === c.id && e.data.state === 'forwarded'), 5000, 'the forward on the headquarters\' stream');
      expect(eleme.events.filter((e) => e.event === 'case' && e.data.caseId === c.id)).toEqual([]);
    } finally {
      await Promise.all([hq.close(), eleme.close()]);
    }
  });

  it('measures by unit: the headquarters gets a row for each unit of its network; a regional committee only its own and below', async () => {
    const { d } = file;
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const rows = async (who: Client) => {
      const res = await who.get(`/api/v1/metrics?groupBy=org&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      expect(res.status).toBe(200);
      return Object.fromEntries(res.body.rows.map((r: { key: string; received: number }) => [r.key, r.received]));
    };
    expect(await rows(d.meituan)).toEqual({ [d.orgs.meituan]: 1, [region]: 2, [subRegion]: 1 });
    expect(await rows(regional)).toEqual({ [region]: 2, [subRegion]: 1 });
    expect(await rows(d.eleme)).toEqual({});
  });
});
