/*
 * runner.c — dossier_run(): ingest on the calling thread, extraction on
 * `jobs` worker threads, results handed back in input order.
 *
 * A ring of at most 4 × jobs slots: the caller appends inputs at the tail,
 * workers claim the oldest unclaimed slot, and the caller retires the head
 * slot once it is done.  Workers run on large stacks so deeply nested HTML
 * cannot overflow them.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKER_STACK (256u * 1024 * 1024)   /* virtual; pages are touched only if used */

typedef struct job {
    dossier_input in;      /* owned copies of strings and bytes */
    char *path, *url, *title, *published, *outlet, *byline, *extra;
    unsigned char *bytes, *id_bytes;
    dossier_doc *doc;
    dossier_status st;
    bool claimed, done;
} job;

typedef struct runner {
    const dossier_ctx *ctx;
    pthread_mutex_t mu;
    pthread_cond_t work, finished;
    job **ring;
    size_t cap, head, tail, next;   /* head ≤ next ≤ tail, indices mod cap */
    bool closing;
    dossier_doc_cb on_doc;
    dossier_error_cb on_error;
    void *user;
    dossier_status stop;
} runner;

/* Ingest reports file errors with the runner as user; pass the caller's on. */
static void on_read_error(const char *path, dossier_status st, const char *msg, void *user)
{
    runner *r = user;
    if (r->on_error) r->on_error(path, st, msg, r->user);
}

static void job_free(job *j)
{
    if (!j) return;
    ds_free(j->path);
    ds_free(j->url);
    ds_free(j->title);
    ds_free(j->published);
    ds_free(j->outlet);
    ds_free(j->byline);
    ds_free(j->extra);
    ds_free(j->bytes);
    ds_free(j->id_bytes);
    dossier_doc_free(j->doc);
    ds_free(j);
}

static unsigned char *dup_bytes(const unsigned char *b, size_t n, bool *oom)
{
    if (!b) return NULL;
    unsigned char *d = ds_malloc(n ? n : 1);
    if (!d) *oom = true;
    else if (n) memcpy(d, b, n);
    return d;
}

static char *dup_str(const char *s, bool *oom)
{
    if (!s) return NULL;
    char *d = ds_strdup(s);
    if (!d) *oom = true;
    return d;
}

static job *job_new(const dossier_input *in)
{
    job *j = ds_calloc(1, sizeof *j);
    if (!j) return NULL;
    bool oom = false;
    j->path = dup_str(in->path, &oom);
    j->url = dup_str(in->url, &oom);
    j->title = dup_str(in->title, &oom);
    j->published = dup_str(in->published, &oom);
    j->outlet = dup_str(in->outlet, &oom);
    j->byline = dup_str(in->byline, &oom);
    j->extra = dup_str(in->extra_json, &oom);
    j->bytes = dup_bytes(in->bytes, in->len, &oom);
    j->id_bytes = dup_bytes(in->id_bytes, in->id_len, &oom);
    if (oom) {
        job_free(j);
        return NULL;
    }
    j->in = *in;
    j->in.path = j->path;
    j->in.url = j->url;
    j->in.title = j->title;
    j->in.published = j->published;
    j->in.outlet = j->outlet;
    j->in.byline = j->byline;
    j->in.extra_json = j->extra;
    j->in.bytes = j->bytes;
    j->in.id_bytes = j->id_bytes;
    return j;
}

static void *worker(void *arg)
{
    runner *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->next == r->tail && !r->closing) pthread_cond_wait(&r->work, &r->mu);
        if (r->next == r->tail && r->closing) break;
        job *j = r->ring[r->next % r->cap];
        r->next++;
        j->claimed = true;
        pthread_mutex_unlock(&r->mu);
        j->st = dossier_extract(r->ctx, &j->in, &j->doc);
        /* the raw bytes are not needed any more: free them early */
        ds_free(j->bytes);
        ds_free(j->id_bytes);
        j->bytes = j->id_bytes = NULL;
        j->in.bytes = j->in.id_bytes = NULL;
        pthread_mutex_lock(&r->mu);
        j->done = true;
        pthread_cond_broadcast(&r->finished);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Retire finished jobs at the head (in order).  Called with mu held; when
 * `wait_one` is set, waits until at least the head is done. */
static void retire(runner *r, bool wait_one)
{
    for (;;) {
        if (r->head == r->tail) return;
        job *j = r->ring[r->head % r->cap];
        if (!j->done) {
            if (!wait_one) return;
            pthread_cond_wait(&r->finished, &r->mu);
            continue;
        }
        r->head++;
        wait_one = false;
        pthread_mutex_unlock(&r->mu);
        if (r->stop == DOSSIER_OK) {
            dossier_status st = r->on_doc(&j->in, j->doc, j->st, r->user);
            if (st != DOSSIER_OK) r->stop = st;
        }
        job_free(j);
        pthread_mutex_lock(&r->mu);
    }
}

static dossier_status on_input(const dossier_input *in, void *user)
{
    runner *r = user;
    job *j = job_new(in);
    pthread_mutex_lock(&r->mu);
    if (!j) {
        /* report the failure in order, as a document that failed */
        retire(r, false);
        pthread_mutex_unlock(&r->mu);
        dossier_input bare = {0};
        bare.path = in->path;
        dossier_status st = r->on_doc(&bare, NULL, DOSSIER_ENOMEM, r->user);
        return st != DOSSIER_OK ? st : r->stop;
    }
    while (r->tail - r->head >= r->cap) retire(r, true);
    r->ring[r->tail % r->cap] = j;
    r->tail++;
    pthread_cond_signal(&r->work);
    retire(r, false);
    dossier_status st = r->stop;
    pthread_mutex_unlock(&r->mu);
    return st;
}

dossier_status dossier_run(const dossier_ctx *ctx, const char *const *paths, size_t npaths,
                           int jobs, dossier_doc_cb on_doc, dossier_error_cb on_error,
                           void *user)
{
    if (!ctx || !on_doc || (npaths && !paths)) return DOSSIER_EINVAL;
    if (jobs <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (int)n : 1;
    }
    if (jobs > 256) jobs = 256;
    runner r = {0};
    r.ctx = ctx;
    r.on_doc = on_doc;
    r.on_error = on_error;
    r.user = user;
    r.cap = (size_t)jobs * 4;
    r.ring = ds_calloc(r.cap, sizeof(job *));
    pthread_t *th = ds_calloc((size_t)jobs, sizeof(pthread_t));
    if (!r.ring || !th) {
        ds_free(r.ring);
        ds_free(th);
        return DOSSIER_ENOMEM;
    }
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.work, NULL);
    pthread_cond_init(&r.finished, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    for (int i = 0; i < jobs; i++) {
        if (pthread_create(&th[i], &attr, worker, &r) != 0) break;
        started++;
    }
    pthread_attr_destroy(&attr);
    dossier_status st = started ? DOSSIER_OK : DOSSIER_ENOMEM;
    for (size_t i = 0; i < npaths && st == DOSSIER_OK; i++)
        st = dossier_ingest_path(paths[i], &ctx->opts, on_input, on_read_error, &r);
    pthread_mutex_lock(&r.mu);
    while (r.head != r.tail) retire(&r, true);
    r.closing = true;
    pthread_cond_broadcast(&r.work);
    pthread_mutex_unlock(&r.mu);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.work);
    pthread_cond_destroy(&r.finished);
    ds_free(r.ring);
    ds_free(th);
    if (st == DOSSIER_OK) st = r.stop;
    return st;
}
