-- POST /oauth2/introspect as the homeserver (shared-secret bearer), for a live access token picked at random from
-- a seeded pool (every token of the pool used once before). The homeserver's view of a request: after the first
-- introspection of a token on a node, its resolution comes from the node's near cache (kept up to 60 s,
-- invalidated cluster-wide on revocation), plus the live account status.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local pool = require("oauth-pool")
local headers
local tokens

setup = pool.setup

function init(args)
  tokens = pool.all(os.getenv("BENCH_TOKENS"))
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded",
              ["Authorization"] = "Bearer " .. os.getenv("BENCH_INTROSPECTION_SECRET") }
  math.randomseed(os.time() + id)
  inactive = 0
end

function request()
  return wrk.format("POST", "/oauth2/introspect", headers,
      "token=" .. tokens[math.random(#tokens)] .. "&token_type_hint=access_token")
end

-- Introspection answers 200 for any token: an expired or unknown one would be cheap and still look like a
-- success, so answers that do not say active are counted (and reported as "inactive").
function response(status, headers, body)
  pool.response(status, headers, body)
  if not body:find('"active":true', 1, true) then
    inactive = inactive + 1
  end
end

done = pool.done("introspection (homeserver: cached token)")
