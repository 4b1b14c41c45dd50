/**
 * The read replica (DATABASE_READ_URL): a Postgres streaming standby that takes the heavy reads —
 * queue lists, the oversight board, the measures, the meeting agenda, exports — off the primary.
 * Writes, and every read inside an action, stay on the primary.
 *
 * Which client a read gets:
 * - the standby while it is `ok`: reachable, a standby (in recovery), and no more than
 *   `maxLagSeconds` behind. The lag is measured by WAL position, not by
 *   `now() - pg_last_xact_replay_timestamp()` (that grows on an idle primary where nothing is
 *   behind): every second the primary's `pg_current_wal_lsn()` is sampled, and the standby is as far
 *   behind as the newest sample its `pg_last_wal_replay_lsn()` has reached is old. Lagging or
 *   unavailable: every read goes to the primary (one log line per change of state), never a 503.
 * - read-your-writes: after a user's write the HTTP edge notes the primary's WAL position for that
 *   user (`noteWrite`); that user's reads wait until the standby has replayed it (up to
 *   `WAIT_FOR_REPLAY_MS`), else they go to the primary. A job passes the position it must see (`after`).
 * - a read on the standby that fails because the standby went away or cancelled it (a recovery
 *   conflict) runs again on the primary: it only reads.
 */
import type { Logger } from 'pino';
import { connectDatabase, type Sql } from './client.js';
import { isDatabaseUnavailable, unavailableReason } from './unavailable.js';

/** A WAL position (`pg_lsn`) as a number, so that positions compare. */
export type Lsn = bigint;

export type ReplicaState = 'ok' | 'lagging' | 'unavailable';

export interface ReadOptions {
  /** Whose own writes the read must see: the user's last noted write (their id). */
  reader?: string | null;
  /** A WAL position the read must see (a job's, taken after its own commit). */
  after?: Lsn | null;
}

export interface ReadDatabase {
  /** Runs read-only `work` on the standby when it may, else on the primary; again on the primary if the standby fails it. */
  read<T>(work: (sql: Sql) => Promise<T>, opts?: ReadOptions): Promise<T>;
  /** The client a read that cannot be run twice (a stream) should use now. */
  client(opts?: ReadOptions): Promise<Sql>;
  /** After a write by `reader` has committed: their next reads see it. */
  noteWrite(reader: string): Promise<void>;
  /** The primary's WAL position now (null without a replica: nothing to wait for). */
  primaryLsn(): Promise<Lsn | null>;
  /** Null without a replica; else what `/readyz` reports. */
  state(): ReplicaState | null;
  close(): Promise<void>;
}

/** How long a read waits for the standby to replay a position it must see, before it goes to the primary. */
export const WAIT_FOR_REPLAY_MS = 1000;
const CHECK_INTERVAL_MS = 1000;
const CHECK_TIMEOUT_MS = 2000;
const POLL_MS = 10;

/** Without DATABASE_READ_URL: everything on the primary, no extra query. */
export function primaryOnly(primary: Sql): ReadDatabase {
  return {
    read: (work) => work(primary),
    client: async () => primary,
    noteWrite: async () => {},
    primaryLsn: async () => null,
    state: () => null,
    close: async () => {},
  };
}

export function parseLsn(text: string): Lsn {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

const NEVER: Lsn = (1n << 64n) - 1n;

/** Reads the standby may cancel (a recovery conflict) or lose: the same read on the primary answers. */
function primaryWouldAnswer(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return isDatabaseUnavailable(err) || code === '40001' || code === '40P01' || code === '57P04';
}

export async function connectReadReplica(opts: {
  url: string; primary: Sql; maxLagSeconds: number; log: Logger;
  /** How often the lag is measured (1 s). */
  checkIntervalMs?: number;
}): Promise<ReadDatabase> {
  const { primary, log } = opts;
  const replica = connectDatabase(opts.url, { applicationName: 'grievance-engine read', connectTimeout: 3 });
  const maxLagMs = opts.maxLagSeconds * 1000;
  // The primary's position at each check, oldest first, kept for as long as the lag may be.
  const samples: { at: number; lsn: Lsn }[] = [];
  // Null until the first check, whose state is always logged.
  let state: ReplicaState | null = null;
  let replayed: Lsn = 0n;
  /** Each user's last write, and until when it matters: a standby within the lag has replayed anything older. */
  const marks = new Map<string, { lsn: Lsn; until: number }>();
  const keepMarkMs = maxLagMs + 2 * (opts.checkIntervalMs ?? CHECK_INTERVAL_MS);

  const withTimeout = <T>(p: Promise<T>) => Promise.race([
    p, new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error('no answer'), { code: 'CHECK_TIMEOUT' })), CHECK_TIMEOUT_MS).unref()),
  ]);
  const primaryLsn = async () => parseLsn((await primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`)[0].lsn);
  const replayLsn = async () => {
    const [row] = await replica.sql<{ standby: boolean; replayed: string | null }[]>`
      select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed`;
    if (!row.standby || !row.replayed) throw Object.assign(new Error('not a standby'), { code: 'NOT_A_STANDBY' });
    return parseLsn(row.replayed);
  };

  function become(next: ReplicaState, detail: Record<string, unknown>) {
    if (next === state) return;
    const was = state;
    state = next;
    if (next === 'ok') log.info({ replica: next, was, ...detail }, '只读副本可用 / read replica ok: reads go to the standby');
    else log.warn({ replica: next, was, ...detail }, `只读副本${next === 'lagging' ? '延迟' : '不可用'} / read replica ${next}: reads go to the primary`);
  }

  let checking = false;
  async function check() {
    if (checking) return;
    checking = true;
    try {
      const at = Date.now();
      const lsn = await withTimeout(primaryLsn()).catch(() => null);
      // The primary away: every request answers 503 anyway; the standby's state stays as it was.
      if (lsn === null) return;
      samples.push({ at, lsn });
      try {
        replayed = await withTimeout(replayLsn());
      } catch (err) {
        become('unavailable', { reason: unavailableReason(err) });
        return;
      }
      const now = Date.now();
      // Everything the primary had at a sample's time is on the standby once it has replayed the sample's position.
      const reached = samples.filter((s) => s.lsn <= replayed).at(-1);
      const lagMs = reached ? now - reached.at : now - samples[0].at;
      // Older samples are not needed: a standby that has not reached the oldest kept one is lagging anyway.
      while (samples.length > 1 && samples[0].at < now - maxLagMs - 5000) samples.shift();
      for (const [reader, mark] of marks) if (mark.lsn <= replayed || mark.until < now) marks.delete(reader);
      become(lagMs > maxLagMs ? 'lagging' : 'ok', { lagSeconds: Math.round(lagMs / 100) / 10 });
    } finally {
      checking = false;
    }
  }

  /** Whether the standby has replayed `lsn`: asked at once (it usually has, a millisecond after commit), then every few milliseconds for a while. */
  async function replayedUpTo(lsn: Lsn): Promise<boolean> {
    const end = Date.now() + WAIT_FOR_REPLAY_MS;
    for (;;) {
      if (replayed >= lsn) return true;
      if (Date.now() >= end || state !== 'ok') return false;
      try {
        const now = await withTimeout(replayLsn());
        if (now > replayed) replayed = now;
      } catch {
        return false;
      }
      if (replayed < lsn) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async function choose(o: ReadOptions = {}): Promise<Sql> {
    if (state !== 'ok') return primary;
    const mark = o.reader ? marks.get(o.reader) : undefined;
    const need = [o.after ?? 0n, mark && mark.until >= Date.now() ? mark.lsn : 0n].reduce((a, b) => (b > a ? b : a));
    return need === 0n || (await replayedUpTo(need)) ? replica.sql : primary;
  }

  await check();
  const timer = setInterval(() => void check(), opts.checkIntervalMs ?? CHECK_INTERVAL_MS);

  return {
    async read(work, o) {
      const sql = await choose(o);
      if (sql === primary) return work(primary);
      try {
        return await work(sql);
      } catch (err) {
        if (!primaryWouldAnswer(err)) throw err;
        if (isDatabaseUnavailable(err)) become('unavailable', { reason: unavailableReason(err) });
        return work(primary);
      }
    },
    client: choose,
    async noteWrite(reader) {
      // Without the position (the primary just went away) the user's reads stay on the primary for a while.
      const lsn = await primaryLsn().catch(() => NEVER);
      marks.set(reader, { lsn, until: Date.now() + keepMarkMs });
    },
    primaryLsn: () => primaryLsn(),
    state: () => state ?? 'unavailable',
    async close() {
      clearInterval(timer);
      await replica.close();
    },
  };
}
