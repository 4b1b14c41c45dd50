/**
 * Listing cases in the caller's scope, with filters and a stable cursor (newest first). A `q=`
 * search uses the trigram indexes (migration search_trgm) and runs under a statement timeout,
 * so no search holds a pooled connection for long.
 */
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import { BadRequest, QueryTooSlow } from '../errors.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from './case-store.js';
import { eventsOf } from './case-record.js';
import { eventView, seesPersonalData } from './case-view.js';

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

type CasePage = { items: CaseRow[]; nextCursor: string | null };

export async function listCases(sql: Sql, caller: Caller, filter: CaseFilter, searchTimeoutMs: number): Promise<CasePage> {
  if (!filter.q) return queryCases(sql, caller, filter);
  try {
    return await inTransaction(sql, async (tx) => {
      await tx.unsafe(`set local statement_timeout = ${Math.max(1, Math.floor(searchTimeoutMs))}`);
      return queryCases(tx, caller, filter);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') {
      throw new QueryTooSlow('搜索超时，请缩小范围（加筛选条件或更长的关键词）/ the search took too long: narrow it (add filters or a longer term)');
    }
    throw err;
  }
}

async function queryCases(tx: Tx, caller: Caller, filter: CaseFilter): Promise<CasePage> {
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

/** The record of a case the caller may see; free text masked unless the caller sees the contact. */
export async function caseRecord(
  sql: Sql, visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow>, caller: Caller, caseId: string,
) {
  const row = await visibleCase(sql, caller, caseId);
  const unmasked = seesPersonalData(caller, row);
  return (await eventsOf(sql, row.id)).map((e) => eventView(e, unmasked));
}
