#!/usr/bin/env bash
# cli_pg_store.sh — the PostgreSQL backend: starts a private PostgreSQL 15
# (tests/pg_env.sh; stopped on exit whatever happens), runs the store test
# suite (test_store, the same one run against SQLite) against it, then the
# commands: ingest (idempotent), search, incidents, show, export, status,
# schema version checks, and clear errors for bad URIs and queue commands
# on SQLite.  Results are compared with the same ingest into SQLite.
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
seeds=${SHARED:-../../shared}/corpus/seeds
tmp=$(mktemp -d)
source "$here/pg_env.sh"
serve_pids=()
trap 'for p in "${serve_pids[@]}"; do kill "$p" 2>/dev/null; done; pg_stop; rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
if ! pg_start "$tmp/pg"; then
  echo "# SKIP PostgreSQL cannot run here: $PG_SKIP_REASON"
  exit 77
fi
echo "# PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $tmp/pg"

# ---- the store suite, parametrised by DOSSIER_TEST_PG ----------------------
if [ -x "${BUILD_DIR:-}/test_store" ]; then
  DOSSIER_TEST_PG="postgresql:///%s?host=$tmp/pg&user=dossier" "$BUILD_DIR/test_store" \
    > "$tmp/store.tap" 2>&1
  rc=$?
  sed 's/^/    /' "$tmp/store.tap"
  check "test_store passes against PostgreSQL (rc $rc)" '[ $rc -eq 0 ]'
  check "test_store ran on PostgreSQL" 'grep -q "postgres" "$tmp/store.tap"'
else
  echo "# test_store not built; store suite not run"
fi

# ---- commands ----------------------------------------------------------------
u=$(pg_uri cli)
sq="$tmp/ref.db"
n=$(ls "$seeds" | wc -l)
"$bin" ingest "$seeds" --db "$u" --json > "$tmp/i1.json" 2> "$tmp/i1.err"; rc=$?
check "ingest into PostgreSQL exits 0 (rc $rc: $(head -c 300 "$tmp/i1.err"))" '[ $rc -eq 0 ]'
check "summary names the postgres backend" 'grep -q "\"db\":\"postgres\"" "$tmp/i1.json"'
check "every seed stored once" \
  '[ "$(pg_psql cli "select count(*)||'"'|'"'||count(distinct doc_id) from documents")" = "$n|$n" ]'
check "schema version recorded" '[ "$(pg_psql cli "select max(version) from schema_version")" -ge 1 ]'
check "views exist" \
  '[ "$(pg_psql cli "select count(*) from pg_views where viewname in ('"'"'claims_view'"'"','"'"'incidents_view'"'"')")" = 2 ]'
check "views can be queried" 'pg_psql cli "select count(*) from claims_view; select count(*) from incidents_view" >/dev/null'
pg_psql cli "select doc_id,path,text,cluster from documents order by id; select doc,i,start,\"end\",text from sentences order by id" > "$tmp/d1"
"$bin" ingest "$seeds" --db "$u" --json > "$tmp/i2.json" 2>&1; rc=$?
check "re-ingest exits 0 and adds nothing" '[ $rc -eq 0 ] && grep -q "\"added\":0" "$tmp/i2.json"'
pg_psql cli "select doc_id,path,text,cluster from documents order by id; select doc,i,start,\"end\",text from sentences order by id" > "$tmp/d2"
check "re-ingest changes nothing" 'cmp -s "$tmp/d1" "$tmp/d2"'

"$bin" ingest "$seeds" --db "$sq" -q
q() { sqlite3 "$sq" "$1"; }
check "same documents as SQLite" \
  '[ "$(pg_psql cli "select doc_id||'"'|'"'||length(text) from documents order by doc_id")" = "$(q "select doc_id||'"'|'"'||length(text) from documents order by doc_id")" ]'
check "same sentences as SQLite" \
  '[ "$(pg_psql cli "select d.doc_id||'"'|'"'||s.i||'"'|'"'||s.start||'"'|'"'||s.text from sentences s join documents d on d.id=s.doc order by 1")" = "$(q "select d.doc_id||'"'|'"'||s.i||'"'|'"'||s.start||'"'|'"'||s.text from sentences s join documents d on d.id=s.doc order by 1")" ]'
check "same origin clusters as SQLite" \
  '[ "$(pg_psql cli "select count(distinct cluster) from documents")" = "$(q "select count(distinct cluster) from documents")" ]'

# search: the same FTS5 query language, the same sentences found
for query in '"white flag"' 'white AND flag' 'civilian OR civilians' 'evacuat*' '(white OR red) NOT blue'; do
  "$bin" search "$query" --db "$u" --json > "$tmp/s_pg.json"; rc1=$?
  "$bin" search "$query" --db "$sq" --json > "$tmp/s_sq.json"; rc2=$?
  a=$(python3 -c 'import json,sys; print(sorted((h["doc"],h["sentence"]) for h in json.load(open(sys.argv[1]))))' "$tmp/s_pg.json" 2>&1)
  b=$(python3 -c 'import json,sys; print(sorted((h["doc"],h["sentence"]) for h in json.load(open(sys.argv[1]))))' "$tmp/s_sq.json" 2>&1)
  check "search '$query': same sentences as SQLite FTS5 (rc $rc1/$rc2)" '[ "$a" = "$b" ]'
done
check "search finds the phrase" '[ "$("$bin" search "\"white flag\"" --db "$u" --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" -ge 1 ]'
"$bin" search 'white AND' --db "$u" > /dev/null 2> "$tmp/bad.err"; rc=$?
check "a bad search query: exit 2 and says so (rc $rc)" '[ $rc -eq 2 ] && grep -qi "bad search query" "$tmp/bad.err"'

# incidents, show, export run on PostgreSQL and agree with SQLite
for cmd in "incidents --json" "export --format jsonl" "export --format csv" "export --format geojson"; do
  "$bin" $cmd --db "$u" > "$tmp/o_pg" 2>"$tmp/o_pg.err"; rc1=$?
  "$bin" $cmd --db "$sq" > "$tmp/o_sq" 2>"$tmp/o_sq.err"; rc2=$?
  check "$cmd: same exit code as SQLite ($rc1/$rc2)" '[ $rc1 = $rc2 ] && [ $rc1 -le 1 ]'
  check "$cmd: same output as SQLite" 'cmp -s "$tmp/o_pg" "$tmp/o_sq"'
done
id=$(pg_psql cli "select doc_id from documents order by doc_id limit 1")
"$bin" show "$id" --db "$u" > "$tmp/show_pg"; rc1=$?
"$bin" show "$id" --db "$sq" > "$tmp/show_sq"; rc2=$?
check "show DOC: same as SQLite (rc $rc1/$rc2)" '[ $rc1 -eq 0 ] && diff <(grep -v "origin cluster" "$tmp/show_pg") <(grep -v "origin cluster" "$tmp/show_sq") >/dev/null'
"$bin" show "${id:7:8}" --db "$u" > /dev/null; rc=$?
check "show by a hex prefix" '[ $rc -eq 0 ]'
"$bin" status --db "$u" --json > "$tmp/st.json"; rc=$?
check "status on PostgreSQL (rc $rc)" '[ $rc -eq 0 ] && grep -q "\"documents\":$n" "$tmp/st.json" && grep -q "\"queue\"" "$tmp/st.json"'

# serve: the web API over the PostgreSQL store answers as over SQLite
start_serve() {   # db name; sets url
  "$bin" serve --db "$1" --port 0 --threads 2 > "$tmp/serve_$2.out" 2> "$tmp/serve_$2.err" &
  serve_pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "listening on" "$tmp/serve_$2.out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/.*listening on //p' "$tmp/serve_$2.out" | sed 's:/$::')
}
if command -v curl >/dev/null; then
  start_serve "$u" pg; url_pg=$url
  start_serve "$sq" sq; url_sq=$url
  check "serve starts on PostgreSQL ($url_pg)" '[[ "$url_pg" == http://127.0.0.1:* ]]'
  for path in "/api/stats" "/api/incidents" "/api/timeline" "/api/search?q=white%20AND%20flag" "/api/docs/${id:7:12}"; do
    curl -s -o "$tmp/api_pg" -w "%{http_code}" "$url_pg$path" > "$tmp/code_pg"
    curl -s -o "$tmp/api_sq" -w "%{http_code}" "$url_sq$path" > "$tmp/code_sq"
    check "serve $path: 200 on PostgreSQL ($(cat "$tmp/code_pg"): $(head -c 200 "$tmp/api_pg"))" '[ "$(cat "$tmp/code_pg")" = 200 ]'
    check "serve $path: same answer as over SQLite" \
      'python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); [d.pop(k,None) for d in (a,b) if isinstance(d,dict) for k in (\"db\",\"backend\")]; sys.exit(a!=b)" "$tmp/api_pg" "$tmp/api_sq"'
  done
  for p in "${serve_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
else
  echo "# curl missing: serve not checked"
fi

# DOSSIER_DB names a PostgreSQL database too
DOSSIER_DB="$u" "$bin" incidents --json > /dev/null; rc=$?
check "DOSSIER_DB=postgres://… works (rc $rc)" '[ $rc -le 1 ]'

# errors: unreachable server, newer schema, queue commands on SQLite
"$bin" ingest "$seeds" --db "postgresql:///nope?host=$tmp/nosuchdir&user=dossier" -q 2> "$tmp/e1"; rc=$?
check "unreachable server: exit 2, clear message (rc $rc)" '[ $rc -eq 2 ] && grep -q "cannot connect to PostgreSQL" "$tmp/e1"'
"$bin" enqueue "$seeds" --db "$sq" 2> "$tmp/e2"; rc=$?
check "enqueue on SQLite: exit 2, says PostgreSQL is needed (rc $rc)" '[ $rc -eq 2 ] && grep -q "PostgreSQL" "$tmp/e2"'
"$bin" worker --db "$sq" 2> "$tmp/e3"; rc=$?
check "worker on SQLite: exit 2 (rc $rc)" '[ $rc -eq 2 ] && grep -q "PostgreSQL" "$tmp/e3"'
pg_psql cli "insert into schema_version(version) values(999)"
docs=$(pg_psql cli "select count(*) from documents")
mkdir -p "$tmp/more"; echo "A new report about shelling in a town, officials said on Monday." > "$tmp/more/x.txt"
"$bin" ingest "$tmp/more" --db "$u" -q 2> "$tmp/e4"; rc=$?
check "newer schema: exit 2, says newer (rc $rc)" '[ $rc -eq 2 ] && grep -q "newer" "$tmp/e4"'
check "newer schema: data intact" '[ "$(pg_psql cli "select count(*) from documents")" = "$docs" ]'
"$bin" incidents --db "$u" 2> "$tmp/e5" >/dev/null; rc=$?
check "newer schema refused read-only too (rc $rc)" '[ $rc -eq 2 ]'
exit $fail
