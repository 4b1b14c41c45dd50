/**
 * Routing is data (以块为主、条块结合): rules match on platform, worker type, category and area;
 * the most specific matching rule picks the unit. A territorial case (its category is territorial,
 * so it has no platform) is forwarded to a street office (街道 / 镇): by a `forward` rule that names
 * a territorial unit, else to the territorial unit whose `areas` hold the case's area; a case with a
 * platform is forwarded only by rules that name a platform committee.
 */
import type { Tx } from '../../db/client.js';
import { NotAllowed } from '../errors.js';
import type { OrgType, RoutingStep, WorkerType } from '../../workflows/case-rules.js';

export type { RoutingStep };
export interface RoutingMatch { platform?: string; workerType?: WorkerType; category?: string; area?: string }
/** `toOrgType` is read with the rules (not part of the API's rule): it tells street offices from committees. */
export interface RoutingRule { step: RoutingStep; match: RoutingMatch; toOrgId: string; toOrgType?: OrgType }
export interface RoutedCase { platform: string | null; workerType: string; category: string; area: string | null }

const MATCH_FIELDS = ['platform', 'workerType', 'category', 'area'] as const;

/** Pure: the most specific rule whose every set field equals the case's; ties go to the earlier rule. */
export function pickRoute(rules: RoutingRule[], step: RoutingStep, subject: RoutedCase): string | null {
  let best: { orgId: string; specificity: number } | null = null;
  for (const rule of rules) {
    if (rule.step !== step) continue;
    if (step === 'forward' && rule.toOrgType && (rule.toOrgType === 'territorial') !== (subject.platform === null)) continue;
    const fields = MATCH_FIELDS.filter((f) => rule.match[f] != null);
    if (!fields.every((f) => rule.match[f] === subject[f])) continue;
    if (!best || fields.length > best.specificity) best = { orgId: rule.toOrgId, specificity: fields.length };
  }
  return best?.orgId ?? null;
}

type RuleRow = { step: RoutingStep; toOrgId: string; toOrgType: OrgType } & { [F in (typeof MATCH_FIELDS)[number]]: string | null };

export async function loadRoutingRules(tx: Tx): Promise<RoutingRule[]> {
  const rows = await tx<RuleRow[]>`select r.step, r.platform, r.worker_type, r.category, r.area, r.to_org_id, o.type as to_org_type
    from routing_rules r join orgs o on o.id = r.to_org_id order by r.id`;
  return rows.map((r) => ({
    step: r.step,
    toOrgId: r.toOrgId,
    toOrgType: r.toOrgType,
    match: Object.fromEntries(MATCH_FIELDS.filter((f) => r[f] != null).map((f) => [f, r[f]!])) as RoutingMatch,
  }));
}

export async function replaceRoutingRules(tx: Tx, rules: RoutingRule[]): Promise<void> {
  await tx`delete from routing_rules`;
  if (rules.length === 0) return;
  const rows = rules.map((r) => ({
    step: r.step, toOrgId: r.toOrgId, platform: r.match.platform ?? null, workerType: r.match.workerType ?? null,
    category: r.match.category ?? null, area: r.match.area ?? null,
  }));
  await tx`insert into routing_rules ${tx(rows)}`;
}

/** The routed unit, or a 422 that says which case fields found no rule. */
export function route(rules: RoutingRule[], step: RoutingStep, subject: RoutedCase, orgId = pickRoute(rules, step, subject)): string {
  if (!orgId) {
    const where = MATCH_FIELDS.map((f) => `${f}=${subject[f] ?? '-'}`).join(', ');
    throw new NotAllowed(`没有匹配的路由规则，请指定 toOrgId / no routing rule for step '${step}' matches ${where}: give toOrgId or add a rule`);
  }
  return orgId;
}
