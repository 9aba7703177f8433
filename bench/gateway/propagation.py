#!/usr/bin/env python3
"""Revocation propagation: time from the revocation command (POST /oauth2/revoke) to the first 401 on every gateway.

Per round: a fresh client_credentials token; wait until every gateway answers 200 with it; then one thread per gateway
polls it over a keep-alive connection while the main thread revokes the token; each poller records the time from just
before the revoke request to its first 401. Prints p50/p90/p99/max per gateway and for "all gateways" (the later of
the two per round).

usage: propagation.py --km https://localhost:9443 --key CK --secret CS --url http://127.0.0.1:8280/ctx/1.0.0/echo
                      --url http://127.0.0.1:8281/ctx/1.0.0/echo [--rounds 50]
"""
import argparse
import base64
import http.client
import json
import ssl
import statistics
import threading
import time
import urllib.parse


def connection(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme == "https":
        return http.client.HTTPSConnection(u.hostname, u.port, context=ssl._create_unverified_context(), timeout=10)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=10)


def status(conn, url, token):
    path = urllib.parse.urlsplit(url).path
    conn.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    r.read()
    return r.status


_km = {}


def km_post(km, path, key, secret, form):
    """One keep-alive connection to the Key Manager, so a TLS handshake is not part of what is measured."""
    conn = _km.get(km)
    if conn is None:
        conn = _km[km] = connection(km)
    basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
    conn.request("POST", path, body=urllib.parse.urlencode(form),
                 headers={"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    return r.status, r.read()


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--km", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--url", action="append", required=True)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=20, help="rounds run first and not recorded (JIT warm-up)")
    a = ap.parse_args()

    results = {u: [] for u in a.url}
    both = []
    revoke_ms = []
    for round_no in range(a.warmup + a.rounds):
        recording = round_no >= a.warmup
        code, body = km_post(a.km, "/oauth2/token", a.key, a.secret, {"grant_type": "client_credentials"})
        assert code == 200, (code, body)
        token = json.loads(body)["access_token"]
        conns = {u: connection(u) for u in a.url}
        deadline = time.time() + 20
        for u in a.url:
            while status(conns[u], u, token) != 200:
                assert time.time() < deadline, "gateway never accepted the token: " + u
                time.sleep(0.005)
        start = [0.0]
        go = threading.Event()
        seen = {}

        def poll(u):
            go.wait()
            while True:
                code = status(conns[u], u, token)
                if code == 401:
                    seen[u] = time.perf_counter() - start[0]
                    return
                if time.perf_counter() - start[0] > 10:
                    seen[u] = float("inf")
                    return
                time.sleep(0.001)  # ~1 ms resolution without starving the servers of the 2 cores

        threads = [threading.Thread(target=poll, args=(u,)) for u in a.url]
        for t in threads:
            t.start()
        start[0] = time.perf_counter()
        go.set()
        code, body = km_post(a.km, "/oauth2/revoke", a.key, a.secret, {"token": token})
        if recording:
            revoke_ms.append((time.perf_counter() - start[0]) * 1000)
        assert code == 200, (code, body)
        for t in threads:
            t.join()
        for u in a.url:
            if recording:
                results[u].append(seen[u] * 1000)
            conns[u].close()
        if recording:
            both.append(max(seen[u] for u in a.url) * 1000)

    def line(name, v):
        print(f"{name:55s} n={len(v):3d}  p50={percentile(v, 50):7.1f} ms  p90={percentile(v, 90):7.1f} ms  "
              f"p99={percentile(v, 99):7.1f} ms  max={max(v):7.1f} ms  mean={statistics.mean(v):7.1f} ms")

    for u in a.url:
        line(u, results[u])
    line("all gateways (later of the two per round)", both)
    line("the revoke request itself (answered once the read models have it)", revoke_ms)


if __name__ == "__main__":
    main()
