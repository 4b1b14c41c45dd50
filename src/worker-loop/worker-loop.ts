/**
 * The worker's side of a case, seen by the units: what the worker was told by SMS and when (the
 * `worker_*` outbox rows, their texts from WORKER_MESSAGES, the phone masked, never the link), and —
 * for the registering liaison — how many other open cases of the branch's own carry the worker's
 * phone (matched by its digits within the branch; the phone is never echoed back).
 */
import type { Sql, Tx } from '../../db/client.js';
import { requireCapability } from '../access/permissions.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from '../cases/case-store.js';
import { MAX_ATTEMPTS } from '../notifications/outbox.js';
import { WORKER_MESSAGES, type WorkerMessage } from '../notifications/who-is-told.js';
import { maskPhone } from '../privacy/masking.js';

/** At most this many references are named; the count is all of them. */
export const OPEN_CASE_REFERENCES = 10;
/**
 * sent; pending (not yet, or retrying); failed (gave up); unsent: the outbox finished the row but the
 * branch has no SMS gateway (it was only logged) — read from the branch's channels now.
 */
export const WORKER_MESSAGE_STATUSES = ['sent', 'pending', 'failed', 'unsent'] as const;
export type WorkerMessageStatus = (typeof WORKER_MESSAGE_STATUSES)[number];

export interface WorkerMessageView {
  kind: string; sms: string; phone: string | null; status: WorkerMessageStatus; createdAt: string; sentAt: string | null;
}

const digitsOf = (phone: string) => phone.replace(/[^0-9]/g, '');

export function createWorkerLoopService(deps: { sql: Sql; visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow> }) {
  const { sql } = deps;

  /** The branch's own open cases with this phone (the caller's branch only: no other branch's case is named). */
  async function openCasesOfWorker(caller: Caller, phone: string): Promise<{ count: number; references: string[] }> {
    requireCapability(caller, 'register');
    const digits = digitsOf(phone);
    if (!caller.orgId || digits.length === 0) return { count: 0, references: [] };
    const rows = await sql<{ reference: string; total: number }[]>`
      select reference, count(*) over ()::int as total from cases
      where branch_org_id = ${caller.orgId} and closed_at is null and worker_phone is not null and not anonymous
        and regexp_replace(worker_phone, '[^0-9]', '', 'g') = ${digits}
      order by created_at desc limit ${OPEN_CASE_REFERENCES}`;
    return { count: rows[0]?.total ?? 0, references: rows.map((r) => r.reference) };
  }

  /** The SMS messages to the worker of a case the caller may read, oldest first. */
  async function workerMessages(caller: Caller, caseId: string): Promise<{ items: WorkerMessageView[] }> {
    const row = await deps.visibleCase(sql, caller, caseId);
    const phone = row.anonymous ? null : maskPhone(row.workerPhone);
    const rows = await sql<{ kind: string; createdAt: Date; deliveredAt: Date | null; attempts: number; gateway: boolean }[]>`
      select o.kind, o.created_at, o.delivered_at, o.attempts,
        exists (select 1 from org_channels ch where ch.org_id = o.org_id and ch.channel = 'sms') as gateway
      from outbox o where o.case_id = ${row.id} and o.kind like 'worker\\_%' order by o.created_at, o.id`;
    return {
      items: rows.map((r) => ({
        kind: r.kind,
        sms: Object.hasOwn(WORKER_MESSAGES, r.kind) ? WORKER_MESSAGES[r.kind as WorkerMessage].sms : r.kind,
        phone,
        status: r.deliveredAt ? (r.gateway ? 'sent' : 'unsent') : r.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
        createdAt: r.createdAt.toISOString(),
        sentAt: r.deliveredAt?.toISOString() ?? null,
      })),
    };
  }

  return { openCasesOfWorker, workerMessages };
}
export type WorkerLoopService = ReturnType<typeof createWorkerLoopService>;
