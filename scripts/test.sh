#!/usr/bin/env bash
# Runs every kms4j test on this machine, installing what the tests need first.
#
#   ./scripts/test.sh              # all modules: mvn verify
#   ./scripts/test.sh -pl api      # extra arguments go to Maven
#
# The tests start their own real parts (a SoftHSM2 token, moto_server, the kms4j server, the AWS CLI v2) on
# 127.0.0.1; this script only makes sure the programs are installed. On Debian/Ubuntu, as root, it installs
# missing packages with apt-get; otherwise it says what to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use, as "command:package" pairs.
REQUIRED_PACKAGES=(
  "softhsm2-util:softhsm2"
  "pkcs11-tool:opensc"
  "/usr/bin/aws:awscli"
  "jq:jq"
)

missing=()
for pair in "${REQUIRED_PACKAGES[@]}"; do
  cmd="${pair%%:*}"; pkg="${pair##*:}"
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "$cmd" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "kms4j tests: installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "kms4j tests need these Debian packages: ${missing[*]}" >&2
    echo "install them (for example: sudo apt-get install ${missing[*]}) and run this script again" >&2
    exit 2
  fi
fi

command -v java >/dev/null || { echo "kms4j tests need a JDK 17 or newer (java not found)" >&2; exit 2; }
command -v mvn >/dev/null || { echo "kms4j tests need Apache Maven 3.8 or newer (mvn not found)" >&2; exit 2; }

exec mvn -B -ntp verify "$@"
