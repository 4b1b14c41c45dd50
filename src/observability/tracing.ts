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
import { DiagLogLevel, context, diag, logs, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { countProvider } from './spans.js';

export interface TracingOptions {
  /** Where the SDK's own complaints go (a collector that does not answer), at warn; OTEL_LOG_LEVEL sends them to the console instead. */
  log?: Logger;
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
  if (opts.log) diag.setLogger(diagTo(opts.log), DiagLogLevel.WARN);
  const traceExporter = new OTLPTraceExporter(opts.url ? { url: opts.url } : {});
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    ...(opts.batchDelayMs === undefined
      ? { traceExporter }
      : { spanProcessors: [new BatchSpanProcessor({ exporter: traceExporter, scheduledDelayMillis: opts.batchDelayMs })] }),
    // Empty, not left out: left out, the SDK starts OTLP metrics and logs exporters of its own (OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER default to otlp).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  countProvider(true);
  let stopped = false;
  return {
    async shutdown() {
      if (!stopped) { stopped = true; countProvider(false); }
      // A collector away at the stop loses the last batch (the SDK says so): not a failed stop.
      await sdk.shutdown().catch((err: unknown) => opts.log?.warn({ err: String(err) }, 'traces: the last spans were not sent'));
      // The API's globals outlive the SDK: unregistered, a later start (a test's) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
      logs.disable();
      diag.disable();
    },
  };
}

/** The SDK's errors and warnings as one warn line each (a collector away is no error of the engine's); an error it hands over as JSON, by its message. */
function diagTo(log: Logger): DiagLogger {
  const said = (message: string) => {
    try {
      const parsed: unknown = JSON.parse(message);
      return typeof (parsed as { message?: unknown })?.message === 'string' ? (parsed as { message: string }).message : message;
    } catch {
      return message;
    }
  };
  const line = (message: string) => log.warn(`traces: ${said(message)}`);
  const quiet = () => {};
  return { error: line, warn: line, info: quiet, debug: quiet, verbose: quiet };
}
