/**
 * Unit channels (issue 10.1): each adapter against a local receiver started here — a WeCom group
 * robot, a DingTalk robot (signed), an SMTP server (the `smtp-server` package) and an SMS gateway —
 * checking the payload each service documents; messages carry the reference and a link, never
 * personal data; `worker_*` messages go to the worker's phone read at send time; delivery goes
 * through the outbox (retries, a failing robot parked on its own while the others deliver).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { noticeStatements } from '../../src/notifications/outbox.js';
import { inTransaction } from '../../db/client.js';

interface Hit { path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: any }
interface Mail { from: string; to: string[]; raw: string }

let engine: TestEngine;
let d: District;
let http: Server;
let smtp: SMTPServer;
let base = '';
let smtpPort = 0;
const hits: Hit[] = [];
const mails: Mail[] = [];
/** What the robot at a path answers: WeCom/DingTalk refuse with 200 and an errcode. */
const refusing = new Set<string>();

const PUBLIC_URL = 'https://grievance.example.cn';

/** The mail body as sent (quoted-printable UTF-8), decoded. */
const quotedPrintable = (raw: string) =>
  Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

beforeAll(async () => {
  http = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url!, 'http://x');
    hits.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body: JSON.parse(raw) });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(refusing.has(url.pathname) ? { errcode: 93000, errmsg: 'invalid webhook url' } : { errcode: 0, errmsg: 'ok' }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c) => { raw += c; });
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  engine = await startTestEngine({
    runWorkers: true, outboxIntervalMs: 200,
    delivery: {
      timeoutMs: 1000, parkAfter: 2, maxBackoffMs: 1000,
      mail: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'grievance-engine <noreply@grievance.example.cn>' }, publicUrl: PUBLIC_URL,
    },
  });
  d = await aDistrict(engine.app);
});
afterAll(async () => {
  await engine?.close();
  http?.closeAllConnections();
  http?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

const meituanChannels = () => ({
  wecom: { webhookUrl: `${base}/wecom/send?key=k-123` },
  dingtalk: { webhookUrl: `${base}/dingtalk/robot/send?access_token=t-456`, secret: 'SECdingtalk-secret' },
  email: { to: ['duty@meituan.example.cn'] },
  sms: { gatewayUrl: `${base}/sms`, token: 'sms-token-789', to: ['13900000000'] },
});

describe('PUT /api/v1/orgs/:id/channels', () => {
  it('is for admins; bad settings name the field; other roles never see URLs or secrets', async () => {
    expect((await d.meituan.put(`/api/v1/orgs/${d.orgs.meituan}/channels`, meituanChannels())).status).toBe(403);
    const bad = await d.admin.put(`/api/v1/orgs/${d.orgs.meituan}/channels`, { dingtalk: { webhookUrl: 'not a url', secret: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('webhookUrl');
    expect((await d.admin.put('/api/v1/orgs/00000000-0000-4000-8000-000000000000/channels', {})).status).toBe(404);

    const set = await d.admin.put(`/api/v1/orgs/${d.orgs.meituan}/channels`, meituanChannels());
    expect(set.status).toBe(200);
    expect(set.body).toEqual(meituanChannels());
    expect((await d.meituan.get(`/api/v1/orgs/${d.orgs.meituan}/channels`)).status).toBe(403);
    expect(JSON.stringify((await d.meituan.get('/api/v1/orgs')).body)).not.toMatch(/sms-token|SECdingtalk|k-123/);
    const hour = 3600_000;
    const audit = await d.admin.get(`/api/v1/audit/admin?entity=channels&from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ entity: 'channels', entityId: d.orgs.meituan, details: { channels: ['wecom', 'dingtalk', 'email', 'sms'] } });
    expect(JSON.stringify(audit.body)).not.toMatch(/sms-token|SECdingtalk|k-123/);
  });
});

describe('a case arriving at a unit reaches every channel it has', () => {
  it('WeCom markdown, DingTalk signed markdown, e-mail, SMS — the reference and a link, never personal data', async () => {
    const created = await aCase(d, [['liaison', { action: 'forward' }]]);
    const link = `${PUBLIC_URL}/#/case/${created.id}`;
    const forCase = (path: string) => hits.filter((h) => h.path === path && JSON.stringify(h.body).includes(created.reference));
    await eventually(async () => forCase('/wecom/send').length && forCase('/dingtalk/robot/send').length && forCase('/sms').length
      && mails.some((m) => m.raw.includes(created.reference)), 10_000, 'all four channels');

    const wecom = forCase('/wecom/send')[0];
    expect(wecom.query.get('key')).toBe('k-123');
    expect(wecom.headers['content-type']).toContain('application/json');
    expect(Object.keys(wecom.body)).toEqual(['msgtype', 'markdown']);
    expect(wecom.body.msgtype).toBe('markdown');
    expect(Object.keys(wecom.body.markdown)).toEqual(['content']);
    expect(wecom.body.markdown.content).toContain('新案件到达');
    expect(wecom.body.markdown.content).toContain(link);

    const ding = forCase('/dingtalk/robot/send')[0];
    expect(ding.query.get('access_token')).toBe('t-456');
    const timestamp = ding.query.get('timestamp')!;
    expect(Math.abs(Date.now() - Number(timestamp))).toBeLessThan(60_000); // milliseconds
    const expected = createHmac('sha256', 'SECdingtalk-secret').update(`${timestamp}\n${'SECdingtalk-secret'}`).digest('base64');
    expect(ding.query.get('sign')).toBe(expected); // URLSearchParams decodes the url-encoding
    expect(ding.body.msgtype).toBe('markdown');
    expect(Object.keys(ding.body.markdown).sort()).toEqual(['text', 'title']);
    expect(ding.body.markdown.title).toContain('新案件到达');
    expect(ding.body.markdown.text).toContain(link);

    const sms = forCase('/sms')[0];
    expect(sms.headers.authorization).toBe('Bearer sms-token-789');
    expect(sms.body).toEqual({ to: '13900000000', text: expect.stringContaining(created.reference) });
    expect(sms.body.text).toContain(link);

    const mail = mails.find((m) => m.raw.includes(created.reference))!;
    expect(mail.to).toEqual(['duty@meituan.example.cn']);
    expect(mail.from).toBe('noreply@grievance.example.cn');
    expect(mail.raw).toMatch(/^Subject: .+/m);
    expect(quotedPrintable(mail.raw)).toContain(link);
    expect(quotedPrintable(mail.raw)).toContain('新案件到达');

    const everything = JSON.stringify(hits) + mails.map((m) => quotedPrintable(m.raw)).join('');
    expect(everything).not.toMatch(/张三|13812341234|5YC25LiJ/); // name, phone, name in base64
  });
});

describe('messages to the worker', () => {
  it('go by SMS to the phone on the case, read at send time; an anonymous case sends nothing; the outbox never holds the phone', async () => {
    const gateway = { gatewayUrl: `${base}/branch-sms`, token: 'branch-token' };
    expect((await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, { sms: gateway })).status).toBe(200);
    const named = await aCase(d);
    const anonymous = await aCase(d, [], aGrievance({ worker: { anonymous: true, workerType: 'delivery', platforms: ['美团'] } }));
    const sql = engine.runtime.database.sql;
    await inTransaction(sql, (tx) => Promise.all(noticeStatements(tx, [
      { orgId: d.orgs.branch, caseId: named.id, kind: 'worker_receipt', payload: { reference: named.reference, link: `${PUBLIC_URL}/status` } },
      { orgId: d.orgs.branch, caseId: anonymous.id, kind: 'worker_receipt', payload: { reference: anonymous.reference, link: `${PUBLIC_URL}/status` } },
    ], () => [])));
    engine.runtime.delivery.kick();
    await eventually(async () => hits.find((h) => h.path === '/branch-sms'), 10_000, 'the worker SMS');
    const sent = hits.filter((h) => h.path === '/branch-sms');
    expect(sent).toHaveLength(1);
    expect(sent[0].headers.authorization).toBe('Bearer branch-token');
    expect(sent[0].body.to).toBe('13812341234');
    expect(sent[0].body.text).toContain(named.reference);
    expect(sent[0].body.text).toContain(`${PUBLIC_URL}/status`);
    await eventually(async () => {
      const rows = await sql<{ deliveredAt: Date | null }[]>`select delivered_at from outbox where kind = 'worker_receipt'`;
      return rows.length === 2 && rows.every((r) => r.deliveredAt);
    }, 10_000, 'both worker rows done');
    const stored = await sql`select channel, payload::text as payload from outbox where kind = 'worker_receipt'`;
    expect(stored.map((r) => r.channel)).toEqual(['sms', 'sms']);
    expect(JSON.stringify(stored)).not.toContain('13812341234');
    expect((await sql`select 1 from notifications where kind = 'worker_receipt'`)).toHaveLength(0);
  });
});

describe('delivery through the outbox', () => {
  it('a refusing robot is retried and parked on its own; the unit\'s other channels deliver; admins see which channel', async () => {
    refusing.add('/wecom/send');
    try {
      const created = await aCase(d, [['liaison', { action: 'forward' }]]);
      await eventually(async () => hits.some((h) => h.path === '/sms' && h.body.text.includes(created.reference)), 10_000, 'SMS delivered');
      const parked = await eventually(async () => {
        const res = await d.admin.get('/api/v1/deliveries?status=parked');
        return res.body.items.find((i: { caseId: string }) => i.caseId === created.id);
      }, 15_000, 'the WeCom receiver parked');
      expect(parked).toMatchObject({ channel: 'wecom', orgId: d.orgs.meituan, kind: 'case_arrived' });
      expect(parked.lastError).toContain('errcode 93000');
      expect(parked.lastError).not.toContain('k-123');
      const dingRows = await engine.runtime.database.sql`select delivered_at from outbox where case_id = ${created.id} and channel = 'dingtalk'`;
      expect(dingRows[0].deliveredAt).not.toBeNull();
    } finally {
      refusing.delete('/wecom/send');
    }
    // The robot works again: the park runs out, one probe succeeds, the rest follow.
    await eventually(async () => {
      const [row] = await engine.runtime.database.sql<{ n: number }[]>`select count(*)::int as n from outbox where channel = 'wecom' and delivered_at is null`;
      return row.n === 0;
    }, 20_000, 'the parked WeCom rows delivered');
  });
});
