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
    Q_HAS_DOC, Q_PUT_DOC, Q_PUT_SENT, Q_PUT_FTS, Q_PUT_CLAIM, Q_PUT_PARTY, Q_PUT_PARTY2,
    Q_DOC_LSH_PUT1, Q_DOC_LSH_PUTN, Q_INC_LSH_PUT1, Q_INC_LSH_PUTN,
    Q_DOC_LSH_GET, Q_DOC_CAND, Q_ORIGIN_GET, Q_ORIGIN_PUT, Q_CLUSTER_NEW,
    Q_MERGE_DOCS, Q_MERGE_NAMES, Q_MERGE_DEL, Q_CLUSTER_INCIDENTS,
    Q_INC_INSERT, Q_INC_UPDATE, Q_INC_UPDATE_AGG, Q_INC_KEY, Q_INC_NEAR, Q_INC_WHEN, Q_INC_LINKROW, Q_INC_GET,
    Q_INC_CLAIMS, Q_INC_FACTS, Q_MIRROR_PUT, Q_INC_MIRRORS, Q_DOC_CLAIMS, Q_CLUSTER_DOCS,
    Q_DATA_VERSION,
    Q__COUNT
};

/* An LSH table (doc_lsh or incident_lsh, with its staging table) mirrored
 * in memory: key -> chain of row ids (store_sqlite_lsh.c). */
enum { SQ_LSH_DOC, SQ_LSH_INC, SQ_LSH__COUNT };
typedef struct sq_lsh_map {
    bool ready;            /* holds every row of the table: lookups use it */
    int64_t lookups;       /* SQL lookups since it was last dropped */
    int64_t est_rows;      /* rows in the table, about (-1: not asked yet) */
    uint64_t *slot_key;    /* open addressing, cap slots (a power of 2) */
    uint32_t *slot_head;   /* 0: empty slot; else its chain's first entry + 1 */
    size_t cap, nkeys;
    int64_t *ent_id;       /* entries: row id and next entry + 1 (0: end) */
    uint32_t *ent_next;
    size_t nent, ent_cap;
} sq_lsh_map;

typedef struct sq_lsh_row {
    uint64_t key;
    int64_t id;
} sq_lsh_row;

typedef struct sq_lsh {
    sq_lsh_map all;   /* every row of the table, once loaded */
    sq_lsh_map pend;  /* rows pending commit, for lookups while `all` is not */
    ds_vec rows;      /* of sq_lsh_row: rows pending commit */
} sq_lsh;

/* SQL lookups of an LSH table before mapping it in memory is considered;
 * it is loaded once the lookups since it was last dropped reach a
 * sixteenth of the table's rows (reading a row into the map costs about a
 * sixteenth of a lookup).  DOSSIER_LSH_MAP=N loads it after N lookups
 * whatever its size (tests; -1: never). */
#define SQ_LSH_MAP_AT 4096

/* rows per multi-row INSERT into an LSH staging table */
#define SQ_LSH_PUT_ROWS 16

/* The incidents' linking fields in memory (store_sqlite_incmap.c). */
typedef struct sq_inc_rec {
    int64_t id, cell;
    int32_t day, day_lo, day_hi;
    double lat, lon;
    uint8_t type, status, precision;
    bool has_coord;
    char actor_country[4], target_country[4];
    char place[96];
    uint32_t sig[DS_SENT_SIG];
} sq_inc_rec;
typedef struct sq_incmap sq_incmap;

typedef struct sq_ckpt sq_ckpt;

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
    sq_lsh lsh[SQ_LSH__COUNT];
    int64_t lsh_map_at;     /* SQL lookups of a table before a map is considered */
    bool lsh_map_forced;    /* then load it whatever the table's size (tests) */
    int64_t data_version;   /* PRAGMA data_version when last checked */
    sq_incmap *incmap;      /* NULL: linking candidates come from SQL */
    int64_t inc_probes;     /* candidate searches in SQL since it was dropped */
    int64_t inc_est;        /* incidents stored, about (-1: not asked) */
    /* checkpoints (store_sqlite_ckpt.c) */
    int64_t wal_pages;      /* in the WAL after this connection's last commit */
    int64_t ckpt_pages, ckpt_wrap;   /* thresholds in pages (SQ_CKPT_BYTES, SQ_CKPT_WRAP) */
    sq_ckpt *ckpt;          /* the checkpoint thread, once the WAL grew */
    bool ckpt_failed;       /* it could not be started: the writer checkpoints */
} sq_store;

/* The WAL is checkpointed in a thread once it holds this many bytes, and
 * at SQ_CKPT_WRAP times that (1 GB) the writer waits for a checkpoint so the
 * WAL starts over (store_sqlite_ckpt.c).  DOSSIER_CKPT_PAGES sets the first
 * in pages (tests). */
#define SQ_CKPT_BYTES ((int64_t)64 << 20)
#define SQ_CKPT_WRAP 16
/* Take over checkpoints from SQLite's automatic one (a writer connection). */
void sq_ckpt_init(sq_store *s);
/* After a commit: ask for a checkpoint, or wait for one (SQ_CKPT_WRAP). */
void sq_ckpt_after_commit(sq_store *s);
/* Stop the thread (before the connection closes); no-op when none. */
void sq_ckpt_stop(sq_store *s);

/* Staged LSH rows merged at a commit once there are this many (about 50,000
 * documents' worth): the staging tables stay a few thousand pages, and a
 * merge writes each page of the big tables about once.  DOSSIER_LSH_STAGE
 * overrides it (tests use a small value to exercise merges). */
#define SQ_LSH_STAGE_MAX 800000

/* documents.doc_key (schema 7): the first SQ_DOC_KEY_DIGITS hex digits of
 * the SHA-256 in a doc_id ("sha256:HEX"), an order-preserving integer; for a
 * prefix of fewer digits, the low (high: false) or high end of its range. */
#define SQ_DOC_KEY_DIGITS 15
int64_t sq_doc_key(const char *doc_id, bool high);

/* Prepared statement i (prepared on first use, reset and cleared). */
sqlite3_stmt *sq_stmt(sq_store *s, int i);
/* Map the last error of the connection to a status, message into s->err. */
dossier_status sq_fail(sq_store *s, const char *what);
/* Bind a text that may be NULL or "" (both stored as NULL). */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Bind values 1..n of a row (store_rows.c); they must outlive the step. */
void sq_bind_vals(sqlite3_stmt *st, const ds_val *v, size_t n);
/* The first column of the first row of sql, -1 on any failure. */
int64_t sq_scalar(sq_store *s, const char *sql);
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

/* store_sqlite_lsh.c: LSH buckets, from memory once that pays */
/* Append the row ids of bucket `key` of table `which` (SQ_LSH_*) to ids. */
dossier_status sq_lsh_get(sq_store *s, int which, uint64_t key, ds_vec *ids);
/* Add row (key, id) to table `which`: kept in memory, written at commit. */
dossier_status sq_lsh_put(sq_store *s, int which, uint64_t key, int64_t id);
/* Write the rows pending commit into the staging tables (key order). */
dossier_status sq_lsh_flush(sq_store *s);
/* Forget pending rows and the maps, the incidents' too (rollback: they may
 * hold rows that were never committed); release: free all memory (close). */
void sq_maps_reset(sq_store *s, bool release);
/* Should a map be loaded now?  Counts one more question in *asked; true
 * once they reach SQ_LSH_MAP_AT (or DOSSIER_LSH_MAP) and 1/share of the
 * rows the table holds (*est, read once from size_sql; -1 until then). */
bool sq_map_pays(sq_store *s, int64_t *asked, int64_t *est, const char *size_sql, int share);
/* Free a map; est_rows -1 (not asked). */
void sq_lsh_drop(sq_lsh_map *m);
/* At BEGIN: drop the maps if another connection has committed since. */
void sq_maps_check_version(sq_store *s);

/* store_sqlite_incmap.c: every incident's linking fields, once that pays */
/* Read the incidents table into a new map; NULL when out of memory. */
sq_incmap *sq_incmap_load(sq_store *s);
void sq_incmap_free(sq_incmap *m);
/* An incident was written: mirror it (false: out of memory). */
bool sq_incmap_put(sq_incmap *m, const ds_incident *inc);
/* Append the ids the SQL date-window lookups of the probe would find (not
 * its LSH keys); 0 done, 1 the window is too wide (ask SQL), -1 ENOMEM. */
int sq_incmap_near(const sq_incmap *m, const ds_incident_probe *p, ds_vec *ids);
/* Incident id's linking fields if it passes the probe's country filter. */
bool sq_incmap_row(const sq_incmap *m, int64_t id, const ds_incident_probe *p, ds_incident *out);
/* Drop the map (rollback, another writer); s->inc_probes and inc_est reset. */
void sq_incmap_drop(sq_store *s);

/* store_sqlite_sql.c */
extern const char *const sq_migrations[DS_SCHEMA_VERSION];
extern const char *const sq_sql[Q__COUNT];
extern const char *const sq_lsh_merge;    /* staged LSH rows into the big tables */
extern const char *const sq_lsh_staged;   /* how many rows are staged */

/* store_sqlite_write.c: the write ops */
dossier_status sq_has_doc(ds_store *s, const char *doc_id, int64_t *rowid);
dossier_status sq_put_doc(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                          int64_t cluster, const int64_t *incidents, int64_t *rowid);
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
dossier_status sq_incident_put(ds_store *s, ds_incident *inc, const ds_incident *was);
dossier_status sq_get_incident(ds_store *s, int64_t id, ds_incident *out);
dossier_status sq_incident_add_keys(ds_store *s, int64_t incident, const uint64_t *keys,
                                    size_t n);
dossier_status sq_incident_facts(ds_store *s, int64_t incident, int64_t after_claim,
                                 ds_claim_row_cb cb, void *user);
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
