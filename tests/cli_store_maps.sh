#!/usr/bin/env bash
# cli_store_maps.sh — the in-memory maps of the SQLite backend (LSH buckets,
# incidents: store_sqlite_lsh.c, store_sqlite_incmap.c) give the same
# clusters, incident links and mirrors as SQL alone: bench_store's synthetic
# corpus (copies, shared events, mirror pairs) ingested with the maps loaded
# from the first lookup on, and with no maps at all, then compared row by row.
bin=$1
. "$(dirname "$0")/tap.sh"
need_bench
n=3000
# BENCH_BATCH small: many commits (pending rows flushed, maps carried over)
DOSSIER_LSH_MAP=-1 BENCH_BATCH=250 "$bench" $n "$tmp/sql.db" "$seeds" > "$tmp/sql.out" 2>&1
check "bench_store without maps ran" '[ $? -eq 0 ]'
DOSSIER_LSH_MAP=0 BENCH_BATCH=250 "$bench" $n "$tmp/map.db" "$seeds" > "$tmp/map.out" 2>&1
check "bench_store with maps ran" '[ $? -eq 0 ]'
dump() {
  sqlite3 "$1" "SELECT 'claim',id,incident FROM claims ORDER BY id;
    SELECT 'doc',id,cluster FROM documents ORDER BY id;
    SELECT 'mirror',a,b FROM incident_mirrors ORDER BY a,b;
    SELECT 'incident',id,type,day,day_lo,day_hi,place,nclaims,ndocs,norigins FROM incidents ORDER BY id;"
}
dump "$tmp/sql.db" > "$tmp/sql.rows"
dump "$tmp/map.db" > "$tmp/map.rows"
claims=$(grep -c '^claim' "$tmp/sql.rows")
incidents=$(grep -c '^incident' "$tmp/sql.rows")
mirrors=$(grep -c '^mirror' "$tmp/sql.rows")
check "the corpus links claims ($claims claims, $incidents incidents, $mirrors mirrors)" \
  '[ "$claims" -eq $n ] && [ "$incidents" -gt 100 ] && [ "$incidents" -lt "$claims" ] && [ "$mirrors" -gt 0 ]'
check "copies cluster" '[ "$(sqlite3 "$tmp/sql.db" "SELECT count(DISTINCT cluster) FROM documents")" -lt $n ]'
check "same clusters, incident links, mirrors and incidents with and without maps" \
  'cmp -s "$tmp/sql.rows" "$tmp/map.rows"'
[ $fail -eq 0 ] || diff "$tmp/sql.rows" "$tmp/map.rows" | head -20
exit $fail
