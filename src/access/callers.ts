/**
 * Who is calling: bearer tokens (only their SHA-256 is stored), the bootstrap ADMIN_TOKEN,
 * and the scope rule — a unit sees the cases it holds, has held or supervises; a convener sees all.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { apiTokens, caseParticipants, users } from '../../db/schema.js';
import { Unauthorized } from '../errors.js';
import type { Role } from '../../workflows/case-machine.js';

export interface Caller { userId: string | null; orgId: string | null; role: Role }

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `ge_${randomBytes(24).toString('base64url')}`;
}

export async function issueToken(tx: Tx, userId: string): Promise<string> {
  const token = newToken();
  await tx.insert(apiTokens).values({ tokenHash: hashToken(token), userId });
  return token;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export async function authenticate(tx: Tx, adminToken: string, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new Unauthorized();
  const token = match[1];
  if (sameSecret(token, adminToken)) return { userId: null, orgId: null, role: 'admin' };
  const [row] = await tx
    .select({ userId: users.id, orgId: users.orgId, role: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) throw new Unauthorized();
  return row;
}

export async function inScope(tx: Tx, caller: Caller, caseId: string): Promise<boolean> {
  if (caller.role === 'convener') return true;
  if (!caller.orgId) return false;
  const [row] = await tx.select({ caseId: caseParticipants.caseId }).from(caseParticipants)
    .where(and(eq(caseParticipants.orgId, caller.orgId), eq(caseParticipants.caseId, caseId)));
  return Boolean(row);
}

export async function addParticipant(tx: Tx, caseId: string, orgId: string): Promise<void> {
  await tx.insert(caseParticipants).values({ caseId, orgId }).onConflictDoNothing();
}
