/*
 * store_sqlite_incmap.c — the incidents as linking sees them, in memory
 * during a long ingest (SQLite backend).
 *
 * Linking a claim asks for the incidents of its type whose best day lies
 * near its date window, in the nine grid cells around its place (and
 * without a place): ten index ranges in SQL, ten more for its mirror, and a
 * row read per candidate.  Once a session has asked enough of them to pay
 * for it (as the LSH maps, store_sqlite_lsh.c), the incidents' linking
 * fields are read once into memory, filed by (type, cell, 32-day block) and
 * by (type, block), and the candidates come from there.  Every incident
 * the backend writes (sq_incident_put) is written through to the map, so
 * it always equals the table; it is dropped on rollback and when another
 * connection has committed (sq_maps_check_version), like the LSH maps.
 *
 * The incidents handed to the linking callbacks carry the fields linking
 * reads (store.h: incident_candidates); the rest stay empty.
 *
 * Written by hand: no Debian-packaged C library offers these maps.
 */
#include "store_sqlite.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_SHIFT 5               /* 32-day blocks */
#define MAX_BLOCKS 64               /* wider windows go to SQL */
#define NO_BLOCK 0x7fffffff

/* ---- a hash map of uint64 keys → uint32 values (open addressing) ------- */
typedef struct u64map {
    uint64_t *key;
    uint32_t *val;   /* value + 1; 0: empty slot */
    size_t cap, n;
} u64map;

static void u64map_free(u64map *m)
{
    ds_free(m->key);
    ds_free(m->val);
    memset(m, 0, sizeof *m);
}

static size_t u64map_slot(const u64map *m, uint64_t key)
{
    size_t h = ds_mix64(key) & (m->cap - 1);
    while (m->val[h] && m->key[h] != key) h = (h + 1) & (m->cap - 1);
    return h;
}

/* Value of key, or -1. */
static int64_t u64map_get(const u64map *m, uint64_t key)
{
    if (!m->cap) return -1;
    size_t h = u64map_slot(m, key);
    return m->val[h] ? (int64_t)m->val[h] - 1 : -1;
}

static bool u64map_put(u64map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 8 > m->cap * 5) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        u64map g = {ds_malloc(cap * sizeof *g.key), ds_calloc(cap, sizeof *g.val), cap, 0};
        if (!g.key || !g.val) {
            u64map_free(&g);
            return false;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->val[i]) {
                size_t h = u64map_slot(&g, m->key[i]);
                g.key[h] = m->key[i];
                g.val[h] = m->val[i];
                g.n++;
            }
        u64map_free(m);
        *m = g;
    }
    size_t h = u64map_slot(m, key);
    if (!m->val[h]) m->n++;
    m->key[h] = key;
    m->val[h] = val + 1;
    return true;
}

/* ---- the map -------------------------------------------------------------- */
/* A bucket's entry: what the date-window test reads, kept with the record's
 * index so a candidate search scans its buckets without touching records
 * (~200 bytes each, scattered) until one passes. */
struct entry {
    int64_t id;
    uint32_t r;                  /* rec index */
    int32_t day, day_lo, day_hi;
};

struct sq_incmap {
    sq_inc_rec *rec;
    size_t n, cap;
    u64map by_id;      /* incident id → rec index */
    u64map by_key;     /* bucket key → bucket index */
    struct bucket {
        struct entry *v;
        uint32_t n, cap;
    } *b;
    size_t nb, capb;
};

static int32_t block_of(int32_t day) { return day ? day >> BLOCK_SHIFT : NO_BLOCK; }

/* bucket keys: type, cell and block (near) or type and block (anywhere) */
static uint64_t near_key(int type, int64_t cell, int32_t block)
{
    return (uint64_t)type | ((uint64_t)cell & 0xffffff) << 8 | (uint64_t)(uint32_t)block << 32;
}

static uint64_t when_key(int type, int32_t block)
{
    return (uint64_t)type | 0xffffffull << 8 | (uint64_t)(uint32_t)block << 32;
}

static const struct bucket *find_bucket(const sq_incmap *m, uint64_t key)
{
    int64_t i = u64map_get(&m->by_key, key);
    return i >= 0 ? &m->b[i] : NULL;
}

static struct bucket *bucket(sq_incmap *m, uint64_t key, bool create)
{
    int64_t i = u64map_get(&m->by_key, key);
    if (i >= 0) return &m->b[i];
    if (!create) return NULL;
    if (m->nb == m->capb) {
        size_t cap = m->capb ? m->capb * 2 : 1024;
        struct bucket *b = ds_realloc(m->b, cap * sizeof *b);
        if (!b) return NULL;
        m->b = b;
        m->capb = cap;
    }
    if (m->nb >= UINT32_MAX - 1 || !u64map_put(&m->by_key, key, (uint32_t)m->nb)) return NULL;
    memset(&m->b[m->nb], 0, sizeof m->b[0]);
    return &m->b[m->nb++];
}

static struct entry entry_of(const sq_incmap *m, uint32_t r)
{
    const sq_inc_rec *x = &m->rec[r];
    return (struct entry){x->id, r, x->day, x->day_lo, x->day_hi};
}

static bool bucket_add(sq_incmap *m, uint64_t key, uint32_t r)
{
    struct bucket *b = bucket(m, key, true);
    if (!b) return false;
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 4;
        struct entry *v = ds_realloc(b->v, cap * sizeof *v);
        if (!v) return false;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = entry_of(m, r);
    return true;
}

/* Record r's entry in the bucket of key (NULL: none); *bp: the bucket. */
static struct entry *bucket_entry(sq_incmap *m, uint64_t key, uint32_t r, struct bucket **bp)
{
    struct bucket *b = *bp = bucket(m, key, false);
    for (uint32_t i = 0; b && i < b->n; i++)
        if (b->v[i].r == r) return &b->v[i];
    return NULL;
}

static void bucket_remove(sq_incmap *m, uint64_t key, uint32_t r)
{
    struct bucket *b;
    struct entry *e = bucket_entry(m, key, r, &b);
    if (e) *e = b->v[--b->n];
}

/* Record r's days changed within its buckets: their entries follow. */
static void bucket_update(sq_incmap *m, uint64_t key, uint32_t r)
{
    struct bucket *b;
    struct entry *e = bucket_entry(m, key, r, &b);
    if (e) *e = entry_of(m, r);
}

/* File record r in its buckets (undated incidents are found by LSH only). */
static bool file_rec(sq_incmap *m, uint32_t r)
{
    const sq_inc_rec *x = &m->rec[r];
    if (!x->day) return true;
    int32_t bl = block_of(x->day);
    return bucket_add(m, near_key(x->type, x->cell, bl), r) &&
           bucket_add(m, when_key(x->type, bl), r);
}

static void unfile_rec(sq_incmap *m, uint32_t r)
{
    const sq_inc_rec *x = &m->rec[r];
    if (!x->day) return;
    int32_t bl = block_of(x->day);
    bucket_remove(m, near_key(x->type, x->cell, bl), r);
    bucket_remove(m, when_key(x->type, bl), r);
}

void sq_incmap_drop(sq_store *s)
{
    sq_incmap_free(s->incmap);
    s->incmap = NULL;
    s->inc_probes = 0;
    s->inc_est = -1;
}

void sq_incmap_free(sq_incmap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nb; i++) ds_free(m->b[i].v);
    ds_free(m->b);
    ds_free(m->rec);
    u64map_free(&m->by_id);
    u64map_free(&m->by_key);
    ds_free(m);
}

static void rec_of(const ds_incident *inc, sq_inc_rec *x)
{
    memset(x, 0, sizeof *x);
    x->id = inc->id;
    x->type = (uint8_t)inc->type;
    /* as the row reads back: no days without a best day, no coordinates
     * without a place */
    if (inc->day) {
        x->day = inc->day;
        x->day_lo = inc->day_lo;
        x->day_hi = inc->day_hi;
    }
    x->has_coord = inc->has_coord;
    if (inc->has_coord) {
        x->lat = inc->lat;
        x->lon = inc->lon;
    }
    x->cell = ds_geo_cell(inc->has_coord, inc->lat, inc->lon);
    x->precision = (uint8_t)inc->precision;
    x->status = (uint8_t)inc->status;
    memcpy(x->actor_country, inc->actor_country, sizeof x->actor_country);
    memcpy(x->target_country, inc->target_country, sizeof x->target_country);
    memcpy(x->place, inc->place, sizeof x->place);
    memcpy(x->sig, inc->sig, sizeof x->sig);
}

bool sq_incmap_put(sq_incmap *m, const ds_incident *inc)
{
    sq_inc_rec x;
    rec_of(inc, &x);
    int64_t r = u64map_get(&m->by_id, (uint64_t)inc->id);
    if (r >= 0) {
        sq_inc_rec *old = &m->rec[r];
        bool same = old->type == x.type && old->cell == x.cell &&
                    block_of(old->day) == block_of(x.day) && !old->day == !x.day;
        if (same) {
            bool days = old->day != x.day || old->day_lo != x.day_lo || old->day_hi != x.day_hi;
            *old = x;
            if (days && x.day) {
                int32_t bl = block_of(x.day);
                bucket_update(m, near_key(x.type, x.cell, bl), (uint32_t)r);
                bucket_update(m, when_key(x.type, bl), (uint32_t)r);
            }
            return true;
        }
        unfile_rec(m, (uint32_t)r);
        m->rec[r] = x;
        return file_rec(m, (uint32_t)r);
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        if (cap >= UINT32_MAX) return false;
        sq_inc_rec *v = ds_realloc(m->rec, cap * sizeof *v);
        if (!v) return false;
        m->rec = v;
        m->cap = cap;
    }
    m->rec[m->n] = x;
    if (!u64map_put(&m->by_id, (uint64_t)inc->id, (uint32_t)m->n)) return false;
    return file_rec(m, (uint32_t)m->n++);
}

sq_incmap *sq_incmap_load(sq_store *s)
{
    sq_incmap *m = ds_calloc(1, sizeof *m);
    sqlite3_stmt *q = NULL;
    if (!m || sqlite3_prepare_v2(s->db, "SELECT " INC_COLS_BASE ",0 FROM incidents i", -1, &q,
                                 NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        ds_free(m);
        return NULL;
    }
    int rc;
    bool ok = true;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        ds_incident inc;
        sq_read_incident(q, 0, &inc);
        ok = sq_incmap_put(m, &inc);
    }
    if (ok && rc != SQLITE_DONE) ok = false;
    sqlite3_finalize(q);
    if (!ok) {
        sq_incmap_free(m);
        return NULL;
    }
    return m;
}

static void inc_of(const sq_inc_rec *x, ds_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->id = x->id;
    inc->type = (ds_event_type)x->type;
    inc->day = x->day;
    inc->day_lo = x->day_lo;
    inc->day_hi = x->day_hi;
    inc->has_coord = x->has_coord;
    inc->lat = x->lat;
    inc->lon = x->lon;
    inc->precision = (ds_place_precision)x->precision;
    inc->status = (ds_victim_status)x->status;
    memcpy(inc->actor_country, x->actor_country, sizeof x->actor_country);
    memcpy(inc->target_country, x->target_country, sizeof x->target_country);
    memcpy(inc->place, x->place, sizeof x->place);
    memcpy(inc->sig, x->sig, sizeof x->sig);
}

static bool push_id(ds_vec *ids, int64_t id)
{
    int64_t *slot = ds_vec_push(ids, sizeof(int64_t));
    if (slot) *slot = id;
    return slot != NULL;
}

int sq_incmap_near(const sq_incmap *m, const ds_incident_probe *p, ds_vec *ids)
{
    if (!p->day_lo) return 0;
    int slack = ds_probe_slack(p);
    int32_t from = p->day_lo - slack, to = p->day_hi + slack;
    int32_t b0 = block_of(from), b1 = block_of(to);
    if (from <= 0 || to < from || b1 - b0 >= MAX_BLOCKS) return 1;   /* SQL */
    /* as the SQL lookups: cell 0 (no place) and the 9 cells, or every place */
    for (int k = -1; k < (p->has_coord ? 9 : 0); k++)
        for (int32_t bl = b0; bl <= b1; bl++) {
            const struct bucket *b =
                find_bucket(m, p->has_coord ? near_key(p->type, k < 0 ? 0 : p->cells[k], bl)
                                            : when_key(p->type, bl));
            for (uint32_t i = 0; b && i < b->n; i++) {
                const struct entry *x = &b->v[i];
                if (x->day < from || x->day > to || x->day_lo > p->day_hi ||
                    x->day_hi < p->day_lo)
                    continue;
                if (!push_id(ids, x->id)) return -1;
            }
        }
    return 0;
}

/* The incident's linking fields, when it passes the probe's country filter
 * (as Q_INC_LINKROW); false when not (or not known). */
bool sq_incmap_row(const sq_incmap *m, int64_t id, const ds_incident_probe *p, ds_incident *out)
{
    int64_t r = u64map_get(&m->by_id, (uint64_t)id);
    if (r < 0) return false;
    const sq_inc_rec *x = &m->rec[r];
    if (p->actor_country[0] && strncmp(x->actor_country, p->actor_country, 4)) return false;
    if (p->target_country[0] && strncmp(x->target_country, p->target_country, 4)) return false;
    inc_of(x, out);
    return true;
}
