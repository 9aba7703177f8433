#!/usr/bin/env bash
# The seed's distributed topology on one machine, on loopback, from one jar:
#   2 publisher, 1 devportal, 1 keymanager, 1 trafficmanager, 2 gateway nodes (one JVM each, own port and data dir),
#   one private PostgreSQL, one private Redis, nginx in front (its own generated configuration).
# It never touches the machine's PostgreSQL (5432) or Redis (6379): both are started from the Debian binaries on
# ports of their own, with data under the cluster directory.
#
# Usage: infra/deploy/local-cluster.sh up | down | status | env
#        infra/deploy/local-cluster.sh start|stop|kill NODE      (one node: publisher-1, gateway-2, ...)
#        infra/deploy/local-cluster.sh pg-stop|pg-start|redis-stop|redis-start
# Settings (environment): APIM_CLUSTER_DIR (default infra/deploy/work/cluster), APIM_CLUSTER_PORT_BASE (20000),
#   APIM_JAR (infra/launcher/target/apim.jar), APIM_NODE_JAVA_OPTS, APIM_SEGMENTS (2: apim.processing.segments of
#   the apimgtdb and shareddb projections, read when the cluster's tokens are first created), APIM_CLAIM_TIMEOUT (3s)
#   and APIM_CLAIM_INTERVAL (500ms): apim.processing.claim-timeout/-interval, APIM_CLUSTER_WAIT (health wait, 300 s).
# Ports (base 20000): nginx 20443 (management, HTTPS), 20280/20243 (gateway HTTP/HTTPS), 20090 (internal, loopback
#   only: /internal/data and the JWKS for gateways); nodes 201xx; PostgreSQL 20432; Redis 20379.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${APIM_CLUSTER_DIR:-$HERE/work/cluster}
JAR=${APIM_JAR:-$ROOT/infra/launcher/target/apim.jar}
B=${APIM_CLUSTER_PORT_BASE:-20000}
SEGMENTS=${APIM_SEGMENTS:-2}
# Loopback nodes extend their claims every second: a short claim timeout gives a fast failover (bound 4.5 s).
CLAIM_TIMEOUT=${APIM_CLAIM_TIMEOUT:-3s}
CLAIM_INTERVAL=${APIM_CLAIM_INTERVAL:-500ms}
WAIT=${APIM_CLUSTER_WAIT:-300}
JAVA_OPTS_NODE=${APIM_NODE_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}

PG_PORT=$((B + 432)); REDIS_PORT=$((B + 379))
LB_MGMT=$((B + 443)); LB_GW_HTTP=$((B + 280)); LB_GW_HTTPS=$((B + 243)); LB_INTERNAL=$((B + 90))

# name role management-port gateway-http-port (0 = none)
NODES="publisher-1 publisher $((B + 101)) 0
publisher-2 publisher $((B + 102)) 0
devportal-1 devportal $((B + 111)) 0
keymanager-1 keymanager $((B + 121)) 0
trafficmanager-1 trafficmanager $((B + 131)) 0
gateway-1 gateway $((B + 141)) $((B + 181))
gateway-2 gateway $((B + 142)) $((B + 182))"

PG_BIN=${APIM_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
ISSUER="https://localhost:$LB_MGMT/oauth2/token"

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
node_field() { echo "$NODES" | awk -v n="$1" -v f="$2" '$1 == n { print $f }'; }
node_names() { echo "$NODES" | awk -v r="${1:-}" 'r == "" || $2 == r { print $1 }'; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
http_code() { curl -sk -o /dev/null -w '%{http_code}' --max-time "${2:-3}" "$1" 2>/dev/null || true; }

# ---- shared secrets, generated once per cluster directory ----
secrets() {
  mkdir -p "$DIR"
  if [ ! -f "$DIR/secrets.env" ]; then
    umask 077
    {
      echo "APIM_INTERNAL_KEY=$(openssl rand -hex 24)"
      echo "APIM_KEYMANAGER_MASTER_KEY=$(openssl rand -hex 24)"
      echo "APIM_ADMIN_PASSWORD=$(openssl rand -hex 12)"
    } > "$DIR/secrets.env"
    log "generated shared secrets in $DIR/secrets.env"
  fi
  set -a; . "$DIR/secrets.env"; set +a
}

# ---- PostgreSQL (private instance) ----
pg_start() {
  [ -x "$PG_BIN/pg_ctl" ] || die "no PostgreSQL binaries (looked in /usr/lib/postgresql/*/bin; set APIM_PG_BIN)"
  local data="$DIR/postgres"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
      || die "initdb failed, see $DIR/initdb.log"
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then return 0; fi
  as_pg "$PG_BIN/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" start \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $data -c max_connections=300 -c fsync=on" >/dev/null \
    || die "PostgreSQL did not start, see $data/server.log"
  if ! as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='apim'" \
      | grep -q 1; then
    as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE apim" >/dev/null
  fi
  log "PostgreSQL on 127.0.0.1:$PG_PORT (data $data)"
}
pg_stop() {
  local data="$DIR/postgres"
  [ -f "$data/PG_VERSION" ] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m "${1:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}

# ---- Redis (private instance) ----
redis_start() {
  mkdir -p "$DIR/redis"
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/redis" --daemonize yes \
    --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log" --appendonly yes --save "" >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  log "Redis on 127.0.0.1:$REDIS_PORT"
}
redis_stop() {
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do alive "$DIR/redis/redis.pid" || break; sleep 0.1; done
}

# ---- nginx (generated configuration) ----
# max_fails=0: nginx never parks a node; a refused connection (a dead node, on loopback instantly) moves the request
# to the next node. With max_fails>0 nginx lets only one probe request reach a node that failed once until that probe
# answers, and a slow probe (a write waiting for its read model while a dead node's segments are unclaimed) then turns
# every other request into "no live upstreams" 502s (seen in fault test 2).
upstream_servers() { # role
  local n
  for n in $(node_names "$1"); do
    if [ "$1" = gateway ]; then
      echo "        server 127.0.0.1:$(node_field "$n" 4) max_fails=0;"
    else
      echo "        server 127.0.0.1:$(node_field "$n" 3) max_fails=0;"
    fi
  done
}
nginx_config() {
  local n="$DIR/nginx"
  mkdir -p "$n/tmp"
  if [ ! -f "$n/tls.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$n/tls.key" -out "$n/tls.crt" >/dev/null 2>&1
  fi
  sed -e "s#@DIR@#$n#g" -e "s#@LB_MGMT@#$LB_MGMT#g" -e "s#@LB_GW_HTTP@#$LB_GW_HTTP#g" \
      -e "s#@LB_GW_HTTPS@#$LB_GW_HTTPS#g" -e "s#@LB_INTERNAL@#$LB_INTERNAL#g" \
      -e "s#@USER@#$( [ "$(id -u)" = 0 ] && echo 'user root;' )#" "$HERE/nginx/local-cluster.conf.in" \
    | awk -v pub="$(upstream_servers publisher)" -v dev="$(upstream_servers devportal)" \
          -v km="$(upstream_servers keymanager)" -v tm="$(upstream_servers trafficmanager)" \
          -v gw="$(upstream_servers gateway)" '
        /@PUBLISHER@/ { print pub; next } /@DEVPORTAL@/ { print dev; next } /@KEYMANAGER@/ { print km; next }
        /@TRAFFICMANAGER@/ { print tm; next } /@GATEWAY@/ { print gw; next } { print }' > "$n/nginx.conf"
  nginx -t -q -c "$n/nginx.conf" -p "$n" 2>"$n/test.log" || { cat "$n/test.log" >&2; die "nginx -t failed"; }
}
nginx_start() {
  nginx_config
  if alive "$DIR/nginx/nginx.pid"; then nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" -s reload; return; fi
  nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  log "nginx: management https://localhost:$LB_MGMT, gateway http://localhost:$LB_GW_HTTP https://localhost:$LB_GW_HTTPS"
}
nginx_stop() {
  alive "$DIR/nginx/nginx.pid" && nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" -s quit 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$DIR/nginx/nginx.pid" || break; sleep 0.1; done
}

# ---- nodes ----
node_start() { # name
  local name=$1 role port gw
  role=$(node_field "$name" 2); port=$(node_field "$name" 3); gw=$(node_field "$name" 4)
  [ -n "$role" ] || die "unknown node $name (nodes: $(node_names | tr '\n' ' '))"
  [ -f "$JAR" ] || die "no $JAR: build it with ./mvnw -B -ntp -DskipTests package"
  local data="$DIR/nodes/$name"; mkdir -p "$data"
  if alive "$data/pid"; then return 0; fi
  (
    cd "$data"
    export APIM_ROLES=$role APIM_DATA_DIR=$data
    export APIM_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/apim?user=postgres" APIM_DB_POOL_SIZE=12
    export APIM_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    export APIM_MANAGEMENT_PORT=$port APIM_MANAGEMENT_TLS=false SERVER_FORWARD_HEADERS_STRATEGY=framework
    export APIM_KEYMANAGER_ISSUER=$ISSUER APIM_GATEWAY_TOKEN_ISSUER=$ISSUER
    export APIM_GATEWAY_JWKS_URL="http://127.0.0.1:$LB_INTERNAL/oauth2/jwks"
    export APIM_GATEWAY_SYNC_INTERNAL_URL="http://127.0.0.1:$LB_INTERNAL"
    export APIM_GATEWAY_HTTP_PORT=$gw APIM_GATEWAY_HTTPS_PORT=-1 APIM_GATEWAY_TRUST_FORWARDED_FOR=true
    export APIM_GATEWAY_THROTTLE_NODES=$(node_names gateway | wc -l)
    [ "$gw" = 0 ] && export APIM_GATEWAY_HTTP_PORT=-1
    # A gateway is ready once its state is loaded (gatewayState leaves OUT_OF_SERVICE), not merely started.
    [ "$role" = gateway ] && export MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE=readinessState,gatewayState
    # Read-model processors (apim.processing.*): every node runs them and claims segments; a killed node's
    # segments are taken over within claim-timeout + claim-interval + min(1s, claim-timeout/4).
    export APIM_PROCESSING_SEGMENTS=$SEGMENTS APIM_PROCESSING_CLAIM_TIMEOUT=$CLAIM_TIMEOUT
    export APIM_PROCESSING_CLAIM_INTERVAL=$CLAIM_INTERVAL
    # shellcheck disable=SC2086
    exec setsid java $JAVA_OPTS_NODE -jar "$JAR" \
      >>"$data/node.log" 2>&1 </dev/null
  ) &
  echo $! > "$data/pid"
  log "started $name ($role) pid $(cat "$data/pid"), management http://127.0.0.1:$port$( [ "$gw" != 0 ] && echo ", gateway http://127.0.0.1:$gw")"
}
node_ready() { [ "$(http_code "http://127.0.0.1:$(node_field "$1" 3)/actuator/health/readiness")" = 200 ]; }
node_wait() { # names...
  local deadline=$((SECONDS + WAIT)) n pending
  while :; do
    pending=""
    for n in "$@"; do
      node_ready "$n" && continue
      alive "$DIR/nodes/$n/pid" || die "$n exited, see $DIR/nodes/$n/node.log"
      pending="$pending $n"
    done
    [ -z "$pending" ] && return 0
    [ $SECONDS -ge $deadline ] && die "not ready after ${WAIT}s:$pending"
    sleep 2
  done
}
node_stop() { # name [signal]
  local pidf="$DIR/nodes/$1/pid" sig=${2:-TERM}
  alive "$pidf" || { rm -f "$pidf"; return 0; }
  kill -"$sig" "$(cat "$pidf")" 2>/dev/null || true
  for _ in $(seq 1 150); do alive "$pidf" || break; sleep 0.2; done
  alive "$pidf" && kill -9 "$(cat "$pidf")" 2>/dev/null || true
  rm -f "$pidf"
}

endpoints() {
  cat <<EOF
Management (Publisher, Admin, Developer Portal, Key Manager) through nginx:  https://localhost:$LB_MGMT
Gateway through nginx:                       http://localhost:$LB_GW_HTTP   https://localhost:$LB_GW_HTTPS
Internal (gateways only, loopback):          http://127.0.0.1:$LB_INTERNAL/internal/data/v1/...
PostgreSQL: jdbc:postgresql://127.0.0.1:$PG_PORT/apim?user=postgres    Redis: redis://127.0.0.1:$REDIS_PORT
Admin: admin / \$APIM_ADMIN_PASSWORD from $DIR/secrets.env
Flow:  set -a; . $DIR/secrets.env; set +a; scripts/wso2-flow.sh https://localhost:$LB_MGMT
EOF
}

status() {
  local n rc=0
  printf '%-18s %-15s %-8s %-8s %s\n' node role pid ready port
  for n in $(node_names); do
    local pid=- ready=DOWN
    alive "$DIR/nodes/$n/pid" && pid=$(cat "$DIR/nodes/$n/pid")
    node_ready "$n" && ready=UP || rc=1
    printf '%-18s %-15s %-8s %-8s %s\n' "$n" "$(node_field "$n" 2)" "$pid" "$ready" "$(node_field "$n" 3)"
  done
  printf 'nginx %s, postgres %s, redis %s\n' \
    "$(alive "$DIR/nginx/nginx.pid" && echo up || echo down)" \
    "$(as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null && echo up || echo down)" \
    "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && echo up || echo down)"
  return $rc
}

up() {
  secrets; pg_start; redis_start; nginx_start
  # The first node migrates the schemas and bootstraps the administrator; the others start together after it.
  node_start publisher-1; node_wait publisher-1
  local n rest=""
  for n in $(node_names); do [ "$n" = publisher-1 ] || { node_start "$n"; rest="$rest $n"; }; done
  # shellcheck disable=SC2086
  node_wait $rest
  log "cluster ready"; endpoints
}

down() {
  local n
  for n in $(node_names); do node_stop "$n" & done
  wait
  nginx_stop; redis_stop; pg_stop fast
  log "cluster stopped (data kept in $DIR; remove it for a fresh cluster)"
}

cmd=${1:-status}
case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) secrets >/dev/null; cat "$DIR/secrets.env"; echo "LB_MGMT=$LB_MGMT LB_GW_HTTP=$LB_GW_HTTP PG_PORT=$PG_PORT REDIS_PORT=$REDIS_PORT" ;;
  endpoints) endpoints ;;
  start) secrets; node_start "${2:?node}"; node_wait "$2" ;;
  stop) node_stop "${2:?node}" TERM ;;
  kill) node_stop "${2:?node}" KILL ;;
  nodes) node_names "${2:-}" ;;
  port) node_field "${2:?node}" "${3:-3}" ;;
  pg-stop) pg_stop "${2:-fast}" ;;
  pg-start) pg_start ;;
  redis-stop) redis_stop ;;
  redis-start) redis_start ;;
  *) die "usage: $0 up|down|status|env|endpoints|start NODE|stop NODE|kill NODE|pg-stop|pg-start|redis-stop|redis-start" ;;
esac
