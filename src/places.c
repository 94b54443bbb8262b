/*
 * places.c — location resolution against the gazetteer.
 *
 * The index (gazetteer.h) is built once by scripts/setup and mmap'd by
 * placeindex.c; a phrase is read into a query by placequery.c.  A lookup
 * (placeint.h) folds the name (placekey.c), hashes it (XXH3) and finds its
 * postings in an open-addressing table, usually in one probe.  The slot also
 * says what the resolver asks next (a strong main name? the skeleton's
 * slot), so a name found needs no further key work.  No allocation.
 *
 * ds_resolve_location reads location.text ("Okhtyrka", "the city of
 * Kharkov", "Okhtyrka, Sumy region", "Харків", "the Donetsk region"):
 *   1. splits it into the name and qualifiers (", Sumy region", "in the
 *      Donetsk region", "(Ukraine)") and drops cue words ("the town of");
 *   2. collects candidates: exact folded key, else the romanisation skeleton
 *      (Ukraine, Russia, Belarus), else region adjectives ("Donetska oblast");
 *   3. scores them: population and rank (capital, regional seat), main name
 *      over alternate, region or country named beside it, the countries the
 *      document is about (names and demonyms counted in title and text), a
 *      region named right after the name in the document;
 *   4. never maps a town whose name is a common word ("Mobile", "Bar") unless
 *      a region, country or cue ("the town of") supports it.
 * Unknown names keep their text with precision "unresolved".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem */
#endif
#include "placeint.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- document context ------------------------------------------------------ */
#define CTX_ADMIN 24
#define CTX_COUNTRIES 512   /* fixed: thread-local, so nothing to free at thread exit */
typedef struct doc_context {
    const dossier_doc *doc;
    const ds_gazetteer *g;
    char id[72];
    size_t text_len;
    uint16_t country_hits[CTX_COUNTRIES];   /* per country */
    uint32_t ncountries;
    int best_hits;
    int admin[CTX_ADMIN];     /* admin1 regions named in the document */
    int nadmin;
} doc_context;

static _Thread_local doc_context tl_ctx;

/* Count country names and demonyms (capitalised words, up to three) and
 * remember regions named with a region word, in the title and text. */
static void scan_text(const ds_gazetteer *g, doc_context *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        bool upper = (ch >= 'A' && ch <= 'Z') || ch >= 0xC0;
        bool prev_alpha = i > 0 && (isalnum((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80);
        if (!upper || prev_alpha) {
            i++;
            continue;
        }
        /* up to three words starting here */
        size_t ends[3] = {0, 0, 0}, nw = 0, j = i;
        while (nw < 3 && j < n) {
            while (j < n && (isalnum((unsigned char)s[j]) || (unsigned char)s[j] >= 0x80 ||
                             s[j] == '-' || s[j] == '\''))
                j++;
            ends[nw++] = j;
            if (j >= n || s[j] != ' ' || j + 1 >= n) break;
            unsigned char nx = (unsigned char)s[j + 1];
            if (!((nx >= 'A' && nx <= 'Z') || nx >= 0xC0 || (nx >= 'a' && nx <= 'z'))) break;
            j++;
        }
        size_t advance = ends[0] > i ? ends[0] - i : 1;
        for (size_t w = nw; w-- > 0;) {
            char key[128];
            size_t we = ends[w];
            if (we - i > 3 && s[we - 1] == 's' && s[we - 2] == '\'') we -= 2;   /* Ukraine's */
            size_t k = ds_place_fold(s + i, we - i, key, sizeof key);
            if (!k) continue;
            bool had = false;
            char key2[128];
            memcpy(key2, key, k + 1);
            size_t k2 = w > 0 ? ds_place_strip_admin(key2, k, &had) : k;
            uint32_t np;
            const uint32_t *p = find(g, false, had ? key2 : key, had ? k2 : k, &np);
            bool used = false;
            for (uint32_t q = 0; q < np; q++) {
                uint32_t kind = DS_GZ_KIND(p[q]);
                if ((kind == DS_GZ_COUNTRY || kind == DS_GZ_DEMONYM) && !had) {
                    uint32_t ci = DS_GZ_IDX(p[q]);
                    if (ci < c->ncountries && c->country_hits[ci] < 60000) c->country_hits[ci]++;
                    used = true;
                    break;
                }
                if (kind == DS_GZ_ADMIN1 && had && c->nadmin < CTX_ADMIN) {
                    c->admin[c->nadmin++] = (int)DS_GZ_IDX(p[q]);
                    used = true;
                }
            }
            if (used) {
                advance = ends[w] - i;
                break;
            }
        }
        i += advance ? advance : 1;
    }
}

static const doc_context *doc_ctx(const ds_gazetteer *g, const dossier_doc *doc)
{
    doc_context *c = &tl_ctx;
    if (!doc) return NULL;
    if (c->doc == doc && c->g == g && c->text_len == doc->text_len && !strcmp(c->id, doc->id))
        return c;
    c->ncountries = g->h->ncountries < CTX_COUNTRIES ? g->h->ncountries : CTX_COUNTRIES;
    memset(c->country_hits, 0, sizeof c->country_hits);
    c->doc = doc;
    c->g = g;
    c->text_len = doc->text_len;
    snprintf(c->id, sizeof c->id, "%s", doc->id);
    c->nadmin = 0;
    c->best_hits = 0;
    if (doc->title) scan_text(g, c, doc->title, strlen(doc->title));
    if (doc->text) scan_text(g, c, doc->text, doc->text_len);
    for (uint32_t i = 0; i < c->ncountries; i++)
        if (c->country_hits[i] > c->best_hits) c->best_hits = c->country_hits[i];
    return c;
}

/* ---- candidates ------------------------------------------------------------ */
typedef struct cand {
    uint32_t post;
    double score;
    bool skel;
} cand;

#define MAX_CANDS DS_GZ_MAX_CANDS   /* the index's flags are about as many */

static void add_cands(cand *c, size_t *nc, const uint32_t *p, uint32_t np, bool skel)
{
    /* the same entry (kind and index) is added once; a 256-bit filter of
     * the entries present spares the scan for most postings (a name of 150
     * towns would otherwise cost 64 x 64 comparisons) */
    const uint32_t entry = 0xCFFFFFFFu;   /* kind and index bits */
    uint64_t seen[4] = {0, 0, 0, 0};
#define BIT(post) ((((post) & entry) * 0x9E3779B1u) >> 24)
    for (size_t j = 0; j < *nc; j++) seen[BIT(c[j].post) >> 6] |= 1ull << (BIT(c[j].post) & 63);
    for (uint32_t i = 0; i < np && *nc < MAX_CANDS; i++) {
        uint32_t b = BIT(p[i]);
        if (seen[b >> 6] >> (b & 63) & 1) {
            bool dup = false;
            for (size_t j = 0; j < *nc; j++)
                if (!((c[j].post ^ p[i]) & entry)) {
                    dup = true;
                    if (!skel) c[j].skel = false;   /* an exact match beats a skeleton one */
                    break;
                }
            if (dup) continue;
        }
        seen[b >> 6] |= 1ull << (b & 63);
        c[*nc].post = p[i];
        c[*nc].score = 0;
        c[*nc].skel = skel;
        (*nc)++;
    }
#undef BIT
}

/* Region adjectives: "Donetska oblast", "Kharkivska", "Belgorodskaya",
 * "Zaporizka" → the region's key, by dropping adjective endings. */
static void admin_adjectives(const ds_gazetteer *g, const query *q, cand *c, size_t *nc)
{
    typedef struct affix {
        const char *s;
        size_t n;
    } affix;
    static const affix ends[] = {{"skaya", 5}, {"skoy", 4}, {"skyi", 4}, {"skiy", 4}, {"ska", 3},
                                 {"sky", 3},   {"ski", 3},  {"kaya", 4}, {"ka", 2},   {"aya", 3},
                                 {"a", 1},     {"yi", 2},   {"iy", 2},   {"y", 1}};
    /* the stem, and the stem with a final vowel: Sum-ska → Sumy, Odes-ka → Odesa */
    static const affix tails[] = {{"", 0}, {"a", 1}, {"y", 1}, {"i", 1}, {"ia", 2}};
    for (size_t i = 0; i < *nc; i++)   /* already named exactly: "Sumy region" */
        if (DS_GZ_KIND(c[i].post) == DS_GZ_ADMIN1 && !c[i].skel) return;
    for (int level = 0; level < 2; level++) {   /* exact keys first, skeletons after */
        bool found = false;
        for (size_t e = 0; e < DS_ARRAY_LEN(ends); e++) {
            size_t el = ends[e].n;
            if (q->nlen <= el + 2) continue;
            bool same = true;
            for (size_t x = 0; x < el && same; x++) same = q->name[q->nlen - el + x] == ends[e].s[x];
            if (!same) continue;
            char key[256], sk[256];
            size_t stem = q->nlen - el;
            memcpy(key, q->name, stem);
            /* the tails are vowels, which a skeleton drops: one skeleton per stem */
            size_t ntails = level ? 1 : DS_ARRAY_LEN(tails);
            for (size_t tl = 0; tl < ntails; tl++) {
                size_t k = stem;
                for (size_t x = 0; x < tails[tl].n; x++) key[k++] = tails[tl].s[x];
                key[k] = 0;
                uint32_t np;
                const uint32_t *p = level ? find(g, true, sk, ds_place_skeleton(key, k, sk, sizeof sk), &np)
                                          : find(g, false, key, k, &np);
                for (uint32_t i = 0; i < np; i++)
                    if (DS_GZ_KIND(p[i]) == DS_GZ_ADMIN1) {
                        add_cands(c, nc, p + i, 1, level == 1);
                        found = true;
                    }
            }
        }
        if (found) return;
    }
}

static bool has_int(const int *a, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (a[i] == v) return true;
    return false;
}

/* Regions named right after the name in the document ("Okhtyrka, Sumy
 * region", "Okhtyrka in the Sumy oblast"). */
static void nearby_regions(const ds_gazetteer *g, const dossier_doc *doc, const char *name,
                           size_t n, query *q)
{
    if (!doc || !doc->text || n < 3) return;
    const char *s = doc->text, *end = doc->text + doc->text_len;
    int seen = 0;
    while (s < end && seen < 4) {
        const char *hit = memmem(s, (size_t)(end - s), name, n);
        if (!hit) break;
        seen++;
        const char *w = hit + n;
        size_t wl = 0;
        while (w + wl < end && wl < 60 && w[wl] != '.' && w[wl] != '\n' && w[wl] != ';') wl++;
        if (wl > 2 && (w[0] == ',' || w[0] == ' ' || w[0] == '(')) {
            /* candidate region phrase: up to the next comma, stripped of "in the" */
            size_t i = 0;
            while (i < wl && (w[i] == ',' || w[i] == ' ' || w[i] == '(')) i++;
            if (i + 3 <= wl && !memcmp(w + i, "in ", 3)) i += 3;
            if (i + 4 <= wl && !memcmp(w + i, "the ", 4)) i += 4;
            size_t j = i;
            while (j < wl && w[j] != ',' && w[j] != ')') j++;
            char key[128];
            size_t k = j > i ? ds_place_fold(w + i, j - i, key, sizeof key) : 0;
            bool had = false;
            if (k) k = ds_place_strip_admin(key, k, &had);
            if (k && had) {   /* only with a region word: "Sumy region" */
                uint32_t np;
                const uint32_t *p = find(g, false, key, k, &np);
                for (uint32_t t = 0; t < np; t++)
                    if (DS_GZ_KIND(p[t]) == DS_GZ_ADMIN1 && q->nqa < MAX_QUAL)
                        q->qual_admin[q->nqa++] = (int)DS_GZ_IDX(p[t]);
            }
        }
        s = hit + n;
    }
}

/* A skeleton match must be about as long as the place's name: the
 * skeleton drops vowels, so "Chasetse" must not become "Chyst'". */
static bool similar_length(const ds_gazetteer *g, uint32_t p, size_t qlen)
{
    const char *name;
    uint32_t idx = DS_GZ_IDX(p);
    if (DS_GZ_KIND(p) == DS_GZ_TOWN) name = g->pool + g->places[idx].name;
    else if (DS_GZ_KIND(p) == DS_GZ_ADMIN1) name = g->pool + g->admin1[idx].name;
    else return true;
    /* letters of the name: ASCII letters and UTF-8 lead bytes (cheap, no
     * folding: the tolerance absorbs the odd apostrophe or digraph) */
    size_t k = 0;
    for (const unsigned char *u = (const unsigned char *)name; *u; u++)
        if ((unsigned)((*u | 0x20) - 'a') < 26u || (unsigned)(*u - '0') < 10u || *u >= 0xC0) k++;
    if (DS_GZ_KIND(p) == DS_GZ_ADMIN1 && k > 7) {
        /* "Sumy Oblast": the generic word does not count */
        const char *sp = strrchr(name, ' ');
        if (sp && (!strcmp(sp + 1, "Oblast") || !strcmp(sp + 1, "Krai") || !strcmp(sp + 1, "Kray") ||
                   !strcmp(sp + 1, "Republic") || !strcmp(sp + 1, "City")))
            k -= strlen(sp + 1);
    }
    size_t d = k > qlen ? k - qlen : qlen - k, tol = qlen / 4 > 2 ? qlen / 4 : 2;
    return d <= tol;
}

/* log10 to two digits, enough to rank populations; no libm call */
static double lg10(uint32_t v)
{
    v += 10;
    int b = 31 - __builtin_clz(v);
    /* v / 2^b, exactly, by multiplying with 2^-b built from its bits (no divide) */
    uint64_t bits = (uint64_t)(1023 - b) << 52;
    double inv;
    memcpy(&inv, &bits, sizeof inv);
    double frac = (double)v * inv - 1.0;
    return (b + frac) * 0.30103;
}

/* Score every candidate; returns the count of candidates kept, sorted
 * (or, when !sorted, only the best moved to c[0]). */
static size_t rank(const ds_gazetteer *g, const query *q, const doc_context *dc, cand *c,
                   size_t nc, bool sorted)
{
    size_t kept = 0;
    uint32_t max_pop = 0;   /* the largest town of that name (for the document's focus) */
    for (size_t i = 0; dc && i < nc; i++)
        if (DS_GZ_KIND(c[i].post) == DS_GZ_TOWN && DS_GZ_IDX(c[i].post) < g->h->nplaces &&
            g->places[DS_GZ_IDX(c[i].post)].population > max_pop)
            max_pop = g->places[DS_GZ_IDX(c[i].post)].population;
    for (size_t i = 0; i < nc; i++) {
        uint32_t p = c[i].post, kind = DS_GZ_KIND(p), idx = DS_GZ_IDX(p);
        if (kind == DS_GZ_DEMONYM) continue;   /* "Ukrainian" is not a place */
        if (q->admin_intent && kind == DS_GZ_TOWN && idx < g->h->nplaces &&
            g->places[idx].feature >= DS_GZ_PPLA && g->places[idx].admin1) {
            /* "Zaporozhye oblast": the regional seat's name stands for its region */
            idx = g->places[idx].admin1 - 1u;
            kind = DS_GZ_ADMIN1;
            p = c[i].post = DS_GZ_POST(DS_GZ_ADMIN1, 1, DS_GZ_COMMON(p), idx);
        }
        /* the rejections that need no data first: a common word without a
         * qualifier to support it, a spelling variant of a town when a
         * region is meant (as below) */
        if (DS_GZ_COMMON(p) && !q->nqa && !q->nqc &&
            ((kind == DS_GZ_TOWN && !q->town_cue) || (kind == DS_GZ_ADMIN1 && !q->admin_intent) ||
             q->lower))
            continue;
        if (c[i].skel && q->admin_intent && kind == DS_GZ_TOWN) continue;
        /* country and region of the entry (posting_country, posting_admin1) */
        int country = -1, admin = -1;
        if (kind == DS_GZ_TOWN) {
            if (idx < g->h->nplaces) {
                const ds_gz_place *pl = &g->places[idx];
                country = pl->country != 0xFFFF ? pl->country : -1;
                admin = (int)pl->admin1 - 1;
            }
        } else if (kind == DS_GZ_ADMIN1) {
            admin = (int)idx;
            country = idx < g->h->nadmin1 ? g->admin1[idx].country : -1;
        } else {
            country = idx < g->h->ncountries ? (int)idx : -1;
        }
        bool qual_ok = (q->nqa && has_int(q->qual_admin, q->nqa, admin)) ||
                       (q->nqc && has_int(q->qual_country, q->nqc, country));
        double s = 0;
        if (DS_GZ_COMMON(p)) {   /* "Mobile", "Bar": only with support */
            if (kind == DS_GZ_TOWN && !qual_ok && !q->town_cue) continue;
            if (kind == DS_GZ_ADMIN1 && !qual_ok && !q->admin_intent) continue;
            if (q->lower) continue;
        }
        if (c[i].skel && !similar_length(g, p, q->nlen)) continue;
        if (c[i].skel && q->admin_intent && kind == DS_GZ_TOWN) continue;
        if (kind == DS_GZ_COUNTRY) {
            if (idx >= g->h->ncountries) continue;
            s = q->admin_intent ? 20 : 60;
        } else if (kind == DS_GZ_ADMIN1) {
            if (idx >= g->h->nadmin1) continue;
            /* a bare name of both a town and its region is the town (Kharkiv) */
            s = q->admin_intent ? 60 : 4;
            if (q->admin_intent && g->admin1[idx].is_city) s -= 6;
            s += lg10(g->admin1[idx].population) * (q->admin_intent ? 2 : 1);
        } else {
            if (idx >= g->h->nplaces) continue;
            const ds_gz_place *pl = &g->places[idx];
            s = lg10(pl->population) * 4;
            static const double rank_bonus[4] = {0, 2, 4, 8};
            s += rank_bonus[pl->feature & 3];
            if (q->admin_intent) s -= 30;
            if (q->town_cue) s += 4;
        }
        if (DS_GZ_ALT(p)) s -= 3;
        if (c[i].skel) s -= 8;
        if (q->nqa) s += has_int(q->qual_admin, q->nqa, admin) ? 50 : -15;
        if (q->nqc) s += has_int(q->qual_country, q->nqc, country) ? 35 : -35;
        if (q->nsc) s += has_int(q->soft_country, q->nsc, country) ? 20 : -10;
        if (q->qual_town && kind == DS_GZ_TOWN) {   /* "Kyiv's …": near that town */
            const ds_gz_place *a = &g->places[q->qual_town - 1], *b = &g->places[idx];
            double dl = a->lat - b->lat, dn = a->lon - b->lon;
            s += dl * dl + dn * dn < 1.0 ? 20 : -20;
        }
        if (dc && dc->best_hits > 0 && kind == DS_GZ_TOWN && country >= 0 &&
            (uint32_t)country < dc->ncountries && dc->country_hits[country] * 2 < dc->best_hits &&
            !qual_ok && g->places[idx].population < 20000)
            continue;   /* a village in a country the document hardly names */
        if (dc && country >= 0 && (uint32_t)country < dc->ncountries && dc->best_hits > 0) {
            /* a spelling variant only within the countries the document names:
             * a Ukrainian village missing from the data is not the Russian
             * village whose skeleton it shares */
            if (c[i].skel && dc->country_hits[country] == 0) continue;
            double focus = 14.0 * dc->country_hits[country] / dc->best_hits;
            /* a hamlet does not outweigh a city a thousand times its size
             * ("Delhi" in an American story is still India's) */
            if (kind == DS_GZ_TOWN && (uint64_t)g->places[idx].population * 1000 < max_pop)
                focus *= 0.3;
            s += focus;
        }
        if (dc && admin >= 0 && has_int(dc->admin, dc->nadmin, admin)) s += 6;
        /* field by field: a copy of c[i] just after storing its score would
         * wait for the store (no store-to-load forwarding into a wider load) */
        bool skel = c[i].skel;
        c[kept].post = p;
        c[kept].skel = skel;
        c[kept].score = s;
        kept++;
    }
    if (!sorted) {   /* only the best wanted: the first of the highest score */
        size_t best = 0;
        for (size_t i = 1; i < kept; i++)
            if (c[i].score > c[best].score) best = i;
        if (best) c[0] = c[best];
        return kept;
    }
    /* sort by score, highest first (few candidates: insertion sort) */
    for (size_t i = 1; i < kept; i++) {
        cand t = c[i];
        size_t j = i;
        while (j > 0 && c[j - 1].score < t.score) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = t;
    }
    return kept;
}

static size_t candidates(const dossier_ctx *ctx, const dossier_doc *doc, const char *text,
                         size_t len, cand *c, query *qp, bool sorted)
{
    const ds_gazetteer *g = ctx ? ctx->gaz : NULL;
    query *qq = qp;
#define q (*qq)
    if (!g || !text) {
        memset(qp, 0, sizeof *qp);
        return 0;
    }
    if (!ds_place_parse_query(g, text, len, qp)) return 0;
    size_t nc = 0;
    uint32_t np, info;
    const uint32_t *p = find_info(g, false, q.name, q.nlen, &np, &info);
    add_cands(c, &nc, p, np, false);
    /* the main name of a country, region or large town (DS_GZ_STRONG): no
     * need to look further; nor for a demonym.  The index says, for the
     * first MAX_CANDS entries, which are those just added. */
    bool demonym = np && (info & DS_GZ_HAS_DEMONYM), strong = np && (info & DS_GZ_STRONG);
    /* romanisation variants, also beside exact matches: "Nikolayev" is the
     * exact alternate name of a small town and the skeleton of Mykolayiv */
    if (!demonym && !strong && q.nlen >= 4) {
        uint32_t sk_slot = np ? DS_GZ_SKEL(info) : 0;   /* the index knows the name's skeleton */
        if (sk_slot >= 2) {
            if (sk_slot - 2 < g->h->nskel) {
                p = postings(g, &g->skel[sk_slot - 2], &np);
                add_cands(c, &nc, p, np, true);
            }
        } else if (sk_slot == 0) {
            char sk[256];
            size_t m = ds_place_skeleton(q.name, q.nlen, sk, sizeof sk);
            if (m >= 4) {
                p = find(g, true, sk, m, &np);
                add_cands(c, &nc, p, np, true);
            }
        }
    }
    /* "Zaporizhzhia nuclear plant": drop facility words from the end */
    while (nc == 0) {
        size_t last = q.nlen;
        while (last > 0 && q.name[last - 1] != ' ') last--;
        if (last == 0 || !is_word(q.name + last, q.nlen - last, DS_PW_FACILITY)) break;
        q.nlen = last - 1;
        q.name[q.nlen] = 0;
        p = find(g, false, q.name, q.nlen, &np);
        add_cands(c, &nc, p, np, false);
        if (!nc && q.nlen >= 4) {
            char sk[256];
            size_t m = ds_place_skeleton(q.name, q.nlen, sk, sizeof sk);
            if (m >= 4) {
                p = find(g, true, sk, m, &np);
                add_cands(c, &nc, p, np, true);
            }
        }
    }
    if (q.admin_intent) admin_adjectives(g, &q, c, &nc);
    if (doc && nc) {
        /* the name as written, without cue words, for the nearby-region search */
        size_t tl = len;
        const char *t = ds_trim(text, &tl);
        size_t cut = 0;
        while (cut < tl && t[cut] != ',' && t[cut] != '(') cut++;
        size_t st = cut;
        while (st > 0 && t[st - 1] != ' ') st--;   /* last word of the name */
        if (cut - st >= 4) nearby_regions(g, doc, t + st, cut - st, &q);
    }
    return rank(g, &q, doc ? doc_ctx(g, doc) : NULL, c, nc, sorted);
#undef q
}

static const char *keep(const dossier_doc *doc, const char *s)
{
    if (doc && doc->arena) {
        const char *d = ds_arena_strdup(doc->arena, s);
        return d ? d : NULL;
    }
    return s;
}

/* round(x * 10^4) / 10^4: round() (half away from zero) done inline, exactly,
 * for any coordinate (|x * 10^4| far below 2^52) */
static inline double round4(double x)
{
    double y = x * 10000.0;
    if (!(y > -1e15 && y < 1e15)) return round(y) / 10000.0;
    double t = (double)(int64_t)y, f = y - t;   /* both exact */
    if (f >= 0.5) t += 1.0;
    else if (f <= -0.5) t -= 1.0;
    return copysign(t, y) / 10000.0;   /* -0.3 rounds to -0, as round() does */
}

static void fill(const ds_gazetteer *g, const dossier_doc *doc, uint32_t p, ds_location *loc)
{
    uint32_t kind = DS_GZ_KIND(p), idx = DS_GZ_IDX(p);
    int country = posting_country(g, p), admin = posting_admin1(g, p);
    loc->country[0] = 0;
    if (country >= 0) memcpy(loc->country, g->countries[country].a3, 4);
    loc->admin1 = admin >= 0 ? keep(doc, g->pool + g->admin1[admin].name) : NULL;
    loc->geonameid = 0;
    if (kind == DS_GZ_TOWN) {
        const ds_gz_place *pl = &g->places[idx];
        loc->name = keep(doc, g->pool + pl->name);
        loc->geonameid = pl->geonameid;
        loc->lat = pl->lat;
        loc->lon = pl->lon;
        loc->precision = DS_PREC_TOWN;
    } else if (kind == DS_GZ_ADMIN1) {
        loc->name = loc->admin1;
        loc->lat = g->admin1[idx].lat;
        loc->lon = g->admin1[idx].lon;
        loc->precision = DS_PREC_ADMIN1;
    } else {
        loc->name = keep(doc, g->pool + g->countries[idx].name);
        loc->lat = g->countries[idx].lat;
        loc->lon = g->countries[idx].lon;
        loc->precision = DS_PREC_COUNTRY;
    }
    /* four decimals (about 10 m) are plenty, and keep the output stable */
    loc->lat = round4(loc->lat);
    loc->lon = round4(loc->lon);
}

void ds_resolve_location(const dossier_ctx *ctx, const dossier_doc *doc, ds_location *loc)
{
    if (!loc->text) return;
    loc->name = NULL;
    loc->admin1 = NULL;
    loc->geonameid = 0;
    loc->country[0] = 0;
    loc->lat = loc->lon = 0;
    loc->precision = DS_PREC_UNRESOLVED;
    cand c[MAX_CANDS];
    query q;
    size_t n = candidates(ctx, doc, loc->text, strlen(loc->text), c, &q, false);
    const ds_gazetteer *g = ctx ? ctx->gaz : NULL;
    if (!g) return;
    /* "Andriivka, Donetsk region" when no Andriivka of that region is known:
     * the region (or country) named is the best that can be said */
    if (q.qual_town && !n) {   /* "Mariupol's Azovstal plant": Mariupol */
        fill(g, doc, DS_GZ_POST(DS_GZ_TOWN, 0, 0, (uint32_t)(q.qual_town - 1)), loc);
        return;
    }
    if (q.nqa && (!n || !has_int(q.qual_admin, q.nqa, posting_admin1(g, c[0].post)))) {
        fill(g, doc, DS_GZ_POST(DS_GZ_ADMIN1, 0, 0, q.qual_admin[0]), loc);
        return;
    }
    if (q.nqc && q.qual_country[0] >= 0 &&
        (!n || !has_int(q.qual_country, q.nqc, posting_country(g, c[0].post)))) {
        fill(g, doc, DS_GZ_POST(DS_GZ_COUNTRY, 0, 0, q.qual_country[0]), loc);
        return;
    }
    if (n) fill(g, doc, c[0].post, loc);
}

size_t ds_place_explain(const dossier_ctx *ctx, const char *text, ds_location *out,
                        double *scores, size_t max)
{
    cand c[MAX_CANDS];
    query q;
    size_t n = candidates(ctx, NULL, text, strlen(text), c, &q, true);
    if (n > max) n = max;
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].text = text;
        fill(ctx->gaz, NULL, c[i].post, &out[i]);
        if (scores) scores[i] = c[i].score;
    }
    return n;
}

int ds_place_kind(const dossier_ctx *ctx, const char *s, size_t n)
{
    const ds_gazetteer *g = ctx ? ctx->gaz : NULL;
    if (!g || !s || n < 2 || n > 200) return 0;
    query q;
    if (!ds_place_parse_query(g, s, n, &q) || q.nlen < 2) return 0;
    uint32_t np;
    const uint32_t *p = find(g, false, q.name, q.nlen, &np);
    int best = 0;
    for (uint32_t i = 0; i < np; i++) {
        uint32_t kind = DS_GZ_KIND(p[i]);
        if (kind == DS_GZ_DEMONYM) continue;
        if (q.admin_intent && kind == DS_GZ_TOWN) continue;
        if (DS_GZ_COMMON(p[i]) && (kind != DS_GZ_COUNTRY || q.lower)) continue;
        int k = kind == DS_GZ_TOWN ? 1 : kind == DS_GZ_ADMIN1 ? 2 : 3;
        if (!best || k < best) best = k;   /* a town before a region before a country */
    }
    if (!best && q.admin_intent) {
        cand c[MAX_CANDS];
        size_t nc = 0;
        admin_adjectives(g, &q, c, &nc);
        if (nc) best = 2;
    }
    return best;
}

bool ds_is_place(const dossier_ctx *ctx, const char *s, size_t n)
{
    return ds_place_kind(ctx, s, n) > 0;
}
