#!/usr/bin/env python3
"""Bounded load drivers for infra/deploy/fault-tests.sh (loopback only, standard library only).

  loadgen.py create --base https://localhost:20443 --token T --prefix ft1 --seconds 30 --workers 4 --out FILE
      POSTs "create API" commands (each a unique name and context) through the load balancer and records, per
      request, the status and the API id it acknowledged (201).
  loadgen.py get --url http://localhost:20280/ctx/menu --token T --seconds 30 --workers 4 --out FILE
      GETs the URL and records each status.

Every request is one JSON line in --out: {"t": seconds since start, "status": int (0 = no answer), "ms": latency,
"name": ..., "id": ...}. A summary (counts per status) is printed as JSON on stdout.
"""
import argparse
import http.client
import json
import ssl
import sys
import threading
import time
import urllib.parse

CTX = ssl.create_default_context()
CTX.check_hostname = False
CTX.verify_mode = ssl.CERT_NONE


class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.https = u.scheme == "https"
        self.host, self.port = u.hostname, u.port or (443 if self.https else 80)
        self.conn = None

    def request(self, method, path, body=None, headers=None, timeout=30):
        reused = self.conn is not None
        status, data, answered = self._request(method, path, body, headers, timeout)
        if status == 0 and reused and not answered and method == "GET":
            # A kept-alive connection the balancer closed before answering anything: like any HTTP client, send an
            # idempotent request again once on a new connection. Commands are never re-sent (that would count twice).
            status, data, answered = self._request(method, path, body, headers, timeout)
        return status, data

    def _request(self, method, path, body, headers, timeout):
        if self.conn is None:
            if self.https:
                self.conn = http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=CTX)
            else:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            r = self.conn.getresponse()
            data = r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.close()
            return r.status, data, True
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            return 0, b"", False
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, b"", True

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None


def run(args, work):
    out = open(args.out, "w")
    lock = threading.Lock()
    start = time.monotonic()
    end = start + args.seconds
    counter = [0]

    def next_seq():
        with lock:
            counter[0] += 1
            return counter[0]

    interval = args.workers / args.rate if args.rate else 0

    def worker(n):
        client = Client(args.base if args.mode == "create" else args.url)
        due = time.monotonic() + n * (interval / args.workers if interval else 0)
        while time.monotonic() < end:
            if interval:
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                due += interval
            seq = next_seq()
            t0 = time.monotonic()
            record = work(client, seq)
            record["t"] = round(t0 - start, 3)
            record["ms"] = round((time.monotonic() - t0) * 1000, 1)
            with lock:
                out.write(json.dumps(record) + "\n")
            if record["status"] == 0:
                time.sleep(0.05)  # the balancer itself is down: do not spin
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    summary = {}
    with open(args.out) as f:
        for line in f:
            s = str(json.loads(line)["status"])
            summary[s] = summary.get(s, 0) + 1
    print(json.dumps({"sent": counter[0], "statuses": summary}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["create", "get"])
    p.add_argument("--base")
    p.add_argument("--url")
    p.add_argument("--token", required=True)
    p.add_argument("--prefix", default="ft")
    p.add_argument("--backend", default="http://127.0.0.1:20081/pizza")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--rate", type=float, default=0, help="requests per second in all (0 = as fast as answered)")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    auth = {"Authorization": "Bearer " + args.token}

    if args.mode == "create":
        def work(client, seq):
            name = "%s%05d" % (args.prefix, seq)
            body = json.dumps({
                "name": name, "context": "/" + name, "version": "1.0.0", "policies": ["Unlimited"],
                "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": args.backend}},
                "operations": [{"target": "/menu", "verb": "GET", "authType": "Application & Application User",
                                "throttlingPolicy": "Unlimited"}]})
            status, data = client.request("POST", "/api/am/publisher/v4/apis", body,
                                          dict(auth, **{"Content-Type": "application/json"}))
            api_id = None
            if status == 201:
                try:
                    api_id = json.loads(data)["id"]
                except (ValueError, KeyError):
                    pass
            rec = {"status": status, "name": name, "id": api_id}
            if status not in (201, 0):
                rec["body"] = data[:200].decode("utf-8", "replace")
            return rec
    else:
        path = urllib.parse.urlsplit(args.url)
        target = path.path + ("?" + path.query if path.query else "")

        def work(client, seq):
            status, data = client.request("GET", target, None, auth)
            rec = {"status": status}
            if status not in (200, 0):
                rec["body"] = data[:200].decode("utf-8", "replace")
            return rec

    run(args, work)


if __name__ == "__main__":
    sys.exit(main())
