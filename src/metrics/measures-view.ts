/**
 * The measures' answer: one TypeBox schema, from which the OpenAPI document (each field with its
 * formula) and the view type derive. Formulas: README, "Measures"; code: unit-measures.ts.
 */
import { Type, type Static } from 'typebox';
import { ESCALATING_CLOCKS } from '../../workflows/case-rules.js';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Rate = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: `${description}; 0–1, null when the denominator is 0 (nothing to judge) / 分母为 0 时为 null`,
});

export const GROUP_BYS = ['org', 'category', 'platform', 'area'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const MeasureRowSchema = Type.Object({
  key: Type.Union([Type.String(), Type.Null()], { description: 'org: unit id; category / platform / area: the value (null: territorial cases have no platform, or no area)' }),
  label: Type.String(),
  received: Count('org: arrivals at the unit in the period (a case reaching it twice counts twice) 到达量; other groupings: cases registered in the period, each once 登记案件数'),
  accepted_on_time: Count('org: arrivals whose first clock at the unit (acceptance, or the order it came with) was met 按时受理; other groupings: cases all of whose arrivals were accepted on time'),
  resolved: Count('org: arrivals in the period that the unit resolved before the case left it and before the period ended; other groupings: cases resolved in the period'),
  on_time: Count('of resolved: resolved while the unit\'s clock was running (met, not missed) 按时办结'),
  overdue: Count('org: clocks of the unit missed in the period; other groupings: cases with a clock missed in the period'),
  escalated: Count(`as overdue, only the clocks whose miss escalates or puts the case on the agenda (${ESCALATING_CLOCKS.join(', ')}; not the feedback clock, which closes the case, nor the pause limit, which resumes the clock) 升级`),
  reopened: Count('org: dissatisfied feedback on the unit\'s resolutions; other groupings: cases reopened in the period'),
  feedback: Count('org: feedback in the period on the unit\'s resolutions; other groupings: cases with feedback in the period (the last one counts)'),
  satisfied: Count('of feedback: satisfied or basically satisfied 满意 + 基本满意'),
  solved_answered: Count('of feedback: with an answer to "was the problem solved?"'),
  solved: Count('of solved_answered: solved = yes (partly is not solved)'),
  response_rate: Rate('按时受理率 accepted_on_time / received'),
  on_time_rate: Rate('按时办结率 on_time / resolved'),
  resolution_rate: Rate('办结率 resolved / received'),
  solved_rate: Rate('问题解决率 solved / solved_answered'),
  satisfaction_rate: Rate('满意率 satisfied / feedback'),
  alg_reviews: Count('算法类（ALG）人工复核时限：org: the unit\'s human_review clocks closed in the period (met or missed); other groupings: ALG cases of the cohort whose review clock closed in the period'),
  alg_reviewed_on_time: Count('of alg_reviews: the human review was recorded before its clock ran out 按时复核'),
  alg_reviewed_on_time_rate: Rate('算法类按时复核率 alg_reviewed_on_time / alg_reviews'),
  referred: Count('转介调解：org: referrals the unit received in the period (a union or mediation unit); other groupings: referrals of the cohort\'s cases in the period'),
  referrals_answered: Count('of the referrals: answered in the period (refer_outcome: settled, not_settled or declined)'),
  referrals_settled: Count('of referrals_answered: settled 已调解'),
  referral_settled_rate: Rate('调解成功率 referrals_settled / referrals_answered'),
  avg_handling_hours: Type.Union([Type.Number(), Type.Null()], { description: 'org: mean hours from a clock\'s start to its close, clocks closed in the period; other groupings: mean hours from registration to the last resolution' }),
});

export const MeasuresSchema = Type.Object({
  from: Type.String(), to: Type.String(), groupBy: Type.Enum([...GROUP_BYS]), rows: Type.Array(MeasureRowSchema),
});

export const HotSpotSchema = Type.Object({
  category: Type.String(), platform: Type.Union([Type.String(), Type.Null()]), area: Type.String(),
  count: Type.Integer(), previous: Type.Integer(), growth: Type.Integer(),
});
export const HotSpotsSchema = Type.Object({ items: Type.Array(HotSpotSchema) });

export type MeasureRow = Static<typeof MeasureRowSchema>;
export type MeasuresView = Static<typeof MeasuresSchema>;
export type HotSpot = Static<typeof HotSpotSchema>;
export type HotSpotsView = Static<typeof HotSpotsSchema>;
