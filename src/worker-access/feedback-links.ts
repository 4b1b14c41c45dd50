/**
 * The worker's one-time feedback link (回访): made in the transaction that resolves a case, sent
 * to the worker by the SMS adapter through an outbox row `worker_feedback_link` addressed to the
 * registering branch (the phone is resolved at send time, never stored in the outbox). Only the
 * token's SHA-256 is kept, and the outbox row drops the link once it is sent; the link expires with the feedback clock and works once. A newer
 * resolution (after a reopening) expires the older links of the case.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { Gone, NotFound } from '../errors.js';
import type { Notification } from '../notifications/outbox.js';
import type { WorkerMessage } from '../notifications/who-is-told.js';

export const FEEDBACK_LINK_KIND = 'worker_feedback_link' satisfies WorkerMessage;

/** Only a token's SHA-256 is kept: it finds the link (and its case) without the token being stored. */
export const feedbackTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const hashOf = feedbackTokenHash;

/**
 * Makes the link for a case just resolved: the statements that expire the case's older links and
 * keep the new one's hash, and the outbox note that carries it to the worker.
 */
export function issueFeedbackLink(
  tx: Tx, c: { id: string; reference: string; branchOrgId: string }, at: Date, expiresAt: Date, publicUrl: string,
) {
  const token = randomBytes(24).toString('base64url');
  const statements = [
    tx`update worker_feedback_links set expires_at = ${at} where case_id = ${c.id} and used_at is null and expires_at > ${at}`,
    tx`insert into worker_feedback_links (token_hash, case_id, expires_at, created_at) values (${hashOf(token)}, ${c.id}, ${expiresAt}, ${at})`,
  ];
  const note: Notification = { orgId: c.branchOrgId, caseId: c.id, kind: FEEDBACK_LINK_KIND, payload: { reference: c.reference, link: `${publicUrl}/feedback/${token}` } };
  return { statements, note };
}

export interface FeedbackLink { tokenHash: string; caseId: string; expiresAt: Date; usedAt: Date | null }

/**
 * The link behind `token`, locked when `lock` (the worker is about to use it). Unknown: 404;
 * used or expired: 410 with code `feedback_link_used` / `feedback_link_expired`.
 */
export async function openFeedbackLink(tx: Tx, token: string, at: Date, lock = false): Promise<FeedbackLink> {
  const [link] = await tx<FeedbackLink[]>`select token_hash, case_id, expires_at, used_at from worker_feedback_links
    where token_hash = ${hashOf(token)} ${lock ? tx`for update` : tx``}`;
  if (!link) throw new NotFound('评价链接无效 / no such feedback link');
  if (link.usedAt) throw new Gone('该评价链接已使用 / this feedback link has been used', 'feedback_link_used');
  if (link.expiresAt <= at) throw new Gone('该评价链接已过期 / this feedback link has expired', 'feedback_link_expired');
  return link;
}

/**
 * Links that no message will carry (the demo district's history, written as if in the past and
 * never sent): the outbox rows not delivered yet drop their link, and every link not used yet
 * expires now, so no stored row holds a link that works.
 */
export function withdrawUnsentFeedbackLinks(tx: Tx) {
  return [
    tx`update outbox set payload = payload - 'link' where kind = ${FEEDBACK_LINK_KIND} and delivered_at is null`,
    tx`update worker_feedback_links set expires_at = now() where used_at is null and expires_at > now()`,
  ];
}

export function markFeedbackLinkUsed(tx: Tx, link: FeedbackLink, at: Date) {
  return tx`update worker_feedback_links set used_at = ${at} where token_hash = ${link.tokenHash}`;
}
