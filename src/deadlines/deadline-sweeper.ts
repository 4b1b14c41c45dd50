/**
 * Postgres is the source of truth for deadlines. The sweeper, at start-up and every minute,
 * re-adds the wake-up jobs of every pending deadline due (or warning) within the horizon —
 * deterministic job ids make a second add a no-op — so a Redis wipe or a lost job costs at most
 * one sweep interval. Deadlines already past due get a job with no delay: they fire at once.
 */
import type { Sql } from '../../db/client.js';
import type { DeadlineQueue } from './deadline-queue.js';
import type { Wakeup } from './deadline-store.js';

const BATCH = 1000;

export async function sweepDeadlines(deps: { sql: Sql; queue: Pick<DeadlineQueue, 'schedule'>; horizonMs: number; now?: Date }): Promise<number> {
  const until = new Date((deps.now ?? new Date()).getTime() + deps.horizonMs);
  let after = '00000000-0000-0000-0000-000000000000';
  let scheduled = 0;
  for (;;) {
    const batch = await deps.sql<Wakeup[]>`
      select id, rev, due_at, warn_at, warned_at from deadlines
      where status = 'pending' and (due_at <= ${until} or (warned_at is null and warn_at <= ${until})) and id > ${after}
      order by id limit ${BATCH}`;
    if (batch.length === 0) return scheduled;
    await deps.queue.schedule(batch);
    scheduled += batch.length;
    after = batch[batch.length - 1].id;
  }
}
