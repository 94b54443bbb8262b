/*
 * targets.h — the bodies of the libFuzzer targets, one function per target
 * (fuzz_target_<name>), and the table naming them.  Each fuzz/fuzz_<name>.c
 * is a two-line wrapper, and tests/test_regress.c replays the inputs kept in
 * tests/regress/<name>/ through the same function, so a regression test is
 * exactly the fuzz run that found the bug.  Every target aborts when an
 * invariant breaks (a span out of range, a record that is not one line, an
 * API answer that is not a JSON object …); the sanitizers catch the rest.
 */
#ifndef DOSSIER_FUZZ_TARGETS_H
#define DOSSIER_FUZZ_TARGETS_H
#include "fuzz.h"
#include "serve.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>

/* ---- text: plain-text input through the whole pipeline: UTF-8 repair,
 * blocks, cleaning rules, headline/byline/origin lines, duplicates, sentences,
 * records writer. */
static inline int fuzz_target_text(const uint8_t *data, size_t size)
{
    dossier_input in = {0};
    in.path = "fuzz.txt";
    in.bytes = data;
    in.len = size;
    in.format = DOSSIER_FORMAT_TEXT;
    fuzz_extract(&in);
    return 0;
}

/* ---- html: HTML input through the whole pipeline: depth guard, gumbo,
 * main-text extraction, metadata, cleaning, sentences, records writer. */
static inline int fuzz_target_html(const uint8_t *data, size_t size)
{
    dossier_input in = {0};
    in.path = "fuzz.html";
    in.bytes = data;
    in.len = size;
    in.format = DOSSIER_FORMAT_HTML;
    fuzz_extract(&in);
    return 0;
}

/* ---- jsonl: a JSONL container file through ingest (line splitting,
 * cJSON, field mapping, extra fields) and then the pipeline. */
static inline int fuzz_target_jsonl(const uint8_t *data, size_t size)
{
    fuzz_ingest_file(data, size, ".jsonl");
    return 0;
}

/* ---- gzip: a .gz file through ingest: zlib's reader on corrupt,
 * truncated and concatenated streams, content sniffing (text, HTML, JSONL)
 * of what comes out, and then the pipeline. */
static inline int fuzz_target_gzip(const uint8_t *data, size_t size)
{
    fuzz_ingest_file(data, size, ".gz");
    return 0;
}

/* ---- sentences: the sentence splitter alone on arbitrary bytes: every
 * sentence lies inside the text, in order, without overlap. */
static inline int fuzz_target_sentences(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    char *text = ds_malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = 0;
    ds_vec out = {0};
    if (ds_split_sentences(ctx->sent, text, size, &out) == DOSSIER_OK) {
        size_t prev = 0;
        for (size_t i = 0; i < out.n; i++) {
            ds_sentence s = ((ds_sentence *)out.items)[i];
            if (s.start > s.end || s.end > size || s.start < prev) abort();
            prev = s.end;
        }
    }
    ds_vec_free(&out);
    ds_free(text);
    return 0;
}

/* ---- claims: claim extraction on its own: the bytes (made valid UTF-8)
 * become the cleaned text of a document, bypassing cleaning so that every
 * sentence reaches the claim rules, attribution, parties, places and times.
 * A first line of the form YYYY-MM-DD is taken as the publication date so
 * relative times get resolved.  Checks the claims' invariants: sentence index
 * in range, trigger span inside its sentence, enum values in range. */
static inline int fuzz_target_claims(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    dossier_doc doc = {0};
    doc.arena = a;
    snprintf(doc.id, sizeof doc.id, "sha256:fuzz");
    char pub[11];
    if (size >= 11 && data[4] == '-' && data[7] == '-' && data[10] == '\n') {
        memcpy(pub, data, 10);
        pub[10] = 0;
        doc.published = pub;
        data += 11, size -= 11;
    }
    bool repaired;
    doc.text = ds_utf8_repair(a, data, size, &doc.text_len, &repaired);
    if (doc.text &&
        ds_split_sentences(ctx->sent, doc.text, doc.text_len, &doc.sentences) == DOSSIER_OK &&
        ds_extract_claims(ctx, &doc) == DOSSIER_OK) {
        for (size_t i = 0; i < doc.claims.n; i++) {
            const ds_claim *c = &DS_CLAIM(&doc, i);
            if (c->sentence < 0 || (size_t)c->sentence >= doc.sentences.n) abort();
            const ds_sentence *s = &DS_SENT(&doc, c->sentence);
            if (c->trigger_start > c->trigger_end || c->trigger_start < s->start ||
                c->trigger_end > s->end)
                abort();
            if ((int)c->type < 0 || (int)c->type >= DS_EV__COUNT) abort();
            if ((int)c->modality < 0 || (int)c->modality >= DS_MOD__COUNT) abort();
        }
        ds_buf b = {0};
        if (ds_doc_write_json(&doc, &b) == DOSSIER_OK && (!b.n || b.p[b.n - 1] != '\n')) abort();
        ds_buf_free(&b);
    }
    ds_vec_free(&doc.sentences);
    ds_vec_free(&doc.claims);
    ds_vec_free(&doc.dropped_lines);
    ds_arena_free(a);
    return 0;
}

/* ---- places: place resolution: the input's first line is the context
 * document (its text and title), the rest the place text.  Runs the resolver
 * with and without that context, the sentence place finder over the whole
 * input, the explainer, and the folding/skeleton keys.  Checks spans stay in
 * range, precisions are valid and coordinates finite where resolved. */
static inline void fuzz_check_location(const ds_location *l)
{
    if ((int)l->precision < 0 || l->precision > DS_PREC_UNRESOLVED) abort();
    if (l->precision >= DS_PREC_TOWN && l->precision <= DS_PREC_COUNTRY &&
        (!isfinite(l->lat) || !isfinite(l->lon) || fabs(l->lat) > 90 || fabs(l->lon) > 180))
        abort();
    if (l->name) (void)strlen(l->name);
    if (l->admin1) (void)strlen(l->admin1);
    if (strlen(l->country) > 3) abort();
}

static inline int fuzz_target_places(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    bool repaired;
    size_t n;
    char *s = ds_utf8_repair(a, data, size, &n, &repaired);
    if (!s) goto out;
    char *nl = memchr(s, '\n', n);
    const char *place = nl ? nl + 1 : s;
    dossier_doc doc = {0};
    doc.arena = a;
    doc.text = s;
    doc.text_len = nl ? (size_t)(nl - s) : 0;
    doc.title = nl ? ds_arena_strndup(a, s, doc.text_len) : NULL;

    ds_location l = {0};
    l.text = place;
    ds_resolve_location(ctx, &doc, &l);
    fuzz_check_location(&l);
    memset(&l, 0, sizeof l);
    l.text = place;
    ds_resolve_location(ctx, NULL, &l);
    fuzz_check_location(&l);

    size_t pl = strlen(place), st, en;
    if (ds_find_place(ctx, s, n, &st, &en) && (st > en || en > n)) abort();
    (void)ds_is_place(ctx, place, pl);
    int k = ds_place_kind(ctx, place, pl);
    if (k < 0 || k > 3) abort();

    ds_location cand[8];
    double scores[8];
    size_t nc = ds_place_explain(ctx, place, cand, scores, 8);
    if (nc > 8) abort();
    for (size_t i = 0; i < nc; i++) fuzz_check_location(&cand[i]);

    char key[256], skel[256];
    size_t kl = ds_place_fold(place, pl, key, sizeof key);
    if (kl >= sizeof key) abort();
    if (kl) {
        size_t sl = ds_place_skeleton(key, kl, skel, sizeof skel);
        if (sl >= sizeof skel) abort();
        bool had;
        if (ds_place_strip_admin(key, kl, &had) > kl) abort();
        (void)ds_place_hash(key, kl);
    }
out:
    ds_arena_free(a);
    return 0;
}

/* ---- dates: date finding and normalisation: a first line of the form
 * YYYY-MM-DD (any bytes in the digit places) is the publication date, the
 * rest the text.  Runs ds_find_time over the text and ds_resolve_time on the
 * whole text and on the span found, with and without the publication date.
 * Checks the span is in range and the value has the shape its precision
 * says (YYYY-MM-DD / XXXX-MM-DD, YYYY-MM, YYYY, empty). */
static inline void fuzz_check_time(const ds_time *t)
{
    const char *v = t->value;
    size_t n = strnlen(v, sizeof t->value);
    if (n == sizeof t->value) abort();
    switch (t->precision) {
    case DS_TPREC_DAY:
        if (n != 10 || v[4] != '-' || v[7] != '-') abort();
        break;
    case DS_TPREC_MONTH:
        if (n != 7 || v[4] != '-') abort();
        break;
    case DS_TPREC_YEAR:
        if (n != 4) abort();
        break;
    case DS_TPREC_NONE:
    case DS_TPREC_UNRESOLVED:
        break;
    default:
        abort();
    }
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)v[i]) && v[i] != '-' && v[i] != 'X') abort();
}

static inline int fuzz_target_dates(const uint8_t *data, size_t size)
{
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    char pub[11] = "";
    if (size >= 11 && data[4] == '-' && data[7] == '-' && data[10] == '\n') {
        memcpy(pub, data, 10);
        data += 11, size -= 11;
    }
    bool repaired;
    size_t n;
    char *s = ds_utf8_repair(a, data, size, &n, &repaired);
    if (s) {
        ds_time t = {0};
        t.text = s;
        ds_resolve_time(pub[0] ? pub : NULL, &t);
        fuzz_check_time(&t);
        memset(&t, 0, sizeof t);
        t.text = s;
        ds_resolve_time(NULL, &t);
        fuzz_check_time(&t);
        size_t st, en;
        if (ds_find_time(s, n, &st, &en)) {
            if (st > en || en > n) abort();
            memset(&t, 0, sizeof t);
            t.text = ds_arena_strndup(a, s + st, en - st);
            if (t.text) {
                ds_resolve_time(pub[0] ? pub : NULL, &t);
                fuzz_check_time(&t);
            }
        }
    }
    ds_arena_free(a);
    return 0;
}

/* ---- api: the HTTP API's request handling: the input is a request
 * target ("/api/incidents?type=attack&near=48.5,35,20"), split into path and
 * query arguments and percent-decoded the way libmicrohttpd hands them to
 * the server, then answered by ds_api_answer over a small database built at
 * start-up from the text seeds (fuzz/corpus/text, or $FUZZ_API_DOCS).  Every
 * answer must be a valid JSON object with a 2xx/4xx status.  Each request is
 * answered twice: through the server's shared cache (lists, timeline and
 * stats from memory, other answers through the answer LRU) and by the store
 * alone; both answers must be the same (but for near= lists, which the store
 * pages before the exact distance test). */
#define FUZZ_MAX_ARGS 32

typedef struct fuzz_args {
    char *name[FUZZ_MAX_ARGS], *value[FUZZ_MAX_ARGS];
    int n;
} fuzz_args;

static inline const char *fuzz_api_arg(void *req, const char *name)
{
    fuzz_args *a = req;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->name[i], name)) return a->value[i];
    return NULL;
}

static inline int fuzz_hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* percent-decode in place ('+' is a space in query values) */
static inline void fuzz_unescape(char *s, bool plus)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        int hi, lo;
        if (*r == '%' && (hi = fuzz_hexv(r[1])) >= 0 && (lo = fuzz_hexv(r[2])) >= 0) {
            int c = hi * 16 + lo;
            *w++ = c ? (char)c : 1;   /* a decoded NUL cannot end the string early */
            r += 2;
        } else {
            *w++ = plus && *r == '+' ? ' ' : *r;
        }
    }
    *w = 0;
}

static inline dossier_status fuzz_store_doc(const dossier_input *in, void *user)
{
    dossier_doc *d = NULL;
    if (dossier_extract(fuzz_ctx(), in, &d) == DOSSIER_OK) ds_ingest_doc(user, d);
    dossier_doc_free(d);
    return DOSSIER_OK;
}

static ds_api *fuzz_api_handle, *fuzz_api_plain;
static ds_serve_cache *fuzz_api_cache;
static char fuzz_api_db[256];

static inline void fuzz_api_cleanup(void)
{
    ds_api_close(fuzz_api_handle);
    ds_api_close(fuzz_api_plain);
    ds_cache_close(fuzz_api_cache);
    char p[300];
    remove(fuzz_api_db);
    snprintf(p, sizeof p, "%s-wal", fuzz_api_db);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", fuzz_api_db);
    remove(p);
}

static inline ds_api *fuzz_api(void)
{
    ds_api *a = NULL;
    if (fuzz_api_handle) return fuzz_api_handle;
    const char *dir = getenv("TMPDIR");
    char *db = fuzz_api_db;
    snprintf(db, sizeof fuzz_api_db, "%s/dossier-fuzz-api-%d.db", dir && *dir ? dir : "/tmp", (int)getpid());
    char err[512];
    ds_store *s = NULL;
    ds_ingest *in = NULL;
    if (ds_store_open(db, 0, &s, err, sizeof err) != DOSSIER_OK ||
        ds_ingest_new(s, 0, &in) != DOSSIER_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err);
        abort();
    }
    const char *docs = getenv("FUZZ_API_DOCS");
    if (!docs || !*docs) /* run from the source tree (scripts/fuzz) or from tests/ */
        docs = access("fuzz/corpus/text", R_OK) == 0 ? "fuzz/corpus/text" : "../fuzz/corpus/text";
    dossier_options o = {0};
    dossier_ingest_path(docs, &o, fuzz_store_doc, fuzz_on_error, in);
    if (ds_ingest_flush(in) != DOSSIER_OK) abort();
    ds_ingest_free(in);
    ds_store_close(s);
    if (ds_cache_open(db, 1 << 20, &fuzz_api_cache, err, sizeof err) != DOSSIER_OK ||
        ds_api_open(db, fuzz_api_cache, &a, err, sizeof err) != DOSSIER_OK ||
        ds_api_open(db, NULL, &fuzz_api_plain, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err);
        abort();
    }
    fuzz_api_handle = a;
    atexit(fuzz_api_cleanup);
    return a;
}

static inline int fuzz_target_api(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;   /* the server refuses longer request lines */
    ds_api *a = fuzz_api();
    char *url = malloc(size + 6);
    if (!url) return 0;
    memcpy(url, "/api/", 5);
    size_t k = 5;
    for (size_t i = 0; i < size; i++)   /* MHD never passes NUL, CR or LF */
        if (data[i] && data[i] != '\r' && data[i] != '\n') url[k++] = (char)data[i];
    url[k] = 0;
    /* a request target may repeat the prefix: keep whatever came after "/api/" */
    fuzz_args q = {0};
    char *qs = strchr(url, '?');
    if (qs) {
        *qs++ = 0;
        for (char *p = qs; p && *p && q.n < FUZZ_MAX_ARGS;) {
            char *amp = strchr(p, '&');
            if (amp) *amp++ = 0;
            char *eq = strchr(p, '=');
            if (eq) *eq++ = 0;
            fuzz_unescape(p, true);
            if (eq) fuzz_unescape(eq, true);
            q.name[q.n] = p;
            q.value[q.n++] = eq ? eq : p + strlen(p);
            p = amp;
        }
    }
    fuzz_unescape(url, false);
    int status = 0, status2 = 0;
    char *body = NULL, *body2 = NULL;
    size_t len = 0, len2 = 0;
    /* the answer cache's key: the input itself names the request */
    if (ds_api_answer(fuzz_api_plain, url, NULL, 0, fuzz_api_arg, &q, &status2, &body2, &len2) !=
        DOSSIER_OK)
        body2 = NULL;
    if (ds_api_answer(a, url, (const char *)data, size, fuzz_api_arg, &q, &status, &body, &len) ==
        DOSSIER_OK) {
        bool near_list = !strcmp(url, "/api/incidents") && fuzz_api_arg(&q, "near");
        if (body2 && !near_list && (status != status2 || len != len2 || memcmp(body, body2, len))) {
            fprintf(stderr, "cached and store answers differ for %s:\n%.300s\n%.300s\n", url,
                    body, body2);
            abort();
        }
        if (!body || strlen(body) != len) abort();
        if (status < 200 || status >= 500) {
            fprintf(stderr, "status %d for %s: %s\n", status, url, body);
            abort();
        }
        cJSON *j = cJSON_ParseWithLength(body, len);
        if (!j || !cJSON_IsObject(j)) {
            fprintf(stderr, "not a JSON object for %s: %.200s\n", url, body);
            abort();
        }
        cJSON_Delete(j);
        ds_free(body);
    }
    ds_free(body2);
    free(url);
    return 0;
}

typedef struct fuzz_target {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} fuzz_target;

static const fuzz_target fuzz_targets[] = {
    {"text", fuzz_target_text},
    {"html", fuzz_target_html},
    {"jsonl", fuzz_target_jsonl},
    {"gzip", fuzz_target_gzip},
    {"sentences", fuzz_target_sentences},
    {"claims", fuzz_target_claims},
    {"places", fuzz_target_places},
    {"dates", fuzz_target_dates},
    {"api", fuzz_target_api},
};

/* The target called name, or NULL. */
static inline const fuzz_target *fuzz_target_named(const char *name)
{
    for (size_t i = 0; i < sizeof fuzz_targets / sizeof fuzz_targets[0]; i++)
        if (!strcmp(fuzz_targets[i].name, name)) return &fuzz_targets[i];
    return NULL;
}
#endif
