/*
 * store_sqlite_lsh.c — LSH bucket lookups of the SQLite backend, answered
 * from memory during a long ingest.
 *
 * Syndication asks 16 document buckets per document and linking 4 sentence
 * buckets per claim.  In SQL each is a b-tree descent in the big table and
 * one in its staging table (about 3 µs, more once the tables outgrow the
 * CPU caches); that was the largest single cost of ingesting.  So once a
 * session has asked enough buckets to pay for it, the whole table is read
 * once, in key order, into a hash map of key → chain of row ids, and later
 * lookups never touch SQL.  The tables stay the store of record: every new
 * row is still written to them, and the map only mirrors them.
 *
 * New rows wait in memory until the commit (a small map answers lookups
 * for them meanwhile), then go into the staging tables in key order: one
 * pass over their b-trees instead of a random page per row.
 *
 * The map is dropped (and SQL answers again until it pays to reload) when
 * what it mirrors may have changed behind it: on rollback (rows it holds
 * were never committed) and when another connection has committed since
 * this one last wrote (PRAGMA data_version, checked at each BEGIN).
 *
 * Written by hand: no Debian-packaged C library offers an integer multimap;
 * this one is a plain open-addressing table of keys (linear probing) whose
 * slots head chains in one array of (row id, next) entries.
 */
#include "store_sqlite.h"

#include <stdlib.h>
#include <string.h>

/* Never map a table larger than this (rows; the incidents map shares the
 * bound): ~40 bytes per LSH row; past it the lookups stay in SQL. */
#define LSH_MAX_ROWS ((int64_t)1 << 28)

/* the SQL lookup of one bucket (big table and staging table) */
static const int lsh_get_q[SQ_LSH__COUNT] = {[SQ_LSH_DOC] = Q_DOC_LSH_GET,
                                            [SQ_LSH_INC] = Q_INC_KEY};
/* rows into the staging table: one, and SQ_LSH_PUT_ROWS */
static const int lsh_put_q[SQ_LSH__COUNT][2] = {
    [SQ_LSH_DOC] = {Q_DOC_LSH_PUT1, Q_DOC_LSH_PUTN},
    [SQ_LSH_INC] = {Q_INC_LSH_PUT1, Q_INC_LSH_PUTN},
};
static const char *const lsh_all_sql[SQ_LSH__COUNT] = {
    [SQ_LSH_DOC] = "SELECT key,doc FROM doc_lsh UNION ALL SELECT key,doc FROM doc_lsh_new",
    [SQ_LSH_INC] = "SELECT key,incident FROM incident_lsh UNION ALL"
                   " SELECT key,incident FROM incident_lsh_new",
};
/* rows the table holds, about (each row of the owner adds a fixed number) */
static const char *const lsh_size_sql[SQ_LSH__COUNT] = {
    [SQ_LSH_DOC] = "SELECT coalesce(max(id),0)*16 FROM documents",
    [SQ_LSH_INC] = "SELECT coalesce(max(id),0)*4 FROM claims",
};

void sq_lsh_drop(sq_lsh_map *m)
{
    ds_free(m->slot_key);
    ds_free(m->slot_head);
    ds_free(m->ent_id);
    ds_free(m->ent_next);
    memset(m, 0, sizeof *m);
    m->est_rows = -1;   /* a reload needs fresh evidence that it pays */
}

/* Empty a map but keep its memory (the pending rows' map, every commit). */
static void map_clear(sq_lsh_map *m)
{
    if (m->nkeys) memset(m->slot_head, 0, m->cap * sizeof *m->slot_head);
    m->nkeys = m->nent = 0;
}

/* Slots for at least `want` distinct keys at most 5/8 full; entries kept. */
static bool rehash(sq_lsh_map *m, size_t want)
{
    size_t cap = 1024;
    while (cap * 5 / 8 < want) cap *= 2;
    if (cap <= m->cap) return true;
    uint64_t *keys = ds_malloc(cap * sizeof *keys);
    uint32_t *heads = ds_calloc(cap, sizeof *heads);   /* 0: empty; else entry + 1 */
    if (!keys || !heads) {
        ds_free(keys);
        ds_free(heads);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slot_head[i]) continue;
        size_t h = ds_mix64(m->slot_key[i]) & (cap - 1);
        while (heads[h]) h = (h + 1) & (cap - 1);
        keys[h] = m->slot_key[i];
        heads[h] = m->slot_head[i];
    }
    ds_free(m->slot_key);
    ds_free(m->slot_head);
    m->slot_key = keys;
    m->slot_head = heads;
    m->cap = cap;
    return true;
}

/* The slot of key (its chain, or the empty slot where it would go). */
static size_t slot_of(const sq_lsh_map *m, uint64_t key)
{
    size_t h = ds_mix64(key) & (m->cap - 1);
    while (m->slot_head[h] && m->slot_key[h] != key) h = (h + 1) & (m->cap - 1);
    return h;
}

/* Is (key, id) in the map?  Chains are newest first and a row comes back
 * soon if at all (a document's repeated band, an incident's next claim),
 * so only the first few entries are looked at; a repeat missed here is
 * dropped by INSERT OR IGNORE and by the callers' deduplication. */
static bool map_has(const sq_lsh_map *m, uint64_t key, int64_t id)
{
    if (!m->cap) return false;
    uint32_t e = m->slot_head[slot_of(m, key)];
    for (int k = 0; e && k < 8; k++, e = m->ent_next[e - 1])
        if (m->ent_id[e - 1] == id) return true;
    return false;
}

/* Add (key, id); false when memory ran out. */
static bool map_add(sq_lsh_map *m, uint64_t key, int64_t id)
{
    if (m->nkeys + 1 > m->cap * 5 / 8 && !rehash(m, m->nkeys + 1)) return false;
    if (m->nent == m->ent_cap) {
        size_t cap = m->ent_cap ? m->ent_cap * 2 : 4096;
        if (cap >= UINT32_MAX) return false;
        int64_t *ids = ds_realloc(m->ent_id, cap * sizeof *ids);
        if (!ids) return false;
        m->ent_id = ids;
        uint32_t *next = ds_realloc(m->ent_next, cap * sizeof *next);
        if (!next) return false;
        m->ent_next = next;
        m->ent_cap = cap;
    }
    size_t h = slot_of(m, key);
    uint32_t head = m->slot_head[h];
    if (!head) {
        m->slot_key[h] = key;
        m->nkeys++;
    }
    m->ent_id[m->nent] = id;
    m->ent_next[m->nent] = head;
    m->slot_head[h] = (uint32_t)++m->nent;
    return true;
}

static dossier_status map_get(const sq_lsh_map *m, uint64_t key, ds_vec *ids)
{
    if (!m->cap) return DOSSIER_OK;
    for (uint32_t e = m->slot_head[slot_of(m, key)]; e; e = m->ent_next[e - 1]) {
        int64_t *slot = ds_vec_push(ids, sizeof(int64_t));
        if (!slot) return DOSSIER_ENOMEM;
        *slot = m->ent_id[e - 1];
    }
    return DOSSIER_OK;
}

/* Read the whole table into the map, then the rows pending commit; on any
 * failure the map stays empty and SQL keeps answering (only slower). */
static void load(sq_store *s, sq_lsh *l, int which)
{
    sq_lsh_map *m = &l->all;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, lsh_all_sql[which], -1, &q, NULL) != SQLITE_OK) return;
    bool ok = rehash(m, (size_t)(m->est_rows > 0 ? m->est_rows : 1));
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW)
        ok = map_add(m, (uint64_t)sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1));
    if (ok && rc != SQLITE_DONE) ok = false;
    sqlite3_finalize(q);
    const sq_lsh_row *row = l->rows.items;
    for (size_t i = 0; ok && i < l->rows.n; i++) ok = map_add(m, row[i].key, row[i].id);
    if (!ok) {
        sq_lsh_drop(m);
        m->est_rows = LSH_MAX_ROWS + 1;   /* do not try again until dropped */
        return;
    }
    m->ready = true;
    map_clear(&l->pend);
}

bool sq_map_pays(sq_store *s, int64_t *asked, int64_t *est, const char *size_sql, int share)
{
    if (s->lsh_map_at < 0 || ++*asked <= s->lsh_map_at) return false;
    /* DOSSIER_LSH_MAP set: load now, whatever the size (tests) */
    if (*est < 0) *est = s->lsh_map_forced ? 0 : sq_scalar(s, size_sql);
    return *est >= 0 && *est <= LSH_MAX_ROWS && *asked >= *est / share;
}

dossier_status sq_lsh_get(sq_store *s, int which, uint64_t key, ds_vec *ids)
{
    sq_lsh *l = &s->lsh[which];
    sq_lsh_map *m = &l->all;
    if (!m->ready && sq_map_pays(s, &m->lookups, &m->est_rows, lsh_size_sql[which], 16))
        load(s, l, which);
    if (m->ready) return map_get(m, key, ids);
    sqlite3_stmt *st = sq_stmt(s, lsh_get_q[which]);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, (int64_t)key);
    int rc = SQLITE_DONE;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t *slot = ds_vec_push(ids, sizeof(int64_t));
        if (slot) *slot = sqlite3_column_int64(st, 0);
        else r = DOSSIER_ENOMEM;
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "finding LSH bucket");
    sqlite3_reset(st);
    return r == DOSSIER_OK ? map_get(&l->pend, key, ids) : r;
}

dossier_status sq_lsh_put(sq_store *s, int which, uint64_t key, int64_t id)
{
    sq_lsh *l = &s->lsh[which];
    sq_lsh_map *m = l->all.ready ? &l->all : &l->pend;
    if (map_has(m, key, id)) return DOSSIER_OK;
    sq_lsh_row *row = ds_vec_push(&l->rows, sizeof *row);
    if (!row) return DOSSIER_ENOMEM;
    row->key = key;
    row->id = id;
    if (map_add(m, key, id)) return DOSSIER_OK;
    if (m == &l->pend) return DOSSIER_ENOMEM;
    /* the big map ran out: SQL answers again, and the pending map must hold
     * every row of this transaction (they went to the big map until now) */
    sq_lsh_drop(m);
    map_clear(&l->pend);
    const sq_lsh_row *r = l->rows.items;
    for (size_t i = 0; i < l->rows.n; i++)
        if (!map_add(&l->pend, r[i].key, r[i].id)) return DOSSIER_ENOMEM;
    return DOSSIER_OK;
}

static int cmp_row(const void *a, const void *b)
{
    const sq_lsh_row *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

dossier_status sq_lsh_flush(sq_store *s)
{
    for (int w = 0; w < SQ_LSH__COUNT; w++) {
        sq_lsh *l = &s->lsh[w];
        sq_lsh_row *row = l->rows.items;
        size_t n = l->rows.n, i = 0;
        if (n > 1) qsort(row, n, sizeof *row, cmp_row);
        while (i < n) {
            int k = n - i >= SQ_LSH_PUT_ROWS ? SQ_LSH_PUT_ROWS : 1;
            sqlite3_stmt *st = sq_stmt(s, lsh_put_q[w][k > 1]);
            if (!st) return DOSSIER_EDB;
            for (int j = 0; j < k; j++, i++) {
                sqlite3_bind_int64(st, 2 * j + 1, (int64_t)row[i].key);
                sqlite3_bind_int64(st, 2 * j + 2, row[i].id);
            }
            dossier_status r = sq_run(s, st, "storing LSH buckets");
            if (r != DOSSIER_OK) return r;
            s->staged += sqlite3_changes(s->db);
        }
        l->rows.n = 0;
        map_clear(&l->pend);
    }
    return DOSSIER_OK;
}

void sq_maps_reset(sq_store *s, bool release)
{
    s->base.epoch++;
    sq_incmap_drop(s);
    for (int w = 0; w < SQ_LSH__COUNT; w++) {
        sq_lsh *l = &s->lsh[w];
        l->rows.n = 0;
        sq_lsh_drop(&l->all);
        if (release) {
            sq_lsh_drop(&l->pend);
            ds_vec_free(&l->rows);
        } else {
            map_clear(&l->pend);
        }
    }
}

void sq_maps_check_version(sq_store *s)
{
    sqlite3_stmt *q = sq_stmt(s, Q_DATA_VERSION);
    if (!q) return;
    int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_reset(q);
    if (v != s->data_version || v < 0) {
        for (int i = 0; i < SQ_LSH__COUNT; i++)
            if (s->lsh[i].all.ready) sq_lsh_drop(&s->lsh[i].all);
        sq_incmap_drop(s);
        s->base.epoch++;
    }
    s->data_version = v;
}
