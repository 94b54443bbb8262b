/*
 * store_sqlite.h — private to the SQLite backend (store_sqlite*.c): the
 * connection, its cached prepared statements and shared helpers.
 */
#ifndef DOSSIER_STORE_SQLITE_H
#define DOSSIER_STORE_SQLITE_H

#include "store.h"
#include "store_cols.h"
#include <sqlite3.h>

/* Cached prepared statements, one per fixed SQL text (see stmt_sql[]). */
enum {
    Q_HAS_DOC, Q_PUT_DOC, Q_PUT_SENT, Q_PUT_FTS, Q_PUT_CLAIM, Q_PUT_PARTY, Q_PUT_DOC_LSH,
    Q_DOC_LSH_GET, Q_DOC_CAND, Q_ORIGIN_GET, Q_ORIGIN_PUT, Q_CLUSTER_NEW,
    Q_MERGE_DOCS, Q_MERGE_NAMES, Q_MERGE_DEL, Q_CLUSTER_INCIDENTS,
    Q_INC_INSERT, Q_INC_UPDATE, Q_INC_KEY, Q_INC_NEAR, Q_INC_WHEN, Q_INC_LINKROW, Q_INC_GET, Q_INC_LSH_PUT, Q_CLAIM_SET_INC,
    Q_INC_CLAIMS, Q_INC_FACTS, Q_MIRROR_PUT, Q_INC_MIRRORS, Q_DOC_CLAIMS, Q_CLUSTER_DOCS,
    Q__COUNT
};

typedef struct sq_store {
    ds_store base;
    sqlite3 *db;
    sqlite3_stmt *q[Q__COUNT];
    /* the read queries' statements (store_sqlite_query.c prep()), by SQL text */
    const char *read_sql[16];
    sqlite3_stmt *read_st[16];
    bool in_txn;
    int64_t staged;         /* rows in the LSH staging tables (about) */
    int64_t stage_max;      /* merge them into the big tables past this many */
    int64_t fts_from;       /* first sentence of this transaction (0: none yet);
                               the full-text index takes them all at commit */
} sq_store;

/* Staged LSH rows merged at a commit once there are this many (about 50,000
 * documents' worth): the staging tables stay a few thousand pages, and a
 * merge writes each page of the big tables about once.  DOSSIER_LSH_STAGE
 * overrides it (tests use a small value to exercise merges). */
#define SQ_LSH_STAGE_MAX 800000

/* Prepared statement i (prepared on first use, reset and cleared). */
sqlite3_stmt *sq_stmt(sq_store *s, int i);
/* Map the last error of the connection to a status, message into s->err. */
dossier_status sq_fail(sq_store *s, const char *what);
/* Bind a text that may be NULL or "" (both stored as NULL). */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Bind values 1..n of a row (store_rows.c); they must outlive the step. */
void sq_bind_vals(sqlite3_stmt *st, const ds_val *v, size_t n);
/* Run a prepared statement that returns no rows. */
dossier_status sq_run(sq_store *s, sqlite3_stmt *st, const char *what);
/* Index the sentences stored in this transaction (before its commit). */
dossier_status sq_index_sentences(sq_store *s);
/* Fill an incident from a row of the incidents table (SELECT INC_COLS). */
void sq_read_incident(sqlite3_stmt *st, int col0, ds_incident *inc);
/* Fill a claim row from CLAIM_COLS. */
void sq_read_claim(sqlite3_stmt *st, ds_claim_row *c);



#define CLAIM_COLS                                                                          \
    CLAIM_COLS_COMMON                                                                       \
    "(SELECT json_group_array(json_object('text',r.text,'country',r.country,'role',"       \
    "r.cameo)) FROM (SELECT text,country,cameo FROM parties WHERE claim=c.id AND"           \
    " role='relay' ORDER BY pos) r)"


dossier_status sq_each_claim(sq_store *s, sqlite3_stmt *st, ds_claim_row_cb cb, void *user);

/* store_sqlite_sql.c */
extern const char *const sq_migrations[DS_SCHEMA_VERSION];
extern const char *const sq_sql[Q__COUNT];
extern const char *const sq_lsh_merge;    /* staged LSH rows into the big tables */
extern const char *const sq_lsh_staged;   /* how many rows are staged */

/* store_sqlite_write.c: the write ops */
dossier_status sq_has_doc(ds_store *s, const char *doc_id, int64_t *rowid);
dossier_status sq_put_doc(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                          int64_t cluster, int64_t *rowid, int64_t *claim_ids);
dossier_status sq_doc_candidates(ds_store *s, const uint64_t *bands, size_t nbands,
                                 int64_t exclude, ds_doc_cand_cb cb, void *user);
dossier_status sq_doc_lsh_put(ds_store *s, int64_t doc, const uint64_t *bands, size_t nbands);
dossier_status sq_new_cluster(ds_store *s, const char *label, int64_t *cluster);
dossier_status sq_origin_cluster(ds_store *s, const char *key, const char *label, bool create,
                                 int64_t *cluster);
dossier_status sq_merge_clusters(ds_store *s, int64_t keep, int64_t drop);
dossier_status sq_cluster_incidents(ds_store *s, int64_t cluster, ds_id_cb cb, void *user);
dossier_status sq_incident_candidates(ds_store *s, const ds_incident_probe *p,
                                      ds_incident_cb cb, void *user);
dossier_status sq_incident_put(ds_store *s, ds_incident *inc);
dossier_status sq_get_incident(ds_store *s, int64_t id, ds_incident *out);
dossier_status sq_incident_add_keys(ds_store *s, int64_t incident, const uint64_t *keys,
                                    size_t n);
dossier_status sq_claim_set_incident(ds_store *s, int64_t claim, int64_t incident);
dossier_status sq_incident_facts(ds_store *s, int64_t incident, ds_claim_row_cb cb,
                                 void *user);
dossier_status sq_incident_claims(ds_store *s, int64_t incident, ds_claim_row_cb cb,
                                  void *user);
dossier_status sq_mirror_put(ds_store *s, int64_t a, int64_t b);
dossier_status sq_incident_mirrors(ds_store *s, int64_t incident, ds_id_cb cb, void *user);

/* store_sqlite_query.c */
dossier_status sq_query_incidents(ds_store *s, const ds_incident_filter *f, ds_incident_cb cb,
                                  void *user);
dossier_status sq_get_doc(ds_store *s, const char *id, ds_doc_row_cb cb, void *user);
dossier_status sq_doc_claims(ds_store *s, int64_t doc, ds_claim_row_cb cb, void *user);
dossier_status sq_cluster_docs(ds_store *s, int64_t cluster, ds_doc_row_cb cb, void *user);
dossier_status sq_search_recent(ds_store *s, const char *query, int64_t limit, ds_hit_cb cb,
                                void *user);
dossier_status sq_search(ds_store *s, const char *query, int64_t limit, ds_hit_cb cb,
                         void *user);
dossier_status sq_stats(ds_store *s, ds_store_stats *out);
dossier_status sq_incident_days(ds_store *s, const ds_incident_filter *f, ds_day_count_cb cb,
                                void *user);

#endif
