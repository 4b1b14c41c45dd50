-- The trace context of the transition that wrote a row (W3C traceparent), continued by its delivery's span.
-- Null when nothing was traced (tracing is on only with OTEL_EXPORTER_OTLP_ENDPOINT).
ALTER TABLE "outbox" ADD COLUMN "traceparent" text;
