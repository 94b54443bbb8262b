/*
 * queue.h — the work queue of `dossier enqueue`, `dossier worker` and
 * `dossier status`: raw inputs registered in the database, leased in
 * batches by any number of stateless workers on any number of machines.
 *
 * Only the PostgreSQL backend has a queue (store_pg_queue.c); on another
 * store every function returns DOSSIER_EINVAL with a message in s->err.
 *
 * Life of an item: pending → leased (by one worker, until lease_until) →
 * done (stored, or already stored) | failed (with the reason).  A lease
 * that runs out (the worker was killed, or hung) makes the item leasable
 * again; after max_attempts leases it is failed as abandoned.  A worker
 * marks its items done in the same transaction that stores their documents,
 * claims and incidents, and only while it still holds their lease
 * (ds_queue_hold), so each item is stored exactly once.
 */
#ifndef DOSSIER_QUEUE_H
#define DOSSIER_QUEUE_H

#include "store.h"

/* A leased item: the input as enqueued (valid during the callback). */
typedef struct ds_queue_item {
    int64_t id;
    int attempts;          /* leases so far, this one included */
    dossier_input in;
} ds_queue_item;

typedef dossier_status (*ds_queue_item_cb)(const ds_queue_item *it, void *user);

typedef struct ds_queue_counts {
    int64_t pending, leased, expired, done, failed, already_stored, retried;
    int64_t done_last_minute, finished;
    double span_seconds;   /* first lease to last finish */
} ds_queue_counts;

/* Register one raw input (call between ds_queue_begin/commit for speed). */
dossier_status ds_queue_put(ds_store *s, const dossier_input *in, int64_t *id);
/* A plain transaction for enqueueing (no ingest lock). */
dossier_status ds_queue_begin(ds_store *s);
dossier_status ds_queue_commit(ds_store *s);
/* Lease up to n items for lease_seconds (one statement, SKIP LOCKED);
 * items leased max_attempts times already are failed instead. */
dossier_status ds_queue_lease(ds_store *s, const char *worker, int n, double lease_seconds,
                              int max_attempts, ds_queue_item_cb cb, void *user);
/* Inside the ingest transaction: lock the items this worker still leases;
 * owned[i] says which of ids[] are still ours. */
dossier_status ds_queue_hold(ds_store *s, const char *worker, const int64_t *ids, size_t n,
                             bool *owned);
/* Mark a held item done ("done": doc_id stored, result "stored" or "already
 * stored") or failed (error says why). */
dossier_status ds_queue_finish(ds_store *s, const char *worker, int64_t id, bool ok,
                               const char *doc_id, const char *result, const char *error);
/* Give leased items back (a worker stopping early). */
dossier_status ds_queue_release(ds_store *s, const char *worker, const int64_t *ids, size_t n);
/* false when the connection to the database is gone */
bool ds_queue_connected(ds_store *s);
dossier_status ds_queue_counts_get(ds_store *s, ds_queue_counts *out);
/* Failure reasons, most frequent first: cb(reason, count, example path). */
dossier_status ds_queue_failures(ds_store *s, int limit,
                                 dossier_status (*cb)(const char *reason, int64_t n,
                                                      const char *example, void *user),
                                 void *user);
/* Workers holding live leases: cb(worker, items, seconds left). */
dossier_status ds_queue_workers(ds_store *s,
                                dossier_status (*cb)(const char *worker, int64_t items,
                                                     double seconds_left, void *user),
                                void *user);

#endif
