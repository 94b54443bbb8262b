#!/usr/bin/env bash
# bench/html.sh — HTML main-text extraction speed: dossier next to
# Readability.js + jsdom on the same pages, in one run, one core each.
#
#   bench/html.sh [PAGES_DIR]   (default ../shared/corpus/html-benchmark/html)
#
# Installs @mozilla/readability and jsdom under build-data/npm on first use
# (npm registry); nothing is fetched at run time of dossier itself.  Prints
# pages/s and MB/s (uncompressed HTML) of each, and the speed ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES="${1:-${SHARED:-../shared}/corpus/html-benchmark/html}"
NPM_DIR=build-data/npm
DOSSIER=${DOSSIER:-build/dossier}

if [ ! -d "$NPM_DIR/node_modules/@mozilla/readability" ] || [ ! -d "$NPM_DIR/node_modules/jsdom" ]; then
  echo "bench/html: installing @mozilla/readability and jsdom into $NPM_DIR" >&2
  mkdir -p "$NPM_DIR"
  (cd "$NPM_DIR" && { [ -f package.json ] || echo '{"private":true}' > package.json; } &&
     npm install --silent --no-audit --no-fund @mozilla/readability jsdom >/dev/null)
fi
[ -x "$DOSSIER" ] || { echo "bench/html: $DOSSIER missing; run make" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Uncompressed copies so both sides read plain files and neither pays gunzip.
mkdir -p "$tmp/pages"
n=0
for f in "$PAGES"/*.html.gz "$PAGES"/*.html; do
  [ -e "$f" ] || continue
  b=$(basename "$f" .gz)
  case "$f" in *.gz) gzip -dc "$f" > "$tmp/pages/$b" ;; *) cp "$f" "$tmp/pages/$b" ;; esac
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "bench/html: no pages in $PAGES" >&2; exit 2; }
bytes=$(cat "$tmp"/pages/*.html | wc -c)

# CPU seconds (user + system) of each side: the target is speed per core, and
# wall-clock time on a shared machine says more about the neighbours.
cpu() { awk '{ print $1 + $2 }' "$1"; }
/usr/bin/time -f "%U %S" -o "$tmp/dossier.time" \
  "$DOSSIER" extract --no-claims -j 1 "$tmp/pages" > "$tmp/dossier.out"

cat > "$tmp/readability.js" <<'JS'
// Readability.js + jsdom over every page of a directory, one after another.
const fs = require('fs'), path = require('path');
const { JSDOM, VirtualConsole } = require(path.resolve(process.argv[2], 'node_modules/jsdom'));
const { Readability } = require(path.resolve(process.argv[2], 'node_modules/@mozilla/readability'));
const dir = process.argv[3];
let chars = 0, failed = 0;
for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.html')).sort()) {
  try {
    const dom = new JSDOM(fs.readFileSync(path.join(dir, f)),
                          { url: 'https://example.org/', virtualConsole: new VirtualConsole() });
    const art = new Readability(dom.window.document).parse();
    chars += art && art.textContent ? art.textContent.length : 0;
    dom.window.close();
  } catch (e) {
    failed++;
  }
}
console.log(chars, failed);
JS
/usr/bin/time -f "%U %S" -o "$tmp/readability.time" \
  node "$tmp/readability.js" "$PWD/$NPM_DIR" "$tmp/pages" > "$tmp/readability.out"
read -r _ failed < "$tmp/readability.out"
[ "${failed:-0}" = 0 ] || echo "bench/html: readability failed on $failed pages (their time still counts)"

awk -v n="$n" -v b="$bytes" -v d="$(cpu "$tmp/dossier.time")" -v r="$(cpu "$tmp/readability.time")" 'BEGIN {
  mb = b / 1e6
  if (d <= 0) d = 0.001
  printf "html pages=%d size=%.1fMB (CPU seconds, one core each)\n", n, mb
  printf "  dossier            %7.3fs  %8.1f pages/s  %7.2f MB/s\n", d, n / d, mb / d
  printf "  readability+jsdom  %7.3fs  %8.1f pages/s  %7.2f MB/s\n", r, n / r, mb / r
  printf "  ratio (dossier faster per core): %.1fx\n", r / d
}'
