#!/usr/bin/env bash
# cli_ingest.sh — `dossier ingest`: stores the seeds, is idempotent (a second
# run changes nothing), keeps every record field, indexes sentences for FTS5.
bin=$1
. "$(dirname "$0")/tap.sh"
q() { sqlite3 "$tmp/d.db" "$1"; }

"$bin" ingest "$seeds" --db "$tmp/d.db" --json > "$tmp/out1.json" 2> "$tmp/err1"
rc=$?
check "first ingest exits 0 (got $rc)" '[ $rc -eq 0 ]'
n=$(ls "$seeds" | wc -l)
check "seed corpus found ($n files)" '[ "$n" -gt 0 ]'
check "every seed stored once ($(q 'select count(*) from documents') of $n)" \
  '[ "$(q "select count(*), count(distinct doc_id) from documents")" = "$n|$n" ]'
check "summary says $n added" 'grep -q "\"added\":$n" "$tmp/out1.json"'
check "schema version recorded" '[ "$(q "select max(version) from schema_version")" -ge 1 ]'
check "WAL mode" '[ "$(q "pragma journal_mode")" = wal ]'
check "text stored as extract writes it" \
  '[ "$(q "select text from documents order by path limit 1")" = "$("$bin" extract "$(ls -d "$seeds"/* | head -1)" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"text\"])")" ]'
check "sentences stored" '[ "$(q "select count(*) from sentences")" -gt 20 ]'
check "sentence offsets match the text" \
  '[ "$(q "select count(*) from sentences s join documents d on d.id=s.doc where substr(cast(d.text as blob), s.start+1, s.\"end\"-s.start) <> cast(s.text as blob)")" = 0 ]'
check "FTS5 finds a phrase of a stored sentence" \
  '[ "$(q "select count(*) from sentences_fts where sentences_fts match '"'"'\"white flag\"'"'"'")" -ge 1 ]'
check "every document has an origin cluster" '[ "$(q "select count(*) from documents where cluster is null")" = 0 ]'
check "views exist" '[ "$(q "select count(*) from sqlite_master where type='"'"'view'"'"' and name in ('"'"'claims_view'"'"','"'"'incidents_view'"'"')")" = 2 ]'

q .dump > "$tmp/dump1"
"$bin" ingest "$seeds" --db "$tmp/d.db" --json > "$tmp/out2.json" 2>&1
rc=$?
check "re-ingest exits 0 (got $rc)" '[ $rc -eq 0 ]'
check "re-ingest adds nothing" 'grep -q "\"added\":0" "$tmp/out2.json" && grep -q "\"already_stored\":$n" "$tmp/out2.json"'
q .dump > "$tmp/dump2"
check "re-ingest changes nothing in the database" 'cmp -s "$tmp/dump1" "$tmp/dump2"'
check "integrity_check ok" '[ "$(q "pragma integrity_check")" = ok ]'
check "fts integrity ok" 'q "insert into sentences_fts(sentences_fts) values('"'"'integrity-check'"'"')"'

# a bad input among good ones: stored what it could, exit 1
printf '\x00\x01\x02binary' > "$tmp/bad.txt"
cp "$(ls -d "$seeds"/* | head -1)" "$tmp/good.txt"
echo "one more distinct line" >> "$tmp/good.txt"
"$bin" ingest "$tmp/bad.txt" "$tmp/good.txt" --db "$tmp/d.db" -q 2> "$tmp/err3"
rc=$?
check "a skipped input gives exit 1 (got $rc)" '[ $rc -eq 1 ]'
check "the skipped input is named" 'grep -q bad.txt "$tmp/err3"'
check "the good input is stored" '[ "$(q "select count(*) from documents")" = $((n + 1)) ]'
check "the changed copy joins the original's origin cluster" \
  '[ "$(q "select count(distinct cluster) from documents")" = "$n" ]'

# the per-document limits apply to ingest too: flagged, stored, one stderr line
printf '%s\n' 'Russian forces shelled Kharkiv on Monday, killing five civilians. Russian troops captured ten Ukrainian soldiers near Bakhmut.' > "$tmp/lim.txt"
"$bin" ingest "$tmp/lim.txt" --db "$tmp/lim.db" -q --max-claims 1 2> "$tmp/err4"
rc=$?
check "ingest --max-claims 1 exits 0 (got $rc)" '[ $rc -eq 0 ]'
check "ingest --max-claims 1 stores one claim" \
  '[ "$(sqlite3 "$tmp/lim.db" "select count(*) from claims")" = 1 ]'
check "ingest --max-claims: one stderr line naming the file and the flag" \
  '[ "$(grep -c "lim.txt: .*flagged claims_limit" "$tmp/err4")" = 1 ]'
"$bin" ingest "$tmp/lim.txt" --db "$tmp/lim2.db" -q --max-claims 0 2> "$tmp/err5"
check "ingest --max-claims 0 is a usage error (exit 2)" '[ $? -eq 2 ] && grep -q -- "--max-claims" "$tmp/err5"'

# $DOSSIER_DB is the default database
(cd "$tmp" && DOSSIER_DB="$tmp/env.db" "$bin" ingest "$seeds" -q)
check "DOSSIER_DB names the default database" '[ -s "$tmp/env.db" ]'
exit $fail
