/**
 * `npm run backup -- --to DIR` and `npm run restore -- --from DIR` (README "Backup and restore").
 * Both read the same settings as `npm start` (DATABASE_URL, STORAGE_*, S3_*; without DATABASE_URL
 * the embedded database in `.data`). Progress and the summary go to stdout; a refusal is one line
 * on stderr. Exit code 0 only when everything matched.
 */
import path from 'node:path';
import { readConfig } from '../config.js';
import { describeError } from '../shutdown.js';
import { backUp } from './backup.js';
import { readManifest } from './backup-manifest.js';
import { openTarget } from './backup-target.js';
import { BackupRefused, megabytes } from './pg-tools.js';
import { checkBackup, restoreInto } from './restore.js';

const DATA_DIR = '.data';
const say = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = '用法 / usage: npm run backup -- --to DIR | npm run restore -- --from DIR';

function folderArgument(args: string[], flag: '--to' | '--from'): string {
  const at = args.indexOf(flag);
  const value = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  if (!value || value.startsWith('--')) throw new BackupRefused(`缺少 ${flag} DIR / ${flag} DIR is required — ${USAGE}`);
  return path.resolve(value);
}

async function backupCommand(args: string[]): Promise<number> {
  const dir = folderArgument(args, '--to');
  const target = await openTarget(readConfig(), { dataDir: DATA_DIR, mayCreate: false, say });
  try {
    say(`备份 / backing up ${target.databaseLabel} and the ${target.storageLabel} to ${dir}`);
    const { manifest, problems, warnings } = await backUp(target, dir, say);
    const rows = Object.values(manifest.database.tables).reduce((sum, n) => sum + n, 0);
    const ref = manifest.storage.referenced;
    say('');
    say(`${problems.length === 0 ? '备份完成 / backup done' : '备份完成但有问题 / backup written, with problems'}: ${dir}`);
    say(`  数据库 database:     ${Object.keys(manifest.database.tables).length} tables, ${rows} rows; schema ${manifest.database.migrations.latest}; PostgreSQL ${manifest.server.version}`);
    say(`  链头 chain heads:     ${manifest.database.chainHeads.cases} cases, digest ${manifest.database.chainHeads.digest.slice(0, 16)}…`);
    say(`  锚点 latest anchor:   ${manifest.database.latestAnchor ? `${manifest.database.latestAnchor.day} v${manifest.database.latestAnchor.recordVersion} ${manifest.database.latestAnchor.hash.slice(0, 16)}…` : '尚无 / none yet'}`);
    say(`  文件 files:           ${manifest.storage.files} (${megabytes(manifest.storage.bytes)}); referenced by the database: ${ref.attachments} attachments, ${ref.anchors} anchors, ${ref.exports} exports`);
    say(`  清单 manifest:        ${path.join(dir, 'manifest.json')} (${Object.keys(manifest.checksums).length} checksums)`);
    for (const warning of warnings) say(`  ⚠ ${warning}`);
    for (const problem of problems) process.stderr.write(`  ✗ ${problem}\n`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await target.close();
  }
}

async function restoreCommand(args: string[]): Promise<number> {
  const dir = folderArgument(args, '--from');
  const manifest = await readManifest(dir);
  say(`恢复 / restoring the backup of ${manifest.createdAt} (PostgreSQL ${manifest.server.version}, schema ${manifest.database.migrations.latest}) from ${dir}`);
  await checkBackup(dir, manifest, say);
  const target = await openTarget(readConfig(), { dataDir: DATA_DIR, mayCreate: true, say });
  try {
    say(`目标 / into ${target.databaseLabel} and the ${target.storageLabel}`);
    const { lines, mismatches, warnings } = await restoreInto(target, dir, manifest, say);
    say('');
    say(mismatches.length === 0 ? '恢复完成，全部一致 / restore done: everything matches the backup' : `恢复完成，但有 ${mismatches.length} 处不一致 / restore done with ${mismatches.length} mismatches`);
    for (const line of lines) say(line);
    for (const warning of warnings) say(`  ⚠ ${warning}`);
    for (const mismatch of mismatches.slice(0, 50)) process.stderr.write(`  ✗ ${mismatch}\n`);
    if (mismatches.length > 50) process.stderr.write(`  … ${mismatches.length - 50} more\n`);
    if (mismatches.length === 0) say('下一步 / next: start the engine (npm start, or docker compose up -d): its migrations bring the schema up to this code\'s');
    return mismatches.length === 0 ? 0 : 1;
  } finally {
    await target.close();
  }
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'backup') return backupCommand(args);
  if (command === 'restore') return restoreCommand(args);
  throw new BackupRefused(USAGE);
}

main().then((code) => process.exit(code), (err) => {
  const what = process.argv[2] === 'restore' ? '恢复失败 / restore failed' : '备份失败 / backup failed';
  process.stderr.write(err instanceof BackupRefused ? `${err.message}\n` : `${what}: ${describeError(err)}\n`);
  process.exit(1);
});
