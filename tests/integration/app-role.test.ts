/**
 * The API and workers run as a role that owns nothing and may only append to case_events
 * (issue 12.9): the whole engine works as that role, and the record cannot be rewritten.
 */
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import { migrateDatabase } from '../../db/migrate.js';
import { createRecordKey } from '../../src/cases/case-record.js';
import type { App } from '../../src/http/app.js';
import { ADMIN_TOKEN, LINK_KEY, RECORD_PEPPER } from '../support/harness.js';
import { aCase, aDistrict } from '../support/builders.js';
import { ADMIN_URL, REDIS_URL, createTestDatabase, uniqueName } from '../support/test-database.js';

const role = uniqueName('app_login');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let appUrl: string;
let runtime: Runtime;
let app: App;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });

beforeAll(async () => {
  database = await createTestDatabase();
  await admin.unsafe(`create role ${role} login password 'test-only' in role grievance_app`);
  const url = new URL(database.url);
  url.username = role;
  url.password = 'test-only';
  appUrl = url.toString();
  await migrateDatabase(appUrl, createRecordKey(RECORD_PEPPER)); // nothing to apply: a no-op, not a permission error
  runtime = await createRuntime({
    databaseUrl: appUrl, queue: { kind: 'redis', url: REDIS_URL, prefix: uniqueName('bullrole') },
    adminToken: ADMIN_TOKEN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY, logger: pino({ level: 'silent' }), runWorkers: true,
  });
  app = await serveHttp(runtime, { adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await database?.drop();
  await admin.unsafe(`drop role if exists ${role}`);
  await admin.end();
});

it('the engine works as the restricted role, which cannot rewrite the record or own anything', async () => {
  const d = await aDistrict(app);
  const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
  expect(c.state).toBe('platform_handling');

  const asApp = postgres(appUrl, { max: 1, onnotice: () => {} });
  try {
    await expect(asApp`update case_events set action = 'forged' where case_id = ${c.id}`).rejects.toThrow(/permission denied/);
    await expect(asApp`delete from case_events where case_id = ${c.id}`).rejects.toThrow(/permission denied/);
    await expect(asApp`truncate case_events`).rejects.toThrow(/permission denied/);
    await expect(asApp`create table intruder (id int)`).rejects.toThrow(/permission denied/);
    await expect(asApp`drop table outbox`).rejects.toThrow(/must be owner/);
    const [{ owned }] = await asApp<{ owned: number }[]>`
      select count(*)::int as owned from pg_class where relowner in (select oid from pg_roles where rolname in (${role}, 'grievance_app'))`;
    expect(owned).toBe(0);
  } finally {
    await asApp.end();
  }
});
