/**
 * A collector for tests: a plain HTTP server taking OTLP/HTTP JSON at POST /v1/traces (what
 * `@opentelemetry/exporter-trace-otlp-http` sends), keeping every body as it came and its spans flattened.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
interface OtlpSpan {
  traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number;
  attributes?: { key: string; value: AnyValue }[]; status?: { code?: number };
}
interface OtlpBody {
  resourceSpans: { resource?: { attributes?: { key: string; value: AnyValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

export interface ReceivedSpan {
  traceId: string; spanId: string; parentSpanId: string | null; name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** The resource's `service.name`. */
  service: string;
  /** 0 unset, 1 ok, 2 error. */
  status: number;
}

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface OtlpReceiver {
  /** The traces URL (`…/v1/traces`) and the base an OTEL_EXPORTER_OTLP_ENDPOINT names. */
  url: string; endpoint: string;
  spans: ReceivedSpan[];
  /** Every request body as it came. */
  bodies: string[];
  close(): Promise<void>;
}

const valueOf = (v: AnyValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? JSON.stringify(v);
const attributesOf = (list: { key: string; value: AnyValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
      res.writeHead(415).end();
      return;
    }
    bodies.push(raw);
    for (const rs of (JSON.parse(raw) as OtlpBody).resourceSpans) {
      const service = String(attributesOf(rs.resource?.attributes)['service.name']);
      for (const s of rs.scopeSpans.flatMap((ss) => ss.spans)) {
        spans.push({
          traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || null, name: s.name, kind: s.kind,
          attributes: attributesOf(s.attributes), service, status: s.status?.code ?? 0,
        });
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${endpoint}/v1/traces`, endpoint, spans, bodies,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
