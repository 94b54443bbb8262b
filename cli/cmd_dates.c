/*
 * cmd_dates.c — `dossier dates "TEXT"... [--published YYYY-MM-DD]`: find the
 * date expression in each text and print it normalised as the record's time
 * (TIMEX3-style value and precision), one JSON object per text.
 */
#include "cli.h"
#include "internal.h"

#include <getopt.h>
#include <string.h>

static void help(FILE *f)
{
    fputs("usage: dossier dates [OPTIONS] TEXT...\n\n"
          "Find the date expression in each TEXT (\"last Saturday\", \"on February 24\",\n"
          "\"2/24/2022\", \"two weeks ago\") and print it normalised as JSON, one line per TEXT:\n"
          "{\"text\": the expression, \"value\": \"2022-02-24\" | \"XXXX-02-24\" | \"2022-02\" | \"2022\"\n"
          " | null, \"precision\": day | month | year | unresolved}.\n\n"
          "options:\n"
          "  -p, --published DATE  publication date (YYYY-MM-DD) that relative expressions\n"
          "                        and partial dates are resolved against\n"
          "  -w, --whole           take each TEXT as the expression itself (no search)\n\n"
          "exit codes: 0 every text resolved, 1 some not, 2 usage error\n",
          f);
}

int cmd_dates(int argc, char **argv)
{
    static const struct option longs[] = {{"published", required_argument, 0, 'p'},
                                           {"whole", no_argument, 0, 'w'},
                                           {"help", no_argument, 0, 'h'},
                                           {0, 0, 0, 0}};
    const char *published = NULL;
    bool whole = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "p:wh", longs, NULL)) != -1) {
        switch (opt) {
        case 'p': published = optarg; break;
        case 'w': whole = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_FATAL;
        }
    }
    if (published) {
        int y, m, d;
        char tail;
        if (sscanf(published, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(published) != 10 ||
            m < 1 || m > 12 || d < 1 || d > 31) {
            cli_error("--published expects YYYY-MM-DD, got '%s'", published);
            return EXIT_FATAL;
        }
    }
    if (optind >= argc) {
        help(stderr);
        return EXIT_FATAL;
    }
    int rc = EXIT_OK;
    ds_buf b = {0};
    for (int i = optind; i < argc; i++) {
        const char *s = argv[i];
        size_t n = strlen(s), st = 0, en = n;
        ds_time t;
        memset(&t, 0, sizeof t);
        char *span = NULL;
        if (whole || ds_find_time(s, n, &st, &en)) {
            span = ds_strndup(s + st, en - st);
            if (!span) {
                cli_error("out of memory");
                rc = EXIT_FATAL;
                break;
            }
            t.text = span;
            ds_resolve_time(published, &t);
        }
        ds_buf_reset(&b);
        ds_buf_puts(&b, "{\"text\":");
        ds_json_str(&b, t.text);
        ds_buf_puts(&b, ",\"value\":");
        ds_json_str(&b, t.value[0] ? t.value : NULL);
        ds_buf_puts(&b, ",\"precision\":");
        ds_json_str(&b, ds_time_precision_names[t.text && t.precision ? t.precision : DS_TPREC_UNRESOLVED]);
        ds_buf_puts(&b, "}\n");
        if (!t.value[0]) rc = EXIT_SKIPPED;
        ds_free(span);
        if (b.oom) {
            cli_error("out of memory");
            rc = EXIT_FATAL;
            break;
        }
        fwrite(b.p, 1, b.n, stdout);
    }
    ds_buf_free(&b);
    return rc;
}
