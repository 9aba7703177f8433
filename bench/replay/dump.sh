#!/usr/bin/env bash
# Prints every row of the read-model schemas (apimgtdb, shareddb) of database $1, table by table, each table's rows
# sorted, so that two replays of the same events can be compared with diff (bench/replay/run.sh with DUMP=file).
set -euo pipefail
db="$1"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
for t in $(psql -X -At -d "$db" -c "SELECT schemaname || '.' || tablename FROM pg_tables
    WHERE schemaname IN ('apimgtdb', 'shareddb') AND tablename NOT LIKE 'flyway%' ORDER BY 1"); do
  echo "== $t"
  psql -X -At -d "$db" -c "COPY (SELECT x::text FROM $t x ORDER BY 1) TO STDOUT"
done
