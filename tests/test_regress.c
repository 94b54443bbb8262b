/*
 * test_regress.c — replay every file in tests/regress/<target>/ (inputs that once broke
 * dossier, or that a fuzz target found) through the same entry point as
 * fuzz/fuzz_<target>.c.  Under ASan+UBSan a crash, leak or overflow fails the
 * run; each input must also give a known status and a one-line record.
 */
#include "internal.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static dossier_ctx *ctx;

static void check_doc(const char *path, dossier_status st, dossier_doc *d)
{
    CHECK(st < DOSSIER_STATUS_COUNT && st != DOSSIER_ENOMEM, "%s: status %s", path,
          dossier_strerror(st));
    if (!d) return;
    size_t n;
    const char *t = dossier_doc_text(d, &n);
    CHECK(strlen(t) == n, "%s: text length", path);
    char *json = NULL;
    CHECK(dossier_doc_to_json(d, &json, &n) == DOSSIER_OK && n && json[n - 1] == '\n' &&
              !memchr(json, '\n', n - 1),
          "%s: one-line record", path);
    free(json);
}

static dossier_status on_input(const dossier_input *in, void *user)
{
    dossier_doc *d = NULL;
    dossier_status st = dossier_extract(ctx, in, &d);
    check_doc(in->path, st, d);
    dossier_doc_free(d);
    ++*(int *)user;
    return DOSSIER_OK;
}

static void on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    (void)user;
    CHECK(msg && *msg && st != DOSSIER_OK, "%s: error has a message", path);
}

static void replay(const char *target, const char *path)
{
    if (!strcmp(target, "jsonl") || !strcmp(target, "gzip")) {
        int docs = 0;
        dossier_status st = dossier_ingest_path(path, NULL, on_input, on_error, &docs);
        CHECK(st == DOSSIER_OK, "%s: ingest %s", path, dossier_strerror(st));
        return;
    }
    char *bytes;
    size_t len;
    dossier_status st = ds_read_file(path, &bytes, &len);
    CHECK(st == DOSSIER_OK, "%s: read", path);
    if (st != DOSSIER_OK) return;
    if (!strcmp(target, "sentences")) {
        ds_vec out = {0};
        st = ds_split_sentences(ctx->sent, bytes, len, &out);
        size_t prev = 0;
        bool ordered = true;
        for (size_t i = 0; i < out.n; i++) {
            ds_sentence s = ((ds_sentence *)out.items)[i];
            ordered = ordered && s.start <= s.end && s.end <= len && s.start >= prev;
            prev = s.end;
        }
        CHECK(st == DOSSIER_OK && ordered, "%s: sentences in order inside the text", path);
        ds_vec_free(&out);
    } else {
        dossier_input in = {0};
        in.path = path;
        in.bytes = (const unsigned char *)bytes;
        in.len = len;
        in.format = !strcmp(target, "html") ? DOSSIER_FORMAT_HTML
                    : !strcmp(target, "text") ? DOSSIER_FORMAT_TEXT : DOSSIER_FORMAT_AUTO;
        dossier_doc *d = NULL;
        st = dossier_extract(ctx, &in, &d);
        check_doc(path, st, d);
        dossier_doc_free(d);
    }
    ds_free(bytes);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

int main(void)
{
    char err[512];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (st != DOSSIER_OK) return tap_done("regress");
    DIR *top = opendir("regress");   /* ctest runs us in tests/ */
    CHECK(top != NULL, "tests/regress exists");
    int files = 0;
    struct dirent *t;
    while (top && (t = readdir(top))) {
        if (t->d_name[0] == '.' || t->d_type != DT_DIR) continue;
        char dir[512];
        snprintf(dir, sizeof dir, "regress/%s", t->d_name);
        DIR *d = opendir(dir);
        char *names[1024];
        size_t n = 0;
        struct dirent *e;
        while (d && (e = readdir(d)) && n < 1024)
            if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
        if (d) closedir(d);
        qsort(names, n, sizeof *names, cmp);
        for (size_t i = 0; i < n; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            replay(t->d_name, path);
            files++;
            free(names[i]);
        }
    }
    if (top) closedir(top);
    CHECK(files >= 7, "replayed %d regression inputs", files);
    dossier_ctx_free(ctx);
    return tap_done("regress");
}
