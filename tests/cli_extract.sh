#!/usr/bin/env bash
# cli_extract.sh — `dossier extract` end to end: seeds, --jobs order, JSONL,
# gzip, stdin streaming, -o, --text-only, usage errors and exit codes.
set -u
bin=$1
shared=${SHARED:-../../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $1"; fi; }

# seeds: one record per document, stable order, valid JSON with the v1 keys
"$bin" extract "$shared/corpus/seeds" > "$tmp/a.jsonl" 2> "$tmp/err"; rc=$?
ok "seeds exit 0 (got $rc)" '[ $rc -eq 0 ]'
ok "five records" '[ $(wc -l < "$tmp/a.jsonl") -eq 5 ]'
ok "records are JSON with v1 keys" 'python3 -c "
import json,sys
for l in open(\"$tmp/a.jsonl\"):
    r=json.loads(l)
    assert set([\"doc\",\"text\",\"dropped\",\"claims\"]) <= set(r)
    assert r[\"doc\"][\"id\"].startswith(\"sha256:\") and len(r[\"doc\"][\"id\"])==71
    for k in (\"path\",\"url\",\"title\",\"outlet\",\"published\",\"byline\",\"origin\",\"platform\",\"flags\",\"lang\"): assert k in r[\"doc\"], k
"'
ok "directory order is name order" 'python3 -c "
import json
p=[json.loads(l)[\"doc\"][\"path\"] for l in open(\"$tmp/a.jsonl\")]
assert p==sorted(p), p
"'
"$bin" extract --jobs 2 "$shared/corpus/seeds" > "$tmp/b.jsonl" 2>/dev/null
ok "--jobs 2 gives identical output" 'cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"'
"$bin" extract -j 0 "$shared/corpus/seeds" "$shared/corpus/seeds" > "$tmp/c.jsonl" 2>/dev/null
ok "--jobs 0 twice the corpus: 10 records in order" '[ "$(head -5 "$tmp/c.jsonl")" = "$(cat "$tmp/a.jsonl")" ] && [ $(wc -l < "$tmp/c.jsonl") -eq 10 ]'
# same input, same id
"$bin" extract "$shared/corpus/seeds/000_6c9c77446109ae9e.txt" > "$tmp/one.jsonl" 2>/dev/null
ok "same bytes, same id" '[ "$(head -1 "$tmp/one.jsonl")" = "$(head -1 "$tmp/a.jsonl" | sed "s#$shared/corpus/seeds/#$shared/corpus/seeds/#")" ]'

# gzip input
gzip -c "$shared/corpus/seeds/004_4bd4561382271f31.txt" > "$tmp/doc.txt.gz"
"$bin" extract "$tmp/doc.txt.gz" > "$tmp/gz.jsonl" 2>/dev/null; rc=$?
ok "gzip read (rc $rc)" '[ $rc -eq 0 ] && grep -q "Business Insider" "$tmp/gz.jsonl"'

# JSONL input: fields mapped, others kept, one record per line
cat > "$tmp/in.jsonl" <<'J'
{"url": "https://example.org/a", "title": "Strike on a school", "published": "2022-03-04T10:00:00Z", "outlet": "Example Post", "text": "Missiles hit a school in the city.\nOfficials said nine people died.", "feed": "rss-1"}
{"html": "<html><head><title>Shelling report</title></head><body><p>Artillery shelled the market on Monday, witnesses said.</p></body></html>", "url": "https://example.org/b"}

{"text": "Troops surrendered near the river, the ministry said."}
J
"$bin" extract "$tmp/in.jsonl" > "$tmp/j.jsonl" 2>"$tmp/jerr"; rc=$?
ok "jsonl exit 0 (rc $rc)" '[ $rc -eq 0 ]'
ok "jsonl: three records" '[ $(wc -l < "$tmp/j.jsonl") -eq 3 ]'
ok "jsonl: fields mapped and extra kept" 'python3 -c "
import json
r=[json.loads(l) for l in open(\"$tmp/j.jsonl\")]
d=r[0][\"doc\"]
assert d[\"url\"]==\"https://example.org/a\" and d[\"title\"]==\"Strike on a school\", d
assert d[\"published\"]==\"2022-03-04\" and d[\"outlet\"]==\"Example Post\", d
assert d[\"extra\"]=={\"feed\":\"rss-1\"}, d
assert r[1][\"doc\"][\"format\"]==\"html\" and \"Artillery shelled the market\" in r[1][\"text\"]
assert r[1][\"doc\"][\"title\"]==\"Shelling report\"
assert r[0][\"doc\"][\"path\"].endswith(\"in.jsonl:1\") and r[2][\"doc\"][\"path\"].endswith(\"in.jsonl:4\")
"'
# bad JSONL line: reported with its line number, others still read, exit 1
printf '%s\n' '{"text": "Shells hit the town."}' '{not json' '{"text": "Drones struck a depot."}' > "$tmp/bad.jsonl"
"$bin" extract "$tmp/bad.jsonl" > "$tmp/bj.jsonl" 2>"$tmp/bjerr"; rc=$?
ok "bad jsonl line: exit 1 (rc $rc)" '[ $rc -eq 1 ]'
ok "bad jsonl line: named with line number" 'grep -q "bad.jsonl:2: not a JSON object" "$tmp/bjerr"'
ok "bad jsonl line: other lines kept" '[ $(wc -l < "$tmp/bj.jsonl") -eq 2 ]'

# stdin as a stream of JSONL and as plain text
"$bin" extract - < "$tmp/in.jsonl" > "$tmp/s.jsonl" 2>/dev/null
ok "stdin jsonl: three records" '[ $(wc -l < "$tmp/s.jsonl") -eq 3 ]'
"$bin" extract < "$shared/corpus/seeds/002_7f0a35f6303d18f8.txt" > "$tmp/s2.jsonl" 2>/dev/null
ok "stdin text without '-'" 'grep -q "kyivindependent.com" "$tmp/s2.jsonl"'

# -o and --text-only
"$bin" extract -o "$tmp/out.jsonl" "$shared/corpus/seeds" 2>/dev/null
ok "-o writes the file" 'cmp -s "$tmp/out.jsonl" "$tmp/a.jsonl"'
"$bin" extract --text-only "$shared/corpus/seeds/004_4bd4561382271f31.txt" > "$tmp/t.txt" 2>/dev/null
ok "--text-only prints text, not JSON" 'grep -q "^Russia is using drones" "$tmp/t.txt" && ! grep -q "\"doc\"" "$tmp/t.txt"'

# usage errors: exit 2 with a message
"$bin" extract --jobs x "$tmp/in.jsonl" > /dev/null 2> "$tmp/u"; rc=$?
ok "bad --jobs: exit 2 (rc $rc)" '[ $rc -eq 2 ] && grep -q "jobs expects" "$tmp/u"'
"$bin" nosuchcommand > /dev/null 2> "$tmp/u"; rc=$?
ok "unknown command: exit 2" '[ $rc -eq 2 ] && grep -q "unknown command" "$tmp/u"'
"$bin" extract -o /nonexistent-dir/x.jsonl "$tmp/in.jsonl" 2> "$tmp/u"; rc=$?
ok "unwritable -o: exit 2" '[ $rc -eq 2 ] && grep -q "cannot write" "$tmp/u"'
DOSSIER_DATA=/nonexistent "$bin" extract "$tmp/in.jsonl" > /dev/null 2> "$tmp/u"; rc=$?
ok "missing data dir: exit 2 with file named" '[ $rc -eq 2 ] && grep -q "/nonexistent/" "$tmp/u"'

echo "cli_extract: $pass passed, $fail failed"
[ $fail -eq 0 ]
