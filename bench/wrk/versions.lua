-- GET /_matrix/client/versions on the node: its HTTP edge (request id, CORS, router, metrics) with no store work,
-- to tell what the edge costs from what the rendezvous module costs.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local report = require("report")
wrk.path = "/_matrix/client/versions"
done = report.done("node edge only (GET /versions)")
