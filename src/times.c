/*
 * times.c — date expressions: find them in a sentence (ds_find_time) and
 * normalise them to TIMEX3-style partial dates (ds_resolve_time).
 *
 *   absolute   24 February 2022, Feb. 24, 2022, 2022-02-24, 24.02.2022,
 *              2/24/2022 (only when day and month cannot be swapped)  → day
 *   partial    February 24, on the 24th of February → XXXX-02-24 (the year
 *              only when the text gives it, as records v1 specifies)
 *   months     in February 2022 → 2022-02; early March → XXXX-03 / year
 *   years      in 2024, since 2022, mid-2023 → 2024
 *   relative   today, yesterday, last night, on Monday, last Saturday, two
 *              weeks ago, last month, earlier this year … resolved against
 *              published; unresolved without it.
 * Hand-written: no Debian library parses English date phrases; calendar
 * arithmetic is the usual era arithmetic on day numbers (civil_days).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens ------------------------------------------------------------ */
typedef enum { T_WORD, T_NUM, T_PUNCT } tok_kind;
typedef struct tok {
    size_t start, end;
    tok_kind kind;
    int num;            /* T_NUM value */
    int ndigits;
    bool ordinal;       /* 24th */
    bool cap;           /* word starts with a capital */
    bool dot_after;     /* "Feb." */
    char w[16];         /* lower-case word (truncated) */
    char sep;           /* T_NUM: separator right after ('/', '-', '.') or 0 */
} tok;

#define MAX_TOKS 512

/* The C locale's classes, inline (the <ctype.h> ones cost a call each). */
static inline bool c_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static inline bool c_digit(unsigned char c) { return (unsigned)(c - '0') < 10u; }
static inline bool c_upper(unsigned char c) { return (unsigned)(c - 'A') < 26u; }
static inline bool c_alpha(unsigned char c) { return c_upper(c) || (unsigned)(c - 'a') < 26u; }
static inline char c_lower(unsigned char c) { return (char)(c_upper(c) ? c + 32 : c); }

static size_t tokenize(const char *s, size_t n, tok *t, size_t max)
{
    size_t nt = 0, i = 0;
    while (i < n && nt < max) {
        unsigned char c = (unsigned char)s[i];
        if (c_space(c)) { i++; continue; }
        tok *k = &t[nt];
        memset(k, 0, sizeof *k);
        k->start = i;
        if (c_digit(c)) {
            long v = 0;
            int nd = 0;
            while (i < n && c_digit((unsigned char)s[i])) {
                if (nd < 9) v = v * 10 + (s[i] - '0');
                nd++;
                i++;
            }
            k->kind = T_NUM;
            k->num = (int)v;
            k->ndigits = nd;
            if (i + 1 < n + 1 && i + 2 <= n) {
                char a = c_lower((unsigned char)s[i]), b = c_lower((unsigned char)s[i + 1]);
                bool suf = (a == 's' && b == 't') || (a == 'n' && b == 'd') ||
                           (a == 'r' && b == 'd') || (a == 't' && b == 'h');
                if (suf && (i + 2 == n || !c_alpha((unsigned char)s[i + 2]))) {
                    k->ordinal = true;
                    i += 2;
                }
            }
            if (i < n && (s[i] == '/' || s[i] == '-' || s[i] == '.') && i + 1 < n &&
                c_digit((unsigned char)s[i + 1]))
                k->sep = s[i];
        } else if (c_alpha(c)) {
            size_t j = i, o = 0;
            k->cap = c_upper(c);
            while (j < n && c_alpha((unsigned char)s[j])) {
                if (o < sizeof k->w - 1) k->w[o++] = c_lower((unsigned char)s[j]);
                j++;
            }
            k->w[o] = 0;
            k->kind = T_WORD;
            i = j;
            if (i < n && s[i] == '.') k->dot_after = true;
        } else {
            k->kind = T_PUNCT;
            k->w[0] = (char)c;
            /* skip a whole UTF-8 sequence */
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        }
        k->end = i;
        nt++;
    }
    return nt;
}

/* a == b for a token's word and a literal: the first byte decides most
 * comparisons without a call */
static inline bool weq(const char *a, const char *b) { return a[0] == b[0] && !strcmp(a, b); }

static bool is_w(const tok *t, size_t nt, size_t i, const char *w)
{
    return i < nt && t[i].kind == T_WORD && weq(t[i].w, w);
}

static bool is_p(const tok *t, size_t nt, size_t i, char c)
{
    return i < nt && t[i].kind == T_PUNCT && t[i].w[0] == c;
}

static const char *const months[12] = {"january", "february", "march", "april", "may", "june",
                                       "july", "august", "september", "october", "november",
                                       "december"};

/* 1..12 when t is a month name or its abbreviation; strict asks for a capital
 * and, for abbreviations and the words "May" and "March", more evidence. */
static int month_of(const tok *k)
{
    if (k->kind != T_WORD) return 0;
    size_t n = strlen(k->w);
    for (int m = 0; m < 12; m++) {
        if (weq(k->w, months[m])) return m + 1;
        if ((n == 3 || (n == 4 && weq(k->w, "sept"))) && k->w[0] == months[m][0] &&
            !strncmp(k->w, months[m], 3) && m != 4)
            return m + 1;
    }
    return 0;
}

static const char *const wdays[7] = {"sunday", "monday", "tuesday", "wednesday", "thursday",
                                     "friday", "saturday"};
static int weekday_of(const tok *k)
{
    if (k->kind != T_WORD) return -1;
    for (int d = 0; d < 7; d++)
        if (weq(k->w, wdays[d])) return d;
    return -1;
}

static int number_word(const tok *k)
{
    static const char *const w[] = {"zero", "one", "two", "three", "four", "five", "six",
                                    "seven", "eight", "nine", "ten", "eleven", "twelve"};
    if (k->kind == T_NUM && k->ndigits <= 3) return k->num;
    if (k->kind != T_WORD) return -1;
    for (int i = 0; i < 13; i++)
        if (weq(k->w, w[i])) return i;
    if (weq(k->w, "a") || weq(k->w, "an")) return 1;
    return -1;
}

/* ---- calendar ------------------------------------------------------------ */
typedef struct ymd {
    int y, m, d;
} ymd;

static bool valid_day(int y, int m, int d)
{
    static const int md[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > md[m - 1]) return false;
    if (m == 2 && d == 29 && y > 0 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back: the usual
 * era arithmetic (400-year cycles of 146097 days), hand-written because
 * timegm/gmtime_r cost more than the rest of a date's resolution.  to_days
 * keeps what timegm(noon) / 86400 gave: truncation, so dates before 1970
 * count one day later. */
static long civil_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static long to_days(ymd a)
{
    long days = civil_days(a.y, a.m, a.d);
    return (days * 86400 + 43200) / 86400;
}

static ymd from_days(long days, int *wday)
{
    if (wday) *wday = (int)(((days % 7) + 7 + 4) % 7);   /* 1970-01-01 was a Thursday */
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (ymd){(int)(yoe + era * 400 + (m <= 2)), m, d};
}

/* sscanf's %Nd: blanks, then at most width characters of sign and digits */
static bool scan_int(const char **pp, int width, int *out)
{
    const char *p = *pp;
    while (c_space((unsigned char)*p)) p++;
    int sign = 1, w = 0;
    if (*p == '-' || *p == '+') {
        sign = *p == '-' ? -1 : 1;
        p++;
        w++;
    }
    long v = 0;
    int nd = 0;
    while (w < width && c_digit((unsigned char)*p)) {
        v = v * 10 + (*p++ - '0');
        w++;
        nd++;
    }
    if (!nd) return false;
    *out = (int)(sign * v);
    *pp = p;
    return true;
}

static bool parse_published(const char *p, ymd *out)
{
    if (!p || strlen(p) < 10) return false;
    int y, m, d;
    const char *q = p;   /* as sscanf(p, "%4d-%2d-%2d") */
    if (!scan_int(&q, 4, &y) || *q++ != '-' || !scan_int(&q, 2, &m) || *q++ != '-' ||
        !scan_int(&q, 2, &d) || !valid_day(y, m, d) || y < 1900)
        return false;
    *out = (ymd){y, m, d};
    return true;
}

/* ---- matching -------------------------------------------------------------- */
typedef enum { R_NONE, R_DAY, R_MONTH, R_YEAR, R_UNRESOLVED } res_prec;

typedef struct match {
    size_t first, last;     /* token range, inclusive */
    res_prec prec;
    int y, m, d;            /* y = 0: year unknown */
    bool partial;           /* year to take from published */
    int rel_days;           /* relative: published + rel_days (kind 1) */
    int rel_kind;           /* 0 absolute, 1 day offset, 2 weekday, 3 month offset, 4 year offset */
    int weekday, week_dir;  /* kind 2: -1 last (strictly before), 0 on (≤ published), +1 next */
} match;

/* Words that may stand before a bare year in running text. */
static const char *const year_cues[] = {
    "in", "since", "until", "till", "of", "during", "early", "late", "mid", "throughout",
    "from", "spring", "summer", "autumn", "fall", "winter", "year", "end", "start",
    "beginning", "circa", NULL};
/* Words that may also stand before a count ("around 2000 troops"). */
static const char *const weak_year_cues[] = {"by", "before", "after", "between", "and", "to",
                                             "through", "around", NULL};
static const char *const year_followers[] = {
    "and", "to", "when", "after", "before", "the", "in", "as", "was", "were", "that", "until",
    "onwards", "onward", "through", "invasion", "war", "election", "elections", "offensive",
    "counteroffensive", "alone", "so", "but", "or", "it", "he", "she", "they", "we", NULL};
static bool in_list(const char *w, const char *const *l)
{
    for (int i = 0; l[i]; i++)
        if (weq(w, l[i])) return true;
    return false;
}

static bool year_ok(const tok *k) { return k->kind == T_NUM && k->ndigits == 4 && k->num >= 1900 && k->num <= 2099; }
static bool day_ok(const tok *k) { return k->kind == T_NUM && k->ndigits <= 2 && k->num >= 1 && k->num <= 31; }

/* A month word counts in strict mode when capitalised; "May" and "March"
 * also need a number or a month cue beside them (may/march are verbs). */
static int month_at(const tok *t, size_t nt, size_t i, bool strict)
{
    int m = month_of(&t[i]);
    if (!m) return 0;
    bool abbrev = strcmp(t[i].w, months[m - 1]) != 0;
    if (!strict) return m;
    if (!t[i].cap) return 0;
    bool num_next = i + 1 < nt && (day_ok(&t[i + 1]) || year_ok(&t[i + 1]));
    if (i + 2 < nt && is_p(t, nt, i + 1, '.') && (day_ok(&t[i + 2]) || year_ok(&t[i + 2])))
        num_next = true;
    bool num_prev = i > 0 && day_ok(&t[i - 1]);
    bool of_prev = i > 1 && is_w(t, nt, i - 1, "of") && day_ok(&t[i - 2]);
    if (abbrev && !num_next && !num_prev && !of_prev) return 0;
    if (m == 5 || m == 3) {
        static const char *const cues[] = {"in", "of", "early", "late", "mid", "since", "until",
                                           "by", "last", "next", "this", "from", "during",
                                           "end", "beginning", "on", NULL};
        bool cue = i > 0 && t[i - 1].kind == T_WORD && in_list(t[i - 1].w, cues);
        if (i > 0 && is_p(t, nt, i - 1, '-') && i > 1 && is_w(t, nt, i - 2, "mid")) cue = true;
        if (!num_next && !num_prev && !of_prev && !cue) return 0;
    }
    return m;
}

/* Skip a '.' or ',' token at i (after "Feb." or "24,"). */
static size_t skip_punct(const tok *t, size_t nt, size_t i, char c)
{
    return is_p(t, nt, i, c) ? i + 1 : i;
}

/* N days/weeks/months/years ago; a few days ago */
static bool match_ago(const tok *t, size_t nt, size_t i, match *r)
{
    const tok *k = &t[i];
    {
        size_t j = i;
        int n = number_word(k);
        bool vague = false;
        if (n < 0 && (weq(k->w, "several") || weq(k->w, "few") || weq(k->w, "couple"))) {
            vague = strcmp(k->w, "couple") != 0;
            n = vague ? 3 : 2;
            if (is_w(t, nt, j + 1, "of")) j++;
        }
        if (n >= 0 && (weq(k->w, "a") || weq(k->w, "an")) &&
            (is_w(t, nt, j + 1, "few") || is_w(t, nt, j + 1, "couple"))) {
            vague = is_w(t, nt, j + 1, "few");
            n = vague ? 3 : 2;
            j++;
            if (is_w(t, nt, j + 1, "of")) j++;
        }
        if (n >= 0 && j + 2 < nt && t[j + 1].kind == T_WORD && is_w(t, nt, j + 2, "ago")) {
            const char *u = t[j + 1].w;
            r->last = j + 2;
            if (weq(u, "day") || weq(u, "days")) {
                r->rel_kind = 1, r->rel_days = -n, r->prec = vague ? R_MONTH : R_DAY;
                return true;
            }
            if (weq(u, "week") || weq(u, "weeks")) {
                r->rel_kind = 1, r->rel_days = -7 * n, r->prec = vague ? R_MONTH : R_DAY;
                return true;
            }
            if (weq(u, "month") || weq(u, "months")) {
                r->rel_kind = 3, r->rel_days = -n, r->prec = vague ? R_YEAR : R_MONTH;
                return true;
            }
            if (weq(u, "year") || weq(u, "years")) {
                r->rel_kind = 4, r->rel_days = -n, r->prec = vague ? R_UNRESOLVED : R_YEAR;
                return true;
            }
        }
    }
    return false;
}

static bool match_at(const tok *t, size_t nt, size_t i, bool strict, match *r)
{
    memset(r, 0, sizeof *r);
    r->first = i;
    const tok *k = &t[i];
    int m;

    /* ISO 2022-02-24, dotted 24.02.2022, slashed 2/24/2022 */
    if (k->kind == T_NUM && k->sep && i + 4 < nt && t[i + 2].kind == T_NUM &&
        is_p(t, nt, i + 1, k->sep) && is_p(t, nt, i + 3, k->sep) && t[i + 4].kind == T_NUM &&
        t[i + 2].sep == k->sep) {
        int a = k->num, b = t[i + 2].num, c = t[i + 4].num;
        r->last = i + 4;
        if (k->ndigits == 4 && k->sep == '-') {
            r->y = a, r->m = b, r->d = c;
        } else if (t[i + 4].ndigits == 4) {
            r->y = c;
            if (k->sep == '.' || a > 12) r->d = a, r->m = b;       /* day first */
            else if (b > 12) r->m = a, r->d = b;                    /* US month first */
            else if (a == b) r->m = a, r->d = b;
            else { r->prec = R_UNRESOLVED; return !strict; }        /* 2/3/2022: ambiguous */
        } else {
            return false;
        }
        if (!valid_day(r->y, r->m, r->d) || r->y < 1900 || r->y > 2099) {
            r->prec = R_UNRESOLVED;   /* 13/13/2022: a date, but no valid one */
            return !strict;
        }
        r->prec = R_DAY;
        return true;
    }
    /* ISO month 2022-02 */
    if (k->kind == T_NUM && k->ndigits == 4 && k->sep == '-' && i + 2 < nt &&
        t[i + 2].kind == T_NUM && t[i + 2].ndigits == 2 && !t[i + 2].sep && year_ok(k) &&
        t[i + 2].num >= 1 && t[i + 2].num <= 12) {
        r->last = i + 2;
        r->y = k->num, r->m = t[i + 2].num;
        r->prec = R_MONTH;
        return true;
    }

    /* [the] 24[th] [of] February [,] [2022] */
    {
        size_t j = i;
        if (is_w(t, nt, j, "the")) j++;
        if (j < nt && day_ok(&t[j]) && (strict ? !t[j].sep : true)) {
            size_t d = j++;
            if (is_w(t, nt, j, "of")) j++;
            if (j < nt && (m = month_at(t, nt, j, strict)) != 0) {
                r->d = t[d].num, r->m = m;
                r->last = j;
                j = skip_punct(t, nt, j + 1, '.');
                size_t y = skip_punct(t, nt, j, ',');
                if (y < nt && year_ok(&t[y])) {
                    r->y = t[y].num;
                    r->last = y;
                }
                if (!valid_day(r->y ? r->y : 2000, r->m, r->d)) {
                    r->prec = R_UNRESOLVED;   /* 31 February */
                    return !strict;
                }
                r->prec = R_DAY;
                r->partial = r->y == 0;
                return true;
            }
        }
    }
    /* February 24[th] [,] [2022] | February [of] 2022 | February */
    if ((m = month_at(t, nt, i, strict)) != 0) {
        size_t j = skip_punct(t, nt, i + 1, '.');
        if (j < nt && day_ok(&t[j]) && !(t[j].ndigits == 4)) {
            r->m = m, r->d = t[j].num;
            r->last = j;
            size_t y = skip_punct(t, nt, j + 1, ',');
            if (y < nt && year_ok(&t[y])) {
                r->y = t[y].num;
                r->last = y;
            } else if (is_p(t, nt, j + 1, '-') && j + 2 < nt && day_ok(&t[j + 2])) {
                r->last = j + 2;   /* February 24-25: the first day */
                size_t y2 = skip_punct(t, nt, j + 3, ',');
                if (y2 < nt && year_ok(&t[y2])) r->y = t[y2].num, r->last = y2;
            }
            if (!valid_day(r->y ? r->y : 2000, r->m, r->d)) {
                r->prec = R_UNRESOLVED;
                return !strict;
            }
            r->prec = R_DAY;
            r->partial = r->y == 0;
            return true;
        }
        if (is_w(t, nt, j, "of")) j++;
        if (j < nt && year_ok(&t[j])) {
            r->m = m, r->y = t[j].num;
            r->last = j;
            r->prec = R_MONTH;
            return true;
        }
        r->m = m;
        r->last = i;
        r->prec = R_MONTH;
        r->partial = true;
        return true;
    }
    /* years: 2024, mid-2023, the 2022 */
    if (year_ok(k) && !k->sep) {
        bool cue = !strict, weak = false;
        if (i > 0 && t[i - 1].kind == T_WORD && in_list(t[i - 1].w, year_cues)) cue = true;
        if (i > 0 && t[i - 1].kind == T_WORD && in_list(t[i - 1].w, weak_year_cues)) cue = weak = true;
        if (i > 1 && is_p(t, nt, i - 1, '-') && is_w(t, nt, i - 2, "mid")) cue = true;
        if (i > 0 && is_p(t, nt, i - 1, '(')) cue = true;
        /* after a weak cue, not a count: "around 2000 troops" */
        if (strict && weak && i + 1 < nt && t[i + 1].kind == T_WORD && !t[i + 1].cap &&
            !in_list(t[i + 1].w, year_followers))
            cue = false;
        if (!cue) return false;
        r->y = k->num;
        r->last = i;
        r->prec = R_YEAR;
        return true;
    }
    if (k->kind == T_NUM) return match_ago(t, nt, i, r);
    if (k->kind != T_WORD) return false;

    /* relative days */
    if (weq(k->w, "today") || weq(k->w, "tonight")) {
        r->rel_kind = 1, r->rel_days = 0, r->last = i, r->prec = R_DAY;
        return true;
    }
    if (weq(k->w, "yesterday")) {
        r->rel_kind = 1, r->rel_days = -1, r->last = i, r->prec = R_DAY;
        return true;
    }
    if (weq(k->w, "tomorrow")) {
        r->rel_kind = 1, r->rel_days = 1, r->last = i, r->prec = R_DAY;
        return true;
    }
    if (weq(k->w, "the") && is_w(t, nt, i + 1, "day") && is_w(t, nt, i + 2, "before") &&
        is_w(t, nt, i + 3, "yesterday")) {
        r->rel_kind = 1, r->rel_days = -2, r->last = i + 3, r->prec = R_DAY;
        return true;
    }
    if ((weq(k->w, "last") || weq(k->w, "this")) &&
        (is_w(t, nt, i + 1, "night") || is_w(t, nt, i + 1, "evening") ||
         is_w(t, nt, i + 1, "morning") || is_w(t, nt, i + 1, "afternoon"))) {
        bool last = weq(k->w, "last");
        r->rel_kind = 1, r->rel_days = last ? -1 : 0, r->last = i + 1, r->prec = R_DAY;
        if (last && !is_w(t, nt, i + 1, "night")) r->rel_days = -1;
        return true;
    }
    if (weq(k->w, "earlier") && is_w(t, nt, i + 1, "today")) {
        r->rel_kind = 1, r->rel_days = 0, r->last = i + 1, r->prec = R_DAY;
        return true;
    }
    /* weekdays: on Monday, last Saturday, next Friday, Monday night */
    {
        size_t j = i;
        int dir = 0;
        if (weq(k->w, "last") || weq(k->w, "past")) dir = -1, j++;
        else if (weq(k->w, "next") || weq(k->w, "coming")) dir = 1, j++;
        else if (weq(k->w, "this")) j++;
        else if (weq(k->w, "on")) j++;
        int wd = j < nt ? weekday_of(&t[j]) : -1;
        if (wd >= 0 && (!strict || t[j].cap)) {
            /* "Monday, February 28": the explicit date wins */
            size_t a = skip_punct(t, nt, j + 1, ',');
            match inner;
            if (a < nt && match_at(t, nt, a, strict, &inner) && inner.prec == R_DAY && !inner.rel_kind) {
                *r = inner;
                r->first = i;
                return true;
            }
            r->rel_kind = 2, r->weekday = wd, r->week_dir = dir, r->last = j, r->prec = R_DAY;
            if (j + 1 < nt && (is_w(t, nt, j + 1, "night") || is_w(t, nt, j + 1, "morning") ||
                               is_w(t, nt, j + 1, "evening") || is_w(t, nt, j + 1, "afternoon")))
                r->last = j + 1;
            return true;
        }
    }
    /* last/this/next week, month, year; earlier/later this month */
    {
        size_t j = i;
        int dir = 99;
        if (weq(k->w, "earlier") || weq(k->w, "later")) {
            if (is_w(t, nt, j + 1, "this")) j++, dir = 0;
        } else if (weq(k->w, "last") || weq(k->w, "past") || weq(k->w, "previous")) {
            dir = -1;
        } else if (weq(k->w, "this") || weq(k->w, "current")) {
            dir = 0;
        } else if (weq(k->w, "next")) {
            dir = 1;
        }
        if (dir != 99 && j + 1 < nt) {
            const char *u = t[j + 1].w;
            if (t[j + 1].kind == T_WORD && (weq(u, "week") || weq(u, "weekend"))) {
                r->rel_kind = 1, r->rel_days = 7 * dir, r->last = j + 1, r->prec = R_MONTH;
                return true;
            }
            if (t[j + 1].kind == T_WORD && weq(u, "month")) {
                r->rel_kind = 3, r->rel_days = dir, r->last = j + 1, r->prec = R_MONTH;
                return true;
            }
            if (t[j + 1].kind == T_WORD && weq(u, "year")) {
                r->rel_kind = 4, r->rel_days = dir, r->last = j + 1, r->prec = R_YEAR;
                return true;
            }
        }
    }
    return match_ago(t, nt, i, r);
}

/* The value by printf: what the hand formatting below writes, for any ints. */
static void fill_printf(res_prec prec, ymd v, ds_time *t)
{
    switch (prec) {
    case R_DAY:
        if (v.y) snprintf(t->value, sizeof t->value, "%04d-%02d-%02d", v.y % 10000, v.m % 100, v.d % 100);
        else snprintf(t->value, sizeof t->value, "XXXX-%02d-%02d", v.m % 100, v.d % 100);
        t->precision = DS_TPREC_DAY;
        break;
    case R_MONTH:
        if (v.y) snprintf(t->value, sizeof t->value, "%04d-%02d", v.y % 10000, v.m % 100);
        else snprintf(t->value, sizeof t->value, "XXXX-%02d", v.m % 100);
        t->precision = DS_TPREC_MONTH;
        break;
    case R_YEAR:
        snprintf(t->value, sizeof t->value, "%04d", v.y % 10000);
        t->precision = DS_TPREC_YEAR;
        break;
    default:
        break;
    }
}

/* v (0 <= v < 10^width) in width digits, zero-padded */
static char *put_num(char *o, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10) o[i] = (char)('0' + v % 10);
    return o + width;
}

/* Widen a match over leading words that belong to it: "on", "early",
 * "since" are not part of the value but are kept out of the span. */
static void fill_value(const match *r, const ymd *pub, ds_time *t)
{
    t->value[0] = 0;
    t->precision = DS_TPREC_UNRESOLVED;
    ymd v = {r->y, r->m, r->d};
    res_prec prec = r->prec;
    if (prec == R_UNRESOLVED || prec == R_NONE) return;
    if (r->rel_kind) {
        if (!pub) return;
        long base = to_days(*pub);
        int wd;
        from_days(base, &wd);
        switch (r->rel_kind) {
        case 1:
            v = from_days(base + r->rel_days, NULL);
            break;
        case 2: {
            int back = (wd - r->weekday + 7) % 7;   /* days back to that weekday, 0..6 */
            long day;
            if (r->week_dir < 0) day = base - (back ? back : 7);
            else if (r->week_dir > 0) day = base + ((r->weekday - wd + 7) % 7 ? (r->weekday - wd + 7) % 7 : 7);
            else day = base - back;
            v = from_days(day, NULL);
            break;
        }
        case 3: {
            int mm = pub->y * 12 + (pub->m - 1) + r->rel_days;
            v = (ymd){mm / 12, mm % 12 + 1, 1};
            break;
        }
        case 4:
            v = (ymd){pub->y + r->rel_days, 1, 1};
            break;
        default:
            return;
        }
    }
    /* A partial date ("on February 24") keeps XXXX even when the publication
     * date is known: records v1 writes the year only when the text gives it
     * (spec example: published 2022-03-02, "on February 24" → XXXX-02-24). */
    if (v.y < 0 || v.m < 0 || v.d < 0) {   /* (not from the matcher) as printf would */
        fill_printf(prec, v, t);
        return;
    }
    char *o = t->value;
    if (v.y || prec == R_YEAR) o = put_num(o, v.y % 10000, 4);
    else memcpy(o, "XXXX", 4), o += 4;
    switch (prec) {
    case R_DAY:
        *o++ = '-';
        o = put_num(o, v.m % 100, 2);
        *o++ = '-';
        o = put_num(o, v.d % 100, 2);
        t->precision = DS_TPREC_DAY;
        break;
    case R_MONTH:
        *o++ = '-';
        o = put_num(o, v.m % 100, 2);
        t->precision = DS_TPREC_MONTH;
        break;
    case R_YEAR:
        t->precision = DS_TPREC_YEAR;
        break;
    default:
        o = t->value;
        break;
    }
    *o = 0;
}

/* Reporting verbs: a date right after one is the time of the statement
 * ("said on Monday"), not of the event. */
static bool statement_time(const tok *t, size_t nt, size_t first)
{
    static const char *const verbs[] = {"said", "says", "told", "announced", "reported",
                                        "stated", "claimed", "added", "wrote", "posted",
                                        "published", "confirmed", "denied", "alleged",
                                        "tweeted", "updated", NULL};
    for (size_t b = 1; b <= 3 && b <= first; b++) {
        const tok *k = &t[first - b];
        if (k->kind != T_WORD) continue;
        if (in_list(k->w, verbs)) return true;
    }
    return false;
}

/* The date expression of a sentence: the first one, unless it dates a
 * statement ("said on Monday that … on February 24") and another follows.
 * "on February 24" keeps its "on"; "in 2024" is found as "2024". */
bool ds_find_time(const char *s, size_t n, size_t *start, size_t *end)
{
    tok t[MAX_TOKS];
    size_t nt = tokenize(s, n, t, MAX_TOKS);
    bool have = false;
    size_t bs = 0, be = 0;
    for (size_t i = 0; i < nt; i++) {
        match r;
        if (!match_at(t, nt, i, true, &r)) continue;
        if (r.prec == R_UNRESOLVED) {
            i = r.last;
            continue;
        }
        size_t first = r.first;
        if (first > 0 && (is_w(t, nt, first - 1, "on") || is_w(t, nt, first - 1, "since")) &&
            !r.rel_kind)
            first--;
        size_t e = t[r.last].end;
        if (t[r.last].dot_after && e < n && s[e] == '.' && month_of(&t[r.last])) e++;
        bool statement = statement_time(t, nt, first);
        /* keep the first; replace it only by a date that is not a statement's */
        if (!have) {
            bs = t[first].start, be = e;
            have = true;
            if (!statement) break;
        } else if (!statement) {
            bs = t[first].start, be = e;
            break;
        }
        i = r.last;
    }
    if (!have) return false;
    *start = bs;
    *end = be;
    return true;
}

void ds_resolve_time(const char *published, ds_time *t)
{
    if (!t->text) return;
    t->value[0] = 0;
    t->precision = DS_TPREC_UNRESOLVED;
    ymd pub;
    bool have_pub = parse_published(published, &pub);
    tok tk[MAX_TOKS];
    size_t n = strlen(t->text);
    size_t nt = tokenize(t->text, n, tk, MAX_TOKS);
    /* the expression that tells the most: a day beats a month beats a year */
    match best;
    memset(&best, 0, sizeof best);
    bool found = false;
    for (size_t i = 0; i < nt; i++) {
        match r;
        if (!match_at(tk, nt, i, false, &r)) continue;
        if (!found || (r.prec != R_UNRESOLVED && (best.prec == R_UNRESOLVED || r.prec < best.prec))) {
            best = r;
            found = true;
        }
        i = r.last;
    }
    if (found) fill_value(&best, have_pub ? &pub : NULL, t);
}
