/**
 * The case record (全程留痕): append-only events, each typed by its action and chained to the one
 * before by a hash an outside auditor can recompute (API.md):
 *   hash = hex SHA-256 of the RFC 8785 canonical JSON of
 *          {caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}
 * The first event's prevHash is 64 zeros. Personal fields (the worker's name and phone, every free
 * text) enter the hashed `data` only as keyed digests (HMAC-SHA-256 with RECORD_PEPPER, over
 * `caseId:value`): a digest reveals nothing and links nothing across cases. Their text is kept
 * beside the chain (`texts`), masked by role in answers and erasable after retention; the hashed
 * form is what `/audit/export` serves. A daily anchor chains the heads of the records that moved
 * that day and is published outside the database (src/cases/record-anchors.ts).
 */
import canonicalize from 'canonicalize';
import { createHash, createHmac } from 'node:crypto';
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { fixedInsert, inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';
import type { caseEvents } from '../../db/schema.js';
import { USER_ACTIONS, bodyProperties, type UserAction } from '../../workflows/case-actions.js';
import { AGENDA_REASONS, DEADLINE_STEPS, LEVELS, REOPENING, type Level } from '../../workflows/case-rules.js';

/** 3: personal fields as keyed digests, their text beside the chain; 2: typed data; 1: the request body. */
export const RECORD_SCHEMA_VERSION = 3;
export const GENESIS_HASH = '0'.repeat(64);

export type CaseEventRow = typeof caseEvents.$inferSelect;
export interface EventActor { userId?: string | null; orgId?: string | null; system?: string }
/** The actor as the record stores and hashes it: only the keys that are set. */
export interface RecordedActor { userId?: string; orgId?: string; system?: string }

// --- The typed data of each action ------------------------------------------------------------

const Id = Type.String({ format: 'uuid' });
const Text = Type.String();
const Opt = Type.Optional;
const Step = Type.Enum([...DEADLINE_STEPS]);
const At = Type.String({ format: 'date-time' });
/** How a personal field is shown to those who see contacts masked (the free text of actions is `text`, workflows/case-actions.ts; `file`: a file's name). */
export type PersonalKind = 'name' | 'phone' | 'text' | 'file';
const Personal = (kind: PersonalKind) => Type.String({ 'x-personal': kind });

/** What the chart's effects add to any event: a holder move, a clock started or moved, an escalation. */
const Effects = {
  fromOrgId: Opt(Id), toOrgId: Opt(Id),
  deadline: Opt(Type.Object({ step: Step, dueAt: At }, { additionalProperties: false })),
  dueAt: Opt(At),
  supervisingOrgId: Opt(Id),
  escalation: Opt(Text),
  agendaReason: Opt(Type.Enum([...AGENDA_REASONS])),
  /** The unit held to account (问责) for a missed supervision order. */
  accountable_org_id: Opt(Id),
};
const data = <P extends Record<string, TSchema>>(props: P) => Type.Object({ ...props, ...Effects }, { additionalProperties: false });

/**
 * What the record keeps of a user action beyond its body (workflows/case-actions.ts): what the
 * engine resolved (a merge's target, the clock an extension moves, the lead's level, a
 * co-handler's unit) and what the action's effects record.
 */
const RECORDED_BEYOND_BODY = {
  forward: {}, resolve: {}, withdraw: {}, accept: {}, return: {}, transfer: {},
  /** `sameWorker`: both workers consented and their linking digests matched (what lets the committee merge at L2); never the digest. */
  merge: { intoCaseId: Id, sameWorker: Opt(Type.Boolean()) },
  request_info: {}, resume: {}, provide_info: {},
  request_extension: { step: Step, approverOrgId: Type.Union([Id, Type.Null()]) }, approve_extension: {}, deny_extension: {},
  hand_off: {}, supervise: {},
  /** The unit whose resolution the rating judges. */
  feedback: { resolvedByOrgId: Id },
  assign_lead: { leadLevel: Type.Enum([...LEVELS]) },
  /** 分类整理: the new values (a sub-item may be cleared; the worker's platforms as `workerPlatforms`), and `previous` the old ones. */
  reclassify: {
    subcategory: Opt(Type.Union([Text, Type.Null()])), workerPlatforms: Opt(Type.Array(Text)),
    previous: Type.Record(Type.String(), Type.Union([Text, Type.Null(), Type.Array(Text)])),
  },
  add_cohandler: { cohandlers: Type.Array(Type.Object({ orgId: Id, dueAt: At }, { additionalProperties: false })) },
  contribute: { orgId: Id },
  human_review: {},
  refer: {},
  /** The referred unit that answered. */
  refer_outcome: { orgId: Id },
  /** The engine found the closing within APPEAL_WINDOW (the chart refuses an appeal otherwise). */
  appeal: { withinWindow: Type.Boolean() },
  assign: {},
} satisfies Record<UserAction, Record<string, TSchema>>;

const USER_ACTION_DATA = Object.fromEntries(USER_ACTIONS.map((action) =>
  [action, data({ ...bodyProperties(action), ...RECORDED_BEYOND_BODY[action] })])) as Record<UserAction, ReturnType<typeof data>>;

export const EVENT_DATA = {
  ...USER_ACTION_DATA,
  register: data({
    reference: Text, category: Text, platform: Type.Union([Text, Type.Null()]), urgency: Text, channel: Text, anonymous: Type.Boolean(),
    description: Personal('text'), workerName: Opt(Personal('name')), workerPhone: Opt(Personal('phone')), subcategory: Opt(Text), requestType: Opt(Text),
    /** A 12345 hotline's work order number (the case it handed over). */
    hotlineOrderNo: Opt(Text),
    algorithm: Opt(Type.Object({ orderId: Text, ruleVersion: Text, decidedAt: Text, amount: Opt(Type.Number()) }, { additionalProperties: false })),
    /** The worker's own submission the liaison registered (src/submissions). */
    submissionId: Opt(Id),
    /** The worker agreed to be recognised across their cases (worker.consentToLink) and a linking digest was kept: the fact, never the digest. */
    consentToLink: Opt(Type.Literal(true)),
  }),
  merged_from: data({ caseId: Id, reference: Text }),
  deadline_warning: data({ step: Step }),
  deadline_missed: data({ step: Step }),
  /** Evidence attached (src/attachments): the file's facts; its name is personal (names may hold personal data). */
  attachment_added: data({ attachmentId: Id, name: Personal('file'), contentType: Text, size: Type.Integer({ minimum: 1 }), sha256: Text }),
  /** A provisional clock recomputed when its year's schedule arrived (actor: system `calendar`). */
  deadline_recomputed: data({ step: Step, previousDueAt: At, dueAt: At, provisional: Type.Boolean() }),
  /**
   * A unit merged into its successor (组建/撤并, POST /orgs/:id/succession): `fromOrgId` handed the case
   * to `toOrgId`; `parts` names what moved (holder, branch, platform, department, supervisor, clocks,
   * approver, referral, cohandler). Actor: the admin, with system `succession`.
   */
  succession: data({ parts: Type.Array(Text, { minItems: 1 }) }),
  /** The record rewritten to keyed digests (db/migrate.ts): the chain's head before, as its anchors published it. */
  record_migrated: data({ previousHead: Type.String(), previousRecordVersion: Type.Integer(), recordVersion: Type.Integer() }),
} as const;
export type RecordedAction = keyof typeof EVENT_DATA;
export type EventData<A extends RecordedAction = RecordedAction> = Static<(typeof EVENT_DATA)[A]>;

/** Per action, its personal fields and how each is masked: read off the schemas' `x-personal`. */
export const PERSONAL_FIELDS = Object.fromEntries(Object.entries(EVENT_DATA).map(([action, schema]) => [action,
  Object.fromEntries(Object.entries(schema.properties as Record<string, TSchema & { 'x-personal'?: PersonalKind }>)
    .flatMap(([field, property]) => (property['x-personal'] ? [[field, property['x-personal']]] : [])))])) as
  Record<RecordedAction, Readonly<Record<string, PersonalKind>>>;

/** A stored event's personal fields (none for an action the record does not know). */
export function personalFieldsOf(action: string): Readonly<Record<string, PersonalKind>> {
  return Object.hasOwn(PERSONAL_FIELDS, action) ? PERSONAL_FIELDS[action as RecordedAction] : {};
}

const checkers = Object.fromEntries(Object.entries(EVENT_DATA).map(([action, schema]) => [action, Compile(schema)])) as
  Record<RecordedAction, ReturnType<typeof Compile>>;

/** One event to append: the typed data plus the typed columns the measures and the agenda read. */
export interface NewEvent<A extends RecordedAction = RecordedAction> {
  caseId: string; action: A; fromState: string | null; toState: string; level: Level; holderOrgId: string;
  /** The action's data: checked against `EVENT_DATA[action]` by the record writer before anything is written. */
  actor: EventActor; at: Date; data: Record<string, unknown>;
  step?: string | null; rating?: string | null; solved?: string | null; resolvedByOrgId?: string | null;
  reasonCode?: string | null; toOrgId?: string | null;
}

/** The head of a case's chain, kept on the case row so appending needs no extra read. */
export interface ChainHead { seq: number; hash: string | null }

// --- The chain ----------------------------------------------------------------------------------

/** The actor as the API shows it and the hash covers it: only the keys that are set. */
export function actorOf(row: { actorUserId: string | null; actorOrgId: string | null; actorSystem: string | null }): RecordedActor {
  return recordedActor({ userId: row.actorUserId, orgId: row.actorOrgId, system: row.actorSystem ?? undefined });
}

function recordedActor(a: EventActor): RecordedActor {
  return { ...(a.userId ? { userId: a.userId } : {}), ...(a.orgId ? { orgId: a.orgId } : {}), ...(a.system ? { system: a.system } : {}) };
}

export function eventHash(e: {
  caseId: string; seq: number; at: Date; actor: EventActor; action: string; fromState: string | null; toState: string;
  level: string; data: unknown; prevHash: string;
}): string {
  const canonical = canonicalize({
    caseId: e.caseId, seq: e.seq, at: e.at.toISOString(), actor: e.actor, action: e.action,
    fromState: e.fromState, toState: e.toState, level: e.level, data: e.data, prevHash: e.prevHash,
  });
  return createHash('sha256').update(canonical!).digest('hex');
}

/** The record's key (RECORD_PEPPER): the only way a personal field enters the hashed form. */
export interface RecordKey { digest(caseId: string, value: string): string }

export function createRecordKey(pepper: string): RecordKey {
  return { digest: (caseId, value) => `hmac-sha256:${createHmac('sha256', pepper).update(`${caseId}:${value}`).digest('hex')}` };
}

/** An event's data split in two: the hashed form (personal fields as keyed digests) and their text, kept beside it. */
export function sealPersonal(key: RecordKey, caseId: string, action: string, data: Record<string, unknown>) {
  const hashed = { ...data };
  const texts: Record<string, string> = {};
  for (const field of Object.keys(personalFieldsOf(action))) {
    const value = data[field];
    if (typeof value !== 'string') continue;
    texts[field] = value;
    hashed[field] = key.digest(caseId, value);
  }
  return { data: hashed, texts: Object.keys(texts).length > 0 ? texts : null };
}

/** An event checked against its action's schema, sealed and chained: the row the record keeps. */
export interface ChainedEvent extends NewEvent { seq: number; prevHash: string; hash: string; texts: Record<string, string> | null }

/**
 * The one record writer. Every event of the record — a transition's, a merge's note on its target,
 * an attachment's, a recomputed clock's — goes through here: its data is checked against its
 * action's schema (a mismatch is a bug: it throws before anything is written), it is chained after
 * `head`, and the caller gets the rows and the new head. `insertEvents` sends them as one statement,
 * which the caller batches with its other writes, and it moves the case row's head in the same
 * transaction (the caller holds the case row's lock).
 */
export function chainEvents(key: RecordKey, head: ChainHead, events: NewEvent[]): { events: ChainedEvent[]; head: ChainHead } {
  let { seq, hash } = head;
  const chained = events.map((e) => {
    const given: Record<string, unknown> = JSON.parse(JSON.stringify(e.data));
    if (!checkers[e.action].Check(given)) {
      const [first] = checkers[e.action].Errors(given);
      throw new Error(`event data of '${e.action}' does not match its schema: ${first?.instancePath} ${first?.message}`);
    }
    const { data, texts } = sealPersonal(key, e.caseId, e.action, given);
    const prevHash = hash ?? GENESIS_HASH;
    seq += 1;
    hash = eventHash({
      caseId: e.caseId, seq, at: e.at, actor: recordedActor(e.actor), action: e.action, fromState: e.fromState, toState: e.toState,
      level: e.level, data, prevHash,
    });
    return { ...e, data, texts, seq, prevHash, hash };
  });
  return { events: chained, head: { seq, hash } };
}

/** One insert of chained events (the statement, to await or to batch). */
export function insertEvents(tx: Tx, events: ChainedEvent[]) {
  const rows = events.map((e) => {
    const actor = recordedActor(e.actor);
    return {
      caseId: e.caseId, seq: e.seq, at: e.at, action: e.action, fromState: e.fromState, toState: e.toState, level: e.level,
      holderOrgId: e.holderOrgId, data: jsonb(tx, e.data), actorUserId: actor.userId ?? null, actorOrgId: actor.orgId ?? null,
      actorSystem: actor.system ?? null, schemaVersion: RECORD_SCHEMA_VERSION, step: e.step ?? null, rating: e.rating ?? null,
      solved: e.solved ?? null, resolvedByOrgId: e.resolvedByOrgId ?? null, reasonCode: e.reasonCode ?? null, toOrgId: e.toOrgId ?? null,
      prevHash: e.prevHash, hash: e.hash, texts: jsonb(tx, e.texts ?? {}),
    };
  });
  return insertEventRows(tx, rows);
}

const insertEventRows = fixedInsert('case_events', [
  'caseId', 'seq', 'at', 'action', 'fromState', 'toState', 'level', 'holderOrgId', 'data', 'actorUserId', 'actorOrgId', 'actorSystem',
  'schemaVersion', 'step', 'rating', 'solved', 'resolvedByOrgId', 'reasonCode', 'toOrgId', 'prevHash', 'hash', 'texts',
] as const satisfies readonly (keyof CaseEventRow)[]);

/**
 * Events outside a transition (an attachment, a recomputed clock): chained after the case's head,
 * inserted, and the head moved, in one pipelined batch. The case's version stays: nothing a caller
 * acts on changed.
 */
export async function appendEvents(
  tx: Tx, key: RecordKey, row: { id: string; eventSeq: number; eventHash: string | null }, events: NewEvent[],
): Promise<ChainHead> {
  const chained = chainEvents(key, { seq: row.eventSeq, hash: row.eventHash }, events);
  const at = events.at(-1)?.at ?? new Date();
  await Promise.all([
    insertEvents(tx, chained.events),
    tx`update cases set event_seq = ${chained.head.seq}, event_hash = ${chained.head.hash}, updated_at = ${at} where id = ${row.id}`,
  ]);
  return chained.head;
}

/** SQL: whether the event `e` reopened its case (workflows/case-rules.ts REOPENING). */
export const reopens = (tx: Sql | Tx, e = 'e') =>
  tx`(${tx(e)}.action = any(${[...REOPENING.actions]}) or (${tx(e)}.action = ${REOPENING.feedback.action} and ${tx(e)}.rating = ${REOPENING.feedback.rating}))`;

/** SQL: how often a case went round, over its events `e` — `returns`, `transfers`, `reopenings` (the board, the agenda, reconciliation). */
export const handlingCounts = (tx: Sql | Tx, e = 'e') => tx`
  count(${tx(e)}.seq) filter (where ${tx(e)}.action = 'return')::int as returns,
  count(${tx(e)}.seq) filter (where ${tx(e)}.action = 'transfer')::int as transfers,
  count(${tx(e)}.seq) filter (where ${reopens(tx, e)})::int as reopenings`;

export async function eventsOf(tx: Tx, caseId: string): Promise<CaseEventRow[]> {
  return tx<CaseEventRow[]>`select * from case_events where case_id = ${caseId} order by seq`;
}

export interface Verification { ok: boolean; checked: number; firstBrokenSeq?: number }

/** Recomputes a case's chain from its stored events: an edited, deleted or reordered event breaks it. */
export function verifyChain(caseId: string, events: CaseEventRow[]): Verification {
  let prevHash = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    const expected = eventHash({
      caseId, seq: e.seq, at: e.at, actor: actorOf(e), action: e.action, fromState: e.fromState, toState: e.toState,
      level: e.level, data: e.data, prevHash,
    });
    if (e.seq !== i + 1 || e.prevHash !== prevHash || e.hash !== expected) return { ok: false, checked: i + 1, firstBrokenSeq: e.seq };
    prevHash = e.hash;
  }
  return { ok: true, checked: events.length };
}

/**
 * Events written before the chain existed get their hashes once (the trigger allows exactly that),
 * case by case in seq order, and the case row learns its head.
 */
export async function backfillEventHashes(sql: Sql): Promise<number> {
  const cases = await sql<{ caseId: string }[]>`select distinct case_id from case_events where hash is null`;
  for (const { caseId } of cases) {
    await inTransaction(sql, async (tx) => {
      await tx`select id from cases where id = ${caseId} for update`;
      let prevHash = GENESIS_HASH;
      for (const e of await eventsOf(tx, caseId)) {
        const hash = e.hash ?? eventHash({
          caseId, seq: e.seq, at: e.at, actor: actorOf(e), action: e.action, fromState: e.fromState, toState: e.toState,
          level: e.level, data: e.data, prevHash,
        });
        if (!e.hash) await tx`update case_events set prev_hash = ${prevHash}, hash = ${hash} where id = ${e.id}`;
        prevHash = hash;
      }
      await tx`update cases set event_hash = ${prevHash} where id = ${caseId}`;
    });
  }
  return cases.length;
}
