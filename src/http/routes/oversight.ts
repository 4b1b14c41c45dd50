/** The competent department's oversight board: validate, call the service, answer. */
import { Type } from 'typebox';
import { OversightBoardSchema } from '../../oversight/oversight-view.js';
import { errors } from '../schemas.js';
import { PeriodQuery } from '../request-helpers.js';
import { STATES } from '../../../workflows/case-rules.js';
import type { Api, App } from '../app.js';

export async function oversightRoutes(app: App, { oversight }: Api) {
  app.get('/oversight', {
    schema: {
      tags: ['oversight 督办'],
      description: '主管部门督办台账：所办理或督办的案件，最超期的在前；各级停留时长，退回、转办、重办次数 / the cases a department holds or supervises, ' +
        'most overdue first, with time spent at each level and the counts of returns, transfers and reopenings. Officers see their own department; conveners any (orgId) or all.',
      querystring: Type.Object({
        orgId: Type.Optional(Type.String({ format: 'uuid' })), ...PeriodQuery, state: Type.Optional(Type.Enum([...STATES])),
        category: Type.Optional(Type.String({ maxLength: 10 })), platform: Type.Optional(Type.String({ maxLength: 50 })),
        area: Type.Optional(Type.String({ maxLength: 50 })),
        limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|1[0-9][0-9]|200)$', description: '1–200, default 50' })),
        offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
      }, { additionalProperties: false }),
      response: { 200: OversightBoardSchema, ...errors(400, 401, 403) },
    },
  }, async (request) => oversight.readOversightBoard(request.caller, request.query));
}
