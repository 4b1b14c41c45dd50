/**
 * Spans for the engine's work, through `@opentelemetry/api` only: with no tracer provider
 * started (no OTEL_EXPORTER_OTLP_ENDPOINT: src/observability/tracing.ts is never loaded) a span
 * is not even asked for: the work runs with a span that records nothing. Attributes are bounded
 * values — actions, states, kinds, counts, opaque ids — never a name, a phone, an ID number, a
 * text, a URL or an error's message.
 */
import {
  INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace, type Attributes, type Context, type Span,
} from '@opentelemetry/api';

export { SpanKind };

/** Tracer providers started and not yet shut down in this process (tracing.ts counts them). */
let providers = 0;
export function countProvider(started: boolean): void { providers += started ? 1 : -1; }
/** With none, no span is even asked for: the work runs with this one, which records nothing. */
export const tracingOn = () => providers > 0;
const NOT_TRACED = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Asked for at each span, not once: a provider started (or replaced) later is the one used. */
const tracer = () => trace.getTracer('grievance-engine');

export interface SpanOptions { kind?: SpanKind; parent?: Context }

/**
 * `work` inside a span that ends when it settles; a throw marks the span failed with the error's
 * class (never its message). Nothing traced (the API's no-op span): `work` runs as it is.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, opts: SpanOptions = {}): Promise<T> {
  if (!tracingOn()) return work(NOT_TRACED);
  const parent = opts.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes }, parent);
  if (!isSpanContextValid(span.spanContext())) return work(span);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The same for work that does not wait (the chart and the plan, in memory). */
export function inSpanSync<T>(name: string, attributes: Attributes, work: (span: Span) => T): T {
  if (!tracingOn()) return work(NOT_TRACED);
  const parent = context.active();
  const span = tracer().startSpan(name, { attributes }, parent);
  if (!isSpanContextValid(span.spanContext())) return work(span);
  try {
    return context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** A span marked failed: `error.type` is the error's class (`NotAllowed`, `TimeoutError`), which names no person. */
export function failed(span: Span, error: unknown): void {
  span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * The W3C `traceparent` of the current span, to store beside work that runs later elsewhere (an
 * outbox row, a queued job's data); null when nothing is traced.
 */
export function currentTraceparent(): string | null {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored `traceparent` continues; none stored: a trace of its own (never the caller's ambient one). */
export function continuing(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}
