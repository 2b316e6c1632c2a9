#!/usr/bin/env bash
# Measures KMS Encrypt through the kms4j server (./kms4j server, local provider) and through moto_server, on this
# machine, in one run: requests per second and p50/p99 latency, with the JDK HTTP client sending signed requests
# ("raw") and with the AWS SDK for Java v2 ("sdk"). Results: docs/benchmarks/server.md.
#
#   server/bench/run.sh                          # 1 and 16 client threads, 8 s warm-up, 15 s measured per row
#   THREADS_LIST=8 MEASURE=30 server/bench/run.sh
#
# Servers: "kms4j" is ./kms4j server as shipped (local keystore, every audit record fsynced before the answer);
# "kms4j-no-fsync" adds --no-audit-fsync; "kms4j-mem-audit" is the same server auditing to memory, which shows
# the server's own cost apart from the audit log's; "moto" is moto_server.
#
# Client and servers share this machine's cores; the figures compare the servers under identical conditions,
# they are not absolute capacities.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
THREADS_LIST="${THREADS_LIST:-1 16}"
WARMUP="${WARMUP:-8}"
MEASURE="${MEASURE:-15}"
SIZE="${SIZE:-256}"
WORK="$(mktemp -d /tmp/kms4j-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building (server tests and the ./kms4j launcher)..." >&2
(cd "$ROOT" && mvn -q -B -ntp -pl server -am test-compile dependency:build-classpath \
   -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >&2)
(cd "$ROOT" && mvn -q -B -ntp -pl cli -am package -DskipTests >&2)
CP="$ROOT/server/target/test-classes:$ROOT/server/target/classes:$(cat "$WORK/cp.txt")"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
drive() { # ENDPOINT LABEL: both clients at every thread count
  for threads in $THREADS_LIST; do
    for mode in raw sdk; do
      java -Xmx1g -cp "$CP" io.kms4j.server.bench.EncryptLoadDriver "$1" "$mode" "$threads" "$WARMUP" "$MEASURE" \
        "$SIZE" "$2" | tee -a "$WORK/results.txt"
    done
  done
}
kms4j_server() { # LABEL [extra options]
  local label="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$WORK/$label"
  KMS4J_HOME="$WORK/$label" KMS4J_PASSPHRASE=bench-passphrase "$ROOT/kms4j" server --port "$port" "$@" \
    2> "$WORK/$label/server.log" &
  local pid=$!
  PIDS+=("$pid")
  wait_port "$port"
  drive "http://127.0.0.1:$port" "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), moto $(python3 -c "import moto; print(moto.__version__)" 2>/dev/null || echo unknown)" >&2
echo "load: $THREADS_LIST threads, ${WARMUP}s warm-up, ${MEASURE}s measured, ${SIZE}-byte plaintexts" >&2

kms4j_server kms4j                       # the default: every audit record fsynced before the answer
kms4j_server kms4j-no-fsync --no-audit-fsync

MEM_PORT="$(free_port)"
java -cp "$CP" io.kms4j.server.bench.InMemoryAuditServer "$MEM_PORT" > "$WORK/mem.log" 2>&1 &
MEM_PID=$!
PIDS+=("$MEM_PID")
wait_port "$MEM_PORT"
drive "http://127.0.0.1:$MEM_PORT" kms4j-mem-audit
kill "$MEM_PID"; wait "$MEM_PID" 2>/dev/null || true

MOTO_PORT="$(free_port)"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" > "$WORK/moto.log" 2>&1 &
PIDS+=("$!")
wait_port "$MOTO_PORT"
drive "http://127.0.0.1:$MOTO_PORT" moto

echo
printf '%-16s %-4s %7s %8s %6s %7s %8s %8s\n' server client threads requests errors rps p50_ms p99_ms
awk '{printf "%-16s %-4s %7s %8s %6s %7s %8s %8s\n", $2, $3, $4, $5, $6, $7, $8, $9}' "$WORK/results.txt"
echo
awk '$2=="moto" {moto[$3" "$4]=$7} $2!="moto" {k[$2" "$3" "$4]=$7}
     END {for (key in k) {split(key, p, " "); m = moto[p[2]" "p[3]];
          if (m > 0) printf "ratio %-15s / moto, %s client, %2s threads: %5.1fx rps\n", p[1], p[2], p[3], k[key]/m}}' \
  "$WORK/results.txt" | sort
