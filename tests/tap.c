/* tap.c — see tap.h */
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>

int tap_run, tap_failed;

void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
    tap_run++;
    if (cond) return;
    tap_failed++;
    va_list ap;
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int tap_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, tap_run - tap_failed, tap_failed);
    return tap_failed ? 1 : 0;
}
