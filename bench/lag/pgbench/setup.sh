#!/usr/bin/env bash
# Creates database $1 with the event store's schema (the event_store migrations, applied with psql in order) and
# one application throttling policy, for the command-shaped pgbench scripts beside this file.
set -euo pipefail
DB=$1
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"${PSQL[@]}" -d "$DB" -c "CREATE SCHEMA event_store"
for f in $(ls "$(dirname "$0")"/../../../event-store/src/main/resources/db/event_store/V*.sql | sort -V); do
  PGOPTIONS="-c search_path=event_store" "${PSQL[@]}" -d "$DB" -f "$f"
done
"${PSQL[@]}" -d "$DB" -c "INSERT INTO event_store.throttle_policy_claim VALUES
  ('carbon.super', 'APPLICATION', 'unlimited', 'Unlimited', 'p-unlimited', false)"
