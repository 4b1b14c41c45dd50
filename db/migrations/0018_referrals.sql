-- Referrals (矛盾调解): a mediation unit's services, the referral clock in the step checks, and its default policy.
ALTER TABLE "deadlines" DROP CONSTRAINT "deadlines_step_known";--> statement-breakpoint
ALTER TABLE "sla_policies" DROP CONSTRAINT "sla_policies_step_known";--> statement-breakpoint
ALTER TABLE "orgs" ADD COLUMN "services" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_step_known" CHECK ("deadlines"."step" in ('l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'supervision', 'pause_limit', 'human_review', 'contribute', 'referral'));--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_step_known" CHECK ("sla_policies"."step" in ('l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'human_review', 'contribute', 'referral', 'supervision_min'));--> statement-breakpoint
-- The referral clock's default (API.md: 15 working days), where the defaults of 0012 were seeded and nobody has set one.
INSERT INTO "sla_policies" ("step", "category", "urgency", "amount", "unit", "max_pause_amount", "max_pause_unit")
SELECT 'referral', NULL, NULL, 15, 'working_days', NULL, NULL
WHERE EXISTS (SELECT 1 FROM "sla_policies" WHERE "step" = 'l1_forward' AND "category" IS NULL AND "urgency" IS NULL)
  AND NOT EXISTS (SELECT 1 FROM "sla_policies" WHERE "step" = 'referral');
