/** Response schemas shared by the routes (every status a route sends is declared). */
import { Type } from 'typebox';

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(), error: Type.String(), message: Type.String(),
}, { $id: 'Error', description: '错误 / error: the message names the field or rule at fault' });

const errorRef = Type.Ref('Error');
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errorRef]));

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const NStr = Nullable(Type.String());

export const DeadlineSchema = Type.Object({
  id: Str, step: Str, level: Str, orgId: Str, startedAt: Str, dueAt: Str, warnAt: Str,
  status: Type.Enum(['pending', 'paused', 'met', 'missed', 'cancelled']), closedAt: NStr,
  provisional: Type.Boolean({ description: '到期时间计入了尚未公布节假日安排的年份，公布后重算 / the due time counts days of a year whose official schedule is not loaded yet; recomputed when it is' }),
});

const caseFields = {
  id: Str, reference: Type.String({ description: '案件编号，如 SQ-2026-000123' }),
  state: Type.String({ description: '状态机状态名 / statechart state' }), stateLabel: Str,
  level: Type.String({ description: 'branch | platform | department' }),
  holderOrgId: Str, branchOrgId: Str, platformOrgId: NStr, departmentOrgId: NStr, supervisingOrgId: NStr,
  category: Str, platform: Str, area: NStr, urgency: Str, channel: Str, description: Str, occurredAt: NStr,
  worker: Type.Object({
    name: NStr, phone: NStr, anonymous: Type.Boolean(), workerType: Str, platforms: Type.Array(Str),
  }, { description: '个人信息按角色脱敏 / personal data masked unless the role needs it' }),
  resolution: NStr, outcome: NStr, mergedInto: NStr, version: Type.Integer(),
  overdue: Type.Boolean(), dueAt: Type.Union([Type.String(), Type.Null()], { description: '当前环节到期时间 / due time of the running clock' }),
  supervised: Type.Boolean(), onMeetingAgenda: Type.Boolean(),
  createdAt: Str, updatedAt: Str, closedAt: NStr,
};

export const CaseSummarySchema = Type.Object(caseFields);
export const CaseSchema = Type.Object({
  ...caseFields,
  deadlines: Type.Array(DeadlineSchema),
  allowedActions: Type.Array(Str, { description: '当前调用者可执行的操作 / actions this caller may send now' }),
}, { $id: 'Case' });

export const EventSchema = Type.Object({
  seq: Type.Integer(), at: Str,
  actor: Type.Object({ userId: Type.Optional(Str), orgId: Type.Optional(Str), system: Type.Optional(Str) }),
  action: Str, fromState: NStr, toState: Str, level: Str, holderOrgId: NStr,
  data: Type.Object({}, { additionalProperties: true, description: '按操作类型化的记录数据 / typed per action (schemaVersion 2)' }),
  schemaVersion: Type.Integer({ description: '1: written before the typed record; 2: typed data' }),
  prevHash: Type.String({ description: 'the previous event\'s hash; 64 zeros for the first' }),
  hash: Type.String({ description: 'hex SHA-256 of the RFC 8785 canonical JSON of {caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}' }),
});

export const OrgSchema = Type.Object({
  id: Str, name: Str, type: Str, parentId: NStr, platform: NStr, sectors: Type.Array(Str), areas: Type.Array(Str), webhookUrl: NStr,
});
