/**
 * One transition, planned in memory. The chart (workflows/case-machine.ts) says which effects a
 * transition has, each with its own params; this module works out what they mean for this case
 * from what the locking read found (the facts) and the configuration (rules, policies, calendar,
 * units), and returns one plan: the case columns to set, clocks to start and change, participants,
 * co-handlers, notices, the feedback link and the record's event. It is pure — no I/O, no clock, no
 * randomness — so a plan can be printed, compared and tested; the writer (case-writer.ts) applies it.
 *
 * Two passes, in a fixed order. First where the case goes: its holder (moveHolder), its supervisor
 * (assignSupervisor, takeSupervision) and its classification (recordClassification), each in the
 * chart's order over the case as it stands after the one before. Then every other effect, each on
 * its own params against the case before and after that pass; their parts are put together, and
 * the due time and the overdue flag follow from the clocks the plan leaves.
 */
import {
  CLOCKS, URGENT_LEVELS, isFinal, isPolicyStep, type CaseState, type DeadlineStep, type Duration, type Level,
} from '../../workflows/case-rules.js';
import type { CaseContext, CaseEffect, CaseEffects } from '../../workflows/case-machine.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import { clockUnit, planClock, type ClockPlan, type DeadlineRow } from '../deadlines/deadline-store.js';
import { maxPauseFor, policyFor, type SlaPolicy } from '../deadlines/sla-policies.js';
import type { Notification } from '../notifications/outbox.js';
import { ORDER_UPDATES, type InAppKind } from '../notifications/who-is-told.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { pickRoute, route, type RoutingRule } from '../routing/routing-rules.js';
import type { EventActor, NewEvent, RecordedAction } from './case-record.js';
import type { CaseRow, NewCaseRow } from './case-store.js';

/** A co-handling department of the case, as its row says. */
export interface CohandlerRow { orgId: string; reason: string; addedAt: Date; dueAt: Date; contributedAt: Date | null; opinion: string | null }

/** What the locking read found: the case row, all its clocks, its co-handlers, the units that may read it. */
export interface CaseFacts { row: CaseRow; deadlines: DeadlineRow[]; cohandlers: CohandlerRow[]; participants: string[] }

/** Configuration a plan is made with (read before the transaction, from caches). */
export interface PlanSettings { rules: RoutingRule[]; policies: SlaPolicy[]; calendar: WorkingCalendar; orgs: OrgDirectory }

/** A case a merge goes into, locked with the merged one: its record notes the merge. */
export type MergeTarget = Pick<CaseRow, 'id' | 'reference' | 'state' | 'level' | 'holderOrgId' | 'eventSeq' | 'eventHash' | 'workerLinkDigest'>;

/** A change to one existing clock: only the columns that move. */
export type ClockChange = { id: string } & Partial<Pick<DeadlineRow,
  'status' | 'closedAt' | 'pausedAt' | 'dueAt' | 'warnAt' | 'rev' | 'givenBackMs' | 'provisional' | 'extensions' | 'warnedAt'>>;

export interface CasePlan {
  caseId: string;
  /** Case columns that change (the writer adds version and the record's head). */
  changes: Partial<NewCaseRow>;
  /** False for a warning: it changes nothing a caller acts on, so their If-Match stays good. */
  bumpsVersion: boolean;
  startClocks: ClockPlan[];
  changeClocks: ClockChange[];
  /** Units that may read the case from now on. */
  participants: string[];
  askCohandlers: CohandlerRow[];
  opinions: { orgId: string; opinion: string; at: Date }[];
  notices: Notification[];
  /** The worker's one-time feedback link, expiring with the feedback clock. */
  feedbackLink: { expiresAt: Date } | null;
  event: NewEvent;
  /** The note a merge leaves in its target's record. */
  mergedFrom: { target: MergeTarget; event: NewEvent } | null;
}

/** Everything one transition is planned from. */
export interface TransitionInput {
  facts: CaseFacts;
  settings: PlanSettings;
  /** The chart's answer: the next state and context, and the effects in order. */
  toState: CaseState;
  next: CaseContext;
  effects: CaseEffect[];
  /** What was done, for the record and the notices: the action's name, the clock a deadline event is about. */
  action: RecordedAction;
  step: DeadlineStep | null;
  /** The event's own words and numbers for the record (its data). */
  eventData: Record<string, unknown>;
  actor: EventActor;
  at: Date;
  /** A deadline event: the clock that fell due (closed as missed) or warned (marked warned). */
  fired?: { deadlineId: string; kind: 'warn' | 'due' };
  mergeTarget?: MergeTarget;
  bumpsVersion: boolean;
}

/** The case as the first pass leaves it: who holds and supervises it, its classification. */
type Subject = CaseRow;

/** What one effect adds to the plan. */
interface Part {
  changes?: Partial<NewCaseRow>;
  startClocks?: ClockPlan[];
  changeClocks?: ClockChange[];
  participants?: string[];
  askCohandlers?: CohandlerRow[];
  opinions?: CasePlan['opinions'];
  notices?: Notification[];
  /** The worker's feedback link, expiring with the clock of this step. */
  feedbackLinkWith?: DeadlineStep;
  data?: Record<string, unknown>;
  columns?: Pick<NewEvent, 'rating' | 'solved' | 'resolvedByOrgId' | 'reasonCode' | 'toOrgId'>;
  mergedFrom?: CasePlan['mergedFrom'];
  markOverdue?: boolean;
}

interface Scope {
  input: TransitionInput;
  before: CaseRow;
  after: Subject;
  /** The case's open clocks, as the firing left them. */
  open: DeadlineRow[];
}

type FirstPass = 'moveHolder' | 'assignSupervisor' | 'takeSupervision' | 'recordClassification';
type Planner<K extends keyof CaseEffects> = (params: CaseEffects[K], scope: Scope) => Part;
type Mover<K extends FirstPass> = (params: CaseEffects[K], subject: Subject, input: TransitionInput) => { subject: Subject; part: Part };

const FIRST_PASS = ['moveHolder', 'assignSupervisor', 'takeSupervision', 'recordClassification'] as const satisfies readonly FirstPass[];
const isFirstPass = (e: CaseEffect): e is Extract<CaseEffect, { type: FirstPass }> => (FIRST_PASS as readonly string[]).includes(e.type);

export function planTransition(input: TransitionInput): CasePlan {
  const { facts, at } = input;
  const fired = firedClock(input);
  // A clock that fell due is closed by the firing: the chart's effects see the others.
  const open = facts.deadlines.filter((d) => (d.status === 'pending' || d.status === 'paused') && !(fired?.status === 'missed' && d.id === fired.id));
  const parts: Part[] = fired ? [{ changeClocks: [fired] }] : [];

  let subject: Subject = facts.row;
  for (const e of input.effects.filter(isFirstPass)) {
    const moved = (movers[e.type] as Mover<typeof e.type>)(e.params as never, subject, input);
    subject = moved.subject;
    parts.push(moved.part);
  }
  const scope: Scope = { input, before: facts.row, after: subject, open };
  for (const e of input.effects) {
    if (!isFirstPass(e)) parts.push((planners[e.type] as Planner<typeof e.type>)(e.params as never, scope));
  }
  return assemble(input, scope, parts, at);
}

/** A deadline event's own clock: missed when it fell due; marked warned when it warned. */
function firedClock({ fired, facts, at }: TransitionInput): ClockChange | null {
  if (!fired) return null;
  return fired.kind === 'due' ? { id: fired.deadlineId, status: 'missed', closedAt: at } : { id: fired.deadlineId, warnedAt: at };
}

// --- First pass: where the case goes -----------------------------------------------------------

const movers: { [K in FirstPass]: Mover<K> } = {
  moveHolder({ to, orgId }, subject, input) {
    const holderOrgId = orgId ?? unitAtLevel(subject, to, input.settings);
    // An assignment is to a person of the unit: it ends when the case moves (a level change, transfer, return, order, decision).
    const changes: Partial<NewCaseRow> = { holderOrgId, assigneeUserId: null };
    if (to === 'platform' && holderOrgId !== subject.platformOrgId) {
      changes.platformOrgId = holderOrgId;
      // The case follows the platform whose committee holds it: measures and hot spots count the real platform.
      const platform = input.settings.orgs.find(holderOrgId)?.platform;
      if (platform) changes.platform = platform;
    }
    if (to === 'department') changes.departmentOrgId = holderOrgId;
    return {
      subject: { ...subject, ...changes } as Subject,
      part: {
        changes, participants: [holderOrgId], data: { fromOrgId: subject.holderOrgId, toOrgId: holderOrgId }, columns: { toOrgId: holderOrgId },
      },
    };
  },

  assignSupervisor(_, subject, input) {
    if (subject.supervisingOrgId) return { subject, part: {} };
    const orgId = pickRoute(input.settings.rules, 'hand_off', subject);
    if (!orgId) return { subject, part: { data: { escalation: '没有匹配的主管部门路由规则 / no hand_off routing rule matched: nobody supervises yet' } } };
    return {
      subject: { ...subject, supervisingOrgId: orgId },
      part: { changes: { supervisingOrgId: orgId }, participants: [orgId], data: { supervisingOrgId: orgId } },
    };
  },

  takeSupervision({ orgId }, subject) {
    return { subject: { ...subject, supervisingOrgId: orgId }, part: { changes: { supervisingOrgId: orgId }, data: { supervisingOrgId: orgId } } };
  },

  recordClassification({ changes }, subject) {
    const previous = Object.fromEntries(Object.keys(changes).map((field) => [field, subject[field as keyof typeof changes]]));
    return { subject: { ...subject, ...changes } as Subject, part: { changes: changes as Partial<NewCaseRow>, data: { previous } } };
  },
};

/**
 * The unit the case goes to at a level when the event names none: the one it had there, else the
 * routing rules' pick; a territorial case (no platform) goes to the street office of its area.
 */
function unitAtLevel(subject: Subject, level: Level, settings: PlanSettings): string {
  if (level === 'branch') return subject.branchOrgId;
  if (level === 'platform') {
    if (subject.platformOrgId) return subject.platformOrgId;
    const picked = pickRoute(settings.rules, 'forward', subject);
    return route(settings.rules, 'forward', subject, subject.platform === null ? picked ?? settings.orgs.officeForArea(subject.area) : picked);
  }
  return subject.departmentOrgId ?? subject.supervisingOrgId ?? route(settings.rules, 'hand_off', subject);
}

// --- Second pass: everything else ---------------------------------------------------------------

const planners: { [K in Exclude<keyof CaseEffects, FirstPass>]: Planner<K> } = {
  startClock({ step, length, ownerOrgId }, { input, after }) {
    const clock = newClock(step, length ?? policyLength(input.settings.policies, step, after), input, after, ownerOrgId);
    return { startClocks: [clock], ...(CLOCKS[step].setsDueAt ? { data: { deadline: { step, dueAt: clock.dueAt.toISOString() } } } : {}) };
  },

  stopClocks({ steps, status, orgId }, { input, open }) {
    const stopped = open.filter((d) => steps.includes(d.step) && (!orgId || d.orgId === orgId));
    return { changeClocks: stopped.map((d) => ({ id: d.id, status, closedAt: input.at })) };
  },

  /** The running clock pauses, and the pause limit starts: its length is the paused clock's policy's `maxPause`. */
  pauseClock({ steps, limit }, { input, after, open }) {
    const running = open.find((d) => steps.includes(d.step) && d.status === 'pending');
    const paused: ClockChange[] = running ? [{ id: running.id, status: 'paused', pausedAt: input.at, rev: running.rev + 1 }] : [];
    // A referral's wait has no pause limit: the referral's own clock bounds it.
    if (!limit) return { changeClocks: paused };
    const pausing = running?.step ?? steps[0];
    const limitedBy = CLOCKS[pausing].pauseLimitedBy;
    if (!limitedBy) throw new Error(`clock '${pausing}' does not pause (its pauseLimitedBy is null)`);
    const length = maxPauseFor(input.settings.policies, limitedBy, after.category, after.urgency);
    return { changeClocks: paused, startClocks: [newClock(limit, length, input, after)] };
  },

  /** The paused span is given back in the clock's own unit: working days and hours stay on the calendar. */
  resumeClock({ steps }, { input, open }) {
    const paused = open.find((d) => steps.includes(d.step) && d.status === 'paused');
    if (!paused) return {};
    const { calendar } = input.settings;
    const unit = clockUnit(paused);
    const span = calendar.pausedSpan(paused.pausedAt ?? input.at, input.at, unit);
    const dueAt = calendar.giveBack(paused.dueAt, span, unit);
    const resumed: ClockChange = {
      id: paused.id, status: 'pending', pausedAt: null, rev: paused.rev + 1, dueAt, warnAt: calendar.giveBack(paused.warnAt, span, unit),
      givenBackMs: paused.givenBackMs + span, provisional: paused.provisional || calendar.countsProvisionalDays(paused.startedAt, dueAt, unit),
    };
    return { changeClocks: [resumed], data: { dueAt: dueAt.toISOString() } };
  },

  /** An approved extension moves the due time, and the 80 % warning with it. */
  extendClock({ step, amount, unit }, { input, open }) {
    const clock = open.find((d) => d.step === step);
    if (!clock) return {};
    const { calendar } = input.settings;
    const dueAt = calendar.addDuration(clock.dueAt, amount, unit);
    const warnAt = calendar.warnAt(clock.startedAt, dueAt, clockUnit(clock));
    const extended: ClockChange = {
      id: clock.id, dueAt, warnAt, rev: clock.rev + 1, provisional: clock.provisional || calendar.countsProvisionalDays(clock.startedAt, dueAt, unit),
      extensions: [...clock.extensions, { amount, unit }], warnedAt: warnAt > clock.dueAt ? null : clock.warnedAt,
    };
    return { changeClocks: [extended], data: { dueAt: dueAt.toISOString() } };
  },

  addToAgenda: ({ reason }) => ({ changes: { onMeetingAgenda: true }, data: { agendaReason: reason }, columns: { reasonCode: reason } }),
  removeFromAgenda: () => ({ changes: { onMeetingAgenda: false } }),
  markOverdue: () => ({ markOverdue: true }),

  holdAccountable: (params, { before }) => ({ data: { accountable_org_id: params.who === 'unit' ? params.orgId : before.holderOrgId } }),

  addCohandlers({ orgIds, reason, step }, { input, after }) {
    const length = policyLength(input.settings.policies, step, after);
    const clocks = orgIds.map((orgId) => newClock(step, length, input, after, orgId));
    return {
      startClocks: clocks,
      askCohandlers: clocks.map((c) => ({ orgId: c.orgId, reason, addedAt: input.at, dueAt: c.dueAt, contributedAt: null, opinion: null })),
      participants: orgIds,
      notices: orgIds.map((orgId) => notice(orgId, 'cohandler_added', input, after, { step })),
      data: { cohandlers: clocks.map((c) => ({ orgId: c.orgId, dueAt: c.dueAt.toISOString() })) },
    };
  },

  recordContribution: ({ orgId, opinion }, { input }) => ({ opinions: [{ orgId, opinion, at: input.at }], data: { orgId } }),

  recordReferralOutcome: ({ orgId }) => ({ data: { orgId } }),

  assignTo: ({ userId }) => ({ changes: { assigneeUserId: userId } }),

  recordHumanReview: ({ outcome, explanation }, { input, after }) => ({
    changes: { humanReview: { outcome, explanation, at: input.at.toISOString(), orgId: after.holderOrgId } },
  }),

  recordResolution: ({ resolution }, { before }) => ({ changes: { resolution }, columns: { resolvedByOrgId: before.holderOrgId } }),

  /** Counted for the unit whose resolution the worker judges: the holder of the resolved case. */
  recordFeedback: ({ rating, solved }, { before }) => ({
    data: { resolvedByOrgId: before.holderOrgId },
    columns: { rating, solved: solved ?? undefined, resolvedByOrgId: before.holderOrgId },
  }),

  mergeInto({ caseId }, { input }) {
    const target = input.mergeTarget;
    if (!target || target.id !== caseId) throw new Error(`merge into '${caseId}' needs that case locked beforehand`);
    const before = input.facts.row;
    return {
      changes: { mergedInto: caseId },
      mergedFrom: {
        target,
        event: {
          caseId: target.id, action: 'merged_from', fromState: target.state, toState: target.state, level: target.level,
          holderOrgId: target.holderOrgId, actor: input.actor, at: input.at, data: { caseId: before.id, reference: before.reference },
        },
      },
    };
  },

  /** A unit told about a case may read it (an approver, a supervising department, the branch). */
  notify(params, { input, after }) {
    const orgId = params.to === 'unit' ? params.orgId
      : params.to === 'holder' ? after.holderOrgId : params.to === 'supervisor' ? after.supervisingOrgId : after.branchOrgId;
    if (!orgId) return {};
    return { notices: [notice(orgId, params.kind, input, after)], participants: orgId === after.holderOrgId ? [] : [orgId] };
  },

  /**
   * Critical and urgent cases reach the competent department at once (TAXONOMY.md): the unit the
   * routing rules' `hand_off` picks is told (once) and may read the case from then on.
   */
  tellCompetentDepartment(_, { input, after }) {
    if (!URGENT_LEVELS.includes(after.urgency)) return {};
    const orgId = after.supervisingOrgId ?? pickRoute(input.settings.rules, 'hand_off', after);
    if (!orgId || orgId === after.holderOrgId || input.facts.participants.includes(orgId)) return {};
    return { participants: [orgId], notices: [notice(orgId, 'urgent_case', input, after, { urgency: after.urgency })] };
  },

  /** No phone on the case (anonymous, or none given): no SMS can carry it; the liaison records the feedback. */
  sendFeedbackLink: ({ expiresWith }, { after }) => (after.anonymous || !after.workerPhone ? {} : { feedbackLinkWith: expiresWith }),

  /** The SMS that says the worker may appeal (with their case's status page; the receipt code is theirs); none without a phone. */
  inviteAppeal: ({ window }, { after }) => (!window || after.anonymous || !after.workerPhone ? {} : {
    notices: [{ orgId: after.branchOrgId, caseId: after.id, kind: 'worker_appeal_invitation', payload: { reference: after.reference } }],
  }),
};

// --- Putting the parts together -----------------------------------------------------------------

function assemble(input: TransitionInput, scope: Scope, parts: Part[], at: Date): CasePlan {
  const { facts, next, toState } = input;
  const changes: Partial<NewCaseRow> = {
    state: toState, level: next.level, supervised: next.supervised, outcome: next.outcome, snapshot: next,
    ...Object.assign({}, ...parts.map((p) => p.changes ?? {})),
  };
  const startClocks = parts.flatMap((p) => p.startClocks ?? []);
  const changeClocks = mergeClockChanges(parts.flatMap((p) => p.changeClocks ?? []));
  const clocksAfter = [...scope.open.map((d) => ({ ...d, ...changeClocks.find((c) => c.id === d.id) })), ...startClocks.map((c) => ({ ...c, status: 'pending' as const }))];
  // The due time follows the clocks that set it, when the plan moves one; a missed clock leaves it (overdue since).
  const movesDue = [...startClocks, ...changeClocks.filter((c) => c.status || c.dueAt).filter((c) => c.status !== 'missed').map((c) => facts.deadlines.find((d) => d.id === c.id)!)]
    .some((d) => CLOCKS[d.step].setsDueAt);
  if (movesDue) {
    const pendingDue = clocksAfter.filter((d) => d.status === 'pending' && CLOCKS[d.step].setsDueAt).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    changes.dueAt = pendingDue[0]?.dueAt ?? null;
  }
  if (parts.some((p) => p.markOverdue)) changes.overdue = true;
  else if (startClocks.some((c) => CLOCKS[c.step].setsDueAt)) changes.overdue = false;
  if (isFinal(toState)) Object.assign(changes, { closedAt: at, dueAt: null, overdue: false });
  else if (isFinal(facts.row.state)) changes.closedAt = null; // an appeal reopened it

  const linkWith = parts.find((p) => p.feedbackLinkWith)?.feedbackLinkWith;
  const linkClock = startClocks.find((c) => c.step === linkWith);
  const columns = Object.assign({}, ...parts.map((p) => p.columns ?? {})) as NonNullable<Part['columns']>;
  const data: Record<string, unknown> = { ...input.eventData, ...Object.assign({}, ...parts.map((p) => p.data ?? {})) };
  return {
    caseId: facts.row.id,
    changes,
    bumpsVersion: input.bumpsVersion,
    startClocks,
    changeClocks,
    participants: [...new Set(parts.flatMap((p) => p.participants ?? []))].filter((id) => !facts.participants.includes(id)),
    askCohandlers: parts.flatMap((p) => p.askCohandlers ?? []),
    opinions: parts.flatMap((p) => p.opinions ?? []),
    notices: [...parts.flatMap((p) => p.notices ?? []), ...orderUpdates(input, scope.after)],
    // No clock of that step (no policy applies): the link lasts as long as the default feedback step would, a week.
    feedbackLink: linkWith ? { expiresAt: linkClock?.dueAt ?? new Date(at.getTime() + 7 * 86_400_000) } : null,
    event: {
      caseId: facts.row.id, action: input.action, fromState: facts.row.state, toState, level: next.level,
      holderOrgId: scope.after.holderOrgId, actor: input.actor, at, data, step: input.step, ...columns,
    },
    mergedFrom: parts.find((p) => p.mergedFrom)?.mergedFrom ?? null,
  };
}

/**
 * The hotline whose work order the case is (a party told like the registering branch) hears of
 * every change of level and of the close, whatever caused them: its own order follows the case.
 */
function orderUpdates(input: TransitionInput, after: Subject): Notification[] {
  const { row } = input.facts;
  if (!row.hotlineOrgId) return [];
  const kind = isFinal(input.toState) && !isFinal(row.state) ? ORDER_UPDATES.closed
    : input.next.level !== row.level ? ORDER_UPDATES.levelChanged : null;
  return kind ? [notice(row.hotlineOrgId, kind, input, after, { level: input.next.level, orderNo: row.hotlineOrderNo })] : [];
}

/** Two effects on one clock (a stop and a resume of the same row): one change, the later columns winning. */
function mergeClockChanges(changes: ClockChange[]): ClockChange[] {
  const byId = new Map<string, ClockChange>();
  for (const c of changes) byId.set(c.id, { ...byId.get(c.id), ...c });
  return [...byId.values()];
}

// --- Helpers --------------------------------------------------------------------------------------

/**
 * A clock about to start: owned as the clock table says (a co-handler's or a referral's by the unit
 * the effect names), at the level the case is at after the transition.
 */
function newClock(step: DeadlineStep, length: Duration, input: TransitionInput, after: Subject, ownerOrgId?: string): ClockPlan {
  const { owner: kind } = CLOCKS[step];
  const named = kind === 'referred' || kind === 'cohandler';
  if (named !== Boolean(ownerOrgId)) throw new Error(`clock '${step}' is owned by ${kind}${ownerOrgId ? `, not by '${ownerOrgId}'` : ': name the unit'}`);
  const owner = kind === 'branch' ? after.branchOrgId : ownerOrgId ?? after.holderOrgId;
  return planClock(input.settings.calendar, { step, level: input.next.level, orgId: owner, at: input.at, ...length });
}

function policyLength(policies: SlaPolicy[], step: DeadlineStep, subject: Subject): Duration {
  if (!isPolicyStep(step)) throw new Error(`clock '${step}' takes its length from ${CLOCKS[step].length}, not from a policy`);
  const { amount, unit } = policyFor(policies, step, subject.category, subject.urgency);
  return { amount, unit };
}

function notice(orgId: string, kind: InAppKind, input: TransitionInput, after: Subject, extra: Record<string, unknown> = {}): Notification {
  return {
    orgId, caseId: input.facts.row.id, kind,
    payload: { reference: after.reference, state: input.toState, action: input.action, ...(input.step ? { step: input.step } : {}), ...extra },
  };
}

