#!/usr/bin/env bash
# WSO2's script flow against a running apim, with curl only:
#   DCR -> password grant -> create API, revision, deploy, publish -> application -> subscribe -> generate-keys
#   -> client_credentials token naming the application -> introspect -> revoke -> introspect again.
# Usage: APIM_ADMIN_PASSWORD=... scripts/wso2-flow.sh [https://localhost:9443]
# Optional: BACKEND_URL, SUBSCRIPTION_POLICY (default Unlimited), API_POLICIES (the API's tiers as JSON strings,
# default "Unlimited"; e.g. API_POLICIES='"Unlimited","Gold"' SUBSCRIPTION_POLICY=Gold), REVOKE=no.
# Prints the variables it made (TOKEN, APP_TOKEN, ...) as shell assignments on its last lines.
set -euo pipefail
BASE=${1:-https://localhost:9443}
ADMIN=${APIM_ADMIN_USER:-admin}
PASS=${APIM_ADMIN_PASSWORD:?set APIM_ADMIN_PASSWORD}
SUFFIX=${SUFFIX:-$(date +%s)}
CURL=(curl -sSk --fail-with-body)
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
step() { printf '\n== %s\n' "$*" >&2; }

step "DCR: register a management client (Basic $ADMIN)"
DCR=$("${CURL[@]}" -u "$ADMIN:$PASS" -H 'Content-Type: application/json' "$BASE/client-registration/v0.17/register" \
  -d "{\"callbackUrl\":\"www.google.lk\",\"clientName\":\"rest_api_flow_$SUFFIX\",\"owner\":\"$ADMIN\",\"grantType\":\"password refresh_token\",\"saasApp\":true}")
CLIENT_ID=$(echo "$DCR" | json "['clientId']"); CLIENT_SECRET=$(echo "$DCR" | json "['clientSecret']")
echo "clientId=$CLIENT_ID" >&2

step "Password grant with the Publisher and Developer Portal scopes"
TOKEN=$("${CURL[@]}" -u "$CLIENT_ID:$CLIENT_SECRET" "$BASE/oauth2/token" \
  -d grant_type=password -d "username=$ADMIN" --data-urlencode "password=$PASS" \
  --data-urlencode "scope=apim:api_view apim:api_create apim:api_publish apim:subscribe apim:app_manage apim:sub_manage" \
  | json "['access_token']")
AUTH=(-H "Authorization: Bearer $TOKEN")

step "Create an API"
API_ID=$("${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' "$BASE/api/am/publisher/v4/apis" -d "{
  \"name\":\"PizzaShack$SUFFIX\",\"context\":\"/pizzashack$SUFFIX\",\"version\":\"1.0.0\",\"policies\":[${API_POLICIES:-\"Unlimited\"}],
  \"endpointConfig\":{\"endpoint_type\":\"http\",\"production_endpoints\":{\"url\":\"${BACKEND_URL:-http://127.0.0.1:8081/pizza}\"},
                     \"sandbox_endpoints\":{\"url\":\"${BACKEND_URL:-http://127.0.0.1:8081/pizza}\"}},
  \"operations\":[{\"target\":\"/menu\",\"verb\":\"GET\",\"authType\":\"Application & Application User\",\"throttlingPolicy\":\"Unlimited\"}]}" \
  | json "['id']")
echo "apiId=$API_ID" >&2

step "Revision, deploy to Default, publish"
REV_ID=$("${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' "$BASE/api/am/publisher/v4/apis/$API_ID/revisions" \
  -d '{"description":"first"}' | json "['id']")
"${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' \
  "$BASE/api/am/publisher/v4/apis/$API_ID/deploy-revision?revisionId=$REV_ID" \
  -d '[{"name":"Default","vhost":"localhost","displayOnDevportal":true}]' >/dev/null
"${CURL[@]}" "${AUTH[@]}" -X POST "$BASE/api/am/publisher/v4/apis/change-lifecycle?apiId=$API_ID&action=Publish" >/dev/null

step "Application, subscription, keys"
APP_ID=$("${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' "$BASE/api/am/devportal/v3/applications" \
  -d "{\"name\":\"PizzaApp$SUFFIX\",\"throttlingPolicy\":\"Unlimited\",\"description\":\"flow\",\"tokenType\":\"JWT\"}" \
  | json "['applicationId']")
"${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' "$BASE/api/am/devportal/v3/subscriptions" \
  -d "{\"apiId\":\"$API_ID\",\"applicationId\":\"$APP_ID\",\"throttlingPolicy\":\"${SUBSCRIPTION_POLICY:-Unlimited}\"}" >/dev/null
KEYS=$("${CURL[@]}" "${AUTH[@]}" -H 'Content-Type: application/json' \
  "$BASE/api/am/devportal/v3/applications/$APP_ID/generate-keys" \
  -d '{"keyType":"PRODUCTION","grantTypesToBeSupported":["client_credentials","password","refresh_token"],"callbackUrl":"","validityTime":3600,"keyManager":"Resident Key Manager"}')
CONSUMER_KEY=$(echo "$KEYS" | json "['consumerKey']"); CONSUMER_SECRET=$(echo "$KEYS" | json "['consumerSecret']")

step "client_credentials token of the application"
APP_TOKEN=$("${CURL[@]}" -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$BASE/oauth2/token" -d grant_type=client_credentials \
  | json "['access_token']")
python3 -c 'import sys, base64, json
p = sys.argv[1].split(".")[1]; p += "=" * (-len(p) % 4); c = json.loads(base64.urlsafe_b64decode(p))
print("claims:", json.dumps({k: c.get(k) for k in ("sub", "azp", "keytype", "aut", "application")}))' "$APP_TOKEN" >&2

step "Introspect (active), revoke, introspect (inactive)"
"${CURL[@]}" -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$BASE/oauth2/introspect" -d "token=$APP_TOKEN" | json "['active']" >&2
if [ "${REVOKE:-yes}" = yes ]; then
  "${CURL[@]}" -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$BASE/oauth2/revoke" -d "token=$APP_TOKEN" -o /dev/null -w 'revoke: %{http_code}\n' >&2
  "${CURL[@]}" -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$BASE/oauth2/introspect" -d "token=$APP_TOKEN" | json "['active']" >&2
  APP_TOKEN=$("${CURL[@]}" -u "$CONSUMER_KEY:$CONSUMER_SECRET" "$BASE/oauth2/token" -d grant_type=client_credentials \
    | json "['access_token']")
fi

cat <<VARS
TOKEN=$TOKEN
API_ID=$API_ID
APP_ID=$APP_ID
CONSUMER_KEY=$CONSUMER_KEY
CONSUMER_SECRET=$CONSUMER_SECRET
APP_TOKEN=$APP_TOKEN
CONTEXT=/pizzashack$SUFFIX/1.0.0
VARS
