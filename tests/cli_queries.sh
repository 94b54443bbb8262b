#!/usr/bin/env bash
# cli_queries.sh — `dossier incidents|show|search|export` on a database of
# synthetic documents with synthetic claims (made by bench_store, so the test
# does not depend on the extractor): JSON parses, filters agree with SQL on
# the same tables, exports are valid CSV / GeoJSON / JSONL.
bin=$1
bench=${BUILD_DIR:-$(dirname "$bin")}/bench_store
. "$(dirname "$0")/tap.sh"
db=$tmp/q.db
q() { sqlite3 "$db" "$1"; }
py() { python3 -c "$1"; }

"$bench" 600 "$db" "$seeds" > "$tmp/bench.out"; rc=$?
check "synthetic database built (exit $rc)" '[ $rc -eq 0 ] && [ "$(q "select count(*) from incidents")" -gt 50 ]'
n=$(q "select count(*) from incidents")

"$bin" incidents --db "$db" --json > "$tmp/all.json"; rc=$?
check "incidents --json exits 0" '[ $rc -eq 0 ]'
check "incidents --json lists every incident ($n)" '[ "$(py "import json; print(len(json.load(open(\"$tmp/all.json\"))))")" = "$n" ]'
check "incident objects carry origins, countries, modality, mirrors" \
  'py "import json; x=json.load(open(\"$tmp/all.json\"))[0]; assert all(k in x for k in (\"independent_origins\",\"source_countries\",\"strongest_modality\",\"weakest_modality\",\"confirmed\",\"disputed\",\"mirrors\",\"place\",\"date\"))"'
"$bin" incidents --db "$db" > "$tmp/table.txt"
check "table has a header and one line per incident" '[ "$(wc -l < "$tmp/table.txt")" = $((n + 1)) ]'

cnt() { "$bin" incidents --db "$db" --json "$@" | py "import json,sys; print(len(json.load(sys.stdin)))"; }
check "--type capture agrees with SQL" '[ "$(cnt --type capture)" = "$(q "select count(*) from incidents where type='"'"'capture'"'"'")" ]'
check "--min-origins 2 agrees with SQL" '[ "$(cnt --min-origins 2)" = "$(q "select count(*) from incidents where norigins>=2")" ]'
check "--since/--until agree with SQL" '[ "$(cnt --since 2022-06-01 --until 2022-12-31)" = "$(q "select count(*) from incidents where date between '"'"'2022-06-01'"'"' and '"'"'2022-12-31'"'"'")" ]'
check "--modality alleged agrees with SQL" '[ "$(cnt --modality alleged)" = "$(q "select count(distinct incident) from claims where modality='"'"'alleged'"'"'")" ]'
near=$(py "
import json, math
xs = json.load(open('$tmp/all.json'))
def km(a, b, c, d):
    r = math.pi / 180
    h = math.sin((c - a) * r / 2) ** 2 + math.cos(a * r) * math.cos(c * r) * math.sin((d - b) * r / 2) ** 2
    return 6371 * 2 * math.atan2(math.sqrt(h), math.sqrt(1 - h))
print(sum(1 for x in xs if x['place'] and x['place']['lat'] is not None and km(48.5, 31.0, x['place']['lat'], x['place']['lon']) <= 150))")
check "--near 48.5,31,150 agrees with haversine over all incidents ($near)" '[ "$(cnt --near 48.5,31.0,150)" = "$near" ] && [ "$near" -gt 0 ]'
# a page of --near counts incidents within the distance (the box SQL selects
# is wider): --offset 1 --limit 2 is the 2nd and 3rd of the full --near list
"$bin" incidents --db "$db" --json --near 48.5,31.0,150 > "$tmp/near.json"
"$bin" incidents --db "$db" --json --near 48.5,31.0,150 --offset 1 --limit 2 > "$tmp/near2.json"
check "--near pages count incidents within the distance" 'py "
import json
a = [x[\"id\"] for x in json.load(open(\"$tmp/near.json\"))]
b = [x[\"id\"] for x in json.load(open(\"$tmp/near2.json\"))]
assert len(a) >= 3 and b == a[1:3], (a, b)"'
"$bin" incidents --db "$db" --type bogus > /dev/null 2>&1; rc=$?
check "unknown --type value: exit 2" '[ $rc -eq 2 ]'
"$bin" incidents --db "$db" --near 1,2 > /dev/null 2>&1; rc=$?
check "bad --near: exit 2" '[ $rc -eq 2 ]'

id=$(q "select id from incidents where nclaims>=2 order by id limit 1")
"$bin" show --db "$db" --json "$id" > "$tmp/show.json"; rc=$?
check "show INCIDENT --json exits 0" '[ $rc -eq 0 ]'
check "show lists the incident's claims" '[ "$(py "import json; x=json.load(open(\"$tmp/show.json\")); print(len(x[\"claims\"]) == x[\"incident\"][\"claims\"] and x[\"incident\"][\"id\"] == $id)")" = True ]'
doc=$(q "select substr(doc_id, 8, 12) from documents limit 1")
"$bin" show --db "$db" "$doc" > "$tmp/doc.txt"; rc=$?
check "show DOC (hex prefix) exits 0 and shows its origin cluster" '[ $rc -eq 0 ] && grep -q "origin cluster" "$tmp/doc.txt"'
"$bin" show --db "$db" 99999999 > /dev/null 2>&1; rc=$?
check "show of nothing: exit 1" '[ $rc -eq 1 ]'

word=$(q "select text from sentences limit 1" | tr -cs 'A-Za-z' '\n' | awk 'length > 5' | head -1)
"$bin" search --db "$db" --json "$word" > "$tmp/s.json"; rc=$?
check "search '$word' --json finds sentences" '[ $rc -eq 0 ] && [ "$(py "import json; print(len(json.load(open(\"$tmp/s.json\"))) > 0)")" = True ]'
cword=$(q "select s.text from sentences s join claims c on c.sentence=s.id limit 1" | tr -cs 'A-Za-z' '\n' | awk '{ print length, $0 }' | sort -rn | head -1 | cut -d' ' -f2)
"$bin" search --db "$db" --json --limit 100000 "$cword" > "$tmp/s2.json"
check "search hits on a claim sentence show the claim and its incident ('$cword')" 'py "import json; xs=json.load(open(\"$tmp/s2.json\")); assert any(x[\"claim\"] and x[\"claim\"][\"incident\"] for x in xs)"'
"$bin" search --db "$db" '"unbalanced' > /dev/null 2> "$tmp/serr"; rc=$?
check "bad FTS5 query: exit 2 with a message" '[ $rc -eq 2 ] && grep -q "bad search query" "$tmp/serr"'

"$bin" export --db "$db" --format csv > "$tmp/x.csv"; rc=$?
check "export csv exits 0" '[ $rc -eq 0 ]'
check "csv has the ACLED columns and one row per incident" 'py "
import csv
rows = list(csv.DictReader(open(\"$tmp/x.csv\")))
need = \"event_date event_type sub_event_type actor1 actor2 country admin1 location latitude longitude source notes fatalities\".split()
assert all(k in rows[0] for k in need), rows[0].keys()
assert len(rows) == $n, len(rows)"'
"$bin" export --db "$db" --format geojson > "$tmp/x.geojson" 2>/dev/null; rc=$?
withc=$(q "select count(*) from incidents where lat is not null")
check "export geojson is a FeatureCollection of $withc points with [lon, lat]" 'py "
import json
g = json.load(open(\"$tmp/x.geojson\"))
assert g[\"type\"] == \"FeatureCollection\"
assert len(g[\"features\"]) == $withc
for f in g[\"features\"]:
    lon, lat = f[\"geometry\"][\"coordinates\"]
    assert f[\"type\"] == \"Feature\" and f[\"geometry\"][\"type\"] == \"Point\"
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and abs(lat - f[\"properties\"][\"place\"][\"lat\"]) < 1e-6"'
"$bin" export --db "$db" --format jsonl --type attack > "$tmp/x.jsonl"; rc=$?
check "export jsonl: one parsable line per attack incident, with claims" '[ $rc -eq 0 ] && py "
import json
ls = [json.loads(l) for l in open(\"$tmp/x.jsonl\")]
assert len(ls) == $(q "select count(*) from incidents where type='"'"'attack'"'"'")
assert all(len(x[\"claim_list\"]) == x[\"claims\"] for x in ls)"'
"$bin" export --db "$db" --format xml > /dev/null 2>&1; rc=$?
check "unknown export format: exit 2" '[ $rc -eq 2 ]'
"$bin" incidents --db "$tmp/none.db" > /dev/null 2>&1; rc=$?
check "querying a missing database: exit 2" '[ $rc -eq 2 ] && [ ! -e "$tmp/none.db" ]'
exit $fail
