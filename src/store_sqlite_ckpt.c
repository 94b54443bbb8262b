/*
 * store_sqlite_ckpt.c — WAL checkpoints of a long ingest, in a thread of
 * their own.
 *
 * A commit appends the batch's pages to the WAL; a checkpoint later copies
 * them into the database file (a read and a write per page, then an fsync
 * of each file).  SQLite's automatic checkpoint does that inside the commit
 * that crosses its threshold, on the ingesting thread, which waits.  Here
 * the writer's WAL hook counts the pages instead, and once the WAL holds
 * SQ_CKPT_BYTES a thread with a connection of its own runs PASSIVE
 * checkpoints (they never block the writer) after each commit, while the
 * writer goes on with the next batch.
 *
 * A PASSIVE checkpoint copies what was committed when it started, and the
 * writer keeps appending, so the WAL file would never start over: at
 * SQ_CKPT_WRAP times that size the writer waits at its commit for one
 * checkpoint that covers it (by then the thread has only the last batch
 * left to copy), and the next transaction writes the WAL from its
 * beginning again.
 *
 * If the thread or its connection cannot be had, the writer checkpoints
 * itself at that size, as SQLite's automatic checkpoint would.
 * A failed checkpoint loses nothing (the pages stay in the WAL, which the
 * next one copies); the close of the last connection checkpoints the rest.
 */
#include "store_sqlite.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the thread ----------------------------------------------------------- */
struct sq_ckpt {
    pthread_t thread;
    sqlite3 *db;             /* the thread's connection */
    pthread_mutex_t mu;
    pthread_cond_t ask, done;
    uint64_t asked, finished;   /* checkpoints asked for / the last one run */
    bool stop;
};

static void *ckpt_main(void *arg)
{
    sq_ckpt *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->stop && c->finished == c->asked) pthread_cond_wait(&c->ask, &c->mu);
        if (c->stop) break;
        uint64_t ticket = c->asked;
        pthread_mutex_unlock(&c->mu);
        int nlog = 0, ncopied = 0;
        /* SQLITE_BUSY (a reader's snapshot holds pages back) and I/O errors
         * leave pages in the WAL for the next one: nothing to report here */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &nlog, &ncopied);
        pthread_mutex_lock(&c->mu);
        c->finished = ticket;
        pthread_cond_broadcast(&c->done);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void ckpt_free(sq_ckpt *c)
{
    if (!c) return;
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->ask);
    pthread_cond_destroy(&c->done);
    ds_free(c);
}

/* The thread and its connection; NULL when either cannot be had. */
static sq_ckpt *ckpt_start(sq_store *s)
{
    const char *path = sqlite3_db_filename(s->db, "main");
    if (!path || !*path) return NULL;
    sq_ckpt *c = ds_calloc(1, sizeof *c);
    if (!c) return NULL;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->ask, NULL);
    pthread_cond_init(&c->done, NULL);
    /* a first read opens the database in WAL mode (until then a checkpoint
     * of this connection is a no-op) */
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) !=
            SQLITE_OK ||
        pthread_create(&c->thread, NULL, ckpt_main, c) != 0) {
        ckpt_free(c);
        return NULL;
    }
    return c;
}

void sq_ckpt_stop(sq_store *s)
{
    sq_ckpt *c = s->ckpt;
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->ask);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    ckpt_free(c);
    s->ckpt = NULL;
}

/* ---- the writer's side ------------------------------------------------------ */
/* After each commit of the writer: pages now in the WAL (SQLite's automatic
 * checkpoint is this same hook; setting it turns that off). */
static int on_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    ((sq_store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

void sq_ckpt_init(sq_store *s)
{
    const char *env = getenv("DOSSIER_CKPT_PAGES");   /* tests: a small WAL */
    int64_t page = sq_scalar(s, "PRAGMA page_size");
    s->ckpt_pages = env && atol(env) > 0 ? atol(env)
                                         : SQ_CKPT_BYTES / (page > 0 ? page : 4096);
    s->ckpt_wrap = s->ckpt_pages * SQ_CKPT_WRAP;
    sqlite3_wal_hook(s->db, on_wal, s);
}

void sq_ckpt_after_commit(sq_store *s)
{
    int64_t pages = s->wal_pages;
    if (pages < s->ckpt_pages) return;
    if (!s->ckpt && !s->ckpt_failed) {
        s->ckpt = ckpt_start(s);
        s->ckpt_failed = !s->ckpt;
    }
    sq_ckpt *c = s->ckpt;
    if (!c) {
        if (pages >= s->ckpt_wrap)
            sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return;
    }
    pthread_mutex_lock(&c->mu);
    uint64_t ticket = ++c->asked;
    pthread_cond_signal(&c->ask);
    if (pages >= s->ckpt_wrap)
        while (c->finished < ticket) pthread_cond_wait(&c->done, &c->mu);
    pthread_mutex_unlock(&c->mu);
}
