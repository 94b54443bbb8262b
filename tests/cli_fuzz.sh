#!/usr/bin/env bash
# cli_fuzz.sh — the short, bounded fuzz run of `make test`: every libFuzzer
# target (fuzz/fuzz_*.c) runs for DOSSIER_FUZZ_SECONDS (default 20) from its
# seed corpus; any crash, leak, UB report or hang fails the test.  Long runs:
# `make fuzz` (scripts/fuzz, 300 s per target by default).
# Usage: cli_fuzz.sh path/to/dossier   (env BUILD_DIR: where to build)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(FUZZ_BUILD="${BUILD_DIR:-$here/build-asan}/fuzz" "$here/scripts/fuzz" -j 2 -t "${DOSSIER_FUZZ_SECONDS:-20}" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
n=$(echo "$out" | grep -c 'execs in .* exit 0$')
targets=$(ls "$here"/fuzz/fuzz_*.c | wc -l)
[ "$rc" -eq 0 ] && echo "ok 1 - scripts/fuzz exit 0" || echo "not ok 1 - scripts/fuzz exit $rc"
[ "$n" -eq "$targets" ] && echo "ok 2 - $n of $targets targets ran clean" ||
  echo "not ok 2 - $n of $targets targets ran clean"
echo "1..2"
[ "$rc" -eq 0 ] && [ "$n" -eq "$targets" ]
