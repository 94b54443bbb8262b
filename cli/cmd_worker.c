/*
 * cmd_worker.c — `dossier worker --db postgres://…`: a stateless worker.
 * Loop: lease a batch from the work queue (SKIP LOCKED: any number of
 * workers, on any number of machines), extract its documents, then in ONE
 * transaction store them (documents, claims, origin clusters, incidents —
 * the ingest path of store.c, under the store's ingest lock), check that
 * the leases are still ours and mark the items done or failed; commit.
 *
 * A killed worker's transaction never commits: its items stay leased until
 * the lease runs out, then another worker takes them.  A worker whose lease
 * ran out while it worked finds the items gone at the check and rolls back,
 * so each item is stored exactly once.  Conflicts with a concurrent writer
 * (unique doc.id, deadlock) roll back and retry the batch; a batch failing
 * otherwise is retried one item at a time so one bad document fails alone.
 */
#include "cli.h"
#include "queue.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct item {
    int64_t id;
    dossier_doc *doc;        /* NULL: extraction failed */
    dossier_status why;
} item;

typedef struct worker {
    ds_store *s;
    dossier_ctx *ctx;
    char name[128];
    item *items;
    size_t n, cap;
    long batches, stored, already, failed, lost, retries;
    bool quiet;
} worker;

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
}

static dossier_status on_item(const ds_queue_item *it, void *user)
{
    worker *w = user;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        item *v = ds_realloc(w->items, cap * sizeof *v);
        if (!v) return DOSSIER_ENOMEM;
        w->items = v;
        w->cap = cap;
    }
    item *x = &w->items[w->n++];
    x->id = it->id;
    x->doc = NULL;
    x->why = dossier_extract(w->ctx, &it->in, &x->doc);
    if (x->why == DOSSIER_ENOMEM) return DOSSIER_ENOMEM;
    return DOSSIER_OK;
}

/* Store items [from, to) and finish them in one transaction.  Returns OK
 * (committed, or lease lost and rolled back), EBUSY (conflict: retry), or
 * another error (rolled back). */
static dossier_status store_items(worker *w, size_t from, size_t to)
{
    ds_store *s = w->s;
    ds_ingest *in = NULL;
    dossier_status r = ds_ingest_new(s, 1 << 30, &in);
    if (r != DOSSIER_OK) return r;
    size_t n = to - from;
    bool *added = ds_calloc(n ? n : 1, sizeof *added), *owned = ds_calloc(n ? n : 1, sizeof *owned);
    int64_t *ids = ds_calloc(n ? n : 1, sizeof *ids);
    bool began = false;
    if (!added || !owned || !ids) {
        r = DOSSIER_ENOMEM;
        goto out;
    }
    for (size_t i = from; i < to && r == DOSSIER_OK; i++) {
        ids[i - from] = w->items[i].id;
        if (!w->items[i].doc) continue;
        int64_t before = ds_ingest_stats_get(in)->added;
        r = ds_ingest_doc(in, w->items[i].doc);
        added[i - from] = ds_ingest_stats_get(in)->added > before;
        began = true;
    }
    if (r != DOSSIER_OK) goto out;
    if (!began) {   /* only failed extractions: a plain transaction */
        r = ds_queue_begin(s);
        if (r != DOSSIER_OK) goto out;
    }
    r = ds_queue_hold(s, w->name, ids, n, owned);
    size_t lost = 0;
    for (size_t i = 0; i < n; i++) lost += !owned[i];
    if (r == DOSSIER_OK && lost) {
        /* our lease ran out and another worker has (some of) these: drop the
         * whole batch, give back what is still ours */
        if (!w->quiet)
            fprintf(stderr, "dossier: worker %s: lease lost on %zu of %zu items; rolled back\n",
                    w->name, lost, n);
        w->lost += (long)lost;
        s->ops->rollback(s);
        ds_ingest_free(in);
        in = NULL;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (owned[i]) ids[k++] = ids[i];
        if (k) ds_queue_release(s, w->name, ids, k);
        goto out;
    }
    for (size_t i = from; i < to && r == DOSSIER_OK; i++) {
        const item *x = &w->items[i];
        if (x->doc) {
            r = ds_queue_finish(s, w->name, x->id, true, dossier_doc_id(x->doc),
                                added[i - from] ? "stored" : "already stored", NULL);
        } else {
            char why[160];
            snprintf(why, sizeof why, "extraction failed: %s", dossier_strerror(x->why));
            r = ds_queue_finish(s, w->name, x->id, false, NULL, NULL, why);
        }
    }
    if (r != DOSSIER_OK) goto out;
    if (began) r = ds_ingest_flush(in);   /* refreshes incidents, commits */
    else r = ds_queue_commit(s);
    if (r == DOSSIER_OK)
        for (size_t i = from; i < to; i++) {
            if (!w->items[i].doc) w->failed++;
            else if (added[i - from]) w->stored++;
            else w->already++;
        }
out:
    if (r != DOSSIER_OK) s->ops->rollback(s);
    ds_ingest_free(in);
    ds_free(added);
    ds_free(owned);
    ds_free(ids);
    return r;
}

/* Mark one item failed with the store's message (its own transaction). */
static void fail_item(worker *w, const item *x, const char *msg)
{
    char why[600];
    snprintf(why, sizeof why, "storing failed: %s", msg);
    if (ds_queue_begin(w->s) != DOSSIER_OK) return;
    bool owned = false;
    if (ds_queue_hold(w->s, w->name, &x->id, 1, &owned) == DOSSIER_OK && owned &&
        ds_queue_finish(w->s, w->name, x->id, false, x->doc ? dossier_doc_id(x->doc) : NULL,
                        NULL, why) == DOSSIER_OK &&
        ds_queue_commit(w->s) == DOSSIER_OK) {
        w->failed++;
        return;
    }
    w->s->ops->rollback(w->s);
}

static dossier_status process(worker *w)
{
    dossier_status r = DOSSIER_EBUSY;
    for (int attempt = 0; attempt < 6 && r == DOSSIER_EBUSY; attempt++) {
        if (attempt) {
            w->retries++;
            nap(0.02 * attempt + (rand() % 50) / 1000.0);
        }
        r = store_items(w, 0, w->n);
    }
    if (r == DOSSIER_OK) return r;
    if (r == DOSSIER_ENOMEM) return r;
    /* one at a time: a bad document fails alone, with its reason */
    if (!w->quiet)
        fprintf(stderr, "dossier: worker %s: batch failed (%s); retrying one by one\n", w->name,
                w->s->err);
    for (size_t i = 0; i < w->n; i++) {
        dossier_status ri = DOSSIER_EBUSY;
        for (int attempt = 0; attempt < 6 && ri == DOSSIER_EBUSY; attempt++) {
            if (attempt) nap(0.02 * attempt);
            ri = store_items(w, i, i + 1);
        }
        if (ri == DOSSIER_ENOMEM) return ri;
        if (ri != DOSSIER_OK) {
            if (!ds_queue_connected(w->s)) return ri;
            fail_item(w, &w->items[i], w->s->err);
        }
    }
    return DOSSIER_OK;
}

static void help(FILE *f)
{
    fputs("usage: dossier worker [OPTIONS] --db postgres://…\n\n"
          "Process the work queue filled by `dossier enqueue`: lease a batch (any number of\n"
          "workers may run, on any machines), extract, and store documents, claims and\n"
          "incidents together with the queue state in one transaction.  Items of a killed\n"
          "worker are taken again once their lease runs out.  Stops on SIGTERM/SIGINT after\n"
          "the current batch.\n\n"
          "options:\n"
          "      --db URI           postgres://… (default $DOSSIER_DB)\n"
          "      --batch N          documents per lease and transaction (default 32)\n"
          "      --lease SECONDS    lease length: a batch must be stored within it (default 300)\n"
          "      --max-attempts N   fail an item after N leases that never finished (default 3)\n"
          "      --name NAME        worker name shown by status (default HOST:PID)\n"
          "      --drain            exit when the queue has nothing pending or leased\n"
          "      --poll SECONDS     wait between empty polls (default 1)\n"
          "      --json             print a summary object on standard output at exit\n"
          "  -q, --quiet            no messages but errors\n"
          "      --data DIR         data directory (default $DOSSIER_DATA or built-in)\n"
          CLI_LIMIT_HELP "\n"
          "exit codes: 0 stopped normally, 2 usage or fatal error (database unreachable)\n",
          f);
}

static double parse_seconds(const char *opt, const char *v)
{
    char *end;
    double d = strtod(v, &end);
    if (!*v || *end || !(d > 0) || d > 86400) {
        cli_error("%s expects seconds (0 < s <= 86400), got '%s'", opt, v);
        exit(EXIT_FATAL);
    }
    return d;
}

int cmd_worker(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'D'},    {"batch", required_argument, 0, 'b'},
        {"lease", required_argument, 0, 'l'}, {"max-attempts", required_argument, 0, 'm'},
        {"name", required_argument, 0, 'n'},  {"drain", no_argument, 0, 'x'},
        {"poll", required_argument, 0, 'p'},  {"json", no_argument, 0, 'J'},
        {"quiet", no_argument, 0, 'q'},       {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},        CLI_LIMIT_LONGS,
        {0, 0, 0, 0}};
    dossier_options opts = {0};
    const char *db = cli_default_db(), *data = NULL, *name = NULL;
    int batch = 32, max_attempts = 3, c;
    double lease = 300, poll = 1;
    bool drain = false, json = false, quiet = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'b': batch = (int)cli_parse_long("--batch", optarg, 1, 100000); break;
        case 'l': lease = parse_seconds("--lease", optarg); break;
        case 'm': max_attempts = (int)cli_parse_long("--max-attempts", optarg, 1, 1000); break;
        case 'n': name = optarg; break;
        case 'x': drain = true; break;
        case 'p': poll = parse_seconds("--poll", optarg); break;
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
    if (optind != argc) {
        help(stderr);
        return EXIT_FATAL;
    }
    if (!ds_store_uri_is_pg(db)) {
        cli_error("workers need a PostgreSQL database: --db postgres://… (got '%s')", db);
        return EXIT_FATAL;
    }
    worker w = {0};
    w.quiet = quiet;
    if (name) {
        snprintf(w.name, sizeof w.name, "%s", name);
    } else {
        char host[64] = "host";
        gethostname(host, sizeof host - 1);
        snprintf(w.name, sizeof w.name, "%s:%ld", host, (long)getpid());
    }
    srand((unsigned)getpid() ^ (unsigned)time(NULL));
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    w.s = cli_open_store(db, false);
    w.ctx = cli_ctx(data, &opts);
    double t0 = now();
    dossier_status st = DOSSIER_OK;
    while (!stop) {
        w.n = 0;
        st = ds_queue_lease(w.s, w.name, batch, lease, max_attempts, on_item, &w);
        if (st == DOSSIER_OK && w.n) {
            w.batches++;
            st = process(&w);
        }
        for (size_t i = 0; i < w.n; i++) dossier_doc_free(w.items[i].doc);
        if (st != DOSSIER_OK) break;
        if (w.n) continue;
        if (drain) {
            ds_queue_counts qc;
            st = ds_queue_counts_get(w.s, &qc);
            if (st != DOSSIER_OK) break;
            if (!qc.pending && !qc.leased && !qc.expired) break;
        }
        nap(poll);
    }
    int rc = EXIT_OK;
    if (st != DOSSIER_OK) {
        cli_error("worker %s stopped: %s: %s", w.name, dossier_strerror(st), w.s->err);
        rc = EXIT_FATAL;
    }
    double el = now() - t0;
    if (json)
        printf("{\"worker\":\"%s\",\"batches\":%ld,\"stored\":%ld,\"already_stored\":%ld,"
               "\"failed\":%ld,\"lost_leases\":%ld,\"retries\":%ld,\"seconds\":%.3f}\n",
               w.name, w.batches, w.stored, w.already, w.failed, w.lost, w.retries, el);
    else if (!quiet)
        fprintf(stderr,
                "dossier: worker %s: %ld stored, %ld already stored, %ld failed in %.1f s "
                "(%.0f docs/s)\n",
                w.name, w.stored, w.already, w.failed, el,
                el > 0 ? (w.stored + w.already + w.failed) / el : 0);
    ds_free(w.items);
    ds_store_close(w.s);
    dossier_ctx_free(w.ctx);
    return rc;
}
