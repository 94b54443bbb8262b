/*
 * serve.h — `dossier serve`: the HTTP server (serve.c) and its JSON API
 * (serve_api.c).
 *
 * serve.c speaks HTTP (libmicrohttpd): limits, rate limiting, security
 * headers, static files from web/ and the generated build-data/web/.
 * serve_api.c answers /api/ requests from a read-only store (store.h); it
 * never writes SQL itself.  Each server thread has its own ds_api handle
 * (its own database connection).
 */
#ifndef DOSSIER_SERVE_H
#define DOSSIER_SERVE_H

#include "internal.h"
#include <signal.h>

typedef struct ds_serve_opts {
    const char *db;         /* database path or URI (opened read-only) */
    const char *bind;       /* address to listen on; NULL: 127.0.0.1 */
    int port;               /* 0: any free port (printed at start) */
    const char *web_dir;    /* pages; NULL: $DOSSIER_WEB or DOSSIER_WEB_DEFAULT */
    const char *gen_dir;    /* generated data; NULL: $DOSSIER_GEN or DOSSIER_GEN_DEFAULT */
    int threads;            /* worker threads; 0: 2 × cores */
    double rate;            /* sustained requests/s per client address; 0: no limit */
    double burst;           /* bucket size per client address */
    int max_conns;          /* simultaneous connections */
    volatile sig_atomic_t *stop;   /* the server returns when *stop becomes non-zero */
    void (*on_ready)(const char *url, void *user);  /* called once listening */
    void *user;
} ds_serve_opts;

/* Run the server until *o->stop.  On failure a message is in err. */
dossier_status ds_serve_run(const ds_serve_opts *o, char *err, size_t errlen);

/* ---- serve_api.c -------------------------------------------------------- */
typedef struct ds_api ds_api;
/* Look up a query-string argument of the current request (NULL: absent). */
typedef const char *(*ds_api_arg_fn)(void *req, const char *name);

/* Open the database read-only for one server thread. */
dossier_status ds_api_open(const char *db, ds_api **out, char *err, size_t errlen);
void ds_api_close(ds_api *api);
/* Answer GET path (starting "/api/").  Always sets *http_status and a JSON
 * *body (ds_malloc'd, caller ds_free()s) unless DOSSIER_ENOMEM is returned. */
dossier_status ds_api_answer(ds_api *api, const char *path, ds_api_arg_fn arg, void *req,
                             int *http_status, char **body, size_t *len);

#endif
