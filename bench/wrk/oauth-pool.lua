-- Shared by the OAuth scenarios. Refresh tokens are single use and revoking a token ends its session, so those
-- scenarios use every seeded token once: each wrk thread takes its own slice of the pool file (every
-- BENCH_THREADS-th line) and never reuses a token. A thread that runs out sends a token that does not exist,
-- which the node answers with an error status: the result line says "exhausted" and counts those as errors, so a
-- pool too small for the run cannot pass for a fast one (raise the pool size in bench/oauth.sh's environment).
local M = {}

local threads = {}

function M.setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

-- This thread's slice of the pool file (in a thread's init; `id` was set by setup).
function M.slice(file)
  local count = tonumber(os.getenv("BENCH_THREADS") or "1")
  local mine, line_number = {}, 0
  for line in io.lines(file) do
    if line ~= "" then
      if line_number % count == id then
        mine[#mine + 1] = line
      end
      line_number = line_number + 1
    end
  end
  return mine
end

-- Every token of the pool, for the scenarios that may use one many times (introspection).
function M.all(file)
  local tokens = {}
  for line in io.lines(file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
  return tokens
end

-- Keeps the first answer that is not a 200, for the result line (a thread's global; wrk counts them as errors).
function M.response(status, headers, body)
  if status ~= 200 then
    if first_failure == nil then
      first_failure = status .. " " .. string.sub(body or "", 1, 200):gsub('[%c"\\]', " ")
    end
  end
end

function M.urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- One JSON line like report.lua's, plus how many pool tokens the threads used, whether any ran out, how many
-- introspection answers said the token was not active (the introspection scenario counts them) and the first
-- answer that was not a 200 (status and start of the body), if a scenario keeps them with M.response.
function M.done(name)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local bad = summary.errors.status + summary.errors.connect + summary.errors.read
        + summary.errors.write + summary.errors.timeout
    local used, exhausted, inactive, first_failure = 0, false, 0, ""
    for _, thread in ipairs(threads) do
      used = used + (thread:get("used") or 0)
      exhausted = exhausted or (thread:get("exhausted") == true)
      inactive = inactive + (thread:get("inactive") or 0)
      if first_failure == "" and thread:get("first_failure") ~= nil then
        first_failure = thread:get("first_failure")
      end
    end
    io.write(string.format(
        '{"scenario":"%s","requests":%d,"seconds":%.2f,"rps":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"errors":%d,"tokens_used":%d,"exhausted":%s,"inactive":%d,"first_failure":"%s"}\n',
        name, summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad, used,
        tostring(exhausted), inactive, first_failure))
  end
end

return M
