/**
 * Webhook delivery outside the transaction (issue 13.2) and signed deliveries (issue 12.5):
 * a receiver that hangs or keeps failing never delays another unit; it is parked and shown to
 * admins, probed when the park runs out, and resumes on success.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { startWebhookReceiver, type Behaviour, type WebhookReceiver } from '../support/webhook-receiver.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signDelivery } from '../../src/notifications/outbox.js';

let engine: TestEngine;
let d: District;
const receivers: WebhookReceiver[] = [];

async function receiver(behaviour: Behaviour) {
  const hook = await startWebhookReceiver(behaviour);
  receivers.push(hook);
  return hook;
}

beforeAll(async () => {
  engine = await startTestEngine({
    runWorkers: true, outboxIntervalMs: 200,
    delivery: { timeoutMs: 1000, parkAfter: 3, maxBackoffMs: 1500, perReceiver: 2 },
  });
  d = await aDistrict(engine.app);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await engine?.close();
});

/** A department with a webhook, routed for one platform's hand-offs. */
async function department(name: string, url: string) {
  const res = await d.admin.post('/api/v1/orgs', { name, type: 'department', webhookUrl: url });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const handOffTo = (orgId: string) => aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
  ['meituan', { action: 'hand_off', toOrgId: orgId, reason: '移交' }]]);

describe('webhook deliveries', () => {
  it('are signed with the unit\'s secret over the timestamp and body', async () => {
    const hook = await receiver(() => 'ok');
    const orgId = await department('验签部门', hook.url);
    const c = await handOffTo(orgId);
    await eventually(async () => hook.received.length > 0, 10_000, 'the delivery');
    const [got] = hook.received;
    expect(got.body).toMatchObject({ kind: 'case_arrived', caseId: c.id, orgId });
    const sql = postgres(engine.databaseUrl, { max: 1 });
    const [{ webhook_secret: secret }] = await sql`select webhook_secret from orgs where id = ${orgId}`;
    await sql.end();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const timestamp = Number(got.headers[TIMESTAMP_HEADER]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(30);
    expect(got.headers[SIGNATURE_HEADER]).toBe(signDelivery(secret, timestamp, got.raw));
    expect(got.headers[SIGNATURE_HEADER]).not.toBe(signDelivery('another-secret', timestamp, got.raw));
    // The secret and the URL are not in the body.
    expect(got.raw).not.toContain(secret);
  });

  it('a hanging receiver does not delay another unit; a failing one is parked, shown to admins, and resumes', async () => {
    let slowMode: 'hang' | 'fail' | 'ok' = 'hang';
    const slow = await receiver(() => slowMode);
    const fast = await receiver(() => 'ok');
    const slowOrg = await department('慢接收部门', slow.url);
    const fastOrg = await department('快接收部门', fast.url);

    // Three notifications for the hanging receiver first, then one for the fast one.
    for (let i = 0; i < 3; i++) await handOffTo(slowOrg);
    const c = await handOffTo(fastOrg);
    const sentAt = Date.now(); // committed: the hand-off's answer comes after its commit
    await eventually(async () => fast.received.some((r) => r.body.caseId === c.id), 5000, 'the fast unit\'s notification');
    const latency = fast.received.find((r) => r.body.caseId === c.id)!.at - sentAt;
    expect(latency).toBeLessThan(1000); // not behind the hanging receiver's three 1 s timeouts

    // It keeps failing (timeouts, then 503s): parked after 3 in a row, while the fast unit goes on.
    slowMode = 'fail';
    const parked = await eventually(async () => {
      const res = await d.admin.get('/api/v1/deliveries?status=parked');
      return res.body.items.filter((i: { orgId: string }) => i.orgId === slowOrg).length === 3 ? res.body.items : null;
    }, 20_000, 'the receiver to be parked');
    expect(parked[0]).toMatchObject({ orgId: slowOrg, orgName: '慢接收部门', kind: 'case_arrived', receiver: { failures: expect.any(Number) } });
    expect(parked[0].receiver.failures).toBeGreaterThanOrEqual(3);
    expect(parked[0].receiver.parkedUntil).not.toBeNull();
    expect(parked[0].lastError).toMatch(/503|no answer/);
    expect(JSON.stringify(parked)).not.toContain(slow.url);
    const other = await handOffTo(fastOrg);
    await eventually(async () => fast.received.some((r) => r.body.caseId === other.id), 5000, 'the fast unit, while the other is parked');

    // Admins only.
    expect((await d.convener.get('/api/v1/deliveries?status=parked')).status).toBe(403);
    expect((await d.admin.get('/api/v1/deliveries?status=lost')).status).toBe(400);

    // The receiver recovers: the probe after the park succeeds and the backlog drains, once each.
    slowMode = 'ok';
    await eventually(async () => (await d.admin.get('/api/v1/deliveries?status=parked')).body.items.length === 0
      && (await d.admin.get('/api/v1/deliveries?status=pending')).body.items.length === 0, 20_000, 'the backlog to drain');
    const ids = slow.received.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('a delivery that gives up', () => {
  it('keeps no worker\'s feedback link in its row', async () => {
    // The branch's SMS gateway refuses every message.
    const gateway = await receiver(() => 'fail');
    const put = await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, { sms: { gatewayUrl: gateway.url, token: 'sms-token' } });
    expect(put.status).toBe(200);
    await engine.runtime.settings.orgs.invalidate();
    const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '已当场解决' }]]);
    const sql = engine.runtime.database.sql;
    const [row] = await sql<{ id: string }[]>`select id from outbox where case_id = ${c.id} and kind = 'worker_feedback_link'`;
    // Its last attempt but one is behind it: the next failure gives up.
    await sql`update outbox set attempts = 9, next_attempt_at = now() where id = ${row.id}`;
    const given = await eventually(async () => {
      const [r] = await sql<{ attempts: number; payload: Record<string, unknown> }[]>`select attempts, payload from outbox where id = ${row.id}`;
      return r.attempts >= 10 ? r : null;
    }, 30_000, 'the row to give up');
    expect(given.payload).not.toHaveProperty('link');
    expect(given.payload).toHaveProperty('reference', c.reference);
  });
});
