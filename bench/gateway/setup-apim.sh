#!/usr/bin/env bash
# Prepares target (d) of the gateway comparison on a running all-in-one node (infra/launcher/target/apim.jar)
# with WSO2's flow, and prints two shell assignments for run.sh (`eval "$(bench/gateway/setup-apim.sh)"`):
#   APIM_GATEWAY_URL=http://127.0.0.1:8280/bench/1.0.0/echo   APIM_TOKEN=<client_credentials JWT>
#
#  1. DCR            POST /client-registration/v0.17/register            (Basic admin)
#  2. admin token    POST /oauth2/token grant_type=password               (the management scopes below)
#  3. policies       Admin v4: an application, a subscription and an advanced (API-level) policy with limits
#                    far above what the benchmark sends, so that every request pays all three counters
#                    (WSO2's `Unlimited` might be skipped by the throttler) but none is refused
#  4. API            Publisher v4: POST /apis (backend = $BACKEND_URL, GET /echo), revision, deploy to
#                    Default, change-lifecycle?action=Publish
#  5. application    Developer Portal v3: POST /applications, POST /subscriptions, generate-keys
#  6. token          POST /oauth2/token grant_type=client_credentials with the application's keys
#
# Environment: APIM_ADMIN_PASSWORD (the node's admin password), APIM_URL (https://127.0.0.1:9443),
# APIM_GATEWAY (http://127.0.0.1:8280), BACKEND_URL (http://127.0.0.1:18081), BENCH_CONTEXT (/bench).
# Progress goes to stderr; only the assignments (gateway URL, token, consumer key and secret) go to stdout.
set -euo pipefail

APIM_URL="${APIM_URL:-https://127.0.0.1:9443}"
APIM_GATEWAY="${APIM_GATEWAY:-http://127.0.0.1:8280}"
BACKEND_URL="${BACKEND_URL:-http://127.0.0.1:18081}"
BENCH_CONTEXT="${BENCH_CONTEXT:-/bench}"
VERSION=1.0.0
: "${APIM_ADMIN_PASSWORD:?set APIM_ADMIN_PASSWORD to the admin password of the node}"
command -v jq > /dev/null || { echo "missing jq (apt-get install -y jq)" >&2; exit 1; }

log() { echo "[setup-apim] $*" >&2; }
suffix="$(date +%s)"

# call METHOD PATH [curl args...]: fails loudly with the body on a non-2xx answer, prints the body
call() {
  local method="$1" path="$2"; shift 2
  local out code
  out="$(curl -sk -X "$method" -w '\n%{http_code}' "$@" "$APIM_URL$path")"
  code="${out##*$'\n'}"
  out="${out%$'\n'*}"
  if [ "${code:0:1}" != 2 ]; then
    echo "[setup-apim] $method $path -> $code: $out" >&2
    return 1
  fi
  printf '%s' "$out"
}

# Ready = the bootstrap administrator exists (it is registered on ApplicationReadyEvent, before readiness
# turns to ACCEPTING_TRAFFIC). Do not probe with logins: 5 failures lock the user name for 15 minutes.
log "waiting for $APIM_URL to be ready"
for attempt in $(seq 1 180); do
  [ "$(curl -sk -o /dev/null -w '%{http_code}' "$APIM_URL/actuator/health/readiness")" = 200 ] && break
  [ "$attempt" = 180 ] && { log "not ready after 180 s"; exit 1; }
  sleep 1
done

# 1. DCR
dcr="$(call POST /client-registration/v0.17/register -u "admin:$APIM_ADMIN_PASSWORD" \
  -H 'Content-Type: application/json' \
  -d "{\"callbackUrl\":\"https://localhost\",\"clientName\":\"bench_rest_client_$suffix\",\"owner\":\"admin\",\"grantType\":\"client_credentials password refresh_token\",\"saasApp\":true}")"
dcr_id="$(jq -r .clientId <<< "$dcr")"
dcr_secret="$(jq -r .clientSecret <<< "$dcr")"
log "DCR client $dcr_id"

# 2. admin token (password grant)
scopes="apim:api_view apim:api_create apim:api_publish apim:subscribe apim:app_manage apim:sub_manage apim:admin apim:tier_view apim:tier_manage"
admin_token="$(call POST /oauth2/token -u "$dcr_id:$dcr_secret" \
  --data-urlencode grant_type=password --data-urlencode username=admin \
  --data-urlencode "password=$APIM_ADMIN_PASSWORD" --data-urlencode "scope=$scopes" | jq -r .access_token)"
auth=(-H "Authorization: Bearer $admin_token")
json=(-H 'Content-Type: application/json')
log "admin token (password grant)"

# 3. policies: 100 million requests per minute at each level
limit='{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":100000000}}'
app_policy="BenchApp$suffix" sub_policy="BenchSub$suffix" api_policy="BenchApi$suffix"
call POST /api/am/admin/v4/throttling/policies/application "${auth[@]}" "${json[@]}" \
  -d "{\"policyName\":\"$app_policy\",\"displayName\":\"$app_policy\",\"description\":\"benchmark\",\"defaultLimit\":$limit}" > /dev/null
call POST /api/am/admin/v4/throttling/policies/subscription "${auth[@]}" "${json[@]}" \
  -d "{\"policyName\":\"$sub_policy\",\"displayName\":\"$sub_policy\",\"description\":\"benchmark\",\"defaultLimit\":$limit,\"rateLimitCount\":0,\"rateLimitTimeUnit\":\"sec\",\"stopOnQuotaReach\":true,\"billingPlan\":\"FREE\"}" > /dev/null
call POST /api/am/admin/v4/throttling/policies/advanced "${auth[@]}" "${json[@]}" \
  -d "{\"policyName\":\"$api_policy\",\"displayName\":\"$api_policy\",\"description\":\"benchmark\",\"defaultLimit\":$limit,\"conditionalGroups\":[]}" > /dev/null
log "policies $app_policy, $sub_policy, $api_policy"

# 4. API: create, revision, deploy, publish
api_body=$(jq -n --arg name "Bench$suffix" --arg ctx "$BENCH_CONTEXT" --arg v "$VERSION" --arg ep "$BACKEND_URL" \
  --arg sub "$sub_policy" --arg api "$api_policy" '{
    name: $name, context: $ctx, version: $v, policies: [$sub], apiThrottlingPolicy: $api,
    endpointConfig: { endpoint_type: "http", production_endpoints: { url: $ep }, sandbox_endpoints: { url: $ep } },
    operations: [ { target: "/echo", verb: "GET", authType: "Application & Application User", throttlingPolicy: "Unlimited" } ]
  }')
api_id="$(call POST /api/am/publisher/v4/apis "${auth[@]}" "${json[@]}" -d "$api_body" | jq -r .id)"
rev_id="$(call POST "/api/am/publisher/v4/apis/$api_id/revisions" "${auth[@]}" "${json[@]}" -d '{"description":"bench"}' | jq -r .id)"
call POST "/api/am/publisher/v4/apis/$api_id/deploy-revision?revisionId=$rev_id" "${auth[@]}" "${json[@]}" \
  -d '[{"name":"Default","vhost":"localhost","displayOnDevportal":true}]' > /dev/null
call POST "/api/am/publisher/v4/apis/change-lifecycle?apiId=$api_id&action=Publish" "${auth[@]}" > /dev/null
log "API $api_id ($BENCH_CONTEXT/$VERSION, revision $rev_id deployed to Default, published)"

# 5. application, subscription, keys
app_id="$(call POST /api/am/devportal/v3/applications "${auth[@]}" "${json[@]}" \
  -d "{\"name\":\"BenchApp$suffix\",\"throttlingPolicy\":\"$app_policy\",\"description\":\"benchmark\",\"tokenType\":\"JWT\"}" | jq -r .applicationId)"
call POST /api/am/devportal/v3/subscriptions "${auth[@]}" "${json[@]}" \
  -d "{\"apiId\":\"$api_id\",\"applicationId\":\"$app_id\",\"throttlingPolicy\":\"$sub_policy\"}" > /dev/null
keys="$(call POST "/api/am/devportal/v3/applications/$app_id/generate-keys" "${auth[@]}" "${json[@]}" \
  -d '{"keyType":"PRODUCTION","grantTypesToBeSupported":["client_credentials"],"validityTime":86400}')"
ck="$(jq -r .consumerKey <<< "$keys")"
cs="$(jq -r .consumerSecret <<< "$keys")"
log "application $app_id subscribed ($sub_policy), consumer key $ck"

# 6. client_credentials token (lifetime from generate-keys' validityTime)
token="$(call POST /oauth2/token -u "$ck:$cs" --data-urlencode grant_type=client_credentials | jq -r .access_token)"
log "client_credentials token issued"

printf 'APIM_GATEWAY_URL=%q\nAPIM_TOKEN=%q\nAPIM_CONSUMER_KEY=%q\nAPIM_CONSUMER_SECRET=%q\n' \
  "$APIM_GATEWAY$BENCH_CONTEXT/$VERSION/echo" "$token" "$ck" "$cs"
