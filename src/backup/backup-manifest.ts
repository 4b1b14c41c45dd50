/**
 * What a backup says about itself (`manifest.json`), and the facts of a database it is made of:
 * read at backup in the dump's own snapshot, read again after a restore, and compared.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tx } from '../../db/client.js';
import { migrationLevel, type MigrationLevel } from '../../db/migrate.js';
import { RECORD_SCHEMA_VERSION } from '../cases/case-record.js';
import { anchorKey, latestAnchor } from '../cases/record-audit.js';
import { BackupRefused } from './pg-tools.js';

export const MANIFEST_FORMAT = 'grievance-engine-backup/1';
export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'database.dump';
/** Storage files are kept under this folder of the backup, at their storage keys. */
export const FILES_DIR = 'files';

export interface DatabaseFacts {
  /** Rows per table (`schema.table`), every schema but Postgres's own. */
  tables: Record<string, number>;
  migrations: MigrationLevel;
  /**
   * Each case record's head: `digest` is SHA-256 over the lines `caseId:seq:hash` joined by a
   * newline, in order of case id (the form of the daily anchors' heads hash).
   */
  chainHeads: { cases: number; digest: string };
  latestAnchor: { recordVersion: number; day: string; cases: number; hash: string; key: string } | null;
}

/** The storage files the database refers to: attachments (with their SHA-256), finished exports, published anchors. */
export interface ReferencedFiles {
  attachments: Map<string, string>;
  exports: string[];
  anchors: string[];
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  server: { version: string; versionNum: number; pgDump: string };
  recordVersion: number;
  /** Tells whether a restore runs with the same RECORD_PEPPER (an HMAC of a fixed text: says nothing of the key). */
  recordKeyId: string | null;
  /** The same for LINK_KEY (absent in backups made before it was recorded). */
  linkKeyId?: string | null;
  database: DatabaseFacts;
  storage: {
    kind: 'local' | 's3';
    files: number; bytes: number;
    referenced: { attachments: number; exports: number; anchors: number };
    /** Files the dump refers to that the storage did not have at backup. */
    missing: string[];
  };
  /** SHA-256 of every file in the backup but this one, by path in the backup (`database.dump`, `files/<key>`). */
  checksums: Record<string, string>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function readDatabaseFacts(tx: Tx): Promise<DatabaseFacts> {
  const tableNames = await tx<{ schema: string; name: string }[]>`
    select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
    order by 1, 2`;
  const tables: Record<string, number> = {};
  for (const t of tableNames) {
    const [{ rows }] = await tx.unsafe<{ rows: string }[]>(`select count(*)::text as rows from ${quote(t.schema)}.${quote(t.name)}`);
    tables[`${t.schema}.${t.name}`] = Number(rows);
  }
  const digest = createHash('sha256');
  let cases = 0;
  const heads = tx<{ id: string; eventSeq: number; eventHash: string | null }[]>`select id, event_seq, event_hash from cases order by id`;
  for await (const rows of heads.cursor(1000)) {
    for (const c of rows) digest.update(`${cases++ === 0 ? '' : '\n'}${c.id}:${c.eventSeq}:${c.eventHash ?? ''}`);
  }
  const anchor = await latestAnchor(tx);
  return {
    tables,
    migrations: await migrationLevel(tx),
    chainHeads: { cases, digest: digest.digest('hex') },
    latestAnchor: anchor && { recordVersion: anchor.recordVersion, day: anchor.day, cases: anchor.cases, hash: anchor.hash, key: anchorKey(anchor.recordVersion, anchor.day) },
  };
}

export async function readReferencedFiles(tx: Tx): Promise<ReferencedFiles> {
  const attachments = await tx<{ storageKey: string; sha256: string }[]>`select storage_key, sha256 from attachments`;
  const exports = await tx<{ path: string }[]>`select path from export_jobs where status = 'done' and path is not null`;
  const anchors = await tx<{ recordVersion: number; day: string }[]>`
    select record_version, day::text from audit_anchors where record_version = ${RECORD_SCHEMA_VERSION} order by day`;
  return {
    attachments: new Map(attachments.map((a) => [a.storageKey, a.sha256])),
    exports: exports.map((e) => e.path),
    anchors: anchors.map((a) => anchorKey(a.recordVersion, a.day)),
  };
}

/** The backup's manifest, checked to be one: a folder without it is no backup (or an unfinished one). */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new BackupRefused(`${file} 不存在：不是备份或备份未完成 / ${file} is missing: not a backup, or one that did not finish`);
    throw error;
  });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupRefused(`${file} 不是有效的 JSON / ${file} is not valid JSON: the backup is damaged`);
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new BackupRefused(`${file}: 未知的备份格式 / unknown backup format '${String(manifest.format)}' (this code reads ${MANIFEST_FORMAT})`);
  return manifest;
}

/** A storage key as a path inside the backup; null for a key that could leave the folder. */
export function fileInBackup(key: string): string | null {
  if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '')) return null;
  return `${FILES_DIR}/${key}`;
}
