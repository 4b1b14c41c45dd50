/** A local webhook receiver (a unit's `webhookUrl`): what the unit's own system would receive, signed, one request per delivery. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { at: number; body: Record<string, unknown>; raw: string; headers: IncomingMessage['headers'] }
/** How the receiver answers each delivery: 204, 503, or never. */
export type Behaviour = () => 'ok' | 'fail' | 'hang';
export interface WebhookReceiver { url: string; received: Received[]; close(): Promise<void> }

export async function startWebhookReceiver(behaviour: Behaviour = () => 'ok'): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const what = behaviour();
    if (what === 'hang') return; // never answers
    received.push({ at: Date.now(), body: JSON.parse(raw), raw, headers: req.headers });
    res.statusCode = what === 'ok' ? 204 : 503;
    res.end();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
