/**
 * The HTTP edge: built as a plugin tree by buildApp(); only main.ts listens.
 * Infrastructure first (OpenAPI, errors, auth), then the route folders.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import { authenticate, type Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import type { Cached } from '../cached.js';
import { ACTION_SCHEMAS } from '../cases/case-types.js';
import { errorHandler } from './error-handler.js';
import { ErrorSchema } from './schemas.js';
import { adminRoutes } from './routes/admin.js';
import { calendarRoutes } from './routes/calendar.js';
import { caseRoutes } from './routes/cases.js';
import { healthRoutes } from './routes/health.js';
import { oversightRoutes } from './routes/oversight.js';
import { metricsRoutes } from './routes/metrics.js';
import { meetingRoutes } from './routes/meetings.js';
import { systemicIssueRoutes } from './routes/systemic-issues.js';
import { webRoutes } from './routes/web.js';
import { recordRoutes } from './routes/record.js';
import { STATES, STATE_LABELS } from '../../workflows/case-machine.js';

declare module 'fastify' {
  interface FastifyRequest { caller: Caller }
}

export interface AppDeps {
  sql: Sql;
  engine: CaseEngine;
  /** Cached configuration, invalidated when an admin replaces it. */
  settings: { routingRules: Cached<unknown>; slaPolicies: Cached<unknown>; reloadCalendar: () => Promise<{ recomputed: number }> };
  adminToken: string;
  logger: Logger;
  /** Where export jobs write their files. */
  exportDir: string;
  /** Throws when the queue backend does not answer. */
  pingQueue: () => Promise<void>;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorSchema);
  for (const schema of Object.values(ACTION_SCHEMAS)) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'grievance-engine 三级联动诉求办理引擎',
        version: '1.0.0',
        description: [
          'Public HTTP API v1 (see API.md). 公共接口。',
          '',
          'Case states 案件状态: ' + STATES.map((s) => `\`${s}\` ${STATE_LABELS[s]}`).join('; ') +
            '. Final 终态: `closed`, `withdrawn`, `merged`.',
          '',
          'Action bodies 操作请求体: see the `action_*` schemas under components.',
        ].join('\n'),
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler(errorHandler);
  app.decorateRequest('caller', null as unknown as Caller);

  await app.register(healthRoutes, { deps });
  await app.register(webRoutes);
  await app.register(async (api) => {
    api.addHook('onRequest', async (request) => {
      request.caller = await authenticate(deps.sql, deps.adminToken, request.headers.authorization);
    });
    await api.register(adminRoutes, { deps });
    await api.register(calendarRoutes, { deps });
    await api.register(caseRoutes, { deps });
    await api.register(oversightRoutes, { deps });
    await api.register(metricsRoutes, { deps });
    await api.register(meetingRoutes, { deps });
    await api.register(systemicIssueRoutes, { deps });
    await api.register(recordRoutes, { deps });
  }, { prefix: '/api/v1' });

  return app;
}
