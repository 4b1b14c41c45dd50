/**
 * Record version 3 (keyed digests), applied once to a record written before it (db/migrate.ts):
 * per case, in one transaction, every event's personal fields become keyed digests with their text
 * moved beside the chain — the register event's unkeyed contact digests are dropped for keyed
 * digests of the contact the case still holds (none once erased), an attachment's name digest for
 * the attachment's name — the chain is recomputed, and a `record_migrated` event cites the old head,
 * which the version-2 anchors attest (they stay in `audit_anchors` as they were).
 */
import { inTransaction, jsonb, type Sql } from '../../db/client.js';
import {
  GENESIS_HASH, RECORD_SCHEMA_VERSION, actorOf, chainEvents, eventHash, eventsOf, insertEvents, sealPersonal,
  type RecordKey,
} from './case-record.js';
import type { Level } from '../../workflows/case-rules.js';

interface CaseToMigrate {
  id: string; state: string; level: Level; holderOrgId: string; eventHash: string | null;
  workerName: string | null; workerPhone: string | null; description: string;
}

/** How many cases it rewrote (0 when the record is already at version 3). */
export async function migrateToKeyedDigests(sql: Sql, key: RecordKey): Promise<number> {
  const pending = await sql<{ caseId: string }[]>`select distinct case_id from case_events where schema_version < ${RECORD_SCHEMA_VERSION}`;
  for (const { caseId } of pending) {
    await inTransaction(sql, async (tx) => {
      await tx`select set_config('grievance.record_migration', 'keyed_digests', true)`;
      const [c] = await tx<CaseToMigrate[]>`select id, state, level, holder_org_id, event_hash, worker_name, worker_phone, description
        from cases where id = ${caseId} for update`;
      const names = new Map((await tx<{ id: string; name: string }[]>`select id, name from attachments where case_id = ${caseId}`).map((a) => [a.id, a.name]));
      let prevHash = GENESIS_HASH;
      const events = await eventsOf(tx, caseId);
      for (const e of events) {
        const old = { ...(e.data as Record<string, unknown>) };
        if (e.action === 'register') {
          delete old.workerNameDigest;
          delete old.workerPhoneDigest;
          Object.assign(old, { description: c.description }, c.workerName ? { workerName: c.workerName } : {}, c.workerPhone ? { workerPhone: c.workerPhone } : {});
        }
        if (e.action === 'attachment_added') {
          delete old.nameDigest;
          old.name = names.get(String(old.attachmentId)) ?? '';
        }
        const { data, texts } = sealPersonal(key, caseId, e.action, old);
        const hash = eventHash({
          caseId, seq: e.seq, at: e.at, actor: actorOf(e), action: e.action, fromState: e.fromState, toState: e.toState, level: e.level, data, prevHash,
        });
        await tx`update case_events set data = ${jsonb(tx, data)}, texts = ${jsonb(tx, texts ?? {})}, prev_hash = ${prevHash}, hash = ${hash},
          schema_version = ${RECORD_SCHEMA_VERSION} where id = ${e.id}`;
        prevHash = hash;
      }
      const at = new Date(Math.max(Date.now(), (events.at(-1)?.at.getTime() ?? 0) + 1));
      const { events: note, head } = chainEvents(key, { seq: events.length, hash: prevHash }, [{
        caseId, action: 'record_migrated', fromState: c.state, toState: c.state, level: c.level, holderOrgId: c.holderOrgId,
        actor: { system: 'migration' }, at,
        data: { previousHead: c.eventHash ?? GENESIS_HASH, previousRecordVersion: 2, recordVersion: RECORD_SCHEMA_VERSION },
      }]);
      await insertEvents(tx, note);
      await tx`update cases set event_seq = ${head.seq}, event_hash = ${head.hash} where id = ${caseId}`;
    });
  }
  return pending.length;
}
