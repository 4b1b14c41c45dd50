/**
 * Outbound requests only where allowed (issue 19.2): webhook, robot and SMS gateway URLs are
 * https, or http for a host in OUTBOUND_ALLOW_HOSTS, and reach public addresses only — refused at
 * save (400 `outbound_url_refused` naming the field, nothing written) and again at send, after
 * resolution (every address checked, the connection made to the checked one), as a failed
 * delivery with its reason; a redirect is never followed.
 *
 * The engine allows only `127.0.0.1:<the receiver's port>` and `pinned.example:<port>`, and
 * resolves names through a table of this file (the machine has no outbound network), so a
 * public-looking name can answer 127.0.0.1.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { noticeStatements } from '../../src/notifications/outbox.js';
import type { ResolvedAddress } from '../../src/notifications/outbound-guard.js';
import { inTransaction } from '../../db/client.js';

interface Hit { path: string; headers: IncomingHttpHeaders }

let engine: TestEngine;
let d: District;
let receiver: Server;
let port = 0;
let connections = 0;
const hits: Hit[] = [];
const logs: string[] = [];
const lookups: string[] = [];

/** What the resolver answers (no network here): public-looking names that lead inside. */
const NAMES: Record<string, ResolvedAddress[]> = {
  'hooks.public.example': [{ address: '127.0.0.1', family: 4 }],
  'mixed.public.example': [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }],
  'mapped.public.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'metadata.public.example': [{ address: '169.254.169.254', family: 4 }],
  'nat64.public.example': [{ address: '64:ff9b::a00:1', family: 6 }],
  'pinned.example': [{ address: '127.0.0.1', family: 4 }],
};

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    for await (const _ of req);
    const path = new URL(req.url!, 'http://x').pathname;
    hits.push({ path, headers: req.headers });
    if (path.startsWith('/redirect')) {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` });
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"errcode":0,"errmsg":"ok"}');
  });
  receiver.on('connection', () => { connections++; });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
  const logTo = new PassThrough();
  logTo.on('data', (line: Buffer) => logs.push(line.toString()));
  engine = await startTestEngine({
    runWorkers: true, outboxIntervalMs: 200, logTo,
    delivery: { timeoutMs: 1000, parkAfter: 100, maxBackoffMs: 1000 },
    outbound: {
      allowHosts: [{ host: '127.0.0.1', port }, { host: 'pinned.example', port }],
      resolve: async (hostname) => {
        lookups.push(hostname);
        const answer = NAMES[hostname];
        if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return answer;
      },
    },
  });
  d = await aDistrict(engine.app);
});
afterAll(async () => {
  await engine?.close();
  receiver?.closeAllConnections();
  receiver?.close();
});

const patchOrg = async (id: string, body: unknown) => {
  const res = await engine.app.inject({ method: 'PATCH', url: `/api/v1/orgs/${id}`, payload: body as object, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return { status: res.statusCode, body: res.json() };
};
let units = 0;
const aUnit = async () => {
  const res = await d.admin.post('/api/v1/orgs', { name: `出站测试部门${++units}`, type: 'department' });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const channelsWith = (url: string) => ({
  wecom: { webhookUrl: url }, dingtalk: { webhookUrl: url, secret: 'SECsecret' }, sms: { gatewayUrl: url, token: 'sms-token', to: ['13900000000'] },
});

/** Each address form, as the host of an https URL (the scheme is right: the address is what is refused). */
const REFUSED_HOSTS: [string, RegExp][] = [
  ['127.0.0.1', /loopback/], ['localhost', /loopback/], ['LOCALHOST.', /loopback/], ['api.localhost', /loopback/],
  ['127.1', /127\.0\.0\.1 .*loopback/], ['2130706433', /127\.0\.0\.1 .*loopback/], ['0x7f000001', /127\.0\.0\.1 .*loopback/],
  ['017700000001', /127\.0\.0\.1 .*loopback/], ['0177.0.0.1', /loopback/], ['[::1]', /loopback/],
  ['0.0.0.0', /unspecified/], ['0', /unspecified/], ['[::]', /unspecified/],
  ['10.1.2.3', /private/], ['172.16.0.1', /private/], ['172.31.255.255', /private/], ['192.168.1.1', /private/],
  ['169.254.10.10', /linkLocal/], ['169.254.169.254', /linkLocal/], ['[fe80::1]', /linkLocal/],
  ['100.64.0.1', /carrierGradeNat/], ['224.0.0.1', /multicast/], ['[ff02::1]', /multicast/], ['255.255.255.255', /broadcast/],
  ['240.0.0.1', /reserved/], ['192.0.2.1', /reserved/], ['[2001:db8::1]', /reserved/],
  ['[fc00::1]', /uniqueLocal/], ['[fd00:ec2::254]', /uniqueLocal/],
  ['[::ffff:127.0.0.1]', /ipv4Mapped of 127\.0\.0\.1, loopback/], ['[::ffff:169.254.169.254]', /ipv4Mapped of 169\.254\.169\.254, linkLocal/],
  ['[::127.0.0.1]', /ipv4Compatible of 127\.0\.0\.1/], ['[64:ff9b::10.0.0.1]', /NAT64 of 10\.0\.0\.1, private/],
  ['[2002:7f00:1::]', /6to4 of 127\.0\.0\.1, loopback/], ['[2002:c0a8:101::1]', /6to4 of 192\.168\.1\.1, private/],
];

describe('at save', () => {
  it.each(REFUSED_HOSTS)('https://%s/ is refused for every channel and the webhook, naming the field', async (host, why) => {
    const url = `https://${host}/hook?key=k-secret`;
    const orgId = await aUnit();
    for (const [channel, field] of [['wecom', 'body.wecom.webhookUrl'], ['dingtalk', 'body.dingtalk.webhookUrl'], ['sms', 'body.sms.gatewayUrl']] as const) {
      const res = await d.admin.put(`/api/v1/orgs/${orgId}/channels`, { [channel]: channelsWith(url)[channel] });
      expect(res.status, `${channel} ${host}`).toBe(400);
      expect(res.body).toMatchObject({ code: 'outbound_url_refused', field });
      expect(res.body.message).toMatch(why);
      expect(res.body.message).not.toContain('k-secret');
    }
    const patched = await patchOrg(orgId, { webhookUrl: url });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ code: 'outbound_url_refused', field: 'body.webhookUrl' });
    const created = await d.admin.post('/api/v1/orgs', { name: `不应创建 ${host}`, type: 'department', webhookUrl: url });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ code: 'outbound_url_refused', field: 'body.webhookUrl' });
  });

  it('http only for an allowed host and port; https to a name is taken (it is checked again at send)', async () => {
    const orgId = await aUnit();
    for (const url of ['http://hooks.example.cn/send', `http://127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}/hook`, 'http://pinned.example/hook', 'ftp://hooks.example.cn/']) {
      const res = await patchOrg(orgId, { webhookUrl: url });
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({ code: 'outbound_url_refused', field: 'body.webhookUrl' });
      expect(res.body.message).toContain('https only');
    }
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://pinned.example:${port}/hook`, 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', 'https://hooks.public.example/hook']) {
      expect((await patchOrg(orgId, { webhookUrl: url })).status, url).toBe(200);
    }
    const good = channelsWith('https://sms.example.cn/send');
    expect((await d.admin.put(`/api/v1/orgs/${orgId}/channels`, good)).status).toBe(200);
  });

  it('a refused URL writes nothing: the channels and the webhook stay as they were, no unit is created', async () => {
    const orgId = await aUnit();
    const before = channelsWith('https://robot.example.cn/send');
    expect((await d.admin.put(`/api/v1/orgs/${orgId}/channels`, before)).status).toBe(200);
    expect((await patchOrg(orgId, { webhookUrl: 'https://hooks.example.cn/a' })).status).toBe(200);

    const refused = await d.admin.put(`/api/v1/orgs/${orgId}/channels`, { ...before, sms: { gatewayUrl: 'https://10.0.0.1/sms', token: 't' } });
    expect(refused.body).toMatchObject({ code: 'outbound_url_refused', field: 'body.sms.gatewayUrl' });
    expect((await d.admin.get(`/api/v1/orgs/${orgId}/channels`)).body).toEqual(before);
    expect((await patchOrg(orgId, { name: '改名也不应生效', webhookUrl: 'https://[::1]/a' })).status).toBe(400);
    const unit = (await d.admin.get('/api/v1/orgs')).body.items.find((o: { id: string }) => o.id === orgId);
    expect(unit).toMatchObject({ webhookUrl: 'https://hooks.example.cn/a' });
    expect(unit.name).not.toBe('改名也不应生效');
    const names = (await d.admin.get('/api/v1/orgs')).body.items.map((o: { name: string }) => o.name);
    expect(names.filter((n: string) => n.startsWith('不应创建'))).toEqual([]);
  });
});

/** One note to the unit on each of its channels; the rows once each has been tried. */
async function notifyAndWait(orgId: string, channels: string[]) {
  const c = await aCase(d);
  const sql = engine.runtime.database.sql;
  await inTransaction(sql, (tx) => Promise.all(noticeStatements(tx, [
    { orgId, caseId: c.id, kind: 'case_arrived', payload: { reference: c.reference, state: 'platform_handling' } },
  ], () => channels)));
  engine.runtime.delivery.kick();
  return eventually(async () => {
    const rows = await sql<{ channel: string; attempts: number; lastError: string | null; deliveredAt: Date | null }[]>`
      select channel, attempts, last_error, delivered_at from outbox where org_id = ${orgId} and case_id = ${c.id} order by channel`;
    return rows.length === channels.length + 1 && rows.every((r) => r.attempts > 0) && rows;
  }, 10_000, 'every channel tried');
}

describe('at send', () => {
  it('a name that resolves inside — loopback, private among public, IPv4-mapped, metadata, NAT64 — is a failed delivery with the reason; nothing connects', async () => {
    const orgId = await aUnit();
    expect((await patchOrg(orgId, { webhookUrl: `https://metadata.public.example:${port}/latest/meta-data?key=k-secret` })).status).toBe(200);
    expect((await d.admin.put(`/api/v1/orgs/${orgId}/channels`, {
      wecom: { webhookUrl: `https://hooks.public.example:${port}/wecom?key=k-secret` },
      dingtalk: { webhookUrl: `https://mixed.public.example:${port}/ding?access_token=k-secret`, secret: 'SECsecret' },
      sms: { gatewayUrl: `https://mapped.public.example:${port}/sms`, token: 'sms-token', to: ['13900000000'] },
    })).status).toBe(200);
    const before = connections;
    const rows = await notifyAndWait(orgId, ['dingtalk', 'sms', 'wecom']);
    const reasons = Object.fromEntries(rows.map((r) => [r.channel, r.lastError]));
    expect(reasons).toEqual({
      webhook: 'outbound request refused: the host resolves to 169.254.169.254 (linkLocal)',
      wecom: 'outbound request refused: the host resolves to 127.0.0.1 (loopback)',
      dingtalk: 'outbound request refused: the host resolves to 10.0.0.7 (private)',
      sms: 'outbound request refused: the host resolves to ::ffff:127.0.0.1 (ipv4Mapped of 127.0.0.1, loopback)',
    });
    expect(rows.every((r) => r.deliveredAt === null)).toBe(true);
    expect(connections).toBe(before);

    // Shown to admins like any failure, never the URL; the log says why without the URL or the phone.
    const pending = await d.admin.get('/api/v1/deliveries?status=pending');
    const mine = pending.body.items.filter((i: { orgId: string }) => i.orgId === orgId);
    expect(mine.map((i: { lastError: string }) => i.lastError)).toEqual(expect.arrayContaining([reasons.wecom, reasons.sms]));
    expect(JSON.stringify(pending.body)).not.toContain('k-secret');
    await eventually(async () => logs.some((l) => l.includes(reasons.dingtalk!)), 5000, 'the failure logged');
    expect(logs.join('')).not.toMatch(/k-secret|13900000000|public\.example/);

    // NAT64 that embeds a private address, the same way.
    const nat = await aUnit();
    expect((await patchOrg(nat, { webhookUrl: 'https://nat64.public.example/hook' })).status).toBe(200);
    const [row] = await notifyAndWait(nat, []);
    expect(row.lastError).toBe('outbound request refused: the host resolves to 64:ff9b::a00:1 (NAT64 of 10.0.0.1, private)');
  });

  it('a URL put in the database past the API is refused at send too; the delivery loop goes on with other units', async () => {
    const bad = await aUnit();
    const good = await aUnit();
    const sql = engine.runtime.database.sql;
    await sql`update orgs set webhook_url = ${'https://[::1]/hook'} where id = ${bad}`;
    await sql`insert into org_channels (org_id, channel, settings) values
      (${bad}, 'wecom', ${sql.json({ webhookUrl: 'https://2130706433/cgi-bin/webhook/send' })}),
      (${bad}, 'sms', ${sql.json({ gatewayUrl: 'http://hooks.example.cn/sms', token: 't', to: ['13900000000'] })})`;
    expect((await patchOrg(good, { webhookUrl: `http://127.0.0.1:${port}/good-hook` })).status).toBe(200);
    const rows = await notifyAndWait(bad, ['sms', 'wecom']);
    expect(Object.fromEntries(rows.map((r) => [r.channel, r.lastError]))).toEqual({
      webhook: 'outbound request refused: ::1 is not a public address (loopback)',
      wecom: 'outbound request refused: 127.0.0.1 is not a public address (loopback)',
      sms: 'outbound request refused: https only (http only for a host in OUTBOUND_ALLOW_HOSTS)',
    });
    const [delivered] = await notifyAndWait(good, []);
    expect(delivered).toMatchObject({ channel: 'webhook', deliveredAt: expect.any(Date), lastError: null });
    expect(hits.some((h) => h.path === '/good-hook')).toBe(true);
  });

  it('connects to the address it checked: an allowed name is resolved once by the guard, never again by the connection', async () => {
    const orgId = await aUnit();
    expect((await patchOrg(orgId, { webhookUrl: `http://pinned.example:${port}/pinned` })).status).toBe(200);
    const asked = lookups.filter((h) => h === 'pinned.example').length;
    const [row] = await notifyAndWait(orgId, []);
    // The system resolver knows no pinned.example: the request arrived because the socket went to the checked address.
    expect(row).toMatchObject({ deliveredAt: expect.any(Date), lastError: null });
    const hit = hits.find((h) => h.path === '/pinned')!;
    expect(hit.headers.host).toBe(`pinned.example:${port}`);
    expect(lookups.filter((h) => h === 'pinned.example').length).toBe(asked + 1);
  });

  it('never follows a redirect: a 3xx is a failed delivery', async () => {
    const orgId = await aUnit();
    expect((await patchOrg(orgId, { webhookUrl: `http://127.0.0.1:${port}/redirect-hook` })).status).toBe(200);
    expect((await d.admin.put(`/api/v1/orgs/${orgId}/channels`, {
      wecom: { webhookUrl: `http://127.0.0.1:${port}/redirect-wecom?key=k` },
      sms: { gatewayUrl: `http://127.0.0.1:${port}/redirect-sms`, token: 't', to: ['13900000000'] },
    })).status).toBe(200);
    const rows = await notifyAndWait(orgId, ['sms', 'wecom']);
    for (const r of rows) {
      expect(r.deliveredAt).toBeNull();
      expect(r.lastError).toBe('receiver answered 302: redirects are not followed');
    }
    expect(hits.filter((h) => h.path.startsWith('/redirect-')).length).toBeGreaterThanOrEqual(3);
    expect(hits.some((h) => h.path === '/elsewhere')).toBe(false);
  });
});
