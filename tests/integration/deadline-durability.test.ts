/**
 * Nothing accepted is ever lost and no deadline fires twice: a Redis wipe, workers killed
 * mid-escalation, two workers at once. Real Redis, real Postgres, real worker processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, aGrievance, uniformSla, type District } from '../support/builders.js';
import { eventually, spawnWorker, startPrivateRedis, type WorkerProcess } from '../support/processes.js';

type Redis = Awaited<ReturnType<typeof startPrivateRedis>>;

async function registerMany(d: District, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => d.liaison.post('/api/v1/cases', aGrievance())));
    for (const res of batch) {
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
  }
  return ids;
}

/** Per case: how many times its deadline was missed, warned, and whether any fired early (a miss before the end, a warning before its time). */
async function escalationRecord(engine: TestEngine) {
  const sql = engine.runtime.database.sql;
  const [row] = await sql<{ cases: number; missed: number; missedCases: number; warned: number; doubled: number; early: number; pending: number }[]>`
    select
      (select count(*)::int from cases) as cases,
      (select count(*)::int from case_events where action = 'deadline_missed') as missed,
      (select count(distinct case_id)::int from case_events where action = 'deadline_missed') as missed_cases,
      (select count(*)::int from case_events where action = 'deadline_warning') as warned,
      (select count(*)::int from (select case_id from case_events where action in ('deadline_missed', 'deadline_warning')
         group by case_id, action having count(*) > 1) x) as doubled,
      (select count(*)::int from case_events e join deadlines dl on dl.case_id = e.case_id and dl.step = e.data->>'step'
         where (e.action = 'deadline_missed' and e.at < dl.due_at) or (e.action = 'deadline_warning' and e.at < dl.warn_at)) as early,
      (select count(*)::int from deadlines where status = 'pending') as pending`;
  return row;
}

/** Spreads the pending deadlines' due times over the next `seconds` (the warning is due at once). */
async function spreadDueTimes(engine: TestEngine, seconds: number) {
  await engine.runtime.database.sql`
    update deadlines set due_at = now() + random() * make_interval(secs => ${seconds}) + interval '1 second',
      warn_at = now(), rev = rev + 1
    where status = 'pending'`;
}

const workerEnv = (engine: TestEngine, redis?: Redis, prefix?: string) => ({
  DATABASE_URL: engine.databaseUrl, ...(redis ? { REDIS_URL: redis.url, QUEUE_PREFIX: prefix } : {}),
});

describe('durability with real Redis and real worker processes', () => {
  let redis: Redis;
  beforeAll(async () => { redis = await startPrivateRedis(); });
  afterAll(async () => redis?.stop());

  it('(a) FLUSHALL with 1,000 pending deadlines: all restored, none lost, none doubled, every warning given', async () => {
    const engine = await startTestEngine({ redisUrl: redis.url, queuePrefix: 'flush' });
    let worker: WorkerProcess | null = null;
    try {
      const d = await aDistrict(engine.app, { amount: 1, unit: 'hours' });
      await d.admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 1, unit: 'hours' }).filter((p) => p.step !== 'l1_forward'),
        { step: 'l1_forward', amount: 45, unit: 'seconds' }]);
      const registering = Date.now();
      await registerMany(d, 1000);
      // One wake-up per second that holds a warning or a due time, not one per clock (2,000).
      const seconds = Math.ceil((Date.now() - registering) / 1000) + 1;
      const queued = await engine.runtime.queue.queue.getJobCounts('delayed', 'wait');
      expect(queued.delayed + queued.wait).toBeGreaterThan(0);
      expect(queued.delayed + queued.wait).toBeLessThanOrEqual(2 * seconds);

      await redis.client.flushall();
      expect(await redis.client.dbsize()).toBe(0);

      worker = spawnWorker(workerEnv(engine, redis, 'flush'));
      await worker.started;
      await eventually(async () => {
        const counts = await engine.runtime.queue.queue.getJobCounts('delayed', 'wait', 'active', 'completed');
        return counts.delayed + counts.wait + counts.active + counts.completed > 0;
      }, 30_000, 'the sweeper to restore the wake-ups');

      const record = await eventually(async () => {
        const r = await escalationRecord(engine);
        return r.missed >= 1000 ? r : null;
      }, 120_000, '1,000 escalations', () => escalationRecord(engine));
      expect(record).toMatchObject({ cases: 1000, missed: 1000, missedCases: 1000, warned: 1000, doubled: 0, early: 0, pending: 0 });
    } finally {
      worker?.child.kill('SIGKILL');
      await engine.close();
    }
  }, 240_000);

  it('(b) SIGKILL the worker 20 times while it escalates: each missed deadline escalates exactly once', async () => {
    const engine = await startTestEngine({ redisUrl: redis.url, queuePrefix: 'sigkill' });
    const workers: WorkerProcess[] = [];
    try {
      const d = await aDistrict(engine.app, { amount: 1, unit: 'hours' });
      await registerMany(d, 300);
      await spreadDueTimes(engine, 30);
      let killedMidWork = 0;
      for (let i = 0; i < 20; i++) {
        const worker = spawnWorker(workerEnv(engine, redis, 'sigkill'));
        workers.push(worker);
        await worker.started;
        const before = (await escalationRecord(engine)).missed;
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
        worker.child.kill('SIGKILL');
        await worker.exited;
        if ((await escalationRecord(engine)).missed > before) killedMidWork++;
      }
      const last = spawnWorker(workerEnv(engine, redis, 'sigkill'));
      workers.push(last);
      const record = await eventually(async () => {
        const r = await escalationRecord(engine);
        return r.missed >= 300 ? r : null;
      }, 120_000, '300 escalations after the kills', () => escalationRecord(engine));
      expect(killedMidWork).toBeGreaterThan(0);
      expect(record).toMatchObject({ cases: 300, missed: 300, missedCases: 300, doubled: 0, early: 0, pending: 0 });
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await engine.close();
    }
  }, 300_000);
});

describe.each(['redis', 'postgres'] as const)('(c) two worker processes at once on the %s backend', (backend) => {
  it('escalate every deadline exactly once, none early', async () => {
    const redis = backend === 'redis' ? await startPrivateRedis() : undefined;
    const engine = await startTestEngine({ backend, redisUrl: redis?.url, queuePrefix: 'pair' });
    const workers: WorkerProcess[] = [];
    try {
      const d = await aDistrict(engine.app, { amount: 1, unit: 'hours' });
      await registerMany(d, 300);
      await spreadDueTimes(engine, 5);
      workers.push(spawnWorker(workerEnv(engine, redis, 'pair')), spawnWorker(workerEnv(engine, redis, 'pair')));
      await Promise.all(workers.map((w) => w.started));
      const record = await eventually(async () => {
        const r = await escalationRecord(engine);
        return r.missed >= 300 ? r : null;
      }, 90_000, '300 escalations by two workers', () => escalationRecord(engine));
      await new Promise((r) => setTimeout(r, 3000)); // a late duplicate would show up here
      expect(record.pending).toBe(0);
      // A warning whose deadline was already missed is skipped, never sent late; none is sent twice.
      expect(await escalationRecord(engine)).toMatchObject({ cases: 300, missed: 300, missedCases: 300, doubled: 0, early: 0, pending: 0 });
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await engine.close();
      await redis?.stop();
    }
  }, 180_000);
});
