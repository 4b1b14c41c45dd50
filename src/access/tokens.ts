/**
 * The token lifecycle: rotation (a new token; the old ones stop working), revocation when a user
 * is deactivated, and one-time sign-in links that let a phone sign in without a pasted token.
 */
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { Unauthorized } from '../errors.js';
import { hashToken, issueToken } from './callers.js';

export async function revokeTokens(tx: Tx, userId: string): Promise<number> {
  const rows = await tx`update api_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null returning 1`;
  await tx`update sign_in_links set used_at = now() where user_id = ${userId} and used_at is null`;
  return rows.length;
}

/** Revokes every token of the user and issues one new one. */
export async function rotateToken(tx: Tx, userId: string, ttlDays: number | null): Promise<{ token: string; revoked: number }> {
  const revoked = await revokeTokens(tx, userId);
  return { token: await issueToken(tx, userId, ttlDays), revoked };
}

/** A one-time code (only its hash is stored) valid for `minutes`. */
export async function createSignInCode(tx: Tx, userId: string, minutes: number): Promise<{ code: string; expiresAt: Date }> {
  const code = randomBytes(24).toString('base64url');
  const [row] = await tx<{ expiresAt: Date }[]>`
    insert into sign_in_links (code_hash, user_id, expires_at) values (${hashToken(code)}, ${userId}, now() + ${minutes} * interval '1 minute')
    returning expires_at`;
  return { code, expiresAt: row.expiresAt };
}

/** Uses the code once: a new token for its (active) user. A used, expired or unknown code answers the same refusal. */
export async function redeemSignInCode(tx: Tx, code: string, ttlDays: number | null): Promise<{ token: string; userId: string }> {
  const [link] = await tx<{ userId: string }[]>`
    update sign_in_links l set used_at = now()
    from users u
    where l.code_hash = ${hashToken(code)} and l.used_at is null and l.expires_at > now()
      and u.id = l.user_id and u.deactivated_at is null
    returning l.user_id`;
  if (!link) throw new Unauthorized('登录链接无效、已使用或已过期 / the sign-in link is unknown, used or expired');
  return { token: await issueToken(tx, link.userId, ttlDays), userId: link.userId };
}
