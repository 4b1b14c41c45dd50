/**
 * Retention (PIPL): a worker's name and phone (and the linking digest a consenting worker's case
 * keeps, src/worker-links) are erased PII_RETENTION_DAYS after the case closed,
 * from the case and from the text its record keeps beside the chain. The record stays whole: the
 * hashed events hold only keyed digests of them. A registered submission gave its phone to its case
 * (and kept none); a declined or forwarded one loses it as long after its decision.
 */
import type { Sql } from '../../db/client.js';

/** Erases the contacts whose retention ran out; returns how many cases it touched. Batched, so it never holds long locks. */
export async function eraseExpiredContacts(sql: Sql, retentionDays: number, now = new Date(), batch = 500): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    // One statement: the case and its record's text beside the chain are erased together.
    const rows = await sql`
      with erased as (
        update cases set worker_name = null, worker_phone = null, worker_link_digest = null, contact_erased_at = ${now}
        where id in (select id from cases where contact_erased_at is null and closed_at is not null and closed_at < ${cutoff}
          order by closed_at limit ${batch} for update skip locked)
        returning id),
      texts as (
        update case_events e set texts = e.texts - 'workerName' - 'workerPhone' from erased where e.case_id = erased.id and e.action = 'register')
      select id from erased`;
    total += rows.length;
    if (rows.length < batch) break;
  }
  // A worker's own submission that never became a case (declined, forwarded) keeps its phone as long (src/submissions).
  await sql`update submissions set phone = null where phone is not null and state in ('declined', 'forwarded') and decided_at < ${cutoff}`;
  return total;
}
