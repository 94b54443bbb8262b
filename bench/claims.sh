#!/usr/bin/env bash
# bench/claims.sh — claim extraction sentences/s per core, next to a plain
# tokenise-only pass over the same sentences (same run, same process).
#   bench/claims.sh [BUILD_DIR] [SECONDS]
# Corpus: the shared seeds and HTML benchmark pages, and the sentence table.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
SECS=${2:-3}
SHARED=${SHARED:-../shared}
[ -x "$BUILD/bench_claims" ] || { echo "bench: build first (make)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' tests/claims/sentences.tsv | cut -f1 > "$tmp/table.txt"
"$BUILD/bench_claims" "$SECS" "$SHARED/corpus/seeds" "$SHARED/corpus/html-benchmark/html" "$tmp/table.txt"
echo "target: >= 50000 sentences/s per core for claims"
