/**
 * `GET /api/v1/stream`: server-sent events for the caller's scope (src/live). Bearer header auth
 * like every route — pages read it with fetch streaming, so no token ever sits in a URL.
 */
import { requireCapability } from '../../access/permissions.js';
import { Type } from 'typebox';

import type { LiveClient, LiveStream } from '../../live/live-stream.js';
import { errors } from '../schemas.js';
import { authenticate } from '../../access/callers.js';
import type { App, AppDeps } from '../app.js';
import { isDatabaseUnavailable } from '../../../db/unavailable.js';

const EventStreamSchema = Type.Unsafe<unknown>({
  description: [
    '`event: case` `data: {caseId, reference, state, level, holderOrgId, version, at}` — 本范围内案件变更（提交后）/ a case in your scope changed (after commit);',
    '`event: notification` `data: {id, kind, caseId, reference, title, createdAt, unread}` — 给你的新通知 / a new notification for you;',
    '`: ping` 每 25 秒 / every 25 s.',
  ].join(' '),
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});

export async function streamRoutes(app: App, { live, deps }: { live: LiveStream; deps: AppDeps }) {
  app.get('/stream', {
    schema: {
      tags: ['notifications 通知'], summary: '实时更新 / live updates (server-sent events)', operationId: 'streamUpdates',
      response: { 200: EventStreamSchema, ...errors(401, 403) },
    },
  }, async (request, reply) => {
    const authorization = request.headers.authorization;
    requireCapability(request.caller, 'followCases');
    // Listening before the answer starts: a client that has the headers misses nothing committed after.
    await live.listen();
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n: connected\n\n');
    const client: LiveClient = {
      caller: request.caller,
      send: (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      ping: () => res.write(': ping\n\n'),
      end: () => res.end(),
      // While the database is away nobody can revoke a token: the stream stays open and hears again when it returns.
      stillAllowed: () => authenticate(deps.sql, deps.adminToken, authorization).then(() => true, (err) => isDatabaseUnavailable(err)),
    };
    if (res.destroyed) return;
    request.raw.on('close', () => live.unsubscribe(client));
    live.subscribe(client);
  });
}
