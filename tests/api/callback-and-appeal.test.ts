/**
 * Independent call-back (回访) and the worker's appeal (申诉), issue 21 item 4: the unit that
 * resolved a case never rates it (422 resolver_cannot_rate); a call-back user (at the convener's
 * office or a branch) sees the cases awaiting or past feedback, may reveal the contact while it is
 * awaited, and records the feedback; a case closed without the worker's own rating may be appealed
 * once, within 10 working days, with the receipt code: it reopens one level above the last resolver.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmsGateway, type SmsGateway } from '../support/sms-gateway.js';
import { aGrievance, client, districtPerFile, type Client } from '../support/builders.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { eventually } from '../support/processes.js';

const file = districtPerFile();
let sql: postgres.Sql;
let gateway: SmsGateway;
/** A call-back user at the branch itself: it may rate others' resolutions, never the branch's own. */
let branchCallback: Client;
beforeAll(async () => {
  sql = postgres(file.engine.databaseUrl, { max: 1, onnotice: () => {} });
  gateway = await startSmsGateway();
  const admin = client(file.engine.app, ADMIN_TOKEN);
  expect((await admin.put(`/api/v1/orgs/${file.d.orgs.branch}/channels`, { sms: { gatewayUrl: gateway.url, token: 'sms-token' } })).status).toBe(200);
  const made = await admin.post('/api/v1/users', { name: '支部回访员', orgId: file.d.orgs.branch, role: 'callback' });
  expect(made.status).toBe(201);
  branchCallback = client(file.engine.app, made.body.token);
});
afterAll(async () => {
  await sql?.end();
  await gateway?.close();
});

let ip = 0;
const pub = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await file.engine.app.inject({ method, url, payload, remoteAddress: `10.1.0.${++ip}` });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

/** Registers a case and drives it; returns the case as the last step left it, with its receipt code. */
async function aCaseWithCode(steps: [Client, Record<string, unknown>][]) {
  const created = await file.d.liaison.post('/api/v1/cases', aGrievance());
  expect(created.status).toBe(201);
  let c = created.body;
  for (const [who, body] of steps) {
    const res = await who.act(c.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    c = res.body;
  }
  return { ...c, receiptCode: created.body.receiptCode as string };
}
const atPlatform = () => [[file.d.liaison, { action: 'forward' }], [file.d.meituan, { action: 'accept' }],
  [file.d.meituan, { action: 'resolve', resolution: '平台已退款' }]] as [Client, Record<string, unknown>][];

describe('who rates a resolution (回访)', () => {
  it('the branch that resolved a case may not rate it: 422 resolver_cannot_rate, for its liaison and its own call-back user', async () => {
    const c = await aCaseWithCode([[file.d.liaison, { action: 'resolve', resolution: '支部当场解答' }]]);
    const liaison = await file.d.liaison.act(c.id, { action: 'feedback', rating: 'satisfied' });
    expect(liaison.status).toBe(422);
    expect(liaison.body).toMatchObject({ code: 'resolver_cannot_rate' });
    expect(liaison.body.message).toMatch(/办结单位不能评价/);
    expect((await branchCallback.act(c.id, { action: 'feedback', rating: 'satisfied' })).body.code).toBe('resolver_cannot_rate');
    expect((await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body.allowedActions).not.toContain('feedback');

    const rated = await file.d.callback.act(c.id, { action: 'feedback', rating: 'satisfied', solved: 'yes' });
    expect(rated.body).toMatchObject({ state: 'closed', outcome: 'satisfied' });
    const events = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'feedback', actor: { orgId: file.d.orgs.convener } });
  });

  it('the liaison still relays the worker\'s feedback on another level\'s resolution; so may the branch\'s call-back user', async () => {
    const a = await aCaseWithCode(atPlatform());
    expect((await file.d.liaison.act(a.id, { action: 'feedback', rating: 'basically_satisfied' })).status).toBe(200);
    const b = await aCaseWithCode(atPlatform());
    expect((await branchCallback.act(b.id, { action: 'feedback', rating: 'satisfied' })).status).toBe(200);
  });

  it('a call-back user sees the cases awaiting or past feedback, and no others; reveals the contact only while feedback is awaited', async () => {
    const open = await aCaseWithCode([[file.d.liaison, { action: 'forward' }]]);
    const resolved = await aCaseWithCode(atPlatform());
    expect((await file.d.callback.get(`/api/v1/cases/${open.id}`)).status).toBe(404);
    const seen = await file.d.callback.get(`/api/v1/cases/${resolved.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toEqual(['feedback']);
    expect(seen.body.worker.phone).not.toBe('13812341234');
    const listed = (await file.d.callback.get('/api/v1/cases?limit=100')).body.items.map((c: { id: string }) => c.id);
    expect(listed).toContain(resolved.id);
    expect(listed).not.toContain(open.id);

    const revealed = await file.d.callback.post(`/api/v1/cases/${resolved.id}/reveal`, { reason: '电话回访 / calling the worker' });
    expect(revealed.status).toBe(200);
    expect(revealed.body.phone).toBe('13812341234');
    const [log] = await sql`select org_id from personal_data_reads where case_id = ${resolved.id} and reason is not null`;
    expect(log.org_id).toBe(file.d.orgs.convener);
    expect((await file.d.callback.act(resolved.id, { action: 'feedback', rating: 'satisfied' })).status).toBe(200);
    expect((await file.d.callback.post(`/api/v1/cases/${resolved.id}/reveal`, { reason: '再次回访' })).status).toBe(403);
  });

  it('call-back users belong to the convener\'s office or a branch (400 naming orgId elsewhere)', async () => {
    const admin = client(file.engine.app, ADMIN_TOKEN);
    const refused = await admin.post('/api/v1/users', { name: '平台回访', orgId: file.d.orgs.meituan, role: 'callback' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/orgId/);
  });
});

describe('the worker\'s appeal (申诉)', () => {
  const appeal = (c: { reference: string }, code: string, reason = '平台并未退款，联系电话 13812341234') =>
    pub('POST', `/api/v1/public/cases/${c.reference}/appeal?code=${code}`, { reason });

  it('a closing rated by someone else: the SMS invites an appeal; with the receipt code it reopens one level above the resolver, once', async () => {
    const c = await aCaseWithCode([...atPlatform(), [file.d.liaison, { action: 'feedback', rating: 'satisfied' }]]);
    expect(c.state).toBe('closed');
    await eventually(async () => gateway.texts.some((t) => t.text.includes(c.reference) && t.text.includes('申诉')), 10_000, 'the appeal SMS');
    const sms = gateway.texts.find((t) => t.text.includes(c.reference) && t.text.includes('申诉'))!;
    expect(sms.to).toBe('13812341234');
    expect(sms.text).toMatch(/10个工作日内凭回执码/);
    expect(sms.text).toContain(`/status?reference=${c.reference}`);

    const status = await pub('GET', `/api/v1/public/cases/${c.reference}?code=${c.receiptCode}`);
    expect(new Date(status.body.appealUntil).getTime()).toBeGreaterThan(Date.now() + 7 * 86_400_000);
    expect((await appeal(c, 'ABCDEF')).status).toBe(404);
    expect((await appeal(c, c.receiptCode, '')).status).toBe(400);
    const reopened = await appeal(c, c.receiptCode);
    expect(reopened).toEqual({ status: 200, body: { reference: c.reference, state: 'handed_off' } });

    expect((await pub('GET', `/api/v1/public/cases/${c.reference}?code=${c.receiptCode}`)).body).toMatchObject({ appealUntil: null, state: 'handed_off' });
    const after = (await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body;
    expect(after).toMatchObject({ state: 'handed_off', level: 'department', holderOrgId: file.d.orgs.market });
    expect(after.closedAt ?? null).toBeNull();
    const events = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'appeal', actor: { system: 'worker' }, fromState: 'closed', toState: 'handed_off',
      data: { reason: '平台并未退款，联系电话 138****1234' } });
    // The appeal reopened it: the oversight board counts it as 重办 (workflows/case-rules.ts REOPENING), as the agenda does.
    const onBoard = (await file.d.market.get('/api/v1/oversight')).body.items.find((x: { id: string }) => x.id === c.id);
    expect(onBoard).toMatchObject({ reopenings: 1 });

    // Handled again and closed again: the second appeal is refused.
    await file.d.market.act(c.id, { action: 'accept' });
    await file.d.market.act(c.id, { action: 'resolve', resolution: '部门约谈平台，已退款' });
    expect((await file.d.callback.act(c.id, { action: 'feedback', rating: 'satisfied' })).body.state).toBe('closed');
    const again = await appeal(c, c.receiptCode);
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'appeal_not_allowed' });
    expect(again.body.message).toMatch(/已申诉过一次/);
  });

  it('is refused for the worker\'s own rating, for an open case, and after 10 working days', async () => {
    const open = await aCaseWithCode([[file.d.liaison, { action: 'forward' }]]);
    expect((await appeal(open, open.receiptCode)).status).toBe(422);

    const late = await aCaseWithCode([...atPlatform(), [file.d.liaison, { action: 'feedback', rating: 'satisfied' }]]);
    await sql`update cases set closed_at = closed_at - interval '20 days' where id = ${late.id}`;
    const refused = await appeal(late, late.receiptCode);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/申诉期/);

    // The worker's own rating (through their link) closes without an appeal.
    const own = await aCaseWithCode(atPlatform());
    const [{ token }] = await eventually(async () => {
      const links = gateway.texts.filter((t) => t.text.includes(own.reference) && t.text.includes('/feedback/'));
      return links.length > 0 ? links.map((t) => ({ token: /\/feedback\/([A-Za-z0-9_-]+)/.exec(t.text)![1] })) : null;
    }, 10_000, 'the feedback link');
    expect((await pub('POST', `/api/v1/public/feedback/${token}`, { rating: 'satisfied', solved: 'yes' })).status).toBe(200);
    const mine = await appeal(own, own.receiptCode);
    expect(mine.status).toBe(422);
    expect(mine.body.message).toMatch(/本人评价/);
    expect((await pub('GET', `/api/v1/public/cases/${own.reference}?code=${own.receiptCode}`)).body.appealUntil).toBeNull();
    const invitations = await sql`select 1 from outbox where case_id = ${own.id} and kind = 'worker_appeal_invitation'`;
    expect(invitations).toHaveLength(0);
  });
});
