/**
 * One worker, many platforms (跨平台身份识别), only with the worker's consent (worker.consentToLink
 * at registration). A consenting worker's case keeps a linking digest — HMAC-SHA-256 with its own
 * key (LINK_KEY) of the normalised phone — the same on every case of theirs, so their other open
 * cases can be hinted to the liaison and the committee (references only, never the phone) and
 * merged at L2. The digest lives on the case row, outside the hashed record, and is erased with the
 * contact (src/privacy/contact-retention.ts). Without consent (or without a phone) nothing is kept.
 */
import { createHmac } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { caseScope } from '../cases/case-queries.js';
import type { CaseRow } from '../cases/case-store.js';

export interface LinkKey {
  /** The digest of a phone, or null when there is no phone to link by. */
  digest(phone: string | null | undefined): string | null;
}

/** The digits of a phone, without a leading 0086 / +86 country code: one number written two ways links the same. */
export function normalisedPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  return digits.replace(/^(00)?86(?=1[0-9]{10}$)/, '');
}

export function createLinkKey(secret: string): LinkKey {
  return {
    digest: (phone) => {
      const digits = phone ? normalisedPhone(phone) : '';
      return digits ? createHmac('sha256', secret).update(`worker-link:${digits}`).digest('hex') : null;
    },
  };
}

/** The digest a registration keeps: only with the worker's consent, a phone, and not anonymous. */
export function linkDigestOf(key: LinkKey, worker: { phone?: string; anonymous?: boolean; consentToLink?: boolean }): string | null {
  return worker.consentToLink && !worker.anonymous ? key.digest(worker.phone) : null;
}

/** How many there are, their references, and each case's id beside its reference (for a link to it). */
export interface LinkedOpenCases { count: number; references: string[]; cases: { id: string; reference: string }[] }

/** At most this many references are listed (the count says how many there are). */
const LISTED = 20;

/**
 * The same consenting worker's other open cases that are in the caller's scope: one read of the
 * partial index cases_open_worker_link. Null when the case has no digest (no consent).
 */
export async function linkedOpenCases(tx: Tx, caller: Caller, row: Pick<CaseRow, 'id' | 'workerLinkDigest'>, units: readonly string[]): Promise<LinkedOpenCases | null> {
  if (!row.workerLinkDigest) return null;
  const rows = await tx<{ id: string; reference: string; total: number }[]>`
    select c.id, c.reference, count(*) over ()::int as total from cases c
    where c.worker_link_digest = ${row.workerLinkDigest} and c.closed_at is null and c.id <> ${row.id} ${caseScope(tx, caller, units)}
    order by c.created_at, c.id limit ${LISTED}`;
  return { count: rows[0]?.total ?? 0, references: rows.map((r) => r.reference), cases: rows.map(({ id, reference }) => ({ id, reference })) };
}
