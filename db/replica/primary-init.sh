#!/bin/sh
# Mounted into the primary's /docker-entrypoint-initdb.d (runs once, when its data folder is made):
# the login role the standby streams with, and the pg_hba.conf line that lets it in with its password.
set -e
psql -v ON_ERROR_STOP=1 -v password="$REPLICATION_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
create role replicator with replication login password :'password';
SQL
echo 'host replication replicator all scram-sha-256' >> "$PGDATA/pg_hba.conf"
