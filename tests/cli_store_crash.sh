#!/usr/bin/env bash
# cli_store_crash.sh — crash safety: `dossier ingest` is killed with SIGKILL
# at random points, several times, then re-run to the end.  Afterwards
# PRAGMA integrity_check is ok, every document is stored exactly once with all
# its sentences, nothing committed before a kill is lost, and the result
# equals an ingest that was never interrupted.
bin=$1
. "$(dirname "$0")/tap.sh"
q() { sqlite3 "$tmp/c.db" "$1"; }

mkdir -p "$tmp/in"
for i in $(seq 1 50); do
  for f in "$seeds"/*; do { echo "Report $i"; cat "$f"; echo "Filed as item $i."; } > "$tmp/in/$i-$(basename "$f")"; done
done
total=$(ls "$tmp/in" | wc -l)
check "corpus built ($total files)" '[ "$total" -gt 100 ]'

RANDOM=7   # reproducible kill points
prev=0
kills=0
for round in 1 2 3 4 5; do
  # stop killing once half is stored, so a fast build still leaves some
  # documents for the final run
  [ $kills -ge 2 ] && [ $((prev * 2)) -ge "$total" ] && break
  # checkpoints from the first commits on (store_sqlite_ckpt.c), so kills
  # also land while the checkpoint thread copies pages
  DOSSIER_CKPT_PAGES=8 "$bin" ingest "$tmp/in" --db "$tmp/c.db" --batch 8 -j 2 -q 2>/dev/null &
  pid=$!
  # wait until this run has committed something, then kill it at a random moment
  for t in $(seq 1 400); do
    now=$(q "select count(*) from documents" 2>/dev/null || echo 0)
    [ "${now:-0}" -gt "$prev" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  sleep "0.0$((RANDOM % 10))"
  if kill -9 $pid 2>/dev/null; then kills=$((kills + 1)); fi
  wait $pid 2>/dev/null
  now=$(q "select count(*) from documents" 2>/dev/null || echo 0)
  [ "$now" -ge "$prev" ] || { echo "not ok - round $round lost committed documents ($now < $prev)"; fail=1; }
  prev=$now
done
check "ingest was killed mid-run at least twice ($kills kills)" '[ $kills -ge 2 ]'
check "some but not all documents stored when killed ($prev of $total)" '[ "$prev" -gt 0 ] && [ "$prev" -lt "$total" ]'
"$bin" ingest "$tmp/in" --db "$tmp/c.db" -q; rc=$?
check "final run completes (exit $rc)" '[ $rc -eq 0 ]'
check "integrity_check ok" '[ "$(q "pragma integrity_check")" = ok ]'
check "FTS index consistent" 'q "insert into sentences_fts(sentences_fts) values('"'"'integrity-check'"'"')"'
check "every document stored exactly once" '[ "$(q "select count(*)||'"'"'/'"'"'||count(distinct doc_id) from documents")" = "$total/$total" ]'
check "no document without its sentences" '[ "$(q "select count(*) from documents d where not exists (select 1 from sentences s where s.doc=d.id)")" = 0 ]'
check "no orphan sentences" '[ "$(q "select count(*) from sentences s where not exists (select 1 from documents d where d.id=s.doc)")" = 0 ]'
check "every document in an origin cluster" '[ "$(q "select count(*) from documents where cluster is null")" = 0 ]'
"$bin" ingest "$tmp/in" --db "$tmp/clean.db" -q
check "same sentences as an uninterrupted ingest" '[ "$(q "select count(*) from sentences")" = "$(sqlite3 "$tmp/clean.db" "select count(*) from sentences")" ]'
check "same origin clusters as an uninterrupted ingest" '[ "$(q "select count(distinct cluster) from documents")" = "$(sqlite3 "$tmp/clean.db" "select count(distinct cluster) from documents")" ]'
exit $fail
