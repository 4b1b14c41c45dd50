#!/bin/sh
# The postgres-replica service's entrypoint (root, in the postgres image): an empty data folder is
# first made a streaming standby of the primary (pg_basebackup -R writes standby.signal and the
# primary_conninfo, with the password, into postgresql.auto.conf, readable by postgres only);
# then Postgres runs as the postgres user. A standby that was already made just starts. (A failed
# pg_basebackup empties the folder again; one killed half-way leaves it half-full: empty the volume.)
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
PRIMARY_HOST="${PRIMARY_HOST:-postgres}"
mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 0700 "$PGDATA"
if [ -z "$(ls -A "$PGDATA")" ]; then
  # The primary may still be making its first data folder (its role comes from primary-init.sh): try until it answers.
  until gosu postgres env PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
      -h "$PRIMARY_HOST" -p 5432 -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast; do
    echo "start-standby: the primary is not ready for a base backup yet; trying again in 5 s" >&2
    sleep 5
  done
fi
# hot_standby_feedback: long reads (exports) are not cancelled by the primary's vacuum.
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on
