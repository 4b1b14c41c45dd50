/**
 * Schema-based fuzzing (fast-check): for every operation of the served OpenAPI document, requests
 * generated from its declared parameters and body — mostly well-formed, some broken on purpose —
 * sent by every role (and by nobody). Every answer must be below 500 and match the schema declared
 * for its status. Used by `npm run fuzz` (hundreds per route) and by the test suite (about 20).
 */
import { randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { App } from '../../src/http/app.js';
import { ADMIN_TOKEN } from '../support/harness.js';
import { aCase, aDistrict } from '../support/builders.js';

type Schema = Record<string, any>;
interface Operation { method: string; path: string; op: Schema }
interface Sent { method: string; url: string; role: string; status: number; body: string }
export interface FuzzReport { requests: number; routes: number; byStatus: Record<number, number>; failures: string[] }

/** A district with a few cases in different states and a meeting, so generated ids sometimes hit real rows. */
async function fixtures(app: App) {
  const d = await aDistrict(app, { amount: 5, unit: 'working_days' });
  const cases = [
    await aCase(d),
    await aCase(d, [['liaison', { action: 'forward' }]]),
    await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '移交' }]]),
  ];
  const now = Date.now();
  const meeting = await d.convener.post('/api/v1/meetings', {
    title: '模糊测试', periodFrom: new Date(now - 86_400_000).toISOString(), periodTo: new Date(now + 3_600_000).toISOString(),
  });
  // Users the fuzzer may deactivate or rotate; the role users it sends with stay untouched.
  const spare = await d.admin.post('/api/v1/users', { name: '备用', orgId: d.orgs.otherBranch, role: 'liaison' });
  const tokens: Record<string, string | null> = {
    none: null, admin: ADMIN_TOKEN, liaison: d.liaison.token, committee: d.meituan.token, officer: d.market.token, convener: d.convener.token,
  };
  const ids = [...cases.map((c) => c.id), meeting.body.id, spare.body.id, ...Object.values(d.orgs)];
  return { tokens, ids, versions: cases.map((c) => String(c.version)) };
}

function resolver(doc: Schema) {
  const resolve = (s: Schema): Schema => {
    if (s?.$ref) return resolve(doc.components.schemas[String(s.$ref).split('/').pop()!.replace(/#$/, '')]);
    return s ?? {};
  };
  return resolve;
}

const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ0189-_ .:/"W'.split('')), maxLength: 30 });
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant('a\u0000b'), fc.constant(''),
  fc.constant('0000-01-01T00:00:00Z'), fc.constant('9999-12-31T23:59:59Z'), fc.constant('+010000-01-01T00:00:00Z'),
  fc.constant("' or 1=1 --"), fc.constant('<script>alert(1)</script>'), fc.constant('x'.repeat(6000)), fc.constant('=HYPERLINK("x")'),
);

/** Values the district knows, so that generated requests also get past the catalogue and routing checks. */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  platform: fc.constantFrom('美团', '饿了么'),
  platforms: fc.constant(['美团']),
  category: fc.constantFrom('DED', 'PAY', 'ACC'),
  area: fc.constantFrom('朝阳街道', '望京街道'),
};

/** An arbitrary for a JSON schema: values it allows, now and then one it does not. */
function arbitrary(schema: Schema, resolve: (s: Schema) => Schema, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const wild = fc.oneof(nasty, fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]));
  const valid = validArbitrary(s, resolve, ids, depth);
  return depth > 3 ? valid : fc.oneof({ arbitrary: valid, weight: 19 }, { arbitrary: wild, weight: 1 });
}

function validArbitrary(s: Schema, resolve: (s: Schema) => Schema, ids: string[], depth: number): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((a: Schema) => arbitrary(a, resolve, ids, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid());
      if (s.format === 'date-time') {
        return fc.oneof(
          fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-30T00:00:00Z', new Date().toISOString()),
        );
      }
      if (s.format === 'uri') return fc.webUrl();
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 200));
      return fc.oneof(
        fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 50, 50) }),
        fc.string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20) }),
      );
    }
    case 'integer': return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 });
    case 'number': return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean': return fc.boolean();
    case 'array': return fc.array(arbitrary(s.items ?? {}, resolve, ids, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object':
    default: {
      const props = Object.entries<Schema>(s.properties ?? {});
      const required = new Set<string>(s.required ?? []);
      const record = Object.fromEntries(props.map(([k, v]) => [k, HINTS[k]
        ? fc.oneof({ arbitrary: HINTS[k], weight: 3 }, { arbitrary: arbitrary(v, resolve, ids, depth + 1), weight: 1 })
        : arbitrary(v, resolve, ids, depth + 1)]));
      return fc.record(record, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
  }
}

/** The generated parts of one request. */
function requestArbitrary(operation: Operation, resolve: (s: Schema) => Schema, fx: Awaited<ReturnType<typeof fixtures>>) {
  const params = (operation.op.parameters ?? []) as { in: string; name: string; required?: boolean; schema: Schema }[];
  const part = (where: string) => fc.record(
    Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, arbitrary(p.schema, resolve, fx.ids)])),
    { requiredKeys: params.filter((p) => p.in === where && (p.required || where === 'path')).map((p) => p.name) },
  );
  const headerValue = fc.oneof(fc.constantFrom(...fx.versions), printable);
  const headers = fc.record(Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, headerValue])), { requiredKeys: [] });
  const bodySchema = operation.op.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    role: fc.constantFrom(...Object.keys(fx.tokens)),
    // A path value of '.' or '..' is a dot-segment: every client removes it before sending (RFC 3986
    // §5.2.4), so `cases/./appeal` is the request `cases/appeal`, another route's path.
    path: part('path').filter((p) => Object.values(p).every((v) => v !== '.' && v !== '..')), query: part('query'), headers,
    body: bodySchema ? arbitrary(bodySchema, resolve, fx.ids) : fc.constant(undefined),
  });
}

export async function fuzzRoutes(app: App, opts: { runsPerRoute: number; seed?: number; log?: (line: string) => void }): Promise<FuzzReport> {
  const doc = JSON.parse((await app.inject({ method: 'GET', url: '/docs/json' })).body);
  const resolve = resolver(doc);
  const fx = await fixtures(app);
  const ajv = new Ajv({ strict: false, allErrors: false, discriminator: true });
  addFormats.default(ajv);
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
  const validators = new Map<Schema, ValidateFunction>();
  const validatorFor = (schema: Schema) => {
    if (!validators.has(schema)) validators.set(schema, ajv.compile(schema));
    return validators.get(schema)!;
  };

  // An event stream never ends, so `inject` would wait for ever: GET /api/v1/stream is tested over a socket (tests/api/notifications-and-stream.test.ts).
  const endless = (op: Schema) => Boolean(op.responses?.['200']?.content?.['text/event-stream']);
  const operations: Operation[] = Object.entries<Schema>(doc.paths).flatMap(([path, verbs]) =>
    Object.entries<Schema>(verbs).filter(([, op]) => !endless(op)).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  const report: FuzzReport = { requests: 0, routes: operations.length, byStatus: {}, failures: [] };

  for (const operation of operations) {
    let ip = 0;
    await fc.assert(fc.asyncProperty(requestArbitrary(operation, resolve, fx), async (req) => {
      const url = operation.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String((req.path as Record<string, unknown>)[name] ?? randomUUID())));
      const query = new URLSearchParams(Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
      const token = fx.tokens[req.role];
      const res = await app.inject({
        method: operation.method as 'GET', url: query ? `${url}?${query}` : url,
        // A new address per request: the failed sign-in limit would otherwise block the whole run.
        remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`,
        headers: { ...(req.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(req.body === undefined ? {} : { payload: JSON.stringify(req.body), headers: {
          ...(req.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json',
        } }),
      });
      report.requests++;
      report.byStatus[res.statusCode] = (report.byStatus[res.statusCode] ?? 0) + 1;
      const problem = checkAnswer(operation, { method: operation.method, url, role: req.role, status: res.statusCode, body: res.body }, String(res.headers['content-type'] ?? ''), resolve, validatorFor);
      if (problem) {
        report.failures.push(`${operation.method} ${operation.path} as ${req.role}: ${problem} (status ${res.statusCode}: ${res.body.slice(0, 200)}) — sent ${JSON.stringify(req).slice(0, 400)}`);
        return false;
      }
      return true;
    }), { numRuns: opts.runsPerRoute, seed: opts.seed, endOnFailure: true }).catch(() => {});
    opts.log?.(`${operation.method.padEnd(6)} ${operation.path}`);
  }
  return report;
}

function checkAnswer(
  operation: Operation, sent: Sent, contentType: string, resolve: (s: Schema) => Schema, validatorFor: (s: Schema) => ValidateFunction,
): string | null {
  if (sent.status >= 500) return `answered ${sent.status}: ${sent.body.slice(0, 200)}`;
  const declared = operation.op.responses?.[String(sent.status)];
  // 401 comes from the auth hook before any route schema; it is the Error shape everywhere.
  if (!declared && sent.status !== 401) return `answered ${sent.status}, which the document does not declare`;
  const content = declared?.content ?? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const mediaType = contentType.split(';')[0].trim();
  if (!content[mediaType]) return `answered ${mediaType}, declared ${Object.keys(content).join(', ')}`;
  if (mediaType !== 'application/json') return null;
  const validate = validatorFor(resolve(content[mediaType].schema));
  if (!validate(JSON.parse(sent.body))) return `body does not match the ${sent.status} schema: ${ajvMessage(validate)}`;
  return null;
}

const ajvMessage = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');

