/**
 * Each user's notification centre: the notifications to their unit (and role, when one is named),
 * newest first, with the user's own read marks. Written by `notify` in the transition's
 * transaction (outbox.ts); announced live by a trigger (src/live).
 */
import { Type, type Static } from 'typebox';
import type { Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { NotFound } from '../errors.js';
import { IN_APP_KINDS, type InAppKind } from './who-is-told.js';

const NStr = Type.Union([Type.String(), Type.Null()]);
export const NotificationSchema = Type.Object({
  id: Type.String(), kind: Type.Enum(IN_APP_KINDS, { description: '通知类型（见 README「谁被告知什么」）/ the kind (README, who is told what)' }),
  caseId: Type.String(), reference: Type.String(), title: Type.String(), body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }), readAt: NStr,
});
export type NotificationView = Static<typeof NotificationSchema>;

interface Row { id: string; kind: InAppKind; caseId: string; reference: string; title: string; body: string; createdAt: Date; readAt: Date | null }

export async function listNotifications(
  sql: Sql, caller: Caller, { unreadOnly, limit }: { unreadOnly: boolean; limit: number },
): Promise<{ items: NotificationView[]; unread: number }> {
  if (!caller.orgId || !caller.userId) return { items: [], unread: 0 };
  const mine = sql`n.org_id = ${caller.orgId} and (n.role is null or n.role = ${caller.role})`;
  const [rows, [{ unread }]] = await Promise.all([
    sql<Row[]>`
      select n.id, n.kind, n.case_id, n.reference, n.title, n.body, n.created_at, r.read_at
      from notifications n left join notification_reads r on r.notification_id = n.id and r.user_id = ${caller.userId}
      where ${mine} ${unreadOnly ? sql`and r.read_at is null` : sql``}
      order by n.created_at desc, n.id desc limit ${limit}`,
    sql<{ unread: number }[]>`
      select count(*)::int as unread from notifications n
      where ${mine} and not exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = ${caller.userId})`,
  ]);
  return {
    items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null })),
    unread,
  };
}

/** Marks one of the caller's notifications read (again: no change); another unit's is not found. */
export async function markRead(sql: Sql, caller: Caller, id: string): Promise<void> {
  const [row] = caller.orgId && caller.userId
    ? await sql`select 1 from notifications where id = ${id} and org_id = ${caller.orgId} and (role is null or role = ${caller.role})`
    : [];
  if (!row) throw new NotFound(`通知不存在 / no notification '${id}'`);
  await sql`insert into notification_reads (user_id, notification_id) values (${caller.userId}, ${id}) on conflict do nothing`;
}

/** What the notification routes call, bound to the database. */
export function createNotificationCentre(deps: { sql: Sql }) {
  return {
    listNotifications: (caller: Caller, q: { unreadOnly: boolean; limit: number }) => listNotifications(deps.sql, caller, q),
    markRead: (caller: Caller, id: string) => markRead(deps.sql, caller, id),
  };
}
export type NotificationCentre = ReturnType<typeof createNotificationCentre>;
