#!/usr/bin/env bash
# Generates events into a PostgreSQL event store (schema event_store; migrated if missing) for the replay
# benchmark. Every argument goes to the generator; `bench/replay/generate.sh --help` lists them, e.g.
#
#   createdb -h 127.0.0.1 -U postgres apim_replay_bench
#   bench/replay/generate.sh --jdbc-url jdbc:postgresql://127.0.0.1:5432/apim_replay_bench --events 1000000
#
# SKIP_BUILD=1 uses the jar already in bench/replay/target.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f bench/replay/target/generate-events.jar ]; then
  ./mvnw -o -B -ntp -q -pl bench/replay -am package -DskipTests
fi
exec java -jar bench/replay/target/generate-events.jar "$@"
