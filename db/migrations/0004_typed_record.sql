CREATE TABLE "audit_anchors" (
	"day" date PRIMARY KEY NOT NULL,
	"cases" integer NOT NULL,
	"heads_hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "schema_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "step" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "rating" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "solved" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "resolved_by_org_id" uuid;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "to_org_id" uuid;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "event_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "event_hash" text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "case_id" uuid;--> statement-breakpoint
CREATE INDEX "case_events_reason_at" ON "case_events" USING btree ("reason_code","at") WHERE "case_events"."reason_code" is not null;--> statement-breakpoint
-- Events written before the typed record: lift what the measures and the agenda read into columns.
UPDATE "case_events" SET
  "step" = "data"->>'step',
  "rating" = "data"->>'rating',
  "resolved_by_org_id" = CASE WHEN "action" = 'feedback' THEN ("data"->>'resolvedByOrgId')::uuid END,
  "to_org_id" = ("data"->>'toOrgId')::uuid;--> statement-breakpoint
UPDATE "cases" c SET "event_seq" = (SELECT coalesce(max(e."seq"), 0) FROM "case_events" e WHERE e."case_id" = c."id");--> statement-breakpoint
UPDATE "idempotency_keys" SET "case_id" = ("response_body"->>'id')::uuid WHERE "response_body" ? 'id';
