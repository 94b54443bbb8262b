/*
 * cmd_status.c — `dossier status --db postgres://…`: the work queue (depth
 * by state, throughput, live workers, failures with their reasons) and what
 * the store holds.  On a SQLite database: the store part only.
 */
#include "cli.h"
#include "queue.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

typedef struct status_ctx {
    bool json;
    int n;
} status_ctx;

static void json_str(const char *s)
{
    ds_buf b = {0};
    ds_json_str(&b, s);
    fwrite(b.p ? b.p : "null", 1, b.p ? b.n : 4, stdout);
    ds_buf_free(&b);
}

static dossier_status on_failure(const char *reason, int64_t n, const char *example, void *user)
{
    status_ctx *x = user;
    if (x->json) {
        printf("%s{\"reason\":", x->n++ ? "," : "");
        json_str(reason);
        printf(",\"count\":%lld,\"example\":", (long long)n);
        json_str(example);
        printf("}");
    } else {
        printf("  %6lld  %s  (e.g. %s)\n", (long long)n, reason ? reason : "-",
               example ? example : "-");
    }
    return DOSSIER_OK;
}

static dossier_status on_worker(const char *name, int64_t items, double left, void *user)
{
    status_ctx *x = user;
    if (x->json) {
        printf("%s{\"worker\":", x->n++ ? "," : "");
        json_str(name);
        printf(",\"leased\":%lld,\"lease_seconds_left\":%.0f}", (long long)items, left);
    } else {
        x->n++;
        printf("  %-30s %5lld leased, lease ends in %.0f s\n", name ? name : "-",
               (long long)items, left);
    }
    return DOSSIER_OK;
}

static void help(FILE *f)
{
    fputs("usage: dossier status [OPTIONS]\n\n"
          "Show the work queue (pending, leased, done, failed; throughput; workers holding\n"
          "leases; failure reasons) and the counts of the store.\n\n"
          "options:\n"
          "      --db URI           database (default $DOSSIER_DB or dossier.db)\n"
          "      --failures N       show the N most frequent failure reasons (default 10)\n"
          "      --json             one JSON object\n\n"
          "exit codes: 0 ok, 2 usage or fatal error\n",
          f);
}

int cmd_status(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'D'}, {"failures", required_argument, 0, 'f'},
        {"json", no_argument, 0, 'J'},     {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *db = cli_default_db();
    int nfail = 10, c;
    bool json = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'f': nfail = (int)cli_parse_long("--failures", optarg, 0, 1000); break;
        case 'J': json = true; break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_FATAL;
        }
    }
    if (optind != argc) {
        help(stderr);
        return EXIT_FATAL;
    }
    ds_store *s = cli_open_store(db, true);
    ds_store_stats ss;
    dossier_status st = s->ops->stats(s, &ss);
    bool queue = ds_store_is_pg(s);
    ds_queue_counts q = {0};
    if (st == DOSSIER_OK && queue) st = ds_queue_counts_get(s, &q);
    if (st != DOSSIER_OK) {
        cli_error("status: %s", s->err[0] ? s->err : dossier_strerror(st));
        ds_store_close(s);
        return EXIT_FATAL;
    }
    double rate_min = q.done_last_minute / 60.0;
    double rate_all = q.span_seconds > 0 ? q.finished / q.span_seconds : 0;
    status_ctx x = {json, 0};
    if (json) {
        printf("{\"backend\":\"%s\",\"store\":{\"documents\":%lld,\"sentences\":%lld,"
               "\"claims\":%lld,\"incidents\":%lld,\"origin_clusters\":%lld,\"mirrors\":%lld,"
               "\"schema_version\":%d}",
               s->ops->name, (long long)ss.docs, (long long)ss.sentences, (long long)ss.claims,
               (long long)ss.incidents, (long long)ss.clusters, (long long)ss.mirrors,
               ss.schema_version);
        if (queue) {
            printf(",\"queue\":{\"pending\":%lld,\"leased\":%lld,\"expired_leases\":%lld,"
                   "\"done\":%lld,\"already_stored\":%lld,\"failed\":%lld,\"retried\":%lld,"
                   "\"docs_per_s_last_minute\":%.1f,\"docs_per_s_overall\":%.1f},\"workers\":[",
                   (long long)q.pending, (long long)q.leased, (long long)q.expired,
                   (long long)q.done, (long long)q.already_stored, (long long)q.failed,
                   (long long)q.retried, rate_min, rate_all);
            st = ds_queue_workers(s, on_worker, &x);
            printf("],\"failures\":[");
            x.n = 0;
            if (st == DOSSIER_OK) st = ds_queue_failures(s, nfail, on_failure, &x);
            printf("]");
        }
        printf("}\n");
    } else {
        printf("store (%s): %lld documents, %lld sentences, %lld claims, %lld incidents, "
               "%lld origin clusters, %lld mirror links; schema v%d\n",
               s->ops->name, (long long)ss.docs, (long long)ss.sentences, (long long)ss.claims,
               (long long)ss.incidents, (long long)ss.clusters, (long long)ss.mirrors,
               ss.schema_version);
        if (queue) {
            printf("queue: %lld pending, %lld leased, %lld expired leases (to be retaken), "
                   "%lld done (%lld already stored), %lld failed; %lld taken more than once\n",
                   (long long)q.pending, (long long)q.leased, (long long)q.expired,
                   (long long)q.done, (long long)q.already_stored, (long long)q.failed,
                   (long long)q.retried);
            printf("throughput: %.1f docs/s over the last minute, %.1f docs/s overall "
                   "(%lld finished in %.1f s)\n",
                   rate_min, rate_all, (long long)q.finished, q.span_seconds);
            printf("workers holding leases:\n");
            st = ds_queue_workers(s, on_worker, &x);
            if (x.n == 0) printf("  none\n");
            if (q.failed) printf("failures by reason:\n");
            if (st == DOSSIER_OK && q.failed) st = ds_queue_failures(s, nfail, on_failure, &x);
        } else {
            printf("queue: none (the work queue needs a PostgreSQL database)\n");
        }
    }
    if (st != DOSSIER_OK) cli_error("status: %s", s->err);
    ds_store_close(s);
    return st == DOSSIER_OK ? EXIT_OK : EXIT_FATAL;
}
