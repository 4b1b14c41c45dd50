-- The outbox is a queue that keeps every delivered row. Each delivery leaves a dead entry in the
-- partial index outbox_undelivered, and the claim's plan may read that index by a bitmap scan,
-- which marks no entry dead: every claim walks them all until the table is vacuumed. The default
-- waits for 20 % of the table to change, which a table that only grows reaches less and less
-- often; vacuum it after every 1,000 changed rows instead (at most once per autovacuum_naptime).
ALTER TABLE "outbox" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
