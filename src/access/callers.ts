/**
 * Who is calling: bearer tokens (only their SHA-256 is stored), the bootstrap ADMIN_TOKEN,
 * and the scope rule — a unit sees the cases it holds, has held or supervises; a convener sees all.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../../db/client.js';
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
  await tx`insert into api_tokens (token_hash, user_id) values (${hashToken(token)}, ${userId})`;
  return token;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export async function authenticate(tx: Tx, adminToken: string, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new Unauthorized();
  const token = match[1];
  if (sameSecret(token, adminToken)) return { userId: null, orgId: null, role: 'admin' };
  const [row] = await tx<Caller[]>`
    select u.id as user_id, u.org_id, u.role from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${hashToken(token)} and t.revoked_at is null`;
  if (!row) throw new Unauthorized();
  return row;
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
