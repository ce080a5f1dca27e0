#!/usr/bin/env bash
# Appservice device benchmark (MSC4190): starts a Gatehouse node (./gatehouse run, bench config, non-default ports)
# with two appservice registrations and the bare Vert.x baseline, then an appservice registers USERS users and
# creates DEVICES_PER_USER devices for each with PUT /_matrix/client/v3/devices/{id}?user_id=, CONCURRENCY
# requests in flight. Prints req/s, total time, p50 and p99 of the creations and of the same client's PUTs to the
# baseline (the ceiling), and, unless LIMITED=0, the same creations by an appservice with rate_limited: true
# (how many 201 and 429).
#
#   bench/appservice.sh                        # 1,000 users x 10 devices, 64 in flight
#   USERS=100 bench/appservice.sh              # a short smoke run (1,000 devices)
#   CONCURRENCY=32 LIMITED=0 bench/appservice.sh
#   JAVA_OPTS_EXTRA="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2" bench/appservice.sh
#
# Needs java and mvn. Results: bench/results/appservice/ (JSON lines + logs; bench/results/ is ignored by git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
USERS="${USERS:-1000}"
DEVICES_PER_USER="${DEVICES_PER_USER:-10}"
CONCURRENCY="${CONCURRENCY:-64}"
WARMUP="${WARMUP:-1000}"
LIMITED="${LIMITED:-1}"
NODE_PORT="${NODE_PORT:-18580}"
CLUSTER_PORT="${CLUSTER_PORT:-18581}"
BASELINE_PORT="${BASELINE_PORT:-18590}"
JAR="$ROOT/server/target/gatehouse.jar"
RESULTS="$ROOT/bench/results/appservice"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

bench_require_free_ports "$NODE_PORT" "$CLUSTER_PORT" "$BASELINE_PORT"

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
bench_build_jar

bench_temp_data gatehouse-bench-as

# Fresh random tokens for every run; they stay in the temporary directory and the environment, never in a log.
AS_TOKEN="as_bench_$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AS_TOKEN_LIMITED="as_bench_limited_$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
registration() {
  local id="$1" token="$2" prefix="$3" limited="$4"
  cat <<YAML
id: $id
url: http://127.0.0.1:9
as_token: $token
hs_token: hs_${token}
sender_localpart: ${id}-bot
rate_limited: $limited
io.element.msc4190: true
namespaces:
  users:
    - exclusive: true
      regex: '@${prefix}_.*:.*'
  aliases: []
  rooms: []
YAML
}
registration bench "$AS_TOKEN" bench false >"$DATA/bench.yaml"
registration limited "$AS_TOKEN_LIMITED" limited true >"$DATA/limited.yaml"
chmod 644 "$DATA"/*.yaml

JAVA_OPTS="-Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-}" \
GATEHOUSE_HTTP__PORT="$NODE_PORT" GATEHOUSE_PUBLIC_BASE_URL="http://127.0.0.1:$NODE_PORT/" \
GATEHOUSE_CLUSTER__PORT="$CLUSTER_PORT" GATEHOUSE_CLUSTER__NAME="bench-as-$NODE_PORT" \
GATEHOUSE_DATA_DIR="$DATA" GATEHOUSE_DATABASE__EMBEDDED__DATA_DIR="$DATA/postgres" GATEHOUSE_METRICS__PORT=0 \
GATEHOUSE_LOGGING__ACCESS_LOG="${ACCESS_LOG:-false}" \
GATEHOUSE_AUTH__APPSERVICES__REGISTRATION_FILES="$DATA/bench.yaml,$DATA/limited.yaml" \
  "$ROOT/gatehouse" run --config "$ROOT/bench/gatehouse-bench.yaml" >"$RESULTS/node.log" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
bench_start_baseline "$BASELINE_PORT"

bench_wait_for "the node" "$RESULTS/node.log" "Gatehouse is ready"
bench_wait_for "the baseline" "$RESULTS/baseline.log" "baseline ready"

limited_token=""
[[ "$LIMITED" == "0" ]] || limited_token="$AS_TOKEN_LIMITED"
echo "bench: $USERS users x $DEVICES_PER_USER devices, $CONCURRENCY in flight (node JVM: -Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-})" >&2
AS_TOKEN="$AS_TOKEN" AS_TOKEN_LIMITED="$limited_token" \
  java -cp "$JAR" "$ROOT/bench/AppserviceBench.java" "http://127.0.0.1:$NODE_PORT" "http://127.0.0.1:$BASELINE_PORT" \
  "$USERS" "$DEVICES_PER_USER" "$CONCURRENCY" "$WARMUP" | tee "$RESULTS/appservice.jsonl"

field() { echo "$1" | grep -o "\"$2\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }
statuses() { echo "$1" | grep -o '"statuses":{[^}]*}' | cut -d: -f2- | tr -d '{}"'; }
echo
echo "| scenario ($CONCURRENCY in flight) | requests | total s | req/s | p50 ms | p99 ms | answers |"
echo "|---|---:|---:|---:|---:|---:|---|"
grep '"scenario"' "$RESULTS/appservice.jsonl" | while IFS= read -r line; do
  echo "| $(field "$line" scenario) | $(field "$line" requests) | $(field "$line" seconds) | $(field "$line" rps) |" \
    "$(field "$line" p50_ms) | $(field "$line" p99_ms) | $(statuses "$line") |"
done
