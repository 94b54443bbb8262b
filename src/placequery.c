/*
 * placequery.c — read a location phrase into a query for the resolver
 * (places.c): "Okhtyrka, Sumy region", "the Ukrainian city of Kharkiv",
 * "Mariupol's Azovstal plant", "the Kursk region of Russia".  The name is
 * folded (placekey.c) and stripped of cue words ("the town of", "occupied",
 * a trailing "region"), which set flags; qualifiers (a region, a country, a
 * demonym, an owning town) are looked up in the gazetteer.
 */
#include "placeint.h"

#include <string.h>

/* Read a qualifier ("Sumy region", "Ukraine", "the Donetsk oblast") into q. */
static void add_qualifier(const ds_gazetteer *g, query *q, const char *s, size_t n)
{
    char key[256];
    size_t k = ds_place_fold(s, n, key, sizeof key);
    if (!k) return;
    bool had = false;
    k = ds_place_strip_admin(key, k, &had);
    uint32_t np;
    const uint32_t *p = find(g, false, key, k, &np);
    if (!np && had) {
        char sk[256];
        p = find(g, true, sk, ds_place_skeleton(key, k, sk, sizeof sk), &np);
    }
    uint32_t best_pop = 0;
    int64_t town = 0;
    bool region = false;
    /* a large town named without a region word is the town ("Kyiv's", "Okhtyrka, Sumy") */
    for (uint32_t i = 0; i < np && !had; i++) {
        uint32_t idx = DS_GZ_IDX(p[i]);
        if (DS_GZ_KIND(p[i]) == DS_GZ_TOWN && !DS_GZ_COMMON(p[i]) && !DS_GZ_ALT(p[i]) &&
            idx < g->h->nplaces && g->places[idx].population >= 50000 &&
            g->places[idx].population > best_pop) {
            best_pop = g->places[idx].population;
            town = (int64_t)idx + 1;
        }
    }
    if (town) {
        if (!q->qual_town) q->qual_town = town;
        int country = posting_country(g, DS_GZ_POST(DS_GZ_TOWN, 0, 0, (uint32_t)(town - 1)));
        if (country >= 0 && q->nqc < MAX_QUAL) q->qual_country[q->nqc++] = country;
        return;
    }
    for (uint32_t i = 0; i < np; i++) {
        uint32_t kind = DS_GZ_KIND(p[i]);
        if (DS_GZ_COMMON(p[i]) && kind != DS_GZ_COUNTRY) continue;
        if (kind == DS_GZ_COUNTRY || kind == DS_GZ_DEMONYM) {
            if (q->nqc < MAX_QUAL) q->qual_country[q->nqc++] = (int)DS_GZ_IDX(p[i]);
            region = true;
        } else if (kind == DS_GZ_ADMIN1) {
            if (q->nqa < MAX_QUAL) q->qual_admin[q->nqa++] = (int)DS_GZ_IDX(p[i]);
            if (q->nqc < MAX_QUAL) q->qual_country[q->nqc++] = posting_country(g, p[i]);
            region = true;
        } else if (kind == DS_GZ_TOWN && DS_GZ_IDX(p[i]) < g->h->nplaces &&
                   g->places[DS_GZ_IDX(p[i])].population >= best_pop) {
            best_pop = g->places[DS_GZ_IDX(p[i])].population;
            town = (int64_t)DS_GZ_IDX(p[i]) + 1;
        }
    }
    if (!region && town && !q->qual_town) q->qual_town = town;
}

bool ds_place_parse_query(const ds_gazetteer *g, const char *text, size_t len, query *q)
{
    /* counters and flags only: the arrays are read up to their counts */
    q->name[0] = 0;
    q->nlen = 0;
    q->admin_intent = q->town_cue = q->lower = false;
    q->nqc = q->nqa = q->nsc = 0;
    q->qual_town = 0;
    /* nothing to trim when the text starts and ends with a visible ASCII byte */
    if (!len || (unsigned char)text[0] <= ' ' || (unsigned char)text[0] >= 0x7F ||
        (unsigned char)text[len - 1] <= ' ' || (unsigned char)text[len - 1] >= 0x7F ||
        (len >= 3 && (unsigned char)text[len - 3] >= 0xE2))   /* (ds_trim: broken U+2000..) */
        text = ds_trim(text, &len);
    if (!len || len > 200) return false;
    /* the key, its words and their classes (placewords.c), found once: a
     * folded key has single spaces between words, at most 128 words */
    char key[256];
    uint16_t ws[128], we[128];
    uint8_t wf[128];
    size_t nw = 0, k = 0;
    bool upper = false;
    /* a plain name (ASCII; no comma, parenthesis, semicolon or apostrophe;
     * no "in" or "of" among its words) has nothing to cut off or qualify:
     * folded and cut into words in one pass */
    bool plain = ds_place_fold_plain(text, len, key, sizeof key, ws, we, &nw, &k, &upper);
    for (size_t w = 0; plain && w < nw; w++)
        if (we[w] - ws[w] == 2 && ((key[ws[w]] == 'i' && key[ws[w] + 1] == 'n') ||
                                   (key[ws[w]] == 'o' && key[ws[w] + 1] == 'f')))
            plain = false;
    if (plain) {
        q->lower = !upper;
    } else {
        /* name part ends at a comma, '(' or " in "; note what the name part has
         * that the rules below look for */
        enum { S_STOP = 1, S_SPACE = 2, S_APOS = 4 };
        static const uint8_t scan[256] = {[','] = S_STOP, ['('] = S_STOP, [';'] = S_STOP,
                                          [' '] = S_SPACE, ['\''] = S_APOS, [0xE2] = S_APOS};
        size_t cut = len;
        bool apos = false, space = false;
        for (size_t i = 0; i < len; i++) {
            uint8_t f = scan[(unsigned char)text[i]];
            if (!f) continue;
            if (f == S_STOP) {
                cut = i;
                break;
            }
            if (f == S_SPACE) {
                if (i > 0 && i + 4 <= len && text[i + 1] == 'i' && text[i + 2] == 'n' &&
                    text[i + 3] == ' ') {
                    cut = i;
                    break;
                }
                space = true;
            } else {
                apos = true;
            }
        }
        /* "Mariupol's Azovstal plant", "Kharkiv Oblast's Izium": the owner qualifies */
        for (size_t i = 1; apos && i + 3 < cut; i++) {
            size_t al = text[i] == '\'' ? 1 : (i + 3 < cut && !memcmp(text + i, "\xE2\x80\x99", 3)) ? 3 : 0;
            if (al && i + al + 1 < cut && text[i + al] == 's' && text[i + al + 1] == ' ') {
                add_qualifier(g, q, text, i);
                text += i + al + 2;
                len -= i + al + 2;
                cut -= i + al + 2;
                break;
            }
        }
        /* "the Kursk region of Russia": a region word, then the country */
        for (size_t i = 0; space && i + 4 < cut; i++) {
            if (text[i] != ' ' || memcmp(text + i, " of ", 4)) continue;
            bool region = false;
            for (size_t j = 0; j + 6 <= i && !region; j++)
                if (ds_ieq(text + j, "region", 6) || ds_ieq(text + j, "oblast", 6) ||
                    (j + 8 <= i && ds_ieq(text + j, "province", 8)))
                    region = true;
            if (region) {
                add_qualifier(g, q, text + i + 4, cut - i - 4);
                cut = i;
            }
            break;
        }
        /* qualifiers: the rest, split at commas, parentheses and " in " */
        for (size_t i = cut; i < len;) {
            while (i < len && (text[i] == ',' || text[i] == '(' || text[i] == ')' || text[i] == ' ' ||
                               text[i] == ';'))
                i++;
            if (i + 3 <= len && !memcmp(text + i, "in ", 3)) i += 3;
            size_t j = i;
            while (j < len && text[j] != ',' && text[j] != '(' && text[j] != ')' && text[j] != ';' &&
                   !(j + 4 <= len && !memcmp(text + j, " in ", 4)))
                j++;
            if (j > i) add_qualifier(g, q, text + i, j - i);
            i = j;
        }
        /* possessive: "Kharkiv's" */
        while (cut > 0 && text[cut - 1] == ' ') cut--;
        if (cut > 3 && text[cut - 1] == 's' && text[cut - 2] == '\'') cut -= 2;
        else if (cut > 5 && text[cut - 1] == 's' && !memcmp(text + cut - 4, "\xE2\x80\x99", 3)) cut -= 4;
        bool any_upper = false;
        for (size_t i = 0; i < cut && !any_upper; i++)
            any_upper = (unsigned char)(text[i] - 'A') < 26 || (unsigned char)text[i] >= 0x80;
        q->lower = !any_upper;
        k = ds_place_fold_words(text, cut, key, sizeof key, ws, we, &nw);
    }
    if (!k) return false;
    for (size_t w = 0; w < nw; w++) wf[w] = (uint8_t)ds_place_word(key + ws[w], we[w] - ws[w]);
    /* drop everything up to "occupied", "held" … (never the last word) */
    size_t first = 0;
    for (size_t w = 0; w + 1 < nw; w++)
        if (wf[w] & DS_PW_HELD) first = w + 1;
    /* drop leading cue words, demonyms ("the Ukrainian city of") included;
     * the last word stays */
    for (; first + 1 < nw; first++) {
        if (wf[first] & DS_PW_LEAD) continue;
        if (wf[first] & DS_PW_TOWN_CUE) {
            q->town_cue = true;
            continue;
        }
        /* a demonym before a cue or a name: a hint of the country, unless the
         * words from here are a name as a whole ("Russian Federation") */
        const char *wd = key + ws[first];
        uint32_t np, info;
        const uint32_t *p = find_info(g, false, wd, we[first] - ws[first], &np, &info);
        bool demonym = false;   /* the index's flag covers a name of up to MAX_CANDS entries */
        if (np <= DS_GZ_MAX_CANDS) demonym = (info & DS_GZ_HAS_DEMONYM) != 0;
        for (uint32_t t = 0; np > DS_GZ_MAX_CANDS && t < np && !demonym; t++)
            demonym = DS_GZ_KIND(p[t]) == DS_GZ_DEMONYM;
        if (!demonym) break;
        uint32_t nrest;
        const uint32_t *rest = find(g, false, wd, k - ws[first], &nrest);
        bool whole = false;
        for (uint32_t t = 0; t < nrest && !whole; t++)
            if (DS_GZ_KIND(rest[t]) != DS_GZ_DEMONYM) whole = true;
        if (whole) break;
        for (uint32_t t = 0; t < np; t++)
            if (DS_GZ_KIND(p[t]) == DS_GZ_DEMONYM) {
                if (q->nsc < MAX_QUAL) q->soft_country[q->nsc++] = (int)DS_GZ_IDX(p[t]);
                break;
            }
    }
    /* a trailing cue word: "Kharkiv city"; a region word: "Sumy region" */
    size_t last = nw;
    if (nw - first >= 2 && (wf[nw - 1] & DS_PW_TOWN_CUE)) {
        q->town_cue = true;
        last = nw - 1;
    } else if (nw - first >= 2 && (wf[nw - 1] & DS_PW_REGION)) {
        q->admin_intent = true;
    }
    const char *name = key + ws[first];
    k = we[last - 1] - ws[first];
    bool admin = false;
    for (size_t w = first; w < last && !admin; w++) admin = (wf[w] & DS_PW_ADMIN) != 0;
    char bare[256];
    if (admin) {
        /* generic region words ("Sumy oblast", "the Donetsk People's
         * Republic") dropped as ds_place_strip_admin does, from the classes
         * already found; a name of nothing else stays as it is */
        size_t o = 0;
        bool removed = false, kept = false;
        for (size_t w = first; w < last; w++) {
            if (wf[w] & DS_PW_ADMIN) {
                if (!(wf[w] & DS_PW_ADMIN_WEAK)) removed = true;
                continue;
            }
            if (o) bare[o++] = ' ';
            memcpy(bare + o, key + ws[w], (size_t)(we[w] - ws[w]));
            o += (size_t)(we[w] - ws[w]);
            kept = true;
        }
        if (removed) q->admin_intent = true;
        if (kept) name = bare, k = o;
    }
    if (!k || k >= sizeof q->name) return false;
    /* the terminator stored after the copy: a NUL stored into name just
     * before would stall the copy's wide loads (no store forwarding) */
    memcpy(q->name, name, k);
    q->name[k] = 0;
    q->nlen = k;
    return true;
}
