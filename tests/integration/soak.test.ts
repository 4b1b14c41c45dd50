/**
 * The short soak (issue 13.4): `tests/bench/soak.ts` for 45 s — 2 API and 2 worker processes, a
 * worker SIGKILLed every 12 s, one API restart — and its targets: nothing lost, doubled or early,
 * no export failed, no 5xx, the outbox empty.
 */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

it('2 API + 2 worker processes under load, with kills and a restart, lose nothing and double nothing', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/soak.ts'], {
      env: { ...process.env, SOAK_SECONDS: '45', SOAK_KILL_EVERY_SECONDS: '12', SOAK_USERS: '4' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => { text += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { text += c.toString(); });
    child.on('exit', () => resolve(text));
    child.on('error', reject);
  });
  const line = out.split('\n').find((l) => l.startsWith('SOAK_RESULT '));
  if (!line) throw new Error(`the soak printed no result:\n${out.slice(-3000)}`);
  const result = JSON.parse(line.slice('SOAK_RESULT '.length));
  expect(result.kills).toBeGreaterThanOrEqual(3);
  expect(result.apiRestarts).toBe(1);
  expect(result.requests).toBeGreaterThan(200);
  expect(result.fiveXX).toBe(0);
  expect(result.deadlines.due).toBeGreaterThan(0);
  expect(result.deadlines).toMatchObject({ twice: 0, missed: 0, early: 0 });
  expect(result.deadlines.once).toBe(result.deadlines.due);
  expect(result.exports.failed).toBe(0);
  expect(result.exports.done).toBe(result.exports.started);
  expect(result.outbox.pending).toBe(0);
}, 300_000);
