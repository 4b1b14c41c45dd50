/**
 * The record as an outsider checks it (API.md "Audit export"):
 * - the export: a period's events (or one case's whole chain) exactly in their hashed form, so an
 *   auditor recomputes every hash with nothing of ours (the README's verifier);
 * - the daily anchors: per day, the head (seq, hash) of every case record that moved that day,
 *   hashed and chained to the day before, written to the database and published outside it — the
 *   storage backend, create-if-absent, so no one rewrites a published day, and a message to every
 *   convener unit's channels (its webhook, WeCom, DingTalk, e-mail, SMS), so they hold it too;
 * - verification: a case's chain recomputed, then held against the published anchors, so an edit
 *   whose chain was recomputed by the database's owner is caught all the same.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { FileStorage } from '../storage/file-storage.js';
import { shanghaiDay } from '../calendar/working-calendar.js';
import { noticeStatements } from '../notifications/outbox.js';
import { convenerUnits } from '../orgs/org-store.js';
import { GENESIS_HASH, RECORD_SCHEMA_VERSION, actorOf, eventsOf, verifyChain, type CaseEventRow, type Verification } from './case-record.js';

export interface Anchor { recordVersion: number; day: string; cases: number; headsHash: string; prevHash: string; hash: string }
/** A case record's head at the end of an anchored day. */
export interface AnchoredHead { caseId: string; seq: number; hash: string }
/** What is published for a day: the anchor and the heads it hashes. */
export interface PublishedAnchor extends Anchor { heads: AnchoredHead[] }

const SHANGHAI = 'Asia/Shanghai';
/** Case records a verification round checks (besides the broken ones it checks again). */
const VERIFY_BATCH = 1000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function headsHashOf(heads: AnchoredHead[]): string {
  return sha256(heads.map((h) => `${h.caseId}:${h.seq}:${h.hash}`).join('\n'));
}

export function anchorHashOf(a: Omit<Anchor, 'hash'>): string {
  return sha256(`v${a.recordVersion}\n${a.day}\n${a.cases}\n${a.headsHash}\n${a.prevHash}`);
}

/** Where a day's anchor is published. */
export const anchorKey = (recordVersion: number, day: string) => `anchors/v${recordVersion}/${day}.json`;

/** The heads at the end of `day` (Asia/Shanghai) of the records that moved that day, in case order. */
async function headsOf(tx: Tx, day: string): Promise<AnchoredHead[]> {
  return tx<AnchoredHead[]>`
    select distinct on (case_id) case_id, seq, hash from case_events
    where at >= ${day}::date::timestamp at time zone ${SHANGHAI} and at < (${day}::date + 1)::timestamp at time zone ${SHANGHAI}
    order by case_id, seq desc`;
}

export interface RecordAuditDeps {
  sql: Sql; storage: FileStorage; log: Logger;
  /** After commit: deliver the anchor's messages to the convener units. */
  deliver: () => void;
}

export function createRecordAudit(deps: RecordAuditDeps) {
  const { sql, storage, log, deliver } = deps;
  /** Published anchors never change: each is read once per process. */
  const published = new Map<string, PublishedAnchor | null>();

  async function publish(anchor: PublishedAnchor): Promise<void> {
    const body = `${JSON.stringify(anchor, null, 1)}\n`;
    const outcome = await storage.create(anchorKey(anchor.recordVersion, anchor.day), body, 'application/json');
    if (outcome === 'exists') {
      const there = await readPublished(anchor.recordVersion, anchor.day);
      if (there?.hash !== anchor.hash) log.error({ day: anchor.day }, '已发布的锚点与数据库不符 / the published anchor differs from the database\'s: the record may have been altered');
    }
  }

  async function readPublished(recordVersion: number, day: string): Promise<PublishedAnchor | null> {
    const key = anchorKey(recordVersion, day);
    if (published.has(key)) return published.get(key)!;
    const stream = await storage.read(key);
    if (!stream) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const anchor = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PublishedAnchor;
    // A published anchor must agree with itself; one that does not is no evidence of anything.
    const sound = anchor.headsHash === headsHashOf(anchor.heads) && anchor.hash === anchorHashOf(anchor) && anchor.cases === anchor.heads.length;
    const result = sound ? anchor : null;
    if (!sound) log.error({ key }, '已发布的锚点自相矛盾 / a published anchor does not agree with itself');
    published.set(key, result);
    if (published.size > 1000) published.delete(published.keys().next().value!);
    return result;
  }

  /** The workers' verification rounds: where the next batch starts, the records found broken. */
  let cursor: string = randomUUID();
  const broken = new Set<string>();

  /** Each anchor hashes to itself, chains to genesis or an earlier day's anchor, and is the one published (when it was). */
  async function verifyAnchors(): Promise<boolean> {
    const anchors = await sql<Anchor[]>`select record_version, day::text, cases, heads_hash, prev_hash, hash from audit_anchors order by record_version, day`;
    const earlier = new Set<string>();
    let ok = true;
    for (const anchor of anchors) {
      const published = await readPublished(anchor.recordVersion, anchor.day);
      const sound = anchor.hash === anchorHashOf(anchor) && (anchor.prevHash === GENESIS_HASH || earlier.has(`${anchor.recordVersion}:${anchor.prevHash}`))
        && (!published || published.hash === anchor.hash);
      if (!sound) log.error({ day: anchor.day, recordVersion: anchor.recordVersion }, '锚点核验失败 / a daily anchor does not verify: the record may have been altered');
      ok &&= sound;
      earlier.add(`${anchor.recordVersion}:${anchor.hash}`);
    }
    return ok;
  }

  const audit = {
    /**
     * Anchors `day` (YYYY-MM-DD, Asia/Shanghai) and publishes it. Idempotent; any process may run it:
     * the first writes the row, every run makes sure the file is published (a failed publish is
     * retried at the next run, from heads that must still hash to the row's).
     */
    async anchorDay(day: string): Promise<Anchor> {
      const { anchor, told } = await inTransaction(sql, async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('audit_anchors'))`;
        const heads = await headsOf(tx, day);
        const [existing] = await tx<Anchor[]>`select record_version, day::text, cases, heads_hash, prev_hash, hash from audit_anchors
          where record_version = ${RECORD_SCHEMA_VERSION} and day = ${day}`;
        if (existing) {
          if (existing.headsHash !== headsHashOf(heads)) throw new Error(`the record of ${day} no longer hashes to its anchor: it was altered`);
          return { anchor: { ...existing, heads }, told: 0 };
        }
        const [prev] = await tx<{ hash: string }[]>`select hash from audit_anchors
          where record_version = ${RECORD_SCHEMA_VERSION} and day < ${day} order by day desc limit 1`;
        const fields = { recordVersion: RECORD_SCHEMA_VERSION, day, cases: heads.length, headsHash: headsHashOf(heads), prevHash: prev?.hash ?? GENESIS_HASH };
        const made = { ...fields, hash: anchorHashOf(fields) };
        const conveners = await convenerUnits(tx);
        const channels = new Map(conveners.map((c) => [c.id, c.channels]));
        await Promise.all([
          tx`insert into audit_anchors ${tx({ recordVersion: made.recordVersion, day, cases: made.cases, headsHash: made.headsHash, prevHash: made.prevHash, hash: made.hash })}`,
          ...noticeStatements(tx, conveners.map((c) => ({
            orgId: c.id, caseId: null, kind: 'record_anchor' as const,
            payload: { label: '锚点 / anchor', reference: `${day} v${made.recordVersion} ${made.hash}`, ...made, key: anchorKey(made.recordVersion, day) },
          })), (orgId) => channels.get(orgId) ?? []),
        ]);
        return { anchor: { ...made, heads }, told: conveners.length };
      });
      await publish(anchor);
      if (told > 0) deliver();
      const { heads: _heads, ...row } = anchor;
      return row;
    },

    readPublished,

    async listAnchors(limit: number): Promise<Anchor[]> {
      return sql<Anchor[]>`select record_version, day::text, cases, heads_hash, prev_hash, hash from audit_anchors
        order by day desc, record_version desc limit ${limit}`;
    },

    /**
     * A case's chain recomputed from its stored events, then held against every published anchor
     * of a day the case moved: an edited event whose chain was recomputed still differs from what
     * was published. `anchorDay` names the first published day that disagrees.
     */
    async verifyCase(caseId: string): Promise<Verification & { head: string | null; anchorsChecked: number; anchorDay?: string }> {
      const events = await eventsOf(sql, caseId);
      const [row] = await sql<{ eventHash: string | null }[]>`select event_hash from cases where id = ${caseId}`;
      const head = row?.eventHash ?? null;
      const chain = verifyChain(caseId, events);
      if (!chain.ok) return { ...chain, head, anchorsChecked: 0 };
      // A deleted last event leaves a chain that still verifies: the case row's head says what it should end with.
      if (head !== (events.at(-1)?.hash ?? null)) return { ok: false, checked: events.length, firstBrokenSeq: events.length + 1, head, anchorsChecked: 0 };
      const days = [...new Map(events.map((e) => [shanghaiDay(e.at), e] as const)).entries()];
      let anchorsChecked = 0;
      for (const [day] of days) {
        const anchor = await readPublished(RECORD_SCHEMA_VERSION, day);
        if (!anchor) continue;
        anchorsChecked += 1;
        const published = anchor.heads.find((h) => h.caseId === caseId);
        const firstOfDay = events.find((e) => shanghaiDay(e.at) === day)!;
        if (!published || events[published.seq - 1]?.hash !== published.hash) {
          return { ok: false, checked: events.length, firstBrokenSeq: firstOfDay.seq, head, anchorsChecked, anchorDay: day };
        }
      }
      return { ok: true, checked: events.length, head, anchorsChecked };
    },

    /**
     * One round of the workers' own verification (every RECORD_VERIFY_INTERVAL_MINUTES): the daily
     * anchors (each hashes to itself, chains to an earlier day, and agrees with its published copy),
     * the records found broken before (until they verify again), and the next `batch` case records
     * by id, each as `verifyCase` does, taking up where the last round left off: round by round every
     * record is checked. A replica starts at a random case, so two workers check different ones.
     * `ok` is false while any record or anchor is known broken; each broken one is logged by case id.
     * `stopping` ends a round early (the process is closing): what it checked so far counts.
     */
    async verifyRound(opts: { batch?: number; stopping?: () => boolean } = {}): Promise<{ ok: boolean; checked: number; broken: number }> {
      const batch = opts.batch ?? VERIFY_BATCH;
      const anchorsOk = await verifyAnchors();
      // From the cursor on, and past the last case round to the first: a district smaller than a batch is checked whole every round.
      const after = await sql<{ id: string }[]>`select id from cases where id > ${cursor} order by id limit ${batch}`;
      const before = after.length < batch ? await sql<{ id: string }[]>`select id from cases where id <= ${cursor} order by id limit ${batch - after.length}` : [];
      const next = [...after, ...before];
      cursor = next.at(-1)?.id ?? cursor;
      const ids = [...new Set([...broken, ...next.map((c) => c.id)])];
      let checked = 0;
      for (const caseId of ids) {
        if (opts.stopping?.()) break;
        const result = await audit.verifyCase(caseId);
        checked += 1;
        if (result.ok) {
          broken.delete(caseId);
          continue;
        }
        broken.add(caseId);
        log.error({ caseId, firstBrokenSeq: result.firstBrokenSeq, anchorDay: result.anchorDay }, '案件记录核验失败 / a case record does not verify: it was altered');
      }
      return { ok: anchorsOk && broken.size === 0, checked, broken: broken.size };
    },

    /**
     * The hashed form of the events of a period (`at` in [from, to), in order of time) or of one
     * case's whole chain, one JSON object a line (NDJSON), streamed from a cursor.
     */
    exportEvents(range: { from: Date; to: Date } | { caseId: string }): Readable {
      const query = 'caseId' in range
        ? sql<CaseEventRow[]>`select * from case_events where case_id = ${range.caseId} order by seq`
        : sql<CaseEventRow[]>`select * from case_events where at >= ${range.from} and at < ${range.to} order by at, case_id, seq`;
      return Readable.from((async function* lines() {
        for await (const rows of query.cursor(500)) {
          yield rows.map((e) => `${JSON.stringify(hashedForm(e))}\n`).join('');
        }
      })());
    },
  };
  return audit;
}
export type RecordAudit = ReturnType<typeof createRecordAudit>;

/** The newest anchor of the current record, printed on every meeting export so a reader can check the record it summarises. */
export async function latestAnchor(tx: Tx): Promise<Anchor | null> {
  const [anchor] = await tx<Anchor[]>`select record_version, day::text, cases, heads_hash, prev_hash, hash from audit_anchors
    where record_version = ${RECORD_SCHEMA_VERSION} order by day desc limit 1`;
  return anchor ?? null;
}

/** How an export prints the anchor. */
export function anchorLine(anchor: Anchor | null): string {
  return anchor
    ? `${anchor.day} v${anchor.recordVersion} ${anchor.hash}（${anchor.cases} 件当日有变动 / records moved that day; ${anchorKey(anchor.recordVersion, anchor.day)}）`
    : '尚无 / none yet';
}

/** An event exactly as its hash covers it, plus the hash. */
export function hashedForm(e: CaseEventRow) {
  return {
    caseId: e.caseId, seq: e.seq, at: e.at.toISOString(), actor: actorOf(e), action: e.action, fromState: e.fromState,
    toState: e.toState, level: e.level, data: e.data, prevHash: e.prevHash, hash: e.hash,
  };
}

/** Yesterday in Asia/Shanghai: the last whole day to anchor. */
export function yesterdayInChina(now: Date): string {
  return shanghaiDay(new Date(now.getTime() - 86_400_000));
}
