/** The oversight board's answer: one TypeBox schema, from which the OpenAPI schema and the view type derive. */
import { Type, type Static } from 'typebox';
import { CaseSummarySchema, DeadlineSchema } from '../http/schemas.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const Hours = Type.Number({ description: '小时，保留一位小数 / hours, one decimal' });

export const LevelStaySchema = Type.Object({ level: Str, orgId: Str, orgName: Str, enteredAt: Str, leftAt: NStr, hours: Hours });

export const OversightItemSchema = Type.Object({
  ...CaseSummarySchema.properties,
  deadlines: Type.Array(DeadlineSchema),
  secondsLeft: Type.Union([Type.Integer(), Type.Null()], { description: '距到期秒数；负数为已超期 / seconds left; negative = overdue by' }),
  levelHistory: Type.Array(LevelStaySchema),
  hoursAtLevel: Type.Object({ branch: Hours, platform: Hours, department: Hours }, {
    description: '在各级停留的总时长（至今）/ total time the case has spent at each level, until now',
  }),
  returns: Type.Integer({ description: '退回次数 / times returned to the branch' }),
  transfers: Type.Integer({ description: '转办次数 / transfers (platform and department together)' }),
  reopenings: Type.Integer({ description: '不满意重办次数 / times reopened after dissatisfied feedback' }),
}, { description: '督办台账一项 / one case on the oversight board' });

export const OversightBoardSchema = Type.Object({ items: Type.Array(OversightItemSchema) });

export type OversightItemView = Static<typeof OversightItemSchema>;
export type OversightBoardView = Static<typeof OversightBoardSchema>;
