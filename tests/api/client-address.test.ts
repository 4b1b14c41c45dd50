/**
 * Issue 19.4: the per-IP limits count the real client behind the proxy, never an address a client
 * wrote into X-Forwarded-For itself — with TRUST_PROXY as a hop count and as the proxy's address;
 * and a valid token still signs in from an address that tripped the failed sign-in limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, type District } from '../support/builders.js';
import { DEFAULT_SECURITY, type TrustProxy } from '../../src/config.js';

const PROXY = '172.30.0.10';
const limits = { ...DEFAULT_SECURITY.limits, failedAuthPerMinute: 5, publicPerMinute: 10, registrationsPerMinute: 1_000_000, searchesPerMinute: 1_000_000 };
let spoofs = 0;
/** What a client behind the proxy sends: a made-up X-Forwarded-For, to which the proxy appends the address it saw. */
const spoofedThrough = (client: string) => `198.18.${Math.floor(++spoofs / 250) % 250}.${spoofs % 250}, ${client}`;

interface Sender { remoteAddress: string; forwardedFor: string }
const lookUp = (engine: TestEngine, from: Sender, n: number) => engine.app.inject({
  method: 'GET', url: `/api/v1/public/cases/GR-NONE-${n}?phoneLast4=1234`,
  remoteAddress: from.remoteAddress, headers: { 'x-forwarded-for': from.forwardedFor },
});
const signIn = (engine: TestEngine, from: Sender, token: string) => engine.app.inject({
  method: 'GET', url: '/api/v1/orgs', remoteAddress: from.remoteAddress,
  headers: { 'x-forwarded-for': from.forwardedFor, authorization: `Bearer ${token}` },
});

function behindTheProxy(name: string, trustProxy: TrustProxy) {
  describe(`TRUST_PROXY=${name}`, () => {
    let engine: TestEngine;
    let d: District;
    beforeAll(async () => {
      engine = await startTestEngine({ security: { ...DEFAULT_SECURITY, limits, trustProxy } });
      d = await aDistrict(engine.app);
    });
    afterAll(async () => engine?.close());
    const via = (client: string): Sender => ({ remoteAddress: PROXY, forwardedFor: spoofedThrough(client) });

    it('counts public lookups per real client: a new X-Forwarded-For each time does not reset the count', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 12; i++) answers.push((await lookUp(engine, via('203.0.113.7'), i)).statusCode);
      expect(answers.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(answers.slice(10)).toEqual([429, 429]);
      const refused = await lookUp(engine, via('203.0.113.7'), 99);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 429, code: 'rate_limited' });
      // Another client behind the same proxy has its own count.
      expect((await lookUp(engine, via('203.0.113.8'), 100)).statusCode).toBe(404);
    });

    it('counts failed sign-ins per real client; a valid token from that client still signs in, wrong ones get 429', async () => {
      const client = '203.0.113.20';
      for (let i = 0; i < 5; i++) expect((await signIn(engine, via(client), `ge_wrong_${i}`)).statusCode).toBe(401);
      const blocked = await signIn(engine, via(client), 'ge_wrong_again');
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await signIn(engine, via(client), d.liaison.token)).statusCode).toBe(200);
      expect((await signIn(engine, via(client), d.meituan.token)).statusCode).toBe(200);
      expect((await signIn(engine, via(client), 'ge_wrong_still')).statusCode).toBe(429);
      // The next client behind the proxy is not blocked by the first one's failures.
      expect((await signIn(engine, via('203.0.113.21'), 'ge_wrong_once')).statusCode).toBe(401);
    });
  });
}

behindTheProxy('1 (hop count)', 1);
behindTheProxy(`${PROXY} (the proxy's address)`, [PROXY]);

describe('TRUST_PROXY as an address list, reached directly', () => {
  let engine: TestEngine;
  beforeAll(async () => { engine = await startTestEngine({ security: { ...DEFAULT_SECURITY, limits, trustProxy: ['10.30.0.0/24'] } }); });
  afterAll(async () => engine?.close());

  it('a client that is not the proxy is counted by its socket, whatever X-Forwarded-For it sends', async () => {
    const direct = () => ({ remoteAddress: '192.0.2.50', forwardedFor: spoofedThrough('10.30.0.99') });
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await lookUp(engine, direct(), i)).statusCode);
    expect(answers).toEqual([...Array(10).fill(404), 429]);
    for (let i = 0; i < 5; i++) expect((await signIn(engine, direct(), `ge_wrong_${i}`)).statusCode).toBe(401);
    expect((await signIn(engine, direct(), 'ge_wrong_again')).statusCode).toBe(429);
  });
});
