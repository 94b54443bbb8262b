#!/usr/bin/env bash
# cli_html.sh — `dossier extract --text-only` on HTML pages prints just the
# cleaned main text; a JSONL record carries the HTML metadata.
set -u
DOSSIER="$1"
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

out=$("$DOSSIER" extract --text-only html/nav.html)
check "text-only prints the article" '[[ "$out" == *"river crossing at the northern bridge"* ]]'
check "text-only drops the navigation" '[[ "$out" != *"World news section"* ]]'
check "text-only prints no JSON" '[[ "$out" != *"\"doc\""* ]]'
check "text-only omits the headline" '[[ "$out" != *"Bridge closed after cracks found"* ]]'

rec=$("$DOSSIER" extract --no-claims html/meta.html)
check "record has the title" '[[ "$rec" == *"\"title\": \"Bridge closed after cracks found\""* || "$rec" == *"\"title\":\"Bridge closed after cracks found\""* ]]'
check "record has the origin" '[[ "$rec" == *"wire.example.org"* ]]'

# gzip'd pages are read too
tmp=$(mktemp -d)
gzip -c html/share.html > "$tmp/share.html.gz"
out=$("$DOSSIER" extract --text-only "$tmp/share.html.gz")
check "gzip page extracted" '[[ "$out" == *"heavy lorries"* && "$out" != *"Share on Facebook"* ]]'
rm -rf "$tmp"
exit $fail
