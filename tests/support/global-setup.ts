/**
 * Once per test run: the prerequisites (see prerequisites.ts: Postgres, Redis, and for the browser
 * journey Chromium and fonts, for the metrics test promtool), then a template database with every
 * migration applied. Each test file then gets its own database cloned from it (see test-database.ts),
 * so tests never share data.
 * The URLs found or started here reach the test files through the environment (TEST_DATABASE_URL,
 * TEST_REDIS_URL): vitest starts its workers after this set-up. The pages are built here too (vite, when stale).
 */
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { migrateDatabase } from '../../db/migrate.js';
import { createRecordKey } from '../../src/cases/case-record.js';
// Never harness.js here: it loads test-database.ts, which reads TEST_DATABASE_URL before it is settled.
import { RECORD_PEPPER } from './test-keys.js';
import { Unmet, prepareBrowser, preparePostgres, preparePromtool, prepareRedis } from './prerequisites.js';
import { buildClient } from '../../src/web/build-client.js';

export default async function setup(project: TestProject) {
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    // The files this run will execute (collected before the global set-up runs).
    const paths = project.vitest.state.getPaths();
    if (paths.some((file) => file.includes('/tests/e2e/'))) prepareBrowser();
    if (paths.some((file) => file.endsWith('/tests/integration/metrics.test.ts'))) preparePromtool();
    const postgresStop = await preparePostgres();
    if (postgresStop) stops.push(postgresStop);
    const redisStop = await prepareRedis();
    if (redisStop) stops.push(redisStop);
    // The pages the server serves (src/web/dist), rebuilt when src/web changed.
    await buildClient();
    await createTemplateDatabase();
  } catch (err) {
    // What was started here stops with the run, whatever failed (else vitest waits on it, then hangs).
    await teardown();
    if (!(err instanceof Unmet)) throw err;
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(1);
  }
  return teardown;
}

/** The migrated template every test database is cloned from. */
export async function createTemplateDatabase() {
  // Imported now, after TEST_DATABASE_URL is settled (the module reads it when loaded).
  const { ADMIN_URL, TEMPLATE_DB, databaseUrl } = await import('./test-database.js');
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  // The template holds no events: the record's key is never used here.
  await migrateDatabase(databaseUrl(TEMPLATE_DB), createRecordKey(RECORD_PEPPER));
}
