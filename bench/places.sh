#!/usr/bin/env bash
# bench/places.sh — place resolutions/s and dates/s per core, next to
# chrono-node (npm, installed here under build-data/npm) on the same strings.
#   bench/places.sh [BUILD_DIR] [SECONDS]
# Strings: the inputs of tests/data/places_cases.tsv and dates_cases.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SECS=${2:-3}
GEN=${DOSSIER_GEN:-build-data}
NPM=$GEN/npm
if [ ! -d "$NPM/node_modules/chrono-node" ]; then
  echo "bench: installing chrono-node into $NPM" >&2
  mkdir -p "$NPM"
  [ -f "$NPM/package.json" ] || echo '{"name":"dossier-build-data","private":true}' > "$NPM/package.json"
  npm install --prefix "$NPM" --save --no-audit --no-fund --ignore-scripts --loglevel=error \
    chrono-node@2.10.3 >/dev/null
fi
[ -x "$BUILD/bench_places" ] || { echo "bench: build first (make)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' tests/data/places_cases.tsv | awk -F'\t' '$1 == "resolve" { print $2 }' > "$tmp/places.txt"
grep -v '^#' tests/data/dates_cases.tsv | awk -F'\t' 'NF >= 5 { print $3 }' > "$tmp/dates.txt"

# best of three, interleaved, so that other load on the machine hits both sides alike
run3() { for _ in 1 2 3; do "$@"; done | sed -E 's/^([^ ]+) ([0-9]+)\/s/\1 \2 \/s/' | sort -k2 -n | tail -1 | sed -E 's/ ([0-9]+) \/s/ \1\/s/'; }
ours_p=$(run3 "$BUILD/bench_places" places "$tmp/places.txt" "$SECS")
chrono_p=$(run3 node bench/chrono_bench.js "$NPM/node_modules" "$tmp/places.txt" "$SECS")
ours_d=$(run3 "$BUILD/bench_places" dates "$tmp/dates.txt" "$SECS")
chrono_d=$(run3 node bench/chrono_bench.js "$NPM/node_modules" "$tmp/dates.txt" "$SECS")
rate() { sed -E 's/^[^ ]+ ([0-9]+)\/s.*/\1/' <<<"$1"; }
echo "places: dossier   $ours_p"
echo "places: baseline  $chrono_p  (chrono-node on the same strings)"
echo "places: ratio     $(awk -v a="$(rate "$ours_p")" -v b="$(rate "$chrono_p")" 'BEGIN { printf "%.1fx\n", a / b }')"
echo "dates:  dossier   $ours_d"
echo "dates:  baseline  $chrono_d"
echo "dates:  ratio     $(awk -v a="$(rate "$ours_d")" -v b="$(rate "$chrono_d")" 'BEGIN { printf "%.1fx\n", a / b }')"
