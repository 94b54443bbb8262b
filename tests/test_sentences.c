/*
 * test_sentences.c — the sentence splitter against tests/sentences/cases.txt:
 * each case lists its expected boundaries with " | "; a case without one must
 * stay a single sentence.  Also checks offsets point at the right bytes.
 */
#include "internal.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Unescape "\n" in a case line. */
static size_t unescape(const char *in, char *out)
{
    size_t o = 0;
    for (size_t i = 0; in[i]; i++) {
        if (in[i] == '\\' && in[i + 1] == 'n') {
            out[o++] = '\n';
            i++;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = 0;
    return o;
}

int main(void)
{
    dossier_ctx *ctx = NULL;
    char err[256];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s %s", dossier_strerror(st), err);
    if (!ctx) return tap_done("test_sentences");
    FILE *f = fopen("sentences/cases.txt", "r");
    CHECK(f != NULL, "cannot open sentences/cases.txt");
    if (!f) return tap_done("test_sentences");
    char line[4096];
    int cases = 0, nosplit = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        cases++;
        /* expected sentences: split on " | "; input = pieces joined by one space */
        char *expect[32];
        int nexp = 0;
        char input[4096] = "";
        char *p = line, *arrow = strstr(line, " => ");
        if (arrow) {   /* explicit input */
            *arrow = 0;
            snprintf(input, sizeof input, "%s", line);
            p = arrow + 4;
        }
        for (;;) {
            char *bar = strstr(p, " | ");
            if (bar) *bar = 0;
            if (nexp < 32) expect[nexp++] = p;
            if (!arrow) {
                if (input[0]) strcat(input, " ");
                strcat(input, p);
            }
            if (!bar) break;
            p = bar + 3;
        }
        if (nexp == 1) nosplit++;
        char text[4096];
        size_t len = unescape(input, text);
        ds_vec out = {0};
        st = ds_split_sentences(ctx->sent, text, len, &out);
        CHECK(st == DOSSIER_OK, "split failed on: %s", input);
        CHECK(out.n == (size_t)nexp, "want %d sentences, got %zu: %s", nexp, out.n, input);
        for (int i = 0; i < nexp && (size_t)i < out.n; i++) {
            char want[4096];
            size_t wl = unescape(expect[i], want);
            ds_sentence *s = &((ds_sentence *)out.items)[i];
            size_t gl = s->end - s->start;
            CHECK(gl == wl && memcmp(text + s->start, want, wl) == 0,
                  "sentence %d: got '%.*s', want '%s'", i, (int)gl, text + s->start, want);
        }
        ds_vec_free(&out);
    }
    fclose(f);
    CHECK(cases >= 60, "only %d cases (want at least 60)", cases);
    CHECK(nosplit >= 25, "only %d must-not-split cases", nosplit);
    /* offsets are relative to the text given, and skip leading white space */
    ds_vec out = {0};
    const char *t = "   One.  Two.";
    ds_split_sentences(ctx->sent, t, strlen(t), &out);
    CHECK(out.n == 2 && ((ds_sentence *)out.items)[0].start == 3, "leading space skipped");
    ds_vec_free(&out);
    dossier_ctx_free(ctx);
    return tap_done("test_sentences");
}
