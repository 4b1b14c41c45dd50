CREATE TABLE "meeting_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"every" text NOT NULL,
	"first_day" date NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_schedules_every_known" CHECK ("meeting_schedules"."every" in ('month'))
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "schedule_id" uuid;--> statement-breakpoint
ALTER TABLE "meeting_schedules" ADD CONSTRAINT "meeting_schedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_schedule_id_meeting_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."meeting_schedules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_schedule_period" ON "meetings" USING btree ("schedule_id","period_from");