/**
 * One executor per effect the statechart returns (workflows/case-machine.ts, `CaseEffects`).
 * Each runs inside the case's transaction and writes what its name says: clocks into `deadlines`,
 * the holder and flags into the case's changes, typed fields into the event being recorded,
 * notifications into the list the engine writes to the outbox. None of them knows which event
 * caused it: the chart decided that.
 */
import type { Tx } from '../../db/client.js';
import { addParticipant } from '../access/callers.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import {
  extendDeadline, planClock, resumeDeadline, startDeadline, type DeadlineRow, type Wakeup,
} from '../deadlines/deadline-store.js';
import { maxPauseFor, policyFor, type SlaPolicy } from '../deadlines/sla-policies.js';
import type { Notification } from '../notifications/outbox.js';
import { URGENT_LEVELS } from '../notifications/who-is-told.js';
import { issueFeedbackLink } from '../worker-access/feedback-links.js';
import { pickRoute, pickStreetOffice, route, type RoutingRule } from '../routing/routing-rules.js';
import { appendEvent, type EventActor } from './case-record.js';
import type { CaseRow, NewCaseRow } from './case-store.js';
import type { CaseContext, CaseEffect, CaseEffects, CaseEvent } from '../../workflows/case-machine.js';
import type { CaseState, DeadlineStep, Level, TimeUnit } from '../../workflows/case-rules.js';

/** Clocks that run beside the holder's working clock: they never set the case's `due_at`. */
const SIDE_CLOCKS: readonly DeadlineStep[] = ['pause_limit', 'human_review', 'contribute'];

/** The classification fields a holder may correct (分类整理), by event field and case column. */
const CLASSIFICATION = ['category', 'subcategory', 'urgency', 'workerType', 'requestType'] as const;

/** Configuration read before the transaction, and what the transaction leaves for after commit. */
export interface TransitionScope {
  rules: RoutingRule[]; policies: SlaPolicy[]; wakeups: Wakeup[]; notes: Notification[];
  /** PUBLIC_URL: the origin of the worker's feedback links. */
  publicUrl: string;
}

/** One transition being executed: what it started from, and what the effects have decided so far. */
export interface TransitionRun {
  tx: Tx;
  row: CaseRow;
  before: CaseContext;
  event: CaseEvent | { type: 'register' };
  actor: EventActor;
  at: Date;
  toState: CaseState;
  scope: TransitionScope;
  calendar: WorkingCalendar;
  /** The unit holding the case now (moveHolder changes it). */
  holderOrgId: string;
  /** Case columns to write. */
  changes: Partial<NewCaseRow>;
  /** Typed additions to the event being recorded. */
  record: {
    data: Record<string, unknown>; reasonCode?: string; toOrgId?: string; resolvedByOrgId?: string; rating?: string; solved?: string;
  };
  /** The case a merge goes into, locked beforehand in a fixed order. */
  mergeTarget?: CaseRow;
  /** The clock pauseClock paused: its policy's maxPause sets the pause limit. */
  pausedStep?: DeadlineStep;
}

type Executor<K extends keyof CaseEffects> = (run: TransitionRun, params: CaseEffects[K]) => Promise<void> | void;

const executors: { [K in keyof CaseEffects]: Executor<K> } = {
  async startClock(run, { step, amount, unit }) {
    const length = amount && unit ? { amount, unit } : clockLength(run, step);
    const orgId = step === 'feedback' || step === 'pause_limit' ? run.row.branchOrgId : run.holderOrgId;
    const level = (run.changes.level ?? run.row.level) as Level;
    const plan = planClock(run.calendar, { step, level, orgId, at: run.at, ...length });
    run.scope.wakeups.push(await startDeadline(run.tx, run.row.id, plan));
    if (SIDE_CLOCKS.includes(step)) return;
    run.changes.dueAt = plan.dueAt;
    run.changes.overdue = false;
    run.record.data.deadline = { step, dueAt: plan.dueAt.toISOString() };
  },

  async stopClocks(run, { steps, status }) {
    const stopped = await run.tx<{ step: string }[]>`
      update deadlines set status = ${status}, closed_at = ${run.at}
      where case_id = ${run.row.id} and step = any(${steps}) and status in ('pending', 'paused') returning step`;
    if (stopped.some((s) => !SIDE_CLOCKS.includes(s.step as DeadlineStep))) run.changes.dueAt = null;
  },

  async pauseClock(run, { steps }) {
    const [paused] = await run.tx<{ step: DeadlineStep }[]>`update deadlines set status = 'paused', paused_at = ${run.at}, rev = rev + 1
      where case_id = ${run.row.id} and step = any(${steps}) and status = 'pending' returning step`;
    run.pausedStep = paused?.step;
    run.changes.dueAt = null;
  },

  async resumeClock(run, { steps }) {
    const [paused] = await run.tx<DeadlineRow[]>`
      select * from deadlines where case_id = ${run.row.id} and step = any(${steps}) and status = 'paused' for update`;
    if (!paused) return;
    const resumed = await resumeDeadline(run.tx, run.calendar, paused, run.at);
    run.scope.wakeups.push(resumed);
    run.changes.dueAt = resumed.dueAt;
    run.record.data.dueAt = resumed.dueAt.toISOString();
  },

  async extendClock(run) {
    const extension = run.before.pendingExtension!;
    const [open] = await run.tx<DeadlineRow[]>`
      select * from deadlines where case_id = ${run.row.id} and step = ${extension.step} and status in ('pending', 'paused') for update`;
    if (!open) return;
    const moved = await extendDeadline(run.tx, run.calendar, open, extension.amount, extension.unit);
    if (moved.status === 'pending') {
      run.scope.wakeups.push(moved);
      run.changes.dueAt = moved.dueAt;
    }
    run.record.data.dueAt = moved.dueAt.toISOString();
  },

  async moveHolder(run, { to }) {
    const e = run.event;
    const named = 'toOrgId' in e && e.toOrgId ? e.toOrgId : e.type === 'assign_lead' ? e.leadOrgId : null;
    const orgId = named ?? await orgAtLevel(run, to);
    run.record.data.fromOrgId = run.holderOrgId;
    run.record.data.toOrgId = orgId;
    run.record.toOrgId = orgId;
    run.holderOrgId = orgId;
    run.changes.holderOrgId = orgId;
    if (to === 'platform' && orgId !== (run.changes.platformOrgId ?? run.row.platformOrgId)) {
      run.changes.platformOrgId = orgId;
      // The case follows the platform whose committee holds it: measures and hot spots count the real platform.
      const [org] = await run.tx<{ platform: string | null }[]>`select platform from orgs where id = ${orgId}`;
      if (org?.platform) run.changes.platform = org.platform;
    }
    if (to === 'department') run.changes.departmentOrgId = orgId;
    await addParticipant(run.tx, run.row.id, orgId);
  },

  async assignSupervisor(run) {
    if (run.row.supervisingOrgId) return;
    const orgId = pickRoute(run.scope.rules, 'hand_off', run.row);
    if (!orgId) {
      run.record.data.escalation = '没有匹配的主管部门路由规则 / no hand_off routing rule matched: nobody supervises yet';
      return;
    }
    run.changes.supervisingOrgId = orgId;
    run.record.data.supervisingOrgId = orgId;
    await addParticipant(run.tx, run.row.id, orgId);
  },

  takeSupervision(run) {
    if (!run.actor.orgId) return;
    run.changes.supervisingOrgId = run.actor.orgId;
    run.record.data.supervisingOrgId = run.actor.orgId;
  },

  addToAgenda(run, { reason }) {
    run.changes.onMeetingAgenda = true;
    run.record.reasonCode = reason;
    run.record.data.agendaReason = reason;
  },

  removeFromAgenda(run) {
    run.changes.onMeetingAgenda = false;
  },

  holdAccountable(run, { who }) {
    const e = run.event;
    run.record.data.accountable_org_id = who === 'clock_owner' && e.type === 'deadline_missed' ? e.orgId : run.holderOrgId;
  },

  recordClassification(run) {
    if (run.event.type !== 'reclassify') return;
    const previous: Record<string, string | null> = {};
    for (const field of CLASSIFICATION) {
      const value = run.event[field];
      if (value === undefined) continue;
      previous[field] = run.row[field];
      Object.assign(run.changes, { [field]: value });
    }
    run.record.data.previous = previous;
  },

  async addCohandlers(run) {
    if (run.event.type !== 'add_cohandler') return;
    const { amount, unit } = policyFor(run.scope.policies, 'contribute', run.row.category, run.row.urgency);
    const asked: { orgId: string; dueAt: string }[] = [];
    for (const orgId of run.event.orgIds) {
      const plan = planClock(run.calendar, { step: 'contribute', level: 'department', orgId, at: run.at, amount, unit });
      run.scope.wakeups.push(await startDeadline(run.tx, run.row.id, plan));
      await run.tx`insert into case_cohandlers (case_id, org_id, reason, added_at, due_at) values (${run.row.id}, ${orgId}, ${run.event.reason}, ${run.at}, ${plan.dueAt})
        on conflict (case_id, org_id) do update set reason = excluded.reason, added_at = excluded.added_at, due_at = excluded.due_at, contributed_at = null, opinion = null`;
      await addParticipant(run.tx, run.row.id, orgId);
      run.scope.notes.push({ orgId, caseId: run.row.id, kind: 'cohandler_added', payload: { reference: run.row.reference, state: run.toState, action: 'add_cohandler', step: 'contribute' } });
      asked.push({ orgId, dueAt: plan.dueAt.toISOString() });
    }
    run.record.data.cohandlers = asked;
  },

  async recordContribution(run) {
    if (run.event.type !== 'contribute') return;
    const { orgId, opinion } = run.event;
    await run.tx`update case_cohandlers set opinion = ${opinion}, contributed_at = ${run.at} where case_id = ${run.row.id} and org_id = ${orgId}`;
    await run.tx`update deadlines set status = 'met', closed_at = ${run.at}
      where case_id = ${run.row.id} and step = 'contribute' and org_id = ${orgId} and status = 'pending'`;
  },

  recordHumanReview(run) {
    if (run.event.type !== 'human_review') return;
    run.changes.humanReview = { outcome: run.event.outcome, explanation: run.event.explanation, at: run.at.toISOString(), orgId: run.holderOrgId };
  },

  recordResolution(run) {
    if (run.event.type === 'resolve') run.changes.resolution = run.event.resolution;
    run.record.resolvedByOrgId = run.holderOrgId;
  },

  recordFeedback(run) {
    if (run.event.type !== 'feedback') return;
    run.record.rating = run.event.rating;
    run.record.solved = run.event.solved;
    run.record.resolvedByOrgId = run.holderOrgId;
    run.record.data.resolvedByOrgId = run.holderOrgId;
  },

  markOverdue(run) {
    run.changes.overdue = true;
  },

  async mergeInto(run) {
    const target = run.mergeTarget!;
    run.changes.mergedInto = target.id;
    const head = await appendEvent(run.tx, { seq: target.eventSeq, hash: target.eventHash }, {
      caseId: target.id, action: 'merged_from', fromState: target.state, toState: target.state, level: target.level,
      holderOrgId: target.holderOrgId, actor: run.actor, at: run.at, data: { caseId: run.row.id, reference: run.row.reference },
    });
    await run.tx`update cases set event_seq = ${head.seq}, event_hash = ${head.hash} where id = ${target.id}`;
  },

  /** A unit told about a case may read it (an approver, a supervising department, the branch). */
  async notify(run, { to, kind }) {
    const orgId = {
      holder: run.holderOrgId,
      supervisor: run.changes.supervisingOrgId ?? run.row.supervisingOrgId,
      approver: run.event.type === 'request_extension' ? run.event.approverOrgId : null,
      branch: run.row.branchOrgId,
      clock_owner: run.event.type === 'deadline_warning' || run.event.type === 'deadline_missed' ? run.event.orgId : null,
    }[to];
    if (!orgId) return;
    if (orgId !== run.holderOrgId) await addParticipant(run.tx, run.row.id, orgId);
    run.scope.notes.push({
      orgId, caseId: run.row.id, kind,
      payload: { reference: run.row.reference, state: run.toState, action: run.event.type, ...('step' in run.event ? { step: run.event.step } : {}) },
    });
  },

  tellCompetentDepartment: (run) => tellDepartmentOfUrgentCase(run),

  async sendFeedbackLink(run) {
    // No phone on the case (anonymous, or none given): no SMS can carry it; the liaison records the feedback.
    if (run.row.anonymous || !run.row.workerPhone) return;
    run.scope.notes.push(await issueFeedbackLink(run.tx, run.row, run.at, run.scope.publicUrl));
  },
};

/**
 * Critical and urgent cases reach the competent department at once (TAXONOMY.md): the unit the
 * routing rules' `hand_off` picks for the case is told (once) and may read the case from then on,
 * as its supervisor would.
 */
async function tellDepartmentOfUrgentCase(run: TransitionRun): Promise<void> {
  const subject = { ...run.row, ...run.changes };
  if (!URGENT_LEVELS.includes(subject.urgency)) return;
  const orgId = subject.supervisingOrgId ?? pickRoute(run.scope.rules, 'hand_off', subject);
  if (!orgId || orgId === run.holderOrgId) return;
  const [told] = await run.tx`select 1 from case_participants where case_id = ${run.row.id} and org_id = ${orgId}`;
  if (told) return;
  await addParticipant(run.tx, run.row.id, orgId);
  run.scope.notes.push({
    orgId, caseId: run.row.id, kind: 'urgent_case',
    payload: { reference: run.row.reference, state: run.toState, action: run.event.type, urgency: subject.urgency },
  });
}

/** Runs the chart's effects in the order it returned them. */
export async function executeEffects(run: TransitionRun, effects: CaseEffect[]): Promise<void> {
  for (const effect of effects) {
    await (executors[effect.type] as Executor<typeof effect.type>)(run, effect.params as never);
  }
}

/** The SLA policy's length for a step of this case; the pause limit is the paused step's `maxPause`. */
function clockLength(run: TransitionRun, step: DeadlineStep): { amount: number; unit: TimeUnit } {
  const { category, urgency } = run.row;
  if (step === 'pause_limit') {
    // A supervision order's clock pauses like the platform's resolve clock it stands in for.
    const paused = !run.pausedStep || run.pausedStep === 'supervision' || run.pausedStep === 'pause_limit' ? 'l2_resolve' : run.pausedStep;
    return maxPauseFor(run.scope.policies, paused, category, urgency);
  }
  if (step === 'supervision') throw new Error('a supervision order sets its own length');
  return policyFor(run.scope.policies, step, category, urgency);
}

/**
 * The unit the case goes to at a level: the one it had there, else the routing rules' pick; a
 * territorial case (no platform) goes to the street office of its area.
 */
async function orgAtLevel(run: Pick<TransitionRun, 'row' | 'scope' | 'tx'>, level: Level): Promise<string> {
  const { row, scope } = run;
  if (level === 'branch') return row.branchOrgId;
  if (level === 'platform') {
    if (row.platformOrgId) return row.platformOrgId;
    return route(scope.rules, 'forward', row, row.platform === null ? await pickStreetOffice(run.tx, scope.rules, row) : undefined);
  }
  return row.departmentOrgId ?? row.supervisingOrgId ?? route(scope.rules, 'hand_off', row);
}
