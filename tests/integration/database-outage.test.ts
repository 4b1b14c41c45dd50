/**
 * A database outage under load: the API process (a child process of its own, `src/main.ts`) runs on
 * a private Postgres that this test stops with `pg_ctl stop -m immediate` while several clients
 * register cases in a loop, then starts again. Every answer is a 201 or a 503 with Retry-After
 * (never a 500, and soon: no request waits out postgres.js's reconnect backoff), the process stays
 * alive, `/readyz` says Postgres is the reason while it is away and is ready again after, every
 * case that got a 201 is in the database, and a live stream opened before the outage hears of a
 * case registered after it (the replica listens again). Redis stays up.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../db/migrate.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/embedded/embedded-postgres.js';
import { ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY } from '../support/harness.js';
import { createRecordKey } from '../../src/cases/case-record.js';
import { aGrievance } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { openEventStream } from '../support/sse-client.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';
import { nodeArgsOf } from '../support/npm-scripts.js';

const run = promisify(execFile);
const CLIENTS = 6;

let folder: string;
let databaseDir: string;
let pgPort: number;
const password = randomBytes(12).toString('hex');
let database: EmbeddedDatabase;
let api: { child: ChildProcess; url: string; exited: Promise<number | null>; output: () => string };

const startDatabase = () => startEmbeddedPostgres({
  databaseDir, port: pgPort, password, database: 'grievance', settings: { fsync: 'off', full_page_writes: 'off' },
});

beforeAll(async () => {
  // Under /tmp, whose parent the postgres OS user may enter (the embedded server runs as it when we are root).
  folder = await mkdtemp(path.join(os.tmpdir(), 'database-outage-'));
  databaseDir = path.join(folder, 'postgres');
  pgPort = await freePort();
  database = await startDatabase();
  await migrateDatabase(database.url, createRecordKey(RECORD_PEPPER));

  const port = await freePort();
  const child = spawn(process.execPath, nodeArgsOf('start'), {
    env: {
      ...process.env, DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: uniqueName('outage'), ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, PORT: String(port),
      LOG_LEVEL: 'info', SWEEP_INTERVAL_SECONDS: '2', DEMO_DATA: 'false', STORAGE_DIR: path.join(folder, 'files'),
      RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '1000000', METRICS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (process.env.WORKER_LOG) child.stdout!.pipe(process.stderr), child.stderr!.pipe(process.stderr);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  api = { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the API exited at start: ${output}`);
    return fetch(`${api.url}/readyz`).then((r) => r.status === 200, () => false);
  }, 60_000, 'the API to be ready');
});

afterAll(async () => {
  if (api?.child.exitCode === null) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  await database?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function call(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(`${api.url}${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json().catch(() => null) };
}

async function aLiaison(): Promise<string> {
  const must = async (url: string, body: unknown) => {
    const res = await call('POST', url, ADMIN_TOKEN, body);
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const branch = await must('/api/v1/orgs', { name: '第一支部', type: 'branch', areas: ['朝阳街道'] });
  await must('/api/v1/orgs', { name: '美团平台党委', type: 'platform', platform: '美团' });
  return (await must('/api/v1/users', { name: '李联络', orgId: branch.id, role: 'liaison' })).token as string;
}

/** `pg_ctl stop -m immediate` (as the postgres OS user when we are root): every backend dies at once, no checkpoint. */
async function stopDatabaseImmediately() {
  const pid = Number((await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const asPostgres = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--']] as const : null;
  const pgCtl = path.join(database.binDir, 'pg_ctl');
  const args = ['stop', '-m', 'immediate', '-D', databaseDir];
  if (asPostgres) await run(asPostgres[0], [...asPostgres[1], pgCtl, ...args]);
  else await run(pgCtl, args);
  expect(() => process.kill(pid, 0)).toThrow();
  await database.stop(); // resolves at once: the server has exited
}

it('Postgres stopped under load: only 201 or 503 with Retry-After, the process lives, /readyz tells, nothing acknowledged is lost', async () => {
  const liaison = await aLiaison();
  const tally = { created: [] as string[], refusals: [] as { status: number; retryAfter: string | null; code?: string; message?: string }[], refused: 0 };
  let createdSinceRestart = 0;
  let restarted = false;
  let loading = true;
  let slowest = 0;

  const loop = async (n: number) => {
    for (let i = 0; loading; i++) {
      const started = Date.now();
      const res = await call('POST', '/api/v1/cases', liaison, aGrievance({ description: `负载 ${n}-${i}` })).catch(() => null);
      slowest = Math.max(slowest, Date.now() - started);
      if (!res) { tally.refused++; await new Promise((r) => setTimeout(r, 100)); continue; }
      if (res.status === 201) {
        tally.created.push(res.body.id);
        if (restarted) createdSinceRestart++;
      } else {
        // Kept for the checks below: an assertion here would end this client's loop early.
        tally.refusals.push({ status: res.status, retryAfter: res.retryAfter, code: res.body?.code, message: res.body?.message });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, n) => loop(n));

  // Opened before the outage: the replica's LISTEN connection is up, and then dies with Postgres.
  const stream = await openEventStream(api.url, liaison);
  expect(stream.status).toBe(200);
  await eventually(async () => tally.created.length >= 30, 20_000, 'cases registered before the outage');
  const createdBefore = tally.created.length;
  await stopDatabaseImmediately();

  // While Postgres is away: /readyz is 503 and names Postgres; the load keeps going for a few seconds.
  const outageEnds = Date.now() + 4000;
  const readyDuring = await eventually(async () => {
    const res = await fetch(`${api.url}/readyz`);
    const body = await res.json() as Record<string, string>;
    return res.status === 503 && body.postgres !== 'ok' ? { status: res.status, body } : null;
  }, 10_000, '/readyz to say Postgres is away');
  expect(readyDuring.body).toMatchObject({ status: 'not ready', queue: 'ok' });
  expect(api.child.exitCode).toBeNull();
  expect(readyDuring.body.reason).toMatch(/postgres/i);
  await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())));
  expect(tally.refusals.length).toBeGreaterThan(0);
  expect(api.child.exitCode).toBeNull();

  database = await startDatabase();
  restarted = true;
  await eventually(async () => createdSinceRestart >= 20, 30_000, 'registrations to succeed again after the restart',
    async () => ({ createdSinceRestart, ...tally, created: tally.created.length }));
  loading = false;
  await Promise.all(clients);

  await eventually(async () => (await fetch(`${api.url}/readyz`)).status === 200, 10_000, '/readyz to be ready again');
  expect(api.child.exitCode, api.output().slice(-3000)).toBeNull();
  const kinds = new Map<string, { count: number; message?: string }>();
  for (const r of tally.refusals) {
    const kind = `${r.status} ${r.code} retry-after=${r.retryAfter}`;
    kinds.set(kind, { count: (kinds.get(kind)?.count ?? 0) + 1, message: r.message });
  }
  const summary = [...kinds].map(([kind, { count, message }]) => `${count} × ${kind}: ${message}`);
  console.info(`${tally.created.length} registered, ${tally.refusals.length} refused, slowest answer ${slowest} ms:\n${summary.join('\n')}`);
  for (const refusal of tally.refusals) {
    expect(refusal).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(Number(refusal.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refusal.message).toMatch(/数据库.*database/);
  }
  expect(tally.refused).toBe(0);
  expect(tally.created.length).toBeGreaterThan(createdBefore);
  // Well under postgres.js's own 20 s reconnect backoff (a loaded machine adds a few seconds).
  expect(slowest).toBeLessThan(10_000);

  // The stream stayed open through the outage and hears again: a case registered now reaches it.
  try {
    const late = await call('POST', '/api/v1/cases', liaison, aGrievance({ description: '恢复之后' }));
    expect(late.status).toBe(201);
    await eventually(async () => stream.events.some((e) => e.event === 'case' && e.data.caseId === late.body.id), 25_000,
      'the live stream to announce a case registered after the outage',
      async () => ({ ended: stream.ended(), events: stream.events.length, log: api.output().split('\n').filter((l) => /live|listen/i.test(l)).slice(-5) }));
  } finally {
    await stream.close();
  }

  // Every acknowledged registration is committed.
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string }[]>`select id from cases where id = any(${tally.created}::uuid[])`;
    expect(rows.length).toBe(tally.created.length);
  } finally {
    await sql.end();
  }
  // No personal data in the process's log, even in the outage's error lines.
  expect(api.output()).not.toContain('13812341234');
  expect(api.output()).not.toContain('张三');
}, 90_000);
