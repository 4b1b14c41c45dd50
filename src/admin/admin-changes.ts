/**
 * The admin audit log: every configuration change (units, users, tokens, routing rules, SLA
 * policies, calendar, channels) is one row, written in the transaction that makes the change.
 * Other code calls `recordAdminChange(tx, {...})`; `details` must never hold a token or a secret.
 */
import { Type, type Static } from 'typebox';
import { jsonb, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';

export const ADMIN_ENTITIES = ['org', 'user', 'token', 'routing_rules', 'sla_policies', 'calendar', 'channels', 'catalogue', 'open311_key'] as const;
export type AdminEntity = (typeof ADMIN_ENTITIES)[number];

export interface AdminChange {
  actor: Caller;
  entity: AdminEntity;
  entityId?: string | null;
  /** What was done: create, update, deactivate, rotate, sign_in_link, replace … */
  action: string;
  details?: Record<string, unknown>;
}

export async function recordAdminChange(tx: Tx, change: AdminChange): Promise<void> {
  await tx`insert into admin_changes (actor_user_id, entity, entity_id, action, details)
    values (${change.actor.userId}, ${change.entity}, ${change.entityId ?? null}, ${change.action}, ${jsonb(tx, change.details ?? {})})`;
}

export const AdminChangeSchema = Type.Object({
  id: Type.Integer(), at: Type.String(),
  actorUserId: Type.Union([Type.String(), Type.Null()], { description: 'null = the bootstrap ADMIN_TOKEN' }),
  entity: Type.Enum([...ADMIN_ENTITIES]), entityId: Type.Union([Type.String(), Type.Null()]), action: Type.String(),
  details: Type.Object({}, { additionalProperties: true }),
});
export type AdminChangeView = Static<typeof AdminChangeSchema>;

export async function listAdminChanges(sql: Sql, q: { from: Date; to: Date; entity?: AdminEntity }, limit = 1000): Promise<AdminChangeView[]> {
  const rows = await sql<(Omit<AdminChangeView, 'at'> & { at: Date })[]>`
    select id::int as id, at, actor_user_id, entity, entity_id, action, details from admin_changes
    where at >= ${q.from} and at < ${q.to} ${q.entity ? sql`and entity = ${q.entity}` : sql``}
    order by at desc, id desc limit ${limit}`;
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
