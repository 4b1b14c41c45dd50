/**
 * Notifications (a case arriving, a deadline warning, a missed deadline) are written to the
 * outbox inside the transition's transaction and delivered after commit: to the unit's webhook
 * when it has one, else to the log. Failed deliveries retry with exponential backoff.
 */
import type { Logger } from 'pino';
import { inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';

export interface Notification { orgId: string; caseId: string; kind: string; payload: Record<string, unknown> }

const MAX_ATTEMPTS = 10;
const BATCH = 100;

export async function notify(tx: Tx, notes: Notification[]): Promise<void> {
  if (notes.length === 0) return;
  await tx`insert into outbox ${tx(notes.map((n) => ({ ...n, payload: jsonb(tx, n.payload) })))}`;
}

export interface OutboxDeps { sql: Sql; log: Logger; fetch?: typeof fetch; now?: () => Date }

interface DueNote { id: string; orgId: string; caseId: string; kind: string; payload: Record<string, unknown>; attempts: number; webhookUrl: string | null }

/** Delivers what is due; returns how many were delivered. Safe to run from several processes. */
export async function deliverOutbox(deps: OutboxDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const send = deps.fetch ?? fetch;
  let delivered = 0;
  await inTransaction(deps.sql, async (tx) => {
    const due = await tx<DueNote[]>`
      select o.id, o.org_id, o.case_id, o.kind, o.payload, o.attempts, g.webhook_url
      from outbox o join orgs g on g.id = o.org_id
      where o.delivered_at is null and o.next_attempt_at <= ${now()} and o.attempts < ${MAX_ATTEMPTS}
      order by o.next_attempt_at limit ${BATCH} for update of o skip locked`;
    for (const note of due) {
      const { webhookUrl } = note;
      try {
        if (webhookUrl) {
          const res = await send(webhookUrl, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: note.id, kind: note.kind, caseId: note.caseId, orgId: note.orgId, ...note.payload }),
            signal: AbortSignal.timeout(5000),
          });
          if (!res.ok) throw new Error(`webhook answered ${res.status}`);
        } else {
          deps.log.info({ notification: note.kind, caseId: note.caseId, orgId: note.orgId, ...note.payload }, 'notification');
        }
        await tx`update outbox set delivered_at = ${now()}, attempts = ${note.attempts + 1} where id = ${note.id}`;
        delivered++;
      } catch (error) {
        const attempts = note.attempts + 1;
        const backoffMs = Math.min(2 ** attempts * 1000, 3600_000);
        await tx`update outbox set attempts = ${attempts}, last_error = ${String(error)},
          next_attempt_at = ${new Date(now().getTime() + backoffMs)} where id = ${note.id}`;
        deps.log.warn({ outboxId: note.id, attempts, err: String(error) }, 'notification delivery failed; will retry');
      }
    }
  });
  return delivered;
}
