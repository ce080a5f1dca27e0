-- PUT on existing MSC4108 sessions, picked at random, with If-Match: * so concurrent writers never conflict:
-- the full write path (entry processor on the owner, backup, change published to every node) every time.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local report = require("report")
local paths
local headers = { ["Content-Type"] = "text/plain", ["If-Match"] = "*" }
local body = string.rep("y", 64)

function init(args)
  paths = report.paths(os.getenv("BENCH_SESSIONS_4108"))
  math.randomseed(os.time())
end

function request()
  return wrk.format("PUT", paths[math.random(#paths)], headers, body)
end

done = report.done("PUT (MSC4108 If-Match: *)")
