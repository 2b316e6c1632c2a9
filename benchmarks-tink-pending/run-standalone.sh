#!/usr/bin/env bash
# Runs TinkBridgeBenchmark before the benchmarks module carries it: builds tink-bridge and what it needs with the
# reactor (no install), compiles this directory with JMH's annotation processor, and runs JMH on the result.
#
#   ./run-standalone.sh ratio [rounds]     # interleaved kms4j-KEK / Tink-KEK pairs, median ratios (default 5 rounds)
#   ./run-standalone.sh [JMH options]      # plain JMH over all TinkBridgeBenchmark methods in sequence
# JAVA_OPTS goes to the launching JVM, e.g. JAVA_OPTS=-Djmh.ignoreLock=true when another JMH run holds the lock.
# Delete this script once the benchmark lives in benchmarks/ (see README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jmh_version=1.37
out="$here/target"
rm -rf "$out" && mkdir -p "$out/classes"

# The tink-bridge jar and its test classpath (kms4j-api, kms4j-provider-local, Tink and their dependencies).
(cd "$root" && mvn -q -B -o -pl tink-bridge -am package -DskipTests dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark-classpath.txt)
kms4j_cp="$root/tink-bridge/target/kms4j-tink-bridge-0.1.0-SNAPSHOT.jar:$(cat "$root/tink-bridge/target/benchmark-classpath.txt")"

jmh_cp="$repo/org/openjdk/jmh/jmh-core/$jmh_version/jmh-core-$jmh_version.jar"
jmh_cp="$jmh_cp:$repo/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar"
jmh_cp="$jmh_cp:$repo/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
processor="$repo/org/openjdk/jmh/jmh-generator-annprocess/$jmh_version/jmh-generator-annprocess-$jmh_version.jar"

javac --release 17 -d "$out/classes" -cp "$kms4j_cp:$jmh_cp" -processorpath "$processor:$jmh_cp" \
  $(find "$here/src/main/java" -name '*.java')
cp="$out/classes:$kms4j_cp:$jmh_cp"
if [ "${1:-}" = "ratio" ]; then
  shift
  exec java ${JAVA_OPTS:-} -cp "$cp" io.kms4j.benchmarks.tink.TinkBridgeOverheadRatio "$@"
fi
exec java ${JAVA_OPTS:-} -cp "$cp" org.openjdk.jmh.Main TinkBridgeBenchmark "$@"
