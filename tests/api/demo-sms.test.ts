/**
 * Demo mode's SMS page (issue 21 item 10): on the embedded database no unit has an SMS gateway, so
 * the worker's texts are recorded (phone masked) before the outbox drops their link, and the public
 * GET /api/v1/public/demo/sms lists them newest first with a link that works. Not in demo mode (as
 * in production) nothing is recorded and the page answers 404.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { eventually } from '../support/processes.js';

let demo: TestEngine;
let production: TestEngine;
let inDemo: District;
let inProduction: District;
beforeAll(async () => {
  demo = await startTestEngine({ demoSms: true });
  production = await startTestEngine();
  inDemo = await aDistrict(demo.app);
  inProduction = await aDistrict(production.app);
}, 120_000);
afterAll(async () => {
  await demo?.close();
  await production?.close();
});

let ip = 0;
const pub = async (engine: TestEngine, method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await engine.app.inject({ method, url, payload, remoteAddress: `10.7.0.${++ip}` });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
/** Resolved at the platform: the worker's feedback link goes out. */
const resolvedAtPlatform = (d: District) => aCase(d, [
  ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'resolve', resolution: '平台已退还扣款' }],
]);

describe('demo mode', () => {
  it('lists the worker\'s texts newest first, phone masked, with a feedback link the newcomer can follow once', async () => {
    const first = await resolvedAtPlatform(inDemo);
    const second = await resolvedAtPlatform(inDemo);
    const page = await eventually(async () => {
      const res = await pub(demo, 'GET', '/api/v1/public/demo/sms');
      return res.body.items?.length === 2 && res;
    }, 10_000, 'both feedback links on the demo SMS page');
    expect(page.status).toBe(200);
    expect(page.body.items.map((s: { reference: string }) => s.reference)).toEqual([second.reference, first.reference]);
    const [text] = page.body.items;
    expect(text).toMatchObject({ kind: 'worker_feedback_link', phone: '138****1234' });
    expect(text.text).toContain('请点击链接评价办理结果');
    expect(text.text).toContain(text.link);
    expect(JSON.stringify(page.body)).not.toContain('13812341234');

    const token = /\/feedback\/([A-Za-z0-9_-]+)$/.exec(text.link)![1];
    expect((await pub(demo, 'GET', `/api/v1/public/feedback/${token}`)).body).toMatchObject({ reference: second.reference, open: true });
    expect((await pub(demo, 'POST', `/api/v1/public/feedback/${token}`, { rating: 'satisfied', solved: 'yes' })).status).toBe(200);
    expect((await pub(demo, 'POST', `/api/v1/public/feedback/${token}`, { rating: 'satisfied', solved: 'yes' })).status).toBe(410);

    // The outbox kept no link: the demo's page is the one place that has it.
    const sql = postgres(demo.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      expect(await sql`select 1 from outbox where payload ? 'link'`).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });
});

describe('not in demo mode (production)', () => {
  it('records no text and answers 404', async () => {
    const c = await resolvedAtPlatform(inProduction);
    const sql = postgres(production.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await eventually(async () => (await sql`select 1 from outbox where case_id = ${c.id} and kind = 'worker_feedback_link' and delivered_at is not null`).length > 0,
        10_000, 'the feedback link handled');
      expect(await sql`select 1 from demo_sms`).toHaveLength(0);
    } finally {
      await sql.end();
    }
    const res = await pub(production, 'GET', '/api/v1/public/demo/sms');
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/示范模式/);
  });
});
