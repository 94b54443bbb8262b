/*
 * serve.h — `dossier serve`: the HTTP server (serve.c), its JSON API
 * (serve_api.c), the API's JSON writer (serve_json.c), its shared in-memory
 * incident snapshot (serve_cache.c) and answer LRU (serve_lru.c).
 *
 * serve.c speaks HTTP (libmicrohttpd): limits, rate limiting, security
 * headers, static files from web/ and the generated build-data/web/.
 * serve_api.c answers /api/ requests from a read-only store (store.h); it
 * never writes SQL itself.  Each server thread has its own ds_api handle
 * (its own database connection); all share one ds_serve_cache: every
 * incident's summary and JSON in memory (lists, timeline and stats answered
 * without the database) and a bounded LRU of rendered answers, both dropped
 * when the database changes.
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
    int threads;            /* worker threads; 0: one per core (at least 2) */
    double rate;            /* sustained requests/s per client address; 0: no limit */
    double burst;           /* bucket size per client address */
    int max_conns;          /* simultaneous connections */
    long cache_mb;          /* LRU of rendered API answers, MiB; 0: off; <0: default */
    volatile sig_atomic_t *stop;   /* the server returns when *stop becomes non-zero */
    void (*on_ready)(const char *url, void *user);  /* called once listening */
    void *user;
} ds_serve_opts;

/* Run the server until *o->stop.  On failure a message is in err. */
dossier_status ds_serve_run(const ds_serve_opts *o, char *err, size_t errlen);

/* ---- serve_cache.c -------------------------------------------------------- */
typedef struct ds_serve_cache ds_serve_cache;
typedef struct ds_inc_index ds_inc_index;   /* one immutable snapshot of the incidents */
struct ds_incident_filter;
struct ds_store_stats;

#define DS_CACHE_MB_DEFAULT 64

/* Open the cache's own read-only connection and build the first snapshot (a
 * bad database fails here, at start).  answer_bytes: budget of the answer
 * LRU (0: no LRU). */
dossier_status ds_cache_open(const char *db, size_t answer_bytes, ds_serve_cache **out,
                             char *err, size_t errlen);
void ds_cache_close(ds_serve_cache *c);
/* The current snapshot, rebuilt first when the database changed; NULL when
 * it cannot be built (the API then asks the store).  Release when done. */
const ds_inc_index *ds_cache_index(ds_serve_cache *c);
void ds_cache_release(ds_serve_cache *c, const ds_inc_index *ix);
uint64_t ds_index_gen(const ds_inc_index *ix);
void ds_index_stats(const ds_inc_index *ix, struct ds_store_stats *out);

/* Answer LRU, keyed by the request (path and arguments) within a snapshot
 * generation.  get: true and a ds_malloc'd copy of the body on a hit. */
bool ds_cache_get(ds_serve_cache *c, uint64_t gen, const char *key, size_t klen, int *status,
                  char **body, size_t *len);
void ds_cache_put(ds_serve_cache *c, uint64_t gen, const char *key, size_t klen, int status,
                  const char *body, size_t len);

/* ---- serve_lru.c: rendered answers, bounded in bytes, by generation ------- */
typedef struct ds_lru ds_lru;
ds_lru *ds_lru_new(size_t budget);   /* NULL: out of memory */
void ds_lru_free(ds_lru *l);
void ds_lru_reset(ds_lru *l, uint64_t gen);   /* drop all; new answers are of gen */
bool ds_lru_get(ds_lru *l, uint64_t gen, const char *key, size_t klen, int *status,
                char **body, size_t *len);
void ds_lru_put(ds_lru *l, uint64_t gen, const char *key, size_t klen, int status,
                const char *body, size_t len);

/* ---- serve_json.c: a streaming JSON writer and the shared objects --------- */
typedef struct jw {
    ds_buf b;
    bool first[32];
    int depth;
} jw;
void jw_key(jw *j, const char *k);   /* separator and "k": (k NULL: array item) */
void jw_open(jw *j, const char *k, char c);
void jw_close(jw *j, char c);
void jw_str(jw *j, const char *k, const char *v);   /* "" and NULL: null */
void jw_int(jw *j, const char *k, int64_t v);
void jw_num(jw *j, const char *k, double v);
void jw_bool(jw *j, const char *k, bool v);
void jw_null(jw *j, const char *k);
void jw_enum(jw *j, const char *k, const char *const *names, int v);
void jw_bits(jw *j, const char *k, const char *const *names, int nbits, unsigned bits);
void jw_csv(jw *j, const char *k, const char *csv);
void jw_party(jw *j, const char *k, const char *text, const char *country, ds_role role);
void jw_id(jw *j, const char *k, int64_t v);   /* 0: null */
void jw_doc_ref(jw *j, int64_t row, const char *id, const char *title, const char *outlet,
                const char *published);
struct ds_incident;
struct ds_claim_row;
void jw_incident(jw *j, const char *k, const struct ds_incident *inc);
void jw_claim(jw *j, const struct ds_claim_row *c);
void jw_day_count(jw *j, int32_t day, int type, int64_t n);   /* [day, type, count] */

/* serve_cache.c: a list and a timeline from the snapshot, written as
 * serve_api.c writes them from the store. */
void ds_index_list(const ds_inc_index *ix, const struct ds_incident_filter *f, int64_t limit,
                   int64_t offset, jw *j);
void ds_index_days(const ds_inc_index *ix, const struct ds_incident_filter *f, jw *j);

/* ---- serve_api.c -------------------------------------------------------- */
typedef struct ds_api ds_api;
/* Look up a query-string argument of the current request (NULL: absent). */
typedef const char *(*ds_api_arg_fn)(void *req, const char *name);

/* Open the database read-only for one server thread; cache (shared, may be
 * NULL) answers what it can. */
dossier_status ds_api_open(const char *db, ds_serve_cache *cache, ds_api **out, char *err,
                           size_t errlen);
void ds_api_close(ds_api *api);
/* Answer GET path (starting "/api/").  key: the request (path and every
 * argument, unambiguous) for the answer cache; NULL: not cached.  Always
 * sets *http_status and a JSON *body (ds_malloc'd, caller ds_free()s)
 * unless DOSSIER_ENOMEM is returned. */
dossier_status ds_api_answer(ds_api *api, const char *path, const char *key, size_t klen,
                             ds_api_arg_fn arg, void *req, int *http_status, char **body,
                             size_t *len);

#endif
