/**
 * Retention (PIPL): a worker's name and phone are erased PII_RETENTION_DAYS after the case closed.
 * The record stays whole: personal fields enter the event chain only as digests.
 */
import type { Sql } from '../../db/client.js';

/** Erases the contacts whose retention ran out; returns how many cases it touched. Batched, so it never holds long locks. */
export async function eraseExpiredContacts(sql: Sql, retentionDays: number, now = new Date(), batch = 500): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const rows = await sql`
      update cases set worker_name = null, worker_phone = null, contact_erased_at = ${now}
      where id in (select id from cases where contact_erased_at is null and closed_at is not null and closed_at < ${cutoff}
        order by closed_at limit ${batch} for update skip locked)
      returning id`;
    total += rows.length;
    if (rows.length < batch) return total;
  }
}
