/*
 * store_pg.h — private to the PostgreSQL backend (store_pg*.c): the
 * connection, its prepared statements, parameter lists and row readers.
 *
 * Statements are fixed SQL texts prepared once per connection (PQprepare,
 * named "dsN") and run with PQexecPrepared; values are always parameters,
 * never formatted into SQL.  Parameters go in text format, except raw bytes
 * (bytea, and long texts cut from the document) which go in binary format
 * with their length.  Results come back in text format.
 */
#ifndef DOSSIER_STORE_PG_H
#define DOSSIER_STORE_PG_H

#include "store.h"
#include <libpq-fe.h>

enum {
    P_HAS_DOC, P_PUT_DOC, P_PUT_SENT, P_PUT_CLAIM, P_PUT_PARTY, P_PUT_DOC_LSH,
    P_DOC_CANDS, P_ORIGIN_GET, P_ORIGIN_PUT, P_CLUSTER_NEW,
    P_MERGE_DOCS, P_MERGE_NAMES, P_MERGE_DEL, P_CLUSTER_INCIDENTS,
    P_INC_INSERT, P_INC_UPDATE, P_INC_CANDS, P_INC_GET, P_DOC_MINHASHES, P_INC_LSH_PUT,
    P_INC_CLAIMS, P_INC_FACTS, P_MIRROR_PUT, P_INC_MIRRORS, P_DOC_CLAIMS,
    P_QUERY_INCIDENTS, P_DOC_BY_ROWID, P_DOC_BY_PREFIX, P_CLUSTER_DOCS, P_SEARCH, P_SEARCH_RECENT, P_STATS,
    P_LOCK,
    /* work queue (store_pg_queue.c) */
    P_Q_PUT, P_Q_EXPIRE, P_Q_LEASE, P_Q_HOLD, P_Q_FINISH, P_Q_COUNTS, P_Q_RATE, P_Q_FAILURES,
    P_Q_WORKERS, P_Q_RELEASE,
    P__COUNT
};

typedef struct pg_store {
    ds_store base;
    PGconn *conn;
    bool prepared[P__COUNT];
    bool in_txn;
    bool pipeline;      /* in a write transaction: libpq pipeline mode */
    int pending;        /* statements sent in the pipeline, results not read yet */
    char sqlstate[6];   /* of the last error, "" none */
} pg_store;

/* Parameters of one statement. */
#define PGP_MAX 40
typedef struct pgp {
    int n;
    const char *v[PGP_MAX];
    int len[PGP_MAX];
    int fmt[PGP_MAX];
    char num[PGP_MAX][32];
} pgp;

/* one parameter as it is: v (NULL: SQL NULL), len (binary), fmt 0 text / 1 binary */
void pgp_set(pgp *p, const char *v, int len, int fmt);
void pgp_text(pgp *p, const char *s);            /* NULL or "" → NULL */
void pgp_raw(pgp *p, const void *s, size_t n);   /* binary: bytea, or text by length */
void pgp_int(pgp *p, int64_t v);
void pgp_dbl(pgp *p, double v);
void pgp_null(pgp *p);
/* "{1,2,3}": a bigint[] parameter */
void pgp_i64_array(pgp *p, const int64_t *v, size_t n, char *buf, size_t cap);
/* Values of a row (store_rows.c), in order. */
void pgp_vals(pgp *p, const ds_val *v, size_t n);

/* Run prepared statement i (prepared on first use).  Returns the result
 * (caller PQclear()s it) or NULL with the error mapped into s->err / *st. */
PGresult *pg_exec(pg_store *s, int i, const pgp *p, dossier_status *st, const char *what);
/* Map the error of a result (or of the connection when r is NULL). */
dossier_status pg_fail(pg_store *s, PGresult *r, const char *what);
/* Run a statement whose rows are not needed (in a write transaction some are
 * only sent down the pipeline; their errors show at the next sync). */
dossier_status pg_run(pg_store *s, int i, const pgp *p, const char *what);
/* Run a statement returning one id (RETURNING id / SELECT id); ENOTFOUND: no row. */
dossier_status pg_run_id(pg_store *s, int i, const pgp *p, const char *what, int64_t *id);
/* Plain command without parameters (BEGIN, COMMIT, DDL). */
dossier_status pg_command(pg_store *s, const char *sql, const char *what);

/* result columns */
const char *pg_text(const PGresult *r, int row, int col);   /* NULL when SQL NULL */
int64_t pg_i64(const PGresult *r, int row, int col);        /* 0 when NULL */
double pg_dbl(const PGresult *r, int row, int col);
bool pg_null(const PGresult *r, int row, int col);
/* bytea (text output "\x…") into exactly n bytes; false when absent or another size */
bool pg_bytes(const PGresult *r, int row, int col, void *out, size_t n);

void pg_read_incident(const PGresult *r, int row, ds_incident *inc);
void pg_read_claim(const PGresult *r, int row, ds_claim_row *c);

/* store_pg_write.c: the write ops */
dossier_status pg_has_doc(ds_store *s, const char *doc_id, int64_t *rowid);
dossier_status pg_put_doc(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                          int64_t cluster, const int64_t *incidents, int64_t *rowid);
dossier_status pg_doc_candidates(ds_store *s, const uint64_t *bands, size_t nbands,
                                 int64_t exclude, ds_doc_cand_cb cb, void *user);
dossier_status pg_doc_lsh_put(ds_store *s, int64_t doc, const uint64_t *bands, size_t nbands);
dossier_status pg_new_cluster(ds_store *s, const char *label, int64_t *cluster);
dossier_status pg_origin_cluster(ds_store *s, const char *key, const char *label, bool create,
                                 int64_t *cluster);
dossier_status pg_merge_clusters(ds_store *s, int64_t keep, int64_t drop);
dossier_status pg_cluster_incidents(ds_store *s, int64_t cluster, ds_id_cb cb, void *user);
dossier_status pg_incident_candidates(ds_store *s, const ds_incident_probe *p,
                                      ds_incident_cb cb, void *user);
dossier_status pg_incident_put(ds_store *s, ds_incident *inc, const ds_incident *was);
dossier_status pg_get_incident(ds_store *s, int64_t id, ds_incident *out);
dossier_status pg_incident_add_keys(ds_store *s, int64_t incident, const uint64_t *keys,
                                    size_t n);
dossier_status pg_incident_facts(ds_store *s, int64_t incident, int64_t after_claim,
                                 ds_claim_row_cb cb, void *user);
dossier_status pg_incident_claims(ds_store *s, int64_t incident, ds_claim_row_cb cb,
                                  void *user);
dossier_status pg_mirror_put(ds_store *s, int64_t a, int64_t b);
dossier_status pg_incident_mirrors(ds_store *s, int64_t incident, ds_id_cb cb, void *user);

/* store_pg_query.c */
dossier_status pg_query_incidents(ds_store *s, const ds_incident_filter *f, ds_incident_cb cb,
                                  void *user);
dossier_status pg_get_doc(ds_store *s, const char *id, ds_doc_row_cb cb, void *user);
dossier_status pg_doc_claims(ds_store *s, int64_t doc, ds_claim_row_cb cb, void *user);
dossier_status pg_cluster_docs(ds_store *s, int64_t cluster, ds_doc_row_cb cb, void *user);
dossier_status pg_search_recent(ds_store *s, const char *query, int64_t limit, ds_hit_cb cb,
                                void *user);
dossier_status pg_incident_days(ds_store *s, const ds_incident_filter *f, ds_day_count_cb cb,
                                void *user);
dossier_status pg_search(ds_store *s, const char *query, int64_t limit, ds_hit_cb cb,
                         void *user);
dossier_status pg_stats(ds_store *s, ds_store_stats *out);
/* FTS5 query syntax → tsquery text (to_tsquery('simple', …)); false + message when bad. */
bool pg_fts_to_tsquery(const char *q, ds_buf *out, char *err, size_t errlen);

/* The statement texts (store_pg_sql.c). */
extern const char *const pg_sql[P__COUNT];
extern const char *const pg_migrations[DS_SCHEMA_VERSION];
#define PG_LOCK_INGEST 0x646f737369657231LL   /* "dossier1": one writer links at a time */
#define PG_LOCK_MIGRATE 0x646f737369657232LL

#endif
