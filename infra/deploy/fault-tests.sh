#!/usr/bin/env bash
# Fault tests of the distributed topology (issue 7), bounded and on loopback only, against the local cluster
# (infra/deploy/local-cluster.sh). Each test prints its counts; the summary is written to
# infra/deploy/work/fault-results.md (copy it into docs/reliability.md).
#   1. kill -9 a publisher during a create-API load through the LB: every acknowledged command's event is in
#      event_store.domain_event_entry, none twice (sent / acknowledged / stored / lost / duplicated)
#   2. kill -9 a node owning projection segments: the others claim them within claim-timeout + claim-interval + 1 s
#      (APIM_CLAIM_TIMEOUT / APIM_CLAIM_INTERVAL of local-cluster.sh) and the read model catches up
#   3. PostgreSQL stopped and restarted under the command load: 503 meanwhile, recovery without a manual step
#   4. Redis stopped under gateway traffic: gateways keep serving on local limits (health DEGRADED) and recover
#   5. a gateway restarted mid-traffic: traffic goes on through the LB, and the node rejoins with the state changed
#      while it was down (a token revoked meanwhile is refused by it)
# Usage: infra/deploy/fault-tests.sh [1 2 3 4 5]     (default all; KEEP=1 keeps the cluster running afterwards)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
export APIM_CLUSTER_DIR=${APIM_CLUSTER_DIR:-$HERE/work/fault}
B=${APIM_CLUSTER_PORT_BASE:-20000}
CLUSTER="$HERE/local-cluster.sh"
LB="https://localhost:$((B + 443))"; GW="http://localhost:$((B + 280))"
BACKEND_PORT=$((B + 81))
# Gateway load in requests/s: below Gold's 5000/min (83/s) in Redis, and below each of the two gateways' local share
# (2500/min) while Redis is away, so every answer should be 200.
GW_RATE=${GW_RATE:-30}
# The claim settings local-cluster.sh gives the nodes (apim.processing.claim-timeout/-interval), in ms; the product
# bounds a dead node's segments' takeover by claim-timeout + claim-interval + min(1 s, claim-timeout / 4).
to_ms() { case "$1" in *ms) echo "${1%ms}" ;; *s) echo $(( ${1%s} * 1000 )) ;; *) echo "$1" ;; esac; }
CLAIM_TIMEOUT_MS=$(to_ms "${APIM_CLAIM_TIMEOUT:-3s}"); CLAIM_INTERVAL_MS=$(to_ms "${APIM_CLAIM_INTERVAL:-500ms}")
BOUND_MS=$(( CLAIM_TIMEOUT_MS + CLAIM_INTERVAL_MS + 1000 ))
OUT="$APIM_CLUSTER_DIR/results"; RESULTS="$HERE/work/fault-results.md"
TESTS=${*:-1 2 3 4 5}
passed=0; failed=0; T2_RUNS=0

sql() { psql -h 127.0.0.1 -p "$((B + 432))" -U postgres -d apim -Atq -c "$1" 2>/dev/null; }
say() { printf '\n### %s\n' "$*" | tee -a "$RESULTS"; }
note() { echo "$*" | tee -a "$RESULTS"; }
verdict() { # name ok?
  if [ "$2" = 0 ]; then passed=$((passed + 1)); note "- **PASS** $1"; else failed=$((failed + 1)); note "- **FAIL** $1"; fi
}
ms_now() { date +%s%3N; }
mgmt_port() { "$CLUSTER" port "$1"; }
health() { curl -s --max-time 8 "http://127.0.0.1:$(mgmt_port "$1")/actuator/health" 2>/dev/null; }
cleanup() {
  [ -n "${BACKEND_PID:-}" ] && kill "$BACKEND_PID" 2>/dev/null
  [ "${KEEP:-0}" = 1 ] || "$CLUSTER" down
}
trap cleanup EXIT

# ---- the cluster and the flow's tokens ----
[ "${REUSE:-0}" = 1 ] || rm -rf "$APIM_CLUSTER_DIR"
mkdir -p "$HERE/work"
"$CLUSTER" up >/dev/null || { echo "cluster did not come up"; exit 1; }
mkdir -p "$OUT"
set -a; . "$APIM_CLUSTER_DIR/secrets.env"; set +a
python3 "$HERE/backend.py" "$BACKEND_PORT" & BACKEND_PID=$!
# The subscription is on Gold (5000 requests/min), so every gateway call runs the Redis throttling script.
VARS=$(BACKEND_URL="http://127.0.0.1:$BACKEND_PORT/pizza" REVOKE=no API_POLICIES='"Unlimited","Gold"' SUBSCRIPTION_POLICY=Gold \
  "$ROOT/scripts/wso2-flow.sh" "$LB" 2>"$OUT/flow.log") \
  || { cat "$OUT/flow.log"; exit 1; }
eval "$(echo "$VARS" | grep -E '^[A-Z_]+=')"
{
  echo "## Fault tests, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`infra/deploy/fault-tests.sh $TESTS\` on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start;"
  echo "cluster: $("$CLUSTER" nodes | tr '\n' ' '), one PostgreSQL, one Redis, nginx; projections in ${APIM_SEGMENTS:-2} segments (apim.processing.segments), claim-timeout ${APIM_CLAIM_TIMEOUT:-3s}, claim-interval ${APIM_CLAIM_INTERVAL:-500ms}."
} > "$RESULTS"

app_token() {
  local t
  for _ in 1 2 3 4 5; do
    t=$(curl -sk -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$LB/oauth2/token" -d grant_type=client_credentials \
      | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])' 2>/dev/null) && [ -n "$t" ] \
      && { echo "$t"; return 0; }
    sleep 1
  done
  return 1
}
health_summary() { # node
  health "$1" | python3 -c 'import sys, json
d = json.load(sys.stdin); c = d.get("components", {})
print(d["status"], "(" + ", ".join("%s %s" % (k, c[k]["status"]) for k in ("gatewayThrottling", "redis", "gatewayState") if k in c) + ")")' 2>/dev/null \
    || echo "no answer"
}
wait_gateway_200() { # url token
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1$CONTEXT/menu")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}
wait_gateway_200 "$GW" "$APP_TOKEN" || { echo "the published API never answered 200 through the gateway"; exit 1; }

# Checks a create load's record against the event store: prints "sent acked stored lost duplicated extra".
verify_creates() { # out-file prefix
  sql "SELECT payload::jsonb #>> '{definition,name}', aggregate_identifier FROM event_store.domain_event_entry
       WHERE payload_type LIKE '%.ApiCreated' AND payload::jsonb #>> '{definition,name}' LIKE '$2%'" > "$1.store"
  python3 - "$1" "$1.store" <<'EOF'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
stored = {}
for line in open(sys.argv[2]):
    if "|" in line:
        name, agg = line.strip().split("|", 1)
        stored.setdefault(name, []).append(agg)
acked = {r["name"]: r["id"] for r in records if r["status"] == 201}
lost = [n for n, i in acked.items() if i not in stored.get(n, [])]
dup = [n for n, aggs in stored.items() if len(aggs) > 1]
extra = [n for n in stored if n not in acked]  # stored but never acknowledged (in flight at the fault)
print(len(records), len(acked), sum(len(a) for a in stored.values()), len(lost), len(dup), len(extra))
EOF
}
statuses() { python3 -c 'import sys, json, collections
c = collections.Counter(json.loads(l)["status"] for l in open(sys.argv[1]))
print(", ".join("%s: %d" % (k if k else "no answer", v) for k, v in sorted(c.items())))' "$1"; }

# ---- 1. kill -9 a command node under command load ----
test_1() {
  say "1. kill -9 publisher-1 during a create-API load through the load balancer"
  local f="$OUT/t1.jsonl" t0
  t0=$(ms_now)
  python3 "$HERE/loadgen.py" create --base "$LB" --token "$TOKEN" --prefix ft1x --seconds 40 --workers 4 \
    --backend "http://127.0.0.1:$BACKEND_PORT/pizza" --out "$f" > "$OUT/t1.summary" &
  local load=$!
  sleep 12; note "- t+$(( ($(ms_now) - t0) / 1000 ))s: kill -9 publisher-1"; "$CLUSTER" kill publisher-1
  wait $load
  sleep 2
  read -r sent acked stored lost dup extra < <(verify_creates "$f" ft1x)
  note "- sent $sent, acknowledged (201) $acked, stored ApiCreated $stored, lost $lost, duplicated $dup, stored but unacknowledged (in flight at the kill) $extra"
  note "- statuses: $(statuses "$f")"
  verdict "every acknowledged create is stored once (lost = 0, duplicated = 0)" $(( lost + dup ))
  [ "$acked" -gt 0 ] || verdict "commands were acknowledged" 1
  local restart=$SECONDS; "$CLUSTER" start publisher-1 >/dev/null
  note "- publisher-1 restarted and ready in $((SECONDS - restart)) s"
}

# ---- 2. kill -9 a projection node: its segments move, the read model catches up ----
owners() { sql "SELECT segment || ':' || coalesce(owner, '-') FROM event_store.token_entry WHERE processor_name = 'apimgtdb' ORDER BY segment" | tr '\n' ' '; }
test_2() {
  say "2. kill -9 a node owning apimgtdb segments; another claims them and the read model catches up"
  note "- segments before: $(owners)"
  local victim="" n pid
  for n in $("$CLUSTER" nodes); do
    pid=$(cat "$APIM_CLUSTER_DIR/nodes/$n/pid" 2>/dev/null) || continue
    if owners | grep -q ":$pid@"; then victim=$n; break; fi
  done
  if [ -z "$victim" ]; then note "- no node owns a segment"; verdict "found a segment owner" 1; return; fi
  # A fresh name prefix per run, so "fault-tests.sh 2 2" counts each run's creates on their own.
  T2_RUNS=$((T2_RUNS + 1)); local pfx="ft2r${T2_RUNS}x"
  local vpid; vpid=$(cat "$APIM_CLUSTER_DIR/nodes/$victim/pid")
  local f="$OUT/t2.jsonl" t0; t0=$(ms_now)
  note "- kill -9 $victim (pid $vpid)"
  "$CLUSTER" kill "$victim"
  # The load runs while the segments move; the takeover is watched from the kill on, not after the load.
  python3 "$HERE/loadgen.py" create --base "$LB" --token "$TOKEN" --prefix $pfx --seconds 20 --workers 2 \
    --backend "http://127.0.0.1:$BACKEND_PORT/pizza" --out "$f" > /dev/null &
  local load=$! claimed="" caught="" events rows
  for _ in $(seq 1 600); do
    if ! owners | grep -q ":$vpid@"; then claimed=$(( $(ms_now) - t0 )); break; fi
    sleep 0.1
  done
  wait $load
  for _ in $(seq 1 120); do
    events=$(sql "SELECT count(*) FROM event_store.domain_event_entry WHERE payload_type LIKE '%.ApiCreated' AND payload::jsonb #>> '{definition,name}' LIKE '$pfx%'")
    rows=$(sql "SELECT count(*) FROM apimgtdb.api WHERE name LIKE '$pfx%'")
    if [ -n "$claimed" ] && [ "$events" = "$rows" ]; then caught=$(( $(ms_now) - t0 )); break; fi
    sleep 0.5
  done
  note "- segments after: $(owners)"
  note "- segments of the dead node claimed by others after ${claimed:-never} ms (bound: claim-timeout $CLAIM_TIMEOUT_MS ms + claim-interval $CLAIM_INTERVAL_MS ms + 1000 ms = $BOUND_MS ms); read model caught up after ${caught:-never} ms (the 20 s load included): ApiCreated events $events = apimgtdb.api rows $rows"
  note "- load statuses while the segment moved: $(statuses "$f")"
  read -r sent acked stored lost dup extra < <(verify_creates "$f" $pfx)
  note "- sent $sent, acknowledged $acked, stored $stored, lost $lost, duplicated $dup"
  verdict "segments taken over within the bound (${claimed:-never} ms <= $BOUND_MS ms)" $([ -n "$claimed" ] && [ "$claimed" -le "$BOUND_MS" ] && echo 0 || echo 1)
  verdict "the read model caught up" $([ -n "$caught" ] && echo 0 || echo 1)
  verdict "no acknowledged command lost or duplicated" $(( lost + dup ))
  local restart=$SECONDS; "$CLUSTER" start "$victim" >/dev/null
  note "- $victim restarted and ready in $((SECONDS - restart)) s"
}

# ---- 3. PostgreSQL stopped and restarted under command load ----
test_3() {
  say "3. PostgreSQL stopped for 15 s and restarted under the create-API load"
  local f="$OUT/t3.jsonl" t0; t0=$(ms_now)
  python3 "$HERE/loadgen.py" create --base "$LB" --token "$TOKEN" --prefix ft3x --seconds 75 --workers 4 \
    --backend "http://127.0.0.1:$BACKEND_PORT/pizza" --out "$f" > /dev/null &
  local load=$!
  sleep 10; local down=$(( ($(ms_now) - t0) / 1000 )); "$CLUSTER" pg-stop fast
  note "- t+${down}s: PostgreSQL stopped (pg_ctl stop -m fast)"
  sleep 15; "$CLUSTER" pg-start >/dev/null; local up=$(( ($(ms_now) - t0) / 1000 ))
  note "- t+${up}s: PostgreSQL started again"
  wait $load
  note "- statuses: $(statuses "$f")"
  python3 - "$f" "$down" "$up" <<'EOF' | tee -a "$RESULTS"
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
down, up = float(sys.argv[2]), float(sys.argv[3])
during = collections.Counter(r["status"] for r in recs if down <= r["t"] < up)
after_ok = [r["t"] + r["ms"] / 1000 for r in recs if r["t"] >= up and r["status"] == 201]
print("- answers to requests sent while PostgreSQL was down: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(during.items())))
print("- first 201 after the restart: %s" % ("%.1f s after PostgreSQL was started" % (min(after_ok) - up) if after_ok else "none"))
bodies = {r.get("body", "")[:120] for r in recs if r["status"] == 503}
print("- 503 body: %s" % (next(iter(bodies)) if bodies else "(none)"))
EOF
  local c500 c201_after
  c500=$(python3 -c 'import sys, json; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["status"] == 500))' "$f")
  c201_after=$(python3 -c 'import sys, json; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["status"] == 201 and json.loads(l)["t"] > float(sys.argv[2])))' "$f" "$up")
  read -r sent acked stored lost dup extra < <(verify_creates "$f" ft3x)
  note "- sent $sent, acknowledged $acked, stored $stored, lost $lost, duplicated $dup, stored but unacknowledged $extra"
  verdict "no 500 while PostgreSQL was down (503 instead)" "$c500"
  verdict "commands succeed again after the restart with no manual step ($c201_after acknowledged after it)" $([ "$c201_after" -gt 0 ] && echo 0 || echo 1)
  verdict "no acknowledged command lost or duplicated" $(( lost + dup ))
}

# ---- 4. Redis stopped under gateway traffic ----
test_4() {
  say "4. Redis stopped for 15 s under gateway traffic through the load balancer ($GW_RATE requests/s, Gold subscription)"
  local f="$OUT/t4.jsonl" t0; t0=$(ms_now)
  python3 "$HERE/loadgen.py" get --url "$GW$CONTEXT/menu" --token "$APP_TOKEN" --seconds 40 --workers 4 --rate "$GW_RATE" --out "$f" > /dev/null &
  local load=$!
  sleep 8; "$CLUSTER" redis-stop; local down=$(( ($(ms_now) - t0) / 1000 ))
  note "- t+${down}s: Redis stopped"
  sleep 4
  local h1; h1=$(health_summary gateway-1)
  note "- gateway-1 health while Redis is down: $h1"
  sleep 11; "$CLUSTER" redis-start >/dev/null; local up=$(( ($(ms_now) - t0) / 1000 ))
  note "- t+${up}s: Redis started again"
  local h2="" recovered=""
  for _ in $(seq 1 40); do
    h2=$(health_summary gateway-1)
    [ "${h2%% *}" = UP ] && { recovered=$(( $(ms_now) - t0 - up * 1000 )); break; }; sleep 0.5
  done
  wait $load
  note "- gateway-1 health after Redis returned: $h2 (${recovered:-not} ms after the restart)"
  note "- statuses: $(statuses "$f")"
  python3 - "$f" "$down" "$up" <<'EOF' | tee -a "$RESULTS"
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
down, up = float(sys.argv[2]), float(sys.argv[3])
during = collections.Counter(r["status"] for r in recs if down <= r["t"] < up)
print("- answers while Redis was down: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(during.items())))
EOF
  local bad; bad=$(python3 -c 'import sys, json; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["status"] != 200))' "$f")
  verdict "gateways kept serving (non-200 answers: $bad)" "$bad"
  verdict "health DEGRADED (HTTP 200) while Redis was down" $([ "${h1%% *}" = DEGRADED ] && echo 0 || echo 1)
  verdict "throttling on local limits while Redis was down (gatewayThrottling DEGRADED)" $(echo "$h1" | grep -q "gatewayThrottling DEGRADED" && echo 0 || echo 1)
  verdict "health back to UP after Redis returned" $([ "${h2%% *}" = UP ] && echo 0 || echo 1)
}

# ---- 5. a gateway restarted mid-traffic ----
test_5() {
  say "5. gateway-2 stopped and restarted mid-traffic ($GW_RATE requests/s); a token revoked while it was down"
  local f="$OUT/t5.jsonl" t0 victim_token gw2; t0=$(ms_now)
  victim_token=$(app_token) || { note "- could not get a token"; verdict "token for the test" 1; return; }
  gw2="http://127.0.0.1:$("$CLUSTER" port gateway-2 4)"
  python3 "$HERE/loadgen.py" get --url "$GW$CONTEXT/menu" --token "$APP_TOKEN" --seconds 60 --workers 4 --rate "$GW_RATE" --out "$f" > /dev/null &
  local load=$!
  sleep 5; note "- t+$(( ($(ms_now) - t0) / 1000 ))s: gateway-2 stopped (SIGTERM)"; "$CLUSTER" stop gateway-2
  local code; code=$(curl -sk -o /dev/null -w '%{http_code}' -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$LB/oauth2/revoke" -d "token=$victim_token")
  note "- token revoked while gateway-2 was down: $code"
  local restart=$SECONDS; "$CLUSTER" start gateway-2 >/dev/null
  note "- t+$(( ($(ms_now) - t0) / 1000 ))s: gateway-2 ready again ($((SECONDS - restart)) s to start)"
  local revoked ok
  revoked=$(curl -s -o "$OUT/t5.revoked" -w '%{http_code}' -H "Authorization: Bearer $victim_token" "$gw2$CONTEXT/menu")
  ok=$(curl -s -o "$OUT/t5.ok" -w '%{http_code}' -H "Authorization: Bearer $APP_TOKEN" "$gw2$CONTEXT/menu")
  [ "$revoked" = 401 ] || note "- revoked token's answer: $(head -c 300 "$OUT/t5.revoked")"
  [ "$ok" = 200 ] || note "- valid token's answer: $(head -c 300 "$OUT/t5.ok")"
  wait $load
  note "- on the restarted gateway-2: revoked token -> $revoked, valid token -> $ok"
  note "- traffic through the LB during the restart: $(statuses "$f")"
  local bad; bad=$(python3 -c 'import sys, json; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["status"] != 200))' "$f")
  verdict "the restarted gateway refuses the token revoked while it was down (401)" $([ "$revoked" = 401 ] && echo 0 || echo 1)
  verdict "the restarted gateway serves valid tokens (200)" $([ "$ok" = 200 ] && echo 0 || echo 1)
  verdict "no failed request through the LB during the restart (non-200: $bad)" "$bad"
}

for t in $TESTS; do "test_$t"; done
note ""
note "$passed passed, $failed failed"
[ "$failed" = 0 ]
