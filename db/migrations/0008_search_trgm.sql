-- Free-text search (`q=` on GET /cases) matches `ilike '%…%'` on the reference and the description:
-- trigram indexes keep it off a sequential scan of every case.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_description_trgm" ON "cases" USING gin ("description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_reference_trgm" ON "cases" USING gin ("reference" gin_trgm_ops);
