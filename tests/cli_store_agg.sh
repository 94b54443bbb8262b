#!/usr/bin/env bash
# cli_store_agg.sh — incident aggregates kept between refreshes
# (incident_agg.c: a refresh reads only the claims added since the last one)
# equal a full recomputation from every claim.  Two corpora, each ingested in
# many small batches with the cache and with DOSSIER_AGG_CACHE=0, then every
# incident row compared:
#  - copies of the seeds through `dossier ingest` (real claims: speakers,
#    relays, modalities, counts), some stating an origin, so named clusters
#    form and later merge into content clusters (incidents forgotten);
#  - bench_store's synthetic corpus (many incidents, mirrors, copies).
bin=$1
bench=${BUILD_DIR:-../build}/bench_store
. "$(dirname "$0")/tap.sh"
dump() {
  sqlite3 "$1" "SELECT 'claim',id,incident FROM claims ORDER BY id;
    SELECT 'doc',id,cluster FROM documents ORDER BY id;
    SELECT 'incident',id,type,day,day_lo,day_hi,date,place,admin1,country,lat,lon,precision,
      actor,target,actor_country,target_country,status,site,nclaims,ndocs,norigins,
      source_countries,strongest,weakest,confirmed,disputed,ihl,ihl_bits,fatalities,summary,
      hex(sig),cell FROM incidents ORDER BY id;"
}

mkdir "$tmp/in"
i=0
for round in 1 2 3 4 5 6; do
  for f in "$seeds"/*; do
    i=$((i + 1))
    out="$tmp/in/$(printf %04d $i).txt"
    { echo "Item $i"; echo; cat "$f"; } > "$out"
    # later rounds state origins: first a cluster of its own is named, then
    # copies naming it join it to the story's content cluster (a merge)
    case $round in
      3) { echo; echo "Read the original article on Outlet $((i % 4))"; } >> "$out" ;;
      5) { echo; echo "Read the original article on Outlet $(((i + 1) % 4))"; } >> "$out" ;;
    esac
  done
done
# a document naming each outlet with text of its own comes first
for k in 0 1 2 3; do
  { echo "Outlet $k bulletin"; echo; sed -n '1,4p' "$seeds/$(ls "$seeds" | sed -n "$((k % 5 + 1))p")" | rev;
    echo; echo "Read the original article on Outlet $k"; } > "$tmp/in/0000-$k.txt"
done
DOSSIER_AGG_CACHE=0 "$bin" ingest "$tmp/in" --db "$tmp/full.db" --batch 7 -j 1 -q --json \
  > "$tmp/full.json" 2>&1
check "ingest without the cache ran" '[ $? -eq 0 ]'
"$bin" ingest "$tmp/in" --db "$tmp/cache.db" --batch 7 -j 1 -q --json > "$tmp/cache.json" 2>&1
check "ingest with the cache ran" '[ $? -eq 0 ]'
dump "$tmp/full.db" > "$tmp/full.rows"
dump "$tmp/cache.db" > "$tmp/cache.rows"
multi=$(sqlite3 "$tmp/full.db" "SELECT count(*) FROM incidents WHERE nclaims >= 5")
merged=$(python3 -c "import json; print(json.load(open('$tmp/full.json')).get('clusters_merged', 0))")
check "seed copies: incidents gather claims over many batches ($multi with 5+ claims)" \
  '[ "$multi" -gt 3 ]'
check "seed copies: origin clusters merged ($merged)" '[ "$merged" -gt 0 ]'
check "seed copies: every incident row the same with and without the cache" \
  'cmp -s "$tmp/full.rows" "$tmp/cache.rows"'
cmp -s "$tmp/full.rows" "$tmp/cache.rows" || diff "$tmp/full.rows" "$tmp/cache.rows" | head -10

if [ -x "$bench" ]; then
  n=3000
  DOSSIER_AGG_CACHE=0 BENCH_BATCH=100 "$bench" $n "$tmp/bfull.db" "$seeds" > "$tmp/bfull.out" 2>&1
  check "bench_store without the cache ran" '[ $? -eq 0 ]'
  BENCH_BATCH=100 "$bench" $n "$tmp/bcache.db" "$seeds" > "$tmp/bcache.out" 2>&1
  check "bench_store with the cache ran" '[ $? -eq 0 ]'
  dump "$tmp/bfull.db" > "$tmp/bfull.rows"
  dump "$tmp/bcache.db" > "$tmp/bcache.rows"
  check "synthetic: every incident row the same with and without the cache" \
    'cmp -s "$tmp/bfull.rows" "$tmp/bcache.rows"'
  cmp -s "$tmp/bfull.rows" "$tmp/bcache.rows" || diff "$tmp/bfull.rows" "$tmp/bcache.rows" | head -10
else
  echo "# no $bench: synthetic corpus skipped"
fi
exit $fail
