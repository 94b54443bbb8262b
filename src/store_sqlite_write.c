/*
 * store_sqlite_write.c — the writes of the SQLite backend: documents with
 * their sentences (+ full-text index), claims and parties; syndication
 * (LSH buckets, origin clusters); incidents (candidates for linking, rows,
 * keys, claim links, mirrors).  Column values come from store_rows.c.
 */
#include "store_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- documents ---------------------------------------------------------- */
/* The sentences stored since the transaction began go into the full-text
 * index in one statement (sq_commit): a statement per sentence cost more
 * than the tokenizing. */
dossier_status sq_index_sentences(sq_store *s)
{
    if (!s->fts_from) return DOSSIER_OK;
    sqlite3_stmt *q = sq_stmt(s, Q_PUT_FTS);
    if (!q) return DOSSIER_EDB;
    sqlite3_bind_int64(q, 1, s->fts_from);
    dossier_status r = sq_run(s, q, "indexing sentences");
    if (r == DOSSIER_OK) s->fts_from = 0;
    return r;
}

int64_t sq_doc_key(const char *doc_id, bool high)
{
    const char *h = strncmp(doc_id, "sha256:", 7) == 0 ? doc_id + 7 : doc_id;
    int64_t key = 0;
    for (int i = 0; i < SQ_DOC_KEY_DIGITS; i++) {
        int c = h[0], d = c >= '0' && c <= '9' ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d >= 0) h++;
        else d = high ? 15 : 0;   /* past the digits given: the range's end */
        key = key << 4 | d;
    }
    return key;
}

dossier_status sq_has_doc(ds_store *b, const char *doc_id, int64_t *rowid)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_HAS_DOC);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, sq_doc_key(doc_id, false));
    sqlite3_bind_text(st, 2, doc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (rowid) *rowid = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "looking up document");
    sqlite3_reset(st);
    return DOSSIER_ENOTFOUND;
}

static dossier_status put_claim(sq_store *s, const dossier_doc *doc, size_t ci, int64_t docid,
                                int64_t sent_id, int64_t incident)
{
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_CLAIM);
    if (!st) return DOSSIER_EDB;
    ds_claim_names names;
    ds_val v[DS_CLAIM_NVALS];
    ds_claim_vals(doc, ci, docid, sent_id, incident, &names, v);
    sq_bind_vals(st, v, DS_CLAIM_NVALS);
    dossier_status r = sq_run(s, st, "storing claim");
    if (r != DOSSIER_OK) return r;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    ds_party_ref parties[DS_CLAIM_MAXPARTIES];
    size_t np = ds_claim_parties(&DS_CLAIM(doc, ci), parties);
    /* two rows per statement (most claims have an actor and a target) */
    for (size_t k = 0; k < np && r == DOSSIER_OK; k += 2) {
        bool two = k + 1 < np;
        st = sq_stmt(s, two ? Q_PUT_PARTY2 : Q_PUT_PARTY);
        if (!st) return DOSSIER_EDB;
        ds_val v[14];
        memcpy(v, parties[k].v, 7 * sizeof *v);
        if (two) memcpy(v + 7, parties[k + 1].v, 7 * sizeof *v);
        sq_bind_vals(st, v, two ? 14 : 7);
        sqlite3_bind_int64(st, 1, id);
        if (two) sqlite3_bind_int64(st, 8, id);
        r = sq_run(s, st, "storing party");
    }
    return r;
}

dossier_status sq_put_doc(ds_store *b, const dossier_doc *doc, const ds_doc_sig *sig,
                          int64_t cluster, const int64_t *incidents, int64_t *rowid)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_DOC);
    if (!st) return DOSSIER_EDB;
    ds_buf dl = {0};
    if (!ds_dropped_json(doc, &dl)) {
        ds_buf_free(&dl);
        return DOSSIER_ENOMEM;
    }
    ds_val v[DS_DOC_NVALS];
    ds_doc_vals(doc, sig, &dl, cluster, v);
    sq_bind_vals(st, v, DS_DOC_NVALS);
    sqlite3_bind_int64(st, DS_DOC_NVALS + 1, sq_doc_key(doc->id, false));
    dossier_status r = sq_run(s, st, "storing document");
    ds_buf_free(&dl);
    if (r != DOSSIER_OK) return r;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    *rowid = id;

    /* sentences + full-text index; remember row ids for the claims */
    int64_t *sids = ds_calloc(doc->sentences.n ? doc->sentences.n : 1, sizeof *sids);
    if (!sids) return DOSSIER_ENOMEM;
    for (size_t i = 0; i < doc->sentences.n && r == DOSSIER_OK; i++) {
        const ds_sentence *se = &DS_SENT(doc, i);
        sqlite3_stmt *q = sq_stmt(s, Q_PUT_SENT);
        if (!q) {
            r = DOSSIER_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (int64_t)i);
        sqlite3_bind_int64(q, 3, (int64_t)se->start);
        sqlite3_bind_int64(q, 4, (int64_t)se->end);
        sqlite3_bind_text(q, 5, doc->text + se->start, (int)(se->end - se->start),
                          SQLITE_STATIC);
        r = sq_run(s, q, "storing sentence");
        if (r != DOSSIER_OK) break;
        sids[i] = sqlite3_last_insert_rowid(s->db);
        if (!s->fts_from) s->fts_from = sids[i];
    }
    for (size_t i = 0; i < doc->claims.n && r == DOSSIER_OK; i++) {
        r = put_claim(s, doc, i, id, sids[DS_CLAIM(doc, i).sentence], incidents ? incidents[i] : 0);
    }
    ds_free(sids);
    return r;
}

/* ---- syndication -------------------------------------------------------- */
/* Row ids gathered from several single-range statements, then sorted and
 * deduplicated in C.  One SQL statement with UNION or an IN list would do
 * the same, but SQLite builds a temporary b-tree for each on every run,
 * which cost more than the lookups themselves (two per linked claim). */
static dossier_status collect_ids(sq_store *s, sqlite3_stmt *st, ds_vec *ids, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t *slot = ds_vec_push(ids, sizeof(int64_t));
        if (!slot) {
            sqlite3_reset(st);
            return DOSSIER_ENOMEM;
        }
        *slot = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) return sq_fail(s, what);
    sqlite3_reset(st);
    return DOSSIER_OK;
}

static int cmp_id_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_id_desc(const void *a, const void *b) { return cmp_id_asc(b, a); }

/* Sort (ascending or descending) and drop repeats; returns the count. */
static size_t sort_unique(ds_vec *ids, bool desc)
{
    int64_t *v = ids->items;
    if (!ids->n) return 0;
    qsort(v, ids->n, sizeof *v, desc ? cmp_id_desc : cmp_id_asc);
    size_t k = 1;
    for (size_t i = 1; i < ids->n; i++)
        if (v[i] != v[k - 1]) v[k++] = v[i];
    return ids->n = k;
}

/* documents sharing an LSH bucket with the bands, in id order, at most 200 */
dossier_status sq_doc_candidates(ds_store *b, const uint64_t *bands, size_t nbands,
                                 int64_t exclude, ds_doc_cand_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    ds_vec ids = {0};
    dossier_status r = DOSSIER_OK;
    /* one lookup per key (in SQL: an IN list of the 16 keys cost more, as
     * SQLite builds a temporary b-tree of the list on every run) */
    for (size_t i = 0; i < nbands && i < DS_DOC_BANDS && r == DOSSIER_OK; i++)
        r = sq_lsh_get(s, SQ_LSH_DOC, bands[i], &ids);
    size_t n = r == DOSSIER_OK ? sort_unique(&ids, false) : 0, seen = 0;
    for (size_t i = 0; i < n && seen < 200 && r == DOSSIER_OK; i++) {
        int64_t id = ((int64_t *)ids.items)[i];
        if (id == exclude) continue;
        seen++;
        sqlite3_stmt *st = sq_stmt(s, Q_DOC_CAND);
        if (!st) {
            r = DOSSIER_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            ds_doc_cand c = {0};
            c.doc = id;
            c.cluster = sqlite3_column_int64(st, 0);
            c.nshingles = sqlite3_column_int(st, 1);
            const void *mh = sqlite3_column_blob(st, 2);
            if (mh && sqlite3_column_bytes(st, 2) == (int)sizeof c.minhash) {
                memcpy(c.minhash, mh, sizeof c.minhash);
                r = cb(&c, user);
            }
        } else if (rc != SQLITE_DONE) {
            r = sq_fail(s, "finding near-duplicates");
        }
        sqlite3_reset(st);
    }
    ds_vec_free(&ids);
    return r;
}

dossier_status sq_doc_lsh_put(ds_store *b, int64_t doc, const uint64_t *bands, size_t nbands)
{
    dossier_status r = DOSSIER_OK;
    for (size_t i = 0; i < nbands && r == DOSSIER_OK; i++)
        r = sq_lsh_put((sq_store *)b, SQ_LSH_DOC, bands[i], doc);
    return r;
}

dossier_status sq_new_cluster(ds_store *b, const char *label, int64_t *cluster)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_CLUSTER_NEW);
    if (!st) return DOSSIER_EDB;
    sq_bind_text(st, 1, label);
    dossier_status r = sq_run(s, st, "creating origin cluster");
    if (r == DOSSIER_OK) *cluster = sqlite3_last_insert_rowid(s->db);
    return r;
}

dossier_status sq_origin_cluster(ds_store *b, const char *key, const char *label,
                                 bool create, int64_t *cluster)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_ORIGIN_GET);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *cluster = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "looking up origin");
    sqlite3_reset(st);
    if (!create) return DOSSIER_ENOTFOUND;
    dossier_status r = sq_new_cluster(b, label, cluster);
    if (r != DOSSIER_OK) return r;
    st = sq_stmt(s, Q_ORIGIN_PUT);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, *cluster);
    sq_bind_text(st, 3, label);
    return sq_run(s, st, "storing origin");
}

dossier_status sq_merge_clusters(ds_store *b, int64_t keep, int64_t drop)
{
    sq_store *s = (sq_store *)b;
    static const int qs[] = {Q_MERGE_DOCS, Q_MERGE_NAMES, Q_MERGE_DEL};
    for (size_t i = 0; i < DS_ARRAY_LEN(qs); i++) {
        sqlite3_stmt *st = sq_stmt(s, qs[i]);
        if (!st) return DOSSIER_EDB;
        sqlite3_bind_int64(st, 1, keep);
        sqlite3_bind_int64(st, 2, drop);
        dossier_status r = sq_run(s, st, "merging origin clusters");
        if (r != DOSSIER_OK) return r;
    }
    return DOSSIER_OK;
}

/* the ids statement q selects for row id ?1 */
static dossier_status each_id(ds_store *b, int q, int64_t id, ds_id_cb cb, void *user,
                              const char *what)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, q);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = cb(sqlite3_column_int64(st, 0), user);
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, what);
    sqlite3_reset(st);
    return r;
}

dossier_status sq_cluster_incidents(ds_store *b, int64_t cluster, ds_id_cb cb,
                                    void *user)
{
    return each_id(b, Q_CLUSTER_INCIDENTS, cluster, cb, user, "listing incidents of a cluster");
}

/* ---- incidents ---------------------------------------------------------- */
static const char *country_or_null(const char *c) { return c && c[0] ? c : NULL; }

/* The incident map pays once the searches of this session reach an eighth
 * of the incidents stored (a search costs ~20 SQL lookups and row reads,
 * loading an incident about two). */
static void maybe_map_incidents(sq_store *s)
{
    if (s->incmap ||
        !sq_map_pays(s, &s->inc_probes, &s->inc_est, "SELECT coalesce(max(id),0) FROM incidents", 8))
        return;
    s->incmap = sq_incmap_load(s);
    if (!s->incmap) s->inc_est = INT64_MAX;   /* out of memory: not again until dropped */
}

/* incidents sharing a sentence LSH key, or of the same type with a best day
 * near the probe's window and a window overlapping it (linking rejects the
 * others anyway): in the grid cells around the probe's place (or without a
 * place) when it has one, anywhere when not.  Each lookup is one range of a
 * covering index (incident_lsh; incidents_cell and incidents_type_day hold
 * day_lo, day_hi).  Newest first, at most p->limit after the country filter. */
dossier_status sq_incident_candidates(ds_store *b, const ds_incident_probe *p,
                                      ds_incident_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    ds_vec ids = {0};
    dossier_status r = DOSSIER_OK;
    sqlite3_stmt *st;
    maybe_map_incidents(s);
    const sq_incmap *m = s->incmap;
    for (int k = 0; p->use_keys && k < DS_SENT_BANDS && r == DOSSIER_OK; k++)
        r = sq_lsh_get(s, SQ_LSH_INC, p->keys[k], &ids);
    int sql = 1;   /* the date-window lookups: from the map, or SQL */
    if (m && r == DOSSIER_OK) {
        sql = sq_incmap_near(m, p, &ids);
        if (sql < 0) r = DOSSIER_ENOMEM;
    }
    const char *type = ds_event_names[p->type];
    for (int k = -1; sql > 0 && p->day_lo && k < (p->has_coord ? 9 : 0) && r == DOSSIER_OK; k++) {
        /* k = -1: without coordinates, every place; else cell 0 then 9 cells */
        bool any = !p->has_coord;
        if (!(st = sq_stmt(s, any ? Q_INC_WHEN : Q_INC_NEAR))) r = DOSSIER_EDB;
        if (r != DOSSIER_OK) break;
        sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, p->day_lo);
        sqlite3_bind_int(st, 3, p->day_hi);
        if (!any) sqlite3_bind_int64(st, 4, k < 0 ? 0 : p->cells[k]);
        sqlite3_bind_int(st, 5, ds_probe_slack(p));
        r = collect_ids(s, st, &ids, "finding incidents");
    }
    size_t n = r == DOSSIER_OK ? sort_unique(&ids, true) : 0;
    int limit = p->limit > 0 ? p->limit : 200, seen = 0;
    for (size_t i = 0; i < n && seen < limit && r == DOSSIER_OK; i++) {
        int64_t id = ((int64_t *)ids.items)[i];
        ds_incident inc;
        if (m) {
            if (!sq_incmap_row(m, id, p, &inc)) continue;
            seen++;
            r = cb(&inc, user);
            continue;
        }
        if (!(st = sq_stmt(s, Q_INC_LINKROW))) {
            r = DOSSIER_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, id);
        sq_bind_text(st, 2, country_or_null(p->actor_country));
        sq_bind_text(st, 3, country_or_null(p->target_country));
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            sq_read_incident(st, 0, &inc);
            sqlite3_reset(st);   /* the callback may write */
            seen++;
            r = cb(&inc, user);
        } else {
            if (rc != SQLITE_DONE) r = sq_fail(s, "finding incidents");
            sqlite3_reset(st);
        }
    }
    ds_vec_free(&ids);
    return r;
}

/* Is the incident filed as it was (the columns of the linking indexes)? */
static bool filed_same(const ds_incident *a, const ds_incident *b)
{
    return a->type == b->type && a->day == b->day && a->day_lo == b->day_lo &&
           a->day_hi == b->day_hi &&
           ds_geo_cell(a->has_coord, a->lat, a->lon) == ds_geo_cell(b->has_coord, b->lat, b->lon);
}

dossier_status sq_incident_put(ds_store *b, ds_incident *inc, const ds_incident *was)
{
    sq_store *s = (sq_store *)b;
    /* SQLite rewrites the entries of every index whose columns the UPDATE
     * sets, changed or not: leave them out when they did not change */
    int q = !inc->id ? Q_INC_INSERT : was && filed_same(inc, was) ? Q_INC_UPDATE_AGG : Q_INC_UPDATE;
    sqlite3_stmt *st = sq_stmt(s, q);
    if (!st) return DOSSIER_EDB;
    char ihl[200];
    ds_val v[DS_INCIDENT_NVALS];
    sq_bind_vals(st, v, ds_incident_vals(inc, ihl, v));
    dossier_status r = sq_run(s, st, "storing incident");
    if (r == DOSSIER_OK && !inc->id) inc->id = sqlite3_last_insert_rowid(s->db);
    /* the map stays equal to the table, or goes (SQL answers again) */
    if (r == DOSSIER_OK && s->incmap && !sq_incmap_put(s->incmap, inc)) sq_incmap_drop(s);
    return r;
}

dossier_status sq_get_incident(ds_store *b, int64_t id, ds_incident *out)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_GET);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sq_read_incident(st, 0, out);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "reading incident");
    sqlite3_reset(st);
    return DOSSIER_ENOTFOUND;
}

dossier_status sq_incident_add_keys(ds_store *b, int64_t incident, const uint64_t *keys,
                                    size_t n)
{
    dossier_status r = DOSSIER_OK;
    for (size_t i = 0; i < n && r == DOSSIER_OK; i++)
        r = sq_lsh_put((sq_store *)b, SQ_LSH_INC, keys[i], incident);
    return r;
}

dossier_status sq_each_claim(sq_store *s, sqlite3_stmt *st, ds_claim_row_cb cb, void *user)
{
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_claim_row c;
        sq_read_claim(st, &c);
        r = cb(&c, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "reading claims");
    sqlite3_reset(st);
    return r;
}

/* the claims statement q selects for row id ?1 */
static dossier_status claims_by(ds_store *b, int q, int64_t id, ds_claim_row_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, q);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, id);
    return sq_each_claim(s, st, cb, user);
}

dossier_status sq_incident_claims(ds_store *b, int64_t incident, ds_claim_row_cb cb,
                                  void *user)
{
    return claims_by(b, Q_INC_CLAIMS, incident, cb, user);
}

dossier_status sq_incident_facts(ds_store *b, int64_t incident, int64_t after_claim,
                                 ds_claim_row_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_FACTS);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, incident);
    sqlite3_bind_int64(st, 2, after_claim);
    return sq_each_claim(s, st, cb, user);
}

dossier_status sq_doc_claims(ds_store *b, int64_t doc, ds_claim_row_cb cb, void *user)
{
    return claims_by(b, Q_DOC_CLAIMS, doc, cb, user);
}

dossier_status sq_mirror_put(ds_store *b, int64_t a, int64_t c)
{
    sq_store *s = (sq_store *)b;
    if (a == c) return DOSSIER_OK;
    sqlite3_stmt *st = sq_stmt(s, Q_MIRROR_PUT);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, c);
    return sq_run(s, st, "linking mirror incidents");
}

dossier_status sq_incident_mirrors(ds_store *b, int64_t incident, ds_id_cb cb,
                                   void *user)
{
    return each_id(b, Q_INC_MIRRORS, incident, cb, user, "listing mirrors");
}

