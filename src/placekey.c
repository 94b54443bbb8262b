/*
 * placekey.c — the lookup keys of place names, shared by the gazetteer
 * builder (gazbuild.c) and the run-time lookups (places.c), so both sides
 * fold a name the same way.
 *
 * Two levels:
 *   fold      "Kharkiv", "KHARKIV", "Khar'kiv", "Харків" → "kharkiv"
 *             Unicode compatibility decomposition, case folding and removal
 *             of combining marks (utf8proc); Cyrillic transliterated
 *             (Ukrainian or Russian convention, chosen by the letters the
 *             word uses); apostrophes and soft signs dropped; any other
 *             punctuation or space becomes one space.
 *   skeleton  a consonant skeleton of a folded Latin key that merges the
 *             Russian and Ukrainian romanisations of one name:
 *             Kharkov/Kharkiv, Zaporozhye/Zaporizhzhia, Gorlovka/Horlivka,
 *             Lugansk/Luhansk, Akhtyrka/Okhtyrka.  Digraphs become one letter
 *             (kh→h, g→h, zh→z, sh/shch→s, ch/ts→c, w→v), vowels go (a word's
 *             first vowel leaves one marker '_'), doubled letters collapse.
 *             Lossy on purpose: places.c uses it only as a fallback, for
 *             places in the countries where these romanisations apply.
 * Hand-written because no library does Russian/Ukrainian romanisation
 * folding; utf8proc does the Unicode part.  No allocation.
 */
#include "internal.h"

#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL   /* the header's own implementation, inlined: no call per key */
#include <xxhash.h>

uint64_t ds_place_hash(const char *key, size_t n) { return XXH3_64bits(key, n); }

/* Cyrillic lower-case letters U+0430..U+045F → Latin, two conventions.
 * Index: cp - 0x430.  NULL: dropped (soft and hard signs). */
static const char *const cyr_ru[48] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", NULL, "y", NULL, "e", "yu", "ya",
    /* U+0450..U+045F: ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */
    "e", "e", "dj", "g", "ye", "dz", "i", "yi", "j", "lj", "nj", "c", "k", "i", "u", "dzh"};
static const char *const cyr_uk[48] = {
    "a", "b", "v", "h", "d", "e", "zh", "z", "y", "i", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", NULL, "y", NULL, "e", "iu", "ia",
    "e", "e", "dj", "g", "ie", "dz", "i", "i", "j", "lj", "nj", "c", "k", "i", "u", "dzh"};

/* Latin letters that have no Unicode decomposition to a base letter. */
static const char *latin_extra(int32_t cp)
{
    switch (cp) {
    case 0x0142: return "l";   /* ł */
    case 0x00F8: return "o";   /* ø */
    case 0x0111: return "d";   /* đ */
    case 0x0127: return "h";   /* ħ */
    case 0x0131: return "i";   /* ı */
    case 0x00E6: return "ae";  /* æ */
    case 0x0153: return "oe";  /* œ */
    case 0x00FE: return "th";  /* þ */
    case 0x00F0: return "d";   /* ð */
    case 0x00DF: return "ss";  /* ß */
    case 0x0491: return "g";   /* ґ */
    default: return NULL;
    }
}

static bool is_apostrophe(int32_t cp)
{
    return cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC ||
           cp == 0x02B9 || cp == 0x00B4 || cp == 0x02BB || cp == 0x2032;
}

/* Ukrainian when the name uses a letter Russian does not have: і ї є ґ
 * (U+0456 U+0457 U+0454 U+0491) or their capitals (U+0406 U+0407 U+0404
 * U+0490).  A byte scan: all are two-byte sequences. */
static bool looks_ukrainian(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        uint8_t a = s[i], b = s[i + 1];
        if ((a == 0xD1 && (b == 0x96 || b == 0x97 || b == 0x94)) ||
            (a == 0xD0 && (b == 0x86 || b == 0x87 || b == 0x84)) ||
            (a == 0xD2 && (b == 0x91 || b == 0x90)))
            return true;
    }
    return false;
}

typedef struct out_t {
    char *p;
    size_t n, cap;
    bool over, pending_space;
} out_t;

static inline void put(out_t *o, const char *s, size_t n)
{
    if (o->pending_space && o->n) {
        if (o->n + 1 >= o->cap) { o->over = true; return; }
        o->p[o->n++] = ' ';
    }
    o->pending_space = false;
    if (o->n + n >= o->cap) { o->over = true; return; }
    for (size_t i = 0; i < n; i++) o->p[o->n + i] = s[i];   /* a letter or a few: no call */
    o->n += n;
}

/* put a transliteration (NUL-terminated, a few letters) */
static inline void put_str(out_t *o, const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    put(o, s, n);
}

/* ASCII folding: the letter or digit kept (lower case), FOLD_SEP for a
 * separator (one space between words), FOLD_DROP for an apostrophe. */
enum { FOLD_SEP = 0, FOLD_DROP = 1 };
static const char fold_ascii[128] = {
    ['\''] = FOLD_DROP, ['`'] = FOLD_DROP,
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
    ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
    ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
    ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
};

/* The rest of a name from s[i] on, when it is not ASCII: one code point at
 * a time (w bytes written so far, pend: a space due).  Out of line, so that
 * the ASCII path stays small. */
static __attribute__((noinline)) size_t fold_unicode(const uint8_t *u, size_t n, size_t i,
                                                     char *out, size_t cap, size_t w, bool pend)
{
    out_t o = {out, w, cap, false, pend};
    bool uk = looks_ukrainian(u, n);
    while (i < n && !o.over) {
        if (u[i] < 0x80) {   /* ASCII */
            char c = fold_ascii[u[i++]];
            if (c == FOLD_SEP) o.pending_space = true;
            else if (c != FOLD_DROP) put(&o, &c, 1);
            continue;
        }
        if ((u[i] == 0xD0 || u[i] == 0xD1) && i + 1 < n && (u[i + 1] & 0xC0) == 0x80 &&
            (((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F)) <= 0x45F) {
            /* Cyrillic U+0400..U+045F decoded and lower-cased by hand (the
             * capitals are U+0400..U+042F): as utf8proc would, faster */
            int32_t cp = ((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F);
            int32_t lc = cp < 0x410 ? cp + 0x50 : cp < 0x430 ? cp + 0x20 : cp;
            i += 2;
            if (lc == 0x0439) { put(&o, uk ? "i" : "y", 1); continue; }          /* й */
            const char *t = (uk ? cyr_uk : cyr_ru)[lc - 0x430];
            if (t) put_str(&o, t);
            continue;
        }
        int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { i++; o.pending_space = true; continue; }
        i += (size_t)k;
        if (cp < 0x80) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
                char c = (char)cp;
                put(&o, &c, 1);
            } else if (cp >= 'A' && cp <= 'Z') {
                char c = (char)(cp + 32);
                put(&o, &c, 1);
            } else if (!is_apostrophe(cp)) {
                o.pending_space = true;
            }
            continue;
        }
        if (is_apostrophe(cp)) continue;
        int32_t lc = utf8proc_tolower(cp);
        if (lc == 0x0439) { put(&o, uk ? "i" : "y", 1); continue; }          /* й */
        if (lc >= 0x0430 && lc <= 0x045F) {
            const char *t = (uk ? cyr_uk : cyr_ru)[lc - 0x430];
            if (t) put_str(&o, t);
            continue;
        }
        const char *x = latin_extra(lc);
        if (x) { put_str(&o, x); continue; }
        int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
            &last);
        if (nd <= 0 || nd > 8) { o.pending_space = true; continue; }
        for (utf8proc_ssize_t d = 0; d < nd; d++) {
            int32_t c = dec[d];
            const utf8proc_property_t *pr = utf8proc_get_property(c);
            if (c < 0x80) {
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    char ch = (char)c;
                    put(&o, &ch, 1);
                } else if (c >= 'A' && c <= 'Z') {
                    char ch = (char)(c + 32);
                    put(&o, &ch, 1);
                } else if (!is_apostrophe(c)) {
                    o.pending_space = true;
                }
            } else if (latin_extra(c)) {
                const char *y = latin_extra(c);
                put_str(&o, y);
            } else if (pr->category >= UTF8PROC_CATEGORY_LU &&
                       pr->category <= UTF8PROC_CATEGORY_LO) {
                uint8_t b[4];
                utf8proc_ssize_t nb = utf8proc_encode_char(c, b);
                put(&o, (const char *)b, (size_t)nb);   /* another script: kept as is */
            } else if (pr->category >= UTF8PROC_CATEGORY_ND &&
                       pr->category <= UTF8PROC_CATEGORY_NO) {
                uint8_t b[4];
                utf8proc_ssize_t nb = utf8proc_encode_char(c, b);
                put(&o, (const char *)b, (size_t)nb);
            } else if (pr->category == UTF8PROC_CATEGORY_MN ||
                       pr->category == UTF8PROC_CATEGORY_MC ||
                       pr->category == UTF8PROC_CATEGORY_ME) {
                /* a combining mark left over: drop */
            } else {
                o.pending_space = true;
            }
        }
    }
    if (o.over) return 0;
    out[o.n] = 0;
    return o.n;
}

size_t ds_place_fold(const char *s, size_t n, char *out, size_t cap)
{
    if (!cap) return 0;
    const uint8_t *u = (const uint8_t *)s;
    /* the ASCII run (most names, all of them in English text): a table, no
     * call per byte */
    size_t i = 0, w = 0;
    bool pend = false;
    if (n < cap) {   /* the output of an ASCII run is never longer than it: no checks */
        for (; i < n && u[i] < 0x80; i++) {
            char m = fold_ascii[u[i]];
            if (m > FOLD_DROP) {
                if (pend && w) out[w++] = ' ';
                pend = false;
                out[w++] = m;
            } else if (m == FOLD_SEP) {
                pend = true;
            }
        }
    } else {
        for (; i < n && u[i] < 0x80; i++) {
            char m = fold_ascii[u[i]];
            if (m == FOLD_SEP) {
                pend = true;
            } else if (m != FOLD_DROP) {
                if (pend && w) {
                    if (w + 1 >= cap) return 0;
                    out[w++] = ' ';
                }
                pend = false;
                if (w + 1 >= cap) return 0;
                out[w++] = m;
            }
        }
    }
    if (i == n) {
        out[w] = 0;
        return w;
    }
    return fold_unicode(u, n, i, out, cap, w, pend);
}

/* One folded letter m of an ASCII name cut into words: a word starts at the
 * first letter and at a letter after a separator (the previous word ends,
 * one space between); returns the new output length.  The caller has
 * checked the room (an ASCII run's output is never longer than its input). */
static inline size_t word_letter(char *out, size_t w, uint16_t *ws, uint16_t *we,
                                 size_t *words, bool pend, char m)
{
    if (!w || pend) {
        if (w) {
            we[*words - 1] = (uint16_t)w;
            out[w++] = ' ';
        }
        ws[(*words)++] = (uint16_t)w;
    }
    out[w++] = m;
    return w;
}

bool ds_place_fold_plain(const char *s, size_t n, char *out, size_t cap, uint16_t *ws,
                         uint16_t *we, size_t *nw, size_t *len, bool *upper)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t w = 0, words = 0;
    bool pend = false, up = false;
    if (n >= cap || cap > 0x10000) return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = u[i];
        if (c >= 0x80) return false;
        char m = fold_ascii[c];
        if (m > FOLD_DROP) {
            w = word_letter(out, w, ws, we, &words, pend, m);
            pend = false;
            up |= m != (char)c;   /* a capital (folding changed it) */
        } else if (c == ',' || c == '(' || c == ';' || c == '\'') {
            return false;
        } else if (m == FOLD_SEP) {
            pend = true;
        }
    }
    if (words) we[words - 1] = (uint16_t)w;
    out[w] = 0;
    *nw = words;
    *len = w;
    *upper = up;
    return true;
}

size_t ds_place_fold_words(const char *s, size_t n, char *out, size_t cap, uint16_t *ws,
                           uint16_t *we, size_t *nw)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t w = 0, words = 0;
    *nw = 0;
    if (n < cap && cap <= 0x10000) {
        /* an ASCII name: folded and cut into words in one pass (the word
         * starts where a letter follows a separator) */
        bool pend = false;
        size_t i = 0;
        for (; i < n && u[i] < 0x80; i++) {
            char m = fold_ascii[u[i]];
            if (m > FOLD_DROP) {
                w = word_letter(out, w, ws, we, &words, pend, m);
                pend = false;
            } else if (m == FOLD_SEP) {
                pend = true;
            }
        }
        if (i == n) {
            if (words) we[words - 1] = (uint16_t)w;
            out[w] = 0;
            *nw = words;
            return w;
        }
    }
    w = ds_place_fold(s, n, out, cap);   /* not ASCII: fold, then find the words */
    words = 0;
    for (size_t a = 0; a < w; a++) {
        size_t b = a;
        while (b < w && out[b] != ' ') b++;
        ws[words] = (uint16_t)a;
        we[words++] = (uint16_t)b;
        a = b;
    }
    *nw = words;
    return w;
}

size_t ds_place_skeleton(const char *key, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    bool word_start = true;
    char last = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] >= 0x80) return 0;
    for (size_t i = 0; i < n;) {
        char c = key[i];
        char r1 = c, r2 = 0;   /* the letters emitted */
        size_t adv = 1;
#define d1 (i + 1 < n ? key[i + 1] : 0)   /* the letters after, read only when needed */
#define d2 (i + 2 < n ? key[i + 2] : 0)
#define d3 (i + 3 < n ? key[i + 3] : 0)
        switch (c) {
        case 0:     /* (not in a folded key) nothing emitted */
            word_start = false;
            i++;
            continue;
        case ' ':   /* words run together: Nova Kakhovka = Novaya Kakhovka */
            word_start = true;
            i++;
            continue;
        case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': case 'j':   /* vowels */
            if (word_start && o == 0) {   /* the name's first letter a vowel: one marker */
                if (o + 1 >= cap) return 0;
                out[o++] = '_';
                last = '_';
            }
            word_start = false;
            i++;
            continue;
        case 's':   /* shch, sch, sh */
            if (d1 == 'h' && d2 == 'c' && d3 == 'h') adv = 4;
            else if (d1 == 'c' && d2 == 'h') adv = 3;
            else if (d1 == 'h') adv = 2;
            break;
        case 't':   /* tsch, tch, ts, tz */
            if (d1 == 's' && d2 == 'c' && d3 == 'h') r1 = 'c', adv = 4;
            else if (d1 == 'c' && d2 == 'h') r1 = 'c', adv = 3;
            else if (d1 == 's' || d1 == 'z') r1 = 'c', adv = 2;
            break;
        case 'k': if (d1 == 'h') r1 = 'h', adv = 2; break;
        case 'z': if (d1 == 'h') adv = 2; break;
        case 'c':
            if (d1 == 'h') adv = 2;
            else if (d1 == 'k') r1 = 'k', adv = 2;
            break;
        case 'p': if (d1 == 'h') r1 = 'f', adv = 2; break;
        case 'g': r1 = 'h'; break;
        case 'w': r1 = 'v'; break;
        case 'q': r1 = 'k'; break;
        case 'x': r1 = 'k', r2 = 's'; break;
        default: break;
        }
#undef d1
#undef d2
#undef d3
        /* doubled letters collapse */
        if (r1 != last) {
            if (o + 1 >= cap) return 0;
            out[o++] = last = r1;
        }
        if (r2 && r2 != last) {
            if (o + 1 >= cap) return 0;
            out[o++] = last = r2;
        }
        word_start = false;
        i += adv;
    }
    if (o < cap) out[o] = 0;
    return o;
}

/* Generic words of region names (DS_PW_ADMIN in placewords.c) are removed
 * from a folded key so that "Sumy", "Sumy Oblast", "Sumy region" and "Sumy
 * province" share one key; the weak ones ("of", "the", "city" …) without
 * saying that a region is meant. */
size_t ds_place_strip_admin(char *key, size_t n, bool *had)
{
    char tmp[256];
    size_t o = 0;
    bool removed = false, kept = false;
    if (n >= sizeof tmp) return n;
    /* most keys have no generic word (nor an empty one): nothing to rebuild */
    bool plain = n > 0 && key[n - 1] != ' ';
    for (size_t i = 0; i < n && plain;) {
        size_t j = i;
        while (j < n && key[j] != ' ') j++;
        if (j == i || (ds_place_word(key + i, j - i) & DS_PW_ADMIN)) plain = false;
        i = j < n ? j + 1 : j;
    }
    if (plain) {
        if (had) *had = false;
        key[n] = 0;
        return n;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] != ' ') j++;
        unsigned f = ds_place_word(key + i, j - i);
        if (f & DS_PW_ADMIN) {
            if (!(f & DS_PW_ADMIN_WEAK)) removed = true;
        } else {
            if (o) tmp[o++] = ' ';
            memcpy(tmp + o, key + i, j - i);
            o += j - i;
            kept = true;
        }
        i = j < n ? j + 1 : j;
    }
    if (had) *had = removed;
    if (!kept) return n;   /* nothing but generic words: leave it */
    memcpy(key, tmp, o);
    key[o] = 0;
    return o;
}
