/*
 * placeint.h — what the place resolver's files share (private to
 * placeindex.c, placequery.c and places.c): the open gazetteer index, O(1)
 * key lookups in it, and the parsed location phrase (query).
 */
#ifndef DOSSIER_PLACEINT_H
#define DOSSIER_PLACEINT_H
#include "gazetteer.h"
#include "internal.h"

#include <string.h>

struct ds_gazetteer {
    void *map;
    size_t size;
    const ds_gz_header *h;
    const ds_gz_place *places;
    const ds_gz_admin1 *admin1;
    const ds_gz_country *countries;
    const ds_gz_key *keys, *skel;
    const uint32_t *post;
    const char *pool;
    int slavic[3];   /* country indices of UA, RU, BY */
};

/* Postings of slot at of a table; *n = 0 when empty or out of the file. */
static inline const uint32_t *postings(const ds_gazetteer *g, const ds_gz_key *slot, uint32_t *n)
{
    uint32_t k = DS_GZ_NPOST(slot->info);
    *n = 0;
    if (!k || (uint64_t)slot->post + k > g->h->npost) return NULL;
    *n = k;
    return g->post + slot->post;
}

/* Postings of a key in one table (keys or skeletons); *n = 0 when absent,
 * *info (may be NULL) the slot's info (gazetteer.h).  Open addressing:
 * usually one probe. */
static inline const uint32_t *find_info(const ds_gazetteer *g, bool skel, const char *key, size_t len,
                                 uint32_t *n, uint32_t *info)
{
    *n = 0;
    if (info) *info = 0;
    if (!len) return NULL;
    uint64_t h = ds_place_hash(key, len);
    const ds_gz_key *t = skel ? g->skel : g->keys;
    uint32_t count = skel ? g->h->nskel : g->h->nkeys, mask = count - 1;
    for (uint32_t at = (uint32_t)h & mask, probes = 0; probes < count; probes++, at = (at + 1) & mask) {
        if (!DS_GZ_NPOST(t[at].info)) return NULL;
        if (t[at].hash != h) continue;
        if (info) *info = t[at].info;
        return postings(g, &t[at], n);
    }
    return NULL;
}

static inline const uint32_t *find(const ds_gazetteer *g, bool skel, const char *key, size_t len,
                            uint32_t *n)
{
    return find_info(g, skel, key, len, n, NULL);
}

static inline int posting_country(const ds_gazetteer *g, uint32_t p)
{
    uint32_t i = DS_GZ_IDX(p);
    switch (DS_GZ_KIND(p)) {
    case DS_GZ_TOWN: return i < g->h->nplaces && g->places[i].country != 0xFFFF ? g->places[i].country : -1;
    case DS_GZ_ADMIN1: return i < g->h->nadmin1 ? g->admin1[i].country : -1;
    default: return i < g->h->ncountries ? (int)i : -1;
    }
}

static inline int posting_admin1(const ds_gazetteer *g, uint32_t p)
{
    uint32_t i = DS_GZ_IDX(p);
    if (DS_GZ_KIND(p) == DS_GZ_ADMIN1) return (int)i;
    if (DS_GZ_KIND(p) == DS_GZ_TOWN && i < g->h->nplaces) return (int)g->places[i].admin1 - 1;
    return -1;
}

/* ---- words ----------------------------------------------------------------
 * Cue words ("the town of", "occupied", "airport", "region") are the word
 * classes of placewords.c. */
static inline bool is_word(const char *s, size_t n, unsigned cls) { return (ds_place_word(s, n) & cls) != 0; }
#define MAX_QUAL 8

typedef struct query {
    char name[160];        /* folded name */
    size_t nlen;
    bool admin_intent;     /* "… region", "… oblast" */
    bool town_cue;         /* "the town of …" */
    bool lower;            /* written all in lower case */
    int qual_country[MAX_QUAL], nqc;
    int qual_admin[MAX_QUAL], nqa;
    int soft_country[MAX_QUAL], nsc;   /* from demonyms: "the Ukrainian city of" */
    int64_t qual_town;     /* a town named as qualifier ("Mariupol's …"): index + 1 */
} query;

/* placequery.c: split text into the name and its qualifiers; fold the name
 * without its cue words.  false: no name. */
bool ds_place_parse_query(const ds_gazetteer *g, const char *text, size_t len, query *q);

#endif
