/*
 * store_sqlite.c — the SQLite backend of store.h: opening (WAL, busy timeout,
 * pragmas, schema version check, migrations), the statement cache, errors,
 * transactions and the ops table.  The SQL texts are in store_sqlite_sql.c,
 * the writes in store_sqlite_write.c, read-only queries in
 * store_sqlite_query.c.
 *
 * Every statement is a fixed SQL text prepared once and cached (sq_sql[]);
 * values are always bound, never formatted into SQL.  The schema is described
 * in docs/schema.md; sq_migrations[k] brings a database from version k to k+1.
 */
#include "store_sqlite.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- errors ------------------------------------------------------------- */
dossier_status sq_fail(sq_store *s, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    int prim = code & 0xff;
    int sys = sqlite3_system_errno(s->db);
    dossier_status st = DOSSIER_EDB;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) st = DOSSIER_EBUSY;
    else if (prim == SQLITE_FULL || sys == ENOSPC || sys == EFBIG || sys == EDQUOT ||
             code == SQLITE_IOERR_WRITE)
        st = DOSSIER_EFULL;   /* a failed write is nearly always space or a size limit */
    else if (prim == SQLITE_READONLY || prim == SQLITE_CANTOPEN || prim == SQLITE_PERM ||
             sys == EACCES || sys == EROFS)
        st = DOSSIER_EREADONLY;
    else if (prim == SQLITE_NOMEM) st = DOSSIER_ENOMEM;
    const char *hint = st == DOSSIER_EBUSY    ? " (another process holds the database)"
                       : st == DOSSIER_EFULL  ? ""
                       : st == DOSSIER_EREADONLY ? " (cannot write here)" : "";
    snprintf(s->base.err, sizeof s->base.err, "%s: %s%s", what, sqlite3_errmsg(s->db), hint);
    return st;
}

sqlite3_stmt *sq_stmt(sq_store *s, int i)
{
    if (!s->q[i] &&
        sqlite3_prepare_v3(s->db, sq_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) !=
            SQLITE_OK) {
        sq_fail(s, "prepare");
        return NULL;
    }
    sqlite3_reset(s->q[i]);
    sqlite3_clear_bindings(s->q[i]);
    return s->q[i];
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

void sq_bind_vals(sqlite3_stmt *st, const ds_val *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int k = (int)i + 1;
        switch (v[i].kind) {
        case DS_VAL_NULL: sqlite3_bind_null(st, k); break;
        case DS_VAL_INT: sqlite3_bind_int64(st, k, v[i].i); break;
        case DS_VAL_REAL: sqlite3_bind_double(st, k, v[i].d); break;
        case DS_VAL_TEXT: sqlite3_bind_text(st, k, v[i].p, (int)v[i].n, SQLITE_STATIC); break;
        case DS_VAL_BLOB: sqlite3_bind_blob(st, k, v[i].p, (int)v[i].n, SQLITE_STATIC); break;
        }
    }
}

dossier_status sq_run(sq_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sq_fail(s, what);
    sqlite3_reset(st);
    return DOSSIER_OK;
}

int64_t sq_scalar(sq_store *s, const char *sql)
{
    sqlite3_stmt *q;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static dossier_status exec(sq_store *s, const char *sql, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(s, what);
    return DOSSIER_OK;
}

/* ---- transactions ------------------------------------------------------- */
static dossier_status sq_begin(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    /* IMMEDIATE: take the write lock now so a busy database fails here, early */
    dossier_status st = exec(s, "BEGIN IMMEDIATE", "begin");
    if (st == DOSSIER_OK) s->in_txn = true;
    if (st == DOSSIER_OK) sq_maps_check_version(s);
    s->fts_from = 0;
    return st;
}

static dossier_status sq_commit(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    dossier_status st = sq_index_sentences(s);
    if (st == DOSSIER_OK) st = sq_lsh_flush(s);
    if (st != DOSSIER_OK) return st;
    if (s->staged >= s->stage_max) {
        st = exec(s, sq_lsh_merge, "merging LSH buckets");
        if (st != DOSSIER_OK) return st;
        s->staged = 0;
    }
    st = exec(s, "COMMIT", "commit");
    if (st == DOSSIER_OK) {
        s->in_txn = false;
        sq_ckpt_after_commit(s);
    }
    return st;
}

static dossier_status sq_rollback(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    s->in_txn = false;
    s->fts_from = 0;
    sq_maps_reset(s, false);
    if (sqlite3_get_autocommit(s->db)) return DOSSIER_OK;   /* already rolled back */
    return exec(s, "ROLLBACK", "rollback");
}

static void sq_close(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    if (!s) return;
    if (s->in_txn) sq_rollback(b);
    sq_ckpt_stop(s);
    sq_maps_reset(s, true);
    for (int i = 0; i < Q__COUNT; i++) sqlite3_finalize(s->q[i]);
    for (size_t i = 0; i < DS_ARRAY_LEN(s->read_st); i++) sqlite3_finalize(s->read_st[i]);
    sqlite3_close(s->db);
    ds_free(s);
}

/* ---- opening ------------------------------------------------------------ */
static const ds_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .has_doc = sq_has_doc,
    .put_doc = sq_put_doc,
    .doc_candidates = sq_doc_candidates,
    .doc_lsh_put = sq_doc_lsh_put,
    .origin_cluster = sq_origin_cluster,
    .new_cluster = sq_new_cluster,
    .merge_clusters = sq_merge_clusters,
    .cluster_incidents = sq_cluster_incidents,
    .incident_candidates = sq_incident_candidates,
    .get_incident = sq_get_incident,
    .incident_put = sq_incident_put,
    .incident_add_keys = sq_incident_add_keys,
    .incident_claims = sq_incident_claims,
    .incident_facts = sq_incident_facts,
    .mirror_put = sq_mirror_put,
    .incident_mirrors = sq_incident_mirrors,
    .query_incidents = sq_query_incidents,
    .incident_days = sq_incident_days,
    .get_doc = sq_get_doc,
    .doc_claims = sq_doc_claims,
    .cluster_docs = sq_cluster_docs,
    .search = sq_search,
    .search_recent = sq_search_recent,
    .stats = sq_stats,
};

static int schema_version(sq_store *s, dossier_status *st)
{
    sqlite3_stmt *q;
    *st = DOSSIER_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM sqlite_master WHERE name='schema_version'", -1,
                           &q, NULL) != SQLITE_OK) {
        *st = sq_fail(s, "reading schema");
        return -1;
    }
    int rc = sqlite3_step(q);
    int have = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (have < 0) {
        *st = sq_fail(s, "reading schema");
        return -1;
    }
    if (!have) return 0;
    if (sqlite3_prepare_v2(s->db, "SELECT max(version) FROM schema_version", -1, &q, NULL) !=
        SQLITE_OK) {
        *st = sq_fail(s, "reading schema version");
        return -1;
    }
    int v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return v;
}

/* Migration 2, C part: file every stored document under the new LSH bands. */
static dossier_status refile_doc_bands(sq_store *s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT id,minhash FROM documents WHERE nshingles>0", -1, &q,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "migrating document signatures");
    dossier_status r = DOSSIER_OK;
    int rc;
    while (r == DOSSIER_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const void *mh = sqlite3_column_blob(q, 1);
        if (!mh || sqlite3_column_bytes(q, 1) != DS_DOC_SIG * 4) continue;
        uint32_t m[DS_DOC_SIG];
        uint64_t bands[DS_DOC_BANDS];
        memcpy(m, mh, sizeof m);
        ds_doc_bands(m, bands);
        r = s->base.ops->doc_lsh_put(&s->base, sqlite3_column_int64(q, 0), bands, DS_DOC_BANDS);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "migrating document signatures");
    sqlite3_finalize(q);
    return r;
}

static dossier_status count_staged(sq_store *s)
{
    const char *env = getenv("DOSSIER_LSH_STAGE");
    s->stage_max = env && atol(env) > 0 ? atol(env) : SQ_LSH_STAGE_MAX;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sq_lsh_staged, -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "reading LSH buckets");
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) s->staged = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DOSSIER_OK : sq_fail(s, "reading LSH buckets");
}

/* dossier_doc_key(doc_id): migration 7 fills documents.doc_key with it */
static void doc_key_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *id = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_result_int64(ctx, id ? sq_doc_key(id, false) : 0);
}

static dossier_status migrate(sq_store *s, int from)
{
    if (sqlite3_create_function(s->db, "dossier_doc_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, doc_key_fn, NULL, NULL) != SQLITE_OK)
        return sq_fail(s, "migrating");
    dossier_status st = exec(s, "BEGIN IMMEDIATE", "migrating");
    if (st != DOSSIER_OK) return st;
    /* re-read under the write lock: another process may have migrated */
    from = schema_version(s, &st);
    if (st == DOSSIER_OK && from == 0)
        st = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL,"
                  " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
                  "creating schema");
    for (int v = from; st == DOSSIER_OK && v < DS_SCHEMA_VERSION; v++) {
        st = exec(s, sq_migrations[v], "migrating schema");
        if (st != DOSSIER_OK) break;
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, "INSERT INTO schema_version(version) VALUES(?1)", -1, &q,
                               NULL) != SQLITE_OK) {
            st = sq_fail(s, "migrating schema");
            break;
        }
        sqlite3_bind_int(q, 1, v + 1);
        st = sq_run(s, q, "migrating schema");
        sqlite3_finalize(q);
    }
    /* migration 2's C part, once the staging tables (4) exist */
    if (st == DOSSIER_OK && from < 2) st = exec(s, "DELETE FROM doc_lsh_new", "migrating");
    if (st == DOSSIER_OK && from < 2) st = refile_doc_bands(s);
    if (st == DOSSIER_OK) return exec(s, "COMMIT", "migrating");
    exec(s, "ROLLBACK", "migrating");
    exec(s, "PRAGMA legacy_alter_table=OFF", "migrating");   /* if 7 stopped half-way */
    return st;
}

/* Before SQLite's first use in the process: no memory statistics (nothing
 * reads them), so its allocations skip the global mutex that keeps them. */
static void configure_sqlite(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

dossier_status ds_store_sqlite_open(const char *path, int flags, ds_store **out, char *err,
                                    size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    sq_store *s = ds_calloc(1, sizeof *s);
    if (!s) return DOSSIER_ENOMEM;
    s->base.ops = &sqlite_ops;
    sq_maps_reset(s, true);   /* est_rows -1: not asked yet */
    const char *map_at = getenv("DOSSIER_LSH_MAP");
    s->lsh_map_forced = map_at && *map_at;
    s->lsh_map_at = s->lsh_map_forced ? atol(map_at) : SQ_LSH_MAP_AT;
    s->base.readonly = flags & DS_STORE_READONLY;
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (flags & DS_STORE_READONLY) oflags |= SQLITE_OPEN_READONLY;
    else oflags |= SQLITE_OPEN_READWRITE | ((flags & DS_STORE_NOCREATE) ? 0 : SQLITE_OPEN_CREATE);
    dossier_status st = DOSSIER_OK;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (!s->db) {
            sq_close(&s->base);
            return DOSSIER_ENOMEM;
        }
        st = sq_fail(s, path);
        if ((flags & (DS_STORE_READONLY | DS_STORE_NOCREATE)) && access(path, F_OK) != 0) {
            st = DOSSIER_ENOTFOUND;
            snprintf(s->base.err, sizeof s->base.err, "%s: no such database", path);
        }
        goto fail;
    }
    /* wait this long for another writer before failing with "locked" */
    const char *busy = getenv("DOSSIER_BUSY_MS");
    sqlite3_busy_timeout(s->db, busy && atoi(busy) >= 0 ? atoi(busy) : 5000);
    sqlite3_extended_result_codes(s->db, 1);
    int v = schema_version(s, &st);
    if (st != DOSSIER_OK) {
        if (st == DOSSIER_EDB)   /* "file is not a database" and friends */
            snprintf(s->base.err, sizeof s->base.err, "%s: not a dossier database (%s)", path,
                     sqlite3_errmsg(s->db));
        goto fail;
    }
    if (v > DS_SCHEMA_VERSION) {
        st = DOSSIER_ESCHEMA;
        snprintf(s->base.err, sizeof s->base.err,
                 "%s: schema version %d is newer than this dossier (%d); upgrade dossier", path,
                 v, DS_SCHEMA_VERSION);
        goto fail;
    }
    if (!(flags & DS_STORE_READONLY)) {
        /* WAL: readers (serve, queries) never block the writer; NORMAL sync
         * loses no committed transaction when the process is killed. */
        /* a new database gets 8 KB pages (only an empty file can take a
         * page size in WAL mode): a batch's rows and index entries fill half
         * as many pages, so half as many WAL frames, and the b-trees are
         * shallower.  1M-document bench side by side: 5,034 against 4,517
         * docs/s with 4 KB, the database 4.2 against 4.4 GB. */
        if (v == 0) st = exec(s, "PRAGMA page_size=8192", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA journal_mode=WAL", "setting WAL mode");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA synchronous=NORMAL", "pragma");
        /* The store grows past any cache; what stays hot are random-key
         * indexes (doc.id, LSH buckets) and recent incidents.  A 1 GB page
         * cache (allocated as used) keeps them in memory, and reads of the
         * rest go through a 2 GB memory map (SQLite's build limit) instead
         * of a read() per page.  Checkpoints: store_sqlite_ckpt.c. */
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA cache_size=-1048576", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA mmap_size=2147418112", "pragma");
        if (st == DOSSIER_OK) sq_ckpt_init(s);
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA foreign_keys=OFF", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA temp_store=MEMORY", "pragma");
        if (st == DOSSIER_OK && v < DS_SCHEMA_VERSION) st = migrate(s, v);
        if (st == DOSSIER_OK) st = count_staged(s);
        if (st != DOSSIER_OK) goto fail;
    } else if (v < DS_SCHEMA_VERSION) {
        st = v == 0 ? DOSSIER_ENOTFOUND : DOSSIER_ESCHEMA;
        snprintf(s->base.err, sizeof s->base.err,
                 v == 0 ? "%s: empty database (run dossier ingest first)"
                        : "%s: schema version %d is older than %d; run dossier ingest to migrate",
                 path, v, DS_SCHEMA_VERSION);
        goto fail;
    } else {
        exec(s, "PRAGMA cache_size=-65536", "pragma");
        exec(s, "PRAGMA mmap_size=1073741824", "pragma");
    }
    *out = &s->base;
    return DOSSIER_OK;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", s->base.err);
    sq_close(&s->base);
    return st;
}
