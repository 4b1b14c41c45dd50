/** 问责清单: validate, call the service, answer. */
import { Type } from 'typebox';
import { AccountabilityListSchema } from '../../accountability/accountability.js';
import { errors } from '../schemas.js';
import { PeriodQuery, period } from '../request-helpers.js';
import type { Api, App } from '../app.js';

export async function accountabilityRoutes(app: App, { accountability }: Api) {
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
