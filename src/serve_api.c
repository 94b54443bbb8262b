/*
 * serve_api.c — the JSON API of `dossier serve`, answered from a read-only
 * store through the store.h interface (no SQL here: every query is a store
 * op with bound parameters in the backend).
 *
 *   GET /api/stats               counts and the names the filters accept
 *   GET /api/incidents?…         filters as `dossier incidents`: type, country,
 *                                source_country, ihl (comma list), modality,
 *                                since, until (YYYY-MM-DD), near=LAT,LON,KM,
 *                                min_origins; limit (1..5000, default 100), offset
 *   GET /api/timeline?…          incidents per day and type, same filters (no paging)
 *   GET /api/incidents/ID        one incident, its claims, origin clusters, mirrors
 *   GET /api/docs/ID             one document (sha256:…, hex prefix, #rowid): text,
 *                                dropped lines, claims with byte offsets, copies
 *   GET /api/search?q=&limit=&order=  FTS5 search over sentences, newest first
 *                                (order=rank: best-ranked first); matches as byte offsets
 *
 * Every argument is checked against its grammar before it reaches the store;
 * a bad one gets 400 with a message naming it.  Offsets in answers (sentence
 * start/end, trigger start/end, matches) are UTF-8 byte offsets: sentence and
 * trigger into the document text, matches into the hit's sentence.
 */
#include "serve.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LIMIT 5000
#define MAX_QUERY 400           /* bytes of a search query */
#define MAX_CLUSTER_DOCS 200    /* documents listed per origin cluster */
#define MAX_MIRRORS 50
#define ANSWER_START 8192       /* bytes an answer's buffer starts with */

#define STATS_TTL 5.0   /* seconds a thread reuses its /api/stats answer (no cache) */

struct ds_api {
    ds_store *store;
    ds_serve_cache *cache;      /* shared; NULL: every answer from the store */
    const ds_inc_index *ix;     /* the snapshot of the current request, or NULL */
    ds_store_stats stats;       /* without a snapshot: last counts (not free) */
    double stats_at;            /* when they were read (monotonic s); 0 never */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- argument parsing --------------------------------------------------------- */
typedef struct req {
    ds_api_arg_fn arg;
    void *ctx;
    char msg[256];   /* 400 message */
} req;

static const char *arg(req *r, const char *name)
{
    const char *v = r->arg(r->ctx, name);
    return v && *v ? v : NULL;
}

static bool bad(req *r, const char *fmt, const char *name, const char *v)
{
    char shown[64];
    ds_copy_text(shown, sizeof shown, v ? v : "");
    snprintf(r->msg, sizeof r->msg, fmt, name, shown);
    return false;
}

static bool parse_int(req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = arg(r, name);
    if (!v) return true;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || errno || x < min || x > max || !isdigit((unsigned char)v[v[0] == '-']))
        return bad(r, "%s expects a whole number in range, got '%s'", name, v);
    *out = x;
    return true;
}

static bool parse_enum(req *r, const char *name, const char *const *names, int count, int *out)
{
    const char *v = arg(r, name);
    if (!v) return true;
    int e = ds_enum_parse(names, count, v, strlen(v));
    if (e <= 0) return bad(r, "unknown %s '%s'", name, v);
    *out = e;
    return true;
}

static bool parse_country(req *r, const char *name, char out[4], const char **ptr)
{
    const char *v = arg(r, name);
    if (!v) return true;
    if (strlen(v) != 3) return bad(r, "%s expects an ISO alpha-3 code such as UKR, got '%s'", name, v);
    for (int i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)v[i]))
            return bad(r, "%s expects an ISO alpha-3 code such as UKR, got '%s'", name, v);
        out[i] = (char)toupper((unsigned char)v[i]);
    }
    out[3] = '\0';
    *ptr = out;
    return true;
}

static bool parse_day(req *r, const char *name, int32_t *out)
{
    const char *v = arg(r, name);
    if (!v) return true;
    size_t n = strlen(v);
    bool shape = n == 10 || n == 7 || n == 4;
    for (size_t i = 0; shape && i < n; i++)
        shape = (i == 4 || i == 7) ? v[i] == '-' : isdigit((unsigned char)v[i]);
    int32_t d = shape ? ds_day_from_iso(v) : 0;
    if (!d) return bad(r, "%s expects a date YYYY-MM-DD, got '%s'", name, v);
    *out = d;
    return true;
}

static bool parse_ihl(req *r, unsigned *out)
{
    const char *v = arg(r, "ihl");
    if (!v) return true;
    for (const char *p = v; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int bit = -1;
        for (int i = 0; i < DS_IHL__BITS; i++)
            if (strlen(ds_ihl_names[i]) == n && !memcmp(ds_ihl_names[i], p, n)) bit = i;
        if (bit < 0) return bad(r, "unknown %s tag in '%s'", "ihl", v);
        *out |= 1u << bit;
        p += n + (e ? 1 : 0);
    }
    return true;
}

static bool parse_near(req *r, ds_incident_filter *f)
{
    const char *v = arg(r, "near");
    if (!v) return true;
    double x[3];
    const char *p = v;
    for (int i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        x[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(x[i]) || (i < 2 ? *end != ',' : *end != '\0'))
            return bad(r, "%s expects LAT,LON,KM, got '%s'", "near", v);
        p = end + 1;
    }
    if (fabs(x[0]) > 90 || fabs(x[1]) > 180 || x[2] <= 0 || x[2] > 20000)
        return bad(r, "%s expects LAT,LON,KM in range, got '%s'", "near", v);
    f->near = true;
    f->lat = x[0];
    f->lon = x[1];
    f->km = x[2];
    return true;
}

/* ---- answers ------------------------------------------------------------------ */
typedef struct answer {
    int status;
    jw j;
} answer;

static void fail(answer *a, int status, const char *msg)
{
    a->status = status;
    ds_buf_reset(&a->j.b);
    a->j.depth = 0;
    a->j.first[0] = true;
    jw_open(&a->j, NULL, '{');
    jw_str(&a->j, "error", msg);
    jw_int(&a->j, "status", status);
    jw_close(&a->j, '}');
}

/* Map a store status to HTTP. */
static void fail_store(ds_api *api, answer *a, dossier_status st)
{
    switch (st) {
    case DOSSIER_EINVAL: fail(a, 400, api->store->err[0] ? api->store->err : "bad request"); break;
    case DOSSIER_ENOTFOUND: fail(a, 404, api->store->err[0] ? api->store->err : "not found"); break;
    case DOSSIER_EBUSY: fail(a, 503, "database busy, try again"); break;
    default:
        fprintf(stderr, "dossier serve: database error: %s\n", api->store->err);
        fail(a, 500, "database error");
    }
}

/* ---- /api/stats ----------------------------------------------------------------- */
static void api_stats(ds_api *api, answer *a)
{
    double now = mono_s();
    if (api->ix) {
        ds_index_stats(api->ix, &api->stats);
    } else if (api->stats_at == 0 || now - api->stats_at > STATS_TTL) {
        dossier_status st = DS_STORE(api->store, stats, &api->stats);
        if (st != DOSSIER_OK) {
            api->stats_at = 0;
            fail_store(api, a, st);
            return;
        }
        api->stats_at = now;
    }
    const ds_store_stats s = api->stats;
    jw *j = &a->j;
    jw_open(j, NULL, '{');
    jw_int(j, "docs", s.docs);
    jw_int(j, "sentences", s.sentences);
    jw_int(j, "claims", s.claims);
    jw_int(j, "incidents", s.incidents);
    jw_int(j, "clusters", s.clusters);
    jw_int(j, "mirrors", s.mirrors);
    jw_int(j, "schema_version", s.schema_version);
    jw_str(j, "version", DOSSIER_VERSION);
    jw_close(j, '}');
}

/* ---- /api/incidents --------------------------------------------------------------- */
typedef struct list_ctx {
    jw *j;
    int64_t n, limit;
} list_ctx;

static dossier_status on_list_incident(const ds_incident *inc, void *user)
{
    list_ctx *l = user;
    if (l->n++ < l->limit) jw_incident(l->j, NULL, inc);
    return DOSSIER_OK;
}

/* The filters shared by /api/incidents and /api/timeline; false (r->msg set)
 * when one is bad.  country and source point into bufs. */
typedef struct filter_bufs {
    char country[4], source[4];
} filter_bufs;

static bool parse_filter(req *r, ds_incident_filter *f, filter_bufs *fb)
{
    memset(f, 0, sizeof *f);
    int type = 0, modality = 0;
    int64_t min_origins = 0;
    if (!parse_enum(r, "type", ds_event_names, DS_EV__COUNT, &type) ||
        !parse_country(r, "country", fb->country, &f->country) ||
        !parse_country(r, "source_country", fb->source, &f->source_country) ||
        !parse_ihl(r, &f->ihl) ||
        !parse_enum(r, "modality", ds_modality_names, DS_MOD__COUNT, &modality) ||
        !parse_day(r, "since", &f->since) || !parse_day(r, "until", &f->until) ||
        !parse_near(r, f) || !parse_int(r, "min_origins", 0, 1000000, &min_origins))
        return false;
    f->type = (ds_event_type)type;
    f->modality = (ds_modality)modality;
    f->min_origins = (int)min_origins;
    return true;
}

static void api_incidents(ds_api *api, req *r, answer *a)
{
    ds_incident_filter f;
    filter_bufs fb;
    int64_t limit = 100, offset = 0;
    if (!parse_filter(r, &f, &fb) || !parse_int(r, "limit", 1, MAX_LIMIT, &limit) ||
        !parse_int(r, "offset", 0, 1000000000, &offset)) {
        fail(a, 400, r->msg);
        return;
    }
    jw *j = &a->j;
    if (api->ix) {
        ds_index_list(api->ix, &f, limit, offset, j);
        return;
    }
    f.limit = limit + 1;   /* one more tells whether there is a next page */
    f.offset = offset;
    jw_open(j, NULL, '{');
    jw_int(j, "offset", offset);
    jw_int(j, "limit", limit);
    jw_open(j, "incidents", '[');
    list_ctx l = {j, 0, limit};
    dossier_status st = DS_STORE(api->store, query_incidents, &f, on_list_incident, &l);
    if (st != DOSSIER_OK) {
        fail_store(api, a, st);
        return;
    }
    jw_close(j, ']');
    jw_int(j, "count", l.n < limit ? l.n : limit);
    jw_bool(j, "more", l.n > limit);
    jw_close(j, '}');
}

/* ---- /api/timeline: incidents per day and type ------------------------------------ */
static dossier_status on_day(int32_t day, ds_event_type type, int64_t n, void *user)
{
    jw_day_count(user, day, type, n);
    return DOSSIER_OK;
}

static void api_timeline(ds_api *api, req *r, answer *a)
{
    ds_incident_filter f;
    filter_bufs fb;
    if (!parse_filter(r, &f, &fb)) {
        fail(a, 400, r->msg);
        return;
    }
    jw *j = &a->j;
    if (api->ix) {
        ds_index_days(api->ix, &f, j);
        return;
    }
    jw_open(j, NULL, '{');
    jw_open(j, "days", '[');   /* [day, type, count] in day order */
    dossier_status st = DS_STORE(api->store, incident_days, &f, on_day, j);
    if (st != DOSSIER_OK) {
        fail_store(api, a, st);
        return;
    }
    jw_close(j, ']');
    jw_close(j, '}');
}

/* ---- claims (shared by incident and document answers) ------------------------------ */
typedef struct id_set {
    int64_t *v;
    size_t n, cap;
} id_set;

static bool id_add(id_set *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == id) return true;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        int64_t *nv = ds_realloc(s->v, nc * sizeof *nv);
        if (!nv) return false;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = id;
    return true;
}
static bool id_has(const id_set *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == id) return true;
    return false;
}

typedef struct claims_ctx {
    jw *j;
    id_set docs, clusters;
    bool oom;
} claims_ctx;
/* The end of an answer that listed claims: on a failed store op (st) the
 * answer becomes the error; the sets are freed. */
static void claims_done(ds_api *api, answer *a, claims_ctx *cc, dossier_status st)
{
    if (cc->oom) fail(a, 500, "out of memory");
    else if (st != DOSSIER_OK) fail_store(api, a, st);
    ds_free(cc->docs.v);
    ds_free(cc->clusters.v);
}

static dossier_status on_claim(const ds_claim_row *c, void *user)
{
    claims_ctx *cc = user;
    jw_claim(cc->j, c);
    if (!id_add(&cc->docs, c->doc) || (c->cluster && !id_add(&cc->clusters, c->cluster))) {
        cc->oom = true;
        return DOSSIER_ENOMEM;
    }
    return DOSSIER_OK;
}

/* ---- /api/incidents/ID ------------------------------------------------------------- */

typedef struct cluster_ctx {
    jw *j;
    const id_set *in;    /* documents holding a claim of the incident (NULL: none) */
    int n;
    char label[128];     /* the cluster's label, from its documents' rows */
} cluster_ctx;

static dossier_status on_cluster_doc(const ds_doc_row *d, void *user)
{
    cluster_ctx *cc = user;
    if (!cc->label[0] && d->cluster_label) ds_copy_text(cc->label, sizeof cc->label, d->cluster_label);
    if (cc->n++ >= MAX_CLUSTER_DOCS) return DOSSIER_OK;
    jw *j = cc->j;
    jw_open(j, NULL, '{');
    jw_doc_ref(j, d->id, d->doc_id, d->title, d->outlet, d->published);
    jw_str(j, "origin", d->origin);
    if (cc->in) jw_bool(j, "in_incident", id_has(cc->in, d->id));
    jw_close(j, '}');
    return DOSSIER_OK;
}

typedef struct mirror_ctx {
    id_set ids;
} mirror_ctx;

static dossier_status on_mirror(int64_t id, void *user)
{
    mirror_ctx *m = user;
    if (m->ids.n >= MAX_MIRRORS) return DOSSIER_OK;
    return id_add(&m->ids, id) ? DOSSIER_OK : DOSSIER_ENOMEM;
}

static void api_incident(ds_api *api, const char *idtxt, answer *a)
{
    char *end;
    errno = 0;
    long long id = strtoll(idtxt, &end, 10);
    if (!isdigit((unsigned char)idtxt[0]) || *end || errno || id <= 0) {
        fail(a, 400, "an incident id is a positive whole number");
        return;
    }
    ds_incident inc;
    memset(&inc, 0, sizeof inc);
    dossier_status st = DS_STORE(api->store, get_incident, (int64_t)id, &inc);
    if (st == DOSSIER_ENOTFOUND) {
        fail(a, 404, "no such incident");
        return;
    }
    jw *j = &a->j;
    claims_ctx cc = {j, {0}, {0}, false};
    mirror_ctx mc = {{0}};
    if (st != DOSSIER_OK) goto out;
    jw_open(j, NULL, '{');
    jw_incident(j, "incident", &inc);
    jw_open(j, "claims", '[');
    st = DS_STORE(api->store, incident_claims, inc.id, on_claim, &cc);
    if (st != DOSSIER_OK) goto out;
    jw_close(j, ']');
    jw_open(j, "clusters", '[');
    for (size_t i = 0; i < cc.clusters.n; i++) {
        jw_open(j, NULL, '{');
        jw_int(j, "id", cc.clusters.v[i]);
        jw_open(j, "docs", '[');
        cluster_ctx cl = {j, &cc.docs, 0, ""};
        st = DS_STORE(api->store, cluster_docs, cc.clusters.v[i], on_cluster_doc, &cl);
        if (st != DOSSIER_OK) goto out;
        jw_close(j, ']');
        jw_str(j, "label", cl.label);
        jw_int(j, "size", cl.n);
        jw_close(j, '}');
    }
    jw_close(j, ']');
    st = DS_STORE(api->store, incident_mirrors, inc.id, on_mirror, &mc);
    if (st != DOSSIER_OK) goto out;
    jw_open(j, "mirrors", '[');
    for (size_t i = 0; i < mc.ids.n; i++) {
        ds_incident m;
        memset(&m, 0, sizeof m);
        st = DS_STORE(api->store, get_incident, mc.ids.v[i], &m);
        if (st == DOSSIER_ENOTFOUND) {   /* gone meanwhile */
            st = DOSSIER_OK;
            continue;
        }
        if (st != DOSSIER_OK) goto out;
        jw_incident(j, NULL, &m);
    }
    jw_close(j, ']');
    jw_close(j, '}');
out:
    claims_done(api, a, &cc, st);
    ds_free(mc.ids.v);
}

/* ---- /api/docs/ID -------------------------------------------------------------------- */
typedef struct doc_ctx {
    ds_api *api;
    jw *j;
    int64_t row, cluster;
    int cluster_size;
    dossier_status st;
} doc_ctx;

/* dropped_lines is a JSON array of strings kept by the store; re-emit it string
 * by string so nothing but strings can reach the answer. */
static void put_dropped(jw *j, const ds_doc_row *d)
{
    jw_open(j, "dropped", '{');
    jw_int(j, "boilerplate", d->dropped_boilerplate);
    jw_int(j, "duplicate", d->dropped_duplicate);
    jw_open(j, "lines", '[');
    cJSON *arr = d->dropped_lines ? cJSON_Parse(d->dropped_lines) : NULL;
    const cJSON *it;
    if (cJSON_IsArray(arr))
        cJSON_ArrayForEach(it, arr)
            if (cJSON_IsString(it) && it->valuestring) jw_str(j, NULL, it->valuestring);
    cJSON_Delete(arr);
    jw_close(j, ']');
    jw_close(j, '}');
}

static dossier_status on_doc(const ds_doc_row *d, void *user)
{
    doc_ctx *dc = user;
    jw *j = dc->j;
    dc->row = d->id;
    dc->cluster = d->cluster;
    dc->cluster_size = d->cluster_size;
    jw_open(j, "doc", '{');
    jw_int(j, "row", d->id);
    jw_str(j, "id", d->doc_id);
    jw_str(j, "path", d->path);
    jw_str(j, "url", d->url);
    jw_str(j, "title", d->title);
    jw_str(j, "outlet", d->outlet);
    jw_str(j, "published", d->published);
    jw_str(j, "byline", d->byline);
    jw_str(j, "origin", d->origin);
    jw_str(j, "platform", d->platform);
    jw_str(j, "lang", d->lang);
    jw_str(j, "format", d->format);
    jw_csv(j, "flags", d->flags);
    jw_int(j, "nsentences", d->nsentences);
    jw_int(j, "nclaims", d->nclaims);
    jw_close(j, '}');
    jw_str(j, "text", d->text ? d->text : "");
    put_dropped(j, d);
    jw_open(j, "cluster", '{');
    jw_int(j, "id", d->cluster);
    jw_str(j, "label", d->cluster_label);
    jw_int(j, "size", d->cluster_size);
    jw_close(j, '}');
    return DOSSIER_OK;
}

static bool doc_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 80) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != ':' && s[i] != '#') return false;
    return true;
}

static void api_doc(ds_api *api, const char *id, answer *a)
{
    if (!doc_id_ok(id)) {
        fail(a, 400, "a document id is sha256:HEX, a hex prefix of 4+ digits, or #N");
        return;
    }
    jw *j = &a->j;
    doc_ctx dc = {api, j, 0, 0, 0, DOSSIER_OK};
    claims_ctx cc = {j, {0}, {0}, false};
    jw_open(j, NULL, '{');
    dossier_status st = DS_STORE(api->store, get_doc, id, on_doc, &dc);
    if (st != DOSSIER_OK) goto out;
    jw_open(j, "claims", '[');
    st = DS_STORE(api->store, doc_claims, dc.row, on_claim, &cc);
    if (st != DOSSIER_OK) goto out;
    jw_close(j, ']');
    jw_open(j, "copies", '[');
    if (dc.cluster && dc.cluster_size > 1) {
        cluster_ctx cl = {j, NULL, 0, ""};
        st = DS_STORE(api->store, cluster_docs, dc.cluster, on_cluster_doc, &cl);
        if (st != DOSSIER_OK) goto out;
    }
    jw_close(j, ']');
    jw_close(j, '}');
out:
    claims_done(api, a, &cc, st);
}

/* ---- /api/search ------------------------------------------------------------------------ */
typedef struct search_ctx {
    jw *j;
    ds_buf text;
} search_ctx;

/* The store marks matches in the snippet with '[' … ']' (FTS5 highlight()):
 * split them out into plain text + byte ranges. */
static dossier_status on_hit(const ds_search_hit *h, void *user)
{
    search_ctx *sc = user;
    jw *j = sc->j;
    ds_buf_reset(&sc->text);
    int64_t ranges[64][2];
    int nr = 0;
    int64_t open = -1;
    for (const char *p = h->snippet ? h->snippet : ""; *p; p++) {
        if (*p == '[' && open < 0) {
            open = (int64_t)sc->text.n;
        } else if (*p == ']' && open >= 0) {
            if (nr < 64) {
                ranges[nr][0] = open;
                ranges[nr][1] = (int64_t)sc->text.n;
                nr++;
            }
            open = -1;
        } else {
            ds_buf_putc(&sc->text, *p);
        }
    }
    if (!ds_buf_cstr(&sc->text)) return DOSSIER_ENOMEM;
    jw_open(j, NULL, '{');
    jw_int(j, "sentence_id", h->sentence_id);
    jw_int(j, "sentence_i", h->sentence_i);
    jw_str(j, "sentence", sc->text.p);
    jw_open(j, "matches", '[');
    for (int i = 0; i < nr; i++) {
        jw_open(j, NULL, '[');
        jw_int(j, NULL, ranges[i][0]);
        jw_int(j, NULL, ranges[i][1]);
        jw_close(j, ']');
    }
    jw_close(j, ']');
    jw_open(j, "doc", '{');
    jw_doc_ref(j, h->doc, h->doc_id, h->title, h->outlet, h->published);
    jw_close(j, '}');
    jw_id(j, "claim", h->claim);
    jw_id(j, "incident", h->incident);
    jw_enum(j, "type", ds_event_names, h->claim_type);
    jw_close(j, '}');
    return DOSSIER_OK;
}

static void api_search(ds_api *api, req *r, answer *a)
{
    const char *q = arg(r, "q");
    int64_t limit = 50;
    if (!q) {
        fail(a, 400, "q (the search query) is required");
        return;
    }
    if (strlen(q) > MAX_QUERY) {
        fail(a, 400, "the search query is too long (400 bytes at most)");
        return;
    }
    if (!parse_int(r, "limit", 1, 500, &limit)) {
        fail(a, 400, r->msg);
        return;
    }
    jw *j = &a->j;
    jw_open(j, NULL, '{');
    jw_str(j, "q", q);
    jw_open(j, "hits", '[');
    search_ctx sc = {j, {0}};
    const char *order = arg(r, "order");
    if (order && strcmp(order, "rank") && strcmp(order, "recent")) {
        fail(a, 400, "order is rank or recent");
        return;
    }
    /* default: newest first (cheap); order=rank: best-ranked (scores every match) */
    dossier_status st = order && !strcmp(order, "rank")
                            ? DS_STORE(api->store, search, q, limit, on_hit, &sc)
                            : DS_STORE(api->store, search_recent, q, limit, on_hit, &sc);
    ds_buf_free(&sc.text);
    if (st != DOSSIER_OK) {
        fail_store(api, a, st);
        return;
    }
    jw_close(j, ']');
    jw_close(j, '}');
}

/* ---- entry points ----------------------------------------------------------------------- */
dossier_status ds_api_open(const char *db, ds_serve_cache *cache, ds_api **out, char *err,
                           size_t errlen)
{
    *out = NULL;
    ds_api *api = ds_calloc(1, sizeof *api);
    if (!api) return DOSSIER_ENOMEM;
    api->cache = cache;
    dossier_status st =
        ds_store_open(db, DS_STORE_READONLY | DS_STORE_NOCREATE, &api->store, err, errlen);
    if (st != DOSSIER_OK) {
        ds_free(api);
        return st;
    }
    *out = api;
    return DOSSIER_OK;
}

void ds_api_close(ds_api *api)
{
    if (!api) return;
    ds_store_close(api->store);
    ds_free(api);
}

/* Answers kept in the answer cache: those built from several store queries.
 * Lists and stats come from the snapshot, cheaper than a cache lookup. */
static bool cacheable(const char *p)
{
    return !strncmp(p, "/incidents/", 11) || !strncmp(p, "/docs/", 6) ||
           !strcmp(p, "/search") || !strcmp(p, "/timeline");
}

static void route(ds_api *api, const char *p, req *r, answer *a)
{
    if (!strcmp(p, "/stats")) api_stats(api, a);
    else if (!strcmp(p, "/incidents")) api_incidents(api, r, a);
    else if (!strcmp(p, "/timeline")) api_timeline(api, r, a);
    else if (!strncmp(p, "/incidents/", 11)) api_incident(api, p + 11, a);
    else if (!strncmp(p, "/docs/", 6)) api_doc(api, p + 6, a);
    else if (!strcmp(p, "/search")) api_search(api, r, a);
    else fail(a, 404, "no such API endpoint");
}

dossier_status ds_api_answer(ds_api *api, const char *path, const char *key, size_t klen,
                             ds_api_arg_fn argfn, void *reqctx, int *http_status, char **body,
                             size_t *len)
{
    const char *p = path + 4;   /* after "/api" */
    api->ix = ds_cache_index(api->cache);
    uint64_t gen = api->ix ? ds_index_gen(api->ix) : 0;
    bool cache = api->ix && key && cacheable(p);
    if (cache && ds_cache_get(api->cache, gen, key, klen, http_status, body, len)) {
        ds_cache_release(api->cache, api->ix);
        api->ix = NULL;
        return DOSSIER_OK;
    }
    answer a;
    memset(&a, 0, sizeof a);
    a.status = 200;
    a.j.first[0] = true;
    /* most answers are a few KiB: one allocation instead of a growing chain */
    if ((a.j.b.p = ds_malloc(ANSWER_START))) a.j.b.cap = ANSWER_START;
    req r = {argfn, reqctx, ""};
    api->store->err[0] = '\0';
    route(api, p, &r, &a);
    ds_cache_release(api->cache, api->ix);
    api->ix = NULL;
    ds_buf_putc(&a.j.b, '\n');
    if (!ds_buf_cstr(&a.j.b)) {
        ds_buf_free(&a.j.b);
        return DOSSIER_ENOMEM;
    }
    /* answers that hold until the data changes (not 5xx: busy, errors) */
    if (cache && (a.status == 200 || a.status == 400 || a.status == 404))
        ds_cache_put(api->cache, gen, key, klen, a.status, a.j.b.p, a.j.b.n);
    *http_status = a.status;
    *body = a.j.b.p;
    *len = a.j.b.n;
    return DOSSIER_OK;
}
