/**
 * Round trips to Postgres, counted on the wire. A round trip is one wait on Postgres: the client
 * writes, then waits for the server to answer. A pipelined batch is one round trip however many
 * statements it holds and however many socket writes postgres.js splits it into (it coalesces
 * what is issued in one tick into one buffer, but flushes that buffer every time it passes 1024
 * bytes — tests/integration/round-trips.test.ts shows both).
 *
 * Two ways to see a client's traffic, both feeding one counter:
 * - `counter.socket`, postgres.js's `socket` option, for a client built here (the bench's ceiling)
 *   and for the engine's pool (`createRuntime`'s `databaseSocket`).
 *   A write starts a new round trip when the client has received anything since its previous
 *   write (on any connection of this counter), or when it is the first write of the window. This
 *   is exact: the writes of one batch leave in one tick, so nothing is read between them; queries
 *   sent on two connections in the same tick are one wait.
 * - `counter.proxy(url)`, a TCP proxy in front of Postgres, in this process, for a client built
 *   elsewhere that takes a URL only (another process). It agrees with the socket on the tests here, but
 *   it infers waits from the event loop's turns, which a loaded machine can merge. The proxy
 *   cannot see when the client read an answer: the second write of a large batch may reach it after
 *   the answer to the first. But the client reads what the proxy forwards in a later turn of the
 *   event loop than the one the proxy forwarded it in, and the proxy reads the client's reaction a
 *   turn later still. So through the proxy a write starts a new round trip when the server spoke
 *   at least two turns of the event loop before it (and after the previous write).
 *
 * Counts are for warm connections: postgres.js's first use of a statement on a connection costs an
 * extra wait (Parse/Describe/Flush, then Bind/Execute), and a new connection costs its start-up.
 * A window with either is `cold`; `countActions` repeats a cold action on a fresh case until it is warm.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import type { App } from '../../src/http/app.js';
import { LINK_KEY, RECORD_PEPPER } from './harness.js';

/** What one window cost on the wire. */
export interface Tally {
  roundTrips: number;
  /** Statements executed (each Execute or simple Query message). */
  statements: number;
  /** `socket.write` calls (with the proxy: chunks the proxy read). */
  writes: number;
  /** New connections started inside the window. */
  connects: number;
  /** Describe-only writes: a statement's first use on a connection. */
  prepares: number;
  /** Each round trip's statements, shortened, in order. */
  trips: string[][];
}
export const isWarm = (t: Tally) => t.connects === 0 && t.prepares === 0;

export interface RoundTripCounter {
  /** postgres.js's `socket` option (untyped there): a TCP connection to the server, counted. */
  socket: (options: { host: string[]; port: number[] }) => net.Socket;
  /** A counting TCP proxy in front of the server of `url`; `url` is the same URL through the proxy. */
  proxy(url: string): Promise<{ url: string; close(): Promise<void> }>;
  /** What `work` costs between its start and its end; windows do not nest. */
  measure<T>(work: () => Promise<T>): Promise<{ value: T; tally: Tally }>;
  /** True while a window is open. */
  readonly measuring: boolean;
  /** Resolves once no byte has moved on any counted connection for `ms`. */
  quiet(ms?: number): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** One connection's client→server byte stream, parsed into frontend messages. */
interface Connection {
  /** Seen by the proxy rather than by the client's own socket. */
  proxied: boolean;
  pending: Buffer; startedUp: boolean; statements: Map<string, string>; bound: string;
}

/** Counts the turns of the event loop since it was made: two nested `setImmediate`s, then it stops. */
function turnsSince() {
  const marker = { turns: 0 };
  setImmediate(() => { marker.turns = 1; setImmediate(() => { marker.turns = 2; }); });
  return marker;
}

const shorten = (sql: string) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 90 ? `${flat.slice(0, 87)}...` : flat;
};
const cstring = (b: Buffer, at: number) => {
  const end = b.indexOf(0, at);
  return { value: b.toString('utf8', at, end), next: end + 1 };
};

export function createRoundTripCounter(): RoundTripCounter {
  let window: (Tally & { started: boolean }) | null = null;
  /** When the server first spoke since the client's last write (null: it has not): the next write may be a new wait. */
  let serverSpoke: { turns: number } | null = null;
  let lastActivity = performance.now();

  /** Returns which kinds of message a chunk held; messages may span chunks. */
  function parse(conn: Connection, chunk: Buffer) {
    const kinds = new Set<string>();
    let b = conn.pending.length > 0 ? Buffer.concat([conn.pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (!conn.startedUp) {
        // SSLRequest / GSSENCRequest / StartupMessage: no type byte.
        if (b.length - at < 8) break;
        const length = b.readInt32BE(at);
        if (b.length - at < length) break;
        const code = b.readInt32BE(at + 4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) { conn.startedUp = true; kinds.add('startup'); }
        at += length;
        continue;
      }
      if (b.length - at < 5) break;
      const length = b.readInt32BE(at + 1);
      if (b.length - at < 1 + length) break;
      const type = String.fromCharCode(b[at]);
      const body = at + 5;
      kinds.add(type);
      if (type === 'P') {
        const name = cstring(b, body);
        conn.statements.set(name.value, shorten(cstring(b, name.next).value));
      } else if (type === 'B') {
        const statement = cstring(b, cstring(b, body).next).value;
        conn.bound = conn.statements.get(statement) ?? `<statement ${statement}>`;
      } else if (type === 'E') {
        record(conn.bound);
      } else if (type === 'Q') {
        record(shorten(cstring(b, body).value));
      }
      at += 1 + length;
    }
    b = b.subarray(at);
    conn.pending = b.length > 0 ? Buffer.from(b) : Buffer.alloc(0);
    return kinds;
  }

  function record(statement: string) {
    if (!window) return;
    window.statements++;
    window.trips[window.trips.length - 1]?.push(statement);
  }

  function clientWrote(conn: Connection, chunk: Buffer) {
    lastActivity = performance.now();
    if (window) {
      window.writes++;
      if (!window.started || (serverSpoke && (!conn.proxied || serverSpoke.turns >= 2))) {
        window.started = true;
        window.roundTrips++;
        window.trips.push([]);
      }
    }
    serverSpoke = null;
    const kinds = parse(conn, chunk);
    if (!window) return;
    if (kinds.has('startup')) window.connects++;
    if (kinds.has('P') && !kinds.has('E') && !kinds.has('Q')) window.prepares++;
  }

  function serverSent() {
    lastActivity = performance.now();
    serverSpoke ??= turnsSince();
  }

  const newConnection = (proxied: boolean): Connection => ({ proxied, pending: Buffer.alloc(0), startedUp: false, statements: new Map(), bound: '' });

  return {
    socket({ host, port }) {
      const conn = newConnection(false);
      const socket = net.connect({ port: port[0], host: host[0], noDelay: true });
      const write = socket.write;
      socket.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
        clientWrote(conn, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as net.Socket['write'];
      socket.on('data', serverSent);
      return socket;
    },

    async proxy(url) {
      const target = new URL(url);
      const sockets = new Set<net.Socket>();
      const server = net.createServer({ noDelay: true }, (client) => {
        const conn = newConnection(true);
        const upstream = net.connect({ port: Number(target.port || 5432), host: target.hostname, noDelay: true });
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
          s.on('error', () => { client.destroy(); upstream.destroy(); });
        }
        client.on('data', (chunk: Buffer) => { clientWrote(conn, chunk); upstream.write(chunk); });
        upstream.on('data', (chunk: Buffer) => { serverSent(); client.write(chunk); });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String((server.address() as net.AddressInfo).port);
      return {
        url: through.toString(),
        close: () => new Promise<void>((resolve) => {
          sockets.forEach((s) => s.destroy());
          server.close(() => resolve());
        }),
      };
    },

    async measure(work) {
      if (window) throw new Error('round-trip windows do not nest');
      const tally = { roundTrips: 0, statements: 0, writes: 0, connects: 0, prepares: 0, trips: [] as string[][], started: false };
      window = tally;
      try {
        const value = await work();
        const { started: _started, ...counted } = tally;
        return { value, tally: counted };
      } finally {
        window = null;
      }
    },

    get measuring() { return window !== null; },

    async quiet(ms = 60) {
      for (;;) {
        const idle = performance.now() - lastActivity;
        if (idle >= ms) return;
        await new Promise((r) => setTimeout(r, ms - idle));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The engine, counted.

export const COUNTED_ADMIN_TOKEN = 'round-trips-admin-token-0123456789';

export interface CountedEngine {
  runtime: Runtime;
  app: App;
  counter: RoundTripCounter;
  close(): Promise<void>;
}

/**
 * The engine as the harness builds it (no workers, in-memory rate limits out of the way), its pool
 * behind a counting proxy. After-commit delivery is held while a window is open and started when
 * it closes, so an outbox claim never lands inside the action that wrote the rows.
 */
export async function startCountedEngine(opts: { databaseUrl: string; redisUrl: string; queuePrefix?: string }): Promise<CountedEngine> {
  const counter = createRoundTripCounter();
  const day = 24 * 3600_000;
  const runtime = await createRuntime({
    // The pool's own sockets, counted: exact, whatever the machine's load.
    databaseUrl: opts.databaseUrl, databaseSocket: counter.socket,
    queue: { kind: 'redis', url: opts.redisUrl, prefix: opts.queuePrefix ?? `rt_${randomUUID().slice(0, 8)}` },
    adminToken: COUNTED_ADMIN_TOKEN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY, logger: pino({ level: 'silent' }), runWorkers: false,
    // No calendar reload or sweep lands in a window.
    sweepIntervalMs: day, outboxIntervalMs: day,
  });
  const deliver = runtime.engineDeps.deliver;
  let held = false;
  runtime.engineDeps.deliver = () => { if (counter.measuring) held = true; else deliver(); };
  const app = await serveHttp(runtime, {
    adminToken: COUNTED_ADMIN_TOKEN, logger: pino({ level: 'silent' }),
    security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, registrationsPerMinute: 1e9, searchesPerMinute: 1e9 } },
    redisUrl: null,
  });
  const measure = counter.measure.bind(counter);
  counter.measure = async (work) => {
    try {
      return await measure(work);
    } finally {
      if (held) { held = false; deliver(); }
    }
  };
  return {
    runtime, app, counter,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Every action, counted.

export const COUNTED_ACTIONS = [
  'register', 'register (Idempotency-Key)', 'forward', 'accept', 'resolve', 'feedback', 'return', 'transfer', 'request_info', 'resume',
  'hand_off', 'accept (department)', 'supervise', 'deadline warning', 'deadline',
] as const;
export type CountedAction = (typeof COUNTED_ACTIONS)[number];
export type ActionCounts = Record<CountedAction, Tally & { warm: boolean; samples: number[] }>;

interface Person { token: string; orgId: string; userId: string }

async function call(app: App, token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, ...headers } });
  const body = res.body ? JSON.parse(res.body) : null;
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return body;
}

/** The orgs, people, routing rules and SLA policies (every clock `seconds` long) the actions need. */
async function aCountedDistrict(app: App, seconds: number) {
  const admin = (method: 'POST' | 'PUT', url: string, body: unknown) => call(app, COUNTED_ADMIN_TOKEN, method, url, body);
  const org = async (body: Record<string, unknown>) => (await admin('POST', '/api/v1/orgs', body)).id as string;
  const branch = await org({ name: '第一支部', type: 'branch', areas: ['朝阳街道'] });
  const meituan = await org({ name: '美团平台党委', type: 'platform', platform: '美团' });
  const eleme = await org({ name: '饿了么平台党委', type: 'platform', platform: '饿了么' });
  const market = await org({ name: '市场监管局', type: 'department', sectors: ['delivery'] });
  const person = async (name: string, orgId: string, role: string): Promise<Person> => {
    const user = await admin('POST', '/api/v1/users', { name, orgId, role });
    return { token: user.token, orgId, userId: user.id };
  };
  const people = {
    liaison: await person('李联络', branch, 'liaison'),
    meituan: await person('美团专员', meituan, 'committee'),
    eleme: await person('饿了么专员', eleme, 'committee'),
    market: await person('市场监管督办员', market, 'officer'),
  };
  await admin('PUT', '/api/v1/routing-rules', [
    { step: 'forward', match: { platform: '美团' }, toOrgId: meituan },
    { step: 'forward', match: { platform: '饿了么' }, toOrgId: eleme },
    { step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: market },
  ]);
  await admin('PUT', '/api/v1/sla-policies',
    ['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback'].map((step) => ({ step, amount: seconds, unit: 'seconds' })));
  return people;
}

const grievance = {
  worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团', '饿了么'] },
  channel: 'station', category: 'DED', description: '暴雨天配送超时被扣款', platform: '美团', area: '朝阳街道', urgency: 'normal',
};

/**
 * Counts every action of COUNTED_ACTIONS through `app.inject` (auth, validation, the engine; no
 * socket) and a deadline firing through the engine's deadline path (`fireDeadline`, what the
 * BullMQ worker calls). Each round drives fresh cases; an action measured cold is measured again
 * in the next round, up to `maxRounds`. Configuration caches are refreshed just before each window
 * (their 5-second reloads are not an action's); each token is due its `last_used_at` write.
 */
export async function countActions(engine: CountedEngine, { minRounds = 2, maxRounds = 6, slaSeconds = 1 } = {}): Promise<ActionCounts> {
  const { app, runtime, counter } = engine;
  const d = await aCountedDistrict(app, slaSeconds);
  const counts: Partial<ActionCounts> = {};

  const counted = async <T>(action: CountedAction, work: () => Promise<T>): Promise<T> => {
    // Every user's token as after a minute's pause: not in the process's token cache (5 s), and
    // authentication writes its once-a-minute `last_used_at` (a case worker's next action is usually
    // more than a minute away).
    await runtime.database.sql`update api_tokens set last_used_at = null`;
    for (const who of Object.values(d)) runtime.tokens.forgetUser(who.userId);
    for (const cache of [runtime.settings.routingRules, runtime.settings.slaPolicies, runtime.settings.orgs]) {
      cache.invalidate();
      await cache.get();
    }
    await counter.quiet();
    const { value, tally } = await counter.measure(work);
    await counter.quiet();
    const seen = counts[action];
    const warm = isWarm(tally);
    if (!seen || (!seen.warm && warm) || (warm && tally.roundTrips > seen.roundTrips)) {
      counts[action] = { ...tally, warm, samples: [...(seen?.samples ?? []), ...(warm ? [tally.roundTrips] : [])] };
    } else if (warm) {
      seen.samples.push(tally.roundTrips);
    }
    return value;
  };
  type View = { id: string; version: number };
  const register = (action: CountedAction, headers: Record<string, string> = {}) =>
    counted(action, () => call(app, d.liaison.token, 'POST', '/api/v1/cases', grievance, headers)) as Promise<View>;
  const act = (action: CountedAction | null, who: Person, c: View, body: Record<string, unknown>): Promise<View> => {
    const send = () => call(app, who.token, 'POST', `/api/v1/cases/${c.id}/actions`, body, { 'if-match': String(c.version) });
    return action ? counted(action, send) : send();
  };
  const ready = () => Object.keys(counts).length === COUNTED_ACTIONS.length && Object.values(counts).every((t) => t.warm);

  for (let round = 1; round <= maxRounds && (round <= minRounds || !ready()); round++) {
    // The clock first: its l2_accept deadline comes due while the other actions run.
    const clocked = await act(null, d.liaison, await register('register (Idempotency-Key)', { 'idempotency-key': randomUUID() }), { action: 'forward' });

    let c = await register('register');
    c = await act('forward', d.liaison, c, { action: 'forward' });
    c = await act('accept', d.meituan, c, { action: 'accept' });
    c = await act('resolve', d.meituan, c, { action: 'resolve', resolution: '已退还扣款' });
    await act('feedback', d.liaison, c, { action: 'feedback', rating: 'satisfied' });

    const returned = await act(null, d.liaison, await register('register'), { action: 'forward' });
    await act('return', d.meituan, returned, { action: 'return', reason: '请补充订单号' });
    const transferred = await act(null, d.liaison, await register('register'), { action: 'forward' });
    await act('transfer', d.meituan, transferred, { action: 'transfer', toOrgId: d.eleme.orgId, reason: '属饿了么订单' });

    let l3 = await act(null, d.meituan, await act(null, d.liaison, await register('register'), { action: 'forward' }), { action: 'accept' });
    l3 = await act('request_info', d.meituan, l3, { action: 'request_info', question: '请提供截图' });
    l3 = await act('resume', d.meituan, l3, { action: 'resume', answer: '截图已补充' });
    l3 = await act('hand_off', d.meituan, l3, { action: 'hand_off', reason: '涉及扣款规则，需主管部门处理' });
    l3 = await act('accept (department)', d.market, l3, { action: 'accept' });
    await act('supervise', d.market, l3, { action: 'supervise', instructions: '三个工作日内退还扣款', amount: 3, unit: 'working_days' });

    const [clock] = await runtime.database.sql<{ id: string; rev: number; dueAt: Date }[]>`
      select id, rev, due_at from deadlines where case_id = ${clocked.id} and step = 'l2_accept' and status = 'pending'`;
    await new Promise((r) => setTimeout(r, Math.max(0, clock.dueAt.getTime() - Date.now() + 50)));
    for (const [action, kind] of [['deadline warning', 'warn'], ['deadline', 'due']] as const) {
      const fired = await counted(action, () => runtime.engine.fireDeadline(clock.id, clock.rev, kind));
      if (fired.retryAt) throw new Error(`deadline ${kind} fired early (retry at ${fired.retryAt.toISOString()})`);
    }
    const [after] = await runtime.database.sql<{ status: string; warnedAt: Date | null }[]>`select status, warned_at from deadlines where id = ${clock.id}`;
    if (after.status !== 'missed' || !after.warnedAt) throw new Error(`the deadline did not fire: ${JSON.stringify(after)}`);
  }
  return counts as ActionCounts;
}

/** `round trips per action: register N, forward N, accept N, resolve N, feedback N, deadline N` */
export function roundTripLine(counts: Record<string, Pick<Tally, 'roundTrips'>>, actions: readonly string[] = ['register', 'forward', 'accept', 'resolve', 'feedback', 'deadline']) {
  return `round trips per action: ${actions.map((a) => `${a} ${counts[a]?.roundTrips ?? '?'}`).join(', ')}`;
}
