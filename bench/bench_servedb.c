/*
 * bench_servedb.c — make a synthetic database for `dossier serve`: the load
 * test (bench/serve.sh, 100k claims) and the browser test (tests/cli_serve.sh,
 * a few dozen documents whose claims and places are known in advance).
 *
 *   bench_servedb DB [--docs N] [--claims-per-doc K] [--copies C] [--places P]
 *                    [--days D] [--xss]
 *
 * Each document is synthetic news text run through the real pipeline
 * (dossier_extract: cleaning drops its sign-up and share lines, the splitter
 * finds its sentences), then its claims are set from the sentence templates
 * it was written from — event trigger offsets, parties, a place with
 * coordinates, a date, attribution — so the database does not depend on the
 * state of the claim extractor.  It is stored through the store interface
 * (ds_ingest_*), which clusters copies and links incidents as for real input.
 * Every C-th document is a reworded copy of the one before (--copies), so
 * origin clusters and multi-document incidents occur.  Places are the 12 named
 * towns below, or with --places P > 12 also grid points "Sector N" over the
 * region (large databases: realistic density of events per place and day);
 * dates spread over D days from 2022-03-01 (default 180).  --xss adds one
 * document whose title and text carry HTML/script payloads.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem */
#endif
#include "internal.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct town {
    const char *name, *admin1, *country;
    double lat, lon;
} town;

/* Synthetic places (real coordinates, generic list; nothing from any corpus). */
static const town TOWNS[] = {
    {"Kharkiv", "Kharkiv Oblast", "UKR", 49.99, 36.23},
    {"Mariupol", "Donetsk Oblast", "UKR", 47.10, 37.55},
    {"Kherson", "Kherson Oblast", "UKR", 46.64, 32.61},
    {"Zaporizhzhia", "Zaporizhzhia Oblast", "UKR", 47.84, 35.14},
    {"Izium", "Kharkiv Oblast", "UKR", 49.21, 37.26},
    {"Sumy", "Sumy Oblast", "UKR", 50.91, 34.80},
    {"Kramatorsk", "Donetsk Oblast", "UKR", 48.72, 37.56},
    {"Odesa", "Odesa Oblast", "UKR", 46.48, 30.72},
    {"Chernihiv", "Chernihiv Oblast", "UKR", 51.49, 31.29},
    {"Mykolaiv", "Mykolaiv Oblast", "UKR", 46.97, 32.00},
    {"Belgorod", "Belgorod Oblast", "RUS", 50.60, 36.59},
    {"Kursk", "Kursk Oblast", "RUS", 51.73, 36.19},
};
#define NTOWNS (int)DS_ARRAY_LEN(TOWNS)
static int nplaces = NTOWNS, ndays = 180;
static town *grid;   /* nplaces - NTOWNS generated places */
static char (*grid_names)[24];

typedef struct side {
    const char *forces, *country, *speaker;
    ds_role speaker_role;
} side;
static const side SIDES[2] = {
    {"Russian forces", "RUS", "the Russian Defence Ministry", DS_ROLE_GOV},
    {"Ukrainian troops", "UKR", "the Ukrainian General Staff", DS_ROLE_MIL},
};

typedef struct tmpl {
    ds_event_type type;
    const char *fmt;       /* %1$s actor, %2$s town, %3$s date text, %4$s speaker, %5$d count */
    const char *trigger;   /* the event word as it stands in the sentence */
    const char *target;    /* target text (NULL none) */
    ds_mode mode;
    ds_victim_status status;
    ds_site site;
    int lethal;
    unsigned ihl;
    ds_modality modality;
} tmpl;

static const tmpl TEMPLATES[] = {
    {DS_EV_ATTACK, "%4$s said %1$s shelled a hospital in %2$s %3$s, killing %5$d civilians.",
     "shelled", "a hospital", DS_MODE_ARTILLERY, DS_STATUS_CIVILIAN, DS_SITE_HOSPITAL, 1,
     DS_IHL_ATTACK_ON_PROTECTED_SITE | DS_IHL_ATTACK_ON_CIVILIANS, DS_MOD_REPORTED},
    {DS_EV_CAPTURE, "%1$s captured %5$d soldiers near %2$s %3$s, %4$s claimed.", "captured",
     "soldiers", DS_MODE_NONE, DS_STATUS_POW, DS_SITE_NONE, -1, 0, DS_MOD_ALLEGED},
    {DS_EV_ATTACK, "A drone launched by %1$s struck a residential building in %2$s %3$s, %4$s said.",
     "struck", "a residential building", DS_MODE_DRONE, DS_STATUS_NONE, DS_SITE_RESIDENTIAL, -1,
     0, DS_MOD_REPORTED},
    {DS_EV_SURRENDER, "%5$d soldiers surrendered to %1$s near %2$s %3$s, %4$s said.",
     "surrendered", "soldiers", DS_MODE_NONE, DS_STATUS_SURRENDERING, DS_SITE_NONE, -1, 0,
     DS_MOD_REPORTED},
    {DS_EV_SEIZE, "%1$s seized the power plant in %2$s %3$s, according to %4$s.", "seized",
     "the power plant", DS_MODE_NONE, DS_STATUS_NONE, DS_SITE_POWER_PLANT, -1, 0,
     DS_MOD_REPORTED},
    {DS_EV_FLEE, "Soldiers of %1$s fled from %2$s %3$s, %4$s claimed.", "fled", NULL,
     DS_MODE_NONE, DS_STATUS_NONE, DS_SITE_NONE, -1, 0, DS_MOD_ALLEGED},
    {DS_EV_EXCHANGE, "%1$s exchanged %5$d prisoners near %2$s %3$s, %4$s confirmed.",
     "exchanged", "prisoners", DS_MODE_NONE, DS_STATUS_POW, DS_SITE_NONE, -1, 0,
     DS_MOD_CONFIRMED},
    {DS_EV_THREATEN, "%1$s threatened to shoot civilians in %2$s %3$s, %4$s said.",
     "threatened", "civilians", DS_MODE_FIREARMS, DS_STATUS_CIVILIAN, DS_SITE_NONE, -1, 0,
     DS_MOD_REPORTED},
};
#define NTEMPLATES (int)DS_ARRAY_LEN(TEMPLATES)

static const char *const MONTHS[] = {"January", "February", "March", "April", "May", "June",
                                     "July", "August", "September", "October", "November",
                                     "December"};
static const char *const OUTLETS[] = {"Daily Courier", "Evening Ledger", "Morning Wire",
                                      "Frontline Post", "Eastern Herald", "Metro Tribune"};

typedef struct planned {
    const tmpl *t;
    const town *place;
    const side *actor, *other;
    char iso[11], when[40];
    int count;
} planned;

/* Deterministic pseudo-random numbers (xorshift), so every run builds the same data. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static void plan_event(int story, int k, planned *p)
{
    uint64_t save = rng_state;
    rng_state = 0x9E3779B97F4A7C15ull ^ ((uint64_t)story * 1000003u + (uint64_t)k * 7919u + 1);
    for (int i = 0; i < 3; i++) rnd(2);
    p->t = &TEMPLATES[rnd(NTEMPLATES)];
    int pi = (int)rnd((uint32_t)nplaces);
    p->place = pi < NTOWNS ? &TOWNS[pi] : &grid[pi - NTOWNS];
    int a = (int)rnd(2);
    p->actor = &SIDES[a];
    p->other = &SIDES[1 - a];
    int32_t day = ds_day_from_iso("2022-03-01") + (int32_t)rnd((uint32_t)ndays);
    ds_day_to_iso(day, p->iso);
    int m = atoi(p->iso + 5), d = atoi(p->iso + 8);
    snprintf(p->when, sizeof p->when, "on %d %s %.4s", d, MONTHS[m - 1], p->iso);
    p->count = 2 + (int)rnd(40);
    rng_state = save;
}

static const char *copy(dossier_doc *doc, const char *s)
{
    return s ? ds_arena_strdup(doc->arena, s) : NULL;
}

/* Replace the document's claims by the planned ones, found sentence by sentence. */
static int set_claims(dossier_doc *doc, const planned *ev, int nev, const char *relay)
{
    doc->claims.n = 0;
    int made = 0;
    for (size_t si = 0; si < doc->sentences.n; si++) {
        const ds_sentence *s = &DS_SENT(doc, si);
        const char *st = doc->text + s->start;
        size_t len = s->end - s->start;
        for (int e = 0; e < nev; e++) {
            const planned *p = &ev[e];
            const char *tr = memmem(st, len, p->t->trigger, strlen(p->t->trigger));
            const char *tn = memmem(st, len, p->place->name, strlen(p->place->name));
            if (!tr || !tn) continue;
            ds_claim *c = ds_vec_push(&doc->claims, sizeof *c);
            if (!c) return -1;
            c->type = p->t->type;
            c->sentence = (int)si;
            c->mode = p->t->mode;
            c->lethal = p->t->lethal;
            c->actor.text = copy(doc, p->actor->forces);
            memcpy(c->actor.country, p->actor->country, 4);
            c->actor.role = DS_ROLE_MIL;
            c->target.text = copy(doc, p->t->target);
            if (p->t->target && p->t->status != DS_STATUS_CIVILIAN && p->t->site == DS_SITE_NONE) {
                memcpy(c->target.country, p->other->country, 4);
                c->target.role = DS_ROLE_MIL;
            } else if (p->t->status == DS_STATUS_CIVILIAN) {
                c->target.role = DS_ROLE_CVL;
            }
            c->status = p->t->status;
            c->site = p->t->site;
            c->count_value = strstr(p->t->fmt, "%5$d") ? p->count : -1;
            c->count_qualifier = c->count_value >= 0 ? DS_QUAL_EXACT : DS_QUAL_NONE;
            c->count_unit = c->count_value >= 0 ? DS_UNIT_PERSONS : DS_UNIT_NONE;
            c->location.text = copy(doc, p->place->name);
            c->location.name = copy(doc, p->place->name);
            c->location.admin1 = copy(doc, p->place->admin1);
            memcpy(c->location.country, p->place->country, 4);
            c->location.lat = p->place->lat;
            c->location.lon = p->place->lon;
            c->location.precision = DS_PREC_TOWN;
            c->time.text = copy(doc, p->when);
            memcpy(c->time.value, p->iso, 11);
            c->time.precision = DS_TPREC_DAY;
            c->attribution.present = true;
            c->attribution.speaker.text = copy(doc, p->actor == &SIDES[0] ? SIDES[1].speaker
                                                                         : SIDES[0].speaker);
            memcpy(c->attribution.speaker.country, p->other->country, 4);
            c->attribution.speaker.role = p->other->speaker_role;
            c->attribution.kind = DS_KIND_OFFICIAL;
            if (relay) {
                c->attribution.relays[0].text = copy(doc, relay);
                c->attribution.relays[0].role = DS_ROLE_MED;
                c->attribution.nrelays = 1;
            }
            c->attribution.verb = copy(doc, "said");
            c->evidence = (e % 3 == 0) ? DS_EVID_VIDEO : 0;
            c->modality = p->t->modality;
            c->ihl = p->t->ihl;
            c->trigger_start = (size_t)(tr - doc->text);
            c->trigger_end = c->trigger_start + strlen(p->t->trigger);
            made++;
            break;
        }
    }
    return made;
}

static int usage(void)
{
    fputs("usage: bench_servedb DB [--docs N] [--claims-per-doc K] [--copies C] [--xss]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') return usage();
    const char *db = argv[1];
    long ndocs = 40, per = 5, copies = 3;
    bool xss = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--docs") && i + 1 < argc) ndocs = atol(argv[++i]);
        else if (!strcmp(argv[i], "--claims-per-doc") && i + 1 < argc) per = atol(argv[++i]);
        else if (!strcmp(argv[i], "--copies") && i + 1 < argc) copies = atol(argv[++i]);
        else if (!strcmp(argv[i], "--places") && i + 1 < argc) nplaces = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--days") && i + 1 < argc) ndays = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--xss")) xss = true;
        else return usage();
    }
    if (ndocs < 0 || per < 1 || per > 50 || copies < 1 || nplaces < 1 || nplaces > 100000 ||
        ndays < 1 || ndays > 100000)
        return usage();
    if (nplaces > NTOWNS) {   /* a grid over 46–52°N, 23–40°E */
        int ng = nplaces - NTOWNS;
        grid = ds_calloc((size_t)ng, sizeof *grid);
        grid_names = ds_calloc((size_t)ng, sizeof *grid_names);
        if (!grid || !grid_names) return 2;
        int cols = 1;
        while (cols * cols < ng) cols++;
        for (int g = 0; g < ng; g++) {
            snprintf(grid_names[g], sizeof grid_names[g], "Sector %d", g + 1);
            grid[g].name = grid_names[g];
            grid[g].admin1 = "Grid";
            grid[g].country = "UKR";
            grid[g].lat = 46.0 + 6.0 * (g / cols) / cols;
            grid[g].lon = 23.0 + 17.0 * (g % cols) / cols;
        }
    }

    char err[512] = "";
    dossier_ctx *ctx = NULL;
    dossier_options opts = {0};
    opts.no_claims = 1;   /* claims come from the templates (set_claims) */
    if (dossier_ctx_new(NULL, &opts, &ctx, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "bench_servedb: %s\n", err);
        return 2;
    }
    ds_store *store = NULL;
    if (ds_store_open(db, 0, &store, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "bench_servedb: %s\n", err);
        dossier_ctx_free(ctx);
        return 2;
    }
    ds_ingest *ing = NULL;
    dossier_status st = ds_ingest_new(store, 512, &ing);
    ds_buf text = {0}, title = {0};
    long claims = 0;
    planned *ev = ds_calloc((size_t)per, sizeof *ev);
    for (long i = 0; st == DOSSIER_OK && ev && i < ndocs + (xss ? 1 : 0); i++) {
        bool is_xss = i == ndocs;
        int story = (int)(i / copies), variant = (int)(i % copies);
        /* odd events are shared with the sibling story (an independent report of the
         * same event: incidents with two origins); even ones are its own */
        for (int k = 0; k < per; k++) plan_event(k % 2 ? 1000000 + story / 2 : story, k, &ev[k]);
        ds_buf_reset(&text);
        ds_buf_reset(&title);
        if (is_xss) {
            ds_buf_puts(&title, "<script>window.__xss=1</script>\"><img src=x onerror=\"window.__xss=2\">");
            ds_buf_puts(&text, "Test of escaping: <script>window.__xss=3</script> and "
                               "\"><img src=x onerror=\"window.__xss=4\"> must show as text.\n\n");
        } else {
            ds_buf_printf(&title, "%s: %s %s reported in %s", variant ? "Update" : "Report",
                          ds_event_names[ev[0].t->type], variant ? "again" : "", ev[0].place->name);
        }
        for (int k = 0; k < per; k++) {
            const planned *p = &ev[k];
            ds_buf_printf(&text, p->t->fmt, p->actor->forces, p->place->name, p->when,
                          p->other->speaker, p->count);
            ds_buf_puts(&text, k % 2 ? "\n\n" : " ");
            if (k % 2 == 0)
                ds_buf_printf(&text, "Story %d, part %d, told by a correspondent. ", story, k);
        }
        ds_buf_puts(&text, "\n\nSign up for our daily newsletter to get the latest updates.\n\n");
        ds_buf_puts(&text, variant % 2 ? "Share this article\n\nFollow us on Telegram\n"
                                       : "Share on Facebook\n");
        if (!ds_buf_cstr(&text) || !ds_buf_cstr(&title)) {
            st = DOSSIER_ENOMEM;
            break;
        }
        char pub[11];
        memcpy(pub, ev[0].iso, 11);
        dossier_input in = {0};
        char path[64];
        snprintf(path, sizeof path, "synthetic/%06ld.txt", i);
        in.path = path;
        in.bytes = (const unsigned char *)text.p;
        in.len = text.n;
        in.format = DOSSIER_FORMAT_TEXT;
        in.title = title.p;
        in.published = pub;
        in.outlet = OUTLETS[(i + variant) % DS_ARRAY_LEN(OUTLETS)];
        /* distinct doc.id per synthetic document even for identical texts */
        char idb[96];
        int idn = snprintf(idb, sizeof idb, "bench_servedb %ld %s", i, path);
        in.id_bytes = (const unsigned char *)idb;
        in.id_len = (size_t)idn;
        dossier_doc *doc = NULL;
        st = dossier_extract(ctx, &in, &doc);
        if (st != DOSSIER_OK) break;
        int n = set_claims(doc, ev, (int)per, variant ? "Reuters" : NULL);
        if (n < 0) st = DOSSIER_ENOMEM;
        else claims += n;
        if (st == DOSSIER_OK) st = ds_ingest_doc(ing, doc);
        dossier_doc_free(doc);
        if ((i + 1) % 5000 == 0) fprintf(stderr, "bench_servedb: %ld documents\n", i + 1);
    }
    if (!ev) st = DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) st = ds_ingest_flush(ing);
    if (st != DOSSIER_OK)
        fprintf(stderr, "bench_servedb: %s: %s\n", dossier_strerror(st), store->err);
    const ds_ingest_stats *is = ing ? ds_ingest_stats_get(ing) : NULL;
    if (is)
        printf("bench_servedb: %lld documents, %ld claims, %lld new incidents, %lld linked\n",
               (long long)is->added, claims, (long long)is->incidents_new,
               (long long)is->incidents_linked);
    ds_ingest_free(ing);
    ds_store_close(store);
    dossier_ctx_free(ctx);
    ds_buf_free(&text);
    ds_buf_free(&title);
    ds_free(ev);
    ds_free(grid);
    ds_free(grid_names);
    return st == DOSSIER_OK ? 0 : 2;
}
