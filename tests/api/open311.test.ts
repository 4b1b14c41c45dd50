/**
 * Open311 GeoReport v2 (issue 21.3): services are the catalogue's categories, a POSTed request
 * (form-encoded, with an admin-issued api_key bound to a branch) enters that branch's 待核实 queue
 * and answers a token, which resolves to the service_request_id (the case reference) once the
 * liaison registers it; GET requests lists only Open311's, masked. JSON answers validate against
 * the open311 project's GeoReport v2 schemas (tests/fixtures/open311-georeport-v2); XML carries the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { aCase, districtPerFile } from '../support/builders.js';

const file = districtPerFile();
const FIXTURES = path.join(import.meta.dirname, '../fixtures/open311-georeport-v2');
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of ['request', 'requests', 'service', 'services', 'service-definition']) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')), `${name}.json`);
}
/** The answer is valid under the published schema `name`. */
const expectValid = (name: string, data: unknown) => {
  const validate = ajv.getSchema(`${name}.json`)!;
  expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
};

const call = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
  const res = await file.engine.app.inject({
    method, url, ...(form ? { payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
  });
  const xml = url.split('?')[0].endsWith('.xml');
  return { status: res.statusCode, body: xml ? res.body : JSON.parse(res.body), type: String(res.headers['content-type']) };
};

let apiKey: string;
beforeAll(async () => {
  const issued = await file.d.admin.post('/api/v1/open311/keys', { name: '12345 热线系统', branchId: file.d.orgs.branch });
  expect(issued.status).toBe(201);
  apiKey = issued.body.apiKey;
});

const post = (fields: Record<string, string> = {}) => call('POST', '/open311/v2/requests.json', {
  api_key: apiKey, service_code: 'DED', description: '配送超时被扣 50 元，联系 13812345678', phone: '13812345678',
  address_string: '朝阳街道', first_name: '三', last_name: '张', email: 'zhang@example.com', lat: '39.9', long: '116.4', ...fields,
});

describe('keys', () => {
  it('an admin issues a key bound to a branch, shown once and stored hashed; others may not; a non-branch is refused', async () => {
    const { d } = file;
    expect(apiKey).toMatch(/^o311_[A-Za-z0-9_-]{32}$/);
    const { sql } = file.engine.runtime.database;
    const rows = await sql`select key_hash from open311_keys`;
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect((await d.liaison.post('/api/v1/open311/keys', { name: 'x', branchId: d.orgs.branch })).status).toBe(403);
    expect((await d.admin.post('/api/v1/open311/keys', { name: 'x', branchId: d.orgs.meituan })).status).toBeGreaterThanOrEqual(400);
    const audit = await d.admin.get('/api/v1/audit/admin?entity=open311_key');
    expect(audit.body.items[0]).toMatchObject({ entity: 'open311_key', action: 'create' });
    expect(JSON.stringify(audit.body)).not.toContain(apiKey);
  });
});

describe('services', () => {
  it('are the catalogue\'s categories, valid GeoReport JSON, and the same in XML', async () => {
    const services = await call('GET', '/open311/v2/services.json');
    expect(services.status).toBe(200);
    expectValid('services', services.body);
    expect(services.body).toContainEqual(expect.objectContaining({ service_code: 'DED', metadata: false, type: 'batch' }));
    const xml = await call('GET', '/open311/v2/services.xml?jurisdiction_id=city');
    expect(xml.type).toContain('text/xml');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<services>\s*<service>/);
    expect(xml.body).toContain('<service_code>DED</service_code>');

    const definition = await call('GET', '/open311/v2/services/DED.json');
    expectValid('service-definition', definition.body);
    expect(definition.body).toEqual({ service_code: 'DED', attributes: [] });
    expect((await call('GET', '/open311/v2/services/DED.xml')).body).toContain('<service_definition>');
    const unknown = await call('GET', '/open311/v2/services/XYZ.json');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: expect.stringContaining('XYZ') }]);
  });
});

describe('a request', () => {
  it('enters the key\'s branch to verify, answers a token that resolves to the case reference once registered', async () => {
    const { d } = file;
    const posted = await post();
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual([{ token: expect.stringMatching(/^[2-9A-HJKMNP-Z]{12}$/), service_notice: expect.any(String) }]);
    const { token } = posted.body[0];
    expect((await call('GET', `/open311/v2/tokens/${token}.json`)).body).toEqual([{ token }]);

    const queue = await d.liaison.get('/api/v1/submissions');
    const submission = queue.body.items.find((s: { source: string }) => s.source === 'open311');
    expect(submission).toMatchObject({ kind: 'grievance', category: 'DED', area: '朝阳街道', phone: '138****5678' });
    const { sql } = file.engine.runtime.database;
    const [kept] = await sql`select * from submissions where id = ${submission.id}`;
    expect(JSON.stringify(kept)).not.toMatch(/zhang@example|张|"三"/);

    const registered = await d.liaison.post(`/api/v1/submissions/${submission.id}/register`, { platform: '美团', worker: { workerType: 'delivery' } });
    expect(registered.status).toBe(201);
    const reference = registered.body.reference as string;
    expect((await call('GET', `/open311/v2/tokens/${token}.json`)).body).toEqual([{ token, service_request_id: reference }]);
    expect((await call('GET', `/open311/v2/tokens/${token}.xml`)).body).toContain(`<service_request_id>${reference}</service_request_id>`);

    const one = await call('GET', `/open311/v2/requests/${reference}.json`);
    expect(one.status).toBe(200);
    expectValid('requests', one.body);
    expect(one.body[0]).toMatchObject({ service_request_id: reference, status: 'open', service_code: 'DED', status_notes: expect.stringContaining('诉求已登记'), address: '朝阳街道' });
    expect(JSON.stringify(one.body)).not.toContain('13812345678');
    expect(one.body[0].description).toContain('138****5678');

    // Closed once the case is: status and the last step follow it.
    await d.liaison.act(registered.body.id, { action: 'withdraw', reason: '已协商解决' });
    const closed = await call('GET', `/open311/v2/requests/${reference}.json`);
    expect(closed.body[0]).toMatchObject({ status: 'closed', status_notes: expect.stringContaining('已撤回'), expected_datetime: null });
    expectValid('request', closed.body[0]);
    const xml = await call('GET', `/open311/v2/requests/${reference}.xml`);
    expect(xml.body).toMatch(/<service_requests>\s*<request>/);
    expect(xml.body).toContain('<status>closed</status>');
  });

  it('GET requests lists only Open311\'s requests, filtered by id, service, status and dates', async () => {
    const { d } = file;
    const ownCase = await aCase(d);
    const posted = await post({ description: '骑手站点拖欠工资' });
    const { sql } = file.engine.runtime.database;
    const [submission] = await sql<{ id: string }[]>`select id from submissions order by created_at desc limit 1`;
    const registered = await d.liaison.post(`/api/v1/submissions/${submission.id}/register`, { platform: '美团', worker: { workerType: 'delivery' } });
    expect(registered.status).toBe(201);
    expect(posted.status).toBe(201);

    const all = await call('GET', '/open311/v2/requests.json');
    expect(all.status).toBe(200);
    expectValid('requests', all.body);
    const ids = all.body.map((r: { service_request_id: string }) => r.service_request_id);
    expect(ids).toContain(registered.body.reference);
    expect(ids).not.toContain(ownCase.reference);
    expect((await call('GET', `/open311/v2/requests.json?service_request_id=${ownCase.reference},${registered.body.reference}`)).body
      .map((r: { service_request_id: string }) => r.service_request_id)).toEqual([registered.body.reference]);
    expect((await call('GET', '/open311/v2/requests.json?status=open')).body.map((r: { status: string }) => r.status)).not.toContain('closed');
    expect((await call('GET', '/open311/v2/requests.json?status=closed')).body.map((r: { status: string }) => r.status)).not.toContain('open');
    expect((await call('GET', '/open311/v2/requests.json?service_code=PAY')).body).toEqual([]);
    expect((await call('GET', '/open311/v2/requests.json?start_date=2099-01-01T00:00:00Z')).body).toEqual([]);
    expect((await call('GET', `/open311/v2/requests/${ownCase.reference}.json`)).status).toBe(404);
    const xml = await call('GET', '/open311/v2/requests.xml');
    expect(xml.body).toContain(`<service_request_id>${registered.body.reference}</service_request_id>`);
  });

  it('refuses in GeoReport\'s shape: a bad or missing api_key 403, an unknown service_code 400, no description 400, an unknown token 404', async () => {
    const bad = await post({ api_key: 'o311_not-a-key' });
    expect(bad).toMatchObject({ status: 403, body: [{ code: 403, description: expect.stringContaining('api_key') }] });
    const { api_key: _key, ...withoutKey } = { api_key: '', service_code: 'DED', description: 'x' };
    expect((await call('POST', '/open311/v2/requests.json', withoutKey)).status).toBe(403);
    const unknown = await post({ service_code: 'XYZ' });
    expect(unknown).toMatchObject({ status: 400, body: [{ code: 400, description: expect.stringContaining('service_code') }] });
    expect((await post({ description: '' })).status).toBe(400);
    const xml = await call('POST', '/open311/v2/requests.xml', { api_key: 'o311_wrong', service_code: 'DED', description: 'x' });
    expect(xml.status).toBe(403);
    expect(xml.body).toMatch(/<errors>\s*<error>\s*<code>403<\/code>/);
    expect((await call('GET', '/open311/v2/tokens/ABCDEFGHJKMN.json')).body).toEqual([{ code: 404, description: expect.any(String) }]);
    expect((await call('GET', '/open311/v2/requests.json?status=pending')).body).toEqual([{ code: 400, description: expect.any(String) }]);
    const json = await file.engine.app.inject({
      method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: apiKey, service_code: 'DED', description: 'JSON 提交' },
    });
    expect(json.statusCode).toBe(201);
  });
});

it('a path that matches no route is refused in GeoReport\'s shape and the path\'s format, never by the file server (found by the fuzzer)', async () => {
  // Far over the router's parameter length, or with a character it does not take (U+2028).
  for (const id of ['x'.repeat(5000), encodeURIComponent('\u2028ሀ')]) {
    expect(await call('GET', `/open311/v2/requests/${id}.json`)).toMatchObject({ status: 404, body: [{ code: 404, description: expect.stringContaining('no route') }] });
    const xml = await call('GET', `/open311/v2/requests/${id}.xml`);
    expect(xml).toMatchObject({ status: 404, type: expect.stringContaining('text/xml') });
    expect(xml.body).toMatch(/<errors>\s*<error>\s*<code>404<\/code>/);
  }
  // A known path with another method: 405 with Allow, in GeoReport's shape too.
  const wrong = await file.engine.app.inject({ method: 'DELETE', url: '/open311/v2/services.json' });
  expect(wrong.statusCode).toBe(405);
  expect(wrong.headers.allow).toContain('GET');
  expect(JSON.parse(wrong.body)).toEqual([{ code: 405, description: expect.stringContaining('GET') }]);
  // Outside /open311/v2 a path without a route is still the API's own 404.
  const api = await file.engine.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
  expect(JSON.parse(api.body)).toMatchObject({ statusCode: 404, code: 'not_found' });
});
