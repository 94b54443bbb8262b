/* fuzz_dates.c — date finding and normalisation: a first line of the form
 * YYYY-MM-DD (any bytes in the digit places) is the publication date, the
 * rest the text.  Runs ds_find_time over the text and ds_resolve_time on the
 * whole text and on the span found, with and without the publication date.
 * Checks the span is in range and the value has the shape its precision
 * says (YYYY-MM-DD / XXXX-MM-DD, YYYY-MM, YYYY, empty). */
#include "fuzz.h"

#include <ctype.h>

static void check(const ds_time *t)
{
    const char *v = t->value;
    size_t n = strnlen(v, sizeof t->value);
    if (n == sizeof t->value) abort();
    switch (t->precision) {
    case DS_TPREC_DAY:
        if (n != 10 || v[4] != '-' || v[7] != '-') abort();
        break;
    case DS_TPREC_MONTH:
        if (n != 7 || v[4] != '-') abort();
        break;
    case DS_TPREC_YEAR:
        if (n != 4) abort();
        break;
    case DS_TPREC_NONE:
    case DS_TPREC_UNRESOLVED:
        break;
    default:
        abort();
    }
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)v[i]) && v[i] != '-' && v[i] != 'X') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    char pub[11] = "";
    if (size >= 11 && data[4] == '-' && data[7] == '-' && data[10] == '\n') {
        memcpy(pub, data, 10);
        data += 11, size -= 11;
    }
    bool repaired;
    size_t n;
    char *s = ds_utf8_repair(a, data, size, &n, &repaired);
    if (s) {
        ds_time t = {0};
        t.text = s;
        ds_resolve_time(pub[0] ? pub : NULL, &t);
        check(&t);
        memset(&t, 0, sizeof t);
        t.text = s;
        ds_resolve_time(NULL, &t);
        check(&t);
        size_t st, en;
        if (ds_find_time(s, n, &st, &en)) {
            if (st > en || en > n) abort();
            memset(&t, 0, sizeof t);
            t.text = ds_arena_strndup(a, s + st, en - st);
            if (t.text) {
                ds_resolve_time(pub[0] ? pub : NULL, &t);
                check(&t);
            }
        }
    }
    ds_arena_free(a);
    return 0;
}
