/**
 * Live updates for the pages (`GET /api/v1/stream`, server-sent events). Postgres announces each
 * changed case and each new notification on the `grievance_live` channel from triggers
 * (migration live_notifications), inside the writing transaction — so every replica hears of a
 * change only after it committed. Each replica listens on one connection of its own and fans the
 * announcements out to its connected users by scope: a case to the users of every unit that
 * holds, has held or supervises it (a convener: all), a notification to its unit's users (with the
 * role it names). A comment line every `pingMs` keeps proxies from closing an idle stream; then the
 * caller's token is checked again, so a revoked token's stream ends within one ping. Each stream
 * holds a socket: at most `limits.perToken` per token and `limits.perProcess` in all (429 beyond);
 * a stream that ends, however it ends, gives its slot back.
 */
import { seesEveryCase } from '../access/permissions.js';
import { readingUnits } from '../access/case-permissions.js';
import type { Cached } from '../cached.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { StreamLimits } from '../config.js';
import { TooManyRequests } from '../errors.js';

export const LIVE_CHANNEL = 'grievance_live';
/** The waits between tries of an announcement's lookup (then one last try): ~2 s in all. */
const SEEING_RETRIES_MS = [100, 250, 500, 1000];

export interface CaseChanged { caseId: string; reference: string; state: string; level: string; holderOrgId: string; version: number; at: string }
export interface NotificationAdded { id: string; kind: string; caseId: string; reference: string; title: string; createdAt: string; unread: true }

type Announcement =
  | ({ type: 'case' } & CaseChanged)
  | ({ type: 'notification'; orgId: string; role: string | null } & Omit<NotificationAdded, 'unread'>);

/** One connected user's stream. */
export interface LiveClient {
  caller: Caller;
  /** The digest of the caller's token: the streams of one token are counted together. */
  tokenKey: string;
  send(event: 'case' | 'notification', data: CaseChanged | NotificationAdded): void;
  ping(): void;
  end(): void;
  /** Re-checked at every ping: a revoked token or a deactivated user's stream ends then. */
  stillAllowed(): Promise<boolean>;
}

export interface LiveStream {
  /** Resolves once this replica listens (the first call starts it): what is announced from then on reaches its clients. */
  listen(): Promise<void>;
  /** Adds a client (429 when its token or the process has no stream left); after close it is ended at once. */
  subscribe(client: LiveClient): void;
  /** Streams open now (the metrics). */
  open(): number;
  /** Gives the client's slot back; a client that is gone already changes nothing. */
  unsubscribe(client: LiveClient): void;
  /** Ends every stream and stops listening (before the HTTP server closes: open streams would hold it). */
  close(): Promise<void>;
}

/** A slot frees when a stream closes: the page tries again after this many seconds. */
const RETRY_STREAM_SECONDS = 30;

/** `orgs`: the unit directory, for a headquarters committee's network (the same reading units as `canSee`). */
export function createLiveStream({ sql, log, limits, orgs, pingMs = 25_000 }: {
  sql: Sql; log: Logger; limits: StreamLimits; orgs: Cached<OrgDirectory>; pingMs?: number;
}): LiveStream {
  const clients = new Set<LiveClient>();
  const perToken = new Map<string, number>();
  let listening: Promise<{ unlisten(): Promise<void> }> | null = null;
  let closed = false;
  const pings = setInterval(() => clients.forEach(keepAlive), pingMs);
  pings.unref();

  function keepAlive(client: LiveClient) {
    client.ping();
    void client.stillAllowed().then((allowed) => {
      if (allowed || !remove(client)) return;
      client.end();
    }, () => {});
  }

  function admit(client: LiveClient) {
    const mine = perToken.get(client.tokenKey) ?? 0;
    if (mine >= limits.perToken) {
      throw new TooManyRequests(`实时连接过多：每个令牌最多 ${limits.perToken} 个，请先关闭其他页面 / too many live streams: at most ${limits.perToken} per token, close another page first`, RETRY_STREAM_SECONDS);
    }
    if (clients.size >= limits.perProcess) {
      throw new TooManyRequests(`服务器实时连接已满，请 ${RETRY_STREAM_SECONDS} 秒后再试 / this server has no live stream left: retry in ${RETRY_STREAM_SECONDS} s`, RETRY_STREAM_SECONDS);
    }
    clients.add(client);
    perToken.set(client.tokenKey, mine + 1);
  }

  /** True when the client was open (its slot is given back now). */
  function remove(client: LiveClient): boolean {
    if (!clients.delete(client)) return false;
    const left = (perToken.get(client.tokenKey) ?? 1) - 1;
    if (left > 0) perToken.set(client.tokenKey, left); else perToken.delete(client.tokenKey);
    return true;
  }

  /** The units whose users see the case: the participants and the units named on the case row. */
  async function unitsSeeing(caseId: string): Promise<Set<string>> {
    const rows = await sql<{ orgId: string | null }[]>`
      select org_id from case_participants where case_id = ${caseId}
      union select unnest(array[holder_org_id, branch_org_id, platform_org_id, department_org_id, supervising_org_id])
      from cases where id = ${caseId}`;
    return new Set(rows.flatMap((r) => (r.orgId ? [r.orgId] : [])));
  }

  /**
   * unitsSeeing, tried again before the announcement is lost: right after a database restart a
   * pooled connection that has not noticed it yet fails its query, and the pool may hold several.
   */
  async function seeing(caseId: string): Promise<Set<string>> {
    for (const waitMs of SEEING_RETRIES_MS) {
      try {
        return await unitsSeeing(caseId);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
    return unitsSeeing(caseId);
  }

  async function fanOut(message: string): Promise<void> {
    if (clients.size === 0) return;
    const note = JSON.parse(message) as Announcement;
    if (note.type === 'notification') {
      const { type: _t, orgId, role, ...data } = note;
      for (const c of clients) {
        if (c.caller.orgId === orgId && (role === null || role === c.caller.role)) c.send('notification', { ...data, unread: true });
      }
      return;
    }
    const { type: _t, ...data } = note;
    const [units, directory] = await Promise.all([seeing(data.caseId), orgs.get()]);
    for (const c of clients) {
      if (seesEveryCase(c.caller) || readingUnits(c.caller, directory).some((unit) => units.has(unit))) c.send('case', data);
    }
  }

  return {
    async listen() {
      listening ??= sql.listen(LIVE_CHANNEL, (message) => {
        fanOut(message).catch((err) => log.warn({ err: String(err) }, 'live update could not be sent'));
      });
      // A failed LISTEN (database away) is tried again by the next stream, not remembered.
      await listening.catch((err) => { listening = null; throw err; });
    },
    subscribe(client) {
      if (closed) client.end(); else admit(client);
    },
    open: () => clients.size,
    unsubscribe: (client) => void remove(client),
    async close() {
      closed = true;
      clearInterval(pings);
      for (const c of clients) c.end();
      clients.clear();
      perToken.clear();
      if (listening) await (await listening).unlisten();
    },
  };
}
