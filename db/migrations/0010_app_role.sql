-- The role the API and worker processes run as (issue 12, deployment): it owns nothing, may read
-- and write the tables it needs, and may only append to case_events (no UPDATE, no DELETE), so the
-- record stays whole even if the app is compromised. Migrations run as the owner. It is a group
-- role without login: a deployment creates its login role `IN ROLE grievance_app` with a password
-- (docker-compose's one-shot migrate service does so, db/migrate-cli.ts). Roles are cluster-wide: create it once.
DO $$ BEGIN
  CREATE ROLE grievance_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO grievance_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO grievance_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO grievance_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON case_events FROM grievance_app;
--> statement-breakpoint
-- Tables added by later migrations (run by the same owner) get the same grants; a migration that
-- adds an append-only table revokes UPDATE/DELETE on it as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO grievance_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO grievance_app;
--> statement-breakpoint
-- The migration bookkeeping: the app may read it (a start-up that finds nothing to apply), not change it.
GRANT USAGE ON SCHEMA drizzle TO grievance_app;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO grievance_app;
