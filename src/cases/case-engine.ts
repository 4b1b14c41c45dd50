/**
 * The case engine: registers grievances and applies every transition — a user's action or a
 * deadline's expiry — the same way, in one transaction: lock the case row, check the version,
 * ask the statechart (`decide`) for the next state and its effects, execute the effects
 * (case-effects.ts), write the case row and one chained event, commit; then wake the deadline
 * scheduler and deliver notifications. The rules live in the chart; no HTTP in here.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import { addParticipant, inScope, type Caller } from '../access/callers.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Cached } from '../cached.js';
import { caseOfDeadline, deadlinesOf, lockDeadline, markWarned, type Wakeup } from '../deadlines/deadline-store.js';
import { policyFor, type SlaPolicy } from '../deadlines/sla-policies.js';
import { BadRequest, Forbidden, NotAllowed, NotFound, StaleVersion } from '../errors.js';
import { notify } from '../notifications/outbox.js';
import { checkClassification } from '../catalogue/catalogue.js';
import { findOrg, orgOfType, platformCommittee } from '../orgs/org-store.js';
import { pickRoute, pickStreetOffice, type RoutingRule } from '../routing/routing-rules.js';
import { maskFreeText } from '../privacy/masking.js';
import type { ReceiptCodes } from '../worker-access/receipt-codes.js';
import { markFeedbackLinkUsed, openFeedbackLink } from '../worker-access/feedback-links.js';
import { executeEffects, type TransitionRun, type TransitionScope } from './case-effects.js';
import { appendEvent, personalDigest, type EventActor, type EventData, type RecordedAction } from './case-record.js';
import {
  findCase, findCaseByReference, insertCase, lockCase, lockCasePair, nextReference, recordPersonalDataRead, updateCase,
  type CaseRow, type NewCaseRow,
} from './case-store.js';
import { caseView, seesPersonalData, type CaseView, type CohandlerView } from './case-view.js';
import type { ActionBody, RegisterInput } from './case-types.js';
import { ACTION_ACTORS, CASE_MACHINE_VERSION, actionsIn, decide, restoreCase, startCase, stateOf, whyRefused, type CaseContext, type CaseEvent, type CaseSnapshot, type UserAction, type UserEvent } from '../../workflows/case-machine.js';
import { isFinal, type CaseState, type DeadlineStep, type Level, type Rating, type SolvedAnswer, type TimeUnit } from '../../workflows/case-rules.js';

export interface CaseEngineDeps {
  sql: Sql;
  routingRules: Cached<RoutingRule[]>;
  slaPolicies: Cached<SlaPolicy[]>;
  calendar: () => WorkingCalendar;
  /** After commit: make sure the scheduler wakes up for these deadline revisions. */
  wake: (wakeups: Wakeup[]) => Promise<void>;
  /** After commit: deliver what the transition wrote to the outbox. */
  deliver: () => void;
  /** The worker's receipt codes (hashed and sealed with a server secret). */
  receipts: ReceiptCodes;
  /** PUBLIC_URL: the origin of the worker's feedback links; '' makes them relative (`/feedback/<token>`). */
  publicUrl?: string;
  now?: () => Date;
}

/** The worker's own feedback through the one-time link (回访). */
export interface WorkerFeedbackInput { rating: Rating; solved: SolvedAnswer; comment?: string }
/** A registration's answer: the case, and the worker's receipt code (shown in this answer only, and in its idempotent replays). */
export type RegisteredCase = CaseView & { receiptCode?: string };

const SYSTEM_CLOCK: EventActor = { system: 'deadline-clock' };
const WORKER: EventActor = { system: 'worker' };
/** The clocks a holder works against, per level: what an extension request extends. */
const WORKING_CLOCKS: Record<Level, DeadlineStep[]> = {
  branch: ['l1_forward'], platform: ['l2_accept', 'l2_resolve', 'supervision'], department: ['l3_accept', 'l3_resolve'],
};

export function createCaseEngine(deps: CaseEngineDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * Runs `work` in one transaction, then the after-commit side effects. Configuration is read
   * before the transaction opens: a transaction must never wait for a second pooled connection.
   */
  async function commit<T>(work: (tx: Tx, scope: TransitionScope) => Promise<T>): Promise<T> {
    const scope: TransitionScope = {
      rules: await deps.routingRules.get(), policies: await deps.slaPolicies.get(), wakeups: [], notes: [], publicUrl: deps.publicUrl ?? '',
    };
    const result = await inTransaction(deps.sql, async (tx) => {
      const value = await work(tx, scope);
      await notify(tx, scope.notes);
      return value;
    });
    if (scope.wakeups.length > 0) await deps.wake(scope.wakeups);
    if (scope.notes.length > 0) deps.deliver();
    return result;
  }

  async function view(tx: Tx, caller: Caller, row: CaseRow): Promise<CaseView> {
    const unmasked = seesPersonalData(caller, row);
    if (unmasked && caller.userId && (row.workerName || row.workerPhone)) await recordPersonalDataRead(tx, row.id, caller.userId);
    const holder = await findOrg(tx, row.holderOrgId);
    return caseView(row, await deadlinesOf(tx, row.id), allowedActions(caller, row), unmasked, {
      holderOrgType: holder?.type ?? null, cohandlers: await cohandlersOf(tx, row.id),
    });
  }

  async function register(caller: Caller, input: RegisterInput, idempotencyKey?: string): Promise<RegisteredCase> {
    if (caller.role !== 'liaison' || !caller.orgId || !caller.userId) throw new Forbidden('只有支部联络员可以登记诉求 / only a liaison registers grievances');
    const userId = caller.userId;
    return commit(async (tx, scope) => {
      const requestHash = hashBody(input);
      if (idempotencyKey) {
        const earlier = await claimIdempotencyKey(tx, userId, idempotencyKey, requestHash);
        if (earlier) return { ...(await view(tx, caller, (await findCase(tx, earlier.caseId))!)), ...unsealed(earlier.receiptCodeSealed) };
      }
      const receiptCode = deps.receipts.issue();
      await checkRegistration(tx, scope, input);
      const at = now();
      const { snapshot, effects } = startCase({ algorithmic: input.category === ALGORITHM_CATEGORY });
      const row = await insertCase(tx, newCaseRow(input, caller, snapshot.context, at, await nextReference(tx, at), deps.receipts.digest(receiptCode)));
      await addParticipant(tx, row.id, caller.orgId!);
      const run = newRun(tx, scope, row, snapshot.context, { type: 'register' }, { userId, orgId: caller.orgId }, at, 'registered');
      await executeEffects(run, effects);
      const data: EventData<'register'> = { ...registrationData(row), ...run.record.data };
      const head = await appendEvent(tx, { seq: 0, hash: null }, {
        caseId: row.id, action: 'register', fromState: null, toState: 'registered', level: 'branch', holderOrgId: row.holderOrgId,
        actor: run.actor, at, data,
      });
      const saved = await updateCase(tx, row.id, { ...run.changes, eventSeq: head.seq, eventHash: head.hash, updatedAt: at });
      if (idempotencyKey) {
        await tx`update idempotency_keys set case_id = ${row.id}, receipt_code_sealed = ${deps.receipts.seal(receiptCode)}
          where user_id = ${userId} and key = ${idempotencyKey}`;
      }
      return { ...(await view(tx, caller, saved)), receiptCode };
    });
  }

  const unsealed = (sealed: string | null) => (sealed ? { receiptCode: deps.receipts.unseal(sealed) } : {});

  async function read(caller: Caller, caseId: string): Promise<CaseView> {
    return inTransaction(deps.sql, async (tx) => view(tx, caller, await visibleCase(tx, caller, caseId)));
  }

  async function act(caller: Caller, caseId: string, ifMatch: number, body: ActionBody): Promise<CaseView> {
    if (caller.role === 'admin') throw new Forbidden('管理员只做配置 / admins configure; they do not act on cases');
    return commit(async (tx, scope) => {
      const { row, mergeTarget } = await lockForAction(tx, caller, caseId, body);
      if (row.version !== ifMatch) throw new StaleVersion(row.version, ifMatch);
      const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
      const event = await userEvent(tx, scope, row, caller, body, mergeTarget);
      if (event.type === 'feedback' && row.outcome !== null && stateOf(snapshot) !== 'resolved') throw feedbackAlreadyRecorded(row);
      const refusal = whyRefused(snapshot, event, await orgNames(tx, Object.keys(snapshot.context.cohandlers))) ?? relationRefusal(event.type, caller, row, snapshot);
      if (refusal) throw new NotAllowed(refusal);
      const updated = await applyTransition(tx, scope, row, snapshot, event, { userId: caller.userId, orgId: caller.orgId }, { mergeTarget });
      return view(tx, caller, updated);
    });
  }

  /**
   * The worker's own feedback through the one-time link: the same `feedback` transition as the
   * liaison's, recorded with actor `{system: 'worker'}`; the comment is masked before it enters the
   * record. Whichever feedback comes first closes the step; the later one is refused.
   */
  async function workerFeedback(token: string, input: WorkerFeedbackInput): Promise<{ reference: string; state: CaseState }> {
    return commit(async (tx, scope) => {
      // The case first, then the link: the order a resolution takes them in (it expires older links).
      const row = (await lockCase(tx, (await openFeedbackLink(tx, token, now())).caseId))!;
      const link = await openFeedbackLink(tx, token, now(), true);
      const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
      const comment = input.comment ? maskFreeText(input.comment) : undefined;
      const event: UserEvent = { type: 'feedback', role: 'worker', rating: input.rating, solved: input.solved, ...(comment ? { comment } : {}) };
      if (!snapshot.can(event)) throw feedbackAlreadyRecorded(row);
      const updated = await applyTransition(tx, scope, row, snapshot, event, WORKER);
      await markFeedbackLinkUsed(tx, link, now());
      return { reference: updated.reference, state: updated.state as CaseState };
    });
  }

  /** Locks the case (and a merge's target, both in a fixed order so opposing merges cannot deadlock). */
  async function lockForAction(tx: Tx, caller: Caller, caseId: string, body: ActionBody): Promise<{ row: CaseRow; mergeTarget?: CaseRow }> {
    if (body.action !== 'merge') {
      const row = await lockCase(tx, caseId);
      if (!row || !(await canSee(tx, caller, row))) throw caseNotFound(caseId);
      return { row };
    }
    const target = body.intoReference ? await findCaseByReference(tx, body.intoReference) : await findCase(tx, body.intoCaseId!);
    const field = body.intoReference ? 'intoReference' : 'intoCaseId';
    const locked = await lockCasePair(tx, caseId, target?.id ?? caseId);
    const row = locked.get(caseId);
    if (!row || !(await canSee(tx, caller, row))) throw caseNotFound(caseId);
    const into = target ? locked.get(target.id) : undefined;
    if (!into || into.id === row.id || !(await canSee(tx, caller, into))) {
      throw new BadRequest(`${field}: 目标案件不存在或不可见 / no case '${body.intoReference ?? body.intoCaseId}' to merge into`);
    }
    if (isFinal(into.state as CaseState)) {
      throw new NotAllowed(`${field}: 目标案件已终结 / case ${into.reference} is final (${into.state}): merge into an open case`);
    }
    return { row, mergeTarget: into };
  }

  /**
   * A deadline job woke up. Re-reads everything under the case lock: a stale revision or a clock
   * that is no longer pending does nothing; an early wake-up says when to come back. A clock past
   * its due time is missed — a fact, not a rule; the chart decides what a miss leads to.
   */
  async function fireDeadline(deadlineId: string, rev: number, kind: 'warn' | 'due'): Promise<{ retryAt?: Date }> {
    return commit(async (tx, scope) => {
      const caseId = await caseOfDeadline(tx, deadlineId);
      if (!caseId) return {};
      const row = await lockCase(tx, caseId);
      const deadline = await lockDeadline(tx, deadlineId);
      if (!row || !deadline || deadline.status !== 'pending' || deadline.rev !== rev) return {};
      const at = now();
      if (kind === 'warn' && deadline.warnedAt) return {};
      const time = kind === 'warn' ? deadline.warnAt : deadline.dueAt;
      if (at < time) return { retryAt: time };
      if (kind === 'warn') await markWarned(tx, deadline.id, at);
      else await tx`update deadlines set status = 'missed', closed_at = ${at} where id = ${deadline.id}`;
      const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
      const step = deadline.step as DeadlineStep;
      const event: CaseEvent = { type: kind === 'warn' ? 'deadline_warning' : 'deadline_missed', step, orgId: deadline.orgId };
      await applyTransition(tx, scope, row, snapshot, event, SYSTEM_CLOCK, { at, extra: { dueAt: deadline.dueAt.toISOString() } });
      return {};
    });
  }

  /** The one path every transition takes, a user's or the clock's. */
  async function applyTransition(
    tx: Tx, scope: TransitionScope, row: CaseRow, snapshot: CaseSnapshot, event: CaseEvent, actor: EventActor,
    { at = now(), mergeTarget, extra = {} }: { at?: Date; mergeTarget?: CaseRow; extra?: Record<string, unknown> } = {},
  ): Promise<CaseRow> {
    const { next, effects } = decide(snapshot, event);
    const toState = stateOf(next);
    const run = newRun(tx, scope, row, snapshot.context, event, actor, at, toState, mergeTarget);
    run.changes = {
      state: toState, level: next.context.level, supervised: next.context.supervised, outcome: next.context.outcome,
      snapshot: next.context, machineVersion: CASE_MACHINE_VERSION,
    };
    await executeEffects(run, effects);
    if (isFinal(toState)) Object.assign(run.changes, { closedAt: at, dueAt: null, overdue: false });
    const head = await appendEvent(tx, { seq: row.eventSeq, hash: row.eventHash }, {
      caseId: row.id, action: event.type as RecordedAction, fromState: row.state, toState, level: next.context.level,
      holderOrgId: run.holderOrgId, actor, at, data: { ...eventFields(event), ...extra, ...run.record.data } as EventData,
      step: 'step' in event ? event.step : null, rating: run.record.rating, solved: run.record.solved,
      resolvedByOrgId: run.record.resolvedByOrgId, reasonCode: run.record.reasonCode, toOrgId: run.record.toOrgId,
    });
    // A warning changes nothing a caller acts on: it does not make their If-Match stale.
    const version = event.type === 'deadline_warning' ? row.version : row.version + 1;
    return updateCase(tx, row.id, { ...run.changes, version, eventSeq: head.seq, eventHash: head.hash, updatedAt: at });
  }

  function newRun(
    tx: Tx, scope: TransitionScope, row: CaseRow, before: CaseContext, event: TransitionRun['event'], actor: EventActor, at: Date,
    toState: CaseState, mergeTarget?: CaseRow,
  ): TransitionRun {
    return {
      tx, row, before, event, actor, at, toState, scope, calendar: deps.calendar(), holderOrgId: row.holderOrgId,
      changes: {}, record: { data: {} }, mergeTarget,
    };
  }

  /** Turns the request body into the machine's event, resolving and checking the units it names. */
  async function userEvent(tx: Tx, scope: TransitionScope, row: CaseRow, caller: Caller, body: ActionBody, mergeTarget?: CaseRow): Promise<UserEvent> {
    const role = caller.role;
    switch (body.action) {
      case 'forward':
        if (body.toOrgId) await checkL2Target(tx, scope, row, body.toOrgId);
        return { ...body, type: 'forward', role };
      case 'reclassify':
        return { type: 'reclassify', role, reason: body.reason, ...(await classificationChanges(tx, row, body)) };
      case 'add_cohandler':
        await checkCohandlers(tx, row, body.orgIds);
        return { ...body, type: 'add_cohandler', role };
      case 'contribute':
        return { ...body, type: 'contribute', role, orgId: caller.orgId ?? '' };
      case 'transfer':
        await checkTransferTarget(tx, scope, row, body.toOrgId);
        return { ...body, type: 'transfer', role };
      case 'hand_off':
        if (body.toOrgId) await orgOfType(tx, body.toOrgId, ['department'], 'toOrgId');
        return { ...body, type: 'hand_off', role };
      case 'assign_lead': {
        const lead = await orgOfType(tx, body.leadOrgId, ['branch', 'platform', 'territorial', 'department'], 'leadOrgId');
        if (body.meetingId) await checkOnAgenda(tx, body.meetingId, row);
        // A street office leads at L2, as a platform committee does.
        return { ...body, type: 'assign_lead', role, leadLevel: (lead.type === 'territorial' ? 'platform' : lead.type) as Level };
      }
      case 'supervise':
        checkSupervisionLength(scope, row, body.amount, body.unit);
        return { ...body, type: 'supervise', role };
      case 'request_extension':
        return { ...body, type: 'request_extension', role, step: await runningStep(tx, row), approverOrgId: extensionApprover(scope, row) };
      case 'merge':
        return { type: 'merge', role, intoCaseId: mergeTarget!.id };
      default:
        return { ...body, type: body.action, role } as UserEvent;
    }
  }

  /** Another unit at the case's level: an L2 unit it may go to, or a department. */
  async function checkTransferTarget(tx: Tx, scope: TransitionScope, row: CaseRow, toOrgId: string) {
    if (toOrgId === row.holderOrgId) throw new BadRequest('toOrgId: 不能转给自己 / a case is transferred to another unit, not to its holder');
    if (row.level === 'platform') await checkL2Target(tx, scope, row, toOrgId);
    else await orgOfType(tx, toOrgId, ['department'], 'toOrgId');
  }

  /** The L2 unit a forward or transfer names: any street office for a territorial case (no platform), else a committee it may go to. */
  async function checkL2Target(tx: Tx, scope: TransitionScope, row: CaseRow, orgId: string) {
    if (row.platform === null) await orgOfType(tx, orgId, ['territorial'], 'toOrgId');
    else await checkPlatformTarget(tx, scope, row, orgId, 'toOrgId');
  }

  /**
   * A platform committee a case may go to: one named by the worker's platforms or the case's, or
   * the routing rules' pick — never a competitor the grievance has nothing to do with.
   */
  async function checkPlatformTarget(tx: Tx, scope: TransitionScope, row: CaseRow, orgId: string, field: string) {
    const org = await orgOfType(tx, orgId, ['platform'], field);
    const allowed = new Set([row.platform, ...row.workerPlatforms]);
    if ((org.platform && allowed.has(org.platform)) || pickRoute(scope.rules, 'forward', row) === org.id) return;
    throw new NotAllowed(`${field}: 只能转给本案涉及的平台（${[...allowed].join('、')}）/ a case goes only to the committee of a platform it names (${[...allowed].join(', ')}) or the one the routing rules pick, not '${org.name}'`);
  }

  function checkSupervisionLength(scope: TransitionScope, row: CaseRow, amount: number, unit: TimeUnit) {
    const min = policyFor(scope.policies, 'supervision_min', row.category, row.urgency);
    const calendar = deps.calendar();
    const at = now();
    if (calendar.addDuration(at, amount, unit) < calendar.addDuration(at, min.amount, min.unit)) {
      throw new NotAllowed(`amount: 督办期限不能短于 ${min.amount} ${min.unit} / a supervision order's deadline may not be shorter than ${min.amount} ${min.unit} (policy supervision_min)`);
    }
  }

  /** One level up from the holder: platform committee for a branch, department for a platform, any convener above. */
  function extensionApprover(scope: TransitionScope, row: CaseRow): string | null {
    if (row.level === 'branch') return row.platformOrgId ?? pickRoute(scope.rules, 'forward', row);
    if (row.level === 'platform') return row.supervisingOrgId ?? row.departmentOrgId ?? pickRoute(scope.rules, 'hand_off', row);
    return null;
  }

  function allowedActions(caller: Caller, row: CaseRow): UserAction[] {
    if (caller.role === 'admin') return [];
    const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
    return actionsIn(row.state as CaseState).filter((action) => {
      const probe = { type: action, role: caller.role, rating: 'satisfied', leadLevel: 'platform', orgId: caller.orgId } as unknown as CaseEvent;
      return snapshot.can(probe) && relationRefusal(action, caller, row, snapshot) === null;
    });
  }

  async function visibleCase(tx: Tx, caller: Caller, caseId: string): Promise<CaseRow> {
    if (caller.role === 'admin') throw new Forbidden('管理员只做配置 / admins configure; they do not read cases');
    const row = await findCase(tx, caseId);
    if (!row || !(await canSee(tx, caller, row))) throw caseNotFound(caseId);
    return row;
  }

  return { register, read, act, workerFeedback, fireDeadline, visibleCase, allowedActions };
}

export type CaseEngine = ReturnType<typeof createCaseEngine>;

/** The category whose cases carry the algorithm's decision and need a human review (TAXONOMY.md). */
const ALGORITHM_CATEGORY = 'ALG';

/**
 * A registration names live catalogue codes; a territorial category has no platform and must reach
 * a street office (a rule or an office covering its area); any other category names a platform
 * with a committee; `algorithm` comes with ALG cases and only with them.
 */
async function checkRegistration(tx: Tx, scope: TransitionScope, input: RegisterInput) {
  const category = await checkClassification(tx, input.category, input.subcategory);
  const isAlgorithm = input.category === ALGORITHM_CATEGORY;
  if (isAlgorithm && !input.algorithm) throw new BadRequest('algorithm: 算法类诉求须填写订单号、规则版本和决定时间 / an ALG case needs algorithm {orderId, ruleVersion, decidedAt}');
  if (!isAlgorithm && input.algorithm) throw new BadRequest(`algorithm: 只有算法类（ALG）诉求填写 / algorithm is only for ALG cases, not ${input.category}`);
  if (category.territorial) {
    if (input.platform) throw new BadRequest(`platform: 属地类别 ${input.category} 由街道办理，不填平台 / a territorial category (${input.category}) goes to the street office: leave platform out`);
    const subject = { platform: null, workerType: input.worker.workerType, category: input.category, area: input.area ?? null };
    if (!(await pickStreetOffice(tx, scope.rules, subject))) {
      throw new BadRequest(input.area
        ? `area: 没有街道/镇负责区域 '${input.area}' / no street office covers area '${input.area}' and no routing rule matches`
        : `area: 属地类别须填写区域 / a territorial category (${input.category}) needs area to pick the street office`);
    }
    return;
  }
  if (!input.platform) throw new BadRequest('platform: 请填写涉及平台 / platform is required (it is optional only for territorial categories)');
  if (!(await platformCommittee(tx, input.platform))) {
    throw new BadRequest(`platform: 平台 '${input.platform}' 没有平台党委 / '${input.platform}' is not the platform of any platform committee`);
  }
}

/** The row of a case just registered at the caller's branch; an anonymous worker's contact is not kept. */
function newCaseRow(input: RegisterInput, caller: Caller, context: CaseContext, at: Date, reference: string, receiptCodeHash: string): NewCaseRow {
  const anonymous = input.worker.anonymous ?? false;
  return {
    reference, state: 'registered', level: 'branch', holderOrgId: caller.orgId!, branchOrgId: caller.orgId!,
    category: input.category, subcategory: input.subcategory ?? null, requestType: input.requestType ?? null,
    platform: input.platform ?? null, area: input.area ?? null, urgency: input.urgency, algorithm: input.algorithm ?? null,
    channel: input.channel, workerType: input.worker.workerType, workerPlatforms: input.worker.platforms,
    workerName: anonymous ? null : input.worker.name ?? null, workerPhone: anonymous ? null : input.worker.phone ?? null,
    anonymous, description: input.description, occurredAt: input.occurredAt ? new Date(input.occurredAt) : null,
    machineVersion: CASE_MACHINE_VERSION, snapshot: context, createdBy: caller.userId!, createdAt: at, updatedAt: at, receiptCodeHash,
  };
}

/** The register event's data: the classification, and the contact only as digests. */
function registrationData(row: CaseRow): EventData<'register'> {
  return {
    reference: row.reference, category: row.category, platform: row.platform, urgency: row.urgency, channel: row.channel, anonymous: row.anonymous,
    ...(row.subcategory ? { subcategory: row.subcategory } : {}), ...(row.requestType ? { requestType: row.requestType } : {}),
    ...(row.algorithm ? { algorithm: row.algorithm } : {}),
    ...(row.workerName ? { workerNameDigest: personalDigest(row.id, row.workerName) } : {}),
    ...(row.workerPhone ? { workerPhoneDigest: personalDigest(row.id, row.workerPhone) } : {}),
  };
}

/** The holder's clock an extension would move: the latest one running at the case's level. */
async function runningStep(tx: Tx, row: CaseRow): Promise<DeadlineStep> {
  const [open] = await tx<{ step: DeadlineStep }[]>`select step from deadlines where case_id = ${row.id}
    and step = any(${WORKING_CLOCKS[row.level as Level]}) and status = 'pending' order by started_at desc limit 1`;
  if (!open) throw new NotAllowed('没有正在计时的期限可以延期 / no running deadline to extend');
  return open.step;
}

type ReclassifyBody = Extract<ActionBody, { action: 'reclassify' }>;

/**
 * The fields a reclassification really changes (at least one), checked against the catalogue. A
 * sub-item belongs to its category: a new category keeps only a sub-item of its own. A case does not
 * move into or out of ALG (its algorithm fields come with its registration).
 */
async function classificationChanges(tx: Tx, row: CaseRow, body: ReclassifyBody): Promise<Record<string, string | null>> {
  const changes: Record<string, string | null> = {};
  for (const field of ['category', 'urgency', 'workerType', 'requestType'] as const) {
    if (body[field] !== undefined && body[field] !== row[field]) changes[field] = body[field];
  }
  const category = body.category ?? row.category;
  const subcategory = body.subcategory ?? (row.subcategory?.startsWith(category) ? row.subcategory : null);
  if (subcategory !== row.subcategory) changes.subcategory = subcategory;
  if (Object.keys(changes).length === 0) {
    throw new BadRequest('category: 请至少更正一项（category、subcategory、urgency、workerType、requestType）/ a reclassification changes at least one of category, subcategory, urgency, workerType, requestType');
  }
  if (changes.category && (category === ALGORITHM_CATEGORY) !== (row.category === ALGORITHM_CATEGORY)) {
    throw new BadRequest('category: 算法类（ALG）与其他类别之间不能互改 / a case is not reclassified into or out of ALG (its algorithm fields come with its registration)');
  }
  if (changes.category || changes.subcategory) await checkClassification(tx, category, subcategory);
  return changes;
}

/** Co-handlers are active departments other than the holder, neither still to answer nor having answered. */
async function checkCohandlers(tx: Tx, row: CaseRow, orgIds: string[]) {
  const context = row.snapshot as CaseContext;
  for (const [i, orgId] of orgIds.entries()) {
    const field = `body.orgIds.${i}`;
    await orgOfType(tx, orgId, ['department'], field);
    if (orgId === row.holderOrgId) throw new BadRequest(`${field}: 牵头部门不能会办自己的案件 / the lead department does not co-handle its own case`);
    if (context.cohandlers?.[orgId] === 'waiting') throw new BadRequest(`${field}: 该部门已在会办 / this department is already co-handling the case`);
    if (context.cohandlers?.[orgId] === 'done') throw new BadRequest(`${field}: 该部门已提交会办意见 / this department has given its opinion already`);
  }
}

async function cohandlersOf(tx: Tx, caseId: string): Promise<CohandlerView[]> {
  return tx<CohandlerView[]>`select h.org_id, o.name as org_name, h.due_at, h.contributed_at, h.opinion, h.reason, h.added_at
    from case_cohandlers h join orgs o on o.id = h.org_id where h.case_id = ${caseId} order by h.added_at, o.name`;
}

async function orgNames(tx: Tx, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await tx<{ id: string; name: string }[]>`select id, name from orgs where id = any(${ids})`;
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

async function checkOnAgenda(tx: Tx, meetingId: string, row: CaseRow) {
  const [item] = await tx`select 1 from meeting_items where meeting_id = ${meetingId} and case_id = ${row.id}`;
  if (!item) throw new NotAllowed(`meetingId: 本案不在该协调会议程中 / case ${row.reference} is not on the agenda of meeting '${meetingId}'`);
}

/** What the event itself says, for the record: the caller's words and numbers, never their role. */
function eventFields(event: CaseEvent): Record<string, unknown> {
  const { type: _type, ...fields } = event as CaseEvent & { role?: unknown; action?: unknown };
  delete fields.role;
  delete fields.action;
  if (event.type === 'deadline_warning' || event.type === 'deadline_missed') delete (fields as { orgId?: string }).orgId;
  return fields;
}

/** Scope: the units named on the case row are participants; only others need the participants table. */
async function canSee(tx: Tx, caller: Caller, row: CaseRow): Promise<boolean> {
  const named = [row.holderOrgId, row.branchOrgId, row.platformOrgId, row.departmentOrgId, row.supervisingOrgId];
  return caller.role === 'convener' || (caller.orgId !== null && named.includes(caller.orgId)) || inScope(tx, caller, row.id);
}

/** A second feedback on one resolution, the liaison's or the worker's: the first one closed the step. */
function feedbackAlreadyRecorded(row: CaseRow) {
  const refusal = new NotAllowed(`本次办结的评价已记录（${row.outcome ?? row.state}）/ feedback on this resolution is already recorded (outcome: ${row.outcome ?? row.state}); the first feedback, the liaison's or the worker's, closed the step`);
  refusal.code = 'feedback_already_recorded';
  return refusal;
}

function caseNotFound(id: string) {
  return new NotFound(`案件不存在 / no case '${id}'`);
}

/** Why this caller's unit may not send the action to this case (its role already passed), or null. */
function relationRefusal(action: UserAction, caller: Caller, row: CaseRow, snapshot: CaseSnapshot): string | null {
  const relation = ACTION_ACTORS[action];
  const ok = {
    holder: caller.orgId === row.holderOrgId,
    branch: caller.orgId === row.branchOrgId,
    approver: snapshot.context.pendingExtension?.approverOrgId
      ? caller.orgId === snapshot.context.pendingExtension.approverOrgId
      : caller.role === 'convener',
    supervisor: caller.orgId === row.supervisingOrgId || (row.level === 'department' && caller.orgId === row.holderOrgId),
    convener: caller.role === 'convener',
    cohandler: caller.orgId !== null && caller.orgId in snapshot.context.cohandlers,
  }[relation];
  if (ok) return null;
  const [zh, en] = {
    holder: ['当前承办单位', 'the unit holding the case'],
    branch: ['登记该诉求的支部', 'the branch that registered the case'],
    approver: ['上一级单位', 'the level above the holder'],
    supervisor: ['督办部门', 'the supervising department'],
    convener: ['协调会召集人', 'a convener'],
    cohandler: ['会办部门', 'a co-handling department'],
  }[relation];
  return `只有${zh}可以执行 ${action} / only ${en} may '${action}'`;
}

/** A registration's fingerprint: SHA-256 of its canonical JSON (RFC 8785, as the record's hashes). */
function hashBody(body: unknown): string {
  return createHash('sha256').update(canonicalize(body)!).digest('hex');
}

/**
 * Claims the key inside the registering transaction. A concurrent request with the same key
 * blocks on the insert until the first commits, then finds its case: one case, never two. Only the
 * request's hash and the case id are kept — never the worker's name or phone.
 */
async function claimIdempotencyKey(tx: Tx, userId: string, key: string, requestHash: string): Promise<{ caseId: string; receiptCodeSealed: string | null } | null> {
  const claimed = await tx`insert into idempotency_keys (user_id, key, request_hash) values (${userId}, ${key}, ${requestHash})
    on conflict do nothing returning key`;
  if (claimed.length > 0) return null;
  const [existing] = await tx<{ requestHash: string; caseId: string | null; receiptCodeSealed: string | null }[]>`
    select request_hash, case_id, receipt_code_sealed from idempotency_keys where user_id = ${userId} and key = ${key}`;
  if (existing.requestHash !== requestHash || !existing.caseId) {
    throw new NotAllowed('Idempotency-Key: 同一幂等键对应了不同的请求内容 / this key was used with a different body');
  }
  return { caseId: existing.caseId, receiptCodeSealed: existing.receiptCodeSealed };
}
