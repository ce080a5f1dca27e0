-- Shared by the scenarios: one JSON line with req/s, latency percentiles and non-2xx/3xx answers.
local M = {}

function M.done(name)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local bad = summary.errors.status + summary.errors.connect + summary.errors.read
        + summary.errors.write + summary.errors.timeout
    io.write(string.format(
        '{"scenario":"%s","requests":%d,"seconds":%.2f,"rps":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"errors":%d}\n',
        name, summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad))
  end
end

-- Session paths written by `RendezvousBench seed`, one per line.
function M.paths(file)
  local paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  return paths
end

return M
