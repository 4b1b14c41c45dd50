/**
 * Notifications (a case arriving, a deadline warning, a missed deadline) are written to the
 * outbox inside the transition's transaction (`notify`) and delivered after commit by a delivery
 * loop that never holds a transaction while a receiver answers:
 *
 * 1. claim: one short statement picks due rows (`FOR UPDATE SKIP LOCKED`, so several processes
 *    never take the same row) and pushes their `next_attempt_at` past the send timeout — a lease:
 *    if this process dies mid-send the row comes due again and another process sends it;
 * 2. send: outside any transaction, with a timeout, signed (HMAC-SHA256, per-unit secret);
 *    receivers in parallel, at most `perReceiver` deliveries in flight to one unit per process;
 * 3. record: delivered, or the next attempt after an exponential backoff.
 *
 * A receiver that fails `parkAfter` times in a row is parked: its rows wait (they keep their
 * attempts) while every other unit's notifications go on; once the park runs out one delivery
 * probes it, and a success un-parks it. Admins see parked and failed deliveries
 * (`GET /api/v1/deliveries`). Delivery is at least once: receivers de-duplicate on the `id`.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { jsonb, type Sql, type Tx } from '../../db/client.js';

export interface Notification { orgId: string; caseId: string; kind: string; payload: Record<string, unknown> }

/** After this many attempts a row gives up (status `failed`, shown to admins). */
export const MAX_ATTEMPTS = 10;

export async function notify(tx: Tx, notes: Notification[]): Promise<void> {
  if (notes.length === 0) return;
  await tx`insert into outbox ${tx(notes.map((n) => ({ ...n, payload: jsonb(tx, n.payload) })))}`;
}

/** The headers a receiver checks: `v1=` HMAC-SHA256 over `<timestamp>.<body>` with the unit's secret. */
export const SIGNATURE_HEADER = 'x-grievance-signature';
export const TIMESTAMP_HEADER = 'x-grievance-timestamp';
export const DELIVERY_HEADER = 'x-grievance-delivery';

export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryOptions {
  sql: Sql;
  log: Logger;
  /** A receiver that does not answer within this is a failure. */
  timeoutMs?: number;
  /** Deliveries in flight to one unit from this process. */
  perReceiver?: number;
  /** Deliveries in flight from this process. */
  maxInFlight?: number;
  /** Consecutive failures that park a receiver. */
  parkAfter?: number;
  /** Longest backoff for a row or a parked receiver. */
  maxBackoffMs?: number;
}

export interface OutboxDelivery {
  /** Look for due rows now (after a commit, or on a timer). Never waits for a receiver. */
  kick(): void;
  /** Waits for the deliveries in flight, then stops. */
  close(): Promise<void>;
}

interface Claimed {
  id: string; orgId: string; caseId: string; kind: string; payload: Record<string, unknown>; attempts: number;
  webhookUrl: string | null; webhookSecret: string;
}

export function createOutboxDelivery(opts: DeliveryOptions): OutboxDelivery {
  const { sql, log } = opts;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const perReceiver = opts.perReceiver ?? 4;
  const maxInFlight = opts.maxInFlight ?? 64;
  const parkAfter = opts.parkAfter ?? 5;
  const maxBackoffMs = opts.maxBackoffMs ?? 3600_000;
  const leaseMs = timeoutMs * 2 + 5000;
  const inFlight = new Map<string, number>();
  const sends = new Set<Promise<void>>();
  let pumping = false;
  let again = false;
  let closed = false;

  const total = () => sends.size;

  async function claim(limit: number): Promise<Claimed[]> {
    const busy = [...inFlight.entries()];
    // The window caps each unit at what it has room for (one probe for a parked one); the outer
    // select locks the chosen rows, skipping any another process holds; the update leases them.
    return sql<Claimed[]>`
      with candidates as (
        select id, next_attempt_at from (
          select o.id, o.next_attempt_at, coalesce(r.failures, 0) as failures, coalesce(b.n, 0) as busy,
            row_number() over (partition by o.org_id order by o.next_attempt_at) as nth
          from outbox o
          left join delivery_receivers r on r.org_id = o.org_id
          left join unnest(${busy.map(([org]) => org)}::uuid[], ${busy.map(([, n]) => n)}::int[]) as b(org_id, n) on b.org_id = o.org_id
          where o.delivered_at is null and o.next_attempt_at <= now() and o.attempts < ${MAX_ATTEMPTS}
            and (r.parked_until is null or r.parked_until <= now())
        ) c
        where nth <= (case when failures >= ${parkAfter} then 1 else ${perReceiver} end) - busy
        order by next_attempt_at limit ${limit}),
      locked as (
        select o.id from outbox o where o.id in (select id from candidates) for update of o skip locked)
      update outbox o set next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      from locked, orgs g
      where o.id = locked.id and g.id = o.org_id
      returning o.id, o.org_id, o.case_id, o.kind, o.payload, o.attempts, g.webhook_url, g.webhook_secret`;
  }

  /** Units without a webhook: a log line each, recorded together. */
  async function logged(notes: Claimed[]): Promise<void> {
    // A worker's link (`worker_*`: a one-time feedback link) is a credential: never in a log line.
    const shown = (note: Claimed) => (note.kind.startsWith('worker_') ? { reference: note.payload.reference } : note.payload);
    for (const note of notes) log.info({ notification: note.kind, caseId: note.caseId, orgId: note.orgId, ...shown(note) }, 'notification');
    await sql`update outbox set delivered_at = now(), attempts = attempts + 1, last_error = null where id = any(${notes.map((n) => n.id)}::uuid[])`;
  }

  async function send(note: Claimed & { webhookUrl: string }): Promise<void> {
    const body = JSON.stringify({ id: note.id, kind: note.kind, caseId: note.caseId, orgId: note.orgId, ...note.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(note.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', [DELIVERY_HEADER]: note.id,
        [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signDelivery(note.webhookSecret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }

  async function deliverOne(note: Claimed & { webhookUrl: string }): Promise<void> {
    try {
      await send(note);
      await sql`update outbox set delivered_at = now(), attempts = ${note.attempts + 1}, last_error = null where id = ${note.id}`;
      await sql`update delivery_receivers set failures = 0, parked_until = null, last_error = null, updated_at = now()
        where org_id = ${note.orgId} and failures > 0`;
    } catch (error) {
      // The message names the failure, never the URL (it may carry a secret query string).
      const reason = failureReason(error, timeoutMs);
      const attempts = note.attempts + 1;
      const backoffMs = Math.min(2 ** attempts * 1000, maxBackoffMs);
      await sql`update outbox set attempts = ${attempts}, last_error = ${reason},
        next_attempt_at = now() + make_interval(secs => ${backoffMs / 1000}) where id = ${note.id}`;
      const [receiver] = await sql<{ failures: number; parkedUntil: Date | null }[]>`
        insert into delivery_receivers as r (org_id, failures, last_error) values (${note.orgId}, 1, ${reason})
        on conflict (org_id) do update set failures = r.failures + 1, last_error = excluded.last_error, updated_at = now(),
          parked_until = case when r.failures + 1 >= ${parkAfter}
            then now() + make_interval(secs => least(30 * power(2, r.failures + 1 - ${parkAfter}), ${maxBackoffMs / 1000}))
            else null end
        returning failures, parked_until`;
      if (receiver.parkedUntil) {
        log.warn({ orgId: note.orgId, failures: receiver.failures, parkedUntil: receiver.parkedUntil, err: reason }, 'webhook receiver parked');
      } else {
        log.warn({ outboxId: note.id, orgId: note.orgId, attempts, err: reason }, 'notification delivery failed; will retry');
      }
    }
  }

  function start(note: Claimed & { webhookUrl: string }) {
    inFlight.set(note.orgId, (inFlight.get(note.orgId) ?? 0) + 1);
    const p: Promise<void> = deliverOne(note)
      .catch((err) => log.warn({ outboxId: note.id, err: String(err) }, 'could not record a delivery; the lease will bring it back'))
      .finally(() => {
        sends.delete(p);
        const left = (inFlight.get(note.orgId) ?? 1) - 1;
        if (left === 0) inFlight.delete(note.orgId); else inFlight.set(note.orgId, left);
        kick();
      });
    sends.add(p);
  }

  async function pump() {
    pumping = true;
    try {
      do {
        again = false;
        const room = maxInFlight - total();
        if (room <= 0 || closed) break;
        const claimed = await claim(room);
        const toLog = claimed.filter((n) => !n.webhookUrl);
        if (toLog.length > 0) await logged(toLog);
        claimed.forEach((n) => { if (n.webhookUrl) start(n as Claimed & { webhookUrl: string }); });
        if (claimed.length === room) again = true;
      } while (again && !closed);
    } catch (err) {
      log.warn({ err: String(err) }, 'outbox claim failed');
    } finally {
      pumping = false;
    }
  }

  // Transitions committing close together are claimed in one statement: a kick waits 20 ms.
  let scheduled: NodeJS.Timeout | null = null;
  function kick() {
    if (closed) return;
    if (pumping) { again = true; return; }
    scheduled ??= setTimeout(() => { scheduled = null; void pump(); }, 20);
  }

  return {
    kick,
    async close() {
      closed = true;
      if (scheduled) clearTimeout(scheduled);
      while (pumping || sends.size > 0) await Promise.race([...sends, new Promise((r) => setTimeout(r, 20))]);
    },
  };
}

function failureReason(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error).replace(/\w+:\/\/\S+/g, '<url>');
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = (error.cause as { code?: string } | undefined)?.code;
  return `${error.message}${code ? ` (${code})` : ''}`.replace(/\w+:\/\/\S+/g, '<url>');
}

export type DeliveryStatus = 'parked' | 'failed' | 'pending';

export interface DeliveryRow {
  id: string; orgId: string; orgName: string; caseId: string; kind: string; attempts: number; lastError: string | null;
  nextAttemptAt: Date; createdAt: Date; receiverFailures: number; receiverParkedUntil: Date | null;
}

/**
 * Undelivered notifications, for admins: `parked` (waiting on a parked receiver), `failed` (gave
 * up after MAX_ATTEMPTS), `pending` (any other undelivered row). Oldest first.
 */
export async function listDeliveries(sql: Sql, status: DeliveryStatus, limit = 200): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select o.id, o.org_id, g.name as org_name, o.case_id, o.kind, o.attempts, o.last_error, o.next_attempt_at, o.created_at,
      coalesce(r.failures, 0) as receiver_failures, r.parked_until as receiver_parked_until
    from outbox o join orgs g on g.id = o.org_id left join delivery_receivers r on r.org_id = o.org_id
    where o.delivered_at is null and ${
      status === 'failed' ? sql`o.attempts >= ${MAX_ATTEMPTS}`
      : status === 'parked' ? sql`o.attempts < ${MAX_ATTEMPTS} and r.parked_until is not null`
      : sql`o.attempts < ${MAX_ATTEMPTS} and r.parked_until is null`}
    order by o.created_at limit ${limit}`;
}
