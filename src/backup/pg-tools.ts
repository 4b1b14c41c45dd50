/**
 * `pg_dump` and `pg_restore` of the server's own major version. `pg_dump` refuses a server newer
 * than itself, and an older one might miss what a newer server has, so the binaries are matched to
 * the server: PG_BIN_DIR when set, the embedded package's folder (when it ships them), Debian's and
 * Ubuntu's `/usr/lib/postgresql/<major>/bin`, RHEL's `/usr/pgsql-<major>/bin`, then the PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface PgTools { major: number; version: string; pgDump: string; pgRestore: string }

/** A user's mistake or a missing prerequisite: the CLI prints its message alone, as one line. */
export class BackupRefused extends Error {}

/** `pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)` → 15 (and 9.6 → 9). */
function majorOf(versionLine: string): number | null {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionLine);
  if (!match) return null;
  return Number(match[1]);
}

function versionOf(binary: string): string | null {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

/** The folder of a command on the PATH, or null. */
function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return dir;
  }
  return null;
}

export function findPgTools(major: number, where: { pgBinDir: string | null; embeddedBinDir: string | null }): PgTools {
  const candidates = where.pgBinDir
    ? [where.pgBinDir]
    : [where.embeddedBinDir, `/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`, onPath('pg_dump')];
  for (const dir of candidates) {
    if (!dir) continue;
    const pgDump = path.join(dir, 'pg_dump');
    const pgRestore = path.join(dir, 'pg_restore');
    if (!existsSync(pgDump) || !existsSync(pgRestore)) continue;
    const version = versionOf(pgDump);
    if (version && majorOf(version) === major && majorOf(versionOf(pgRestore) ?? '') === major) return { major, version, pgDump, pgRestore };
  }
  if (where.pgBinDir) {
    throw new BackupRefused(`PG_BIN_DIR (${where.pgBinDir}) 中没有 PostgreSQL ${major} 的 pg_dump 和 pg_restore / PG_BIN_DIR holds no pg_dump and pg_restore of PostgreSQL ${major}, the server's version`);
  }
  throw new BackupRefused(`找不到 PostgreSQL ${major} 的 pg_dump 和 pg_restore / no pg_dump and pg_restore of PostgreSQL ${major} (the server's version): install postgresql-client-${major} (Debian's, or PostgreSQL's own apt repository for a version Debian lacks), or set PG_BIN_DIR to their folder`);
}

/**
 * How the tools reach the database: the URL without its password on the command line (anyone may
 * read a process's arguments), the password in PGPASSWORD.
 */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '10', LC_MESSAGES: 'C' } };
}

/** Runs a tool; resolves when it exits 0, else rejects with its last lines of stderr. */
function run(binary: string, args: string[], env: NodeJS.ProcessEnv, everyFewSeconds?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').map((l) => l.trim()).filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 8));
    });
    const timer = everyFewSeconds ? setInterval(everyFewSeconds, 5000) : null;
    child.on('error', (err) => { if (timer) clearInterval(timer); reject(err); });
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(binary)} ${signal ? `killed by ${signal}` : `exit code ${code}`}: ${lines.join(' | ') || 'no message'}`));
    });
  });
}

/** A custom-format dump (`-Fc`) of the database, in the snapshot another session exported. */
export async function dumpDatabase(tools: PgTools, url: string, file: string, snapshot: string, progress: (line: string) => void): Promise<void> {
  const { dbname, env } = connection(url);
  const started = Date.now();
  await run(tools.pgDump, ['--format=custom', '--no-password', `--snapshot=${snapshot}`, `--file=${file}`, `--dbname=${dbname}`], env, () => {
    void stat(file).then((s) => progress(`  转储中 / dumping: ${megabytes(s.size)} written, ${Math.round((Date.now() - started) / 1000)} s`), () => {});
  });
}

/**
 * Restores a dump into an empty database as the connecting role: `--no-owner` (every object is the
 * restoring role's), in one transaction (a failure leaves the database as empty as it was), the
 * dump's grants to the app's role kept; its default privileges are left out (they name the role
 * that made the backup, which the target may lack) and set again by the caller.
 */
export async function restoreDatabase(tools: PgTools, url: string, file: string, progress: (line: string) => void): Promise<void> {
  const { dbname, env } = connection(url);
  const listing = spawnSync(tools.pgRestore, ['--list', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (listing.status !== 0) throw new Error(`pg_restore --list: ${listing.stderr.trim()}`);
  const entries = listing.stdout.split('\n').filter((line) => !/^\d+;\s+\d+\s+\d+\s+DEFAULT ACL\s/.test(line));
  // Beside us, not beside the dump: a backup may sit on a read-only mount.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'restore-list-'));
  const listFile = path.join(dir, 'entries');
  await writeFile(listFile, entries.join('\n'));
  const started = Date.now();
  try {
    await run(tools.pgRestore, ['--no-owner', '--single-transaction', '--exit-on-error', '--no-password', `--use-list=${listFile}`, `--dbname=${dbname}`, file], env,
      () => progress(`  恢复中 / restoring: ${Math.round((Date.now() - started) / 1000)} s`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
