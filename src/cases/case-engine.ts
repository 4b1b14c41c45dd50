/**
 * The case engine: registers grievances and applies every transition — a user's action or a
 * deadline's expiry — the same way, in one transaction: lock the case row, check the version,
 * run the pure statechart, write snapshot + version + event + deadline rows + outbox, commit;
 * then wake the deadline scheduler. No HTTP in here.
 */
import { createHash } from 'node:crypto';
import { transition } from 'xstate';
import { inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';
import { addParticipant, inScope, type Caller } from '../access/callers.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import {
  caseOfDeadline, closeDeadline, closeOpenDeadlines, deadlinesOf, planClock, type ClockPlan, extendDeadline, lockDeadline, markWarned, openDeadline, pauseDeadline,
  resumeDeadline, startDeadline, type Wakeup,
} from '../deadlines/deadline-store.js';
import { policyFor, type SlaPolicy } from '../deadlines/sla-policies.js';
import type { Cached } from '../cached.js';
import { BadRequest, Forbidden, NotAllowed, NotFound, StaleVersion } from '../errors.js';
import { notify, type Notification } from '../notifications/outbox.js';
import { LEVEL_ORG_TYPE, orgOfType, platformCommittee } from '../orgs/org-store.js';
import { pickRoute, route, type RoutingRule } from '../routing/routing-rules.js';
import {
  appendEvent, findCase, insertCase, lockCase, nextReference, recordPersonalDataRead, updateCase,
  type CaseRow, type EventActor,
} from './case-store.js';
import { caseView, seesPersonalData, type CaseView } from './case-view.js';
import type { ActionBody, RegisterInput } from './case-types.js';
import {
  ACTION_ACTORS, CASE_MACHINE_VERSION, FINAL_STATES, actionsIn, caseMachine, clockOf, restoreCase, startCase,
  whyRefused, type CaseContext, type CaseEvent, type CaseSnapshot, type CaseState, type DeadlineStep, type Level, type TimeUnit,
  type UserAction,
} from '../../workflows/case-machine.js';

export interface CaseEngineDeps {
  sql: Sql;
  routingRules: Cached<RoutingRule[]>;
  slaPolicies: Cached<SlaPolicy[]>;
  calendar: () => WorkingCalendar;
  /** After commit: make sure the scheduler wakes up for these deadline revisions. */
  wake: (wakeups: Wakeup[]) => Promise<void>;
  /** After commit: deliver what the transition wrote to the outbox. */
  deliver: () => void;
  now?: () => Date;
}

/** Actions that start the clock again even when the state name stays the same. */
const RESTARTS_CLOCK = new Set(['transfer', 'supervise', 'assign_lead']);
const SYSTEM_CLOCK: EventActor = { system: 'deadline-clock' };

/** What one transition reads before its transaction and leaves for after the commit. */
interface TransitionScope { rules: RoutingRule[]; policies: SlaPolicy[]; wakeups: Wakeup[]; notes: Notification[] }

export function createCaseEngine(deps: CaseEngineDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * Runs `work` in one transaction, then the after-commit side effects. Configuration is read
   * before the transaction opens: a transaction must never wait for a second pooled connection.
   */
  async function commit<T>(work: (tx: Tx, scope: TransitionScope) => Promise<T>): Promise<T> {
    const scope: TransitionScope = {
      rules: await deps.routingRules.get(), policies: await deps.slaPolicies.get(), wakeups: [], notes: [],
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
    return caseView(row, await deadlinesOf(tx, row.id), allowedActions(caller, row), unmasked);
  }

  async function register(caller: Caller, input: RegisterInput, idempotencyKey?: string): Promise<CaseView> {
    if (caller.role !== 'liaison' || !caller.orgId) throw new Forbidden('只有支部联络员可以登记诉求 / only a liaison registers grievances');
    return commit(async (tx, scope) => {
      const requestHash = hashBody(input);
      if (idempotencyKey) {
        const replay = await claimIdempotencyKey(tx, caller.userId!, idempotencyKey, requestHash);
        if (replay) return replay as CaseView;
      }
      const [category] = await tx`select code from categories where code = ${input.category}`;
      if (!category) throw new BadRequest(`category: 诉求类别 '${input.category}' 不在目录中 / '${input.category}' is not a catalogue code`);
      if (!(await platformCommittee(tx, input.platform))) {
        throw new BadRequest(`platform: 平台 '${input.platform}' 没有平台党委 / '${input.platform}' is not the platform of any platform committee`);
      }
      const at = now();
      const snapshot = startCase();
      const anonymous = input.worker.anonymous ?? false;
      const clock = planFor(scope, 'registered', snapshot.context, { branchOrgId: caller.orgId!, ...input }, caller.orgId!, at)!;
      const row = await insertCase(tx, {
        reference: await nextReference(tx, at),
        state: 'registered', level: 'branch', holderOrgId: caller.orgId!, branchOrgId: caller.orgId!,
        category: input.category, platform: input.platform, area: input.area ?? null, urgency: input.urgency,
        channel: input.channel, workerType: input.worker.workerType, workerPlatforms: input.worker.platforms,
        workerName: anonymous ? null : input.worker.name ?? null, workerPhone: anonymous ? null : input.worker.phone ?? null,
        anonymous, description: input.description, occurredAt: input.occurredAt ? new Date(input.occurredAt) : null,
        machineVersion: CASE_MACHINE_VERSION, snapshot: persisted(snapshot), createdBy: caller.userId!, createdAt: at, updatedAt: at,
        dueAt: clock.dueAt,
      });
      await addParticipant(tx, row.id, caller.orgId!);
      await appendEvent(tx, {
        caseId: row.id, action: 'register', fromState: null, toState: 'registered', level: 'branch', holderOrgId: caller.orgId!,
        actor: { userId: caller.userId, orgId: caller.orgId }, at,
        data: { reference: row.reference, category: row.category, platform: row.platform, urgency: row.urgency, channel: row.channel, anonymous },
      });
      scope.wakeups.push(await startDeadline(tx, row.id, clock));
      const answer = await view(tx, caller, row);
      if (idempotencyKey) {
        await tx`update idempotency_keys set response_status = 201, response_body = ${jsonb(tx, answer)}
          where user_id = ${caller.userId} and key = ${idempotencyKey}`;
      }
      return answer;
    });
  }

  async function read(caller: Caller, caseId: string): Promise<CaseView> {
    return inTransaction(deps.sql, async (tx) => view(tx, caller, await visibleCase(tx, caller, caseId)));
  }

  async function act(caller: Caller, caseId: string, ifMatch: number, body: ActionBody): Promise<CaseView> {
    if (caller.role === 'admin') throw new Forbidden('管理员只做配置 / admins configure; they do not act on cases');
    return commit(async (tx, scope) => {
      const row = await lockCase(tx, caseId);
      if (!row || !(await canSee(tx, caller, row))) throw caseNotFound(caseId);
      if (row.version !== ifMatch) throw new StaleVersion(row.version, ifMatch);
      const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
      const event = await userEvent(tx, row, caller, body);
      const refusal = whyRefused(snapshot, event);
      if (refusal) throw new NotAllowed(refusal);
      const relation = relationRefusal(body.action, caller, row, snapshot);
      if (relation) throw new NotAllowed(relation);
      const updated = await applyTransition(tx, row, snapshot, event, { userId: caller.userId, orgId: caller.orgId }, body, scope);
      if (body.action === 'merge') await noteMergeOnTarget(tx, caller, row, body.intoCaseId);
      return view(tx, caller, updated);
    });
  }

  /**
   * A deadline job woke up. Re-reads everything under the case lock: a stale revision or a clock
   * that is no longer pending does nothing; an early wake-up says when to come back.
   */
  async function fireDeadline(deadlineId: string, rev: number, kind: 'warn' | 'due'): Promise<{ retryAt?: Date }> {
    return commit(async (tx, scope) => {
      const caseId = await caseOfDeadline(tx, deadlineId);
      if (!caseId) return {};
      const row = await lockCase(tx, caseId);
      const deadline = await lockDeadline(tx, deadlineId);
      if (!row || !deadline || deadline.status !== 'pending' || deadline.rev !== rev) return {};
      const at = now();
      if (kind === 'warn') {
        if (deadline.warnedAt) return {};
        if (at < deadline.warnAt) return { retryAt: deadline.warnAt };
        await markWarned(tx, deadline.id, at);
        await appendEvent(tx, {
          caseId: row.id, action: 'deadline_warning', fromState: row.state, toState: row.state, level: row.level,
          holderOrgId: row.holderOrgId, actor: SYSTEM_CLOCK, at, data: { step: deadline.step, dueAt: deadline.dueAt.toISOString() },
        });
        scope.notes.push({ orgId: deadline.orgId, caseId: row.id, kind: 'deadline_warning', payload: { reference: row.reference, step: deadline.step, dueAt: deadline.dueAt.toISOString() } });
        return {};
      }
      if (at < deadline.dueAt) return { retryAt: deadline.dueAt };
      await closeDeadline(tx, deadline.id, 'missed', at);
      const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
      await applyTransition(tx, row, snapshot, { type: 'deadline_missed', step: deadline.step as DeadlineStep }, SYSTEM_CLOCK,
        { action: 'deadline_missed', step: deadline.step, dueAt: deadline.dueAt.toISOString() }, scope);
      return {};
    });
  }

  /** Turns the request body into the machine's event, resolving what the guards need. */
  async function userEvent(tx: Tx, row: CaseRow, caller: Caller, body: ActionBody): Promise<CaseEvent & { role: Caller['role'] }> {
    const role = caller.role;
    switch (body.action) {
      case 'assign_lead': {
        const lead = await orgOfType(tx, body.leadOrgId, ['branch', 'platform', 'department'], 'leadOrgId');
        return { type: 'assign_lead', role, leadLevel: lead.type as Level, amount: body.amount, unit: body.unit, decision: body.decision };
      }
      case 'request_extension': {
        const open = await openDeadline(tx, row.id);
        if (!open || open.status !== 'pending') throw new NotAllowed('没有正在计时的期限可以延期 / no running deadline to extend');
        return { type: 'request_extension', role, step: open.step as DeadlineStep, amount: body.amount, unit: body.unit, reason: body.reason, approverOrgId: null };
      }
      default:
        return { ...body, type: body.action, role } as CaseEvent & { role: Caller['role'] };
    }
  }

  /** The one path every transition takes, a user's or the clock's. */
  async function applyTransition(
    tx: Tx, row: CaseRow, snapshot: CaseSnapshot, event: CaseEvent, actor: EventActor,
    body: { action: string } & Record<string, unknown>, scope: TransitionScope,
  ): Promise<CaseRow> {
    const at = now();
    if (event.type === 'request_extension') event = { ...event, approverOrgId: extensionApprover(row, scope) };
    const [next] = transition(caseMachine, snapshot, event);
    const fromState = row.state as CaseState;
    const toState = next.value as CaseState;
    const holders = await holdersAfter(tx, scope, row, body, next.context.level, actor);
    const changes: Parameters<typeof updateCase>[2] = {
      state: toState, level: next.context.level, ...holders, supervised: next.context.supervised,
      onMeetingAgenda: next.context.onMeetingAgenda, snapshot: persisted(next), machineVersion: CASE_MACHINE_VERSION,
      version: row.version + 1, outcome: next.context.outcome,
    };
    if (body.action === 'resolve') changes.resolution = String(body.resolution);
    if (body.action === 'merge') changes.mergedInto = String(body.intoCaseId);
    if (FINAL_STATES.includes(toState)) changes.closedAt = at;
    const holderOrgId = holders.holderOrgId ?? row.holderOrgId;

    // The clock.
    const deadlineData: Record<string, unknown> = {};
    let clock: ClockPlan | null = null;
    if (event.type === 'deadline_missed') {
      changes.overdue = !FINAL_STATES.includes(toState);
      if (FINAL_STATES.includes(toState)) changes.dueAt = null;
      if (next.context.supervised && !row.supervisingOrgId && row.level !== 'department') {
        changes.supervisingOrgId = pickRoute(scope.rules, 'hand_off', row);
        if (!changes.supervisingOrgId) deadlineData.escalation = '没有匹配的主管部门路由规则 / no hand_off routing rule matched: nobody supervises yet';
      }
    } else if (event.type === 'request_info') {
      const open = await openDeadline(tx, row.id);
      if (open?.status === 'pending') await pauseDeadline(tx, open.id, at);
      changes.dueAt = null;
    } else if (event.type === 'resume') {
      const open = await openDeadline(tx, row.id);
      if (open?.status === 'paused') {
        const resumed = await resumeDeadline(tx, deps.calendar(), open, at);
        scope.wakeups.push(resumed);
        changes.dueAt = resumed.dueAt;
      }
    } else if (event.type === 'approve_extension') {
      const open = await openDeadline(tx, row.id);
      const ext = snapshot.context.pendingExtension!;
      if (open?.status === 'pending') {
        const moved = await extendDeadline(tx, deps.calendar(), open, ext.amount, ext.unit);
        scope.wakeups.push(moved);
        changes.dueAt = moved.dueAt;
        deadlineData.dueAt = moved.dueAt.toISOString();
      }
    } else if (toState !== fromState || RESTARTS_CLOCK.has(event.type)) {
      await closeOpenDeadlines(tx, row.id, event.type === 'withdraw' || event.type === 'merge' ? 'cancelled' : 'met', at);
      changes.overdue = false;
      const override = 'amount' in event && 'unit' in event && event.type !== 'request_extension'
        ? { amount: event.amount, unit: event.unit } : undefined;
      clock = planFor(scope, toState, next.context, row, holderOrgId, at, override);
      changes.dueAt = clock?.dueAt ?? null;
      if (clock) deadlineData.deadline = { step: clock.step, dueAt: clock.dueAt.toISOString() };
    }

    const updated = await updateCase(tx, row.id, changes);
    if (clock) scope.wakeups.push(await startDeadline(tx, row.id, clock));
    const participants = [row.holderOrgId, row.branchOrgId, row.platformOrgId, row.departmentOrgId, row.supervisingOrgId];
    for (const orgId of new Set([holderOrgId, updated.supervisingOrgId, next.context.pendingExtension?.approverOrgId])) {
      if (orgId && !participants.includes(orgId)) await addParticipant(tx, row.id, orgId);
    }
    const { action: _action, ...fields } = body;
    // Feedback is counted for the unit that resolved the case (the holder until now).
    if (body.action === 'feedback') deadlineData.resolvedByOrgId = row.holderOrgId;
    await appendEvent(tx, {
      caseId: row.id, action: body.action, fromState, toState, level: next.context.level, holderOrgId, actor, at,
      data: { ...fields, ...deadlineData, ...(holderOrgId !== row.holderOrgId ? { fromOrgId: row.holderOrgId, toOrgId: holderOrgId } : {}) },
    });
    scope.notes.push(...notificationsFor(row, updated, body.action));
    return updated;
  }

  /** The clock `state` starts (if it has one that runs), from SLA policy or a given duration. */
  function planFor(
    scope: TransitionScope, state: CaseState, context: CaseContext,
    c: { branchOrgId: string; category: string; urgency: string }, holderOrgId: string, at: Date,
    override?: { amount: number; unit: TimeUnit },
  ): ClockPlan | null {
    const { clock, paused } = clockOf(state);
    if (!clock || paused) return null;
    const { amount, unit } = override ?? policyFor(scope.policies, clock, c.category, c.urgency);
    const orgId = clock === 'feedback' ? c.branchOrgId : holderOrgId;
    return planClock(deps.calendar(), { step: clock, level: context.level, orgId, at, amount, unit });
  }

  /** Who holds the case after the action, and which unit it keeps at each level. */
  async function holdersAfter(
    tx: Tx, scope: TransitionScope, row: CaseRow, body: Record<string, unknown> & { action: string }, level: Level, actor: EventActor,
  ) {
    const toOrgId = typeof body.toOrgId === 'string' ? body.toOrgId : undefined;
    switch (body.action) {
      case 'forward': {
        const org = toOrgId ? (await orgOfType(tx, toOrgId, ['platform'], 'toOrgId')).id : orgAtLevel(row, 'platform', scope);
        return { holderOrgId: org, platformOrgId: org };
      }
      case 'hand_off': {
        const org = toOrgId ? (await orgOfType(tx, toOrgId, ['department'], 'toOrgId')).id : orgAtLevel(row, 'department', scope);
        return { holderOrgId: org, departmentOrgId: org };
      }
      case 'transfer': {
        const org = await orgOfType(tx, toOrgId!, [LEVEL_ORG_TYPE[row.level as Level]], 'toOrgId');
        if (org.id === row.holderOrgId) throw new BadRequest('toOrgId: 不能转给自己 / a case is transferred to another unit, not to its holder');
        return { holderOrgId: org.id, ...(org.type === 'platform' ? { platformOrgId: org.id } : { departmentOrgId: org.id }) };
      }
      case 'assign_lead': {
        const org = String(body.leadOrgId);
        return { holderOrgId: org, ...(level === 'platform' ? { platformOrgId: org } : level === 'department' ? { departmentOrgId: org } : {}) };
      }
      case 'supervise': {
        const org = orgAtLevel(row, 'platform', scope);
        return { holderOrgId: org, platformOrgId: org, supervisingOrgId: actor.orgId ?? row.supervisingOrgId };
      }
      default: {
        if (level === row.level) return {};
        const org = orgAtLevel(row, level, scope);
        return { holderOrgId: org, ...(level === 'platform' ? { platformOrgId: org } : level === 'department' ? { departmentOrgId: org } : {}) };
      }
    }
  }

  /** The unit the case goes to at a level: the one it had there, else the routing rules' pick. */
  function orgAtLevel(row: CaseRow, level: Level, scope: TransitionScope): string {
    if (level === 'branch') return row.branchOrgId;
    if (level === 'platform') return row.platformOrgId ?? route(scope.rules, 'forward', row);
    return row.departmentOrgId ?? row.supervisingOrgId ?? route(scope.rules, 'hand_off', row);
  }

  /** One level up from the holder: platform committee for a branch, department for a platform, any convener above. */
  function extensionApprover(row: CaseRow, scope: TransitionScope): string | null {
    if (row.level === 'branch') return orgAtLevel(row, 'platform', scope);
    if (row.level === 'platform') return row.supervisingOrgId ?? orgAtLevel(row, 'department', scope);
    return null;
  }

  async function noteMergeOnTarget(tx: Tx, caller: Caller, source: CaseRow, targetId: string) {
    const target = await lockCase(tx, targetId);
    if (!target || target.id === source.id || !(await canSee(tx, caller, target))) {
      throw new BadRequest(`intoCaseId: 目标案件不存在或不可见 / no case '${targetId}' to merge into`);
    }
    if (FINAL_STATES.includes(target.state as CaseState)) throw new NotAllowed(`intoCaseId: 目标案件已终结 / case ${target.reference} is final (${target.state})`);
    await appendEvent(tx, {
      caseId: target.id, action: 'merged_from', fromState: target.state, toState: target.state, level: target.level,
      holderOrgId: target.holderOrgId, actor: { userId: caller.userId, orgId: caller.orgId }, at: now(),
      data: { caseId: source.id, reference: source.reference },
    });
  }

  function allowedActions(caller: Caller, row: CaseRow): UserAction[] {
    if (caller.role === 'admin') return [];
    const snapshot = restoreCase(row.state as CaseState, row.snapshot as CaseContext);
    return actionsIn(row.state as CaseState).filter((action) => {
      const probe = { type: action, role: caller.role, rating: 'satisfied', leadLevel: 'platform' } as unknown as CaseEvent;
      return snapshot.can(probe) && relationRefusal(action, caller, row, snapshot) === null;
    });
  }

  async function visibleCase(tx: Tx, caller: Caller, caseId: string): Promise<CaseRow> {
    if (caller.role === 'admin') throw new Forbidden('管理员只做配置 / admins configure; they do not read cases');
    const row = await findCase(tx, caseId);
    if (!row || !(await canSee(tx, caller, row))) throw caseNotFound(caseId);
    return row;
  }

  return { register, read, act, fireDeadline, visibleCase, allowedActions };
}

export type CaseEngine = ReturnType<typeof createCaseEngine>;

/** Scope: the units named on the case row are participants; only others need the participants table. */
async function canSee(tx: Tx, caller: Caller, row: CaseRow): Promise<boolean> {
  const named = [row.holderOrgId, row.branchOrgId, row.platformOrgId, row.departmentOrgId, row.supervisingOrgId];
  return caller.role === 'convener' || (caller.orgId !== null && named.includes(caller.orgId)) || inScope(tx, caller, row.id);
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
  }[relation];
  if (ok) return null;
  const who = {
    holder: '当前承办单位 / the unit holding the case',
    branch: '登记该诉求的支部 / the branch that registered the case',
    approver: '上一级单位 / the level above the holder',
    supervisor: '督办部门 / the supervising department',
    convener: '协调会召集人 / a convener',
  }[relation];
  return `只有${who.split(' / ')[0]}可以执行 ${action} / only ${who.split(' / ')[1]} may '${action}'`;
}

function notificationsFor(before: CaseRow, after: CaseRow, action: string): Notification[] {
  const notes: Notification[] = [];
  const payload = { reference: after.reference, state: after.state, action };
  if (after.holderOrgId !== before.holderOrgId) notes.push({ orgId: after.holderOrgId, caseId: after.id, kind: 'case_arrived', payload });
  if (action === 'deadline_missed') {
    for (const orgId of new Set([after.holderOrgId, after.supervisingOrgId])) {
      if (orgId) notes.push({ orgId, caseId: after.id, kind: 'deadline_missed', payload });
    }
  }
  return notes;
}

function persisted(snapshot: CaseSnapshot): CaseContext {
  return snapshot.context;
}

function hashBody(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical)
      : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/**
 * Claims the key inside the registering transaction. A concurrent request with the same key
 * blocks on the insert until the first commits, then replays its answer: one case, never two.
 */
async function claimIdempotencyKey(tx: Tx, userId: string, key: string, requestHash: string): Promise<unknown | null> {
  const claimed = await tx`insert into idempotency_keys (user_id, key, request_hash) values (${userId}, ${key}, ${requestHash})
    on conflict do nothing returning key`;
  if (claimed.length > 0) return null;
  const [existing] = await tx<{ requestHash: string; responseBody: unknown }[]>`
    select request_hash, response_body from idempotency_keys where user_id = ${userId} and key = ${key}`;
  if (existing.requestHash !== requestHash) {
    throw new NotAllowed('Idempotency-Key: 同一幂等键对应了不同的请求内容 / this key was used with a different body');
  }
  return existing.responseBody;
}
