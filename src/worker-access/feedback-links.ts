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
import { WORKER_MESSAGE_KINDS } from '../notifications/who-is-told.js';

export const FEEDBACK_LINK_KIND = WORKER_MESSAGE_KINDS[0];

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes the link for a case just resolved; returns the outbox row that carries it to the worker. */
export async function issueFeedbackLink(
  tx: Tx, c: { id: string; reference: string; branchOrgId: string }, at: Date, publicUrl: string,
): Promise<Notification> {
  const [clock] = await tx<{ dueAt: Date }[]>`select due_at from deadlines
    where case_id = ${c.id} and step = 'feedback' and status = 'pending' order by started_at desc limit 1`;
  // No feedback clock (no policy applies): the link lasts as long as the default feedback step would, a week.
  const expiresAt = clock?.dueAt ?? new Date(at.getTime() + 7 * 86_400_000);
  await tx`update worker_feedback_links set expires_at = ${at} where case_id = ${c.id} and used_at is null and expires_at > ${at}`;
  const token = randomBytes(24).toString('base64url');
  await tx`insert into worker_feedback_links (token_hash, case_id, expires_at, created_at) values (${hashOf(token)}, ${c.id}, ${expiresAt}, ${at})`;
  return { orgId: c.branchOrgId, caseId: c.id, kind: FEEDBACK_LINK_KIND, payload: { reference: c.reference, link: `${publicUrl}/feedback/${token}` } };
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

export async function markFeedbackLinkUsed(tx: Tx, link: FeedbackLink, at: Date): Promise<void> {
  await tx`update worker_feedback_links set used_at = ${at} where token_hash = ${link.tokenHash}`;
}
