#!/usr/bin/env bash
# cli_store_migrate.sh — schema 6 → 7 on a stored database: documents found
# by doc_key (the first 60 bits of their SHA-256) instead of a unique index
# of doc_id, which SQLite can only drop by rebuilding the table.  A database
# is put back into the version-6 shape (UNIQUE doc_id, no doc_key), then
# `dossier ingest` migrates it: every row kept with its id, keys filled,
# views working, the same documents skipped, new ones added, and a document
# still found by a prefix of its id.
bin=$1
. "$(dirname "$0")/tap.sh"
q() { sqlite3 "$tmp/d.db" "$1"; }
mkdir "$tmp/a" "$tmp/b"
for i in 1 2 3; do for f in "$seeds"/*; do
  { echo "Item $i"; echo; cat "$f"; } > "$tmp/a/$i-$(basename "$f")"
  { echo "Item $((i + 10))"; echo; cat "$f"; } > "$tmp/b/$i-$(basename "$f")"
done; done
"$bin" ingest "$tmp/a" --db "$tmp/d.db" -q
check "first ingest ran" '[ $? -eq 0 ]'
before=$(q "SELECT id||' '||doc_id||' '||cluster||' '||length(text) FROM documents ORDER BY id" | md5sum)
claims=$(q "SELECT count(*) FROM claims_view")
cols="id,doc_id,path,url,title,outlet,published,byline,origin,platform,lang,format,flags,extra,
  text,dropped_boilerplate,dropped_duplicate,dropped_lines,cluster,nshingles,minhash,ingested_at"
q "PRAGMA legacy_alter_table=ON; BEGIN;
  CREATE TABLE documents_v6(id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,
   path TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT, byline TEXT, origin TEXT,
   platform TEXT, lang TEXT, format TEXT, flags TEXT NOT NULL DEFAULT '', extra TEXT,
   text TEXT NOT NULL, dropped_boilerplate INTEGER NOT NULL DEFAULT 0,
   dropped_duplicate INTEGER NOT NULL DEFAULT 0, dropped_lines TEXT NOT NULL DEFAULT '[]',
   cluster INTEGER REFERENCES origin_clusters(id), nshingles INTEGER NOT NULL DEFAULT 0,
   minhash BLOB, ingested_at TEXT NOT NULL);
  INSERT INTO documents_v6($cols) SELECT $cols FROM documents;
  DROP TABLE documents; ALTER TABLE documents_v6 RENAME TO documents;
  CREATE INDEX documents_cluster ON documents(cluster);
  CREATE INDEX documents_facts ON documents(id, cluster, published);
  DELETE FROM schema_version WHERE version > 6; COMMIT;"
check "put back into the version-6 shape" \
  '[ "$(q "SELECT max(version) FROM schema_version")" = 6 ] && ! q "SELECT doc_key FROM documents" 2>/dev/null'
"$bin" show --db "$tmp/d.db" "$(q "SELECT substr(doc_id, 8, 12) FROM documents LIMIT 1")" > /dev/null 2>&1
check "read-only commands ask for a migration first" '[ $? -ne 0 ]'
"$bin" ingest "$tmp/a" --db "$tmp/d.db" -q --json > "$tmp/again.json"
check "ingest migrates it (exit 0)" '[ $? -eq 0 ]'
check "schema version 7" '[ "$(q "SELECT max(version) FROM schema_version")" = 7 ]'
check "every document kept with its id, cluster and text" \
  '[ "$(q "SELECT id||'"' '"'||doc_id||'"' '"'||cluster||'"' '"'||length(text) FROM documents ORDER BY id" | md5sum)" = "$before" ]'
check "doc_key is the first 15 hex digits of each SHA-256" \
  '[ "$(q "SELECT doc_id, doc_key FROM documents" | python3 -c "
import sys
print(all(int(i[7:22], 16) == int(k) for i, k in (l.strip().split(\"|\") for l in sys.stdin)))")" = True ]'
check "the index is on doc_key, doc_id no longer unique" \
  '[ "$(q "SELECT count(*) FROM pragma_index_list('"'documents'"') WHERE name='"'documents_key'"' OR \"unique\"")" = 1 ]'
check "the same documents skipped (nothing added)" 'grep -q "\"added\":0" "$tmp/again.json"'
check "claims_view still reads ($claims rows)" '[ "$(q "SELECT count(*) FROM claims_view")" = "$claims" ]'
"$bin" ingest "$tmp/b" --db "$tmp/d.db" -q --json > "$tmp/new.json"
n=$(ls "$tmp/b" | wc -l)
check "new documents added after the migration ($n)" 'grep -q "\"added\":$n" "$tmp/new.json"'
id=$(q "SELECT doc_id FROM documents ORDER BY id DESC LIMIT 1")
"$bin" show --db "$tmp/d.db" --json "${id:7:12}" > "$tmp/show.json"
check "a document is found by a 12-digit prefix of its id" \
  'python3 -c "import json,sys; sys.exit(json.load(open(\"$tmp/show.json\"))[\"doc\"][\"id\"] != \"$id\")"'
"$bin" show --db "$tmp/d.db" --json "${id:7:20}" > "$tmp/show20.json"
check "and by a 20-digit one (past the key's 15)" \
  'python3 -c "import json,sys; sys.exit(json.load(open(\"$tmp/show20.json\"))[\"doc\"][\"id\"] != \"$id\")"'
check "integrity_check ok" '[ "$(q "PRAGMA integrity_check")" = ok ]'
exit $fail
