#!/usr/bin/env bash
# bench/filter.sh [BIN] [N...] — filter mode (`dossier extract -`): stream N
# synthetic JSONL documents (bench/gen_jsonl.py, generated on the fly) through
# stdin → stdout and report the maximum resident set size (GNU time -v) and
# documents/s.  Memory must stay flat: the same few MB at 10k and 1M.
#   bench/filter.sh build/dossier 10000 1000000
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/dossier}
shift || true
sizes=${*:-10000 100000}
[ -x /usr/bin/time ] || { echo "filter.sh: GNU time (/usr/bin/time) missing"; exit 2; }
printf "%10s %12s %12s %10s\n" documents "max RSS MB" "seconds" "docs/s"
for n in $sizes; do
  log=$(mktemp)
  start=$(date +%s.%N)
  python3 "$here/gen_jsonl.py" "$n" | /usr/bin/time -v "$bin" extract - -j 2 2> "$log" | wc -l > "$log.out"
  end=$(date +%s.%N)
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$log")
  recs=$(cat "$log.out")
  secs=$(echo "$end - $start" | bc)
  printf "%10s %12.1f %12.1f %10.0f   (%s records out)\n" "$n" "$(echo "$rss / 1024" | bc -l)" "$secs" "$(echo "$n / $secs" | bc -l)" "$recs"
  rm -f "$log" "$log.out"
done
