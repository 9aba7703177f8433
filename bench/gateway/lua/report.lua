-- wrk script for the gateway comparison, closed loop (as many requests as the connections can carry).
-- done() prints one line for bench/gateway/run.sh: requests/s, p50/p90/p99/p99.9 latency (microseconds),
-- and the error counts (non-2xx/3xx answers count as "status" errors and invalidate a run).

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH rps=%.1f p50=%d p90=%d p99=%d p999=%d max=%d requests=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
