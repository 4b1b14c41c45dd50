/**
 * Notifications (a case arriving, a deadline warning, a missed deadline) are written to the
 * outbox inside the transition's transaction and delivered after commit: to the unit's webhook
 * when it has one, else to the log. Failed deliveries retry with exponential backoff.
 */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import { orgs, outbox } from '../../db/schema.js';

export interface Notification { orgId: string; caseId: string; kind: string; payload: Record<string, unknown> }

const MAX_ATTEMPTS = 10;
const BATCH = 100;

export async function notify(tx: Tx, notes: Notification[]): Promise<void> {
  if (notes.length > 0) await tx.insert(outbox).values(notes);
}

export interface OutboxDeps { db: Db; log: Logger; fetch?: typeof fetch; now?: () => Date }

/** Delivers what is due; returns how many were delivered. Safe to run from several processes. */
export async function deliverOutbox(deps: OutboxDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const send = deps.fetch ?? fetch;
  let delivered = 0;
  await deps.db.transaction(async (tx) => {
    const due = await tx.select({ note: outbox, webhookUrl: orgs.webhookUrl }).from(outbox)
      .innerJoin(orgs, eq(orgs.id, outbox.orgId))
      .where(and(isNull(outbox.deliveredAt), lte(outbox.nextAttemptAt, now()), sql`${outbox.attempts} < ${MAX_ATTEMPTS}`))
      .orderBy(asc(outbox.nextAttemptAt)).limit(BATCH).for('update', { of: outbox, skipLocked: true });
    for (const { note, webhookUrl } of due) {
      try {
        if (webhookUrl) {
          const res = await send(webhookUrl, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: note.id, kind: note.kind, caseId: note.caseId, orgId: note.orgId, ...(note.payload as Record<string, unknown>) }),
            signal: AbortSignal.timeout(5000),
          });
          if (!res.ok) throw new Error(`webhook answered ${res.status}`);
        } else {
          deps.log.info({ notification: note.kind, caseId: note.caseId, orgId: note.orgId, ...(note.payload as Record<string, unknown>) }, 'notification');
        }
        await tx.update(outbox).set({ deliveredAt: now(), attempts: note.attempts + 1 }).where(eq(outbox.id, note.id));
        delivered++;
      } catch (error) {
        const attempts = note.attempts + 1;
        const backoffMs = Math.min(2 ** attempts * 1000, 3600_000);
        await tx.update(outbox).set({ attempts, lastError: String(error), nextAttemptAt: new Date(now().getTime() + backoffMs) })
          .where(eq(outbox.id, note.id));
        deps.log.warn({ outboxId: note.id, attempts, err: String(error) }, 'notification delivery failed; will retry');
      }
    }
  });
  return delivered;
}
