#!/usr/bin/env bash
# scripts/setup.d/30-web.sh — web assets for `dossier serve` and the browser test.
#
# Installs from the npm registry into build-data/npm (git-ignored):
#   leaflet          the map library (its dist/ is copied to build-data/web/leaflet/)
#   world-atlas      Natural Earth country outlines as TopoJSON
#   topojson-client  converts them to GeoJSON (build-data/web/countries.geojson)
#   puppeteer-core   drives Debian's chromium in tests/browser/ (test tool only)
# Nothing is fetched at run time: the server reads build-data/web/ from disk.
# Idempotent; with $1 = 1 (setup --quick) it does nothing when the outputs exist.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick="${1:-0}"
NPM_DIR=build-data/npm
WEB_DIR=build-data/web
# Versions pinned so every machine builds the same assets.
PKGS=(leaflet@1.9.4 world-atlas@2.0.2 topojson-client@3.1.0 puppeteer-core@24.43.1)

done_marker="$WEB_DIR/.done-v1"
if [ -f "$done_marker" ] && [ -f "$WEB_DIR/countries.geojson" ] && \
   [ -f "$WEB_DIR/leaflet/leaflet.js" ] && [ -d "$NPM_DIR/node_modules/puppeteer-core" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "setup 30-web: node/npm missing; web assets not built (dossier serve shows no basemap)" >&2
  exit 0
fi

mkdir -p "$NPM_DIR" "$WEB_DIR"
if [ ! -f "$NPM_DIR/package.json" ]; then
  printf '{ "name": "dossier-build-data", "private": true }\n' > "$NPM_DIR/package.json"
fi
need=0
for p in "${PKGS[@]}"; do
  name="${p%@*}"
  want="${p##*@}"
  have=$(node -p "try{require('./$NPM_DIR/node_modules/$name/package.json').version}catch(e){''}" 2>/dev/null || true)
  [ "$have" = "$want" ] || need=1
done
if [ $need -eq 1 ]; then
  echo "setup 30-web: npm install ${PKGS[*]}" >&2
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --loglevel=error --save-exact "${PKGS[@]}" \
     >/dev/null 2>npm-install.log) || {
    echo "setup 30-web: npm install failed (see $NPM_DIR/npm-install.log)" >&2; exit 1; }
fi

# Leaflet's dist (js, css, marker images) served under /gen/leaflet/.
rm -rf "$WEB_DIR/leaflet"
mkdir -p "$WEB_DIR/leaflet"
cp -R "$NPM_DIR/node_modules/leaflet/dist/." "$WEB_DIR/leaflet/"

# Natural Earth 1:50m countries, TopoJSON → GeoJSON (with coordinates rounded
# to 0.01° to keep the file small: the map is an outline basemap).
node - "$NPM_DIR" "$WEB_DIR/countries.geojson" <<'JS'
const path = require('path');
const fs = require('fs');
const [npmDir, out] = process.argv.slice(2);
const req = (m) => require(path.resolve(npmDir, 'node_modules', m));
const topojson = req('topojson-client');
const topo = JSON.parse(fs.readFileSync(
  path.resolve(npmDir, 'node_modules/world-atlas/countries-50m.json'), 'utf8'));
const geo = topojson.feature(topo, topo.objects.countries);
const round = (c) => Array.isArray(c[0]) ? c.map(round) : [Math.round(c[0] * 100) / 100,
                                                            Math.round(c[1] * 100) / 100];
for (const f of geo.features) {
  if (f.geometry) f.geometry.coordinates = round(f.geometry.coordinates);
  f.properties = { name: (f.properties && f.properties.name) || '' };
}
fs.writeFileSync(out + '.tmp', JSON.stringify(geo));
fs.renameSync(out + '.tmp', out);
JS
cat > "$WEB_DIR/ATTRIBUTION.txt" <<'TXT'
countries.geojson: Natural Earth (public domain) via the npm package world-atlas.
leaflet/: Leaflet (BSD-2-Clause), https://leafletjs.com
Place coordinates in claims: GeoNames (CC BY 4.0), https://www.geonames.org
TXT
touch "$done_marker"
echo "setup 30-web: web assets in $WEB_DIR" >&2
