/**
 * The full case record. Postgres is the source of truth: queues and caches are rebuilt from here.
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, check, date, index, integer, jsonb, pgSequence, pgTable, primaryKey, serial, smallint, text,
  timestamp, unique, uniqueIndex, uuid, type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { CaseContext } from '../workflows/case-machine.js';
import {
  AGENDA_REASONS, DEADLINE_STEPS, LEVELS, MEETING_INTERVALS, ORG_TYPES, POLICY_STEPS, ROLES, ROUTING_STEPS, STATES, TIME_UNITS, URGENCIES,
  type AgendaReason, type CaseState, type DeadlineStep, type Duration, type Level, type PolicyStep, type ReferralKind, type TimeUnit, type Urgency,
} from '../workflows/case-rules.js';
import { SUBMISSION_KINDS, SUBMISSION_SOURCES, SUBMISSION_STATES, type SubmissionKind, type SubmissionSource, type SubmissionState } from '../workflows/submission-rules.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

/** The case rules' values as an SQL list (constants of case-rules.ts, never input). */
const listOf = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
/** A CHECK that a column holds one of the case rules' values (null passes: nullability is the column's own). */
const oneOf = (column: AnyPgColumn, values: readonly string[]): SQL => sql`${column} in (${listOf(values)})`;

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** `territorial`: a street / town office (街道 / 镇) acting at L2 for territorial categories (以块为主). */
  type: text('type', { enum: ORG_TYPES }).notNull(),
  parentId: uuid('parent_id'),
  /** For a platform committee: the platform it belongs to (美团, 饿了么 …). */
  platform: text('platform'),
  /** For a department: the worker types ("条") it is competent for. */
  sectors: text('sectors').array().notNull().default(sql`'{}'`),
  /** Territorial areas ("块") the unit covers. */
  areas: text('areas').array().notNull().default(sql`'{}'`),
  /** For a mediation unit: what a case may be referred to it for (mediation, legal_aid, arbitration). */
  services: text('services').array().$type<ReferralKind[]>().notNull().default(sql`'{}'`),
  /** For a 12345 hotline: the branch that registers its orders when no branch's areas hold the order's area. */
  defaultBranchId: uuid('default_branch_id').references((): AnyPgColumn => orgs.id),
  /** Where notifications are delivered (issue: time); null = log only. */
  webhookUrl: text('webhook_url'),
  /** Set when an admin deactivates the unit (never deleted: the record names it). */
  deactivatedAt: ts('deactivated_at'),
  /** HMAC-SHA256 key signing each webhook delivery (issue 12); random per unit, shown to admins only. */
  webhookSecret: text('webhook_secret').notNull().default(sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('orgs_platform_committee').on(t.platform).where(sql`${t.type} = 'platform'`)]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  orgId: uuid('org_id').references(() => orgs.id),
  role: text('role', { enum: ROLES }).notNull(),
  /** Set when an admin deactivates the user: every token stops working. */
  deactivatedAt: ts('deactivated_at'),
  createdAt: createdAt(),
}, (t) => [index('users_org').on(t.orgId)]);

/** Only a SHA-256 hash of a token is kept; the token itself is shown once. */
export const apiTokens = pgTable('api_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdAt: createdAt(),
  revokedAt: ts('revoked_at'),
  /** Null = no expiry (TOKEN_TTL_DAYS unset). */
  expiresAt: ts('expires_at'),
  /** Updated at most once a minute per token. */
  lastUsedAt: ts('last_used_at'),
}, (t) => [index('api_tokens_user').on(t.userId)]);

/** One-time, short-lived sign-in links (only the hash is kept); exchanged for a token. */
export const signInLinks = pgTable('sign_in_links', {
  codeHash: text('code_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: createdAt(),
});

/** Every configuration change an admin makes (units, users, tokens, rules, policies, calendar, channels). */
export const adminChanges = pgTable('admin_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull().defaultNow(),
  /** Null for the bootstrap ADMIN_TOKEN. */
  actorUserId: uuid('actor_user_id'),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  action: text('action').notNull(),
  /** What changed, never a token or a secret. */
  details: jsonb('details').notNull().default({}),
}, (t) => [index('admin_changes_at').on(t.at)]);

/** The catalogue (TAXONOMY.md), edited by admins: codes are never deleted while a case uses them, only retired. */
export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  subItems: jsonb('sub_items').$type<{ code: string; zh: string; en: string; retired?: boolean }[]>().notNull().default([]),
  defaultDepartment: text('default_department').notNull().default(''),
  /** Territorial matters go from the branch to the street office of the case's area, with no platform. */
  territorial: boolean('territorial').notNull().default(false),
  /** Refused on new registrations and reclassifications; old cases keep showing it. */
  retired: boolean('retired').notNull().default(false),
  position: integer('position').notNull().default(0),
});

export const routingRules = pgTable('routing_rules', {
  id: serial('id').primaryKey(),
  step: text('step', { enum: ROUTING_STEPS }).notNull(),
  platform: text('platform'),
  workerType: text('worker_type'),
  category: text('category'),
  area: text('area'),
  toOrgId: uuid('to_org_id').notNull().references(() => orgs.id),
});

export const slaPolicies = pgTable('sla_policies', {
  id: serial('id').primaryKey(),
  step: text('step').$type<PolicyStep>().notNull(),
  category: text('category'),
  urgency: text('urgency').$type<Urgency>(),
  amount: integer('amount').notNull(),
  unit: text('unit').$type<TimeUnit>().notNull(),
  /** The longest a clock of this step may wait for information before it resumes on its own. */
  maxPauseAmount: integer('max_pause_amount'),
  maxPauseUnit: text('max_pause_unit').$type<TimeUnit>(),
}, (t) => [
  check('sla_policies_step_known', oneOf(t.step, POLICY_STEPS)),
  check('sla_policies_urgency_known', oneOf(t.urgency, URGENCIES)),
  check('sla_policies_unit_known', oneOf(t.unit, TIME_UNITS)),
  check('sla_policies_max_pause_unit_known', oneOf(t.maxPauseUnit, TIME_UNITS)),
]);

/** One change of holder in `cases.holder_timeline`: the level and unit that took the case, and when (ISO). */
export interface HolderEntry { level: Level; orgId: string; at: string }

export const caseReferenceSeq = pgSequence('case_reference_seq', { startWith: 1 });

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  reference: text('reference').notNull().unique(),
  state: text('state').$type<CaseState>().notNull(),
  level: text('level').$type<Level>().notNull(),
  holderOrgId: uuid('holder_org_id').notNull().references(() => orgs.id),
  branchOrgId: uuid('branch_org_id').notNull().references(() => orgs.id),
  /** The platform committee that holds or last held the case. */
  platformOrgId: uuid('platform_org_id').references(() => orgs.id),
  /** The department that holds or last held the case. */
  departmentOrgId: uuid('department_org_id').references(() => orgs.id),
  supervisingOrgId: uuid('supervising_org_id').references(() => orgs.id),
  supervised: boolean('supervised').notNull().default(false),
  overdue: boolean('overdue').notNull().default(false),
  onMeetingAgenda: boolean('on_meeting_agenda').notNull().default(false),
  /** Due time of the clock now running (or missed); null when none runs. Sorts oversight boards. */
  dueAt: ts('due_at'),
  category: text('category').notNull(),
  /** A catalogue sub-item code (TAXONOMY.md). */
  subcategory: text('subcategory'),
  /** consult | help | complaint | report | suggestion (12345's second dimension). */
  requestType: text('request_type'),
  /** Null for territorial cases: a street office, not a platform, handles them. */
  platform: text('platform'),
  area: text('area'),
  urgency: text('urgency').$type<Urgency>().notNull(),
  /** ALG cases: the platform's order id, the rule or model version applied, when it decided, the amount. */
  algorithm: jsonb('algorithm').$type<{ orderId: string; ruleVersion: string; decidedAt: string; amount?: number }>(),
  /** ALG cases: the committee's human review of the algorithm's decision. */
  humanReview: jsonb('human_review').$type<{ outcome: string; explanation: string; at: string; orgId: string }>(),
  channel: text('channel').notNull(),
  workerType: text('worker_type').notNull(),
  workerPlatforms: text('worker_platforms').array().notNull(),
  /** Personal information (PIPL): masked in answers unless the role needs it; never logged. */
  workerName: text('worker_name'),
  workerPhone: text('worker_phone'),
  anonymous: boolean('anonymous').notNull().default(false),
  description: text('description').notNull(),
  occurredAt: ts('occurred_at'),
  resolution: text('resolution'),
  outcome: text('outcome'),
  mergedInto: uuid('merged_into'),
  version: integer('version').notNull().default(1),
  /** The head of the case's record: the last event's seq and hash (the next event chains to it). */
  eventSeq: integer('event_seq').notNull().default(0),
  eventHash: text('event_hash'),
  machineVersion: integer('machine_version').notNull(),
  /** The chart's context (the state is the `state` column): what `restoreCase` needs. */
  snapshot: jsonb('snapshot').$type<CaseContext>().notNull(),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  closedAt: ts('closed_at'),
  /** When retention erased the worker's name and phone (PII_RETENTION_DAYS after closure). */
  contactErasedAt: ts('contact_erased_at'),
  /** HMAC-SHA256 (server secret) of the worker's receipt code: a leaked table does not reveal the codes. */
  receiptCodeHash: text('receipt_code_hash'),
  /** The person of the holding unit the case is assigned to (一人身兼多职); cleared whenever the case leaves the unit. */
  assigneeUserId: uuid('assignee_user_id').references(() => users.id),
  /** A case a 12345 hotline handed over (POST /intake/hotline): the hotline, its work order number, the order's fingerprint (a keyed digest of its canonical JSON). */
  hotlineOrgId: uuid('hotline_org_id').references(() => orgs.id),
  hotlineOrderNo: text('hotline_order_no'),
  hotlineOrderHash: text('hotline_order_hash'),
  /**
   * Only when the worker agreed (worker.consentToLink): HMAC-SHA-256 (LINK_KEY) of their normalised
   * phone, the same for every case of theirs, so their other open cases can be hinted and merged.
   * Outside the hashed record; erased with the contact (retention).
   */
  workerLinkDigest: text('worker_link_digest'),
  /**
   * Who held the case, from when: an entry each time the holder changed, in the record's order
   * (the record says the same: its events' holders). Kept by the case writer in the transition's
   * batch, so that an export of 100,000 cases reads it with the row instead of walking 600,000 events.
   */
  holderTimeline: jsonb('holder_timeline').$type<HolderEntry[]>().notNull().default([]),
}, (t) => [
  // The same consenting worker's open cases: one index read.
  index('cases_open_worker_link').on(t.workerLinkDigest).where(sql`${t.workerLinkDigest} is not null and ${t.closedAt} is null`),
  // One case per work order of a hotline: the same order again finds it.
  uniqueIndex('cases_hotline_order').on(t.hotlineOrgId, t.hotlineOrderNo).where(sql`${t.hotlineOrderNo} is not null`),
  index('cases_state').on(t.state),
  index('cases_contact_retention').on(t.closedAt).where(sql`${t.contactErasedAt} is null and ${t.closedAt} is not null`),
  index('cases_holder').on(t.holderOrgId),
  // The open cases a unit holds, counted from the index alone (the dormant-unit check, src/orgs/dormant-units.ts).
  index('cases_open_holder').on(t.holderOrgId).where(sql`${t.closedAt} is null`),
  index('cases_created').on(t.createdAt, t.id),
  // The queue sorted by last change (sort=updated).
  index('cases_updated').on(t.updatedAt, t.id),
  // The measures per case read a period's cases and their grouping columns from the index alone.
  index('cases_created_groups').on(t.createdAt, t.category, t.platform, t.area, t.id),
  index('cases_holder_due').on(t.holderOrgId, t.dueAt),
  index('cases_supervising_due').on(t.supervisingOrgId, t.dueAt),
  // A person's cases (assignee=) and the unit's workload (open and overdue per person) from the index alone.
  index('cases_assignee').on(t.assigneeUserId, t.closedAt, t.overdue).where(sql`${t.assigneeUserId} is not null`),
  // Queues: open cases by due time; the worker's phone by its last 4 digits (q=1234), never stored apart.
  index('cases_open_due').on(sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.id).where(sql`${t.closedAt} is null`),
  index('cases_phone_last4').on(sql`right(regexp_replace(${t.workerPhone}, '[^0-9]', '', 'g'), 4)`).where(sql`${t.workerPhone} is not null`),
  // The registering liaison's hint: the branch's own open cases with the worker's phone (its digits).
  index('cases_open_branch_phone').on(t.branchOrgId, sql`regexp_replace(${t.workerPhone}, '[^0-9]', '', 'g')`)
    .where(sql`${t.closedAt} is null and ${t.workerPhone} is not null`),
  check('cases_state_known', oneOf(t.state, STATES)),
  check('cases_level_known', oneOf(t.level, LEVELS)),
  check('cases_urgency_known', oneOf(t.urgency, URGENCIES)),
]);

/** Every unit that holds, has held or supervises a case: the scope of its users. */
export const caseParticipants = pgTable('case_participants', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.caseId] }),
  // A transition's locking read lists the units of one case: without it, every action scans the table.
  index('case_participants_case').on(t.caseId),
]);

/**
 * Co-handling (横向联动): departments asked by the lead for an opinion, each against its own
 * `contribute` clock. A co-handler reads the case like a unit that has held it.
 */
export const caseCohandlers = pgTable('case_cohandlers', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  reason: text('reason').notNull(),
  addedAt: ts('added_at').notNull(),
  dueAt: ts('due_at').notNull(),
  contributedAt: ts('contributed_at'),
  opinion: text('opinion'),
}, (t) => [primaryKey({ columns: [t.caseId, t.orgId] })]);

/**
 * Append-only: the full record, ordered per case by seq, each event chained to the one before by
 * its hash (API.md). `data` is a typed union per action (src/cases/case-record.ts); what the
 * measures and the agenda read is in typed columns. A trigger refuses UPDATE and DELETE.
 */
export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  seq: integer('seq').notNull(),
  at: ts('at').notNull().defaultNow(),
  actorUserId: uuid('actor_user_id'),
  actorOrgId: uuid('actor_org_id'),
  actorSystem: text('actor_system'),
  action: text('action').notNull(),
  fromState: text('from_state'),
  toState: text('to_state').notNull(),
  level: text('level').$type<Level>().notNull(),
  holderOrgId: uuid('holder_org_id'),
  data: jsonb('data').notNull().default({}),
  /** 1: written before the typed record (data was the request body); 2: typed data. */
  schemaVersion: integer('schema_version').notNull().default(1),
  /** The deadline step a clock event concerns. */
  step: text('step'),
  /** Feedback: the worker's rating, whether the problem was solved, and the unit whose resolution is judged. */
  rating: text('rating'),
  solved: text('solved'),
  resolvedByOrgId: uuid('resolved_by_org_id'),
  /** Why the chart put the case on the meeting agenda (one of AGENDA_REASONS). */
  reasonCode: text('reason_code').$type<AgendaReason>(),
  /** The unit the case arrived at with this event (null when the holder did not change). */
  toOrgId: uuid('to_org_id'),
  prevHash: text('prev_hash'),
  hash: text('hash'),
  /**
   * The personal fields' text, kept beside the chain (the hashed `data` holds only their keyed
   * digests): masked by role in answers, erasable after retention without breaking the chain.
   */
  texts: jsonb('texts').$type<Record<string, string | null>>(),
}, (t) => [
  uniqueIndex('case_events_seq').on(t.caseId, t.seq),
  // The audit export: a period's events, streamed in order.
  index('case_events_at').on(t.at, t.caseId, t.seq),
  // Events still to rewrite to keyed digests (db/migrate.ts): empty once done, so the check at start costs nothing.
  index('case_events_before_keyed').on(t.caseId).where(sql`${t.schemaVersion} < 3`),
  index('case_events_action_at').on(t.action, t.at),
  index('case_events_reason_at').on(t.reasonCode, t.at).where(sql`${t.reasonCode} is not null`),
  // The measures: a period's arrivals (registration, or a move to another unit), resolutions and feedback, from the index alone.
  index('case_events_arrivals').on(t.at, t.caseId, t.seq, t.toOrgId, t.holderOrgId).where(sql`${t.toOrgId} is not null or ${t.action} = 'register'`),
  index('case_events_arrivals_case').on(t.caseId, t.at, t.toOrgId, t.holderOrgId).where(sql`${t.toOrgId} is not null or ${t.action} = 'register'`),
  index('case_events_judged').on(t.action, t.at, t.caseId, t.seq, t.resolvedByOrgId, t.actorOrgId, t.rating, t.solved)
    .where(sql`${t.action} in ('resolve', 'feedback')`),
  // A unit's last act (挂牌不运行: the daily check of units holding open cases that acted on none for 30 days).
  index('case_events_actor_at').on(t.actorOrgId, t.at).where(sql`${t.actorOrgId} is not null`),
  check('case_events_level_known', oneOf(t.level, LEVELS)),
  check('case_events_reason_code_known', oneOf(t.reasonCode, AGENDA_REASONS)),
]);

/**
 * 挂牌不运行: a unit flagged to the convener units on a day for holding open cases while acting on none
 * for 30 days (src/orgs/dormant-units.ts). One row per unit and day: whichever worker comes first tells them, once.
 */
export const dormantUnitFlags = pgTable('dormant_unit_flags', {
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  /** The day (Asia/Shanghai) of the check. */
  day: date('day', { mode: 'string' }).notNull(),
  openCases: integer('open_cases').notNull(),
  lastActedAt: ts('last_acted_at'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.day] })]);

/**
 * A daily anchor (每日锚定): one hash over the heads of the case records that moved that day,
 * chained day to day, and published outside the database. `recordVersion` 2: anchors of the
 * record before keyed digests (over every case's head), kept as they were published.
 */
export const auditAnchors = pgTable('audit_anchors', {
  recordVersion: integer('record_version').notNull().default(2),
  day: date('day', { mode: 'string' }).notNull(),
  cases: integer('cases').notNull(),
  headsHash: text('heads_hash').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.recordVersion, t.day] })]);

/**
 * One row per clock a state starts. `rev` grows whenever the due time moves (pause, resume,
 * extension). The workers claim due clocks from here (src/deadlines/deadline-store.ts).
 */
export const deadlines = pgTable('deadlines', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  step: text('step').$type<DeadlineStep>().notNull(),
  level: text('level').$type<Level>().notNull(),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  startedAt: ts('started_at').notNull(),
  dueAt: ts('due_at').notNull(),
  warnAt: ts('warn_at').notNull(),
  status: text('status', { enum: ['pending', 'paused', 'met', 'missed', 'cancelled'] }).notNull(),
  rev: integer('rev').notNull().default(1),
  pausedAt: ts('paused_at'),
  warnedAt: ts('warned_at'),
  closedAt: ts('closed_at'),
  /** The clock's own duration, so that it can be recomputed from its start when a year's schedule arrives. */
  amount: integer('amount'),
  unit: text('unit').$type<TimeUnit>(),
  /** Paused time given back so far, measured in the clock's unit (working time for working units), ms. */
  givenBackMs: bigint('given_back_ms', { mode: 'number' }).notNull().default(0),
  /** Approved extensions, in order. */
  extensions: jsonb('extensions').$type<Duration[]>().notNull().default([]),
  /** The due time counts days of a year whose official schedule is not loaded yet. */
  provisional: boolean('provisional').notNull().default(false),
}, (t) => [
  index('deadlines_case').on(t.caseId),
  index('deadlines_provisional').on(t.caseId).where(sql`${t.provisional} and ${t.status} in ('pending', 'paused')`),
  index('deadlines_pending_due').on(t.dueAt).where(sql`${t.status} = 'pending'`),
  // The warnings still to give: the workers' claim and the sweeper read them by time, never by scanning.
  index('deadlines_pending_warn').on(t.warnAt).where(sql`${t.status} = 'pending' and ${t.warnedAt} is null`),
  // Wide enough for the measures to read a period from the index alone.
  index('deadlines_started').on(t.startedAt, t.caseId, t.orgId, t.status, t.step),
  index('deadlines_closed').on(t.closedAt, t.orgId, t.status, t.step, t.startedAt, t.caseId),
  check('deadlines_step_known', oneOf(t.step, DEADLINE_STEPS)),
  check('deadlines_level_known', oneOf(t.level, LEVELS)),
  check('deadlines_unit_known', oneOf(t.unit, TIME_UNITS)),
]);

/** A registration's key: only the request's hash and the case it made — never the request itself. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  userId: uuid('user_id').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  caseId: uuid('case_id'),
  /** The receipt code, sealed (AES-256-GCM, server secret), so a replay returns the first answer whole. */
  receiptCodeSealed: text('receipt_code_sealed'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.userId, t.key] })]);

/** Admin corrections to the official calendar (schedules have changed mid-year before). */
export const calendarOverrides = pgTable('calendar_overrides', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: text('kind', { enum: ['workday', 'holiday'] }).notNull(),
  note: text('note'),
});

/** A year's published schedule loaded by an admin (the year's source becomes `override`). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  holidays: date('holidays', { mode: 'string' }).array().notNull(),
  workdays: date('workdays', { mode: 'string' }).array().notNull(),
  loadedAt: ts('loaded_at').notNull().defaultNow(),
});

/** Notifications to deliver after commit (warning, overdue, hand-off arriving). */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  /** Null for a message about no one case (the daily record anchor to the convener units). */
  caseId: uuid('case_id'),
  kind: text('kind').notNull(),
  payload: jsonb('payload').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  deliveredAt: ts('delivered_at'),
  lastError: text('last_error'),
  /** Which of the unit's channels this row goes to: its signed webhook, a WeCom or DingTalk robot, e-mail, SMS. */
  channel: text('channel', { enum: ['webhook', 'wecom', 'dingtalk', 'email', 'sms'] }).notNull().default('webhook'),
  /** The W3C `traceparent` of the transition that wrote the row, continued by its delivery's span; null when nothing was traced. */
  traceparent: text('traceparent'),
  createdAt: createdAt(),
}, (t) => [
  index('outbox_undelivered').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null`),
  // A case page's list of what the worker was told (the case's `worker_*` rows).
  index('outbox_worker_messages').on(t.caseId, t.createdAt).where(sql`${t.kind} like 'worker\\_%'`),
]);

/**
 * Demo mode only (the embedded database, src/demo/demo-sms.ts): the texts of the worker SMS that
 * would have gone out, with their links, so a newcomer can follow the worker's feedback link. The
 * phone is kept masked. Production never writes a row: only a runtime in demo mode records here.
 */
export const demoSms = pgTable('demo_sms', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  kind: text('kind').notNull(),
  /** Masked (138****5678); null when the case has no phone (anonymous: nothing would have been sent to anyone). */
  phone: text('phone'),
  text: text('text').notNull(),
  link: text('link').notNull(),
  createdAt: createdAt(),
}, (t) => [index('demo_sms_newest').on(t.createdAt)]);

/**
 * A receiver's health (a unit's channel): consecutive failures park it (its rows wait, other
 * receivers' rows go on) until `parkedUntil`, when one delivery probes it again.
 */
export const deliveryReceivers = pgTable('delivery_receivers', {
  orgId: uuid('org_id').notNull(),
  channel: text('channel').notNull().default('webhook'),
  failures: integer('failures').notNull().default(0),
  parkedUntil: ts('parked_until'),
  lastError: text('last_error'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.channel] })]);

/**
 * A unit's message channels, set by admins (`PUT /api/v1/orgs/:id/channels`): one row per kind.
 * `settings` holds robot URLs, secrets, addresses — shown to admins only, never logged.
 */
export const orgChannels = pgTable('org_channels', {
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  channel: text('channel', { enum: ['wecom', 'dingtalk', 'email', 'sms'] }).notNull(),
  settings: jsonb('settings').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.channel] })]);

/**
 * The in-app notification centre: one row per notification to a unit (`role` null: every user
 * of the unit; else only its users with that role); each user's reads in `notification_reads`.
 * Title and body carry the reference, never personal data.
 */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  role: text('role'),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  kind: text('kind').notNull(),
  reference: text('reference').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [index('notifications_org_created').on(t.orgId, t.createdAt, t.id)]);

export const notificationReads = pgTable('notification_reads', {
  userId: uuid('user_id').notNull().references(() => users.id),
  notificationId: uuid('notification_id').notNull().references(() => notifications.id),
  readAt: ts('read_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.userId, t.notificationId] })]);

/** Every read of a worker's full contact details (PIPL); a reveal carries its reason. */
export const personalDataReads = pgTable('personal_data_reads', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull(),
  userId: uuid('user_id').notNull(),
  at: ts('at').notNull().defaultNow(),
  /** The caller's unit when the row was written. */
  orgId: uuid('org_id'),
  /** Set for an explicit reveal (POST /cases/:id/reveal); null for the registering liaison's reads. */
  reason: text('reason'),
}, (t) => [index('personal_data_reveals_at').on(t.at).where(sql`${t.reason} is not null`)]);

/** A meeting drafted on a schedule (monthly): from `firstDay` on, on each month's first working day, for the month before. */
export const meetingSchedules = pgTable('meeting_schedules', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  every: text('every', { enum: MEETING_INTERVALS }).notNull(),
  firstDay: date('first_day', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: createdAt(),
}, (t) => [check('meeting_schedules_every_known', oneOf(t.every, MEETING_INTERVALS))]);

/** A coordination meeting (诉求处理协调会) for a period; its decisions are assign_lead events. */
export const meetings = pgTable('meetings', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  periodFrom: ts('period_from').notNull(),
  periodTo: ts('period_to').notNull(),
  attendees: text('attendees').array().notNull().default(sql`'{}'`),
  minutes: text('minutes'),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: createdAt(),
  /** Drafted by this schedule: one meeting per schedule and period. */
  scheduleId: uuid('schedule_id').references(() => meetingSchedules.id),
}, (t) => [uniqueIndex('meetings_schedule_period').on(t.scheduleId, t.periodFrom)]);

/** The agenda: each stuck case once, with the reasons it is on it. */
export const meetingItems = pgTable('meeting_items', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  reasons: text('reasons').array().$type<AgendaReason[]>().notNull(),
}, (t) => [
  uniqueIndex('meeting_items_case').on(t.meetingId, t.caseId),
  check('meeting_items_reasons_known', sql`${t.reasons} <@ array[${listOf(AGENDA_REASONS)}]::text[]`),
]);

/** A large export running as a job: progress is polled, the file downloaded when done. */
export const exportJobs = pgTable('export_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  meetingId: uuid('meeting_id').notNull().references(() => meetings.id),
  format: text('format').notNull(),
  /** queued → running → done (→ expired after the retention period) or failed. */
  status: text('status', { enum: ['queued', 'running', 'done', 'failed', 'expired'] }).notNull(),
  progress: integer('progress').notNull().default(0),
  /** The file's key in the export storage (src/storage). */
  path: text('path'),
  attempts: integer('attempts').notNull().default(0),
  finishedAt: ts('finished_at'),
  error: text('error'),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
});

/**
 * A systemic issue (系统性问题): open cases that share a cause, linked by the convener and decided
 * once for all of them (the decision is an assign_lead on every linked case).
 */
export const systemicIssues = pgTable('systemic_issues', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: createdAt(),
  leadOrgId: uuid('lead_org_id').references(() => orgs.id),
  amount: integer('amount'),
  unit: text('unit'),
  decision: text('decision'),
  meetingId: uuid('meeting_id').references(() => meetings.id),
  decidedBy: uuid('decided_by').references(() => users.id),
  decidedAt: ts('decided_at'),
});

export const systemicIssueCases = pgTable('systemic_issue_cases', {
  issueId: uuid('issue_id').notNull().references(() => systemicIssues.id),
  caseId: uuid('case_id').notNull().references(() => cases.id),
}, (t) => [primaryKey({ columns: [t.issueId, t.caseId] }), index('systemic_issue_cases_case').on(t.caseId)]);

/** Evidence files of a case; the bytes live in the file storage under `storageKey`. */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  /** A safe display name (no path, no control characters, personal numbers masked). */
  name: text('name').notNull(),
  /** Detected from the bytes, never taken from the client. */
  contentType: text('content_type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull().unique(),
  uploadedBy: uuid('uploaded_by').notNull().references(() => users.id),
  uploadedByOrgId: uuid('uploaded_by_org_id').notNull().references(() => orgs.id),
  createdAt: createdAt(),
}, (t) => [index('attachments_case').on(t.caseId, t.createdAt)]);

/**
 * One-time links for the worker's own feedback (回访), made when a case is resolved. Only the
 * token's SHA-256 is kept; the link expires with the feedback clock and works once.
 */
export const workerFeedbackLinks = pgTable('worker_feedback_links', {
  tokenHash: text('token_hash').primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: createdAt(),
}, (t) => [index('worker_feedback_links_case').on(t.caseId)]);

/**
 * Wrong phone digits given for a case's public status, per day: past a limit that reference takes
 * only its receipt code until the next day, so the last 4 digits cannot be guessed from many
 * addresses (10,000 tries).
 */
export const publicLookupFailures = pgTable('public_lookup_failures', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  day: date('day').notNull(),
  failures: integer('failures').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.day] })]);

/**
 * The measures' daily counters (src/metrics/measure-rollup.ts), kept by the case writer in the
 * transaction of the event that changes them. One row per day (Asia/Shanghai), unit and grouping:
 * `dimension` is what `GET /metrics` groups by, `value` the case's value of it when the event
 * happened (null: no platform, no area; always null for `org`). `org` rows count per arrival,
 * the others per case (README, "Measures").
 */
export const measureDays = pgTable('measure_days', {
  day: date('day', { mode: 'string' }).notNull(),
  orgId: uuid('org_id').notNull(),
  dimension: text('dimension').notNull(),
  value: text('value'),
  /**
   * Which of a key's rows this is: a transaction adds to the row of its connection's shard
   * (`pg_backend_pid() % MEASURE_SHARDS`, src/metrics/measure-rollup.ts), so concurrent transactions counting for the same unit on
   * the same day do not wait on one row until each other's commit. Readers sum over shards.
   */
  shard: smallint('shard').notNull().default(0),
  received: integer('received').notNull().default(0),
  acceptsJudged: integer('accepts_judged').notNull().default(0),
  acceptedOnTime: integer('accepted_on_time').notNull().default(0),
  rectifications: integer('rectifications').notNull().default(0),
  rectifiedOnTime: integer('rectified_on_time').notNull().default(0),
  resolved: integer('resolved').notNull().default(0),
  onTime: integer('on_time').notNull().default(0),
  overdue: integer('overdue').notNull().default(0),
  escalated: integer('escalated').notNull().default(0),
  reopened: integer('reopened').notNull().default(0),
  feedback: integer('feedback').notNull().default(0),
  satisfied: integer('satisfied').notNull().default(0),
  solvedAnswered: integer('solved_answered').notNull().default(0),
  solved: integer('solved').notNull().default(0),
  algReviews: integer('alg_reviews').notNull().default(0),
  algReviewedOnTime: integer('alg_reviewed_on_time').notNull().default(0),
  referred: integer('referred').notNull().default(0),
  referralsAnswered: integer('referrals_answered').notNull().default(0),
  referralsSettled: integer('referrals_settled').notNull().default(0),
  /** Clocks closed (met or missed) and their total time from start to close: the average handling time. */
  handled: integer('handled').notNull().default(0),
  handlingMs: bigint('handling_ms', { mode: 'number' }).notNull().default(0),
}, (t) => [
  // A grouping's period reads one range of this key; the writer's upsert finds its row by it.
  unique('measure_days_key').on(t.dimension, t.day, t.orgId, t.value, t.shard).nullsNotDistinct(),
]);

/**
 * An Open311 client system's key (`POST /api/v1/open311/keys`, admin): bound to one branch, whose
 * 待核实 queue its requests enter. Only the key's SHA-256 is kept; shown once.
 */
export const open311Keys = pgTable('open311_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  branchId: uuid('branch_id').notNull().references(() => orgs.id),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: createdAt(),
});

/**
 * A worker's own submission (workflows/submission-rules.ts): not a case until its branch's liaison
 * registers it. The tracking code is kept only as its SHA-256. Its `l0_verify` clock is the
 * `due_at`/`warn_at` pair, fired once each (`warned_at`, `missed_at`) by the deadline workers,
 * found through the two partial indexes.
 */
export const submissions = pgTable('submissions', {
  id: uuid('id').primaryKey().defaultRandom(),
  trackingCodeHash: text('tracking_code_hash').notNull().unique(),
  branchId: uuid('branch_id').notNull().references(() => orgs.id),
  kind: text('kind').$type<SubmissionKind>().notNull(),
  state: text('state').$type<SubmissionState>().notNull().default('waiting'),
  source: text('source').$type<SubmissionSource>().notNull().default('public'),
  description: text('description').notNull(),
  category: text('category'),
  /** Personal: shown masked, copied to the case at registration. */
  phone: text('phone'),
  anonymous: boolean('anonymous').notNull().default(false),
  workerType: text('worker_type'),
  platform: text('platform'),
  area: text('area'),
  dueAt: ts('due_at').notNull(),
  warnAt: ts('warn_at').notNull(),
  warnedAt: ts('warned_at'),
  missedAt: ts('missed_at'),
  caseId: uuid('case_id').references(() => cases.id),
  /** The Open311 client system that sent it (source `open311`). */
  open311KeyId: uuid('open311_key_id').references(() => open311Keys.id),
  /** The liaison's reason for declining (the worker sees it), or the note forwarding a suggestion. */
  reason: text('reason'),
  decidedBy: uuid('decided_by').references(() => users.id),
  decidedAt: ts('decided_at'),
  createdAt: createdAt(),
}, (t) => [
  index('submissions_open311').on(t.open311KeyId, t.createdAt).where(sql`${t.open311KeyId} is not null`),
  check('submissions_open311_key', sql`(${t.source} = 'open311') = (${t.open311KeyId} is not null)`),
  index('submissions_branch_waiting').on(t.branchId, t.createdAt).where(sql`${t.state} = 'waiting'`),
  index('submissions_pending_due').on(t.dueAt).where(sql`${t.state} = 'waiting' and ${t.missedAt} is null`),
  // Contact retention finds the phones of declined or forwarded submissions by their decision time.
  index('submissions_phone_kept').on(t.decidedAt).where(sql`${t.phone} is not null and ${t.state} in ('declined', 'forwarded')`),
  index('submissions_pending_warn').on(t.warnAt).where(sql`${t.state} = 'waiting' and ${t.warnedAt} is null`),
  check('submissions_kind_known', oneOf(t.kind, SUBMISSION_KINDS)),
  check('submissions_state_known', oneOf(t.state, SUBMISSION_STATES)),
  check('submissions_source_known', oneOf(t.source, SUBMISSION_SOURCES)),
  check('submissions_registered_case', sql`(${t.state} = 'registered') = (${t.caseId} is not null)`),
]);

/** A submission's files (photo, voice note), checked as case attachments are; copied to the case at registration. */
export const submissionAttachments = pgTable('submission_attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  submissionId: uuid('submission_id').notNull().references(() => submissions.id),
  name: text('name').notNull(),
  contentType: text('content_type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull().unique(),
  createdAt: createdAt(),
}, (t) => [index('submission_attachments_submission').on(t.submissionId, t.createdAt)]);
