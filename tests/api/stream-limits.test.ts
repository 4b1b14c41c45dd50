/**
 * Issue 19.8: capped live streams — at most STREAMS_PER_USER per token (default 5) and
 * STREAMS_PER_PROCESS in all, 429 with Retry-After beyond; a closed stream gives back its slot and
 * its socket (the process's open file descriptors return to where they were).
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { openEventStream, type EventStreamReader } from '../support/sse-client.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import type { App } from '../../src/http/app.js';

let engine: TestEngine;
let d: District;
let url: string;
/** A second app on the same runtime, with room for 50 streams per token and 52 in all. */
let roomy: App;
let roomyUrl: string;
const opened: EventStreamReader[] = [];

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  url = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  roomy = await serveHttp(engine.runtime, {
    adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }), security: { ...DEFAULT_SECURITY, streams: { perToken: 50, perProcess: 52 } },
  });
  roomyUrl = await roomy.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await roomy?.close();
  await engine?.close();
});

/** Opens a stream; one that is refused is closed at once (its body read and dropped). */
async function open(base: string, token: string) {
  const s = await openEventStream(base, token);
  if (s.status === 200) opened.push(s); else await s.close();
  return s;
}
const openMany = (base: string, token: string, n: number) => Promise.all(Array.from({ length: n }, () => open(base, token)));
const closeAll = async (streams: EventStreamReader[]) => {
  await Promise.all(streams.map((s) => s.close()));
  for (const s of streams) opened.splice(opened.indexOf(s), 1);
};
const openFds = () => readdirSync('/proc/self/fd').length;

describe('streams per token', () => {
  it('the 6th stream of a token is 429 with Retry-After; another token still opens; closing one frees its slot', async () => {
    const five = await openMany(url, d.liaison.token, 5);
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);

    const sixth = await fetch(`${url}/api/v1/stream`, { headers: { authorization: `Bearer ${d.liaison.token}` } });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sixth.json()).toMatchObject({
      statusCode: 429, error: 'Too Many Requests', code: 'rate_limited', message: expect.stringContaining('at most 5 per token'),
    });
    expect((await open(url, d.meituan.token)).status).toBe(200);

    await closeAll([five[0]]);
    const again = await eventually(async () => {
      const s = await open(url, d.liaison.token);
      return s.status === 200 && s;
    }, 5000, 'the closed stream\'s slot to be free');
    expect(again.status).toBe(200);
    expect((await open(url, d.liaison.token)).status).toBe(429);
    await closeAll([...opened]);
  });

  it('the OpenAPI document declares the 429 of the stream', async () => {
    const doc = JSON.parse((await engine.app.inject({ method: 'GET', url: '/docs/json' })).body);
    expect(doc.paths['/api/v1/stream'].get.responses['429']).toBeDefined();
  });
});

/**
 * A stream on a socket of its own (no keep-alive pool: fetch's pool opens idle sockets again after
 * an abort, which would blur the count of what the server holds).
 */
function rawStream(base: string, token: string): Promise<{ status: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/stream`, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      const closed = new Promise<void>((done) => req.socket!.once('close', () => done()));
      resolve({ status: res.statusCode!, close: async () => { req.destroy(); await closed; } });
    });
    req.once('error', reject);
  });
}
const rawMany = (base: string, token: string, n: number) => Promise.all(Array.from({ length: n }, () => rawStream(base, token)));
const closeRaw = (streams: { close(): Promise<void> }[]) => Promise.all(streams.map((s) => s.close()));

describe('streams per process, and what a closed stream gives back', () => {
  it('50 streams open and close; the slots are free again and the open file descriptors return', async () => {
    // A first round opens what stays open anyway: the LISTEN connection, pooled database connections.
    await closeRaw(await rawMany(roomyUrl, d.liaison.token, 50));
    await new Promise((r) => setTimeout(r, 300));
    const before = openFds();

    const fifty = await rawMany(roomyUrl, d.liaison.token, 50);
    expect(fifty.every((s) => s.status === 200)).toBe(true);
    // Each stream holds two sockets in this process: the client's and the server's.
    expect(openFds()).toBeGreaterThanOrEqual(before + 100);
    const over = await rawStream(roomyUrl, d.liaison.token);
    expect(over.status).toBe(429);
    const others = await rawMany(roomyUrl, d.meituan.token, 2);
    expect(others.map((s) => s.status)).toEqual([200, 200]);
    const full = await fetch(`${roomyUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${d.eleme.token}` } });
    expect(full.status).toBe(429);
    expect((await full.json()).message).toContain('no live stream left');

    await closeRaw([...fifty, ...others, over]);
    await eventually(async () => openFds() <= before + 5, 5000, 'the file descriptors to be closed', async () => ({ before, now: openFds() }));

    const fiftyAgain = await eventually(async () => {
      const round = await rawMany(roomyUrl, d.liaison.token, 50);
      if (round.every((s) => s.status === 200)) return round;
      await closeRaw(round);
      return false;
    }, 5000, 'the 50 slots to be free again');
    await closeRaw(fiftyAgain);
  });
});
