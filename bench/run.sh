#!/usr/bin/env bash
# Rendezvous benchmark: starts a Gatehouse node (./gatehouse run, bench config, non-default ports) and the bare
# Vert.x baseline, runs each scenario with wrk at the same concurrency, and prints req/s, p50, p99 and the ratio
# to the baseline, the long-poll wake-up latency, and the heap held per 10,000 live sessions.
#
#   bench/run.sh                       # 15 s per scenario, 64 connections, 2 wrk threads
#   DURATION=30s CONNECTIONS=128 bench/run.sh
#   JAVA_OPTS_EXTRA="-Djava.util.concurrent.ForkJoinPool.common.parallelism=2" bench/run.sh
#                                      # extra JVM options for the node (see docs/benchmarks.md)
#   SCENARIOS="poll put" bench/run.sh  # only these (of: versions poll put create long-poll heap); the ceiling
#                                      # always runs, so every figure keeps its same-run baseline
#
# Needs java, mvn and wrk (installed from Debian if missing). Results: bench/results/ (JSON lines + logs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
NODE_PORT="${NODE_PORT:-18480}"
CLUSTER_PORT="${CLUSTER_PORT:-18481}"
BASELINE_PORT="${BASELINE_PORT:-18490}"
SEEDED="${SEEDED:-1000}"
SCENARIOS="${SCENARIOS:-versions poll put create long-poll heap}"
wanted() { [[ " $SCENARIOS " == *" $1 "* ]]; }
JAR="$ROOT/server/target/gatehouse.jar"
RESULTS="$ROOT/bench/results"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
export BENCH_WRK="$ROOT/bench/wrk"

bench_require_wrk
bench_require_free_ports "$NODE_PORT" "$CLUSTER_PORT" "$BASELINE_PORT"

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
bench_build_jar

bench_temp_data gatehouse-bench

JAVA_OPTS="-Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-}" \
GATEHOUSE_HTTP__PORT="$NODE_PORT" GATEHOUSE_PUBLIC_BASE_URL="http://127.0.0.1:$NODE_PORT/" \
GATEHOUSE_CLUSTER__PORT="$CLUSTER_PORT" GATEHOUSE_CLUSTER__NAME="bench-$NODE_PORT" \
GATEHOUSE_DATA_DIR="$DATA" GATEHOUSE_DATABASE__EMBEDDED__DATA_DIR="$DATA/postgres" GATEHOUSE_METRICS__PORT=0 \
GATEHOUSE_LOGGING__ACCESS_LOG="${ACCESS_LOG:-false}" \
  "$ROOT/gatehouse" run --config "$ROOT/bench/gatehouse-bench.yaml" >"$RESULTS/node.log" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
bench_start_baseline "$BASELINE_PORT"

bench_wait_for "the node" "$RESULTS/node.log" "Gatehouse is ready"
bench_wait_for "the baseline" "$RESULTS/baseline.log" "baseline ready"
NODE="http://127.0.0.1:$NODE_PORT"
BASELINE="http://127.0.0.1:$BASELINE_PORT"
bench_tool() { java -cp "$JAR" "$ROOT/bench/RendezvousBench.java" "$@"; }
heap_kb() {
  # Two full collections, then the heap in use: what live objects hold, not garbage.
  jcmd "$NODE_PID" GC.run >/dev/null && jcmd "$NODE_PID" GC.run >/dev/null
  jcmd "$NODE_PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | grep -o '[0-9]*'
}

echo "bench: seeding $SEEDED sessions of each version" >&2
bench_tool seed "$NODE" "$SEEDED" msc4388 64 "$RESULTS/sessions-4388.txt" >&2
bench_tool seed "$NODE" "$SEEDED" msc4108 64 "$RESULTS/sessions-4108.txt" >&2
export BENCH_SESSIONS="$RESULTS/sessions-4388.txt" BENCH_SESSIONS_4108="$RESULTS/sessions-4108.txt"

if wanted heap; then
  echo "bench: heap per 10,000 live sessions" >&2
  before="$(heap_kb)"
  bench_tool seed "$NODE" 10000 msc4388 1024 "$RESULTS/heap-sessions.txt" >&2
  after="$(heap_kb)"
  echo "{\"scenario\":\"heap per 10000 sessions (1024-character payload)\",\"heap_before_kb\":$before,\"heap_after_kb\":$after,\"per_10000_mb\":$(( (after - before) / 1024 ))}" \
    | tee "$RESULTS/heap.json"
fi

run_wrk() {
  local script="$1" url="$2" out="$3" server="$4"
  # Warm-up (JIT, connection pools), then the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$BENCH_WRK/$script" "$url" >/dev/null
  local before after line requests
  before="$(bench_cpu_ticks "$server")"
  line="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$BENCH_WRK/$script" "$url" | tail -1)"
  after="$(bench_cpu_ticks "$server")"
  requests="$(echo "$line" | grep -o '"requests":[0-9]*' | cut -d: -f2)"
  # The server's own CPU per request: unlike req/s, hardly moved by what else runs on the machine (the neighbours
  # of a shared VM move req/s by ±25% between runs; see docs/benchmarks.md).
  echo "${line%\}},\"server_cpu_us_per_request\":$(awk -v t="$((after - before))" -v r="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN{printf "%.1f", t * 1000000 / hz / r}')}" | tee "$out"
}
echo "bench: scenarios at $CONNECTIONS connections, $DURATION each (node JVM: -Xms1g -Xmx1g ${JAVA_OPTS_EXTRA:-})" >&2
# The ceiling runs right before each scenario and once after the last: on a shared VM the machine's speed drifts
# with its neighbours (it has halved within one run; see docs/benchmarks.md), so each scenario is compared with the
# mean of the ceilings measured just before and just after it.
ceilings=()
run_wrk baseline.lua "$BASELINE/" "$RESULTS/ceiling-0.json" "$BASELINE_PID"
ceilings+=("$RESULTS/ceiling-0.json")
scenarios=()
for name in versions poll put create; do
  if wanted "$name"; then
    run_wrk "$name.lua" "$NODE" "$RESULTS/$name.json" "$NODE_PID"
    scenarios+=("$name")
    run_wrk baseline.lua "$BASELINE/" "$RESULTS/ceiling-${#scenarios[@]}.json" "$BASELINE_PID"
  fi
done
if wanted long-poll; then
  echo "bench: long-poll wake-up latency" >&2
  bench_tool long-poll "$NODE" "$CONNECTIONS" 20 | tail -1 | tee "$RESULTS/long-poll.json"
  bench_tool long-poll "$NODE" "$CONNECTIONS" 20 burst | tail -1 | tee "$RESULTS/long-poll-burst.json"
fi

field() { echo "$1" | grep -o "\"$2\":[^,}]*" | cut -d: -f2- | tr -d '"'; }
echo
echo "| scenario ($CONNECTIONS connections) | req/s | p50 ms | p99 ms | ceiling around it, req/s | ratio to ceiling | server CPU µs/req (ceiling's) | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!scenarios[@]}"; do
  line="$(cat "$RESULTS/${scenarios[$i]}.json")"
  before="$(cat "$RESULTS/ceiling-$i.json")"
  after="$(cat "$RESULTS/ceiling-$((i + 1)).json")"
  ceiling="$(awk -v a="$(field "$before" rps)" -v b="$(field "$after" rps)" 'BEGIN{printf "%.0f", (a + b) / 2}')"
  ceiling_cpu="$(awk -v a="$(field "$before" server_cpu_us_per_request)" -v b="$(field "$after" server_cpu_us_per_request)" \
    'BEGIN{printf "%.1f", (a + b) / 2}')"
  rps="$(field "$line" rps)"
  echo "| $(field "$line" scenario) | $rps | $(field "$line" p50_ms) | $(field "$line" p99_ms) | $ceiling |" \
    "$(awk -v a="$rps" -v b="$ceiling" 'BEGIN{printf "%.2f", a/b}') | $(field "$line" server_cpu_us_per_request) ($ceiling_cpu) |" \
    "$(field "$line" errors) |"
done
echo "ceilings in run order (req/s): $(for f in "$RESULTS"/ceiling-*.json; do field "$(cat "$f")" rps; done | tr '\n' ' ')"
echo
for name in long-poll long-poll-burst; do
  [[ -f "$RESULTS/$name.json" ]] && echo "$name, $CONNECTIONS clients parked: $(cat "$RESULTS/$name.json")"
done
[[ -f "$RESULTS/heap.json" ]] && echo "heap: $(cat "$RESULTS/heap.json")"
true
