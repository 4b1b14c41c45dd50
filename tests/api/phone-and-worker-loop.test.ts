/**
 * Issue 22 items 4 and 5, the server's side: the registering liaison's hint of the worker's other
 * open cases (the branch's own only, matched by the phone's digits, never echoing the phone, limited
 * like other lookups), and the worker's loop on the case page (the SMS texts the worker was sent,
 * masked, never the feedback link).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { aCase, aDistrict, aGrievance, client, districtPerFile } from '../support/builders.js';
import { startTestEngine } from '../support/harness.js';
import { eventually } from '../support/processes.js';
import { startSmsGateway } from '../support/sms-gateway.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import { WORKER_MESSAGES } from '../../src/notifications/who-is-told.js';

const file = districtPerFile();
const PHONE = '13700001111';
const withPhone = (phone: string) => aGrievance({ worker: { ...aGrievance().worker, phone } });

describe('GET /cases/open-for-worker', () => {
  it('counts the branch\'s own open cases with the phone (any spacing), names their references, and never echoes the phone', async () => {
    const { d } = file;
    const a = await aCase(d, [], withPhone(PHONE));
    const b = await aCase(d, [], withPhone('137 0000-1111'));
    await aCase(d, [['liaison', { action: 'withdraw', reason: '劳动者撤回' }]], withPhone(PHONE));
    await aCase(d, [], withPhone('13700002222'));
    await aCase(d, [], aGrievance({ worker: { workerType: 'delivery', platforms: ['美团'], anonymous: true } }));
    const res = await d.liaison.get(`/api/v1/cases/open-for-worker?phone=${encodeURIComponent('+137-0000-1111')}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.references.sort()).toEqual([a.reference, b.reference].sort());
    expect(res.text).not.toContain('1111');

    // Another branch's liaison learns nothing of this branch's cases.
    const other = await d.otherLiaison.get(`/api/v1/cases/open-for-worker?phone=${PHONE}`);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ count: 0, references: [] });
  });

  it('is the registering liaison\'s: other roles 403; a bad or missing phone 400 naming the field', async () => {
    const { d } = file;
    const refused = await d.meituan.get(`/api/v1/cases/open-for-worker?phone=${PHONE}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBeTypeOf('string');
    const bad = await d.liaison.get('/api/v1/cases/open-for-worker?phone=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('querystring.phone');
    const missing = await d.liaison.get('/api/v1/cases/open-for-worker');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/phone/);
  });

  it('is limited per user like other lookups (429), and the phone never reaches a log line', async () => {
    const log = new PassThrough();
    const lines: string[] = [];
    log.on('data', (chunk) => lines.push(String(chunk)));
    const engine = await startTestEngine({ logTo: log, security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, registrationsPerMinute: 1_000, searchesPerMinute: 2 } } });
    try {
      const d = await aDistrict(engine.app);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await d.liaison.get(`/api/v1/cases/open-for-worker?phone=${PHONE}`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(lines.join('')).toContain('open-for-worker?phone=***');
      expect(lines.join('')).not.toContain(PHONE);
    } finally {
      await engine.close();
    }
  });
});

describe('GET /cases/:id/worker-messages', () => {
  it('lists what the worker was told (the SMS text, the phone masked, sent or pending), never the link, to the case\'s readers', async () => {
    const { d } = file;
    const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '已退还扣款' }]], withPhone('13899990000'));
    const res = await d.liaison.get(`/api/v1/cases/${c.id}/worker-messages`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const [m] = res.body.items;
    expect(m).toMatchObject({ kind: 'worker_feedback_link', sms: WORKER_MESSAGES.worker_feedback_link.sms, phone: '138****0000' });
    // The branch has no SMS gateway: the outbox only logs the row, and the page must not say it was sent.
    expect(['unsent', 'pending']).toContain(m.status);
    expect(res.text).not.toMatch(/feedback\/|13899990000|token/);
    // A reader of the case (a convener reads every case) sees the list too.
    expect((await d.convener.get(`/api/v1/cases/${c.id}/worker-messages`)).status).toBe(200);
    // Another branch's liaison does not see the case at all.
    expect((await d.otherLiaison.get(`/api/v1/cases/${c.id}/worker-messages`)).status).toBe(404);
  });

  it('says sent once the branch\'s SMS gateway took the text', async () => {
    const { d } = file;
    const gateway = await startSmsGateway();
    try {
      expect((await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, { sms: { gatewayUrl: gateway.url, token: 'sms-token' } })).status).toBe(200);
      const c = await aCase(d, [['liaison', { action: 'resolve', resolution: '已退还扣款' }]], withPhone('13899991234'));
      await eventually(async () => (await d.liaison.get(`/api/v1/cases/${c.id}/worker-messages`)).body.items[0]?.status === 'sent', 10_000, 'the SMS sent');
      expect(gateway.texts.some((x) => x.to.includes('13899991234'))).toBe(true);
    } finally {
      await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, {});
      await gateway.close();
    }
  });

  it('is empty before anything was sent; an anonymous case has no phone to show', async () => {
    const { d } = file;
    const c = await aCase(d, [], aGrievance({ worker: { workerType: 'delivery', platforms: ['美团'], anonymous: true } }));
    const res = await d.liaison.get(`/api/v1/cases/${c.id}/worker-messages`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect((await client(file.engine.app, 'ge_not_a_token').get(`/api/v1/cases/${c.id}/worker-messages`)).status).toBe(401);
  });
});
