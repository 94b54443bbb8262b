#!/usr/bin/env bash
# cli_gold.sh — score extraction on our own gold set (tests/gold) and on the
# dev set with the shared scorer; assert cleaning and metadata, print claims.
set -u
bin=$1
shared=${SHARED:-../../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name min value
  if python3 -c "import sys; sys.exit(0 if float('$3') >= float('$2') else 1)"; then pass=$((pass+1));
  else fail=$((fail+1)); echo "FAIL: $1 = $3 (want >= $2)"; fi
}
for set in gold:gold/texts dev:"$shared/corpus/seeds"; do
  name=${set%%:*}; texts=${set#*:}
  golddir=gold; [ "$name" = dev ] && golddir="$shared/eval/dev"
  [ -d "$texts" ] || { echo "skip $name: $texts missing"; continue; }
  "$bin" extract "$texts" > "$tmp/$name.jsonl" 2>/dev/null
  "$shared/eval/score" "$golddir" "$tmp/$name.jsonl" --json > "$tmp/$name.json"
  echo "$name: $("$shared/eval/score" "$golddir" "$tmp/$name.jsonl" | tail -1)"
  clean=$(python3 -c "import json; print(json.load(open('$tmp/$name.json'))['clean'])")
  meta=$(python3 -c "import json; print(json.load(open('$tmp/$name.json'))['meta'])")
  check "$name clean" 0.97 "$clean"
  check "$name meta" 0.95 "$meta"
done
echo "cli_gold: $pass passed, $fail failed"
[ $fail -eq 0 ]
