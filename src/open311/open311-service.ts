/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/): other systems submit and follow
 * requests. A service is a catalogue category (`service_code` = its code); a POSTed request enters
 * as a submission of the api key's branch (to verify, src/submissions) and answers a `token` (the
 * submission's tracking code); once the liaison registers it the token resolves to the
 * `service_request_id`, the case's reference. `GET requests` lists only requests that came through
 * Open311; nothing personal goes out (descriptions masked, no names, phones or staff).
 */
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { hashToken } from '../access/callers.js';
import { requireAdmin } from '../access/permissions.js';
import { recordAdminChange } from '../admin/admin-changes.js';
import type { Cached } from '../cached.js';
import { readCatalogue } from '../catalogue/catalogue.js';
import { inTransaction } from '../../db/client.js';
import { BadRequest, Forbidden, NotFound } from '../errors.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { maskFreeText } from '../privacy/masking.js';
import type { SubmissionService } from '../submissions/submission-service.js';
import { LEVEL_NAMES, STEP_NAMES } from '../worker-access/public-status.js';
import { FINAL_STATES, isFinal, type CaseState, type Level } from '../../workflows/case-rules.js';

/** GeoReport's description limit. */
export const OPEN311_DESCRIPTION_MAX = 4000;
/** GET requests without a start_date covers this many days (GeoReport's default is 90); at most this many requests. */
const DEFAULT_DAYS = 90;
const MAX_REQUESTS = 1000;

/** GeoReport's own request statuses (not the case's states): a case in a final state is `closed`, any other `open`. */
export const GEOREPORT_STATUSES = ['open', 'closed'] as const;
export type GeoReportStatus = (typeof GEOREPORT_STATUSES)[number];
const [OPEN, CLOSED] = GEOREPORT_STATUSES;

export type Open311Service = { service_code: string; service_name: string; description: string | null; metadata: boolean; type: 'batch'; keywords: string | null; group: string | null };
export type Open311Request = {
  service_request_id: string; status: GeoReportStatus; status_notes: string | null; service_name: string | null; service_code: string;
  description: string | null; agency_responsible: string | null; service_notice: string | null; requested_datetime: string;
  updated_datetime: string | null; expected_datetime: string | null; address: string | null;
};
/** What a client POSTs (form fields; GeoReport's names). Personal fields (names, e-mail) are not kept; a phone is, as the worker's. */
export interface Open311Post {
  api_key?: string; service_code: string; description?: string; address_string?: string; phone?: string;
  [field: string]: string | undefined;
}
export interface RequestQuery { service_request_id?: string; service_code?: string; start_date?: string; end_date?: string; status?: GeoReportStatus }

const pair = ([zh, en]: readonly [string, string]) => `${zh} / ${en}`;
const SERVICE_NOTICE = pair(['已转支部联络员核实，核实后登记为案件', 'sent to the branch\'s liaison to verify; registered as a case once verified']);

export function createOpen311Service(deps: { sql: Sql; orgs: Cached<OrgDirectory>; submissions: Pick<SubmissionService, 'submit' | 'status'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  /** An admin issues a key for one client system, bound to a branch; the key is shown in this answer only. */
  async function issueKey(caller: Caller, input: { name: string; branchId: string }) {
    requireAdmin(caller, 'Open311 密钥 Open311 keys');
    const branch = (await deps.orgs.get()).ofType(input.branchId, ['branch'], 'branchId');
    const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
    return inTransaction(deps.sql, async (tx) => {
      const [row] = await tx<{ id: string; createdAt: Date }[]>`insert into open311_keys (name, branch_id, key_hash)
        values (${input.name}, ${branch.id}, ${hashToken(apiKey)}) returning id, created_at`;
      await recordAdminChange(tx, { actor: caller, entity: 'open311_key', entityId: row.id, action: 'create', details: { name: input.name, branchId: branch.id } });
      return { id: row.id, name: input.name, branchId: branch.id, apiKey, createdAt: row.createdAt.toISOString() };
    });
  }

  /** The catalogue's live categories as GeoReport services (no extra attributes: `metadata` false). */
  async function services(): Promise<Open311Service[]> {
    const catalogue = await readCatalogue(deps.sql);
    return catalogue.categories.filter((c) => !c.retired).map((c) => ({
      service_code: c.code, service_name: pair([c.name, c.nameEn]),
      description: c.subcategories.filter((s) => !s.retired).map((s) => s.name).join('、') || null,
      metadata: false, type: 'batch',
      keywords: c.subcategories.filter((s) => !s.retired).map((s) => s.nameEn).join(',') || null,
      group: pair(c.territorial ? ['属地事项', 'territorial'] : ['平台事项', 'platform']),
    }));
  }

  async function serviceDefinition(code: string) {
    if (!(await services()).some((s) => s.service_code === code)) throw new NotFound(`service_code: 未知服务 / no service '${code}'`);
    return { service_code: code, attributes: [] as never[] };
  }

  /** A client's request: the key's branch, the service a live category (400 otherwise); answers the token. */
  async function post(body: Open311Post): Promise<{ token: string; service_notice: string }[]> {
    const [key] = body.api_key
      ? await deps.sql<{ id: string; branchId: string }[]>`select id, branch_id from open311_keys where key_hash = ${hashToken(body.api_key)}` : [];
    if (!key) throw new Forbidden('api_key: 无效的 Open311 密钥 / invalid api_key');
    if (!(await services()).some((s) => s.service_code === body.service_code)) {
      throw new BadRequest(`service_code: 未知服务 / no service '${body.service_code}' (GET services)`);
    }
    const description = body.description?.trim();
    if (!description) throw new BadRequest('description: 请描述诉求 / description is required');
    if (description.length > OPEN311_DESCRIPTION_MAX) throw new BadRequest(`description: 最多 ${OPEN311_DESCRIPTION_MAX} 字 / at most ${OPEN311_DESCRIPTION_MAX} characters`);
    const area = body.address_string?.trim().slice(0, 50);
    const phone = body.phone?.trim();
    if (phone && !/^\+?[0-9][0-9 -]{5,19}$/.test(phone)) throw new BadRequest('phone: 电话格式不正确 / phone has the wrong format');
    const { trackingCode } = await deps.submissions.submit({
      branchId: key.branchId, kind: 'grievance', description, category: body.service_code,
      ...(phone ? { phone } : {}), ...(area ? { area } : {}),
    }, key.id);
    return [{ token: trackingCode, service_notice: SERVICE_NOTICE }];
  }

  /** The token's request: its service_request_id once registered. */
  async function token(code: string): Promise<{ token: string; service_request_id?: string }[]> {
    const status = await deps.submissions.status(code);
    return [{ token: code, ...(status.reference ? { service_request_id: status.reference } : {}) }];
  }

  /** Requests that came through Open311 and were registered, newest first, masked. */
  async function requests(query: RequestQuery): Promise<Open311Request[]> {
    const ids = query.service_request_id?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
    const from = query.start_date ? new Date(query.start_date) : ids ? null : new Date(now().getTime() - DEFAULT_DAYS * 86_400_000);
    const until = query.end_date ? new Date(query.end_date) : null;
    const wantClosed = query.status === undefined ? null : query.status === CLOSED;
    const rows = await deps.sql<{
      reference: string; state: CaseState; level: Level; category: string; nameZh: string | null; nameEn: string | null; description: string;
      area: string | null; requestedAt: Date; updatedAt: Date; dueAt: Date | null; lastStep: string | null;
    }[]>`
      select c.reference, c.state, c.level, c.category, k.name_zh, k.name_en, c.description, c.area, s.created_at as requested_at,
        c.updated_at, c.due_at,
        (select e.action from case_events e where e.case_id = c.id and e.action = any(${Object.keys(STEP_NAMES)}) order by e.seq desc limit 1) as last_step
      from submissions s join cases c on c.id = s.case_id left join categories k on k.code = c.category
      where s.source = 'open311'
        and (${ids}::text[] is null or c.reference = any(${ids}::text[]))
        and (${query.service_code ?? null}::text is null or c.category = ${query.service_code ?? null})
        and (${from}::timestamptz is null or s.created_at >= ${from})
        and (${until}::timestamptz is null or s.created_at <= ${until})
        and (${wantClosed}::boolean is null or (c.state = any(${[...FINAL_STATES]}::text[])) = ${wantClosed}::boolean)
      order by s.created_at desc limit ${MAX_REQUESTS}`;
    return rows.map((r) => {
      const closed = isFinal(r.state);
      return {
        service_request_id: r.reference, status: closed ? CLOSED : OPEN,
        status_notes: r.lastStep ? pair(STEP_NAMES[r.lastStep]) : null,
        service_name: r.nameZh ? pair([r.nameZh, r.nameEn ?? r.nameZh]) : null, service_code: r.category,
        description: maskFreeText(r.description).slice(0, OPEN311_DESCRIPTION_MAX),
        agency_responsible: pair(LEVEL_NAMES[r.level]), service_notice: null,
        requested_datetime: r.requestedAt.toISOString(), updated_datetime: r.updatedAt.toISOString(),
        expected_datetime: closed ? null : r.dueAt?.toISOString() ?? null, address: r.area,
      };
    });
  }

  async function request(id: string): Promise<Open311Request[]> {
    const found = await requests({ service_request_id: id });
    if (found.length === 0) throw new NotFound(`service_request_id: 没有经 Open311 提交的请求 '${id}' / no Open311 request '${id}'`);
    return found;
  }

  return { issueKey, services, serviceDefinition, post, token, requests, request };
}

export type Open311 = ReturnType<typeof createOpen311Service>;
