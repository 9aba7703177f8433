#!/usr/bin/env bash
# The PostgreSQL ceiling of the write path: command.sql (one CreateApplication + one UpdateApplication, statement for
# statement) with pgbench at several client counts, synchronous_commit as the server has it (on). Prints tps,
# commands/s (= 2 x tps) and the PostgreSQL CPU per command (the database's backends + the server's background
# processes, from /proc, sampled inside the run), next to the load average.
#
#   bench/lag/pgbench/run.sh [clients...]      (default 8 16 32; database writepath_pgb, created and dropped)
#   SCRIPT=other.sql bench/lag/pgbench/run.sh 16
set -euo pipefail
cd "$(dirname "$0")"
DB=${DB:-writepath_pgb}
SCRIPT=${SCRIPT:-command.sql}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-12}
CLIENTS=("${@:-8 16 32}")
PSQL=(psql -h 127.0.0.1 -U postgres -Atq)
ticks() {  # utime+stime of the database's backends and the server's own processes
  local total=0 pid f
  for pid in $("${PSQL[@]}" -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' OR backend_type <> 'client backend'"); do
    if [ -r /proc/$pid/stat ]; then
      f=$(sed 's/.*) //' /proc/$pid/stat); set -- $f; total=$((total + ${12} + ${13}))
    fi
  done
  echo $total
}
commits() { "${PSQL[@]}" -d postgres -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$DB'"; }
./setup.sh "$DB"
echo "server: synchronous_commit=$("${PSQL[@]}" -d postgres -c 'show synchronous_commit'), commit_delay=$("${PSQL[@]}" -d postgres -c 'show commit_delay'), fsync=$("${PSQL[@]}" -d postgres -c 'show fsync')"
for c in ${CLIENTS[@]}; do
  out=$(mktemp)
  pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$c" -j 2 -T "$SECONDS_PER_RUN" -f "$SCRIPT" "$DB" >"$out" 2>&1 &
  bench=$!
  sleep 2; t0=$(ticks); x0=$(commits); s0=$(date +%s.%N)
  sleep $((SECONDS_PER_RUN - 4)); t1=$(ticks); x1=$(commits); s1=$(date +%s.%N)
  wait $bench
  tps=$(grep -oP 'tps = \K[0-9.]+' "$out"); lat=$(grep -oP 'latency average = \K[0-9.]+' "$out")
  awk -v c="$c" -v tps="$tps" -v lat="$lat" -v t="$((t1 - t0))" -v x="$((x1 - x0))" -v s0="$s0" -v s1="$s1" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN { printf "clients %3d  tps %8.0f  commands/s %8.0f  latency avg %6.2f ms  PG CPU per command %5.0f us (%.2f cores)  load %s\n", c, tps, 2 * tps, lat, (x > 0 ? t * 10000 / x : 0), t / 100 / (s1 - s0), la }'
  rm -f "$out"
done
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB"
