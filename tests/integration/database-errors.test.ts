/**
 * Which errors mean "the database is away" (503 database_unavailable) and which keep their usual
 * path: real errors from postgres.js against a closed port and the machine's Postgres, and the
 * SQLSTATEs a server sends while it shuts down or starts.
 */
import { connect } from 'node:net';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { isDatabaseUnavailable, unavailableReason } from '../../db/unavailable.js';
import { freePort } from '../../src/embedded/embedded-postgres.js';
import { ADMIN_URL } from '../support/test-database.js';

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err);

it('a refused connection is the database away; the same refusal from another socket is not', async () => {
  const port = await freePort();
  const sql = postgres(`postgres://postgres@127.0.0.1:${port}/none`, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const err = await failure(sql`select 1`);
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(unavailableReason(err)).toBe('ECONNREFUSED');
  } finally {
    await sql.end({ timeout: 1 });
  }
  // Redis, the file storage or a webhook refused: not the database.
  const socketError = await new Promise<Error>((resolve) => connect(port, '127.0.0.1').on('error', resolve));
  expect((socketError as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  expect(isDatabaseUnavailable(socketError)).toBe(false);
});

it('a backend terminated under a query is the database away; a bad statement is not', async () => {
  const victim = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [{ pid }] = await victim<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const sleeping = failure(victim`select pg_sleep(10)`);
    await new Promise((r) => setTimeout(r, 200));
    await admin`select pg_terminate_backend(${pid})`;
    const err = await sleeping;
    expect(['57P01', 'CONNECTION_CLOSED']).toContain((err as { code: string }).code);
    expect(isDatabaseUnavailable(err)).toBe(true);

    const syntax = await failure(admin.unsafe('selec 1'));
    expect((syntax as { code: string }).code).toBe('42601');
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    // The pool that lost its connection works again.
    expect(await victim`select 1 as one`).toEqual([{ one: 1 }]);
  } finally {
    await victim.end({ timeout: 1 });
    await admin.end({ timeout: 1 });
  }
});

it('the SQLSTATEs of a server shutting down, starting, or full, and postgres.js connection codes', () => {
  for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001', '08P01', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']) {
    expect(isDatabaseUnavailable(Object.assign(new Error(code), { code })), code).toBe(true);
  }
  for (const code of ['23505', '40001', '57014', '22P02', 'P0001', 'NoSuchBucket']) {
    expect(isDatabaseUnavailable(Object.assign(new Error(code), { code })), code).toBe(false);
  }
  expect(isDatabaseUnavailable(new Error('no code'))).toBe(false);
  expect(isDatabaseUnavailable(null)).toBe(false);
});

it('a transaction whose backend dies rejects, nothing of it runs later, and the process lives (patches/postgres+3.4.9.patch)', async () => {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const table = `outage_probe_${process.pid}_${Date.now()}`;
  try {
    await admin.unsafe(`create table ${table} (n int)`);
    let pid = 0;
    const tx = failure(sql.begin(async (t) => {
      [{ pid }] = await t<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await t`select pg_sleep(10)`.catch(() => {});
      // The callback goes on after its connection died: this insert must never run, on any connection.
      await t.unsafe(`insert into ${table} values (1)`);
    }));
    while (!pid) await new Promise((r) => setTimeout(r, 20));
    await admin`select pg_terminate_backend(${pid})`;
    expect(isDatabaseUnavailable(await tx)).toBe(true);
    // Unpatched, the transaction's ROLLBACK is written to a null socket from a setImmediate: an uncaught TypeError.
    await new Promise((r) => setTimeout(r, 300));
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    expect(await admin.unsafe(`select count(*)::int as n from ${table}`)).toEqual([{ n: 0 }]);
  } finally {
    await admin.unsafe(`drop table if exists ${table}`);
    await sql.end({ timeout: 1 });
    await admin.end({ timeout: 1 });
  }
});
