/**
 * Who is calling: bearer tokens (only their SHA-256 is stored), the bootstrap ADMIN_TOKEN,
 * and the scope rule — a unit sees the cases it holds, has held or supervises; a convener sees all.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { Forbidden, Unauthorized } from '../errors.js';
import type { Role } from '../../workflows/case-rules.js';

export interface Caller { userId: string | null; orgId: string | null; role: Role }

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `ge_${randomBytes(24).toString('base64url')}`;
}

/** A new token for the user; with `ttlDays` (TOKEN_TTL_DAYS) it expires. Only its hash is stored. */
export async function issueToken(tx: Tx, userId: string, ttlDays: number | null = null): Promise<string> {
  const token = newToken();
  await tx`insert into api_tokens (token_hash, user_id, expires_at)
    values (${hashToken(token)}, ${userId}, ${ttlDays ? tx`now() + ${ttlDays} * interval '1 day'` : null})`;
  return token;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * A token works while it is not revoked (rotation, deactivation), not expired (TOKEN_TTL_DAYS) and
 * its user is active. `last_used_at` is written at most once a minute per token, so reads stay reads.
 */
export async function authenticate(tx: Tx, adminToken: string, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new Unauthorized();
  const token = match[1];
  if (sameSecret(token, adminToken)) return { userId: null, orgId: null, role: 'admin' };
  const tokenHash = hashToken(token);
  const [row] = await tx<(Caller & { stale: boolean })[]>`
    select u.id as user_id, u.org_id, u.role, (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
      and u.deactivated_at is null`;
  if (!row) throw new Unauthorized();
  if (row.stale) await tx`update api_tokens set last_used_at = now() where token_hash = ${tokenHash}`;
  return { userId: row.userId, orgId: row.orgId, role: row.role };
}

/** Configuration is the admin's alone. */
export function requireAdmin(caller: Caller, what = '配置 configuration'): void {
  if (caller.role !== 'admin') throw new Forbidden(`${what}仅限管理员 / ${what.replace(/^[^ ]+ /, '')} is for admins`);
}

export async function inScope(tx: Tx, caller: Caller, caseId: string): Promise<boolean> {
  if (caller.role === 'convener') return true;
  if (!caller.orgId) return false;
  const [row] = await tx`select 1 from case_participants where org_id = ${caller.orgId} and case_id = ${caseId}`;
  return Boolean(row);
}

export async function addParticipant(tx: Tx, caseId: string, orgId: string): Promise<void> {
  await tx`insert into case_participants (case_id, org_id) values (${caseId}, ${orgId}) on conflict do nothing`;
}
