/**
 * Open311 GeoReport v2 at /open311/v2 (src/open311): each endpoint in `.json` and `.xml`, errors in
 * GeoReport's shape `[{code, description}]` (bad api_key 403, unknown service_code 400), POST bodies
 * form-encoded (or JSON). The admin's key route lives with the API (`POST /api/v1/open311/keys`).
 * Thin: validate, call the service, shape.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { GEOREPORT_STATUSES, OPEN311_DESCRIPTION_MAX, type Open311 } from '../../open311/open311-service.js';
import { georeportXml, type XmlAnswer } from '../../open311/georeport-xml.js';
import { TRACKING_CODE_PATTERN } from '../../submissions/submission-service.js';
import { answerFor } from '../error-handler.js';
import type { NoRoute } from '../request-helpers.js';
import { errors } from '../schemas.js';
import type { App } from '../app.js';

const tags = ['open311 GeoReport v2'];
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
const Str = Type.String();
const OptStr = (description?: string) => Type.Optional(Type.String(description ? { description } : {}));
const NullStr = Type.Union([Type.String(), Type.Null()]);
const Jurisdiction = { jurisdiction_id: OptStr('忽略（单一辖区）/ ignored: one jurisdiction') };

const ServiceSchema = Type.Object({
  service_code: Type.String({ description: '诉求类别代码 / the catalogue code' }), service_name: Str, description: NullStr,
  metadata: Type.Boolean(), type: Type.Enum(['realtime', 'batch', 'blackbox']), keywords: NullStr, group: NullStr,
});
const RequestSchema = Type.Object({
  service_request_id: Type.String({ description: '案件编号 / the case reference' }), status: Type.Enum([...GEOREPORT_STATUSES]),
  status_notes: Type.Union([Type.String({ description: '最近一步 / the last step, in words' }), Type.Null()]), service_name: NullStr, service_code: Str,
  description: Type.Union([Type.String({ maxLength: OPEN311_DESCRIPTION_MAX, description: '个人号码打码 / personal numbers masked' }), Type.Null()]),
  agency_responsible: NullStr, service_notice: NullStr, requested_datetime: Type.String({ format: 'date-time' }),
  updated_datetime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]), expected_datetime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  address: NullStr,
});
const ErrorsSchema = Type.Array(Type.Object({ code: Type.Integer(), description: Str }), { description: 'GeoReport 错误 / GeoReport errors' });
const Xml = Type.Unsafe<string>({ description: 'GeoReport v2 XML', content: { 'text/xml': { schema: { type: 'string' } } } });
/** The refusals, in the endpoint's own format (an .xml endpoint answers them as GeoReport XML too). */
const GeoErrors = (format: Format, ...codes: number[]) => Object.fromEntries(codes.map((c) => [c, format === 'json' ? ErrorsSchema : Xml]));

const PostBody = Type.Object({
  api_key: OptStr('客户系统密钥（管理员签发）/ the client system\'s key (issued by an admin)'),
  service_code: Type.String({ description: '诉求类别代码 / a catalogue code (GET services)' }),
  description: OptStr(`诉求内容，必填，最多 ${OPEN311_DESCRIPTION_MAX} 字 / what happened: required, at most ${OPEN311_DESCRIPTION_MAX} characters`),
  address_string: OptStr('街道或区域 / area'), phone: OptStr('劳动者电话（个人信息）/ the worker\'s phone (personal)'),
  lat: OptStr(), long: OptStr(), address_id: OptStr(), email: OptStr('不保存 / not kept'), device_id: OptStr(), account_id: OptStr(),
  first_name: OptStr('不保存 / not kept'), last_name: OptStr('不保存 / not kept'), media_url: OptStr(), ...Jurisdiction,
}, { additionalProperties: true, description: 'GeoReport 字段（表单编码或 JSON）/ GeoReport fields, form-encoded or JSON' });

const RequestsQuery = Type.Object({
  service_request_id: OptStr('逗号分隔的编号 / comma-separated references'), service_code: OptStr(),
  start_date: Type.Optional(Type.String({ format: 'date-time' })), end_date: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(Type.Enum([...GEOREPORT_STATUSES])), ...Jurisdiction,
}, { additionalProperties: false });

/** A JSON answer as it is; an XML one built from the same data. */
function send(reply: FastifyReply, format: Format, answer: XmlAnswer, data: Record<string, unknown>[] | Record<string, unknown>) {
  return format === 'json' ? reply.send(data) : reply.type('text/xml; charset=utf-8').send(georeportXml(answer, data));
}
const formatOf = (request: FastifyRequest): Format => (request.url.split('?')[0].endsWith('.xml') ? 'xml' : 'json');

export async function open311Routes(app: App, { open311, noRoute }: { open311: Open311; noRoute: NoRoute }) {
  // GeoReport clients POST form fields.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  // Every refusal in GeoReport's shape, built from the API's own answer (its status, message, Retry-After).
  const refuse = (request: FastifyRequest, reply: FastifyReply, answer: { statusCode: number; message: string }) =>
    send(reply.status(answer.statusCode), formatOf(request), 'errors', [{ code: answer.statusCode, description: answer.message }]);
  app.setErrorHandler((error: FastifyError, request, reply) => refuse(request, reply, answerFor(error, request, reply)));
  // A path under /open311/v2 that matches no route (an id too long for the router, a character it
  // does not take, another method) is refused in GeoReport's shape and the path's format too, not
  // in the API's: this scope's catch-all, which the web pages' own catch-all would take otherwise.
  app.all('/*', { schema: { hide: true } }, (request, reply) => {
    const { answer, allow } = noRoute(request);
    if (allow) reply.header('allow', allow);
    return refuse(request, reply, answer);
  });

  const route = (format: Format, json: TSchema) => ({ 200: format === 'json' ? json : Xml });
  for (const format of FORMATS) {
    app.get(`/services.${format}`, {
      schema: {
        tags, security: [], summary: `服务列表（诉求类别）/ the services: the catalogue's categories (${format})`, operationId: `open311Services_${format}`,
        querystring: Type.Object(Jurisdiction), response: { ...route(format, Type.Array(ServiceSchema)), ...GeoErrors(format, 400) },
      },
    }, async (request, reply) => send(reply, format, 'services', await open311.services()));

    app.get(`/services/:service_code.${format}`, {
      schema: {
        tags, security: [], summary: `服务定义 / a service's definition (${format})`, operationId: `open311ServiceDefinition_${format}`,
        params: Type.Object({ service_code: Type.String({ maxLength: 10 }) }), querystring: Type.Object(Jurisdiction),
        response: { ...route(format, Type.Object({ service_code: Str, attributes: Type.Array(Type.Object({})) })), ...GeoErrors(format, 400, 404) },
      },
    }, async (request, reply) => send(reply, format, 'service_definition', await open311.serviceDefinition(request.params.service_code)));

    app.post(`/requests.${format}`, {
      schema: {
        tags, security: [], summary: `提交请求（进入支部待核实）/ submit a request: it waits for the key's branch to verify (${format})`,
        operationId: `open311PostRequest_${format}`,
        description: '答复 token；支部登记后 GET tokens/:token 给出 service_request_id；无效 api_key 403，未知 service_code 400 / answers a token; once the branch registers it, GET tokens/:token gives the service_request_id; a bad api_key 403, an unknown service_code 400',
        consumes: ['application/x-www-form-urlencoded', 'application/json'], body: PostBody,
        response: { 201: format === 'json' ? Type.Array(Type.Object({ token: Str, service_notice: Str })) : Xml, ...GeoErrors(format, 400, 403) },
      },
    }, async (request, reply) => send(reply.status(201), format, 'service_requests', await open311.post(request.body)));

    app.get(`/requests.${format}`, {
      schema: {
        tags, security: [], summary: `经 Open311 提交的请求 / requests submitted through Open311 (${format})`, operationId: `open311Requests_${format}`,
        description: '无 start_date 时为近 90 天；最多 1000 条；描述打码，无个人信息 / the last 90 days without start_date; at most 1000; descriptions masked, no personal data',
        querystring: RequestsQuery, response: { ...route(format, Type.Array(RequestSchema)), ...GeoErrors(format, 400) },
      },
    }, async (request, reply) => send(reply, format, 'service_requests', await open311.requests(request.query)));

    app.get(`/requests/:service_request_id.${format}`, {
      schema: {
        tags, security: [], summary: `一个请求 / one request (${format})`, operationId: `open311Request_${format}`,
        params: Type.Object({ service_request_id: Type.String({ maxLength: 40 }) }), querystring: Type.Object(Jurisdiction),
        response: { ...route(format, Type.Array(RequestSchema)), ...GeoErrors(format, 400, 404) },
      },
    }, async (request, reply) => send(reply, format, 'service_requests', await open311.request(request.params.service_request_id)));

    app.get(`/tokens/:token.${format}`, {
      schema: {
        tags, security: [], summary: `由 token 查 service_request_id / the request id of a token (${format})`, operationId: `open311Token_${format}`,
        description: '核实前只有 token；登记后给出 service_request_id / only the token while the branch verifies; the service_request_id once registered',
        params: Type.Object({ token: Type.String({ pattern: TRACKING_CODE_PATTERN }) }), querystring: Type.Object(Jurisdiction),
        response: { ...route(format, Type.Array(Type.Object({ token: Str, service_request_id: Type.Optional(Str) }))), ...GeoErrors(format, 400, 404) },
      },
    }, async (request, reply) => send(reply, format, 'service_requests', await open311.token(request.params.token)));
  }
}

export async function open311KeyRoutes(app: App, { open311 }: { open311: Open311 }) {
  app.post('/open311/keys', {
    schema: {
      tags, summary: '签发 Open311 客户系统密钥 / issue an Open311 client system\'s key', operationId: 'issueOpen311Key',
      description: '管理员；绑定一个支部，其请求进入该支部待核实；密钥只显示一次 / admins; bound to one branch, whose to-verify queue its requests enter; the key is shown once',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), branchId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: {
        201: Type.Object({ id: Str, name: Str, branchId: Str, apiKey: Type.String({ description: '只显示一次 / shown once' }), createdAt: Type.String({ format: 'date-time' }) }),
        ...errors(400, 401, 403, 422),
      },
    },
  }, async (request, reply) => reply.status(201).send(await open311.issueKey(request.caller, request.body)));
}
