/**
 * Queues that scale (issue 9.3, backend): `GET /api/v1/cases` with counts per bucket, search by
 * reference, description text and the worker's phone last 4 digits, filters, stable cursor paging
 * in both orders, and a due-time order that never hides older open cases behind newer closed ones.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, uniformSla, type Client, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let logs = '';
const cases: Record<string, { id: string; reference: string }> = {};

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk) => { logs += chunk; });
  engine = await startTestEngine({ runWorkers: true, logTo: stream });
  d = await aDistrict(engine.app);
  // SAF cases miss their forward clock in a second: an overdue case without waiting.
  const policies = await d.admin.put('/api/v1/sla-policies', [
    ...uniformSla({ amount: 5, unit: 'working_days' }), { step: 'l1_forward', category: 'SAF', amount: 1, unit: 'seconds' },
  ]);
  expect(policies.status).toBe(200);
  const worker = (phone: string) => ({ name: '张三', phone, workerType: 'delivery', platforms: ['美团', '饿了么'] });
  // Registered oldest first: an old open case, then newer ones, some closed.
  cases.oldOpen = await aCase(d, [['liaison', { action: 'forward' }]], aGrievance({ description: '站点长期拖欠工资', category: 'PAY', worker: worker('13812345678') }));
  cases.closedA = await aCase(d, [['liaison', { action: 'withdraw', reason: '已自行解决' }]], aGrievance({ worker: worker('13900001111') }));
  cases.overdue = await aCase(d, [], aGrievance({ category: 'SAF', description: '电动车被扣', worker: worker('13700005678') }));
  cases.eleme = await aCase(d, [], aGrievance({ platform: '饿了么', description: '派单规则不透明', worker: worker('13600002222') }));
  cases.anonymous = await aCase(d, [], aGrievance({ description: '暴雨天超时扣款5678元', worker: { anonymous: true, workerType: 'delivery', platforms: ['美团'] } }));
  cases.closedB = await aCase(d, [['liaison', { action: 'withdraw', reason: '重复登记' }]], aGrievance({ worker: worker('13500003333') }));
  await eventually(async () => (await d.liaison.get(`/api/v1/cases/${cases.overdue.id}`)).body.overdue === true, 15_000, 'the SAF case overdue');
});
afterAll(async () => engine?.close());

const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

async function allPages(who: Client, query: string, limit = 2): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await who.get(`/api/v1/cases?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    // Counts come with the first page only.
    if (cursor) expect(res.body.counts).toBeNull(); else expect(res.body.counts).not.toBeNull();
    seen.push(...ids(res.body));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe('GET /api/v1/cases', () => {
  it('answers the counts per bucket of the caller\'s scope', async () => {
    const res = await d.liaison.get('/api/v1/cases');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ total: 6, open: 4, overdue: 1, dueSoon: 0, waitingMe: 3, mine: 0, closed: 2 });
    // Filters that pick a bucket do not change the counts; the others narrow them.
    expect((await d.liaison.get('/api/v1/cases?open=true&overdue=true')).body.counts.total).toBe(6);
    expect((await d.liaison.get('/api/v1/cases?platform=饿了么')).body.counts).toMatchObject({ total: 1, open: 1 });
    expect((await d.meituan.get('/api/v1/cases')).body.counts).toEqual({ total: 1, open: 1, overdue: 0, dueSoon: 0, waitingMe: 1, mine: 0, closed: 0 });
    expect((await d.otherLiaison.get('/api/v1/cases')).body.counts.total).toBe(0);
    expect((await d.convener.get('/api/v1/cases')).body.counts).toMatchObject({ total: 6, waitingMe: 0 });
  });

  it('pages every case exactly once in either order, with cursors that belong to their order', async () => {
    const newest = await allPages(d.liaison, 'sort=newest');
    expect(newest).toEqual([cases.closedB, cases.anonymous, cases.eleme, cases.overdue, cases.closedA, cases.oldOpen].map((c) => c.id));
    const due = await allPages(d.liaison, 'sort=due');
    expect(new Set(due).size).toBe(6);
    expect(due.slice(-2).sort()).toEqual([cases.closedA.id, cases.closedB.id].sort());
    const first = await d.liaison.get('/api/v1/cases?sort=newest&limit=2');
    expect((await d.liaison.get(`/api/v1/cases?sort=due&cursor=${first.body.nextCursor}`)).status).toBe(400);
    expect((await d.liaison.get('/api/v1/cases?cursor=bm9wZQ')).status).toBe(400);
    // Crafted cursors that JavaScript's Date or a loose id check would let through to Postgres.
    const crafted = (text: string) => Buffer.from(text).toString('base64url');
    for (const text of ['newest|1|00000000-0000-0000-0000-000000000000', `newest|2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`]) {
      expect((await d.liaison.get(`/api/v1/cases?cursor=${crafted(text)}`)).status, text).toBe(400);
    }
  });

  it('puts the soonest deadline first, so an older open case is never behind newer closed ones', async () => {
    const queue = await d.liaison.get('/api/v1/cases?open=true&sort=due&limit=3');
    expect(queue.body.items[0].id).toBe(cases.overdue.id);
    expect(ids(queue.body)).not.toContain(cases.closedA.id);
    const all = await allPages(d.liaison, 'open=true&sort=due', 1);
    expect(all).toHaveLength(4);
    expect(all).toContain(cases.oldOpen.id);
    expect(ids((await d.liaison.get('/api/v1/cases?open=false')).body).sort()).toEqual([cases.closedA.id, cases.closedB.id].sort());
  });

  it('searches the reference, the description and the worker\'s phone last 4 digits, in scope only', async () => {
    expect(ids((await d.liaison.get(`/api/v1/cases?q=${cases.eleme.reference}`)).body)).toEqual([cases.eleme.id]);
    expect(ids((await d.liaison.get(`/api/v1/cases?q=${encodeURIComponent('拖欠工资')}`)).body)).toEqual([cases.oldOpen.id]);
    const last4 = await d.liaison.get('/api/v1/cases?q=5678');
    // Two phones end in 5678; the anonymous case matches only through its description's digits.
    expect(ids(last4.body).sort()).toEqual([cases.oldOpen.id, cases.overdue.id, cases.anonymous.id].sort());
    expect(last4.body.counts.total).toBe(3);
    expect(ids((await d.liaison.get('/api/v1/cases?q=1111')).body)).toEqual([cases.closedA.id]);
    expect(ids((await d.liaison.get('/api/v1/cases?q=1111&open=true')).body)).toEqual([]);
    expect((await d.otherLiaison.get('/api/v1/cases?q=5678')).body.items).toEqual([]);
    expect(ids((await d.meituan.get('/api/v1/cases?q=5678')).body)).toEqual([cases.oldOpen.id]);
    expect(JSON.stringify((await d.meituan.get('/api/v1/cases?q=5678')).body)).not.toContain('13812345678');
    expect(logs).not.toMatch(/q=(5678|1111)/);
    expect(logs).toContain('q=***');
  });

  it('filters by state, category, platform and overdue', async () => {
    expect(ids((await d.liaison.get('/api/v1/cases?category=PAY')).body)).toEqual([cases.oldOpen.id]);
    expect(ids((await d.liaison.get(`/api/v1/cases?platform=${encodeURIComponent('饿了么')}`)).body)).toEqual([cases.eleme.id]);
    expect(ids((await d.liaison.get('/api/v1/cases?overdue=true')).body)).toEqual([cases.overdue.id]);
    expect(ids((await d.liaison.get('/api/v1/cases?state=withdrawn&sort=newest')).body)).toEqual([cases.closedB.id, cases.closedA.id]);
    expect((await d.liaison.get('/api/v1/cases?sort=oldest')).status).toBe(400);
  });

  it('sorts by registration, last change or reference, either way, each paged exactly once; a cursor belongs to its sort and order', async () => {
    const registered = [cases.oldOpen, cases.closedA, cases.overdue, cases.eleme, cases.anonymous, cases.closedB].map((c) => c.id);
    expect(await allPages(d.liaison, 'sort=created')).toEqual(registered);
    expect(await allPages(d.liaison, 'sort=created&order=desc')).toEqual([...registered].reverse());
    const byReference = [cases.oldOpen, cases.closedA, cases.overdue, cases.eleme, cases.anonymous, cases.closedB]
      .sort((a, b) => a.reference.localeCompare(b.reference)).map((c) => c.id);
    expect(await allPages(d.liaison, 'sort=reference')).toEqual(byReference);
    expect(await allPages(d.liaison, 'sort=reference&order=desc')).toEqual([...byReference].reverse());
    // The case changed last comes first (sort=updated is newest first by default). Last in this file: it moves a case.
    const touched = await d.liaison.act(cases.anonymous.id, { action: 'forward' });
    expect(touched.status).toBe(200);
    const updated = await allPages(d.liaison, 'sort=updated');
    expect(updated[0]).toBe(cases.anonymous.id);
    expect(new Set(updated).size).toBe(6);
    expect(await allPages(d.liaison, 'sort=updated&order=asc')).toEqual([...updated].reverse());
    const first = await d.liaison.get('/api/v1/cases?sort=reference&limit=2');
    const wrongOrder = await d.liaison.get(`/api/v1/cases?sort=reference&order=desc&cursor=${first.body.nextCursor}`);
    expect(wrongOrder.status).toBe(400);
    expect(wrongOrder.body.message).toContain('cursor');
    const unknown = await d.liaison.get('/api/v1/cases?sort=priority');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('sort');
    const crafted = Buffer.from(JSON.stringify(['created', 'asc', 'not-a-time', cases.oldOpen.id])).toString('base64url');
    expect((await d.liaison.get(`/api/v1/cases?sort=created&cursor=${crafted}`)).status).toBe(400);
  });
});
