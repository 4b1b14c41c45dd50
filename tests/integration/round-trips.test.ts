/**
 * Round trips per action (the budget): one locking read, decide in JS, every write in one
 * pipelined batch in the same transaction. Counted per action: auth, idempotency, BEGIN, reads,
 * writes, COMMIT; not counted: after-commit delivery and the queue's own traffic (Redis). No user
 * action and no deadline firing may take more than 5. Counts are deterministic: a test, not a timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { REDIS_URL, createTestDatabase } from '../support/test-database.js';
import {
  COUNTED_ACTIONS, countActions, createRoundTripCounter, roundTripLine, startCountedEngine, type ActionCounts, type RoundTripCounter,
} from '../support/round-trips.js';

const BUDGET = 5;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { database = await createTestDatabase(); });
afterAll(async () => database?.drop());

describe('the round-trip counter', () => {
  let counter: RoundTripCounter;
  let viaSocket: postgres.Sql;
  let viaProxy: postgres.Sql;
  let proxy: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    counter = createRoundTripCounter();
    proxy = await counter.proxy(database.url);
    viaSocket = postgres(database.url, { max: 1, onnotice: () => {}, socket: counter.socket } as postgres.Options<{}>);
    viaProxy = postgres(proxy.url, { max: 1, onnotice: () => {} });
    for (const sql of [viaSocket, viaProxy]) await sql`create temp table t (id int, v text)`;
  });
  afterAll(async () => {
    await Promise.all([viaSocket?.end(), viaProxy?.end()]);
    await proxy?.close();
  });

  const insert = (tx: postgres.TransactionSql, i: number, v = 'x') => tx`insert into t values (${i}, ${v})`;

  it.each(['socket', 'proxy'] as const)('through the %s: an awaited statement is a round trip, a pipelined batch is one however many writes it takes', async (via) => {
    const sql = via === 'socket' ? viaSocket : viaProxy;
    // First use on the connection: Parse/Describe/Flush, a wait, then Bind/Execute: cold.
    const first = await counter.measure(() => sql.begin((tx) => insert(tx, 0)));
    expect(first.tally).toMatchObject({ prepares: 1, roundTrips: 4 });

    const serial = await counter.measure(() => sql.begin(async (tx) => { for (let i = 0; i < 5; i++) await insert(tx, i); }));
    expect(serial.tally).toMatchObject({ prepares: 0, roundTrips: 7, statements: 7 }); // BEGIN, 5 inserts, COMMIT

    const pipelined = await counter.measure(() => sql.begin((tx) => [0, 1, 2, 3, 4].map((i) => insert(tx, i))));
    expect(pipelined.tally).toMatchObject({ roundTrips: 3, statements: 7 }); // BEGIN, the batch, COMMIT

    // 5 × 400 bytes: postgres.js flushes its buffer past 1024 bytes, so the batch leaves in two writes; still one wait.
    const large = await counter.measure(() => sql.begin((tx) => [0, 1, 2, 3, 4].map((i) => insert(tx, i, 'y'.repeat(400)))));
    expect(large.tally.roundTrips).toBe(3);
    expect(large.tally.trips.map((trip) => trip.length)).toEqual([1, 5, 1]);
    if (via === 'socket') {
      expect(serial.tally.writes).toBe(7);
      expect(pipelined.tally.writes).toBe(3);
      expect(large.tally.writes).toBe(4);
    }
  });

  it.each(['socket', 'proxy'] as const)('through the %s: a statement sent after waiting on part of a batch is a round trip of its own', async (via) => {
    const sql = via === 'socket' ? viaSocket : viaProxy;
    const overlapped = await counter.measure(() => sql.begin(async (tx) => {
      // postgres.js sends a query when it is awaited (or `execute()`d): both leave now.
      const [a, b] = [insert(tx, 1).execute(), insert(tx, 2).execute()];
      await a;
      await insert(tx, 3);
      await b;
    }));
    expect(overlapped.tally).toMatchObject({ roundTrips: 4, statements: 5 }); // BEGIN, [1, 2], [3], COMMIT
  });
});

describe('round trips per action', () => {
  let engine: Awaited<ReturnType<typeof startCountedEngine>>;
  let counts: ActionCounts;
  beforeAll(async () => {
    engine = await startCountedEngine({ databaseUrl: database.url, redisUrl: REDIS_URL });
    counts = await countActions(engine);
    console.log(roundTripLine(counts));
    console.log(COUNTED_ACTIONS.map((a) => `  ${a.padEnd(28)} ${String(counts[a].roundTrips).padStart(3)} round trips, ${String(counts[a].statements).padStart(3)} statements${counts[a].warm ? '' : ' (cold)'}`).join('\n'));
  });
  afterAll(async () => engine?.close());

  it('counts each action on a warm connection, and the same count every time', () => {
    for (const action of COUNTED_ACTIONS) {
      expect(counts[action].warm, action).toBe(true);
      expect(new Set(counts[action].samples).size, `${action}: ${counts[action].samples.join(', ')}`).toBe(1);
    }
  });

  it(`no user action and no deadline firing takes more than ${BUDGET} round trips`, () => {
    const over = Object.fromEntries(COUNTED_ACTIONS.filter((a) => counts[a].roundTrips > BUDGET)
      .map((a) => [a, { roundTrips: counts[a].roundTrips, trips: counts[a].trips.map((t) => t.join(' ; ')) }]));
    expect(over).toEqual({});
  });
});
