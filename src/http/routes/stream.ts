/**
 * `GET /api/v1/stream`: server-sent events for the caller's scope (src/live). Bearer header auth
 * like every route — pages read it with fetch streaming, so no token ever sits in a URL.
 */
import { requireCapability } from '../../access/permissions.js';
import { Type } from 'typebox';

import type { LiveClient } from '../../live/live-stream.js';
import { errors } from '../schemas.js';
import { hashToken } from '../../access/callers.js';
import type { Api, App } from '../app.js';

const EventStreamSchema = Type.Unsafe<unknown>({
  description: [
    '`event: case` `data: {caseId, reference, state, level, holderOrgId, version, at}` — 本范围内案件变更（提交后）/ a case in your scope changed (after commit);',
    '`event: notification` `data: {id, kind, caseId, reference, title, createdAt, unread}` — 给你的新通知 / a new notification for you;',
    '`: ping` 每 25 秒 / every 25 s.',
  ].join(' '),
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});

export async function streamRoutes(app: App, { live, callers }: Api) {
  app.get('/stream', {
    schema: {
      tags: ['notifications 通知'], summary: '实时更新 / live updates (server-sent events)', operationId: 'streamUpdates',
      description: '每个令牌最多 STREAMS_PER_USER 个（默认 5），每个进程最多 STREAMS_PER_PROCESS 个（默认 2000），超出 429；关闭即释放 / ' +
        'at most STREAMS_PER_USER (default 5) open per token and STREAMS_PER_PROCESS (default 2,000) per process, 429 with Retry-After beyond; closing a stream frees its slot.',
      response: { 200: EventStreamSchema, ...errors(401, 403) },
    },
  }, async (request, reply) => {
    const authorization = request.headers.authorization;
    requireCapability(request.caller, 'followCases');
    // Listening before the answer starts: a client that has the headers misses nothing committed after.
    await live.listen();
    const res = reply.raw;
    const client: LiveClient = {
      caller: request.caller,
      tokenKey: hashToken(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? ''),
      send: (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      ping: () => res.write(': ping\n\n'),
      end: () => res.end(),
      stillAllowed: () => callers.stillAllowed(authorization),
    };
    // Takes a slot or answers 429 before anything is written; the slot is given back when the stream closes, however it closes.
    live.subscribe(client);
    reply.hijack();
    res.once('close', () => live.unsubscribe(client));
    if (res.destroyed) return live.unsubscribe(client);
    // A hijacked reply writes none of Fastify's headers: the security headers (app.ts) go out with the stream's own.
    res.writeHead(200, {
      ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n: connected\n\n');
  });
}
