/**
 * A real read replica: a private primary and a streaming standby made from it with
 * `pg_basebackup -R`, both from the embedded Postgres binaries, and an engine with DATABASE_URL on
 * the primary and DATABASE_READ_URL on the standby. With the standby's replay paused, a queue list
 * and the measures do not see a case just registered while its case page (the primary) does and
 * the liaison who registered it sees it in their own list, a convener the meeting they just
 * opened, its export and an export job (read-your-writes); once the standby is
 * further behind than READ_REPLICA_MAX_LAG_SECONDS every read goes to the primary and `/readyz`
 * says `replica: lagging` (still ready); resumed, reads come from the standby again; stopped, they
 * go to the primary without a single failed request, `replica: unavailable`. Each change of state
 * is one log line.
 */
import { execFile } from 'node:child_process';
import { appendFile, chown, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import postgres from 'postgres';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.js';
import { createRecordKey } from '../../src/cases/case-record.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/embedded/embedded-postgres.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import type { App } from '../../src/http/app.js';
import { ADMIN_TOKEN, LINK_KEY, RECORD_PEPPER } from '../support/harness.js';
import { aDistrict, aGrievance, client, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';

const run = promisify(execFile);
const MAX_LAG_SECONDS = 5;
const password = randomBytes(12).toString('hex');

let folder: string;
let primary: EmbeddedDatabase;
let standby: EmbeddedDatabase | null = null;
let standbyAdmin: postgres.Sql;
let runtime: Runtime;
let app: App;
let d: District;
const logLines: { msg: string; replica?: string }[] = [];

beforeAll(async () => {
  // Under /tmp, whose parent the postgres OS user may enter (the servers run as it when we are root).
  folder = await mkdtemp(path.join(os.tmpdir(), 'read-replica-'));
  const settings = { fsync: 'off' };
  primary = await startEmbeddedPostgres({ databaseDir: path.join(folder, 'primary'), port: await freePort(), password, database: 'grievance', settings });
  await migrateDatabase(primary.url, createRecordKey(RECORD_PEPPER));

  const standbyDir = path.join(folder, 'standby');
  await baseBackup(primary, standbyDir);
  standby = await startEmbeddedPostgres({ databaseDir: standbyDir, port: await freePort(), password, database: 'grievance', settings });
  standbyAdmin = postgres(standby.url, { max: 1, onnotice: () => {} });
  expect((await standbyAdmin`select pg_is_in_recovery() as standby`)[0].standby).toBe(true);

  const logs = new PassThrough();
  logs.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
  });
  const logger = pino({ level: 'info' }, logs);
  runtime = await createRuntime({
    databaseUrl: primary.url, databaseReadUrl: standby.url, readReplicaMaxLagSeconds: MAX_LAG_SECONDS,
    queue: { kind: 'redis', url: REDIS_URL, prefix: uniqueName('replica') },
    adminToken: ADMIN_TOKEN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY, logger, runWorkers: true,
    storage: { kind: 'local', dir: path.join(folder, 'files') },
  });
  app = await serveHttp(runtime, { adminToken: ADMIN_TOKEN, logger });
  d = await aDistrict(app);
}, 90_000);

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await standbyAdmin?.end();
  await standby?.stop();
  await primary?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const monthAgo = encodeURIComponent(new Date(Date.now() - 30 * 86_400_000).toISOString());
const tomorrow = encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString());
const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);
const listed = async (who: { get: (url: string) => Promise<{ status: number; body: any }> }) => {
  const res = await who.get('/api/v1/cases?limit=100');
  expect(res.status).toBe(200);
  return ids(res.body);
};
const received = async () => {
  const res = await d.convener.get(`/api/v1/metrics?from=${monthAgo}&to=${tomorrow}&groupBy=category`);
  expect(res.status).toBe(200);
  return (res.body.rows as { key: string; received: number }[]).reduce((n, r) => n + r.received, 0);
};
const readyz = async () => (await client(app, '').get('/readyz')).body as { status: string; replica?: string };
/**
 * A base backup made into a standby, the way pg_basebackup -R makes one but through SQL (the embedded
 * package ships no pg_basebackup, and the machine's, version 15, refuses a version 18 server): a
 * replication slot keeps the WAL from the backup's start, `pg_backup_start`, a copy of the data
 * folder, `pg_backup_stop` and its backup_label, then standby.signal and primary_conninfo. initdb's
 * pg_hba.conf lets 127.0.0.1 replicate with the password (scram-sha-256).
 */
async function baseBackup(from: EmbeddedDatabase, dir: string) {
  expect(await readFile(path.join(from.databaseDir, 'pg_hba.conf'), 'utf8')).toMatch(/^host\s+replication\s+all\s+127\.0\.0\.1\/32/m);
  const admin = postgres(from.url, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_create_physical_replication_slot('standby', true)`;
    const session = await admin.reserve();
    await session`select pg_backup_start('read-replica test', true)`;
    // cp -a keeps the owner (the postgres OS user when we are root).
    await run('cp', ['-a', from.databaseDir, dir]);
    const [stopped] = await session<{ labelfile: string }[]>`select labelfile from pg_backup_stop(false)`;
    session.release();
    const owner = await stat(from.databaseDir);
    const put = async (name: string, text: string) => {
      await writeFile(path.join(dir, name), text, { mode: 0o600 });
      await chown(path.join(dir, name), owner.uid, owner.gid);
    };
    await put('backup_label', stopped.labelfile);
    await put('standby.signal', '');
    await appendFile(path.join(dir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${from.port} user=postgres password=${password}'\nprimary_slot_name = 'standby'\n`);
    for (const name of ['postmaster.pid', 'postmaster.opts']) await rm(path.join(dir, name), { force: true });
    for (const folderName of ['pg_wal', 'pg_replslot']) {
      for (const entry of await readdir(path.join(dir, folderName), { withFileTypes: true })) {
        if (entry.name !== 'archive_status' && entry.name !== 'summaries') await rm(path.join(dir, folderName, entry.name), { recursive: true, force: true });
      }
    }
  } finally {
    await admin.end();
  }
}

const replicaLines = () => logLines.filter((l) => l.replica).map((l) => l.replica);
const register = async () => {
  const res = await d.liaison.post('/api/v1/cases', aGrievance());
  expect(res.status).toBe(201);
  return res.body.id as string;
};

it('lists, measures and the board come from the standby; the case page and the actor\'s own list from the primary; lag and loss fall back to the primary', async () => {
  expect(await readyz()).toMatchObject({ status: 'ready', replica: 'ok' });
  const first = await register();
  // Caught up: the standby has the case (the convener did not act, so this list is read there).
  await eventually(async () => (await listed(d.convener)).includes(first), 5000, 'the first case on the standby');
  const readers = await standbyAdmin`select count(*)::int as n from pg_stat_activity where application_name = 'grievance-engine read'`;
  expect(readers[0].n).toBeGreaterThan(0);
  const receivedBefore = await received();

  // Replay paused: the standby stays where it is while the primary moves on.
  await standbyAdmin`select pg_wal_replay_pause()`;
  const started = Date.now();
  const second = await register();
  expect(await listed(d.convener)).not.toContain(second);
  expect(await received()).toBe(receivedBefore);
  expect((await d.market.get('/api/v1/oversight')).status).toBe(200);
  // The case page is read on the primary; so is the liaison's own list, right after their registration.
  expect((await d.convener.get(`/api/v1/cases/${second}`)).status).toBe(200);
  expect(await listed(d.liaison)).toContain(second);
  // So are a convener's agenda and export of the meeting they just opened (the standby has no such meeting yet).
  const meeting = await d.convener.post('/api/v1/meetings', { title: '协调会', periodFrom: decodeURIComponent(monthAgo), periodTo: decodeURIComponent(tomorrow) });
  expect(meeting.status).toBe(201);
  expect((await d.convener.get(`/api/v1/meetings/${meeting.body.id}`)).status).toBe(200);
  const csv = await d.convener.get(`/api/v1/meetings/${meeting.body.id}/export?format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.text.split('\r\n').length).toBeGreaterThan(3);
  const job = await d.convener.post(`/api/v1/meetings/${meeting.body.id}/exports`, { format: 'csv' });
  expect(job.status).toBe(202);
  expect(Date.now() - started).toBeLessThan(MAX_LAG_SECONDS * 1000);

  // Further behind than READ_REPLICA_MAX_LAG_SECONDS: every read goes to the primary; still ready.
  await eventually(async () => (await readyz()).replica === 'lagging', 10_000, 'replica: lagging');
  expect((await readyz()).status).toBe('ready');
  expect(await listed(d.convener)).toContain(second);
  expect(await received()).toBe(receivedBefore + 1);
  // The export job waited for its claim's position, then read the primary: done at its first attempt.
  await eventually(async () => (await d.convener.get(`/api/v1/exports/${job.body.id}`)).body.status === 'done', 15_000, 'the export job done');
  expect((await runtime.database.sql`select attempts from export_jobs where id = ${job.body.id}`)[0].attempts).toBe(1);

  // Resumed: caught up, reads from the standby again (paused once more, a new case is not there).
  await standbyAdmin`select pg_wal_replay_resume()`;
  await eventually(async () => (await readyz()).replica === 'ok', 10_000, 'replica: ok again');
  await standbyAdmin`select pg_wal_replay_pause()`;
  const third = await register();
  expect(await listed(d.convener)).not.toContain(third);
  await standbyAdmin`select pg_wal_replay_resume()`;
  await eventually(async () => (await listed(d.convener)).includes(third), 5000, 'the third case on the standby');

  // The standby stopped: no request fails, reads go to the primary, /readyz says so and stays ready.
  await standbyAdmin.end();
  await standby!.stop();
  standby = null;
  const fourth = await register();
  expect(await listed(d.convener)).toContain(fourth);
  await eventually(async () => (await readyz()).replica === 'unavailable', 10_000, 'replica: unavailable');
  expect((await readyz()).status).toBe('ready');
  expect(await listed(d.convener)).toContain(fourth);

  // One line per change of state.
  expect(replicaLines()).toEqual(['ok', 'lagging', 'ok', 'unavailable']);
}, 60_000);
