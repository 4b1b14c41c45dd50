/** 问责清单 and 对账单: validate, call the service, answer. */
import { Type } from 'typebox';
import { AccountabilityListSchema } from '../../accountability/accountability.js';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { FileDownloadSchema, errors } from '../schemas.js';
import { PeriodQuery, period } from '../request-helpers.js';
import type { Api, App } from '../app.js';

export async function accountabilityRoutes(app: App, { accountability, reconciliation }: Api) {
  app.get('/reconciliation', {
    schema: {
      tags: ['oversight 督办'],
      summary: '对账单（xlsx）/ a reconciliation statement (xlsx)', operationId: 'reconciliation',
      description: '平台党委与各主管部门、或主管部门与各平台党委之间期间内登记的案件：按对方单位汇总（案件、未结、已结、有争议、超期），并逐案列出。本单位用户与召集人可读；其他单位 403；既非平台党委也非主管部门 422 / ' +
        'the cases of the period between a platform committee and the departments (or a department and the platform committees): by counterpart (cases, open, closed, disputed, late), then case by case. The unit\'s own users and conveners; another unit 403; a unit that is neither 422.',
      querystring: Type.Object({ orgId: Type.String({ format: 'uuid' }), ...PeriodQuery }, { additionalProperties: false }),
      response: { 200: FileDownloadSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    const { from, to } = period(request.query);
    const body = new PassThrough();
    // The statement is checked and read before the first byte: a refusal is still a JSON error.
    const written = reconciliation.write(request.caller, { orgId: request.query.orgId, from, to }, body);
    await Promise.race([written, once(body, 'readable')]);
    written.catch((err) => body.destroy(err));
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="reconciliation-${request.query.orgId}.xlsx"`).send(body);
  });

  app.get('/accountability', {
    schema: {
      tags: ['oversight 督办'],
      summary: '问责清单 / the accountability list', operationId: 'accountability',
      description: '期间内（按超期时间；默认近 30 天）每个超期环节与逾期未整改的督办单：被问责单位、案件、超期多久、此后的协调会决定。召集人看全部（或 orgId），其他单位看本单位（他单位 403）/ ' +
        'every clock missed in the period (by when it was missed; default the last 30 days) whose miss is a unit\'s failure, and every missed supervision order: the unit held to account, the case, how late, and the meeting decision taken on it. Conveners see all (or orgId); every other unit its own (another unit\'s: 403).',
      querystring: Type.Object({
        ...PeriodQuery, orgId: Type.Optional(Type.String({ format: 'uuid' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: '最多条数，默认 1000 / at most this many, default 1000' })),
      }, { additionalProperties: false }),
      response: { 200: AccountabilityListSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { from, to } = period(request.query);
    return accountability.list(request.caller, { from, to, orgId: request.query.orgId, limit: request.query.limit });
  });
}
