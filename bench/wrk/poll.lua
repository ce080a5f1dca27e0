-- GET on existing MSC4388 sessions, picked at random: the one-second polling of today's clients.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local report = require("report")
local paths

function init(args)
  paths = report.paths(os.getenv("BENCH_SESSIONS"))
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = report.done("GET poll (MSC4388)")
