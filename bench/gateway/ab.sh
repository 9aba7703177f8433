#!/usr/bin/env bash
# A/B of two gateway builds on a shared, noisy machine: both all-in-one jars run side by side (each with its own
# embedded PostgreSQL and Redis, set up by setup-apim.sh like run.sh's (d)), and wrk alternates between them,
# A B A B ..., so that both see the same background load. Per run it prints the CPU µs per request of each JVM
# by thread group (from /proc/<pid>/task/*/stat: the gateway's reactor-http and redisson-netty threads apart from
# GC, JIT and the control plane), the request rate and latency; at the end the median of each figure per build.
#
#   bench/gateway/ab.sh A.jar B.jar
#
# Knobs (environment): ROUNDS=4, MODE=conc|rate (conc: CONNS=64 closed loop; rate: RATE requests/s over
# RATE_CONNS=32 with lua/paced.lua), DURATION=15s, WARMUP=40s (each JVM, c=64, twice alternating), THREADS=2,
# A_OPTS / B_OPTS (extra JVM options of each, e.g. -XX:+UseParallelGC), APIM_HEAP=1g,
# ports: A on 18443 (management) / 18280 (gateway), B on 18453 / 18290.
# Results: bench/gateway/work/ab/<time>.txt. Everything started is stopped on exit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$here/work"
A_JAR="$(realpath "${1:?A.jar}")"
B_JAR="$(realpath "${2:?B.jar}")"
ROUNDS="${ROUNDS:-4}"
MODE="${MODE:-conc}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-40s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
RATE="${RATE:-3000}"
RATE_CONNS="${RATE_CONNS:-32}"
APIM_HEAP="${APIM_HEAP:-1g}"
BACKEND_PORT=18081
export APIM_ADMIN_PASSWORD="${APIM_ADMIN_PASSWORD:-bench-admin-1}"   # the first start takes it as the admin password
mkdir -p "$work/logs" "$work/tmp" "$work/ab"
out="$work/ab/$(date +%Y%m%d-%H%M%S).txt"

pids=()
cleanup() {
  set +e
  [ -f "$work/logs/backend.pid" ] && nginx -c "$here/nginx/backend.conf" -p "$work/" -e logs/backend-error.log -s stop 2> /dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null; done
}
trap cleanup EXIT INT TERM
log() { echo "[$(date +%T)] $*" | tee -a "$out" >&2; }

. "$(dirname "$0")/proc.sh"   # thread_ticks

declare -A PID URL TOKEN
start() { # name jar mgmt_port gw_port opts
  local name="$1" jar="$2" mgmt="$3" gw="$4" opts="$5"
  rm -rf "$work/ab-$name"
  mkdir -p "$work/ab-$name"
  log "$name: $jar (-Xmx$APIM_HEAP $opts) management :$mgmt gateway :$gw"
  # shellcheck disable=SC2086
  (cd "$work/ab-$name" && exec java -Xms"$APIM_HEAP" -Xmx"$APIM_HEAP" $opts -jar "$jar" \
    --apim.management.port="$mgmt" --apim.gateway.http-port="$gw" --apim.gateway.https-port=-1 \
    --apim.gateway.token-issuer="https://localhost:$mgmt/oauth2/token") > "$work/logs/ab-$name.log" 2>&1 &
  pids+=($!)
  PID[$name]=$!
  local vars
  vars="$(APIM_URL="https://127.0.0.1:$mgmt" APIM_GATEWAY="http://127.0.0.1:$gw" \
    BACKEND_URL="http://127.0.0.1:$BACKEND_PORT" "$here/setup-apim.sh")"
  URL[$name]="$(sed -n 's/^APIM_GATEWAY_URL=//p' <<< "$vars")"
  TOKEN[$name]="$(eval "$(grep '^APIM_TOKEN=' <<< "$vars")"; echo "$APIM_TOKEN")"
}

wrk_run() { # name duration mode -> BENCH line
  local name="$1" duration="$2" mode="$3"
  if [ "$mode" = rate ]; then
    wrk -t"$THREADS" -c"$RATE_CONNS" -d"$duration" --timeout 5s -H "Authorization: Bearer ${TOKEN[$name]}" \
      -s "$here/lua/paced.lua" "${URL[$name]}" -- "$RATE" "$THREADS" | grep '^BENCH '
  else
    wrk -t"$THREADS" -c"$CONNS" -d"$duration" --timeout 5s -H "Authorization: Bearer ${TOKEN[$name]}" \
      -s "$here/lua/report.lua" "${URL[$name]}" | grep '^BENCH '
  fi
}

measure() { # name round
  local name="$1" round="$2" line requests
  thread_ticks "${PID[$name]}" > "$work/tmp/ab-before"
  line="$(wrk_run "$name" "$DURATION" "$MODE")"
  thread_ticks "${PID[$name]}" > "$work/tmp/ab-after"
  requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$line")
  awk -F'\t' -v n="$requests" -v who="$name" -v r="$round" -v line="$line" -v la="$(cut -d' ' -f1 /proc/loadavg)" '
    NR == FNR { a[$1] = $2; next }
    { d = $2 - a[$1]; total += d
      if ($1 ~ /^reactor-http/ || $1 ~ /^redisson-netty/ || $1 ~ /^apim-throttle/ || $1 == "parallel") gw += d
      else if ($1 ~ /GC|G1/) gc += d
      else if ($1 ~ /Compiler/) jit += d
      else other += d }
    END {
      k = split(line, f, " "); rps = f[2]; sub("rps=", "", rps); p99 = f[5]; sub("p99=", "", p99); p999 = f[6]; sub("p999=", "", p999)
      errors = 0; for (i = 1; i <= k; i++) if (f[i] ~ /^(connect|read|write|status|timeout)=/) { split(f[i], kv, "="); errors += kv[2] }
      printf "RESULT %s round=%s load=%s rps=%s p99_ms=%.2f p999_ms=%.2f errors=%d us_per_req total=%.1f gateway=%.1f gc=%.1f jit=%.1f other=%.1f\n",
        who, r, la, rps, p99 / 1000, p999 / 1000, errors, total * 10000 / n, gw * 10000 / n, gc * 10000 / n, jit * 10000 / n, other * 10000 / n }' \
    "$work/tmp/ab-before" "$work/tmp/ab-after" | tee -a "$out" >&2
}

log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); A=$A_JAR ${A_OPTS:-}; B=$B_JAR ${B_OPTS:-}; MODE=$MODE"
nginx -c "$here/nginx/backend.conf" -p "$work/" -e logs/backend-error.log
start A "$A_JAR" 18443 18280 "${A_OPTS:-}"
start B "$B_JAR" 18453 18290 "${B_OPTS:-}"
for i in 1 2; do
  for name in A B; do
    log "$name: warm-up $WARMUP ($i/2)"
    wrk_run "$name" "$WARMUP" conc > /dev/null
  done
done
for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    measure "$name" "$round"
  done
done
echo >> "$out"
for name in A B; do
  grep "^RESULT $name " "$out" | awk -v who="$name" '
    { for (i = 3; i <= NF; i++) if (split($i, kv, "=") == 2) { v[kv[1], NR] = kv[2]; keys[kv[1]] = 1 } }
    END { n = NR; printf "MEDIAN %s (%d runs):", who, n
      split("rps p99_ms p999_ms errors total gateway gc jit other", order, " ")
      for (k = 1; k <= 9; k++) { key = order[k]; m = 0
        for (i = 1; i <= n; i++) a[i] = v[key, i] + 0
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        printf " %s=%s", key, m }
      printf "\n" }' | tee -a "$out"
done
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); results in $out"
