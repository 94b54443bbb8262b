#!/usr/bin/env bash
# cli_store_ckpt.sh — checkpoints in a thread of their own
# (store_sqlite_ckpt.c): bench_store's synthetic corpus ingested with the
# thread checkpointing from the first commits on (DOSSIER_CKPT_PAGES=32) and
# with no checkpoint during the run (the WAL stays under the default
# threshold): the same rows, a sound database, and a WAL that started over
# instead of holding every page written.
bin=$1
. "$(dirname "$0")/tap.sh"
need_bench
n=3000
BENCH_BATCH=100 "$bench" $n "$tmp/plain.db" "$seeds" > "$tmp/plain.out" 2>&1
check "bench_store without checkpoints ran" '[ $? -eq 0 ]'
DOSSIER_CKPT_PAGES=32 BENCH_BATCH=100 "$bench" $n "$tmp/ckpt.db" "$seeds" > "$tmp/ckpt.out" 2>&1
check "bench_store with the checkpoint thread ran" '[ $? -eq 0 ]'
wal() { sed -n 's/.*with its WAL (\([0-9.]*\) MB).*/\1/p' "$1"; }
wp=$(wal "$tmp/plain.out"); wc=$(wal "$tmp/ckpt.out")
check "the WAL held the whole run without checkpoints ($wp MB)" \
  'python3 -c "import sys; sys.exit(not float(\"$wp\") > 8)"'
check "with the thread it started over ($wc MB, wrap at 512 pages)" \
  'python3 -c "import sys; sys.exit(not float(\"$wc\") < 10)"'
dump() {
  sqlite3 "$1" "SELECT 'claim',id,incident FROM claims ORDER BY id;
    SELECT 'doc',id,doc_id,cluster FROM documents ORDER BY id;
    SELECT 'incident',id,nclaims,ndocs,norigins,place,date FROM incidents ORDER BY id;
    SELECT 'fts',count(*) FROM sentences_fts WHERE sentences_fts MATCH 'the';"
}
check "integrity_check ok" '[ "$(sqlite3 "$tmp/ckpt.db" "pragma integrity_check")" = ok ]'
check "FTS index consistent" \
  'sqlite3 "$tmp/ckpt.db" "insert into sentences_fts(sentences_fts) values('"'"'integrity-check'"'"')"'
check "the same rows with and without the thread" \
  '[ "$(dump "$tmp/plain.db" | md5sum)" = "$(dump "$tmp/ckpt.db" | md5sum)" ]'
exit $fail
