CREATE TABLE "open311_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"branch_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "submission_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submission_attachments_storage_key_unique" UNIQUE("storage_key")
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_code_hash" text NOT NULL,
	"branch_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"source" text DEFAULT 'public' NOT NULL,
	"description" text NOT NULL,
	"category" text,
	"phone" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"worker_type" text,
	"platform" text,
	"area" text,
	"due_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone NOT NULL,
	"warned_at" timestamp with time zone,
	"missed_at" timestamp with time zone,
	"case_id" uuid,
	"open311_key_id" uuid,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "submissions_tracking_code_hash_unique" UNIQUE("tracking_code_hash"),
	CONSTRAINT "submissions_open311_key" CHECK (("submissions"."source" = 'open311') = ("submissions"."open311_key_id" is not null)),
	CONSTRAINT "submissions_kind_known" CHECK ("submissions"."kind" in ('grievance', 'suggestion')),
	CONSTRAINT "submissions_state_known" CHECK ("submissions"."state" in ('waiting', 'registered', 'declined', 'forwarded')),
	CONSTRAINT "submissions_source_known" CHECK ("submissions"."source" in ('public', 'open311')),
	CONSTRAINT "submissions_registered_case" CHECK (("submissions"."state" = 'registered') = ("submissions"."case_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "sla_policies" DROP CONSTRAINT "sla_policies_step_known";--> statement-breakpoint
ALTER TABLE "open311_keys" ADD CONSTRAINT "open311_keys_branch_id_orgs_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_attachments" ADD CONSTRAINT "submission_attachments_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_branch_id_orgs_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_open311_key_id_open311_keys_id_fk" FOREIGN KEY ("open311_key_id") REFERENCES "public"."open311_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_attachments_submission" ON "submission_attachments" USING btree ("submission_id","created_at");--> statement-breakpoint
CREATE INDEX "submissions_open311" ON "submissions" USING btree ("open311_key_id","created_at") WHERE "submissions"."open311_key_id" is not null;--> statement-breakpoint
CREATE INDEX "submissions_branch_waiting" ON "submissions" USING btree ("branch_id","created_at") WHERE "submissions"."state" = 'waiting';--> statement-breakpoint
CREATE INDEX "submissions_pending_due" ON "submissions" USING btree ("due_at") WHERE "submissions"."state" = 'waiting' and "submissions"."missed_at" is null;--> statement-breakpoint
CREATE INDEX "submissions_phone_kept" ON "submissions" USING btree ("decided_at") WHERE "submissions"."phone" is not null and "submissions"."state" in ('declined', 'forwarded');--> statement-breakpoint
CREATE INDEX "submissions_pending_warn" ON "submissions" USING btree ("warn_at") WHERE "submissions"."state" = 'waiting' and "submissions"."warned_at" is null;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_step_known" CHECK ("sla_policies"."step" in ('l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'human_review', 'contribute', 'referral', 'supervision_min', 'l0_verify'));--> statement-breakpoint
-- Hand-written: the l0_verify default (DOMAIN.md: a branch verifies a worker's submission within 1 working day), added
-- to a policy set that has catch-all policies but none for the new step; keep in step with DEFAULT_SLA_POLICIES.
-- New tables get the app role's grants from 0010_app_role's default privileges.
INSERT INTO "sla_policies" ("step", "amount", "unit")
SELECT 'l0_verify', 1, 'working_days'
WHERE EXISTS (SELECT 1 FROM "sla_policies") AND NOT EXISTS (SELECT 1 FROM "sla_policies" WHERE "step" = 'l0_verify');
