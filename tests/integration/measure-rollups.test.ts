/**
 * The measures' daily counters (measure_days, kept by the case writer) equal a recount from the
 * record, exactly: random case histories are played through the API (forwards, returns,
 * transfers, reclassifications, hand-offs, supervision orders, resolutions, feedback that reopens,
 * withdrawals, and acceptance clocks of 1 s that the deadline workers miss), then every counter of
 * every day, unit, grouping and value is recounted here from case_events and deadlines — a
 * separate reading of the definitions (README, "Measures"), with the case's values at each event
 * rebuilt from the record (registration, reclassifications, platform moves) — and compared with
 * the rows, in one snapshot.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connectDatabase, type Database } from '../../db/client.js';
import { shanghaiDay } from '../../src/calendar/working-calendar.js';
import { ESCALATING_CLOCKS, type DeadlineStep } from '../../workflows/case-rules.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, aGrievance, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { MEASURE_SHARDS, countStatement, type CountRow } from '../../src/metrics/measure-rollup.js';
import { unitMeasures } from '../../src/metrics/unit-measures.js';

let engine: TestEngine;
let d: District;
let db: Database;

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 1000 });
  d = await aDistrict(engine.app);
  const policies = await d.admin.put('/api/v1/sla-policies', [
    ...uniformSla({ amount: 1, unit: 'hours' }), { step: 'l2_accept', category: 'PAY', amount: 1, unit: 'seconds' },
  ]);
  expect(policies.status).toBe(200);
  db = connectDatabase(engine.databaseUrl, { max: 2 });
}, 60_000);
afterAll(async () => { await db?.close(); await engine?.close(); });

/** One random step: a number picks among the actions the case's state allows (a refused one writes nothing). */
const history = fc.record({
  category: fc.constantFrom('DED', 'PAY'),
  platform: fc.constantFrom('美团', '饿了么'),
  area: fc.constantFrom('朝阳街道', '望京街道'),
  channel: fc.constantFrom('station', 'hotline'),
  workerType: fc.constantFrom('delivery', 'courier'),
  steps: fc.array(fc.nat(99), { minLength: 1, maxLength: 12 }),
});

type Body = Record<string, unknown>;
function nextAction(state: string, holder: string, pick: number, at: 'branch' | 'platform' | 'department'): [string, Body] | null {
  const choose = <T>(options: T[]) => options[pick % options.length];
  const who = holder === d.orgs.branch ? 'liaison' : holder === d.orgs.meituan ? 'meituan' : holder === d.orgs.eleme ? 'eleme'
    : holder === d.orgs.market ? 'market' : 'hr';
  const other = holder === d.orgs.meituan ? d.orgs.eleme : d.orgs.meituan;
  const reclassify: Body = { action: 'reclassify', ...choose([{ category: 'PAY' }, { category: 'DED' }, { workerType: 'freight' }]), reason: '分类整理' };
  const options: Record<string, Body[]> = {
    registered: [{ action: 'forward' }, { action: 'forward' }, { action: 'resolve', resolution: '支部答复' }, { action: 'withdraw', reason: '已协商' }, reclassify],
    forwarded: [{ action: 'accept' }, { action: 'accept' }, { action: 'return', reason: '材料不全' }, { action: 'transfer', toOrgId: other, reason: '转平台' }, reclassify],
    platform_handling: [{ action: 'resolve', resolution: '平台答复' }, { action: 'hand_off', toOrgId: d.orgs.market, reason: '需部门' }, reclassify],
    handed_off: [{ action: 'accept' }],
    department_handling: [{ action: 'resolve', resolution: '部门答复' }, { action: 'supervise', instructions: '限期整改', amount: 2, unit: 'working_days' }],
    resolved: [{ action: 'feedback', rating: choose(['satisfied', 'basically_satisfied', 'dissatisfied', 'dissatisfied']), ...(pick % 3 === 0 ? {} : { solved: choose(['yes', 'partly', 'no']) }) }],
  };
  const body = options[state] ? choose(options[state]) : null;
  if (!body) return null;
  // Feedback on any resolution: a call-back user (the branch never rates its own).
  return [state === 'resolved' ? 'callback' : at === 'branch' ? 'liaison' : who, body];
}

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;
async function play(h: History) {
  const worker = { name: '张三', phone: '13812341234', workerType: h.workerType, platforms: ['美团', '饿了么'] };
  const res = await d.liaison.post('/api/v1/cases', aGrievance({ category: h.category, platform: h.platform, area: h.area, channel: h.channel, worker }));
  expect(res.status).toBe(201);
  let c = res.body;
  for (const pick of h.steps) {
    const next = nextAction(c.state, c.holderOrgId, pick, c.level);
    if (!next) break;
    const [who, body] = next;
    const acted = await (d as unknown as Record<string, { act(id: string, b: Body): Promise<{ status: number; body: typeof c }> }>)[who].act(c.id, body);
    if (acted.status === 200) c = acted.body;
    else c = (await d.convener.get(`/api/v1/cases/${c.id}`)).body;
  }
}

// --- The recount ----------------------------------------------------------------------------------

const ACCEPTANCE: DeadlineStep[] = ['l1_forward', 'l2_accept', 'l3_accept'];
const COUNTERS = ['received', 'acceptsJudged', 'acceptedOnTime', 'rectifications', 'rectifiedOnTime', 'resolved', 'onTime', 'overdue', 'escalated',
  'reopened', 'feedback', 'satisfied', 'solvedAnswered', 'solved', 'algReviews', 'algReviewedOnTime', 'referred', 'referralsAnswered',
  'referralsSettled', 'handled', 'handlingMs'] as const;
type Counter = (typeof COUNTERS)[number];
type Values = { category: string; platform: string | null; area: string | null; workerType: string; channel: string };

interface EventRow { caseId: string; seq: number; at: Date; action: string; holderOrgId: string | null; toOrgId: string | null;
  actorOrgId: string | null; resolvedByOrgId: string | null; rating: string | null; solved: string | null; data: Record<string, unknown> }
interface ClockRow { caseId: string; step: DeadlineStep; orgId: string; status: string; startedAt: Date; closedAt: Date | null }

async function snapshot() {
  return db.sql.begin('isolation level repeatable read', async (tx) => {
    const rows = await tx<({ day: string; orgId: string; dimension: string; value: string | null } & Record<Counter, number>)[]>`select *, day::text as day from measure_days`;
    const cases = await tx<({ id: string } & Values)[]>`select id, category, platform, area, worker_type, channel from cases`;
    const events = await tx<EventRow[]>`
      select case_id, seq, at, action, holder_org_id, to_org_id, actor_org_id, resolved_by_org_id, rating, solved, data from case_events order by case_id, seq`;
    const clocks = await tx<ClockRow[]>`select case_id, step, org_id, status, started_at, closed_at from deadlines`;
    const platforms = new Map((await tx<{ id: string; platform: string }[]>`select id, platform from orgs where type = 'platform'`).map((o) => [o.id, o.platform]));
    return { rows, cases, events, clocks, platforms };
  });
}

function recount({ cases, events, clocks, platforms }: Awaited<ReturnType<typeof snapshot>>) {
  const counts = new Map<string, Partial<Record<Counter, number>>>();
  const add = (day: string, orgId: string | null | undefined, values: Values, counter: Counter, n: number, rows: 'both' | 'unit' | 'cases' = 'both') => {
    if (!orgId || n === 0) return;
    const keys = [...(rows !== 'cases' ? [`org|${day}|${orgId}|`] : []),
      ...(rows !== 'unit' ? (['category', 'platform', 'area', 'workerType', 'channel'] as const).map((g) => `${g}|${day}|${orgId}|${values[g] ?? ''}`) : [])];
    for (const key of keys) {
      const row = counts.get(key) ?? {};
      row[counter] = (row[counter] ?? 0) + n;
      counts.set(key, row);
    }
  };
  for (const c of cases) {
    const record = events.filter((e) => e.caseId === c.id);
    const own = clocks.filter((k) => k.caseId === c.id);
    const register = record.find((e) => e.action === 'register')!;
    // The values at registration: the classification the register event names, the worker type before any reclassification.
    const firstTypeChange = record.find((e) => e.action === 'reclassify' && (e.data.previous as Record<string, string>)?.workerType !== undefined);
    const values: Values = {
      category: register.data.category as string, platform: (register.data.platform as string | null) ?? null, area: c.area,
      workerType: firstTypeChange ? (firstTypeChange.data.previous as Record<string, string>).workerType : c.workerType, channel: c.channel,
    };
    let resolvedBefore = false;
    for (const e of record) {
      const day = shanghaiDay(e.at);
      const v = { ...values };
      if (e.action === 'register') add(day, e.holderOrgId, v, 'received', 1);
      else if (e.toOrgId && e.action !== 'supervise') add(day, e.toOrgId, v, 'received', 1, 'unit');
      const closedNow = own.filter((k) => k.closedAt?.getTime() === e.at.getTime() && (k.status === 'met' || k.status === 'missed'));
      for (const k of closedNow) {
        const met = k.status === 'met' ? 1 : 0;
        if (ACCEPTANCE.includes(k.step)) { add(day, k.orgId, v, 'acceptsJudged', 1); add(day, k.orgId, v, 'acceptedOnTime', met); }
        if (k.step === 'supervision') { add(day, k.orgId, v, 'rectifications', 1); add(day, k.orgId, v, 'rectifiedOnTime', met); }
        if (k.step === 'human_review') { add(day, k.orgId, v, 'algReviews', 1); add(day, k.orgId, v, 'algReviewedOnTime', met); }
        add(day, k.orgId, v, 'handled', 1);
        add(day, k.orgId, v, 'handlingMs', k.closedAt!.getTime() - k.startedAt.getTime());
        if (!met) { add(day, k.orgId, v, 'overdue', 1); add(day, k.orgId, v, 'escalated', ESCALATING_CLOCKS.includes(k.step) ? 1 : 0); }
      }
      if (e.action === 'resolve') {
        const orgId = e.resolvedByOrgId ?? e.actorOrgId;
        const onTime = closedNow.some((k) => k.status === 'met' && k.orgId === orgId) ? 1 : 0;
        add(day, orgId, v, 'resolved', 1, 'unit');
        add(day, orgId, v, 'onTime', onTime, 'unit');
        if (!resolvedBefore) { add(day, orgId, v, 'resolved', 1, 'cases'); add(day, orgId, v, 'onTime', onTime, 'cases'); }
        resolvedBefore = true;
      }
      if (e.action === 'feedback') {
        add(day, e.resolvedByOrgId, v, 'feedback', 1);
        add(day, e.resolvedByOrgId, v, 'satisfied', e.rating === 'satisfied' || e.rating === 'basically_satisfied' ? 1 : 0);
        add(day, e.resolvedByOrgId, v, 'reopened', e.rating === 'dissatisfied' ? 1 : 0);
        add(day, e.resolvedByOrgId, v, 'solvedAnswered', e.solved ? 1 : 0);
        add(day, e.resolvedByOrgId, v, 'solved', e.solved === 'yes' ? 1 : 0);
      }
      // What the event changed, for the events after it: a reclassification, a move to another platform's committee.
      if (e.action === 'reclassify') {
        for (const field of Object.keys((e.data.previous as object) ?? {})) {
          if (field === 'category' || field === 'workerType') values[field] = e.data[field] as string;
        }
      }
      if (e.toOrgId && platforms.has(e.toOrgId)) values.platform = platforms.get(e.toOrgId)!;
    }
  }
  return counts;
}

/** The counters per key, summed over the key's shards (a reader's view), zeros left out. */
function asKeyed(rows: Awaited<ReturnType<typeof snapshot>>['rows']) {
  const sums = new Map<string, Partial<Record<Counter, number>>>();
  for (const r of rows) {
    const key = `${r.dimension}|${r.day}|${r.orgId}|${r.value ?? ''}`;
    const counts = sums.get(key) ?? {};
    for (const c of COUNTERS) if (Number(r[c]) !== 0) counts[c] = (counts[c] ?? 0) + Number(r[c]);
    sums.set(key, counts);
  }
  return new Map([...sums].filter(([, counts]) => Object.keys(counts).length > 0));
}

describe('the measures\' daily counters', () => {
  it('equal a recount from the record after random case histories, exactly', async () => {
    await fc.assert(fc.asyncProperty(fc.array(history, { minLength: 1, maxLength: 4 }), async (histories) => {
      for (const h of histories) await play(h);
      // The 1 s acceptance clocks of PAY cases: wait until the workers have fired every one that is due.
      await eventually(async () => {
        const [{ due }] = await db.sql<{ due: number }[]>`select count(*)::int as due from deadlines where status = 'pending' and due_at < now()`;
        return due === 0;
      }, 20_000, 'every due clock to fire');
      const snap = await snapshot();
      expect(asKeyed(snap.rows)).toEqual(recount(snap));
    }), { numRuns: 12, seed: 20, endOnFailure: true });
    // A missed acceptance clock, whatever the histories' timing was: a PAY case forwarded and left
    // until its 1 s clock is missed; the counters still equal the recount after it.
    await play({ category: 'PAY', platform: '美团', area: '朝阳街道', channel: 'station', workerType: 'delivery', steps: [0] });
    await eventually(async () => {
      const [{ missed }] = await db.sql<{ missed: number }[]>`select count(*)::int as missed from case_events where action = 'deadline_missed'`;
      return missed > 0;
    }, 20_000, 'a deadline_missed event');
    const snap = await snapshot();
    expect(asKeyed(snap.rows)).toEqual(recount(snap));
    const [{ kinds }] = await db.sql<{ kinds: string[] }[]>`select array_agg(distinct action order by action) as kinds from case_events`;
    // The histories reached every kind of event the counters read.
    expect(kinds).toEqual(expect.arrayContaining(['accept', 'deadline_missed', 'feedback', 'forward', 'hand_off', 'reclassify', 'resolve', 'return', 'supervise', 'transfer', 'withdraw']));
  }, 600_000);

  it('the migration\'s recount of an older record (0021, hand-written) gives every unit the counters the writer kept', async () => {
    const migration = await readFile(new URL('../../db/migrations/0021_measure_rollups.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').at(-1)!;
    const byUnit = (rows: Awaited<ReturnType<typeof snapshot>>['rows']) => new Map([...asKeyed(rows)].filter(([key]) => key.startsWith('org|')));
    const kept = byUnit((await snapshot()).rows);
    expect(kept.size).toBeGreaterThan(0);
    // Run in a transaction that is rolled back: the writer's rows stay.
    const recounted = await db.sql.begin(async (tx) => {
      await tx`delete from measure_days`;
      await tx.unsafe(backfill);
      const rows = await tx<Awaited<ReturnType<typeof snapshot>>['rows']>`select *, day::text as day from measure_days where dimension = 'org'`;
      throw Object.assign(new Error('rollback'), { rows });
    }).catch((err: { rows?: Awaited<ReturnType<typeof snapshot>>['rows'] }) => { if (!err.rows) throw err; return err.rows; });
    expect(byUnit(recounted)).toEqual(kept);
  });
});

describe('the holder timeline', () => {
  it('the writer keeps what the record says (the migration 0033 reads it from the events), after the histories above', async () => {
    const migration = await readFile(new URL('../../db/migrations/0033_holder_timeline.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').at(-1)!;
    type Timelines = { id: string; holderTimeline: unknown[] }[];
    const kept = await db.sql<Timelines>`select id, holder_timeline from cases order by id`;
    expect(kept.some((c) => c.holderTimeline.length >= 3)).toBe(true);
    const read = await db.sql.begin(async (tx) => {
      await tx`update cases set holder_timeline = '[]'`;
      await tx.unsafe(backfill);
      const rows = await tx<Timelines>`select id, holder_timeline from cases order by id`;
      throw Object.assign(new Error('rollback'), { rows });
    }).catch((err: { rows?: Timelines }) => { if (!err.rows) throw err; return err.rows; });
    expect(read).toEqual(kept);
  });
});

describe('the counters\' shards', () => {
  it('two writers counting for the same unit on the same day on different shards do not wait for each other; readers sum both', async () => {
    // Two connections of their own whose backends fall on different shards (pid modulo MEASURE_SHARDS).
    const clients: Database[] = [];
    const shards = new Set<number>();
    while (clients.length < 2) {
      const client = connectDatabase(engine.databaseUrl, { max: 1 });
      const [{ pid }] = await client.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      if (shards.has(pid % MEASURE_SHARDS)) { await client.close(); continue; }
      shards.add(pid % MEASURE_SHARDS);
      clients.push(client);
    }
    const day = '2031-01-06';
    const row: CountRow = { day, orgId: d.orgs.meituan, dimension: 'org', value: null, counts: { received: 1 } };
    try {
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => { releaseFirst = resolve; });
      let firstCounted!: () => void;
      const counted = new Promise<void>((resolve) => { firstCounted = resolve; });
      const first = clients[0].sql.begin(async (tx) => {
        await countStatement(tx as never, [row]);
        firstCounted();
        await firstHolds; // holds its row lock until the second has counted
      });
      await counted;
      await clients[1].sql.begin(async (tx) => {
        await tx`set local lock_timeout = '2s'`;
        await countStatement(tx as never, [row]);
      });
      releaseFirst();
      await first;
      const [sum] = await db.sql<{ rows: number; received: number }[]>`
        select count(*)::int as rows, sum(received)::int as received from measure_days where day = ${day} and org_id = ${d.orgs.meituan} and dimension = 'org'`;
      expect(sum).toEqual({ rows: 2, received: 2 });
      const [measured] = await unitMeasures(db.sql as never, { from: new Date('2031-01-05T16:00:00Z'), to: new Date('2031-01-06T16:00:00Z'), groupBy: 'org', orgIds: [d.orgs.meituan] });
      expect(measured.received).toBe(2);
    } finally {
      for (const c of clients) await c.close();
    }
  });
});
