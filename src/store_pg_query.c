/*
 * store_pg_query.c — read side of the PostgreSQL backend: incident queries
 * (filters are parameters of one statement; keyset pages of PAGE rows so an
 * export of millions of incidents stays in bounded memory), documents,
 * full-text search and statistics.
 *
 * Search takes the same query language as the SQLite backend (FTS5 syntax:
 * words, "phrases", prefix*, AND, OR, NOT, parentheses) and translates it to
 * a tsquery (pg_fts_to_tsquery): no library parses FTS5 syntax for
 * PostgreSQL, and websearch_to_tsquery() reads AND/NOT as words.
 */
#include "store_pg.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 2000

dossier_status pg_query_incidents(ds_store *b, const ds_incident_filter *f, ds_incident_cb cb,
                                  void *user)
{
    pg_store *s = (pg_store *)b;
    if (f->id) {   /* one incident: the id lookup */
        ds_incident inc;
        dossier_status r = b->ops->get_incident(b, f->id, &inc);
        if (r == DOSSIER_ENOTFOUND) return DOSSIER_OK;
        return r == DOSSIER_OK ? cb(&inc, user) : r;
    }
    /* near: SQL selects a box, the distance is tested here, so the page
     * (offset, limit) counts the incidents within the distance, here too */
    int64_t left = f->limit > 0 ? f->limit : -1;
    int64_t skip = f->near && f->offset > 0 ? f->offset : 0;
    bool have_key = false;
    int64_t key_null = 0, key_day = 0, key_id = 0;
    dossier_status r = DOSSIER_OK;
    for (bool first = true;; first = false) {
        int64_t page = f->near || left < 0 || left > PAGE ? PAGE : left;
        pgp p = {0};
        pgp_text(&p, f->type ? ds_event_names[f->type] : NULL);
        pgp_text(&p, f->country);
        pgp_text(&p, f->source_country);
        pgp_int(&p, (int)f->ihl);
        pgp_text(&p, f->modality ? ds_modality_names[f->modality] : NULL);
        pgp_int(&p, f->since);
        pgp_int(&p, f->until);
        pgp_int(&p, f->near);
        if (f->near) {
            double dlat = f->km / 111.0;
            double c = cos(f->lat * M_PI / 180.0);
            double dlon = f->km / (111.0 * (c > 0.01 ? c : 0.01));
            pgp_dbl(&p, f->lat - dlat);
            pgp_dbl(&p, f->lat + dlat);
            pgp_dbl(&p, f->lon - dlon);
            pgp_dbl(&p, f->lon + dlon);
        } else {
            for (int k = 0; k < 4; k++) pgp_null(&p);
        }
        pgp_int(&p, f->min_origins);
        pgp_int(&p, f->id);
        pgp_int(&p, page);
        pgp_int(&p, first && !f->near && f->offset > 0 ? f->offset : 0);
        if (have_key) {
            pgp_int(&p, key_null);
            pgp_int(&p, key_day);
            pgp_int(&p, key_id);
        } else {
            pgp_null(&p), pgp_null(&p), pgp_null(&p);
        }
        PGresult *res = pg_exec(s, P_QUERY_INCIDENTS, &p, &r, "querying incidents");
        if (!res) return r;
        int n = PQntuples(res);
        for (int k = 0; k < n && r == DOSSIER_OK && left != 0; k++) {
            ds_incident inc;
            pg_read_incident(res, k, &inc);
            if (k == n - 1) {
                have_key = true;
                key_null = pg_null(res, k, 2);
                key_day = inc.day;
                key_id = inc.id;
            }
            if (f->near && ds_km(f->lat, f->lon, inc.lat, inc.lon) > f->km) continue;
            if (skip) {
                skip--;
                continue;
            }
            if (left > 0) left--;
            r = cb(&inc, user);
        }
        PQclear(res);
        if (r != DOSSIER_OK || n < page || left == 0) break;
    }
    return r;
}

static void read_doc(const PGresult *res, int k, ds_doc_row *d)
{
    memset(d, 0, sizeof *d);
    d->id = pg_i64(res, k, 0);
    d->doc_id = pg_text(res, k, 1);
    d->path = pg_text(res, k, 2);
    d->url = pg_text(res, k, 3);
    d->title = pg_text(res, k, 4);
    d->outlet = pg_text(res, k, 5);
    d->published = pg_text(res, k, 6);
    d->byline = pg_text(res, k, 7);
    d->origin = pg_text(res, k, 8);
    d->platform = pg_text(res, k, 9);
    d->lang = pg_text(res, k, 10);
    d->format = pg_text(res, k, 11);
    d->flags = pg_text(res, k, 12);
    d->extra = pg_text(res, k, 13);
    d->text = pg_text(res, k, 14);
    d->dropped_lines = pg_text(res, k, 15);
    d->dropped_boilerplate = (int)pg_i64(res, k, 16);
    d->dropped_duplicate = (int)pg_i64(res, k, 17);
    d->cluster = pg_i64(res, k, 18);
    d->nsentences = (int)pg_i64(res, k, 19);
    d->nclaims = (int)pg_i64(res, k, 20);
    d->cluster_label = pg_text(res, k, 21);
    d->cluster_size = (int)pg_i64(res, k, 22);
}

static dossier_status each_doc(PGresult *res, ds_doc_row_cb cb, void *user)
{
    dossier_status r = DOSSIER_OK;
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        ds_doc_row d;
        read_doc(res, k, &d);
        r = cb(&d, user);
    }
    PQclear(res);
    return r;
}

static bool all_hex(const char *p)
{
    for (; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

dossier_status pg_get_doc(ds_store *b, const char *id, ds_doc_row_cb cb, void *user)
{
    pg_store *s = (pg_store *)b;
    pgp p = {0};
    PGresult *res;
    dossier_status r;
    char key[80];
    if (id[0] == '#') {
        pgp_int(&p, strtoll(id + 1, NULL, 10));
        res = pg_exec(s, P_DOC_BY_ROWID, &p, &r, "reading document");
    } else {
        const char *hex = strncmp(id, "sha256:", 7) == 0 ? id + 7 : id;
        if (strlen(hex) < 4 || strlen(hex) > 64 || !all_hex(hex)) {
            snprintf(b->err, sizeof b->err,
                     "'%s' is not a document id (sha256:HEX, a prefix of 4+ hex digits, or #N)",
                     id);
            return DOSSIER_EINVAL;
        }
        snprintf(key, sizeof key, "sha256:%s", hex);
        pgp_text(&p, key);
        res = pg_exec(s, P_DOC_BY_PREFIX, &p, &r, "reading document");
        if (res && PQntuples(res) > 1) {
            PQclear(res);
            snprintf(b->err, sizeof b->err, "document prefix '%s' is ambiguous", id);
            return DOSSIER_EINVAL;
        }
    }
    if (!res) return r;
    if (PQntuples(res) == 0) {
        PQclear(res);
        snprintf(b->err, sizeof b->err, "no document '%s'", id);
        return DOSSIER_ENOTFOUND;
    }
    return each_doc(res, cb, user);
}

dossier_status pg_cluster_docs(ds_store *b, int64_t cluster, ds_doc_row_cb cb, void *user)
{
    pgp p = {0};
    pgp_int(&p, cluster);
    dossier_status r;
    PGresult *res = pg_exec((pg_store *)b, P_CLUSTER_DOCS, &p, &r, "reading documents");
    return res ? each_doc(res, cb, user) : r;
}

/* ---- FTS5 syntax → tsquery --------------------------------------------- */
typedef struct fts {
    const char *p;
    ds_buf *out;
    char *err;
    size_t errlen;
    bool need_op;   /* an operand was just written: the next operand is ANDed */
    int depth;
} fts;

/* A word as a quoted tsquery lexeme ('it''s'); prefix adds :* */
static void lexeme(ds_buf *o, const char *w, size_t n, bool prefix)
{
    ds_buf_putc(o, '\'');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '\'' || w[i] == '\\') ds_buf_putc(o, w[i]);
        ds_buf_putc(o, w[i]);
    }
    ds_buf_putc(o, '\'');
    if (prefix) ds_buf_puts(o, ":*");
}

static bool word_char(unsigned char c)
{
    return c >= 0x80 || isalnum(c) || c == '_' || c == '-' || c == '\'';
}

bool pg_fts_to_tsquery(const char *q, ds_buf *out, char *err, size_t errlen)
{
    fts f = {q, out, err, errlen, false, 0};
    bool any = false, pending_not = false;
    const char *p = q;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            p++;
            continue;
        }
        if (c == '(') {
            if (f.need_op) ds_buf_puts(out, " & ");
            if (pending_not) ds_buf_putc(out, '!'), pending_not = false;
            ds_buf_putc(out, '(');
            f.depth++;
            f.need_op = false;
            p++;
            continue;
        }
        if (c == ')') {
            if (f.depth == 0 || !f.need_op) {
                snprintf(err, errlen, "unbalanced or empty parentheses");
                return false;
            }
            ds_buf_putc(out, ')');
            f.depth--;
            p++;
            continue;
        }
        /* operators: upper case only, as FTS5 */
        size_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n]) && p[n] != '(' && p[n] != ')' &&
               p[n] != '"')
            n++;
        if ((n == 3 && !strncmp(p, "AND", 3)) || (n == 2 && !strncmp(p, "OR", 2)) ||
            (n == 3 && !strncmp(p, "NOT", 3))) {
            if (!f.need_op) {
                snprintf(err, errlen, "'%.*s' needs a term before it", (int)n, p);
                return false;
            }
            if (p[0] == 'O') ds_buf_puts(out, " | ");
            else ds_buf_puts(out, " & ");
            if (p[0] == 'N') pending_not = true;
            f.need_op = false;
            p += n;
            continue;
        }
        if (f.need_op) ds_buf_puts(out, " & ");
        if (pending_not) ds_buf_putc(out, '!'), pending_not = false;
        if (c == '"') {
            /* phrase: words in order, adjacent */
            const char *e = strchr(p + 1, '"');
            if (!e) {
                snprintf(err, errlen, "unterminated \"phrase\"");
                return false;
            }
            ds_buf_putc(out, '(');
            int words = 0;
            for (const char *w = p + 1; w < e;) {
                while (w < e && !word_char((unsigned char)*w)) w++;
                const char *ws = w;
                while (w < e && word_char((unsigned char)*w)) w++;
                if (w > ws) {
                    if (words++) ds_buf_puts(out, " <-> ");
                    lexeme(out, ws, (size_t)(w - ws), false);
                }
            }
            if (!words) {
                snprintf(err, errlen, "empty \"phrase\"");
                return false;
            }
            ds_buf_putc(out, ')');
            p = e + 1;
            if (*p == '*') p++;
        } else {
            bool prefix = n > 1 && p[n - 1] == '*';
            size_t wn = prefix ? n - 1 : n;
            /* a bare term of punctuation only is no word */
            size_t letters = 0;
            for (size_t i = 0; i < wn; i++) letters += word_char((unsigned char)p[i]) != 0;
            if (!letters) {
                snprintf(err, errlen, "'%.*s' is not a search term", (int)n, p);
                return false;
            }
            ds_buf_putc(out, '(');
            int words = 0;
            for (size_t i = 0; i < wn;) {
                while (i < wn && !word_char((unsigned char)p[i])) i++;
                size_t ws = i;
                while (i < wn && word_char((unsigned char)p[i])) i++;
                if (i > ws) {
                    if (words++) ds_buf_puts(out, " <-> ");
                    lexeme(out, p + ws, i - ws, prefix && i == wn);
                }
            }
            ds_buf_putc(out, ')');
            p += n;
        }
        f.need_op = true;
        any = true;
    }
    if (!any) {
        snprintf(err, errlen, "empty query");
        return false;
    }
    if (!f.need_op || f.depth) {
        snprintf(err, errlen, f.depth ? "unbalanced parentheses" : "query ends with an operator");
        return false;
    }
    return ds_buf_cstr(out) != NULL;
}

static dossier_status search_with(ds_store *b, int stmt, const char *query, int64_t limit,
                                  ds_hit_cb cb, void *user);

dossier_status pg_search(ds_store *b, const char *query, int64_t limit, ds_hit_cb cb,
                         void *user)
{
    return search_with(b, P_SEARCH, query, limit, cb, user);
}

dossier_status pg_search_recent(ds_store *b, const char *query, int64_t limit, ds_hit_cb cb,
                                void *user)
{
    return search_with(b, P_SEARCH_RECENT, query, limit, cb, user);
}

/* Incidents per day and type: the filtered incidents come in day order from
 * pg_query_incidents (keyset pages), counted here as each day ends. */
typedef struct days_ctx {
    ds_day_count_cb cb;
    void *user;
    int32_t day;
    int64_t counts[DS_EV__COUNT];
} days_ctx;

static dossier_status days_flush(days_ctx *d)
{
    dossier_status r = DOSSIER_OK;
    for (int k = 1; r == DOSSIER_OK && d->day > 0 && k < DS_EV__COUNT; k++)
        if (d->counts[k]) r = d->cb(d->day, (ds_event_type)k, d->counts[k], d->user);
    memset(d->counts, 0, sizeof d->counts);
    return r;
}

static dossier_status days_on_incident(const ds_incident *inc, void *user)
{
    days_ctx *d = user;
    if (inc->day <= 0) return DOSSIER_OK;
    if (inc->day != d->day) {
        dossier_status r = days_flush(d);
        if (r != DOSSIER_OK) return r;
        d->day = inc->day;
    }
    d->counts[inc->type]++;
    return DOSSIER_OK;
}

dossier_status pg_incident_days(ds_store *b, const ds_incident_filter *f, ds_day_count_cb cb,
                                void *user)
{
    ds_incident_filter all = *f;
    all.limit = 0;
    all.offset = 0;
    days_ctx d = {cb, user, 0, {0}};
    dossier_status r = pg_query_incidents(b, &all, days_on_incident, &d);
    return r == DOSSIER_OK ? days_flush(&d) : r;
}

static dossier_status search_with(ds_store *b, int stmt, const char *query, int64_t limit,
                                  ds_hit_cb cb, void *user)
{
    pg_store *s = (pg_store *)b;
    ds_buf tq = {0};
    char why[200];
    if (!pg_fts_to_tsquery(query, &tq, why, sizeof why)) {
        ds_buf_free(&tq);
        snprintf(b->err, sizeof b->err, "bad search query '%s': %s", query, why);
        return DOSSIER_EINVAL;
    }
    pgp p = {0};
    pgp_text(&p, tq.p);
    if (limit > 0) pgp_int(&p, limit);
    else pgp_null(&p);
    dossier_status r;
    PGresult *res = pg_exec(s, stmt, &p, &r, "search");
    ds_buf_free(&tq);
    if (!res) {
        if (r == DOSSIER_EDB && !strncmp(s->sqlstate, "42", 2)) {
            snprintf(b->err, sizeof b->err, "bad search query '%s'", query);
            r = DOSSIER_EINVAL;
        }
        return r;
    }
    for (int k = 0; k < PQntuples(res) && r == DOSSIER_OK; k++) {
        ds_search_hit h = {0};
        h.sentence_id = pg_i64(res, k, 0);
        h.doc = pg_i64(res, k, 1);
        h.doc_id = pg_text(res, k, 2);
        h.outlet = pg_text(res, k, 3);
        h.title = pg_text(res, k, 4);
        h.published = pg_text(res, k, 5);
        h.sentence_i = (int)pg_i64(res, k, 6);
        h.snippet = pg_text(res, k, 7);
        h.claim = pg_i64(res, k, 8);
        h.incident = pg_i64(res, k, 9);
        const char *t = pg_text(res, k, 10);
        h.claim_type = t ? ds_enum_parse(ds_event_names, DS_EV__COUNT, t, strlen(t)) : 0;
        r = cb(&h, user);
    }
    PQclear(res);
    return r;
}

dossier_status pg_stats(ds_store *b, ds_store_stats *out)
{
    memset(out, 0, sizeof *out);
    dossier_status r;
    PGresult *res = pg_exec((pg_store *)b, P_STATS, NULL, &r, "statistics");
    if (!res) return r;
    out->docs = pg_i64(res, 0, 0);
    out->sentences = pg_i64(res, 0, 1);
    out->claims = pg_i64(res, 0, 2);
    out->incidents = pg_i64(res, 0, 3);
    out->clusters = pg_i64(res, 0, 4);
    out->mirrors = pg_i64(res, 0, 5);
    out->schema_version = (int)pg_i64(res, 0, 6);
    PQclear(res);
    return DOSSIER_OK;
}
