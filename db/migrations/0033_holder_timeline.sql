ALTER TABLE "cases" ADD COLUMN "holder_timeline" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- The cases registered before: their timeline from the record, as the case writer keeps it (an entry each time the holder changed).
UPDATE "cases" c SET "holder_timeline" = t.timeline FROM (
  SELECT x.case_id, jsonb_agg(jsonb_build_object('level', x.level, 'orgId', x.holder_org_id,
    'at', to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY x.seq) AS timeline
  FROM (SELECT e.case_id, e.seq, e.level, e.holder_org_id, e.at,
      e.holder_org_id IS DISTINCT FROM lag(e.holder_org_id) OVER (PARTITION BY e.case_id ORDER BY e.seq) AS moved
    FROM case_events e WHERE e.holder_org_id IS NOT NULL) x
  WHERE x.moved GROUP BY x.case_id) t
WHERE t.case_id = c.id;
