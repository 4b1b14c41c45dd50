/** Listing cases in the caller's scope, with filters and a stable cursor (newest first). */
import type { Tx } from '../../db/client.js';
import { BadRequest } from '../errors.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from './case-store.js';

export interface CaseFilter {
  state?: string; level?: string; holderOrgId?: string; overdue?: boolean; category?: string;
  platform?: string; q?: string; limit?: number; cursor?: string;
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw new BadRequest('cursor: 无效的分页游标 / not a cursor this API returned');
  }
  return { at: date, id };
}

const encodeCursor = (row: CaseRow) => Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');

export async function listCases(tx: Tx, caller: Caller, filter: CaseFilter): Promise<{ items: CaseRow[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 20;
  const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  const rows = await tx<CaseRow[]>`
    select * from cases c where true
    ${filter.state ? tx`and c.state = ${filter.state}` : tx``}
    ${filter.level ? tx`and c.level = ${filter.level}` : tx``}
    ${filter.holderOrgId ? tx`and c.holder_org_id = ${filter.holderOrgId}` : tx``}
    ${filter.overdue !== undefined ? tx`and c.overdue = ${filter.overdue}` : tx``}
    ${filter.category ? tx`and c.category = ${filter.category}` : tx``}
    ${filter.platform ? tx`and c.platform = ${filter.platform}` : tx``}
    ${like ? tx`and (c.reference ilike ${like} or c.description ilike ${like})` : tx``}
    ${caller.role === 'convener' ? tx`` : tx`and exists (select 1 from case_participants p where p.case_id = c.id and p.org_id = ${caller.orgId})`}
    ${after ? tx`and (c.created_at, c.id) < (${after.at}, ${after.id})` : tx``}
    order by c.created_at desc, c.id desc limit ${limit + 1}`;
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
}
