/*
 * incident_agg.c — an incident's aggregates from its claims: how many
 * claims, documents and independent origins, the parties and source
 * countries most claims name, the best place and date, the modality range,
 * confirmed / disputed, IHL tags, fatalities.  Recomputed for the incidents
 * a batch touched, when it commits (store.c), through the store.h ops only.
 *
 * A long ingest touches the same incidents batch after batch, and reading
 * all of an incident's claims again each time grew with the store (48 s of
 * a million-document bench).  So what the aggregates were built from — the
 * tallies of parties and countries, the distinct origin keys, the ranks of
 * the best place, date and modalities, the last claim read — stays in
 * memory (ds_agg_cache), and the next refresh reads only the claims added
 * since; the rest of the state is the incident row itself.  Claims are
 * read in id order both ways, so the result is the full recomputation's
 * (tests/cli_store_agg.sh compares the two).  An entry is forgotten when
 * its old claims change meaning (their documents' origin clusters merged:
 * ds_agg_cache_forget), and the whole cache when the store says rows may
 * have changed behind it (ds_store.epoch: a rollback, another writer).
 *
 * Written by hand: the cache is an open-addressing table of incident ids
 * (linear probing), like the store's maps; no packaged library fits.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAXC 64          /* distinct values tallied per field */
#define TALLY_TEXT 96    /* bytes kept of a value (with its NUL) */
/* Cache entries before the cache starts again empty (~200 bytes each). */
#define CACHE_MAX ((size_t)1 << 22)

static bool set(const char *c) { return c && c[0]; }

/* ---- tallies: how many claims name each value, in first-seen order ------ */
typedef struct tally {
    char v[MAXC][TALLY_TEXT];
    int n[MAXC];
    int count;
} tally;

enum { T_ACTOR, T_TARGET, T_ACTOR_C, T_TARGET_C, T_SRC_C, T__COUNT };

static void tally_add(tally *t, const char *v)
{
    if (!set(v)) return;
    for (int i = 0; i < t->count; i++)
        if (!strcmp(t->v[i], v)) {
            t->n[i]++;
            return;
        }
    if (t->count < MAXC) {
        ds_copy_text(t->v[t->count], sizeof t->v[0], v);
        t->n[t->count++] = 1;
    }
}

/* the value most claims name; the first seen among equals */
static const char *tally_top(const tally *t)
{
    int best = -1;
    for (int i = 0; i < t->count; i++)
        if (best < 0 || t->n[i] > t->n[best]) best = i;
    return best < 0 ? NULL : t->v[best];
}

static void country_list(const tally *t, char *out, size_t cap)
{
    /* sorted, comma-separated */
    out[0] = 0;
    bool used[MAXC] = {0};
    for (int k = 0; k < t->count; k++) {
        int best = -1;
        for (int i = 0; i < t->count; i++)
            if (!used[i] && (best < 0 || strcmp(t->v[i], t->v[best]) < 0)) best = i;
        used[best] = true;
        if (strlen(out) + strlen(t->v[best]) + 2 > cap) break;
        if (out[0]) strcat(out, ",");
        strcat(out, t->v[best]);
    }
}

/* Tallies packed for the cache: per tally a count byte, then per value its
 * claim count (4 bytes), length (1 byte) and bytes.  Caller frees. */
static unsigned char *pack_tallies(const tally *t)
{
    size_t n = 0;
    for (int k = 0; k < T__COUNT; k++) {
        n++;
        for (int i = 0; i < t[k].count; i++) n += 5 + strlen(t[k].v[i]);
    }
    unsigned char *p = ds_malloc(n), *w = p;
    if (!p) return NULL;
    for (int k = 0; k < T__COUNT; k++) {
        *w++ = (unsigned char)t[k].count;
        for (int i = 0; i < t[k].count; i++) {
            size_t len = strlen(t[k].v[i]);
            uint32_t c = (uint32_t)t[k].n[i];
            memcpy(w, &c, 4);
            w[4] = (unsigned char)len;
            memcpy(w + 5, t[k].v[i], len);
            w += 5 + len;
        }
    }
    return p;
}

static void unpack_tallies(const unsigned char *p, tally *t)
{
    for (int k = 0; k < T__COUNT; k++) {
        t[k].count = *p++;
        for (int i = 0; i < t[k].count; i++) {
            uint32_t c;
            memcpy(&c, p, 4);
            size_t len = p[4];
            t[k].n[i] = (int)c;
            memcpy(t[k].v[i], p + 5, len);
            t[k].v[i][len] = 0;
            p += 5 + len;
        }
    }
}

/* ---- one refresh's working state ---------------------------------------- */
typedef struct doc_origin {
    int64_t doc;
    uint64_t key;   /* odd: a relaying medium; even: the document's cluster */
} doc_origin;

typedef struct agg {
    ds_incident *inc;
    ds_vec docs, origins;   /* of the claims read: int64 doc ids; doc_origin */
    tally t[T__COUNT];
    int place_rank, date_rank, strongest, weakest;
    int64_t last_claim;     /* the highest claim id read */
    bool first;             /* no claim seen yet */
} agg;

static void agg_reset(agg *a)
{
    a->docs.n = a->origins.n = 0;
    for (int k = 0; k < T__COUNT; k++) a->t[k].count = 0;
    a->place_rank = a->date_rank = a->strongest = a->weakest = 0;
    a->last_claim = 0;
    a->first = true;
}

static int cmp_doc_origin(const void *x, const void *y)
{
    const doc_origin *a = x, *b = y;
    if (a->doc != b->doc) return (a->doc > b->doc) - (a->doc < b->doc);
    /* relays (odd keys) first within a document */
    int ra = (int)(a->key & 1), rb = (int)(b->key & 1);
    if (ra != rb) return rb - ra;
    return (a->key > b->key) - (a->key < b->key);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sort and drop repeats in place; returns how many are left. */
static size_t uniq_u64(uint64_t *p, size_t n)
{
    if (!n) return 0;
    qsort(p, n, sizeof *p, cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (p[i] != p[k - 1]) p[k++] = p[i];
    return k;
}

/* The distinct origin keys of the documents read, with `old` (sorted,
 * distinct: the keys of the documents read before).  One origin per
 * document: the medium its claims are relayed from when one is named, else
 * its origin cluster.  *out: sorted, distinct, caller frees; NULL on ENOMEM. */
static uint64_t *origin_keys(ds_vec *v, const uint64_t *old, size_t nold, size_t *nout)
{
    doc_origin *p = v->items;
    uint64_t *keys = ds_malloc((v->n + nold + 1) * sizeof *keys);
    if (!keys) return NULL;
    if (v->n) qsort(p, v->n, sizeof *p, cmp_doc_origin);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++)
        if (i == 0 || p[i].doc != p[i - 1].doc) keys[k++] = p[i].key;
    if (nold) memcpy(keys + k, old, nold * sizeof *keys);
    *nout = uniq_u64(keys, k + nold);
    return keys;
}

static uint64_t origin_key_of(const ds_claim_row *c)
{
    /* a claim relayed by a named medium ("in a video obtained by RIA
     * Novosti") has that medium as its origin, whichever site re-posted it;
     * otherwise the document's origin cluster is */
    if (set(c->relay) && c->relay_role == DS_ROLE_MED) {
        char key[128];
        if (ds_origin_key(c->relay, key, sizeof key)) return XXH3_64bits(key, strlen(key)) | 1;
    }
    return (uint64_t)c->cluster << 1;
}

static dossier_status on_claim(const ds_claim_row *c, void *user)
{
    agg *a = user;
    ds_incident *inc = a->inc;
    inc->nclaims++;
    if (c->id > a->last_claim) a->last_claim = c->id;
    int64_t *d = ds_vec_push(&a->docs, sizeof(int64_t));
    doc_origin *o = ds_vec_push(&a->origins, sizeof(doc_origin));
    if (!d || !o) return DOSSIER_ENOMEM;
    *d = c->doc;
    o->doc = c->doc;
    o->key = origin_key_of(c);
    tally_add(&a->t[T_ACTOR], c->actor);
    tally_add(&a->t[T_TARGET], c->target);
    tally_add(&a->t[T_ACTOR_C], c->actor_country);
    tally_add(&a->t[T_TARGET_C], c->target_country);
    /* a country's sources assert it: the speaker's country, else the relay's */
    tally_add(&a->t[T_SRC_C], set(c->speaker_country) ? c->speaker_country : c->relay_country);
    int r = ds_modality_rank(c->modality ? c->modality : DS_MOD_ASSERTED);
    if (a->first || r > a->strongest) a->strongest = r, inc->strongest = c->modality;
    if (a->first || r < a->weakest) a->weakest = r, inc->weakest = c->modality;
    if (!inc->strongest) inc->strongest = DS_MOD_ASSERTED;
    if (!inc->weakest) inc->weakest = DS_MOD_ASSERTED;
    if (c->modality == DS_MOD_CONFIRMED) inc->confirmed = true;
    if (c->modality == DS_MOD_DISPUTED || c->modality == DS_MOD_DENIED) inc->disputed = true;
    inc->ihl |= c->ihl;
    if (c->lethal == 1 && c->count_value > inc->fatalities) inc->fatalities = c->count_value;
    if (!inc->status) inc->status = c->status;
    if (!inc->site) inc->site = c->site;
    /* best place: the most precise seen first */
    int pr = c->precision == DS_PREC_TOWN ? 4 : c->precision == DS_PREC_ADMIN1 ? 3
           : c->precision == DS_PREC_COUNTRY ? 2 : set(c->place) ? 1 : 0;
    if (pr > a->place_rank) {
        a->place_rank = pr;
        ds_copy_text(inc->place, sizeof inc->place, c->place_name ? c->place_name : c->place);
        ds_copy_text(inc->admin1, sizeof inc->admin1, c->admin1);
        ds_copy_text(inc->country, sizeof inc->country, c->country);
        inc->has_coord = c->has_coord && pr >= 2;
        inc->lat = c->lat;
        inc->lon = c->lon;
        inc->precision = c->precision;
    }
    /* best date: a stated full date beats a month, a year, or the report date */
    ds_time t = {0};
    if (c->time_value) {
        t.text = "";
        ds_copy_text(t.value, sizeof t.value, c->time_value);
    }
    int32_t lo, hi, day = ds_claim_day(&t, c->published, &lo, &hi);
    int dr = !day ? 0 : !c->time_value ? 1 : hi - lo <= 2 ? 4 : hi - lo <= 31 ? 3 : 2;
    if (day && (a->first || !inc->day)) {
        inc->day_lo = lo;
        inc->day_hi = hi;
    } else if (day) {
        if (lo < inc->day_lo) inc->day_lo = lo;
        if (hi > inc->day_hi) inc->day_hi = hi;
    }
    if (dr > a->date_rank) {
        a->date_rank = dr;
        inc->day = day;
        inc->date[0] = 0;
        if (c->time_value && c->time_value[0] != 'X')
            ds_copy_text(inc->date, sizeof inc->date, c->time_value);
        else if (c->time_value)
            ds_day_to_iso(day, inc->date);
    }
    a->first = false;
    return DOSSIER_OK;
}

/* ---- the cache ----------------------------------------------------------- */
typedef struct agg_ent {
    int64_t id;              /* incident; 0: free slot */
    int64_t last_claim;      /* the last claim read; 0: nothing kept */
    int32_t place_rank, date_rank, strongest, weakest, ndocs;
    uint32_t norigins;
    uint64_t *origins;       /* sorted distinct origin keys */
    unsigned char *tallies;  /* pack_tallies */
} agg_ent;

struct ds_agg_cache {
    agg_ent *slot;
    size_t cap, used;        /* slots, slots with an id */
    uint64_t epoch;          /* ds_store.epoch the entries were read under */
    agg scratch;             /* one refresh's state, reused */
};

dossier_status ds_agg_cache_new(ds_agg_cache **out)
{
    *out = ds_calloc(1, sizeof **out);
    return *out ? DOSSIER_OK : DOSSIER_ENOMEM;
}

static void ent_release(agg_ent *e)
{
    ds_free(e->origins);
    ds_free(e->tallies);
    e->origins = NULL;
    e->tallies = NULL;
    e->last_claim = 0;
}

static void cache_clear(ds_agg_cache *c)
{
    for (size_t i = 0; i < c->cap; i++) ent_release(&c->slot[i]);
    ds_free(c->slot);
    c->slot = NULL;
    c->cap = c->used = 0;
}

void ds_agg_cache_free(ds_agg_cache *c)
{
    if (!c) return;
    cache_clear(c);
    ds_vec_free(&c->scratch.docs);
    ds_vec_free(&c->scratch.origins);
    ds_free(c);
}

static size_t slot_of(const ds_agg_cache *c, int64_t id)
{
    size_t i = (size_t)ds_mix64((uint64_t)id) & (c->cap - 1);
    while (c->slot[i].id && c->slot[i].id != id) i = (i + 1) & (c->cap - 1);
    return i;
}

/* the entry kept for an incident, or NULL */
static agg_ent *cache_get(ds_agg_cache *c, int64_t id)
{
    if (!c->cap) return NULL;
    agg_ent *e = &c->slot[slot_of(c, id)];
    return e->id == id && e->last_claim ? e : NULL;
}

void ds_agg_cache_forget(ds_agg_cache *c, int64_t incident)
{
    agg_ent *e = c ? cache_get(c, incident) : NULL;
    if (e) ent_release(e);   /* the slot keeps its id: no probe chain breaks */
}

/* A slot for the incident (existing or new); NULL when memory runs out. */
static agg_ent *cache_slot(ds_agg_cache *c, int64_t id)
{
    if (c->used >= CACHE_MAX) cache_clear(c);
    if ((c->used + 1) * 8 > c->cap * 5) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        agg_ent *old = c->slot;
        size_t ocap = c->cap;
        c->slot = ds_calloc(cap, sizeof *c->slot);
        if (!c->slot) {
            c->slot = old;
            return NULL;
        }
        c->cap = cap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].id) c->slot[slot_of(c, old[i].id)] = old[i];
        ds_free(old);
    }
    agg_ent *e = &c->slot[slot_of(c, id)];
    if (!e->id) {
        e->id = id;
        c->used++;
    }
    return e;
}

/* Keep what the incident's aggregates were built from; `keys` is taken
 * over.  Out of memory only means the next refresh reads every claim. */
static void cache_put(ds_agg_cache *c, int64_t id, const agg *a, int32_t ndocs, uint64_t *keys,
                      size_t nkeys)
{
    agg_ent *e = cache_slot(c, id);
    unsigned char *t = e ? pack_tallies(a->t) : NULL;
    if (!e || !t) {
        ds_free(keys);
        ds_agg_cache_forget(c, id);
        return;
    }
    ent_release(e);
    e->last_claim = a->last_claim;
    e->place_rank = a->place_rank;
    e->date_rank = a->date_rank;
    e->strongest = a->strongest;
    e->weakest = a->weakest;
    e->ndocs = ndocs;
    e->norigins = (uint32_t)nkeys;
    e->origins = keys;
    e->tallies = t;
}

/* ---- refresh --------------------------------------------------------------- */
static int distinct_i64(ds_vec *v)
{
    return (int)uniq_u64(v->items, v->n);   /* ids are ≥ 0: same order as u64 */
}

dossier_status ds_incident_refresh(ds_store *s, ds_agg_cache *cache, int64_t id)
{
    if (cache && cache->epoch != s->epoch) {
        cache_clear(cache);
        cache->epoch = s->epoch;
    }
    ds_incident cur = {0};
    dossier_status r = s->ops->get_incident(s, id, &cur);
    if (r == DOSSIER_ENOTFOUND) {   /* gone */
        ds_agg_cache_forget(cache, id);
        return DOSSIER_OK;
    }
    if (r != DOSSIER_OK) return r;
    agg *a = cache ? &cache->scratch : ds_calloc(1, sizeof *a);
    if (!a) return DOSSIER_ENOMEM;
    agg_reset(a);
    ds_incident inc = cur;
    const agg_ent *e = cache ? cache_get(cache, id) : NULL;
    int64_t after = 0;
    if (e) {
        /* go on from the row and what the last refresh read */
        unpack_tallies(e->tallies, a->t);
        a->place_rank = e->place_rank;
        a->date_rank = e->date_rank;
        a->strongest = e->strongest;
        a->weakest = e->weakest;
        a->last_claim = after = e->last_claim;
        a->first = false;
    } else {
        /* recomputed from scratch; type, summary and signature stay */
        inc.nclaims = 0;
        inc.confirmed = inc.disputed = false;
        inc.ihl = 0;
        inc.fatalities = -1;
        inc.status = 0;
        inc.site = 0;
        inc.place[0] = inc.admin1[0] = inc.country[0] = 0;
        inc.has_coord = false;
        inc.precision = 0;
        inc.day = inc.day_lo = inc.day_hi = 0;
        inc.date[0] = 0;
    }
    a->inc = &inc;
    r = s->ops->incident_facts(s, id, after, on_claim, a);
    /* no claim since the last refresh: the row is already right */
    bool changed = !e || a->last_claim != after;
    if (r == DOSSIER_OK && inc.nclaims && changed) {
        size_t nkeys = 0;
        uint64_t *keys = origin_keys(&a->origins, e ? e->origins : NULL, e ? e->norigins : 0,
                                     &nkeys);
        if (!keys) r = DOSSIER_ENOMEM;
        if (r == DOSSIER_OK) {
            /* a refresh reads whole documents: the new ones are not among the old */
            inc.ndocs = (e ? e->ndocs : 0) + distinct_i64(&a->docs);
            inc.norigins = (int)nkeys;
            ds_copy_text(inc.actor, sizeof inc.actor, tally_top(&a->t[T_ACTOR]));
            ds_copy_text(inc.target, sizeof inc.target, tally_top(&a->t[T_TARGET]));
            ds_copy_text(inc.actor_country, sizeof inc.actor_country,
                         tally_top(&a->t[T_ACTOR_C]));
            ds_copy_text(inc.target_country, sizeof inc.target_country,
                         tally_top(&a->t[T_TARGET_C]));
            country_list(&a->t[T_SRC_C], inc.source_countries, sizeof inc.source_countries);
            r = s->ops->incident_put(s, &inc, &cur);
        }
        if (r == DOSSIER_OK && cache)
            cache_put(cache, id, a, inc.ndocs, keys, nkeys);
        else
            ds_free(keys);
    }
    if (r != DOSSIER_OK) ds_agg_cache_forget(cache, id);
    if (!cache) {
        ds_vec_free(&a->docs);
        ds_vec_free(&a->origins);
        ds_free(a);
    }
    return r;
}
