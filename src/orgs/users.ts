/** The people of each unit and their roles. Tokens live in src/access. */
import { Type, type Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import { NotFound } from '../errors.js';
import type { Role } from '../../workflows/case-rules.js';

import type { UserRow } from './org-store.js';

const NStr = Type.Union([Type.String(), Type.Null()]);
export const UserSchema = Type.Object({
  id: Type.String(), name: Type.String(), orgId: NStr, role: Type.String(), active: Type.Boolean(), createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()], { description: '任一令牌最近使用时间 / last use of any of its tokens' }),
});
export type UserView = Static<typeof UserSchema>;

export async function findUser(tx: Tx, id: string): Promise<UserRow> {
  const [user] = await tx<UserRow[]>`select * from users where id = ${id}`;
  if (!user) throw new NotFound(`用户不存在 / no user with id '${id}'`);
  return user;
}

export async function listUsers(tx: Tx, orgId?: string): Promise<UserView[]> {
  const rows = await tx<(UserRow & { lastUsedAt: Date | null })[]>`
    select u.*, (select max(t.last_used_at) from api_tokens t where t.user_id = u.id) as last_used_at
    from users u ${orgId ? tx`where u.org_id = ${orgId}` : tx``} order by u.created_at, u.id limit 5000`;
  return rows.map((u) => ({
    id: u.id, name: u.name, orgId: u.orgId, role: u.role, active: u.deactivatedAt === null,
    createdAt: u.createdAt.toISOString(), lastUsedAt: u.lastUsedAt?.toISOString() ?? null,
  }));
}

/** Cases belong to units, not people: the user's open work stays with the unit. */
export async function deactivateUser(tx: Tx, id: string): Promise<UserRow> {
  const [user] = await tx<UserRow[]>`update users set deactivated_at = coalesce(deactivated_at, now()) where id = ${id} returning *`;
  if (!user) throw new NotFound(`用户不存在 / no user with id '${id}'`);
  return user;
}

export const MeSchema = Type.Object({
  userId: NStr, name: Type.String(), role: Type.String(), orgId: NStr, orgName: NStr, orgType: NStr,
});
export type Me = Static<typeof MeSchema>;

export async function whoAmI(tx: Tx, caller: { userId: string | null; orgId: string | null; role: Role }): Promise<Me> {
  const { userId, role, orgId } = caller;
  if (!userId) return { userId, role, orgId, name: '管理员 Admin', orgName: null, orgType: null };
  const [me] = await tx<{ name: string; orgName: string | null; orgType: string | null }[]>`
    select u.name, o.name as org_name, o.type as org_type from users u left join orgs o on o.id = u.org_id where u.id = ${userId}`;
  return { userId, role, orgId, ...me };
}
