import { Type } from 'typebox';
import type { App, AppDeps } from '../app.js';

const Status = Type.Object({ status: Type.String(), postgres: Type.Optional(Type.String()), queue: Type.Optional(Type.String()) });

export async function healthRoutes(app: App, { deps }: { deps: AppDeps }) {
  app.get('/healthz', { schema: { tags: ['operations'], security: [], response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['operations'], security: [], response: { 200: Status, 503: Status } } }, async (_req, reply) => {
    const check = (p: Promise<unknown>) => Promise.race([
      p.then(() => 'ok'),
      new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 2000)),
    ]).catch(() => 'down');
    const [postgres, queue] = await Promise.all([check(deps.sql`select 1`), check(deps.pingQueue())]);
    const ready = postgres === 'ok' && queue === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', postgres, queue });
  });
}
