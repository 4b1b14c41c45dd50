/** A local SMS gateway (the generic HTTP one the `sms` channel posts `{to, text}` to): what the worker's phone would receive. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmsGateway { url: string; texts: { to: string; text: string }[]; close(): Promise<void> }

export async function startSmsGateway(): Promise<SmsGateway> {
  const texts: SmsGateway['texts'] = [];
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    texts.push(JSON.parse(raw));
    res.end('{"ok":true}');
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    texts,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
