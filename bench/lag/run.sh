#!/usr/bin/env bash
# Write-path throughput and projection lag (docs/benchmarks.md, "Write path and projection lag").
#
#   bench/lag/run.sh [phases] [concurrency] [seconds] [rate]
#     phases: comma-separated, from gateway, rest, lag, lag2, lag2-nolisten (default gateway,rest,lag,lag2)
#
# Each phase runs on its own fresh database apim_lag_* (created and dropped on APIM_BENCH_DB_URL, default the local
# PostgreSQL), management port 21443/21444, gateway 21280/21281, and a broadcast key of its own in Redis. It needs
# nothing but the build: the nodes run in this JVM (WritePathBenchmark, in the launcher's test sources).
# The gateway phase also prints CPU per command (JVM by thread, PostgreSQL from /proc) and creates/updates apart.
#   APIM_BENCH_WARMUP=20   warm-up seconds of the gateway phase (default 10; JIT needs longer on a busy machine)
#   APIM_BENCH_SQL_LOG=/var/log/postgresql/postgresql-15-main.log   count SQL statements per command (local server;
#                          the database gets log_statement=all; slows everything: counts only, not rates)
set -euo pipefail
cd "$(dirname "$0")/../.."
PHASES=${1:-gateway,rest,lag,lag2}
CONCURRENCY=${2:-16}
SECONDS_PER_PHASE=${3:-15}
RATE=${4:-200}
CP_FILE=infra/launcher/target/bench-classpath.txt
./mvnw -o -B -ntp -q -pl infra/launcher -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="infra/launcher/target/test-classes:infra/launcher/target/classes:$(cat "$CP_FILE")"
# reactor modules resolve to their target/classes in the same build
for m in domain event-store infra/platform command-side query-side sagas gateway-edge; do CP="$CP:$m/target/classes"; done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
exec java -Xms512m -Xmx1g -cp "$CP" dev.apim.launcher.bench.WritePathBenchmark "$PHASES" "$CONCURRENCY" \
  "$SECONDS_PER_PHASE" "$RATE"
