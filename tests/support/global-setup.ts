/**
 * Once per test run: a template database with every migration applied. Each test file then
 * gets its own database cloned from it (see test-database.ts), so tests never share data.
 */
import postgres from 'postgres';
import { migrateDatabase } from '../../db/migrate.js';
import { ADMIN_URL, TEMPLATE_DB, databaseUrl } from './test-database.js';

export default async function setup() {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(databaseUrl(TEMPLATE_DB));
}
