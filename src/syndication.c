/*
 * syndication.c — origin clusters: copies of one story (wire copy re-posted,
 * reworded headline, other boilerplate, truncated) and documents that state
 * the same origin ("Read the original article on Business Insider") share
 * one cluster; an incident counts each cluster once as an independent origin.
 *
 * Near-duplicates: MinHash over word 5-shingles of the cleaned body (the
 * title is left out: copies reword it), DS_DOC_SIG values, LSH in
 * DS_DOC_BANDS bands of 3 rows (a pair at Jaccard 0.5 shares a bucket with
 * probability 0.88, at 0.7 0.995, at 0.05 0.002).  Only documents sharing a band bucket are
 * compared, so each new document costs a few index lookups, not a scan.
 * A candidate is a copy when the estimated Jaccard is >= 0.5, or when the
 * estimated containment of the shorter in the longer is >= 0.8 (truncated
 * copies).  Hashing is xxHash (XXH3); the per-hash permutations are a
 * multiply-xorshift of the shingle hash, which no library offers as such.
 */
#include "store.h"

#include <ctype.h>
#include <string.h>
#include <xxhash.h>

#define SHINGLE 5
#define MIN_SHINGLES 12   /* shorter bodies are not compared (too little evidence) */
#define JACCARD_COPY 0.5
#define CONTAIN_COPY 0.8
#define EXACT_COPY 0.85   /* copies this close are not filed in the LSH buckets */

static uint64_t seed_of(int i)
{
    return 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1) ^ 0xD6E8FEB86659FD93ull;
}

static inline uint32_t permute(uint64_t h, uint64_t seed)
{
    uint64_t x = (h ^ seed) * 0xBF58476D1CE4E5B9ull;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    return (uint32_t)(x >> 32);
}

/* Next word of s (letters/digits; any non-ASCII byte counts as a letter),
 * lowercased ASCII hash; returns false at the end. */
static bool next_word(const char **p, const char *end, uint64_t *h)
{
    const unsigned char *s = (const unsigned char *)*p;
    const unsigned char *e = (const unsigned char *)end;
    while (s < e && !(isalnum(*s) || *s >= 0x80)) s++;
    if (s >= e) {
        *p = end;
        return false;
    }
    char w[64];
    size_t n = 0;
    while (s < e && (isalnum(*s) || *s >= 0x80)) {
        if (n < sizeof w) w[n++] = (char)tolower(*s);
        s++;
    }
    *h = XXH3_64bits(w, n);
    *p = (const char *)s;
    return true;
}

/* Fold n shingle hashes into the signature: each against DS_DOC_SIG
 * permutations, the largest cost of a long ingest's own code. */
static inline __attribute__((always_inline)) void fold_body(uint32_t *restrict minhash,
                                                            const uint64_t *restrict sh,
                                                            size_t n)
{
    uint64_t seeds[DS_DOC_SIG];
    uint32_t m[DS_DOC_SIG];
    for (int i = 0; i < DS_DOC_SIG; i++) {
        seeds[i] = seed_of(i);
        m[i] = minhash[i];
    }
    for (size_t j = 0; j < n; j++)
        for (int i = 0; i < DS_DOC_SIG; i++) {
            uint32_t v = permute(sh[j], seeds[i]);
            m[i] = v < m[i] ? v : m[i];
        }
    memcpy(minhash, m, sizeof m);
}

/* CPUs whose vectors multiply 64-bit lanes (AVX-512 DQ) take eight
 * permutations per instruction: GCC vectorises the same loop for them, and
 * the choice is made at run time.  The same integer arithmetic either way,
 * so the same signature (about 11× faster here; without those instructions
 * the vectorised loop would be slower than the plain one). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define FOLD_AVX512 1
__attribute__((target("avx512f,avx512dq"), optimize("O3"))) static void
fold_avx512(uint32_t *restrict minhash, const uint64_t *restrict sh, size_t n)
{
    fold_body(minhash, sh, n);
}
#endif

bool ds_minhash_fold(uint32_t *minhash, const uint64_t *sh, size_t n, bool vector)
{
    if (!vector) {
        fold_body(minhash, sh, n);
        return true;
    }
#ifdef FOLD_AVX512
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
        fold_avx512(minhash, sh, n);
        return true;
    }
#endif
    return false;
}

/* the vector loop where there is one (libgcc read the CPU's features at
 * startup: the check is two loads), else the plain one */
static void fold_shingles(uint32_t *minhash, const uint64_t *sh, size_t n)
{
    if (!ds_minhash_fold(minhash, sh, n, true)) fold_body(minhash, sh, n);
}

void ds_doc_signature(const dossier_doc *doc, ds_doc_sig *sig)
{
    memset(sig, 0, sizeof *sig);
    for (int i = 0; i < DS_DOC_SIG; i++) sig->minhash[i] = UINT32_MAX;
    const char *p = doc->text ? doc->text : "", *end = p + doc->text_len;
    uint64_t win[SHINGLE];
    uint64_t block[256];   /* shingle hashes, folded a block at a time */
    size_t nb = 0;
    int nw = 0, nsh = 0;
    uint64_t h;
    while (next_word(&p, end, &h)) {
        win[nw % SHINGLE] = h;
        nw++;
        if (nw < SHINGLE) continue;
        /* shingle hash: the window in order */
        uint64_t sh = 0;
        for (int k = 0; k < SHINGLE; k++)
            sh = (sh ^ win[(nw - SHINGLE + k) % SHINGLE]) * 0x100000001B3ull + (uint64_t)k;
        block[nb++] = XXH3_64bits(&sh, sizeof sh);
        if (nb == DS_ARRAY_LEN(block)) {
            fold_shingles(sig->minhash, block, nb);
            nb = 0;
        }
        nsh++;
    }
    if (nb) fold_shingles(sig->minhash, block, nb);
    if (nsh < MIN_SHINGLES) {
        sig->nshingles = 0;
        return;
    }
    sig->nshingles = nsh;
    ds_doc_bands(sig->minhash, sig->bands);
}

void ds_doc_bands(const uint32_t minhash[DS_DOC_SIG], uint64_t bands[DS_DOC_BANDS])
{
    int rows = DS_DOC_SIG / DS_DOC_BANDS;
    for (int b = 0; b < DS_DOC_BANDS; b++)
        bands[b] = XXH3_64bits_withSeed(&minhash[b * rows], (size_t)rows * sizeof(uint32_t),
                                        (uint64_t)b + 1);
}

double ds_sig_jaccard(const uint32_t *a, const uint32_t *b, int n)
{
    int same = 0;
    for (int i = 0; i < n; i++) same += a[i] == b[i];
    return n ? (double)same / n : 0;
}

bool ds_origin_key(const char *origin, char *out, size_t outlen)
{
    size_t n = 0;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)(origin ? origin : ""); *p; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (space && n && n + 1 < outlen) out[n++] = ' ';
            space = false;
            if (n + 1 < outlen) out[n++] = (char)tolower(*p);
        } else {
            space = true;
        }
    }
    out[n] = 0;
    /* "www.businessinsider.com" and "Business Insider" differ; leave that to
     * the cleaner that extracts origin names. */
    return n > 0;
}

typedef struct match_ctx {
    const ds_doc_sig *sig;
    double best_j;
    int64_t clusters[16];
    int n;
} match_ctx;

static dossier_status on_cand(const ds_doc_cand *c, void *user)
{
    match_ctx *m = user;
    if (!c->nshingles || !c->cluster) return DOSSIER_OK;
    double j = ds_sig_jaccard(m->sig->minhash, c->minhash, DS_DOC_SIG);
    double na = m->sig->nshingles, nb = c->nshingles;
    double inter = j * (na + nb) / (1 + j);
    double contain = inter / (na < nb ? na : nb);
    if (j < JACCARD_COPY && contain < CONTAIN_COPY) return DOSSIER_OK;
    if (j > m->best_j) m->best_j = j;
    for (int i = 0; i < m->n; i++)
        if (m->clusters[i] == c->cluster) return DOSSIER_OK;
    if (m->n < (int)DS_ARRAY_LEN(m->clusters)) m->clusters[m->n++] = c->cluster;
    return DOSSIER_OK;
}

static dossier_status push_id(int64_t id, void *user)
{
    int64_t *slot = ds_vec_push(user, sizeof(int64_t));
    if (!slot) return DOSSIER_ENOMEM;
    *slot = id;
    return DOSSIER_OK;
}

dossier_status ds_syndicate(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                            int64_t *cluster, bool *file_bands, ds_vec *touched,
                            int64_t *merged)
{
    match_ctx m = {.sig = sig};
    dossier_status r = DOSSIER_OK;
    *cluster = 0;
    if (sig->nshingles) r = s->ops->doc_candidates(s, sig->bands, DS_DOC_BANDS, 0, on_cand, &m);
    if (r != DOSSIER_OK) return r;
    /* a near-exact copy adds nothing to the buckets its original is in */
    *file_bands = sig->nshingles && m.best_j < EXACT_COPY;
    char key[128];
    if (doc->origin && ds_origin_key(doc->origin, key, sizeof key)) {
        int64_t oc = 0;
        /* a stated origin names a cluster even when no copy of it is stored;
         * when a near-duplicate already has a cluster, the name joins it */
        r = s->ops->origin_cluster(s, key, doc->origin, false, &oc);
        if (r == DOSSIER_ENOTFOUND) {
            if (m.n) {
                /* attach the name to the content cluster (no new cluster) */
                r = s->ops->origin_cluster(s, key, doc->origin, true, &oc);
                if (r == DOSSIER_OK && oc != m.clusters[0]) {
                    r = s->ops->merge_clusters(s, m.clusters[0], oc);
                    oc = m.clusters[0];
                }
            } else {
                r = s->ops->origin_cluster(s, key, doc->origin, true, &oc);
            }
        }
        if (r != DOSSIER_OK) return r;
        bool have = false;
        for (int i = 0; i < m.n; i++) have |= m.clusters[i] == oc;
        if (!have && m.n < (int)DS_ARRAY_LEN(m.clusters)) m.clusters[m.n++] = oc;
    }
    if (m.n == 0) return s->ops->new_cluster(s, doc->outlet ? doc->outlet : doc->title, cluster);
    /* keep the oldest cluster; fold the others into it */
    int64_t keep = m.clusters[0];
    for (int i = 1; i < m.n; i++)
        if (m.clusters[i] < keep) keep = m.clusters[i];
    for (int i = 0; i < m.n && r == DOSSIER_OK; i++) {
        if (m.clusters[i] == keep) continue;
        /* incidents of the folded cluster lose an independent origin: refresh */
        r = s->ops->cluster_incidents(s, m.clusters[i], push_id, touched);
        if (r == DOSSIER_OK) r = s->ops->merge_clusters(s, keep, m.clusters[i]);
        if (r == DOSSIER_OK) (*merged)++;
    }
    *cluster = keep;
    return r;
}
