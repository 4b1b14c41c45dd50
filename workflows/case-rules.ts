/**
 * The case rules as data: levels, roles, states, clocks, agenda reasons, who acts where. The chart
 * (case-machine.ts) is built on these tables, and everything else — the engine, SQL in measures and
 * meetings, the calendar recompute, admin validation, exports, pages — reads them from here (SQL
 * takes the lists as parameters) instead of restating them. No xstate in this module, so the
 * phone's bundle can import it.
 */

export const LEVELS = ['branch', 'platform', 'department'] as const;
export type Level = (typeof LEVELS)[number];

export const ROLES = ['liaison', 'committee', 'officer', 'convener', 'admin', 'mediator', 'callback', 'hotline'] as const;
export type Role = (typeof ROLES)[number];
/** Who may send an event: a user's role, or the worker themselves (only their own feedback, through the one-time link). */
export type ActorRole = Role | 'worker';

export const ORG_TYPES = ['branch', 'platform', 'department', 'convener', 'territorial', 'union', 'mediation', 'hotline'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/**
 * The level at which a unit of each type holds cases: a street office (街道/镇) acts at L2 as a
 * platform committee does; a convener holds none, nor do the units a case is referred to (a union
 * 工会/群团, a mediation organisation 调解组织/法律援助/劳动仲裁), whose mediators answer referrals, nor a
 * 12345 hotline, which hands its work orders over to a branch and is told how they go.
 */
export const ORG_TYPE_LEVEL = {
  branch: 'branch', platform: 'platform', territorial: 'platform', department: 'department', convener: null, union: null, mediation: null,
  hotline: null,
} as const satisfies Record<OrgType, Level | null>;

// --- Referral (矛盾调解) ------------------------------------------------------------------------

/** What a case may be referred for: mediation, legal aid, arbitration (a mediation unit's services), or to a union. */
export const REFERRAL_KINDS = ['mediation', 'legal_aid', 'arbitration', 'union'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
/** The services a mediation unit may offer (its `services`). */
export const MEDIATION_SERVICES = ['mediation', 'legal_aid', 'arbitration'] as const satisfies readonly ReferralKind[];
/** The unit type a referral of each kind goes to. */
export const REFERRAL_TARGET_TYPE = {
  mediation: 'mediation', legal_aid: 'mediation', arbitration: 'mediation', union: 'union',
} as const satisfies Record<ReferralKind, OrgType>;
/** The roles of the units a case is referred to, by the unit types they belong to. */
export const REFERRED_ROLE = { role: 'mediator', orgTypes: ['union', 'mediation'] } as const satisfies { role: Role; orgTypes: readonly OrgType[] };
/** The referred unit's answer; a settlement is not a resolution by itself (the holder then resolves or goes on). */
export const REFERRAL_OUTCOMES = ['settled', 'not_settled', 'declined'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
/** What the holder may not do while a referral is pending (422 `referral_pending`); the convener's `assign_lead` still works. */
export const BLOCKED_BY_REFERRAL = ['resolve', 'transfer', 'hand_off', 'refer', 'request_info', 'request_extension'] as const;

// --- 12345 hotline hand-over ---------------------------------------------------------------------

/**
 * A 12345 hotline (市民服务热线) hands its work orders over: its users (role `hotline`, only in hotline
 * units) register each order at a branch, which owns it at L1; the hotline reads the cases its orders
 * became and is told of every level change and of the close. An order with no category enters as
 * an inquiry (咨询 `CON`: the catalogue has no "other"), which the branch's liaison classifies.
 */
export const HOTLINE = { role: 'hotline', orgType: 'hotline', channel: 'hotline', defaultCategory: 'CON' } as const satisfies {
  role: Role; orgType: OrgType; channel: string; defaultCategory: string;
};

/** The role of the users who hold a case at each level. */
export const HOLDER_ROLE = { branch: 'liaison', platform: 'committee', department: 'officer' } as const satisfies Record<Level, Role>;

/**
 * The level above the holder (上一级): who approves an extension. A branch's case goes to the
 * platform committee it was (or would be) forwarded to; a platform's to its supervising or
 * competent department; a department's to any convener.
 */
export const APPROVER = {
  branch: { role: 'committee', unit: 'platform' },
  platform: { role: 'officer', unit: 'department' },
  department: { role: 'convener', unit: 'convener' },
} as const satisfies Record<Level, { role: Role; unit: 'platform' | 'department' | 'convener' }>;

/** The units a routing rule may name, by the step it routes (an inactive or other unit: 422). */
export const ROUTING_STEPS = ['forward', 'hand_off'] as const;
export type RoutingStep = (typeof ROUTING_STEPS)[number];
export const ROUTING_TARGET_TYPES = {
  forward: ['platform', 'territorial'], hand_off: ['department'],
} as const satisfies Record<RoutingStep, readonly OrgType[]>;

/** The units a meeting decision (协调会决定) may name as the lead, and so the level it moves the case to. */
export const LEAD_ORG_TYPES = ['branch', 'platform', 'territorial', 'department'] as const satisfies readonly OrgType[];

export const STATES = [
  'registered', 'branch_awaiting_info',
  'forwarded', 'platform_handling', 'platform_awaiting_info',
  'handed_off', 'department_handling', 'department_awaiting_info',
  'resolved', 'closed', 'withdrawn', 'merged',
] as const;
export type CaseState = (typeof STATES)[number];
/** States a case never leaves: entering one closes the case (closedAt set, no due time, not overdue). */
export const FINAL_STATES = ['closed', 'withdrawn', 'merged'] as const satisfies readonly CaseState[];
export type FinalState = (typeof FINAL_STATES)[number];
export const isFinal = (state: CaseState): state is FinalState => (FINAL_STATES as readonly CaseState[]).includes(state);
export const OPEN_STATES = STATES.filter((s) => !isFinal(s));

/** Chinese names of the states, shown beside the machine names. */
export const STATE_LABELS = {
  registered: '已登记（支部）', branch_awaiting_info: '待补充材料（支部）',
  forwarded: '已转交平台待受理', platform_handling: '平台办理中', platform_awaiting_info: '待补充材料（平台）',
  handed_off: '已移交主管部门待受理', department_handling: '主管部门办理中', department_awaiting_info: '待补充材料（部门）',
  resolved: '已办结待反馈', closed: '已结案', withdrawn: '已撤回', merged: '已合并',
} as const satisfies Record<CaseState, string>;

export const TIME_UNITS = ['working_days', 'working_hours', 'hours', 'minutes', 'seconds'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export interface Duration { amount: number; unit: TimeUnit }

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export const WORKER_TYPES = ['courier', 'delivery', 'ride_hailing', 'freight', 'streamer', 'other'] as const;
export type WorkerType = (typeof WORKER_TYPES)[number];
/** 诉求性质 (12345's second dimension): consult, help, complaint, report, suggestion. */
export const REQUEST_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** Urgencies that reach the competent department at once (TAXONOMY.md). */
export const URGENT_LEVELS: readonly Urgency[] = ['urgent', 'critical'];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const SOLVED_ANSWERS = ['yes', 'partly', 'no'] as const;
export type SolvedAnswer = (typeof SOLVED_ANSWERS)[number];
/** The committee's human review of an algorithm's decision: upheld 维持 / revised 变更 / revoked 撤销. */
export const REVIEW_OUTCOMES = ['upheld', 'revised', 'revoked'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
/** A case's outcome: the worker's rating, or none given within the feedback clock. */
export type Outcome = Rating | 'no_feedback';
/**
 * What reopens a case (the chart's `reopen`): a feedback with this rating, or the worker's appeal
 * (recorded only when the chart takes it, and then it reopens). Counted as 重办 by the oversight
 * board, the meeting's agenda and the reconciliation statement (src/cases/case-record.ts `reopens`);
 * the measures' daily counters count the feedback half (an appeal is not counted there yet).
 */
export const REOPENING = { feedback: { action: 'feedback', rating: 'dissatisfied' }, actions: ['appeal'] } as const satisfies
  { feedback: { action: string; rating: Rating }; actions: readonly string[] };

/**
 * Call-back users (回访员) work at the convener's office or at any branch: they record the worker's
 * feedback on a case awaiting it (never their own unit's resolution) and may reveal its contact to call.
 */
export const CALLBACK_ORG_TYPES = ['convener', 'branch'] as const satisfies readonly OrgType[];

/** A call-back user's scope: the cases awaiting the worker's feedback or past it; the contact may be revealed (to call) while it is awaited. */
export const CALLBACK_STATES = ['resolved', 'closed'] as const satisfies readonly CaseState[];
export const CALLBACK_REVEAL_STATE = 'resolved' satisfies CaseState;

/**
 * A case closed without the worker's own rating (no feedback in time, or rated by someone else)
 * may be appealed (申诉) once by the worker, within this time of closing: it reopens one level above
 * the last resolver, as the worker's dissatisfied would have.
 */
export const APPEAL_WINDOW: Duration = { amount: 10, unit: 'working_days' };

/** At most this many transfers per case (platform and department together); the last one goes on the agenda. */
export const MAX_TRANSFERS = 3;

/** The category whose cases carry the algorithm's decision and need a human review (TAXONOMY.md). */
export const ALGORITHM_CATEGORY = 'ALG';

/** The classification fields a holder may correct (分类整理); later clocks use the new values. */
export const CLASSIFICATION_FIELDS = ['category', 'subcategory', 'urgency', 'workerType', 'requestType'] as const;
export type ClassificationField = (typeof CLASSIFICATION_FIELDS)[number];

// --- Agenda -------------------------------------------------------------------------------------

/** Why a case is on the coordination meeting's agenda (议程原因): exactly API.md's nine. */
export const AGENDA_REASONS = [
  'overdue_l3', 'escalated', 'returned_twice', 'transfer_limit', 'supervision_missed', 'reopened', 'cohandler_missed',
  'referral_missed', 'systemic_issue',
] as const;
export type AgendaReason = (typeof AGENDA_REASONS)[number];
export const AGENDA_REASON_LABELS = {
  overdue_l3: ['部门环节超期', 'overdue at the department'],
  escalated: ['逾期升级', 'escalated after a missed deadline'],
  returned_twice: ['两次以上退回', 'returned two or more times'],
  transfer_limit: ['转办达到上限', 'reached the transfer limit'],
  supervision_missed: ['督办逾期未整改', 'missed a supervision order'],
  reopened: ['不满意重办', 'rated dissatisfied and reopened'],
  cohandler_missed: ['会办部门逾期未提交意见', 'a co-handling department missed its contribution'],
  referral_missed: ['调解转介逾期未答复', 'a referred unit missed its answer'],
  systemic_issue: ['系统性问题', 'linked to a systemic issue'],
} as const satisfies Record<AgendaReason, readonly [string, string]>;

/** How often a meeting schedule drafts a coordination meeting (API.md: monthly). */
export const MEETING_INTERVALS = ['month'] as const;
export type MeetingInterval = (typeof MEETING_INTERVALS)[number];

// --- Clocks -------------------------------------------------------------------------------------

/**
 * Clocks. The six steps of the product brief, plus `supervision` (a 督办 order's own deadline, set by
 * the department), `pause_limit` (how long a case may wait for information before resuming),
 * `human_review` (the committee's review of an algorithm's decision, ALG cases) and `contribute`
 * (a co-handling department's opinion; one clock per co-handler).
 */
export const DEADLINE_STEPS = [
  'l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'supervision', 'pause_limit', 'human_review', 'contribute',
  'referral',
] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

/** What one kind of clock is: whose it is, what it sets, what missing it leads to, where its length comes from. */
export interface ClockRule {
  /** The level whose holder works against it (an extension request moves it); null for clocks beside the holder's work. */
  workedAt: Level | null;
  /** The case's due time follows it; a side clock (pause limit, review, contribution) never sets it. */
  setsDueAt: boolean;
  /** Whose clock it is: the holding unit, the registering branch, the co-handler it was started for, the unit a case is referred to. */
  owner: 'holder' | 'branch' | 'cohandler' | 'referred';
  /**
   * What missing it leads to, as the chart's `deadline_missed` reactions do (a unit test holds the
   * chart to this): escalation to the department's supervision (督办), the meeting's agenda, the
   * paused clock resuming, or the case closing without feedback.
   */
  onMiss: 'escalate' | 'agenda' | 'resume' | 'close';
  /** The agenda reason a miss puts the case on the agenda with (onMiss 'agenda'). */
  missedReason: AgendaReason | null;
  /**
   * What the measures judge by its end (met: on time; missed: late; cancelled, or still running: not judged yet): an
   * arrival's acceptance (按时受理), a supervision order's rectification (按时整改, never judged as an arrival), an
   * algorithm decision's human review; null: only its handling time is counted.
   */
  judges: 'acceptance' | 'rectification' | 'review' | null;
  /** Where its length comes from: its SLA policy, the event (a supervision order, a meeting decision), or the paused clock's `maxPause`. */
  length: 'policy' | 'event' | 'max_pause';
  /** Its pause (waiting for information) is limited by the `maxPause` of this step's policy; null: it never pauses. */
  pauseLimitedBy: PolicyStep | null;
}

export const CLOCKS = {
  l1_forward: { workedAt: 'branch', setsDueAt: true, owner: 'holder', onMiss: 'escalate', missedReason: null, judges: 'acceptance', length: 'policy', pauseLimitedBy: 'l1_forward' },
  l2_accept: { workedAt: 'platform', setsDueAt: true, owner: 'holder', onMiss: 'escalate', missedReason: null, judges: 'acceptance', length: 'policy', pauseLimitedBy: null },
  l2_resolve: { workedAt: 'platform', setsDueAt: true, owner: 'holder', onMiss: 'escalate', missedReason: null, judges: null, length: 'policy', pauseLimitedBy: 'l2_resolve' },
  l3_accept: { workedAt: 'department', setsDueAt: true, owner: 'holder', onMiss: 'agenda', missedReason: 'overdue_l3', judges: 'acceptance', length: 'policy', pauseLimitedBy: null },
  l3_resolve: { workedAt: 'department', setsDueAt: true, owner: 'holder', onMiss: 'agenda', missedReason: 'overdue_l3', judges: null, length: 'policy', pauseLimitedBy: 'l3_resolve' },
  feedback: { workedAt: null, setsDueAt: true, owner: 'branch', onMiss: 'close', missedReason: null, judges: null, length: 'policy', pauseLimitedBy: null },
  // A supervision order's clock pauses like the platform's resolve clock it stands in for.
  supervision: { workedAt: 'platform', setsDueAt: true, owner: 'holder', onMiss: 'agenda', missedReason: 'supervision_missed', judges: 'rectification', length: 'event', pauseLimitedBy: 'l2_resolve' },
  pause_limit: { workedAt: null, setsDueAt: false, owner: 'branch', onMiss: 'resume', missedReason: null, judges: null, length: 'max_pause', pauseLimitedBy: null },
  human_review: { workedAt: null, setsDueAt: false, owner: 'holder', onMiss: 'escalate', missedReason: null, judges: 'review', length: 'policy', pauseLimitedBy: null },
  contribute: { workedAt: null, setsDueAt: false, owner: 'cohandler', onMiss: 'agenda', missedReason: 'cohandler_missed', judges: null, length: 'policy', pauseLimitedBy: null },
  // While a case waits on a referral the holder's clock is paused (no pause limit): the referral's clock is the case's due time.
  referral: { workedAt: null, setsDueAt: true, owner: 'referred', onMiss: 'agenda', missedReason: 'referral_missed', judges: null, length: 'policy', pauseLimitedBy: null },
} as const satisfies Record<DeadlineStep, ClockRule>;

/** The clocks' names, Chinese then English, in pages and exports. */
export const CLOCK_LABELS = {
  l1_forward: ['支部转交', 'Branch forwards'], l2_accept: ['平台受理', 'Platform accepts'], l2_resolve: ['平台办理', 'Platform resolves'],
  l3_accept: ['部门受理', 'Department accepts'], l3_resolve: ['部门办理', 'Department resolves'], feedback: ['反馈评价', 'Feedback'],
  supervision: ['督办期限', 'Supervision order'], pause_limit: ['补充材料期限', 'Waiting for information'], human_review: ['人工复核', 'Human review'],
  contribute: ['协办意见', 'Co-handling opinion'], referral: ['转介答复', 'Referral answer'],
} as const satisfies Record<DeadlineStep, readonly [string, string]>;

const stepsWhere = (test: (rule: ClockRule) => boolean): DeadlineStep[] =>
  DEADLINE_STEPS.filter((step) => test(CLOCKS[step]));

/** Clocks that set the case's due time (the holder's and the feedback clock); the rest run beside them. */
export const DUE_CLOCKS = stepsWhere((c) => c.setsDueAt);
/** Clocks whose miss is an escalation or puts the case on the agenda: counted as `escalated`. */
export const ESCALATING_CLOCKS = stepsWhere((c) => c.onMiss === 'escalate' || c.onMiss === 'agenda');
/**
 * Clocks whose miss holds their owner to account (问责): the same ones — a pause limit running out
 * or a worker who never rates is no unit's failure.
 */
export const ACCOUNTABLE_CLOCKS = ESCALATING_CLOCKS;
/** The clocks the holder works against at each level: what an extension request extends. */
export const WORKING_CLOCKS = Object.fromEntries(LEVELS.map((level) => [level, stepsWhere((c) => c.workedAt === level)])) as Record<Level, DeadlineStep[]>;
/** The clocks that pause while the holder waits for information at each level (their pause is limited). */
export const PAUSING_CLOCKS = Object.fromEntries(LEVELS.map((level) =>
  [level, stepsWhere((c) => c.workedAt === level && c.pauseLimitedBy !== null)])) as Record<Level, DeadlineStep[]>;

/**
 * The steps an SLA policy can be written for (API.md): every clock whose length is a policy's, and
 * the shortest deadline a supervision order may set.
 */
export const POLICY_STEPS = [...stepsWhere((c) => c.length === 'policy'), 'supervision_min', 'l0_verify'] as const;
/** `l0_verify`: a branch verifies a worker's own submission (workflows/submission-rules.ts); a submission is not a case, so it is no case clock. */
export type PolicyStep = Exclude<DeadlineStep, 'supervision' | 'pause_limit'> | 'supervision_min' | 'l0_verify';
/** Every step's name, Chinese then English: the clocks' and the two policy steps that are no case clock (pages, the SLA admin). */
export const STEP_LABELS = {
  ...CLOCK_LABELS, supervision_min: ['最短督办期限', 'Shortest supervision'], l0_verify: ['支部核实自助提交', 'Branch verifies a submission'],
} as const satisfies Record<PolicyStep | DeadlineStep, readonly [string, string]>;
/** A step an SLA policy can be written for (a clock whose length is a policy's, or the shortest supervision order). */
export const isPolicyStep = (step: string): step is PolicyStep => (POLICY_STEPS as readonly string[]).includes(step);

// --- Events -------------------------------------------------------------------------------------

/** A warning changes nothing a caller acts on: it does not make their If-Match stale. */
export const VERSION_KEEPING_EVENTS = ['deadline_warning'] as const;
