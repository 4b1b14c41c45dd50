/**
 * The record's integrity, for conveners and admins: a case's chain recomputed and held against
 * the published anchors; the daily anchors; the record's export in its hashed form (API.md "Audit export").
 */
import { Type } from 'typebox';
import { requireCapability } from '../../access/permissions.js';
import { BadRequest, NotFound } from '../../errors.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['audit 审计'];
/** The longest period one export covers; a longer audit asks period by period. */
export const EXPORT_MAX_DAYS = 92;
const DateTime = Type.String({ format: 'date-time', description: 'RFC 3339, years 0001–9999' });
const NdjsonBody = Type.Unsafe<unknown>({
  description: '每行一个事件（哈希形式）/ one event a line, in its hashed form',
  content: { 'application/x-ndjson': { schema: { type: 'string' } } },
});

export async function recordRoutes(app: App, { recordAudit }: Api) {
  app.addHook('onRequest', async (request) => {
    requireCapability(request.caller, 'auditRecord');
  });

  app.get('/audit/verify', {
    schema: {
      tags, summary: '核验案件记录的哈希链 / verify a case\'s hash chain', operationId: 'verifyCaseRecord',
      description: 'Recomputes every event\'s hash (RFC 8785 canonical JSON, SHA-256) and the chain, then holds the chain against the daily '
        + 'anchors published outside the database: an edited, deleted or reordered event breaks it, and so does an edit whose chain was recomputed. '
        + '`anchorDay`: the first published anchor that disagrees.',
      querystring: Type.Object({ caseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          ok: Type.Boolean(), checked: Type.Integer(), firstBrokenSeq: Type.Optional(Type.Integer()), head: Type.Union([Type.String(), Type.Null()]),
          anchorsChecked: Type.Integer({ description: '核对过的已发布锚点数 / published anchors the chain was held against' }),
          anchorDay: Type.Optional(Type.String({ description: '与链不符的已发布锚点之日 / the day of the published anchor that disagrees' })),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request) => {
    const result = await recordAudit.verifyCase(request.query.caseId);
    if (result.checked === 0 && result.head === null) throw new NotFound(`案件不存在 / no case '${request.query.caseId}'`);
    return result;
  });

  app.get('/audit/anchors', {
    schema: {
      tags, summary: '每日锚定 / daily anchors of the case records', operationId: 'listAuditAnchors',
      description: 'Per day (Asia/Shanghai), one hash over the heads of the case records that moved that day, chained to the previous day\'s anchor; '
        + 'also published outside the database (the storage backend, `anchors/v<recordVersion>/<day>.json`, written once). '
        + '`recordVersion` 2: anchors of the record before keyed digests, kept as they were. Newest first.',
      querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: '1–366, default 30' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            recordVersion: Type.Integer(), day: Type.String(), cases: Type.Integer(), headsHash: Type.String(), prevHash: Type.String(), hash: Type.String(),
          })),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (request) => ({ items: await recordAudit.listAnchors(Math.min(Number(request.query.limit ?? 30), 366)) }));

  app.get('/audit/export', {
    schema: {
      tags, summary: '导出记录（哈希形式）/ export the record in its hashed form', operationId: 'exportRecord',
      description: 'NDJSON, one event a line: exactly `{caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}` as the hash '
        + 'covers it, plus `hash` — recompute each (RFC 8785, SHA-256) and chain them by `prevHash` with nothing of ours (README "Verifying the record"). '
        + 'Personal fields appear only as keyed digests (`hmac-sha256:…`). `from`/`to`: events with `at` in [from, to), at most '
        + `${EXPORT_MAX_DAYS} days, in order of time; or \`caseId\`: one case's whole chain.`,
      querystring: Type.Object({ from: Type.Optional(DateTime), to: Type.Optional(DateTime), caseId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
      response: {
        200: NdjsonBody,
        ...errors(400, 401, 403),
      },
    },
  }, async (request, reply) => {
    const { from, to, caseId } = request.query;
    // Headers once the request is known good: a refusal answers JSON.
    const stream = (range: Parameters<typeof recordAudit.exportEvents>[0]) =>
      reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(recordAudit.exportEvents(range));
    if (caseId) {
      if (from || to) throw new BadRequest('caseId: 按案件导出整条链时不带 from/to / one case\'s whole chain takes no from or to');
      return stream({ caseId });
    }
    if (!from || !to) throw new BadRequest(`${from ? 'to' : 'from'}: 必填（或给出 caseId）/ required (or give caseId)`);
    const range = { from: new Date(from), to: new Date(to) };
    if (!(range.from < range.to)) throw new BadRequest('from: 开始时间须早于结束时间 / from must be before to');
    if (range.to.getTime() - range.from.getTime() > EXPORT_MAX_DAYS * 86_400_000) {
      throw new BadRequest(`to: 一次最多导出 ${EXPORT_MAX_DAYS} 天 / one export covers at most ${EXPORT_MAX_DAYS} days`);
    }
    return stream(range);
  });
}
