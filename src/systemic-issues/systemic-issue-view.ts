/** Answers about systemic issues: one TypeBox schema each, from which the OpenAPI schema and the view type derive. */
import { Type, type Static } from 'typebox';
import { LEVELS, STATES, TIME_UNITS } from '../../workflows/case-rules.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);

export const SystemicIssueInputSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  caseIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 2, maxItems: 500, description: '两件以上 / two or more cases' }),
}, { additionalProperties: false });

export const SystemicDecisionInputSchema = Type.Object({
  leadOrgId: Type.String({ format: 'uuid' }),
  amount: Type.Integer({ minimum: 1, maximum: 10_000 }),
  unit: Type.Enum([...TIME_UNITS]),
  decision: Type.String({ minLength: 1, maxLength: 5000 }),
  meetingId: Type.Optional(Type.String({ format: 'uuid', description: '作出决定的协调会；关联案件列入其议程 / the meeting deciding; the linked cases join its agenda' })),
}, { additionalProperties: false });

const LinkedCaseSchema = Type.Object({
  id: Str, reference: Str, state: Type.Enum([...STATES]), level: Type.Enum([...LEVELS]), holderOrgId: Str, category: Str, platform: NStr, area: NStr, overdue: Type.Boolean(),
});

export const SystemicIssueSchema = Type.Object({
  id: Str, title: Str, createdAt: Str,
  cases: Type.Array(LinkedCaseSchema),
  decision: Type.Union([Type.Object({
    leadOrgId: Str, amount: Type.Integer(), unit: Type.Enum([...TIME_UNITS]), decision: Str, meetingId: NStr, decidedAt: Str,
  }), Type.Null()]),
}, { description: '系统性问题 / a systemic issue and its linked cases' });

export const CandidateSchema = Type.Object({
  category: Str, platform: NStr, area: NStr,
  openCases: Type.Integer({ description: '未结案件数（未关联系统性问题）/ open cases not yet linked to a systemic issue' }),
  caseIds: Type.Array(Str, { description: '最多 50 件 / at most 50' }),
}, { description: '候选：同一 类别×平台×区域 的未结案件达到阈值 / a hot spot with enough open cases to become a systemic issue' });

export const SystemicIssueListSchema = Type.Object({
  items: Type.Array(SystemicIssueSchema),
  candidates: Type.Array(CandidateSchema),
  minCases: Type.Integer({ description: '候选阈值 / the candidates\' threshold' }),
});

export type SystemicIssueInput = Static<typeof SystemicIssueInputSchema>;
export type SystemicDecisionInput = Static<typeof SystemicDecisionInputSchema>;
export type SystemicIssueView = Static<typeof SystemicIssueSchema>;
export type CandidateView = Static<typeof CandidateSchema>;
export type SystemicIssueListView = Static<typeof SystemicIssueListSchema>;
