/** Issue 19 (4, 7): TRUST_PROXY never trusts everyone; the upload limit is read and checked. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';

const withEnv = (env: Record<string, string>) => readConfig({ ...env });

describe('TRUST_PROXY', () => {
  it('is off by default; takes a hop count or the proxies\' addresses and CIDRs', () => {
    expect(withEnv({}).security.trustProxy).toBe(false);
    expect(withEnv({ TRUST_PROXY: 'false' }).security.trustProxy).toBe(false);
    expect(withEnv({ TRUST_PROXY: '1' }).security.trustProxy).toBe(1);
    expect(withEnv({ TRUST_PROXY: '172.30.0.10' }).security.trustProxy).toEqual(['172.30.0.10']);
    expect(withEnv({ TRUST_PROXY: '172.30.0.10, 10.1.0.0/24,fd00::/8' }).security.trustProxy).toEqual(['172.30.0.10', '10.1.0.0/24', 'fd00::/8']);
  });

  it('refuses "trust everyone" at start-up, saying what to give instead', () => {
    for (const value of ['true', 'TRUE', 'all', '*']) {
      expect(() => withEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY=.* would let any client choose its address .*proxy's address or CIDR .*number of proxies/);
    }
  });

  it('refuses what is neither a hop count nor addresses, and a /0 that would be everyone again', () => {
    expect(() => withEnv({ TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY as a hop count must be 1–10/);
    expect(() => withEnv({ TRUST_PROXY: 'caddy' })).toThrow(/TRUST_PROXY must be a hop count or comma-separated IP addresses\/CIDRs .*'caddy'/);
    expect(() => withEnv({ TRUST_PROXY: '0.0.0.0/0' })).toThrow(/'0\.0\.0\.0\/0'/);
    expect(() => withEnv({ TRUST_PROXY: '10.0.0.1/33' })).toThrow(/'10\.0\.0\.1\/33'/);
  });
});

describe('upload limit', () => {
  it('defaults to 30 uploads a minute and must be at least 1', () => {
    expect(withEnv({}).security.limits.uploadsPerMinute).toBe(30);
    expect(withEnv({ RATE_LIMIT_UPLOADS_PER_MINUTE: '12' }).security.limits.uploadsPerMinute).toBe(12);
    expect(() => withEnv({ RATE_LIMIT_UPLOADS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_UPLOADS_PER_MINUTE must be at least 1/);
  });
});
