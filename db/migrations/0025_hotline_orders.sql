ALTER TABLE "cases" ADD COLUMN "hotline_org_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hotline_order_no" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "hotline_order_hash" text;--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "default_branch_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_hotline_org_id_orgs_id_fk" FOREIGN KEY ("hotline_org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orgs" ADD CONSTRAINT "orgs_default_branch_id_orgs_id_fk" FOREIGN KEY ("default_branch_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_hotline_order" ON "cases" USING btree ("hotline_org_id","hotline_order_no") WHERE "cases"."hotline_order_no" is not null;