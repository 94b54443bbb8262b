/*
 * serve_cache.c — what `dossier serve` keeps in memory, shared by all worker
 * threads:
 *
 *   - a snapshot of every incident: the fields the list filters test and the
 *     incident's JSON object pre-rendered (serve_json.c), in list order (day,
 *     undated last, then id).  /api/incidents, /api/timeline and /api/stats
 *     are answered from it without touching the database: a list walks the
 *     incidents of its type (one sequence per type) from a binary search on
 *     since= to one on until=, tests a packed copy of the fields most filters
 *     need, stops at offset + limit + 1 matches and concatenates fragments;
 *     with no filter beyond type and dates the page is found by arithmetic;
 *     near= looks only at the entries filed under the box's ¼° cells.
 *   - the LRU of rendered answers (serve_lru.c: incident and document pages,
 *     searches, timelines), bounded in bytes, keyed by the request within a
 *     snapshot.
 *
 * Both are dropped when the database changes.  The check is cheap and runs
 * at most every CHECK_S: for a database file, stat() of the file and its
 * -wal (identity, size, mtime: any commit changes one); otherwise (PostgreSQL,
 * URIs) the table counts, at most every COUNT_CHECK_S.  The thread that sees
 * the change rebuilds (others keep answering from the old snapshot, which is
 * freed when its last reader releases it); rebuilds are spaced by at least
 * REBUILD_GAP × the last build time, so a database under constant ingest is
 * rebuilt now and then, not continuously.
 *
 * The snapshot is built through store ops only (query_incidents, once for all
 * and once per claim modality, and stats), so it works on every backend.
 * Filters mean what the store's mean (store_sqlite_query.c INC_FILTER_*),
 * with one difference: near= drops incidents beyond the distance before
 * paging (the store pages the bounding box first), so every page is full.
 */
#include "serve.h"
#include "store.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CHECK_S 0.2         /* seconds between change checks of a database file */
#define COUNT_CHECK_S 5.0   /* seconds between count checks (no file to stat) */
#define REBUILD_GAP 4.0     /* a rebuild waits at least this × the last build time */

/* ---- the incident snapshot ------------------------------------------------- */
typedef struct inc_entry {
    int64_t id;
    int32_t day;                    /* 0: undated (listed last) */
    int32_t norigins;
    double lat, lon;
    double coslat;                  /* cos(lat), as ds_km() computes it */
    size_t frag, frag_len;          /* its JSON object in ix->frags */
    unsigned ihl;
    unsigned modalities;            /* bit m: a claim has modality m */
    uint8_t type;
    bool has_coord;
    char country[4], actor_country[4], target_country[4];
    char source_countries[48];
} inc_entry;

/* The fields most filters test, packed (16 bytes) so that a scan stays in
 * cache. */
typedef struct inc_hot {
    int32_t day, norigins;
    uint32_t ihl;
    uint16_t modalities;
    uint8_t type;
    bool has_coord;
} inc_hot;

/* What near= tests, apart for the same reason. */
typedef struct inc_geo {
    double lat, lon, coslat;
} inc_geo;

struct ds_inc_index {
    atomic_int refs;                /* the cache's own + one per reader */
    uint64_t gen;
    ds_vec entries;                 /* inc_entry, in list order */
    inc_entry *e;                   /* entries.items once built */
    inc_hot *hot;                   /* [n], same order */
    inc_geo *geo;                   /* [n], same order */
    size_t n;
    int32_t min_norigins;
    /* seq[0]: every entry; seq[t]: the entries of type t; each in list order
     * (dated first), its first nseq_dated[t] dated */
    uint32_t *seq[DS_EV__COUNT];
    size_t nseq[DS_EV__COUNT], nseq_dated[DS_EV__COUNT];
    /* near=: (cell << 32 | entry) of the entries with coordinates, sorted */
    uint64_t *cells;
    size_t ncells;
    ds_buf frags;
    ds_store_stats stats;
};


/* What tells that the database changed. */
typedef struct change_token {
    struct stat db, wal;            /* zeroed when missing */
    ds_store_stats counts;          /* used when there is no file */
} change_token;

struct ds_serve_cache {
    ds_store *store;                /* the cache's own connection (build_lock) */
    char path[4096];                /* database file; "" when not a file */
    pthread_mutex_t build_lock;     /* one build at a time; guards store, token */
    pthread_mutex_t lock;           /* guards ix, gen, checked_at, built_at, stale */
    ds_inc_index *ix;
    uint64_t gen;
    change_token token;
    double checked_at, built_at, build_s;
    bool stale;                     /* a change was seen, rebuild pending */
    ds_lru *lru;                    /* rendered answers; NULL: none */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void index_free(ds_inc_index *ix)
{
    if (!ix) return;
    ds_vec_free(&ix->entries);
    ds_free(ix->hot);
    ds_free(ix->geo);
    for (int t = 0; t < DS_EV__COUNT; t++) ds_free(ix->seq[t]);
    ds_free(ix->cells);
    ds_buf_free(&ix->frags);
    ds_free(ix);
}

static void index_unref(ds_inc_index *ix)
{
    if (ix && atomic_fetch_sub(&ix->refs, 1) == 1) index_free(ix);
}

/* ---- building ----------------------------------------------------------------- */
static dossier_status on_build_incident(const ds_incident *inc, void *user)
{
    ds_inc_index *ix = user;
    inc_entry *e = ds_vec_push(&ix->entries, sizeof *e);
    if (!e) return DOSSIER_ENOMEM;
    e->id = inc->id;
    e->day = inc->day;
    e->norigins = inc->norigins;
    e->has_coord = inc->has_coord;
    e->lat = inc->lat;
    e->lon = inc->lon;
    e->coslat = cos(inc->lat * (M_PI / 180.0));
    e->ihl = inc->ihl;
    e->type = (uint8_t)inc->type;
    memcpy(e->country, inc->country, 4);
    memcpy(e->actor_country, inc->actor_country, 4);
    memcpy(e->target_country, inc->target_country, 4);
    ds_copy_text(e->source_countries, sizeof e->source_countries, inc->source_countries);
    /* the fragment, written at depth 0 as jw_incident writes it inside a list */
    jw j = {.b = ix->frags, .first = {true}};
    e->frag = j.b.n;
    jw_incident(&j, NULL, inc);
    ix->frags = j.b;
    e->frag_len = ix->frags.n - e->frag;
    return ix->frags.oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const int64_t *)a)[0], y = ((const int64_t *)b)[0];
    return x < y ? -1 : x > y;
}

typedef struct mod_ctx {
    ds_inc_index *ix;
    const int64_t *ids;   /* pairs (id, entry index) sorted by id */
    unsigned bit;
} mod_ctx;

static dossier_status on_modality(const ds_incident *inc, void *user)
{
    mod_ctx *m = user;
    size_t lo = 0, hi = m->ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ids[2 * mid] < inc->id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < m->ix->n && m->ids[2 * lo] == inc->id) m->ix->e[m->ids[2 * lo + 1]].modalities |= m->bit;
    return DOSSIER_OK;
}

/* The cell of a point: CELLS_PER_DEG × CELLS_PER_DEG cells a degree, rows of
 * CELL_COLS longitudes from the south pole. */
#define CELLS_PER_DEG 4
#define CELL_COLS (360 * CELLS_PER_DEG + 1)
static uint32_t cell_of(double lat, double lon)
{
    int la = (int)floor((lat < -90 ? -90 : lat > 90 ? 90 : lat) * CELLS_PER_DEG) + 90 * CELLS_PER_DEG;
    int lo = (int)floor((lon < -180 ? -180 : lon > 180 ? 180 : lon) * CELLS_PER_DEG) +
             180 * CELLS_PER_DEG;
    return (uint32_t)(la * CELL_COLS + lo);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The packed fields and the per-type sequences, once entries are complete. */
static dossier_status build_scan(ds_inc_index *ix)
{
    if (!(ix->hot = ds_calloc(ix->n ? ix->n : 1, sizeof *ix->hot)) ||
        !(ix->geo = ds_calloc(ix->n ? ix->n : 1, sizeof *ix->geo)))
        return DOSSIER_ENOMEM;
    ix->min_norigins = ix->n ? INT32_MAX : 0;
    for (size_t i = 0; i < ix->n; i++) {
        const inc_entry *e = &ix->e[i];
        ix->hot[i] = (inc_hot){e->day, e->norigins, e->ihl, (uint16_t)e->modalities,
                               e->type < DS_EV__COUNT ? e->type : 0, e->has_coord};
        ix->geo[i] = (inc_geo){e->lat, e->lon, e->coslat};
        if (e->norigins < ix->min_norigins) ix->min_norigins = e->norigins;
        ix->nseq[ix->hot[i].type]++;
    }
    ix->nseq[0] = ix->n;
    for (int t = 0; t < DS_EV__COUNT; t++) {
        if (!(ix->seq[t] = ds_malloc((ix->nseq[t] ? ix->nseq[t] : 1) * sizeof(uint32_t))))
            return DOSSIER_ENOMEM;
        ix->nseq[t] = 0;
    }
    if (!(ix->cells = ds_malloc((ix->n ? ix->n : 1) * sizeof *ix->cells))) return DOSSIER_ENOMEM;
    for (size_t i = 0; i < ix->n; i++)
        if (ix->e[i].has_coord)
            ix->cells[ix->ncells++] = (uint64_t)cell_of(ix->e[i].lat, ix->e[i].lon) << 32 | i;
    qsort(ix->cells, ix->ncells, sizeof *ix->cells, cmp_u64);
    for (size_t i = 0; i < ix->n; i++) {
        int t = ix->hot[i].type;
        bool dated = ix->hot[i].day > 0;
        ix->seq[0][ix->nseq[0]++] = (uint32_t)i;
        ix->nseq_dated[0] += dated;
        if (t) {
            ix->seq[t][ix->nseq[t]++] = (uint32_t)i;
            ix->nseq_dated[t] += dated;
        }
    }
    return DOSSIER_OK;
}

/* Read every incident (called with build_lock held). */
static dossier_status build(ds_serve_cache *c, ds_inc_index **out)
{
    ds_inc_index *ix = ds_calloc(1, sizeof *ix);
    if (!ix) return DOSSIER_ENOMEM;
    atomic_init(&ix->refs, 1);
    ds_incident_filter f;
    memset(&f, 0, sizeof f);
    dossier_status st = DS_STORE(c->store, stats, &ix->stats);
    if (st == DOSSIER_OK) st = DS_STORE(c->store, query_incidents, &f, on_build_incident, ix);
    ix->e = ix->entries.items;
    ix->n = ix->entries.n;
    int64_t *ids = NULL;
    if (st == DOSSIER_OK && ix->n) {
        ids = ds_malloc(ix->n * 2 * sizeof *ids);
        if (!ids) st = DOSSIER_ENOMEM;
    }
    if (st == DOSSIER_OK && ix->n) {
        for (size_t i = 0; i < ix->n; i++) {
            ids[2 * i] = ix->e[i].id;
            ids[2 * i + 1] = (int64_t)i;
        }
        qsort(ids, ix->n, 2 * sizeof *ids, cmp_id);
        for (int m = 1; st == DOSSIER_OK && m < DS_MOD__COUNT; m++) {
            f.modality = (ds_modality)m;
            mod_ctx mc = {ix, ids, 1u << m};
            st = DS_STORE(c->store, query_incidents, &f, on_modality, &mc);
        }
    }
    ds_free(ids);
    if (st == DOSSIER_OK && ix->n > UINT32_MAX) st = DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) st = build_scan(ix);
    if (st != DOSSIER_OK) {
        index_free(ix);
        return st;
    }
    *out = ix;
    return DOSSIER_OK;
}

static bool read_token(ds_serve_cache *c, change_token *t)
{
    memset(t, 0, sizeof *t);
    if (!c->path[0]) return DS_STORE(c->store, stats, &t->counts) == DOSSIER_OK;
    char wal[sizeof c->path + 8];
    snprintf(wal, sizeof wal, "%s-wal", c->path);
    if (stat(c->path, &t->db)) return false;
    if (stat(wal, &t->wal)) memset(&t->wal, 0, sizeof t->wal);
    return true;
}

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool same_token(const ds_serve_cache *c, const change_token *a, const change_token *b)
{
    if (!c->path[0]) return !memcmp(&a->counts, &b->counts, sizeof a->counts);
    return same_stat(&a->db, &b->db) && same_stat(&a->wal, &b->wal);
}

/* Build a snapshot and make it current (build_lock held). */
static dossier_status rebuild(ds_serve_cache *c)
{
    change_token t;
    bool have = read_token(c, &t);   /* before reading: a later change is seen next time */
    double t0 = mono_s();
    ds_inc_index *ix = NULL;
    dossier_status st = build(c, &ix);
    double t1 = mono_s();
    pthread_mutex_lock(&c->lock);
    c->built_at = t1;
    c->build_s = t1 - t0;
    if (st == DOSSIER_OK) {
        ix->gen = ++c->gen;
        ds_inc_index *old = c->ix;
        c->ix = ix;
        c->stale = false;
        if (have) c->token = t;
        ds_lru_reset(c->lru, ix->gen);
        pthread_mutex_unlock(&c->lock);
        index_unref(old);
    } else {
        pthread_mutex_unlock(&c->lock);
        fprintf(stderr, "dossier serve: cannot cache incidents: %s\n",
                st == DOSSIER_ENOMEM ? "out of memory" : c->store->err);
    }
    return st;
}

dossier_status ds_cache_open(const char *db, size_t answer_bytes, ds_serve_cache **out,
                             char *err, size_t errlen)
{
    *out = NULL;
    ds_serve_cache *c = ds_calloc(1, sizeof *c);
    if (!c) return DOSSIER_ENOMEM;
    dossier_status st =
        ds_store_open(db, DS_STORE_READONLY | DS_STORE_NOCREATE, &c->store, err, errlen);
    if (st != DOSSIER_OK) {
        ds_free(c);
        return st;
    }
    struct stat sb;
    if (!ds_store_is_pg(c->store) && strlen(db) < sizeof c->path && !stat(db, &sb) &&
        S_ISREG(sb.st_mode))
        strcpy(c->path, db);
    if (answer_bytes && !(c->lru = ds_lru_new(answer_bytes))) {
        ds_store_close(c->store);
        ds_free(c);
        return DOSSIER_ENOMEM;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->build_lock, NULL);
    st = rebuild(c);
    if (st != DOSSIER_OK) {
        snprintf(err, errlen, "reading incidents: %s",
                 st == DOSSIER_ENOMEM ? "out of memory" : c->store->err);
        ds_cache_close(c);
        return st;
    }
    c->checked_at = mono_s();
    *out = c;
    return DOSSIER_OK;
}

void ds_cache_close(ds_serve_cache *c)
{
    if (!c) return;
    ds_lru_free(c->lru);
    index_unref(c->ix);
    ds_store_close(c->store);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->build_lock);
    ds_free(c);
}

/* Has the database changed?  Called without locks; takes build_lock only when
 * a check is due and nobody else is checking or building. */
static void maybe_refresh(ds_serve_cache *c)
{
    double now = mono_s();
    pthread_mutex_lock(&c->lock);
    double every = c->path[0] ? CHECK_S : COUNT_CHECK_S;
    bool due = now - c->checked_at >= every;
    if (due) c->checked_at = now;
    bool stale = c->stale;
    double gap = REBUILD_GAP * c->build_s, since = now - c->built_at;
    pthread_mutex_unlock(&c->lock);
    if (!due && !stale) return;
    if (pthread_mutex_trylock(&c->build_lock)) return;   /* someone else is at it */
    if (!stale) {
        change_token t;
        if (read_token(c, &t) && !same_token(c, &t, &c->token)) stale = true;
    }
    if (stale) {
        if (since >= gap) {
            rebuild(c);
        } else {
            pthread_mutex_lock(&c->lock);
            c->stale = true;
            pthread_mutex_unlock(&c->lock);
        }
    }
    pthread_mutex_unlock(&c->build_lock);
}

const ds_inc_index *ds_cache_index(ds_serve_cache *c)
{
    if (!c) return NULL;
    maybe_refresh(c);
    pthread_mutex_lock(&c->lock);
    ds_inc_index *ix = c->ix;
    if (ix) atomic_fetch_add(&ix->refs, 1);
    pthread_mutex_unlock(&c->lock);
    return ix;
}

void ds_cache_release(ds_serve_cache *c, const ds_inc_index *ix)
{
    (void)c;
    index_unref((ds_inc_index *)ix);
}

uint64_t ds_index_gen(const ds_inc_index *ix) { return ix->gen; }

void ds_index_stats(const ds_inc_index *ix, ds_store_stats *out) { *out = ix->stats; }

/* ---- answering from the snapshot ------------------------------------------------ */
typedef struct box {
    double lat0, lat1, lon0, lon1;
} box;

/* The store's bounding box of near= (store_sqlite_query.c bind_filter). */
static box near_box(const ds_incident_filter *f)
{
    double dlat = f->km / 111.0;
    double cl = cos(f->lat * M_PI / 180.0);
    double dlon = f->km / (111.0 * (cl > 0.01 ? cl : 0.01));
    return (box){f->lat - dlat, f->lat + dlat, f->lon - dlon, f->lon + dlon};
}

static bool csv_has(const char *csv, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = csv; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !memcmp(p, code, n)) return true;
        p += len + (e ? 1 : 0);
    }
    return false;
}

/* A scan: positions [start, end) of seq hold every entry of the filter's
 * type and date range; the rest of the filter is tested per entry. */
typedef struct scan {
    const ds_inc_index *ix;
    const ds_incident_filter *f;
    const uint32_t *seq;
    size_t start, end, ndated;   /* ndated: the dated prefix of seq */
    bool simple;    /* nothing else to test */
    box b;          /* near=: the store's box */
    double coslat, a_in, a_out;   /* near=: cos of its latitude; haversine bounds */
    uint32_t *own;  /* near=: seq is this list of candidates (scan_done frees it) */
} scan;

/* First position in seq[0..n) whose day is not below day (strict: above). */
static size_t day_bound(const ds_inc_index *ix, const uint32_t *seq, size_t n, int32_t day,
                        bool strict)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int32_t d = ix->hot[seq[mid]].day;
        if (strict ? d <= day : d < day) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* near=: instead of walking every entry, the entries filed under the box's
 * cells (marked in a bitmap over entries, so they come out in list order)
 * that lie in the scan's range and are of its type.  On a huge box or no
 * memory the scan stays a walk. */
static void near_candidates(scan *sc, int type)
{
    const ds_inc_index *ix = sc->ix;
    if (sc->start >= sc->end) return;
    uint32_t c0 = cell_of(sc->b.lat0, sc->b.lon0), c1 = cell_of(sc->b.lat1, sc->b.lon1);
    uint32_t r0 = c0 / CELL_COLS, r1 = c1 / CELL_COLS, l0 = c0 % CELL_COLS, l1 = c1 % CELL_COLS;
    if ((size_t)(r1 - r0 + 1) * (l1 - l0 + 1) > 4096) return;
    uint64_t *bits = ds_calloc((ix->n + 63) / 64, sizeof *bits);
    if (!bits) return;
    size_t count = 0;
    for (uint32_t r = r0; r <= r1; r++)
        for (uint32_t l = l0; l <= l1; l++) {
            uint64_t key = (uint64_t)(r * CELL_COLS + l) << 32;
            size_t lo = 0, hi = ix->ncells;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (ix->cells[mid] < key) lo = mid + 1;
                else hi = mid;
            }
            for (; lo < ix->ncells && (ix->cells[lo] >> 32) == (key >> 32); lo++, count++)
                bits[(uint32_t)ix->cells[lo] / 64] |= 1ull << ((uint32_t)ix->cells[lo] % 64);
        }
    uint32_t *own = ds_malloc((count ? count : 1) * sizeof *own);
    if (!own) {
        ds_free(bits);
        return;
    }
    /* the range's first and last entries bound the candidates (seq is in
     * entry order); within them, only the type is left to check */
    uint32_t first = sc->seq[sc->start], last = sc->seq[sc->end - 1];
    size_t m = 0, dated = 0;
    for (uint32_t w = first / 64; w <= last / 64; w++)
        for (uint64_t x = bits[w]; x; x &= x - 1) {
            uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(x);
            if (i < first || i > last || (type && ix->hot[i].type != type)) continue;
            own[m++] = i;
            dated += ix->hot[i].day > 0;
        }
    ds_free(bits);
    sc->own = own;
    sc->seq = own;
    sc->start = 0;
    sc->end = m;
    sc->ndated = dated;
}

static scan scan_of(const ds_inc_index *ix, const ds_incident_filter *f)
{
    int t = f->type > 0 && f->type < DS_EV__COUNT ? (int)f->type : 0;
    scan sc = {.ix = ix, .f = f, .seq = ix->seq[t], .end = ix->nseq[t], .ndated = ix->nseq_dated[t]};
    if (f->since || f->until) sc.end = sc.ndated;   /* a date bound leaves out the undated */
    if (f->since) sc.start = day_bound(ix, sc.seq, sc.ndated, f->since, false);
    if (f->until) sc.end = day_bound(ix, sc.seq, sc.ndated, f->until, true);
    if (sc.end < sc.start) sc.end = sc.start;
    sc.simple = !f->country && !f->source_country && !f->ihl && !f->modality && !f->near &&
                !f->id && f->min_origins <= ix->min_norigins;
    if (f->near) {
        sc.b = near_box(f);
        sc.coslat = cos(f->lat * (M_PI / 180.0));
        double h = sin(f->km / (2 * 6371.0)), a = h * h;   /* ds_km's a at distance km */
        sc.a_in = a * (1 - 1e-9);
        sc.a_out = a * (1 + 1e-9);
        near_candidates(&sc, t);
    }
    return sc;
}

static void scan_done(scan *sc) { ds_free(sc->own); }

/* Is e farther than near='s distance?  ds_km() (haversine, R 6371 km) is
 * 2R·atan2(√a, √(1−a)), increasing with a, so a decides, computed as ds_km
 * does with the cosines kept; only an a within rounding of the bound asks
 * ds_km() itself, so the answer is ds_km()'s. */
static bool beyond(const scan *sc, const inc_geo *e)
{
    const ds_incident_filter *f = sc->f;
    double r = M_PI / 180.0;
    double sl = sin((e->lat - f->lat) * r / 2), so = sin((e->lon - f->lon) * r / 2);
    double a = sl * sl + sc->coslat * e->coslat * so * so;
    if (a < sc->a_in) return false;
    if (a > sc->a_out) return true;
    return ds_km(f->lat, f->lon, e->lat, e->lon) > f->km;
}

/* Does entry i pass the filter (its type and dates being right)? */
static bool match(const scan *sc, uint32_t i)
{
    const ds_incident_filter *f = sc->f;
    const inc_hot *h = &sc->ix->hot[i];
    if (h->norigins < f->min_origins) return false;
    if (f->ihl && !(h->ihl & f->ihl)) return false;
    if (f->modality && !((h->modalities >> f->modality) & 1u)) return false;
    if (f->near) {
        const inc_geo *g = &sc->ix->geo[i];
        if (!h->has_coord || g->lat < sc->b.lat0 || g->lat > sc->b.lat1 || g->lon < sc->b.lon0 ||
            g->lon > sc->b.lon1 || beyond(sc, g))
            return false;
    }
    const inc_entry *e = &sc->ix->e[i];
    if (f->id && e->id != f->id) return false;
    if (f->country && strcmp(e->country, f->country) && strcmp(e->actor_country, f->country) &&
        strcmp(e->target_country, f->country))
        return false;
    if (f->source_country && !csv_has(e->source_countries, f->source_country)) return false;
    return true;
}

/* Room for extra more bytes in b at once (a list page is written fragment by
 * fragment: without this it grows and copies itself many times). */
static void reserve(ds_buf *b, size_t extra)
{
    if (b->oom || b->cap - b->n > extra) return;
    char *p = ds_realloc(b->p, b->n + extra + 1);
    if (!p) return;   /* ds_buf_put will find out again */
    b->p = p;
    b->cap = b->n + extra + 1;
}

void ds_index_list(const ds_inc_index *ix, const ds_incident_filter *f, int64_t limit,
                   int64_t offset, jw *j)
{
    scan sc = scan_of(ix, f);
    size_t avg = ix->n ? ix->frags.n / ix->n + 1 : 0, room = sc.end - sc.start;
    reserve(&j->b, 256 + avg * ((uint64_t)limit < room ? (size_t)limit : room));
    jw_open(j, NULL, '{');
    jw_int(j, "offset", offset);
    jw_int(j, "limit", limit);
    jw_open(j, "incidents", '[');
    int64_t seen = 0, n = 0;
    bool more = false;
    size_t p = sc.start;
    if (sc.simple) {   /* every position matches: skip the offset */
        p = (uint64_t)offset < sc.end - sc.start ? sc.start + (size_t)offset : sc.end;
        seen = offset;
    }
    for (; p < sc.end; p++) {
        uint32_t i = sc.seq[p];
        if (!sc.simple && !match(&sc, i)) continue;
        if (seen++ < offset) continue;
        if (n == limit) {
            more = true;
            break;
        }
        jw_key(j, NULL);
        ds_buf_put(&j->b, ix->frags.p + ix->e[i].frag, ix->e[i].frag_len);
        n++;
    }
    jw_close(j, ']');
    jw_int(j, "count", n);
    jw_bool(j, "more", more);
    jw_close(j, '}');
    scan_done(&sc);
}

static void put_day(jw *j, int32_t day, const int64_t *counts)
{
    for (int k = 1; k < DS_EV__COUNT; k++)
        if (counts[k]) jw_day_count(j, day, k, counts[k]);
}

void ds_index_days(const ds_inc_index *ix, const ds_incident_filter *f, jw *j)
{
    scan sc = scan_of(ix, f);
    size_t end = sc.end < sc.ndated ? sc.end : sc.ndated;   /* the undated are left out */
    int64_t counts[DS_EV__COUNT] = {0};
    int32_t day = 0;
    jw_open(j, NULL, '{');
    jw_open(j, "days", '[');   /* [day, type, count] in day order */
    for (size_t p = sc.start; p < end; p++) {
        uint32_t i = sc.seq[p];
        if (!sc.simple && !match(&sc, i)) continue;
        const inc_hot *h = &ix->hot[i];
        if (h->day != day) {
            if (day) put_day(j, day, counts);
            memset(counts, 0, sizeof counts);
            day = h->day;
        }
        counts[h->type]++;
    }
    if (day) put_day(j, day, counts);
    jw_close(j, ']');
    jw_close(j, '}');
    scan_done(&sc);
}

/* ---- the answer LRU (serve_lru.c), by snapshot generation ------------------------ */
bool ds_cache_get(ds_serve_cache *c, uint64_t gen, const char *key, size_t klen, int *status,
                  char **body, size_t *len)
{
    return c && c->lru && ds_lru_get(c->lru, gen, key, klen, status, body, len);
}

void ds_cache_put(ds_serve_cache *c, uint64_t gen, const char *key, size_t klen, int status,
                  const char *body, size_t len)
{
    if (c && c->lru) ds_lru_put(c->lru, gen, key, klen, status, body, len);
}
