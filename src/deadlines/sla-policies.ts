/** SLA policies are data: per step, optionally per category and urgency; the most specific wins. */
import { asc } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { slaPolicies } from '../../db/schema.js';
import { NotAllowed } from '../errors.js';
import type { DeadlineStep, TimeUnit } from '../../workflows/case-machine.js';
import type { Urgency } from '../cases/case-types.js';

export interface SlaPolicy { step: DeadlineStep; category?: string; urgency?: Urgency; amount: number; unit: TimeUnit }

/** Pure: category and urgency both matching beat category alone, which beats urgency alone. */
export function pickPolicy(policies: SlaPolicy[], step: DeadlineStep, category: string, urgency: string): SlaPolicy | null {
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
  const rows = await tx.select().from(slaPolicies).orderBy(asc(slaPolicies.id));
  return rows.map((r) => ({
    step: r.step as DeadlineStep, amount: r.amount, unit: r.unit as TimeUnit,
    ...(r.category ? { category: r.category } : {}), ...(r.urgency ? { urgency: r.urgency as Urgency } : {}),
  }));
}

export async function replaceSlaPolicies(tx: Tx, policies: SlaPolicy[]): Promise<void> {
  await tx.delete(slaPolicies);
  if (policies.length > 0) await tx.insert(slaPolicies).values(policies);
}

export async function policyFor(tx: Tx, step: DeadlineStep, category: string, urgency: string): Promise<SlaPolicy> {
  const policy = pickPolicy(await loadSlaPolicies(tx), step, category, urgency);
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
