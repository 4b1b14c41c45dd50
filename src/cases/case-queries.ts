/** Listing cases in the caller's scope, with filters and a stable cursor (newest first). */
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseParticipants, cases } from '../../db/schema.js';
import { BadRequest } from '../errors.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from './case-store.js';

export interface CaseFilter {
  state?: string; level?: string; holderOrgId?: string; overdue?: boolean; category?: string;
  platform?: string; q?: string; limit?: number; cursor?: string;
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new BadRequest('cursor: 无效的分页游标 / not a cursor this API returned');
  }
}

const encodeCursor = (row: CaseRow) => Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');

export async function listCases(tx: Tx, caller: Caller, filter: CaseFilter): Promise<{ items: CaseRow[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 20;
  const where: (SQL | undefined)[] = [
    filter.state ? eq(cases.state, filter.state) : undefined,
    filter.level ? eq(cases.level, filter.level) : undefined,
    filter.holderOrgId ? eq(cases.holderOrgId, filter.holderOrgId) : undefined,
    filter.overdue !== undefined ? eq(cases.overdue, filter.overdue) : undefined,
    filter.category ? eq(cases.category, filter.category) : undefined,
    filter.platform ? eq(cases.platform, filter.platform) : undefined,
    filter.q ? or(ilike(cases.reference, `%${escapeLike(filter.q)}%`), ilike(cases.description, `%${escapeLike(filter.q)}%`)) : undefined,
  ];
  if (caller.role !== 'convener') {
    where.push(sql`exists (select 1 from ${caseParticipants} p where p.case_id = ${cases.id} and p.org_id = ${caller.orgId})`);
  }
  if (filter.cursor) {
    const { at, id } = decodeCursor(filter.cursor);
    where.push(sql`(${cases.createdAt}, ${cases.id}) < (${at.toISOString()}::timestamptz, ${id}::uuid)`);
  }
  const rows = await tx.select().from(cases).where(and(...where))
    .orderBy(desc(cases.createdAt), desc(cases.id)).limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
