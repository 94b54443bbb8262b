/*
 * cmd_serve.c — `dossier serve`: the web UI and JSON API over a database
 * (src/serve.c, src/serve_api.c).  Read-only on the database; localhost by
 * default.  Stops cleanly on SIGINT/SIGTERM.
 */
#include "cli.h"
#include "serve.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void on_ready(const char *url, void *user)
{
    (void)user;
    /* One line on stdout (scripts read the port from it), flushed at once. */
    printf("dossier serve: listening on %s\n", url);
    fflush(stdout);
}

static void help(FILE *f)
{
    fputs("usage: dossier serve [OPTIONS]\n\n"
          "Serve the web UI (map, timeline, incidents, documents) and a JSON API over a\n"
          "database made by 'dossier ingest'.  The database is opened read-only.\n"
          "API: /api/incidents, /api/incidents/ID, /api/docs/ID, /api/search?q=, /api/stats\n\n"
          "options:\n"
          "      --db FILE        database (default $DOSSIER_DB or dossier.db)\n"
          "  -p, --port N         port (default 8080; 0 = any free port, printed at start)\n"
          "      --bind ADDR      address to listen on (default 127.0.0.1: this machine only)\n"
          "      --web DIR        pages (default $DOSSIER_WEB or the built-in web/)\n"
          "      --gen DIR        generated data with web/ assets (default $DOSSIER_GEN or built-in)\n"
          "      --threads N      worker threads (default one per core)\n"
          "      --rate N         requests per second per client address (default 200; 0 = no limit)\n"
          "      --burst N        requests a client may make at once (default 2000)\n"
          "      --max-conns N    simultaneous connections (default 4096)\n"
          "      --cache-mb N     memory for rendered API answers, MiB (default 64; 0 = none);\n"
          "                       incident lists, timeline and stats are always answered from\n"
          "                       memory, refreshed when the database changes\n\n"
          "exit codes: 0 stopped by a signal, 2 usage error or cannot start\n",
          f);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'D'},      {"port", required_argument, 0, 'p'},
        {"bind", required_argument, 0, 'b'},    {"web", required_argument, 0, 'w'},
        {"gen", required_argument, 0, 'g'},     {"threads", required_argument, 0, 't'},
        {"rate", required_argument, 0, 'r'},    {"burst", required_argument, 0, 'B'},
        {"max-conns", required_argument, 0, 'c'}, {"cache-mb", required_argument, 0, 'C'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    ds_serve_opts o = {0};
    o.db = cli_default_db();
    o.port = 8080;
    o.rate = 200;
    o.burst = 2000;
    o.cache_mb = -1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:h", longs, NULL)) != -1) {
        switch (c) {
        case 'D': o.db = optarg; break;
        case 'p': o.port = (int)cli_parse_long("--port", optarg, 0, 65535); break;
        case 'b': o.bind = optarg; break;
        case 'w': o.web_dir = optarg; break;
        case 'g': o.gen_dir = optarg; break;
        case 't': o.threads = (int)cli_parse_long("--threads", optarg, 1, 256); break;
        case 'r': o.rate = (double)cli_parse_long("--rate", optarg, 0, 10000000); break;
        case 'B': o.burst = (double)cli_parse_long("--burst", optarg, 1, 10000000); break;
        case 'c': o.max_conns = (int)cli_parse_long("--max-conns", optarg, 1, 100000); break;
        case 'C': o.cache_mb = cli_parse_long("--cache-mb", optarg, 0, 1 << 20); break;
        case 'h': help(stdout); return EXIT_OK;
        default: help(stderr); return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_error("serve takes no arguments (got '%s'); see 'dossier serve --help'", argv[optind]);
        return EXIT_FATAL;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    o.stop = &stop_flag;
    o.on_ready = on_ready;
    char err[512] = "";
    dossier_status st = ds_serve_run(&o, err, sizeof err);
    if (st != DOSSIER_OK) {
        cli_error("serve: %s%s%s", dossier_strerror(st), err[0] ? ": " : "", err);
        return EXIT_FATAL;
    }
    return EXIT_OK;
}
