/*
 * store.c — backend-neutral side of the store: choosing a backend by URI,
 * ingest batching (one transaction per batch: documents, origin clusters,
 * incident links and refreshed incident aggregates commit together), and
 * small helpers (day numbers, distances, modality order).
 */
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds for the phase costs of ingest: the monotonic clock (read in
 * user space, ~25 ns; the thread's CPU clock is a system call of about a
 * microsecond here, read 4 times per document). */
static double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- opening ------------------------------------------------------------ */
bool ds_store_uri_is_pg(const char *uri)
{
    return uri && (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13));
}

dossier_status ds_store_open(const char *uri, int flags, ds_store **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    if (!uri || !*uri) {
        if (err && errlen) snprintf(err, errlen, "no database given");
        return DOSSIER_EINVAL;
    }
    if (ds_store_uri_is_pg(uri)) return ds_store_pg_open(uri, flags, out, err, errlen);
    return ds_store_sqlite_open(uri, flags, out, err, errlen);
}

void ds_store_close(ds_store *s)
{
    if (s) s->ops->close(s);
}

/* ---- helpers ------------------------------------------------------------ */
static int32_t jdn(int y, int m, int d)
{
    /* Julian day number of a Gregorian date (Fliegel & Van Flandern) */
    int a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3;
    return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int32_t ds_day_from_iso(const char *s)
{
    if (!s) return 0;
    size_t n = strlen(s);
    int y = n >= 4 ? num(s, 4) : -1, m = 1, d = 1;
    if (y < 1000 || y > 2999) return 0;
    if (n >= 7 && s[4] == '-') m = num(s + 5, 2);
    if (n >= 10 && s[7] == '-') d = num(s + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return 0;
    return jdn(y, m, d);
}

void ds_day_to_iso(int32_t day, char out[11])
{
    int a = day + 32044, b = (4 * a + 3) / 146097, c = a - 146097 * b / 4;
    int d = (4 * c + 3) / 1461, e = c - 1461 * d / 4, m = (5 * e + 2) / 153;
    int dd = e - (153 * m + 2) / 5 + 1, mm = m + 3 - 12 * (m / 10), yy = 100 * b + d - 4800 + m / 10;
    if (yy < 0 || yy > 9999 || mm < 1 || mm > 12 || dd < 1 || dd > 31) {
        out[0] = 0;
        return;
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", yy, mm, dd);
    memcpy(out, tmp, 11);
}

int32_t ds_claim_day(const ds_time *t, const char *published, int32_t *lo, int32_t *hi)
{
    int32_t pub = published && strlen(published) >= 10 ? ds_day_from_iso(published) : 0;
    *lo = *hi = 0;
    const char *v = t && t->text ? t->value : "";
    size_t n = strlen(v);
    if (n == 10 && !strncmp(v, "XXXX-", 5) && pub) {
        /* year unknown: the latest such date not after publication */
        char buf[11];
        ds_day_to_iso(pub, buf);
        int y = num(buf, 4), m = num(v + 5, 2), d = num(v + 8, 2);
        if (m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
            int32_t day = jdn(y, m, d);
            if (day > pub + 1 && m != 2) day = jdn(y - 1, m, d);
            else if (day > pub + 1 && d <= days_in_month(y - 1, m)) day = jdn(y - 1, m, d);
            *lo = day - 1;
            *hi = day + 1;
            return day;
        }
    }
    int32_t first = ds_day_from_iso(v);
    if (first && n == 10) {
        *lo = first - 1;
        *hi = first + 1;
        return first;
    }
    if (first && n == 7) {
        int y = num(v, 4), m = num(v + 5, 2);
        *lo = first;
        *hi = first + days_in_month(y, m) - 1;
        return first + 14;
    }
    if (first && n == 4) {
        *lo = first;
        *hi = jdn(num(v, 4), 12, 31);
        /* a year alone: the publication day is the better guess inside it */
        return pub >= *lo && pub <= *hi ? pub : first + 182;
    }
    if (pub) {   /* no time named: it happened shortly before it was reported */
        *lo = pub - 7;
        *hi = pub;
        return pub;
    }
    return 0;
}

int ds_modality_rank(ds_modality m)
{
    switch (m) {
    case DS_MOD_CONFIRMED: return 7;
    case DS_MOD_ASSERTED: return 6;
    case DS_MOD_REPORTED: return 5;
    case DS_MOD_ALLEGED: return 4;
    case DS_MOD_DISPUTED: return 3;
    case DS_MOD_HYPOTHETICAL: return 2;
    case DS_MOD_DENIED: return 1;
    default: return 0;
    }
}

double ds_km(double lat1, double lon1, double lat2, double lon2)
{
    double r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    return 6371.0 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

int64_t ds_geo_cell(bool has_coord, double lat, double lon)
{
    if (!has_coord || !isfinite(lat) || !isfinite(lon)) return 0;
    /* the same formula is in migration 2 (SQL CAST truncates like C) */
    return (int64_t)((lat + 90.0) * 2) * 1000 + (int64_t)((lon + 180.0) * 2) + 1;
}

void ds_geo_cells_around(double lat, double lon, int64_t cells[9])
{
    int k = 0;
    for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++) cells[k++] = ds_geo_cell(true, lat + 0.5 * i, lon + 0.5 * j);
}

void ds_copy_text(char *dst, size_t cap, const char *src)
{
    if (!cap) return;
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {
        n = cap - 1;
        while (n && ((unsigned char)src[n] & 0xC0) == 0x80) n--;   /* char boundary */
    }
    if (n) memcpy(dst, src, n);
    dst[n] = 0;
}

/* ---- ingest ------------------------------------------------------------- */
struct ds_ingest {
    ds_store *s;
    int batch, pending;
    bool in_txn;
    ds_vec touched;   /* of int64_t incident ids */
    ds_agg_cache *agg;   /* NULL: every refresh reads all claims */
    ds_ingest_stats st;
};

dossier_status ds_ingest_new(ds_store *s, int batch, ds_ingest **out)
{
    *out = NULL;
    ds_ingest *in = ds_calloc(1, sizeof *in);
    if (!in) return DOSSIER_ENOMEM;
    in->s = s;
    in->batch = batch > 0 ? batch : DS_INGEST_BATCH;
    /* DOSSIER_AGG_CACHE=0: no cache (tests compare the two) */
    const char *env = getenv("DOSSIER_AGG_CACHE");
    if (!(env && !strcmp(env, "0")) && ds_agg_cache_new(&in->agg) != DOSSIER_OK) {
        ds_free(in);
        return DOSSIER_ENOMEM;
    }
    *out = in;
    return DOSSIER_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

dossier_status ds_ingest_flush(ds_ingest *in)
{
    if (!in->in_txn) return DOSSIER_OK;
    dossier_status r = DOSSIER_OK;
    int64_t *ids = in->touched.items;
    double t0 = clock_s();
    if (in->touched.n) qsort(ids, in->touched.n, sizeof *ids, cmp_i64);
    for (size_t i = 0; i < in->touched.n && r == DOSSIER_OK; i++)
        if (i == 0 || ids[i] != ids[i - 1]) r = ds_incident_refresh(in->s, in->agg, ids[i]);
    in->touched.n = 0;
    double t1 = clock_s();
    in->st.t_refresh += t1 - t0;
    if (r == DOSSIER_OK) r = in->s->ops->commit(in->s);
    in->st.t_commit += clock_s() - t1;
    if (r != DOSSIER_OK) {
        char keep[sizeof in->s->err];
        memcpy(keep, in->s->err, sizeof keep);
        in->s->ops->rollback(in->s);
        memcpy(in->s->err, keep, sizeof keep);
    }
    in->in_txn = false;
    in->pending = 0;
    return r;
}

dossier_status ds_ingest_doc(ds_ingest *in, const dossier_doc *doc)
{
    ds_store *s = in->s;
    dossier_status r;
    if (!in->in_txn) {
        r = s->ops->begin(s);
        if (r != DOSSIER_OK) return r;
        in->in_txn = true;
    }
    int64_t rowid = 0;
    r = s->ops->has_doc(s, doc->id, &rowid);
    if (r == DOSSIER_OK) {
        in->st.skipped_existing++;
        return DOSSIER_OK;
    }
    if (r != DOSSIER_ENOTFOUND) goto fail;
    /* linking reads each claim's sentence before the backend stores them */
    if (!ds_doc_claims_valid(doc, s->err, sizeof s->err)) {
        r = DOSSIER_EINVAL;
        goto fail;
    }
    double t0 = clock_s();
    ds_doc_sig sig;
    ds_doc_signature(doc, &sig);
    int64_t *incidents = ds_calloc(doc->claims.n ? doc->claims.n : 1, sizeof *incidents);
    if (!incidents) {
        r = DOSSIER_ENOMEM;
        goto fail;
    }
    /* the origin cluster first, so the document row is written once */
    int64_t cluster = 0;
    bool file_bands = false;
    size_t merged_from = in->touched.n;
    r = ds_syndicate(s, doc, &sig, &cluster, &file_bands, &in->touched,
                     &in->st.clusters_merged);
    /* incidents whose documents' clusters merged lost origins: read anew */
    for (size_t k = merged_from; k < in->touched.n; k++)
        ds_agg_cache_forget(in->agg, ((int64_t *)in->touched.items)[k]);
    double t1 = clock_s();
    /* then the incidents, so each claim row is written once, with its own */
    for (size_t i = 0; i < doc->claims.n && r == DOSSIER_OK; i++)
        r = ds_link_claim(s, doc, i, incidents, &in->touched, &in->st);
    double t2 = clock_s();
    if (r == DOSSIER_OK) r = s->ops->put_doc(s, doc, &sig, cluster, incidents, &rowid);
    if (r == DOSSIER_OK && file_bands)
        r = s->ops->doc_lsh_put(s, rowid, sig.bands, DS_DOC_BANDS);
    double t3 = clock_s();
    in->st.t_syndicate += t1 - t0;   /* signature and clustering */
    in->st.t_link += t2 - t1;
    in->st.t_store += t3 - t2;       /* rows, buckets */
    ds_free(incidents);
    if (r != DOSSIER_OK) goto fail;
    in->st.added++;
    in->st.claims += (int64_t)doc->claims.n;
    if (++in->pending >= in->batch) return ds_ingest_flush(in);
    return DOSSIER_OK;
fail:;
    /* the whole batch is rolled back: nothing half-written stays */
    char keep[sizeof s->err];
    memcpy(keep, s->err, sizeof keep);
    s->ops->rollback(s);
    memcpy(s->err, keep, sizeof keep);
    in->in_txn = false;
    in->pending = 0;
    in->touched.n = 0;
    return r;
}

void ds_ingest_free(ds_ingest *in)
{
    if (!in) return;
    if (in->in_txn) in->s->ops->rollback(in->s);
    ds_vec_free(&in->touched);
    ds_agg_cache_free(in->agg);
    ds_free(in);
}

const ds_ingest_stats *ds_ingest_stats_get(const ds_ingest *in) { return &in->st; }
