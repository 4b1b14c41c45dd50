/**
 * Export jobs on the queue (issue 13.3) with limits and retention (issue 12.1): queued by the
 * API, run by any worker process, progress in Postgres, retried by another worker when one is
 * killed mid-export, never failed by another process's start-up; files in the file storage.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { eventually, spawnWorker, type WorkerProcess } from '../support/processes.js';
import { REDIS_URL, uniqueName } from '../support/test-database.js';
import { createFileStorage, type FileStorage, type StorageConfig } from '../../src/storage/file-storage.js';
import { nodeArgsOf } from '../support/npm-scripts.js';

const prefix = uniqueName('bullexp');
let engine: TestEngine;
let d: District;
let sql: postgres.Sql;
let dir: string;
const children: WorkerProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'exports-'));
  // An API-only engine: exports wait for a worker process (which allows one running export per user).
  engine = await startTestEngine({ runWorkers: false, queuePrefix: prefix, storage: { kind: 'local', dir } });
  d = await aDistrict(engine.app);
  sql = postgres(engine.databaseUrl, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  children.forEach((w) => w.child.kill('SIGKILL'));
  await sql?.end();
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

const meeting = async (from: Date, to: Date) => {
  const res = await d.convener.post('/api/v1/meetings', { title: '导出测试', periodFrom: from.toISOString(), periodTo: to.toISOString() });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const exportOf = (id: string) => d.convener.get(`/api/v1/exports/${id}`).then((r) => r.body);
const worker = () => {
  const w = spawnWorker({ DATABASE_URL: engine.databaseUrl, REDIS_URL, QUEUE_PREFIX: prefix, EXPORT_DIR: dir, EXPORT_MAX_RUNNING_PER_USER: '1' });
  children.push(w);
  return w;
};

describe('export jobs across processes', () => {
  it('stay queued through another API process\'s start-up, and the per-user limit runs one at a time', async () => {
    const empty = await meeting(new Date('2020-01-01'), new Date('2020-02-01'));
    const started = await Promise.all([1, 2, 3].map(() => d.convener.post(`/api/v1/meetings/${empty}/exports`, { format: 'csv' })));
    expect(started.map((s) => s.body.status)).toEqual(['queued', 'queued', 'queued']);

    // Another API replica starts (the real `npm start` entry, no workers): nothing is marked failed.
    const api = spawn(process.execPath, nodeArgsOf('start'), {
      env: { ...process.env, DATABASE_URL: engine.databaseUrl, REDIS_URL, QUEUE_PREFIX: prefix, ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, RUN_WORKERS: 'false', PORT: '0', LOG_LEVEL: 'warn', METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        api.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('URL')) resolve(); });
        api.on('exit', () => reject(new Error('the API process exited')));
      });
    } finally {
      api.kill('SIGTERM');
    }
    for (const s of started) expect((await exportOf(s.body.id)).status).toBe('queued');

    // A worker runs them; this user never has two running at once.
    const w = worker();
    await w.started;
    let most = 0;
    await eventually(async () => {
      const [{ running, done }] = await sql<{ running: number; done: number }[]>`
        select count(*) filter (where status = 'running')::int as running, count(*) filter (where status = 'done')::int as done
        from export_jobs where id = any(${started.map((s) => s.body.id)}::uuid[])`;
      most = Math.max(most, running);
      return done === 3;
    }, 30_000, 'the three exports');
    expect(most).toBeLessThanOrEqual(1);
    const file = await engine.app.inject({ method: 'GET', url: `/api/v1/exports/${started[0].body.id}/file`, headers: { authorization: `Bearer ${d.convener.token}` } });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('\ufeff');
    w.child.kill('SIGTERM');
    await w.exited;
  });

  it('a worker killed mid-export leaves the job to another worker, which finishes it', async () => {
    const from = new Date(Date.now() - 60_000);
    await aCase(d, [['liaison', { action: 'forward' }]]);
    // 60,000 cases in the period (copies of one), so the export takes several seconds.
    await sql`insert into cases select (jsonb_populate_record(c, jsonb_build_object('id', gen_random_uuid(), 'reference', c.reference || '-' || g))).*
      from cases c cross join generate_series(1, 60000) g where c.created_at >= ${from}`;
    const big = await meeting(from, new Date(Date.now() + 60_000));
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from cases where created_at >= ${from}`;

    const first = worker();
    await first.started;
    const started = await d.convener.post(`/api/v1/meetings/${big}/exports`, { format: 'xlsx' });
    expect(started.status).toBe(202);
    await eventually(async () => { const j = await exportOf(started.body.id); return j.status === 'running' && j.progress > 0; }, 30_000, 'the export to be under way');
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await exportOf(started.body.id)).status).toBe('running'); // killed mid-export, not after it
    const second = worker();
    await second.started;
    const done = await eventually(async () => { const j = await exportOf(started.body.id); return j.status === 'done' || j.status === 'failed' ? j : null; },
      90_000, 'another worker to finish the export', () => exportOf(started.body.id));
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    const [{ attempts }] = await sql<{ attempts: number }[]>`select attempts from export_jobs where id = ${started.body.id}`;
    expect(attempts).toBe(2);
    const file = await engine.app.inject({ method: 'GET', url: done.downloadUrl, headers: { authorization: `Bearer ${d.convener.token}` } });
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('案件 Cases')!.rowCount).toBe(n + 1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 150_000);

  it('deletes files after the retention period; the download then says so', async () => {
    const [job] = await sql<{ id: string; path: string }[]>`select id, path from export_jobs where status = 'done' order by created_at limit 1`;
    await sql`update export_jobs set finished_at = now() - interval '25 hours' where id = ${job.id}`;
    const result = await engine.runtime.exports.maintain();
    expect(result.expired).toBe(1);
    expect(await createFileStorage({ kind: 'local', dir }).read(job.path)).toBeNull();
    expect(await exportOf(job.id)).toMatchObject({ status: 'expired', downloadUrl: null });
    const file = await d.convener.get(`/api/v1/exports/${job.id}/file`);
    expect(file.status).toBe(409);
    expect(file.body.message).toContain('24 h');
  });
});

describe('file storage: one interface, a local folder or S3', () => {
  let s3: S3rver;
  let s3Config: StorageConfig;
  let s3Dir: string;

  beforeAll(async () => {
    s3Dir = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'exports', configs: [] }] });
    const { port } = await s3.run() as unknown as { port: number };
    s3Config = {
      kind: 's3', bucket: 'exports', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1',
      accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
    };
  });
  afterAll(async () => {
    await s3?.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  const text = async (r: Readable) => { const parts: Buffer[] = []; for await (const c of r) parts.push(c as Buffer); return Buffer.concat(parts).toString(); };

  it.each(['local', 's3'] as const)('%s: write, read, remove; a missing key reads as null', async (kind) => {
    const storage: FileStorage = createFileStorage(kind === 'local' ? { kind, dir } : s3Config);
    const { Readable: R } = await import('node:stream');
    const body = '导出,export\n'.repeat(200_000); // ~3 MB, streamed
    await storage.write('exports/t1.csv', R.from([body]), 'text/csv');
    expect(await text((await storage.read('exports/t1.csv'))!)).toBe(body);
    await storage.remove('exports/t1.csv');
    expect(await storage.read('exports/t1.csv')).toBeNull();
    await storage.remove('exports/t1.csv');
    await expect(storage.write('../escape.csv', R.from(['x']), 'text/csv')).rejects.toThrow('invalid storage key');
  });

  it('an export job stores its file in S3 and any replica serves it', async () => {
    const other = await startTestEngine({ runWorkers: true, storage: s3Config });
    try {
      const od = await aDistrict(other.app);
      const m = await od.convener.post('/api/v1/meetings', { title: 'S3', periodFrom: '2020-01-01T00:00:00Z', periodTo: '2020-02-01T00:00:00Z' });
      const started = await od.convener.post(`/api/v1/meetings/${m.body.id}/exports`, { format: 'md' });
      const done = await eventually(async () => { const j = (await od.convener.get(`/api/v1/exports/${started.body.id}`)).body; return j.status === 'done' ? j : null; }, 20_000, 'the export');
      const file = await other.app.inject({ method: 'GET', url: done.downloadUrl, headers: { authorization: `Bearer ${od.convener.token}` } });
      expect(file.statusCode).toBe(200);
      expect(file.body).toContain('S3');
    } finally {
      await other.close();
    }
  });
});
