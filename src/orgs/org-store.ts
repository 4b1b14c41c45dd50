/** Organisations at the three levels, the convener, and their users. */
import { Type, type Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import type { orgs, users } from '../../db/schema.js';
import { BadRequest, Conflict, NotAllowed } from '../errors.js';
import { CALLBACK_ORG_TYPES, HOLDER_ROLE, HOTLINE, MEDIATION_SERVICES, ORG_TYPES, ORG_TYPE_LEVEL, REFERRED_ROLE, type ReferralKind, type Role } from '../../workflows/case-rules.js';

export type OrgRow = typeof orgs.$inferSelect;
export type OrgType = OrgRow['type'];
export type UserRow = typeof users.$inferSelect;
export interface NewOrg {
  name: string; type: OrgType; parentId?: string | null; platform?: string | null;
  sectors?: string[]; areas?: string[]; services?: ReferralKind[]; webhookUrl?: string | null;
  /** A hotline's: the branch that registers its orders when no branch's areas hold the order's area. */
  defaultBranchId?: string | null;
}
export type OrgChanges = Partial<Pick<NewOrg, 'name' | 'parentId' | 'sectors' | 'areas' | 'services' | 'webhookUrl' | 'defaultBranchId'>>;

const NStr = Type.Union([Type.String(), Type.Null()]);
/** One definition for the answer and its type: only admins get `webhookUrl` (it may carry a secret). */
export const OrgSchema = Type.Object({
  id: Type.String(), name: Type.String(), type: Type.String(), parentId: NStr, platform: NStr,
  sectors: Type.Array(Type.String()), areas: Type.Array(Type.String()),
  services: Type.Array(Type.String(), { description: '调解组织的服务 / a mediation unit\'s services' }),
  defaultBranchId: Type.Union([Type.String(), Type.Null()], { description: '12345 热线的默认登记支部 / a hotline\'s default branch' }),
  active: Type.Boolean({ description: '停用的单位不再接收新案件 / a deactivated unit receives no new cases' }),
  webhookUrl: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: '仅管理员可见 / admins only' })),
});
export type OrgView = Static<typeof OrgSchema>;

export function orgView(row: OrgRow, withChannels: boolean): OrgView {
  return {
    id: row.id, name: row.name, type: row.type, parentId: row.parentId, platform: row.platform, sectors: row.sectors,
    areas: row.areas, services: row.services, defaultBranchId: row.defaultBranchId, active: row.deactivatedAt === null, ...(withChannels ? { webhookUrl: row.webhookUrl } : {}),
  };
}

/**
 * Which org types may have users of which role, from the case rules: a unit's users hold cases at
 * its type's level (a street office acts at L2 like a platform committee); a convener's unit holds none.
 */
const typesOf = (role: Exclude<Role, 'admin' | 'callback'>): OrgType[] => ORG_TYPES.filter((type) => {
  const level = ORG_TYPE_LEVEL[type];
  if (level !== null) return HOLDER_ROLE[level] === role;
  if (type === HOTLINE.orgType) return role === HOTLINE.role;
  return (REFERRED_ROLE.orgTypes as readonly OrgType[]).includes(type) ? role === REFERRED_ROLE.role : role === 'convener';
});
export const ROLE_ORG_TYPES = {
  liaison: typesOf('liaison'), committee: typesOf('committee'), officer: typesOf('officer'), convener: typesOf('convener'), mediator: typesOf('mediator'),
  callback: [...CALLBACK_ORG_TYPES],
  hotline: typesOf('hotline'),
} satisfies Record<Exclude<Role, 'admin'>, OrgType[]>;


export async function findOrg(tx: Tx, id: string): Promise<OrgRow | null> {
  const [row] = await tx<OrgRow[]>`select * from orgs where id = ${id}`;
  return row ?? null;
}

export async function listOrgs(tx: Tx): Promise<OrgRow[]> {
  return tx<OrgRow[]>`select * from orgs order by type, name`;
}

/** The active convener units (协调会召集单位) and their channels: who unit messages about no one case go to. */
export async function convenerUnits(tx: Tx): Promise<{ id: string; channels: string[] }[]> {
  return tx<{ id: string; channels: string[] }[]>`
    select o.id, coalesce(array_agg(ch.channel) filter (where ch.channel is not null), '{}') as channels
    from orgs o left join org_channels ch on ch.org_id = o.id where o.type = 'convener' and o.deactivated_at is null group by o.id`;
}

export async function platformCommittee(tx: Tx, platform: string): Promise<OrgRow | null> {
  const [row] = await tx<OrgRow[]>`select * from orgs where type = 'platform' and platform = ${platform}`;
  return row ?? null;
}

/** The org named by a request field, which must exist, be of one of the given types and be active. */
export async function orgOfType(tx: Tx, id: string, types: readonly OrgType[], field: string): Promise<OrgRow> {
  const org = await findOrg(tx, id);
  return checkOrgType(org && { ...org, active: org.deactivatedAt === null }, id, types, field);
}

/** A unit a request field names must exist (400), be of one of `types` (400) and be active (422); the message names the field. */
export function checkOrgType<O extends { name: string; type: OrgType; active: boolean }>(org: O | null, id: string, types: readonly OrgType[], field: string): O {
  if (!org) throw new BadRequest(`${field}: 机构不存在 / no organisation with id '${id}'`);
  if (!types.includes(org.type)) {
    throw new BadRequest(`${field}: 机构类型应为 ${types.join('/')}，实际为 ${org.type} / organisation '${org.name}' is a ${org.type}, expected ${types.join(' or ')}`);
  }
  if (!org.active) throw new NotAllowed(`${field}: 单位 '${org.name}' 已停用 / unit '${org.name}' is deactivated`);
  return org;
}

export async function createOrg(tx: Tx, input: NewOrg): Promise<OrgRow> {
  if (input.type === 'platform' && !input.platform) throw new BadRequest('platform: 平台党委必须填写平台 / a platform committee needs its platform');
  if (input.parentId) await checkParent(tx, { type: input.type }, input.parentId);
  if (input.type === 'platform' && (await platformCommittee(tx, input.platform!))) {
    throw new BadRequest(`platform: 平台 ${input.platform} 已有党委 / platform '${input.platform}' already has a committee`);
  }
  if (input.type === 'territorial' && !input.areas?.length) throw new BadRequest('areas: 街道/镇须填写所辖区域 / a street office names the areas it covers');
  if (input.type === 'mediation' && !input.services?.length) throw new BadRequest(`services: 调解组织须填写服务（${MEDIATION_SERVICES.join('、')}）/ a mediation unit lists the services it offers (${MEDIATION_SERVICES.join(', ')})`);
  if (input.type !== 'mediation' && input.services?.length) throw new BadRequest('services: 只有调解组织填写服务 / only a mediation unit lists services');
  await checkDefaultBranch(tx, input.type, input.defaultBranchId ?? null);
  const [row] = await tx<OrgRow[]>`
    insert into orgs (name, type, parent_id, platform, sectors, areas, services, webhook_url, default_branch_id)
    values (${input.name}, ${input.type}, ${input.parentId ?? null}, ${input.platform ?? null}, ${input.sectors ?? []},
      ${input.areas ?? []}, ${input.services ?? []}, ${input.webhookUrl ?? null}, ${input.defaultBranchId ?? null})
    returning *`;
  return row;
}

/**
 * A hotline names the active branch that registers its orders when no branch's areas hold an
 * order's area: missing, unknown, not a branch or deactivated is 422 naming `defaultBranchId`; no
 * other unit names one (400).
 */
async function checkDefaultBranch(tx: Tx, type: OrgType, branchId: string | null): Promise<void> {
  if (type !== HOTLINE.orgType) {
    if (branchId) throw new BadRequest('defaultBranchId: 只有 12345 热线填写默认支部 / only a hotline names a default branch');
    return;
  }
  if (!branchId) {
    throw new NotAllowed('defaultBranchId: 12345 热线须指定默认登记支部 / a hotline needs defaultBranchId: the branch that registers its orders when no branch covers their area', 'field_required');
  }
  const branch = await findOrg(tx, branchId);
  if (!branch || branch.type !== 'branch' || branch.deactivatedAt) {
    throw new NotAllowed(`defaultBranchId: '${branchId}' 不是在用的支部 / '${branchId}' is not an active branch`, 'default_branch_invalid');
  }
}

/**
 * A unit's parent is an active unit. Under a platform committee there are only platform committees
 * (its regional committees: the headquarters reads their cases, 抓总部带全网), and no unit is its own
 * ancestor: either is 422 naming `parentId`.
 */
async function checkParent(tx: Tx, org: { id?: string; type: OrgType }, parentId: string): Promise<OrgRow> {
  const parent = await orgOfType(tx, parentId, ORG_TYPES, 'parentId');
  if (parent.type === 'platform' && org.type !== 'platform') {
    throw new NotAllowed(`parentId: 平台党委之下只能是平台党委（区域党委），不能是 ${org.type} / only a platform committee (a regional committee) may have a platform committee as its parent, not a ${org.type}`, 'parent_invalid');
  }
  if (org.id) {
    const [cycle] = await tx`with recursive up (id, parent_id) as (
        select id, parent_id from orgs where id = ${parentId}
        union select o.id, o.parent_id from orgs o join up on o.id = up.parent_id)
      select 1 from up where id = ${org.id}`;
    if (cycle) throw new NotAllowed(`parentId: 上级单位 '${parent.name}' 已在本单位之下，不能成环 / unit '${parent.name}' is below this unit already: parents may not form a cycle`, 'parent_invalid');
  }
  return parent;
}

export async function updateOrg(tx: Tx, org: OrgRow, changes: OrgChanges): Promise<OrgRow> {
  if (changes.services?.length === 0 && org.type === 'mediation') throw new BadRequest('services: 调解组织须至少提供一项服务 / a mediation unit offers at least one service');
  if (changes.services?.length && org.type !== 'mediation') throw new BadRequest('services: 只有调解组织填写服务 / only a mediation unit lists services');
  if (changes.parentId) {
    if (changes.parentId === org.id) throw new BadRequest('parentId: 单位不能是自己的上级 / a unit cannot be its own parent');
    await checkParent(tx, org, changes.parentId);
  }
  if (changes.defaultBranchId !== undefined) await checkDefaultBranch(tx, org.type, changes.defaultBranchId);
  const values = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(values).length === 0) return org;
  const [row] = await tx<OrgRow[]>`update orgs set ${tx(values)} where id = ${org.id} returning *`;
  return row;
}

/**
 * Deactivation waits until the unit holds no open case and no routing rule names it: the 409
 * lists them, so the admin (or a meeting decision) can reassign them first.
 */
export async function deactivateOrg(tx: Tx, org: OrgRow): Promise<OrgRow> {
  if (org.deactivatedAt) return org;
  const openCases = await tx<{ id: string; reference: string; state: string }[]>`
    select id, reference, state from cases where holder_org_id = ${org.id} and closed_at is null order by created_at limit 1000`;
  const [{ rules }] = await tx<{ rules: number }[]>`select count(*)::int as rules from routing_rules where to_org_id = ${org.id}`;
  if (openCases.length > 0 || rules > 0) {
    throw new Conflict(
      `单位仍承办 ${openCases.length} 件未结案件、被 ${rules} 条路由规则指向，请先转办 / the unit still holds ${openCases.length} open case(s) and ${rules} routing rule(s) point at it: reassign them first`,
      { openCases, routingRules: rules },
    );
  }
  const [row] = await tx<OrgRow[]>`update orgs set deactivated_at = now() where id = ${org.id} returning *`;
  return row;
}

export async function createUser(tx: Tx, input: { name: string; orgId: string; role: Role }): Promise<UserRow> {
  // An admin may belong to any unit; every other role to the unit type it acts for.
  const types = input.role === 'admin' ? ORG_TYPES : ROLE_ORG_TYPES[input.role];
  await orgOfType(tx, input.orgId, types, 'orgId');
  const [user] = await tx<UserRow[]>`insert into users (name, org_id, role) values (${input.name}, ${input.orgId}, ${input.role}) returning *`;
  return user;
}
