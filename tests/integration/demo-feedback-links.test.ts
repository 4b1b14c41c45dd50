/**
 * Issue 19.9: the demo district's history sent no message to anyone, so no stored row may hold a
 * feedback link that works. Every text and jsonb column of every table is scanned for a
 * `/feedback/<token>` link, and each one found is tried against the public API; every link the
 * history issued is spent (used or expired), so a token kept anywhere else would not work either.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDistrict } from '../../src/demo/demo-district.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';

let engine: TestEngine;
let sql: postgres.Sql;
beforeAll(async () => {
  engine = await startTestEngine();
  sql = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
  await seedDemoDistrict(engine.runtime);
}, 300_000);
afterAll(async () => {
  await sql?.end();
  await engine?.close();
});

/** Every `/feedback/<token>` written anywhere in the database: [table.column, token]. */
async function storedFeedbackLinks(): Promise<[string, string][]> {
  const columns = await sql<{ table: string; column: string }[]>`
    select c.table_name as table, c.column_name as column from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`;
  expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(expect.arrayContaining(['outbox.payload', 'notifications.body']));
  const found: [string, string][] = [];
  for (const { table, column } of columns) {
    const rows = await sql<{ text: string }[]>`select ${sql(column)}::text as text from ${sql(table)} where ${sql(column)}::text like '%/feedback/%'`;
    for (const { text } of rows) {
      for (const [, token] of text.matchAll(/\/feedback\/([A-Za-z0-9_-]+)/g)) found.push([`${table}.${column}`, token]);
    }
  }
  return found;
}

let ip = 0;
describe('the seeded demo district', () => {
  it('keeps no working feedback link in any stored row', async () => {
    for (const [where, token] of await storedFeedbackLinks()) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await engine.app.inject({
          method, url: `/api/v1/public/feedback/${token}`, remoteAddress: `10.9.0.${++ip}`,
          ...(method === 'POST' ? { payload: { rating: 'satisfied', solved: 'yes' } } : {}),
        });
        expect([404, 410], `${method} the link in ${where}`).toContain(res.statusCode);
      }
    }
    const issued = await sql<{ usable: boolean }[]>`select (used_at is null and expires_at > now()) as usable from worker_feedback_links`;
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.filter((l) => l.usable)).toHaveLength(0);
    const [{ links }] = await sql<{ links: number }[]>`select count(*)::int as links from outbox where payload ? 'link'`;
    expect(links).toBe(0);
  });
});
