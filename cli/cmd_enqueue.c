/*
 * cmd_enqueue.c — `dossier enqueue [PATH|DIR|-]... --db postgres://…`:
 * register raw documents (files, directories, gzip, JSONL streams of texts)
 * in the database's work queue for `dossier worker` to process.  The raw
 * bytes are stored, so workers need no shared file system.
 */
#include "cli.h"
#include "queue.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMMIT_EVERY 500

typedef struct enq_state {
    ds_store *s;
    long added, skipped, in_txn;
    dossier_status fatal;
} enq_state;

static dossier_status on_input(const dossier_input *in, void *user)
{
    enq_state *e = user;
    dossier_status st;
    if (!e->in_txn) {
        st = ds_queue_begin(e->s);
        if (st != DOSSIER_OK) return e->fatal = st;
    }
    st = ds_queue_put(e->s, in, NULL);
    if (st != DOSSIER_OK) return e->fatal = st;
    e->added++;
    if (++e->in_txn >= COMMIT_EVERY) {
        e->in_txn = 0;
        st = ds_queue_commit(e->s);
        if (st != DOSSIER_OK) return e->fatal = st;
    }
    return DOSSIER_OK;
}

static void on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    enq_state *e = user;
    if (st != DOSSIER_ETOOBIG || strstr(msg, "skipped")) e->skipped++;
    fprintf(stderr, "dossier: %s: %s\n", path, msg);
}

static void help(FILE *f)
{
    fputs("usage: dossier enqueue [OPTIONS] [PATH|DIR|-]...\n\n"
          "Register documents in the work queue of a PostgreSQL database; `dossier worker`\n"
          "processes them.  Inputs as for extract: text, HTML, gzip, JSONL (one document per\n"
          "line: text or html, title, published, outlet, ...); directories are walked; '-' (or\n"
          "no path) reads a stream on standard input.  The raw bytes go into the queue.\n\n"
          "options:\n"
          "      --db URI           postgres://… (default $DOSSIER_DB)\n"
          "      --max-doc-bytes N  truncate (and flag) larger documents (default 32M)\n"
          "      --json             print a summary object on standard output\n"
          "  -q, --quiet            no summary\n\n"
          "exit codes: 0 all enqueued, 1 some inputs skipped, 2 usage or fatal error\n",
          f);
}

int cmd_enqueue(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'D'},  {"max-doc-bytes", required_argument, 0, CLI_OPT_MAX_DOC},
        {"json", no_argument, 0, 'J'},      {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},      {0, 0, 0, 0}};
    dossier_options opts = {0};
    const char *db = cli_default_db();
    bool json = false, quiet = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case CLI_OPT_MAX_DOC: cli_limit_option(c, optarg, &opts); break;
        case 'J': json = true; break;
        case 'q': quiet = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_FATAL;
        }
    }
    const char *const *paths;
    size_t npaths;
    if (!cli_input_paths(argc, argv, optind, &paths, &npaths)) {
        help(stderr);
        return EXIT_FATAL;
    }
    if (!ds_store_uri_is_pg(db)) {
        cli_error("the work queue needs a PostgreSQL database: --db postgres://… (got '%s')",
                  db);
        return EXIT_FATAL;
    }
    ds_store *s = cli_open_store(db, false);
    enq_state e = {.s = s};
    dossier_status st = DOSSIER_OK;
    for (size_t i = 0; i < npaths && st == DOSSIER_OK; i++)
        st = dossier_ingest_path(paths[i], &opts, on_input, on_error, &e);
    if (st == DOSSIER_OK && e.in_txn) {
        st = ds_queue_commit(s);
        if (st != DOSSIER_OK) e.fatal = st;
    }
    int rc = EXIT_OK;
    if (st != DOSSIER_OK) {
        cli_error("enqueue stopped: %s: %s (documents of the current transaction were not "
                  "enqueued)",
                  dossier_strerror(st), e.fatal ? s->err : "");
        rc = EXIT_FATAL;
    } else if (json) {
        printf("{\"enqueued\":%ld,\"skipped\":%ld}\n", e.added, e.skipped);
    } else if (!quiet) {
        fprintf(stderr, "dossier: %ld documents enqueued, %ld inputs skipped\n", e.added,
                e.skipped);
    }
    ds_store_close(s);
    if (rc == EXIT_OK && e.skipped) rc = EXIT_SKIPPED;
    if (rc == EXIT_OK && e.added == 0) {
        cli_error("no documents found");
        rc = EXIT_SKIPPED;
    }
    return rc;
}
