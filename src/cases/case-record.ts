/**
 * The case record (全程留痕): append-only events, each typed by its action and chained to the one
 * before by a hash an outside auditor can recompute (API.md):
 *   hash = hex SHA-256 of the RFC 8785 canonical JSON of
 *          {caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}
 * The first event's prevHash is 64 zeros. Personal fields enter `data` only as digests, so erasing
 * the contact after retention keeps the chain whole. A daily anchor chains the heads of all cases.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';
import type { caseEvents } from '../../db/schema.js';
import { USER_ACTIONS, bodyProperties, type UserAction } from '../../workflows/case-actions.js';
import { AGENDA_REASONS, DEADLINE_STEPS, LEVELS } from '../../workflows/case-rules.js';

export const RECORD_SCHEMA_VERSION = 2;
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
  forward: {}, resolve: {}, withdraw: {}, merge: { intoCaseId: Id }, accept: {}, return: {}, transfer: {},
  request_info: {}, resume: {}, provide_info: {},
  request_extension: { step: Step, approverOrgId: Type.Union([Id, Type.Null()]) }, approve_extension: {}, deny_extension: {},
  hand_off: {}, supervise: {},
  /** The unit whose resolution the rating judges. */
  feedback: { resolvedByOrgId: Id },
  assign_lead: { leadLevel: Type.Enum([...LEVELS]) },
  /** 分类整理: the new values (a sub-item may be cleared), and `previous` the old ones. */
  reclassify: { subcategory: Opt(Type.Union([Text, Type.Null()])), previous: Type.Record(Type.String(), Type.Union([Text, Type.Null()])) },
  add_cohandler: { cohandlers: Type.Array(Type.Object({ orgId: Id, dueAt: At }, { additionalProperties: false })) },
  contribute: { orgId: Id },
  human_review: {},
  refer: {},
  /** The referred unit that answered. */
  refer_outcome: { orgId: Id },
} satisfies Record<UserAction, Record<string, TSchema>>;

const USER_ACTION_DATA = Object.fromEntries(USER_ACTIONS.map((action) =>
  [action, data({ ...bodyProperties(action), ...RECORDED_BEYOND_BODY[action] })])) as Record<UserAction, ReturnType<typeof data>>;

export const EVENT_DATA = {
  ...USER_ACTION_DATA,
  register: data({
    reference: Text, category: Text, platform: Type.Union([Text, Type.Null()]), urgency: Text, channel: Text, anonymous: Type.Boolean(),
    workerNameDigest: Opt(Text), workerPhoneDigest: Opt(Text), subcategory: Opt(Text), requestType: Opt(Text),
    algorithm: Opt(Type.Object({ orderId: Text, ruleVersion: Text, decidedAt: Text, amount: Opt(Type.Number()) }, { additionalProperties: false })),
  }),
  merged_from: data({ caseId: Id, reference: Text }),
  deadline_warning: data({ step: Step }),
  deadline_missed: data({ step: Step }),
  /** Evidence attached (src/attachments): the file's facts, its name only as a digest (names may hold personal data). */
  attachment_added: data({ attachmentId: Id, nameDigest: Text, contentType: Text, size: Type.Integer({ minimum: 1 }), sha256: Text }),
  /** A provisional clock recomputed when its year's schedule arrived (actor: system `calendar`). */
  deadline_recomputed: data({ step: Step, previousDueAt: At, dueAt: At, provisional: Type.Boolean() }),
} as const;
export type RecordedAction = keyof typeof EVENT_DATA;
export type EventData<A extends RecordedAction = RecordedAction> = Static<(typeof EVENT_DATA)[A]>;

const checkers = Object.fromEntries(Object.entries(EVENT_DATA).map(([action, schema]) => [action, Compile(schema)])) as
  Record<RecordedAction, ReturnType<typeof Compile>>;

/** One event to append: the typed data plus the typed columns the measures and the agenda read. */
export interface NewEvent<A extends RecordedAction = RecordedAction> {
  caseId: string; action: A; fromState: string | null; toState: string; level: string; holderOrgId: string;
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

/** A personal field as it may enter the record: its digest, salted with the case so equal phones differ across cases. */
export function personalDigest(caseId: string, value: string): string {
  return createHash('sha256').update(`${caseId}:${value}`).digest('hex');
}

/** An event checked against its action's schema and chained: the row the record keeps. */
export interface ChainedEvent extends NewEvent { seq: number; prevHash: string; hash: string }

/**
 * The one record writer. Every event of the record — a transition's, a merge's note on its target,
 * an attachment's, a recomputed clock's — goes through here: its data is checked against its
 * action's schema (a mismatch is a bug: it throws before anything is written), it is chained after
 * `head`, and the caller gets the rows and the new head. `insertEvents` sends them as one statement,
 * which the caller batches with its other writes, and it moves the case row's head in the same
 * transaction (the caller holds the case row's lock).
 */
export function chainEvents(head: ChainHead, events: NewEvent[]): { events: ChainedEvent[]; head: ChainHead } {
  let { seq, hash } = head;
  const chained = events.map((e) => {
    const data: Record<string, unknown> = JSON.parse(JSON.stringify(e.data));
    if (!checkers[e.action].Check(data)) {
      const [first] = checkers[e.action].Errors(data);
      throw new Error(`event data of '${e.action}' does not match its schema: ${first?.instancePath} ${first?.message}`);
    }
    const prevHash = hash ?? GENESIS_HASH;
    seq += 1;
    hash = eventHash({
      caseId: e.caseId, seq, at: e.at, actor: recordedActor(e.actor), action: e.action, fromState: e.fromState, toState: e.toState,
      level: e.level, data, prevHash,
    });
    return { ...e, data, seq, prevHash, hash };
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
      prevHash: e.prevHash, hash: e.hash,
    };
  });
  return tx`insert into case_events ${tx(rows)}`;
}

/**
 * Events outside a transition (an attachment, a recomputed clock): chained after the case's head,
 * inserted, and the head moved, in one pipelined batch. The case's version stays: nothing a caller
 * acts on changed.
 */
export async function appendEvents(tx: Tx, row: { id: string; eventSeq: number; eventHash: string | null }, events: NewEvent[]): Promise<ChainHead> {
  const chained = chainEvents({ seq: row.eventSeq, hash: row.eventHash }, events);
  const at = events.at(-1)?.at ?? new Date();
  await Promise.all([
    insertEvents(tx, chained.events),
    tx`update cases set event_seq = ${chained.head.seq}, event_hash = ${chained.head.hash}, updated_at = ${at} where id = ${row.id}`,
  ]);
  return chained.head;
}

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

export async function verifyCase(sql: Sql, caseId: string): Promise<Verification & { head: string | null }> {
  const events = await eventsOf(sql, caseId);
  const [row] = await sql<{ eventHash: string | null }[]>`select event_hash from cases where id = ${caseId}`;
  const result = verifyChain(caseId, events);
  // A deleted last event leaves a chain that still verifies: the case row's head says what it should end with.
  if (result.ok && (row?.eventHash ?? null) !== (events.at(-1)?.hash ?? null)) {
    return { ok: false, checked: events.length, firstBrokenSeq: events.length + 1, head: row?.eventHash ?? null };
  }
  return { ...result, head: row?.eventHash ?? null };
}

// --- Daily anchors -------------------------------------------------------------------------------

export interface Anchor { day: string; cases: number; headsHash: string; prevHash: string; hash: string }

/**
 * Anchors `day` (YYYY-MM-DD, Asia/Shanghai): one hash over every case's head as of the end of that
 * day, chained to the previous anchor. Idempotent; any process may run it.
 */
export async function anchorDay(sql: Sql, day: string): Promise<Anchor> {
  return inTransaction(sql, async (tx) => {
    const [existing] = await tx<Anchor[]>`select day::text, cases, heads_hash, prev_hash, hash from audit_anchors where day = ${day}`;
    if (existing) return existing;
    const heads = await tx<{ caseId: string; hash: string }[]>`
      select distinct on (case_id) case_id, hash from case_events
      where at < (${day}::date + 1)::timestamp at time zone 'Asia/Shanghai'
      order by case_id, seq desc`;
    const headsHash = createHash('sha256').update(heads.map((h) => `${h.caseId}:${h.hash}`).join('\n')).digest('hex');
    const [prev] = await tx<{ hash: string }[]>`select hash from audit_anchors where day < ${day} order by day desc limit 1`;
    const prevHash = prev?.hash ?? GENESIS_HASH;
    const hash = createHash('sha256').update(`${day}\n${heads.length}\n${headsHash}\n${prevHash}`).digest('hex');
    const [anchor] = await tx<Anchor[]>`
      insert into audit_anchors (day, cases, heads_hash, prev_hash, hash) values (${day}, ${heads.length}, ${headsHash}, ${prevHash}, ${hash})
      on conflict (day) do update set day = excluded.day
      returning day::text, cases, heads_hash, prev_hash, hash`;
    return anchor;
  });
}

export async function listAnchors(tx: Tx, limit: number): Promise<Anchor[]> {
  return tx<Anchor[]>`select day::text, cases, heads_hash, prev_hash, hash from audit_anchors order by day desc limit ${limit}`;
}

/** The newest anchor, printed on meeting exports so a reader can check the record it summarises. */
export async function latestAnchor(tx: Tx): Promise<Anchor | null> {
  const [anchor] = await listAnchors(tx, 1);
  return anchor ?? null;
}

/** Yesterday in Asia/Shanghai: the last whole day to anchor. */
export function yesterdayInChina(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
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
