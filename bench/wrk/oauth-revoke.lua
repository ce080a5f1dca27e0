-- POST /oauth2/revoke (RFC 7009, MSC4254) of an access token, as a client signing out does: every request ends a
-- different session (seeded, its access token used once). One request: the session, its tokens and its device
-- ended in one transaction, every node told to forget the tokens (acknowledged) before the answer, the device
-- deletion published.
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
    -- Unknown tokens are answered 200 (RFC 7009): send a malformed hint instead, which is a 400, so running out
    -- shows as errors rather than as cheap successes.
    exhausted = true
    return wrk.format("POST", "/oauth2/revoke", headers, "token=x&token_type_hint=exhausted&client_id=" .. client)
  end
  next_token = next_token + 1
  used = used + 1
  return wrk.format("POST", "/oauth2/revoke", headers,
      "token=" .. token .. "&token_type_hint=access_token&client_id=" .. client)
end

done = pool.done("revoke (access token: the session ends)")
