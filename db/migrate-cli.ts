/**
 * The compose file's one-shot `migrate` service, run as the database owner: applies the migrations,
 * then (APP_DB_PASSWORD set) makes sure the login role the API and workers use exists with that
 * password, as a member of `grievance_app` (owns nothing; may not UPDATE or DELETE case_events).
 */
import postgres from 'postgres';
import { migrateDatabase } from './migrate.js';
import { createRecordKey } from '../src/cases/case-record.js';

const APP_LOGIN = 'grievance_api';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (the owner\'s connection string)');
  const pepper = process.env.RECORD_PEPPER;
  if (!pepper) throw new Error('RECORD_PEPPER is required: it keys the record\'s digests of personal data, and older records are rewritten with it');
  await migrateDatabase(url, createRecordKey(pepper));
  const password = process.env.APP_DB_PASSWORD;
  if (!password) return;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await sql`select 1 from pg_roles where rolname = ${APP_LOGIN}`;
    // A password cannot be a bound parameter in CREATE/ALTER ROLE: quoted as a Postgres string literal.
    const secret = `'${password.replaceAll("'", "''")}'`;
    await sql.unsafe(`${exists ? 'alter' : 'create'} role ${APP_LOGIN} login password ${secret}`);
    await sql.unsafe(`grant grievance_app to ${APP_LOGIN}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  process.stdout.write(`migrations applied; login role ${APP_LOGIN} ready\n`);
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
