/*
 * fuzz.h — shared by the libFuzzer targets fuzz/fuzz_*.c: one dossier_ctx
 * loaded once per process (data from $DOSSIER_DATA or the source tree), and
 * helpers that run a buffer through the whole pipeline and the records writer.
 * Each target must never crash, hang, leak or trip a sanitizer, whatever the
 * bytes.  Run them with `make fuzz` (scripts/fuzz).
 */
#ifndef DOSSIER_FUZZ_H
#define DOSSIER_FUZZ_H
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline dossier_ctx *fuzz_ctx(void)
{
    static dossier_ctx *ctx;
    if (!ctx) {
        char err[512];
        dossier_options o = {0};
        o.max_doc_bytes = 1u << 20;   /* keep single execs fast */
        if (dossier_ctx_new(NULL, &o, &ctx, err, sizeof err) != DOSSIER_OK) {
            fprintf(stderr, "fuzz: cannot load data: %s\n", err);
            abort();
        }
    }
    return ctx;
}

/* Extract, then write the record and read every accessor. */
static inline void fuzz_extract(const dossier_input *in)
{
    dossier_doc *d = NULL;
    if (dossier_extract(fuzz_ctx(), in, &d) != DOSSIER_OK) return;
    size_t n;
    const char *t = dossier_doc_text(d, &n);
    if (strlen(t) != n) abort();   /* text is NUL-terminated, no NUL inside */
    for (size_t i = 0; i < dossier_doc_sentence_count(d); i++) {
        size_t a, b;
        if (dossier_doc_sentence(d, i, &a, &b) != DOSSIER_OK || a > b || b > n) abort();
    }
    (void)dossier_doc_flags(d);
    char *json = NULL;
    if (dossier_doc_to_json(d, &json, &n) == DOSSIER_OK) {
        if (!n || json[n - 1] != '\n' || memchr(json, '\n', n - 1)) abort();   /* one line */
        free(json);
    }
    dossier_doc_free(d);
}

static inline dossier_status fuzz_on_input(const dossier_input *in, void *user)
{
    (void)user;
    fuzz_extract(in);
    return DOSSIER_OK;
}

static inline void fuzz_on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    (void)path, (void)st, (void)msg, (void)user;
}

/* Write data to a private temp file named with `suffix` and ingest it. */
static inline void fuzz_ingest_file(const uint8_t *data, size_t size, const char *suffix)
{
    static char path[256];
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/dossier-fuzz-%d%s", dir && *dir ? dir : "/tmp",
                 (int)getpid(), suffix);
    }
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    dossier_options o = {0};
    o.max_doc_bytes = 1u << 20;
    dossier_ingest_path(path, &o, fuzz_on_input, fuzz_on_error, NULL);
    remove(path);
}
#endif
