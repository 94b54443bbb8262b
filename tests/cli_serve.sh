#!/usr/bin/env bash
# cli_serve.sh — `dossier serve` end to end over a database ingested from the
# seeds plus a synthetic fixture (bench_servedb: documents with known claims,
# places and a <script>/onerror payload): API answers and their filters,
# security (headers, traversal, injection, limits, read-only database), then
# headless Chromium drives the pages (tests/browser/ui.test.js), screenshots
# under $BUILD_DIR/screenshots.
set -u
bin=$1
shared=${SHARED:-../../shared}
build=${BUILD_DIR:-$(dirname "$bin")}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }
command -v curl >/dev/null || { echo "cli_serve: curl missing"; exit 1; }

db=$tmp/ui.db
"$bin" ingest -q --db "$db" "$shared/corpus/seeds" 2>"$tmp/ingest.err"; rc=$?
ok "seeds ingested (rc $rc)" '[ $rc -eq 0 ]'
"$build/bench_servedb" "$db" --docs 24 --xss > "$tmp/gen.out" 2>&1; rc=$?
ok "synthetic fixture stored (rc $rc: $(cat "$tmp/gen.out"))" '[ $rc -eq 0 ]'

# start a server on a free port (in this shell, so its pid is remembered and
# killed at exit); sets $started to its base URL
start() { # name, extra args…
  local name=$1; shift
  "$bin" serve --db "$db" --port 0 "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "listening on" "$tmp/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  started=$(sed -n 's/.*listening on //p' "$tmp/$name.out")
}
sum_before=$(sha256sum "$db" | cut -d' ' -f1)
start main; url=$started
ok "server listens on 127.0.0.1 ($url)" '[[ "$url" == http://127.0.0.1:* ]]'
[ -n "$url" ] || { cat "$tmp/main.err"; echo "1 passed, $((fail)) failed"; exit 1; }

# GET helper: status code into $code, body into $tmp/body, headers into $tmp/hdr
get() { code=$(curl -s --path-as-is -g -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@"); }
hdr() { grep -i "^$1:" "$tmp/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
json() { python3 -c "import json,sys; d=json.load(open('$tmp/body')); print($1)"; }

# ---- API
get "${url}api/stats"
ok "stats 200 JSON" '[ $code = 200 ] && [[ "$(hdr content-type)" == application/json* ]]'
ndocs=$(json "d['docs']"); nclaims=$(json "d['claims']"); ninc=$(json "d['incidents']")
ok "stats counts: $ndocs docs (5 seeds + 25 synthetic), $nclaims claims, $ninc incidents" '[ $ndocs -eq 30 ] && [ $nclaims -gt 100 ] && [ $ninc -gt 10 ]'
get "${url}api/incidents?limit=1000"
total=$(json "len(d['incidents'])")
ok "incidents list ($total)" '[ $code = 200 ] && [ $total -eq $ninc ]'
get "${url}api/incidents?limit=5&offset=0"; p1=$(json "[i['id'] for i in d['incidents']]"); more=$(json "d['more']")
get "${url}api/incidents?limit=5&offset=5"; p2=$(json "[i['id'] for i in d['incidents']]")
ok "pagination: pages differ, more=$more" '[ "$p1" != "$p2" ] && [ "$more" = True ]'
get "${url}api/incidents?type=capture&limit=1000"
ok "type filter" '[ $code = 200 ] && json "all(i[\"type\"]==\"capture\" for i in d[\"incidents\"]) and 0 < len(d[\"incidents\"]) < $total" | grep -q True'
get "${url}api/incidents?ihl=attack_on_protected_site&limit=1000"
ok "ihl filter" 'json "len(d[\"incidents\"])>0 and all(\"attack_on_protected_site\" in i[\"ihl\"] for i in d[\"incidents\"])" | grep -q True'
get "${url}api/incidents?since=2022-04-01&until=2022-04-30&limit=1000"
ok "date filter" 'json "len(d[\"incidents\"])>0 and all(\"2022-04-01\"<=i[\"day\"]<=\"2022-04-30\" for i in d[\"incidents\"])" | grep -q True'
get "${url}api/incidents?near=49.99,36.23,30&limit=1000"
ok "near filter" 'json "len(d[\"incidents\"])>0 and all(abs(i[\"lat\"]-49.99)<0.5 for i in d[\"incidents\"])" | grep -q True'
get "${url}api/incidents?min_origins=2&limit=1000"
ok "min_origins filter" 'json "all(i[\"norigins\"]>=2 for i in d[\"incidents\"])" | grep -q True'
get "${url}api/incidents?source_country=ukr&modality=reported&limit=1000"
ok "source_country + modality filters" '[ $code = 200 ] && json "all(\"UKR\" in i[\"source_countries\"] for i in d[\"incidents\"])" | grep -q True'
get "${url}api/timeline"
ok "timeline counts every dated incident" '[ $code = 200 ] && [ "$(json "sum(x[2] for x in d[\"days\"])")" = "$(sqlite3 "$db" "select count(*) from incidents where day>0")" ]'
get "${url}api/timeline?type=capture&since=2022-04-01"
ok "timeline follows filters" 'json "len(d[\"days\"])>0 and all(x[1]==\"capture\" and x[0]>=\"2022-04-01\" for x in d[\"days\"])" | grep -q True'
get "${url}api/timeline?type=nonsense"; ok "timeline bad filter → 400" '[ $code = 400 ]'
for bad in "type=bombing" "country=Ukraine" "ihl=war_crime" "modality=maybe" "since=yesterday" \
           "near=91,0,10" "min_origins=-1" "limit=0" "limit=100000" "offset=x"; do
  get "${url}api/incidents?$bad"
  ok "bad filter $bad → 400 with a message" '[ $code = 400 ] && json "d[\"error\"]" | grep -q .'
done
iid=$(curl -s "${url}api/incidents?type=attack&limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['incidents'][0]['id'])")
get "${url}api/incidents/$iid"
ok "incident $iid: claims with sentences and trigger offsets" '[ $code = 200 ] && json "len(d[\"claims\"])>0 and all(c[\"trigger\"] and c[\"sentence\"][\"start\"]<=c[\"trigger\"][0]<c[\"trigger\"][1]<=c[\"sentence\"][\"end\"] for c in d[\"claims\"]) and len(d[\"clusters\"])>0" | grep -q True'
get "${url}api/incidents/999999"; ok "unknown incident → 404" '[ $code = 404 ]'
get "${url}api/incidents/abc"; ok "bad incident id → 400" '[ $code = 400 ]'
get "${url}api/search?q=surrendered"
ok "search hits with match offsets" '[ $code = 200 ] && json "len(d[\"hits\"])>0 and all(h[\"sentence\"].encode()[m[0]:m[1]].decode().lower().startswith(\"surrender\") for h in d[\"hits\"] for m in h[\"matches\"])" | grep -q True'
xss=$(sqlite3 "$db" "select doc_id from documents where title like '<script>%'")
get "${url}api/docs/$xss"
ok "doc: text, dropped lines, claims" '[ $code = 200 ] && json "\"<script>\" in d[\"doc\"][\"title\"] and len(d[\"dropped\"][\"lines\"])>0 and len(d[\"claims\"])>0" | grep -q True'
seed=$(sqlite3 "$db" "select doc_id from documents order by id limit 1")
get "${url}api/docs/${seed:7:12}"
ok "seed doc by hex prefix" '[ $code = 200 ] && json "d[\"doc\"][\"id\"]" | grep -q "$seed"'
get "${url}api/docs/sha256:0000000000"; ok "unknown doc → 404" '[ $code = 404 ]'
get "${url}api/nothing"; ok "unknown endpoint → 404 JSON" '[ $code = 404 ] && [[ "$(hdr content-type)" == application/json* ]]'

# ---- injection: hostile strings are bound parameters, never SQL
for q in "' OR 1=1 --" '"; DROP TABLE documents; --' "1; DELETE FROM claims" "x' UNION SELECT * FROM documents --"; do
  get -G "${url}api/search" --data-urlencode "q=$q"
  ok "search [$q] → 200/400 JSON, no rows leaked ($code)" '{ [ $code = 400 ] || { [ $code = 200 ] && json "len(d[\"hits\"])" | grep -qx 0; }; } && json "1" >/dev/null'
  get -G "${url}api/incidents" --data-urlencode "type=$q"; ok "type [$q] → 400" '[ $code = 400 ]'
  get -G "${url}api/incidents" --data-urlencode "country=$q"; ok "country [$q] → 400" '[ $code = 400 ]'
  enc=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$q")
  get "${url}api/docs/$enc"; ok "doc id [$q] → 400/404" '[ $code = 400 ] || [ $code = 404 ]'
  get "${url}api/incidents/$enc"; ok "incident id [$q] → 400" '[ $code = 400 ]'
done
get "${url}api/stats"
ok "database unchanged after injection attempts" '[ "$(json "d[\"docs\"]")" = $ndocs ] && [ "$(json "d[\"claims\"]")" = $nclaims ]'

# ---- static files, headers, traversal
get "${url}"
ok "index.html: text/html, CSP, nosniff" '[ $code = 200 ] && [[ "$(hdr content-type)" == text/html* ]] && [[ "$(hdr content-security-policy)" == *"script-src '"'"'self'"'"'"* ]] && [ "$(hdr x-content-type-options)" = nosniff ]'
get "${url}app.css"; ok "css content type" '[[ "$(hdr content-type)" == text/css* ]]'
get "${url}index.js"; ok "js content type" '[[ "$(hdr content-type)" == text/javascript* ]]'
get "${url}gen/leaflet/leaflet.js"; ok "leaflet served locally" '[ $code = 200 ]'
get "${url}gen/countries.geojson"; ok "country outlines served (geo+json)" '[ $code = 200 ] && [[ "$(hdr content-type)" == application/geo+json* ]]'
get "${url}api/stats"; ok "API has CSP too" '[ -n "$(hdr content-security-policy)" ]'
for t in "../../../../etc/passwd" "/../../etc/passwd" "%2e%2e/%2e%2e/etc/passwd" "..%2f..%2f..%2fetc%2fpasswd" \
         "%252e%252e%252fetc%252fpasswd" "gen/../../../etc/passwd" "gen/%2e%2e/%2e%2e/CMakeLists.txt" \
         "..%5c..%5cetc%5cpasswd" ".git/config" "%2e%2e" "index.html%00.js" "gen/" "web/../CMakeLists.txt" "/etc/passwd"; do
  get "${url}$t"
  ok "traversal $t → 4xx, nothing leaked ($code)" '[[ $code == 4* ]] && ! grep -q "root:\|cmake_minimum\|\[core\]" "$tmp/body"'
done

# ---- limits and methods
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data 'x=1' "${url}api/stats")
ok "POST → 405" '[ $code = 405 ]'
code=$(curl -s -o /dev/null -w '%{http_code}' -X GET --data-binary @"$root/web/index.js" "${url}api/stats")
ok "GET with a body → 413" '[ $code = 413 ]'
long=$(head -c 3000 /dev/zero | tr '\0' a)
code=$(curl -s -o /dev/null -w '%{http_code}' "${url}api/search?q=x&pad=$long")
ok "long URL → 414 ($code)" '[ $code = 414 ]'
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' b)" "${url}api/stats")
ok "oversized headers refused ($code)" '[[ $code == 4* ]] || [ $code = 000 ]'
long=$(head -c 500 /dev/zero | tr '\0' a)
get "${url}api/search?q=$long"; ok "query over 400 bytes → 400" '[ $code = 400 ]'
start ratelimited --rate 1 --burst 3; rl=$started
args=(); for i in $(seq 1 20); do args+=(-o /dev/null "${rl}api/stats"); done
codes=$(curl -s -w '%{http_code}\n' "${args[@]}")
n200=$(grep -c '^200$' <<< "$codes"); n429=$(grep -c '^429$' <<< "$codes")
ok "rate limit: a burst of 3 answered, the rest 429 ($n200 × 200, $n429 × 429)" '[ $n200 -ge 3 ] && [ $n429 -ge 1 ] && [ $((n200 + n429)) -eq 20 ]'

# ---- bad starts
"$bin" serve --db "$tmp/none.db" --port 0 > /dev/null 2> "$tmp/nodb.err"; rc=$?
ok "missing database: exit 2 with a message, nothing created" '[ $rc -eq 2 ] && grep -q . "$tmp/nodb.err" && [ ! -e "$tmp/none.db" ]'
"$bin" serve --db "$db" --bind not-an-address --port 0 > /dev/null 2> "$tmp/bind.err"; rc=$?
ok "bad --bind: exit 2" '[ $rc -eq 2 ]'
"$bin" serve --db "$db" --port 70000 > /dev/null 2>&1; rc=$?
ok "bad --port: exit 2" '[ $rc -eq 2 ]'

# ---- the browser
npm_dir=$root/build-data/npm
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIP browser test: chromium not installed at $chromium (scripts/setup installs it)"
elif ! command -v node >/dev/null; then
  echo "SKIP browser test: node not installed (scripts/setup installs it)"
else
  [ -d "$npm_dir/node_modules/puppeteer-core" ] || bash "$root/scripts/setup.d/30-web.sh" 0
  shots=$build/screenshots
  mkdir -p "$shots"
  fixture=$(sqlite3 "$db" "select c.incident from claims c join documents d on d.id=c.doc
    where d.path like 'synthetic/%' and c.time_text is not null order by c.id limit 1")
  CHROMIUM=$chromium timeout 120 node "$root/tests/browser/ui.test.js" "$url" "$shots" "$npm_dir" "$xss" "$fixture" \
    > "$tmp/browser.out" 2>&1; rc=$?
  sed 's/^/  browser: /' "$tmp/browser.out"
  ok "browser test passed (rc $rc)" '[ $rc -eq 0 ]'
  ok "screenshots saved" '[ -s "$shots/ui-index.png" ] && [ -s "$shots/ui-incident.png" ] && [ -s "$shots/ui-doc-dropped.png" ]'
fi

# ---- read-only: stop the servers; the database file is unchanged
stops=""
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p"; stops="$stops$?"; done; pids=()
ok "servers stop cleanly on SIGTERM (exit codes: $stops)" '[[ "$stops" =~ ^0+$ ]] && [ ${#stops} -eq 2 ]'
ok "database bytes unchanged by serving" '[ "$(sha256sum "$db" | cut -d" " -f1)" = "$sum_before" ]'
ok "integrity_check ok" '[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ]'

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
