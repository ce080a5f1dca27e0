# What the benchmark scripts share (sourced by run.sh, oauth.sh, appservice.sh; expects ROOT, JAR and RESULTS set).
# A node and the baseline are started in the background, both stopped and the temporary data removed on exit.

# wrk from Debian, installed when missing.
bench_require_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk from Debian" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
}

# Refuses to start when any of the given ports is taken (a developer's node, another benchmark).
bench_require_free_ports() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "bench: port $port is in use; set NODE_PORT / CLUSTER_PORT / BASELINE_PORT" >&2
      exit 2
    fi
  done
}

# Builds the jar when it is missing or older than any source.
bench_build_jar() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT"/*/src/main "$ROOT"/*/pom.xml -newer "$JAR" -print -quit)" ]]; then
    echo "bench: building the jar" >&2
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests package >&2)
  fi
}

# Makes the temporary directory DATA (named after $1) and installs the clean-up of it and of every pid in PIDS.
# The embedded PostgreSQL runs as 'nobody' when we are root: the directory must be reachable by it.
PIDS=()
bench_temp_data() {
  DATA="$(mktemp -d "/tmp/$1-XXXXXX")"
  chmod 755 "$DATA"
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}

# Starts the bare Vert.x baseline (the machine's ceiling) on port $1; sets BASELINE_PID.
bench_start_baseline() {
  java -Xms512m -Xmx512m -cp "$JAR" "$ROOT/bench/Baseline.java" "$1" >"$RESULTS/baseline.log" 2>&1 &
  BASELINE_PID=$!
  PIDS+=("$BASELINE_PID")
}

# Waits until $2 contains $3; fails naming $1 after two minutes.
bench_wait_for() {
  local what="$1" file="$2" text="$3"
  for _ in $(seq 1 240); do
    grep -q "$text" "$file" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "bench: $what did not start; see $file" >&2
  exit 1
}

# CPU time (user + system, in clock ticks) process $1 has used so far.
bench_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
