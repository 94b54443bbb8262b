/*
 * store_sqlite_query.c — read side of the SQLite backend: incident queries
 * with filters, documents, full-text search over sentences, statistics, and
 * the row readers shared with store_sqlite.c.
 *
 * Filters are bound parameters of one fixed statement each ("?N IS NULL OR
 * column = ?N"), never SQL assembled from user text.
 */
#include "store_sqlite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    ds_copy_text(dst, cap, col_text(st, i));
}

static int col_enum(sqlite3_stmt *st, int i, const char *const *names, int count)
{
    const char *v = col_text(st, i);
    return v ? ds_enum_parse(names, count, v, strlen(v)) : 0;
}

void sq_read_incident(sqlite3_stmt *st, int c, ds_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->id = sqlite3_column_int64(st, c + 0);
    inc->type = col_enum(st, c + 1, ds_event_names, DS_EV__COUNT);
    inc->day = sqlite3_column_int(st, c + 2);
    inc->day_lo = sqlite3_column_int(st, c + 3);
    inc->day_hi = sqlite3_column_int(st, c + 4);
    col_copy(st, c + 5, inc->date, sizeof inc->date);
    col_copy(st, c + 6, inc->place, sizeof inc->place);
    col_copy(st, c + 7, inc->admin1, sizeof inc->admin1);
    col_copy(st, c + 8, inc->country, sizeof inc->country);
    inc->has_coord = sqlite3_column_type(st, c + 9) != SQLITE_NULL;
    inc->lat = sqlite3_column_double(st, c + 9);
    inc->lon = sqlite3_column_double(st, c + 10);
    inc->precision = col_enum(st, c + 11, ds_place_precision_names, 5);
    col_copy(st, c + 12, inc->actor, sizeof inc->actor);
    col_copy(st, c + 13, inc->target, sizeof inc->target);
    col_copy(st, c + 14, inc->actor_country, sizeof inc->actor_country);
    col_copy(st, c + 15, inc->target_country, sizeof inc->target_country);
    inc->status = col_enum(st, c + 16, ds_status_names, DS_STATUS__COUNT);
    inc->site = col_enum(st, c + 17, ds_site_names, DS_SITE__COUNT);
    inc->nclaims = sqlite3_column_int(st, c + 18);
    inc->ndocs = sqlite3_column_int(st, c + 19);
    inc->norigins = sqlite3_column_int(st, c + 20);
    col_copy(st, c + 21, inc->source_countries, sizeof inc->source_countries);
    inc->strongest = col_enum(st, c + 22, ds_modality_names, DS_MOD__COUNT);
    inc->weakest = col_enum(st, c + 23, ds_modality_names, DS_MOD__COUNT);
    inc->confirmed = sqlite3_column_int(st, c + 24);
    inc->disputed = sqlite3_column_int(st, c + 25);
    inc->ihl = (unsigned)sqlite3_column_int(st, c + 26);
    inc->fatalities =
        sqlite3_column_type(st, c + 27) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, c + 27);
    col_copy(st, c + 28, inc->summary, sizeof inc->summary);
    const void *sig = sqlite3_column_blob(st, c + 29);
    if (sig && sqlite3_column_bytes(st, c + 29) == (int)sizeof inc->sig)
        memcpy(inc->sig, sig, sizeof inc->sig);
    inc->nmirrors = sqlite3_column_int(st, c + 30);
}

void sq_read_claim(sqlite3_stmt *st, ds_claim_row *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->doc = sqlite3_column_int64(st, 1);
    c->cluster = sqlite3_column_int64(st, 2);
    c->incident = sqlite3_column_int64(st, 3);
    c->doc_id = col_text(st, 4);
    c->outlet = col_text(st, 5);
    c->title = col_text(st, 6);
    c->published = col_text(st, 7);
    c->path = col_text(st, 8);
    c->sentence_i = sqlite3_column_int(st, 9);
    c->sentence = col_text(st, 10);
    c->type = col_enum(st, 11, ds_event_names, DS_EV__COUNT);
    c->mode = col_enum(st, 12, ds_mode_names, DS_MODE__COUNT);
    c->lethal = sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 13);
    c->actor = col_text(st, 14);
    c->target = col_text(st, 15);
    c->speaker = col_text(st, 16);
    c->relay = col_text(st, 17);
    col_copy(st, 18, c->actor_country, sizeof c->actor_country);
    col_copy(st, 19, c->target_country, sizeof c->target_country);
    col_copy(st, 20, c->speaker_country, sizeof c->speaker_country);
    col_copy(st, 21, c->relay_country, sizeof c->relay_country);
    c->actor_role = col_enum(st, 22, ds_role_names, DS_ROLE__COUNT);
    c->target_role = col_enum(st, 23, ds_role_names, DS_ROLE__COUNT);
    c->speaker_role = col_enum(st, 24, ds_role_names, DS_ROLE__COUNT);
    c->relay_role = col_enum(st, 25, ds_role_names, DS_ROLE__COUNT);
    c->status = col_enum(st, 26, ds_status_names, DS_STATUS__COUNT);
    c->site = col_enum(st, 27, ds_site_names, DS_SITE__COUNT);
    c->count_value =
        sqlite3_column_type(st, 28) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 28);
    c->place = col_text(st, 29);
    c->place_name = col_text(st, 30);
    c->admin1 = col_text(st, 31);
    col_copy(st, 32, c->country, sizeof c->country);
    c->has_coord = sqlite3_column_type(st, 33) != SQLITE_NULL;
    c->lat = sqlite3_column_double(st, 33);
    c->lon = sqlite3_column_double(st, 34);
    c->precision = col_enum(st, 35, ds_place_precision_names, 5);
    c->time_value = col_text(st, 36);
    c->day = sqlite3_column_int(st, 37);
    c->modality = col_enum(st, 38, ds_modality_names, DS_MOD__COUNT);
    c->ihl = (unsigned)sqlite3_column_int(st, 39);
    c->evidence = (unsigned)sqlite3_column_int(st, 40);
    c->sent_start = sqlite3_column_int64(st, 41);
    c->sent_end = sqlite3_column_int64(st, 42);
    c->trigger_start = sqlite3_column_int64(st, 43);
    c->trigger_end = sqlite3_column_int64(st, 44);
    c->ordered = sqlite3_column_int(st, 45) != 0;
    c->count_qualifier = col_enum(st, 46, ds_qualifier_names, DS_QUAL__COUNT);
    c->count_unit = col_enum(st, 47, ds_unit_names, DS_UNIT__COUNT);
    c->time_text = col_text(st, 48);
    c->speaker_kind = col_enum(st, 49, ds_kind_names, DS_KIND__COUNT);
    c->verb = col_text(st, 50);
    c->relays_json = col_text(st, 51);
}

/* The statement of a read query, kept per connection and keyed by its SQL
 * text (always a string constant here): the web server runs these for every
 * page, and parsing their subqueries costs as much as running them.  A
 * statement still in use (a callback querying again) gets a fresh one.
 * Every prep() is paired with release(). */
static sqlite3_stmt *prep(sq_store *s, const char *sql)
{
    size_t n = DS_ARRAY_LEN(s->read_sql), slot = n;
    for (size_t i = 0; i < n; i++) {
        if (s->read_sql[i] == sql && !sqlite3_stmt_busy(s->read_st[i])) {
            sqlite3_clear_bindings(s->read_st[i]);
            return s->read_st[i];
        }
        if (!s->read_sql[i] && slot == n) slot = i;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, slot < n ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                           NULL) != SQLITE_OK) {
        sq_fail(s, "prepare");
        sqlite3_finalize(st);
        return NULL;
    }
    if (slot < n) {
        s->read_sql[slot] = sql;
        s->read_st[slot] = st;
    }
    return st;
}

/* Done with a statement of prep(): reset (kept) or finalized (not kept). */
static void release(sq_store *s, sqlite3_stmt *st)
{
    for (size_t i = 0; i < DS_ARRAY_LEN(s->read_st); i++)
        if (s->read_st[i] == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st);
}

/* The filter of `dossier incidents` and /api/incidents: parameters ?1..?14. */
#define INC_FILTER_ANY "(?1 IS NULL OR i.type=?1)" INC_FILTER_REST
/* with a type: "i.type=?1" lets the (type, day) index drive the scan */
#define INC_FILTER_TYPED "i.type=?1" INC_FILTER_REST
#define INC_FILTER_REST                                                                     \
    " AND (?2 IS NULL OR i.country=?2 OR i.actor_country=?2 OR i.target_country=?2)"        \
    " AND (?3 IS NULL OR instr(','||i.source_countries||',', ','||?3||',')>0)"              \
    " AND (?4=0 OR (i.ihl_bits & ?4)<>0)"                                                   \
    " AND (?5 IS NULL OR EXISTS(SELECT 1 FROM claims c WHERE c.incident=i.id AND"           \
    "  c.modality=?5))"                                                                     \
    " AND (?6=0 OR i.day>=?6) AND (?7=0 OR i.day<=?7)"                                      \
    " AND (?8=0 OR (i.lat BETWEEN ?9 AND ?10 AND i.lon BETWEEN ?11 AND ?12))"               \
    " AND i.norigins>=?13 AND (?14=0 OR i.id=?14)"

static void bind_filter(sqlite3_stmt *st, const ds_incident_filter *f)
{
    sq_bind_text(st, 1, f->type ? ds_event_names[f->type] : NULL);
    sq_bind_text(st, 2, f->country);
    sq_bind_text(st, 3, f->source_country);
    sqlite3_bind_int(st, 4, (int)f->ihl);
    sq_bind_text(st, 5, f->modality ? ds_modality_names[f->modality] : NULL);
    sqlite3_bind_int(st, 6, f->since);
    sqlite3_bind_int(st, 7, f->until);
    sqlite3_bind_int(st, 8, f->near);
    if (f->near) {
        /* box first (index-free but cheap), exact distance by the caller */
        double dlat = f->km / 111.0;
        double c = cos(f->lat * M_PI / 180.0);
        double dlon = f->km / (111.0 * (c > 0.01 ? c : 0.01));
        sqlite3_bind_double(st, 9, f->lat - dlat);
        sqlite3_bind_double(st, 10, f->lat + dlat);
        sqlite3_bind_double(st, 11, f->lon - dlon);
        sqlite3_bind_double(st, 12, f->lon + dlon);
    }
    sqlite3_bind_int(st, 13, f->min_origins);
    sqlite3_bind_int64(st, 14, f->id);
}

dossier_status sq_incident_days(ds_store *b, const ds_incident_filter *f, ds_day_count_cb cb,
                                void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st =
        prep(s, f->type ? "SELECT i.day, i.type, i.lat, i.lon FROM incidents i WHERE "
                          INC_FILTER_TYPED " AND i.day>0 ORDER BY i.day"
                        : "SELECT i.day, i.type, i.lat, i.lon FROM incidents i WHERE "
                          INC_FILTER_ANY " AND i.day>0 ORDER BY i.day");
    if (!st) return DOSSIER_EDB;
    bind_filter(st, f);
    int64_t counts[DS_EV__COUNT] = {0};
    int32_t day = 0;
    int rc;
    dossier_status r = DOSSIER_OK;
    /* rows come in day order: count per type, hand each finished day over */
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t d = sqlite3_column_int(st, 0);
        const char *tn = (const char *)sqlite3_column_text(st, 1);
        int t = tn ? ds_enum_parse(ds_event_names, DS_EV__COUNT, tn, strlen(tn)) : 0;
        if (f->near && ds_km(f->lat, f->lon, sqlite3_column_double(st, 2),
                             sqlite3_column_double(st, 3)) > f->km)
            continue;
        if (d != day) {
            for (int k = 1; r == DOSSIER_OK && day && k < DS_EV__COUNT; k++)
                if (counts[k]) r = cb(day, (ds_event_type)k, counts[k], user);
            memset(counts, 0, sizeof counts);
            day = d;
        }
        counts[t]++;
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "counting incidents per day");
    for (int k = 1; r == DOSSIER_OK && day && k < DS_EV__COUNT; k++)
        if (counts[k]) r = cb(day, (ds_event_type)k, counts[k], user);
    release(s, st);
    return r;
}

dossier_status sq_query_incidents(ds_store *b, const ds_incident_filter *f, ds_incident_cb cb,
                                  void *user)
{
    sq_store *s = (sq_store *)b;
    if (f->id) {   /* one incident: the row-id lookup */
        ds_incident inc;
        dossier_status r = b->ops->get_incident(b, f->id, &inc);
        if (r == DOSSIER_ENOTFOUND) return DOSSIER_OK;
        return r == DOSSIER_OK ? cb(&inc, user) : r;
    }
    sqlite3_stmt *st =
        prep(s, f->type ? "SELECT " INC_COLS " FROM incidents i WHERE " INC_FILTER_TYPED
                          " ORDER BY i.day NULLS LAST, i.id LIMIT ?15 OFFSET ?16"
                        : "SELECT " INC_COLS " FROM incidents i WHERE " INC_FILTER_ANY
                          " ORDER BY i.day NULLS LAST, i.id LIMIT ?15 OFFSET ?16");
    if (!st) return DOSSIER_EDB;
    bind_filter(st, f);
    /* near: SQL selects a box, the distance is tested here, so the page
     * (offset, limit) counts the incidents within the distance, here too */
    int64_t skip = f->offset > 0 ? f->offset : 0, left = f->limit > 0 ? f->limit : -1;
    sqlite3_bind_int64(st, 15, f->near ? -1 : left);
    sqlite3_bind_int64(st, 16, f->near ? 0 : skip);
    int rc = SQLITE_DONE;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && left != 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_incident inc;
        sq_read_incident(st, 0, &inc);
        if (f->near) {
            if (ds_km(f->lat, f->lon, inc.lat, inc.lon) > f->km) continue;
            if (skip) {
                skip--;
                continue;
            }
            if (left > 0) left--;
        }
        r = cb(&inc, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        r = sq_fail(s, "querying incidents");
    release(s, st);
    return r;
}

#define DOC_COLS                                                                           \
    "d.id,d.doc_id,d.path,d.url,d.title,d.outlet,d.published,d.byline,d.origin,d.platform," \
    "d.lang,d.format,d.flags,d.extra,d.text,d.dropped_lines,d.dropped_boilerplate,"        \
    "d.dropped_duplicate,d.cluster,"                                                        \
    "(SELECT count(*) FROM sentences x WHERE x.doc=d.id),"                                  \
    "(SELECT count(*) FROM claims x WHERE x.doc=d.id),"                                     \
    "(SELECT coalesce(o.label,(SELECT min(n.label) FROM origin_names n WHERE"               \
    " n.cluster=o.id)) FROM origin_clusters o WHERE o.id=d.cluster),"                       \
    "(SELECT count(*) FROM documents y WHERE y.cluster=d.cluster)"

static void read_doc(sqlite3_stmt *st, ds_doc_row *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->doc_id = col_text(st, 1);
    d->path = col_text(st, 2);
    d->url = col_text(st, 3);
    d->title = col_text(st, 4);
    d->outlet = col_text(st, 5);
    d->published = col_text(st, 6);
    d->byline = col_text(st, 7);
    d->origin = col_text(st, 8);
    d->platform = col_text(st, 9);
    d->lang = col_text(st, 10);
    d->format = col_text(st, 11);
    d->flags = col_text(st, 12);
    d->extra = col_text(st, 13);
    d->text = col_text(st, 14);
    d->dropped_lines = col_text(st, 15);
    d->dropped_boilerplate = sqlite3_column_int(st, 16);
    d->dropped_duplicate = sqlite3_column_int(st, 17);
    d->cluster = sqlite3_column_int64(st, 18);
    d->nsentences = sqlite3_column_int(st, 19);
    d->nclaims = sqlite3_column_int(st, 20);
    d->cluster_label = col_text(st, 21);
    d->cluster_size = sqlite3_column_int(st, 22);
}

static dossier_status each_doc(sq_store *s, sqlite3_stmt *st, ds_doc_row_cb cb, void *user,
                               int *n)
{
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_doc_row d;
        read_doc(st, &d);
        (*n)++;
        r = cb(&d, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "reading documents");
    release(s, st);
    return r;
}

static bool all_hex(const char *p)
{
    for (; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

dossier_status sq_get_doc(ds_store *b, const char *id, ds_doc_row_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st;
    if (id[0] == '#') {
        st = prep(s, "SELECT " DOC_COLS " FROM documents d WHERE d.id=?1");
        if (!st) return DOSSIER_EDB;
        sqlite3_bind_int64(st, 1, strtoll(id + 1, NULL, 10));
    } else {
        const char *hex = strncmp(id, "sha256:", 7) == 0 ? id + 7 : id;
        if (strlen(hex) < 4 || !all_hex(hex)) {
            snprintf(b->err, sizeof b->err,
                     "'%s' is not a document id (sha256:HEX, a prefix of 4+ hex digits, or #N)",
                     id);
            return DOSSIER_EINVAL;
        }
        /* a prefix range of doc_key, then of doc_id: hex is checked, bounds
         * are bound */
        st = prep(s, "SELECT " DOC_COLS " FROM documents d WHERE d.doc_key BETWEEN ?2 AND ?3"
                     " AND d.doc_id>=?1 AND d.doc_id<?1||'g' ORDER BY d.doc_id LIMIT 2");
        if (!st) return DOSSIER_EDB;
        char key[80];
        snprintf(key, sizeof key, "sha256:%s", hex);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, sq_doc_key(key, false));
        sqlite3_bind_int64(st, 3, sq_doc_key(key, true));
        /* ambiguous prefix? */
        int n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) n++;
        sqlite3_reset(st);
        if (n > 1) {
            release(s, st);
            snprintf(b->err, sizeof b->err, "document prefix '%s' is ambiguous", id);
            return DOSSIER_EINVAL;
        }
    }
    int n = 0;
    dossier_status r = each_doc(s, st, cb, user, &n);
    if (r == DOSSIER_OK && n == 0) {
        snprintf(b->err, sizeof b->err, "no document '%s'", id);
        return DOSSIER_ENOTFOUND;
    }
    return r;
}

dossier_status sq_cluster_docs(ds_store *b, int64_t cluster, ds_doc_row_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = prep(s, "SELECT " DOC_COLS " FROM documents d WHERE d.cluster=?1"
                               " ORDER BY d.id");
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, cluster);
    int n = 0;
    return each_doc(s, st, cb, user, &n);
}

#define SEARCH_SQL                                                                        \
    "SELECT f.rowid,s.doc,d.doc_id,d.outlet,d.title,d.published,s.i,"                     \
    " highlight(sentences_fts,0,'[',']'),"                                                 \
    " (SELECT c.id FROM claims c WHERE c.sentence=f.rowid ORDER BY c.i LIMIT 1),"          \
    " (SELECT c.incident FROM claims c WHERE c.sentence=f.rowid ORDER BY c.i LIMIT 1),"    \
    " (SELECT c.type FROM claims c WHERE c.sentence=f.rowid ORDER BY c.i LIMIT 1)"         \
    " FROM sentences_fts f JOIN sentences s ON s.id=f.rowid"                               \
    " JOIN documents d ON d.id=s.doc"                                                      \
    " WHERE sentences_fts MATCH ?1"

static dossier_status search_with(ds_store *b, const char *sql, const char *query,
                                  int64_t limit, ds_hit_cb cb, void *user);

dossier_status sq_search(ds_store *b, const char *query, int64_t limit, ds_hit_cb cb,
                         void *user)
{
    return search_with(b, SEARCH_SQL " ORDER BY f.rank LIMIT ?2", query, limit, cb, user);
}

/* Newest sentences first: FTS5 walks its index in rowid order and stops at
 * the limit, where ranking must score every match first. */
dossier_status sq_search_recent(ds_store *b, const char *query, int64_t limit, ds_hit_cb cb,
                                void *user)
{
    return search_with(b, SEARCH_SQL " ORDER BY f.rowid DESC LIMIT ?2", query, limit, cb,
                       user);
}

static dossier_status search_with(ds_store *b, const char *sql, const char *query,
                                  int64_t limit, ds_hit_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = prep(s, sql);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_search_hit h = {0};
        h.sentence_id = sqlite3_column_int64(st, 0);
        h.doc = sqlite3_column_int64(st, 1);
        h.doc_id = col_text(st, 2);
        h.outlet = col_text(st, 3);
        h.title = col_text(st, 4);
        h.published = col_text(st, 5);
        h.sentence_i = sqlite3_column_int(st, 6);
        h.snippet = col_text(st, 7);
        h.claim = sqlite3_column_int64(st, 8);
        h.incident = sqlite3_column_int64(st, 9);
        h.claim_type = col_enum(st, 10, ds_event_names, DS_EV__COUNT);
        r = cb(&h, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) {
        r = sq_fail(s, "search");
        if (r == DOSSIER_EDB) {   /* an FTS5 syntax error is the user's query */
            snprintf(b->err, sizeof b->err, "bad search query '%s': %s", query,
                     sqlite3_errmsg(s->db));
            r = DOSSIER_EINVAL;
        }
    }
    release(s, st);
    return r;
}

dossier_status sq_stats(ds_store *b, ds_store_stats *out)
{
    sq_store *s = (sq_store *)b;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = prep(
        s, "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM sentences),"
           "(SELECT count(*) FROM claims),(SELECT count(*) FROM incidents),"
           "(SELECT count(DISTINCT cluster) FROM documents),"
           "(SELECT count(*) FROM incident_mirrors),(SELECT max(version) FROM schema_version)");
    if (!st) return DOSSIER_EDB;
    dossier_status r = DOSSIER_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        out->docs = sqlite3_column_int64(st, 0);
        out->sentences = sqlite3_column_int64(st, 1);
        out->claims = sqlite3_column_int64(st, 2);
        out->incidents = sqlite3_column_int64(st, 3);
        out->clusters = sqlite3_column_int64(st, 4);
        out->mirrors = sqlite3_column_int64(st, 5);
        out->schema_version = sqlite3_column_int(st, 6);
    } else {
        r = sq_fail(s, "statistics");
    }
    release(s, st);
    return r;
}
