/**
 * One server span per HTTP request, named `METHOD /route/template` (`POST /api/v1/cases/:id/actions`),
 * with the method, the route template and the status code — never the URL itself (its query), a
 * header or a body. A `traceparent` header from a proxy in front is continued.
 *
 * The span's context is made current at `onRequest` (for the hooks that follow, authentication
 * included) and again at `preHandler`, so that the engine's spans below the handler nest under it
 * however the body was read (socket events need not carry the context they were asked for in).
 * With no tracer provider started (spans.ts `tracingOn`) the hooks only call `done`: no span is asked for.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { tracingOn } from './spans.js';

export function traceRequests(app: FastifyInstance<any, any, any, any, any>): void {
  const open = new WeakMap<FastifyRequest, { span: Span; ctx: Context }>();

  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!tracingOn()) return done();
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = trace.getTracer('grievance-engine').startSpan(route ? `${request.method} ${route}` : request.method, {
      kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}) },
    }, parent);
    if (!isSpanContextValid(span.spanContext())) return done();
    const ctx = trace.setSpan(parent, span);
    open.set(request, { span, ctx });
    context.with(ctx, done);
  });
  app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const traced = open.get(request);
    if (traced) context.with(traced.ctx, done);
    else done();
  });
  const end = (request: FastifyRequest, status: number | null) => {
    const traced = open.get(request);
    if (!traced) return;
    open.delete(request);
    if (status === null) traced.span.setAttribute('error.type', 'aborted');
    else traced.span.setAttribute('http.response.status_code', status);
    if (status === null || status >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
    traced.span.end();
  };
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request: FastifyRequest, done: HookHandlerDoneFunction) => {
    end(request, null);
    done();
  });
}
