CREATE TABLE "public_lookup_failures" (
	"case_id" uuid NOT NULL,
	"day" date NOT NULL,
	"failures" integer NOT NULL,
	CONSTRAINT "public_lookup_failures_case_id_day_pk" PRIMARY KEY("case_id","day")
);
--> statement-breakpoint
ALTER TABLE "public_lookup_failures" ADD CONSTRAINT "public_lookup_failures_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;