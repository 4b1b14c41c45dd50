CREATE TABLE "dormant_unit_flags" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"open_cases" integer NOT NULL,
	"last_acted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dormant_unit_flags_org_id_day_pk" PRIMARY KEY("org_id","day")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hotline_org_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hotline_order_no" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hotline_order_hash" text;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "default_branch_id" uuid;--> statement-breakpoint
ALTER TABLE "dormant_unit_flags" ADD CONSTRAINT "dormant_unit_flags_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_hotline_org_id_orgs_id_fk" FOREIGN KEY ("hotline_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orgs" ADD CONSTRAINT "orgs_default_branch_id_orgs_id_fk" FOREIGN KEY ("default_branch_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_events_actor_at" ON "case_events" USING btree ("actor_org_id","at") WHERE "case_events"."actor_org_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_hotline_order" ON "cases" USING btree ("hotline_org_id","hotline_order_no") WHERE "cases"."hotline_order_no" is not null;--> statement-breakpoint
CREATE INDEX "cases_open_holder" ON "cases" USING btree ("holder_org_id") WHERE "cases"."closed_at" is null;