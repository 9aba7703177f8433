#!/usr/bin/env bash
# Revocation propagation (issue 5 benchmark): time from POST /oauth2/revoke to the first 401 on TWO gateways.
#   node A: all-in-one (management 9443, gateway 8280)     node B: role gateway only (gateway 8281), following the
#   same Traffic Manager stream (sync from node A's internal endpoints, JWKS from node A's Key Manager)
# Needs a PostgreSQL and a Redis both nodes share: APIM_DB_URL (a fresh database is best) and APIM_REDIS_URL,
# the jar (./mvnw -B -ntp -DskipTests package), python3, curl, jq. ROUNDS=50 by default.
#   APIM_DB_URL='jdbc:postgresql://127.0.0.1:5432/apim_prop?user=postgres' APIM_REDIS_URL=redis://127.0.0.1:6379/7 \
#     bench/gateway/propagation.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
work="$here/work/propagation"; rm -rf "$work"; mkdir -p "$work"
: "${APIM_DB_URL:?set APIM_DB_URL (shared by both nodes)}" "${APIM_REDIS_URL:?set APIM_REDIS_URL (shared by both nodes)}"
ROUNDS="${ROUNDS:-50}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-20}"
export APIM_ADMIN_PASSWORD="${APIM_ADMIN_PASSWORD:-bench-admin-1}"
internal_key="bench-internal-key-$(date +%s)-0123456789"
pids=()
started_nginx=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  [ -n "$started_nginx" ] && nginx -c "$here/nginx/backend.conf" -p "$here/work/" -e logs/backend-error.log -s stop 2> /dev/null
  wait 2> /dev/null || true
}
trap cleanup EXIT
common=(--apim.internal.key="$internal_key" --apim.keymanager.master-key=bench-master-key-0123456789
        --apim.gateway.https-port=-1)

java -Xmx1g -jar "$root/infra/launcher/target/apim.jar" --apim.data-dir="$work/a" --apim.management.port=9443 \
  --apim.gateway.http-port=8280 "${common[@]}" > "$work/a.log" 2>&1 & pids+=($!)
BACKEND_URL="${BACKEND_URL:-http://127.0.0.1:18081}"
if ! curl -s -o /dev/null "$BACKEND_URL/echo"; then
  mkdir -p "$here/work/logs" "$here/work/tmp"
  nginx -c "$here/nginx/backend.conf" -p "$here/work/" -e logs/backend-error.log; started_nginx=1   # run.sh's backend
fi
eval "$(APIM_GATEWAY=http://127.0.0.1:8280 APIM_URL=https://127.0.0.1:9443 "$here/setup-apim.sh")"

java -Xmx512m -jar "$root/infra/launcher/target/apim.jar" --apim.roles=gateway --apim.data-dir="$work/b" \
  --apim.management.port=9444 --apim.gateway.http-port=8281 "${common[@]}" \
  --apim.gateway.sync.internal-url=https://localhost:9443 --apim.gateway.sync.trust-all=true \
  --apim.gateway.jwks-url=https://localhost:9443/oauth2/jwks \
  --apim.gateway.jwks-trust-store="$work/a/tls/management.p12" > "$work/b.log" 2>&1 & pids+=($!)
url_a="$APIM_GATEWAY_URL"; url_b="${APIM_GATEWAY_URL/:8280/:8281}"
for i in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $APIM_TOKEN" "$url_b")" = 200 ] && break
  sleep 1
done
python3 "$here/propagation.py" --km https://localhost:9443 --key "$APIM_CONSUMER_KEY" \
  --secret "$APIM_CONSUMER_SECRET" --url "$url_a" --url "$url_b" --rounds "$ROUNDS" --warmup "$WARMUP_ROUNDS" | tee "$work/result.txt"
