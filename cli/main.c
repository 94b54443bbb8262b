/*
 * main.c — the dossier command: dispatch to subcommands (cli/cmd_*.c).
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_command commands[] = {
    {"extract", "clean documents and extract claims as records (JSONL)", cmd_extract},
    {"ingest", "extract documents into the database; link incidents", cmd_ingest},
    {"incidents", "list incidents (filters: type, country, IHL, dates, place, origins)",
     cmd_incidents},
    {"search", "full-text search over stored sentences", cmd_search},
    {"show", "one incident (claims, origins, mirrors) or one document", cmd_show},
    {"export", "incidents as JSONL, CSV (ACLED columns) or GeoJSON", cmd_export},
    {"enqueue", "register documents in the work queue (PostgreSQL)", cmd_enqueue},
    {"worker", "process the work queue; run any number of them (PostgreSQL)", cmd_worker},
    {"status", "work queue depth, throughput, failures; store counts", cmd_status},
    {"places", "resolve place names against the gazetteer (GeoNames)", cmd_places},
    {"dates", "normalise date expressions (--published YYYY-MM-DD)", cmd_dates},
    {"serve", "web UI and JSON API over a database (map, timeline, incidents)", cmd_serve},
    {"explain", "show how one sentence is parsed and which claims it gives", cmd_explain},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("dossier: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

long cli_parse_long(const char *opt, const char *val, long min, long max)
{
    char *end;
    errno = 0;
    long v = val ? strtol(val, &end, 10) : 0;
    if (!val || !*val || *end || errno || v < min || v > max) {
        cli_error("%s expects a whole number from %ld to %ld, got '%s'", opt, min, max,
                  val ? val : "");
        exit(EXIT_FATAL);
    }
    return v;
}

size_t cli_parse_size(const char *opt, const char *val)
{
    char *end;
    errno = 0;
    unsigned long long v = val ? strtoull(val, &end, 10) : 0;
    if (!val || !*val || errno || end == val) goto bad;
    if (*end == 'k' || *end == 'K') v <<= 10, end++;
    else if (*end == 'm' || *end == 'M') v <<= 20, end++;
    else if (*end == 'g' || *end == 'G') v <<= 30, end++;
    if (*end || v == 0) goto bad;
    return (size_t)v;
bad:
    cli_error("%s expects a size such as 512K, 32M or 1G, got '%s'", opt, val ? val : "");
    exit(EXIT_FATAL);
}

bool cli_limit_option(int c, const char *arg, dossier_options *o)
{
    switch (c) {
    case CLI_OPT_MAX_DOC: o->max_doc_bytes = cli_parse_size("--max-doc-bytes", arg); return true;
    case CLI_OPT_MAX_SENTENCE:
        o->max_sentence_bytes = cli_parse_size("--max-sentence-bytes", arg);
        return true;
    case CLI_OPT_MAX_CLAIMS:
        o->max_claims = (size_t)cli_parse_long("--max-claims", arg, 1, 10000000);
        return true;
    default: return false;
    }
}

void cli_note_flags(const char *path, const dossier_doc *doc, bool break_line)
{
    /* warnings that did not stop extraction: one stderr line each, and the flag
     * on the record (a truncation is reported by ingest as it reads) */
    static const struct { const char *flag, *msg; } notes[] = {
        {"invalid_utf8", "invalid UTF-8 repaired (U+FFFD), flagged"},
        {"deep_html", "HTML nested too deep: deeper tags ignored, flagged deep_html"},
        {"html_attrs", "HTML tags with too many attributes: attributes ignored, flagged "
                       "html_attrs"},
        {"long_sentence", "sentences longer than --max-sentence-bytes not searched for "
                          "claims, flagged long_sentence"},
        {"claims_limit", "more claims than --max-claims: the rest dropped, flagged "
                         "claims_limit"},
    };
    const char *flags = dossier_doc_flags(doc);
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++)
        if (strstr(flags, notes[i].flag)) {
            if (break_line) fputc('\n', stderr);
            break_line = false;
            fprintf(stderr, "dossier: %s: %s\n", path ? path : "-", notes[i].msg);
        }
}

dossier_ctx *cli_ctx(const char *data_dir, const dossier_options *opts)
{
    char err[512];
    dossier_ctx *ctx = NULL;
    dossier_status st = dossier_ctx_new(data_dir, opts, &ctx, err, sizeof err);
    if (st != DOSSIER_OK) {
        cli_error("cannot load data: %s%s%s", dossier_strerror(st), err[0] ? ": " : "", err);
        exit(EXIT_FATAL);
    }
    return ctx;
}

bool cli_input_paths(int argc, char **argv, int first, const char *const **paths,
                     size_t *npaths)
{
    static const char *const stdin_path[] = {"-"};
    *paths = (const char *const *)argv + first;
    *npaths = first < argc ? (size_t)(argc - first) : 0;
    if (*npaths) return true;
    if (isatty(0)) return false;
    *paths = stdin_path;
    *npaths = 1;
    return true;
}

const char *cli_default_db(void)
{
    const char *db = getenv("DOSSIER_DB");
    return db && *db ? db : "dossier.db";
}

static void usage(FILE *f)
{
    fprintf(f, "usage: dossier COMMAND [OPTIONS] [ARGS]\n\n"
               "dossier %s — who did what to whom, according to whom, in war reporting.\n\n"
               "commands:\n", DOSSIER_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'dossier COMMAND --help' describes a command.\n"
               "exit codes: 0 ok, 1 some inputs skipped, 2 usage or fatal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("dossier %s (records format v%d)\n", DOSSIER_VERSION, DOSSIER_RECORDS_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s' (see 'dossier --help')", argv[1]);
    return EXIT_FATAL;
}
