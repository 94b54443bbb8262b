/*
 * cmd_extract.c — `dossier extract [PATH|DIR|-]...`: records (JSONL) on stdout.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct extract_state {
    FILE *out;
    bool text_only, flush_each;
    long docs, skipped;
} extract_state;

static void on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    extract_state *s = user;
    /* a document over the size limit is still extracted (truncated, flagged) */
    if (st != DOSSIER_ETOOBIG || strstr(msg, "skipped")) s->skipped++;
    fprintf(stderr, "dossier: %s: %s\n", path, msg);
}

static dossier_status on_doc(const dossier_input *in, dossier_doc *doc, dossier_status st,
                             void *user)
{
    extract_state *s = user;
    if (st != DOSSIER_OK) {
        s->skipped++;
        fprintf(stderr, "dossier: %s: %s\n", in->path ? in->path : "-", dossier_strerror(st));
        return st == DOSSIER_ENOMEM ? st : DOSSIER_OK;
    }
    cli_note_flags(in->path, doc, false);
    if (s->text_only) {
        size_t n;
        const char *t = dossier_doc_text(doc, &n);
        fwrite(t, 1, n, s->out);
        fputs("\n\n", s->out);
    } else {
        char *json;
        size_t n;
        st = dossier_doc_to_json(doc, &json, &n);
        if (st != DOSSIER_OK) return st;
        fwrite(json, 1, n, s->out);
        free(json);
    }
    if (s->flush_each) fflush(s->out);
    if (ferror(s->out)) return DOSSIER_EIO;
    s->docs++;
    return DOSSIER_OK;
}

static void help(FILE *f)
{
    fputs("usage: dossier extract [OPTIONS] [PATH|DIR|-]...\n\n"
          "Clean each document and extract its claims; write one record (records format v1,\n"
          "JSON Lines) per document.  Inputs: plain text, HTML, JSONL (one document per line:\n"
          "url, html, text, title, published, outlet), gzip of any of these; directories are\n"
          "walked recursively in name order; '-' (or no path) reads standard input as a stream.\n\n"
          "options:\n"
          "  -o, --output FILE      write records to FILE instead of standard output\n"
          "  -j, --jobs N           extract N documents in parallel (default: 1; 0 = cores);\n"
          "                         output order is the input order whatever N is\n"
          "      --text-only        print only the cleaned text of each document\n"
          "      --no-claims        clean and split only, claims stay []\n"
          CLI_LIMIT_HELP
          "      --data DIR         data directory (default $DOSSIER_DATA or built-in)\n\n"
          "exit codes: 0 all inputs read, 1 some skipped (each named on stderr), 2 usage or fatal\n",
          f);
}

int cmd_extract(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, 0, 'o'}, {"jobs", required_argument, 0, 'j'},
        {"text-only", no_argument, 0, 't'},    {"no-claims", no_argument, 0, 'n'},
        CLI_LIMIT_LONGS,                        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    dossier_options opts = {0};
    extract_state s = {stdout, false, false, 0, 0};
    const char *output = NULL, *data = NULL;
    int jobs = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'j': jobs = (int)cli_parse_long("--jobs", optarg, 0, 256); break;
        case 't': s.text_only = true; break;
        case 'n': opts.no_claims = 1; break;
        case 'd': data = optarg; break;
        case 'h': help(stdout); return EXIT_OK;
        default:
            if (cli_limit_option(c, optarg, &opts)) break;
            help(stderr);
            return EXIT_FATAL;
        }
    }
    const char *const *paths;
    size_t npaths;
    if (!cli_input_paths(argc, argv, optind, &paths, &npaths)) {
        help(stderr);
        return EXIT_FATAL;
    }
    for (size_t i = 0; i < npaths; i++)
        if (!strcmp(paths[i], "-")) s.flush_each = true;   /* filter mode: stream out */
    if (output) {
        s.out = fopen(output, "w");
        if (!s.out) {
            cli_error("cannot write %s: %s", output, strerror(errno));
            return EXIT_FATAL;
        }
    }
    dossier_ctx *ctx = cli_ctx(data, &opts);
    dossier_status st = dossier_run(ctx, paths, npaths, jobs, on_doc, on_error, &s);
    dossier_ctx_free(ctx);
    int rc = EXIT_OK;
    if (fflush(s.out) != 0 || ferror(s.out)) {
        cli_error("cannot write output: %s", strerror(errno));
        rc = EXIT_FATAL;
    }
    if (output) fclose(s.out);
    if (st != DOSSIER_OK) {
        cli_error("extraction stopped: %s", dossier_strerror(st));
        return EXIT_FATAL;
    }
    if (rc == EXIT_OK && s.skipped) rc = EXIT_SKIPPED;
    if (rc == EXIT_OK && s.docs == 0) {
        cli_error("no documents found");
        rc = EXIT_SKIPPED;
    }
    return rc;
}
