/**
 * The columns that hold the case rules' values are checked by the database (migration 0017): the
 * migrated constraints list exactly case-rules' values (a rule changed without a migration fails
 * here), and a row outside them is refused.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import {
  AGENDA_REASONS, DEADLINE_STEPS, LEVELS, POLICY_STEPS, STATES, TIME_UNITS, URGENCIES,
} from '../../workflows/case-rules.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: postgres.Sql;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = postgres(database.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

/** The quoted values of a CHECK constraint's definition, in order. */
async function listed(constraint: string): Promise<string[]> {
  const [row] = await sql<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conname = ${constraint}`;
  expect(row, constraint).toBeDefined();
  return [...row.def.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]);
}

describe('CHECK constraints from the case rules', () => {
  it.each([
    ['cases_state_known', STATES], ['cases_level_known', LEVELS], ['cases_urgency_known', URGENCIES],
    ['deadlines_step_known', DEADLINE_STEPS], ['deadlines_level_known', LEVELS], ['deadlines_unit_known', TIME_UNITS],
    ['case_events_level_known', LEVELS], ['case_events_reason_code_known', AGENDA_REASONS],
    ['meeting_items_reasons_known', AGENDA_REASONS],
    ['sla_policies_step_known', POLICY_STEPS], ['sla_policies_urgency_known', URGENCIES], ['sla_policies_unit_known', TIME_UNITS],
    ['sla_policies_max_pause_unit_known', TIME_UNITS],
  ] as const)('%s lists the rules\' values', async (constraint, values) => {
    expect(await listed(constraint)).toEqual([...values]);
  });

  it('a value outside the rules is refused by the database', async () => {
    await expect(sql`insert into sla_policies (step, amount, unit) values ('supervision', 1, 'hours')`).rejects.toThrow(/sla_policies_step_known/);
    await expect(sql`insert into sla_policies (step, amount, unit) values ('l1_forward', 1, 'fortnights')`).rejects.toThrow(/sla_policies_unit_known/);
    await sql`insert into sla_policies (step, urgency, amount, unit) values ('l1_forward', 'critical', 1, 'hours')`;
    await expect(sql`insert into sla_policies (step, urgency, amount, unit) values ('l1_forward', 'whenever', 1, 'hours')`)
      .rejects.toThrow(/sla_policies_urgency_known/);
  });
});
