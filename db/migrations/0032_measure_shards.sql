ALTER TABLE "measure_days" DROP CONSTRAINT "measure_days_key";--> statement-breakpoint
ALTER TABLE "measure_days" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "measure_days" ADD CONSTRAINT "measure_days_key" UNIQUE NULLS NOT DISTINCT("dimension","day","org_id","value","shard");