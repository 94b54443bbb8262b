#!/usr/bin/env bash
# cli_places.sh — `dossier places` and `dossier dates`: output, exit codes,
# bad input.  $1 is the dossier binary.
set -u
bin=$1
fail=0 pass=0
ok() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL: $1" >&2; fail=$((fail + 1)); fi; }

out=$("$bin" places Kharkov "Харків" 2>&1); rc=$?
ok "places resolves both spellings" '[ $rc = 0 ] && [ "$(grep -c "\"name\":\"Kharkiv\"" <<<"$out")" = 2 ]'
ok "places prints the country and precision" 'grep -q "\"country\":\"UKR\".*\"precision\":\"town\"" <<<"$out"'
out=$("$bin" places "Sumy region" 2>&1)
ok "places: region" 'grep -q "\"precision\":\"admin1\"" <<<"$out"'
out=$("$bin" places Mobile 2>&1); rc=$?
ok "places: common word unresolved, exit 1" '[ $rc = 1 ] && grep -q "\"precision\":\"unresolved\"" <<<"$out"'
out=$("$bin" places --all Kostiantynivka 2>&1)
ok "places --all lists both Kostiantynivkas" '[ "$(grep -c "\"name\":\"Kostiantynivka\"" <<<"$out")" -ge 2 ]'
"$bin" places >/dev/null 2>&1; rc=$?
ok "places without a name: usage error" '[ $rc = 2 ]'
out=$(DOSSIER_GEN=/nonexistent "$bin" places Kharkiv 2>&1); rc=$?
ok "places without an index: clear error, exit 2" '[ $rc = 2 ] && grep -q "no gazetteer index" <<<"$out"'

out=$("$bin" dates --published 2022-03-07 "Russian missiles hit the city last Saturday." 2>&1); rc=$?
ok "dates: last Saturday" '[ $rc = 0 ] && grep -q "\"value\":\"2022-03-05\"" <<<"$out"'
out=$("$bin" dates "on February 24" 2>&1)
ok "dates: partial date" 'grep -q "\"value\":\"XXXX-02-24\",\"precision\":\"day\"" <<<"$out"'
out=$("$bin" dates "no date here" 2>&1); rc=$?
ok "dates: nothing found, exit 1" '[ $rc = 1 ] && grep -q "\"value\":null" <<<"$out"'
"$bin" dates --published 2022-13-45 "yesterday" >/dev/null 2>&1; rc=$?
ok "dates: bad --published, exit 2" '[ $rc = 2 ]'
"$bin" dates >/dev/null 2>&1; rc=$?
ok "dates without text: usage error" '[ $rc = 2 ]'

echo "cli_places: $pass passed, $fail failed"
[ $fail = 0 ]
