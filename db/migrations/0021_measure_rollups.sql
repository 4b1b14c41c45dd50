CREATE TABLE "measure_days" (
	"day" date NOT NULL,
	"org_id" uuid NOT NULL,
	"dimension" text NOT NULL,
	"value" text,
	"received" integer DEFAULT 0 NOT NULL,
	"accepts_judged" integer DEFAULT 0 NOT NULL,
	"accepted_on_time" integer DEFAULT 0 NOT NULL,
	"rectifications" integer DEFAULT 0 NOT NULL,
	"rectified_on_time" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"overdue" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"feedback" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"solved_answered" integer DEFAULT 0 NOT NULL,
	"solved" integer DEFAULT 0 NOT NULL,
	"alg_reviews" integer DEFAULT 0 NOT NULL,
	"alg_reviewed_on_time" integer DEFAULT 0 NOT NULL,
	"referred" integer DEFAULT 0 NOT NULL,
	"referrals_answered" integer DEFAULT 0 NOT NULL,
	"referrals_settled" integer DEFAULT 0 NOT NULL,
	"handled" integer DEFAULT 0 NOT NULL,
	"handling_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "measure_days_key" UNIQUE NULLS NOT DISTINCT("dimension","day","org_id","value")
);
--> statement-breakpoint
-- Hand-written: the counters of the record written before this migration, recounted once from
-- case_events and deadlines as the writer counts them (src/metrics/measure-rollup.ts), under each
-- case's values now (the older record does not say what a case's category, platform or worker
-- type was at each event). The step lists are those of workflows/case-rules.ts at this migration.
INSERT INTO "measure_days" ("day", "org_id", "dimension", "value", "received", "accepts_judged", "accepted_on_time", "rectifications",
  "rectified_on_time", "resolved", "on_time", "overdue", "escalated", "reopened", "feedback", "satisfied", "solved_answered", "solved",
  "referred", "referrals_answered", "referrals_settled", "alg_reviews", "alg_reviewed_on_time", "handled", "handling_ms")
SELECT x.day, x.org_id, g.dimension, g.value,
  sum(CASE WHEN g.dimension = 'org' THEN x.arrival ELSE x.registered END), sum(x.judged), sum(x.judged_met), sum(x.orders), sum(x.orders_met),
  sum(CASE WHEN g.dimension = 'org' THEN x.resolved ELSE x.first_resolved END), sum(CASE WHEN g.dimension = 'org' THEN x.on_time ELSE x.first_on_time END),
  sum(x.missed), sum(x.escalated), sum(x.reopened), sum(x.feedback), sum(x.satisfied), sum(x.solved_answered), sum(x.solved),
  sum(x.referred), sum(x.answered), sum(x.settled), sum(x.reviews), sum(x.reviews_met), sum(x.handled), sum(x.handling_ms)
FROM (
  SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date AS day, CASE WHEN e.action = 'register' THEN e.holder_org_id ELSE e.to_org_id END AS org_id,
    e.case_id, 1 AS arrival, (e.action = 'register')::int AS registered,
    0 AS judged, 0 AS judged_met, 0 AS orders, 0 AS orders_met, 0 AS resolved, 0 AS on_time, 0 AS first_resolved, 0 AS first_on_time,
    0 AS missed, 0 AS escalated, 0 AS reopened, 0 AS feedback, 0 AS satisfied, 0 AS solved_answered, 0 AS solved,
    0 AS referred, 0 AS answered, 0 AS settled, 0 AS reviews, 0 AS reviews_met, 0 AS handled, 0::bigint AS handling_ms
  FROM "case_events" e
  WHERE e.action = 'register' OR (e.to_org_id IS NOT NULL AND e.action <> 'supervise')
  UNION ALL
  SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date,
    CASE WHEN e.action = 'resolve' THEN coalesce(e.resolved_by_org_id, e.actor_org_id)
      WHEN e.action = 'feedback' THEN e.resolved_by_org_id
      WHEN e.action = 'refer' THEN (e.data->>'toOrgId')::uuid
      ELSE (e.data->>'orgId')::uuid END,
    e.case_id, 0, 0, 0, 0, 0, 0,
    (e.action = 'resolve')::int, coalesce(r.on_time, 0),
    (e.action = 'resolve' AND r.first)::int, CASE WHEN r.first THEN r.on_time ELSE 0 END,
    0, 0,
    (e.action = 'feedback' AND e.rating IS NOT DISTINCT FROM 'dissatisfied')::int, (e.action = 'feedback')::int,
    (e.action = 'feedback' AND e.rating IN ('satisfied', 'basically_satisfied'))::int,
    (e.action = 'feedback' AND e.solved IS NOT NULL)::int, (e.action = 'feedback' AND e.solved IS NOT DISTINCT FROM 'yes')::int,
    (e.action = 'refer')::int, (e.action = 'refer_outcome')::int, (e.action = 'refer_outcome' AND e.data->>'outcome' = 'settled')::int,
    0, 0, 0, 0::bigint
  FROM "case_events" e
  LEFT JOIN LATERAL (
    SELECT EXISTS (SELECT 1 FROM "deadlines" d WHERE d.case_id = e.case_id AND d.closed_at = e.at AND d.status = 'met'
        AND d.org_id = coalesce(e.resolved_by_org_id, e.actor_org_id))::int AS on_time,
      NOT EXISTS (SELECT 1 FROM "case_events" p WHERE p.case_id = e.case_id AND p.action = 'resolve' AND p.seq < e.seq) AS first
  ) r ON e.action = 'resolve'
  WHERE e.action IN ('resolve', 'feedback', 'refer', 'refer_outcome')
  UNION ALL
  SELECT (d.closed_at AT TIME ZONE 'Asia/Shanghai')::date, d.org_id, d.case_id, 0, 0,
    (d.step IN ('l1_forward', 'l2_accept', 'l3_accept'))::int, (d.step IN ('l1_forward', 'l2_accept', 'l3_accept') AND d.status = 'met')::int,
    (d.step = 'supervision')::int, (d.step = 'supervision' AND d.status = 'met')::int,
    0, 0, 0, 0,
    (d.status = 'missed')::int, (d.status = 'missed' AND d.step NOT IN ('feedback', 'pause_limit'))::int,
    0, 0, 0, 0, 0, 0, 0, 0,
    (d.step = 'human_review')::int, (d.step = 'human_review' AND d.status = 'met')::int,
    1, (extract(epoch FROM d.closed_at - d.started_at) * 1000)::bigint
  FROM "deadlines" d WHERE d.status IN ('met', 'missed') AND d.closed_at IS NOT NULL
) x
JOIN "cases" c ON c.id = x.case_id
CROSS JOIN LATERAL (VALUES ('org', NULL), ('category', c.category), ('platform', c.platform), ('area', c.area),
  ('workerType', c.worker_type), ('channel', c.channel)) g(dimension, value)
WHERE x.org_id IS NOT NULL
GROUP BY 1, 2, 3, 4
HAVING sum(x.arrival) + sum(x.registered) + sum(x.judged) + sum(x.orders) + sum(x.resolved) + sum(x.missed) + sum(x.feedback)
  + sum(x.referred) + sum(x.answered) + sum(x.reviews) + sum(x.handled) > 0;
