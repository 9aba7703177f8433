#!/usr/bin/env python3
"""Summarises a JFR recording of the gateway under load: bytes allocated (sum of jdk.ObjectAllocationSample
weights, JFR's estimate of everything allocated) per request, the top allocation sites and the hottest
packages/methods in jdk.ExecutionSample (top frame, and inclusive by package prefix).

    jfr-summary.py RECORDING.jfr REQUESTS [TOP]
"""
import collections
import json
import subprocess
import sys


def events(path, kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]


def thread_group(name):
    """Thread names without their running number (reactor-http-epoll-3 -> reactor-http-epoll)."""
    return name.rstrip("0123456789").rstrip("-#_ ") or name


def package(name, depth=3):
    parts = name.split(".")
    return ".".join(parts[:depth])


def main():
    path, requests = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    # Exact bytes per thread: jdk.ThreadAllocationStatistics at the recording's start and end.
    first, last = {}, {}
    for e in events(path, "jdk.ThreadAllocationStatistics"):
        t = (e["values"].get("thread") or {}).get("javaName") or "?"
        v = e["values"]["allocated"]
        first.setdefault(t, v)
        last[t] = v
    groups = collections.Counter()
    for t in last:
        groups[thread_group(t)] += last[t] - first[t]
    exact = sum(groups.values())
    print(f"allocated (exact, all threads): {exact / 1e6:.1f} MB = {exact / max(1, requests) / 1024:.1f} KB/request")
    for g, b in groups.most_common(8):
        print(f"  {b / max(1, requests) / 1024:8.2f} KB/request  {g}")
    alloc = events(path, "jdk.ObjectAllocationSample")
    total = sum(e["values"]["weight"] for e in alloc)
    print(f"allocated (sampled estimate): {total / 1e6:.1f} MB over {requests} requests = "
          f"{total / max(1, requests) / 1024:.1f} KB/request")
    by_site = collections.Counter()
    by_pkg = collections.Counter()
    for e in alloc:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        w = e["values"]["weight"]
        site = next((frame_name(f) for f in frames if not frame_name(f).startswith(("java.", "jdk.", "sun."))),
                    frames[0] and frame_name(frames[0]) if frames else "?")
        by_site[site] += w
        seen = set()
        for f in frames:
            p = package(frame_name(f))
            if p not in seen:
                seen.add(p)
                by_pkg[p] += w
    print("top allocation sites (first non-JDK frame), KB/request:")
    for site, w in by_site.most_common(top):
        print(f"  {w / max(1, requests) / 1024:8.2f}  {site}")
    print("allocation inclusive by package, KB/request:")
    for p, w in by_pkg.most_common(top):
        print(f"  {w / max(1, requests) / 1024:8.2f}  {p}")
    cpu = events(path, "jdk.ExecutionSample")
    n = len(cpu)
    self_top = collections.Counter()
    incl = collections.Counter()
    for e in cpu:
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if frames:
            self_top[frame_name(frames[0])] += 1
        seen = set()
        for f in frames:
            p = package(frame_name(f))
            if p not in seen:
                seen.add(p)
                incl[p] += 1
    print(f"execution samples: {n}; top frames (self %):")
    for name, c in self_top.most_common(top):
        print(f"  {100 * c / max(1, n):5.1f}  {name}")
    print("inclusive by package (%):")
    for p, c in incl.most_common(top + 10):
        print(f"  {100 * c / max(1, n):5.1f}  {p}")


if __name__ == "__main__":
    main()
