/**
 * Every unit, in memory: its type, platform, areas, parent and the kinds of channel an admin set.
 * A transition reads units many times (the target a forward names, the street office of an area,
 * the channels a notice fans out to); from here it does so without a round trip. Kept for a few
 * seconds like the routing rules (src/cached.ts): the process where an admin changes a unit or its
 * channels drops it at once, every other process within the time-to-live.
 */
import type { Sql } from '../../db/client.js';
import { checkOrgType } from './org-store.js';
import type { OrgType, ReferralKind } from '../../workflows/case-rules.js';

export interface DirectoryOrg {
  id: string; name: string; type: OrgType; parentId: string | null; platform: string | null;
  sectors: string[]; areas: string[]; services: ReferralKind[]; active: boolean;
  /** A hotline's default branch (org-store.ts checks it is one). */
  defaultBranchId: string | null;
  /** The channels an admin set for the unit (its webhook is always a channel). */
  channels: string[];
}

export interface OrgDirectory {
  find(id: string): DirectoryOrg | null;
  /** The unit a request field names: it exists, is of one of `types` and is active (else 400 / 422 naming the field). */
  ofType(id: string, types: readonly OrgType[], field: string): DirectoryOrg;
  /** The platform committee of a platform, if it has one. */
  committeeOf(platform: string): DirectoryOrg | null;
  /**
   * A platform headquarters committee's network (抓总部带全网): the platform committees below it,
   * at any depth (regional committees are `platform` units whose `parentId` is a platform unit); [] for any other unit.
   */
  networkOf(orgId: string): string[];
  /** The active street office whose areas hold `area` (the first by name when two claim it). */
  officeForArea(area: string | null): string | null;
  /** The active branch whose areas hold `area` (the first by name when two claim it): where a hotline's order of that area is registered. */
  branchForArea(area: string | null): string | null;
  names(ids: Iterable<string>): Record<string, string>;
  /** Every active unit. */
  active(): DirectoryOrg[];
}

export async function loadOrgDirectory(sql: Sql): Promise<OrgDirectory> {
  const rows = await sql<(Omit<DirectoryOrg, 'active' | 'channels'> & { deactivatedAt: Date | null; channels: string[] | null })[]>`
    select o.id, o.name, o.type, o.parent_id, o.platform, o.sectors, o.areas, o.services, o.default_branch_id, o.deactivated_at,
      (select array_agg(c.channel order by c.channel) from org_channels c where c.org_id = o.id) as channels
    from orgs o order by o.name, o.id`;
  const orgs = rows.map(({ deactivatedAt, channels, ...o }): DirectoryOrg => ({ ...o, active: deactivatedAt === null, channels: channels ?? [] }));
  return directoryOf(orgs);
}

export function directoryOf(orgs: DirectoryOrg[]): OrgDirectory {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const isCommittee = (o: DirectoryOrg | undefined) => o?.type === 'platform';
  const committees = new Map(orgs.filter((o) => isCommittee(o) && o.platform).map((o) => [o.platform!, o]));
  const children = new Map<string, string[]>();
  for (const o of orgs) if (o.parentId && isCommittee(o) && isCommittee(byId.get(o.parentId))) children.set(o.parentId, [...children.get(o.parentId) ?? [], o.id]);
  /** The committees below a unit, depth first; a unit met twice (a cycle, which the admin's checks refuse) ends that branch. */
  const networkOf = (orgId: string, seen = new Set([orgId])): string[] => {
    const below: string[] = [];
    for (const id of children.get(orgId) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      below.push(id, ...networkOf(id, seen));
    }
    return below;
  };
  const covering = (type: OrgType, area: string | null) => (area ? orgs.find((o) => o.type === type && o.active && o.areas.includes(area))?.id ?? null : null);
  return {
    find: (id) => byId.get(id) ?? null,
    ofType: (id, types, field) => checkOrgType(byId.get(id) ?? null, id, types, field),
    committeeOf: (platform) => committees.get(platform) ?? null,
    networkOf: (orgId) => networkOf(orgId),
    officeForArea: (area) => covering('territorial', area),
    branchForArea: (area) => covering('branch', area),
    names: (ids) => Object.fromEntries([...ids].map((id) => [id, byId.get(id)?.name ?? id])),
    active: () => orgs.filter((o) => o.active),
  };
}
