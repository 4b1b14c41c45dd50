/** Issue 12: limits (429 + Retry-After, shared through Redis), search index and timeout, headers, 405, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, client, type District } from '../support/builders.js';
import { uniqueName } from '../support/test-database.js';
import { DEFAULT_SECURITY } from '../../src/config.js';

const security = { ...DEFAULT_SECURITY, limits: { failedAuthPerMinute: 5, registrationsPerMinute: 4, searchesPerMinute: 3 } };
let engine: TestEngine;
let d: District;
const fromIp = (app: TestEngine['app'], ip: string, token: string) =>
  app.inject({ method: 'GET', url: '/api/v1/orgs', remoteAddress: ip, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  engine = await startTestEngine({ security });
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

describe('limits', () => {
  it('failed sign-ins per IP: 429 with Retry-After for further wrong tokens, a good token still signs in; other IPs are untouched', async () => {
    for (let i = 0; i < 5; i++) expect((await fromIp(engine.app, '10.0.0.1', `ge_wrong_${i}`)).statusCode).toBe(401);
    const blocked = await fromIp(engine.app, '10.0.0.1', 'ge_wrong_again');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(blocked.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await fromIp(engine.app, '10.0.0.1', d.liaison.token)).statusCode).toBe(200);
    expect((await fromIp(engine.app, '10.0.0.1', 'ge_wrong_still')).statusCode).toBe(429);
    expect((await fromIp(engine.app, '10.0.0.2', d.liaison.token)).statusCode).toBe(200);
    // Successful calls never count.
    for (let i = 0; i < 10; i++) expect((await fromIp(engine.app, '10.0.0.3', d.liaison.token)).statusCode).toBe(200);
  });

  it('registrations per user: the limit is per user, with Retry-After', async () => {
    const busy = client(engine.app, (await d.admin.post('/api/v1/users', { name: '忙碌联络员', orgId: d.orgs.branch, role: 'liaison' })).body.token);
    for (let i = 0; i < 4; i++) expect((await busy.post('/api/v1/cases', aGrievance())).status).toBe(201);
    const fifth = await busy.post('/api/v1/cases', aGrievance());
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await d.liaison.post('/api/v1/cases', aGrievance())).status).toBe(201);
  });

  it('searches per user: only q= searches count', async () => {
    for (let i = 0; i < 3; i++) expect((await d.convener.get('/api/v1/cases?q=%E6%9A%B4%E9%9B%A8')).status).toBe(200);
    expect((await d.convener.get('/api/v1/cases?q=%E6%9A%B4%E9%9B%A8')).status).toBe(429);
    expect((await d.convener.get('/api/v1/cases?limit=5')).status).toBe(200);
    expect((await d.meituan.get('/api/v1/cases?q=abc')).status).toBe(200);
  });

  it('replicas share their counts through Redis', async () => {
    const prefix = uniqueName('rlshared');
    const [a, b] = await Promise.all([1, 2].map(() => startTestEngine({ security, rateLimitRedis: true, queuePrefix: prefix })));
    try {
      for (let i = 0; i < 3; i++) expect((await fromIp(a.app, '10.9.9.9', 'ge_wrong')).statusCode).toBe(401);
      for (let i = 0; i < 2; i++) expect((await fromIp(b.app, '10.9.9.9', 'ge_wrong')).statusCode).toBe(401);
      expect((await fromIp(b.app, '10.9.9.9', 'ge_wrong')).statusCode).toBe(429);
      expect((await fromIp(a.app, '10.9.9.9', 'ge_wrong')).statusCode).toBe(429);
      expect((await fromIp(a.app, '10.9.9.9', ADMIN_TOKEN)).statusCode).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the OpenAPI document declares the 429 answers', async () => {
    const doc = JSON.parse((await engine.app.inject({ method: 'GET', url: '/docs/json' })).body);
    expect(doc.paths['/api/v1/cases'].post.responses['429']).toBeDefined();
    expect(doc.paths['/api/v1/cases'].get.responses['429']).toBeDefined();
    expect(doc.paths['/api/v1/orgs'].get.responses['429']).toBeDefined();
  });
});

describe('q= search', () => {
  it('runs on trigram indexes', async () => {
    const sql = engine.runtime.database.sql;
    const indexes = await sql`select indexname from pg_indexes where tablename = 'cases' and indexdef like '%gin_trgm_ops%'`;
    expect(indexes.map((r) => r.indexname).sort()).toEqual(['cases_description_trgm', 'cases_reference_trgm']);
    const plan = await sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx.unsafe(`explain select id from cases where description ilike '%暴雨天配送%'`);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('cases_description_trgm');
  });

  it('a search that outlasts its statement timeout answers 503 and frees the connection', async () => {
    const slow = await startTestEngine({ security: { ...security, searchTimeoutMs: 1, limits: { ...security.limits, searchesPerMinute: 100 } } });
    try {
      const s = await aDistrict(slow.app);
      const c = await aCase(s);
      await slow.runtime.database.sql`
        insert into cases (reference, state, level, holder_org_id, branch_org_id, category, platform, urgency, channel, worker_type,
          worker_platforms, description, machine_version, snapshot, created_by)
        select 'SQ-X-' || g, state, level, holder_org_id, branch_org_id, category, platform, urgency, channel, worker_type,
          worker_platforms, description || g, machine_version, snapshot, created_by
        from cases, generate_series(1, 20000) g where id = ${c.id}`;
      // One character no description holds: no trigram to use, every row read.
      const res = await s.convener.get('/api/v1/cases?q=%C3%98');
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('narrow');
      expect((await s.convener.get('/api/v1/cases?limit=1')).status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});

describe('headers and surface', () => {
  it('the pages have a strict CSP, no inline script, and may not be framed', async () => {
    const page = await engine.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    for (const tag of page.body.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\//);
    expect(page.body).not.toMatch(/ on[a-z]+="/);
    const docs = await engine.app.inject({ method: 'GET', url: '/docs/static/index.html' });
    expect(String(docs.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('API answers holding personal data are never cached', async () => {
    const c = await aCase(d);
    const res = await d.liaison.get(`/api/v1/cases/${c.id}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await d.liaison.get('/api/v1/cases')).headers['cache-control']).toBe('no-store');
  });

  it('405 with Allow for a known path and an unknown method; 404 for an unknown path', async () => {
    const del = await engine.app.inject({ method: 'DELETE', url: '/api/v1/cases', headers: { authorization: `Bearer ${d.liaison.token}` } });
    expect(del.statusCode).toBe(405);
    expect(String(del.headers.allow)).toContain('GET');
    expect(String(del.headers.allow)).toContain('POST');
    const put = await engine.app.inject({ method: 'PUT', url: '/api/v1/cases/00000000-0000-4000-8000-000000000000/events' });
    expect(put.statusCode).toBe(405);
    expect((await engine.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
  });
});

describe('bad input answers 400, never 500', () => {
  it('a NUL character in any string', async () => {
    const nul = 'a\u0000b';
    const register = await d.otherLiaison.post('/api/v1/cases', aGrievance({ description: `暴雨${nul}` }));
    expect(register.status).toBe(400);
    expect(register.body.message).toContain('body.description');
    expect((await d.otherLiaison.post('/api/v1/cases', aGrievance({ area: nul }))).status).toBe(400);
    expect((await d.convener.get('/api/v1/cases?q=a%00b')).status).toBe(400);
    expect((await d.admin.post('/api/v1/orgs', { name: nul, type: 'branch' })).status).toBe(400);
    const meeting = await d.convener.post('/api/v1/meetings', { title: nul, periodFrom: '2026-01-01T00:00:00Z', periodTo: '2026-02-01T00:00:00Z' });
    expect(meeting.status).toBe(400);
  });

  it('periods before year 1 or after 9999, checked before anything is written', async () => {
    const [{ n: before }] = await engine.runtime.database.sql`select count(*)::int as n from meetings`;
    for (const [periodFrom, periodTo] of [
      ['0000-06-01T00:00:00Z', '0001-02-01T00:00:00Z'], ['0001-01-10T00:00:00Z', '0001-02-01T00:00:00Z'],
      ['9999-06-01T00:00:00Z', '9999-12-31T23:59:59Z'], ['2026-01-01T00:00:00Z', '+010000-01-01T00:00:00Z'],
    ]) {
      const res = await d.convener.post('/api/v1/meetings', { title: '边界', periodFrom, periodTo });
      expect(res.status, `${periodFrom} — ${periodTo}`).toBe(400);
    }
    const [{ n: after }] = await engine.runtime.database.sql`select count(*)::int as n from meetings`;
    expect(after).toBe(before);
    expect((await d.convener.get('/api/v1/metrics?to=0001-01-05T00:00:00Z')).status).toBe(400);
    expect((await d.convener.get('/api/v1/metrics/hotspots?from=0000-12-01T00:00:00Z&to=0001-01-05T00:00:00Z')).status).toBe(400);
    expect((await d.otherLiaison.post('/api/v1/cases', aGrievance({ occurredAt: '0000-01-01T00:00:00Z' }))).status).toBe(400);
  });

  it('POST /users with role admin and an unknown org', async () => {
    const res = await d.admin.post('/api/v1/users', { name: '新管理员', orgId: '00000000-0000-4000-8000-000000000000', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('orgId');
  });

  it('an unknown action names the field', async () => {
    const c = await aCase(d);
    const res = await client(engine.app, d.liaison.token).act(c.id, { action: 'teleport' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('body.action');
  });
});
