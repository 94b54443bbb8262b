/*
 * placefind.c — find the place a sentence names (ds_find_place), for the
 * claim extractor's location.text: capitalised word sequences (and "X
 * region", "X oblast") checked against the gazetteer (places.c), the most
 * specific one after a location preposition preferred ("shelled Okhtyrka",
 * "in the Sumy region", "near Bakhmut, Donetsk region").  Countries count
 * only when nothing more specific is named.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>

typedef struct word {
    size_t s, e;
    bool cap;
} word;

#define MAX_WORDS 400

static bool letter_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    return isalpha(c) || (c >= 0xC0 && i + 1 < n) || (c >= 0x80 && c < 0xC0);
}

static size_t words_of(const char *s, size_t n, word *w, size_t max)
{
    size_t nw = 0, i = 0;
    while (i < n && nw < max) {
        if (!letter_at(s, i, n)) {
            i++;
            continue;
        }
        size_t j = i;
        /* a word: letters, inner hyphens and apostrophes (Ivano-Frankivsk, Mar'inka) */
        while (j < n && (letter_at(s, j, n) ||
                         ((s[j] == '-' || s[j] == '\'') && j + 1 < n && letter_at(s, j + 1, n))))
            j++;
        unsigned char c = (unsigned char)s[i];
        /* capitalised: an ASCII capital, or a Cyrillic capital (U+0400..U+042F) */
        bool cap = isupper(c) || (c == 0xD0 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                                  (unsigned char)s[i + 1] <= 0xAF);
        w[nw++] = (word){i, j, cap};
        i = j;
    }
    return nw;
}

static bool is(const char *s, const word *w, const char *lit)
{
    size_t n = w->e - w->s;
    return strlen(lit) == n && ds_ieq(s + w->s, lit, n);
}

static bool region_word(const char *s, const word *w)
{
    return is(s, w, "region") || is(s, w, "oblast") || is(s, w, "province") ||
           is(s, w, "krai") || is(s, w, "regions");
}

static bool location_prep(const char *s, const word *w)
{
    static const char *const preps[] = {"in", "near", "at", "outside", "around", "into",
                                        "from", "towards", "toward", "across", "of", "over",
                                        "inside", "shelled", "struck", "hit", "attacked",
                                        "captured", "seized", "liberated", "entered", "took",
                                        "bombed", "targeted", "occupied", NULL};
    for (int i = 0; preps[i]; i++)
        if (is(s, w, preps[i])) return true;
    return false;
}

bool ds_find_place(const dossier_ctx *ctx, const char *s, size_t n, size_t *start,
                   size_t *end)
{
    if (!ctx || !ctx->gaz || !s) return false;
    word w[MAX_WORDS];
    size_t nw = words_of(s, n, w, MAX_WORDS);
    int best_score = -1;
    size_t bs = 0, be = 0;
    for (size_t i = 0; i < nw; i++) {
        if (!w[i].cap) continue;
        /* the longest known name from here: up to four capitalised words,
         * then a region word ("Sumy region") */
        size_t last = i;
        while (last + 1 < nw && last - i < 3 && w[last + 1].cap && w[last + 1].s == w[last].e + 1)
            last++;
        int kind = 0;
        size_t ks = w[i].s, ke = 0, next = i;
        for (size_t j = last + 1; j-- > i && !kind;) {
            size_t e = w[j].e;
            if (j + 1 < nw && region_word(s, &w[j + 1]) && w[j + 1].s == e + 1) {
                int k = ds_place_kind(ctx, s + ks, w[j + 1].e - ks);
                if (k) {
                    kind = k, ke = w[j + 1].e, next = j + 1;
                    break;
                }
            }
            kind = ds_place_kind(ctx, s + ks, e - ks);
            if (kind) ke = e, next = j;
        }
        if (!kind) continue;
        /* a sentence-initial capital is weaker evidence than one mid-sentence */
        int score = kind == 3 ? 0 : 4;
        if (i > 0 && location_prep(s, &w[i - 1])) score += 2;
        if (i > 1 && is(s, &w[i - 1], "the") && location_prep(s, &w[i - 2])) score += 2;
        if (i > 2 && is(s, &w[i - 1], "of") &&
            (is(s, &w[i - 2], "city") || is(s, &w[i - 2], "town") || is(s, &w[i - 2], "village")))
            score += 3;
        /* ", Sumy region" or ", Ukraine" right after a town: part of the name */
        size_t qe = ke;
        if (kind == 1 && ke + 2 < n && s[ke] == ',' && s[ke + 1] == ' ' && next + 1 < nw &&
            w[next + 1].cap) {
            size_t a = next + 1, b = a;
            while (b + 1 < nw && b - a < 2 && w[b + 1].s == w[b].e + 1 &&
                   (w[b + 1].cap || region_word(s, &w[b + 1])))
                b++;
            for (size_t c = b + 1; c-- > a;) {
                int k2 = ds_place_kind(ctx, s + w[a].s, w[c].e - w[a].s);
                if (k2 >= 2) {
                    qe = w[c].e;
                    break;
                }
            }
        }
        if (score > best_score) {
            best_score = score;
            bs = ks;
            be = qe;
        }
        i = next;
    }
    if (best_score < 0) return false;
    *start = bs;
    *end = be;
    return true;
}
