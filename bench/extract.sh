#!/usr/bin/env bash
# bench/extract.sh — extract throughput next to `wc -w` on the same bytes, in
# one run.  Builds a corpus of >= 200 MB (BENCH_MB) by repeating and varying the
# seed texts into build-data/bench/ (kept between runs, never committed), then
# times `dossier extract --no-claims` and `dossier extract` (--jobs 1 and 2)
# and `wc -w`, and prints MB/s and the ratio to wc -w per core.
# Target (issue 3): extract within 20x of wc -w per core.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${DOSSIER:-build/dossier}
SHARED=${SHARED:-../shared}
MB=${BENCH_MB:-200}
C=build-data/bench/corpus-$MB
if [ ! -f "$C.done" ]; then
  rm -rf "$C"
  mkdir -p "$C"
  python3 bench/make_corpus.py "$SHARED/corpus/seeds" "$C" "$MB" >&2
  touch "$C.done"
fi
bytes=$(find "$C" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
ndocs=$(find "$C" -type f | wc -l)
echo "corpus: $C, $ndocs documents, $((bytes / 1048576)) MiB"
# warm the page cache so every run reads from memory
find "$C" -type f -print0 | xargs -0 cat >/dev/null

# Times are CPU seconds (user + sys, children included): the machine may be
# shared, and CPU time is what "per core" means.  Wall time is shown too.
TIMEFORMAT='%R %U %S'
cpu() {   # cpu CMD... : "wall cpu" of one run, output discarded
  local r
  r=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
  awk -v r="$r" 'BEGIN {split(r, a, " "); printf "%.3f %.3f\n", a[1], a[2] + a[3]}'
}
mbps() { awk -v b="$bytes" -v t="$1" 'BEGIN {printf "%.1f", b / 1048576 / t}'; }

read -r w_wc t_wc < <(cpu sh -c "find '$C' -type f -print0 | sort -z | xargs -0 env LC_ALL=C wc -w | tail -1")
read -r w_wcu t_wcu < <(cpu sh -c "find '$C' -type f -print0 | sort -z | xargs -0 env LC_ALL=C.UTF-8 wc -w | tail -1")
printf '%-36s %8s %8s %8s\n' "" "CPU s" "wall s" "MB/CPU-s"
printf '%-36s %8.2f %8.2f %8s\n' "wc -w (LC_ALL=C)" "$t_wc" "$w_wc" "$(mbps "$t_wc")"
printf '%-36s %8.2f %8.2f %8s\n' "wc -w (LC_ALL=C.UTF-8)" "$t_wcu" "$w_wcu" "$(mbps "$t_wcu")"
for args in "--no-claims --jobs 1" "--jobs 1" "--jobs 2"; do
  read -r w t < <(cpu "$D" extract $args "$C")
  ratio=$(awk -v t="$t" -v w="$t_wc" 'BEGIN {printf "%.1f", t / w}')
  printf '%-36s %8.2f %8.2f %8s  %5sx wc -w (C) per core\n' "dossier extract $args" "$t" "$w" \
    "$(mbps "$t")" "$ratio"
done
