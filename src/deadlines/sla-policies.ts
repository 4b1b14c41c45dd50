/** SLA policies are data: per step, optionally per category and urgency; the most specific wins. */
import type { Tx } from '../../db/client.js';
import { NotAllowed } from '../errors.js';
import type { TimeUnit } from '../../workflows/case-machine.js';
import type { Urgency } from '../cases/case-types.js';

/**
 * The steps a policy can be written for (API.md): the clocks of the six steps, plus the shortest
 * deadline a supervision order may set and the clocks other issues add. A supervision order's own
 * clock takes its length from the order; the pause limit from the paused step's `maxPause`.
 */
export const POLICY_STEPS = [
  'l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'supervision_min', 'human_review', 'contribute',
] as const;
export type PolicyStep = (typeof POLICY_STEPS)[number];

export interface SlaPolicy { step: PolicyStep; category?: string; urgency?: Urgency; amount: number; unit: TimeUnit }

/** Pure: category and urgency both matching beat category alone, which beats urgency alone. */
export function pickPolicy(policies: SlaPolicy[], step: PolicyStep, category: string, urgency: string): SlaPolicy | null {
  const score = (p: SlaPolicy) => (p.category ? 2 : 0) + (p.urgency ? 1 : 0);
  let best: SlaPolicy | null = null;
  for (const p of policies) {
    if (p.step !== step) continue;
    if (p.category && p.category !== category) continue;
    if (p.urgency && p.urgency !== urgency) continue;
    if (!best || score(p) > score(best)) best = p;
  }
  return best;
}

export async function loadSlaPolicies(tx: Tx): Promise<SlaPolicy[]> {
  const rows = await tx<{ step: string; category: string | null; urgency: string | null; amount: number; unit: string }[]>`
    select step, category, urgency, amount, unit from sla_policies order by id`;
  return rows.map((r) => ({
    step: r.step as PolicyStep, amount: r.amount, unit: r.unit as TimeUnit,
    ...(r.category ? { category: r.category } : {}), ...(r.urgency ? { urgency: r.urgency as Urgency } : {}),
  }));
}

export async function replaceSlaPolicies(tx: Tx, policies: SlaPolicy[]): Promise<void> {
  await tx`delete from sla_policies`;
  if (policies.length === 0) return;
  const rows = policies.map((p) => ({ step: p.step, category: p.category ?? null, urgency: p.urgency ?? null, amount: p.amount, unit: p.unit }));
  await tx`insert into sla_policies ${tx(rows)}`;
}

/** The policy for a case's step, or a 422 naming what has none. */
export function policyFor(policies: SlaPolicy[], step: PolicyStep, category: string, urgency: string): SlaPolicy {
  const policy = pickPolicy(policies, step, category, urgency);
  if (!policy) throw new NotAllowed(`没有适用的时限规则 / no SLA policy for step '${step}' (category ${category}, urgency ${urgency})`);
  return policy;
}

/** Illustrative defaults from DOMAIN.md; urgent matters in plain hours. */
export const DEFAULT_SLA_POLICIES: SlaPolicy[] = [
  { step: 'l1_forward', amount: 1, unit: 'working_days' },
  { step: 'l2_accept', amount: 1, unit: 'working_days' },
  { step: 'l2_resolve', amount: 5, unit: 'working_days' },
  { step: 'l3_accept', amount: 2, unit: 'working_days' },
  { step: 'l3_resolve', amount: 10, unit: 'working_days' },
  { step: 'feedback', amount: 3, unit: 'working_days' },
  ...(['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve'] as const).flatMap((step) => [
    { step, urgency: 'critical' as const, amount: 2, unit: 'hours' as const },
    { step, urgency: 'urgent' as const, amount: step.endsWith('resolve') ? 24 : 4, unit: 'hours' as const },
  ]),
];
