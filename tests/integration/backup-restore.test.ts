/**
 * `npm run backup` and `npm run restore` as an operator runs them (the CLI in its own process):
 * a seeded district with an attachment and published anchors is backed up from the machine's
 * Postgres (so pg_dump and pg_restore are found by the server's major version), restored into a
 * fresh database and fresh storage — a local folder, then an S3 bucket — and checked: counts,
 * chain heads, the record's verification, the app role's grants. A changed byte is refused before
 * anything is touched, a non-empty target is refused, and a file the database refers to that the
 * storage lacks makes the backup fail.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client.js';
import { demoTokens, seedDemoDistrict } from '../../src/demo/demo-district.js';
import { createRecordAudit } from '../../src/cases/record-audit.js';
import { shanghaiDay } from '../../src/calendar/working-calendar.js';
import { createFileStorage } from '../../src/storage/file-storage.js';
import { findPgTools } from '../../src/backup/pg-tools.js';
import type { Manifest } from '../../src/backup/backup-manifest.js';
import { ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, startTestEngine, type TestEngine } from '../support/harness.js';
import { ADMIN_URL, databaseUrl, uniqueName } from '../support/test-database.js';
import { PDF, upload } from '../support/uploads.js';

interface Run { code: number | null; stdout: string; stderr: string }

/** The CLI exactly as `npm run backup|restore` starts it, with the settings an operator gives it. */
function cli(command: 'backup' | 'restore', dir: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/backup/cli.ts', command, command === 'backup' ? '--to' : '--from', dir], {
    env: { ...process.env, ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, STORAGE_BACKEND: 'local', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const made: string[] = [];
async function freshDatabase(): Promise<string> {
  const name = uniqueName('grievance_restore');
  await admin.unsafe(`create database ${name}`);
  made.push(name);
  return databaseUrl(name);
}

let engine: TestEngine;
let source: postgres.Sql;
let work: string;
let sourceFiles: string;
let backupDir: string;
let attachment: { caseId: string; key: string };
let anchoredDays: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'backup-restore-'));
  sourceFiles = path.join(work, 'source-files');
  backupDir = path.join(work, 'backup');
  engine = await startTestEngine({ storage: { kind: 'local', dir: sourceFiles } });
  source = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
  await seedDemoDistrict(engine.runtime);

  const liaison = (await demoTokens(engine.runtime.database.sql, ADMIN_TOKEN, {})).find((t) => t.role === 'liaison')!;
  const cases = await engine.app.inject({ method: 'GET', url: '/api/v1/cases?limit=5', headers: { authorization: `Bearer ${liaison.token}` } });
  const caseId = JSON.parse(cases.body).items[0].id as string;
  const uploaded = await upload(engine.app, liaison.token, caseId, 'pay-slip.pdf', PDF);
  expect(uploaded.status).toBe(201);
  const [{ storageKey }] = await source<{ storageKey: string }[]>`select storage_key as "storageKey" from attachments where id = ${uploaded.body.id}`;
  attachment = { caseId, key: storageKey };

  // The last three days the record moved before today, anchored and published as the workers do.
  const today = shanghaiDay(new Date());
  const days = (await source<{ at: Date }[]>`select at from case_events order by at`).map((e) => shanghaiDay(e.at));
  anchoredDays = [...new Set(days)].filter((d) => d < today).slice(-3);
  for (const day of anchoredDays) await engine.runtime.recordAudit.anchorDay(day);
}, 300_000);

afterAll(async () => {
  await source?.end();
  await engine?.close();
  for (const name of made) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  await rm(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('backs up the district: a dump, every stored file, a manifest of counts, heads and checksums', async () => {
    const run = await cli('backup', backupDir, { DATABASE_URL: engine.databaseUrl, STORAGE_DIR: sourceFiles });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('转储数据库 / dumping the database (pg_dump (PostgreSQL) 15');
    expect(run.stdout).toContain('备份完成 / backup done');

    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    const [{ cases }] = await source<{ cases: number }[]>`select count(*)::int as cases from cases`;
    expect(manifest.database.tables['public.cases']).toBe(cases);
    expect(manifest.database.chainHeads.cases).toBe(cases);
    expect(manifest.database.latestAnchor?.day).toBe(anchoredDays.at(-1));
    expect(manifest.storage.referenced).toEqual({ attachments: 1, exports: 0, anchors: anchoredDays.length });
    expect(manifest.storage.missing).toEqual([]);
    expect(Object.keys(manifest.checksums).sort()).toEqual(['database.dump', `files/${attachment.key}`, ...anchoredDays.map((d) => `files/anchors/v3/${d}.json`)].sort());
    expect(manifest.database.migrations.latest).toMatch(/^\d{4}_/);
  });

  it('restores into a fresh database and storage folder: counts, chain heads, verification and grants as they were', async () => {
    const target = await freshDatabase();
    const targetFiles = path.join(work, 'restored-files');
    const run = await cli('restore', backupDir, { DATABASE_URL: target, STORAGE_DIR: targetFiles });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('恢复完成，全部一致 / restore done: everything matches the backup');
    expect(run.stdout).toMatch(/核验 verification: +✓ (\d+) of \1 case records verify/);

    const restored = connectDatabase(target, { max: 2 });
    try {
      const heads = 'select id, event_seq as "eventSeq", event_hash as "eventHash" from cases order by id';
      expect(await restored.sql.unsafe(heads)).toEqual(await source.unsafe(heads));
      const [counts] = await restored.sql`select (select count(*)::int from case_events) as events, (select count(*)::int from deadlines) as deadlines`;
      const [was] = await source`select (select count(*)::int from case_events) as events, (select count(*)::int from deadlines) as deadlines`;
      expect(counts).toEqual(was);

      // The record verifies against the restored anchors, read from the restored storage.
      const audit = createRecordAudit({ sql: restored.sql, storage: createFileStorage({ kind: 'local', dir: targetFiles }), log: pino({ level: 'silent' }), deliver: () => {} });
      const verified = await audit.verifyCase(attachment.caseId);
      expect(verified).toMatchObject({ ok: true });
      expect(await readFile(path.join(targetFiles, attachment.key))).toEqual(PDF);

      // The app role may append to the record but not rewrite it, as before; later migrations' tables get its grants.
      const [grants] = await restored.sql`select
        has_table_privilege('grievance_app', 'public.cases', 'INSERT') as cases_insert,
        has_table_privilege('grievance_app', 'public.case_events', 'UPDATE') as events_update,
        has_column_privilege('grievance_app', 'public.case_events', 'texts', 'UPDATE') as texts_update,
        has_table_privilege('grievance_app', 'drizzle.__drizzle_migrations', 'SELECT') as migrations_read,
        (select count(*)::int from pg_class where relowner = (select oid from pg_roles where rolname = 'grievance_app')) as owned`;
      expect(grants).toEqual({ casesInsert: true, eventsUpdate: false, textsUpdate: true, migrationsRead: true, owned: 0 });
      await restored.sql`create table later_migration (id int)`;
      const [later] = await restored.sql`select has_table_privilege('grievance_app', 'public.later_migration', 'INSERT') as insert`;
      expect(later.insert).toBe(true);
    } finally {
      await restored.close();
    }

    // Restoring again over it: refused, the database has tables.
    const again = await cli('restore', backupDir, { DATABASE_URL: target, STORAGE_DIR: path.join(work, 'other-files') });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^目标数据库不是空的 \/ the target database is not empty \(.+\) in DATABASE_URL .+: restore into an empty database\n$/);
  });

});

// Each on targets of its own, all from the backup made above: run side by side.
describe.concurrent('backup and restore, on other targets', () => {
  it('restores into an empty S3 bucket too', async () => {
    const s3Dir = path.join(work, 's3rver');
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'restored', configs: [] }] });
    const { port } = (await s3.run()) as unknown as { port: number };
    try {
      const run = await cli('restore', backupDir, {
        DATABASE_URL: await freshDatabase(), STORAGE_BACKEND: 's3', S3_BUCKET: 'restored', S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true',
      });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      // Only the AWS SDK's notice about Node 20 may reach stderr.
      expect(run.stderr).not.toContain('✗');
      expect(run.stdout).toContain(`文件 files:           ✓ ${1 + anchoredDays.length} files`);
      const keys: string[] = [];
      for await (const f of createFileStorage({ kind: 's3', bucket: 'restored', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }).list()) keys.push(f.key);
      expect(keys.sort()).toEqual([attachment.key, ...anchoredDays.map((d) => `anchors/v3/${d}.json`)].sort());
    } finally {
      await s3.close();
    }
  });

  it('refuses a backup with one changed byte before touching the target', async () => {
    const tampered = path.join(work, 'tampered');
    await cp(backupDir, tampered, { recursive: true });
    const file = path.join(tampered, 'files', attachment.key);
    const bytes = await readFile(file);
    bytes[10] ^= 0x01;
    await writeFile(file, bytes);
    const target = await freshDatabase();
    const targetFiles = path.join(work, 'untouched-files');
    const run = await cli('restore', tampered, { DATABASE_URL: target, STORAGE_DIR: targetFiles });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`校验和不符 / checksum mismatch: files/${attachment.key} — the backup is damaged or was changed; nothing was restored\n`);
    const probe = postgres(target, { max: 1, onnotice: () => {} });
    try {
      const [{ tables }] = await probe`select count(*)::int as tables from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
      expect(tables).toBe(0);
    } finally {
      await probe.end();
    }
    await expect(readdir(targetFiles)).rejects.toThrow(/ENOENT/);
  });

  it('restored with other keys, it says which: RECORD_PEPPER and LINK_KEY each named, the restore done', async () => {
    const run = await cli('restore', backupDir, {
      DATABASE_URL: await freshDatabase(), STORAGE_DIR: path.join(work, 'restored-other-keys'),
      RECORD_PEPPER: `${RECORD_PEPPER}-rotated`, LINK_KEY: `${LINK_KEY}-rotated`,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('⚠ RECORD_PEPPER 与备份时不同 / RECORD_PEPPER differs');
    expect(run.stdout).toContain('⚠ LINK_KEY 与备份时不同 / LINK_KEY differs');
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as { recordKeyId: string; linkKeyId: string };
    expect(manifest.linkKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(manifest.linkKeyId).not.toBe(manifest.recordKeyId);
    // Only the digests of fixed texts: neither key appears in the manifest.
    expect(JSON.stringify(manifest)).not.toContain(LINK_KEY);
  });

  it('refuses storage that already has files', async () => {
    const run = await cli('restore', backupDir, { DATABASE_URL: await freshDatabase(), STORAGE_DIR: sourceFiles });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^目标存储不是空的 \/ the target storage is not empty \(.+\) in local folder .+: restore into empty storage\n$/);
  });

  it('a file the database refers to that the storage lacks makes the backup fail, naming it', async () => {
    const damaged = path.join(work, 'damaged-files');
    await cp(sourceFiles, damaged, { recursive: true });
    await rm(path.join(damaged, attachment.key));
    const run = await cli('backup', path.join(work, 'backup-of-damaged'), { DATABASE_URL: engine.databaseUrl, STORAGE_DIR: damaged });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('备份完成但有问题 / backup written, with problems');
    expect(run.stderr).toContain(`附件缺失 / attachment missing from storage: ${attachment.key}`);
  });

  it('without pg_dump of the server\'s major version it stops with one line naming what to install', () => {
    expect(() => findPgTools(99, { pgBinDir: null, embeddedBinDir: null })).toThrow(
      /^找不到 PostgreSQL 99 的 pg_dump 和 pg_restore \/ no pg_dump and pg_restore of PostgreSQL 99 \(the server's version\): install postgresql-client-99 .+ or set PG_BIN_DIR to their folder$/,
    );
    expect(() => findPgTools(99, { pgBinDir: '/usr/lib/postgresql/15/bin', embeddedBinDir: null })).toThrow(/^PG_BIN_DIR \(\/usr\/lib\/postgresql\/15\/bin\) 中没有 PostgreSQL 99/);
  });
});
