/*
 * test_alloc_fail.c — fail the k-th allocation, for every k, along a full
 * extract: loading the context, extracting a text document and an HTML page,
 * writing the record.  Each run must return DOSSIER_ENOMEM (or succeed when the
 * failed allocation was optional), never crash, and leave no allocation live
 * (counted here through dossier_set_allocator; ASan/LSan watch the rest).
 * Allocations made inside gumbo, pcre2, cJSON and zlib do not go through the
 * hook and are not failed here.
 */
#include "internal.h"
#include "tap.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* atomic: dossier_run allocates on its worker threads too */
static _Atomic long count, live, failed;
static long fail_at;
static bool persist;   /* fail every allocation from the k-th on, not just the k-th */

static bool should_fail(void)
{
    long c = ++count;
    return fail_at && (persist ? c >= fail_at : c == fail_at);
}

static void *t_malloc(size_t n, void *u)
{
    (void)u;
    if (should_fail()) {
        failed++;
        return NULL;
    }
    void *p = malloc(n);
    if (p) live++;
    return p;
}

static void *t_realloc(void *p, size_t n, void *u)
{
    (void)u;
    if (should_fail()) {
        failed++;
        return NULL;
    }
    void *q = realloc(p, n);
    if (q && !p) live++;
    return q;
}

static void t_free(void *p, void *u)
{
    (void)u;
    if (p) live--;
    free(p);
}

static char *slurp(const char *path, size_t *len)
{
    char *s = NULL;
    dossier_status st = ds_read_file(path, &s, len);
    CHECK(st == DOSSIER_OK, "read %s", path);
    return s;
}

/* One full extract + record; returns the status, frees everything. */
static dossier_status extract_once(const dossier_ctx *ctx, const char *path, const char *bytes,
                                   size_t len, dossier_format fmt)
{
    dossier_input in = {0};
    in.path = path;
    in.bytes = (const unsigned char *)bytes;
    in.len = len;
    in.format = fmt;
    dossier_doc *d = NULL;
    dossier_status st = dossier_extract(ctx, &in, &d);
    if (st == DOSSIER_OK) {
        (void)dossier_doc_flags(d);
        char *json = NULL;
        size_t n;
        st = dossier_doc_to_json(d, &json, &n);
        if (st == DOSSIER_OK && (!n || json[n - 1] != '\n')) st = DOSSIER_EFORMAT;
        free(json);
        dossier_doc_free(d);
    }
    return st;
}

/* Fail allocation k for k = 1 .. (allocations of a clean run). */
static void sweep_extract(const dossier_ctx *ctx, const char *path, dossier_format fmt)
{
    size_t len;
    char *bytes = slurp(path, &len);
    if (!bytes) return;
    fail_at = 0;
    count = 0;
    long live0 = live;
    dossier_status st = extract_once(ctx, path, bytes, len, fmt);
    CHECK(st == DOSSIER_OK, "%s: clean run: %s", path, dossier_strerror(st));
    long total = count;
    CHECK(total > 3, "%s: %ld allocations in a clean run", path, total);
    long bad_status = 0, leaks = 0, enomem = 0;
    for (long k = 1; k <= total; k++) {
        fail_at = k;
        count = 0;
        failed = 0;
        st = extract_once(ctx, path, bytes, len, fmt);
        if (st == DOSSIER_ENOMEM) enomem++;
        else if (st != DOSSIER_OK) {
            bad_status++;
            fprintf(stderr, "# %s: k=%ld gave %s\n", path, k, dossier_strerror(st));
        }
        if (live != live0) {
            leaks++;
            fprintf(stderr, "# %s: k=%ld leaves %ld allocations live\n", path, k, live - live0);
            live = live0;
        }
    }
    CHECK(bad_status == 0, "%s: every failed allocation gives ENOMEM or success (%ld other)",
          path, bad_status);
    CHECK(leaks == 0, "%s: no leak for any k (%ld runs leaked)", path, leaks);
    CHECK(enomem > 0, "%s: k = 1..%ld swept, %ld gave ENOMEM", path, total, enomem);
    printf("# %s%s: k = 1..%ld, %ld ENOMEM, %ld succeeded\n", path,
           persist ? " (every allocation from k on fails)" : "", total, enomem,
           total - enomem - bad_status);
    fail_at = 0;
    ds_free(bytes);
}

static dossier_status on_doc(const dossier_input *in, dossier_doc *doc, dossier_status st,
                             void *user)
{
    (void)in, (void)user;
    if (st != DOSSIER_OK) return DOSSIER_OK;   /* a document that failed: go on */
    char *json = NULL;
    size_t n;
    st = dossier_doc_to_json(doc, &json, &n);
    free(json);
    return st;
}

static void on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    (void)path, (void)st, (void)msg, (void)user;
}

/* dossier_run over a directory (ingest, runner threads, extract, records). */
static void sweep_run(const dossier_ctx *ctx, const char *dir)
{
    const char *paths[] = {dir};
    fail_at = 0;
    count = 0;
    long live0 = live;
    dossier_status st = dossier_run(ctx, paths, 1, 1, on_doc, on_error, NULL);
    CHECK(st == DOSSIER_OK, "run %s: %s", dir, dossier_strerror(st));
    long total = count, bad = 0;
    for (long k = 1; k <= total + 8; k++) {
        fail_at = k;
        count = 0;
        st = dossier_run(ctx, paths, 1, 1, on_doc, on_error, NULL);
        if (st != DOSSIER_OK && st != DOSSIER_ENOMEM) bad++;
        if (live != live0) {
            fprintf(stderr, "# run %s: k=%ld leaves %ld live\n", dir, k, live - live0);
            bad++;
            live = live0;
        }
    }
    fail_at = 0;
    CHECK(bad == 0, "run %s: k = 1..%ld: OK or ENOMEM, no leak (%ld bad)", dir, total, bad);
    printf("# run %s%s: k = 1..%ld\n", dir, persist ? " (from k on)" : "", total);
}

int main(void)
{
    dossier_allocator a = {t_malloc, t_realloc, t_free, NULL};
    dossier_set_allocator(&a);

    /* the context: every allocation of loading data/ */
    fail_at = 0;
    count = 0;
    dossier_ctx *ctx = NULL;
    char err[512];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    dossier_ctx_free(ctx);
    CHECK(live == 0, "ctx freed: %ld live", live);
    long total = count, bad = 0, leaky = 0, first_leak = 0;
    for (long k = 1; k <= total; k++) {
        fail_at = k;
        count = 0;
        ctx = NULL;
        st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
        if (st == DOSSIER_OK) dossier_ctx_free(ctx);
        else if ((st != DOSSIER_ENOMEM && st != DOSSIER_EDATA) || ctx) bad++;
        if (live) {
            if (!leaky++) first_leak = k;
            live = 0;
        }
    }
    CHECK(bad == 0, "ctx: k = 1..%ld: ENOMEM or success (%ld bad)", total, bad);
    CHECK(leaky == 0, "ctx: no leak for any k (%ld leaked, first k=%ld)", leaky, first_leak);
    printf("# ctx: k = 1..%ld\n", total);

    fail_at = 0;
    st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (st != DOSSIER_OK) return tap_done("alloc_fail");
    const char *shared = getenv("SHARED");
    char seed[1024];
    snprintf(seed, sizeof seed, "%s/corpus/seeds/003_f150a9e314237480.txt",
             shared && *shared ? shared : "../../shared");
    FILE *f = fopen(seed, "rb");
    if (f) fclose(f);
    for (int mode = 0; mode < 2; mode++) {
        persist = mode == 1;
        sweep_extract(ctx, "gold/texts/g01_wire.txt", DOSSIER_FORMAT_AUTO);
        sweep_extract(ctx, "gold/texts/g02_blog.txt", DOSSIER_FORMAT_AUTO);
        sweep_extract(ctx, "../fuzz/corpus/html/article.html", DOSSIER_FORMAT_AUTO);
        sweep_extract(ctx, "../fuzz/corpus/jsonl/feed.jsonl", DOSSIER_FORMAT_TEXT);
        if (f) sweep_extract(ctx, seed, DOSSIER_FORMAT_AUTO);
        sweep_run(ctx, "gold/texts");
        sweep_run(ctx, "../fuzz/corpus/jsonl");
    }
    persist = false;
    dossier_ctx_free(ctx);
    CHECK(live == 0, "all freed: %ld live", live);
    dossier_set_allocator(NULL);
    return tap_done("alloc_fail");
}
