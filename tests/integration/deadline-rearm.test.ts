/**
 * A deadline wake-up that fails all its attempts loses nothing: the clocks stay due in Postgres,
 * and the next sweep wakes the workers at once (issue 13.1, issue 20). The handler here is the
 * engine's own fireDue, made to fail until every wake-up job has used up its attempts.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let logged = '';

beforeAll(async () => {
  const logTo = new PassThrough();
  logTo.on('data', (chunk: Buffer) => { logged += chunk.toString(); });
  engine = await startTestEngine({ runWorkers: false, logTo });
  d = await aDistrict(engine.app, { amount: 1, unit: 'seconds' });
});
afterAll(async () => engine?.close());

it('wake-ups that failed 5 times: the sweeper wakes the workers again, and the clock escalates exactly once', async () => {
  const { runtime } = engine;
  const c = await aCase(d, [['liaison', { action: 'forward' }]]);
  let failing = true;
  let runs = 0;
  runtime.queue.startWorker(async (limit, exclude) => {
    runs++;
    if (failing) throw new Error('the database is away');
    return runtime.engine.fireDue(limit, exclude);
  }, { concurrency: 2 });

  // Every wake-up of the l2_accept clock (its warning's second and its end's) fails its 5 attempts (1 + 2 + 4 + 8 s of backoff).
  await eventually(async () => {
    const counts = await runtime.queue.queue.getJobCounts('delayed', 'wait', 'active', 'failed');
    return counts.failed >= 1 && counts.delayed + counts.wait + counts.active === 0;
  }, 40_000, 'the wake-ups to fail 5 times', async () => runs);
  expect(runs).toBeGreaterThanOrEqual(5);
  failing = false;
  // Nothing is queued any more: without the sweeper this clock would wait.
  await new Promise((r) => setTimeout(r, 1500));
  expect((await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue).toBe(false);

  const swept = await runtime.sweep();
  expect(swept.dueAlready).toBe(true);
  await eventually(async () => (await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue, 15_000, 'the escalation');

  // Later sweeps change nothing: one escalation, never two.
  expect((await runtime.sweep()).dueAlready).toBe(false);
  await new Promise((r) => setTimeout(r, 1500));
  const events = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items as { action: string }[];
  expect(events.filter((e) => e.action === 'deadline_missed')).toHaveLength(1);

  const line = logged.split('\n').find((l) => l.includes('deadline wake-up failed'))!;
  expect(JSON.parse(line)).toMatchObject({ err: 'the database is away' });
  expect(logged).not.toContain('13812341234');
});
