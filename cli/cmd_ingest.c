/*
 * cmd_ingest.c — `dossier ingest [PATH|DIR|-]... [--db FILE]`: extract
 * documents (in parallel, in order) and store them with their sentences,
 * claims, origin clusters and incidents.  Idempotent by doc.id.
 */
#include "cli.h"
#include "store.h"

#include <dirent.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct ingest_state {
    ds_ingest *in;
    ds_store *store;
    long seen, skipped, files_total, files_done;
    char last_path[4096];
    bool progress;
    double t0, last_draw;
    dossier_status fatal;
} ingest_state;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Files under a path (for the ETA); stops counting at a million. */
static long count_files(const char *path, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0) return 0;
    if (!S_ISDIR(sb.st_mode)) return 1;
    if (depth > 32) return 0;
    DIR *d = opendir(path);
    if (!d) return 0;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1000000) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(len);
        if (!sub) break;
        snprintf(sub, len, "%s/%s", path, e->d_name);
        n += count_files(sub, depth + 1);
        free(sub);
    }
    closedir(d);
    return n;
}

static void draw(ingest_state *s, bool final)
{
    double t = now();
    if (!final && t - s->last_draw < 0.1) return;
    s->last_draw = t;
    double el = t - s->t0;
    double rate = el > 0 ? s->seen / el : 0;
    char eta[32] = "";
    if (s->files_total > 0 && s->files_done > 0 && s->files_done <= s->files_total && !final) {
        double left = el * (double)(s->files_total - s->files_done) / (double)s->files_done;
        snprintf(eta, sizeof eta, " ETA %ld:%02ld", (long)left / 60, (long)left % 60);
    }
    int width = 30, fill = s->files_total > 0 ? (int)(width * s->files_done / s->files_total) : 0;
    if (final) fill = width;
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    const ds_ingest_stats *st = ds_ingest_stats_get(s->in);
    fprintf(stderr, "\r[%s] %ld docs (%lld new) %.0f docs/s%s   ", bar, s->seen,
            (long long)st->added, rate, eta);
    if (final) fputc('\n', stderr);
}

static void on_error(const char *path, dossier_status st, const char *msg, void *user)
{
    ingest_state *s = user;
    if (st != DOSSIER_ETOOBIG || strstr(msg, "skipped")) s->skipped++;
    if (s->progress) fputc('\n', stderr);
    fprintf(stderr, "dossier: %s: %s\n", path, msg);
}

static dossier_status on_doc(const dossier_input *in, dossier_doc *doc, dossier_status st,
                             void *user)
{
    ingest_state *s = user;
    if (in->path && strcmp(in->path, s->last_path)) {
        s->files_done++;
        snprintf(s->last_path, sizeof s->last_path, "%s", in->path);
    }
    s->seen++;
    if (st != DOSSIER_OK) {
        s->skipped++;
        if (s->progress) fputc('\n', stderr);
        fprintf(stderr, "dossier: %s: %s\n", in->path ? in->path : "-", dossier_strerror(st));
        return st == DOSSIER_ENOMEM ? st : DOSSIER_OK;
    }
    cli_note_flags(in->path, doc, s->progress);
    st = ds_ingest_doc(s->in, doc);
    if (st != DOSSIER_OK) {
        s->fatal = st;
        return st;
    }
    if (s->progress) draw(s, false);
    return DOSSIER_OK;
}

static void help(FILE *f)
{
    fputs("usage: dossier ingest [OPTIONS] [PATH|DIR|-]...\n\n"
          "Extract each document and store it in the database: the record (all fields,\n"
          "cleaned text, dropped lines), its sentences (full-text indexed), claims and their\n"
          "parties.  Copies of one story are grouped into origin clusters and claims of one\n"
          "event are linked into incidents, incrementally.  A document already stored (same\n"
          "doc.id) is skipped: re-running an ingest changes nothing.\n\n"
          "options:\n"
          "      --db FILE          database (default $DOSSIER_DB or dossier.db)\n"
          "  -j, --jobs N           extraction threads (default 0 = one per core)\n"
          "      --batch N          documents per transaction (default 10000)\n"
          "      --no-claims        store documents and sentences only\n"
          CLI_LIMIT_HELP
          "      --json             print a summary object on standard output\n"
          "  -q, --quiet            no progress bar or summary\n"
          "      --data DIR         data directory (default $DOSSIER_DATA or built-in)\n\n"
          "exit codes: 0 all stored, 1 some inputs skipped (named on stderr),\n"
          "            2 usage or fatal error (database locked, full, unwritable, newer schema);\n"
          "            on a fatal error the current batch is rolled back, earlier batches stay\n",
          f);
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'D'},   {"jobs", required_argument, 0, 'j'},
        {"batch", required_argument, 0, 'b'}, {"no-claims", no_argument, 0, 'n'},
        {"json", no_argument, 0, 'J'},       {"quiet", no_argument, 0, 'q'},
        {"data", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, CLI_LIMIT_LONGS,
        {0, 0, 0, 0}};
    dossier_options opts = {0};
    const char *db = cli_default_db(), *data = NULL;
    int jobs = 0, batch = DS_INGEST_BATCH, c;
    bool json = false, quiet = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j': jobs = (int)cli_parse_long("--jobs", optarg, 0, 256); break;
        case 'b': batch = (int)cli_parse_long("--batch", optarg, 1, 1000000); break;
        case 'n': opts.no_claims = 1; break;
        case 'J': json = true; break;
        case 'q': quiet = true; break;
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
    /* a file size limit (ulimit -f) must give an error, not kill us */
    signal(SIGXFSZ, SIG_IGN);
    char err[512];
    ds_store *store = NULL;
    dossier_status st = ds_store_open(db, 0, &store, err, sizeof err);
    if (st != DOSSIER_OK) {
        cli_error("cannot open database: %s", err[0] ? err : dossier_strerror(st));
        return EXIT_FATAL;
    }
    dossier_ctx *ctx = cli_ctx(data, &opts);
    ingest_state s = {0};
    s.store = store;
    s.progress = !quiet && isatty(2);
    s.t0 = now();
    if (s.progress)
        for (size_t i = 0; i < npaths; i++)
            if (strcmp(paths[i], "-")) s.files_total += count_files(paths[i], 0);
    st = ds_ingest_new(store, batch, &s.in);
    if (st == DOSSIER_OK) st = dossier_run(ctx, paths, npaths, jobs, on_doc, on_error, &s);
    if (st == DOSSIER_OK) {
        st = ds_ingest_flush(s.in);
        if (st != DOSSIER_OK) s.fatal = st;
    }
    int rc = EXIT_OK;
    if (st != DOSSIER_OK) {
        if (s.progress) fputc('\n', stderr);
        if (s.fatal)
            cli_error("ingest stopped: %s: %s (the current batch was rolled back; earlier "
                      "batches are stored)",
                      dossier_strerror(st), store->err);
        else
            cli_error("ingest stopped: %s", dossier_strerror(st));
        rc = EXIT_FATAL;
    } else if (s.progress) {
        draw(&s, true);
    }
    const ds_ingest_stats *is = s.in ? ds_ingest_stats_get(s.in) : NULL;
    if (rc == EXIT_OK && is) {
        if (json)
            printf("{\"db\":\"%s\",\"seen\":%ld,\"added\":%lld,\"already_stored\":%lld,"
                   "\"skipped\":%ld,\"claims\":%lld,\"incidents_new\":%lld,"
                   "\"claims_linked\":%lld,\"mirrors\":%lld,\"clusters_merged\":%lld,"
                   "\"seconds\":%.3f}\n",
                   store->ops->name, s.seen, (long long)is->added,
                   (long long)is->skipped_existing, s.skipped, (long long)is->claims,
                   (long long)is->incidents_new, (long long)is->incidents_linked,
                   (long long)is->mirrors, (long long)is->clusters_merged, now() - s.t0);
        else if (!quiet && isatty(2))
            fprintf(stderr,
                    "dossier: %s: %lld documents added, %lld already stored, %ld skipped; "
                    "%lld claims, %lld new incidents\n",
                    db, (long long)is->added, (long long)is->skipped_existing, s.skipped,
                    (long long)is->claims, (long long)is->incidents_new);
    }
    ds_ingest_free(s.in);
    ds_store_close(store);
    dossier_ctx_free(ctx);
    if (rc == EXIT_OK && s.skipped) rc = EXIT_SKIPPED;
    if (rc == EXIT_OK && s.seen == 0) {
        cli_error("no documents found");
        rc = EXIT_SKIPPED;
    }
    return rc;
}
