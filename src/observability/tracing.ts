/**
 * The tracer provider (OpenTelemetry's NodeSDK), started by a process entry point when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set — src/main.ts and src/worker.ts import this file only then,
 * so a process without it loads no SDK at all. Traces only: no metrics or logs pipeline (metrics are
 * prom-client's), no auto-instrumentation; the spans are the engine's own (src/observability/spans.ts,
 * request-spans.ts), made through `@opentelemetry/api`, which finds this provider once it is registered.
 *
 * Spans go as OTLP/HTTP JSON (`@opentelemetry/exporter-trace-otlp-http`) to
 * `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces` (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is), in
 * batches (OTEL_BSP_*); OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER(_ARG) and
 * OTEL_RESOURCE_ATTRIBUTES are read by the SDK as the specification says.
 */
import { context, logs, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';

export interface TracingOptions {
  /** `service.name`: OTEL_SERVICE_NAME, else the process's own (`grievance-engine-api`, `grievance-engine-worker`). */
  serviceName: string;
  /** The collector's traces URL (`…/v1/traces`); by default the exporter reads it from the OTEL_* variables. */
  url?: string;
  /** How long ended spans wait to be sent together (ms); by default OTEL_BSP_SCHEDULE_DELAY, else 5 s. */
  batchDelayMs?: number;
}

export interface Tracing {
  /** Sends the spans still waiting, stops the provider and unregisters it (the API's no-op again). */
  shutdown(): Promise<void>;
}

export function startTracing(opts: TracingOptions): Tracing {
  const traceExporter = new OTLPTraceExporter(opts.url ? { url: opts.url } : {});
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    ...(opts.batchDelayMs === undefined
      ? { traceExporter }
      : { spanProcessors: [new BatchSpanProcessor({ exporter: traceExporter, scheduledDelayMillis: opts.batchDelayMs })] }),
    metricReaders: [],
    // Empty, not left out: left out, the SDK would start an OTLP logs exporter of its own.
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return {
    async shutdown() {
      await sdk.shutdown();
      // The API's globals outlive the SDK: unregistered, a later start (a test's) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
      logs.disable();
    },
  };
}
