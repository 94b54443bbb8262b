#!/usr/bin/env bash
# bench/pg.sh [BIN] [N] — documents/s of stateless workers against a private
# PostgreSQL 15 (tests/pg_env.sh) with 1 and 2 workers, next to a
# single-process `dossier ingest` of the same N synthetic documents
# (tests/gen_corpus.py) into SQLite and into PostgreSQL, in the same run.
# Figures depend on the machine's load; compare the ratios.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/dossier}
N=${2:-2000}
tmp=$(mktemp -d)
source "$here/../tests/pg_env.sh"
trap 'pg_stop; rm -rf "$tmp"' EXIT
pg_start "$tmp/pg" || { echo "pg.sh: PostgreSQL cannot run: $PG_SKIP_REASON"; exit 2; }
python3 "$here/../tests/gen_corpus.py" "$N" "$tmp/corpus" 5
now() { date +%s.%N; }
rate() { echo "$N / ($2 - $1)" | bc -l; }
printf "%-40s %10s %10s\n" "$N documents" seconds docs/s
t0=$(now); "$bin" ingest "$tmp/corpus" --db "$tmp/ref.db" -q; t1=$(now)
sq=$(rate "$t0" "$t1")
printf "%-40s %10.1f %10.0f\n" "SQLite: dossier ingest (1 process)" "$(echo "$t1 - $t0" | bc)" "$sq"
u=$(pg_uri ingest)
t0=$(now); "$bin" ingest "$tmp/corpus" --db "$u" -q; t1=$(now)
printf "%-40s %10.1f %10.0f\n" "PostgreSQL: dossier ingest (1 process)" "$(echo "$t1 - $t0" | bc)" "$(rate "$t0" "$t1")"
for w in 1 2; do
  u=$(pg_uri "work$w")
  "$bin" enqueue "$tmp/corpus" --db "$u" -q
  t0=$(now)
  pids=()
  for i in $(seq 1 $w); do
    "$bin" worker --db "$u" --name "w$i" --drain --poll 0.2 -q & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(now)
  printf "%-40s %10.1f %10.0f   (%s)\n" "PostgreSQL: $w worker(s)" "$(echo "$t1 - $t0" | bc)" "$(rate "$t0" "$t1")" \
    "$(pg_psql "work$w" "select count(*) filter (where state='done')||' done, '||count(*) filter (where state='failed')||' failed' from work_queue")"
done
