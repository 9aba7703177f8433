-- wrk script for the gateway comparison at a fixed rate (Debian has wrk, not wrk2's -R).
-- Usage: wrk -tT -cC ... -s paced.lua <url> -- <total requests/s> <T>
--
-- Each wrk thread keeps its own schedule of send slots, one every T/rate seconds, and delay() holds a
-- connection that has just received its answer until the next free slot. As long as some connection is
-- idle at every slot (C comfortably above rate x latency), the achieved rate equals the target; run.sh
-- prints the achieved rate next to the target. Latency is measured from the actual send, i.e. it is not
-- corrected for coordinated omission the way wrk2 is: a stall shows up as a lower achieved rate, not as
-- queueing delay. A thread that falls behind by more than
-- max(5 ms, 10 slots) restarts its schedule instead of bursting to catch up.

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = 0
local next_at = nil
local catch_up = 5 -- ms of lag (timer jitter) made up by sending at once; more is dropped, not burst

function init(args)
  local rate = tonumber(args[1])
  local threads = tonumber(args[2] or "1")
  if rate == nil or rate <= 0 then
    error("paced.lua needs the total rate: -- <requests/s> <threads>")
  end
  interval = 1000.0 * threads / rate
  catch_up = math.max(5, 10 * interval)
end

function delay()
  local t = now_ms()
  if next_at == nil or next_at < t - catch_up then
    next_at = t -- start, or far behind schedule: restart the schedule from now
  end
  next_at = next_at + interval
  local d = next_at - t
  if d < 0 then d = 0 end
  return d
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH rps=%.1f p50=%d p90=%d p99=%d p999=%d max=%d requests=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
