#!/usr/bin/env bash
# Creates a fresh SoftHSM2 token store for one test run of provider-pkcs11:
#   <dir>/softhsm2.conf   the SOFTHSM2_CONF the forked test JVM gets
#   <dir>/tokens/         the token directory, emptied first
# and initialises the tokens the tests use. It runs BEFORE the test JVM starts (Maven phase
# process-test-classes): SoftHSM2 reads its token list once per process, so a token made later is invisible.
#
#   init-token.sh <dir> <user-pin> <so-pin> <label>...
set -euo pipefail

if [ "$#" -lt 4 ]; then
  echo "usage: $0 <dir> <user-pin> <so-pin> <label>..." >&2
  exit 2
fi
dir="$1"; pin="$2"; so_pin="$3"; shift 3

if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "provider-pkcs11 tests need SoftHSM2 (softhsm2-util was not found)." >&2
  echo "Run ./scripts/test.sh, which installs it (Debian package softhsm2), or: sudo apt-get install softhsm2 opensc" >&2
  exit 3
fi

rm -rf "$dir"
mkdir -p "$dir/tokens"
chmod 700 "$dir" "$dir/tokens"
cat > "$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
CONF
export SOFTHSM2_CONF="$dir/softhsm2.conf"

for label in "$@"; do
  softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$pin" >/dev/null
done
echo "SoftHSM2 tokens ready in $dir: $*"
