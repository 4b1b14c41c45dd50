#!/bin/sh
# Runs once, when the Postgres volume is first initialised (docker-entrypoint-initdb.d).
# The API and workers log in as grievance_api, a member of grievance_app: it owns nothing and
# may not UPDATE or DELETE case_events (the grants are in db/migrations, run as the owner).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v app_password="$APP_DB_PASSWORD" <<'SQL'
DO $$ BEGIN CREATE ROLE grievance_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE ROLE grievance_api LOGIN PASSWORD :'app_password' IN ROLE grievance_app;
SQL
