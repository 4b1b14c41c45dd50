import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 500 });
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

describe('notifications go through the outbox to the unit\'s webhook', () => {
  it('a hand-off arriving is delivered, retried with backoff after a failure, and carries no personal data', async () => {
    const received: { attempt: number; body: Record<string, unknown> }[] = [];
    let attempts = 0;
    const server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      attempts++;
      received.push({ attempt: attempts, body: JSON.parse(body) });
      res.statusCode = attempts === 1 ? 500 : 204; // the first delivery fails
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const dept = await d.admin.post('/api/v1/orgs', { name: '带回调的部门', type: 'department', webhookUrl: url });
      expect(dept.status).toBe(201);
      const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
        ['meituan', { action: 'hand_off', toOrgId: dept.body.id, reason: '移交' }]]);
      await eventually(async () => attempts >= 2, 15_000, 'the retried delivery');
      expect(received[0].body).toMatchObject({ kind: 'case_arrived', caseId: c.id, orgId: dept.body.id, reference: c.reference, state: 'handed_off' });
      expect(received[1].body.id).toBe(received[0].body.id); // the same notification, retried
      expect(JSON.stringify(received)).not.toContain('13812341234');
      await new Promise((r) => setTimeout(r, 1500));
      expect(attempts).toBe(2); // delivered once it succeeded: never again
    } finally {
      server.close();
    }
  });
});

describe('calendar overrides (admin)', () => {
  it('replaces the set (single days: an unpublished year stays provisional)', async () => {
    const bad = await d.admin.put('/api/v1/calendar-overrides', [{ day: '2026-13-45', kind: 'holiday' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body[0].day');
    expect((await d.liaison.put('/api/v1/calendar-overrides', [])).status).toBe(403);

    const set = await d.admin.put('/api/v1/calendar-overrides', [
      { day: '2027-01-01', kind: 'holiday', note: '元旦（待国务院公布后核对）' },
    ]);
    expect(set.status).toBe(200);
    expect(set.body).toEqual([{ day: '2027-01-01', kind: 'holiday', note: '元旦（待国务院公布后核对）' }]);
    expect((await d.admin.get('/api/v1/calendar-overrides')).body).toHaveLength(1);
  });
});

describe('configuration changes under load', () => {
  it('20 registrations at once right after the SLA policies change all succeed (no pool starvation)', async () => {
    await d.admin.put('/api/v1/sla-policies', [
      { step: 'l1_forward', amount: 2, unit: 'working_days' }, { step: 'l2_accept', amount: 1, unit: 'working_days' },
      { step: 'l2_resolve', amount: 5, unit: 'working_days' }, { step: 'l3_accept', amount: 2, unit: 'working_days' },
      { step: 'l3_resolve', amount: 10, unit: 'working_days' }, { step: 'feedback', amount: 3, unit: 'working_days' },
    ]);
    const answers = await Promise.all(Array.from({ length: 20 }, () => d.liaison.post('/api/v1/cases', aGrievance())));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
  });
});
