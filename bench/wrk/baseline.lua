-- The ceiling: GET on the bare Vert.x server.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done("ceiling: bare Vert.x GET")
