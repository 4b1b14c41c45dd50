/** Issue 23 (3): traces are on only with a collector's address, which is checked at start-up. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';

const tracing = (env: Record<string, string>) => readConfig({ ...env }).tracing;

describe('OTEL_* settings', () => {
  it('are off without OTEL_EXPORTER_OTLP_ENDPOINT (or its traces-only form), and with OTEL_SDK_DISABLED=true', () => {
    expect(tracing({})).toBeNull();
    expect(tracing({ OTEL_SERVICE_NAME: 'grievance-engine-api' })).toBeNull();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeNull();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });

  it('are on with either endpoint; OTEL_SERVICE_NAME names the service, else the process does', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' })).toEqual({ serviceName: null });
    expect(tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.org/v1/traces', OTEL_SERVICE_NAME: 'grievance-api-1' }))
      .toEqual({ serviceName: 'grievance-api-1' });
  });

  it('refuse an endpoint that is not an http(s) address, naming the variable', () => {
    expect(() => tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be the collector's OTLP\/HTTP address/);
    expect(() => tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be/);
  });
});
