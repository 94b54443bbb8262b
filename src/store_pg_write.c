/*
 * store_pg_write.c — the writes of the PostgreSQL backend: documents with
 * their sentences (one parallel-array insert), claims and parties;
 * syndication (LSH buckets, origin clusters); incidents (candidates for
 * linking, rows, keys, claim links, mirrors).  Column values come from
 * store_rows.c; statements run through the pipeline of store_pg.c.
 */
#include "store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- documents ---------------------------------------------------------- */
dossier_status pg_has_doc(ds_store *b, const char *doc_id, int64_t *rowid)
{
    pg_store *s = (pg_store *)b;
    pgp p = {0};
    pgp_text(&p, doc_id);
    int64_t id = 0;
    dossier_status st = pg_run_id(s, P_HAS_DOC, &p, "looking up document", &id);
    if (st == DOSSIER_OK && rowid) *rowid = id;
    return st;
}

static dossier_status put_claim(pg_store *s, const dossier_doc *doc, size_t ci, int64_t docid,
                                int64_t sent_id, int64_t incident)
{
    ds_claim_names names;
    ds_val v[DS_CLAIM_NVALS];
    ds_claim_vals(doc, ci, docid, sent_id, incident, &names, v);
    pgp p = {0};
    pgp_vals(&p, v, DS_CLAIM_NVALS);
    int64_t id = 0;
    dossier_status r = pg_run_id(s, P_PUT_CLAIM, &p, "storing claim", &id);
    if (r != DOSSIER_OK) return r;
    ds_party_ref parties[DS_CLAIM_MAXPARTIES];
    size_t np = ds_claim_parties(&DS_CLAIM(doc, ci), parties);
    for (size_t k = 0; k < np && r == DOSSIER_OK; k++) {
        pgp q = {0};
        pgp_int(&q, id);
        pgp_vals(&q, parties[k].v + 1, 6);
        r = pg_run(s, P_PUT_PARTY, &q, "storing party");
    }
    return r;
}

/* "{a,b,c}" of sentence field f for the parallel-array insert */
static bool int_array(ds_buf *b, const dossier_doc *doc, int f)
{
    ds_buf_putc(b, '{');
    for (size_t i = 0; i < doc->sentences.n; i++) {
        const ds_sentence *se = &DS_SENT(doc, i);
        size_t v = f == 0 ? i : f == 1 ? se->start : se->end;
        ds_buf_printf(b, "%s%zu", i ? "," : "", v);
    }
    ds_buf_putc(b, '}');
    return ds_buf_cstr(b) != NULL;
}

dossier_status pg_put_doc(ds_store *b, const dossier_doc *doc, const ds_doc_sig *sig,
                          int64_t cluster, const int64_t *incidents, int64_t *rowid)
{
    pg_store *s = (pg_store *)b;
    ds_buf dl = {0}, ai = {0}, as = {0}, ae = {0};
    dossier_status r = DOSSIER_OK;
    if (!ds_dropped_json(doc, &dl) || !int_array(&ai, doc, 0) || !int_array(&as, doc, 1) ||
        !int_array(&ae, doc, 2)) {
        r = DOSSIER_ENOMEM;
        goto out;
    }
    ds_val v[DS_DOC_NVALS];
    ds_doc_vals(doc, sig, &dl, cluster, v);
    pgp p = {0};
    pgp_vals(&p, v, DS_DOC_NVALS);
    int64_t id = 0;
    r = pg_run_id(s, P_PUT_DOC, &p, "storing document", &id);
    if (r != DOSSIER_OK) goto out;
    *rowid = id;

    /* sentences (the tsvector column indexes them), their row ids for claims */
    int64_t *sids = ds_calloc(doc->sentences.n ? doc->sentences.n : 1, sizeof *sids);
    if (!sids) {
        r = DOSSIER_ENOMEM;
        goto out;
    }
    if (doc->sentences.n) {
        pgp q = {0};
        pgp_int(&q, id);
        pgp_set(&q, ai.p, 0, 0);
        pgp_set(&q, as.p, 0, 0);
        pgp_set(&q, ae.p, 0, 0);
        pgp_raw(&q, doc->text ? doc->text : "", doc->text_len);
        PGresult *res = pg_exec(s, P_PUT_SENT, &q, &r, "storing sentences");
        if (res) {
            for (int k = 0; k < PQntuples(res); k++) {
                int64_t i = pg_i64(res, k, 1);
                if (i >= 0 && (size_t)i < doc->sentences.n) sids[i] = pg_i64(res, k, 0);
            }
            PQclear(res);
        }
    }
    for (size_t i = 0; i < doc->claims.n && r == DOSSIER_OK; i++) {
        r = put_claim(s, doc, i, id, sids[DS_CLAIM(doc, i).sentence], incidents ? incidents[i] : 0);
    }
    ds_free(sids);
out:
    ds_buf_free(&dl);
    ds_buf_free(&ai);
    ds_buf_free(&as);
    ds_buf_free(&ae);
    return r;
}

/* ---- syndication -------------------------------------------------------- */
dossier_status pg_doc_candidates(ds_store *b, const uint64_t *bands, size_t nbands,
                                 int64_t exclude, ds_doc_cand_cb cb, void *user)
{
    pg_store *s = (pg_store *)b;
    char keys[DS_DOC_BANDS * 22 + 4];
    pgp p = {0};
    pgp_i64_array(&p, (const int64_t *)bands, nbands < DS_DOC_BANDS ? nbands : DS_DOC_BANDS,
                  keys, sizeof keys);
    pgp_int(&p, exclude);
    dossier_status r;
    PGresult *res = pg_exec(s, P_DOC_CANDS, &p, &r, "finding near-duplicates");
    if (!res) return r;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        ds_doc_cand c = {0};
        c.doc = pg_i64(res, k, 0);
        c.cluster = pg_i64(res, k, 1);
        c.nshingles = (int32_t)pg_i64(res, k, 2);
        if (!pg_bytes(res, k, 3, c.minhash, sizeof c.minhash)) continue;
        r = cb(&c, user);
    }
    PQclear(res);
    return r;
}

dossier_status pg_doc_lsh_put(ds_store *b, int64_t doc, const uint64_t *bands,
                              size_t nbands)
{
    pg_store *s = (pg_store *)b;
    char keys[DS_DOC_BANDS * 22 + 4];
    pgp p = {0};
    pgp_i64_array(&p, (const int64_t *)bands, nbands < DS_DOC_BANDS ? nbands : DS_DOC_BANDS,
                  keys, sizeof keys);
    pgp_int(&p, doc);
    return pg_run(s, P_PUT_DOC_LSH, &p, "storing document signature");
}

dossier_status pg_new_cluster(ds_store *b, const char *label, int64_t *cluster)
{
    pg_store *s = (pg_store *)b;
    pgp p = {0};
    pgp_text(&p, label);
    return pg_run_id(s, P_CLUSTER_NEW, &p, "creating origin cluster", cluster);
}

dossier_status pg_origin_cluster(ds_store *b, const char *key, const char *label,
                                 bool create, int64_t *cluster)
{
    pg_store *s = (pg_store *)b;
    pgp p = {0};
    pgp_text(&p, key);
    dossier_status r = pg_run_id(s, P_ORIGIN_GET, &p, "looking up origin", cluster);
    if (r != DOSSIER_ENOTFOUND || !create) return r;
    r = pg_new_cluster(b, label, cluster);
    if (r != DOSSIER_OK) return r;
    pgp q = {0};
    pgp_text(&q, key);
    pgp_int(&q, *cluster);
    pgp_text(&q, label);
    return pg_run(s, P_ORIGIN_PUT, &q, "storing origin");
}

dossier_status pg_merge_clusters(ds_store *b, int64_t keep, int64_t drop)
{
    static const int qs[] = {P_MERGE_DOCS, P_MERGE_NAMES, P_MERGE_DEL};
    for (size_t i = 0; i < DS_ARRAY_LEN(qs); i++) {
        pgp p = {0};
        pgp_int(&p, keep);
        pgp_int(&p, drop);
        dossier_status r = pg_run((pg_store *)b, qs[i], &p, "merging origin clusters");
        if (r != DOSSIER_OK) return r;
    }
    return DOSSIER_OK;
}

static dossier_status each_id(pg_store *s, int q, int64_t arg, ds_id_cb cb, void *user,
                              const char *what)
{
    pgp p = {0};
    pgp_int(&p, arg);
    dossier_status r;
    PGresult *res = pg_exec(s, q, &p, &r, what);
    if (!res) return r;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) r = cb(pg_i64(res, k, 0), user);
    PQclear(res);
    return r;
}

dossier_status pg_cluster_incidents(ds_store *b, int64_t cluster, ds_id_cb cb,
                                    void *user)
{
    return each_id((pg_store *)b, P_CLUSTER_INCIDENTS, cluster, cb, user,
                   "listing incidents of a cluster");
}

/* ---- incidents ---------------------------------------------------------- */
dossier_status pg_incident_candidates(ds_store *b, const ds_incident_probe *pr,
                                      ds_incident_cb cb, void *user)
{
    pg_store *s = (pg_store *)b;
    pgp p = {0};
    for (int k = 0; k < DS_SENT_BANDS; k++) pgp_int(&p, (int64_t)pr->keys[k]);
    pgp_text(&p, ds_event_names[pr->type]);
    pgp_int(&p, pr->day_lo);
    pgp_int(&p, pr->day_hi);
    pgp_int(&p, pr->has_coord);
    pgp_int(&p, pr->use_keys);
    pgp_text(&p, pr->actor_country);
    pgp_text(&p, pr->target_country);
    pgp_int(&p, pr->limit > 0 ? pr->limit : 200);
    for (int k = 0; k < 9; k++) pgp_int(&p, pr->has_coord ? pr->cells[k] : -1);
    pgp_int(&p, ds_probe_slack(pr));
    dossier_status r;
    PGresult *res = pg_exec(s, P_INC_CANDS, &p, &r, "finding incidents");
    if (!res) return r;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        ds_incident inc;
        pg_read_incident(res, k, &inc);
        r = cb(&inc, user);
    }
    PQclear(res);
    return r;
}

dossier_status pg_incident_put(ds_store *b, ds_incident *inc, const ds_incident *was)
{
    (void)was;   /* PostgreSQL leaves unchanged index entries alone itself (HOT) */
    pg_store *s = (pg_store *)b;
    char ihl[200];
    ds_val v[DS_INCIDENT_NVALS];
    size_t n = ds_incident_vals(inc, ihl, v);
    pgp p = {0};
    pgp_vals(&p, v, n);
    if (inc->id) return pg_run(s, P_INC_UPDATE, &p, "storing incident");
    return pg_run_id(s, P_INC_INSERT, &p, "storing incident", &inc->id);
}

dossier_status pg_get_incident(ds_store *b, int64_t id, ds_incident *out)
{
    pgp p = {0};
    pgp_int(&p, id);
    dossier_status r;
    PGresult *res = pg_exec((pg_store *)b, P_INC_GET, &p, &r, "reading incident");
    if (!res) return r;
    if (PQntuples(res) == 0) r = DOSSIER_ENOTFOUND;
    else pg_read_incident(res, 0, out);
    PQclear(res);
    return r;
}

dossier_status pg_incident_add_keys(ds_store *b, int64_t incident, const uint64_t *keys,
                                    size_t n)
{
    char buf[64 * 22];
    pgp p = {0};
    pgp_i64_array(&p, (const int64_t *)keys, n < 64 ? n : 64, buf, sizeof buf);
    pgp_int(&p, incident);
    return pg_run((pg_store *)b, P_INC_LSH_PUT, &p, "storing incident keys");
}

static dossier_status claims_of(pg_store *s, int q, const pgp *p, ds_claim_row_cb cb,
                                void *user)
{
    dossier_status r;
    PGresult *res = pg_exec(s, q, p, &r, "reading claims");
    if (!res) return r;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        ds_claim_row c;
        pg_read_claim(res, k, &c);
        r = cb(&c, user);
    }
    PQclear(res);
    return r;
}

static dossier_status each_claim(pg_store *s, int q, int64_t arg, ds_claim_row_cb cb, void *user)
{
    pgp p = {0};
    pgp_int(&p, arg);
    return claims_of(s, q, &p, cb, user);
}

dossier_status pg_incident_claims(ds_store *b, int64_t incident, ds_claim_row_cb cb,
                                  void *user)
{
    return each_claim((pg_store *)b, P_INC_CLAIMS, incident, cb, user);
}

dossier_status pg_incident_facts(ds_store *b, int64_t incident, int64_t after_claim,
                                 ds_claim_row_cb cb, void *user)
{
    pgp p = {0};
    pgp_int(&p, incident);
    pgp_int(&p, after_claim);
    return claims_of((pg_store *)b, P_INC_FACTS, &p, cb, user);
}

dossier_status pg_doc_claims(ds_store *b, int64_t doc, ds_claim_row_cb cb, void *user)
{
    return each_claim((pg_store *)b, P_DOC_CLAIMS, doc, cb, user);
}

dossier_status pg_mirror_put(ds_store *b, int64_t a, int64_t c)
{
    if (a == c) return DOSSIER_OK;
    pgp p = {0};
    pgp_int(&p, a);
    pgp_int(&p, c);
    return pg_run((pg_store *)b, P_MIRROR_PUT, &p, "linking mirror incidents");
}

dossier_status pg_incident_mirrors(ds_store *b, int64_t incident, ds_id_cb cb,
                                   void *user)
{
    return each_id((pg_store *)b, P_INC_MIRRORS, incident, cb, user, "listing mirrors");
}

