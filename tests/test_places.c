/*
 * test_places.c — gazetteer and location resolution: the data-driven cases of
 * tests/data/places_cases.tsv (towns in both romanisations and Cyrillic,
 * regions, countries, qualifiers, common words), name folding, and document
 * context (the countries a document is about, a region named nearby).
 * Needs the index built by scripts/setup (make test runs it first).
 */
#include "internal.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int split(char *s, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static void run_cases(const dossier_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open %s", path);
    if (!f) return;
    char line[1024];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *c[6];
        if (split(line, c, 6) < 2) continue;
        cases++;
        if (!strcmp(c[0], "find")) {
            size_t st = 0, en = 0;
            bool found = ds_find_place(ctx, c[1], strlen(c[1]), &st, &en);
            if (!strcmp(c[2], "-"))
                CHECK(!found, "find in '%s': nothing expected, got '%.*s'", c[1],
                      (int)(en - st), c[1] + st);
            else
                CHECK(found && en - st == strlen(c[2]) && !memcmp(c[1] + st, c[2], en - st),
                      "find in '%s': got '%.*s', want '%s'", c[1], found ? (int)(en - st) : 0,
                      found ? c[1] + st : "", c[2]);
            continue;
        }
        if (!strcmp(c[0], "place") || !strcmp(c[0], "notplace")) {
            bool want = !strcmp(c[0], "place");
            CHECK(ds_is_place(ctx, c[1], strlen(c[1])) == want, "ds_is_place(%s) should be %s",
                  c[1], want ? "true" : "false");
            continue;
        }
        ds_location l;
        memset(&l, 0, sizeof l);
        l.text = c[1];
        ds_resolve_location(ctx, NULL, &l);
        const char *prec = ds_place_precision_names[l.precision ? l.precision : DS_PREC_UNRESOLVED];
        if (strcmp(c[2], "-"))
            CHECK(!strcmp(prec, c[2]), "%s: precision %s, want %s (got name %s)", c[1], prec, c[2],
                  l.name ? l.name : "null");
        if (strcmp(c[3], "-"))
            CHECK(l.name && !strcmp(l.name, c[3]), "%s: name %s, want %s", c[1],
                  l.name ? l.name : "null", c[3]);
        if (strcmp(c[4], "-"))
            CHECK(!strcmp(l.country, c[4]), "%s: country '%s', want %s", c[1], l.country, c[4]);
        if (strcmp(c[5], "-"))
            CHECK(l.admin1 && !strcmp(l.admin1, c[5]), "%s: admin1 %s, want %s", c[1],
                  l.admin1 ? l.admin1 : "null", c[5]);
        if (!strcmp(prec, "unresolved"))
            CHECK(l.text == c[1] && l.name == NULL && l.geonameid == 0,
                  "%s: unresolved keeps only the text", c[1]);
        else
            CHECK(l.lat >= -90 && l.lat <= 90 && l.lon >= -180 && l.lon <= 180 &&
                      (l.lat != 0 || l.lon != 0) &&
                      l.lat == round(l.lat * 10000.0) / 10000.0 &&
                      l.lon == round(l.lon * 10000.0) / 10000.0,
                  "%s: coordinates (4 decimals)", c[1]);
    }
    fclose(f);
    CHECK(cases >= 150, "at least 150 place cases (%d)", cases);
}

static void test_fold(void)
{
    char k[64];
    CHECK(ds_place_fold("Kharkiv", 7, k, sizeof k) == 7 && !strcmp(k, "kharkiv"), "fold latin");
    size_t n = ds_place_fold("Харків", strlen("Харків"), k, sizeof k);
    CHECK(n && !strcmp(k, "kharkiv"), "fold ukrainian cyrillic: %s", k);
    n = ds_place_fold("Харьков", strlen("Харьков"), k, sizeof k);
    CHECK(n && !strcmp(k, "kharkov"), "fold russian cyrillic: %s", k);
    n = ds_place_fold("Kraków", strlen("Kraków"), k, sizeof k);
    CHECK(n && !strcmp(k, "krakow"), "diacritics: %s", k);
    n = ds_place_fold("Łódź", strlen("Łódź"), k, sizeof k);
    CHECK(n && !strcmp(k, "lodz"), "l with stroke: %s", k);
    n = ds_place_fold("  Ivano--Frankivsk ", 19, k, sizeof k);
    CHECK(n && !strcmp(k, "ivano frankivsk"), "separators: %s", k);
    n = ds_place_fold("Khar’kov", strlen("Khar’kov"), k, sizeof k);
    CHECK(n && !strcmp(k, "kharkov"), "apostrophe dropped: %s", k);
    CHECK(ds_place_fold("Kharkiv", 7, k, 4) == 0, "too long for the buffer gives 0");
    char a[64], b[64];
    size_t na = ds_place_skeleton("zaporozhye", 10, a, sizeof a);
    size_t nb = ds_place_skeleton("zaporizhzhia", 12, b, sizeof b);
    CHECK(na && na == nb && !memcmp(a, b, na), "skeleton Zaporozhye = Zaporizhzhia (%s, %s)", a, b);
    na = ds_place_skeleton("gorlovka", 8, a, sizeof a);
    nb = ds_place_skeleton("horlivka", 8, b, sizeof b);
    CHECK(na && na == nb && !memcmp(a, b, na), "skeleton Gorlovka = Horlivka");
    na = ds_place_skeleton("kharkov", 7, a, sizeof a);
    nb = ds_place_skeleton("bakhmut", 7, b, sizeof b);
    CHECK(!(na == nb && !memcmp(a, b, na)), "skeleton Kharkov != Bakhmut");
    /* the words of a key, found while folding (ASCII) or after it */
    const char *names[] = {"  the Ivano--Frankivsk  oblast ", "Нова Каховка city", "Kyiv", "...",
                           "Sant Julià de Lòria"};
    for (size_t t = 0; t < sizeof names / sizeof names[0]; t++) {
        char f1[64], f2[64];
        uint16_t ws[32], we[32];
        size_t nw = 0, n1 = ds_place_fold(names[t], strlen(names[t]), f1, sizeof f1);
        size_t n2 = ds_place_fold_words(names[t], strlen(names[t]), f2, sizeof f2, ws, we, &nw);
        CHECK(n1 == n2 && !strcmp(f1, f2), "fold_words folds as fold: %s", f2);
        size_t words = 0, at = 0;   /* the words by splitting at spaces */
        bool same = true;
        for (size_t a = 0; a < n1; a++, words++) {
            size_t b = a;
            while (b < n1 && f1[b] != ' ') b++;
            same = same && words < nw && ws[words] == a && we[words] == b;
            a = b;
            at = b;
        }
        CHECK(same && words == nw && at == n1, "fold_words: %zu words of '%s'", nw, f1);
    }
    char r[64] = "sumy oblast";
    bool had = false;
    n = ds_place_strip_admin(r, strlen(r), &had);
    CHECK(had && n == 4 && !strcmp(r, "sumy"), "strip region word: %s", r);
}

/* the cue-word classes (placewords.c) */
static void test_words(void)
{
    CHECK(ds_place_word("oblast", 6) & DS_PW_ADMIN, "oblast is a generic region word");
    CHECK(!(ds_place_word("oblast", 6) & DS_PW_ADMIN_WEAK), "oblast says a region is meant");
    CHECK((ds_place_word("of", 2) & (DS_PW_ADMIN | DS_PW_ADMIN_WEAK)) ==
              (DS_PW_ADMIN | DS_PW_ADMIN_WEAK), "of: dropped without meaning a region");
    CHECK(ds_place_word("the", 3) & DS_PW_LEAD, "the leads");
    CHECK(ds_place_word("village", 7) & DS_PW_TOWN_CUE, "village is a town cue");
    CHECK(ds_place_word("airport", 7) & DS_PW_FACILITY, "airport is a facility");
    CHECK(ds_place_word("occupied", 8) & DS_PW_HELD, "occupied: the name follows");
    CHECK(ds_place_word("region", 6) & DS_PW_REGION, "region as last word");
    CHECK(ds_place_word("kharkiv", 7) == 0 && ds_place_word("kyiv", 4) == 0,
          "a name is in no class");
    CHECK(ds_place_word("oblas", 5) == 0 && ds_place_word("oblastx", 7) == 0,
          "no prefix or extension matches");
    CHECK(ds_place_word("", 0) == 0 && ds_place_word("internationalisation", 20) == 0,
          "empty and long words are in no class");
    char k[64] = "the sumy oblast";
    bool had = false;
    size_t n = ds_place_strip_admin(k, strlen(k), &had);
    CHECK(had && n == 4 && !strcmp(k, "sumy"), "strip keeps the name: %s", k);
    char only[64] = "region";
    had = false;
    n = ds_place_strip_admin(only, strlen(only), &had);
    CHECK(had && n == 6 && !strcmp(only, "region"), "nothing but a region word stays");
}

static dossier_doc *make_doc(const char *title, const char *text)
{
    static int serial;
    dossier_doc *d = ds_calloc(1, sizeof *d);
    if (!d) return NULL;
    d->arena = ds_arena_new();
    snprintf(d->id, sizeof d->id, "sha256:test%d", ++serial);
    d->title = title;
    d->text = (char *)text;
    d->text_len = strlen(text);
    return d;
}

static void free_doc(dossier_doc *d)
{
    if (!d) return;
    ds_arena_free(d->arena);
    ds_free(d);
}

static void resolve_in(const dossier_ctx *ctx, const dossier_doc *doc, const char *text,
                       ds_location *l)
{
    memset(l, 0, sizeof *l);
    l->text = text;
    ds_resolve_location(ctx, doc, l);
}

static void test_context(const dossier_ctx *ctx)
{
    ds_location l;
    /* Without context "Odessa" is the Ukrainian port; a story about Texas
     * with "Odessa" means Odessa, Texas — the United States is what it names. */
    dossier_doc *us = make_doc("Storm hits West Texas",
                               "A storm hit Odessa on Monday. The United States weather service "
                               "said American families in Texas should stay home. US officials "
                               "in Texas opened shelters.");
    resolve_in(ctx, us, "Odessa", &l);
    CHECK(!strcmp(l.country, "USA"), "Odessa in a US story: %s", l.country);
    free_doc(us);
    dossier_doc *ua = make_doc("Shelling in the south",
                               "Ukrainian officials said Russian missiles hit Odessa. Ukraine's "
                               "army said the Ukrainian port was hit twice.");
    resolve_in(ctx, ua, "Odessa", &l);
    CHECK(!strcmp(l.country, "UKR"), "Odessa in a Ukrainian story: %s", l.country);
    CHECK(l.name && l.name != (const char *)0 && strcmp(l.name, "Odesa") == 0, "name Odesa");
    free_doc(ua);
    /* a region named after the town in the text picks the right one */
    dossier_doc *z = make_doc("Strike",
                              "Russian forces shelled Kostiantynivka, Zaporizhzhia region, on "
                              "Tuesday. Later Kostiantynivka was hit again, Ukraine said.");
    resolve_in(ctx, z, "Kostiantynivka", &l);
    CHECK(l.admin1 && !strcmp(l.admin1, "Zaporizhzhia"), "nearby region: %s",
          l.admin1 ? l.admin1 : "null");
    free_doc(z);
    dossier_doc *d = make_doc("War", "Russian troops entered Kostiantynivka in Ukraine.");
    resolve_in(ctx, d, "Kostiantynivka", &l);
    CHECK(l.admin1 && !strcmp(l.admin1, "Donetsk"), "the larger one without a region: %s",
          l.admin1 ? l.admin1 : "null");
    /* strings copied into the document arena */
    CHECK(l.name && l.geonameid == 705104, "geonameid of Kostiantynivka: %lld",
          (long long)l.geonameid);
    free_doc(d);
    /* a village of a country the document never names is not taken for a
     * place the data lacks: "Yahidne" is a Russian hamlet's alternate name */
    dossier_doc *y = make_doc("Massacre", "Ukrainian officials said Russian troops held "
                              "villagers in Yahidne, Ukraine, for weeks. Ukraine's prosecutors "
                              "opened a case.");
    resolve_in(ctx, y, "the village of Yahidne", &l);
    CHECK(strcmp(l.country, "RUS") != 0, "Yahidne in a Ukrainian story is not in Russia: %s",
          l.country);
    free_doc(y);
    /* the countries a story names do not turn a great city into a hamlet */
    dossier_doc *dl = make_doc("Talks", "American diplomats met in Delhi. The United States "
                               "and American officials said US aid would continue.");
    resolve_in(ctx, dl, "Delhi", &l);
    CHECK(!strcmp(l.country, "IND"), "Delhi in an American story: %s", l.country);
    free_doc(dl);
}

int main(void)
{
    dossier_ctx *ctx = NULL;
    char err[512];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (st != DOSSIER_OK) return tap_done("test_places");
    CHECK(ctx->gaz != NULL, "gazetteer index present in %s (scripts/setup builds it)", ctx->gen_dir);
    test_fold();
    test_words();
    if (ctx->gaz) {
        run_cases(ctx, "data/places_cases.tsv");
        test_context(ctx);
    }
    /* hostile input: long, invalid UTF-8, punctuation only, Cyrillic that
     * expands when transliterated — unresolved or resolved, never a crash */
    if (ctx->gaz) {
        static char big[4096];
        memset(big, 'a', sizeof big - 1);
        const char *odd[] = {big, "\xff\xfe\x80 Kharkiv", ",,,;;()", "", " ",
                             "щщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщ"
                             "щщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщщ",
                             "the the the the of of in", "Kharkiv, , , Sumy region, Ukraine, Russia"};
        for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
            ds_location l;
            memset(&l, 0, sizeof l);
            l.text = odd[i];
            ds_resolve_location(ctx, NULL, &l);
            CHECK(l.precision != DS_PREC_NONE, "odd input %zu gives a precision", i);
            (void)ds_is_place(ctx, odd[i], strlen(odd[i]));
        }
    }
    /* no gazetteer: unresolved, never a crash */
    ds_gazetteer *g = ctx->gaz;
    ctx->gaz = NULL;
    ds_location l;
    memset(&l, 0, sizeof l);
    l.text = "Kharkiv";
    ds_resolve_location(ctx, NULL, &l);
    CHECK(l.precision == DS_PREC_UNRESOLVED && !l.name, "no index: unresolved");
    CHECK(!ds_is_place(ctx, "Kharkiv", 7), "no index: not a place");
    ctx->gaz = g;
    /* a missing index directory is not an error */
    ds_gazetteer *none = NULL;
    CHECK(ds_gazetteer_open("/nonexistent-dir", &none, err, sizeof err) == DOSSIER_OK && !none,
          "missing index: OK and NULL");
    dossier_ctx_free(ctx);
    return tap_done("test_places");
}
