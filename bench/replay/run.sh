#!/usr/bin/env bash
# Replay benchmark: a fresh database with EVENTS generated events, then the product (the launcher jar, role
# `publisher`, so the apimgtdb and shareddb tracking processors run and nothing else replays) started on it with
# empty read models; prints events/s and memory once both processors have caught up with the event store.
#
#   bench/replay/run.sh                  # build, 1,000,000 events, replay
#   REUSE=1 bench/replay/run.sh          # keep the generated events, empty the read models and tokens, replay again
#
# Settings (environment): EVENTS (1000000), DB (apim_replay_bench), PGHOST (127.0.0.1), PGPORT (5432), PGUSER
# (postgres, trust auth), REDIS_URL (redis://127.0.0.1:6379/5), PORT (22443, management listener), HEAP (1g),
# SKIP_BUILD=1, REUSE=1, DUMP=file (after the run, every read-model row into file, for diff), JAVA_OPTS (extra JVM options), APIM_ARGS (extra launcher arguments, e.g.
# --axon.eventhandling.processors.apimgtdb.batch-size=100 to compare settings).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

EVENTS="${EVENTS:-1000000}"
DB="${DB:-apim_replay_bench}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/5}"
PORT="${PORT:-22443}"
HEAP="${HEAP:-1g}"
MAX_SECONDS="${MAX_SECONDS:-0}"

case "$EVENTS" in ''|*[!0-9]*) echo "EVENTS must be a positive integer" >&2; exit 2;; esac
case "$DB" in apim_replay*|replay2_*) ;; *) echo "DB must start with apim_replay or replay2_ (it is dropped and recreated)" >&2; exit 2;; esac
case "$PORT" in ''|*[!0-9]*) echo "PORT must be a number" >&2; exit 2;; esac
case "$MAX_SECONDS" in ''|*[!0-9]*) echo "MAX_SECONDS must be a number of seconds (0: until caught up)" >&2; exit 2;; esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # A stale repackaged jar is not always replaced: build it anew.
  rm -f infra/launcher/target/apim.jar infra/launcher/target/apim.jar.original
  ./mvnw -o -B -ntp -q -pl bench/replay,infra/launcher -am package -DskipTests
fi
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -At "$@"; }

if [ "${REUSE:-0}" = 1 ]; then
  echo "== reusing the events in $DB; emptying the read models and the projection tokens"
  psql_db -c "DROP SCHEMA IF EXISTS apimgtdb CASCADE" -c "DROP SCHEMA IF EXISTS shareddb CASCADE" \
    -c "DELETE FROM event_store.token_entry WHERE processor_name IN ('apimgtdb', 'shareddb')" \
    -c "DELETE FROM event_store.dead_letter_entry"
else
  echo "== fresh database $DB, generating $EVENTS events"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  SKIP_BUILD=1 bench/replay/generate.sh --jdbc-url "jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    --user "$PGUSER" --events "$EVENTS"
fi
psql_db -c "VACUUM ANALYZE event_store.domain_event_entry"

data="$(mktemp -d /tmp/apim-replay.XXXXXX)"
log="$data/apim.log"
echo "== replaying (log: $log)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
# shellcheck disable=SC2086
APIM_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" APIM_DB_USERNAME="$PGUSER" APIM_REDIS_URL="$REDIS_URL" \
APIM_ROLES=publisher APIM_DATA_DIR="$data" APIM_ADMIN_PASSWORD=replay-bench-1 \
  java -Xms"$HEAP" -Xmx"$HEAP" ${JAVA_OPTS:-} -jar infra/launcher/target/apim.jar \
  --apim.management.port="$PORT" ${APIM_ARGS:-} >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT

# Tokens are gap-aware tokens ({"index": N, ...}), wrapped in a replay token ({"currentToken": {...}, ...}) until the
# processor passes the head it saw at start; the replay is done when both reach the store's head.
positions() {
  local at="coalesce(token::jsonb->'currentToken'->>'index', token::jsonb->>'index')::bigint"
  psql_db -F' ' -c "SELECT coalesce(min($at) FILTER (WHERE processor_name = 'apimgtdb'), -1),
    coalesce(min($at) FILTER (WHERE processor_name = 'shareddb'), -1),
    (SELECT max(global_index) FROM event_store.domain_event_entry)
    FROM event_store.token_entry WHERE processor_name IN ('apimgtdb', 'shareddb') AND token IS NOT NULL"
}
# CPU (utime+stime, clock ticks) of the JVM and of the PostgreSQL backends connected to $DB, so that a figure per
# event can be compared on a loaded machine: "pid ticks" lines.
cpu_snapshot() {
  local p
  for p in $pid $(psql_db -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB'" 2>/dev/null); do
    if [ -r /proc/$p/stat ]; then awk -v p=$p '{sub(/^.*\) /, ""); print p, $12 + $13}' /proc/$p/stat || true; fi
  done
  return 0
}
rss_max=0 heap_max=0 first="" first_at="" t_end="" partial=0
while kill -0 $pid 2>/dev/null; do
  sleep 1
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$rss_max" ] && rss_max=$rss
  heap=$(jstat -gc $pid 2>/dev/null | awk 'NR==2 {printf "%d", $3+$4+$6+$8}' || true)
  [ -n "$heap" ] && [ "$heap" -gt "$heap_max" ] && heap_max=$heap
  read -r a s head < <(positions) || continue
  now=$(date +%s.%N)
  low=$(( a < s ? a : s ))
  if [ -z "$first" ] && [ "$a" -gt 0 ] && [ "$s" -gt 0 ]; then first=$low first_at=$now a0=$a s0=$s; cpu0="$(cpu_snapshot)"; fi
  printf '\r  apimgtdb %10s  shareddb %10s  head %10s  rss %6d MiB' "$a" "$s" "$head" $((rss / 1024))
  if [ -n "$first" ] && [ "$low" -ge "$head" ]; then t_end=$now reached=$low; break; fi
  # A time-boxed run (MAX_SECONDS after the first commits) reports the rate so far instead.
  if [ -n "$first" ] && [ "$MAX_SECONDS" -gt 0 ] && awk -v a="$now" -v b="$first_at" -v m="$MAX_SECONDS" 'BEGIN {exit !(a - b >= m)}'; then
    t_end=$now partial=1 reached=$low; break
  fi
done
echo
if [ -z "$t_end" ]; then
  echo "the node stopped before the replay finished; see $log" >&2
  tail -20 "$log" >&2
  exit 1
fi
cpu1="$(cpu_snapshot)"
heap_info="$(jcmd $pid GC.heap_info 2>/dev/null | head -3 || true)"
# CPU seconds between the first commits and the end: the JVM's, and the sum over the database's backends (a backend
# that did not exist at the start counts from zero).
read -r jvm_cpu pg_cpu < <(awk -v jvm=$pid -v hz="$(getconf CLK_TCK)" 'NR == FNR {t0[$1] = $2; next}
  {d = $2 - ($1 in t0 ? t0[$1] : 0); if ($1 == jvm) j += d; else g += d}
  END {printf "%.2f %.2f\n", j / hz, g / hz}' <(echo "$cpu0") <(echo "$cpu1"))
letters=$(psql_db -c "SELECT count(*) FROM event_store.dead_letter_entry")
kill $pid; wait $pid 2>/dev/null || true
trap - EXIT
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

awk -v n="$((reached - first))" -v t0="$first_at" -v t1="$t_end" -v s="$start" -v head="$head" \
    -v rss="$rss_max" -v heap="$heap_max" -v xmx="$HEAP" -v lb="$load_before" -v la="$load_after" \
    -v letters="$letters" -v partial="$partial" -v jcpu="$jvm_cpu" -v pcpu="$pg_cpu" -v da="$((a - a0))" -v ds="$((s - s0))" 'BEGIN {
  if (partial) printf "\nPARTIAL: stopped after MAX_SECONDS; figures are for the events replayed so far\n"
  printf "\n| what | figure |\n|---|---|\n"
  printf "| events in the store (head index) | %d |\n", head
  printf "| replayed after the first token commits (both processors) | %d events in %.1f s |\n", n, t1 - t0
  printf "| replay rate, both read models | %.0f events/s |\n", n / (t1 - t0)
  printf "| wall time from JVM start to %s | %.1f s (%.0f events/s) |\n", partial ? "the stop" : "caught up", t1 - s, n / (t1 - s)
  printf "| per processor: apimgtdb / shareddb | %.0f / %.0f events/s |\n", da / (t1 - t0), ds / (t1 - t0)
  printf "| heap used, max of 1 s samples / -Xmx | %d MiB / %s |\n", heap / 1024, xmx
  printf "| RSS, max of 1 s samples | %d MiB |\n", rss / 1024
  printf "| dead letters | %d |\n", letters
  printf "| CPU per event (apimgtdb events): JVM / PostgreSQL backends | %.1f / %.1f us (%.1f s / %.1f s) |\n", jcpu * 1e6 / da, pcpu * 1e6 / da, jcpu, pcpu
  printf "| load average before / after | %s / %s |\n", lb, la
}'
echo "$heap_info"
if [ -n "${DUMP:-}" ]; then bench/replay/dump.sh "$DB" >"$DUMP"; echo "read models dumped to $DUMP"; fi
rm -rf "$data"
