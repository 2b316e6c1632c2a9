#!/usr/bin/env bash
# Runs the PKCS#11 overhead benchmark (kms4j vs raw SunPKCS11) on a fresh SoftHSM2 token.
#
#   benchmarks/run-pkcs11.sh            # interleaved raw/kms4j pairs, median ratio (docs/benchmarks/pkcs11.md)
#   benchmarks/run-pkcs11.sh 10         # the same with 10 rounds per operation
#   benchmarks/run-pkcs11.sh jmh -f 1 -wi 3 -i 5   # plain JMH, all four benchmarks in sequence
#
# Builds the benchmark jar, makes a token in benchmarks/target/softhsm (SoftHSM2 must be installed; run
# scripts/test.sh once, or apt-get install softhsm2), and runs JMH with the token settings in the environment,
# which JMH's forked JVMs inherit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

DIR="$ROOT/benchmarks/target/softhsm"
MODULE="${KMS4J_BENCH_PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
TOKEN="kms4j-bench"
PIN="bench-pin-$RANDOM$RANDOM"

mvn -q -B -ntp -pl benchmarks -am -DskipTests package
bash "$ROOT/provider-pkcs11/src/test/softhsm/init-token.sh" "$DIR" "$PIN" "bench-so-$RANDOM$RANDOM" "$TOKEN"
mkdir -p "$DIR/state"

export SOFTHSM2_CONF="$DIR/softhsm2.conf"
export KMS4J_BENCH_PKCS11_MODULE="$MODULE"
export KMS4J_BENCH_PKCS11_TOKEN="$TOKEN"
export KMS4J_BENCH_PKCS11_PIN="$PIN"
export KMS4J_BENCH_STATE_DIR="$DIR/state"

JAR="$ROOT/benchmarks/target/benchmarks.jar"
if [ "${1:-}" = "jmh" ]; then
  shift
  exec java -jar "$JAR" 'io.kms4j.benchmarks.pkcs11.*' "$@"
fi
exec java -cp "$JAR" io.kms4j.benchmarks.pkcs11.Pkcs11OverheadRatio "${1:-6}"
