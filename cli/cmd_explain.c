/*
 * cmd_explain.c — `dossier explain "sentence" ...` (or text on stdin): for each
 * sentence, the tokens with their tags, the noun-phrase chunks with their
 * party coding, the event patterns matched or blocked, and the claims that
 * result.  The tool to debug the rules in data/claims and data/parties with.
 */
#include "cli.h"
#include "nlp.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fputs("usage: dossier explain [--data DIR] \"SENTENCE\"...   (or text on stdin)\n\n"
          "Print, for each sentence: tokens/TAGS, [chunks =COUNTRY/ROLE], matched and\n"
          "blocked event patterns (with their data file line), and the resulting claims.\n",
          f);
}

int cmd_explain(int argc, char **argv)
{
    const char *data = NULL;
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (o == 'd') data = optarg;
        else if (o == 'h') { help(stdout); return EXIT_OK; }
        else { help(stderr); return EXIT_FATAL; }
    }
    dossier_ctx *ctx = cli_ctx(data, NULL);
    int rc = EXIT_OK;
    if (optind == argc) {
        /* read stdin */
        size_t cap = 1 << 16, n = 0;
        char *buf = malloc(cap);
        size_t got;
        while (buf && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
            n += got;
            if (n == cap) {
                char *nb = realloc(buf, cap * 2);
                if (!nb) { free(buf); buf = NULL; break; }
                buf = nb;
                cap *= 2;
            }
        }
        if (!buf) {
            cli_error("out of memory");
            dossier_ctx_free(ctx);
            return EXIT_FATAL;
        }
        if (n == 0) {
            cli_error("explain: no sentence given (argument or stdin)");
            rc = EXIT_FATAL;
        } else if (ds_explain(ctx, buf, n, stdout) != DOSSIER_OK) {
            cli_error("explain failed");
            rc = EXIT_FATAL;
        }
        free(buf);
    }
    for (int i = optind; i < argc; i++) {
        dossier_status st = ds_explain(ctx, argv[i], strlen(argv[i]), stdout);
        if (st != DOSSIER_OK) {
            cli_error("explain: %s", dossier_strerror(st));
            rc = EXIT_FATAL;
        }
    }
    dossier_ctx_free(ctx);
    return rc;
}
