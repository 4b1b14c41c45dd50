/**
 * Notifications (a case arriving, a deadline warning, a missed deadline) are written to the
 * outbox inside the transition's transaction (`notify`) and delivered after commit by a delivery
 * loop that never holds a transaction while a receiver answers:
 *
 * 1. claim: one short statement picks due rows (`FOR UPDATE SKIP LOCKED`, so several processes
 *    never take the same row) and pushes their `next_attempt_at` past the send timeout — a lease:
 *    if this process dies mid-send the row comes due again and another process sends it. A row
 *    with nowhere to go (a unit without a webhook, a channel removed since) is settled by the same
 *    statement and only logged;
 * 2. send: outside any transaction, with a timeout, through the row's channel — the signed webhook
 *    (HMAC-SHA256, per-unit secret) or a channel adapter (WeCom, DingTalk, e-mail, SMS); receivers
 *    (a unit's channel) in parallel, at most `perReceiver` deliveries in flight to one per process;
 *    every HTTP request through the outbound guard (a refused address or a redirect is a failure);
 * 3. record: delivered, or the next attempt after an exponential backoff.
 *
 * A receiver that fails `parkAfter` times in a row is parked: its rows wait (they keep their
 * attempts) while every other receiver's notifications go on; once the park runs out one delivery
 * probes it, and a success un-parks it. Admins see parked and failed deliveries
 * (`GET /api/v1/deliveries`). Delivery is at least once: receivers de-duplicate on the `id`.
 * Each attempt is a span continuing the trace of the transition that wrote the row (its
 * `traceparent`, README "Traces"), in whichever process sends it.
 */
import { createHmac } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { notifications, outbox } from '../../db/schema.js';
import { fixedInsert, inTransaction, jsonb, type Sql, type Tx } from '../../db/client.js';
import { recordDemoSms, type DemoSmsText } from '../demo/demo-sms.js';
import { STATE_LABELS } from '../../workflows/case-rules.js';
import {
  createMailer, messageText, sendDingTalk, sendSms, sendWeCom, type ChannelSettings, type MailSettings, type Message,
} from './channel-adapters.js';
import type { OutboundGuard } from './outbound-guard.js';
import { SpanKind, continuing, currentTraceparent, failed, inSpan } from '../observability/spans.js';
import { UNIT_MESSAGES, WORKER_MESSAGES, isUnitMessage, isWorkerMessage, ruleFor, type NoteKind, type WorkerMessage } from './who-is-told.js';

/** A note for a unit (or, `worker_*`, for the worker); `caseId` null only for a unit message about no one case (UNIT_MESSAGES). */
export interface Notification { orgId: string; caseId: string | null; kind: NoteKind; payload: Record<string, unknown> }

/** After this many attempts a row gives up (status `failed`, shown to admins). */
export const MAX_ATTEMPTS = 10;

/**
 * Inside the transition's transaction: each note becomes a row of the unit's notification centre
 * (WHO_IS_TOLD says for whom and with which title) and one outbox row per channel of the unit —
 * its signed webhook (or a log line) and each channel an admin set (`channelsOf`, from the unit
 * directory). A `worker_*` note goes by SMS only, through the registering branch's gateway, to the
 * phone on the case (read at send time). Returns the statements, for the writer to batch.
 */
export function noticeStatements(tx: Tx, notes: Notification[], channelsOf: (orgId: string) => readonly string[]) {
  if (notes.length === 0) return [];
  // The delivery's span continues the trace of the transition that wrote the row (null: nothing traced).
  const traceparent = currentTraceparent();
  const rows = notes.flatMap((n) => {
    const kinds = isWorkerMessage(n.kind) ? ['sms'] : ['webhook', ...channelsOf(n.orgId)];
    return kinds.map((channel) => ({ orgId: n.orgId, caseId: n.caseId, kind: n.kind, channel, payload: jsonb(tx, n.payload), traceparent }));
  });
  const inApp = notes.flatMap((n) => {
    const rule = isWorkerMessage(n.kind) ? null : ruleFor(n.kind);
    const reference = String(n.payload.reference ?? '');
    return rule && n.caseId ? [{ orgId: n.orgId, role: rule.role, caseId: n.caseId, kind: n.kind, reference, title: rule.title, body: noteBody(n) }] : [];
  });
  return [insertOutbox(tx, rows), ...(inApp.length > 0 ? [insertNotifications(tx, inApp)] : [])];
}

const insertOutbox = fixedInsert('outbox', ['orgId', 'caseId', 'kind', 'channel', 'payload', 'traceparent'] as const satisfies readonly (keyof typeof outbox.$inferInsert)[]);
const insertNotifications = fixedInsert('notifications', ['orgId', 'role', 'caseId', 'kind', 'reference', 'title', 'body'] as const satisfies readonly (keyof typeof notifications.$inferInsert)[]);

/** The centre's line under the title: the reference and where the case stands, no personal data. */
function noteBody(n: Notification): string {
  const state = typeof n.payload.state === 'string' ? n.payload.state : null;
  const label = state ? (STATE_LABELS as Record<string, string>)[state] ?? state : null;
  return `案件 / case ${String(n.payload.reference ?? '')}${label ? ` · ${label}` : ''}${n.payload.step ? ` · ${String(n.payload.step)}` : ''}`;
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
  /** Where HTTP requests may go (OUTBOUND_ALLOW_HOSTS); every webhook, robot and SMS gateway request goes through it. */
  outbound: OutboundGuard;
  /** A receiver that does not answer within this is a failure. */
  timeoutMs?: number;
  /** Deliveries in flight to one receiver (a unit's channel) from this process. */
  perReceiver?: number;
  /** Deliveries in flight from this process. */
  maxInFlight?: number;
  /** Consecutive failures that park a receiver. */
  parkAfter?: number;
  /** Longest backoff for a row or a parked receiver. */
  maxBackoffMs?: number;
  /** SMTP_URL and SMTP_FROM for the e-mail channel; null: e-mail rows fail (and park) with a reason. */
  mail?: MailSettings | null;
  /** PUBLIC_URL: where the pages are, for the link in every message. */
  publicUrl?: string;
  /** Counts each delivery: its channel and how long after it was written it arrived. */
  metrics?: { notificationDelivered(channel: string, seconds: number): void };
  /** Demo mode only (the embedded database): a worker's text with no gateway to go by is recorded for the demo's SMS page (src/demo/demo-sms.ts). */
  demoSms?: boolean;
}

export interface OutboxDelivery {
  /** Look for due rows now (after a commit, or on a timer). Never waits for a receiver. */
  kick(): void;
  /** Waits for the deliveries in flight, then stops. */
  close(): Promise<void>;
}

interface Claimed {
  id: string; orgId: string; caseId: string | null; kind: NoteKind; channel: Channel; payload: Record<string, unknown>; attempts: number;
  webhookUrl: string | null; webhookSecret: string;
  /** The W3C trace context of the transition that wrote the row. */
  traceparent: string | null;
  /** The channel's settings now (an admin may have removed it since the row was written). */
  settings: ChannelSettings[keyof ChannelSettings] | null;
  /** Nowhere to go: a unit without a webhook, a channel removed since. */
  nowhere: boolean;
  /** Nowhere to go, and the claim marked it delivered (see `claim`). */
  settled: boolean;
}
type Channel = 'webhook' | keyof ChannelSettings;
/** A receiver is a unit's channel: parked, counted and limited on its own. */
const receiverKey = (n: Pick<Claimed, 'orgId' | 'channel'>) => `${n.orgId} ${n.channel}`;

export function createOutboxDelivery(opts: DeliveryOptions): OutboxDelivery {
  const { sql, log, outbound } = opts;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const perReceiver = opts.perReceiver ?? 4;
  const maxInFlight = opts.maxInFlight ?? 64;
  const parkAfter = opts.parkAfter ?? 5;
  const maxBackoffMs = opts.maxBackoffMs ?? 3600_000;
  const leaseMs = timeoutMs * 2 + 5000;
  /** Once a worker's message is sent its link (a one-time credential) is dropped from the kept row. */
  const spent = () => sql`case when kind like 'worker\\_%' then payload - 'link' else payload end`;
  const inFlight = new Map<string, number>();
  const mailer = createMailer(opts.mail ?? null, timeoutMs);
  const publicUrl = (opts.publicUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const sends = new Set<Promise<void>>();
  let pumping = false;
  let closed = false;

  const total = () => sends.size;

  /**
   * Claims up to `limit` due rows in one statement. A row with somewhere to go is leased (its
   * `next_attempt_at` moved past the lease) and sent by this process. A row with nowhere to go (a
   * unit without a webhook, a channel removed since) is settled in the same statement — marked
   * delivered, a worker's link dropped — and only logged: one statement per claim, not a
   * transaction of its own. In demo mode a worker's message with nowhere to go is left leased
   * instead, for `recordDemoTexts` to record its text beside the update (src/demo/demo-sms.ts).
   */
  async function claim(limit: number): Promise<Claimed[]> {
    const busy = [...inFlight.entries()].map(([key, n]) => [...key.split(' '), n] as [string, string, number]);
    // The window caps each receiver at what it has room for (one probe for a parked one); `locked`
    // locks the chosen rows, skipping any another process holds, and reads where each would go.
    return sql<Claimed[]>`
      with candidates as (
        select id, next_attempt_at from (
          select o.id, o.next_attempt_at, coalesce(r.failures, 0) as failures, coalesce(b.n, 0) as busy,
            row_number() over (partition by o.org_id, o.channel order by o.next_attempt_at) as nth
          from outbox o
          left join delivery_receivers r on r.org_id = o.org_id and r.channel = o.channel
          left join unnest(${busy.map(([org]) => org)}::uuid[], ${busy.map(([, ch]) => ch)}::text[], ${busy.map(([, , n]) => n)}::int[])
            as b(org_id, channel, n) on b.org_id = o.org_id and b.channel = o.channel
          where o.delivered_at is null and o.next_attempt_at <= now() and o.attempts < ${MAX_ATTEMPTS}
            and (r.parked_until is null or r.parked_until <= now())
        ) c
        where nth <= (case when failures >= ${parkAfter} then 1 else ${perReceiver} end) - busy
        order by next_attempt_at limit ${limit}),
      locked as (
        select o.id as locked_id, g.webhook_url as to_url, g.webhook_secret as to_secret, ch.settings as to_settings,
          (case when o.channel = 'webhook' then g.webhook_url is null else ch.settings is null end) as nowhere, o.kind like 'worker\\_%' as to_worker
        from outbox o join orgs g on g.id = o.org_id left join org_channels ch on ch.org_id = o.org_id and ch.channel = o.channel
        -- Checked again on the row as locked: another process may have settled it since the window read it.
        where o.id in (select id from candidates) and o.delivered_at is null and o.next_attempt_at <= now()
        for update of o skip locked),
      settling as (select *, nowhere and not (${opts.demoSms ?? false} and to_worker) as settled from locked)
      update outbox o set
        next_attempt_at = case when locked.settled then o.next_attempt_at else now() + make_interval(secs => ${leaseMs / 1000}) end,
        delivered_at = case when locked.settled then now() else o.delivered_at end,
        attempts = o.attempts + case when locked.settled then 1 else 0 end,
        last_error = case when locked.settled then null else o.last_error end,
        payload = case when locked.settled then ${spent()} else o.payload end
      from settling locked
      where o.id = locked.locked_id
      returning o.id, o.org_id, o.case_id, o.kind, o.channel, o.payload, o.attempts, o.traceparent, locked.to_url as webhook_url,
        locked.to_secret as webhook_secret, locked.to_settings as settings, locked.nowhere, locked.settled`;
  }

  /** A unit without a webhook, a channel removed since: a log line each (the claim settled the row, or `recordDemoTexts` does). */
  function logNowhere(notes: Claimed[]): void {
    // A worker's link (`worker_*`: a one-time feedback link) is a credential: never in a log line.
    const shown = (note: Claimed) => (isWorkerMessage(note.kind) ? { reference: note.payload.reference } : note.payload);
    // At debug: a unit with no webhook is normal (most have channels or none), and the terminal keeps the start banner last.
    for (const note of notes) log.debug({ notification: note.kind, channel: note.channel, caseId: note.caseId, orgId: note.orgId, ...shown(note) }, 'notification');
  }

  /** Demo mode: a worker's messages with no gateway are recorded as texts and marked delivered together. */
  async function recordDemoTexts(notes: Claimed[]): Promise<void> {
    const texts = await demoTexts(notes);
    await inTransaction(sql, async (tx) => {
      await recordDemoSms(tx, texts);
      await tx`update outbox set delivered_at = now(), attempts = attempts + 1, last_error = null, payload = ${spent()}
        where id = any(${notes.map((n) => n.id)}::uuid[])`;
    });
  }

  /** Demo mode: the worker's texts as they would have gone out, to the phone on the case (none for an anonymous worker). */
  async function demoTexts(notes: Claimed[]): Promise<DemoSmsText[]> {
    if (notes.length === 0) return [];
    const phones = new Map((await sql<{ id: string; workerPhone: string }[]>`select id, worker_phone from cases
      where id = any(${notes.map((n) => n.caseId!)}::uuid[]) and not anonymous and worker_phone is not null`).map((c) => [c.id, c.workerPhone]));
    return notes.filter((n) => phones.has(n.caseId!)).map((n) => {
      const m = message(n);
      return { caseId: n.caseId!, kind: n.kind, phone: phones.get(n.caseId!)!, text: messageText(m), link: m.link };
    });
  }

  async function sendWebhook(note: Claimed & { webhookUrl: string }): Promise<void> {
    const body = JSON.stringify({ id: note.id, kind: note.kind, caseId: note.caseId, orgId: note.orgId, ...note.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await outbound.post(note.webhookUrl, {
      headers: {
        'content-type': 'application/json', [DELIVERY_HEADER]: note.id,
        [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signDelivery(note.webhookSecret, timestamp, body),
      },
      body,
      timeoutMs,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered ${res.status}`);
  }

  /** The link and title every channel carries: the reference, never personal data. */
  function message(note: Claimed): Message {
    const reference = String(note.payload.reference ?? '');
    if (isWorkerMessage(note.kind)) {
      const text = Object.hasOwn(WORKER_MESSAGES, note.kind) ? WORKER_MESSAGES[note.kind as WorkerMessage].sms : '您的诉求有新进展';
      return { title: text, label: '编号', reference, link: String(note.payload.link ?? `${publicUrl}/status?reference=${encodeURIComponent(reference)}`) };
    }
    if (isUnitMessage(note.kind)) return { title: UNIT_MESSAGES[note.kind].title, label: String(note.payload.label ?? ''), reference, link: String(note.payload.link ?? publicUrl) };
    return { title: ruleFor(note.kind)?.title ?? note.kind, reference, link: `${publicUrl}/#/case/${note.caseId}` };
  }

  /** SMS: the unit's duty phones, or for a `worker_*` message the worker's phone on the case now (none: nothing to send). */
  async function smsRecipients(note: Claimed, settings: NonNullable<ChannelSettings['sms']>): Promise<string[]> {
    if (!isWorkerMessage(note.kind)) return settings.to ?? [];
    const [row] = await sql<{ workerPhone: string | null }[]>`select worker_phone from cases where id = ${note.caseId} and not anonymous`;
    return row?.workerPhone ? [row.workerPhone] : [];
  }

  async function send(note: Claimed): Promise<void> {
    const m = message(note);
    switch (note.channel) {
      case 'webhook': return sendWebhook(note as Claimed & { webhookUrl: string });
      case 'wecom': return sendWeCom(outbound, note.settings as NonNullable<ChannelSettings['wecom']>, m, timeoutMs);
      case 'dingtalk': return sendDingTalk(outbound, note.settings as NonNullable<ChannelSettings['dingtalk']>, m, timeoutMs);
      case 'email': return mailer.send((note.settings as NonNullable<ChannelSettings['email']>).to, m);
      case 'sms': {
        const settings = note.settings as NonNullable<ChannelSettings['sms']>;
        return sendSms(outbound, settings, await smsRecipients(note, settings), messageText(m), timeoutMs);
      }
    }
  }

  /** One delivery in a span continuing the trace of the transition that wrote the row: the kind, the channel, the attempt — never a URL or an address. */
  function deliverOne(note: Claimed): Promise<void> {
    const attributes = {
      'grievance.notification_kind': note.kind, 'grievance.channel': note.channel, 'grievance.outbox_id': note.id, 'grievance.attempt': note.attempts + 1,
      ...(note.caseId ? { 'grievance.case_id': note.caseId } : {}),
    };
    return inSpan('outbox.deliver', attributes, (span) => attempt(note, span), { kind: SpanKind.CLIENT, parent: continuing(note.traceparent) });
  }

  async function attempt(note: Claimed, span: Span): Promise<void> {
    try {
      await send(note);
      span.setAttribute('grievance.outcome', 'delivered');
      const [row] = await sql<{ latency: number }[]>`update outbox set delivered_at = now(), attempts = ${note.attempts + 1}, last_error = null, payload = ${spent()}
        where id = ${note.id} returning extract(epoch from delivered_at - created_at)::float8 as latency`;
      if (row) opts.metrics?.notificationDelivered(note.channel, row.latency);
      await sql`update delivery_receivers set failures = 0, parked_until = null, last_error = null, updated_at = now()
        where org_id = ${note.orgId} and channel = ${note.channel} and failures > 0`;
    } catch (error) {
      // The message names the failure, never the URL (it may carry a secret query string).
      const reason = failureReason(error, timeoutMs);
      // The span names the error's class only: a gateway's answer may quote a phone number.
      failed(span, error);
      span.setAttribute('grievance.outcome', 'failed');
      const attempts = note.attempts + 1;
      const backoffMs = Math.min(2 ** attempts * 1000, maxBackoffMs);
      // Counted in the row (an admin's retry may have moved it meanwhile); a row that gives up keeps
      // no credential either: a worker's link is dropped as on delivery.
      await sql`update outbox set attempts = attempts + 1, last_error = ${reason},
        next_attempt_at = now() + make_interval(secs => ${backoffMs / 1000}),
        payload = case when attempts + 1 >= ${MAX_ATTEMPTS} then ${spent()} else payload end where id = ${note.id}`;
      const [receiver] = await sql<{ failures: number; parkedUntil: Date | null }[]>`
        insert into delivery_receivers as r (org_id, channel, failures, last_error, parked_until)
        values (${note.orgId}, ${note.channel}, 1, ${reason}, ${parkAfter <= 1 ? sql`now() + make_interval(secs => 30)` : null})
        on conflict (org_id, channel) do update set failures = r.failures + 1, last_error = excluded.last_error, updated_at = now(),
          parked_until = case when r.failures + 1 >= ${parkAfter}
            then now() + make_interval(secs => least(30 * power(2, r.failures + 1 - ${parkAfter}), ${maxBackoffMs / 1000}))
            else null end
        returning failures, parked_until`;
      if (receiver.parkedUntil) {
        log.warn({ orgId: note.orgId, channel: note.channel, failures: receiver.failures, parkedUntil: receiver.parkedUntil, err: reason }, 'receiver parked');
      } else {
        log.warn({ outboxId: note.id, orgId: note.orgId, channel: note.channel, attempts, err: reason }, 'notification delivery failed; will retry');
      }
    }
  }

  function start(note: Claimed) {
    const key = receiverKey(note);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    const p: Promise<void> = deliverOne(note)
      .catch((err) => log.warn({ outboxId: note.id, err: String(err) }, 'could not record a delivery; the lease will bring it back'))
      .finally(() => {
        sends.delete(p);
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left === 0) inFlight.delete(key); else inFlight.set(key, left);
        kick();
      });
    sends.add(p);
  }

  /** Claims until the due rows are fewer than there is room for (a backlog is claimed at once, batch after batch). */
  async function pump() {
    pumping = true;
    let backlog = false;
    try {
      do {
        const room = maxInFlight - total();
        if (room <= 0 || closed) break;
        const claimed = await claim(room);
        const nowhere = claimed.filter((n) => n.nowhere);
        logNowhere(nowhere);
        // Sends first: a failing demo record (its rows come back after the lease) holds up no one else.
        claimed.forEach((n) => { if (!n.nowhere) start(n); });
        const demo = nowhere.filter((n) => !n.settled);
        if (demo.length > 0) await recordDemoTexts(demo);
        backlog = claimed.length === room;
      } while (backlog && !closed);
    } catch (err) {
      log.warn({ err: String(err) }, 'outbox claim failed');
    } finally {
      pumping = false;
      if (kickedMeanwhile) { kickedMeanwhile = false; kick(); }
    }
  }

  // Transitions committing close together are claimed in one statement: a kick waits 20 ms, and a
  // kick while a claim runs waits for it, then 20 ms more (not a claim per commit under load).
  let scheduled: NodeJS.Timeout | null = null;
  let kickedMeanwhile = false;
  function kick() {
    if (closed) return;
    if (pumping) { kickedMeanwhile = true; return; }
    scheduled ??= setTimeout(() => { scheduled = null; void pump(); }, 20);
  }

  return {
    kick,
    async close() {
      closed = true;
      if (scheduled) clearTimeout(scheduled);
      while (pumping || sends.size > 0) await Promise.race([...sends, new Promise((r) => setTimeout(r, 20))]);
      mailer.close();
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

/**
 * The outbox as a queue, beside BullMQ's: `waiting` due now, `delayed` not due yet (a retry's
 * backoff, a parked receiver, a send in hand), `failed` given up after MAX_ATTEMPTS.
 */
export async function countOutbox(sql: Sql): Promise<{ waiting: number; delayed: number; failed: number }> {
  const [c] = await sql<{ waiting: number; delayed: number; failed: number }[]>`
    select count(*) filter (where attempts < ${MAX_ATTEMPTS} and next_attempt_at <= now())::int as waiting,
      count(*) filter (where attempts < ${MAX_ATTEMPTS} and next_attempt_at > now())::int as delayed,
      count(*) filter (where attempts >= ${MAX_ATTEMPTS})::int as failed
    from outbox where delivered_at is null`;
  return c;
}

export interface DeliveryRow {
  id: string; orgId: string; orgName: string; caseId: string | null; kind: NoteKind; channel: Channel; attempts: number; lastError: string | null;
  nextAttemptAt: Date; createdAt: Date; receiverFailures: number; receiverParkedUntil: Date | null;
}

/**
 * Undelivered notifications, for admins: `parked` (waiting on a parked receiver — a unit's channel), `failed` (gave
 * up after MAX_ATTEMPTS), `pending` (any other undelivered row). Oldest first.
 */
export async function listDeliveries(sql: Sql, status: DeliveryStatus, limit = 200): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select o.id, o.org_id, g.name as org_name, o.case_id, o.kind, o.channel, o.attempts, o.last_error, o.next_attempt_at, o.created_at,
      coalesce(r.failures, 0) as receiver_failures, r.parked_until as receiver_parked_until
    from outbox o join orgs g on g.id = o.org_id left join delivery_receivers r on r.org_id = o.org_id and r.channel = o.channel
    where o.delivered_at is null and ${
      status === 'failed' ? sql`o.attempts >= ${MAX_ATTEMPTS}`
      : status === 'parked' ? sql`o.attempts < ${MAX_ATTEMPTS} and r.parked_until is not null`
      : sql`o.attempts < ${MAX_ATTEMPTS} and r.parked_until is null`}
    order by o.created_at limit ${limit}`;
}
