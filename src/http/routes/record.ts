/** The record's integrity, for conveners and admins: recompute a case's hash chain; the daily anchors. */
import { requireCapability } from '../../access/permissions.js';
import { Type } from 'typebox';
import { listAnchors, verifyCase } from '../../cases/case-record.js';
import { NotFound } from '../../errors.js';
import { errors } from '../schemas.js';
import type { App, AppDeps } from '../app.js';

const tags = ['audit 审计'];

export async function recordRoutes(app: App, { deps }: { deps: AppDeps }) {
  app.addHook('onRequest', async (request) => {
    requireCapability(request.caller, 'auditRecord');
  });

  app.get('/audit/verify', {
    schema: {
      tags, summary: '核验案件记录的哈希链 / verify a case\'s hash chain', operationId: 'verifyCaseRecord',
      description: 'Recomputes every event\'s hash (RFC 8785 canonical JSON, SHA-256) and the chain; an edited, deleted or reordered event breaks it.',
      querystring: Type.Object({ caseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ ok: Type.Boolean(), checked: Type.Integer(), firstBrokenSeq: Type.Optional(Type.Integer()), head: Type.Union([Type.String(), Type.Null()]) }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request) => {
    const [exists] = await deps.sql`select 1 from cases where id = ${request.query.caseId}`;
    if (!exists) throw new NotFound(`案件不存在 / no case '${request.query.caseId}'`);
    return verifyCase(deps.sql, request.query.caseId);
  });

  app.get('/audit/anchors', {
    schema: {
      tags, summary: '每日锚定 / daily anchors of all case records', operationId: 'listAuditAnchors',
      description: 'One hash a day over the heads of every case\'s record, chained to the previous day\'s anchor; newest first.',
      querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: '1–366, default 30' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ day: Type.String(), cases: Type.Integer(), headsHash: Type.String(), prevHash: Type.String(), hash: Type.String() })) }),
        ...errors(400, 401, 403),
      },
    },
  }, async (request) => ({ items: await listAnchors(deps.sql, Math.min(Number(request.query.limit ?? 30), 366)) }));
}
