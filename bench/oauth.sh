#!/usr/bin/env bash
# OAuth benchmark: starts a Gatehouse node (./gatehouse run, bench/oauth-bench.yaml, non-default ports) and the bare
# Vert.x baseline, seeds sessions through the real endpoints, runs token refresh, introspection and revocation with
# wrk at the same concurrency as the ceiling, and prints req/s, p50, p99 and the ratio to the baseline.
#
#   bench/oauth.sh                     # 15 s per scenario, 64 connections, 2 wrk threads
#   DURATION=5s REFRESH_TOKENS=20000 REVOKE_TOKENS=20000 bench/oauth.sh
#   JAVA_OPTS_EXTRA="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2" bench/oauth.sh
#
# Refresh tokens are single use and a revocation ends its session: every refresh and every revocation request of
# a run needs a session of its own, seeded before the run (bench/oauth/OAuthBench.java). If a scenario's pool runs
# out, its line says "exhausted" and the rest of its requests count as errors: raise REFRESH_TOKENS /
# REVOKE_TOKENS (the seeding rate is printed, to judge the cost).
#
# Needs java, mvn and wrk (installed from Debian if missing). Results: bench/results/oauth/ (JSON lines + logs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
NODE_PORT="${NODE_PORT:-18680}"
CLUSTER_PORT="${CLUSTER_PORT:-18681}"
BASELINE_PORT="${BASELINE_PORT:-18690}"
REFRESH_TOKENS="${REFRESH_TOKENS:-40000}"     # sessions for the measured refresh run
REVOKE_TOKENS="${REVOKE_TOKENS:-40000}"       # sessions for the measured revocation run
WARMUP_TOKENS="${WARMUP_TOKENS:-4000}"        # sessions for each of those two scenarios' warm-up
INTROSPECT_TOKENS="${INTROSPECT_TOKENS:-1000}" # live access tokens the introspection scenario picks from
BROWSERS="${BROWSERS:-64}"                    # seeding browsers (each signs in once, then runs flows in turn)
WARMUP="${WARMUP:-5s}"
JAR="$ROOT/server/target/gatehouse.jar"
RESULTS="$ROOT/bench/results/oauth"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
export BENCH_WRK="$ROOT/bench/wrk" BENCH_THREADS="$THREADS"

bench_require_wrk
bench_require_free_ports "$NODE_PORT" "$CLUSTER_PORT" "$BASELINE_PORT"

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
bench_build_jar

# The token pools live in the temporary data directory too, so they go with the node's data when the script ends.
bench_temp_data gatehouse-oauth-bench

# The same environment for the node and for `gatehouse user add`, which finds the running node's database.
export GATEHOUSE_HTTP__PORT="$NODE_PORT" GATEHOUSE_PUBLIC_BASE_URL="http://127.0.0.1:$NODE_PORT/" \
  GATEHOUSE_CLUSTER__PORT="$CLUSTER_PORT" GATEHOUSE_CLUSTER__NAME="bench-oauth-$NODE_PORT" \
  GATEHOUSE_DATA_DIR="$DATA" GATEHOUSE_DATABASE__EMBEDDED__DATA_DIR="$DATA/postgres" GATEHOUSE_METRICS__PORT=0 \
  GATEHOUSE_LOGGING__ACCESS_LOG="${ACCESS_LOG:-false}"
JAVA_OPTS="-Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-}" \
  "$ROOT/gatehouse" run --config "$ROOT/bench/oauth-bench.yaml" >"$RESULTS/node.log" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
bench_start_baseline "$BASELINE_PORT"

bench_wait_for "the node" "$RESULTS/node.log" "Gatehouse is ready"
bench_wait_for "the baseline" "$RESULTS/baseline.log" "baseline ready"
NODE="http://127.0.0.1:$NODE_PORT"
BASELINE="http://127.0.0.1:$BASELINE_PORT"
INTROSPECTION_SECRET="$(sed -n 's/^ *shared_secret: *//p' "$ROOT/bench/oauth-bench.yaml")"

echo "bench: creating the user and seeding sessions through the pages" >&2
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DATA/password"
"$ROOT/gatehouse" user add bench --password-file "$DATA/password" --config "$ROOT/bench/oauth-bench.yaml" >&2
POOLS="$DATA/pools"
java -cp "$JAR" "$ROOT/bench/oauth/OAuthBench.java" seed "$NODE" bench "$DATA/password" "$BROWSERS" "$POOLS" \
  "refresh-warmup:refresh:$WARMUP_TOKENS" "refresh:refresh:$REFRESH_TOKENS" \
  "revoke-warmup:access:$WARMUP_TOKENS" "revoke:access:$REVOKE_TOKENS" "introspect:access:$INTROSPECT_TOKENS" \
  | tee "$RESULTS/seeding.txt" >&2
export BENCH_CLIENT_ID="$(cat "$POOLS/client_id")" BENCH_INTROSPECTION_SECRET="$INTROSPECTION_SECRET"

# A warm-up (JIT, connection pools), then the measured run. Scenarios that use each token once warm up on a
# pool of their own.
run_wrk() {
  local script="$1" url="$2" out="$3" warmup_pool="${4:-}" pool="${5:-}"
  BENCH_TOKENS="${warmup_pool:-$pool}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH_WRK/$script" "$url" \
    >"$out.warmup"
  BENCH_TOKENS="$pool" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$BENCH_WRK/$script" "$url" \
    | tail -1 | tee "$out"
}
echo "bench: scenarios at $CONNECTIONS connections, $DURATION each (node JVM: -Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-})" >&2
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run_wrk baseline.lua "$BASELINE/" "$RESULTS/ceiling.json"
run_wrk versions.lua "$NODE" "$RESULTS/versions.json"
run_wrk oauth-introspect.lua "$NODE" "$RESULTS/introspect.json" "" "$POOLS/introspect.txt"
run_wrk oauth-refresh.lua "$NODE" "$RESULTS/refresh.json" "$POOLS/refresh-warmup.txt" "$POOLS/refresh.txt"
run_wrk oauth-revoke.lua "$NODE" "$RESULTS/revoke.json" "$POOLS/revoke-warmup.txt" "$POOLS/revoke.txt"

ceiling="$(grep -o '"rps":[0-9]*' "$RESULTS/ceiling.json" | cut -d: -f2)"
echo
echo "| scenario ($CONNECTIONS connections) | req/s | p50 ms | p99 ms | ratio to ceiling | errors | note |"
echo "|---|---:|---:|---:|---:|---:|---|"
for name in ceiling versions introspect refresh revoke; do
  line="$(cat "$RESULTS/$name.json")"
  field() { echo "$line" | grep -o "\"$1\":[^,}]*" | cut -d: -f2- | tr -d '"'; }
  rps="$(field rps)"
  note=""
  if [[ "$(field exhausted)" == "true" ]]; then
    note="pool exhausted after $(field tokens_used) tokens: raise the pool size"
  elif [[ -n "$(field tokens_used)" && "$(field tokens_used)" != "0" ]]; then
    note="$(field tokens_used) sessions used"
  fi
  if [[ -n "$(field inactive)" && "$(field inactive)" != "0" ]]; then
    note="$note; $(field inactive) answers not active"
  fi
  failure="$(echo "$line" | sed -n 's/.*"first_failure":"\([^"]*\)".*/\1/p')"
  if [[ -n "$failure" ]]; then
    note="$note; first error: $failure"
  fi
  echo "| $(field scenario) | $rps | $(field p50_ms) | $(field p99_ms) | $(awk -v a="$rps" -v b="$ceiling" 'BEGIN{printf "%.2f", a/b}') | $(field errors) | ${note#; } |"
done
echo
echo "seeding: $(cat "$RESULTS/seeding.txt")"
