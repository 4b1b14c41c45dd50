/**
 * The database client. drizzle defines the schema (db/schema.ts) and the migrations (db/migrate.ts);
 * queries are postgres.js tagged templates — prepared statements, measured at several times less
 * CPU per query than built queries on these machines (see README, Benchmarks). Rows come back
 * with camelCase keys, the same shapes as the schema's `$inferSelect` types.
 */
import type { Socket } from 'node:net';
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, unknown>>;
/** A transaction or the pool: every data-access function takes either. */
export type Tx = Sql | postgres.TransactionSql<Record<string, unknown>>;

export interface Database {
  sql: Sql;
  /** The pool now, for the metrics; null if postgres.js does not tell (db/patches adds `poolState`). */
  pool(): PoolState | null;
  close(): Promise<void>;
}

/**
 * Connections in use (running queries, held by a transaction, or connecting for a query) and
 * queries waiting because every connection is in use or full.
 */
export interface PoolState { max: number; inUse: number; waiting: number }

interface PostgresPoolState { max: number; idle: number; busy: number; reserved: number; connecting: number; waiting: number }

/** How a connection reaches the server: postgres.js's `socket` option (not in its types), e.g. to count round trips. */
export type DatabaseSocket = (options: { host: string[]; port: number[] }) => Socket;

/**
 * While Postgres is away each connection tries again after this many seconds: postgres.js's own
 * backoff grows to 20 s, and a request waiting for a connection would wait that long for its 503.
 */
const reconnectAfter = (retries: number) => Math.min(0.05 * 2 ** retries, 1);

/**
 * Column names: camelCase in JS, snake_case in SQL (postgres.camel). A helper (`tx(row)`) turns
 * every key of every row it writes, so each name is turned once and remembered. The schema's names
 * are a few hundred; past 2,000 a name is turned each time, so no caller can grow the map.
 */
const snakeNames = new Map<string, string>();
export const COLUMN_NAMES = {
  from: postgres.camel.column.from,
  to(name: string): string {
    const known = snakeNames.get(name);
    if (known !== undefined) return known;
    const snake = postgres.camel.column.to(name);
    if (snakeNames.size < 2000) snakeNames.set(name, snake);
    return snake;
  },
};

export function connectDatabase(url: string, opts: {
  max?: number; socket?: DatabaseSocket;
  /** What `pg_stat_activity` shows for these connections (the read replica's are `grievance-engine read`). */
  applicationName?: string;
  /** Seconds to wait for a connection before giving up (10). */
  connectTimeout?: number;
} = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10, onnotice: () => {}, transform: { column: COLUMN_NAMES, undefined: null },
    backoff: reconnectAfter, connect_timeout: opts.connectTimeout ?? 10,
    ...(opts.applicationName ? { connection: { application_name: opts.applicationName } } : {}),
    ...(opts.socket ? { socket: opts.socket } : {}),
  } as postgres.Options<{}>) as unknown as Sql;
  const state = (sql as unknown as { poolState?: () => PostgresPoolState }).poolState;
  const pool = () => {
    if (!state) return null;
    const p = state();
    return { max: p.max, inUse: p.busy + p.reserved + p.connecting, waiting: p.waiting };
  };
  return { sql, pool, close: () => sql.end({ timeout: 5 }) };
}

/** A value for a jsonb column (postgres.js's own JSON type is narrower than our plain objects). */
export function jsonb(tx: Tx, value: unknown) {
  return tx.json(value as postgres.JSONValue);
}

/**
 * A timestamp parameter whose type does not depend on its value. postgres.js names a parameter's
 * type from the JS value (a Date is timestamptz, null is unknown) and prepares one statement per
 * name: a column that is sometimes null would prepare the same statement again, and a statement
 * being prepared holds up every statement pipelined behind it.
 */
export function timestamp(tx: Tx, value: Date | null) {
  return tx.typed(value, 1184);
}

/**
 * Statements of one fixed shape, their SQL text built once. postgres.js's helpers (`tx(row)`) build
 * a statement's text again on every call (a search for seven keywords in the text before the helper,
 * every column name turned); the case writer's statements go out on every action and a firing, so
 * they are built here instead, once: the values go in the order of `columns`.
 */
export function fixedUpdate<C extends string>(table: string, columns: readonly C[], tail: (next: number) => string) {
  const text = `update ${table} set ${columns.map((c, i) => `"${COLUMN_NAMES.to(c)}"=$${i + 1}`).join(',')}${tail(columns.length + 1)}`;
  return (tx: Tx, values: Readonly<Record<C, unknown>>, ...more: unknown[]) =>
    tx.unsafe(text, [...columns.map((c) => values[c]), ...more] as postgres.ParameterOrJSON<never>[], { prepare: true });
}

/** A row of these columns, each value from `value`: what `fixedUpdate` and `fixedInsert` take. */
export function columnValues<C extends string>(columns: readonly C[], value: (column: C) => unknown): Record<C, unknown> {
  return Object.fromEntries(columns.map((c) => [c, value(c)])) as Record<C, unknown>;
}

/** `insert into <table> (<columns>) values (…), …<tail>`: its text built once per number of rows (up to 8, then each time). */
export function fixedInsert<C extends string>(table: string, columns: readonly C[], tail = '') {
  const head = `insert into ${table} (${columns.map((c) => `"${COLUMN_NAMES.to(c)}"`).join(',')}) values `;
  const textOf = (rows: number) => head + Array.from({ length: rows }, (_, r) => `(${columns.map((_, i) => `$${r * columns.length + i + 1}`).join(',')})`).join(',') + tail;
  const texts = Array.from({ length: 9 }, (_, rows) => textOf(rows));
  return (tx: Tx, rows: readonly Readonly<Record<C, unknown>>[]) =>
    tx.unsafe(texts[rows.length] ?? textOf(rows.length), rows.flatMap((row) => columns.map((c) => row[c])) as postgres.ParameterOrJSON<never>[], { prepare: true });
}

/** Runs `work` in one transaction. */
export function inTransaction<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin((tx) => work(tx as Tx)) as Promise<T>;
}

/**
 * A cursor's batches with the next one asked for as soon as this one is handed out, so Postgres
 * reads batch n + 1 while the caller writes batch n (postgres.js fetches a cursor's next batch
 * only when `next()` is called; its batches are fresh arrays, so one held while the next is read
 * is not overwritten).
 */
export async function* readAhead<T>(batches: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const batch = await next;
      if (batch.done) return;
      next = iterator.next();
      yield batch.value;
    }
  } finally {
    // Stopped early (an error, a closed download): end the cursor once the batch in flight is in.
    // `next` may be no promise: postgres.js answers `{ done: true }` at once when the query has ended.
    await Promise.resolve(next).then(() => iterator.return?.(), () => undefined);
  }
}
