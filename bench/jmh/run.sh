#!/usr/bin/env bash
# Builds bench/jmh (and only the modules it needs) and runs the benchmarks with short but meaningful settings.
# Extra arguments go to JMH, e.g. `bench/jmh/run.sh -wi 5 -i 10 JwtBenchmark.verify`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -ntp -q -pl bench/jmh -am package -DskipTests
if [ "$#" -eq 0 ]; then
  set -- -wi 3 -w 2s -i 5 -r 3s -f 1
fi
exec java -jar bench/jmh/target/benchmarks.jar "$@"
