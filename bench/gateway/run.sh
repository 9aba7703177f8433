#!/usr/bin/env bash
# Gateway comparison (issue 5, "Benchmark"): one command measures, on this machine and in one run,
#   (a) the backend directly          nginx `return 200` with a small JSON body        127.0.0.1:18081
#   (b) nginx as a reverse proxy      proxy_pass + keepalive upstream                  127.0.0.1:18082
#   (c) Spring Cloud Gateway          JWT resource server (RS256/JWKS) + RedisRateLimiter by azp   :18083
#   (d) our gateway (gateway-edge)    JWT + subscription + application/subscription/API counters   :8280
# each at a fixed concurrency (closed loop) and at a fixed rate, with wrk (Debian), and prints a table.
#
#   bench/gateway/run.sh                       (a) (b) (c); (d) is skipped unless set up as below
#   APIM_START=1 bench/gateway/run.sh          also starts infra/launcher/target/apim.jar, runs
#                                              setup-apim.sh (publish, subscribe, token) and measures (d)
#   APIM_START=1 APIM_SPLIT=1 bench/gateway/run.sh
#                                              (d) as deployed: a control-plane JVM (publisher, devportal,
#                                              keymanager, trafficmanager) and a gateway-only JVM
#                                              (apim.roles=gateway) that syncs from it; (d) = the gateway JVM
#                                              on the local PostgreSQL (fresh database apim_gw_split) and Redis,
#                                              or APIM_SPLIT_DB_URL / APIM_SPLIT_REDIS_URL (+ APIM_SPLIT_REDIS_DB, the
#                                              Redis database number): split nodes need shared ones
#   APIM_GATEWAY_URL=http://127.0.0.1:8280/bench/1.0.0/echo APIM_TOKEN=eyJ... bench/gateway/run.sh
#                                              measures (d) against a gateway that is already running
#
# Knobs (environment): TARGETS="a b c d", THREADS=2, CONNS=64, DURATION=20s, WARMUP=60s (JVM targets;
# nginx gets 3s), RATE=<requests/s> (default: half of (d)'s fixed-concurrency throughput, or without (d)
# half of the slowest target's, so every target can hold it), RATE_CONNS=32, SCG_HEAP=512m, APIM_HEAP=1g,
# APIM_MGMT_PORT=9443, APIM_GATEWAY_PORT=8280, APIM_JAVA_OPTS (extra JVM options of the gateway JVM, e.g.
# -XX:StartFlightRecording=...) and APIM_ARGS (extra --key=value arguments of the jar) with APIM_START=1;
# (to both JVMs with APIM_SPLIT=1); APIM_JAR (default infra/launcher/target/apim.jar); APIM_SPLIT=1 with
# GATEWAY_HEAP=512m, APIM_GATEWAY_MGMT_PORT=(APIM_MGMT_PORT+1); PROFILE=1 (JFR over each measured (d) run,
# summarised by jfr-summary.py next to the .jfr in work/results); PIN=1 (wrk on CPU 1, the servers wherever
# the OS puts them: see docs/benchmarks.md), REDIS_URL. (d)'s rows carry the CPU µs per request of its JVM, and the
# log shows it by thread group (gateway threads apart from GC, JIT and the control plane; with APIM_SPLIT=1 also the
# control-plane JVM's). APIM_SPLIT=1 needs a longer WARMUP (120s): the gateway-only JVM starts with nothing compiled.
# Two builds A/B on a busy machine: bench/gateway/ab.sh (alternating runs, same load for both).
# Needs: wrk, nginx (apt-get install -y wrk nginx), java 17+, curl, jq (for (d)'s setup), a Redis.
# Everything it starts is stopped on exit; state, logs and results are under bench/gateway/work/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
TARGETS="${TARGETS:-a b c d}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-60s}"
RATE="${RATE:-}"
RATE_CONNS="${RATE_CONNS:-32}"
SCG_HEAP="${SCG_HEAP:-512m}"
APIM_HEAP="${APIM_HEAP:-1g}"
GATEWAY_HEAP="${GATEWAY_HEAP:-512m}"
APIM_SPLIT="${APIM_SPLIT:-0}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
PIN="${PIN:-0}"

BACKEND_PORT=18081 PROXY_PORT=18082 SCG_PORT=18083 JWKS_PORT=18089
ISSUER="https://localhost:9443/oauth2/token"

for tool in wrk nginx java curl; do
  command -v "$tool" > /dev/null || { echo "missing $tool (apt-get install -y wrk nginx)" >&2; exit 1; }
done
mkdir -p "$work/logs" "$work/tmp" "$work/jwks" "$work/results"

pids=()
cleanup() {
  set +e
  for conf in backend proxy; do
    if [ -f "$work/logs/$conf.pid" ]; then
      nginx -c "$here/nginx/$conf.conf" -p "$work/" -e "logs/$conf-error.log" -s stop 2> /dev/null
    fi
  done
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null && wait "$pid" 2> /dev/null
  done
}
trap cleanup EXIT INT TERM

log() { echo "[$(date +%T)] $*" >&2; }

wait_http() { # url [header] -> waits (up to 120 s) for a 200
  local url="$1" header="${2:-X-Bench: 1}"
  for _ in $(seq 1 240); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$url")" = 200 ] && return 0
    sleep 0.5
  done
  echo "no 200 from $url" >&2
  return 1
}

wrk_cmd() { if [ "$PIN" = 1 ]; then echo "taskset -c 1 wrk"; else echo "wrk"; fi; }

# --- (a) backend and JWKS, (b) proxy ---------------------------------------------------------------
start_nginx() {
  log "nginx: backend :$BACKEND_PORT (+ JWKS :$JWKS_PORT), proxy :$PROXY_PORT"
  nginx -c "$here/nginx/backend.conf" -p "$work/" -e logs/backend-error.log
  nginx -c "$here/nginx/proxy.conf" -p "$work/" -e logs/proxy-error.log
  wait_http "http://127.0.0.1:$BACKEND_PORT/echo"
  wait_http "http://127.0.0.1:$PROXY_PORT/echo"
}

# --- (c) Spring Cloud Gateway ----------------------------------------------------------------------
scg_jar="$here/scg/target/bench-scg.jar"
build_scg() {
  if [ ! -f "$scg_jar" ] || [ -n "$(find "$here/scg/src" "$here/scg/pom.xml" -newer "$scg_jar" -print -quit)" ]; then
    log "building bench/gateway/scg"
    "$root/mvnw" -B -ntp -q -f "$here/scg/pom.xml" package -DskipTests
  fi
}
mint_token() {
  # A new RSA key, JWKS (served by the backend nginx) and a 30-day RS256 token with WSO2's claims.
  java -jar "$scg_jar" mint "$work/jwks" "$ISSUER" >&2
  chmod -R a+rX "$work/jwks"
  SCG_TOKEN="$(cat "$work/jwks/token.jwt")"
}
start_scg() {
  log "Spring Cloud Gateway :$SCG_PORT (-Xmx$SCG_HEAP)"
  java -Xms"$SCG_HEAP" -Xmx"$SCG_HEAP" -jar "$scg_jar" \
    --server.port="$SCG_PORT" \
    --spring.data.redis.url="$REDIS_URL" \
    --bench.backend-uri="http://127.0.0.1:$BACKEND_PORT" \
    --bench.jwt.jwk-set-uri="http://127.0.0.1:$JWKS_PORT/jwks.json" \
    --bench.jwt.issuer="$ISSUER" \
    > "$work/logs/scg.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$SCG_PORT/bench/echo" "Authorization: Bearer $SCG_TOKEN"
}

# --- (d) our gateway -------------------------------------------------------------------------------
# Either APIM_GATEWAY_URL + APIM_TOKEN point at a running gateway with the API deployed, or APIM_START=1
# starts the all-in-one jar (its own data directory under work/) and runs setup-apim.sh, which prints
# the two variables.
start_apim() {
  local jar="${APIM_JAR:-$root/infra/launcher/target/apim.jar}"
  [ -f "$jar" ] || { echo "no $jar: ./mvnw -B -ntp -DskipTests package" >&2; return 1; }
  export APIM_ADMIN_PASSWORD="${APIM_ADMIN_PASSWORD:-bench-admin-1}"
  rm -rf "$work/apim" "$work/apim-gw"   # fresh nodes (embedded PostgreSQL and Redis) each run: the setup's names are fixed
  mkdir -p "$work/apim"
  local mgmt_port="${APIM_MGMT_PORT:-9443}" gw_port="${APIM_GATEWAY_PORT:-8280}"
  local gw_mgmt_port="${APIM_GATEWAY_MGMT_PORT:-$((mgmt_port + 1))}"
  # The Key Manager's issuer names its management port: the gateway must expect the same.
  local -a java_opts=() common=(--apim.gateway.https-port=-1
    --apim.gateway.token-issuer="https://localhost:$mgmt_port/oauth2/token")
  # shellcheck disable=SC2206 # APIM_JAVA_OPTS: extra JVM options, split on spaces
  java_opts=(${APIM_JAVA_OPTS:-})
  if [ "$APIM_SPLIT" = 1 ]; then
    # The realistic deployment: the control plane in one JVM, the gateway alone in another (its state from the
    # control plane's internal endpoints and the Redis stream, the JWKS from its Key Manager, the same Redis).
    local internal_key="bench-internal-key-$(date +%s)-0123456789"
    common+=(--apim.internal.key="$internal_key")
    # A node that does not run every role refuses embedded servers (ClusterSettingsCheck): both JVMs share an
    # external PostgreSQL (a fresh database each run) and Redis, the local ones unless APIM_SPLIT_DB_URL /
    # APIM_SPLIT_REDIS_URL name others.
    local split_db="${APIM_SPLIT_DB_URL:-}" redis_uri="${APIM_SPLIT_REDIS_URL:-redis://127.0.0.1:6379}"
    if [ -z "$split_db" ]; then
      psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS apim_gw_split WITH (FORCE)" \
        -c "CREATE DATABASE apim_gw_split" > /dev/null
      split_db="jdbc:postgresql://127.0.0.1:5432/apim_gw_split?user=postgres"
    fi
    # The database number goes in apim.redis.database (Redisson ignores a /<n> path in the URL).
    common+=(--apim.db.url="$split_db" --apim.redis.url="$redis_uri" --apim.redis.database="${APIM_SPLIT_REDIS_DB:-0}"
      --apim.broadcast.key="apim:broadcast:{gw-split-$(date +%s)}"
      --apim.keymanager.master-key="bench-master-key-0123456789abcdef")
    log "apim.jar control plane (publisher, devportal, keymanager, trafficmanager; -Xmx$APIM_HEAP, data in work/apim)"
    # shellcheck disable=SC2086 # APIM_ARGS: extra Spring arguments, split on spaces
    (cd "$work/apim" && exec java -Xms"$APIM_HEAP" -Xmx"$APIM_HEAP" -jar "$jar" \
      --apim.roles=publisher,devportal,keymanager,trafficmanager --apim.management.port="$mgmt_port" \
      "${common[@]}" ${APIM_ARGS:-}) > "$work/logs/apim.log" 2>&1 &
    pids+=($!)
    CONTROL_PID=$!
    # The gateway JVM needs the control plane's certificate (for its JWKS and internal endpoints).
    for _ in $(seq 1 240); do
      [ -f "$work/apim/data/tls/management.p12" ] && break
      sleep 0.5
    done
    [ -f "$work/apim/data/tls/management.p12" ] || { echo "control plane did not start (see $work/logs/apim.log)" >&2; return 1; }
    mkdir -p "$work/apim-gw"
    log "apim.jar gateway only (-Xmx$GATEWAY_HEAP, Redis $redis_uri, gateway :$gw_port)"
    # shellcheck disable=SC2086
    (cd "$work/apim-gw" && exec java -Xms"$GATEWAY_HEAP" -Xmx"$GATEWAY_HEAP" "${java_opts[@]}" -jar "$jar" \
      --apim.roles=gateway --apim.management.port="$gw_mgmt_port" --apim.gateway.http-port="$gw_port" \
      "${common[@]}" \
      --apim.gateway.sync.internal-url="https://localhost:$mgmt_port" --apim.gateway.sync.trust-all=true \
      --apim.gateway.jwks-url="https://localhost:$mgmt_port/oauth2/jwks" \
      --apim.gateway.jwks-trust-store="$work/apim/data/tls/management.p12" ${APIM_ARGS:-}) \
      > "$work/logs/apim-gateway.log" 2>&1 &
    pids+=($!)
    APIM_PID=$!
  else
    log "apim.jar (all-in-one, -Xmx$APIM_HEAP, data in work/apim)"
    # shellcheck disable=SC2086 # APIM_ARGS: extra Spring arguments, split on spaces
    (cd "$work/apim" && exec java -Xms"$APIM_HEAP" -Xmx"$APIM_HEAP" "${java_opts[@]}" -jar "$jar" \
      --apim.management.port="$mgmt_port" --apim.gateway.http-port="$gw_port" "${common[@]}" ${APIM_ARGS:-}) \
      > "$work/logs/apim.log" 2>&1 &
    pids+=($!)
    APIM_PID=$!
  fi
  local out
  out="$(APIM_URL="https://127.0.0.1:$mgmt_port" APIM_GATEWAY="http://127.0.0.1:$gw_port" \
    BACKEND_URL="http://127.0.0.1:$BACKEND_PORT" "$here/setup-apim.sh")"
  eval "$out" # APIM_GATEWAY_URL=... APIM_TOKEN=...
}

# --- measuring -------------------------------------------------------------------------------------
declare -A URL HDR NAME MAXRPS
CONTROL_PID=""             # APIM_SPLIT=1: the control-plane JVM
APIM_PID="${APIM_PID:-}"   # the (d) JVM when this script started it: CPU per request is read from /proc
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0; }
. "$(dirname "$0")/proc.sh"   # thread_ticks
# The CPU µs per request of each thread group between two thread_ticks snapshots (files), largest first.
thread_cpu_report() { # before after requests
  awk -F'\t' -v n="$3" 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0 && n > 0) printf "%7.1f  %s\n", d * 10000 / n, $1 }' \
    "$1" "$2" | sort -rn | head -12
}
NAME[a]="(a) backend direct (nginx return 200)"
NAME[b]="(b) nginx reverse proxy"
NAME[c]="(c) Spring Cloud Gateway + JWT + RedisRateLimiter"
NAME[d]="(d) our gateway (JWT + subscription + 3 counters)"
results="$work/results/$(date +%Y%m%d-%H%M%S).tsv"
printf 'target\tmode\tconns\ttarget_rps\trps\tp50_us\tp90_us\tp99_us\tp999_us\tmax_us\terrors\tload\tcpu_us_per_req\n' > "$results"

run_wrk() { # target mode conns duration [rate] -> appends a row
  local t="$1" mode="$2" conns="$3" duration="$4" rate="${5:-}" line
  local -a cmd
  read -r -a cmd <<< "$(wrk_cmd)"
  if [ -n "$rate" ]; then
    cmd+=(-t"$THREADS" -c"$conns" -d"$duration" --timeout 5s -H "${HDR[$t]}" -s "$here/lua/paced.lua" "${URL[$t]}" -- "$rate" "$THREADS")
  else
    cmd+=(-t"$THREADS" -c"$conns" -d"$duration" --timeout 5s -H "${HDR[$t]}" -s "$here/lua/report.lua" "${URL[$t]}")
  fi
  echo "${cmd[*]}" | sed -E 's/Bearer [A-Za-z0-9._-]+/Bearer $TOKEN/' >> "$work/logs/wrk-commands.log"
  local pid="" ticks0=0 jfr=""
  if [ "$t" = d ] && [ -n "$APIM_PID" ] && [ "$mode" != warmup ]; then
    pid="$APIM_PID"
    ticks0=$(cpu_ticks "$pid")
    thread_ticks "$pid" > "$work/tmp/threads-before"
    [ -n "${CONTROL_PID:-}" ] && thread_ticks "$CONTROL_PID" > "$work/tmp/control-before"
    if [ "${PROFILE:-0}" = 1 ]; then # JFR's profile settings over this run only (PROFILE=1)
      jfr="$work/results/d-$mode-$(date +%H%M%S).jfr"
      jcmd "$pid" JFR.start name=bench settings=profile filename="$jfr" > /dev/null
    fi
  fi
  line="$("${cmd[@]}" | grep '^BENCH ')"
  [ "$mode" = warmup ] && return 0
  local cpu=-
  if [ -n "$pid" ]; then
    local ticks1 requests
    ticks1=$(cpu_ticks "$pid")
    thread_ticks "$pid" > "$work/tmp/threads-after"
    requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$line")
    { echo "CPU µs per request by thread group, $t $mode (load $(cut -d' ' -f1 /proc/loadavg)):"
      thread_cpu_report "$work/tmp/threads-before" "$work/tmp/threads-after" "$requests"
      if [ -n "${CONTROL_PID:-}" ]; then # APIM_SPLIT=1: what the control-plane JVM spent meanwhile
        thread_ticks "$CONTROL_PID" > "$work/tmp/control-after"
        echo "  control-plane JVM meanwhile, CPU µs per gateway request:"
        thread_cpu_report "$work/tmp/control-before" "$work/tmp/control-after" "$requests" | head -6
      fi; } \
      | tee -a "${results%.tsv}-threads.txt" >&2
    # /proc ticks are 1/100 s: CPU microseconds of the whole gateway JVM per request
    cpu=$(awk -v a="$ticks0" -v b="$ticks1" -v n="$requests" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 10000 / n : 0) }')
    if [ -n "$jfr" ]; then
      jcmd "$pid" JFR.stop name=bench > /dev/null
      "$here/jfr-summary.py" "$jfr" "$requests" > "${jfr%.jfr}.txt" 2>&1 || true
      log "JFR summary: ${jfr%.jfr}.txt"
    fi
  fi
  local rps p50 p90 p99 p999 max errors
  rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<< "$line")
  p50=$(sed -E 's/.* p50=([0-9]+).*/\1/' <<< "$line")
  p90=$(sed -E 's/.* p90=([0-9]+).*/\1/' <<< "$line")
  p99=$(sed -E 's/.* p99=([0-9]+).*/\1/' <<< "$line")
  p999=$(sed -E 's/.* p999=([0-9]+).*/\1/' <<< "$line")
  max=$(sed -E 's/.* max=([0-9]+).*/\1/' <<< "$line")
  errors=$(awk '{s=0; for (i=1;i<=NF;i++) if ($i ~ /^(connect|read|write|status|timeout)=/) {split($i,kv,"="); s+=kv[2]} print s}' <<< "$line")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$mode" "$conns" "${rate:--}" "$rps" "$p50" "$p90" \
    "$p99" "$p999" "$max" "$errors" "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" >> "$results"
  [ "$mode" = fixed-concurrency ] && MAXRPS[$t]="$rps"
  log "$t $mode: $line cpu_us_per_req=$cpu"
}

main() {
  log "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); nginx: $(nginx -v 2>&1 | cut -d' ' -f3); java: $(java -version 2>&1 | head -1)"
  log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  local active=()
  for t in $TARGETS; do
    case "$t" in
      a) URL[a]="http://127.0.0.1:$BACKEND_PORT/echo"; HDR[a]="X-Bench: 1"; active+=(a) ;;
      b) URL[b]="http://127.0.0.1:$PROXY_PORT/echo"; HDR[b]="X-Bench: 1"; active+=(b) ;;
      c) active+=(c) ;;
      d) if [ "${APIM_START:-0}" = 1 ] || [ -n "${APIM_GATEWAY_URL:-}" ]; then active+=(d)
         else log "(d) skipped: set APIM_START=1, or APIM_GATEWAY_URL and APIM_TOKEN"; fi ;;
      *) echo "unknown target $t" >&2; exit 2 ;;
    esac
  done

  if [[ " ${active[*]} " == *" c "* ]]; then
    build_scg
    mint_token
  fi
  start_nginx
  for t in "${active[@]}"; do
    case "$t" in
      c) start_scg; URL[c]="http://127.0.0.1:$SCG_PORT/bench/echo"; HDR[c]="Authorization: Bearer $SCG_TOKEN" ;;
      d) [ -n "${APIM_GATEWAY_URL:-}" ] || start_apim
         : "${APIM_TOKEN:?APIM_TOKEN is needed with APIM_GATEWAY_URL}"
         URL[d]="$APIM_GATEWAY_URL"; HDR[d]="Authorization: Bearer $APIM_TOKEN"
         wait_http "${URL[d]}" "${HDR[d]}" ;;
    esac
  done

  # 1. fixed concurrency (closed loop): throughput and latency under saturation
  for t in "${active[@]}"; do
    local warm="$WARMUP"
    case "$t" in a|b) warm=3s ;; esac
    log "$t: warm-up $warm"
    run_wrk "$t" warmup "$CONNS" "$warm"
    run_wrk "$t" fixed-concurrency "$CONNS" "$DURATION"
  done

  # 2. fixed rate: the same rate for every target
  local rate="$RATE"
  if [ -z "$rate" ]; then
    if [ -n "${MAXRPS[d]:-}" ]; then
      rate=$(awk -v r="${MAXRPS[d]}" 'BEGIN { printf "%d", r / 2 }')
    else
      rate=$(for t in "${active[@]}"; do echo "${MAXRPS[$t]}"; done | sort -g | head -1 | awk '{ printf "%d", $1 / 2 }')
    fi
  fi
  for t in "${active[@]}"; do
    run_wrk "$t" fixed-rate "$RATE_CONNS" "$DURATION" "$rate"
  done
  log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

  # 3. table
  echo
  echo "wrk -t$THREADS, $DURATION per run; fixed concurrency: $CONNS connections; fixed rate: $rate requests/s over $RATE_CONNS connections"
  echo "| target | mode | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | errors | load | CPU µs/request |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$results" | while IFS=$'\t' read -r t mode conns target_rps rps p50 p90 p99 p999 max errors load cpu; do
    local m="$mode, c=$conns"
    [ "$target_rps" != - ] && m="fixed rate $target_rps/s, c=$conns"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${NAME[$t]}" "$m" \
      "$(printf '%.0f' "$rps")" "$(awk -v v="$p50" 'BEGIN{printf "%.2f", v/1000}')" \
      "$(awk -v v="$p90" 'BEGIN{printf "%.2f", v/1000}')" "$(awk -v v="$p99" 'BEGIN{printf "%.2f", v/1000}')" \
      "$(awk -v v="$p999" 'BEGIN{printf "%.2f", v/1000}')" "$errors" "$load" "$cpu"
  done
  if [ -n "${MAXRPS[d]:-}" ]; then
    echo
    for ref in b c; do
      [ -n "${MAXRPS[$ref]:-}" ] && awk -v d="${MAXRPS[d]}" -v r="${MAXRPS[$ref]}" -v n="$ref" \
        'BEGIN { printf "throughput (d)/(%s) = %.2f\n", n, d / r }'
    done
    awk -F'\t' '$2 == "fixed-rate" { p99[$1] = $8 } END { if ("a" in p99 && "d" in p99) printf "p99 added over (a) at the fixed rate: %.2f ms\n", (p99["d"] - p99["a"]) / 1000 }' "$results"
  fi
  echo
  echo "raw results: $results"
}

main "$@"
