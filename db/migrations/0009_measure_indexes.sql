DROP INDEX "deadlines_started";--> statement-breakpoint
DROP INDEX "deadlines_closed";--> statement-breakpoint
CREATE INDEX "case_events_arrivals" ON "case_events" USING btree ("at","case_id","seq","to_org_id","holder_org_id") WHERE "case_events"."to_org_id" is not null or "case_events"."action" = 'register';--> statement-breakpoint
CREATE INDEX "case_events_arrivals_case" ON "case_events" USING btree ("case_id","at","to_org_id","holder_org_id") WHERE "case_events"."to_org_id" is not null or "case_events"."action" = 'register';--> statement-breakpoint
CREATE INDEX "case_events_judged" ON "case_events" USING btree ("action","at","case_id","seq","resolved_by_org_id","actor_org_id","rating","solved") WHERE "case_events"."action" in ('resolve', 'feedback');--> statement-breakpoint
CREATE INDEX "cases_created_groups" ON "cases" USING btree ("created_at","category","platform","area","id");--> statement-breakpoint
CREATE INDEX "deadlines_started" ON "deadlines" USING btree ("started_at","case_id","org_id","status","step");--> statement-breakpoint
CREATE INDEX "deadlines_closed" ON "deadlines" USING btree ("closed_at","org_id","status","step","started_at","case_id");