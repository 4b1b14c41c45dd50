/**
 * 12345 hotline hand-over (issue 21, item 2): a hotline's work order is registered at the branch
 * whose areas hold its area (else the hotline's default branch), forwarded at once when it names a
 * platform, idempotent by order number, and the hotline's channels are told of every level change
 * and of the close (signed webhook, via the outbox).
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, type Client, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from '../../src/notifications/outbox.js';

let engine: TestEngine;
let d: District;
let hook: WebhookReceiver;
let hotlineId: string;
let hotline: Client;
let orderCount = 0;
const orderNo = () => `GD${Date.now()}${++orderCount}`;
const handOver = (body: Record<string, unknown>, who = hotline) => who.post('/api/v1/intake/hotline', body);

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  hook = await startWebhookReceiver();
  const org = await d.admin.post('/api/v1/orgs', { name: '12345 市民服务热线', type: 'hotline', defaultBranchId: d.orgs.otherBranch, webhookUrl: hook.url });
  expect(org.status).toBe(201);
  expect(org.body.defaultBranchId).toBe(d.orgs.otherBranch);
  hotlineId = org.body.id;
  const user = await d.admin.post('/api/v1/users', { name: '热线话务员', orgId: hotlineId, role: 'hotline' });
  expect(user.status).toBe(201);
  hotline = client(engine.app, user.body.token);
});
afterAll(async () => {
  await hook?.close();
  await engine?.close();
});

describe('hotline units and users', () => {
  it('a hotline needs an active branch as defaultBranchId (422 naming the field); role hotline only in a hotline unit', async () => {
    const missing = await d.admin.post('/api/v1/orgs', { name: '无默认支部热线', type: 'hotline' });
    expect(missing.status).toBe(422);
    expect(missing.body.field).toBe('defaultBranchId');
    const notBranch = await d.admin.post('/api/v1/orgs', { name: '错配热线', type: 'hotline', defaultBranchId: d.orgs.meituan });
    expect(notBranch.status).toBe(422);
    expect(notBranch.body.field).toBe('defaultBranchId');
    const notHotline = await d.admin.post('/api/v1/orgs', { name: '多余字段支部', type: 'branch', defaultBranchId: d.orgs.branch });
    expect(notHotline.status).toBe(400);
    expect(notHotline.body.field).toBe('defaultBranchId');
    const inBranch = await d.admin.post('/api/v1/users', { name: '错位话务员', orgId: d.orgs.branch, role: 'hotline' });
    expect(inBranch.status).toBe(400);
    expect(inBranch.body.field).toBe('orgId');
  });
});

describe('POST /intake/hotline', () => {
  it('is described in the OpenAPI document (201 new, 200 the same order again)', async () => {
    const doc = JSON.parse((await engine.app.inject({ method: 'GET', url: '/docs/json' })).body);
    const op = doc.paths['/api/v1/intake/hotline'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '403', '422']));
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['orderNo', 'description']);
  });

  it('registers at the branch whose areas hold the order\'s area, which owns it at L1 (channel hotline, hotlineOrderNo)', async () => {
    const no = orderNo();
    const res = await handOver({ orderNo: no, description: '小区不让外卖骑手进入', category: 'ACS', area: '朝阳街道', phone: '13900001111', name: '赵六' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'reference']);
    expect(res.body.reference).toMatch(/^SQ-\d{4}-\d{6}$/);
    const seen = await d.liaison.get(`/api/v1/cases/${res.body.id}`);
    expect(seen.body).toMatchObject({
      state: 'registered', level: 'branch', holderOrgId: d.orgs.branch, branchOrgId: d.orgs.branch, channel: 'hotline',
      hotlineOrderNo: no, hotlineOrgId: hotlineId, category: 'ACS', urgency: 'normal', platform: null,
    });
    // The branch owns it like any case it registered: it sees the contact, may ask for information.
    expect(seen.body.worker.phone).toBe('13900001111');
    expect(seen.body.allowedActions).toEqual(expect.arrayContaining(['request_info', 'resolve']));
    const events = await d.liaison.get(`/api/v1/cases/${res.body.id}/events`);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['register']);
    expect(events.body.items[0].actor.orgId).toBe(hotlineId);
    expect(events.body.items[0].data.hotlineOrderNo).toBe(no);
  });

  it('else at the hotline\'s default branch; no category is an inquiry (CON) and no worker type is other', async () => {
    const res = await handOver({ orderNo: orderNo(), description: '想了解职业伤害保障怎么申报' });
    expect(res.status).toBe(201);
    const seen = await d.otherLiaison.get(`/api/v1/cases/${res.body.id}`);
    expect(seen.body).toMatchObject({ state: 'registered', level: 'branch', holderOrgId: d.orgs.otherBranch, category: 'CON' });
    expect(seen.body.worker).toMatchObject({ workerType: 'other', platforms: [], anonymous: false });
    expect((await d.liaison.get(`/api/v1/cases/${res.body.id}`)).status).toBe(404);
  });

  it('an order naming a platform is forwarded at once by the system, in the same commit', async () => {
    const res = await handOver({ orderNo: orderNo(), description: '暴雨天超时被扣款', category: 'DED', platform: '美团', workerType: 'delivery', area: '朝阳街道', urgency: 'urgent' });
    expect(res.status).toBe(201);
    const seen = await d.meituan.get(`/api/v1/cases/${res.body.id}`);
    expect(seen.body).toMatchObject({ state: 'forwarded', level: 'platform', holderOrgId: d.orgs.meituan, branchOrgId: d.orgs.branch, urgency: 'urgent' });
    const events = (await d.liaison.get(`/api/v1/cases/${res.body.id}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register', 'forward']);
    expect(events[1].actor).toEqual({ system: 'hotline-intake' });
    expect(events[1].data.toOrgId).toBe(d.orgs.meituan);
    const verified = await d.convener.get(`/api/v1/audit/verify?caseId=${res.body.id}`);
    expect(verified.body).toMatchObject({ ok: true, checked: 2 });
  });

  it('the same order number again answers the same case (200); with another body 422 hotline_order_conflict', async () => {
    const order = { orderNo: orderNo(), description: '站点休息室没有开放', category: 'FAC', area: '朝阳街道' };
    const first = await handOver(order);
    expect(first.status).toBe(201);
    const again = await handOver(order);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await handOver({ ...order, description: '另一件事' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'hotline_order_conflict', field: 'orderNo' });
    const sql = postgres(engine.databaseUrl, { max: 1 });
    const [{ n }] = await sql`select count(*)::int as n from cases where hotline_order_no = ${order.orderNo}`;
    await sql.end();
    expect(n).toBe(1);
  });

  it('refuses a caller who is not a hotline (403) and bad fields (400 naming the field)', async () => {
    const liaison = await handOver({ orderNo: orderNo(), description: '联络员不能用热线接口' }, d.liaison);
    expect(liaison.status).toBe(403);
    const cases: [Record<string, unknown>, string][] = [
      [{ description: '没有工单号' }, 'body.orderNo'],
      [{ orderNo: orderNo() }, 'body.description'],
      [{ orderNo: orderNo(), description: 'x', urgency: 'soon' }, 'body.urgency'],
      [{ orderNo: orderNo(), description: 'x', phone: 'abc' }, 'body.phone'],
      [{ orderNo: orderNo(), description: 'x', category: 'XYZ' }, 'category'],
      [{ orderNo: orderNo(), description: 'x', platform: '无此平台' }, 'platform'],
      [{ orderNo: orderNo(), description: 'x', category: 'ACS', platform: '美团' }, 'platform'],
      [{ orderNo: orderNo(), description: 'x', category: 'ALG', platform: '美团' }, 'category'],
      [{ orderNo: orderNo(), description: 'x', extra: 1 }, 'body.extra'],
    ];
    for (const [body, field] of cases) {
      const res = await handOver(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field, JSON.stringify(body)).toBe(field);
    }
  });

  it('the hotline reads the cases its orders became (contacts masked), and no other case', async () => {
    const res = await handOver({ orderNo: orderNo(), description: '电话 13900002222 反映扣款', category: 'DED', platform: '美团', phone: '13900002222', name: '钱七' });
    const seen = await hotline.get(`/api/v1/cases/${res.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.worker.phone).not.toBe('13900002222');
    expect(seen.body.worker.name).not.toBe('钱七');
    expect(seen.body.description).not.toContain('13900002222');
    expect(seen.body.allowedActions).toEqual([]);
    const listed = await hotline.get('/api/v1/cases?limit=100');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    const other = await aCase(d);
    expect((await hotline.get(`/api/v1/cases/${other.id}`)).status).toBe(404);
    expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(other.id);
  });

  it('the hotline\'s channel is told of every level change and of the close, signed, through the outbox', async () => {
    const res = await handOver({ orderNo: orderNo(), description: '配送超时扣款', category: 'DED', platform: '美团', area: '朝阳街道', workerType: 'delivery' });
    const caseId = res.body.id;
    const mine = (kind: string) => hook.received.filter((r) => r.body.caseId === caseId && r.body.kind === kind);
    const forwarded = await eventually(async () => mine('order_level_changed')[0], 10_000, 'the level change delivered');
    expect(forwarded.body).toMatchObject({ orgId: hotlineId, level: 'platform', state: 'forwarded', reference: res.body.reference, action: 'forward' });
    const sql = postgres(engine.databaseUrl, { max: 1 });
    const [{ webhook_secret: secret }] = await sql`select webhook_secret from orgs where id = ${hotlineId}`;
    expect(forwarded.headers[SIGNATURE_HEADER]).toBe(signDelivery(secret, Number(forwarded.headers[TIMESTAMP_HEADER]), forwarded.raw));

    // Accepted and resolved at the platform (no level change), then closed by the branch's feedback.
    for (const body of [{ action: 'accept' }, { action: 'resolve', resolution: '已退还扣款' }]) expect((await d.meituan.act(caseId, body)).status).toBe(200);
    expect((await d.liaison.act(caseId, { action: 'feedback', rating: 'satisfied', solved: 'yes' })).status).toBe(200);
    const closed = await eventually(async () => mine('order_closed')[0], 10_000, 'the close delivered');
    expect(closed.body).toMatchObject({ orgId: hotlineId, state: 'closed', reference: res.body.reference });
    expect(mine('order_level_changed')).toHaveLength(1);
    const rows = await sql`select kind, channel from outbox where case_id = ${caseId} and org_id = ${hotlineId} order by created_at`;
    await sql.end();
    expect(rows.map((r) => r.kind)).toEqual(['order_level_changed', 'order_closed']);
    // The hotline's users see them in their notification centre too.
    const centre = await hotline.get('/api/v1/notifications');
    expect(centre.body.items.filter((n: { caseId: string }) => n.caseId === caseId).map((n: { kind: string }) => n.kind).sort()).toEqual(['order_closed', 'order_level_changed']);
  });
});
