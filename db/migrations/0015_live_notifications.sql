CREATE TABLE "notification_reads" (
	"user_id" uuid NOT NULL,
	"notification_id" uuid NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_reads_user_id_notification_id_pk" PRIMARY KEY("user_id","notification_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"role" text,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_channels" (
	"org_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_channels_org_id_channel_pk" PRIMARY KEY("org_id","channel")
);
--> statement-breakpoint
ALTER TABLE "delivery_receivers" ADD COLUMN "channel" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "delivery_receivers" DROP CONSTRAINT "delivery_receivers_pkey";--> statement-breakpoint
ALTER TABLE "delivery_receivers" ADD CONSTRAINT "delivery_receivers_org_id_channel_pk" PRIMARY KEY("org_id","channel");--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "channel" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_channels" ADD CONSTRAINT "org_channels_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_org_created" ON "notifications" USING btree ("org_id","created_at","id");--> statement-breakpoint
CREATE INDEX "cases_open_due" ON "cases" USING btree (coalesce("due_at", 'infinity'::timestamptz),"id") WHERE "cases"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "cases_phone_last4" ON "cases" USING btree (right(regexp_replace("worker_phone", '[^0-9]', '', 'g'), 4)) WHERE "cases"."worker_phone" is not null;--> statement-breakpoint
-- Live updates (GET /api/v1/stream): a changed case and a new notification are announced with
-- pg_notify inside the writing transaction, so listeners on every replica hear of them only after
-- commit (and never of a rolled-back change). Payloads carry ids and states, never personal data.
CREATE FUNCTION live_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('grievance_live', json_build_object(
    'type', 'case', 'caseId', NEW.id, 'reference', NEW.reference, 'state', NEW.state, 'level', NEW.level,
    'holderOrgId', NEW.holder_org_id, 'version', NEW.version, 'at', NEW.updated_at)::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER cases_live AFTER INSERT OR UPDATE OF state, level, holder_org_id, version, overdue, supervised, due_at ON cases
  FOR EACH ROW EXECUTE FUNCTION live_case_changed();--> statement-breakpoint
CREATE FUNCTION live_notification_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('grievance_live', json_build_object(
    'type', 'notification', 'id', NEW.id, 'orgId', NEW.org_id, 'role', NEW.role, 'kind', NEW.kind, 'caseId', NEW.case_id,
    'reference', NEW.reference, 'title', NEW.title, 'createdAt', NEW.created_at)::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER notifications_live AFTER INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION live_notification_added();
