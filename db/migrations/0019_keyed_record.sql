-- Keyed digests (record version 3): personal fields enter the hashed data only as HMAC digests;
-- their text is kept beside the chain in `texts`, the one column of an event that may change
-- (erased after retention). The rewrite of older events runs in code (db/migrate.ts) and is the
-- one other change the trigger lets through, in a transaction that says so.
ALTER TABLE "audit_anchors" ADD COLUMN "record_version" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_anchors" DROP CONSTRAINT "audit_anchors_pkey";--> statement-breakpoint
ALTER TABLE "audit_anchors" ADD CONSTRAINT "audit_anchors_record_version_day_pk" PRIMARY KEY("record_version","day");--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "texts" jsonb;--> statement-breakpoint
CREATE INDEX "case_events_at" ON "case_events" USING btree ("at","case_id","seq");--> statement-breakpoint
CREATE INDEX "case_events_before_keyed" ON "case_events" USING btree ("case_id") WHERE "case_events"."schema_version" < 3;--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_case_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'texts') = (to_jsonb(OLD) - 'texts') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
     AND (to_jsonb(NEW) - 'hash' - 'prev_hash') = (to_jsonb(OLD) - 'hash' - 'prev_hash') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND current_setting('grievance.record_migration', true) = 'keyed_digests' AND OLD.schema_version < 3 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
GRANT UPDATE ("texts") ON "case_events" TO grievance_app;
