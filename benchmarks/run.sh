#!/usr/bin/env bash
# Runs the envelope encryption benchmarks on one or more JDKs and writes docs/benchmarks/summary.json,
# docs/benchmarks/README.md (tables, goals met or missed, analysis) and one SVG chart per JDK.
#
#   benchmarks/run.sh                                   # the JDK of JAVA_HOME, or the java on PATH
#   benchmarks/run.sh /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64
#   BENCH_QUICK=1 benchmarks/run.sh                     # seconds per benchmark, to try the script; writes
#                                                       # under benchmarks/target/quick, never into docs/
#   BENCH_PASS=2 benchmarks/run.sh <JDK home>           # a further pass on a busy machine (best of passes)
#   BENCH_PAIRED=0 ...                                  # skip the paired-ratio cross-check (keeps its file)
#
# Each JDK's JMH results go to docs/benchmarks/results/jdk-<major>.json (pass n > 1: jdk-<major>.pass<n>.json);
# the report is made from every results file there, so JDKs and passes can be run one at a time, and keeps for
# each benchmark the best pass (other work on the machine only ever slows a fork down). A pass takes about 25
# minutes per JDK on 2 cores (one fork per benchmark and size, 6 x 2 s warm-up, 5 x 2 s measurement). The
# report judges each run: when raw AES-GCM is far below what this CPU does, the run is marked invalid and this
# script exits with status 3.
set -euo pipefail
cd "$(dirname "$0")/.."

jdks=("$@")
if [ "${#jdks[@]}" -eq 0 ]; then
  jdks=("${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}")
fi

if [ -n "${BENCH_QUICK:-}" ]; then
  out_dir=benchmarks/target/quick
  results="$out_dir/results"
  jmh_timing=(-wi 1 -w 1s -i 1 -r 1s)
else
  out_dir=docs/benchmarks
  results="$out_dir/results"
  jmh_timing=(-wi 6 -w 2s -i 5 -r 2s)
fi
mkdir -p "$results" benchmarks/target

echo "building the benchmarks" >&2
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
for jdk in "${jdks[@]}"; do
  java="$jdk/bin/java"
  [ -x "$java" ] || { echo "no java at $java" >&2; exit 2; }
  major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  out="$results/jdk-$major.json"
  if [ "${BENCH_PASS:-1}" != 1 ]; then
    out="$results/jdk-$major.pass$BENCH_PASS.json"
  fi
  log="benchmarks/target/jmh-$(basename "${out%.json}").log"
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "running the envelope benchmarks on JDK $major ($jdk); log: $log" >&2
  # JMH refuses to run while another JMH run holds its lock; two runs on 2 cores would spoil each other anyway.
  until "$java" -jar "$jar" 'io\.kms4j\.benchmarks\.envelope\.Envelope' -f 1 "${jmh_timing[@]}" -prof gc \
      -rf json -rff "$out" >"$log" 2>&1; do
    if grep -q "Unable to acquire the JMH lock" "$log"; then
      echo "another JMH run holds the lock; waiting for it" >&2
      sleep 30
    else
      echo "JMH failed on JDK $major; see $log" >&2
      exit 1
    fi
  done
  if [ -z "${BENCH_QUICK:-}" ] && [ "${BENCH_PAIRED:-1}" = 1 ]; then
    echo "paired ratios on JDK $major" >&2
    "$java" -cp "$jar" io.kms4j.benchmarks.envelope.EnvelopePairedRatio "$results/paired-jdk-$major.json" \
      >>"$log" 2>&1
  fi
  after=$(cut -d' ' -f1-3 /proc/loadavg)
  cat >"${out%.json}.meta.json" <<META
{"cpu": "$cpu", "cores": $(nproc), "javaHome": "$jdk", "jmhOptions": "-f 1 ${jmh_timing[*]} -prof gc",
 "loadAverageBefore": "$before", "loadAverageAfter": "$after"}
META
done

shopt -s nullglob
files=("$results"/jdk-*[0-9].json)
"${jdks[0]}/bin/java" -cp "$jar" io.kms4j.benchmarks.envelope.EnvelopeReport "$out_dir" benchmarks/ANALYSIS.md \
  "${files[@]}"
