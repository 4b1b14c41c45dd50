/**
 * Who is calling: bearer tokens (only their SHA-256 is stored), the bootstrap ADMIN_TOKEN,
 * and the scope rule — a unit sees the cases it holds, has held or supervises; a convener sees all.
 */
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql, Tx } from '../../db/client.js';
import { Unauthorized } from '../errors.js';
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
 * Who a token belongs to, kept for a few seconds so that an action pays no round trip for it. The
 * process that rotates or deactivates a user forgets that user's tokens at once; every other
 * process stops honouring them within the time-to-live (API.md: within 5 s). An entry never
 * outlives its token's own expiry.
 */
export interface TokenCache {
  get(tokenHash: string): Caller | null;
  keep(tokenHash: string, caller: Caller, tokenExpiresAt: Date | null): void;
  forgetUser(userId: string): void;
}

export function createTokenCache(ttlMs = 5000, now = () => Date.now()): TokenCache {
  const entries = new Map<string, { caller: Caller; until: number }>();
  return {
    get(tokenHash) {
      const entry = entries.get(tokenHash);
      if (!entry) return null;
      if (entry.until > now()) return entry.caller;
      entries.delete(tokenHash);
      return null;
    },
    keep(tokenHash, caller, tokenExpiresAt) {
      if (entries.size >= 10_000) entries.delete(entries.keys().next().value!);
      entries.set(tokenHash, { caller, until: Math.min(now() + ttlMs, tokenExpiresAt?.getTime() ?? Infinity) });
    },
    forgetUser(userId) {
      for (const [hash, entry] of entries) if (entry.caller.userId === userId) entries.delete(hash);
    },
  };
}

/**
 * A token works while it is not revoked (rotation, deactivation), not expired (TOKEN_TTL_DAYS) and
 * its user is active. `last_used_at` is written at most once a minute per token, so reads stay reads.
 */
export async function authenticate(tx: Tx, adminToken: string, authorization: string | undefined, cache?: TokenCache): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new Unauthorized();
  const token = match[1];
  if (sameSecret(token, adminToken)) return { userId: null, orgId: null, role: 'admin' };
  const tokenHash = hashToken(token);
  const kept = cache?.get(tokenHash);
  if (kept) return kept;
  // One statement: the token's user, and its last use noted when it is a minute old (a write in a CTE always runs).
  const [row] = await tx<(Caller & { expiresAt: Date | null })[]>`
    with valid as (
      select u.id as user_id, u.org_id, u.role, t.expires_at
      from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ${tokenHash} and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
        and u.deactivated_at is null
    ), used as (
      update api_tokens set last_used_at = now()
      where token_hash = ${tokenHash} and (last_used_at is null or last_used_at < now() - interval '1 minute') and exists (select 1 from valid)
    )
    select * from valid`;
  if (!row) throw new Unauthorized();
  const caller: Caller = { userId: row.userId, orgId: row.orgId, role: row.role };
  cache?.keep(tokenHash, caller, row.expiresAt);
  return caller;
}

/** Who a request's bearer header belongs to, bound to the database and ADMIN_TOKEN. */
export function createCallerService(deps: { sql: Sql; adminToken: string; tokens: TokenCache }) {
  return {
    /** Through the token cache: an action pays no round trip for its caller. */
    authenticate: (authorization: string | undefined) => authenticate(deps.sql, deps.adminToken, authorization, deps.tokens),
    /** Past the cache, for an open stream's re-check: a revoked or expired token ends it at the next check. */
    /** Whether an open stream's token still works; a check that could not reach the database keeps the stream (an outage ends no stream). */
    stillAllowed: (authorization: string | undefined) =>
      authenticate(deps.sql, deps.adminToken, authorization).then(() => true, (err: unknown) => isDatabaseUnavailable(err)),
  };
}
export type CallerService = ReturnType<typeof createCallerService>;


export async function inScope(tx: Tx, caller: Caller, caseId: string): Promise<boolean> {
  if (caller.role === 'convener') return true;
  if (!caller.orgId) return false;
  const [row] = await tx`select 1 from case_participants where org_id = ${caller.orgId} and case_id = ${caseId}`;
  return Boolean(row);
}

export async function addParticipant(tx: Tx, caseId: string, orgId: string): Promise<void> {
  await tx`insert into case_participants (case_id, org_id) values (${caseId}, ${orgId}) on conflict do nothing`;
}
