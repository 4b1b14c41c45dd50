/** Organisations at the three levels, the convener, and their users. */
import type { Tx } from '../../db/client.js';
import type { orgs } from '../../db/schema.js';
import { BadRequest } from '../errors.js';
import { issueToken } from '../access/callers.js';
import type { Level, Role } from '../../workflows/case-machine.js';

export type OrgRow = typeof orgs.$inferSelect;
export type OrgType = OrgRow['type'];
export interface NewOrg {
  name: string; type: OrgType; parentId?: string | null; platform?: string | null;
  sectors?: string[]; areas?: string[]; webhookUrl?: string | null;
}

/** Which org type may have users of which role. */
const ROLE_ORG_TYPE: Record<Exclude<Role, 'admin'>, OrgType> = {
  liaison: 'branch', committee: 'platform', officer: 'department', convener: 'convener',
};

export const LEVEL_ORG_TYPE: Record<Level, OrgType> = { branch: 'branch', platform: 'platform', department: 'department' };

const ORG_COLUMNS = ['id', 'name', 'type', 'parent_id', 'platform', 'sectors', 'areas', 'webhook_url'];

async function findOrg(tx: Tx, id: string): Promise<OrgRow | null> {
  const [row] = await tx<OrgRow[]>`select * from orgs where id = ${id}`;
  return row ?? null;
}

export async function listOrgs(tx: Tx): Promise<OrgRow[]> {
  return tx<OrgRow[]>`select ${tx(ORG_COLUMNS)} from orgs order by type, name`;
}

export async function platformCommittee(tx: Tx, platform: string): Promise<OrgRow | null> {
  const [row] = await tx<OrgRow[]>`select * from orgs where type = 'platform' and platform = ${platform}`;
  return row ?? null;
}

/** The org named by a request field, which must exist and be of one of the given types. */
export async function orgOfType(tx: Tx, id: string, types: OrgType[], field: string): Promise<OrgRow> {
  const org = await findOrg(tx, id);
  if (!org) throw new BadRequest(`${field}: 机构不存在 / no organisation with id '${id}'`);
  if (!types.includes(org.type)) {
    throw new BadRequest(`${field}: 机构类型应为 ${types.join('/')}，实际为 ${org.type} / organisation '${org.name}' is a ${org.type}, expected ${types.join(' or ')}`);
  }
  return org;
}

export async function createOrg(tx: Tx, input: NewOrg): Promise<OrgRow> {
  if (input.type === 'platform' && !input.platform) throw new BadRequest('platform: 平台党委必须填写平台 / a platform committee needs its platform');
  if (input.type === 'platform' && (await platformCommittee(tx, input.platform!))) {
    throw new BadRequest(`platform: 平台 ${input.platform} 已有党委 / platform '${input.platform}' already has a committee`);
  }
  if (input.parentId) await orgOfType(tx, input.parentId, ['branch', 'platform', 'department', 'convener'], 'parentId');
  const [row] = await tx<OrgRow[]>`
    insert into orgs (name, type, parent_id, platform, sectors, areas, webhook_url)
    values (${input.name}, ${input.type}, ${input.parentId ?? null}, ${input.platform ?? null}, ${input.sectors ?? []},
      ${input.areas ?? []}, ${input.webhookUrl ?? null})
    returning ${tx(ORG_COLUMNS)}`;
  return row;
}

export async function createUser(tx: Tx, input: { name: string; orgId: string; role: Role }) {
  if (input.role !== 'admin') await orgOfType(tx, input.orgId, [ROLE_ORG_TYPE[input.role]], 'orgId');
  const [user] = await tx<{ id: string; name: string; orgId: string | null; role: Role }[]>`
    insert into users (name, org_id, role) values (${input.name}, ${input.orgId}, ${input.role}) returning id, name, org_id, role`;
  return { ...user, token: await issueToken(tx, user.id) };
}
