#!/usr/bin/env bash
# bench/store.sh — store + syndication + incident linking at growing N.
# One run to BENCH_STORE_N documents (default 1,000,000) prints cumulative
# figures at 10k, 100k and 1M, so growth with N reads off one table: if
# documents/s stays flat as N grows ×10, cost per document does not grow
# with the store (sub-quadratic linking).  docs/s are per CPU second of the
# ingesting thread (this machine is shared; wall time is printed too); the
# phase columns are seconds of the monotonic clock inside ingest.
# Then the end-to-end `dossier ingest` rate (extraction included) on copies
# of the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
N=${BENCH_STORE_N:-1000000}
db=$BUILD/bench-store.db
echo "store bench: $N synthetic documents (seeds varied), one claim each"
if [ "$N" -gt 0 ]; then
  "$BUILD/bench_store" "$N" "$db" "$SHARED/corpus/seeds"
  rm -f "$db" "$db-wal" "$db-shm"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
for i in $(seq 1 400); do for f in "$SHARED"/corpus/seeds/*; do
  { echo "Item $i"; cat "$f"; } > "$tmp/in/$i-$(basename "$f")"; done; done
# extraction alone, for the share of the cost that storing adds
start=$(date +%s.%N)
"$BUILD/dossier" extract "$tmp/in" > /dev/null
mid=$(date +%s.%N)
"$BUILD/dossier" ingest "$tmp/in" --db "$tmp/e2e.db" -q --json > "$tmp/out.json"
end=$(date +%s.%N)
python3 -c "
import json
x = json.load(open('$tmp/out.json'))
import os
print('dossier extract alone: %.0f docs/s' % (x['added'] / ($mid - $start)))
print('end-to-end dossier ingest (extract + store, %d jobs): %d documents in %.2f s wall = %.0f docs/s (load average %.1f)' % (
    os.cpu_count(), x['added'], $end - $mid, x['added'] / ($end - $mid), os.getloadavg()[0]))"
