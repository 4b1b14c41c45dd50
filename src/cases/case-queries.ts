/**
 * Listing cases in the caller's scope: filters, a search, counts per bucket and a stable cursor.
 * `sort` is one of CASE_SORTS, each with its default order (`order=asc|desc` turns it): `newest`
 * (default: registration time, newest first — `created` with `order=desc`), `created`, `updated`,
 * `reference`, and `due` (the running clock's due time, soonest first, cases without one — closed,
 * waiting for feedback — last: with `open=true` a queue never hides an older open case behind
 * newer closed ones). The cursor carries the sort, the order, the row's key and its id. A `q=` search matches the reference,
 * the description (trigram indexes, migration search_trgm) and, for four digits, the last four
 * digits of the worker's phone (an expression index: no copy of the number is kept); it runs
 * under a statement timeout, so no search holds a pooled connection for long.
 */
import { seesEveryCase } from '../access/permissions.js';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import { BadRequest, QueryTooSlow } from '../errors.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from './case-store.js';
import { eventsOf } from './case-record.js';
import { readingUnits, seesPersonalData, statesSeenByRole } from '../access/case-permissions.js';
import type { Cached } from '../cached.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { eventView } from './case-view.js';

export const CASE_SORTS = ['newest', 'due', 'created', 'updated', 'reference'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Each sort's key: the SQL it orders by, the row's value for the cursor, the key's SQL type, its default order. */
interface SortKey { sql: (tx: Tx) => ReturnType<Tx>; of: (row: CaseRow) => string; type: 'timestamptz' | 'text'; order: SortOrder }
const time = (d: Date) => d.toISOString();
const SORT_KEYS = {
  newest: { sql: (tx) => tx`c.created_at`, of: (r) => time(r.createdAt), type: 'timestamptz', order: 'desc' },
  created: { sql: (tx) => tx`c.created_at`, of: (r) => time(r.createdAt), type: 'timestamptz', order: 'asc' },
  updated: { sql: (tx) => tx`c.updated_at`, of: (r) => time(r.updatedAt), type: 'timestamptz', order: 'desc' },
  reference: { sql: (tx) => tx`c.reference`, of: (r) => r.reference, type: 'text', order: 'asc' },
  // The key travels as text: 'infinity' (no due time) is a timestamp to Postgres, not to a JS Date.
  due: { sql: (tx) => tx`coalesce(c.due_at, 'infinity'::timestamptz)`, of: (r) => (r.dueAt ? time(r.dueAt) : 'infinity'), type: 'timestamptz', order: 'asc' },
} as const satisfies Record<CaseSort, SortKey>;

export interface CaseFilter {
  state?: string; level?: string; holderOrgId?: string; overdue?: boolean; category?: string;
  platform?: string; q?: string; open?: boolean; sort?: CaseSort; order?: SortOrder; limit?: number; cursor?: string;
  /** A person's cases: a user id, or `me` (the caller). */
  assignee?: string;
}

/** How many cases of the caller's scope (with the filters other than state, open and overdue) fall in each bucket. */
export interface CaseCounts { total: number; open: number; overdue: number; dueSoon: number; waitingMe: number; mine: number; closed: number }

/** Counts are for the first page (no cursor): later pages of the same list have them already. */
type CasePage = { items: CaseRow[]; nextCursor: string | null; counts: CaseCounts | null };

interface Cursor { key: string; id: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Only the form `encodeCursor` writes (what Postgres reads back as the same instant). */
const isIsoInstant = (key: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(key) && !Number.isNaN(Date.parse(key));

/** The cursor of a page: valid only for the sort and order that made it. */
function decodeCursor(cursor: string, sort: CaseSort, order: SortOrder): Cursor {
  let parts: unknown;
  try { parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); } catch { parts = null; }
  const [givenSort, givenOrder, key, id] = Array.isArray(parts) ? parts : [];
  const keyValid = typeof key === 'string' && (SORT_KEYS[sort].type === 'text' ? key.length <= 100 : key === 'infinity' || isIsoInstant(key));
  if (givenSort !== sort || givenOrder !== order || !keyValid || typeof id !== 'string' || !UUID.test(id)) {
    throw new BadRequest('cursor: 无效的分页游标（或与 sort、order 不符）/ not a cursor this API returned for this sort and order');
  }
  return { key, id };
}

function encodeCursor(row: CaseRow, sort: CaseSort, order: SortOrder): string {
  return Buffer.from(JSON.stringify([sort, order, SORT_KEYS[sort].of(row), row.id])).toString('base64url');
}

/** `units`: the caller's reading units (case-permissions.ts readingUnits), the same that `canSee` judges a case on. */
export async function listCases(sql: Sql, caller: Caller, filter: CaseFilter, searchTimeoutMs: number, units: readonly string[]): Promise<CasePage> {
  const counting = !filter.cursor;
  if (!filter.q) {
    const [page, counts] = await Promise.all([queryCases(sql, caller, filter, units), counting ? countCases(sql, caller, filter, units) : null]);
    return { ...page, counts };
  }
  try {
    return await inTransaction(sql, async (tx) => {
      await tx.unsafe(`set local statement_timeout = ${Math.max(1, Math.floor(searchTimeoutMs))}`);
      return { ...(await queryCases(tx, caller, filter, units)), counts: counting ? await countCases(tx, caller, filter, units) : null };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') {
      throw new QueryTooSlow('搜索超时，请缩小范围（加筛选条件或更长的关键词）/ the search took too long: narrow it (add filters or a longer term)');
    }
    throw err;
  }
}

/**
 * The caller's scope as SQL, `canSee`'s rule (src/access/case-permissions.ts): every case for a
 * convener; else a case one of the reading units took part in (case_participants holds every unit
 * that held, supervised, was told of or was referred the case), and a call-back user's states.
 */
export function caseScope(tx: Tx, caller: Caller, units: readonly string[]) {
  const states = statesSeenByRole(caller);
  return seesEveryCase(caller) ? tx`` : tx`and (exists (select 1 from case_participants p where p.case_id = c.id and p.org_id = any(${units as string[]}::uuid[]))
      ${states.length > 0 ? tx`or c.state = any(${states as readonly string[]}::text[])` : tx``})`;
}

/** The caller's scope and the filters that narrow every bucket alike. */
function scopeAndFilters(tx: Tx, caller: Caller, filter: CaseFilter, units: readonly string[]) {
  const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const last4 = filter.q && /^[0-9]{4}$/.test(filter.q) ? filter.q : null;
  return tx`
    ${filter.level ? tx`and c.level = ${filter.level}` : tx``}
    ${filter.holderOrgId ? tx`and c.holder_org_id = ${filter.holderOrgId}` : tx``}
    ${filter.category ? tx`and c.category = ${filter.category}` : tx``}
    ${filter.platform ? tx`and c.platform = ${filter.platform}` : tx``}
    ${filter.assignee ? tx`and c.assignee_user_id = ${filter.assignee === 'me' ? caller.userId : filter.assignee}` : tx``}
    ${like ? tx`and (c.reference ilike ${like} or c.description ilike ${like}
      ${last4 ? tx`or (c.worker_phone is not null and right(regexp_replace(c.worker_phone, '[^0-9]', '', 'g'), 4) = ${last4})` : tx``})` : tx``}
    ${caseScope(tx, caller, units)}`;
}

async function queryCases(tx: Tx, caller: Caller, filter: CaseFilter, units: readonly string[]): Promise<Omit<CasePage, 'counts'>> {
  const limit = filter.limit ?? 20;
  const sort = filter.sort ?? 'newest';
  const key = SORT_KEYS[sort];
  const order = filter.order ?? key.order;
  const after = filter.cursor ? decodeCursor(filter.cursor, sort, order) : null;
  const column = key.sql(tx);
  // Ties are broken by the id, in the same direction: the cursor's (key, id) is a total order.
  const direction = order === 'asc' ? tx`asc` : tx`desc`;
  const rows = await tx<CaseRow[]>`
    select * from cases c where true
    ${filter.state ? tx`and c.state = ${filter.state}` : tx``}
    ${filter.overdue !== undefined ? tx`and c.overdue = ${filter.overdue}` : tx``}
    ${filter.open !== undefined ? (filter.open ? tx`and c.closed_at is null` : tx`and c.closed_at is not null`) : tx``}
    ${scopeAndFilters(tx, caller, filter, units)}
    ${!after ? tx`` : tx`and (${column}, c.id) ${order === 'asc' ? tx`>` : tx`<`}
      (${key.type === 'text' ? tx`${after.key}::text` : tx`${after.key}::text::timestamptz`}, ${after.id}::uuid)`}
    order by ${column} ${direction}, c.id ${direction} limit ${limit + 1}`;
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1], sort, order) : null };
}

async function countCases(tx: Tx, caller: Caller, filter: CaseFilter, units: readonly string[]): Promise<CaseCounts> {
  const [counts] = await tx<CaseCounts[]>`
    select count(*)::int as total,
      count(*) filter (where c.closed_at is null)::int as open,
      count(*) filter (where c.closed_at is null and c.overdue)::int as overdue,
      count(*) filter (where c.closed_at is null and not c.overdue and c.due_at <= now() + interval '24 hours')::int as due_soon,
      count(*) filter (where c.closed_at is null and c.holder_org_id = ${caller.orgId})::int as waiting_me,
      count(*) filter (where c.closed_at is null and c.assignee_user_id = ${caller.userId})::int as mine,
      count(*) filter (where c.closed_at is not null)::int as closed
    from cases c where true ${scopeAndFilters(tx, caller, filter, units)}`;
  return counts;
}

/** The record of a case the caller may see; free text masked unless the caller sees the contact. */
export async function caseRecord(
  sql: Sql, visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow>, caller: Caller, caseId: string,
) {
  const row = await visibleCase(sql, caller, caseId);
  const unmasked = seesPersonalData(caller, row);
  return (await eventsOf(sql, row.id)).map((e) => eventView(e, unmasked));
}

/**
 * What the case routes call besides the engine: the list (under SEARCH_TIMEOUT_MS), on the read
 * replica when there is one, and a case's record, on the primary (a case page is read right after
 * an action on it).
 */
export function createCaseQueries(deps: {
  sql: Sql; read: ReadDatabase; visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow>; searchTimeoutMs: number;
  /** The unit directory: a headquarters committee's network (readingUnits). */
  orgs: Cached<OrgDirectory>;
}) {
  return {
    listCases: async (caller: Caller, filter: CaseFilter) => {
      const units = readingUnits(caller, await deps.orgs.get());
      return deps.read.read((sql) => listCases(sql, caller, filter, deps.searchTimeoutMs, units), { reader: caller.userId });
    },
    caseRecord: (caller: Caller, caseId: string) => caseRecord(deps.sql, deps.visibleCase, caller, caseId),
  };
}
export type CaseQueries = ReturnType<typeof createCaseQueries>;
