/**
 * Live updates for the pages (`GET /api/v1/stream`, server-sent events). Postgres announces each
 * changed case and each new notification on the `grievance_live` channel from triggers
 * (migration live_notifications), inside the writing transaction — so every replica hears of a
 * change only after it committed. Each replica listens on one connection of its own and fans the
 * announcements out to its connected users by scope: a case to the users of every unit that
 * holds, has held or supervises it (a convener: all), a notification to its unit's users (with the
 * role it names). A comment line every `pingMs` keeps proxies from closing an idle stream; then the
 * caller's token is checked again, so a revoked token's stream ends within one ping.
 */
import { seesEveryCase } from '../access/permissions.js';
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';

export const LIVE_CHANNEL = 'grievance_live';

export interface CaseChanged { caseId: string; reference: string; state: string; level: string; holderOrgId: string; version: number; at: string }
export interface NotificationAdded { id: string; kind: string; caseId: string; reference: string; title: string; createdAt: string; unread: true }

type Announcement =
  | ({ type: 'case' } & CaseChanged)
  | ({ type: 'notification'; orgId: string; role: string | null } & Omit<NotificationAdded, 'unread'>);

/** One connected user's stream. */
export interface LiveClient {
  caller: Caller;
  send(event: 'case' | 'notification', data: CaseChanged | NotificationAdded): void;
  ping(): void;
  end(): void;
  /** Re-checked at every ping: a revoked token or a deactivated user's stream ends then. */
  stillAllowed(): Promise<boolean>;
}

export interface LiveStream {
  /** Resolves once this replica listens (the first call starts it): what is announced from then on reaches its clients. */
  listen(): Promise<void>;
  /** Adds a client; after close it is ended at once. */
  subscribe(client: LiveClient): void;
  unsubscribe(client: LiveClient): void;
  /** Ends every stream and stops listening (before the HTTP server closes: open streams would hold it). */
  close(): Promise<void>;
}

export function createLiveStream({ sql, log, pingMs = 25_000 }: { sql: Sql; log: Logger; pingMs?: number }): LiveStream {
  const clients = new Set<LiveClient>();
  let listening: Promise<{ unlisten(): Promise<void> }> | null = null;
  let closed = false;
  const pings = setInterval(() => clients.forEach(keepAlive), pingMs);
  pings.unref();

  function keepAlive(client: LiveClient) {
    client.ping();
    void client.stillAllowed().then((allowed) => {
      if (allowed || !clients.delete(client)) return;
      client.end();
    }, () => {});
  }

  /** The units whose users see the case: the participants and the units named on the case row. */
  async function unitsSeeing(caseId: string): Promise<Set<string>> {
    const rows = await sql<{ orgId: string | null }[]>`
      select org_id from case_participants where case_id = ${caseId}
      union select unnest(array[holder_org_id, branch_org_id, platform_org_id, department_org_id, supervising_org_id])
      from cases where id = ${caseId}`;
    return new Set(rows.flatMap((r) => (r.orgId ? [r.orgId] : [])));
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
    const units = await unitsSeeing(data.caseId);
    for (const c of clients) {
      if (seesEveryCase(c.caller) || (c.caller.orgId && units.has(c.caller.orgId))) c.send('case', data);
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
      if (closed) client.end(); else clients.add(client);
    },
    unsubscribe: (client) => void clients.delete(client),
    async close() {
      closed = true;
      clearInterval(pings);
      for (const c of clients) c.end();
      clients.clear();
      if (listening) await (await listening).unlisten();
    },
  };
}
