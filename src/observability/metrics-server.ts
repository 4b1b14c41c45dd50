/**
 * `GET /metrics` (Prometheus text format) on a listener of its own — METRICS_PORT on METRICS_HOST,
 * never the public app's port — so the proxy never exposes it and a worker process, which has no
 * HTTP app, serves it too. A plain node:http server: one route, nothing else to load.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  /** Where Prometheus scrapes (`http://host:port/metrics`). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free one). A port that is taken stops with one line naming it and the
 * setting (`setting`: how this process's port comes from METRICS_PORT).
 */
export async function serveMetrics(registry: Registry, opts: { port: number; host: string; log: Logger; setting?: string }): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('只有 /metrics / only GET /metrics here\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
      return;
    }
    registry.metrics().then((body) => {
      response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : body);
    }, (err: unknown) => {
      opts.log.warn({ err: String(err) }, 'metrics scrape failed');
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('指标暂不可用 / metrics unavailable\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE'
      ? new Error(`指标端口 ${opts.port} 已被占用 / metrics port ${opts.port} is taken: set ${opts.setting ?? 'METRICS_PORT'} to a free port, or METRICS_PORT=0 to turn metrics off`)
      : err));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Prometheus keeps its connection open between scrapes: it would hold the close.
      server.closeAllConnections();
    }),
  };
}
