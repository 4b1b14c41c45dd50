CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" date[] NOT NULL,
	"workdays" date[] NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "amount" integer;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "unit" text;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "given_back_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "extensions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "max_pause_amount" integer;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "max_pause_unit" text;--> statement-breakpoint
CREATE INDEX "deadlines_provisional" ON "deadlines" USING btree ("case_id") WHERE "deadlines"."provisional" and "deadlines"."status" in ('pending', 'paused');