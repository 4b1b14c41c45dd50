CREATE TABLE "case_cohandlers" (
	"case_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"contributed_at" timestamp with time zone,
	"opinion" text,
	CONSTRAINT "case_cohandlers_case_id_org_id_pk" PRIMARY KEY("case_id","org_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "platform" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ALTER COLUMN "default_department" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "subcategory" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "request_type" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "algorithm" jsonb;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "human_review" jsonb;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "territorial" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "retired" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_cohandlers" ADD CONSTRAINT "case_cohandlers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_cohandlers" ADD CONSTRAINT "case_cohandlers_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The catalogue as data (TAXONOMY.md): territorial categories, an order, and a code per sub-item
-- (the category code and its position, PAY01, PAY02, …).
UPDATE "categories" SET "territorial" = true WHERE "code" IN ('ACS', 'FAC', 'LIV');--> statement-breakpoint
UPDATE "categories" c SET "position" = p.n FROM (
  SELECT code, array_position(ARRAY['PAY','DED','ALG','ACC','HRS','INS','SAF','ACS','FAC','EMP','DSP','DEV','LIV','CON','SUG'], code) AS n FROM "categories"
) p WHERE p.code = c.code AND p.n IS NOT NULL;--> statement-breakpoint
UPDATE "categories" c SET "sub_items" = coalesce((
  SELECT jsonb_agg(jsonb_build_object('code', c.code || lpad(i.n::text, 2, '0'), 'zh', i.item->>'zh', 'en', i.item->>'en') ORDER BY i.n)
  FROM jsonb_array_elements(c.sub_items) WITH ORDINALITY AS i(item, n)
), '[]'::jsonb);
