/*
 * bench_claims.c — claim extraction speed: sentences per second on one core
 * for the whole claim stage (tokens, tags, chunks, parties, patterns, roles,
 * attribution, IHL), next to a plain tokenise-only pass over the same
 * sentences, measured in the same run.
 *
 *   bench_claims [SECONDS] FILE|DIR...
 * The texts are read and cleaned as `dossier extract` does (claims off), their
 * sentences collected, then grouped 40 to a document (so pronouns see earlier
 * sentences) and run over and over until SECONDS (default 3) have passed.
 */
#include "nlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct corpus {
    ds_buf text;          /* sentences, one per line */
    size_t nsent;
    ds_vec docs;          /* of struct { size_t off, len, n; } */
} corpus;

typedef struct cdoc {
    size_t off, len, n;
} cdoc;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static dossier_status on_doc(const dossier_input *in, dossier_doc *doc, dossier_status st, void *user)
{
    (void)in;
    corpus *c = user;
    if (st != DOSSIER_OK) return DOSSIER_OK;
    for (size_t i = 0; i < doc->sentences.n; i++) {
        const ds_sentence *s = &DS_SENT(doc, i);
        if (s->end - s->start < 20) continue;
        if (c->nsent % 40 == 0) {
            cdoc *d = ds_vec_push(&c->docs, sizeof *d);
            if (!d) return DOSSIER_ENOMEM;
            d->off = c->text.n;
        }
        cdoc *d = &((cdoc *)c->docs.items)[c->docs.n - 1];
        for (size_t k = s->start; k < s->end; k++) {
            char ch = doc->text[k];
            ds_buf_putc(&c->text, ch == '\n' ? ' ' : ch);
        }
        ds_buf_putc(&c->text, '\n');
        d->len = c->text.n - d->off;
        d->n++;
        c->nsent++;
    }
    return c->text.oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

int main(int argc, char **argv)
{
    double secs = 3;
    int first = 1;
    if (argc > 1 && strtod(argv[1], NULL) > 0 && !strchr(argv[1], '/')) {
        secs = strtod(argv[1], NULL);
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_claims [SECONDS] FILE|DIR...\n");
        return 2;
    }
    char err[512];
    dossier_options o = {0};
    o.no_claims = 1;
    dossier_ctx *clean = NULL, *ctx = NULL;
    if (dossier_ctx_new(NULL, &o, &clean, err, sizeof err) != DOSSIER_OK ||
        dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "bench_claims: %s\n", err);
        return 2;
    }
    corpus c = {0};
    if (dossier_run(clean, (const char *const *)argv + first, (size_t)(argc - first), 1, on_doc, NULL, &c) !=
            DOSSIER_OK ||
        c.nsent == 0) {
        fprintf(stderr, "bench_claims: no sentences read\n");
        return 2;
    }
    const cdoc *docs = c.docs.items;

    /* baseline: tokenise only */
    ds_toks ts = {0};
    size_t done = 0;
    double t0 = now(), t1;
    do {
        for (size_t d = 0; d < c.docs.n; d++) {
            const char *p = c.text.p + docs[d].off, *end = p + docs[d].len;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                ds_toks_tokenise(&ts, p, (size_t)(nl - p));
                done++;
                p = nl + 1;
            }
        }
        t1 = now();
    } while (t1 - t0 < secs / 2);
    double tok_rate = (double)done / (t1 - t0);
    ds_toks_free(&ts);

    /* claims: the whole stage */
    size_t claims = 0, sdone = 0;
    t0 = now();
    do {
        for (size_t d = 0; d < c.docs.n; d++) {
            dossier_doc *doc = NULL;
            if (ds_claims_for_text(ctx, c.text.p + docs[d].off, docs[d].len, &doc) != DOSSIER_OK) {
                fprintf(stderr, "bench_claims: extraction failed\n");
                return 1;
            }
            claims += doc->claims.n;
            sdone += docs[d].n;
            dossier_doc_free(doc);
        }
        t1 = now();
    } while (t1 - t0 < secs);
    double claim_rate = (double)sdone / (t1 - t0);
    printf("corpus: %zu sentences (%zu bytes) in %zu documents\n", c.nsent, c.text.n, c.docs.n);
    printf("tokenise-only %.0f/s\n", tok_rate);
    printf("claims %.0f/s (%.2f claims per sentence)\n", claim_rate, (double)claims / (double)sdone);
    printf("claims/tokenise ratio %.3f\n", claim_rate / tok_rate);
    ds_buf_free(&c.text);
    ds_vec_free(&c.docs);
    dossier_ctx_free(ctx);
    dossier_ctx_free(clean);
    return 0;
}
