/*
 * test_times.c — date normalisation and finding: the data-driven cases of
 * tests/data/dates_cases.tsv (absolute, partial, months, years, relative
 * against the publication date, ambiguous numeric dates, non-dates).
 */
#include "internal.h"
#include "tap.h"

#include <stdio.h>
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

static void check_value(const char *what, const char *published, const char *text,
                        const char *want_value, const char *want_prec)
{
    ds_time t;
    memset(&t, 0, sizeof t);
    t.text = text;
    ds_resolve_time(published, &t);
    const char *prec = ds_time_precision_names[t.precision ? t.precision : DS_TPREC_UNRESOLVED];
    const char *value = t.value[0] ? t.value : "-";
    CHECK(!strcmp(value, want_value) && !strcmp(prec, want_prec),
          "%s '%s' (published %s): got %s %s, want %s %s", what, text,
          published ? published : "-", value, prec, want_value, want_prec);
    CHECK(t.text == text, "text kept");
}

int main(void)
{
    const char *path = "data/dates_cases.tsv";
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open %s", path);
    int cases = 0;
    char line[1024];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *c[6];
        int n = split(line, c, 6);
        if (n < 5) continue;
        cases++;
        const char *pub = strcmp(c[1], "-") ? c[1] : NULL;
        if (!strcmp(c[0], "resolve")) {
            check_value("resolve", pub, c[2], c[3], c[4]);
            continue;
        }
        size_t st = 0, en = 0;
        bool found = ds_find_time(c[2], strlen(c[2]), &st, &en);
        const char *want_span = n > 5 ? c[5] : "-";
        if (!strcmp(want_span, "-")) {
            CHECK(!found, "find in '%s': nothing expected, found '%.*s'", c[2], (int)(en - st),
                  c[2] + st);
            continue;
        }
        CHECK(found && en - st == strlen(want_span) && !memcmp(c[2] + st, want_span, en - st),
              "find in '%s': got '%.*s', want '%s'", c[2], found ? (int)(en - st) : 0,
              found ? c[2] + st : "", want_span);
        if (found) {
            char span[256];
            snprintf(span, sizeof span, "%.*s", (int)(en - st), c[2] + st);
            check_value("found", pub, span, c[3], c[4]);
        }
    }
    if (f) fclose(f);
    CHECK(cases >= 100, "at least 100 date cases (%d)", cases);

    /* no text: nothing to do, nothing touched */
    ds_time t;
    memset(&t, 0, sizeof t);
    ds_resolve_time("2022-03-07", &t);
    CHECK(t.text == NULL && t.precision == DS_TPREC_NONE, "NULL text stays null");
    /* long and hostile input: bounded, no crash */
    char big[5000];
    memset(big, '2', sizeof big - 1);
    big[sizeof big - 1] = 0;
    t.text = big;
    ds_resolve_time("2022-03-07", &t);
    CHECK(t.precision == DS_TPREC_UNRESOLVED, "digits only: unresolved");
    size_t s, e;
    CHECK(!ds_find_time(big, strlen(big), &s, &e), "digits only: nothing found");
    CHECK(!ds_find_time("", 0, &s, &e), "empty: nothing found");
    return tap_done("test_times");
}
