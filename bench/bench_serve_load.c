/*
 * bench_serve_load.c — HTTP load generator for bench/serve.sh.
 *
 *   bench_serve_load HOST PORT CONCURRENCY PATHS_FILE
 *
 * Sends one GET per line of PATHS_FILE to HOST:PORT (IPv4 loopback only:
 * the load test never leaves this machine), keeping at most CONCURRENCY
 * requests in flight, one connection per request (Connection: close).  Two
 * threads: one opens connections as fast as slots allow (with CONCURRENCY
 * 1000 and 1,000 paths: all at once, nothing waits), the other runs one epoll
 * loop that sends each request and reads each answer as it comes, so an
 * answer is not timed late because the launcher is still connecting.
 * Latency of a request runs from just before its connect() to the end of its
 * answer (the server closes the connection).
 * Prints one line of key=value figures: requests, answered, 2xx, other
 * statuses, failures, p50/p95/p99/max latency in ms, wall time, requests/s.
 * Hand-written because no Debian package on this machine provides a load
 * generator (ab, wrk, hey are absent); it is ~200 lines of plain sockets.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn {
    int fd;
    size_t path;         /* index of its request */
    char req[2300];
    size_t req_len, sent;
    char head[16];       /* first bytes of the answer: the status line */
    size_t head_len;
    size_t got;
    double t0;
} conn;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    if (!n) return 0;
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

typedef struct run {
    conn *cs;
    double *lat;
    int ep;
    size_t answered, ok2xx, other, failed, nlat;   /* the reader's */
    atomic_size_t done;            /* finished, answered or not */
    size_t total;                  /* requests to make */
    double deadline;               /* give up on what is left then */
    size_t launch_failed;          /* the launcher's */
    /* free connection slots: the reader returns them, the launcher takes */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int *free_slots, nfree;
    bool stop;
} run;

static void slot_free(run *r, int i)
{
    pthread_mutex_lock(&r->lock);
    r->free_slots[r->nfree++] = i;
    pthread_cond_signal(&r->freed);
    pthread_mutex_unlock(&r->lock);
}

/* Handle what epoll reports within timeout_ms: send requests, read answers,
 * time and close the finished connections. */
static void collect(run *r, int timeout_ms)
{
    struct epoll_event evs[256];
    int n = epoll_wait(r->ep, evs, 256, timeout_ms);
    for (int k = 0; k < n; k++) {
        conn *c = &r->cs[evs[k].data.u32];
        if (c->fd <= 0) continue;
        bool finished = false, error = false;
        if ((evs[k].events & EPOLLOUT) && c->sent < c->req_len) {
            ssize_t w = send(c->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
            if (w > 0) c->sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN) error = true;
            if (c->sent == c->req_len) {
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = evs[k].data.u32};
                epoll_ctl(r->ep, EPOLL_CTL_MOD, c->fd, &ev);
            }
        }
        if (!error && (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
            char buf[65536];
            for (;;) {
                ssize_t got = recv(c->fd, buf, sizeof buf, 0);
                if (got > 0) {
                    size_t take = sizeof c->head - 1 - c->head_len;
                    if (take > (size_t)got) take = (size_t)got;
                    memcpy(c->head + c->head_len, buf, take);
                    c->head_len += take;
                    c->got += (size_t)got;
                    continue;
                }
                if (got == 0) finished = true;
                else if (errno != EAGAIN) error = true;
                break;
            }
        }
        if (finished || error) {
            double t = now_ms() - c->t0;
            int status = 0;
            if (c->head_len >= 12 && !strncmp(c->head, "HTTP/1.", 7)) status = atoi(c->head + 9);
            if (status > 0) {
                r->answered++;
                r->lat[r->nlat++] = t;
                if (status >= 200 && status < 300) r->ok2xx++;
                else r->other++;
            } else {
                r->failed++;
            }
            epoll_ctl(r->ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            c->fd = 0;
            atomic_fetch_add(&r->done, 1);
            slot_free(r, (int)evs[k].data.u32);
        }
    }
}

static void *read_loop(void *arg)
{
    run *r = arg;
    while (atomic_load(&r->done) < r->total && now_ms() < r->deadline) collect(r, 100);
    pthread_mutex_lock(&r->lock);   /* a launcher waiting for a slot stops waiting */
    r->stop = true;
    pthread_cond_broadcast(&r->freed);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fputs("usage: bench_serve_load HOST PORT CONCURRENCY PATHS_FILE\n", stderr);
        return 2;
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 ||
        (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
        fputs("bench_serve_load: HOST must be a loopback IPv4 address (127.x.x.x)\n", stderr);
        return 2;
    }
    int conc = atoi(argv[3]);
    if (conc < 1 || conc > 10000) return 2;
    FILE *f = fopen(argv[4], "r");
    if (!f) {
        perror(argv[4]);
        return 2;
    }
    char **paths = NULL;
    size_t npaths = 0, cap = 0;
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        if (npaths == cap) {
            cap = cap ? cap * 2 : 1024;
            paths = realloc(paths, cap * sizeof *paths);
            if (!paths) return 2;
        }
        paths[npaths++] = strdup(line);
    }
    fclose(f);
    struct rlimit rl;
    if (!getrlimit(RLIMIT_NOFILE, &rl)) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    conn *cs = calloc((size_t)conc, sizeof *cs);
    double *lat = calloc(npaths ? npaths : 1, sizeof *lat);
    int *slots = calloc((size_t)conc, sizeof *slots);
    int ep = epoll_create1(0);
    if (!cs || !lat || !slots || ep < 0) return 2;
    double start = now_ms();
    run r = {.cs = cs, .lat = lat, .ep = ep, .free_slots = slots, .total = npaths,
             .deadline = start + 120000};
    atomic_init(&r.done, 0);
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.freed, NULL);
    for (int i = conc - 1; i >= 0; i--) slots[r.nfree++] = i;
    pthread_t reader;
    if (pthread_create(&reader, NULL, read_loop, &r)) return 2;
    for (size_t next = 0; next < npaths; next++) {
        pthread_mutex_lock(&r.lock);
        while (!r.nfree && !r.stop) pthread_cond_wait(&r.freed, &r.lock);
        if (r.stop) {
            pthread_mutex_unlock(&r.lock);
            break;
        }
        int i = r.free_slots[--r.nfree];
        pthread_mutex_unlock(&r.lock);
        conn *c = &cs[i];
        memset(c, 0, sizeof *c);
        c->path = next;
        c->req_len = (size_t)snprintf(c->req, sizeof c->req,
                                      "GET %s HTTP/1.1\r\nHost: %s:%s\r\n"
                                      "Connection: close\r\n\r\n",
                                      paths[c->path], argv[1], argv[2]);
        c->t0 = now_ms();
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0 || (connect(fd, (struct sockaddr *)&addr, sizeof addr) && errno != EINPROGRESS)) {
            if (fd >= 0) close(fd);
            r.launch_failed++;
            atomic_fetch_add(&r.done, 1);
            slot_free(&r, i);
            continue;
        }
        c->fd = fd;   /* set before the reader can see an event for it */
        struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    pthread_join(reader, NULL);   /* it returns when every request is done, or at the deadline */
    double wall = now_ms() - start;
    size_t failed = r.failed + r.launch_failed + (npaths - atomic_load(&r.done));   /* + timed out */
    size_t nlat = r.nlat;
    qsort(lat, nlat, sizeof *lat, cmp_double);
    printf("requests=%zu answered=%zu ok=%zu other_status=%zu failed=%zu "
           "p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f wall_ms=%.0f rps=%.0f\n",
           npaths, r.answered, r.ok2xx, r.other, failed, pct(lat, nlat, 50), pct(lat, nlat, 95),
           pct(lat, nlat, 99), nlat ? lat[nlat - 1] : 0.0, wall,
           wall > 0 ? r.answered / (wall / 1000.0) : 0.0);
    for (size_t i = 0; i < npaths; i++) free(paths[i]);
    free(paths);
    free(cs);
    free(lat);
    free(slots);
    close(ep);
    return failed ? 1 : 0;
}
