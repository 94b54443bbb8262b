/*
 * test_store.c — the store and the linking logic on synthetic documents and
 * claims (built here, so the results do not depend on the extractor):
 *   - 5 copies of one story (reworded headline, other boilerplate, one
 *     truncated) → 1 origin cluster, 1 incident with 1 independent origin;
 *   - two unrelated reports of the same type in different towns → 2 incidents;
 *   - a mirror pair → 2 incidents linked as mirrors;
 *   - two independent stories of one event → 1 incident, 2 origins;
 *   - a stated origin groups copies even when the original is not stored;
 *   - re-ingest changes nothing; ingesting in two runs equals one run;
 *   - a newer schema is refused; queries, search, export run.
 */
#include "store.h"
#include "store_db.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static dossier_ctx *ctx;
static char dir[256];

static const char *STORY =
    "Russian forces shelled a school in Kharkiv on Tuesday morning, regional officials said, "
    "and three teachers were killed in the attack on the building.\n\n"
    "The governor of the region told reporters that the school had been used as a shelter by "
    "families from the northern districts since the start of the month.\n\n"
    "Rescue workers searched the ruins through the afternoon while police cordoned off the "
    "surrounding streets and moved residents to a nearby metro station.\n\n"
    "Witnesses described two loud explosions shortly after nine o'clock and said the roof of "
    "the gymnasium collapsed onto the ground floor within minutes.\n\n"
    "The city council announced a day of mourning and promised to rebuild the school before "
    "the next academic year, according to a statement published on its website.\n\n"
    "Prosecutors opened a criminal case and said they were collecting fragments of the shells "
    "to establish the calibre and the direction of fire.";

static dossier_doc *mkdoc(const char *text, const char *published)
{
    dossier_input in = {0};
    in.path = "synthetic.txt";
    in.bytes = (const unsigned char *)text;
    in.len = strlen(text);
    in.format = DOSSIER_FORMAT_TEXT;
    in.published = published;
    dossier_doc *d = NULL;
    dossier_status st = dossier_extract(ctx, &in, &d);
    CHECK(st == DOSSIER_OK, "extract synthetic doc: %s", dossier_strerror(st));
    if (d) d->claims.n = 0;   /* the test adds every claim itself (add_claim) */
    return d;
}

/* A claim on the first sentence containing `word`. */
static void add_claim(dossier_doc *d, const char *word, ds_event_type type, const char *actor_c,
                      const char *target_c, ds_victim_status status, const char *place,
                      double lat, double lon, const char *date)
{
    int si = -1;
    for (size_t i = 0; i < d->sentences.n; i++) {
        const ds_sentence *s = &DS_SENT(d, i);
        char *tmp = strndup(d->text + s->start, s->end - s->start);
        bool hit = strstr(tmp, word) != NULL;
        free(tmp);
        if (hit) {
            si = (int)i;
            break;
        }
    }
    CHECK(si >= 0, "sentence with '%s' found", word);
    if (si < 0) return;
    ds_claim *c = ds_vec_push(&d->claims, sizeof(ds_claim));
    c->type = type;
    c->sentence = si;
    c->lethal = -1;
    c->count_value = -1;
    c->actor.text = ds_arena_strdup(d->arena, "the forces");
    snprintf(c->actor.country, 4, "%s", actor_c);
    c->actor.role = DS_ROLE_MIL;
    c->target.text = ds_arena_strdup(d->arena, "people");
    snprintf(c->target.country, 4, "%s", target_c);
    c->status = status;
    if (place) {
        c->location.text = ds_arena_strdup(d->arena, place);
        c->location.name = c->location.text;
        snprintf(c->location.country, 4, "UKR");
        c->location.lat = lat;
        c->location.lon = lon;
        c->location.precision = DS_PREC_TOWN;
    }
    if (date) {
        c->time.text = ds_arena_strdup(d->arena, date);
        snprintf(c->time.value, sizeof c->time.value, "%s", date);
        c->time.precision = DS_TPREC_DAY;
    }
    c->modality = DS_MOD_REPORTED;
}

static char last_uri[512];   /* of the last open_db() */

/* A fresh database (SQLite file, or PostgreSQL database: store_db.h) */
static ds_store *open_db(const char *name)
{
    char err[512];
    const char *path = test_db_uri(dir, name, last_uri, sizeof last_uri);
    ds_store *s = NULL;
    dossier_status st = ds_store_open(path, 0, &s, err, sizeof err);
    CHECK(st == DOSSIER_OK, "open %s: %s", path, err);
    return s;
}

static void ingest(ds_store *s, dossier_doc **docs, int n)
{
    ds_ingest *in = NULL;
    CHECK(ds_ingest_new(s, 2, &in) == DOSSIER_OK, "ingest_new");
    for (int i = 0; i < n; i++) {
        dossier_status st = ds_ingest_doc(in, docs[i]);
        CHECK(st == DOSSIER_OK, "ingest doc %d: %s %s", i, dossier_strerror(st), s->err);
    }
    CHECK(ds_ingest_flush(in) == DOSSIER_OK, "flush: %s", s->err);
    ds_ingest_free(in);
}

typedef struct incs {
    ds_incident v[32];
    int n;
} incs;

static ds_store *nest_store;
static int nest_depth;

static dossier_status nest_query(const ds_incident *inc, void *user)
{
    (void)inc;
    (void)user;
    if (++nest_depth >= 24) return DOSSIER_OK;
    ds_incident_filter f = {0};
    f.limit = 1;
    return nest_store->ops->query_incidents(nest_store, &f, nest_query, NULL);
}

static dossier_status keep(const ds_incident *inc, void *user)
{
    incs *x = user;
    if (x->n < 32) x->v[x->n++] = *inc;
    return DOSSIER_OK;
}

static incs all_incidents(ds_store *s)
{
    incs x = {0};
    ds_incident_filter f = {0};
    CHECK(s->ops->query_incidents(s, &f, keep, &x) == DOSSIER_OK, "query incidents");
    return x;
}

static dossier_status count_ids(int64_t id, void *user)
{
    (void)id;
    ++*(int *)user;
    return DOSSIER_OK;
}

static dossier_status count_hits(const ds_search_hit *h, void *user)
{
    if (h->claim) ++*(int *)user;
    return DOSSIER_OK;
}

static void free_docs(dossier_doc **d, int n)
{
    for (int i = 0; i < n; i++) dossier_doc_free(d[i]);
}

/* ---- 5 copies -------------------------------------------------------------- */
static void test_copies(void)
{
    char t[5][4096];
    snprintf(t[0], sizeof t[0], "Russian shelling kills three teachers at Kharkiv school\n\n%s",
             STORY);
    snprintf(t[1], sizeof t[1],
             "School in Kharkiv hit by Russian shells, three dead\n\n%s\n\n"
             "Sign up for our daily newsletter.", STORY);
    snprintf(t[2], sizeof t[2], "Three teachers killed as shells hit Kharkiv school\n\n"
             "Advertisement\n\n%s\n\nShare this article on social media.", STORY);
    snprintf(t[3], sizeof t[3], "Kharkiv: school shelled\n\n%s\n\nRelated: more news from the "
             "region.", STORY);
    /* truncated copy: the first four paragraphs */
    snprintf(t[4], sizeof t[4], "Teachers die in Kharkiv school strike\n\n%s", STORY);
    char *cut = strstr(t[4], "The city council");
    *cut = 0;
    dossier_doc *d[5];
    for (int i = 0; i < 5; i++) {
        d[i] = mkdoc(t[i], "2022-03-02");
        if (!d[i]) return;
        add_claim(d[i], "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN,
                  "Kharkiv", 49.98, 36.25, "2022-03-01");
    }
    ds_store *s = open_db("copies.db");
    ingest(s, d, 5);
    ds_store_stats st;
    CHECK(s->ops->stats(s, &st) == DOSSIER_OK, "stats");
    CHECK(st.docs == 5, "5 documents stored (got %lld)", (long long)st.docs);
    CHECK(st.clusters == 1, "5 copies -> 1 origin cluster (got %lld)", (long long)st.clusters);
    incs x = all_incidents(s);
    CHECK(x.n == 1, "5 copies -> 1 incident (got %d)", x.n);
    if (x.n == 1) {
        CHECK(x.v[0].norigins == 1, "1 independent origin (got %d)", x.v[0].norigins);
        CHECK(x.v[0].ndocs == 5, "5 documents in the incident (got %d)", x.v[0].ndocs);
        CHECK(x.v[0].nclaims == 5, "5 claims in the incident (got %d)", x.v[0].nclaims);
        CHECK_STR(x.v[0].place, "Kharkiv");
        CHECK_STR(x.v[0].date, "2022-03-01");
        CHECK(x.v[0].ihl == 0 && x.v[0].strongest == DS_MOD_REPORTED, "aggregates");
    }
    /* re-ingest changes nothing */
    ingest(s, d, 5);
    ds_store_stats st2;
    s->ops->stats(s, &st2);
    CHECK(!memcmp(&st, &st2, sizeof st), "re-ingest changes no count");
    incs y = all_incidents(s);
    CHECK(y.n == x.n && !memcmp(x.v, y.v, sizeof x.v[0] * (size_t)x.n),
          "re-ingest changes no incident");
    /* search finds the sentence and its claim */
    int hits = 0;
    CHECK(s->ops->search(s, "shelled AND school", 10, count_hits, &hits) ==
              DOSSIER_OK,
          "search runs");
    CHECK(hits >= 5, "search finds the claim sentence in each copy (got %d)", hits);
    ds_store_close(s);
    free_docs(d, 5);
}

/* ---- two towns, a mirror pair, two independent origins ---------------------- */
static const char *TOWN_A =
    "Artillery hit a market in Chernihiv on Friday, the regional administration said in a "
    "statement, adding that several shoppers were wounded by the shelling.\n\n"
    "Emergency crews extinguished fires in three stalls and the market was closed until "
    "further notice while engineers checked the damaged roof.";
static const char *TOWN_B =
    "A separate bombardment struck a bus depot in Odesa on Friday, port officials reported, "
    "and drivers were evacuated from the garages near the harbour.\n\n"
    "The depot manager said the buses that survived would be moved to a yard outside the "
    "city and that service would resume with a reduced timetable.";
static const char *MIRROR_A =
    "Moscow accused Ukrainian troops of shooting civilians who tried to leave a village near "
    "Bakhmut, the Russian defence ministry said in its daily briefing.\n\n"
    "The ministry published no evidence and the claim could not be verified independently by "
    "reporters working in the area.";
static const char *MIRROR_B =
    "Kyiv said Russian soldiers shot civilians fleeing a settlement close to Izium, according "
    "to a statement by the Ukrainian general staff released in the evening.\n\n"
    "Officials gave the names of two of the victims and said investigators had been sent to "
    "document the bodies and collect testimony.";
static const char *OTHER_STORY =
    "Local volunteers in Kharkiv described how shells tore through the school building where "
    "neighbours had been sleeping, and how three staff members died under the rubble.\n\n"
    "One volunteer, who asked not to be named, said the shelter in the basement saved dozens "
    "of children who had spent the night there with their mothers.";

static void test_linking(void)
{
    dossier_doc *d[5];
    d[0] = mkdoc(TOWN_A, "2022-04-02");
    d[1] = mkdoc(TOWN_B, "2022-04-02");
    d[2] = mkdoc(MIRROR_A, "2022-05-10");
    d[3] = mkdoc(MIRROR_B, "2022-05-11");
    d[4] = mkdoc(STORY, "2022-03-02");
    dossier_doc *e = mkdoc(OTHER_STORY, "2022-03-03");
    for (int i = 0; i < 5; i++)
        if (!d[i]) return;
    if (!e) return;
    add_claim(d[0], "Artillery hit", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN,
              "Chernihiv", 51.49, 31.29, "2022-04-01");
    add_claim(d[1], "bombardment", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Odesa",
              46.48, 30.72, "2022-04-01");
    add_claim(d[2], "shooting civilians", DS_EV_ATTACK, "UKR", "RUS", DS_STATUS_CIVILIAN, NULL,
              0, 0, "2022-05-09");
    add_claim(d[3], "shot civilians", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, NULL, 0, 0,
              "2022-05-10");
    add_claim(d[4], "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN,
              "Kharkiv", 49.98, 36.25, "2022-03-01");
    add_claim(e, "shells tore", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
              49.99, 36.23, "2022-03-01");

    ds_store *s = open_db("link.db");
    ingest(s, d, 5);
    incs x = all_incidents(s);
    CHECK(x.n == 5, "two towns + mirror pair + one story -> 5 incidents (got %d)", x.n);
    int town = 0, mirrors = 0;
    for (int i = 0; i < x.n; i++) {
        if (!strcmp(x.v[i].place, "Chernihiv") || !strcmp(x.v[i].place, "Odesa")) town++;
        if (x.v[i].nmirrors) {
            mirrors++;
            int n = 0;
            s->ops->incident_mirrors(s, x.v[i].id, count_ids, &n);
            CHECK(n == 1, "incident %lld has one mirror (got %d)", (long long)x.v[i].id, n);
            CHECK(x.v[i].nclaims == 1, "mirrors are not merged");
        }
    }
    CHECK(town == 2, "same type in two towns -> 2 incidents (got %d)", town);
    CHECK(mirrors == 2, "mirror pair -> 2 incidents linked as mirrors (got %d)", mirrors);

    /* incremental: a second, independent story of the Kharkiv event joins it */
    ingest(s, &e, 1);
    incs y = all_incidents(s);
    CHECK(y.n == 5, "independent report joins the existing incident (got %d incidents)", y.n);
    for (int i = 0; i < y.n; i++)
        if (!strcmp(y.v[i].place, "Kharkiv")) {
            CHECK(y.v[i].nclaims == 2, "Kharkiv incident has 2 claims (got %d)", y.v[i].nclaims);
            CHECK(y.v[i].norigins == 2, "two independent origins (got %d)", y.v[i].norigins);
        }

    /* filters */
    ds_incident_filter f = {0};
    incs z = {0};
    f.near = true;
    f.lat = 50.0;
    f.lon = 36.2;
    f.km = 25;
    s->ops->query_incidents(s, &f, keep, &z);
    CHECK(z.n == 1 && !strcmp(z.v[0].place, "Kharkiv"), "--near finds Kharkiv only (got %d)",
          z.n);
    memset(&f, 0, sizeof f);
    memset(&z, 0, sizeof z);
    f.min_origins = 2;
    s->ops->query_incidents(s, &f, keep, &z);
    CHECK(z.n == 1, "--min-origins 2 finds one incident (got %d)", z.n);
    memset(&f, 0, sizeof f);
    memset(&z, 0, sizeof z);
    f.since = ds_day_from_iso("2022-05-01");
    s->ops->query_incidents(s, &f, keep, &z);
    CHECK(z.n == 2, "--since 2022-05-01 finds the mirror pair (got %d)", z.n);

    /* a callback that queries again, deeper than the statement cache (16):
     * the statements past it are prepared and finalized per use */
    nest_store = s;
    nest_depth = 0;
    memset(&f, 0, sizeof f);
    f.limit = 1;
    dossier_status nr = s->ops->query_incidents(s, &f, nest_query, NULL);
    CHECK(nr == DOSSIER_OK && nest_depth == 24, "nested queries 24 deep (got %d, %s)", nest_depth,
          dossier_strerror(nr));

    /* exports: CSV has a header and one row per incident; GeoJSON parses */
    char path[400];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    FILE *out = fopen(path, "w");
    int64_t n = 0, nocoord = 0;
    memset(&f, 0, sizeof f);
    CHECK(ds_export(s, &f, DS_EXPORT_CSV, out, &n, &nocoord) == DOSSIER_OK, "csv export");
    fclose(out);
    CHECK(n == 5, "csv rows = incidents (got %lld)", (long long)n);
    snprintf(path, sizeof path, "%s/out.geojson", dir);
    out = fopen(path, "w");
    CHECK(ds_export(s, &f, DS_EXPORT_GEOJSON, out, &n, &nocoord) == DOSSIER_OK, "geojson");
    fclose(out);
    CHECK(n == 3 && nocoord == 2, "geojson: 3 features with coordinates, 2 without (%lld, %lld)",
          (long long)n, (long long)nocoord);
    ds_store_close(s);

    /* the same documents in one run give the same incidents */
    dossier_doc *all[6] = {d[0], d[1], d[2], d[3], d[4], e};
    ds_store *s2 = open_db("link1.db");
    ingest(s2, all, 6);
    incs w = all_incidents(s2);
    CHECK(w.n == y.n, "one run = two runs: %d vs %d incidents", w.n, y.n);
    for (int i = 0; i < w.n && i < y.n; i++)
        CHECK(w.v[i].nclaims == y.v[i].nclaims && w.v[i].norigins == y.v[i].norigins &&
                  !strcmp(w.v[i].place, y.v[i].place),
              "incident %d equal in both", i);
    ds_store_close(s2);
    free_docs(d, 5);
    dossier_doc_free(e);
}

/* ---- later mentions; same day and side but nothing else in common ---------- */
static void test_mentions(void)
{
    dossier_doc *a = mkdoc(STORY, "2022-03-02");
    dossier_doc *b = mkdoc(TOWN_B, "2022-03-02");
    if (!a || !b) return;
    add_claim(a, "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
              49.98, 36.25, "2022-03-01");
    add_claim(a, "two loud explosions", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_NONE, NULL, 0, 0,
              NULL);
    /* another attack by the same side on the same day, no place: not the same event */
    add_claim(b, "bombardment", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_NONE, NULL, 0, 0,
              "2022-03-01");
    ds_store *s = open_db("mentions.db");
    dossier_doc *v[2] = {a, b};
    ingest(s, v, 2);
    incs x = all_incidents(s);
    CHECK(x.n == 2, "later mention joins its act; an unrelated same-day attack does not (%d)",
          x.n);
    for (int i = 0; i < x.n; i++)
        if (!strcmp(x.v[i].place, "Kharkiv"))
            CHECK(x.v[i].nclaims == 2, "Kharkiv incident has both mentions (%d)", x.v[i].nclaims);
    ds_store_close(s);
    dossier_doc_free(a);
    dossier_doc_free(b);
}

/* ---- one agency video re-told by two outlets: one origin ---------------------- */
static void set_relay(dossier_doc *d, const char *relay)
{
    ds_claim *c = &DS_CLAIM(d, d->claims.n - 1);
    c->attribution.present = true;
    c->attribution.relays[0].text = ds_arena_strdup(d->arena, relay);
    c->attribution.relays[0].role = DS_ROLE_MED;
    snprintf(c->attribution.relays[0].country, 4, "RUS");
    c->attribution.nrelays = 1;
}

static void test_relay_origin(void)
{
    dossier_doc *a = mkdoc(STORY, "2022-03-02"), *b = mkdoc(OTHER_STORY, "2022-03-03");
    if (!a || !b) return;
    add_claim(a, "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
              49.98, 36.25, "2022-03-01");
    set_relay(a, "RIA Novosti");
    add_claim(a, "two loud explosions", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_NONE, NULL, 0, 0,
              NULL);
    add_claim(b, "shells tore", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
              49.99, 36.23, "2022-03-01");
    set_relay(b, "RIA  novosti");
    ds_store *s = open_db("relay.db");
    dossier_doc *v[2] = {a, b};
    ingest(s, v, 2);
    incs x = all_incidents(s);
    CHECK(x.n == 1, "one event (%d incidents)", x.n);
    if (x.n == 1) {
        CHECK(x.v[0].ndocs == 2, "two documents (%d)", x.v[0].ndocs);
        CHECK(x.v[0].norigins == 1, "relayed from one agency: 1 independent origin (got %d)",
              x.v[0].norigins);
        CHECK_STR(x.v[0].source_countries, "RUS");
    }
    ds_store_close(s);
    dossier_doc_free(a);
    dossier_doc_free(b);
}

/* ---- MinHash fold: the vector loop equals the plain one ------------------------ */
static void test_minhash_paths(void)
{
    enum { N = 1000 };
    uint64_t sh[N], x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sh[i] = x;
    }
    uint32_t plain[DS_DOC_SIG], vec[DS_DOC_SIG];
    memset(plain, 0xff, sizeof plain);
    memset(vec, 0xff, sizeof vec);
    /* in uneven pieces, as documents come: the minimum carries over */
    for (int at = 0, step = 1; at < N; at += step, step = step * 3 % 257 + 1) {
        size_t n = (size_t)(at + step <= N ? step : N - at);
        ds_minhash_fold(plain, sh + at, n, false);
        if (!ds_minhash_fold(vec, sh + at, n, true)) {
            printf("# no AVX-512 loop in this build or CPU: plain loop only\n");
            return;
        }
    }
    int low = 0;
    for (int i = 0; i < DS_DOC_SIG; i++) low += plain[i] < 0x10000000u;
    CHECK(low == DS_DOC_SIG, "1,000 shingles leave every value low (%d of %d)", low, DS_DOC_SIG);
    CHECK(!memcmp(plain, vec, sizeof plain), "the AVX-512 fold gives the plain fold's signature");
}

/* ---- stated origin ----------------------------------------------------------- */
static void test_origin(void)
{
    dossier_doc *a = mkdoc(TOWN_A, "2022-04-02"), *b = mkdoc(OTHER_STORY, "2022-04-03");
    dossier_doc *c = mkdoc(TOWN_B, "2022-04-03");
    if (!a || !b || !c) return;
    a->origin = ds_arena_strdup(a->arena, "Business Insider");
    b->origin = ds_arena_strdup(b->arena, "business insider");
    ds_store *s = open_db("origin.db");
    dossier_doc *v[3] = {a, b, c};
    ingest(s, v, 3);
    ds_store_stats st;
    s->ops->stats(s, &st);
    CHECK(st.clusters == 2, "two docs stating one origin share a cluster (%lld clusters)",
          (long long)st.clusters);
    ds_store_close(s);
    dossier_doc_free(a);
    dossier_doc_free(b);
    dossier_doc_free(c);
}

/* ---- migrations 1 -> 2 -> 3 ----------------------------------------------------- */
static void test_migration(void)
{
    dossier_doc *a = mkdoc(STORY, "2022-03-02");
    if (!a) return;
    add_claim(a, "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
              49.98, 36.25, "2022-03-01");
    ds_store *s = open_db("migrate.db");
    ingest(s, &a, 1);
    ds_store_close(s);
    /* turn it back into a version-1 database (SQL valid on every backend) */
    CHECK(test_db_exec(last_uri,
                       "DROP INDEX incidents_cell; ALTER TABLE incidents DROP COLUMN cell;"
                       " DROP INDEX incidents_type_day; CREATE INDEX incidents_type_day ON"
                       " incidents(type, day_lo); DELETE FROM doc_lsh; DELETE FROM"
                       " schema_version WHERE version > 1"),
          "downgrade to version 1");
    s = open_db("migrate.db");
    ds_store_stats st;
    s->ops->stats(s, &st);
    CHECK(st.schema_version == DS_SCHEMA_VERSION, "migrated to version %d (got %d)",
          DS_SCHEMA_VERSION, st.schema_version);
    /* a copy ingested after the migration still finds the original */
    char copy[4096];
    snprintf(copy, sizeof copy, "Another headline\n\n%s\n\nFollow us.", STORY);
    dossier_doc *b = mkdoc(copy, "2022-03-02");
    if (b) {
        add_claim(b, "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN,
                  "Kharkiv", 49.98, 36.25, "2022-03-01");
        ingest(s, &b, 1);
        s->ops->stats(s, &st);
        CHECK(st.clusters == 1, "copy joins the migrated original's cluster (%lld clusters)",
              (long long)st.clusters);
        CHECK(st.incidents == 1, "and its incident (%lld incidents)", (long long)st.incidents);
        dossier_doc_free(b);
    }
    ds_store_close(s);
    dossier_doc_free(a);
}

/* ---- schema version ---------------------------------------------------------- */
static void test_newer_schema(void)
{
    ds_store *s = open_db("newer.db");
    ds_store_close(s);
    char path[512], sql[100], err[512];
    snprintf(path, sizeof path, "%s", last_uri);
    snprintf(sql, sizeof sql, "insert into schema_version(version) values(%d)",
             DS_SCHEMA_VERSION + 1);
    CHECK(test_db_exec(path, sql), "bump schema version");
    s = NULL;
    dossier_status st = ds_store_open(path, 0, &s, err, sizeof err);
    CHECK(st == DOSSIER_ESCHEMA && !s, "newer schema refused (%s)", dossier_strerror(st));
    CHECK(strstr(err, "newer") != NULL, "message says newer: %s", err);
    st = ds_store_open(path, DS_STORE_READONLY, &s, err, sizeof err);
    CHECK(st == DOSSIER_ESCHEMA, "newer schema refused read-only too");
}

/* ---- SQLite: LSH rows staged, merged at commits --------------------------------- */
static long long count_rows(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long long n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* Run the store tests again with env=val in a subdirectory of dir (first
 * keeps dir; the caller restores it and unsets env); false when it cannot. */
static bool rerun_in(const char *name, const char *env, const char *val, char first[sizeof dir])
{
    memcpy(first, dir, sizeof dir);
    if (snprintf(dir, sizeof dir, "%.200s/%s", first, name) >= (int)sizeof dir ||
        mkdir(dir, 0700) != 0) {
        memcpy(dir, first, sizeof dir);
        return false;
    }
    setenv(env, val, 1);
    test_copies();
    test_linking();
    test_mentions();
    return true;
}

/* The same results when every commit moves the staged LSH rows into the big
 * tables (copies and incidents then found there, not among staged rows). */
static void test_lsh_staging(void)
{
    char first[sizeof dir];
    if (!rerun_in("staged", "DOSSIER_LSH_STAGE", "1", first)) return;
    char path[700];
    snprintf(path, sizeof path, "%s/copies.db", dir);
    CHECK(count_rows(path, "SELECT count(*) FROM doc_lsh") > 0 &&
              count_rows(path, "SELECT count(*) FROM doc_lsh_new") == 0 &&
              count_rows(path, "SELECT count(*) FROM incident_lsh") > 0 &&
              count_rows(path, "SELECT count(*) FROM incident_lsh_new") == 0,
          "staged LSH rows were merged at each commit");
    unsetenv("DOSSIER_LSH_STAGE");
    memcpy(dir, first, sizeof dir);
}

/* The same results when the LSH buckets are answered from memory from the
 * first lookup on (store_sqlite_lsh.c), and a map is not trusted after
 * another connection has committed behind it. */
static void test_lsh_memory(void)
{
    char first[sizeof dir];
    if (!rerun_in("mapped", "DOSSIER_LSH_MAP", "0", first)) return;
    test_relay_origin();
    char copy[4096];
    snprintf(copy, sizeof copy, "Kharkiv: school shelled\n\n%s", STORY);
    dossier_doc *a = mkdoc(TOWN_A, "2022-04-02"), *b = mkdoc(STORY, "2022-03-02");
    dossier_doc *c = mkdoc(copy, "2022-03-02");
    ds_store *s1 = open_db("writers.db"), *s2 = NULL;
    if (a && b && c && s1) {
        ingest(s1, &a, 1);   /* s1 maps the buckets (holding a) */
        char err[512];
        CHECK(ds_store_open(last_uri, 0, &s2, err, sizeof err) == DOSSIER_OK, "second writer");
        if (s2) ingest(s2, &b, 1);
        ds_store_close(s2);
        ingest(s1, &c, 1);   /* a copy of b, which s1's map did not hold */
        ds_store_stats st;
        CHECK(s1->ops->stats(s1, &st) == DOSSIER_OK && st.docs == 3, "3 documents");
        CHECK(st.clusters == 2, "a copy of what another writer stored joins it (%lld clusters)",
              (long long)st.clusters);
    }
    ds_store_close(s1);
    dossier_doc_free(a);
    dossier_doc_free(b);
    dossier_doc_free(c);

    /* the same for the incidents map: an incident another writer stored is
     * found by the next report of its event */
    a = mkdoc(TOWN_B, "2022-03-02");
    b = mkdoc(STORY, "2022-03-02");
    c = mkdoc(OTHER_STORY, "2022-03-03");
    s1 = open_db("writers-incidents.db");
    s2 = NULL;
    if (a && b && c && s1) {
        add_claim(a, "bombardment", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_NONE, "Odesa", 46.48,
                  30.73, "2022-03-01");
        add_claim(b, "shelled a school", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN,
                  "Kharkiv", 49.98, 36.25, "2022-03-01");
        add_claim(c, "shells tore", DS_EV_ATTACK, "RUS", "UKR", DS_STATUS_CIVILIAN, "Kharkiv",
                  49.99, 36.23, "2022-03-01");
        ingest(s1, &a, 1);   /* s1 maps the incidents (holding Odesa) */
        char err[512];
        CHECK(ds_store_open(last_uri, 0, &s2, err, sizeof err) == DOSSIER_OK, "second writer");
        if (s2) ingest(s2, &b, 1);
        ds_store_close(s2);
        ingest(s1, &c, 1);
        incs x = all_incidents(s1);
        CHECK(x.n == 2, "a report joins the incident another writer stored (%d incidents)", x.n);
    }
    ds_store_close(s1);
    dossier_doc_free(a);
    dossier_doc_free(b);
    dossier_doc_free(c);
    unsetenv("DOSSIER_LSH_MAP");
    memcpy(dir, first, sizeof dir);
}

/* The incidents map answers candidate searches as SQL does after incidents
 * move to other days (in their 32-day block or another), other cells, lose
 * or gain a date: the same probes through a connection with the map and one without. */
typedef struct idlist {
    int64_t v[64];
    int n;
} idlist;

static dossier_status note_id(const ds_incident *inc, void *user)
{
    idlist *l = user;
    if (l->n < 64) l->v[l->n++] = inc->id;
    return DOSSIER_OK;
}

static void probe_all(ds_store *s, idlist out[12])
{
    int32_t d0 = ds_day_from_iso("2022-03-01");
    for (int k = 0; k < 12; k++) {
        ds_incident_probe p = {0};
        p.type = k % 3 ? DS_EV_ATTACK : DS_EV_CAPTURE;
        p.day_lo = d0 + 60 * (k / 3) - 1;
        p.day_hi = p.day_lo + 2;
        p.day_exact = k % 2;
        if (k % 4 != 3) {
            p.has_coord = true;
            ds_geo_cells_around(49.98 + 0.3 * (k % 2), 36.25, p.cells);
        }
        p.limit = 50;
        out[k].n = 0;
        CHECK(s->ops->incident_candidates(s, &p, note_id, &out[k]) == DOSSIER_OK, "probe %d", k);
    }
}

static void test_incident_map_moves(void)
{
    setenv("DOSSIER_LSH_MAP", "0", 1);
    ds_store *s = open_db("incmap.db");
    unsetenv("DOSSIER_LSH_MAP");
    if (!s) return;
    int32_t d0 = ds_day_from_iso("2022-03-01");
    ds_incident inc[24];
    idlist before[12], with_map[12], without[12];
    CHECK(s->ops->begin(s) == DOSSIER_OK, "begin");
    for (int i = 0; i < 24; i++) {
        ds_incident *x = &inc[i];
        memset(x, 0, sizeof *x);
        x->type = i % 3 ? DS_EV_ATTACK : DS_EV_CAPTURE;
        x->day = d0 + 60 * (i % 4);
        x->day_lo = x->day - 1;
        x->day_hi = x->day + 1;
        x->has_coord = i % 5 != 0;
        x->lat = i % 8 == 2 ? 47.0 : 49.98 + 0.3 * (i % 2);   /* far, moved in below */
        if (i % 8 == 6) x->day = x->day_lo = x->day_hi = 0;     /* dated below */
        x->lon = 36.25;
        x->precision = DS_PREC_TOWN;
        snprintf(x->place, sizeof x->place, "Town %d", i % 2);
        x->strongest = x->weakest = DS_MOD_REPORTED;
        CHECK(s->ops->incident_put(s, x, NULL) == DOSSIER_OK, "incident %d", i);
    }
    probe_all(s, before);   /* loads the map */
    for (int i = 0; i < 24; i += 2) {
        ds_incident was = inc[i];
        ds_incident *x = &inc[i];
        switch (i % 8) {
        case 0:
            if (i % 16 == 8) {   /* other days in the same block: the entries follow */
                int32_t shift = (x->day + 10) >> 5 == x->day >> 5 ? 10 : -10;
                x->day += shift;
                x->day_lo += shift;
                x->day_hi += shift;
            } else {             /* another block */
                x->day += 60;
                x->day_lo += 60;
                x->day_hi += 60;
            }
            break;
        case 2: x->lat = 49.98; break;                                   /* another cell */
        case 4: x->day = x->day_lo = x->day_hi = 0; break;               /* undated */
        case 6:                                                           /* dated */
            x->day = d0 + 60 * (i % 4);
            x->day_lo = x->day - 1;
            x->day_hi = x->day + 1;
            break;
        }
        CHECK(s->ops->incident_put(s, x, &was) == DOSSIER_OK, "update %d", i);
    }
    probe_all(s, with_map);
    CHECK(s->ops->commit(s) == DOSSIER_OK, "commit");
    ds_store_close(s);
    setenv("DOSSIER_LSH_MAP", "-1", 1);
    char err[512];
    s = NULL;
    CHECK(ds_store_open(last_uri, 0, &s, err, sizeof err) == DOSSIER_OK, "reopen: %s", err);
    unsetenv("DOSSIER_LSH_MAP");
    if (!s) return;
    probe_all(s, without);
    int same = 0, moved = 0;
    for (int k = 0; k < 12; k++) {
        same += with_map[k].n == without[k].n &&
                !memcmp(with_map[k].v, without[k].v, sizeof(int64_t) * (size_t)without[k].n);
        moved += before[k].n != without[k].n ||
                 memcmp(before[k].v, without[k].v, sizeof(int64_t) * (size_t)without[k].n);
    }
    CHECK(moved > 0, "the updates change what probes find (%d of 12)", moved);
    CHECK(same == 12, "the map finds what SQL finds after incidents moved (%d of 12 probes)",
          same);
    ds_store_close(s);
}

int main(void)
{
    printf("# store backend: %s\n", test_db_backend());
    snprintf(dir, sizeof dir, "/tmp/dossier-test-store-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    dossier_options o = {0};
    char err[256];
    if (dossier_ctx_new(NULL, &o, &ctx, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "ctx: %s\n", err);
        return 1;
    }
    test_copies();
    test_linking();
    test_origin();
    test_minhash_paths();
    test_mentions();
    test_relay_origin();
    test_migration();
    test_newer_schema();
    if (!test_db_pg_template()) {
        test_lsh_staging();
        test_lsh_memory();
        test_incident_map_moves();
    }
    dossier_ctx_free(ctx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return tap_done("store");
}
