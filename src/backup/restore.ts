/**
 * `npm run restore -- --from DIR`: a backup put back into an empty database and an empty storage.
 * In order: the backup's checksums (a damaged backup touches nothing), the target found empty,
 * `pg_restore` in one transaction, the app role's grants, the files copied back, then the record
 * verified (every case's chain, every published anchor) and the counts and chain heads compared
 * with the manifest. The outcome lists every mismatch; any one makes the command exit non-zero.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { connectDatabase, type Sql } from '../../db/client.js';
import { APP_GROUP_ROLE, appRoleStatements, knownMigrationLevel } from '../../db/migrate.js';
import { GENESIS_HASH, RECORD_SCHEMA_VERSION } from '../cases/case-record.js';
import { anchorHashOf, createRecordAudit, type Anchor } from '../cases/record-audit.js';
import type { ExportFormat } from '../meetings/meeting-export.js';
import {
  DUMP_FILE, FILES_DIR, readDatabaseFacts, readReferencedFiles, type Manifest,
} from './backup-manifest.js';
import { sha256Of } from './backup.js';
import type { BackupTarget } from './backup-target.js';
import { BackupRefused, megabytes, restoreDatabase } from './pg-tools.js';

export interface RestoreOutcome {
  /** The summary, a line per check (bilingual). */
  lines: string[];
  mismatches: string[];
  warnings: string[];
}

/** Before anything else: the backup is what its manifest says, byte for byte, and this code can read its schema. */
export async function checkBackup(dir: string, manifest: Manifest, say: (line: string) => void): Promise<void> {
  const known = await knownMigrationLevel();
  if ((manifest.database.migrations.latestAt ?? 0) > (known.latestAt ?? 0)) {
    throw new BackupRefused(`备份的数据库结构（${manifest.database.migrations.latest}）比本代码（${known.latest}）新 / the backup's schema (${manifest.database.migrations.latest}) is newer than this code's (${known.latest}): restore with the code of that version`);
  }
  const entries = Object.entries(manifest.checksums);
  if (!entries.some(([file]) => file === DUMP_FILE)) throw new BackupRefused(`清单中没有 ${DUMP_FILE} / the manifest lists no ${DUMP_FILE}: the backup is damaged`);
  say(`校验备份 / checking the backup's ${entries.length} checksums …`);
  let lastSaid = Date.now();
  for (const [i, [file, expected]] of entries.entries()) {
    const full = path.join(dir, file);
    if (!existsSync(full)) throw new BackupRefused(`备份缺少文件 / the backup lacks ${file}: nothing was restored`);
    if ((await sha256Of(full)) !== expected) throw new BackupRefused(`校验和不符 / checksum mismatch: ${file} — the backup is damaged or was changed; nothing was restored`);
    if (Date.now() - lastSaid > 2000) {
      lastSaid = Date.now();
      say(`  已校验 / checked ${i + 1} of ${entries.length}`);
    }
  }
  say('  校验和一致 / every checksum matches');
}

const majorOfVersionNum = (num: number) => Math.floor(num / 10000);

export async function restoreInto(target: BackupTarget, dir: string, manifest: Manifest, say: (line: string) => void): Promise<RestoreOutcome> {
  const database = connectDatabase(target.url, { max: 4 });
  try {
    await refuseUnlessEmpty(database.sql, target);
    const backupMajor = majorOfVersionNum(manifest.server.versionNum);
    if (target.tools.major < backupMajor) {
      throw new BackupRefused(`目标服务器是 PostgreSQL ${target.tools.major}，备份来自 ${backupMajor} / the target server is PostgreSQL ${target.tools.major}, older than the backup's ${backupMajor}: restore into ${backupMajor} or newer`);
    }

    const roles = await appRoleStatements();
    const [hasRole] = await database.sql`select 1 from pg_roles where rolname = ${APP_GROUP_ROLE}`;
    if (!hasRole) {
      say(`创建应用角色 / creating the app's group role ${APP_GROUP_ROLE} (roles are not in a dump)`);
      for (const statement of roles.create) await database.sql.unsafe(statement);
    }
    say(`恢复数据库 / restoring the database (pg_restore of PostgreSQL ${target.tools.major}) …`);
    const started = Date.now();
    await restoreDatabase(target.tools, target.url, path.join(dir, DUMP_FILE), say);
    for (const statement of roles.defaults) await database.sql.unsafe(statement);
    say(`  数据库已恢复 / database restored in ${((Date.now() - started) / 1000).toFixed(1)} s; grants to ${APP_GROUP_ROLE} as in the backup, default privileges set for this role`);

    const copied = await copyBack(database.sql, target, dir, manifest, say);
    return await verifyRestore(database.sql, target, manifest, copied, say);
  } finally {
    await database.close();
  }
}

async function refuseUnlessEmpty(sql: Sql, target: BackupTarget): Promise<void> {
  const tables = await sql<{ name: string }[]>`
    select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
    order by 1 limit 3`;
  if (tables.length > 0) {
    throw new BackupRefused(`目标数据库不是空的 / the target database is not empty (${tables.map((t) => t.name).join(', ')}${tables.length === 3 ? ', …' : ''}) in ${target.databaseLabel}: restore into an empty database`);
  }
  for await (const file of target.storage.list()) {
    throw new BackupRefused(`目标存储不是空的 / the target storage is not empty (${file.key}, …) in ${target.storageLabel}: restore into empty storage`);
  }
}

/** Every file of the backup back at its key, with the content type the restored database gives it. */
async function copyBack(sql: Sql, target: BackupTarget, dir: string, manifest: Manifest, say: (line: string) => void) {
  const exports = await sql<{ path: string; format: ExportFormat }[]>`select path, format from export_jobs where path is not null`;
  // The export module brings the spreadsheet writer with it: loaded only when there are export files.
  const exportTypes = exports.length > 0 ? (await import('../meetings/meeting-export.js')).CONTENT_TYPES : null;
  const types = new Map<string, string>([
    ...(await sql<{ storageKey: string; contentType: string }[]>`select storage_key, content_type from attachments`).map((a) => [a.storageKey, a.contentType] as const),
    ...exports.map((e) => [e.path, exportTypes![e.format]] as const),
  ]);
  const files = Object.keys(manifest.checksums).filter((file) => file.startsWith(`${FILES_DIR}/`));
  say(`复制文件 / copying ${files.length} files back (${megabytes(manifest.storage.bytes)}) …`);
  const keys = new Set<string>();
  let lastSaid = Date.now();
  for (const [i, file] of files.entries()) {
    const key = file.slice(FILES_DIR.length + 1);
    const type = types.get(key) ?? (key.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    await target.storage.write(key, createReadStream(path.join(dir, file)), type);
    keys.add(key);
    if (Date.now() - lastSaid > 2000) {
      lastSaid = Date.now();
      say(`  已复制 / copied ${i + 1} of ${files.length} files`);
    }
  }
  say(`  文件已复制 / files copied: ${keys.size}`);
  return keys;
}

async function verifyRestore(sql: Sql, target: BackupTarget, manifest: Manifest, copied: Set<string>, say: (line: string) => void): Promise<RestoreOutcome> {
  const mismatches: string[] = [];
  const warnings: string[] = [];
  const lines: string[] = [];
  const expected = manifest.database;
  const facts = await readDatabaseFacts(sql);

  const names = [...new Set([...Object.keys(expected.tables), ...Object.keys(facts.tables)])].sort();
  const differing = names.filter((name) => expected.tables[name] !== facts.tables[name]);
  for (const name of differing) mismatches.push(`行数不符 / row count of ${name}: backup ${expected.tables[name] ?? 'no table'}, restored ${facts.tables[name] ?? 'no table'}`);
  const rows = Object.values(facts.tables).reduce((sum, n) => sum + n, 0);
  lines.push(`  表 tables:            ${differing.length === 0 ? '✓' : '✗'} ${names.length - differing.length} of ${names.length} row counts match (${rows} rows)`);

  const migrated = facts.migrations.latestAt === expected.migrations.latestAt;
  if (!migrated) mismatches.push(`迁移级别不符 / migration level: backup ${expected.migrations.latest}, restored ${facts.migrations.latest}`);
  lines.push(`  迁移 migrations:      ${migrated ? '✓' : '✗'} ${facts.migrations.latest} (${facts.migrations.applied} applied)`);

  const headsMatch = facts.chainHeads.digest === expected.chainHeads.digest && facts.chainHeads.cases === expected.chainHeads.cases;
  if (!headsMatch) mismatches.push(`记录链头不符 / chain heads: backup ${expected.chainHeads.cases} cases ${expected.chainHeads.digest}, restored ${facts.chainHeads.cases} cases ${facts.chainHeads.digest}`);
  lines.push(`  链头 chain heads:     ${headsMatch ? '✓' : '✗'} ${facts.chainHeads.cases} cases, digest ${facts.chainHeads.digest.slice(0, 16)}…${headsMatch ? ' matches the manifest' : ' differs from the manifest'}`);

  const audit = createRecordAudit({ sql, storage: target.storage, log: pino({ level: 'silent' }), deliver: () => {} });
  const verified = await verifyEveryCase(sql, audit, say);
  for (const failure of verified.failures) mismatches.push(failure);
  lines.push(`  核验 verification:    ${verified.failures.length === 0 ? '✓' : '✗'} ${verified.ok} of ${verified.cases} case records verify (chains recomputed; ${verified.anchorsChecked} checks against published anchors)`);

  const anchors = await verifyAnchors(sql, audit);
  mismatches.push(...anchors.failures);
  const latest = facts.latestAnchor;
  const latestMatches = (latest?.hash ?? null) === (expected.latestAnchor?.hash ?? null);
  if (!latestMatches) mismatches.push(`最新锚点不符 / latest anchor: backup ${expected.latestAnchor?.day ?? 'none'} ${expected.latestAnchor?.hash ?? ''}, restored ${latest?.day ?? 'none'} ${latest?.hash ?? ''}`);
  lines.push(`  锚点 anchors:         ${anchors.failures.length === 0 && latestMatches ? '✓' : '✗'} ${anchors.count} anchors chained and published${latest ? `; latest ${latest.day} v${latest.recordVersion} ${latest.hash.slice(0, 16)}…` : '; none yet'}`);

  const referenced = await readReferencedFiles(sql);
  const wanted = [...referenced.attachments.keys(), ...referenced.anchors, ...referenced.exports];
  const absent = wanted.filter((key) => !copied.has(key));
  for (const key of absent) {
    if (manifest.storage.missing.includes(key)) warnings.push(`备份时已缺失 / missing already when the backup was made: ${key}`);
    else mismatches.push(`数据库引用的文件缺失 / a file the database refers to is missing: ${key}`);
  }
  for (const [key, sha256] of referenced.attachments) {
    const inBackup = manifest.checksums[`${FILES_DIR}/${key}`];
    if (inBackup && inBackup !== sha256) mismatches.push(`附件内容与数据库记录不符 / attachment differs from its recorded SHA-256: ${key}`);
  }
  const filesOk = copied.size === manifest.storage.files && absent.every((key) => manifest.storage.missing.includes(key));
  if (copied.size !== manifest.storage.files) mismatches.push(`文件数不符 / files: backup ${manifest.storage.files}, restored ${copied.size}`);
  lines.push(`  文件 files:           ${filesOk ? '✓' : '✗'} ${copied.size} files (${megabytes(manifest.storage.bytes)}) in ${target.storageLabel}; ${wanted.length} referenced by the database, ${wanted.length - absent.length} present`);

  if (manifest.recordKeyId && manifest.recordKeyId !== target.recordKeyId) {
    warnings.push('RECORD_PEPPER 与备份时不同 / RECORD_PEPPER differs from the backed-up installation\'s: the chain verifies, but new digests of personal fields would be keyed differently — run the restored installation with the original RECORD_PEPPER (embedded mode: recordPepper in .data/secrets.json)');
  }
  if (manifest.linkKeyId && manifest.linkKeyId !== target.linkKeyId) {
    warnings.push('LINK_KEY 与备份时不同 / LINK_KEY differs from the backed-up installation\'s: a consenting worker\'s restored cases are no longer recognised as theirs when they come back (their linking digests were keyed with the old key) — run the restored installation with the original LINK_KEY (embedded mode: linkKey in .data/secrets.json)');
  }
  return { lines, mismatches, warnings };
}

/** Every case's chain recomputed and held against the published anchors (src/cases/record-audit.ts), a few at a time. */
async function verifyEveryCase(sql: Sql, audit: ReturnType<typeof createRecordAudit>, say: (line: string) => void) {
  const ids = (await sql<{ id: string }[]>`select id from cases order by id`).map((c) => c.id);
  say(`核验记录 / verifying ${ids.length} case records …`);
  const failures: string[] = [];
  let ok = 0;
  let anchorsChecked = 0;
  let next = 0;
  let lastSaid = Date.now();
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const result = await audit.verifyCase(id);
      anchorsChecked += result.anchorsChecked;
      if (result.ok) ok += 1;
      else failures.push(`记录核验失败 / case ${id}: the record breaks at seq ${result.firstBrokenSeq}${result.anchorDay ? ` (differs from the anchor of ${result.anchorDay})` : ''}`);
      if (Date.now() - lastSaid > 2000) {
        lastSaid = Date.now();
        say(`  已核验 / verified ${ok + failures.length} of ${ids.length}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { cases: ids.length, ok, anchorsChecked, failures };
}

/** The anchors of the current record: each hash recomputed, chained day to day, its published file there and the same. */
async function verifyAnchors(sql: Sql, audit: ReturnType<typeof createRecordAudit>) {
  const rows = await sql<Anchor[]>`select record_version, day::text, cases, heads_hash, prev_hash, hash from audit_anchors
    where record_version = ${RECORD_SCHEMA_VERSION} order by day`;
  const failures: string[] = [];
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (row.hash !== anchorHashOf(row) || row.prevHash !== prev) failures.push(`锚点链断裂 / the anchor of ${row.day} does not hash or chain`);
    const published = await audit.readPublished(row.recordVersion, row.day);
    if (published?.hash !== row.hash) failures.push(`已发布的锚点${published ? '与数据库不符' : '缺失'} / the published anchor of ${row.day} is ${published ? 'not the database\'s' : 'missing or unsound'}`);
    prev = row.hash;
  }
  return { count: rows.length, failures };
}
