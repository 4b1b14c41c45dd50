/**
 * A deadline job that fails all its attempts is not lost: the sweeper re-arms it (issue 13.1).
 * The handler here is the engine's own fireDeadline, made to fail its first five runs.
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

it('a due job that failed 5 times is re-armed by the sweeper and escalates exactly once', async () => {
  const { runtime } = engine;
  const c = await aCase(d, [['liaison', { action: 'forward' }]]);
  // Each job's first 5 runs fail, later runs fire the deadline.
  const runs = new Map<string, number>();
  runtime.queue.startWorker(async (deadlineId, rev, kind) => {
    const n = (runs.get(`${kind}-${deadlineId}`) ?? 0) + 1;
    runs.set(`${kind}-${deadlineId}`, n);
    if (n <= 5) throw new Error('the database is away');
    return runtime.engine.fireDeadline(deadlineId, rev, kind);
  }, { concurrency: 2 });

  // The warn and due jobs of both clocks (l1_forward, met by the forward; l2_accept, pending) fail
  // their 5 attempts (1 + 2 + 4 + 8 s of backoff).
  await eventually(async () => (await runtime.queue.failedJobs()).length === 4, 30_000, 'the jobs to fail 5 times', async () => [...runs]);
  // Re-adding the same id is a no-op: without the sweeper's re-arm this deadline would never fire.
  expect((await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue).toBe(false);

  const { rearmed } = await runtime.sweep();
  expect(rearmed).toBe(2); // l2_accept's warn and due; the met clock's jobs stay failed, harmless
  expect(runtime.counters.deadlineJobsRearmed).toBe(2);
  await eventually(async () => (await d.convener.get(`/api/v1/cases/${c.id}`)).body.overdue, 15_000, 'the escalation');

  // Later sweeps change nothing: one escalation, never two.
  await runtime.sweep();
  await new Promise((r) => setTimeout(r, 1500));
  const events = (await d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items as { action: string }[];
  expect(events.filter((e) => e.action === 'deadline_missed')).toHaveLength(1);
  expect(runtime.counters.deadlineJobsRearmed).toBe(2);

  const line = logged.split('\n').find((l) => l.includes('re-armed by the sweeper'))!;
  expect(JSON.parse(line)).toMatchObject({ caseId: c.id, step: 'l2_accept', attempts: 5 });
  expect(logged).not.toContain('13812341234');
});
