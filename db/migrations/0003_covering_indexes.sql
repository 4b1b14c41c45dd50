DROP INDEX "deadlines_started";--> statement-breakpoint
DROP INDEX "deadlines_closed";--> statement-breakpoint
CREATE INDEX "deadlines_started" ON "deadlines" USING btree ("started_at","org_id","step","status");--> statement-breakpoint
CREATE INDEX "deadlines_closed" ON "deadlines" USING btree ("closed_at","org_id","status","step","started_at");