/** The clerk's workbench: a unit's workload per person. Thin: validate, call the service. */
import { Type } from 'typebox';
import { WorkloadSchema } from '../../workbench/workload.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

export async function workloadRoutes(app: App, { workload }: Api) {
  app.get('/workload', {
    schema: {
      tags: ['workbench 工作台'], operationId: 'getWorkload',
      description: '本单位工作量：每人分派的未结案件数与超期数；本单位人员可查看，其他单位 403，单位不存在 404 / the unit\'s workload: open and overdue cases assigned to each person; ' +
        'readable by the unit\'s own users; another unit 403; an unknown unit 404.',
      querystring: Type.Object({ orgId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: { 200: WorkloadSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => workload.readWorkload(request.caller, request.query.orgId));
}
