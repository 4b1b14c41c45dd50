/**
 * Who may do what to which case, in one place. Every service asks here first (as Infisical's
 * services open with one permission call); the chart says which role acts at which level
 * (`rolesFor`), this module adds the caller's relation to the case (ACTION_ACTORS) and the scope.
 */
import { ACTION_ACTORS, type UserAction } from '../../workflows/case-machine.js';
import { CALLBACK_REVEAL_STATE, CALLBACK_STATES, HOLDER_ROLE, type CaseState } from '../../workflows/case-rules.js';
import type { Caller } from './callers.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { seesEveryCase } from './permissions.js';

/** What a relation is judged on: the units named on the case row, the pending extension, the co-handlers. */
export interface CaseRelations {
  holderOrgId: string; branchOrgId: string; platformOrgId: string | null; departmentOrgId: string | null; supervisingOrgId: string | null;
  level: string; state: CaseState; anonymous: boolean;
  /** The unit that must approve the pending extension; null: any convener. */
  approverOrgId: string | null;
  cohandlerOrgIds: string[];
  /** The unit a pending referral went to. */
  referralOrgId: string | null;
  /** Units that took part (case_participants): they may read the case. */
  participants: string[];
}

/**
 * The units whose scope the caller reads: its own and, for a platform headquarters committee, its
 * network's (抓总部带全网: it reads its regional committees' cases, never acts on them — every relation
 * of an action is judged on the caller's own unit). The list scope (case-queries.ts) reads the same units.
 */
export function readingUnits(caller: Caller, orgs: Pick<OrgDirectory, 'networkOf'>): string[] {
  return caller.orgId ? [caller.orgId, ...orgs.networkOf(caller.orgId)] : [];
}

/** The states in which the caller reads any case whatever its units: a call-back user's (回访), none for the others. The list scope's SQL reads it too. */
export function statesSeenByRole(caller: Caller): readonly CaseState[] {
  return caller.role === 'callback' ? CALLBACK_STATES : [];
}

/** Scope: a convener sees every case; a unit the cases it holds, has held, supervises or was told of; `units`: readingUnits. */
export function canSee(caller: Caller, c: CaseRelations, units: readonly string[]): boolean {
  if (seesEveryCase(caller)) return true;
  if (statesSeenByRole(caller).includes(c.state)) return true;
  const related = [c.holderOrgId, c.branchOrgId, c.platformOrgId, c.departmentOrgId, c.supervisingOrgId, ...c.participants];
  return units.some((unit) => related.includes(unit));
}

/** The worker's name and phone, unmasked: only the liaison of the branch that registered them. */
export function seesPersonalData(caller: Caller, c: Pick<CaseRelations, 'branchOrgId' | 'anonymous'>): boolean {
  return caller.role === 'liaison' && caller.orgId === c.branchOrgId && !c.anonymous;
}

/**
 * Who may reveal a worker's contact (with a reason, logged): the registering branch's liaison, the
 * users of the unit holding the case now, and a call-back user while the worker's feedback is awaited.
 */
export function mayReveal(caller: Caller, c: Pick<CaseRelations, 'branchOrgId' | 'holderOrgId' | 'state'>): boolean {
  if (!caller.userId || !caller.orgId) return false;
  if (caller.role === 'callback') return c.state === CALLBACK_REVEAL_STATE;
  return (caller.role === 'liaison' && caller.orgId === c.branchOrgId) || caller.orgId === c.holderOrgId;
}

const RELATION_NAMES = {
  holder: ['当前承办单位', 'the unit holding the case'],
  branch: ['登记该诉求的支部', 'the branch that registered the case'],
  approver: ['上一级单位', 'the level above the holder'],
  supervisor: ['督办部门', 'the supervising department'],
  convener: ['协调会召集人', 'a convener'],
  cohandler: ['会办部门', 'a co-handling department'],
  referred: ['受转介单位', 'the unit the case is referred to'],
  rater: ['登记支部联络员或回访员（办结单位除外）', 'the registering branch\'s liaison or a call-back user (never the unit that resolved it)'],
  worker: ['劳动者本人', 'the worker themselves'],
} as const satisfies Record<(typeof ACTION_ACTORS)[UserAction], readonly [string, string]>;

/**
 * The case a merge goes into: at L2 the committee merges only into a case its own unit holds at L2
 * too (across branches, for one consenting worker: the chart asks that). At L1 the branch merges
 * into any open case it can see.
 */
export function mayMergeInto(caller: Caller, from: Pick<CaseRelations, 'level'>, into: Pick<CaseRelations, 'level' | 'holderOrgId'>): boolean {
  if (from.level !== 'platform' || caller.role !== HOLDER_ROLE.platform) return true;
  return into.level === 'platform' && into.holderOrgId === caller.orgId;
}

/** Why this caller's unit may not send the action to this case (its role already passed the chart), or null. */
export function relationRefusal(action: UserAction, caller: Caller, c: CaseRelations): { message: string; code?: string } | null {
  const relation = ACTION_ACTORS[action];
  const ok = {
    holder: caller.orgId === c.holderOrgId,
    branch: caller.orgId === c.branchOrgId,
    approver: c.approverOrgId ? caller.orgId === c.approverOrgId : caller.role === 'convener',
    supervisor: caller.orgId === c.supervisingOrgId || (c.level === 'department' && caller.orgId === c.holderOrgId),
    convener: caller.role === 'convener',
    cohandler: caller.orgId !== null && c.cohandlerOrgIds.includes(caller.orgId),
    referred: caller.orgId !== null && caller.orgId === c.referralOrgId,
    rater: (caller.role === 'callback' || caller.orgId === c.branchOrgId) && caller.orgId !== c.holderOrgId,
    worker: false,
  }[relation];
  if (ok) return null;
  // A resolved case's holder is the unit that resolved it: it never rates its own work (回访 is independent).
  if (relation === 'rater' && caller.orgId === c.holderOrgId) {
    return { message: '办结单位不能评价自己的办理结果，请由劳动者本人（短信链接）或回访员评价 / the unit that resolved the case may not rate it: the worker (their link) or a call-back user does', code: 'resolver_cannot_rate' };
  }
  const [zh, en] = RELATION_NAMES[relation];
  return { message: `只有${zh}可以执行 ${action} / only ${en} may '${action}'` };
}
