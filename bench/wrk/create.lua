-- POST /rendezvous (MSC4388): a new session per request.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local report = require("report")
wrk.method = "POST"
wrk.path = "/_matrix/client/unstable/io.element.msc4388/rendezvous"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":"' .. string.rep("x", 64) .. '"}'
done = report.done("create (MSC4388 POST)")
