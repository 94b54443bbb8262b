/*
 * store_pg_queue.c — the work queue (queue.h) on PostgreSQL: the table
 * work_queue (store_pg_sql.c), leased with UPDATE … WHERE id IN (SELECT …
 * FOR UPDATE SKIP LOCKED) so concurrent workers never wait for each other's
 * rows, and finished inside the ingest transaction.
 */
#include "queue.h"
#include "store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pg_store *pg_of(ds_store *s)
{
    if (ds_store_is_pg(s)) return (pg_store *)s;
    snprintf(s->err, sizeof s->err,
             "the work queue needs a PostgreSQL database (--db postgres://…), not %s",
             s->ops->name);
    return NULL;
}

dossier_status ds_queue_begin(ds_store *b)
{
    pg_store *s = pg_of(b);
    return s ? pg_command(s, "BEGIN", "begin") : DOSSIER_EINVAL;
}

dossier_status ds_queue_commit(ds_store *b)
{
    pg_store *s = pg_of(b);
    return s ? pg_command(s, "COMMIT", "commit") : DOSSIER_EINVAL;
}

dossier_status ds_queue_put(ds_store *b, const dossier_input *in, int64_t *id)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    pgp p = {0};
    pgp_text(&p, in->path);
    pgp_text(&p, in->url);
    pgp_int(&p, in->format);
    pgp_text(&p, in->title);
    pgp_text(&p, in->published);
    pgp_text(&p, in->outlet);
    pgp_text(&p, in->byline);
    pgp_text(&p, in->extra_json);
    pgp_raw(&p, in->bytes, in->len);
    if (in->id_bytes) pgp_raw(&p, in->id_bytes, in->id_len);
    else pgp_null(&p);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_PUT, &p, &st, "enqueueing");
    if (!r) return st;
    if (id && PQntuples(r)) *id = pg_i64(r, 0, 0);
    PQclear(r);
    return DOSSIER_OK;
}

/* bytea text output "\x…" decoded into a new buffer (libpq's result must
 * not be written to); NULL on ENOMEM */
static unsigned char *unhex(const char *v, size_t *len)
{
    size_t hn = v && v[0] == '\\' && v[1] == 'x' ? strlen(v + 2) / 2 : 0;
    unsigned char *o = ds_malloc(hn + 1);
    if (!o) return NULL;
    for (size_t i = 0; i < hn; i++) {
        const char *h = v + 2 + 2 * i;
        int a = h[0] <= '9' ? h[0] - '0' : h[0] - 'a' + 10;
        int c = h[1] <= '9' ? h[1] - '0' : h[1] - 'a' + 10;
        o[i] = (unsigned char)(a << 4 | c);
    }
    o[hn] = 0;
    *len = hn;
    return o;
}

dossier_status ds_queue_lease(ds_store *b, const char *worker, int n, double lease_seconds,
                              int max_attempts, ds_queue_item_cb cb, void *user)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    pgp e = {0};
    pgp_int(&e, max_attempts > 0 ? max_attempts : 3);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_EXPIRE, &e, &st, "expiring leases");
    if (!r) return st;
    PQclear(r);
    pgp p = {0};
    pgp_text(&p, worker);
    pgp_dbl(&p, lease_seconds);
    pgp_int(&p, n);
    r = pg_exec(s, P_Q_LEASE, &p, &st, "leasing work");
    if (!r) return st;
    for (int k = 0; k < PQntuples(r) && st == DOSSIER_OK; k++) {
        ds_queue_item it = {0};
        it.id = pg_i64(r, k, 0);
        it.in.path = pg_text(r, k, 1);
        it.in.url = pg_text(r, k, 2);
        it.in.format = (dossier_format)pg_i64(r, k, 3);
        it.in.title = pg_text(r, k, 4);
        it.in.published = pg_text(r, k, 5);
        it.in.outlet = pg_text(r, k, 6);
        it.in.byline = pg_text(r, k, 7);
        it.in.extra_json = pg_text(r, k, 8);
        unsigned char *bytes = unhex(PQgetvalue(r, k, 9), &it.in.len), *idb = NULL;
        if (bytes && !pg_null(r, k, 10)) {
            idb = unhex(PQgetvalue(r, k, 10), &it.in.id_len);
            if (!idb) {
                ds_free(bytes);
                bytes = NULL;
            }
        }
        if (!bytes) {
            st = DOSSIER_ENOMEM;
            break;
        }
        it.in.bytes = bytes;
        it.in.id_bytes = idb;
        it.attempts = (int)pg_i64(r, k, 11);
        st = cb(&it, user);
        ds_free(bytes);
        ds_free(idb);
    }
    PQclear(r);
    return st;
}

dossier_status ds_queue_hold(ds_store *b, const char *worker, const int64_t *ids, size_t n,
                             bool *owned)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    for (size_t i = 0; i < n; i++) owned[i] = false;
    ds_buf arr = {0};
    ds_buf_putc(&arr, '{');
    for (size_t i = 0; i < n; i++) ds_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
    ds_buf_putc(&arr, '}');
    if (!ds_buf_cstr(&arr)) return DOSSIER_ENOMEM;
    pgp p = {0};
    pgp_text(&p, arr.p);
    pgp_text(&p, worker);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_HOLD, &p, &st, "holding leased work");
    ds_buf_free(&arr);
    if (!r) return st;
    for (int k = 0; k < PQntuples(r); k++) {
        int64_t id = pg_i64(r, k, 0);
        for (size_t i = 0; i < n; i++)
            if (ids[i] == id) owned[i] = true;
    }
    PQclear(r);
    return DOSSIER_OK;
}

dossier_status ds_queue_finish(ds_store *b, const char *worker, int64_t id, bool ok,
                               const char *doc_id, const char *result, const char *error)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    pgp p = {0};
    pgp_int(&p, id);
    pgp_text(&p, worker);
    pgp_text(&p, ok ? "done" : "failed");
    pgp_text(&p, doc_id);
    pgp_text(&p, result);
    pgp_text(&p, error);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_FINISH, &p, &st, "finishing work");
    if (!r) return st;
    bool hit = atoi(PQcmdTuples(r)) == 1;
    PQclear(r);
    if (!hit) {
        snprintf(b->err, sizeof b->err, "queue item %lld is no longer leased by %s",
                 (long long)id, worker);
        return DOSSIER_EBUSY;
    }
    return DOSSIER_OK;
}

dossier_status ds_queue_release(ds_store *b, const char *worker, const int64_t *ids, size_t n)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    ds_buf arr = {0};
    ds_buf_putc(&arr, '{');
    for (size_t i = 0; i < n; i++) ds_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
    ds_buf_putc(&arr, '}');
    if (!ds_buf_cstr(&arr)) return DOSSIER_ENOMEM;
    pgp p = {0};
    pgp_text(&p, arr.p);
    pgp_text(&p, worker);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_RELEASE, &p, &st, "releasing work");
    ds_buf_free(&arr);
    PQclear(r);
    return st;
}

bool ds_queue_connected(ds_store *b)
{
    return ds_store_is_pg(b) && PQstatus(((pg_store *)b)->conn) == CONNECTION_OK;
}

dossier_status ds_queue_counts_get(ds_store *b, ds_queue_counts *out)
{
    memset(out, 0, sizeof *out);
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_COUNTS, NULL, &st, "reading the queue");
    if (!r) return st;
    out->pending = pg_i64(r, 0, 0);
    out->leased = pg_i64(r, 0, 1);
    out->expired = pg_i64(r, 0, 2);
    out->done = pg_i64(r, 0, 3);
    out->failed = pg_i64(r, 0, 4);
    out->already_stored = pg_i64(r, 0, 5);
    out->retried = pg_i64(r, 0, 6);
    PQclear(r);
    r = pg_exec(s, P_Q_RATE, NULL, &st, "reading the queue");
    if (!r) return st;
    out->done_last_minute = pg_i64(r, 0, 0);
    out->finished = pg_i64(r, 0, 1);
    out->span_seconds = pg_dbl(r, 0, 2);
    PQclear(r);
    return DOSSIER_OK;
}

dossier_status ds_queue_failures(ds_store *b, int limit,
                                 dossier_status (*cb)(const char *, int64_t, const char *,
                                                      void *),
                                 void *user)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    pgp p = {0};
    pgp_int(&p, limit);
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_FAILURES, &p, &st, "reading failures");
    if (!r) return st;
    for (int k = 0; k < PQntuples(r) && st == DOSSIER_OK; k++)
        st = cb(pg_text(r, k, 0), pg_i64(r, k, 1), pg_text(r, k, 2), user);
    PQclear(r);
    return st;
}

dossier_status ds_queue_workers(ds_store *b,
                                dossier_status (*cb)(const char *, int64_t, double, void *),
                                void *user)
{
    pg_store *s = pg_of(b);
    if (!s) return DOSSIER_EINVAL;
    dossier_status st;
    PGresult *r = pg_exec(s, P_Q_WORKERS, NULL, &st, "reading workers");
    if (!r) return st;
    for (int k = 0; k < PQntuples(r) && st == DOSSIER_OK; k++)
        st = cb(pg_text(r, k, 0), pg_i64(r, k, 1), pg_dbl(r, k, 2), user);
    PQclear(r);
    return st;
}
