#!/usr/bin/env bash
# cli_bad_input.sh — every kind of bad input gets one clear stderr line naming
# the file and the documented exit code (0 all read, 1 some skipped, 2 usage or
# fatal); never a crash, a hang or silent nothing; one bad file never stops the
# others.  Big inputs are generated here, in a temp dir, never committed.
# Usage: cli_bad_input.sh path/to/dossier
set -u
D=${1:?usage: cli_bad_input.sh DOSSIER}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
# A sanitizer report must not pass for exit code 1 ("some skipped").
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:exitcode=87"

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# run NAME RC STDERR_REGEX ARGS... : run `dossier extract ARGS`, check the exit
# code, that stderr matches the regex ('' : stderr is empty), and that no
# sanitizer spoke.
run() {
    local name=$1 want=$2 re=$3
    shift 3
    "$D" extract "$@" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "$name: exit $want"; else
        bad "$name: exit $got, expected $want"; head -c 2000 "$T/err" | sed 's/^/# /'; fi
    if [ -z "$re" ]; then
        if [ ! -s "$T/err" ]; then ok "$name: stderr empty"; else
            bad "$name: stderr not empty"; head -c 2000 "$T/err" | sed 's/^/# /'; fi
    elif grep -Eq -- "$re" "$T/err"; then ok "$name: stderr says /$re/"; else
        bad "$name: stderr lacks /$re/"; head -c 2000 "$T/err" | sed 's/^/# /'; fi
    if grep -Eq 'Sanitizer|runtime error' "$T/err"; then bad "$name: sanitizer report"; fi
}
# lines of stderr naming FILE
named() { grep -c -F -- "$1" "$T/err"; }
records() { grep -c '^{"doc"' "$T/out"; }

cd "$T" || exit 2

# ---- invalid UTF-8: repaired to U+FFFD, flagged, exit 0 with a notice
printf 'Shelling hit the town \xff\xfe at dawn. Overlong \xc0\xaf slash and cut \xe2\x82.\n' >inv.txt
run "invalid UTF-8" 0 '^dossier: inv\.txt: invalid UTF-8 repaired \(U\+FFFD\), flagged$' inv.txt
check "invalid UTF-8: one stderr line" '[ "$(named inv.txt)" -eq 1 ]'
check "invalid UTF-8: flagged invalid_utf8" 'grep -q "\"flags\":\[\"invalid_utf8\"\]" out'
check "invalid UTF-8: U+FFFD in text" 'grep -q $'"'"'\xef\xbf\xbd'"'"' out'
check "invalid UTF-8: no invalid byte left" '! LC_ALL=C grep -q $'"'"'[\xc0\xff\xfe]'"'"' out'

# ---- binary: every byte value, and random bytes
for i in $(seq 0 255); do printf "\\x$(printf %02x "$i")"; done >allbytes.bin
for i in 1 2 3 4; do cat allbytes.bin; done >allbytes4.bin
run "every-byte binary" 1 '^dossier: allbytes4\.bin: binary file, not text$' allbytes4.bin
check "every-byte binary: no record" '[ "$(records)" -eq 0 ]'
head -c 100000 /dev/urandom >random.dat
run "random binary" 1 '^dossier: random\.dat: binary file, not text$' random.dat

# ---- empty and blank files
: >empty.txt
run "empty file" 1 '^dossier: empty\.txt: empty file$' empty.txt
check "empty file: named once" '[ "$(named empty.txt)" -eq 1 ]'
printf ' \n\t\n\n  \n' >blank.txt
run "blank file" 1 '^dossier: blank\.txt: empty input: no text$' blank.txt

# ---- truncated and corrupt gzip
for i in $(seq 1 3000); do echo "Paragraph $i says the convoy moved north."; done | gzip -c >full.gz
head -c 2000 full.gz >trunc.gz
run "truncated gzip" 1 '^dossier: trunc\.gz: compressed data truncated or corrupt \(unexpected end of file\)$' trunc.gz
check "truncated gzip: named once" '[ "$(named trunc.gz)" -eq 1 ]'
{ head -c 40 full.gz; head -c 400 /dev/zero; } >corrupt.gz
run "corrupt gzip" 1 '^dossier: corrupt\.gz: compressed data truncated or corrupt' corrupt.gz
printf '\x1f\x8b' >twobytes.gz
run "gzip header only" 1 '^dossier: twobytes\.gz: ' twobytes.gz

# ---- a 50 MB single line: over the default 32 MiB limit it is truncated and
# flagged (exit 0: it was read); under a raised limit it is read whole
head -c 52428800 < <(yes 'word' | tr '\n' ' ') >line50.txt
run "50 MB line" 0 '^dossier: line50\.txt: larger than the 33554432-byte document limit \(--max-doc-bytes\): truncated, flagged$' line50.txt
# (one 32 MiB "sentence" is also too long to search for claims: long_sentence)
check "50 MB line: flagged truncated" 'grep -q "\"flags\":\[\"truncated\"" out'
check "50 MB line: one record of ~32 MiB" '[ "$(records)" -eq 1 ] && [ "$(wc -c <out)" -gt 33000000 ]'
run "50 MB line, --max-doc-bytes 64M" 0 'long_sentence' --max-doc-bytes 64M line50.txt
check "50 MB line read whole: not truncated, ~50 MB of text" \
    'grep -q "\"flags\":\[\"long_sentence\"\]" out && [ "$(wc -c <out)" -gt 52000000 ]'

# ---- the per-document limits on sentences and claims: flagged, one stderr line each
printf '%s\n' 'Russian forces shelled Kharkiv on Monday, killing five civilians. Ukrainian troops shelled Donetsk, killing two civilians. Russian troops captured ten Ukrainian soldiers near Bakhmut.' >limits.txt
run "default limits" 0 '' limits.txt
check "default limits: three claims, no flag" \
    '[ "$(grep -o "\"sentence\":{\"i\":" out | wc -l)" -ge 3 ] && grep -q "\"flags\":\[\]" out'
run "--max-claims 1" 0 '^dossier: limits\.txt: more claims than --max-claims: the rest dropped, flagged claims_limit$' --max-claims 1 limits.txt
check "--max-claims 1: one claim kept, flagged claims_limit" \
    '[ "$(grep -o "\"sentence\":{\"i\":" out | wc -l)" -eq 1 ] && grep -q "\"flags\":\[\"claims_limit\"\]" out'
run "--max-sentence-bytes 40" 0 '^dossier: limits\.txt: sentences longer than --max-sentence-bytes not searched for claims, flagged long_sentence$' --max-sentence-bytes 40 limits.txt
check "--max-sentence-bytes 40: no claim, flagged long_sentence" \
    'grep -q "\"claims\":\[\]" out && grep -q "\"flags\":\[\"long_sentence\"\]" out'
run "bad --max-claims" 2 '^dossier: --max-claims' --max-claims x limits.txt

# ---- HTML nested 100,000 deep
{ printf '<html><body>'; for i in $(seq 1 100000); do printf '<div>'; done
  printf 'Deep text survives the nesting.'
  for i in $(seq 1 100000); do printf '</div>'; done; printf '</body></html>\n'; } >deep.html
run "100,000-deep HTML" 0 '^dossier: deep\.html: HTML nested too deep: deeper tags ignored, flagged deep_html$' deep.html
check "deep HTML: text kept" 'grep -q "Deep text survives the nesting." out'
check "deep HTML: flagged deep_html" 'grep -q "\"deep_html\"" out'
{ printf '<html><body>'; for i in $(seq 1 100000); do printf '<b>'; done
  printf 'Unclosed bold text.</body></html>\n'; } >deepb.html
run "100,000 unclosed <b>" 0 '^dossier: deepb\.html: HTML nested too deep' deepb.html
check "unclosed <b>: text kept" 'grep -q "Unclosed bold text." out'

{ printf '<html><body><p'; for i in $(seq 1 100000); do printf ' a%d="v"' "$i"; done
  printf '>Attribute soup text.</p></body></html>\n'; } >attrs.html
run "100,000 attributes" 0 '^dossier: attrs\.html: HTML tags with too many attributes: attributes ignored, flagged html_attrs$' attrs.html
check "100,000 attributes: text kept" 'grep -q "Attribute soup text." out'

# ---- unreadable paths
run "nonexistent path" 1 '^dossier: nope/missing\.txt: cannot read: No such file or directory$' nope/missing.txt
if [ "$(id -u)" -ne 0 ]; then
    mkdir locked && echo "Hidden text." >locked/a.txt && chmod 000 locked
    run "unreadable directory" 1 '^dossier: locked: cannot read directory: Permission denied$' locked
    echo "Secret text." >noread.txt && chmod 000 noread.txt
    run "unreadable file" 1 '^dossier: noread\.txt: cannot read: Permission denied$' noread.txt
else
    echo "ok $((n += 1)) - # SKIP unreadable directory/file: running as root"
fi

# ---- JSONL with bad lines: the good lines still become records
printf '%s\n' '{"text":"Troops crossed the river. They took the bridge."}' 'not json' \
    '{"url":"https://example.org/a"}' '{"title":"T","text":"The mayor said the shelling stopped."}' >feed.jsonl
run "JSONL bad lines" 1 '^dossier: feed\.jsonl:2: not a JSON object$' feed.jsonl
check "JSONL bad lines: line 3 named" 'grep -q "^dossier: feed\.jsonl:3: no \"text\" or \"html\" field" err'
check "JSONL bad lines: 2 records" '[ "$(records)" -eq 2 ]'

# ---- one bad file never stops the others
mkdir mix
cp inv.txt mix/a_inv.txt
cp allbytes4.bin mix/b_bin.txt
: >mix/c_empty.txt
cp trunc.gz mix/d_trunc.gz
echo "The second good file says the bridge held." >mix/e_good.txt
cp deep.html mix/f_deep.html
echo "The last good file reports quiet streets." >mix/g_good.txt
for j in 1 2; do
    run "mix --jobs $j" 1 'b_bin\.txt: binary file' --jobs "$j" mix nope.txt
    check "mix --jobs $j: every bad file named" \
        'grep -q c_empty err && grep -q d_trunc err && grep -q "nope.txt: cannot read" err'
    check "mix --jobs $j: 4 good records, in order" \
        '[ "$(grep -o "\"path\":\"[^\"]*\"" out | tr "\n" " ")" = "\"path\":\"mix/a_inv.txt\" \"path\":\"mix/e_good.txt\" \"path\":\"mix/f_deep.html\" \"path\":\"mix/g_good.txt\" " ]'
    cp out "mix$j.out"
done
check "mix: --jobs 1 and 2 write the same bytes" 'cmp -s mix1.out mix2.out'

# ---- usage and fatal errors exit 2
run "unknown option" 2 'unrecognized option' --bogus
run "bad --jobs" 2 '^dossier: --jobs expects a whole number' --jobs 999 inv.txt
run "bad --max-doc-bytes" 2 '^dossier: --max-doc-bytes expects a size' --max-doc-bytes 12Q inv.txt
run "unwritable -o" 2 '^dossier: cannot write nope/out\.jsonl: No such file or directory$' -o nope/out.jsonl inv.txt
run "missing data dir" 2 '^dossier: cannot load data' --data nope/data inv.txt
"$D" >/dev/null 2>&1
check "no command: exit 2" '[ $? -eq 2 ]'

echo "1..$n"
[ "$fails" -eq 0 ]
