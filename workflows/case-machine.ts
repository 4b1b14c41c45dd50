/**
 * The life of one grievance case across the three levels (三级联动):
 * branch liaison (L1) → platform committee team (L2) → competent department (L3),
 * with feedback, reopening one level up, and the coordination meeting's decisions.
 *
 * This chart is the single source of a case's rules. It is pure: no I/O, no timers. Every effect
 * of a transition is a named action that `decide` (the machine's pure transition) returns with
 * its params — start / stop / pause / resume / extend a clock, move the holder, supervise, put on
 * the meeting agenda, notify a unit — and the engine executes them, in order, inside the case's
 * transaction. Levels are parent states: leaving one (its `exit`) is the one place where a pending
 * extension request dies. A clock belongs to the state that starts it on entry and stops it on exit,
 * so several clocks can run at once (a supervision order, the pause limit).
 */
import { and, assign, createActor, setup } from 'xstate';
import { USER_ACTIONS, type BodyOf, type UserAction } from './case-actions.js';
import {
  APPEAL_WINDOW, APPROVER, BLOCKED_BY_REFERRAL, CLASSIFICATION_FIELDS, HOLDER_ROLE, isFinal, MAX_TRANSFERS, PAUSING_CLOCKS, REFERRED_ROLE, REOPENING, STATES, STATE_LABELS,
  type ActorRole, type AgendaReason, type CaseState, type ClassificationField, type DeadlineStep, type Duration, type Level,
  type Outcome, type Rating, type ReferralKind, type ReferralOutcome, type ReviewOutcome, type Role, type SolvedAnswer, type TimeUnit,
} from './case-rules.js';

/** Bump when states or transitions change incompatibly; stored beside every snapshot. */
export const CASE_MACHINE_VERSION = 3;

export { USER_ACTIONS, type UserAction };

/**
 * Who may send each action, by the relation of the caller's unit to the case:
 * holder — the unit holding the case; branch — the branch that registered it;
 * approver — the level above the holder (branch → platform committee, platform → department,
 * department → convener); supervisor — the supervising department; convener — any convener;
 * cohandler — a department the holder asked for an opinion (the chart checks it is still due);
 * referred — the unit a pending referral went to; rater — the registering branch, or a call-back
 * user's unit (回访: never the unit whose resolution is rated); worker — the worker themselves.
 * The roles are checked by the machine's guards; the relation by the engine.
 */
export const ACTION_ACTORS: Record<UserAction, 'holder' | 'branch' | 'approver' | 'supervisor' | 'convener' | 'cohandler' | 'referred' | 'rater' | 'worker'> = {
  // merge: the holder — at L1 the registering branch, at L2 the committee holding both cases (rolesFor).
  forward: 'branch', resolve: 'holder', withdraw: 'branch', merge: 'holder',
  accept: 'holder', return: 'holder', transfer: 'holder',
  request_info: 'holder', resume: 'holder', provide_info: 'branch', request_extension: 'holder',
  approve_extension: 'approver', deny_extension: 'approver',
  hand_off: 'holder', supervise: 'supervisor', feedback: 'rater', assign_lead: 'convener',
  reclassify: 'holder', add_cohandler: 'holder', contribute: 'cohandler', human_review: 'holder',
  refer: 'holder', refer_outcome: 'referred', appeal: 'worker', assign: 'holder',
};

export function holderRole(level: Level): Role {
  return HOLDER_ROLE[level];
}
export function approverRole(level: Level): Role {
  return APPROVER[level].role;
}

/** The roles that may send an action while the case is at `level`. */
export function rolesFor(action: UserAction, level: Level): ActorRole[] {
  switch (action) {
    case 'feedback': return ['liaison', 'callback', 'worker'];
    case 'appeal': return ['worker'];
    case 'forward': case 'withdraw': case 'provide_info': return ['liaison'];
    // The liaison merges the same matter at the branch; the committee at L2, across branches, only for one consenting worker.
    case 'merge': return level === 'platform' ? ['committee'] : ['liaison'];
    case 'accept': case 'transfer': return level === 'department' ? ['officer'] : ['committee'];
    case 'return': case 'hand_off': case 'human_review': return ['committee'];
    case 'supervise': case 'add_cohandler': case 'contribute': return ['officer'];
    case 'assign_lead': return ['convener'];
    case 'approve_extension': case 'deny_extension': return [approverRole(level)];
    case 'resolve': case 'request_info': case 'resume': case 'request_extension': case 'reclassify': case 'refer': case 'assign': return [holderRole(level)];
    case 'refer_outcome': return [REFERRED_ROLE.role];
  }
}

/** A pending extension request; `approverOrgId` is the unit one level up (null: any convener). */
export interface Extension { step: DeadlineStep; amount: number; unit: TimeUnit; reason: string; approverOrgId: string | null }

/** A pending referral (矛盾调解): the unit it went to, and for what. */
export interface Referral { orgId: string; kind: ReferralKind }

/** What the guards need to decide; everything else about a case lives in its row. */
export interface CaseContext {
  level: Level;
  resolvedAtLevel: Level | null;
  /** Escalated to, or ordered by, the competent department (督办). */
  supervised: boolean;
  outcome: Outcome | null;
  pendingExtension: Extension | null;
  returnCount: number;
  transferCount: number;
  reopenCount: number;
  /** An algorithm-decision case (ALG): the committee records a human review before resolving or handing off. */
  algorithmic: boolean;
  humanReviewed: boolean;
  /**
   * Co-handling departments by unit id: `waiting` for their opinion (the lead cannot resolve yet),
   * `late` (their clock ran out; a late opinion is still taken), `done`, or `released` (the case left
   * the department level before they answered).
   */
  cohandlers: Record<string, CohandlerStatus>;
  /** The case waits on a referral: the holder's clock is paused, the holder may not resolve, transfer or hand off. */
  referral: Referral | null;
  /** The outcome is the worker's own rating (through their link), not one relayed by a liaison or a call-back user. */
  ratedByWorker: boolean;
  /** The worker appealed the closing (申诉): once per case. */
  appealed: boolean;
}
export type CohandlerStatus = 'waiting' | 'late' | 'done' | 'released';

type Actor = { role: ActorRole };
/**
 * What the engine resolves before the chart sees an action (the units and clocks a body implies),
 * and the body fields it replaces: a merge's target as an id, a reclassification's real changes.
 */
interface Resolved {
  /** `sameWorker`: both cases' workers consented to be recognised (worker.consentToLink) and their linking digests match. */
  merge: { intoCaseId: string; sameWorker: boolean };
  request_extension: { step: DeadlineStep; approverOrgId: string | null };
  /** `orgId`: the caller's department, which becomes the supervising unit. */
  supervise: { orgId: string };
  assign_lead: { leadLevel: Level };
  /** `orgId`: the caller's unit, which must be a co-handler still to answer. */
  contribute: { orgId: string };
  reclassify: ClassificationChanges;
  /** `orgId`: the caller's unit, which must be the one the pending referral went to. */
  refer_outcome: { orgId: string };
  /** Whether the case closed within APPEAL_WINDOW of now, on the working calendar. */
  appeal: { withinWindow: boolean };
}
type Replaced = { merge: 'intoCaseId' | 'intoReference'; reclassify: ClassificationField | 'platforms' };
/** A user action as the chart takes it: its body (workflows/case-actions.ts), what the engine resolved, the caller's role. */
type EventFor<A extends UserAction> = { type: A } & Omit<BodyOf<A>, A extends keyof Replaced ? Replaced[A] : never>
  & (A extends keyof Resolved ? Resolved[A] : unknown) & Actor;
export type UserEvent = { [A in UserAction]: EventFor<A> }[UserAction];
export type CaseEvent =
  | UserEvent
  | { type: 'deadline_warning'; step: DeadlineStep; orgId: string }
  | { type: 'deadline_missed'; step: DeadlineStep; orgId: string };

/**
 * Who a notification goes to: the holder, the supervising department or the registering branch
 * (the planner knows them after the transition), or a unit the event names (the approver of an
 * extension request, the owner of a clock). A unit that is null is told nothing.
 */
export type NotifyTo = { to: 'holder' | 'supervisor' | 'branch' } | { to: 'unit'; orgId: string | null };
export type NotificationKind =
  | 'case_arrived' | 'case_returned' | 'supervision_order' | 'meeting_decision' | 'info_requested'
  | 'info_provided' | 'extension_requested' | 'extension_decided' | 'deadline_warning' | 'deadline_missed' | 'escalated'
  | 'cohandler_added' | 'contribution_received' | 'referral_requested' | 'referral_answered';

/** A reclassification's new values (only those that change): the classification's fields, and the worker's platforms. */
export type ClassificationChanges = Partial<Record<ClassificationField, string | null>> & { workerPlatforms?: string[] };

/**
 * The effects a transition can return, by name, each with every input it needs as params: the
 * planner (src/cases/case-plan.ts) never reads the event that caused it.
 */
export interface CaseEffects {
  /** Start a clock for `step`; the SLA policy gives its length unless the event sets one (a supervision order, a meeting decision). */
  startClock: { step: DeadlineStep; length?: Duration; ownerOrgId?: string };
  /** Stop the running or paused clocks of these steps (of one co-handler only, with `orgId`): met, or cancelled when the case is withdrawn, merged or decided by the meeting. */
  stopClocks: { steps: DeadlineStep[]; status: 'met' | 'cancelled'; orgId?: string };
  /**
   * Pause the running clock among these steps, and start `limit` (the pause limit, waiting for
   * information) with the length its policy's `maxPause` sets; a referral's wait starts none.
   */
  pauseClock: { steps: DeadlineStep[]; limit: DeadlineStep | null };
  /** Restart the paused clock among these steps; the paused span is given back in the clock's own unit. */
  resumeClock: { steps: DeadlineStep[] };
  /** Move the due time of the running or paused clock of `step` by an approved extension. */
  extendClock: { step: DeadlineStep } & Duration;
  /** Move the case to a unit at `to`: `orgId` when the event names one, else the one it had there, else the routing rules' pick. */
  moveHolder: { to: Level; orgId: string | null };
  /** Route the supervising department (督办) after a missed L1/L2 step. */
  assignSupervisor: Record<string, never>;
  /** The department that orders the platform becomes the supervising unit. */
  takeSupervision: { orgId: string };
  addToAgenda: { reason: AgendaReason };
  removeFromAgenda: Record<string, never>;
  /** The unit recorded as accountable (问责): the holder that missed a supervision order, or the co-handler that missed its contribution. */
  holdAccountable: { who: 'holder' } | { who: 'unit'; orgId: string };
  /** The holder's corrected classification (分类整理): the case's values change, old and new recorded. */
  recordClassification: { changes: ClassificationChanges };
  /** Co-handling departments join: each gets a clock of `step` (its opinion), read scope, and is told. */
  addCohandlers: { orgIds: string[]; reason: string; step: DeadlineStep };
  /** A co-handler's opinion, recorded. */
  recordContribution: { orgId: string; opinion: string };
  /** The committee's human review of an algorithm's decision. */
  recordHumanReview: { outcome: ReviewOutcome; explanation: string };
  /** A referred unit's answer, recorded (its unit; a settlement is not a resolution by itself). */
  recordReferralOutcome: { orgId: string; outcome: ReferralOutcome };
  /** The person of the holding unit the case is assigned to (the engine checked they belong to it); no clock changes. */
  assignTo: { userId: string };
  /** The holder's resolution; the holder is the unit the worker's feedback will judge. */
  recordResolution: { resolution: string };
  /** The worker's rating and answer, counted for the unit whose resolution they judge (the holder of the resolved case). */
  recordFeedback: { rating: Rating; solved: SolvedAnswer | null };
  /** The case is overdue until its next clock starts. */
  markOverdue: Record<string, never>;
  /** The case ends merged into another; the other case's record notes it. */
  mergeInto: { caseId: string };
  notify: NotifyTo & { kind: NotificationKind };
  /** An urgent or critical case reaches its competent department at once (once), which may then read it. */
  tellCompetentDepartment: Record<string, never>;
  /** The worker's one-time feedback link (回访), sent by SMS through the registering branch; it expires with the clock of `expiresWith`. */
  sendFeedbackLink: { expiresWith: DeadlineStep };
  /** A closing the worker did not rate themselves: the SMS says they may appeal within `window` (申诉); null: no appeal is open. */
  inviteAppeal: { window: Duration | null };
}
export type CaseEffect = { [K in keyof CaseEffects]: { type: K; params: CaseEffects[K] } }[keyof CaseEffects];

/** A guard per user action: the caller's role must be one the action allows at the case's level. */
const roleGuard = (action: UserAction) =>
  ({ context, event }: { context: CaseContext; event: CaseEvent }) =>
    'role' in event && rolesFor(action, context.level).includes(event.role) && !blockedByReferral(context, action);

/** While a referral is pending the holder may not resolve, transfer, hand off or refer again (BLOCKED_BY_REFERRAL). */
/** The worker may appeal a closing once, within the window, unless the outcome was their own rating. */
export function mayAppeal(context: Partial<Pick<CaseContext, 'appealed' | 'ratedByWorker'>>, withinWindow: boolean): boolean {
  return !context.appealed && !context.ratedByWorker && withinWindow;
}

export function blockedByReferral(context: CaseContext, action: UserAction): boolean {
  return context.referral !== null && (BLOCKED_BY_REFERRAL as readonly UserAction[]).includes(action);
}

type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
const effect = <K extends keyof CaseEffects>(type: K, params: CaseEffects[K]) => ({ type, params });
/**
 * An effect whose params come from the event its transition takes. Wired to another event, it
 * fails loudly at `decide` (a unit test runs every transition), never silently does nothing.
 */
const fromEvent = <K extends keyof CaseEffects, T extends CaseEvent['type']>(
  type: K, on: T, params: (event: EventOf<T>, context: CaseContext) => CaseEffects[K],
) => ({
  type,
  params: ({ event, context }: { event: CaseEvent; context: CaseContext }): CaseEffects[K] => {
    if (event.type !== on) throw new Error(`effect '${type}' takes its params from '${on}', not from '${event.type}'`);
    return params(event as EventOf<T>, context);
  },
});
const noParams = {} as Record<string, never>;
const notify = (to: 'holder' | 'supervisor' | 'branch', kind: NotificationKind) => effect('notify', { to, kind });
const tellCompetentDepartment = effect('tellCompetentDepartment', noParams);
/** The unit an event names for the case to go to: a forward's, transfer's or hand-off's target, a meeting's lead. */
const namedUnit = (event: CaseEvent): string | null =>
  event.type === 'assign_lead' ? event.leadOrgId : 'toOrgId' in event ? event.toOrgId ?? null : null;
const moveHolder = (to: Level) => ({
  type: 'moveHolder' as const,
  params: ({ event }: { event: CaseEvent }): CaseEffects['moveHolder'] => ({ to, orgId: namedUnit(event) }),
});
/** A case arriving at a unit: the holder moves and is told (an urgent case's competent department too, at its first arrival). */
const arriveAt = (to: Level, kind: NotificationKind = 'case_arrived') =>
  kind === 'case_arrived' ? [moveHolder(to), notify('holder', kind), tellCompetentDepartment] : [moveHolder(to), notify('holder', kind)];

/** The clock a state starts: its step and the policy's length, or the length the event sets. */
const startClock = (step: DeadlineStep) => ({
  type: 'startClock' as const,
  params: ({ event }: { event: CaseEvent }): CaseEffects['startClock'] => {
    if (event.type === 'supervise') return { step: 'supervision', length: { amount: event.amount, unit: event.unit } };
    if (event.type === 'assign_lead') return { step, length: { amount: event.amount, unit: event.unit } };
    return { step };
  },
});
/** How a clock ends when its state does: met, unless the case was withdrawn, merged or decided over its head. */
const endedBy = (event: CaseEvent): CaseEffects['stopClocks']['status'] =>
  event.type === 'withdraw' || event.type === 'merge' || event.type === 'assign_lead' ? 'cancelled' : 'met';
/** Leaving a state stops its clocks. */
const stopClocks = (...steps: DeadlineStep[]) => ({
  type: 'stopClocks' as const,
  params: ({ event }: { event: CaseEvent }): CaseEffects['stopClocks'] => ({ steps, status: endedBy(event) }),
});

const machineSetup = setup({
  types: { context: {} as CaseContext, events: {} as CaseEvent },
  guards: {
    mayForward: roleGuard('forward'), mayResolve: roleGuard('resolve'), mayWithdraw: roleGuard('withdraw'),
    mayMerge: roleGuard('merge'), mayAccept: roleGuard('accept'), mayReturn: roleGuard('return'),
    mayRequestInfo: roleGuard('request_info'), mayResume: roleGuard('resume'), mayProvideInfo: roleGuard('provide_info'),
    mayHandOff: roleGuard('hand_off'), maySupervise: roleGuard('supervise'),
    mayTransfer: ({ context, event }) => roleGuard('transfer')({ context, event }) && context.transferCount < MAX_TRANSFERS,
    maySuperviseEscalated: ({ context, event }) => roleGuard('supervise')({ context, event }) && context.supervised,
    mayRequestExtension: ({ context, event }) =>
      roleGuard('request_extension')({ context, event }) && context.pendingExtension === null,
    mayDecideExtension: ({ context, event }) =>
      'role' in event && rolesFor('approve_extension', context.level).includes(event.role) && context.pendingExtension !== null,
    satisfied: ({ context, event }) =>
      roleGuard('feedback')({ context, event }) && event.type === 'feedback' && event.rating !== REOPENING.feedback.rating,
    dissatisfiedWith: ({ context, event }, level: Level) =>
      roleGuard('feedback')({ context, event }) && event.type === 'feedback' && event.rating === REOPENING.feedback.rating &&
      context.resolvedAtLevel === level,
    /** The worker appeals once, within the window, a closing that was not their own rating; it reopens above the last resolver. */
    appealAgainst: ({ context, event }, level: Level) =>
      roleGuard('appeal')({ context, event }) && event.type === 'appeal' && mayAppeal(context, event.withinWindow) && context.resolvedAtLevel === level,
    leadAt: ({ context, event }, level: Level) =>
      roleGuard('assign_lead')({ context, event }) && event.type === 'assign_lead' && event.leadLevel === level,
    sameWorker: ({ event }) => event.type === 'merge' && event.sameWorker,
    secondReturn: ({ context }) => context.returnCount === 1,
    lastTransfer: ({ context }) => context.transferCount === MAX_TRANSFERS - 1,
    missed: ({ event }, step: DeadlineStep) => event.type === 'deadline_missed' && event.step === step,
    mayReclassify: roleGuard('reclassify'), mayAddCohandler: roleGuard('add_cohandler'), mayAssign: roleGuard('assign'),
    mayContribute: ({ context, event }) => roleGuard('contribute')({ context, event }) && event.type === 'contribute' &&
      ['waiting', 'late'].includes(context.cohandlers[event.orgId] ?? ''),
    mayReview: ({ context, event }) => roleGuard('human_review')({ context, event }) && context.algorithmic && !context.humanReviewed,
    mayRefer: roleGuard('refer'),
    /** Only the unit the pending referral went to answers it. */
    mayAnswerReferral: ({ context, event }) => roleGuard('refer_outcome')({ context, event }) && event.type === 'refer_outcome' &&
      context.referral?.orgId === event.orgId,
    /** An ALG case is resolved or handed off only after its human review. */
    reviewed: ({ context }) => !context.algorithmic || context.humanReviewed,
    reviewDue: ({ context }) => context.algorithmic && !context.humanReviewed,
    /** The lead resolves when no co-handler is still within its clock without an opinion. */
    noOpinionDue: ({ context }) => !Object.values(context.cohandlers).includes('waiting'),
  },
  actions: {
    // Context (what later guards read).
    atLevel: assign((_, level: Level) => ({ level })),
    markResolved: assign(({ context }) => ({ resolvedAtLevel: context.level })),
    countReturn: assign(({ context }) => ({ returnCount: context.returnCount + 1 })),
    countTransfer: assign(({ context }) => ({ transferCount: context.transferCount + 1 })),
    reopen: assign(({ context }) => ({ reopenCount: context.reopenCount + 1, resolvedAtLevel: null, outcome: REOPENING.feedback.rating, ratedByWorker: false })),
    markSupervised: assign({ supervised: true }),
    recordOutcome: assign(({ event }) => ({ outcome: event.type === 'feedback' ? event.rating : null, ratedByWorker: event.type === 'feedback' && event.role === 'worker' })),
    markAppealed: assign({ appealed: true }),
    noFeedback: assign({ outcome: 'no_feedback' as const }),
    holdExtension: assign(({ event }) => ({
      pendingExtension: event.type === 'request_extension'
        ? { step: event.step, amount: event.amount, unit: event.unit, reason: event.reason, approverOrgId: event.approverOrgId }
        : null,
    })),
    clearExtension: assign({ pendingExtension: null }),
    holdReferral: assign(({ event }) => ({ referral: event.type === 'refer' ? { orgId: event.toOrgId, kind: event.kind } : null })),
    clearReferral: assign({ referral: null }),
    markReviewed: assign({ humanReviewed: true }),
    cohandlersAsked: assign(({ context, event }) => ({
      cohandlers: { ...context.cohandlers, ...Object.fromEntries((event.type === 'add_cohandler' ? event.orgIds : []).map((id) => [id, 'waiting' as const])) },
    })),
    cohandlerAnswered: assign(({ context, event }) => ({
      cohandlers: event.type === 'contribute' ? { ...context.cohandlers, [event.orgId]: 'done' as const } : context.cohandlers,
    })),
    cohandlerLate: assign(({ context, event }) => ({
      cohandlers: event.type === 'deadline_missed' && context.cohandlers[event.orgId] === 'waiting'
        ? { ...context.cohandlers, [event.orgId]: 'late' as const } : context.cohandlers,
    })),
    releaseCohandlers: assign(({ context }) => ({
      cohandlers: Object.fromEntries(Object.entries(context.cohandlers).map(([id, s]) => [id, s === 'waiting' ? 'released' as const : s])),
    })),
    // Effects (executed by the engine, one executor each; see CaseEffects).
    startClock: (_, _p: CaseEffects['startClock']) => {},
    stopClocks: (_, _p: CaseEffects['stopClocks']) => {},
    pauseClock: (_, _p: CaseEffects['pauseClock']) => {},
    resumeClock: (_, _p: CaseEffects['resumeClock']) => {},
    extendClock: (_, _p: CaseEffects['extendClock']) => {},
    moveHolder: (_, _p: CaseEffects['moveHolder']) => {},
    assignSupervisor: (_, _p: CaseEffects['assignSupervisor']) => {},
    takeSupervision: (_, _p: CaseEffects['takeSupervision']) => {},
    addToAgenda: (_, _p: CaseEffects['addToAgenda']) => {},
    removeFromAgenda: (_, _p: CaseEffects['removeFromAgenda']) => {},
    holdAccountable: (_, _p: CaseEffects['holdAccountable']) => {},
    recordResolution: (_, _p: CaseEffects['recordResolution']) => {},
    recordFeedback: (_, _p: CaseEffects['recordFeedback']) => {},
    markOverdue: (_, _p: CaseEffects['markOverdue']) => {},
    mergeInto: (_, _p: CaseEffects['mergeInto']) => {},
    notify: (_, _p: CaseEffects['notify']) => {},
    recordClassification: (_, _p: CaseEffects['recordClassification']) => {},
    addCohandlers: (_, _p: CaseEffects['addCohandlers']) => {},
    recordContribution: (_, _p: CaseEffects['recordContribution']) => {},
    recordHumanReview: (_, _p: CaseEffects['recordHumanReview']) => {},
    recordReferralOutcome: (_, _p: CaseEffects['recordReferralOutcome']) => {},
    assignTo: (_, _p: CaseEffects['assignTo']) => {},
    tellCompetentDepartment: (_, _p: CaseEffects['tellCompetentDepartment']) => {},
    sendFeedbackLink: (_, _p: CaseEffects['sendFeedbackLink']) => {},
    inviteAppeal: (_, _p: CaseEffects['inviteAppeal']) => {},
  },
});

// Transitions shared by several states, named once.

const recordFeedback = fromEvent('recordFeedback', 'feedback', (e) => ({ rating: e.rating, solved: e.solved ?? null }));
const resolve = { guard: 'mayResolve', target: '#resolved', actions: ['markResolved', fromEvent('recordResolution', 'resolve', (e) => ({ resolution: e.resolution }))] } as const;
const withdraw = { guard: 'mayWithdraw', target: '#withdrawn' } as const;
const mergeInto = fromEvent('mergeInto', 'merge', (e) => ({ caseId: e.intoCaseId }));

/** A pending referral ends with its level or a meeting's decision: its clock stops (cancelled, unless met). */
const stopReferralClock = {
  type: 'stopClocks' as const,
  params: ({ context, event }: { context: CaseContext; event: CaseEvent }): CaseEffects['stopClocks'] => ({
    steps: context.referral ? ['referral'] : [], status: endedBy(event),
  }),
};
/** A meeting decision (协调会决定) moves the case to the lead unit's level, with a fresh clock of the decided length. */
const meetingDecision = (['platform', 'department', 'branch'] as const).map((level) => ({
  guard: { type: 'leadAt' as const, params: level },
  target: level === 'branch' ? '#registered' : `#${level}_handling`,
  reenter: true,
  // A pending referral ends with the decision: its clock is cancelled.
  actions: [stopReferralClock, 'clearReferral' as const, effect('removeFromAgenda', noParams), ...arriveAt(level, 'meeting_decision')],
}));

/** An approved extension moves the clock the pending request names (the guard makes sure one is pending). */
const extendClock = {
  type: 'extendClock' as const,
  params: ({ context }: { context: CaseContext }): CaseEffects['extendClock'] => {
    const { step, amount, unit } = context.pendingExtension!;
    return { step, amount, unit };
  },
};
const takeSupervision = fromEvent('takeSupervision', 'supervise', (e) => ({ orgId: e.orgId }));

/** The holder asks the level above for more time (in a handling state); the level above decides. */
const requestExtension = {
  request_extension: {
    guard: 'mayRequestExtension',
    actions: ['holdExtension', fromEvent('notify', 'request_extension', (e) => ({ to: 'unit', orgId: e.approverOrgId, kind: 'extension_requested' }))],
  },
} as const;
const decideExtension = {
  approve_extension: { guard: 'mayDecideExtension', actions: [extendClock, 'clearExtension', notify('holder', 'extension_decided')] },
  deny_extension: { guard: 'mayDecideExtension', actions: ['clearExtension', notify('holder', 'extension_decided')] },
} as const;

/**
 * A missed L1/L2 step puts the case under the competent department's supervision (督办); a missed
 * supervision order goes on the meeting's agenda and on the platform's accountability record (问责).
 */
const overdue = effect('markOverdue', noParams);
const escalateToDepartment = [
  { guard: { type: 'missed', params: 'supervision' }, actions: [overdue, effect('addToAgenda', { reason: 'supervision_missed' }), effect('holdAccountable', { who: 'holder' }), notify('holder', 'deadline_missed')] },
  { actions: [overdue, 'markSupervised', effect('assignSupervisor', noParams), notify('holder', 'deadline_missed'), notify('supervisor', 'escalated')] },
] as const;

/**
 * The holder corrects the classification (分类整理) at L2 or L3 (not while it waits for information);
 * the running clock stays, later clocks use the new values.
 */
const recordClassification = fromEvent('recordClassification', 'reclassify', (e) => ({
  changes: {
    ...Object.fromEntries(CLASSIFICATION_FIELDS.filter((f) => e[f] !== undefined).map((f) => [f, e[f] ?? null])),
    ...(e.workerPlatforms ? { workerPlatforms: e.workerPlatforms } : {}),
  },
}));
const reclassify = { reclassify: { guard: 'mayReclassify', actions: [recordClassification, tellCompetentDepartment] } } as const;

/**
 * The holding unit assigns the case to one of its people (一人身兼多职), at any step of its level; no
 * state or clock changes. The assignment ends when the case leaves the unit (the planner's moveHolder).
 */
const assignToPerson = { assign: { guard: 'mayAssign', actions: fromEvent('assignTo', 'assign', (e) => ({ userId: e.userId })) } } as const;

/**
 * Clocks that run only in some cases, stopped (cancelled) when the case moves on without them: an
 * ALG case's human review not yet recorded when it leaves the committee, co-handlers still to
 * answer when it leaves the department. For other cases the effect has no steps and is dropped.
 */
const stopReviewClock = {
  type: 'stopClocks' as const,
  params: ({ context }: { context: CaseContext }): CaseEffects['stopClocks'] => ({
    steps: context.algorithmic && !context.humanReviewed ? ['human_review'] : [], status: 'cancelled',
  }),
};
const stopContributionClocks = {
  type: 'stopClocks' as const,
  params: ({ context }: { context: CaseContext }): CaseEffects['stopClocks'] => ({
    steps: Object.values(context.cohandlers).includes('waiting') ? ['contribute'] : [], status: 'cancelled',
  }),
};

/**
 * A transfer to another unit at the same level: counted, and the last allowed one goes on the
 * agenda. What belonged to the old holding ends with it, as on leaving a level: its pending
 * extension request, an unrecorded human review, co-handlers still to answer.
 */
const leaveHolding = ['countTransfer', 'clearExtension', stopReviewClock, stopContributionClocks, 'releaseCohandlers'] as const;
const transfer = (target: string, level: Level) => [
  { guard: and(['mayTransfer', 'lastTransfer']), target, reenter: true, actions: [...leaveHolding, effect('addToAgenda', { reason: 'transfer_limit' }), ...arriveAt(level)] },
  { guard: 'mayTransfer', target, reenter: true, actions: [...leaveHolding, ...arriveAt(level)] },
] as const;

/**
 * A co-handler that misses its `contribute` clock no longer holds up the lead: the case goes on the
 * meeting's agenda (cohandler_missed) with that department on the accountability record (问责).
 */
const contributionMissed = {
  guard: { type: 'missed' as const, params: 'contribute' as const },
  actions: [
    'cohandlerLate' as const, effect('addToAgenda', { reason: 'cohandler_missed' }),
    fromEvent('holdAccountable', 'deadline_missed', (e) => ({ who: 'unit', orgId: e.orgId })),
    fromEvent('notify', 'deadline_missed', (e) => ({ to: 'unit', orgId: e.orgId, kind: 'deadline_missed' })), notify('holder', 'deadline_missed'),
  ],
};

/** Waiting for information: the clock pauses, and resumes by itself when the pause limit runs out. */
const awaitingInfo = (steps: DeadlineStep[], handling: string, askBranch: boolean) => ({
  entry: [effect('pauseClock', { steps, limit: 'pause_limit' }), ...(askBranch ? [notify('branch', 'info_requested')] : [])],
  exit: [stopClocks('pause_limit')],
  on: {
    resume: { guard: 'mayResume' as const, target: handling, actions: [effect('resumeClock', { steps })] },
    ...(askBranch ? { provide_info: { guard: 'mayProvideInfo' as const, target: handling, actions: [effect('resumeClock', { steps }), notify('holder', 'info_provided')] } } : {}),
    deadline_missed: { guard: { type: 'missed' as const, params: 'pause_limit' as const }, target: handling, actions: [effect('resumeClock', { steps })] },
  },
});

/**
 * A referral (矛盾调解, legal aid, arbitration, a union) from the holder at L2 or L3: the holder's
 * clock pauses without a pause limit, the referred unit's `referral` clock runs and it may read the
 * case; its answer (or its missed clock, which goes on the agenda with that unit accountable)
 * resumes the holder's clock. A settlement is not a resolution: the holder then resolves or goes on.
 */
const referral = (level: 'platform' | 'department') => ({
  refer: {
    guard: 'mayRefer' as const,
    actions: [
      'holdReferral' as const, effect('pauseClock', { steps: PAUSING_CLOCKS[level], limit: null }),
      fromEvent('startClock', 'refer', (e) => ({ step: 'referral', ownerOrgId: e.toOrgId })),
      fromEvent('notify', 'refer', (e) => ({ to: 'unit', orgId: e.toOrgId, kind: 'referral_requested' })),
    ],
  },
  refer_outcome: {
    guard: 'mayAnswerReferral' as const,
    actions: [
      'clearReferral' as const, effect('stopClocks', { steps: ['referral'], status: 'met' }), effect('resumeClock', { steps: PAUSING_CLOCKS[level] }),
      fromEvent('recordReferralOutcome', 'refer_outcome', (e) => ({ orgId: e.orgId, outcome: e.outcome })), notify('holder', 'referral_answered'),
    ],
  },
  deadline_missed: {
    guard: { type: 'missed' as const, params: 'referral' as const },
    actions: [
      'clearReferral' as const, effect('resumeClock', { steps: PAUSING_CLOCKS[level] }), effect('addToAgenda', { reason: 'referral_missed' }),
      fromEvent('holdAccountable', 'deadline_missed', (e) => ({ who: 'unit', orgId: e.orgId })),
      fromEvent('notify', 'deadline_missed', (e) => ({ to: 'unit', orgId: e.orgId, kind: 'deadline_missed' })), notify('holder', 'deadline_missed'),
    ],
  },
});

const INITIAL_CONTEXT: CaseContext = {
  level: 'branch', resolvedAtLevel: null, supervised: false, outcome: null,
  pendingExtension: null, returnCount: 0, transferCount: 0, reopenCount: 0,
  algorithmic: false, humanReviewed: false, cohandlers: {}, referral: null, ratedByWorker: false, appealed: false,
};

export const caseMachine = machineSetup.createMachine({
  id: 'grievanceCase',
  initial: 'branch',
  context: INITIAL_CONTEXT,
  on: {
    deadline_warning: { actions: fromEvent('notify', 'deadline_warning', (e) => ({ to: 'unit', orgId: e.orgId, kind: 'deadline_warning' })) },
  },
  states: {
    // L1: the party branch's liaison (支部联络员).
    branch: {
      entry: { type: 'atLevel', params: 'branch' },
      exit: 'clearExtension',
      initial: 'branch_work',
      on: {
        ...assignToPerson,
        withdraw, merge: { guard: 'mayMerge', target: '#merged', actions: mergeInto },
        ...decideExtension,
        supervise: { guard: 'maySuperviseEscalated', target: '#platform_handling', actions: [takeSupervision, ...arriveAt('platform', 'supervision_order')] },
        assign_lead: meetingDecision,
        deadline_missed: escalateToDepartment,
      },
      states: {
        branch_work: {
          entry: startClock('l1_forward'),
          exit: stopClocks('l1_forward'),
          initial: 'registered',
          states: {
            registered: {
              id: 'registered',
              on: {
                forward: { guard: 'mayForward', target: '#forwarded', actions: arriveAt('platform') },
                // An algorithm-decision case needs the platform's human review: the branch forwards it.
                resolve: { ...resolve, guard: and(['mayResolve', 'reviewed']) },
                request_info: { guard: 'mayRequestInfo', target: 'branch_awaiting_info' },
                ...requestExtension,
              },
            },
            branch_awaiting_info: awaitingInfo(PAUSING_CLOCKS.branch, 'registered', false),
          },
        },
      },
    },
    // L2: the platform committee's grievance team (平台党委诉求处理小组).
    platform: {
      entry: { type: 'atLevel', params: 'platform' },
      exit: ['clearExtension', stopReviewClock, stopReferralClock, 'clearReferral'],
      initial: 'forwarded',
      on: {
        ...assignToPerson,
        withdraw,
        // Across branches, only one consenting worker's cases (the engine checks that the committee holds both).
        merge: { guard: and(['mayMerge', 'sameWorker']), target: '#merged', actions: mergeInto },
        ...decideExtension,
        supervise: { guard: 'maySuperviseEscalated', target: '#platform_handling', reenter: true, actions: [takeSupervision, ...arriveAt('platform', 'supervision_order')] },
        assign_lead: meetingDecision,
        deadline_missed: escalateToDepartment,
      },
      states: {
        forwarded: {
          id: 'forwarded',
          entry: startClock('l2_accept'),
          exit: stopClocks('l2_accept'),
          on: {
            ...reclassify,
            accept: [
              // An algorithm's decision gets a human review within its own clock (default 2 working days).
              { guard: and(['mayAccept', 'reviewDue']), target: 'platform_work', actions: startClock('human_review') },
              { guard: 'mayAccept', target: 'platform_work' },
            ],
            return: [
              { guard: and(['mayReturn', 'secondReturn']), target: '#registered', actions: ['countReturn', effect('addToAgenda', { reason: 'returned_twice' }), ...arriveAt('branch', 'case_returned')] },
              { guard: 'mayReturn', target: '#registered', actions: ['countReturn', ...arriveAt('branch', 'case_returned')] },
            ],
            transfer: transfer('#forwarded', 'platform'),
          },
        },
        platform_work: {
          entry: startClock('l2_resolve'),
          exit: stopClocks('l2_resolve', 'supervision'),
          initial: 'platform_handling',
          states: {
            platform_handling: {
              id: 'platform_handling',
              on: {
                ...reclassify,
                ...referral('platform'),
                resolve: { ...resolve, guard: and(['mayResolve', 'reviewed']) },
                hand_off: { guard: and(['mayHandOff', 'reviewed']), target: '#handed_off', actions: arriveAt('department') },
                human_review: {
                  guard: 'mayReview',
                  actions: ['markReviewed', effect('stopClocks', { steps: ['human_review'], status: 'met' }), fromEvent('recordHumanReview', 'human_review', (e) => ({ outcome: e.outcome, explanation: e.explanation }))],
                },
                transfer: transfer('#forwarded', 'platform'),
                request_info: { guard: 'mayRequestInfo', target: 'platform_awaiting_info' },
                ...requestExtension,
              },
            },
            platform_awaiting_info: awaitingInfo(PAUSING_CLOCKS.platform, 'platform_handling', true),
          },
        },
      },
    },
    // L3: the competent department and its oversight platform (主管部门 / 诉求督办平台).
    department: {
      entry: { type: 'atLevel', params: 'department' },
      // Co-handlers still to answer are released when the case leaves the level: their clocks stop.
      exit: ['clearExtension', stopContributionClocks, 'releaseCohandlers', stopReferralClock, 'clearReferral'],
      initial: 'handed_off',
      on: {
        ...assignToPerson,
        withdraw,
        ...decideExtension,
        assign_lead: meetingDecision,
        deadline_missed: [contributionMissed, { actions: [overdue, effect('addToAgenda', { reason: 'overdue_l3' }), notify('holder', 'deadline_missed')] }],
        contribute: {
          guard: 'mayContribute',
          actions: [
            'cohandlerAnswered', fromEvent('stopClocks', 'contribute', (e) => ({ steps: ['contribute'], status: 'met', orgId: e.orgId })),
            fromEvent('recordContribution', 'contribute', (e) => ({ orgId: e.orgId, opinion: e.opinion })), notify('holder', 'contribution_received'),
          ],
        },
      },
      states: {
        handed_off: {
          id: 'handed_off',
          entry: startClock('l3_accept'),
          exit: stopClocks('l3_accept'),
          on: {
            ...reclassify,
            accept: { guard: 'mayAccept', target: 'department_work' },
            transfer: transfer('#handed_off', 'department'),
          },
        },
        department_work: {
          entry: startClock('l3_resolve'),
          exit: stopClocks('l3_resolve'),
          initial: 'department_handling',
          states: {
            department_handling: {
              id: 'department_handling',
              on: {
                ...reclassify,
                ...referral('department'),
                resolve: { ...resolve, guard: and(['mayResolve', 'noOpinionDue']) },
                add_cohandler: { guard: 'mayAddCohandler', actions: ['cohandlersAsked', fromEvent('addCohandlers', 'add_cohandler', (e) => ({ orgIds: e.orgIds, reason: e.reason, step: 'contribute' }))] },
                supervise: { guard: 'maySupervise', target: '#platform_handling', actions: ['markSupervised', takeSupervision, ...arriveAt('platform', 'supervision_order')] },
                transfer: transfer('#handed_off', 'department'),
                request_info: { guard: 'mayRequestInfo', target: 'department_awaiting_info' },
                ...requestExtension,
              },
            },
            department_awaiting_info: awaitingInfo(PAUSING_CLOCKS.department, 'department_handling', true),
          },
        },
      },
    },
    // After a resolution: the worker's feedback (回访), relayed by the liaison. It cannot be withdrawn now.
    resolved: {
      id: 'resolved',
      entry: [startClock('feedback'), effect('sendFeedbackLink', { expiresWith: 'feedback' })],
      exit: stopClocks('feedback'),
      on: {
        feedback: [
          { guard: 'satisfied', target: 'closed', actions: ['recordOutcome', recordFeedback] },
          { guard: { type: 'dissatisfiedWith', params: 'branch' }, target: '#forwarded', actions: ['reopen', recordFeedback, ...arriveAt('platform')] },
          { guard: { type: 'dissatisfiedWith', params: 'platform' }, target: '#handed_off', actions: ['reopen', recordFeedback, ...arriveAt('department')] },
          { guard: { type: 'dissatisfiedWith', params: 'department' }, target: '#department_handling', actions: ['reopen', recordFeedback, effect('addToAgenda', { reason: 'reopened' })] },
        ],
        deadline_missed: { guard: { type: 'missed', params: 'feedback' }, target: 'closed', actions: 'noFeedback' },
      },
    },
    // Closed. Without the worker's own rating it may be appealed (申诉) once: the worker's dissatisfied, late.
    closed: {
      id: 'closed',
      entry: {
        type: 'inviteAppeal',
        params: ({ context }: { context: CaseContext }): CaseEffects['inviteAppeal'] => ({ window: mayAppeal(context, true) ? APPEAL_WINDOW : null }),
      },
      on: {
        appeal: [
          { guard: { type: 'appealAgainst', params: 'branch' }, target: '#forwarded', actions: ['reopen', 'markAppealed', ...arriveAt('platform')] },
          { guard: { type: 'appealAgainst', params: 'platform' }, target: '#handed_off', actions: ['reopen', 'markAppealed', ...arriveAt('department')] },
          { guard: { type: 'appealAgainst', params: 'department' }, target: '#department_handling', actions: ['reopen', 'markAppealed', effect('addToAgenda', { reason: 'reopened' })] },
        ],
      },
    },
    withdrawn: { id: 'withdrawn', type: 'final' },
    merged: { id: 'merged', type: 'final' },
  },
});

export type CaseMachine = typeof caseMachine;
export type CaseSnapshot = ReturnType<typeof caseMachine.resolveState>;

/** The level parent and working compound of every leaf state, to restore a snapshot from its leaf name. */
const STATE_PATH: Record<CaseState, string | Record<string, unknown>> = {
  registered: { branch: { branch_work: 'registered' } },
  branch_awaiting_info: { branch: { branch_work: 'branch_awaiting_info' } },
  forwarded: { platform: 'forwarded' },
  platform_handling: { platform: { platform_work: 'platform_handling' } },
  platform_awaiting_info: { platform: { platform_work: 'platform_awaiting_info' } },
  handed_off: { department: 'handed_off' },
  department_handling: { department: { department_work: 'department_handling' } },
  department_awaiting_info: { department: { department_work: 'department_awaiting_info' } },
  resolved: 'resolved', closed: 'closed', withdrawn: 'withdrawn', merged: 'merged',
};

/** The leaf state's name: what the API and the case row call the state. */
export function stateOf(snapshot: CaseSnapshot): CaseState {
  let value: unknown = snapshot.value;
  while (value && typeof value === 'object') value = Object.values(value)[0];
  return value as CaseState;
}

/** Rebuilds a snapshot from what the engine stores: the leaf state and the context. */
export function restoreCase(state: CaseState, context: CaseContext): CaseSnapshot {
  // Snapshots stored by an earlier machine version lack the newer fields: their defaults apply.
  return caseMachine.resolveState({ value: STATE_PATH[state] as never, context: { ...INITIAL_CONTEXT, ...context } });
}

/** A new case and the effects of registering it (its first clock); an ALG case needs a human review later. */
export function startCase({ algorithmic = false } = {}): { snapshot: CaseSnapshot; effects: CaseEffect[] } {
  const snapshot = restoreCase('registered', { ...INITIAL_CONTEXT, algorithmic });
  return { snapshot, effects: [{ type: 'startClock', params: { step: 'l1_forward' } }, { type: 'tellCompetentDepartment', params: noParams }] };
}

/**
 * What `decide` runs the machine in, as xstate's pure `transition()` makes it, but with one inert
 * actor made once: `transition()` builds a new actor every call, and with it the machine's initial
 * snapshot (~0.1 ms an action, for nothing). The chart spawns no actor and sends nothing, so the
 * actor is never used; each call has its own executor, which collects that transition's actions.
 */
type Scope = Parameters<CaseMachine['transition']>[2];
type Executed = Parameters<Scope['actionExecutor']>[0];
const inert = createActor(caseMachine);
const INERT_SCOPE: Omit<Scope, 'actionExecutor'> = {
  self: inert, system: inert.system, id: '', sessionId: '', defer: () => {}, logger: () => {}, stopChild: () => {}, emit: () => {},
};

/** The next snapshot and the effects the engine must execute, in order. */
export function decide(snapshot: CaseSnapshot, event: CaseEvent): { next: CaseSnapshot; effects: CaseEffect[] } {
  const actions: Executed[] = [];
  const next = caseMachine.transition(snapshot, event, { ...INERT_SCOPE, actionExecutor: (action) => { actions.push(action); } });
  const effects = actions.filter((a) => a.type in EFFECT_NAMES).map((a) => ({ type: a.type, params: a.params }) as CaseEffect)
    // A clock stop that this case has no clock for (see stopReviewClock) is no effect, nor an invitation to an appeal that is not open.
    .filter((e) => (e.type !== 'stopClocks' || e.params.steps.length > 0) && (e.type !== 'inviteAppeal' || e.params.window !== null));
  return { next, effects };
}
const EFFECT_NAMES: Record<keyof CaseEffects, true> = {
  startClock: true, stopClocks: true, pauseClock: true, resumeClock: true, extendClock: true, moveHolder: true,
  assignSupervisor: true, takeSupervision: true, addToAgenda: true, removeFromAgenda: true, holdAccountable: true,
  recordResolution: true, recordFeedback: true, markOverdue: true, mergeInto: true, notify: true,
  recordClassification: true, addCohandlers: true, recordContribution: true, recordHumanReview: true,
  tellCompetentDepartment: true, sendFeedbackLink: true, recordReferralOutcome: true, inviteAppeal: true, assignTo: true,
};

/** The actions (by name) each state reacts to at all, for any role: its own and its parents'. */
const ACTIONS_IN = Object.fromEntries(STATES.map((state) => {
  const nodes = restoreCase(state, caseMachine.config.context as CaseContext)._nodes;
  return [state, USER_ACTIONS.filter((action) => nodes.some((node) => Boolean(node.config.on?.[action as never])))];
})) as Record<CaseState, UserAction[]>;

export function actionsIn(state: CaseState): UserAction[] {
  return ACTIONS_IN[state];
}

function handles(state: CaseState, action: UserAction): boolean {
  return ACTIONS_IN[state].includes(action);
}

function waitingOpinions(context: CaseContext, orgNames: Record<string, string>): string {
  const waiting = Object.entries(context.cohandlers).filter(([, s]) => s === 'waiting').map(([id]) => orgNames[id] ?? id);
  return `会办意见未齐，等待：${waiting.join('、')} / co-handling opinions are still due from: ${waiting.join(', ')} (resolve when all have contributed or their clocks ran out)`;
}

/**
 * Why the machine refuses `event` in `snapshot`, in words for the caller (Chinese, then English);
 * null when it accepts it.
 */
export function whyRefused(snapshot: CaseSnapshot, event: UserEvent, orgNames: Record<string, string> = {}): string | null {
  if (snapshot.can(event)) return null;
  const state = stateOf(snapshot);
  const action = event.type as UserAction;
  const { context } = snapshot;
  if (isFinal(state) && !handles(state, action)) {
    return `案件已终结（${STATE_LABELS[state]}），不能再操作 / the case is final (${state}): no action is allowed`;
  }
  if (!handles(state, action)) {
    if (action === 'withdraw' && state === 'resolved') {
      return '案件已办结，须先记录劳动者评价，不能撤回 / a resolved case cannot be withdrawn: the worker\'s feedback is due';
    }
    const allowed = actionsIn(state).join(', ') || 'none';
    return `当前状态（${STATE_LABELS[state]}）不能执行 ${action} / action '${action}' is not allowed in state '${state}' (allowed there: ${allowed})`;
  }
  const roles = rolesFor(action, context.level);
  if (!roles.includes(event.role)) {
    return `角色 ${event.role} 不能执行 ${action} / role '${event.role}' may not '${action}' at level '${context.level}' (allowed roles: ${roles.join(', ')})`;
  }
  if (blockedByReferral(context, action)) {
    return `案件已转介（${context.referral!.kind}），待受转介单位答复后才能执行 ${action} / the case waits on its referral (${context.referral!.kind}): '${action}' is possible once the referred unit answers (or its clock runs out)`;
  }
  switch (action) {
    case 'resolve': case 'hand_off':
      if (context.algorithmic && !context.humanReviewed && context.level === 'branch') {
        return '算法类诉求须由平台人工复核，支部不能直接办结，请转交 / an algorithm-decision (ALG) case needs the platform\'s human review: the branch forwards it, it does not resolve it';
      }
      if (context.algorithmic && !context.humanReviewed && context.level === 'platform') {
        return `算法类诉求须先记录人工复核（human_review）才能${action === 'resolve' ? '办结' : '移交'} / an algorithm-decision (ALG) case needs a recorded human_review before '${action}'`;
      }
      return waitingOpinions(context, orgNames);
    case 'human_review':
      return context.algorithmic
        ? '人工复核已记录 / a human review is already recorded'
        : '只有算法类（ALG）案件需要人工复核 / human_review is for algorithm-decision (ALG) cases';
    case 'contribute':
      return '只有尚未提交意见的会办部门可以提交意见 / only a co-handling department that has not given its opinion yet may contribute';
    case 'transfer':
      return `转办已达 ${MAX_TRANSFERS} 次上限，请提交协调会 / at most ${MAX_TRANSFERS} transfers per case: the coordination meeting decides now`;
    case 'supervise':
      return '只有被督办（逾期升级）的案件才能在此阶段下达督办单 / a supervision order at this level needs a case under supervision (escalated after a missed deadline)';
    case 'request_extension':
      return '已有待审批的延期申请 / an extension request is already pending';
    case 'merge':
      return '平台层级只能合并同一劳动者的诉求：两案劳动者均须同意跨案识别身份（worker.consentToLink）且为同一电话 / at L2 only one worker\'s cases merge: both workers must have consented to be recognised across cases (worker.consentToLink), with the same phone';
    case 'appeal':
      if (context.appealed) return '本案已申诉过一次 / this case was already appealed once';
      if (context.ratedByWorker) return '本案由您本人评价后结案，不能申诉 / you rated this case yourself when it closed: it cannot be appealed';
      return `已超过结案后 ${APPEAL_WINDOW.amount} 个工作日的申诉期 / the appeal period (${APPEAL_WINDOW.amount} working days after closing) has passed`;
    case 'approve_extension': case 'deny_extension':
      return '没有待审批的延期申请 / no extension request is pending';
    default:
      return `该操作的条件不满足 / the conditions for '${action}' are not met in state '${state}'`;
  }
}

