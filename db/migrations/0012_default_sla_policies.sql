-- DOMAIN.md's illustrative SLA defaults, only on an empty policy table (a new database): a
-- grievance is never refused for a missing policy. Keep in step with DEFAULT_SLA_POLICIES
-- (src/deadlines/sla-policies.ts), which also covers a step that has no policy at all.
INSERT INTO "sla_policies" ("step", "category", "urgency", "amount", "unit", "max_pause_amount", "max_pause_unit")
SELECT v.step, NULL, v.urgency, v.amount, v.unit, v.max_pause_amount, v.max_pause_unit
FROM (VALUES
  ('l1_forward', NULL, 1, 'working_days', 5, 'working_days'),
  ('l2_accept', NULL, 1, 'working_days', 5, 'working_days'),
  ('l2_resolve', NULL, 5, 'working_days', 5, 'working_days'),
  ('l3_accept', NULL, 2, 'working_days', 5, 'working_days'),
  ('l3_resolve', NULL, 10, 'working_days', 5, 'working_days'),
  ('feedback', NULL, 3, 'working_days', 5, 'working_days'),
  ('supervision_min', NULL, 1, 'working_hours', NULL, NULL),
  ('human_review', NULL, 2, 'working_days', 5, 'working_days'),
  ('contribute', NULL, 5, 'working_days', 5, 'working_days'),
  ('l1_forward', 'urgent', 4, 'hours', NULL, NULL),
  ('l2_accept', 'urgent', 4, 'hours', NULL, NULL),
  ('l2_resolve', 'urgent', 24, 'hours', NULL, NULL),
  ('l3_accept', 'urgent', 4, 'hours', NULL, NULL),
  ('l3_resolve', 'urgent', 24, 'hours', NULL, NULL),
  ('l1_forward', 'critical', 2, 'hours', NULL, NULL),
  ('l2_accept', 'critical', 2, 'hours', NULL, NULL),
  ('l2_resolve', 'critical', 2, 'hours', NULL, NULL),
  ('l3_accept', 'critical', 2, 'hours', NULL, NULL),
  ('l3_resolve', 'critical', 2, 'hours', NULL, NULL)
) AS v(step, urgency, amount, unit, max_pause_amount, max_pause_unit)
WHERE NOT EXISTS (SELECT 1 FROM "sla_policies");
