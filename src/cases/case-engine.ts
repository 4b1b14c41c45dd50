/**
 * The case engine: registers grievances and applies every transition — a user's action or a
 * deadline's expiry — the same way, in one transaction of four round trips:
 *   BEGIN; the one locking read (the case with its clocks, co-handlers and participants);
 *   decide in memory (the chart, then the plan: case-plan.ts); the plan's writes as one batch
 *   (case-writer.ts); COMMIT.
 * Due clocks are fired by the workers in groups of cases, one transaction a group (`fireDue`).
 * Configuration (rules, policies, calendar, units) comes from caches read before the transaction.
 * After commit: wake the deadline scheduler, deliver the notices. The answer is built from what the
 * batch wrote. The rules live in the chart; who may act in src/access; no HTTP in here.
 */
import canonicalize from 'canonicalize';
import { createHash, randomUUID } from 'node:crypto';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import { canSee, mayMergeInto, readingUnits, relationRefusal, seesPersonalData, type CaseRelations } from '../access/case-permissions.js';
import { may, requireCapability } from '../access/permissions.js';
import type { Caller } from '../access/callers.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { Cached } from '../cached.js';
import { categoryRow, classificationOf } from '../catalogue/catalogue.js';
import { DUE_EVENTS, claimDueCases, firstDue, type DeadlineRow, type DueKind, type FiredGroup, type Firing, type Wakeup } from '../deadlines/deadline-store.js';
import { countStatement, type CountRow } from '../metrics/measure-rollup.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { policyFor, type SlaPolicy } from '../deadlines/sla-policies.js';
import { BadRequest, DomainError, Forbidden, NotAllowed, NotFound, StaleVersion } from '../errors.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { pickRoute, type RoutingRule } from '../routing/routing-rules.js';
import { maskFreeText } from '../privacy/masking.js';
import { SpanKind, continuing, inSpan, inSpanSync } from '../observability/spans.js';
import type { ReceiptCodes } from '../worker-access/receipt-codes.js';
import { linkDigestOf, linkedOpenCases, type LinkKey } from '../worker-links/worker-links.js';
import { feedbackTokenHash, markFeedbackLinkUsed, openFeedbackLink } from '../worker-access/feedback-links.js';
import { planTransition, type CaseFacts, type MergeTarget, type PlanSettings } from './case-plan.js';
import type { EventActor, EventData, RecordKey } from './case-record.js';
import { lockCaseFacts, type CaseRow, type NewCaseRow } from './case-store.js';
import { caseView, type CaseView } from './case-view.js';
import { writePlan, type Statement, type Written } from './case-writer.js';
import type { ActionBody, HotlineOrder, RegisterInput } from './case-types.js';
import {
  CASE_MACHINE_VERSION, actionsIn, blockedByReferral, decide, restoreCase, startCase, stateOf, whyRefused,
  type CaseContext, type CaseEvent, type ClassificationChanges, type CaseSnapshot, type UserAction, type UserEvent,
} from '../../workflows/case-machine.js';
import {
  ALGORITHM_CATEGORY, APPEAL_WINDOW, APPROVER, CLASSIFICATION_FIELDS, HOLDER_ROLE, HOTLINE, LEAD_ORG_TYPES, ORG_TYPE_LEVEL, REFERRAL_KINDS, REFERRAL_TARGET_TYPE, ROUTING_TARGET_TYPES, VERSION_KEEPING_EVENTS, WORKING_CLOCKS,
  isFinal, type CaseState, type DeadlineStep, type OrgType, type Rating, type ReferralKind, type SolvedAnswer, type TimeUnit,
} from '../../workflows/case-rules.js';

export interface CaseEngineDeps {
  sql: Sql;
  routingRules: Cached<RoutingRule[]>;
  slaPolicies: Cached<SlaPolicy[]>;
  /** Every unit, with its channels (src/orgs/org-directory.ts). */
  orgs: Cached<OrgDirectory>;
  calendar: () => WorkingCalendar;
  /** After commit: make sure the scheduler wakes up for these deadline revisions. */
  wake: (wakeups: Wakeup[]) => Promise<void>;
  /** After commit: deliver what the transition wrote to the outbox. */
  deliver: () => void;
  /** The worker's receipt codes (hashed and sealed with a server secret). */
  receipts: ReceiptCodes;
  /** The key of the record's digests of personal fields (RECORD_PEPPER). */
  recordKey: RecordKey;
  /** The key of a consenting worker's linking digest (LINK_KEY, src/worker-links). */
  linkKey: LinkKey;
  /** PUBLIC_URL: the origin of the worker's feedback links; '' makes them relative (`/feedback/<token>`). */
  publicUrl?: string;
  now?: () => Date;
}

/**
 * What a deadline job did: came too early (`retryAt`: come back then), fired the clock (`fired`:
 * its step, the warning or due time, when it fired), or neither (the clock had moved on).
 */
/** One clock fired on its own: when to come back if it was early, else what fired. */
export interface DeadlineFiring { retryAt?: Date; fired?: Firing }

/**
 * Where a registration comes from when it is not the liaison's own intake: a worker's submission.
 * `claim` locks and checks it before anything is written; `settle` marks it registered and moves
 * its files to the new case (their record events appended after the registration's), returning
 * the case row's new record head.
 */
export interface RegistrationSource {
  submissionId: string;
  claim(tx: Tx): Promise<void>;
  settle(tx: Tx, row: CaseRow, actor: { userId: string; orgId: string }, at: Date): Promise<Pick<CaseRow, 'eventSeq' | 'eventHash'>>;
}

/** The worker's own feedback through the one-time link (回访). */
export interface WorkerFeedbackInput { rating: Rating; solved: SolvedAnswer; comment?: string }
/** A registration's answer: the case, and the worker's receipt code (shown in this answer only, and in its idempotent replays). */
export type RegisteredCase = CaseView & { receiptCode?: string };

const SYSTEM_CLOCK: EventActor = { system: 'deadline-clock' };
const WORKER: EventActor = { system: 'worker' };
/** The forward of a hotline's order that names a platform: the system's step on the branch's behalf (the chart takes it as the branch's role). */
const HOTLINE_INTAKE: EventActor = { system: 'hotline-intake' };

export function createCaseEngine(deps: CaseEngineDeps) {
  const now = deps.now ?? (() => new Date());
  const publicUrl = deps.publicUrl ?? '';

  /** Configuration for a plan, read before the transaction opens: a transaction never waits for a second pooled connection. */
  async function planSettings(): Promise<PlanSettings> {
    const [rules, policies, orgs] = await Promise.all([deps.routingRules.get(), deps.slaPolicies.get(), deps.orgs.get()]);
    return { rules, policies, orgs, calendar: deps.calendar() };
  }

  /** One transaction; after it commits, the wake-ups and the delivery of what it wrote. */
  async function commit<T>(work: (tx: Tx, settings: PlanSettings) => Promise<{ value: T; written: Written[] }>): Promise<T> {
    const settings = await planSettings();
    const { value, written } = await inTransaction(deps.sql, (tx) => work(tx, settings));
    const wakeups = written.flatMap((w) => w.wakeups);
    if (wakeups.length > 0) await deps.wake(wakeups);
    if (written.some((w) => w.notices > 0)) deps.deliver();
    return value;
  }

  /** The answer from what the batch wrote: masked unless the caller may see the contact. */
  function viewOf(caller: Caller, written: Pick<Written, 'row' | 'deadlines' | 'cohandlers'>, settings: PlanSettings, participants: string[]): CaseView {
    const { row } = written;
    const { orgs } = settings;
    const names = orgs.names(written.cohandlers.map((c) => c.orgId));
    const allowed = allowedActions(caller, row, written.cohandlers.map((c) => c.orgId), participants);
    return caseView(row, written.deadlines, allowed, seesPersonalData(caller, row), {
      actionTargets: actionTargets(settings, row, allowed),
      holderOrgType: orgs.find(row.holderOrgId)?.type ?? null,
      cohandlers: written.cohandlers.map((c) => ({ ...c, orgName: names[c.orgId] })),
    });
  }

  /** Reading a case's contact unmasked is logged (personal_data_reads), in the same batch as the rest. */
  function personalDataRead(tx: Tx, caller: Caller, row: Pick<CaseRow, 'id' | 'workerName' | 'workerPhone' | 'branchOrgId' | 'anonymous'>): Statement[] {
    if (!caller.userId || !seesPersonalData(caller, row) || !(row.workerName || row.workerPhone)) return [];
    return [tx`insert into personal_data_reads (case_id, user_id) values (${row.id}, ${caller.userId})`];
  }

  /**
   * A liaison registers a grievance. `from`: the worker's own submission it comes from, checked and
   * locked first and settled after the case is written, all in the registration's transaction.
   */
  async function register(caller: Caller, input: RegisterInput, idempotencyKey?: string, from?: RegistrationSource): Promise<RegisteredCase> {
    requireCapability(caller, 'register');
    const userId = caller.userId!;
    return commit(async (tx, settings) => {
      await from?.claim(tx);
      const requestHash = hashBody(input);
      // One round trip: the key claimed, the case's number drawn, its category read.
      const [claimed, [{ n }], [category]] = await Promise.all([
        idempotencyKey ? tx`insert into idempotency_keys (user_id, key, request_hash) values (${userId}, ${idempotencyKey}, ${requestHash})
          on conflict do nothing returning key` : Promise.resolve([{ key: null }]),
        tx<{ n: string }[]>`select nextval('case_reference_seq') as n`,
        categoryRow(tx, input.category),
      ]);
      if (idempotencyKey && claimed.length === 0) return { value: await replay(tx, caller, userId, idempotencyKey, requestHash, settings), written: [] };
      checkRegistration(classificationOf(category, input.category, input.subcategory).territorial, settings, input);
      const receiptCode = deps.receipts.issue();
      const written = await openCase(tx, settings, {
        input, n, branchOrgId: caller.orgId!, actor: { userId, orgId: caller.orgId }, createdBy: userId,
        receiptCodeHash: deps.receipts.digest(receiptCode), readers: [caller.orgId!],
        eventData: from ? { submissionId: from.submissionId } : {},
        also: (row) => [
          ...(idempotencyKey ? [tx`update idempotency_keys set case_id = ${row.id}, receipt_code_sealed = ${deps.receipts.seal(receiptCode)}
            where user_id = ${userId} and key = ${idempotencyKey}`] : []),
          ...personalDataRead(tx, caller, row),
        ],
      });
      if (from) written.row = { ...written.row, ...await from.settle(tx, written.row, { userId, orgId: caller.orgId! }, written.row.createdAt) };
      return { value: { ...viewOf(caller, written, settings, [caller.orgId!]), receiptCode }, written: [written] };
    });
  }

  /**
   * A new case at a branch, which holds it at L1: its row, its first clock and the register event
   * (by `actor`), the units that may read it (`readers`), and what the caller sends beside them.
   */
  function openCase(tx: Tx, settings: PlanSettings, c: {
    input: RegisterInput; n: string; branchOrgId: string; actor: EventActor; createdBy: string; receiptCodeHash: string | null;
    readers: string[]; hotlineOrder?: Pick<CaseRow, 'hotlineOrgId' | 'hotlineOrderNo' | 'hotlineOrderHash'>; also: (row: CaseRow) => Statement[];
    /** What the register event records beyond the registration (the worker's submission it comes from). */
    eventData?: Record<string, unknown>;
  }): Promise<Written> {
    const at = now();
    const { snapshot, effects } = startCase({ algorithmic: c.input.category === ALGORITHM_CATEGORY });
    const insert = {
      ...newCaseRow(randomUUID(), c.input, { branchOrgId: c.branchOrgId, createdBy: c.createdBy }, snapshot.context, at, referenceOf(at, c.n), c.receiptCodeHash),
      workerLinkDigest: linkDigestOf(deps.linkKey, c.input.worker),
      ...c.hotlineOrder,
    };
    const facts: CaseFacts = { row: rowOf(insert), deadlines: [], cohandlers: [], participants: [] };
    const plan = inSpanSync('case.decide', { 'grievance.action': 'register', 'grievance.case_id': insert.id, 'grievance.to_state': 'registered' }, () => planTransition({
      facts, settings, toState: 'registered', next: snapshot.context, effects, action: 'register', step: null,
      eventData: { ...registrationData(facts.row), ...c.eventData }, actor: c.actor, at, bumpsVersion: false,
    }));
    plan.participants.unshift(...c.readers.filter((id) => !plan.participants.includes(id)));
    plan.event.fromState = null;
    return writePlan(tx, plan, facts, { orgs: settings.orgs, publicUrl, recordKey: deps.recordKey }, { insert, also: c.also(facts.row) });
  }

  /**
   * A 12345 hotline's work order handed over (POST /intake/hotline). It is registered at the branch
   * whose areas hold the order's area, else at the hotline's default branch, which owns it at L1 as
   * any case it registered; the hotline may read it from then on and is told of every level change
   * and of the close (case-plan.ts). An order naming a platform is forwarded at once by the system
   * (actor `hotline-intake`), in the same transaction: the register and the forward are two events
   * of one commit. The same order number again answers the case it made (`created: false`); with
   * another body, 422 `hotline_order_conflict`.
   */
  async function registerOrder(caller: Caller, order: HotlineOrder): Promise<{ created: boolean; case: CaseView }> {
    requireCapability(caller, 'handOverOrders');
    const userId = caller.userId!;
    return commit<{ created: boolean; case: CaseView }>(async (tx, settings) => {
      const hotline = settings.orgs.ofType(caller.orgId ?? '', [HOTLINE.orgType], 'orgId');
      const input = registrationOf(order);
      // Keyed (the record's key): the order carries the worker's contact, so no plain hash of it is kept.
      const orderHash = deps.recordKey.digest(hotline.id, hashBody(order));
      // Two hand-overs of one order queue on the lock: the second finds the first's case.
      const [, [earlier], [{ n }], [category]] = await Promise.all([
        tx`select pg_advisory_xact_lock(hashtextextended(${`hotline-order ${hotline.id} ${order.orderNo}`}, 0))`,
        tx<{ id: string; hotlineOrderHash: string }[]>`select id, hotline_order_hash from cases
          where hotline_org_id = ${hotline.id} and hotline_order_no = ${order.orderNo}`,
        tx<{ n: string }[]>`select nextval('case_reference_seq') as n`,
        categoryRow(tx, input.category),
      ]);
      if (earlier) {
        if (earlier.hotlineOrderHash !== orderHash) {
          throw new NotAllowed(`orderNo: 工单 ${order.orderNo} 已转办，且内容不同 / work order '${order.orderNo}' was handed over before with another body`, 'hotline_order_conflict');
        }
        const facts = (await lockCaseFacts(tx, { caseId: earlier.id }, { lock: false }))!;
        return { value: { created: false, case: viewOf(caller, facts, settings, facts.participants) }, written: [] };
      }
      checkOrder(classificationOf(category, input.category, undefined).territorial, settings, input);
      const branchOrgId = settings.orgs.branchForArea(input.area ?? null)
        ?? settings.orgs.ofType(hotline.defaultBranchId ?? '', ['branch'], 'defaultBranchId').id;
      const readers = [branchOrgId, hotline.id];
      const registered = await openCase(tx, settings, {
        input, n, branchOrgId, actor: { userId, orgId: hotline.id }, createdBy: userId, receiptCodeHash: null, readers,
        hotlineOrder: { hotlineOrgId: hotline.id, hotlineOrderNo: order.orderNo, hotlineOrderHash: orderHash }, also: () => [],
      });
      if (!input.platform) return { value: { created: true, case: viewOf(caller, registered, settings, readers) }, written: [registered] };
      // The platform's committee, unless the routing rules pick another unit for the case.
      const { row } = registered;
      const toOrgId = pickRoute(settings.rules, 'forward', row) ?? settings.orgs.committeeOf(input.platform)!.id;
      checkL2Target(settings, row, toOrgId);
      const forwarded = await transition(tx, { ...registered, participants: readers }, settings, restoreCase(row.state, row.snapshot),
        { type: 'forward', role: HOLDER_ROLE.branch, toOrgId }, HOTLINE_INTAKE);
      return { value: { created: true, case: viewOf(caller, forwarded, settings, [...readers, toOrgId]) }, written: [registered, forwarded] };
    });
  }

  /** The same key and body again: the first answer (the case as it is now, and its receipt code). */
  async function replay(tx: Tx, caller: Caller, userId: string, key: string, requestHash: string, settings: PlanSettings): Promise<RegisteredCase> {
    const [earlier] = await tx<{ requestHash: string; caseId: string | null; receiptCodeSealed: string | null }[]>`
      select request_hash, case_id, receipt_code_sealed from idempotency_keys where user_id = ${userId} and key = ${key}`;
    if (earlier.requestHash !== requestHash || !earlier.caseId) {
      throw new NotAllowed('Idempotency-Key: 同一幂等键对应了不同的请求内容 / this key was used with a different body');
    }
    const facts = (await lockCaseFacts(tx, { caseId: earlier.caseId }, { lock: false }))!;
    return { ...viewOf(caller, facts, settings, facts.participants), ...(earlier.receiptCodeSealed ? { receiptCode: deps.receipts.unseal(earlier.receiptCodeSealed) } : {}) };
  }

  /** A case as the caller sees it; the liaison and the committee also see the consenting worker's other open cases in their scope. */
  async function read(caller: Caller, caseId: string): Promise<CaseView> {
    const settings = await planSettings();
    const units = readingUnits(caller, settings.orgs);
    return inTransaction(deps.sql, async (tx) => {
      const facts = await visibleFacts(tx, caller, caseId, units);
      const [linked] = await Promise.all([
        may(caller, 'seeLinkedCases') ? linkedOpenCases(tx, caller, facts.row, units) : null,
        ...personalDataRead(tx, caller, facts.row),
      ]);
      const view = viewOf(caller, facts, settings, facts.participants);
      return linked ? { ...view, linkedOpenCases: linked } : view;
    });
  }

  async function act(caller: Caller, caseId: string, ifMatch: number, body: ActionBody): Promise<CaseView> {
    requireCapability(caller, 'actOnCases');
    return commit(async (tx, settings) => {
      const { facts, mergeTarget, category, onAgenda, assignee } = await readForAction(tx, caller, caseId, body, readingUnits(caller, settings.orgs));
      const { row } = facts;
      if (row.version !== ifMatch) throw new StaleVersion(row.version, ifMatch);
      const snapshot = restoreCase(row.state, row.snapshot);
      const event = userEvent(facts, settings, caller, body, { mergeTarget, category, onAgenda, assignee }, now());
      if (event.type === 'feedback' && row.outcome !== null && stateOf(snapshot) !== 'resolved') throw feedbackAlreadyRecorded(row);
      const refused = whyRefused(snapshot, event, settings.orgs.names(Object.keys(snapshot.context.cohandlers)));
      if (refused) throw new NotAllowed(refused, blockedByReferral(snapshot.context, event.type) ? 'referral_pending' : undefined);
      const relation = relationRefusal(event.type, caller, relationsOf(facts));
      if (relation) throw new NotAllowed(relation.message, relation.code);
      const written = await transition(tx, facts, settings, snapshot, event, { userId: caller.userId, orgId: caller.orgId }, { mergeTarget, also: personalDataRead(tx, caller, row) });
      return { value: viewOf(caller, written, settings, [...facts.participants, ...written.cohandlers.map((c) => c.orgId)]), written: [written] };
    });
  }

  /**
   * The worker's own feedback through the one-time link: the same `feedback` transition as the
   * liaison's, recorded with actor `{system: 'worker'}`; the comment is masked before it enters the
   * record. Whichever feedback comes first closes the step; the later one is refused.
   */
  async function workerFeedback(token: string, input: WorkerFeedbackInput): Promise<{ reference: string; state: CaseState }> {
    return commit(async (tx, settings) => {
      const at = now();
      // The case first, then the link: the order a resolution takes them in (it expires older links).
      const [facts, link] = await Promise.all([lockCaseFacts(tx, { feedbackTokenHash: feedbackTokenHash(token) }), openFeedbackLink(tx, token, at, true)]);
      const snapshot = restoreCase(facts!.row.state, facts!.row.snapshot);
      const comment = input.comment ? maskFreeText(input.comment) : undefined;
      const event: UserEvent = { type: 'feedback', role: 'worker', rating: input.rating, solved: input.solved, ...(comment ? { comment } : {}) };
      if (!snapshot.can(event)) throw feedbackAlreadyRecorded(facts!.row);
      const written = await transition(tx, facts!, settings, snapshot, event, WORKER, { also: [markFeedbackLinkUsed(tx, link, at)] });
      return { value: { reference: written.row.reference, state: written.row.state }, written: [written] };
    });
  }

  /**
   * The worker's appeal (申诉) from the status page, proved by the receipt code: a closing they did
   * not rate themselves reopens one level above the last resolver, as their dissatisfied would have
   * (the chart says when: once, within APPEAL_WINDOW of the closing on the working calendar). A
   * wrong code answers 404, as an unknown reference does; the reason is masked before the record.
   */
  /** Until when a case closed at `closedAt` may be appealed: APPEAL_WINDOW on the working calendar. */
  function appealDeadline(closedAt: Date): Date {
    return deps.calendar().addDuration(closedAt, APPEAL_WINDOW.amount, APPEAL_WINDOW.unit);
  }

  async function workerAppeal(reference: string, code: string, input: { reason: string }): Promise<{ reference: string; state: CaseState }> {
    return commit(async (tx, settings) => {
      const facts = await lockCaseFacts(tx, { reference });
      if (!facts || !deps.receipts.matches(code, facts.row.receiptCodeHash)) {
        throw new NotFound(`未找到该诉求，或回执码不符 / no case '${reference}' with this receipt code`);
      }
      const { row } = facts;
      const at = now();
      const withinWindow = row.closedAt !== null && at < appealDeadline(row.closedAt);
      const snapshot = restoreCase(row.state, row.snapshot);
      const event: UserEvent = { type: 'appeal', role: 'worker', reason: maskFreeText(input.reason), withinWindow };
      const refusal = whyRefused(snapshot, event);
      if (refusal) throw new NotAllowed(refusal, 'appeal_not_allowed');
      const written = await transition(tx, facts, settings, snapshot, event, WORKER);
      return { value: { reference: written.row.reference, state: written.row.state }, written: [written] };
    });
  }

  /**
   * The workers' path (deadline-queue.ts): claims up to `limit` cases with something due, skipping
   * cases an action or another worker holds, and fires each one's first due event — the whole
   * group in one transaction of five round trips whatever its size: BEGIN; the claim; every case's
   * locking read, pipelined; every case's batch and the group's counters, pipelined; COMMIT. One
   * commit for many transitions is what lets two cores keep up with a province's 18:00 peak. If
   * the group fails it rolls back, and each case goes again in its own transaction: one case that
   * cannot fire holds back only itself.
   */
  async function fireDue(limit: number, exclude: string[] = []): Promise<FiredGroup> {
    let claimed: string[] = [];
    try {
      return await commit(async (tx, settings) => {
        const at = now();
        claimed = await claimDueCases(tx, at, limit, exclude);
        if (claimed.length === 0) return { value: { claimed: 0, fired: [], failed: [] }, written: [] };
        // A group is a trace of its own (its cases come from many requests); each case's decide and write spans sit under it.
        return inSpan('deadline.batch', { 'grievance.claimed': claimed.length }, async (span) => {
          const facts = await Promise.all(claimed.map((caseId) => lockCaseFacts(tx, { caseId })));
          const counts: CountRow[] = [];
          // Each case's batch is sent as it is planned; the counters of all of them follow in one statement.
          const firings: Firing[] = [];
          const writing = facts.map((f) => fireFirstDue(tx, f, settings, at, firings, counts)).filter((w) => w !== null);
          const counted = countStatement(tx, counts);
          counted?.execute();
          const [written] = await Promise.all([Promise.all(writing), counted]);
          span.setAttribute('grievance.fired', written.length);
          return { value: { claimed: claimed.length, fired: firings, failed: [] }, written };
        }, { kind: SpanKind.CONSUMER, parent: continuing(null) });
      });
    } catch (err) {
      if (isDatabaseUnavailable(err) || claimed.length === 0) throw err;
      const failed: FiredGroup['failed'] = [];
      const fired: Firing[] = [];
      for (const caseId of claimed) {
        await commit(async (tx, settings) => {
          const mine: Firing[] = [];
          const written = await fireFirstDue(tx, await lockCaseFacts(tx, { caseId }), settings, now(), mine);
          fired.push(...mine);
          return { value: null, written: written ? [written] : [] };
        }).catch((caseErr: unknown) => {
          if (isDatabaseUnavailable(caseErr)) throw caseErr;
          failed.push({ caseId, err: caseErr });
        });
      }
      return { claimed: claimed.length, fired, failed };
    }
  }

  /** The first thing due on a case (a warning owed, or an end reached), fired and noted in `firings`; null when nothing is (another transaction closed it first). */
  function fireFirstDue(
    tx: Tx, facts: CaseFacts | null, settings: PlanSettings, at: Date, firings: Firing[], countInto?: CountRow[],
  ): Promise<Written> | null {
    const first = facts && firstDue(facts.deadlines, at);
    if (!first) return null;
    firings.push({ step: first.clock.step, kind: first.kind, time: first.time, at });
    return fireClock(tx, facts, settings, first.clock, first.kind, at, countInto);
  }

  /**
   * One clock, fired on its own (the demo's history walks its own clock through them; tests fire
   * one): re-reads everything under the case lock; a stale revision or a clock no longer pending
   * does nothing; an early call says when to come back.
   */
  async function fireDeadline(deadlineId: string, rev: number, kind: DueKind): Promise<DeadlineFiring> {
    return commit<DeadlineFiring>(async (tx, settings) => {
      const facts = await lockCaseFacts(tx, { deadlineId });
      const deadline = facts?.deadlines.find((d) => d.id === deadlineId);
      if (!facts || !deadline || deadline.status !== 'pending' || deadline.rev !== rev) return { value: {}, written: [] };
      const at = now();
      if (kind === 'warn' && deadline.warnedAt) return { value: {}, written: [] };
      const time = kind === 'warn' ? deadline.warnAt : deadline.dueAt;
      if (at < time) return { value: { retryAt: time }, written: [] };
      return { value: { fired: { step: deadline.step, kind, time, at } }, written: [await fireClock(tx, facts, settings, deadline, kind, at)] };
    });
  }

  /** A clock past its warning or its end: a fact, not a rule — the chart decides what a warning or a miss leads to. */
  function fireClock(tx: Tx, facts: CaseFacts, settings: PlanSettings, deadline: DeadlineRow, kind: DueKind, at: Date, countInto?: CountRow[]) {
    const snapshot = restoreCase(facts.row.state, facts.row.snapshot);
    const event: CaseEvent = { type: DUE_EVENTS[kind], step: deadline.step, orgId: deadline.orgId };
    return transition(tx, facts, settings, snapshot, event, SYSTEM_CLOCK, {
      at, fired: { deadlineId: deadline.id, kind }, extra: { dueAt: deadline.dueAt.toISOString() }, countInto,
    });
  }

  /** The one path every transition takes, a user's or the clock's: decide, plan, write. */
  function transition(
    tx: Tx, facts: CaseFacts, settings: PlanSettings, snapshot: CaseSnapshot, event: CaseEvent, actor: EventActor,
    opts: {
      at?: Date; mergeTarget?: MergeTarget; fired?: { deadlineId: string; kind: DueKind }; extra?: Record<string, unknown>; also?: Statement[];
      countInto?: CountRow[];
    } = {},
  ): Promise<Written> {
    // The chart and the plan, in memory: the span says the action, the case (an opaque id) and the states.
    const attributes = { 'grievance.action': event.type, 'grievance.case_id': facts.row.id, 'grievance.from_state': facts.row.state };
    const plan = inSpanSync('case.decide', attributes, (span) => {
      const { next, effects } = decide(snapshot, event);
      span.setAttribute('grievance.to_state', stateOf(next));
      return planTransition({
        facts, settings, toState: stateOf(next), next: next.context, effects, action: event.type,
        step: 'step' in event ? event.step : null, eventData: { ...eventFields(event), ...opts.extra }, actor, at: opts.at ?? now(),
        fired: opts.fired, mergeTarget: opts.mergeTarget, bumpsVersion: !(VERSION_KEEPING_EVENTS as readonly string[]).includes(event.type),
      });
    });
    return writePlan(tx, plan, facts, { orgs: settings.orgs, publicUrl, recordKey: deps.recordKey }, { also: opts.also, countInto: opts.countInto });
  }

  /**
   * The one locking read of an action, with what the action's checks need sent beside it: a merge
   * locks its target too (both rows in id order, so opposing merges wait rather than deadlock), a
   * reclassification reads its new category, a meeting decision whether the case is on its agenda.
   */
  async function readForAction(tx: Tx, caller: Caller, caseId: string, body: ActionBody, units: readonly string[]) {
    const merge = body.action === 'merge' ? tx<CaseRow[]>`select * from cases
      where id = ${caseId} or id = ${body.intoCaseId ?? null} or reference = ${body.intoReference ?? null} order by id for update` : null;
    merge?.execute();
    const [facts, pair, categories, agenda, assignees] = await Promise.all([
      lockCaseFacts(tx, { caseId }),
      merge ?? [],
      // The category a reclassification ends with: the new one, else the case's own (for a new sub-item).
      body.action === 'reclassify' && (body.category || body.subcategory)
        ? categoryRow(tx, tx`coalesce(${body.category ?? null}, (select category from cases where id = ${caseId}))`) : [],
      body.action === 'assign_lead' && body.meetingId ? tx`select 1 from meeting_items where meeting_id = ${body.meetingId} and case_id = ${caseId}` : [],
      body.action === 'assign' ? tx<Assignee[]>`select org_id, deactivated_at from users where id = ${body.userId}` : [],
    ]);
    if (!facts || !canSee(caller, relationsOf(facts), units)) throw caseNotFound(caseId);
    return {
      facts, mergeTarget: body.action === 'merge' ? mergeTargetOf(pair, facts.row, body, caller, units) : undefined, category: categories[0], onAgenda: agenda.length > 0,
      assignee: assignees[0],
    };
  }

  /**
   * The case a merge names: another case the caller can see, still open, and one its unit may merge
   * into (case-permissions.ts `mayMergeInto`; the chart then asks that both workers consented and are one).
   */
  function mergeTargetOf(pair: CaseRow[], row: CaseRow, body: Extract<ActionBody, { action: 'merge' }>, caller: Caller, units: readonly string[]): MergeTarget {
    const field = body.intoReference ? 'intoReference' : 'intoCaseId';
    const into = pair.find((c) => c.id !== row.id && (c.id === body.intoCaseId || c.reference === body.intoReference));
    if (!into || !canSee(caller, { ...into, approverOrgId: null, referralOrgId: null, cohandlerOrgIds: [], participants: [] }, units)) {
      throw new BadRequest(`${field}: 目标案件不存在或不可见 / no case '${body.intoReference ?? body.intoCaseId}' to merge into`);
    }
    if (isFinal(into.state)) throw new NotAllowed(`${field}: 目标案件已终结 / case ${into.reference} is final (${into.state}): merge into an open case`);
    if (!mayMergeInto(caller, row, into)) {
      throw new NotAllowed(`${field}: 平台层级只能合并到本单位在平台层级承办的案件 / at L2 a case merges only into another case your unit holds at L2 (${into.reference} is not)`, 'merge_target_not_held');
    }
    return into;
  }

  function allowedActions(caller: Caller, row: CaseRow, cohandlerOrgIds: string[], participants: string[]): UserAction[] {
    if (!may(caller, 'actOnCases')) return [];
    const snapshot = restoreCase(row.state, row.snapshot);
    const relations = relationsFromRow(row, snapshot.context, cohandlerOrgIds, participants);
    return actionsIn(row.state).filter((action) => {
      // A merge at L2 needs a consenting worker: offered when this case's worker consented (the target is checked when it is named).
      const probe = { type: action, role: caller.role, rating: 'satisfied', leadLevel: 'platform', orgId: caller.orgId, sameWorker: row.workerLinkDigest !== null } as unknown as CaseEvent;
      return snapshot.can(probe) && relationRefusal(action, caller, relations) === null;
    });
  }

  /** A case the caller may read (404 otherwise: no existence leak). */
  async function visibleCase(tx: Tx, caller: Caller, caseId: string): Promise<CaseRow> {
    return (await visibleFacts(tx, caller, caseId, readingUnits(caller, await deps.orgs.get()))).row;
  }

  /**
   * A case the caller may add to (evidence): one in its own unit's scope. A case a headquarters
   * committee reads only through its network is 403: it reads, never acts (404 beyond its scope, as ever).
   */
  async function caseToWorkOn(tx: Tx, caller: Caller, caseId: string): Promise<CaseRow> {
    const facts = await visibleFacts(tx, caller, caseId, readingUnits(caller, await deps.orgs.get()));
    if (!canSee(caller, relationsOf(facts), caller.orgId ? [caller.orgId] : [])) {
      throw new Forbidden('总部党委只读下级党委的案件，不能添加内容 / a headquarters committee reads its network\'s cases; it does not add to them');
    }
    return facts.row;
  }

  async function visibleFacts(tx: Tx, caller: Caller, caseId: string, units: readonly string[]): Promise<CaseFacts> {
    requireCapability(caller, 'readCases');
    const facts = await lockCaseFacts(tx, { caseId }, { lock: false });
    if (!facts || !canSee(caller, relationsOf(facts), units)) throw caseNotFound(caseId);
    return facts;
  }

  return { register, registerOrder, read, act, workerFeedback, workerAppeal, appealDeadline, fireDue, fireDeadline, visibleCase, caseToWorkOn };
}

export type CaseEngine = ReturnType<typeof createCaseEngine>;

/** What the permission checks judge the case on. */
function relationsOf(facts: CaseFacts): CaseRelations {
  return relationsFromRow(facts.row, facts.row.snapshot, facts.cohandlers.map((c) => c.orgId), facts.participants);
}
function relationsFromRow(row: CaseRow, context: CaseContext, cohandlerOrgIds: string[], participants: string[]): CaseRelations {
  // The fields named one by one: a spread of the whole row costs more than the check it serves (it runs three times an action).
  const { holderOrgId, branchOrgId, platformOrgId, departmentOrgId, supervisingOrgId, level, state, anonymous } = row;
  return {
    holderOrgId, branchOrgId, platformOrgId, departmentOrgId, supervisingOrgId, level, state, anonymous,
    approverOrgId: context.pendingExtension?.approverOrgId ?? null, referralOrgId: context.referral?.orgId ?? null,
    cohandlerOrgIds: [...new Set([...cohandlerOrgIds, ...Object.keys(context.cohandlers)])], participants,
  };
}

/**
 * Turns the request body into the chart's event, checking the units it names against the rules:
 * all in memory, from the locking read and the unit directory.
 */
function userEvent(
  facts: CaseFacts, settings: PlanSettings, caller: Caller, body: ActionBody,
  read: { mergeTarget?: MergeTarget; category?: Parameters<typeof classificationOf>[0]; onAgenda: boolean; assignee?: Assignee }, at: Date,
): UserEvent {
  const { row } = facts;
  const role = caller.role;
  const { orgs } = settings;
  switch (body.action) {
    case 'forward':
      if (body.toOrgId) checkL2Target(settings, row, body.toOrgId);
      return { ...body, type: 'forward', role };
    case 'reclassify':
      return { type: 'reclassify', role, reason: body.reason, ...classificationChanges(row, body, read.category, orgs) };
    case 'add_cohandler':
      checkCohandlers(orgs, row, body.orgIds);
      return { ...body, type: 'add_cohandler', role };
    case 'contribute':
      return { ...body, type: 'contribute', role, orgId: caller.orgId ?? '' };
    case 'transfer':
      checkTransferTarget(settings, row, body.toOrgId);
      return { ...body, type: 'transfer', role };
    case 'hand_off':
      if (body.toOrgId) orgs.ofType(body.toOrgId, ROUTING_TARGET_TYPES.hand_off, 'toOrgId');
      return { ...body, type: 'hand_off', role };
    case 'assign_lead': {
      const lead = orgs.ofType(body.leadOrgId, LEAD_ORG_TYPES, 'leadOrgId');
      if (body.meetingId && !read.onAgenda) throw new NotAllowed(`meetingId: 本案不在该协调会议程中 / case ${row.reference} is not on the agenda of meeting '${body.meetingId}'`);
      return { ...body, type: 'assign_lead', role, leadLevel: ORG_TYPE_LEVEL[lead.type]! };
    }
    case 'supervise':
      checkSupervisionLength(settings, row, body.amount, body.unit, at);
      return { ...body, type: 'supervise', role, orgId: caller.orgId ?? '' };
    case 'request_extension':
      return { ...body, type: 'request_extension', role, step: runningStep(facts), approverOrgId: extensionApprover(settings, row) };
    case 'merge': {
      // One consenting worker: both cases keep the same linking digest (none without consent).
      const into = read.mergeTarget!;
      return { type: 'merge', role, intoCaseId: into.id, sameWorker: row.workerLinkDigest !== null && row.workerLinkDigest === into.workerLinkDigest };
    }
    case 'resolve': return { ...body, type: 'resolve', role };
    case 'withdraw': return { ...body, type: 'withdraw', role };
    case 'accept': return { ...body, type: 'accept', role };
    case 'return': return { ...body, type: 'return', role };
    case 'request_info': return { ...body, type: 'request_info', role };
    case 'resume': return { ...body, type: 'resume', role };
    case 'provide_info': return { ...body, type: 'provide_info', role };
    case 'approve_extension': return { ...body, type: 'approve_extension', role };
    case 'deny_extension': return { ...body, type: 'deny_extension', role };
    case 'feedback': return { ...body, type: 'feedback', role };
    case 'human_review': return { ...body, type: 'human_review', role };
    case 'refer':
      checkReferralTarget(orgs, body.toOrgId, body.kind);
      return { ...body, type: 'refer', role };
    case 'refer_outcome': return { ...body, type: 'refer_outcome', role, orgId: caller.orgId ?? '' };
    // Only the worker appeals, from the status page (workerAppeal); the chart refuses any caller's role.
    case 'appeal': return { ...body, type: 'appeal', role, withinWindow: false };
    case 'assign':
      checkAssignee(row, read.assignee);
      return { ...body, type: 'assign', role };
  }
}

/** The person an assignment names, as the users table says (none: no such user). */
interface Assignee { orgId: string | null; deactivatedAt: Date | null }

/** A case is assigned to an active user of the unit holding it (the field at fault: `userId`). */
function checkAssignee(row: CaseRow, assignee: Assignee | undefined) {
  if (!assignee || assignee.orgId !== row.holderOrgId) {
    throw new NotAllowed('userId: 只能分派给承办单位的人员 / a case is assigned to a user of the unit holding it', 'assignee_invalid');
  }
  if (assignee.deactivatedAt) throw new NotAllowed('userId: 该人员已停用 / this user is deactivated', 'assignee_invalid');
}

/**
 * A referral goes to a union (kind `union`) or to a mediation unit that offers the kind (its
 * `services`); anything else is refused with `referral_target_invalid`.
 */
function checkReferralTarget(orgs: OrgDirectory, orgId: string, kind: ReferralKind) {
  const org = orgs.find(orgId);
  if (!org) throw new BadRequest(`toOrgId: 机构不存在 / no organisation with id '${orgId}'`);
  const offered = org.type === REFERRAL_TARGET_TYPE[kind] && org.active && (org.type === 'union' || org.services.includes(kind));
  if (offered) return;
  throw new NotAllowed(`toOrgId: 单位 '${org.name}' 不提供 ${kind}（工会只受理 union，调解组织按其服务项目）/ unit '${org.name}' does not take '${kind}' referrals (a union takes 'union'; a mediation unit the services it lists)`, 'referral_target_invalid');
}

/**
 * The actions that name a unit: the unit types that can be a target at all (the rules' own tables),
 * and the rule each target must pass (the same checks the action itself runs). Only units of those
 * types are asked: in a province most units are branches, none of them a target of any of these.
 */
const TARGET_RULES = {
  forward: { types: ROUTING_TARGET_TYPES.forward, check: (settings, row, orgId) => checkL2Target(settings, row, orgId) },
  // At L2 a unit of the forward's types, at L3 a department: the check tells which.
  transfer: { types: [...ROUTING_TARGET_TYPES.forward, ...ROUTING_TARGET_TYPES.hand_off], check: (settings, row, orgId) => checkTransferTarget(settings, row, orgId) },
  hand_off: { types: ROUTING_TARGET_TYPES.hand_off, check: (settings, _row, orgId) => { settings.orgs.ofType(orgId, ROUTING_TARGET_TYPES.hand_off, 'toOrgId'); } },
  refer: {
    types: Object.values(REFERRAL_TARGET_TYPE),
    check: (settings, _row, orgId) => {
      if (!REFERRAL_KINDS.some((kind) => passes(() => checkReferralTarget(settings.orgs, orgId, kind)))) throw new NotAllowed('toOrgId', 'referral_target_invalid');
    },
  },
} satisfies Partial<Record<UserAction, { types: readonly OrgType[]; check: (settings: PlanSettings, row: CaseRow, orgId: string) => void }>>;
export type ActionTargets = Partial<Record<keyof typeof TARGET_RULES, string[]>>;

/**
 * A rule's verdict as a boolean: refused by the rules (a domain error) is false; anything else is a
 * bug and throws. An answer asks this of every active unit, so the refusals capture no stack (they
 * were ~1.5 % of an action's CPU); a bug is thrown again with its stack.
 */
function passes(check: () => void): boolean {
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    Error.stackTraceLimit = depth;
    check();
    throw error;
  } finally {
    Error.stackTraceLimit = depth;
  }
}

/** For each action that names a unit and that the caller may send now, the units its rules accept (pages offer only these). */
function actionTargets(settings: PlanSettings, row: CaseRow, allowed: UserAction[]): ActionTargets {
  const active = settings.orgs.active();
  return Object.fromEntries(Object.entries(TARGET_RULES).filter(([action]) => allowed.includes(action as UserAction))
    .map(([action, { types, check }]) => [action,
      active.filter((o) => types.some((t) => t === o.type) && passes(() => check(settings, row, o.id))).map((o) => o.id)]));
}

/** Another unit at the case's level: an L2 unit it may go to, or a department. */
function checkTransferTarget(settings: PlanSettings, row: CaseRow, toOrgId: string) {
  if (toOrgId === row.holderOrgId) throw new BadRequest('toOrgId: 不能转给自己 / a case is transferred to another unit, not to its holder');
  if (row.level === 'platform') checkL2Target(settings, row, toOrgId);
  else settings.orgs.ofType(toOrgId, ROUTING_TARGET_TYPES.hand_off, 'toOrgId');
}

/** The L2 unit a forward or transfer names: any street office for a territorial case (no platform), else a committee it may go to. */
function checkL2Target(settings: PlanSettings, row: CaseRow, orgId: string) {
  if (row.platform === null) {
    settings.orgs.ofType(orgId, ['territorial'], 'toOrgId');
    return;
  }
  // A platform committee a case may go to: one named by the worker's platforms or the case's, or the routing rules' pick.
  const org = settings.orgs.ofType(orgId, ['platform'], 'toOrgId');
  const allowed = new Set([row.platform, ...row.workerPlatforms]);
  if ((org.platform && allowed.has(org.platform)) || pickRoute(settings.rules, 'forward', row) === org.id) return;
  throw new NotAllowed(`toOrgId: 只能转给本案涉及的平台（${[...allowed].join('、')}）/ a case goes only to the committee of a platform it names (${[...allowed].join(', ')}) or the one the routing rules pick, not '${org.name}'`);
}

function checkSupervisionLength(settings: PlanSettings, row: CaseRow, amount: number, unit: TimeUnit, at: Date) {
  const min = policyFor(settings.policies, 'supervision_min', row.category, row.urgency);
  if (settings.calendar.addDuration(at, amount, unit) < settings.calendar.addDuration(at, min.amount, min.unit)) {
    throw new NotAllowed(`amount: 督办期限不能短于 ${min.amount} ${min.unit} / a supervision order's deadline may not be shorter than ${min.amount} ${min.unit} (policy supervision_min)`);
  }
}

/**
 * The unit one level up from the holder (the rules' APPROVER): the platform committee the case has
 * or would be forwarded to, its supervising or competent department, or none (any convener).
 */
function extensionApprover(settings: PlanSettings, row: CaseRow): string | null {
  switch (APPROVER[row.level].unit) {
    case 'platform': return row.platformOrgId ?? pickRoute(settings.rules, 'forward', row);
    case 'department': return row.supervisingOrgId ?? row.departmentOrgId ?? pickRoute(settings.rules, 'hand_off', row);
    case 'convener': return null;
  }
}

/** The holder's clock an extension would move: the latest one running at the case's level. */
function runningStep(facts: CaseFacts): DeadlineStep {
  const open = facts.deadlines.filter((d) => WORKING_CLOCKS[facts.row.level].includes(d.step) && d.status === 'pending')
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  if (!open[0]) throw new NotAllowed('没有正在计时的期限可以延期 / no running deadline to extend');
  return open[0].step;
}

type ReclassifyBody = Extract<ActionBody, { action: 'reclassify' }>;

/**
 * The fields a reclassification really changes (at least one), checked against the catalogue. A
 * sub-item belongs to its category: a new category keeps only a sub-item of its own. A case does not
 * move into or out of ALG (its algorithm fields come with its registration).
 */
function classificationChanges(
  row: CaseRow, body: ReclassifyBody, categoryRead: Parameters<typeof classificationOf>[0], orgs: OrgDirectory,
): ClassificationChanges {
  const changes: Record<string, string | null> = {};
  for (const field of CLASSIFICATION_FIELDS) {
    if (field !== 'subcategory' && body[field] !== undefined && body[field] !== row[field]) changes[field] = body[field];
  }
  const platforms = body.platforms ? workerPlatformsOf(row, body.platforms, orgs) : undefined;
  const category = body.category ?? row.category;
  const subcategory = body.subcategory ?? (row.subcategory?.startsWith(category) ? row.subcategory : null);
  if (subcategory !== row.subcategory) changes.subcategory = subcategory;
  if (Object.keys(changes).length === 0 && !platforms) {
    throw new BadRequest(`category: 请至少更正一项（${[...CLASSIFICATION_FIELDS, 'platforms'].join('、')}）/ a reclassification changes at least one of ${[...CLASSIFICATION_FIELDS, 'platforms'].join(', ')}`);
  }
  if (changes.category && (category === ALGORITHM_CATEGORY) !== (row.category === ALGORITHM_CATEGORY)) {
    throw new BadRequest('category: 算法类（ALG）与其他类别之间不能互改 / a case is not reclassified into or out of ALG (its algorithm fields come with its registration)');
  }
  if (changes.category || changes.subcategory) classificationOf(categoryRead, category, subcategory);
  return { ...changes, ...(platforms ? { workerPlatforms: platforms } : {}) };
}

/**
 * The worker's platforms as a reclassification corrects them (a case registered at the wrong
 * platform): each must have a platform committee, or a transfer to it could never be made; the
 * same list again changes nothing.
 */
function workerPlatformsOf(row: CaseRow, platforms: string[], orgs: OrgDirectory): string[] | undefined {
  for (const [i, name] of platforms.entries()) {
    if (!orgs.committeeOf(name)) throw new BadRequest(`platforms.${i}: 没有「${name}」的平台党委 / no platform committee for '${name}': a transfer could never go there`);
  }
  const same = platforms.length === row.workerPlatforms.length && platforms.every((p) => row.workerPlatforms.includes(p));
  return same ? undefined : platforms;
}

/** Co-handlers are active departments other than the holder, neither still to answer nor having answered. */
function checkCohandlers(orgs: OrgDirectory, row: CaseRow, orgIds: string[]) {
  const { cohandlers } = row.snapshot;
  for (const [i, orgId] of orgIds.entries()) {
    const field = `body.orgIds.${i}`;
    orgs.ofType(orgId, ['department'], field);
    if (orgId === row.holderOrgId) throw new BadRequest(`${field}: 牵头部门不能会办自己的案件 / the lead department does not co-handle its own case`);
    if (cohandlers?.[orgId] === 'waiting') throw new BadRequest(`${field}: 该部门已在会办 / this department is already co-handling the case`);
    if (cohandlers?.[orgId] === 'done') throw new BadRequest(`${field}: 该部门已提交会办意见 / this department has given its opinion already`);
  }
}

/**
 * A registration names live catalogue codes; a territorial category has no platform and must reach
 * a street office (a rule or an office covering its area); any other category names a platform
 * with a committee; `algorithm` comes with ALG cases and only with them. Returns whether it is territorial.
 */
function checkRegistration(territorial: boolean, settings: PlanSettings, input: RegisterInput): void {
  const isAlgorithm = input.category === ALGORITHM_CATEGORY;
  if (isAlgorithm && !input.algorithm) throw new BadRequest('algorithm: 算法类诉求须填写订单号、规则版本和决定时间 / an ALG case needs algorithm {orderId, ruleVersion, decidedAt}');
  if (!isAlgorithm && input.algorithm) throw new BadRequest(`algorithm: 只有算法类（ALG）诉求填写 / algorithm is only for ALG cases, not ${input.category}`);
  if (territorial) {
    if (input.platform) throw territorialPlatform(input.category);
    const subject = { platform: null, workerType: input.worker.workerType, category: input.category, area: input.area ?? null };
    if (!(pickRoute(settings.rules, 'forward', subject) ?? settings.orgs.officeForArea(subject.area))) {
      throw new BadRequest(input.area
        ? `area: 没有街道/镇负责区域 '${input.area}' / no street office covers area '${input.area}' and no routing rule matches`
        : `area: 属地类别须填写区域 / a territorial category (${input.category}) needs area to pick the street office`);
    }
    return;
  }
  if (!input.platform) throw new BadRequest('platform: 请填写涉及平台 / platform is required (it is optional only for territorial categories)');
  checkCommittee(settings, input.platform);
}

const territorialPlatform = (category: string) =>
  new BadRequest(`platform: 属地类别 ${category} 由街道办理，不填平台 / a territorial category (${category}) goes to the street office: leave platform out`);

function checkCommittee(settings: PlanSettings, platform: string): void {
  if (!settings.orgs.committeeOf(platform)) {
    throw new BadRequest(`platform: 平台 '${platform}' 没有平台党委 / '${platform}' is not the platform of any platform committee`);
  }
}

/**
 * A hotline's order as a registration at the branch: the channel `hotline`; no category is an
 * inquiry (HOTLINE.defaultCategory), which the branch's liaison classifies; no worker type is `other`.
 */
function registrationOf(order: HotlineOrder): RegisterInput {
  return {
    worker: {
      workerType: order.workerType ?? 'other', platforms: order.platform ? [order.platform] : [],
      ...(order.name ? { name: order.name } : {}), ...(order.phone ? { phone: order.phone } : {}),
    },
    channel: HOTLINE.channel, category: order.category ?? HOTLINE.defaultCategory, description: order.description, urgency: order.urgency ?? 'normal',
    ...(order.platform ? { platform: order.platform } : {}), ...(order.area ? { area: order.area } : {}),
  };
}

/**
 * A hotline's order names live catalogue codes; a platform, when named, has a committee (the case
 * goes there at once) and is not given with a territorial category; an ALG case needs the
 * algorithm's facts, which only the branch's registration carries. With no platform the branch
 * classifies and forwards it.
 */
function checkOrder(territorial: boolean, settings: PlanSettings, input: RegisterInput): void {
  if (input.category === ALGORITHM_CATEGORY) {
    throw new BadRequest('category: 算法类（ALG）诉求须由支部登记算法决定信息，热线工单请选其他类别或不填 / an ALG case needs the algorithm\'s facts, which a branch registers: give another category or none');
  }
  if (!input.platform) return;
  if (territorial) throw territorialPlatform(input.category);
  checkCommittee(settings, input.platform);
}

function referenceOf(at: Date, n: string): string {
  return `SQ-${at.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
}

/** The row of a case just registered at a branch; an anonymous worker's contact is not kept. */
function newCaseRow(
  id: string, input: RegisterInput, by: { branchOrgId: string; createdBy: string }, context: CaseContext, at: Date, reference: string,
  receiptCodeHash: string | null,
): NewCaseRow & { id: string } {
  const anonymous = input.worker.anonymous ?? false;
  return {
    id, reference, state: 'registered', level: 'branch', holderOrgId: by.branchOrgId, branchOrgId: by.branchOrgId,
    category: input.category, subcategory: input.subcategory ?? null, requestType: input.requestType ?? null,
    platform: input.platform ?? null, area: input.area ?? null, urgency: input.urgency, algorithm: input.algorithm ?? null,
    channel: input.channel, workerType: input.worker.workerType, workerPlatforms: input.worker.platforms,
    workerName: anonymous ? null : input.worker.name ?? null, workerPhone: anonymous ? null : input.worker.phone ?? null,
    anonymous, description: input.description, occurredAt: input.occurredAt ? new Date(input.occurredAt) : null,
    machineVersion: CASE_MACHINE_VERSION, snapshot: context, createdBy: by.createdBy, createdAt: at, updatedAt: at, receiptCodeHash,
  };
}

/** The case row a registration is planned on, before it exists: the new row with the columns' defaults. */
function rowOf(insert: NewCaseRow & { id: string }): CaseRow {
  return {
    platformOrgId: null, departmentOrgId: null, supervisingOrgId: null, supervised: false, overdue: false, onMeetingAgenda: false,
    dueAt: null, humanReview: null, resolution: null, outcome: null, mergedInto: null, version: 1, eventSeq: 0, eventHash: null,
    closedAt: null, contactErasedAt: null, assigneeUserId: null, subcategory: null, requestType: null, platform: null, area: null, algorithm: null,
    workerName: null, workerPhone: null, occurredAt: null, receiptCodeHash: null, anonymous: false,
    hotlineOrgId: null, hotlineOrderNo: null, hotlineOrderHash: null, workerLinkDigest: null, holderTimeline: [],
    ...insert, createdAt: insert.createdAt!, updatedAt: insert.updatedAt!,
  } as CaseRow;
}

/** The register event's data: the classification, the description and the contact (the writer keeps these beside the chain, hashed as keyed digests). */
function registrationData(row: CaseRow): EventData<'register'> {
  return {
    reference: row.reference, category: row.category, platform: row.platform, urgency: row.urgency, channel: row.channel, anonymous: row.anonymous,
    ...(row.subcategory ? { subcategory: row.subcategory } : {}), ...(row.requestType ? { requestType: row.requestType } : {}),
    ...(row.algorithm ? { algorithm: row.algorithm } : {}),
    ...(row.hotlineOrderNo ? { hotlineOrderNo: row.hotlineOrderNo } : {}),
    description: row.description,
    ...(row.workerName ? { workerName: row.workerName } : {}),
    ...(row.workerPhone ? { workerPhone: row.workerPhone } : {}),
    ...(row.workerLinkDigest ? { consentToLink: true as const } : {}),
  };
}

/** What the event itself says, for the record: the caller's words and numbers, never their role or unit. */
function eventFields(event: CaseEvent): Record<string, unknown> {
  const { type: _type, ...fields } = event as CaseEvent & { role?: unknown; action?: unknown; orgId?: unknown };
  delete fields.role;
  delete fields.action;
  delete fields.orgId;
  return fields;
}

/** A second feedback on one resolution, the liaison's or the worker's: the first one closed the step. */
function feedbackAlreadyRecorded(row: CaseRow) {
  return new NotAllowed(`本次办结的评价已记录（${row.outcome ?? row.state}）/ feedback on this resolution is already recorded (outcome: ${row.outcome ?? row.state}); the first feedback, the liaison's or the worker's, closed the step`, 'feedback_already_recorded');
}

function caseNotFound(id: string) {
  return new NotFound(`案件不存在 / no case '${id}'`);
}

/** A registration's fingerprint: SHA-256 of its canonical JSON (RFC 8785, as the record's hashes). */
function hashBody(body: unknown): string {
  return createHash('sha256').update(canonicalize(body)!).digest('hex');
}

