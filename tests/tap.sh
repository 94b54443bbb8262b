# tap.sh — sourced by the CLI tests: a scratch directory $tmp removed on
# exit, and check NAME CONDITION, which prints a TAP line ("ok - NAME" or
# "not ok - NAME") and remembers a failure in $fail (the test's exit code).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
