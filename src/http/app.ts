/**
 * The HTTP edge: built as a plugin tree by buildApp(); only main.ts listens.
 * Infrastructure first (headers, limits, OpenAPI, errors, auth), then the route folders.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Sql } from '../../db/client.js';
import type { ReadDatabase, ReplicaState } from '../../db/read-replica.js';
import { createCallerService, type Caller, type CallerService, type TokenCache } from '../access/callers.js';
import type { CaseEngine, CaseEngineDeps } from '../cases/case-engine.js';
import type { ExportJobs } from '../meetings/export-jobs.js';
import type { Cached } from '../cached.js';
import { createConfigurationService } from '../admin/configuration.js';
import { createPrivacyService } from '../privacy/contact-reveal.js';
import { createMeasuresService, type MeasuresService } from '../metrics/unit-measures.js';
import { createOversightService, type OversightService } from '../oversight/oversight-board.js';
import { createAccountabilityService, type AccountabilityService } from '../accountability/accountability.js';
import { createReconciliation, type Reconciliation } from '../oversight/reconciliation.js';
import { createMeetingService, type MeetingService } from '../meetings/meeting-service.js';
import type { MeetingSchedules } from '../meetings/meeting-schedules.js';
import { createNotificationCentre, type NotificationCentre } from '../notifications/notification-centre.js';
import { createCatalogueService, type CatalogueService } from '../catalogue/catalogue.js';
import { createSystemicIssueService, type SystemicIssueService } from '../systemic-issues/systemic-issues.js';
import { createChannelService, type ChannelService } from '../notifications/channels.js';
import { createDeliveryService, type DeliveryService } from '../notifications/deliveries.js';
import { createCalendarService, type CalendarService } from '../calendar/calendar-years.js';
import { createCaseQueries, type CaseQueries } from '../cases/case-queries.js';
import { createWorkloadService, type WorkloadService } from '../workbench/workload.js';
import { ACTION_SCHEMAS } from '../cases/case-types.js';
import { errorHandler } from './error-handler.js';
import { traceRequests } from '../observability/request-spans.js';
import { createWorkerLoopService, type WorkerLoopService } from '../worker-loop/worker-loop.js';
import { registerLimits, type Limits } from './limits.js';
import { ErrorSchema, declareLimits } from './schemas.js';
import { answerNoRoute, isValidYear, refuseNulBytes } from './request-helpers.js';
import { describeOperations } from './schemas.js';
import { adminRoutes } from './routes/admin.js';
import { auditRoutes } from './routes/audit.js';
import { calendarRoutes } from './routes/calendar.js';
import { caseRoutes } from './routes/cases.js';
import { intakeRoutes } from './routes/intake.js';
import { healthRoutes } from './routes/health.js';
import { oversightRoutes } from './routes/oversight.js';
import { accountabilityRoutes } from './routes/accountability.js';
import { metricsRoutes } from './routes/metrics.js';
import { meetingRoutes } from './routes/meetings.js';
import { signInRoutes, userRoutes } from './routes/users.js';
import { deliveryRoutes } from './routes/deliveries.js';
import type { QueueCounts } from '../workers/queue-backend.js';
import { systemicIssueRoutes } from './routes/systemic-issues.js';
import { webRoutes } from './routes/web.js';
import { notificationRoutes } from './routes/notifications.js';
import { streamRoutes } from './routes/stream.js';
import { channelRoutes } from './routes/channels.js';
import { createLiveStream, type LiveStream } from '../live/live-stream.js';
import { recordRoutes } from './routes/record.js';
import { attachmentRoutes } from './routes/attachments.js';
import { publicRoutes } from './routes/public.js';
import { publicSubmissionRoutes, submissionRoutes } from './routes/submissions.js';
import { createSubmissionService } from '../submissions/submission-service.js';
import { createDemoSmsPage } from '../demo/demo-sms.js';
import { demoSmsRoutes } from './routes/demo-sms.js';
import { createOpen311Service } from '../open311/open311-service.js';
import { open311KeyRoutes, open311Routes } from './routes/open311.js';
import { createAttachmentService } from '../attachments/attachment-service.js';
import { DEFAULT_ATTACHMENT_LIMITS, largestLimit, type AttachmentLimits } from '../attachments/attachment-kinds.js';
import { createPublicStatus } from '../worker-access/public-status.js';
import type { FileStorage } from '../storage/file-storage.js';
import type { RecordKey } from '../cases/case-record.js';
import type { RecordAudit } from '../cases/record-audit.js';
import type { ReceiptCodes } from '../worker-access/receipt-codes.js';
import type { OutboundGuard } from '../notifications/outbound-guard.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { workloadRoutes } from './routes/workload.js';
import { FINAL_STATES, STATES, STATE_LABELS } from '../../workflows/case-rules.js';
import type { StreamLimits, TrustProxy } from '../config.js';
import type { Metrics } from '../observability/metrics.js';

declare module 'fastify' {
  interface FastifyRequest { caller: Caller }
}

/** Limits and token settings (README "Security"); every number is configurable. */
export interface SecurityOptions {
  /** TOKEN_TTL_DAYS: new tokens expire after this many days; null = never. */
  tokenTtlDays: number | null;
  /** SIGN_IN_LINK_MINUTES: how long a one-time sign-in link works. */
  signInLinkMinutes: number;
  /** Per minute: failed sign-ins per IP, registrations per user, searches (`q=`) per user, uploads per user. */
  limits: { failedAuthPerMinute: number; registrationsPerMinute: number; searchesPerMinute: number; publicPerMinute?: number; uploadsPerMinute?: number };
  /** SEARCH_TIMEOUT_MS: statement timeout of a `q=` search. */
  searchTimeoutMs: number;
  /** TRUST_PROXY: client addresses from X-Forwarded-For, sent by these proxies (addresses, CIDRs) or this many hops; never from everyone. */
  trustProxy: TrustProxy;
  /** Open live streams per token and per process (STREAMS_PER_USER, STREAMS_PER_PROCESS). */
  streams: StreamLimits;
  /** With Redis the replicas share their counts; without, each process counts alone. */
  rateLimitRedisUrl: string | null;
  rateLimitPrefix: string;
}

export interface AppDeps {
  sql: Sql;
  /** The lists, the board, the measures and the agenda: the read replica's when it may (db/read-replica.ts). */
  read: ReadDatabase;
  engine: CaseEngine;
  /** What worker-direct intake (src/submissions) shares with the engine: policies, units, calendar, wake-ups, delivery, PUBLIC_URL. */
  intake: Pick<CaseEngineDeps, 'slaPolicies' | 'orgs' | 'calendar' | 'wake' | 'deliver' | 'publicUrl'>;
  /** Cached configuration, invalidated when an admin replaces it. */
  settings: { routingRules: Cached<unknown>; slaPolicies: Cached<unknown>; orgs: Cached<unknown>; reloadCalendar: () => Promise<{ recomputed: number }> };
  /** Who a token belongs to, for 5 s: an action pays no round trip for its caller. */
  tokens: TokenCache;
  adminToken: string;
  logger: Logger;
  /** Export jobs: queued, run by workers, files in the file storage. */
  exports: ExportJobs;
  /** Meetings on a schedule: drafted by the workers, set up by conveners. */
  meetingSchedules: MeetingSchedules;
  /** Export files and attachments. */
  storage: FileStorage;
  /** The level of the one line each request logs when it is answered; default info. */
  requestLogLevel?: 'info' | 'debug';
  /** Upload size limits per kind; the defaults when omitted. */
  attachmentLimits?: AttachmentLimits;
  /** The workers' receipt codes (the engine's). */
  receipts: ReceiptCodes;
  /** The key of the record's digests (the engine's). */
  recordKey: RecordKey;
  /** The record's export, published anchors and verification. */
  recordAudit: RecordAudit;
  /** Refuses webhook, robot and SMS gateway URLs outside the outbound rule at save (the delivery checks them again at send). */
  outbound: OutboundGuard;
  /** Throws when the queue backend does not answer. */
  pingQueue: () => Promise<void>;
  /** The BullMQ queues' job counts (deadlines, exports). */
  countQueues: () => Promise<QueueCounts[]>;
  security: SecurityOptions;
  /** The process's metrics: every answer by route template, method and status class; the open live streams. */
  metrics?: Metrics;
  /** Demo mode (the embedded database): the public /demo/sms page lists the worker's texts that would have gone out. */
  demoSms?: boolean;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** Content-Security-Policy of the pages: scripts and styles from this origin only, never framed. */
const PAGE_CSP = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], scriptSrcAttr: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"], fontSrc: ["'self'"], manifestSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"],
  frameAncestors: ["'none'"], upgradeInsecureRequests: null,
};
/**
 * The headers helmet sets, worked out once: they depend on no request (the CSP has no nonce), so
 * each answer gets one `reply.headers` call instead of helmet's thirteen middlewares and setHeader
 * calls (@fastify/helmet 13 even builds the middleware again for every request). A route may still
 * set its own (the docs' CSP); the event stream, which hijacks its reply, sends them itself (routes/stream.ts).
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = { setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value); }, removeHeader: () => {} };
  let failed: unknown = 'helmet did not answer at once';
  helmet({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP }, frameguard: { action: 'deny' } })(
    {} as IncomingMessage, collect as unknown as ServerResponse, (err?: unknown) => { failed = err; },
  );
  if (failed) throw new Error(`security headers: ${String(failed)}`);
  return headers;
}
/** Swagger UI (React) sets inline styles; its scripts are files too. */
const DOCS_CSP = "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** The served document (`/docs/json`): route schemas add the paths. */
const OPENAPI: Parameters<typeof swagger>[1] = {
  openapi: {
    info: {
      title: 'grievance-engine 三级联动诉求办理引擎',
      version: '1.0.0',
      license: { name: 'UNLICENSED (private project)' },
      description: [
        'Public HTTP API v1 (see API.md). 公共接口。',
        '',
        'Case states 案件状态: ' + STATES.map((s) => `\`${s}\` ${STATE_LABELS[s]}`).join('; ') +
          '. Final 终态: ' + FINAL_STATES.map((s) => `\`${s}\``).join(', ') + '.',
        '',
        'Limits 限流: failed sign-ins per IP, registrations, searches and uploads per user, open live streams per token answer 429 with `Retry-After` (README "Security").',
      ].join('\n'),
    },
    servers: [{ url: '/', description: '本服务 / this server' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
  },
  refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
};

/**
 * One line per request, when it is answered, at `level` (Fastify writes two, at info: on a terminal
 * they would bury the start banner); a failed request is still an error line.
 */
function requestLines(level: 'info' | 'debug') {
  return class RequestLines extends LogController {
    override incomingRequest() {}
    override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
      if (error) return super.requestCompleted(error, request, reply);
      reply.log[level]({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new (requestLines(deps.requestLogLevel ?? 'info'))(),
    trustProxy: proxyTrust(deps.security.trustProxy),
    ajv: {
      customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false, discriminator: true },
      // Postgres keeps years 1–9999 only: refuse other date-times at validation, never with a 500.
      // `x-personal` marks a field the record keeps only as a keyed digest (workflows/case-actions.ts `text`): documentation, no rule.
      onCreate: (ajv: { addFormat: (name: string, format: { validate: (s: string) => boolean }) => void; addKeyword: (name: string) => void }) => {
        ajv.addFormat('date-time', { validate: isValidYear });
        ajv.addKeyword('x-personal');
      },
    } as never,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // First, so every route and the not-found answers are timed.
  const { metrics } = deps;
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.httpRequest(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  // First, so every route's request is one span (a no-op unless traces are on: README "Traces").
  traceRequests(app);
  // Helmet's headers on every answer, asked of helmet once (see securityHeaders).
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => { reply.headers(headers); done(); });
  const limits = await registerLimits(app, deps.security, deps.logger);

  app.addSchema(ErrorSchema);
  for (const schema of Object.values(ACTION_SCHEMAS)) app.addSchema(schema);
  await app.register(swagger, OPENAPI);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });

  describeOperations(app);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('caller', null as unknown as Caller);
  app.addHook('preValidation', refuseNulBytes);
  const noRoute = answerNoRoute(app);

  const { tokens } = deps;
  const configuration = createConfigurationService({
    sql: deps.sql, settings: deps.settings, tokens, tokenTtlDays: deps.security.tokenTtlDays, signInLinkMinutes: deps.security.signInLinkMinutes,
    outbound: deps.outbound, recordKey: deps.recordKey,
  });
  const privacy = createPrivacyService({ sql: deps.sql, visibleCase: deps.engine.visibleCase });
  const callers = createCallerService({ sql: deps.sql, adminToken: deps.adminToken, tokens });
  const attachmentLimits = deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
  const attachments = createAttachmentService({ sql: deps.sql, storage: deps.storage, limits: attachmentLimits, visibleCase: deps.engine.visibleCase, caseToWorkOn: deps.engine.caseToWorkOn, recordKey: deps.recordKey });
  const status = createPublicStatus({ sql: deps.sql, receipts: deps.receipts, appealDeadline: deps.engine.appealDeadline });
  const submissions = createSubmissionService({
    ...deps.intake, sql: deps.sql, engine: deps.engine, receipts: deps.receipts, storage: deps.storage, limits: attachmentLimits,
    recordKey: deps.recordKey, publicUrl: deps.intake.publicUrl ?? '',
  });
  const open311 = createOpen311Service({ sql: deps.sql, orgs: deps.intake.orgs, submissions });
  await app.register(multipart);
  // Open streams would keep the server from closing: they end first.
  const live = createLiveStream({ sql: deps.sql, log: deps.logger, limits: deps.security.streams, orgs: deps.intake.orgs });
  app.addHook('preClose', () => live.close());
  metrics?.watchLiveStreams(live.open);

  // The routes' services, each built once here from AppDeps.
  const api: Api = {
    engine: deps.engine, configuration, privacy, limits,
    caseQueries: createCaseQueries({ sql: deps.sql, read: deps.read, visibleCase: deps.engine.visibleCase, searchTimeoutMs: deps.security.searchTimeoutMs, orgs: deps.intake.orgs }),
    measures: createMeasuresService({ read: deps.read, orgs: deps.intake.orgs }),
    oversight: createOversightService({ read: deps.read }),
    accountability: createAccountabilityService({ read: deps.read }),
    reconciliation: createReconciliation({ read: deps.read }),
    workload: createWorkloadService({ read: deps.read }),
    meetings: createMeetingService({ sql: deps.sql, read: deps.read, engine: deps.engine, exports: deps.exports, log: deps.logger }),
    meetingSchedules: deps.meetingSchedules,
    notifications: createNotificationCentre({ sql: deps.sql }),
    catalogue: createCatalogueService({ sql: deps.sql }),
    systemicIssues: createSystemicIssueService({ sql: deps.sql, engine: deps.engine }),
    channels: createChannelService({ sql: deps.sql, outbound: deps.outbound, orgs: deps.settings.orgs }),
    deliveries: createDeliveryService({ sql: deps.sql, countQueues: deps.countQueues }),
    calendar: createCalendarService({ sql: deps.sql, reloadCalendar: deps.settings.reloadCalendar }),
    workerLoop: createWorkerLoopService({ sql: deps.sql, visibleCase: deps.engine.visibleCase }),
    recordAudit: deps.recordAudit, callers, live,
    readiness: { pingDatabase: async () => { await deps.sql`select 1`; }, pingQueue: deps.pingQueue, replica: deps.read.state },
  };

  await app.register(healthRoutes, api);
  await app.register(webRoutes);
  // API answers may hold personal data or a token: never kept by a browser or a proxy.
  const noStore = (scope: App) => scope.addHook('onSend', (_request, reply, payload, done) => { reply.header('cache-control', 'no-store'); done(null, payload); });
  await app.register(async (open) => {
    declareLimits(open);
    noStore(open);
    await open.register(signInRoutes, api);
    // The worker's own pages: no token at all, strict per-IP and per-case limits.
    await open.register(publicRoutes, { engine: deps.engine, status, limits });
    await open.register(publicSubmissionRoutes, { submissions, limits, maxUploadBytes: largestLimit(attachmentLimits) });
    await open.register(demoSmsRoutes, { demoSms: createDemoSmsPage(deps.sql, deps.demoSms ?? false), limits });
  }, { prefix: '/api/v1' });
  // Open311 GeoReport v2: other systems' own paths, errors and formats (src/http/routes/open311.ts).
  await app.register(open311Routes, { prefix: '/open311/v2', open311, noRoute });
  await app.register(async (scope) => {
    declareLimits(scope);
    noStore(scope);
    scope.addHook('onRequest', async (request) => {
      request.caller = await limits.guarded(request, () => callers.authenticate(request.headers.authorization));
    });
    // Read-your-writes: a user's reads after their own write wait for the read replica to replay it (db/read-replica.ts).
    scope.addHook('onSend', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400 && request.caller?.userId) await deps.read.noteWrite(request.caller.userId);
    });
    await scope.register(adminRoutes, api);
    await scope.register(userRoutes, api);
    await scope.register(auditRoutes, api);
    await scope.register(caseRoutes, api);
    await scope.register(intakeRoutes, api);
    await scope.register(oversightRoutes, api);
    await scope.register(accountabilityRoutes, api);
    await scope.register(workloadRoutes, api);
    await scope.register(metricsRoutes, api);
    await scope.register(meetingRoutes, api);
    await scope.register(recordRoutes, api);
    await scope.register(deliveryRoutes, api);
    await scope.register(calendarRoutes, api);
    await scope.register(systemicIssueRoutes, api);
    await scope.register(attachmentRoutes, { attachments, maxUploadBytes: largestLimit(attachmentLimits), uploads: limits.uploads });
    await scope.register(catalogueRoutes, api);
    await scope.register(notificationRoutes, api);
    await scope.register(streamRoutes, api);
    await scope.register(channelRoutes, api);
    await scope.register(submissionRoutes, { submissions, limits });
    await scope.register(open311KeyRoutes, { open311 });
  }, { prefix: '/api/v1' });

  return app;
}

/**
 * Fastify's `trustProxy`. A hop count goes as the function proxy-addr takes: Fastify 5.12 turns
 * a number into "trust no one" (it cannot check the peer). With hops, whoever connects directly
 * counts as a proxy — only for an engine reachable through its proxy alone.
 */
function proxyTrust(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** What the route plugins get: the services they call and the per-user limits they apply. */
export interface Api {
  engine: CaseEngine;
  configuration: ReturnType<typeof createConfigurationService>;
  privacy: ReturnType<typeof createPrivacyService>;
  limits: Limits;
  measures: MeasuresService;
  oversight: OversightService;
  accountability: AccountabilityService;
  reconciliation: Reconciliation;
  workload: WorkloadService;
  meetings: MeetingService;
  meetingSchedules: MeetingSchedules;
  notifications: NotificationCentre;
  catalogue: CatalogueService;
  systemicIssues: SystemicIssueService;
  channels: ChannelService;
  deliveries: DeliveryService;
  calendar: CalendarService;
  caseQueries: CaseQueries;
  workerLoop: WorkerLoopService;
  recordAudit: RecordAudit;
  callers: CallerService;
  live: LiveStream;
  /** What `/readyz` asks: each throws when its dependency does not answer. */
  readiness: { pingDatabase: () => Promise<void>; pingQueue: () => Promise<void>; replica: () => ReplicaState | null };
}
