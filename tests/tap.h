/*
 * tap.h — the smallest test harness: CHECK(cond, fmt, ...) counts and reports
 * failures with file:line; tap_done() prints "N passed, N failed" and returns
 * the exit code.
 */
#ifndef DOSSIER_TAP_H
#define DOSSIER_TAP_H
#include <stdio.h>
#include <string.h>

extern int tap_run, tap_failed;
void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int tap_done(const char *name);

#define CHECK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_STR(got, want)                                                              \
    tap_ok((got) && (want) && strcmp((got), (want)) == 0, __FILE__, __LINE__,             \
           "got '%s', want '%s'", (got) ? (got) : "(null)", (want) ? (want) : "(null)")
#endif
