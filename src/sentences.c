/*
 * sentences.c — sentence boundaries with byte offsets into doc.text.
 *
 * Rules (one left-to-right pass, linear time):
 *   - a line break always ends a sentence (blocks are joined by blank lines,
 *     so headlines and bullet lines with no final stop stand alone);
 *   - . ! ? … (and runs of them) end a sentence when closing quotes/brackets
 *     and then white space follow, unless:
 *       · the next word starts lower case ("Mr. Smith said… and", "etc. and"),
 *       · the word before is a title abbreviation (Mr., Lt., Gen., No.),
 *       · the word before is a single capital letter (an initial),
 *       · the word before is an "abbr" (U.S., Feb., a.m.) and no typical
 *         sentence opener follows;
 *   - decimals and thousands ("3.5", "5,840") contain no white space after
 *     the dot and never split.
 * Written by hand: no Debian C library segments English sentences with offsets
 * (ICU's break iterator has no abbreviation list and needs UTF-16 buffers).
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ds_sent_rules {
    char **titles, **abbrs, **openers;   /* sorted, lower case, each ds_malloc'd */
    size_t ntitles, nabbrs, nopeners;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_words(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_free(list[i]);
    ds_free(list);
}

void ds_sent_rules_free(ds_sent_rules *r)
{
    if (!r) return;
    free_words(r->titles, r->ntitles);
    free_words(r->abbrs, r->nabbrs);
    free_words(r->openers, r->nopeners);
    ds_free(r);
}

/* Parse "KIND word" or "word" lines into lower-cased word lists. */
static dossier_status load_list(const char *data_dir, const char *name, ds_sent_rules *r,
                                bool kinds, char *err, size_t errlen)
{
    char *path = ds_data_path(data_dir, name), *src = NULL;
    size_t len;
    if (!path) return DOSSIER_ENOMEM;
    dossier_status st = ds_read_file(path, &src, &len);
    if (st != DOSSIER_OK) {
        if (err) snprintf(err, errlen, "%s: cannot read", path);
        ds_free(path);
        return st == DOSSIER_EIO ? DOSSIER_EDATA : st;
    }
    int lineno = 0;
    for (char *line = src, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        for (char *c = line; *c; c++) *c = (char)tolower((unsigned char)*c);
        size_t n = strlen(line);
        char *l = (char *)ds_trim(line, &n);
        l[n] = 0;
        if (!n || l[0] == '#') continue;
        char ***list = &r->openers;
        size_t *cnt = &r->nopeners;
        char *word = l;
        if (kinds) {
            char *sp = strchr(l, ' ');
            if (!sp) {
                if (err) snprintf(err, errlen, "%s:%d: expected \"KIND WORD\"", path, lineno);
                st = DOSSIER_EDATA;
                break;
            }
            *sp = 0;
            word = sp + 1;
            while (*word == ' ') word++;
            if (strcmp(l, "title") == 0) {
                list = &r->titles;
                cnt = &r->ntitles;
            } else if (strcmp(l, "abbr") == 0) {
                list = &r->abbrs;
                cnt = &r->nabbrs;
            } else {
                if (err) snprintf(err, errlen, "%s:%d: unknown kind '%s'", path, lineno, l);
                st = DOSSIER_EDATA;
                break;
            }
        }
        char **nl = ds_realloc(*list, (*cnt + 1) * sizeof(char *));
        char *w = ds_strdup(word);
        if (!nl || !w) {
            if (nl) *list = nl;
            ds_free(w);
            st = DOSSIER_ENOMEM;
            break;
        }
        *list = nl;
        nl[(*cnt)++] = w;
    }
    ds_free(src);
    ds_free(path);
    return st;
}

dossier_status ds_sent_rules_load(const char *data_dir, ds_sent_rules **out, char *err,
                                  size_t errlen)
{
    *out = NULL;
    ds_sent_rules *r = ds_calloc(1, sizeof *r);
    if (!r) return DOSSIER_ENOMEM;
    dossier_status st = load_list(data_dir, "sentences/abbreviations.txt", r, true, err, errlen);
    if (st == DOSSIER_OK)
        st = load_list(data_dir, "sentences/openers.txt", r, false, err, errlen);
    if (st != DOSSIER_OK) {
        ds_sent_rules_free(r);
        return st;
    }
    qsort(r->titles, r->ntitles, sizeof(char *), cmp_str);
    qsort(r->abbrs, r->nabbrs, sizeof(char *), cmp_str);
    qsort(r->openers, r->nopeners, sizeof(char *), cmp_str);
    *out = r;
    return DOSSIER_OK;
}

static bool in_list(char **list, size_t n, const char *w, size_t wn)
{
    char key[32];
    if (wn == 0 || wn >= sizeof key) return false;
    for (size_t i = 0; i < wn; i++) key[i] = (char)tolower((unsigned char)w[i]);
    key[wn] = 0;
    const char *k = key;
    return bsearch(&k, list, n, sizeof(char *), cmp_str) != NULL;
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Byte length of a closing quote/bracket at s, or 0. */
static size_t closer_len(const char *s, const char *end)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
    if (end - s >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x99 || (unsigned char)s[2] == 0x9D || (unsigned char)s[2] == 0xBA))
        return 3;   /* ’ ” › */
    if (end - s >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xBB) return 2;   /* » */
    return 0;
}

/* Byte length of a terminator at s (. ! ? …), or 0. */
static size_t term_len(const char *s, const char *end)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '.' || c == '!' || c == '?') return 1;
    if (end - s >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xA6)
        return 3;
    return 0;
}

/* Does the next word start lower case (ASCII or a Latin/Cyrillic lower letter)? */
static bool starts_lower(const char *s, const char *end)
{
    while (s < end && (*s == '"' || *s == '\'' || *s == '(')) s++;
    if (s >= end) return false;
    unsigned char c = (unsigned char)s[0];
    if (c >= 'a' && c <= 'z') return true;
    if (end - s >= 2 && c == 0xD0 && (unsigned char)s[1] >= 0xB0) return true;   /* а..п */
    if (end - s >= 2 && c == 0xD1 && (unsigned char)s[1] <= 0x9F) return true;   /* р..я ё… */
    return false;
}

dossier_status ds_split_sentences(const ds_sent_rules *r, const char *text, size_t len,
                                  ds_vec *out)
{
    const char *p = text, *end = text + len;
    const char *start = NULL;
#define EMIT(stop)                                                             \
    do {                                                                       \
        const char *e_ = (stop);                                               \
        while (e_ > start && is_space((unsigned char)e_[-1])) e_--;            \
        if (e_ > start) {                                                      \
            ds_sentence *s_ = ds_vec_push(out, sizeof(ds_sentence));           \
            if (!s_) return DOSSIER_ENOMEM;                                    \
            s_->start = (size_t)(start - text);                                \
            s_->end = (size_t)(e_ - text);                                     \
        }                                                                      \
        start = NULL;                                                          \
    } while (0)
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        ds_work[DS_WORK_SENT_STEPS]++;
        if (!start) {
            if (is_space(c)) {
                p++;
                continue;
            }
            start = p;
        }
        if (c == '\n') {
            EMIT(p);
            p++;
            continue;
        }
        size_t tl = term_len(p, end);
        if (!tl) {
            p++;
            continue;
        }
        /* run of terminators, then closers */
        const char *t0 = p, *q = p;
        bool only_dot = true, ellipsis = false;
        size_t nterm = 0;
        while (q < end && (tl = term_len(q, end))) {
            if (*q != '.') only_dot = false;
            if (tl == 3) ellipsis = true;
            nterm++;
            q += tl;
        }
        if (nterm >= 3 && only_dot) ellipsis = true;
        size_t cl;
        while (q < end && (cl = closer_len(q, end))) q += cl;
        if (q < end && !is_space((unsigned char)*q)) {   /* "3.5", "U.S.", "…)" inside */
            p = q;
            continue;
        }
        const char *next = q;
        while (next < end && (*next == ' ' || *next == '\t')) next++;
        if (next >= end || *next == '\n') {
            EMIT(q);
            p = q;
            continue;
        }
        bool split = true;
        if (starts_lower(next, end)) {
            split = false;
        } else if (only_dot && nterm == 1 && !ellipsis) {
            /* the word before the dot */
            const char *w = t0;
            while (w > start && !is_space((unsigned char)w[-1]) && w[-1] != '(' && w[-1] != '"')
                w--;
            size_t wn = (size_t)(t0 - w);
            ds_work[DS_WORK_SENT_STEPS] += wn;
            bool upper1 = wn == 1 && isupper((unsigned char)w[0]);
            if (upper1 || in_list(r->titles, r->ntitles, w, wn)) {
                split = false;
            } else if (in_list(r->abbrs, r->nabbrs, w, wn)) {
                const char *nw = next;
                while (nw < end && (*nw == '"' || *nw == '\'')) nw++;
                const char *ne = nw;
                while (ne < end && isalpha((unsigned char)*ne)) ne++;
                /* a typical opener, or a title ("… 10 p.m. Dr. Lee arrived") */
                split = in_list(r->openers, r->nopeners, nw, (size_t)(ne - nw)) ||
                        (ne < end && *ne == '.' && in_list(r->titles, r->ntitles, nw, (size_t)(ne - nw)));
            }
        } else if (ellipsis && !isupper((unsigned char)*next) && *next != '"') {
            split = false;
        }
        if (split) EMIT(q);
        p = q;
    }
    if (start) EMIT(end);
#undef EMIT
    return DOSSIER_OK;
}
