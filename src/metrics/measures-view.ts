/**
 * The measures' answer: one TypeBox schema, from which the OpenAPI document (each field with its
 * formula) and the view type derive. Formulas: README, "Measures"; counted by measure-rollup.ts,
 * read by unit-measures.ts.
 */
import { Type, type Static } from 'typebox';
import { ESCALATING_CLOCKS } from '../../workflows/case-rules.js';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Rate = (description: string) => Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: `${description}; 0–1, null when the denominator is 0 (nothing to judge) / 分母为 0 时为 null`,
});

export const GROUP_BYS = ['org', 'category', 'platform', 'area', 'workerType', 'channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const PER_EVENT = 'counted on the day it happened, under the values the case had then';

export const MeasureRowSchema = Type.Object({
  key: Type.Union([Type.String(), Type.Null()], { description: 'org: unit id; other groupings: the value (null: territorial cases have no platform, or no area)' }),
  label: Type.String(),
  received: Count('org: arrivals at the unit in the period (registration at the branch, or a move to the unit; a case reaching it twice counts twice; a supervision order is not an arrival) 到达量; other groupings: cases registered in the period, each once 登记案件数'),
  accepts_judged: Count(`arrivals whose acceptance clock ended in the period: accepted, returned, transferred or forwarded, or missed (one still within its time is not judged yet; a withdrawn case's is not judged) 应受理; ${PER_EVENT}`),
  accepted_on_time: Count('of accepts_judged: the acceptance clock was met 按时受理'),
  rectifications: Count(`supervision orders (督办) whose clock ended in the period, met or missed 应整改; ${PER_EVENT}`),
  rectified_on_time: Count('of rectifications: met before the order\'s deadline 按时整改'),
  resolved: Count(`org: the unit\'s resolutions in the period; other groupings: cases resolved for the first time in the period 办结; ${PER_EVENT}`),
  on_time: Count('of resolved: the resolution closed one of the unit\'s clocks in time (met, not missed) 按时办结'),
  overdue: Count(`clocks missed in the period (org: the unit\'s) 超期; ${PER_EVENT}`),
  escalated: Count(`as overdue, only the clocks whose miss escalates or puts the case on the agenda (${ESCALATING_CLOCKS.join(', ')}; not the feedback clock, which closes the case, nor the pause limit, which resumes the clock) 升级`),
  reopened: Count('of feedback: dissatisfied, so the case reopened one level up 重办'),
  feedback: Count(`feedback given in the period, each once (a reopened case rated twice counts twice); org: on the unit\'s resolutions 评价; ${PER_EVENT}`),
  satisfied: Count('of feedback: satisfied or basically satisfied 满意 + 基本满意'),
  solved_answered: Count('of feedback: with an answer to "was the problem solved?"'),
  solved: Count('of solved_answered: solved = yes (partly is not solved)'),
  response_rate: Rate('按时受理率 accepted_on_time / accepts_judged'),
  rectification_rate: Rate('按时整改率 rectified_on_time / rectifications'),
  on_time_rate: Rate('按时办结率 on_time / resolved'),
  resolution_rate: Rate('办结率 resolved / received, at most 1 (a period may resolve cases that arrived before it)'),
  solved_rate: Rate('问题解决率 solved / solved_answered'),
  satisfaction_rate: Rate('满意率 satisfied / feedback'),
  alg_reviews: Count(`算法类（ALG）人工复核时限：human_review clocks closed in the period (met or missed); ${PER_EVENT}`),
  alg_reviewed_on_time: Count('of alg_reviews: the human review was recorded before its clock ran out 按时复核'),
  alg_reviewed_on_time_rate: Rate('算法类按时复核率 alg_reviewed_on_time / alg_reviews'),
  referred: Count(`转介调解：referrals in the period (org: received by the unit, a union or mediation unit); ${PER_EVENT}`),
  referrals_answered: Count('referrals answered in the period (refer_outcome: settled, not_settled or declined)'),
  referrals_settled: Count('of referrals_answered: settled 已调解'),
  referral_settled_rate: Rate('调解成功率 referrals_settled / referrals_answered'),
  avg_handling_hours: Type.Union([Type.Number(), Type.Null()], { description: 'mean hours from a clock\'s start to its close, clocks closed (met or missed) in the period (org: the unit\'s) 平均办理时长' }),
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
