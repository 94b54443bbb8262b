/*
 * clean_text.c — plain text into blocks for the cleaning stage (clean.c):
 * hard-wrapped paragraphs joined, otherwise one block per line; and
 * publication dates read from lines ("Published: 07:18 EST, 2 March 2022").
 */
#include "internal.h"
#include "clean_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- plain text → blocks ------------------------------------------------ */

/* Hard-wrapped text (lines of similar width, paragraphs split by blank lines)
 * is joined into paragraphs; otherwise each non-empty line is a block. */
static bool looks_hard_wrapped(const char *text, size_t len)
{
    size_t lines = 0, mid = 0, blank = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t t = n;
        ds_trim(p, &t);
        if (!t) blank++;
        else {
            lines++;
            if (n >= 50 && n <= 90) mid++;
        }
        p = nl ? nl + 1 : end;
    }
    return blank > 0 && lines >= 6 && mid * 10 >= lines * 6 && lines > blank * 2;
}

bool ds_ends_sentence(const char *s, size_t n)
{
    while (n && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')')) n--;
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80) n -= 3;
    return n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' || s[n - 1] == ':');
}

dossier_status ds_text_to_blocks(ds_arena *a, const char *text, size_t len, ds_vec *blocks)
{
    bool wrapped = looks_hard_wrapped(text, len);
    const char *p = text, *end = text + len;
    ds_buf para = {0};
    dossier_status st = DOSSIER_OK;
#define FLUSH()                                                                   \
    do {                                                                          \
        if (para.n) {                                                             \
            ds_block *b = ds_vec_push(blocks, sizeof(ds_block));                  \
            char *t = b ? ds_arena_strndup(a, para.p, para.n) : NULL;             \
            if (!t) { st = DOSSIER_ENOMEM; goto out; }                            \
            b->text = t;                                                          \
            b->len = para.n;                                                      \
            ds_buf_reset(&para);                                                  \
        }                                                                         \
    } while (0)
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *t = ds_trim(p, &n);
        if (!n) {
            FLUSH();
        } else if (wrapped) {
            if (para.n) ds_buf_putc(&para, ' ');
            ds_buf_put(&para, t, n);
            if (ds_ends_sentence(t, n) && n < 50) FLUSH();   /* short last line */
        } else {
            FLUSH();
            ds_buf_put(&para, t, n);
            FLUSH();
        }
        if (para.oom) {
            st = DOSSIER_ENOMEM;
            goto out;
        }
        p = nl ? nl + 1 : end;
    }
    FLUSH();
out:
#undef FLUSH
    ds_buf_free(&para);
    return st;
}

/* ---- published dates in lines ------------------------------------------- */
static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_at(const char *s, size_t n)
{
    if (n < 3) return 0;
    for (int m = 0; m < 12; m++)
        if (ds_ieq(s, months[m], 3)) return m + 1;
    return 0;
}

bool ds_find_published(const char *line, size_t len, char out[11])
{
    /* Tokens: numbers and month words, in any of the usual orders. */
    int year = 0, month = 0, day = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)line[i];
        if (isdigit(c)) {
            size_t j = i;
            long v = 0;
            while (j < len && isdigit((unsigned char)line[j]) && j - i < 6) v = v * 10 + (line[j++] - '0');
            if (j < len && line[j] == ':') {             /* a time: skip hh:mm */
                while (j < len && (isdigit((unsigned char)line[j]) || line[j] == ':')) j++;
            } else if (j - i == 4 && v >= 1900 && v <= 2100) {
                year = (int)v;
                if (j + 5 < len && line[j] == '-' && isdigit((unsigned char)line[j + 1])) {
                    int m = atoi(line + j + 1), d = 0;     /* ISO 2022-03-02 */
                    const char *dash = memchr(line + j + 1, '-', len - j - 1);
                    if (dash && dash < line + len - 1) d = atoi(dash + 1);
                    if (m >= 1 && m <= 12 && d >= 1 && d <= 31) {
                        month = m;
                        day = d;
                        break;
                    }
                }
            } else if (j - i <= 2 && v >= 1 && v <= 31 && !day) {
                day = (int)v;
            }
            i = j;
        } else if (isalpha(c)) {
            size_t j = i;
            while (j < len && isalpha((unsigned char)line[j])) j++;
            int m = month_at(line + i, j - i);
            /* whole word must be a month name or its abbreviation */
            if (m && (j - i == 3 || (j - i >= 3 && ds_ieq(line + i, "june", j - i < 4 ? j - i : 4)) ||
                      j - i >= 4))
                if (!month) month = m;
            i = j;
        } else {
            i++;
        }
    }
    if (!year || !month || !day) return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day > mdays[month - 1]) return false;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
             (unsigned)day % 100u);
    return true;
}
