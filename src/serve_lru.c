/*
 * serve_lru.c — the answer cache of `dossier serve`: rendered API answers
 * (status and body) keyed by their request, least recently used dropped
 * first, bounded in bytes, shared by every worker thread (one mutex).
 *
 * Entries belong to one generation (the incident snapshot they were made
 * with, serve_cache.c); ds_lru_reset() drops them all when a new snapshot
 * becomes current, and an answer made with an older one is not stored.  A
 * hit hands out a copy, so entries never outlive their lock.  Hand-written:
 * no Debian-packaged C library provides a thread-safe byte-bounded LRU; it is
 * a hash table of chains (xxhash) plus a recency list.
 */
#include "serve.h"

#include <pthread.h>
#include <string.h>
#include <xxhash.h>

#define LRU_BUCKETS 4096   /* chains; a power of two */

typedef struct lru_ent {
    struct lru_ent *hnext;          /* bucket chain */
    struct lru_ent *prev, *next;    /* recency list, most recent first */
    uint64_t hash;
    size_t klen, len;
    int status;
    char *key, *body;               /* in the same allocation as the entry */
} lru_ent;

struct ds_lru {
    pthread_mutex_t lock;
    uint64_t gen;                   /* entries are answers of this generation */
    size_t budget, used;            /* bytes: entries with keys and bodies */
    lru_ent *buckets[LRU_BUCKETS];
    lru_ent *head, *tail;
};

ds_lru *ds_lru_new(size_t budget)
{
    ds_lru *l = ds_calloc(1, sizeof *l);
    if (!l) return NULL;
    pthread_mutex_init(&l->lock, NULL);
    l->budget = budget;
    return l;
}

static void unlink_ent(ds_lru *l, lru_ent *e)
{
    if (e->prev) e->prev->next = e->next;
    else l->head = e->next;
    if (e->next) e->next->prev = e->prev;
    else l->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(ds_lru *l, lru_ent *e)
{
    e->prev = NULL;
    e->next = l->head;
    if (l->head) l->head->prev = e;
    l->head = e;
    if (!l->tail) l->tail = e;
}

static size_t ent_size(const lru_ent *e) { return sizeof *e + e->klen + e->len; }

static void drop(ds_lru *l, lru_ent *e)
{
    lru_ent **pp = &l->buckets[e->hash & (LRU_BUCKETS - 1)];
    while (*pp != e) pp = &(*pp)->hnext;
    *pp = e->hnext;
    unlink_ent(l, e);
    l->used -= ent_size(e);
    ds_free(e);
}

static lru_ent *find(ds_lru *l, uint64_t h, const char *key, size_t klen)
{
    for (lru_ent *e = l->buckets[h & (LRU_BUCKETS - 1)]; e; e = e->hnext)
        if (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen)) return e;
    return NULL;
}

void ds_lru_reset(ds_lru *l, uint64_t gen)
{
    if (!l) return;
    pthread_mutex_lock(&l->lock);
    while (l->tail) drop(l, l->tail);
    l->gen = gen;
    pthread_mutex_unlock(&l->lock);
}

void ds_lru_free(ds_lru *l)
{
    if (!l) return;
    while (l->tail) drop(l, l->tail);
    pthread_mutex_destroy(&l->lock);
    ds_free(l);
}

bool ds_lru_get(ds_lru *l, uint64_t gen, const char *key, size_t klen, int *status,
                char **body, size_t *len)
{
    uint64_t h = XXH3_64bits(key, klen);
    pthread_mutex_lock(&l->lock);
    lru_ent *e = gen == l->gen ? find(l, h, key, klen) : NULL;
    char *copy = e ? ds_malloc(e->len + 1) : NULL;
    if (copy) {
        memcpy(copy, e->body, e->len);
        copy[e->len] = '\0';
        *status = e->status;
        *len = e->len;
        unlink_ent(l, e);
        push_front(l, e);
    }
    pthread_mutex_unlock(&l->lock);
    *body = copy;
    return copy != NULL;
}

void ds_lru_put(ds_lru *l, uint64_t gen, const char *key, size_t klen, int status,
                const char *body, size_t len)
{
    if (sizeof(lru_ent) + klen + len > l->budget / 8) return;   /* no one answer fills it */
    lru_ent *e = ds_malloc(sizeof *e + klen + len);
    if (!e) return;
    memset(e, 0, sizeof *e);
    e->hash = XXH3_64bits(key, klen);
    e->klen = klen;
    e->len = len;
    e->status = status;
    e->key = (char *)(e + 1);
    e->body = e->key + klen;
    memcpy(e->key, key, klen);
    memcpy(e->body, body, len);
    pthread_mutex_lock(&l->lock);
    if (gen != l->gen || find(l, e->hash, key, klen)) {   /* stale, or raced in already */
        pthread_mutex_unlock(&l->lock);
        ds_free(e);
        return;
    }
    while (l->tail && l->used + ent_size(e) > l->budget) drop(l, l->tail);
    lru_ent **b = &l->buckets[e->hash & (LRU_BUCKETS - 1)];
    e->hnext = *b;
    *b = e;
    push_front(l, e);
    l->used += ent_size(e);
    pthread_mutex_unlock(&l->lock);
}
