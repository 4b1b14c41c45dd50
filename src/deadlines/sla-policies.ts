/**
 * SLA policies are data: per step, optionally per category and urgency; the most specific wins.
 * A step with no matching policy falls back to DOMAIN.md's illustrative default (never a refusal);
 * a new database is seeded with the same defaults (migration 0008_default_sla_policies).
 */
import { Type, type Static } from 'typebox';
import type { Logger } from 'pino';
import type { Tx } from '../../db/client.js';
import type { slaPolicies } from '../../db/schema.js';
import {
  CLOCKS, DEADLINE_STEPS, POLICY_STEPS, TIME_UNITS, URGENCIES, type PolicyStep,
} from '../../workflows/case-rules.js';

/**
 * The steps a policy can be written for are the clock table's (POLICY_STEPS: every clock whose
 * length is a policy's, and the shortest deadline a supervision order may set). A supervision
 * order's own clock takes its length from the order; the pause limit from the paused step's `maxPause`.
 * The table's list is typed by what it holds; PolicyStep names the same steps (a unit test holds them equal).
 */
const POLICY_STEP_VALUES = POLICY_STEPS as readonly PolicyStep[];

/** The holder's clocks whose length is a policy's: urgent and critical matters run them in plain hours. */
export const HOLDER_POLICY_STEPS = DEADLINE_STEPS.filter((step): step is Exclude<PolicyStep, 'supervision_min' | 'l0_verify'> =>
  CLOCKS[step].workedAt !== null && CLOCKS[step].length === 'policy');

const DurationSchema = Type.Object({ amount: Type.Integer({ minimum: 1, maximum: 10_000 }), unit: Type.Enum([...TIME_UNITS]) }, {
  additionalProperties: false, description: '等待补充材料的最长暂停（默认 5 个工作日）/ longest pause waiting for information (default 5 working days)',
});

/** One policy, as the API reads and writes it (the admin's `GET|PUT /sla-policies`). */
export const SlaPolicySchema = Type.Object({
  step: Type.Enum([...POLICY_STEP_VALUES]),
  category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  urgency: Type.Optional(Type.Enum([...URGENCIES])),
  amount: Type.Integer({ minimum: 1, maximum: 10_000 }),
  unit: Type.Enum([...TIME_UNITS]),
  maxPause: Type.Optional(DurationSchema),
}, { additionalProperties: false });

export type Duration = Static<typeof DurationSchema>;
export type SlaPolicy = Static<typeof SlaPolicySchema>;

export const DEFAULT_MAX_PAUSE: Duration = { amount: 5, unit: 'working_days' };

/** Illustrative defaults from DOMAIN.md; urgent and critical matters in plain hours. */
export const DEFAULT_SLA_POLICIES: SlaPolicy[] = [
  { step: 'l1_forward', amount: 1, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'l2_accept', amount: 1, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'l2_resolve', amount: 5, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'l3_accept', amount: 2, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'l3_resolve', amount: 10, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'feedback', amount: 3, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'supervision_min', amount: 1, unit: 'working_hours' },
  { step: 'human_review', amount: 2, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'contribute', amount: 5, unit: 'working_days', maxPause: DEFAULT_MAX_PAUSE },
  { step: 'referral', amount: 15, unit: 'working_days' },
  { step: 'l0_verify', amount: 1, unit: 'working_days' },
  ...HOLDER_POLICY_STEPS.flatMap((step) => [
    { step, urgency: 'critical' as const, amount: 2, unit: 'hours' as const },
    { step, urgency: 'urgent' as const, amount: step.endsWith('resolve') ? 24 : 4, unit: 'hours' as const },
  ]),
];

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

/** The policy for a case's step: the configured one, else DOMAIN.md's default for the step. */
export function policyFor(policies: SlaPolicy[], step: PolicyStep, category: string, urgency: string): SlaPolicy {
  return pickPolicy(policies, step, category, urgency) ?? pickPolicy(DEFAULT_SLA_POLICIES, step, category, urgency)!;
}

/** The steps for which some case would fall back to the default: no catch-all policy configured. */
export function stepsOnDefaults(policies: SlaPolicy[]): SlaPolicy[] {
  const covered = new Set(policies.filter((p) => !p.category && !p.urgency).map((p) => p.step));
  return DEFAULT_SLA_POLICIES.filter((p) => !p.category && !p.urgency && !covered.has(p.step));
}

/** How long a clock of this step may stay paused for information (the policy's maxPause, else 5 working days). */
export function maxPauseFor(policies: SlaPolicy[], step: PolicyStep, category: string, urgency: string): Duration {
  return policyFor(policies, step, category, urgency).maxPause ?? DEFAULT_MAX_PAUSE;
}

/**
 * Logs the steps that run on DOMAIN.md's defaults, once each time that set changes (not at every
 * reload of the cached policies).
 */
export function reportDefaults(log: Pick<Logger, 'warn'>): (policies: SlaPolicy[]) => SlaPolicy[] {
  let reported = '';
  return (policies) => {
    const defaults = stepsOnDefaults(policies);
    const key = defaults.map((p) => p.step).join(',');
    if (key !== reported && defaults.length > 0) {
      log.warn({ steps: defaults.map((p) => `${p.step}: ${p.amount} ${p.unit}`) }, 'no SLA policy for these steps: DOMAIN.md defaults apply');
    }
    reported = key;
    return policies;
  };
}

export async function loadSlaPolicies(tx: Tx): Promise<SlaPolicy[]> {
  const rows = await tx<Omit<typeof slaPolicies.$inferSelect, 'id'>[]>`
    select step, category, urgency, amount, unit, max_pause_amount, max_pause_unit from sla_policies order by id`;
  return rows.map((r) => ({
    step: r.step, amount: r.amount, unit: r.unit,
    ...(r.category ? { category: r.category } : {}), ...(r.urgency ? { urgency: r.urgency } : {}),
    ...(r.maxPauseAmount && r.maxPauseUnit ? { maxPause: { amount: r.maxPauseAmount, unit: r.maxPauseUnit } } : {}),
  }));
}

export async function replaceSlaPolicies(tx: Tx, policies: SlaPolicy[]): Promise<void> {
  await tx`delete from sla_policies`;
  if (policies.length === 0) return;
  const rows = policies.map((p) => ({
    step: p.step, category: p.category ?? null, urgency: p.urgency ?? null, amount: p.amount, unit: p.unit,
    maxPauseAmount: p.maxPause?.amount ?? null, maxPauseUnit: p.maxPause?.unit ?? null,
  }));
  await tx`insert into sla_policies ${tx(rows, 'step', 'category', 'urgency', 'amount', 'unit', 'maxPauseAmount', 'maxPauseUnit')}`;
}
