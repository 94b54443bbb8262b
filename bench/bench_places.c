/*
 * bench_places.c — throughput of the place resolver and the date finder/
 * normaliser on one core: reads one string per line from a file and runs
 * every line through the resolver repeatedly for about the given seconds.
 *
 * usage: bench_places places|dates FILE [SECONDS] [PUBLISHED]
 * prints: "<mode> <ops>/s (<lines> strings, <resolved> resolved)"
 * Used by bench/places.sh, which runs chrono-node on the same strings.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "places") && strcmp(argv[1], "dates"))) {
        fprintf(stderr, "usage: bench_places places|dates FILE [SECONDS] [PUBLISHED]\n");
        return 2;
    }
    bool places = !strcmp(argv[1], "places");
    double secs = argc > 3 ? atof(argv[3]) : 2.0;
    const char *published = argc > 4 ? argv[4] : "2022-03-07";
    char *text = NULL;
    size_t len = 0;
    if (ds_read_file(argv[2], &text, &len) != DOSSIER_OK) {
        fprintf(stderr, "bench_places: cannot read %s\n", argv[2]);
        return 2;
    }
    ds_vec lines = {0};
    for (char *s = text; *s;) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = 0;
        if (*s) {
            char **slot = ds_vec_push(&lines, sizeof(char *));
            if (!slot) return 2;
            *slot = s;
        }
        if (!nl) break;
        s = nl + 1;
    }
    char **l = lines.items;
    dossier_ctx *ctx = NULL;
    char err[512];
    double t0 = now();
    if (dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "bench_places: %s\n", err);
        return 2;
    }
    double t_open = now() - t0;
    if (places && !ctx->gaz) {
        fprintf(stderr, "bench_places: no gazetteer index (run scripts/setup)\n");
        return 2;
    }
    size_t ops = 0, resolved = 0;
    double start = now(), el = 0;
    do {
        for (size_t i = 0; i < lines.n; i++) {
            if (places) {
                ds_location loc;
                memset(&loc, 0, sizeof loc);
                loc.text = l[i];
                ds_resolve_location(ctx, NULL, &loc);
                if (ops < lines.n && loc.precision != DS_PREC_UNRESOLVED) resolved++;
            } else {
                size_t st, en, n = strlen(l[i]);
                ds_time t;
                memset(&t, 0, sizeof t);
                char span[512];
                if (ds_find_time(l[i], n, &st, &en) && en - st < sizeof span) {
                    memcpy(span, l[i] + st, en - st);
                    span[en - st] = 0;
                    t.text = span;
                    ds_resolve_time(published, &t);
                    if (ops < lines.n && t.value[0]) resolved++;
                }
            }
            ops++;
        }
        el = now() - start;
    } while (el < secs);
    printf("%s %.0f/s (%zu strings, %zu resolved, context load %.1f ms)\n", argv[1], ops / el,
           lines.n, resolved, t_open * 1000);
    dossier_ctx_free(ctx);
    ds_vec_free(&lines);
    ds_free(text);
    return 0;
}
