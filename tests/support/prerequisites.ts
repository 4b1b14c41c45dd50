/**
 * What `npm test` needs before any test runs, found or made here so the README's command alone
 * works on a fresh machine:
 * - Postgres: TEST_DATABASE_URL; unset, the machine's (postgres://postgres@127.0.0.1:5432/test), else an
 *   embedded one for this run; `embedded` always starts the embedded one. An explicit URL that does
 *   not answer stops the run.
 * - Redis: TEST_REDIS_URL; unset, the machine's (redis://127.0.0.1:6379), else a private redis-server.
 * - For the browser journey only: Debian's Chromium and CJK fonts, installed with apt-get when we
 *   are root, else the run stops naming the command that installs them.
 * - For the metrics test only: `promtool` (Debian's `prometheus`), installed with apt-get when we are
 *   root; else its checks are skipped with one line naming the command (never a failure).
 * Whatever is missing stops the run at once with one line, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { freePort, startEmbeddedPostgres } from '../../src/embedded/embedded-postgres.js';

export const MACHINE_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const MACHINE_REDIS_URL = 'redis://127.0.0.1:6379';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Stops the run with one line (and whatever was already started for it). */
export class Unmet extends Error {}

type Stop = () => Promise<void>;

const say = (line: string) => process.stderr.write(`${line}\n`);
const hidePassword = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function answers(url: string): Promise<string | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Sets TEST_DATABASE_URL to a Postgres that answers; returns how to stop one started here. */
export async function preparePostgres(): Promise<Stop | null> {
  const given = process.env.TEST_DATABASE_URL;
  if (given && given !== 'embedded') {
    const problem = await answers(given);
    if (problem) throw new Unmet(`TEST_DATABASE_URL=${hidePassword(given)} 无应答 / does not answer (${problem}): start that Postgres, or unset TEST_DATABASE_URL (then the machine's or an embedded one is used)`);
    return null;
  }
  if (!given && !(await answers(MACHINE_DATABASE_URL))) {
    process.env.TEST_DATABASE_URL = MACHINE_DATABASE_URL;
    return null;
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'grievance-test-pg-'));
  const server = await startEmbeddedPostgres({
    // Any free port: 54329 stays for `npm start` (and for the fresh-start test, which takes it on purpose).
    databaseDir: path.join(folder, 'postgres'), port: await freePort(), password: randomBytes(12).toString('hex'), database: 'test',
    // A cluster thrown away after the run: nothing to gain from waiting for the disk.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  process.env.TEST_DATABASE_URL = server.url;
  say(`${given ? 'TEST_DATABASE_URL=embedded' : `${MACHINE_DATABASE_URL} 无应答 / does not answer`}: 本次测试使用内置 Postgres / using an embedded Postgres on port ${server.port} for this run`);
  return async () => {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  };
}

async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 3000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Sets TEST_REDIS_URL to a Redis that answers; returns how to stop one started here. */
export async function prepareRedis(): Promise<Stop | null> {
  const given = process.env.TEST_REDIS_URL;
  if (given) {
    if (!(await redisAnswers(given))) throw new Unmet(`TEST_REDIS_URL=${hidePassword(given)} 无应答 / does not answer: start that Redis, or unset TEST_REDIS_URL`);
    return null;
  }
  if (await redisAnswers(MACHINE_REDIS_URL)) {
    process.env.TEST_REDIS_URL = MACHINE_REDIS_URL;
    return null;
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Unmet(`${MACHINE_REDIS_URL} 无应答且没有 redis-server / does not answer and there is no redis-server: apt-get install redis-server, or set TEST_REDIS_URL`);
  }
  // Imported only now: it loads the test harness, which reads TEST_DATABASE_URL when loaded.
  const { startPrivateRedis } = await import('./processes.js');
  const redis = await startPrivateRedis();
  process.env.TEST_REDIS_URL = redis.url;
  say(`${MACHINE_REDIS_URL} 无应答 / does not answer: 本次测试使用私有 redis-server / using a private redis-server at ${redis.url} for this run`);
  return () => redis.stop();
}

const hasCjkFonts = () => {
  const list = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return list.status === 0 && list.stdout.trim().length > 0;
};

/** Debian's Chromium and CJK fonts for the browser journey: installed when we may, else a one-line stop. */
export function prepareBrowser(): void {
  const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(hasCjkFonts() ? [] : ['fonts-noto-cjk'])];
  if (missing.length === 0) return;
  const command = `apt-get install ${missing.join(' ')}`;
  const mayInstall = process.getuid?.() === 0 && !process.env.CHROMIUM_PATH && spawnSync('apt-get', ['--version']).status === 0;
  if (!mayInstall) {
    const where = process.env.CHROMIUM_PATH && !existsSync(CHROMIUM) ? ` (CHROMIUM_PATH=${CHROMIUM} does not exist)` : '';
    throw new Unmet(`浏览器测试缺少 / the browser journey needs ${missing.join(' and ')}${where}: ${process.getuid?.() === 0 ? '' : 'sudo '}${command}`);
  }
  say(`正在安装 / installing ${missing.join(' ')} with apt-get for the browser journey (a minute or two)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const run = spawnSync('apt-get', args, { env, encoding: 'utf8' });
    if (run.status !== 0) {
      const last = (run.stderr || run.stdout || '').trim().split('\n').pop();
      throw new Unmet(`apt-get ${args[0]} 失败 / failed (${last}): run \`${command}\` yourself`);
    }
  }
}

/** `promtool` (Debian's `prometheus` package) checks the metrics and the alert rules. */
export const PROMTOOL = 'promtool';
export const hasPromtool = () => spawnSync(PROMTOOL, ['--version']).status === 0;

/** promtool for the metrics test: installed with apt-get when we may; else that test skips its promtool checks, saying so. */
export function preparePromtool(): void {
  if (hasPromtool()) return;
  const mayInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!mayInstall) return;
  say('正在安装 / installing prometheus (promtool) with apt-get for the metrics test…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'prometheus']]) {
    const run = spawnSync('apt-get', args, { env, encoding: 'utf8' });
    if (run.status !== 0) {
      say(`apt-get ${args[0]} 失败 / failed (${(run.stderr || run.stdout || '').trim().split('\n').pop()}): the metrics test skips its promtool checks`);
      return;
    }
  }
}
