/*
 * test_serve_cache.c — the web API answered through the shared cache
 * (serve_cache.c: incident lists, timeline and stats from memory, other
 * answers through the LRU) is the API answered by the store alone: the same
 * bytes for a grid of filter combinations, pages and endpoints over a small
 * database (the seed texts, else the fuzz text corpus, ingested by the api
 * fuzz target's set-up in fuzz/targets.h).  Then the database changes under
 * the cache: new documents are ingested through another connection, and the
 * cached answers (stats, lists, an LRU'd timeline) must follow.
 */
#include "../fuzz/targets.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse "path?a=b&c=d" into q (in place, no percent-decoding: the grid
 * below uses none). */
static const char *split(char *url, fuzz_args *q)
{
    memset(q, 0, sizeof *q);
    char *qs = strchr(url, '?');
    if (!qs) return url;
    *qs++ = 0;
    for (char *p = qs; p && *p && q->n < FUZZ_MAX_ARGS;) {
        char *amp = strchr(p, '&');
        if (amp) *amp++ = 0;
        char *eq = strchr(p, '=');
        if (eq) *eq++ = 0;
        q->name[q->n] = p;
        q->value[q->n++] = eq ? eq : p + strlen(p);
        p = amp;
    }
    return url;
}

typedef struct got {
    int status;
    char *body;
    size_t len;
} got;

static got ask(ds_api *api, const char *target, bool keyed)
{
    char url[1024];
    snprintf(url, sizeof url, "%s", target);
    fuzz_args q;
    const char *path = split(url, &q);
    got g = {0, NULL, 0};
    if (ds_api_answer(api, path, keyed ? target : NULL, keyed ? strlen(target) : 0,
                      fuzz_api_arg, &q, &g.status, &g.body, &g.len) != DOSSIER_OK)
        g.body = NULL;
    return g;
}

static int compared, differed;

/* The cached API (asked twice: the second answer may come from the LRU) and
 * the store-only API give the same answer. */
static void same(const char *target)
{
    got a = ask(fuzz_api_handle, target, true), a2 = ask(fuzz_api_handle, target, true);
    got b = ask(fuzz_api_plain, target, false);
    bool ok = a.body && a2.body && b.body && a.status == b.status && a.len == b.len &&
              !memcmp(a.body, b.body, a.len) && a2.len == a.len && !memcmp(a.body, a2.body, a.len);
    compared++;
    if (!ok && differed++ < 5)
        CHECK(false, "%s: cached %d %.200s / store %d %.200s", target, a.status,
              a.body ? a.body : "", b.status, b.body ? b.body : "");
    ds_free(a.body);
    ds_free(a2.body);
    ds_free(b.body);
}

static int64_t json_int(const char *body, const char *key)
{
    cJSON *j = cJSON_Parse(body);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    int64_t x = cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -1;
    cJSON_Delete(j);
    return x;
}

int main(void)
{
    const char *seeds = "../../shared/corpus/seeds";
    if (!getenv("FUZZ_API_DOCS") && access(seeds, R_OK) == 0) setenv("FUZZ_API_DOCS", seeds, 1);
    fuzz_api();   /* builds the database, the cache and both API handles */
    CHECK(fuzz_api_handle && fuzz_api_plain && fuzz_api_cache, "API handles open");

    got st = ask(fuzz_api_plain, "/api/stats", false);
    int64_t ninc = json_int(st.body, "incidents"), ndocs = json_int(st.body, "docs");
    ds_free(st.body);
    CHECK(ninc > 3, "the test database has incidents (%lld)", (long long)ninc);

    /* every endpoint, a grid of filters, pages past the end, bad arguments */
    same("/api/stats");
    same("/api/incidents");
    same("/api/timeline");
    same("/api/nothing");
    char t[512];
    for (int64_t id = 0; id <= ninc + 1; id++) {
        snprintf(t, sizeof t, "/api/incidents/%lld", (long long)id);
        same(t);
    }
    for (int64_t d = 1; d <= ndocs + 1; d++) {
        snprintf(t, sizeof t, "/api/docs/#%lld", (long long)d);
        same(t);
    }
    same("/api/search?q=killed");
    same("/api/search?q=killed&order=rank&limit=3");
    same("/api/search?q=%22unbalanced");
    static const char *const filters[] = {
        "", "type=attack", "type=capture", "type=bogus", "country=UKR", "country=rus",
        "source_country=UKR", "source_country=USA", "modality=reported", "modality=confirmed",
        "modality=denied", "ihl=attack_on_protected_site", "ihl=civilian_harm,pow_treatment",
        "since=2022-03-01", "until=2022-06-30", "since=2022-04-01&until=2022-04-30",
        "since=2030-01-01", "until=1990", "min_origins=2", "min_origins=0",
        "near=48.5,35,300", "near=49.99,36.23,30", "near=91,0,1", "type=attack&country=UKR&since=2022-03",
        "modality=reported&source_country=UKR&min_origins=1",
    };
    static const char *const pages[] = {"", "&limit=1", "&limit=2&offset=1", "&limit=5000",
                                        "&offset=3", "&offset=100000", "&limit=0"};
    for (size_t f = 0; f < DS_ARRAY_LEN(filters); f++) {
        snprintf(t, sizeof t, "/api/timeline?%s", filters[f]);
        same(t);
        for (size_t p = 0; p < DS_ARRAY_LEN(pages); p++) {
            /* near= lists page after the exact distance test (the store pages
             * its bounding box first): compare them only on one whole page */
            if (strstr(filters[f], "near=") && strcmp(pages[p], "&limit=5000")) continue;
            snprintf(t, sizeof t, "/api/incidents?%s%s", filters[f], pages[p]);
            same(t);
        }
    }
    printf("compared %d answers (incidents %lld, documents %lld)\n", compared, (long long)ninc,
           (long long)ndocs);
    CHECK(differed == 0, "%d of %d answers differ between cache and store", differed, compared);

    /* the database changes under the cache; a document not there yet is a
     * 404 that the LRU now holds */
    char next_doc[64];
    snprintf(next_doc, sizeof next_doc, "/api/docs/#%lld", (long long)ndocs + 1);
    got before = ask(fuzz_api_handle, next_doc, true);
    CHECK(before.status == 404, "%s: 404 before the change", next_doc);
    ds_free(before.body);
    char err[512];
    ds_store *s = NULL;
    ds_ingest *in = NULL;
    dossier_status r = ds_store_open(fuzz_api_db, 0, &s, err, sizeof err);
    if (r == DOSSIER_OK) r = ds_ingest_new(s, 0, &in);
    CHECK(r == DOSSIER_OK, "reopen for writing: %s", err);
    if (r == DOSSIER_OK) {
        dossier_options o = {0};
        const char *more = access("fuzz/corpus/text", R_OK) == 0 ? "fuzz/corpus/text"
                                                                   : "../fuzz/corpus/text";
        dossier_ingest_path(more, &o, fuzz_store_doc, fuzz_on_error, in);
        CHECK(ds_ingest_flush(in) == DOSSIER_OK, "more documents stored");
    }
    ds_ingest_free(in);
    ds_store_stats now = {0};
    CHECK(s && DS_STORE(s, stats, &now) == DOSSIER_OK && now.docs > ndocs,
          "the database grew (%lld → %lld documents)", (long long)ndocs, (long long)now.docs);
    ds_store_close(s);
    usleep(300 * 1000);   /* past the cache's check interval (0.2 s) */
    got after = ask(fuzz_api_handle, "/api/stats", true);
    CHECK(after.body && json_int(after.body, "docs") == now.docs &&
              json_int(after.body, "incidents") == now.incidents,
          "stats from the cache follow the change: %s", after.body ? after.body : "");
    ds_free(after.body);
    got doc = ask(fuzz_api_handle, next_doc, true);
    CHECK(doc.status == 200, "%s: the LRU'd 404 was dropped with the old snapshot (%d)", next_doc,
          doc.status);
    ds_free(doc.body);
    differed = 0;
    same("/api/incidents?limit=5000");
    same("/api/timeline");
    same(next_doc);
    CHECK(differed == 0, "after the change, cache and store agree");
    return tap_done("serve_cache");
}
