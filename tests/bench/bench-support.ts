/** Shared by the benchmark scripts: a throw-away database on the machine's Postgres, percentiles, Postgres CPU. */
import { readFileSync, readdirSync } from 'node:fs';
import postgres from 'postgres';
import { migrateDatabase } from '../../db/migrate.js';
import { createRecordKey } from '../../src/cases/case-record.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function benchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString(), createRecordKey('bench-record-pepper-for-migrations-only-0123'));
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of every process named `postgres`, in ms, by pid; read from /proc at once. */
export function postgresProcessCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ..." — comm may hold spaces; fields 14 and 15 (utime, stime) count from after it.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return cpu;
}

/**
 * Postgres CPU between two `postgresProcessCpu()` readings: the backends serving `database`
 * (a backend started in between counts from zero), and the server's own processes (WAL writer,
 * checkpointer, background writer, autovacuum) — those work for every database on the machine.
 */
export async function postgresCpuBetween(admin: postgres.Sql, database: string, before: Map<number, number>, after: Map<number, number>) {
  const processes = await admin<{ pid: number; datname: string | null; backendType: string }[]>`
    select pid, datname, backend_type as "backendType" from pg_stat_activity where pid <> pg_backend_pid()`;
  let backends = 0;
  let server = 0;
  for (const p of processes) {
    const used = (after.get(p.pid) ?? 0) - (before.get(p.pid) ?? 0);
    if (p.backendType === 'client backend') { if (p.datname === database) backends += used; }
    else server += used;
  }
  // The postmaster is not in pg_stat_activity.
  const listed = new Set(processes.map((p) => p.pid));
  for (const [pid, ms] of after) if (!listed.has(pid) && before.has(pid)) server += ms - before.get(pid)!;
  return { backends, server };
}
