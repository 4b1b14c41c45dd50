/**
 * The life of one grievance case across the three levels (三级联动):
 * branch liaison (L1) → platform committee team (L2) → competent department (L3),
 * with feedback, reopening one level up, and the coordination meeting's decisions.
 *
 * Pure: no I/O, no timers. Deadlines are declared per state in `meta.clock`; the engine
 * writes deadline rows and BullMQ drives them. Events carry everything a guard needs
 * (the caller's role, the level a meeting decision assigns to), so the engine can run
 * `transition(caseMachine, snapshot, event)` and persist the result.
 */
import { assign, setup } from 'xstate';

/** Bump when states or transitions change incompatibly; stored beside every snapshot. */
export const CASE_MACHINE_VERSION = 1;

export const LEVELS = ['branch', 'platform', 'department'] as const;
export type Level = (typeof LEVELS)[number];

export const ROLES = ['liaison', 'committee', 'officer', 'convener', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const DEADLINE_STEPS = ['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback'] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const TIME_UNITS = ['working_days', 'working_hours', 'hours', 'minutes', 'seconds'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const USER_ACTIONS = [
  'forward', 'resolve', 'withdraw', 'merge', 'accept', 'return', 'transfer',
  'request_info', 'resume', 'request_extension', 'approve_extension', 'deny_extension',
  'hand_off', 'supervise', 'feedback', 'assign_lead',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export const STATES = [
  'registered', 'branch_awaiting_info',
  'forwarded', 'platform_handling', 'platform_awaiting_info',
  'handed_off', 'department_handling', 'department_awaiting_info',
  'resolved', 'closed', 'withdrawn', 'merged',
] as const;
export type CaseState = (typeof STATES)[number];
export const FINAL_STATES: readonly CaseState[] = ['closed', 'withdrawn', 'merged'];

/** Chinese names of the states, shown beside the machine names. */
export const STATE_LABELS: Record<CaseState, string> = {
  registered: '已登记（支部）', branch_awaiting_info: '待补充材料（支部）',
  forwarded: '已转交平台待受理', platform_handling: '平台办理中', platform_awaiting_info: '待补充材料（平台）',
  handed_off: '已移交主管部门待受理', department_handling: '主管部门办理中', department_awaiting_info: '待补充材料（部门）',
  resolved: '已办结待反馈', closed: '已结案', withdrawn: '已撤回', merged: '已合并',
};

/**
 * Who may send each action, by the relation of the caller's unit to the case:
 * holder — the unit holding the case; branch — the branch that registered it;
 * approver — the level above the holder (branch → platform committee, platform → department,
 * department → convener); supervisor — the supervising department; convener — any convener.
 * The roles column is checked by the machine's guards; the relation by the engine.
 */
export const ACTION_ACTORS: Record<UserAction, 'holder' | 'branch' | 'approver' | 'supervisor' | 'convener'> = {
  forward: 'branch', resolve: 'holder', withdraw: 'branch', merge: 'branch',
  accept: 'holder', return: 'holder', transfer: 'holder',
  request_info: 'holder', resume: 'holder', request_extension: 'holder',
  approve_extension: 'approver', deny_extension: 'approver',
  hand_off: 'holder', supervise: 'supervisor', feedback: 'branch', assign_lead: 'convener',
};

const HOLDER_ROLE: Record<Level, Role> = { branch: 'liaison', platform: 'committee', department: 'officer' };
const APPROVER_ROLE: Record<Level, Role> = { branch: 'committee', platform: 'officer', department: 'convener' };

export function holderRole(level: Level): Role {
  return HOLDER_ROLE[level];
}
export function approverRole(level: Level): Role {
  return APPROVER_ROLE[level];
}

/** The roles that may send an action while the case is at `level`. */
export function rolesFor(action: UserAction, level: Level): Role[] {
  switch (action) {
    case 'forward': case 'withdraw': case 'merge': case 'feedback': return ['liaison'];
    case 'accept': case 'transfer': return level === 'department' ? ['officer'] : ['committee'];
    case 'return': case 'hand_off': return ['committee'];
    case 'supervise': return ['officer'];
    case 'assign_lead': return ['convener'];
    case 'approve_extension': case 'deny_extension': return [approverRole(level)];
    case 'resolve': case 'request_info': case 'resume': case 'request_extension': return [holderRole(level)];
  }
}

/** A pending extension request; `approverOrgId` is the unit one level up (null: any convener). */
export interface Extension { step: DeadlineStep; amount: number; unit: TimeUnit; reason: string; approverOrgId: string | null }

export interface CaseContext {
  level: Level;
  resolvedAtLevel: Level | null;
  supervised: boolean;
  onMeetingAgenda: boolean;
  outcome: Rating | 'no_feedback' | null;
  pendingExtension: Extension | null;
  returnCount: number;
  reopenCount: number;
}

type Actor = { role: Role };
export type CaseEvent =
  | ({ type: 'forward' } & Actor)
  | ({ type: 'resolve'; resolution: string } & Actor)
  | ({ type: 'withdraw'; reason: string } & Actor)
  | ({ type: 'merge'; intoCaseId: string } & Actor)
  | ({ type: 'accept' } & Actor)
  | ({ type: 'return'; reason: string } & Actor)
  | ({ type: 'transfer'; reason: string } & Actor)
  | ({ type: 'request_info'; question: string } & Actor)
  | ({ type: 'resume'; answer: string } & Actor)
  | ({ type: 'request_extension'; step: DeadlineStep; amount: number; unit: TimeUnit; reason: string; approverOrgId: string | null } & Actor)
  | ({ type: 'approve_extension'; reason?: string } & Actor)
  | ({ type: 'deny_extension'; reason?: string } & Actor)
  | ({ type: 'hand_off'; reason: string } & Actor)
  | ({ type: 'supervise'; instructions: string; amount: number; unit: TimeUnit } & Actor)
  | ({ type: 'feedback'; rating: Rating; comment?: string } & Actor)
  | ({ type: 'assign_lead'; leadLevel: Level; amount: number; unit: TimeUnit; decision: string } & Actor)
  | { type: 'deadline_warning'; step: DeadlineStep }
  | { type: 'deadline_missed'; step: DeadlineStep };

export interface StateMeta {
  /** The deadline step this state's clock runs for. */
  clock?: DeadlineStep;
  /** The clock is paused while in this state (waiting for the worker's information). */
  paused?: boolean;
}

/** A guard per user action: the caller's role must be one the action allows at the case's level. */
const roleGuard = (action: UserAction) =>
  ({ context, event }: { context: CaseContext; event: CaseEvent }) =>
    'role' in event && rolesFor(action, context.level).includes(event.role);


const machineSetup = setup({
  types: { context: {} as CaseContext, events: {} as CaseEvent },
  guards: {
    mayForward: roleGuard('forward'), mayResolve: roleGuard('resolve'), mayWithdraw: roleGuard('withdraw'),
    mayMerge: roleGuard('merge'), mayAccept: roleGuard('accept'), mayReturn: roleGuard('return'),
    mayTransfer: roleGuard('transfer'), mayRequestInfo: roleGuard('request_info'), mayResume: roleGuard('resume'),
    mayHandOff: roleGuard('hand_off'), mayFeedback: roleGuard('feedback'), mayAssignLead: roleGuard('assign_lead'),
    maySupervise: roleGuard('supervise'),
    maySuperviseEscalated: ({ context, event }) => roleGuard('supervise')({ context, event }) && context.supervised,
    mayRequestExtension: ({ context, event }) =>
      roleGuard('request_extension')({ context, event }) && context.pendingExtension === null,
    mayDecideExtension: ({ context, event }) =>
      event.type !== 'deadline_missed' && event.type !== 'deadline_warning' &&
      rolesFor('approve_extension', context.level).includes(event.role) && context.pendingExtension !== null,
    satisfied: ({ context, event }) =>
      roleGuard('feedback')({ context, event }) && event.type === 'feedback' && event.rating !== 'dissatisfied',
    dissatisfiedWith: ({ context, event }, level: unknown) =>
      roleGuard('feedback')({ context, event }) && event.type === 'feedback' && event.rating === 'dissatisfied' &&
      context.resolvedAtLevel === level,
    leadAt: ({ context, event }, level: unknown) =>
      roleGuard('assign_lead')({ context, event }) && event.type === 'assign_lead' && event.leadLevel === level,
  },
  actions: {
    /** A missed L1/L2 step puts the case under the department's supervision; a missed L3 step on the meeting's agenda. */
    escalate: assign(({ context }) => (context.level === 'department' ? { onMeetingAgenda: true } : { supervised: true })),
    toBranch: assign({ level: 'branch' as const }),
    toPlatform: assign({ level: 'platform' as const }),
    toDepartment: assign({ level: 'department' as const }),
    markResolved: assign(({ context }) => ({ resolvedAtLevel: context.level })),
    countReturn: assign(({ context }) => ({ returnCount: context.returnCount + 1 })),
    reopen: assign(({ context }) => ({ reopenCount: context.reopenCount + 1, resolvedAtLevel: null, outcome: 'dissatisfied' as const })),
    underSupervision: assign({ supervised: true }),
    toMeetingAgenda: assign({ onMeetingAgenda: true }),
    offMeetingAgenda: assign({ onMeetingAgenda: false }),
    recordOutcome: assign(({ event }) => ({ outcome: event.type === 'feedback' ? event.rating : null })),
    noFeedback: assign({ outcome: 'no_feedback' as const }),
    holdExtension: assign(({ event }) => ({
      pendingExtension: event.type === 'request_extension'
        ? { step: event.step, amount: event.amount, unit: event.unit, reason: event.reason, approverOrgId: event.approverOrgId }
        : null,
    })),
    clearExtension: assign({ pendingExtension: null }),
  },
});

/** A meeting decision moves the case to the lead unit's level, with a fresh clock. */
const meetingDecision = [
  { guard: { type: 'leadAt', params: 'platform' }, target: 'platform_handling', reenter: true, actions: ['toPlatform', 'offMeetingAgenda'] },
  { guard: { type: 'leadAt', params: 'department' }, target: 'department_handling', reenter: true, actions: ['toDepartment', 'offMeetingAgenda'] },
  { guard: { type: 'leadAt', params: 'branch' }, target: 'registered', reenter: true, actions: ['toBranch', 'offMeetingAgenda'] },
] as const;

/** The holder asks the level above for more time; the level above approves or denies. */
const extensionRequests = {
  request_extension: { guard: 'mayRequestExtension', actions: 'holdExtension' },
  approve_extension: { guard: 'mayDecideExtension', actions: 'clearExtension' },
  deny_extension: { guard: 'mayDecideExtension', actions: 'clearExtension' },
} as const;

export const caseMachine = machineSetup.createMachine({
  id: 'grievanceCase',
  initial: 'registered',
  context: {
    level: 'branch', resolvedAtLevel: null, supervised: false, onMeetingAgenda: false,
    outcome: null, pendingExtension: null, returnCount: 0, reopenCount: 0,
  },
  // A warning changes nothing but the record.
  on: {
    deadline_warning: {},
  },
  states: {
    registered: {
      meta: { clock: 'l1_forward' } satisfies StateMeta,
      on: {
        forward: { guard: 'mayForward', target: 'forwarded', actions: 'toPlatform' },
        resolve: { guard: 'mayResolve', target: 'resolved', actions: 'markResolved' },
        merge: { guard: 'mayMerge', target: 'merged' },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        request_info: { guard: 'mayRequestInfo', target: 'branch_awaiting_info' },
        ...extensionRequests,
        supervise: { guard: 'maySuperviseEscalated', target: 'platform_handling', actions: 'toPlatform' },
        assign_lead: meetingDecision,
        deadline_missed: { actions: 'escalate' },
      },
    },
    branch_awaiting_info: {
      meta: { clock: 'l1_forward', paused: true } satisfies StateMeta,
      on: {
        resume: { guard: 'mayResume', target: 'registered' },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
      },
    },
    forwarded: {
      meta: { clock: 'l2_accept' } satisfies StateMeta,
      on: {
        accept: { guard: 'mayAccept', target: 'platform_handling' },
        return: { guard: 'mayReturn', target: 'registered', actions: ['toBranch', 'countReturn'] },
        transfer: { guard: 'mayTransfer', target: 'forwarded', reenter: true },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        supervise: { guard: 'maySuperviseEscalated', target: 'platform_handling' },
        assign_lead: meetingDecision,
        deadline_missed: { actions: 'escalate' },
      },
    },
    platform_handling: {
      meta: { clock: 'l2_resolve' } satisfies StateMeta,
      on: {
        resolve: { guard: 'mayResolve', target: 'resolved', actions: 'markResolved' },
        hand_off: { guard: 'mayHandOff', target: 'handed_off', actions: 'toDepartment' },
        transfer: { guard: 'mayTransfer', target: 'forwarded' },
        request_info: { guard: 'mayRequestInfo', target: 'platform_awaiting_info' },
        ...extensionRequests,
        supervise: { guard: 'maySuperviseEscalated', target: 'platform_handling', reenter: true, actions: 'toPlatform' },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        assign_lead: meetingDecision,
        deadline_missed: { actions: 'escalate' },
      },
    },
    platform_awaiting_info: {
      meta: { clock: 'l2_resolve', paused: true } satisfies StateMeta,
      on: {
        resume: { guard: 'mayResume', target: 'platform_handling' },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
      },
    },
    handed_off: {
      meta: { clock: 'l3_accept' } satisfies StateMeta,
      on: {
        accept: { guard: 'mayAccept', target: 'department_handling' },
        transfer: { guard: 'mayTransfer', target: 'handed_off', reenter: true },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        assign_lead: meetingDecision,
        deadline_missed: { actions: 'escalate' },
      },
    },
    department_handling: {
      meta: { clock: 'l3_resolve' } satisfies StateMeta,
      on: {
        resolve: { guard: 'mayResolve', target: 'resolved', actions: 'markResolved' },
        supervise: { guard: 'maySupervise', target: 'platform_handling', actions: ['toPlatform', 'underSupervision'] },
        transfer: { guard: 'mayTransfer', target: 'handed_off' },
        request_info: { guard: 'mayRequestInfo', target: 'department_awaiting_info' },
        ...extensionRequests,
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        assign_lead: meetingDecision,
        deadline_missed: { actions: 'escalate' },
      },
    },
    department_awaiting_info: {
      meta: { clock: 'l3_resolve', paused: true } satisfies StateMeta,
      on: {
        resume: { guard: 'mayResume', target: 'department_handling' },
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
      },
    },
    resolved: {
      meta: { clock: 'feedback' } satisfies StateMeta,
      on: {
        feedback: [
          { guard: 'satisfied', target: 'closed', actions: 'recordOutcome' },
          { guard: { type: 'dissatisfiedWith', params: 'branch' }, target: 'forwarded', actions: ['reopen', 'toPlatform'] },
          { guard: { type: 'dissatisfiedWith', params: 'platform' }, target: 'handed_off', actions: ['reopen', 'toDepartment'] },
          { guard: { type: 'dissatisfiedWith', params: 'department' }, target: 'department_handling', actions: ['reopen', 'toDepartment', 'toMeetingAgenda'] },
        ],
        withdraw: { guard: 'mayWithdraw', target: 'withdrawn' },
        deadline_missed: { target: 'closed', actions: 'noFeedback' },
      },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final' },
    merged: { type: 'final' },
  },
});

export type CaseMachine = typeof caseMachine;

export type CaseSnapshot = ReturnType<typeof caseMachine.resolveState>;

/** Rebuilds a snapshot from what the engine stores: the state value and the context. */
export function restoreCase(state: CaseState, context: CaseContext): CaseSnapshot {
  return caseMachine.resolveState({ value: state, context });
}

export function startCase(): CaseSnapshot {
  return caseMachine.resolveState({ value: 'registered', context: caseMachine.config.context as CaseContext });
}

export function clockOf(state: CaseState): StateMeta {
  return (caseMachine.config.states?.[state]?.meta ?? {}) as StateMeta;
}

function handles(state: CaseState, action: string): boolean {
  return Boolean(caseMachine.config.states?.[state]?.on?.[action as never]);
}

/** The actions (by name) the state reacts to at all, for any role. */
export function actionsIn(state: CaseState): UserAction[] {
  return USER_ACTIONS.filter((a) => handles(state, a));
}

/**
 * Why the machine refuses `event` in `snapshot`, in words for the caller (Chinese, then English);
 * null when it accepts it.
 */
export function whyRefused(snapshot: CaseSnapshot, event: CaseEvent & { role: Role }): string | null {
  if (snapshot.can(event)) return null;
  const state = snapshot.value as CaseState;
  const action = event.type as UserAction;
  if (FINAL_STATES.includes(state)) {
    return `案件已终结（${STATE_LABELS[state]}），不能再操作 / the case is final (${state}): no action is allowed`;
  }
  if (!handles(state, action)) {
    const allowed = actionsIn(state).join(', ') || 'none';
    return `当前状态（${STATE_LABELS[state]}）不能执行 ${action} / action '${action}' is not allowed in state '${state}' (allowed there: ${allowed})`;
  }
  const roles = rolesFor(action, snapshot.context.level);
  if (!roles.includes(event.role)) {
    return `角色 ${event.role} 不能执行 ${action} / role '${event.role}' may not '${action}' at level '${snapshot.context.level}' (allowed roles: ${roles.join(', ')})`;
  }
  switch (action) {
    case 'supervise':
      return `只有被督办（逾期升级）的案件才能在此阶段下达督办单 / a supervision order at this level needs a case under supervision (escalated after a missed deadline)`;
    case 'request_extension':
      return `已有待审批的延期申请 / an extension request is already pending`;
    case 'approve_extension': case 'deny_extension':
      return `没有待审批的延期申请 / no extension request is pending`;
    default:
      return `该操作的条件不满足 / the conditions for '${action}' are not met in state '${state}'`;
  }
}
