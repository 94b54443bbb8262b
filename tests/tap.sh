# tap.sh — sourced by the CLI tests: unset variables are errors, $seeds is
# the sample corpus, $tmp a scratch directory removed on exit, and check
# NAME CONDITION prints a TAP line ("ok - NAME" or "not ok - NAME") and
# remembers a failure in $fail (the test's exit code).
set -u
seeds=${SHARED:-../../shared}/corpus/seeds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
# The synthetic corpus of bench_store (tests that compare two ways of
# ingesting it): $bench, or the test is skipped (exit 77) without it.
need_bench() {
  bench=${BUILD_DIR:-../build}/bench_store
  [ -x "$bench" ] || { echo "# no $bench: skipped"; exit 77; }
}
