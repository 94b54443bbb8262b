#!/usr/bin/env bash
# cli_store_errors.sh — `dossier ingest` against a database it cannot use:
# unwritable path, file size limit (full disk), a locked database, a newer
# schema, a file that is not a database.  Each gives a clear message, exit 2,
# and leaves the stored data intact.
set -u
bin=$1
seeds=${SHARED:-../../shared}/corpus/seeds
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
q() { sqlite3 "$1" "$2"; }
n=$(ls "$seeds" | wc -l)
check "seeds found" '[ "$n" -gt 0 ]'

# unwritable paths
"$bin" ingest "$seeds" --db "$tmp/no/such/dir/x.db" -q 2> "$tmp/e1"; rc=$?
check "missing directory: exit 2 (got $rc)" '[ $rc -eq 2 ]'
check "missing directory: clear message" 'grep -q "cannot open database" "$tmp/e1" && grep -qi "unable to open\|cannot write" "$tmp/e1"'
touch "$tmp/plainfile"
"$bin" ingest "$seeds" --db "$tmp/plainfile/x.db" -q 2> "$tmp/e2"; rc=$?
check "path through a file: exit 2 (got $rc)" '[ $rc -eq 2 ]'

# not a database
head -c 4096 /dev/urandom > "$tmp/junk.db"
cp "$tmp/junk.db" "$tmp/junk.orig"
"$bin" ingest "$seeds" --db "$tmp/junk.db" -q 2> "$tmp/e3"; rc=$?
check "not a database: exit 2 (got $rc)" '[ $rc -eq 2 ]'
check "not a database: says so" 'grep -q "not a dossier database" "$tmp/e3"'
check "not a database: file untouched" 'cmp -s "$tmp/junk.db" "$tmp/junk.orig"'

# a good database to break in the following ways
"$bin" ingest "$seeds" --db "$tmp/good.db" -q; rc=$?
check "good ingest (got $rc)" '[ $rc -eq 0 ]'
docs=$(q "$tmp/good.db" "select count(*) from documents")

# newer schema
q "$tmp/good.db" "insert into schema_version(version) values(999)"
mkdir -p "$tmp/more"; for f in "$seeds"/*; do { cat "$f"; echo "extra $RANDOM"; } > "$tmp/more/$(basename "$f")"; done
"$bin" ingest "$tmp/more" --db "$tmp/good.db" -q 2> "$tmp/e4"; rc=$?
check "newer schema: exit 2 (got $rc)" '[ $rc -eq 2 ]'
check "newer schema: says so" 'grep -q "newer than this dossier" "$tmp/e4"'
check "newer schema: data intact" '[ "$(q "$tmp/good.db" "select count(*) from documents")" = "$docs" ]'
"$bin" incidents --db "$tmp/good.db" > /dev/null 2> "$tmp/e5"; rc=$?
check "newer schema: queries refuse too (got $rc)" '[ $rc -eq 2 ] && grep -q newer "$tmp/e5"'
q "$tmp/good.db" "delete from schema_version where version=999"

# locked: another process holds the write lock (for longer under
# DOSSIER_TEST_TIME_SCALE: memcheck takes seconds just to load the data)
S=${DOSSIER_TEST_TIME_SCALE:-1}
( echo "BEGIN IMMEDIATE;"; echo "INSERT INTO schema_version(version) SELECT 1 WHERE 0;"; sleep $((4 * S)); echo "COMMIT;" ) | sqlite3 "$tmp/good.db" &
sleep 0.5
DOSSIER_BUSY_MS=300 "$bin" ingest "$tmp/more" --db "$tmp/good.db" -q 2> "$tmp/e6"; rc=$?
check "locked: exit 2 (got $rc)" '[ $rc -eq 2 ]'
check "locked: says locked" 'grep -q "locked" "$tmp/e6"'
wait
check "locked: data intact" '[ "$(q "$tmp/good.db" "select count(*) from documents")" = "$docs" ] && [ "$(q "$tmp/good.db" "pragma integrity_check")" = ok ]'
"$bin" ingest "$tmp/more" --db "$tmp/good.db" -q; rc=$?
check "after the lock is gone the ingest works (got $rc)" '[ $rc -eq 0 ] && [ "$(q "$tmp/good.db" "select count(*) from documents")" = $((docs + n)) ]'

# full disk: a file size limit while the database grows
mkdir -p "$tmp/big"
for i in $(seq 1 30); do for f in "$seeds"/*; do { echo "copy $i"; cat "$f"; } > "$tmp/big/$i-$(basename "$f")"; done; done
cp "$tmp/good.db" "$tmp/full.db"
before=$(q "$tmp/full.db" "select count(*) from documents")
( ulimit -f 512; "$bin" ingest "$tmp/big" --db "$tmp/full.db" --batch 20 -q 2> "$tmp/e7" ); rc=$?
check "file size limit: exit 2 (got $rc)" '[ $rc -eq 2 ]'
check "file size limit: says disk full" 'grep -q "disk full" "$tmp/e7"'
check "file size limit: integrity ok" '[ "$(q "$tmp/full.db" "pragma integrity_check")" = ok ]'
after=$(q "$tmp/full.db" "select count(*) from documents")
check "file size limit: earlier data kept ($before <= $after)" '[ "$after" -ge "$before" ]'
check "file size limit: no document stored twice" '[ "$(q "$tmp/full.db" "select count(*) - count(distinct doc_id) from documents")" = 0 ]'
check "file size limit: no half-stored document" '[ "$(q "$tmp/full.db" "select count(*) from documents d where not exists (select 1 from sentences s where s.doc=d.id)")" = 0 ]'
"$bin" ingest "$tmp/big" --db "$tmp/full.db" -q; rc=$?
check "without the limit the ingest completes (got $rc)" '[ $rc -eq 0 ] && [ "$(q "$tmp/full.db" "select count(*) from documents")" = $((before + 30 * n)) ]'
exit $fail
