#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker or Kubernetes needed): YAML of the compose file and the
# manifests parses and has the expected shape (probes on actuator health, selectors match), and nginx -t accepts
# nginx/nginx.conf (compose host names replaced by loopback so it resolves here) and the local cluster's template.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
python3 - <<'PY'
import glob, yaml
c = yaml.safe_load(open("docker-compose.yml"))
roles = {}
for name, svc in c["services"].items():
    env = svc.get("environment", {})
    if "APIM_ROLES" in env:
        for key in ("APIM_DB_URL", "APIM_REDIS_URL", "APIM_INTERNAL_KEY", "APIM_KEYMANAGER_MASTER_KEY"):
            assert key in env, (name, key)
        assert svc["healthcheck"]["test"][-1].endswith("/actuator/health/readiness"), name
        roles.setdefault(env["APIM_ROLES"], []).append(name)
assert set(roles) == {"publisher", "devportal", "keymanager", "trafficmanager", "gateway"}, roles
# Segments are apim.processing.* settings (the processors are configured in code; Axon's own keys are ignored).
for f in ["docker-compose.yml"] + sorted(glob.glob("k8s/*.yaml")) + ["local-cluster.sh"]:
    assert "axon.eventhandling.processors" not in open(f).read(), (f, "use apim.processing.* instead")
assert c["x-env"]["APIM_PROCESSING_SEGMENTS"] == "2", "compose: APIM_PROCESSING_SEGMENTS"
print("compose: ok,", {r: len(n) for r, n in roles.items()})
kinds = []
for f in sorted(glob.glob("k8s/*.yaml")):
    for d in yaml.safe_load_all(open(f)):
        if not d:
            continue
        kinds.append(d["kind"] + "/" + d["metadata"]["name"])
        if d["kind"] == "Deployment":
            spec = d["spec"]["template"]["spec"]["containers"][0]
            assert spec["readinessProbe"]["httpGet"]["path"] == "/actuator/health/readiness", f
            assert spec["livenessProbe"]["httpGet"]["path"] == "/actuator/health/liveness", f
            assert d["spec"]["selector"]["matchLabels"] == d["spec"]["template"]["metadata"]["labels"], f
cm = [d for d in yaml.safe_load_all(open("k8s/00-namespace-config.yaml")) if d and d["kind"] == "ConfigMap"][0]
assert cm["data"]["APIM_PROCESSING_SEGMENTS"] == "2", "k8s: APIM_PROCESSING_SEGMENTS"
print("k8s: ok,", " ".join(kinds))
PY
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/tls" "$T/logs" "$T/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$T/tls/tls.key" -out "$T/tls/tls.crt" 2>/dev/null
sed -e 's/server [a-z]*-[0-9]*:\([0-9]*\)/server 127.0.0.1:\1/' -e "s#/etc/nginx/tls#$T/tls#" -e "s#/var/log/nginx#$T/logs#" \
    -e 's/listen \([0-9]\)/listen 127.0.0.1:\1/' nginx/nginx.conf > "$T/nginx.conf"
nginx -t -q -c "$T/nginx.conf" -p "$T" -g "pid $T/nginx.pid; error_log $T/logs/error.log;" && echo "nginx.conf: ok"
cp "$T/tls/tls.crt" "$T/tls/tls.key" "$T/"
sed -e "s#@DIR@#$T#g" -e 's/@LB_MGMT@/20943/; s/@LB_GW_HTTP@/20980/; s/@LB_GW_HTTPS@/20981/; s/@LB_INTERNAL@/20990/' \
    -e 's/@USER@//' -e 's/^@[A-Z]*@$/        server 127.0.0.1:1;/' nginx/local-cluster.conf.in > "$T/local.conf"
nginx -t -q -c "$T/local.conf" -p "$T" && echo "local-cluster.conf.in: ok"
