/*
 * serve.c — the HTTP side of `dossier serve`, on libmicrohttpd.
 *
 * Routes (GET and HEAD only):
 *   /api/...      JSON answered by serve_api.c from the read-only store
 *   /gen/FILE     generated assets (Leaflet, country outlines) from GEN/web/
 *   /FILE, /      pages from the web/ directory (/ is index.html)
 *
 * Defences: request bodies are refused (413), long URLs (414) and oversized
 * headers (MHD's per-connection memory limit) are refused, a token bucket per
 * client address limits the request rate (429), static paths accept only
 * [A-Za-z0-9._-/] with no segment starting with '.', and the file found must
 * lie under its root after realpath() (no traversal, no symlink escape).
 * Every response carries Content-Type, a Content-Security-Policy that allows
 * only this origin's scripts and styles, nosniff and no-referrer headers.
 *
 * Threads: MHD runs a pool of worker threads; each opens its own read-only
 * store connection on first use (kept in a registry, closed at shutdown).
 * All share one ds_serve_cache (serve_cache.c), built before listening.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_URL 2048            /* longer request targets get 414 */
#define MAX_PATH_SEG 200        /* longest static path accepted */
#define CONN_MEMORY (32 * 1024) /* MHD per-connection buffer: caps header size (at most
                                 * 32 KiB: MHD mallocs it; larger ones are mmap()ed
                                 * and unmapped per connection) */
#define RATE_SLOTS 4096         /* client addresses tracked by the rate limiter */
#define RATE_PROBE 16

static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/* ---- rate limiter: token bucket per client address ----------------------- */
typedef struct rate_slot {
    unsigned char addr[16];
    bool used;
    double tokens, last;
} rate_slot;

typedef struct server {
    const ds_serve_opts *o;
    char web_root[PATH_MAX], gen_root[PATH_MAX];   /* realpath()s; "" when missing */
    char db[PATH_MAX];
    ds_serve_cache *cache;      /* shared by the workers */
    pthread_mutex_t lock;       /* guards apis and rate */
    ds_api **apis;              /* one per worker thread, closed at shutdown */
    size_t napis, capis;
    rate_slot *rate;
    int64_t requests, limited;
} server;

static _Thread_local ds_api *tl_api;
static _Thread_local const server *tl_server;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void addr_key(const struct sockaddr *sa, unsigned char key[16])
{
    memset(key, 0, 16);
    if (!sa) return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &in->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

/* true when the client may make one more request now */
static bool rate_take(server *sv, const struct sockaddr *sa)
{
    if (sv->o->rate <= 0) return true;
    unsigned char key[16];
    addr_key(sa, key);
    uint32_t h = 2166136261u;   /* FNV-1a over the address */
    for (int i = 0; i < 16; i++) h = (h ^ key[i]) * 16777619u;
    double t = now_s();
    bool ok;
    pthread_mutex_lock(&sv->lock);
    rate_slot *slot = NULL, *oldest = NULL;
    for (int i = 0; i < RATE_PROBE; i++) {
        rate_slot *r = &sv->rate[(h + (uint32_t)i) % RATE_SLOTS];
        if (r->used && !memcmp(r->addr, key, 16)) { slot = r; break; }
        if (!r->used) { if (!oldest || oldest->used) oldest = r; continue; }
        if (!oldest || (oldest->used && r->last < oldest->last)) oldest = r;
    }
    if (!slot) {   /* new client: take a free slot or evict the least recent */
        slot = oldest;
        memcpy(slot->addr, key, 16);
        slot->used = true;
        slot->tokens = sv->o->burst;
        slot->last = t;
    }
    slot->tokens += (t - slot->last) * sv->o->rate;
    if (slot->tokens > sv->o->burst) slot->tokens = sv->o->burst;
    slot->last = t;
    ok = slot->tokens >= 1.0;
    if (ok) slot->tokens -= 1.0;
    else sv->limited++;
    sv->requests++;
    pthread_mutex_unlock(&sv->lock);
    return ok;
}

/* ---- responses ----------------------------------------------------------- */
static void add_headers(struct MHD_Response *r, const char *ctype, bool nocache)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            nocache ? "no-store" : "max-age=300");
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *ctype,
                                char *body, size_t len, bool owned)
{
    struct MHD_Response *r = owned
        ? MHD_create_response_from_buffer_with_free_callback(len, body, ds_free)
        : MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (owned) ds_free(body);
        return MHD_NO;
    }
    add_headers(r, ctype, true);
    if (status == MHD_HTTP_TOO_MANY_REQUESTS) MHD_add_response_header(r, "Retry-After", "1");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A short error: JSON under /api/, plain text elsewhere.  msg is static. */
static enum MHD_Result send_error(struct MHD_Connection *c, const char *url, unsigned status,
                                  const char *msg)
{
    bool api = url && !strncmp(url, "/api/", 5);
    ds_buf b = {0};
    if (api) ds_buf_printf(&b, "{\"error\":\"%s\",\"status\":%u}\n", msg, status);
    else ds_buf_printf(&b, "%u %s\n", status, msg);
    if (!ds_buf_cstr(&b)) return MHD_NO;
    return send_buf(c, status, api ? "application/json; charset=utf-8"
                                   : "text/plain; charset=utf-8", b.p, b.n, true);
}

/* ---- static files -------------------------------------------------------- */
static const char *content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".geojson", "application/geo+json"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    for (size_t i = 0; i < DS_ARRAY_LEN(types); i++)
        if (!strcmp(dot, types[i].ext)) return types[i].type;
    return NULL;
}

/* A relative static path is safe when it is short, made of [A-Za-z0-9._-/]
 * only, and no segment is empty or starts with '.' (no "..", no dotfiles). */
static bool safe_rel_path(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > MAX_PATH_SEG) return false;
    bool seg_start = true;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' || ch == '/';
        if (!ok) return false;
        if (seg_start && (ch == '.' || ch == '/')) return false;
        seg_start = ch == '/';
    }
    return !seg_start;
}

static enum MHD_Result send_file(struct MHD_Connection *c, const char *url, const char *root,
                                 const char *rel)
{
    if (!root[0] || !safe_rel_path(rel)) return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    const char *ctype = content_type(rel);
    if (!ctype) return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    char path[PATH_MAX], real[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", root, rel) >= sizeof path ||
        !realpath(path, real))
        return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    size_t rl = strlen(root);
    if (strncmp(real, root, rl) || real[rl] != '/')   /* escaped the root (symlink) */
        return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0) return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return send_error(c, url, MHD_HTTP_NOT_FOUND, "not found");
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    add_headers(r, ctype, false);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- API ----------------------------------------------------------------- */
static const char *get_arg(void *req, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)req, MHD_GET_ARGUMENT_KIND,
                                       name);
}

/* The calling worker thread's store connection, opened on first use. */
static ds_api *thread_api(server *sv)
{
    if (tl_api && tl_server == sv) return tl_api;
    ds_api *api = NULL;
    char err[256];
    if (ds_api_open(sv->db, sv->cache, &api, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "dossier serve: %s\n", err);
        return NULL;
    }
    pthread_mutex_lock(&sv->lock);
    if (sv->napis == sv->capis) {
        size_t nc = sv->capis ? sv->capis * 2 : 8;
        ds_api **na = ds_realloc(sv->apis, nc * sizeof *na);
        if (!na) {
            pthread_mutex_unlock(&sv->lock);
            ds_api_close(api);
            return NULL;
        }
        sv->apis = na;
        sv->capis = nc;
    }
    sv->apis[sv->napis++] = api;
    pthread_mutex_unlock(&sv->lock);
    tl_api = api;
    tl_server = sv;
    return api;
}

/* The answer cache's key: the path, then every argument in order as
 * LEN:NAME LEN:VALUE ("-" for no value), so no two requests share one. */
static enum MHD_Result add_key_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    ds_buf *b = cls;
    if (value) ds_buf_printf(b, "&%zu:%s%zu:%s", strlen(key), key, strlen(value), value);
    else ds_buf_printf(b, "&%zu:%s-", strlen(key), key);
    return MHD_YES;
}

static enum MHD_Result send_api(server *sv, struct MHD_Connection *c, const char *url)
{
    ds_api *api = thread_api(sv);
    if (!api) return send_error(c, url, MHD_HTTP_SERVICE_UNAVAILABLE, "database unavailable");
    int status = 500;
    char *body = NULL;
    size_t len = 0;
    ds_buf key = {0};
    ds_buf_puts(&key, url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_key_arg, &key);
    dossier_status st = ds_api_answer(api, url, key.oom ? NULL : key.p, key.n, get_arg, c,
                                      &status, &body, &len);
    ds_buf_free(&key);
    if (st != DOSSIER_OK || !body)
        return send_error(c, url, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return send_buf(c, (unsigned)status, "application/json; charset=utf-8", body, len, true);
}

/* ---- the request handler -------------------------------------------------- */
static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

typedef struct req_state {
    bool has_body;
} req_state;

/* Length of the request target: path plus every query argument. */
static enum MHD_Result add_arg_len(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    size_t *n = cls;
    *n += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

/* Percent-decoding of the path and arguments (replaces MHD's): a decoded NUL
 * becomes 0x01 so that "index.html%00.js" cannot end a C string early; the
 * path check then refuses it. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        int hi, lo;
        if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
            char ch = (char)(hi * 16 + lo);
            *w++ = ch ? ch : '\x01';
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    server *sv = cls;
    if (!*con_cls) {   /* first call: headers only */
        req_state *st = ds_calloc(1, sizeof *st);
        if (!st) return MHD_NO;
        *con_cls = st;
        return MHD_YES;
    }
    req_state *st = *con_cls;
    if (*upload_data_size) {   /* a body: swallow it, answer 413 at the end */
        st->has_body = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!rate_take(sv, ci ? ci->client_addr : NULL))
        return send_error(c, url, MHD_HTTP_TOO_MANY_REQUESTS, "too many requests");
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
        return send_error(c, url, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
    if (st->has_body)
        return send_error(c, url, MHD_HTTP_CONTENT_TOO_LARGE, "request body not accepted");
    size_t target = strlen(url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg_len, &target);
    if (target > MAX_URL) return send_error(c, url, MHD_HTTP_URI_TOO_LONG, "URL too long");
    if (url[0] != '/') return send_error(c, url, MHD_HTTP_BAD_REQUEST, "bad request");

    if (!strncmp(url, "/api/", 5)) return send_api(sv, c, url);
    if (!strcmp(url, "/")) return send_file(c, url, sv->web_root, "index.html");
    if (!strncmp(url, "/gen/", 5)) return send_file(c, url, sv->gen_root, url + 5);
    return send_file(c, url, sv->web_root, url + 1);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    ds_free(*con_cls);
    *con_cls = NULL;
}

/* ---- setup ---------------------------------------------------------------- */
static void resolve_root(char out[PATH_MAX], const char *dir, const char *sub)
{
    char path[PATH_MAX];
    out[0] = '\0';
    if (!dir) return;
    if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "") >=
        sizeof path)
        return;
    if (!realpath(path, out)) out[0] = '\0';
}

static const char *pick(const char *given, const char *env, const char *def)
{
    if (given && *given) return given;
    const char *e = getenv(env);
    return e && *e ? e : def;
}

dossier_status ds_serve_run(const ds_serve_opts *o, char *err, size_t errlen)
{
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    if (!o->db || strlen(o->db) >= sizeof sv.db) {
        snprintf(err, errlen, "no database given");
        return DOSSIER_EINVAL;
    }
    strcpy(sv.db, o->db);
    resolve_root(sv.web_root, pick(o->web_dir, "DOSSIER_WEB", DOSSIER_WEB_DEFAULT), NULL);
    resolve_root(sv.gen_root, pick(o->gen_dir, "DOSSIER_GEN", DOSSIER_GEN_DEFAULT), "web");
    if (!sv.web_root[0]) {
        snprintf(err, errlen, "web directory not found (set --web or DOSSIER_WEB)");
        return DOSSIER_EDATA;
    }
    if (!sv.gen_root[0])
        fprintf(stderr, "dossier serve: generated web assets missing (run scripts/setup); "
                        "the map has no basemap\n");

    /* The shared cache reads every incident now: a bad database fails at
     * start, not on the first request. */
    long mb = o->cache_mb < 0 ? DS_CACHE_MB_DEFAULT : o->cache_mb;
    dossier_status st = ds_cache_open(sv.db, (size_t)mb << 20, &sv.cache, err, errlen);
    if (st != DOSSIER_OK) return st;

    sv.rate = ds_calloc(RATE_SLOTS, sizeof *sv.rate);
    if (!sv.rate) {
        ds_cache_close(sv.cache);
        return DOSSIER_ENOMEM;
    }
    pthread_mutex_init(&sv.lock, NULL);

    /* Room for many connections: raise the descriptor limit to the hard one. */
    struct rlimit rl;
    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    const char *bind = o->bind && *o->bind ? o->bind : "127.0.0.1";
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, bind, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)o->port);
    } else if (inet_pton(AF_INET6, bind, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)o->port);
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, errlen, "--bind expects an IPv4 or IPv6 address, got '%s'", bind);
        st = DOSSIER_EINVAL;
        goto out;
    }
    /* TURBO: read, write and accept before asking epoll, no shutdown() before
     * close (fewer system calls per connection; every answer is complete) */
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES) flags |= MHD_USE_EPOLL | MHD_USE_TURBO;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    /* one worker per core: answers come from memory or the page cache, so a
     * worker waits on nothing; more only adds switches (measured: bench/serve.sh) */
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : (unsigned)(ncpu > 1 ? ncpu : 2);
    unsigned max_conns = o->max_conns > 0 ? (unsigned)o->max_conns : 4096;

    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &sv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, max_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)4096,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, &sv,
        MHD_OPTION_END);
    if (!d) {
        snprintf(err, errlen, "cannot listen on %s port %d: %s", bind, o->port,
                 errno ? strerror(errno) : "libmicrohttpd refused to start");
        st = DOSSIER_EIO;
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    int port = di ? di->port : o->port;
    char url[128];
    if (flags & MHD_USE_IPv6) snprintf(url, sizeof url, "http://[%s]:%d/", bind, port);
    else snprintf(url, sizeof url, "http://%s:%d/", bind, port);
    if (o->on_ready) o->on_ready(url, o->user);

    while (!o->stop || !*o->stop) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    st = DOSSIER_OK;
out:
    for (size_t i = 0; i < sv.napis; i++) ds_api_close(sv.apis[i]);
    ds_free(sv.apis);
    ds_cache_close(sv.cache);
    ds_free(sv.rate);
    pthread_mutex_destroy(&sv.lock);
    return st;
}
