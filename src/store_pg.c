/*
 * store_pg.c — the PostgreSQL backend of store.h (libpq), for "postgres://…"
 * and "postgresql://…" databases: opening (schema version check, migrations
 * under an advisory lock), transactions, documents, syndication and incident
 * writes.  Read-only queries are in store_pg_query.c, the SQL texts in
 * store_pg_sql.c, the work queue in store_pg_queue.c.
 *
 * Concurrency: every write transaction (begin()) first takes one
 * transaction-level advisory lock, so ingests and workers on any number of
 * machines store, cluster and link one batch at a time, each seeing the
 * batches committed before it — the linking result is the one a single
 * process would give.  Extraction, the expensive part, runs outside it.
 */
#include "store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parameters --------------------------------------------------------- */
void pgp_set(pgp *p, const char *v, int len, int fmt)
{
    if (p->n >= PGP_MAX) return;   /* statements have fewer; a bug shows as a SQL error */
    p->v[p->n] = v;
    p->len[p->n] = len;
    p->fmt[p->n] = fmt;
    p->n++;
}

void pgp_text(pgp *p, const char *s) { pgp_set(p, s && *s ? s : NULL, 0, 0); }
void pgp_null(pgp *p) { pgp_set(p, NULL, 0, 0); }

void pgp_raw(pgp *p, const void *s, size_t n)
{
    pgp_set(p, s ? (const char *)s : "", (int)n, 1);
}

void pgp_int(pgp *p, int64_t v)
{
    if (p->n >= PGP_MAX) return;
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)v);
    pgp_set(p, p->num[p->n], 0, 0);
}

void pgp_dbl(pgp *p, double v)
{
    if (p->n >= PGP_MAX) return;
    snprintf(p->num[p->n], sizeof p->num[0], "%.17g", v);
    pgp_set(p, p->num[p->n], 0, 0);
}

void pgp_i64_array(pgp *p, const int64_t *v, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    buf[k++] = '{';
    for (size_t i = 0; i < n && k + 24 < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? "," : "", (long long)v[i]);
    buf[k++] = '}';
    buf[k] = 0;
    pgp_set(p, buf, 0, 0);
}

void pgp_vals(pgp *p, const ds_val *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (v[i].kind) {
        case DS_VAL_NULL: pgp_null(p); break;
        case DS_VAL_INT: pgp_int(p, v[i].i); break;
        case DS_VAL_REAL: pgp_dbl(p, v[i].d); break;
        case DS_VAL_TEXT:
            if (v[i].long_text) pgp_raw(p, v[i].p, v[i].n);
            else pgp_set(p, v[i].p, 0, 0);   /* "" stays "" */
            break;
        case DS_VAL_BLOB: pgp_raw(p, v[i].p, v[i].n); break;
        }
    }
}

/* ---- errors and execution ----------------------------------------------- */
dossier_status pg_fail(pg_store *s, PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : NULL;
    if (!msg || !*msg) msg = PQerrorMessage(s->conn);
    snprintf(s->sqlstate, sizeof s->sqlstate, "%s", state ? state : "");
    dossier_status st = DOSSIER_EDB;
    const char *hint = "";
    if (state) {
        if (!strcmp(state, "53100") || !strcmp(state, "53000")) {
            st = DOSSIER_EFULL;
            hint = " (disk full on the database server)";
        } else if (!strcmp(state, "25006") || !strcmp(state, "42501")) {
            st = DOSSIER_EREADONLY;
            hint = " (cannot write here)";
        } else if (!strcmp(state, "23505") || !strcmp(state, "40001") ||
                   !strcmp(state, "40P01") || !strcmp(state, "55P03")) {
            st = DOSSIER_EBUSY;
            hint = " (conflict with a concurrent writer; retry)";
        } else if (!strcmp(state, "53200")) {
            st = DOSSIER_ENOMEM;
        }
    }
    char one[400];
    snprintf(one, sizeof one, "%s", msg ? msg : "unknown error");
    size_t n = strlen(one);
    while (n && (one[n - 1] == '\n' || one[n - 1] == ' ')) one[--n] = 0;
    for (char *c = one; *c; c++)
        if (*c == '\n') *c = ' ';
    snprintf(s->base.err, sizeof s->base.err, "%s: %s%s", what, one, hint);
    return st;
}

/* Pipeline mode (write transactions): statements whose result is not
 * needed (parties, LSH keys, links, incident updates) are only sent; their
 * results are read at the next statement that needs one, or at commit — one
 * round trip for many statements.  The first error among them is reported
 * there (the transaction is then aborted and rolled back by the caller). */
static bool deferred(int i)
{
    switch (i) {
    case P_PUT_PARTY: case P_PUT_DOC_LSH: case P_MERGE_DOCS:
    case P_MERGE_NAMES: case P_MERGE_DEL: case P_INC_UPDATE: case P_INC_LSH_PUT:
    case P_MIRROR_PUT: case P_ORIGIN_PUT:
        return true;
    default:
        return false;
    }
}

/* Sync the pipeline and read every outstanding result; *last (if given)
 * receives the result of the last statement sent.  Returns the first error. */
static dossier_status pl_drain(pg_store *s, PGresult **last, const char *what)
{
    dossier_status st = DOSSIER_OK;
    if (last) *last = NULL;
    if (PQpipelineSync(s->conn) != 1) return pg_fail(s, NULL, what);
    int n = s->pending;
    s->pending = 0;
    for (int q = 0; q < n; q++) {
        PGresult *r;
        while ((r = PQgetResult(s->conn))) {
            ExecStatusType es = PQresultStatus(r);
            if (es == PGRES_FATAL_ERROR) {
                if (st == DOSSIER_OK) st = pg_fail(s, r, what);
            } else if (es == PGRES_PIPELINE_ABORTED) {
                if (st == DOSSIER_OK) {
                    snprintf(s->base.err, sizeof s->base.err, "%s: pipeline aborted", what);
                    st = DOSSIER_EDB;
                }
            } else if (last && q == n - 1 && st == DOSSIER_OK &&
                       (es == PGRES_TUPLES_OK || es == PGRES_COMMAND_OK)) {
                PQclear(*last);
                *last = r;
                continue;
            }
            PQclear(r);
        }
    }
    PGresult *r = PQgetResult(s->conn);   /* the sync point */
    if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC && st == DOSSIER_OK)
        st = pg_fail(s, r, what);
    PQclear(r);
    if (st != DOSSIER_OK && last) {
        PQclear(*last);
        *last = NULL;
    }
    if (PQstatus(s->conn) != CONNECTION_OK && st == DOSSIER_OK) st = pg_fail(s, NULL, what);
    return st;
}

static bool ensure_prepared(pg_store *s, int i, dossier_status *st)
{
    if (s->prepared[i]) return true;
    char name[16];
    snprintf(name, sizeof name, "ds%d", i);
    if (s->pipeline) {
        if (PQsendPrepare(s->conn, name, pg_sql[i], 0, NULL) != 1) {
            *st = pg_fail(s, NULL, "prepare");
            return false;
        }
        s->pending++;
    } else {
        PGresult *r = PQprepare(s->conn, name, pg_sql[i], 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            *st = pg_fail(s, r, "prepare");
            PQclear(r);
            return false;
        }
        PQclear(r);
    }
    s->prepared[i] = true;
    return true;
}

PGresult *pg_exec(pg_store *s, int i, const pgp *p, dossier_status *st, const char *what)
{
    static const pgp none = {0};
    if (!p) p = &none;
    char name[16];
    snprintf(name, sizeof name, "ds%d", i);
    if (!ensure_prepared(s, i, st)) return NULL;
    if (s->pipeline) {
        if (PQsendQueryPrepared(s->conn, name, p->n, p->v, p->len, p->fmt, 0) != 1) {
            *st = pg_fail(s, NULL, what);
            return NULL;
        }
        s->pending++;
        PGresult *r = NULL;
        *st = pl_drain(s, &r, what);
        if (*st == DOSSIER_OK && !r) *st = pg_fail(s, NULL, what);
        return *st == DOSSIER_OK ? r : NULL;
    }
    PGresult *r = PQexecPrepared(s->conn, name, p->n, p->v, p->len, p->fmt, 0);
    ExecStatusType es = PQresultStatus(r);
    if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
        *st = pg_fail(s, r, what);
        PQclear(r);
        return NULL;
    }
    *st = DOSSIER_OK;
    return r;
}

/* Run a statement whose rows are not needed (only sent, in a pipeline). */
dossier_status pg_run(pg_store *s, int i, const pgp *p, const char *what)
{
    dossier_status st = DOSSIER_OK;
    if (s->pipeline && deferred(i)) {
        char name[16];
        snprintf(name, sizeof name, "ds%d", i);
        if (!ensure_prepared(s, i, &st)) return st;
        if (PQsendQueryPrepared(s->conn, name, p->n, p->v, p->len, p->fmt, 0) != 1)
            return pg_fail(s, NULL, what);
        /* pgp texts are copied by libpq when sent */
        if (++s->pending >= 512) return pl_drain(s, NULL, what);
        return DOSSIER_OK;
    }
    PGresult *r = pg_exec(s, i, p, &st, what);
    PQclear(r);
    return st;
}

/* Run a statement returning one id (RETURNING id / SELECT id). */
dossier_status pg_run_id(pg_store *s, int i, const pgp *p, const char *what, int64_t *id)
{
    dossier_status st;
    PGresult *r = pg_exec(s, i, p, &st, what);
    if (!r) return st;
    if (PQntuples(r) < 1) {
        PQclear(r);
        return DOSSIER_ENOTFOUND;
    }
    *id = pg_i64(r, 0, 0);
    PQclear(r);
    return DOSSIER_OK;
}

dossier_status pg_command(pg_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    dossier_status st = DOSSIER_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        st = pg_fail(s, r, what);
    PQclear(r);
    return st;
}

/* ---- result columns ----------------------------------------------------- */
const char *pg_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

bool pg_null(const PGresult *r, int row, int col) { return PQgetisnull(r, row, col); }

int64_t pg_i64(const PGresult *r, int row, int col)
{
    const char *v = pg_text(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

double pg_dbl(const PGresult *r, int row, int col)
{
    const char *v = pg_text(r, row, col);
    return v ? strtod(v, NULL) : 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool pg_bytes(const PGresult *r, int row, int col, void *out, size_t n)
{
    /* bytea text output is "\x" + hex; decoded by hand into the fixed-size
     * signature (PQunescapeBytea would allocate a copy per row) */
    const char *v = pg_text(r, row, col);
    if (!v || v[0] != '\\' || v[1] != 'x' || strlen(v + 2) != 2 * n) return false;
    unsigned char *o = out;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
        if (hi < 0 || lo < 0) return false;
        o[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

static void copy_col(const PGresult *r, int row, int col, char *dst, size_t cap)
{
    ds_copy_text(dst, cap, pg_text(r, row, col));
}

static int col_enum(const PGresult *r, int row, int col, const char *const *names, int count)
{
    const char *v = pg_text(r, row, col);
    return v ? ds_enum_parse(names, count, v, strlen(v)) : 0;
}

void pg_read_incident(const PGresult *r, int row, ds_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->id = pg_i64(r, row, 0);
    inc->type = col_enum(r, row, 1, ds_event_names, DS_EV__COUNT);
    inc->day = (int32_t)pg_i64(r, row, 2);
    inc->day_lo = (int32_t)pg_i64(r, row, 3);
    inc->day_hi = (int32_t)pg_i64(r, row, 4);
    copy_col(r, row, 5, inc->date, sizeof inc->date);
    copy_col(r, row, 6, inc->place, sizeof inc->place);
    copy_col(r, row, 7, inc->admin1, sizeof inc->admin1);
    copy_col(r, row, 8, inc->country, sizeof inc->country);
    inc->has_coord = !pg_null(r, row, 9);
    inc->lat = pg_dbl(r, row, 9);
    inc->lon = pg_dbl(r, row, 10);
    inc->precision = col_enum(r, row, 11, ds_place_precision_names, 5);
    copy_col(r, row, 12, inc->actor, sizeof inc->actor);
    copy_col(r, row, 13, inc->target, sizeof inc->target);
    copy_col(r, row, 14, inc->actor_country, sizeof inc->actor_country);
    copy_col(r, row, 15, inc->target_country, sizeof inc->target_country);
    inc->status = col_enum(r, row, 16, ds_status_names, DS_STATUS__COUNT);
    inc->site = col_enum(r, row, 17, ds_site_names, DS_SITE__COUNT);
    inc->nclaims = (int32_t)pg_i64(r, row, 18);
    inc->ndocs = (int32_t)pg_i64(r, row, 19);
    inc->norigins = (int32_t)pg_i64(r, row, 20);
    copy_col(r, row, 21, inc->source_countries, sizeof inc->source_countries);
    inc->strongest = col_enum(r, row, 22, ds_modality_names, DS_MOD__COUNT);
    inc->weakest = col_enum(r, row, 23, ds_modality_names, DS_MOD__COUNT);
    inc->confirmed = pg_i64(r, row, 24) != 0;
    inc->disputed = pg_i64(r, row, 25) != 0;
    inc->ihl = (unsigned)pg_i64(r, row, 26);
    inc->fatalities = pg_null(r, row, 27) ? -1 : pg_i64(r, row, 27);
    copy_col(r, row, 28, inc->summary, sizeof inc->summary);
    pg_bytes(r, row, 29, inc->sig, sizeof inc->sig);
    inc->nmirrors = (int32_t)pg_i64(r, row, 30);
}

void pg_read_claim(const PGresult *r, int row, ds_claim_row *c)
{
    memset(c, 0, sizeof *c);
    c->id = pg_i64(r, row, 0);
    c->doc = pg_i64(r, row, 1);
    c->cluster = pg_i64(r, row, 2);
    c->incident = pg_i64(r, row, 3);
    c->doc_id = pg_text(r, row, 4);
    c->outlet = pg_text(r, row, 5);
    c->title = pg_text(r, row, 6);
    c->published = pg_text(r, row, 7);
    c->path = pg_text(r, row, 8);
    c->sentence_i = (int)pg_i64(r, row, 9);
    c->sentence = pg_text(r, row, 10);
    c->type = col_enum(r, row, 11, ds_event_names, DS_EV__COUNT);
    c->mode = col_enum(r, row, 12, ds_mode_names, DS_MODE__COUNT);
    c->lethal = pg_null(r, row, 13) ? -1 : (int)pg_i64(r, row, 13);
    c->actor = pg_text(r, row, 14);
    c->target = pg_text(r, row, 15);
    c->speaker = pg_text(r, row, 16);
    c->relay = pg_text(r, row, 17);
    copy_col(r, row, 18, c->actor_country, sizeof c->actor_country);
    copy_col(r, row, 19, c->target_country, sizeof c->target_country);
    copy_col(r, row, 20, c->speaker_country, sizeof c->speaker_country);
    copy_col(r, row, 21, c->relay_country, sizeof c->relay_country);
    c->actor_role = col_enum(r, row, 22, ds_role_names, DS_ROLE__COUNT);
    c->target_role = col_enum(r, row, 23, ds_role_names, DS_ROLE__COUNT);
    c->speaker_role = col_enum(r, row, 24, ds_role_names, DS_ROLE__COUNT);
    c->relay_role = col_enum(r, row, 25, ds_role_names, DS_ROLE__COUNT);
    c->status = col_enum(r, row, 26, ds_status_names, DS_STATUS__COUNT);
    c->site = col_enum(r, row, 27, ds_site_names, DS_SITE__COUNT);
    c->count_value = pg_null(r, row, 28) ? -1 : pg_i64(r, row, 28);
    c->place = pg_text(r, row, 29);
    c->place_name = pg_text(r, row, 30);
    c->admin1 = pg_text(r, row, 31);
    copy_col(r, row, 32, c->country, sizeof c->country);
    c->has_coord = !pg_null(r, row, 33);
    c->lat = pg_dbl(r, row, 33);
    c->lon = pg_dbl(r, row, 34);
    c->precision = col_enum(r, row, 35, ds_place_precision_names, 5);
    c->time_value = pg_text(r, row, 36);
    c->day = (int32_t)pg_i64(r, row, 37);
    c->modality = col_enum(r, row, 38, ds_modality_names, DS_MOD__COUNT);
    c->ihl = (unsigned)pg_i64(r, row, 39);
    c->evidence = (unsigned)pg_i64(r, row, 40);
    c->sent_start = pg_i64(r, row, 41);
    c->sent_end = pg_i64(r, row, 42);
    c->trigger_start = pg_i64(r, row, 43);
    c->trigger_end = pg_i64(r, row, 44);
    c->ordered = pg_i64(r, row, 45) != 0;
    c->count_qualifier = col_enum(r, row, 46, ds_qualifier_names, DS_QUAL__COUNT);
    c->count_unit = col_enum(r, row, 47, ds_unit_names, DS_UNIT__COUNT);
    c->time_text = pg_text(r, row, 48);
    c->speaker_kind = col_enum(r, row, 49, ds_kind_names, DS_KIND__COUNT);
    c->verb = pg_text(r, row, 50);
    c->relays_json = pg_text(r, row, 51);
}

/* ---- transactions ------------------------------------------------------- */
static dossier_status pg_begin(ds_store *b)
{
    pg_store *s = (pg_store *)b;
    dossier_status st = pg_command(s, "BEGIN", "begin");
    if (st != DOSSIER_OK) return st;
    s->in_txn = true;
    s->base.epoch++;   /* other workers may have written since the last one */
    /* one writer at a time stores, clusters and links (see the top) */
    pgp p = {0};
    pgp_int(&p, PG_LOCK_INGEST);
    st = pg_run(s, P_LOCK, &p, "waiting for the ingest lock");
    if (st == DOSSIER_OK && PQenterPipelineMode(s->conn) == 1) {
        s->pipeline = true;
        s->pending = 0;
    }
    if (st != DOSSIER_OK) {
        pg_command(s, "ROLLBACK", "rollback");
        s->in_txn = false;
    }
    return st;
}

/* Leave pipeline mode, reading what is outstanding. */
static dossier_status pl_end(pg_store *s, const char *what)
{
    if (!s->pipeline) return DOSSIER_OK;
    dossier_status st = pl_drain(s, NULL, what);
    PQexitPipelineMode(s->conn);
    s->pipeline = false;
    return st;
}

static dossier_status pg_commit(ds_store *b)
{
    pg_store *s = (pg_store *)b;
    dossier_status st = pl_end(s, "commit");
    if (st != DOSSIER_OK) {
        pg_command(s, "ROLLBACK", "rollback");
        s->in_txn = false;
        return st;
    }
    /* COMMIT of a failed transaction reports ROLLBACK, not an error: check */
    PGresult *r = PQexec(s->conn, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) st = pg_fail(s, r, "commit");
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        snprintf(s->base.err, sizeof s->base.err, "commit: the transaction was rolled back");
        st = DOSSIER_EDB;
    }
    PQclear(r);
    s->in_txn = false;
    return st;
}

static dossier_status pg_rollback(ds_store *b)
{
    pg_store *s = (pg_store *)b;
    s->in_txn = false;
    if (s->pipeline) {
        char keep[sizeof s->base.err];
        memcpy(keep, s->base.err, sizeof keep);
        pl_end(s, "rollback");
        memcpy(s->base.err, keep, sizeof keep);
    }
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE) return DOSSIER_OK;
    return pg_command(s, "ROLLBACK", "rollback");
}

static void pg_close(ds_store *b)
{
    pg_store *s = (pg_store *)b;
    if (!s) return;
    if (s->conn) {
        if (s->in_txn) pg_rollback(b);
        PQfinish(s->conn);
    }
    ds_free(s);
}

/* ---- opening ------------------------------------------------------------ */
static const ds_store_ops pg_ops = {
    .name = "postgres",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .has_doc = pg_has_doc,
    .put_doc = pg_put_doc,
    .doc_candidates = pg_doc_candidates,
    .doc_lsh_put = pg_doc_lsh_put,
    .origin_cluster = pg_origin_cluster,
    .new_cluster = pg_new_cluster,
    .merge_clusters = pg_merge_clusters,
    .cluster_incidents = pg_cluster_incidents,
    .incident_candidates = pg_incident_candidates,
    .get_incident = pg_get_incident,
    .incident_put = pg_incident_put,
    .incident_add_keys = pg_incident_add_keys,
    .incident_claims = pg_incident_claims,
    .incident_facts = pg_incident_facts,
    .mirror_put = pg_mirror_put,
    .incident_mirrors = pg_incident_mirrors,
    .query_incidents = pg_query_incidents,
    .incident_days = pg_incident_days,
    .get_doc = pg_get_doc,
    .doc_claims = pg_doc_claims,
    .cluster_docs = pg_cluster_docs,
    .search = pg_search,
    .search_recent = pg_search_recent,
    .stats = pg_stats,
};

bool ds_store_is_pg(const ds_store *s) { return s && s->ops == &pg_ops; }

/* Schema version: 0 when the database has no dossier schema. */
static int schema_version(pg_store *s, dossier_status *st)
{
    *st = DOSSIER_OK;
    PGresult *r = PQexec(s->conn, "SELECT to_regclass('schema_version') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *st = pg_fail(s, r, "reading schema");
        PQclear(r);
        return -1;
    }
    bool have = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!have) return 0;
    r = PQexec(s->conn, "SELECT coalesce(max(version),0) FROM schema_version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *st = pg_fail(s, r, "reading schema version");
        PQclear(r);
        return -1;
    }
    int v = (int)pg_i64(r, 0, 0);
    PQclear(r);
    return v;
}

/* Migration 2, C part: file every stored document under the new LSH bands. */
static dossier_status refile_doc_bands(pg_store *s)
{
    dossier_status r;
    PGresult *res = pg_exec(s, P_DOC_MINHASHES, NULL, &r, "migrating document signatures");
    if (!res) return r;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        uint32_t m[DS_DOC_SIG];
        uint64_t bands[DS_DOC_BANDS];
        if (!pg_bytes(res, k, 1, m, sizeof m)) continue;
        ds_doc_bands(m, bands);
        r = pg_doc_lsh_put(&s->base, pg_i64(res, k, 0), bands, DS_DOC_BANDS);
    }
    PQclear(res);
    return r;
}

static dossier_status migrate(pg_store *s)
{
    dossier_status st = pg_command(s, "BEGIN", "migrating");
    if (st != DOSSIER_OK) return st;
    /* one process migrates; the others wait and then find it done */
    pgp p = {0};
    pgp_int(&p, PG_LOCK_MIGRATE);
    st = pg_run(s, P_LOCK, &p, "migrating");
    int from = st == DOSSIER_OK ? schema_version(s, &st) : 0;
    if (st == DOSSIER_OK && from == 0)
        st = pg_command(s,
                        "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL,"
                        " applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC',"
                        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                        "creating schema");
    for (int v = from; st == DOSSIER_OK && v < DS_SCHEMA_VERSION; v++) {
        st = pg_command(s, pg_migrations[v], "migrating schema");
        if (st == DOSSIER_OK && v + 1 == 2) st = refile_doc_bands(s);
        if (st != DOSSIER_OK) break;
        const char *val[1];
        char num[16];
        snprintf(num, sizeof num, "%d", v + 1);
        val[0] = num;
        PGresult *r = PQexecParams(s->conn, "INSERT INTO schema_version(version) VALUES($1::int)",
                                   1, NULL, val, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) st = pg_fail(s, r, "migrating schema");
        PQclear(r);
    }
    if (st == DOSSIER_OK) return pg_command(s, "COMMIT", "migrating");
    pg_command(s, "ROLLBACK", "migrating");
    return st;
}

static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

dossier_status ds_store_pg_open(const char *uri, int flags, ds_store **out, char *err,
                                size_t errlen)
{
    *out = NULL;
    pg_store *s = ds_calloc(1, sizeof *s);
    if (!s) return DOSSIER_ENOMEM;
    s->base.ops = &pg_ops;
    s->base.readonly = flags & DS_STORE_READONLY;
    dossier_status st = DOSSIER_OK;
    s->conn = PQconnectdb(uri);
    if (!s->conn) {
        ds_free(s);
        return DOSSIER_ENOMEM;
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        st = pg_fail(s, NULL, "cannot connect to PostgreSQL");
        goto fail;
    }
    PQsetNoticeProcessor(s->conn, quiet_notices, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        st = pg_fail(s, NULL, "setting client encoding");
        goto fail;
    }
    int v = schema_version(s, &st);
    if (st != DOSSIER_OK) goto fail;
    if (v > DS_SCHEMA_VERSION) {
        st = DOSSIER_ESCHEMA;
        snprintf(s->base.err, sizeof s->base.err,
                 "%s: schema version %d is newer than this dossier (%d); upgrade dossier",
                 PQdb(s->conn), v, DS_SCHEMA_VERSION);
        goto fail;
    }
    if (flags & DS_STORE_READONLY) {
        if (v < DS_SCHEMA_VERSION) {
            st = v == 0 ? DOSSIER_ENOTFOUND : DOSSIER_ESCHEMA;
            snprintf(s->base.err, sizeof s->base.err,
                     v == 0 ? "%s: empty database (run dossier ingest first)"
                            : "%s: schema version %d is older than %d; run dossier ingest to "
                              "migrate",
                     PQdb(s->conn), v, DS_SCHEMA_VERSION);
            goto fail;
        }
        st = pg_command(s, "SET default_transaction_read_only=on", "opening read-only");
        if (st != DOSSIER_OK) goto fail;
    } else if (v < DS_SCHEMA_VERSION) {
        if (v == 0 && (flags & DS_STORE_NOCREATE)) {
            st = DOSSIER_ENOTFOUND;
            snprintf(s->base.err, sizeof s->base.err, "%s: no dossier schema", PQdb(s->conn));
            goto fail;
        }
        st = migrate(s);
        if (st != DOSSIER_OK) goto fail;
    }
    *out = &s->base;
    return DOSSIER_OK;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", s->base.err);
    pg_close(&s->base);
    return st;
}
