-- POST /oauth2/token with grant_type=refresh_token: every request presents a different, never used refresh token
-- of its own session (seeded by bench/oauth/OAuthBench.java, whose access token was used once). One request:
-- the refresh token row locked, a new pair inserted, the old pair consumed and its access token revoked, and
-- every node told to forget that access token (acknowledged) before the answer.
package.path = (os.getenv("BENCH_WRK") or "bench/wrk") .. "/?.lua;" .. package.path
local pool = require("oauth-pool")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local tokens, client, next_token

setup = pool.setup
response = pool.response

function init(args)
  tokens = pool.slice(os.getenv("BENCH_TOKENS"))
  client = pool.urlencode(os.getenv("BENCH_CLIENT_ID"))
  next_token = 1
  used = 0
  exhausted = false
end

function request()
  local token = tokens[next_token]
  if token == nil then
    exhausted = true
    token = "mar_exhausted"
  else
    next_token = next_token + 1
    used = used + 1
  end
  return wrk.format("POST", "/oauth2/token", headers,
      "grant_type=refresh_token&refresh_token=" .. token .. "&client_id=" .. client)
end

done = pool.done("refresh (token rotation)")
