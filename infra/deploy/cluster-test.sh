#!/usr/bin/env bash
# End-to-end test of the distributed topology: brings the local cluster up (infra/deploy/local-cluster.sh), runs
# WSO2's flow (scripts/wso2-flow.sh: DCR -> password grant -> API create/revision/deploy/publish -> application ->
# subscribe -> keys -> token) through the nginx load balancer, then calls the published API through the gateway
# load balancer and through each gateway node, expecting 200. Tears the cluster down on exit (KEEP=1 keeps it).
# Needs the built jar (./mvnw -B -ntp -DskipTests package), nginx, PostgreSQL's binaries, redis-server, python3.
# Usage: infra/deploy/cluster-test.sh          (exit 0 = passed; prints "N passed, N failed")
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
export APIM_CLUSTER_DIR=${APIM_CLUSTER_DIR:-$HERE/work/cluster-test}
B=${APIM_CLUSTER_PORT_BASE:-20000}
CLUSTER="$HERE/local-cluster.sh"
BACKEND_PORT=$((B + 81))
passed=0; failed=0
check() { # name command...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "PASS $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
cleanup() {
  [ -n "${BACKEND_PID:-}" ] && kill "$BACKEND_PID" 2>/dev/null || true
  if [ "${KEEP:-0}" != 1 ]; then "$CLUSTER" down || true; [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$APIM_CLUSTER_DIR"; fi
}
trap cleanup EXIT

[ "${REUSE:-0}" = 1 ] || rm -rf "$APIM_CLUSTER_DIR"
start=$SECONDS
"$CLUSTER" up
echo "cluster up in $((SECONDS - start)) s"
set -a; . "$APIM_CLUSTER_DIR/secrets.env"; set +a

python3 "$HERE/backend.py" "$BACKEND_PORT" & BACKEND_PID=$!

LB="https://localhost:$((B + 443))"
check "load balancer answers" test "$(curl -sk -o /dev/null -w '%{http_code}' "$LB/lb-health")" = 200
check "internal paths are not public" test "$(curl -sk -o /dev/null -w '%{http_code}' "$LB/internal/data/v1/apis")" = 404

flow_start=$SECONDS
if VARS=$(BACKEND_URL="http://127.0.0.1:$BACKEND_PORT/pizza" "$ROOT/scripts/wso2-flow.sh" "$LB" 2>"$APIM_CLUSTER_DIR/flow.log"); then
  check "WSO2 flow through the load balancer ($((SECONDS - flow_start)) s)" true
else
  cat "$APIM_CLUSTER_DIR/flow.log" >&2
  check "WSO2 flow through the load balancer" false
  echo "$passed passed, $failed failed"; exit 1
fi
eval "$(echo "$VARS" | grep -E '^(APP_TOKEN|CONTEXT|API_ID|APP_ID)=')"

call() { # url -> status
  curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $APP_TOKEN" "$1$CONTEXT/menu" || true
}
until_200() { # url: the gateways follow the broadcast stream, so allow them a few seconds
  local i code
  for i in $(seq 1 60); do code=$(call "$1"); [ "$code" = 200 ] && return 0; sleep 0.5; done
  echo "last status from $1: $code" >&2; return 1
}
check "API call through the gateway load balancer (HTTP)" until_200 "http://localhost:$((B + 280))"
check "API call through the gateway load balancer (HTTPS)" until_200 "https://localhost:$((B + 243))"
for gw in $("$CLUSTER" nodes gateway); do
  check "API call on $gw directly" until_200 "http://127.0.0.1:$("$CLUSTER" port "$gw" 4)"
done
check "a publisher query through the load balancer lists the API" bash -c \
  "curl -sk -H 'Authorization: Bearer $(echo "$VARS" | sed -n 's/^TOKEN=//p')' '$LB/api/am/publisher/v4/apis/$API_ID' | grep -q '$API_ID'"
check "an unknown token is refused by the gateway (401)" test "$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Authorization: Bearer x.y.z' "http://localhost:$((B + 280))$CONTEXT/menu")" = 401
"$CLUSTER" status || true
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
