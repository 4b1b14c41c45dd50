/**
 * `npm run backup -- --to DIR`: one consistent copy of an installation — the database as a
 * `pg_dump` custom-format archive, every file of the storage backend, and `manifest.json`.
 *
 * Consistency: a read-only repeatable-read transaction exports its snapshot, `pg_dump` dumps in
 * that very snapshot (`--snapshot`), and the manifest's facts (row counts, chain heads, the files
 * the database refers to) are read in it too. The files are copied after: a file written since is
 * copied and harmless (nothing in the dump refers to it); a file the dump refers to that the
 * storage lacks is reported, and the backup exits non-zero.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectDatabase } from '../../db/client.js';
import { migrationLevel } from '../../db/migrate.js';
import { RECORD_SCHEMA_VERSION } from '../cases/case-record.js';
import type { FileStorage } from '../storage/file-storage.js';
import {
  DUMP_FILE, MANIFEST_FILE, MANIFEST_FORMAT, fileInBackup, readDatabaseFacts, readReferencedFiles,
  type DatabaseFacts, type Manifest, type ReferencedFiles,
} from './backup-manifest.js';
import type { BackupTarget } from './backup-target.js';
import { BackupRefused, dumpDatabase, megabytes } from './pg-tools.js';

export interface BackupOutcome { manifest: Manifest; problems: string[]; warnings: string[] }

export async function backUp(target: BackupTarget, dir: string, say: (line: string) => void): Promise<BackupOutcome> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new BackupRefused(`${dir} 不是空目录 / ${dir} is not empty: back up into a new folder`);
  const database = connectDatabase(target.url, { max: 1 });
  const dumpFile = path.join(dir, DUMP_FILE);
  let facts: DatabaseFacts;
  let referenced: ReferencedFiles;
  let server: { version: string; versionNum: number };
  try {
    ({ facts, referenced, server } = await database.sql.begin('isolation level repeatable read read only', async (tx) => {
      if ((await migrationLevel(tx)).applied === 0) throw new BackupRefused('这不是本引擎的数据库（没有已应用的迁移）/ not a grievance-engine database: no migrations applied');
      const [{ snapshot }] = await tx<{ snapshot: string }[]>`select pg_export_snapshot() as snapshot`;
      const [{ version, versionNum }] = await tx<{ version: string; versionNum: string }[]>`
        select current_setting('server_version') as version, current_setting('server_version_num') as version_num`;
      say(`转储数据库 / dumping the database (${target.tools.version}) …`);
      const started = Date.now();
      // pg_dump imports the snapshot while this transaction holds it; the facts are read in it meanwhile.
      const dumped = dumpDatabase(target.tools, target.url, dumpFile, snapshot, say);
      const read = (async () => ({ facts: await readDatabaseFacts(tx), referenced: await readReferencedFiles(tx) }))();
      const [, got] = await Promise.all([dumped, read]);
      say(`  数据库已转储 / database dumped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { ...got, server: { version, versionNum: Number(versionNum) } };
    }));
  } finally {
    await database.close();
  }

  const checksums: Record<string, string> = { [DUMP_FILE]: await sha256Of(dumpFile) };
  const copied = await copyStorage(target.storage, dir, checksums, say);
  const problems = [...copied.problems];
  const warnings: string[] = [];
  const missing: string[] = [];
  for (const [key, sha256] of referenced.attachments) {
    const got = copied.hashes.get(key);
    if (!got) missing.push(key), problems.push(`附件缺失 / attachment missing from storage: ${key}`);
    else if (got !== sha256) problems.push(`附件内容与数据库记录不符 / attachment differs from its recorded SHA-256: ${key}`);
  }
  for (const key of referenced.anchors) {
    if (!copied.hashes.has(key)) missing.push(key), problems.push(`已锚定的日子没有发布文件 / anchor not published in storage: ${key}`);
  }
  for (const key of referenced.exports) {
    // An export past its retention may be deleted between the snapshot and the copy: worth a line, not a failure.
    if (!copied.hashes.has(key)) missing.push(key), warnings.push(`导出文件缺失（可能已过期删除）/ export file missing (expired since the snapshot?): ${key}`);
  }

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date().toISOString(),
    server: { ...server, pgDump: target.tools.version },
    recordVersion: RECORD_SCHEMA_VERSION,
    recordKeyId: target.recordKeyId,
    linkKeyId: target.linkKeyId,
    database: facts,
    storage: {
      kind: target.storage.kind, files: copied.files, bytes: copied.bytes,
      referenced: { attachments: referenced.attachments.size, exports: referenced.exports.length, anchors: referenced.anchors.length },
      missing,
    },
    checksums,
  };
  // Written last: a folder without a manifest is an unfinished backup, and a restore refuses it.
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, problems, warnings };
}

/** Copies every stored file to `files/<key>`, hashing it on the way; the hashes by key. */
async function copyStorage(storage: FileStorage, dir: string, checksums: Record<string, string>, say: (line: string) => void) {
  const listed = [];
  for await (const file of storage.list()) listed.push(file);
  const total = listed.reduce((sum, f) => sum + f.size, 0);
  say(`复制文件 / copying ${listed.length} files (${megabytes(total)}) …`);
  const hashes = new Map<string, string>();
  const problems: string[] = [];
  let bytes = 0;
  let lastSaid = Date.now();
  for (const [i, file] of listed.entries()) {
    const inBackup = fileInBackup(file.key);
    if (!inBackup) {
      problems.push(`存储中的键无法作为路径保存 / a storage key that cannot be a path, not copied: ${file.key}`);
      continue;
    }
    const body = await storage.read(file.key);
    if (!body) continue; // removed since it was listed (an expired export): nothing refers to it any more
    const target = path.join(dir, inBackup);
    await mkdir(path.dirname(target), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    await pipeline(body, new Transform({
      transform(chunk: Buffer, _enc, done) { hash.update(chunk); size += chunk.length; done(null, chunk); },
    }), createWriteStream(target));
    const digest = hash.digest('hex');
    checksums[inBackup] = digest;
    hashes.set(file.key, digest);
    bytes += size;
    if (Date.now() - lastSaid > 2000) {
      lastSaid = Date.now();
      say(`  已复制 / copied ${i + 1} of ${listed.length} files (${megabytes(bytes)})`);
    }
  }
  say(`  文件已复制 / files copied: ${hashes.size} (${megabytes(bytes)})`);
  return { files: hashes.size, bytes, hashes, problems };
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
