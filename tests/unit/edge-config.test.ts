/** Issue 19 (4, 7, 8): TRUST_PROXY never trusts everyone; the upload and stream limits are read and checked. */
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

describe('upload and stream limits', () => {
  it('default to 30 uploads a minute, 5 streams per token and 2,000 per process', () => {
    const { security } = withEnv({});
    expect(security.limits.uploadsPerMinute).toBe(30);
    expect(security.streams).toEqual({ perToken: 5, perProcess: 2000 });
    const set = withEnv({ RATE_LIMIT_UPLOADS_PER_MINUTE: '12', STREAMS_PER_USER: '2', STREAMS_PER_PROCESS: '100' }).security;
    expect(set.limits.uploadsPerMinute).toBe(12);
    expect(set.streams).toEqual({ perToken: 2, perProcess: 100 });
  });

  it('must be at least 1', () => {
    expect(() => withEnv({ STREAMS_PER_USER: '0' })).toThrow(/STREAMS_PER_USER and STREAMS_PER_PROCESS must be at least 1/);
    expect(() => withEnv({ STREAMS_PER_PROCESS: 'many' })).toThrow(/STREAMS_PER_PROCESS must be a whole number/);
    expect(() => withEnv({ RATE_LIMIT_UPLOADS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_UPLOADS_PER_MINUTE must be at least 1/);
  });
});

describe('DATABASE_READ_URL and READ_REPLICA_MAX_LAG_SECONDS', () => {
  const primary = { DATABASE_URL: 'postgres://app@primary/grievance', ADMIN_TOKEN: 'admin-token-0123456789', RECORD_PEPPER: 'x'.repeat(32), LINK_KEY: 'y'.repeat(32) };

  it('are off and 30 s by default; take a standby and a lag', () => {
    expect(withEnv(primary)).toMatchObject({ databaseReadUrl: null, readReplicaMaxLagSeconds: 30 });
    expect(withEnv({ ...primary, DATABASE_READ_URL: 'postgres://app@standby/grievance', READ_REPLICA_MAX_LAG_SECONDS: '5' }))
      .toMatchObject({ databaseReadUrl: 'postgres://app@standby/grievance', readReplicaMaxLagSeconds: 5 });
  });

  it('refuse a standby without a primary, a URL that is not Postgres, and a lag under 1 s', () => {
    expect(() => withEnv({ DATABASE_READ_URL: 'postgres://app@standby/grievance' })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
    expect(() => withEnv({ ...primary, DATABASE_READ_URL: 'standby:5432' })).toThrow(/DATABASE_READ_URL must be a postgres:\/\/ connection string/);
    expect(() => withEnv({ ...primary, READ_REPLICA_MAX_LAG_SECONDS: '0' })).toThrow(/READ_REPLICA_MAX_LAG_SECONDS must be at least 1/);
  });
});
