/**
 * Every periodic path reads `deadlines`, `cases` and `submissions` through an index, never a sequential scan
 * (issue 20, item 2): the deadline sweeper, the workers' claim of due cases and their firing, the
 * provisional-calendar recompute, contact retention and the daily anchor run here on a client that
 * records each statement it sends, over seeded tables (20,000 cases with their units and co-handlers,
 * 80,000 clocks, 20,000 submissions, analysed); then each recorded statement is EXPLAINed with its own
 * parameters and its plan must hold no Seq Scan of those tables. A case's cycle through the engine too,
 * and for it the case's units and co-handlers as well: each transition's locking read lists them.
 */
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sql } from '../../db/client.js';
import { createCaseEngine } from '../../src/cases/case-engine.js';
import { createRecordAudit, yesterdayInChina } from '../../src/cases/record-audit.js';
import { createCalendarSource } from '../../src/calendar/calendar-years.js';
import { sweepDeadlines } from '../../src/deadlines/deadline-sweeper.js';
import { eraseExpiredContacts } from '../../src/privacy/contact-retention.js';
import { DORMANT_AFTER_DAYS, flagDormantUnits } from '../../src/orgs/dormant-units.js';
import { createSubmissionClock } from '../../src/submissions/submission-clock.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance } from '../support/builders.js';
import type { RegisterInput } from '../../src/cases/case-types.js';

let engine: TestEngine;
let recorded: { query: string; params: unknown[] }[] = [];
let recording: Sql;
/** For the EXPLAINs: no column transform, the plan under its own name. */
let plain: postgres.Sql;

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: false });
  const d = await aDistrict(engine.app, { amount: 2, unit: 'working_days' });
  for (let i = 0; i < 10; i++) await aCase(d, i % 2 ? [['liaison', { action: 'forward' }]] : []);
  const { sql } = engine.runtime.database;
  // 20,000 cases: copies of the ten, with their clocks, spread over the next 30 days; some closed long ago, some provisional.
  await sql`create table copies as select c.id as original, gen_random_uuid() as id, g from cases c cross join generate_series(1, 2000) g`;
  await sql`insert into cases select (jsonb_populate_record(c, jsonb_build_object('id', m.id, 'reference', c.reference || '-' || m.g))).*
    from copies m join cases c on c.id = m.original`;
  await sql`insert into deadlines select (jsonb_populate_record(d, jsonb_build_object('id', gen_random_uuid(), 'case_id', m.id))).*
    from copies m join deadlines d on d.case_id = m.original cross join generate_series(1, 4)`;
  await sql`update deadlines set due_at = now() + random() * interval '30 days' + interval '1 hour', warn_at = now() + random() * interval '20 days' + interval '1 hour',
    provisional = random() < 0.01, status = case when random() < 0.5 then 'pending' else 'met' end`;
  await sql`update cases set closed_at = now() - interval '4 years', state = 'closed' where id in (select id from copies where g % 50 = 0)`;
  // A few clocks due now, so that the workers' claim fires something.
  await sql`update deadlines set due_at = now() - interval '1 second', status = 'pending'
    where id in (select id from deadlines where case_id in (select original from copies where g = 1) limit 3)`;
  await sql`insert into case_participants (case_id, org_id) select m.id, p.org_id from copies m join case_participants p on p.case_id = m.original`;
  // One copy in five asks two departments for an opinion (co-handling).
  await sql`insert into case_cohandlers (case_id, org_id, reason, added_at, due_at)
    select m.id, o.id, '协办', now(), now() + interval '5 days' from copies m cross join (values (${d.orgs.market}::uuid), (${d.orgs.hr}::uuid)) o(id) where m.g % 5 = 0`;
  await sql`drop table copies`;
  // 20,000 workers' submissions (src/submissions): most decided long ago, some waiting on their l0_verify clock, a few due now.
  await sql`insert into submissions (tracking_code_hash, branch_id, kind, state, description, phone, due_at, warn_at, decided_at, created_at)
    select md5(g::text), ${d.orgs.branch}, 'grievance', case when g % 20 = 0 then 'waiting' else 'declined' end, '押金不退', '13812345678',
      now() + random() * interval '30 days' + interval '1 hour', now() + random() * interval '20 days' + interval '1 hour',
      case when g % 20 = 0 then null else now() - random() * interval '5 years' end, now() - interval '1 day'
    from generate_series(1, 20000) g`;
  await sql`update submissions set due_at = now() - interval '1 second' where id in (select id from submissions where state = 'waiting' limit 3)`;
  await sql`vacuum analyze`;
  recording = postgres(engine.databaseUrl, {
    max: 2, onnotice: () => {}, transform: { column: postgres.camel.column, undefined: null },
    debug: (_connection: number, query: string, params: unknown[]) => { recorded.push({ query, params }); },
  } as postgres.Options<{}>) as unknown as Sql;
  plain = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
}, 120_000);
afterAll(async () => { await recording?.end(); await plain?.end(); await engine?.close(); });

/** The plan nodes that scan `deadlines`, `cases` or `submissions` (or the given tables) sequentially, for each statement recorded during `work` that names one of them. */
async function seqScansOf(work: () => Promise<unknown>, tables = ['deadlines', 'cases', 'submissions']): Promise<string[]> {
  recorded = [];
  await work();
  const mentions = new RegExp(`\\b(${tables.join('|')})\\b`);
  const statements = recorded.filter((r) => mentions.test(r.query) && !/^\s*(begin|commit|rollback|savepoint|release)/i.test(r.query));
  expect(statements.length).toBeGreaterThan(0);
  const found: string[] = [];
  for (const { query, params } of statements) {
    const [row] = await plain.unsafe(`explain (format json) ${query}`, params as never[]);
    const walk = (node: Record<string, unknown>): void => {
      if (node['Node Type'] === 'Seq Scan' && tables.includes(node['Relation Name'] as string)) {
        found.push(`Seq Scan on ${node['Relation Name']} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
      // A case's units by the (org_id, case_id) key without an org: a walk of the whole key (or, on
      // Postgres 18, a skip scan over every unit), not a Seq Scan but no better.
      if (node['Index Name'] === 'case_participants_org_id_case_id_pk' && !String(node['Index Cond'] ?? '').includes('org_id')) {
        found.push(`${node['Node Type']} of the whole case_participants key in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((row['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0].Plan);
  }
  return found;
}

it('the deadline sweeper: the horizon\'s seconds and "anything due already" by index', async () => {
  expect(await seqScansOf(() => sweepDeadlines({ sql: recording, queue: engine.runtime.queue, horizonMs: 3600_000 }))).toEqual([]);
});

it('the workers\' claim of due cases and their firing, by index', async () => {
  const engineOnRecording = createCaseEngine({ ...engine.runtime.engineDeps, sql: recording });
  const scans = await seqScansOf(async () => {
    const group = await engineOnRecording.fireDue(64, []);
    expect(group.claimed).toBeGreaterThan(0);
    expect(group.fired).toHaveLength(group.claimed);
    expect(group.failed).toEqual([]);
  });
  expect(scans).toEqual([]);
});

it('a case\'s cycle through the engine (register, forward, accept, resolve, feedback): its units, co-handlers, clocks and row by index', async () => {
  const engineOnRecording = createCaseEngine({ ...engine.runtime.engineDeps, sql: recording });
  const [liaison, committee] = await plain<{ id: string; orgId: string }[]>`
    select u.id, u.org_id as "orgId" from users u join orgs o on o.id = u.org_id
    where (u.role = 'liaison' and o.name = '第一支部') or (u.role = 'committee' and o.platform = '美团') order by u.role desc`;
  const asLiaison = { userId: liaison.id, orgId: liaison.orgId, role: 'liaison' } as const;
  const asCommittee = { userId: committee.id, orgId: committee.orgId, role: 'committee' } as const;
  const scans = await seqScansOf(async () => {
    let view: { id: string; version: number; state: string } = await engineOnRecording.register(asLiaison, aGrievance() as RegisterInput);
    view = await engineOnRecording.act(asLiaison, view.id, view.version, { action: 'forward' });
    view = await engineOnRecording.act(asCommittee, view.id, view.version, { action: 'accept' });
    view = await engineOnRecording.act(asCommittee, view.id, view.version, { action: 'resolve', resolution: '已退还押金' });
    view = await engineOnRecording.act(asLiaison, view.id, view.version, { action: 'feedback', rating: 'satisfied' });
    expect(view.state).toBe('closed');
  }, ['deadlines', 'cases', 'case_participants', 'case_cohandlers']);
  expect(scans).toEqual([]);
});

it('the workers\' claim of due submissions and their firing, by index', async () => {
  const clock = createSubmissionClock({ sql: recording, orgs: engine.runtime.engineDeps.orgs, deliver: () => {} });
  expect(await seqScansOf(async () => expect(await clock.fireDue(16)).toBe(3))).toEqual([]);
});

it('the provisional-calendar recompute, contact retention and the daily anchor, by index', async () => {
  const log = pino({ level: 'silent' });
  const calendar = createCalendarSource({ sql: recording, wake: async () => {}, log, recordKey: engine.runtime.engineDeps.recordKey });
  const audit = createRecordAudit({ sql: recording, storage: engine.runtime.storage, log, deliver: () => {} });
  expect(await seqScansOf(() => calendar.reload())).toEqual([]);
  expect(await seqScansOf(() => eraseExpiredContacts(recording, 1095))).toEqual([]);
  expect(await seqScansOf(() => audit.anchorDay(yesterdayInChina(new Date())))).toEqual([]);
});

it('the dormant-unit check (挂牌不运行): open cases per unit and each unit\'s last act, by index', async () => {
  // A month on, every unit of the district holds open cases it has not acted on: each is flagged (and told) once that day.
  const later = new Date(Date.now() + (DORMANT_AFTER_DAYS + 1) * 86_400_000);
  let flagged = 0;
  expect(await seqScansOf(async () => { flagged = await flagDormantUnits(recording, later, () => {}); }, ['deadlines', 'cases', 'submissions', 'case_events'])).toEqual([]);
  expect(flagged).toBeGreaterThan(0);
  expect(await flagDormantUnits(recording, later, () => {})).toBe(0);
});

it('the outbox, a queue that keeps its delivered rows, is vacuumed after every 1,000 changed rows, not 20 % of the table', async () => {
  const [row] = await plain<{ options: string[] }[]>`select reloptions as options from pg_class where relname = 'outbox'`;
  expect(row.options).toEqual(expect.arrayContaining(['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=1000']));
});
