/*
 * clean_pre.c — cheap checks that spare the cleaning stage (clean.c) regex
 * runs without changing any result: a literal prefilter for the unanchored
 * line rules of data/clean/rules.txt, and a UTF-8 check done once per block
 * so that PCRE2 need not repeat it for every rule run on the block.
 */
#include "internal.h"
#include "clean_int.h"

#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

/* The unanchored line rules start, after an optional \b, with literal words
 * ("sign up", "newsletter", "we use cookies", "by clicking").  PCRE2's own
 * start-of-match optimisation cannot use them (its first-character set for
 * the alternation admits most letters), so the alternation would be tried at
 * nearly every offset of every line.  At load, the literal beginnings of each
 * such rule are read from its pattern: plain characters and (?:a|b)
 * alternations of them, up to the first other construct.  A line in which
 * none occurs, ASCII case-insensitively, cannot match and the regex is not
 * run.  Should any rule start otherwise (or with a literal shorter than two
 * characters), there is no prefilter: rules.txt stays free to use any
 * pattern.  Hand-written: PCRE2 offers no literal extraction. */

typedef struct litacc {   /* strings being expanded */
    int n;
    char s[LIT_MAX][48];
    uint8_t len[LIT_MAX];
} litacc;

/* Index of the ')' closing the group whose '(' is at p[i], or -1. */
static long group_end(const char *p, size_t n, size_t i)
{
    int depth = 0;
    bool cls = false;
    for (size_t k = i; k < n; k++) {
        if (p[k] == '\\') { k++; continue; }
        if (cls) { if (p[k] == ']') cls = false; continue; }
        if (p[k] == '[') cls = true;
        else if (p[k] == '(') depth++;
        else if (p[k] == ')' && --depth == 0) return (long)k;
    }
    return -1;
}

/* ASCII characters that match only themselves outside a class (case aside). */
static bool lit_char(unsigned char c)
{
    return isalnum(c) || c == ' ' || c == '-' || c == '\'' || c == ',' || c == ':' || c == '@' ||
           c == '&' || c == '/' || c == '"' || c == '!' || c == '%' || c == ';' || c == '<' ||
           c == '>' || c == '=' || c == '#' || c == '~' || c == '`' || c == '_';
}

/* A non-ASCII character at p[0..n) that has no other case (a dash, a quote
 * mark): caseless matching finds it only as itself.  Its byte length, or 0. */
static size_t caseless_self(const char *p, size_t n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t m = utf8proc_iterate((const uint8_t *)p, (utf8proc_ssize_t)n, &cp);
    if (m <= 1 || cp < 0x80) return 0;
    if (utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp || utf8proc_totitle(cp) != cp)
        return 0;
    return (size_t)m;
}

/* One item of a pattern at p[0..n): its alternatives (strings matched) into
 * alt and its length in the pattern, or 0 when it is no literal item:
 * a character, an escaped punctuation mark, a class of such characters. */
static size_t atom(const char *p, size_t n, litacc *alt)
{
    unsigned char c = (unsigned char)p[0];
    alt->n = 0;
    if (c < 0x80 && lit_char(c)) {
        alt->s[0][0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        alt->len[0] = 1;
        alt->n = 1;
        return 1;
    }
    if (c == '\\' && n >= 2 && (unsigned char)p[1] < 0x80 && ispunct((unsigned char)p[1])) {
        alt->s[0][0] = p[1];
        alt->len[0] = 1;
        alt->n = 1;
        return 2;
    }
    if (c >= 0x80) {
        size_t m = caseless_self(p, n);
        if (!m) return 0;
        memcpy(alt->s[0], p, m);
        alt->len[0] = (uint8_t)m;
        alt->n = 1;
        return m;
    }
    if (c == '[' && n >= 3 && p[1] != '^') {
        size_t i = 1;
        while (i < n && p[i] != ']') {
            unsigned char d = (unsigned char)p[i];
            size_t m = 1;
            char ch = (char)d;
            if (d == '\\' && i + 1 < n && (unsigned char)p[i + 1] < 0x80 && ispunct((unsigned char)p[i + 1])) {
                ch = p[i + 1];
                m = 2;
            } else if (d >= 0x80 || d == '\\' || d == '-' || d == '[' || isalnum(d)) {
                return 0;   /* ranges, escapes, letters (caseless), non-ASCII: not read */
            }
            if (alt->n == LIT_MAX) return 0;
            alt->s[alt->n][0] = ch;
            alt->len[alt->n++] = 1;
            i += m;
        }
        return i < n && alt->n ? i + 1 : 0;
    }
    return 0;
}

static bool alts_expand(const char *p, size_t n, litacc *acc, bool *open, int depth);

/* acc = acc × alt (every string of acc followed by every one of alt);
 * false when the product would not fit. */
static bool product(litacc *acc, const litacc *alt)
{
    if ((size_t)acc->n * (size_t)alt->n > LIT_MAX) return false;
    litacc next;
    next.n = 0;
    for (int x = 0; x < acc->n; x++)
        for (int y = 0; y < alt->n; y++) {
            size_t l = (size_t)acc->len[x] + alt->len[y];
            if (l >= sizeof next.s[0]) return false;
            memcpy(next.s[next.n], acc->s[x], acc->len[x]);
            memcpy(next.s[next.n] + acc->len[x], alt->s[y], alt->len[y]);
            next.len[next.n++] = (uint8_t)l;
        }
    *acc = next;
    return true;
}

/* Append the sequence p[0..n) to every string of acc, up to its first
 * construct other than a literal item, \b or a (?:…) group of such; *open is
 * false when it stopped early (nothing may be appended after).  At the very
 * start of a rule (lead), white space (\s*, \s+) and option settings such as
 * (?-i) are passed over: what follows them must still occur in the line. */
static bool seq_expand(const char *p, size_t n, litacc *acc, bool *open, int depth, bool lead)
{
    size_t i = 0;
    *open = true;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        char q = i + 1 < n ? p[i + 1] : 0;
        if (c == '\\' && q == 'b') {   /* an assertion: no text */
            i += 2;
            continue;
        }
        if (lead && c == '\\' && q == 's' && i + 2 < n && (p[i + 2] == '*' || p[i + 2] == '+')) {
            i += 3;
            continue;
        }
        if (lead && c == '(' && q == '?' && i + 3 < n && (p[i + 2] == '-' || p[i + 2] == 'i') &&
            (p[i + 3] == 'i' || p[i + 3] == ')')) {
            size_t e = i + 2;
            while (e < n && (p[e] == '-' || p[e] == 'i')) e++;
            if (e < n && p[e] == ')') {   /* (?i) (?-i): case only */
                i = e + 1;
                continue;
            }
        }
        litacc alt;
        size_t len;
        bool alt_open = true;
        if (c == '(' && q == '?' && i + 2 < n && p[i + 2] == ':' && depth < 4) {
            long e = group_end(p, n, i);
            if (e < 0) return false;
            alt.n = 1;
            alt.len[0] = 0;
            if (!alts_expand(p + i + 3, (size_t)e - i - 3, &alt, &alt_open, depth + 1)) break;
            len = (size_t)e + 1 - i;
        } else {
            len = atom(p + i, n - i, &alt);
            if (!len) break;
        }
        char after = i + len < n ? p[i + len] : 0;
        if (after == '?' || after == '*' || after == '{') break;   /* optional: not required */
        if (!product(acc, &alt)) break;
        lead = false;
        i += len;
        if (!alt_open || after == '+') {   /* one or more: the first is required */
            *open = false;
            return true;
        }
    }
    if (i < n) *open = false;
    return true;
}

/* Expand the alternatives of p[0..n) (split at top-level '|') onto the
 * strings of acc; *open when every alternative was read to its end. */
static bool alts_expand(const char *p, size_t n, litacc *acc, bool *open, int depth)
{
    bool lead = depth == 0;
    litacc res, one;
    res.n = 0;
    *open = true;
    size_t a = 0;
    int nest = 0;
    bool cls = false;
    for (size_t k = 0; k <= n; k++) {
        if (k < n) {
            char c = p[k];
            if (c == '\\') { k++; continue; }
            if (cls) { if (c == ']') cls = false; continue; }
            if (c == '[') cls = true;
            else if (c == '(') nest++;
            else if (c == ')') nest--;
            if (!(c == '|' && nest == 0)) continue;
        }
        one = *acc;
        bool o;
        if (!seq_expand(p + a, k - a, &one, &o, depth, lead)) return false;
        if (!o) *open = false;
        if (res.n + one.n > LIT_MAX) return false;
        for (int x = 0; x < one.n; x++) {
            memcpy(res.s[res.n], one.s[x], one.len[x]);
            res.len[res.n++] = one.len[x];
        }
        a = k + 1;
    }
    *acc = res;
    return true;
}

/* Add the literal beginnings of rule pattern p[0..n) to L; false when the
 * pattern has none usable (then L is no prefilter). */
bool ds_litset_add(litset *L, const char *p, size_t n)
{
    litacc acc;
    acc.n = 1;
    acc.len[0] = 0;
    bool open;
    if (!alts_expand(p, n, &acc, &open, 0)) return false;
    for (int x = 0; x < acc.n; x++) {
        if (acc.len[x] < 1 || L->n == LIT_MAX) return false;
        memcpy(L->lit[L->n], acc.s[x], acc.len[x]);
        L->len[L->n] = acc.len[x];
        if (acc.len[x] == 1) {
            L->single[(unsigned char)acc.s[x][0]] = 1;
            L->n++;
            continue;
        }
        unsigned k = (unsigned char)acc.s[x][0] << 8 | (unsigned char)acc.s[x][1];
        L->next[L->n] = L->head[k];
        L->head[k] = (uint8_t)(L->n + 1);
        L->pairbit[k >> 3] |= (uint8_t)(1u << (k & 7));
        L->n++;
    }
    return true;
}

/* May line s[0..n) match a rule of L?  (Always yes without a prefilter.) */
bool ds_litset_may_match(const litset *L, const char *str, size_t n)
{
    if (!L->ok) return true;
    const unsigned char *s = (const unsigned char *)str;
#define ASCII_LOWER(c) ((c) >= 'A' && (c) <= 'Z' ? (unsigned)(c) + 32 : (unsigned)(c))
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c >= 0x80 && i + 1 < n) {
            /* caseless UTF matching lets U+017F (long s) match 's' and
             * U+212A (Kelvin sign) match 'k': such lines go to the regex */
            if ((c == 0xC5 && s[i + 1] == 0xBF) ||
                (c == 0xE2 && s[i + 1] == 0x84 && i + 2 < n && s[i + 2] == 0xAA))
                return true;
        }
        unsigned lc = ASCII_LOWER(c);
        if (L->single[lc]) return true;
        if (i + 1 >= n) break;
        unsigned k = lc << 8 | ASCII_LOWER(s[i + 1]);
        if (!(L->pairbit[k >> 3] & (1u << (k & 7)))) continue;
        for (unsigned x = L->head[k]; x; x = L->next[x - 1]) {
            const char *lit = L->lit[x - 1];
            size_t len = L->len[x - 1], j = 2;   /* the first two bytes matched */
            if (len > n - i) continue;
            while (j < len && ASCII_LOWER(s[i + j]) == (unsigned char)lit[j]) j++;
            if (j == len) return true;
        }
    }
#undef ASCII_LOWER
    return false;
}

/* ---- UTF-8 check ------------------------------------------------------------ */
/* Is s[0..n) well-formed UTF-8 (Unicode Table 3-7: no overlong forms,
 * surrogates or code points past U+10FFFF)?  A block checked once here is
 * matched with PCRE2_NO_UTF_CHECK, instead of PCRE2 checking it again at
 * each of the several rules run on it; an ill-formed one keeps PCRE2's check
 * (and its error, read as no match, as before). */
bool ds_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (n - i <= k) return false;
        if (s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t j = 2; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return false;
        i += k + 1;
    }
    return true;
}
