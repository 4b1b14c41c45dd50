CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" date[] NOT NULL,
	"workdays" date[] NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "systemic_issue_cases" (
	"issue_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	CONSTRAINT "systemic_issue_cases_issue_id_case_id_pk" PRIMARY KEY("issue_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "systemic_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lead_org_id" uuid,
	"amount" integer,
	"unit" text,
	"decision" text,
	"meeting_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "deadlines_started";--> statement-breakpoint
DROP INDEX "deadlines_closed";--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "amount" integer;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "unit" text;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "given_back_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "extensions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "max_pause_amount" integer;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "max_pause_unit" text;--> statement-breakpoint
ALTER TABLE "systemic_issue_cases" ADD CONSTRAINT "systemic_issue_cases_issue_id_systemic_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."systemic_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_issue_cases" ADD CONSTRAINT "systemic_issue_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_issues" ADD CONSTRAINT "systemic_issues_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_issues" ADD CONSTRAINT "systemic_issues_lead_org_id_orgs_id_fk" FOREIGN KEY ("lead_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_issues" ADD CONSTRAINT "systemic_issues_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systemic_issues" ADD CONSTRAINT "systemic_issues_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "systemic_issue_cases_case" ON "systemic_issue_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_events_arrivals" ON "case_events" USING btree ("at","case_id","seq","to_org_id","holder_org_id") WHERE "case_events"."to_org_id" is not null or "case_events"."action" = 'register';--> statement-breakpoint
CREATE INDEX "case_events_arrivals_case" ON "case_events" USING btree ("case_id","at","to_org_id","holder_org_id") WHERE "case_events"."to_org_id" is not null or "case_events"."action" = 'register';--> statement-breakpoint
CREATE INDEX "case_events_judged" ON "case_events" USING btree ("action","at","case_id","seq","resolved_by_org_id","actor_org_id","rating","solved") WHERE "case_events"."action" in ('resolve', 'feedback');--> statement-breakpoint
CREATE INDEX "cases_created_groups" ON "cases" USING btree ("created_at","category","platform","area","id");--> statement-breakpoint
CREATE INDEX "deadlines_provisional" ON "deadlines" USING btree ("case_id") WHERE "deadlines"."provisional" and "deadlines"."status" in ('pending', 'paused');--> statement-breakpoint
CREATE INDEX "deadlines_started" ON "deadlines" USING btree ("started_at","case_id","org_id","status","step");--> statement-breakpoint
CREATE INDEX "deadlines_closed" ON "deadlines" USING btree ("closed_at","org_id","status","step","started_at","case_id");