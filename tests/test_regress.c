/*
 * test_regress.c — replay every file in tests/regress/<target>/ (inputs that once broke
 * dossier, or that a fuzz target found) through the very function the fuzz target
 * fuzz/fuzz_<target>.c runs (fuzz/targets.h).  Under ASan+UBSan a crash, leak or
 * overflow fails the run, and the target aborts when one of its invariants breaks
 * (spans out of range, a record that is not one line, an API answer that is not JSON).
 */
#include "../fuzz/targets.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

/* Replay the files of regress/<name>/; returns how many. */
static int replay_dir(const char *name)
{
    const fuzz_target *t = fuzz_target_named(name);
    CHECK(t != NULL, "regress/%s names a fuzz target", name);
    if (!t) return 0;
    char dir[512];
    snprintf(dir, sizeof dir, "regress/%s", name);
    DIR *d = opendir(dir);
    char *names[1024];
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 1024)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *bytes;
        size_t len;
        dossier_status st = ds_read_file(path, &bytes, &len);
        CHECK(st == DOSSIER_OK, "%s: read", path);
        if (st == DOSSIER_OK) {
            CHECK(t->run((const uint8_t *)bytes, len) == 0, "%s: replayed", path);
            ds_free(bytes);
        }
        free(names[i]);
    }
    return (int)n;
}

int main(void)
{
    DIR *top = opendir("regress");   /* ctest runs us in tests/ */
    CHECK(top != NULL, "tests/regress exists");
    int files = 0;
    struct dirent *t;
    while (top && (t = readdir(top)))
        if (t->d_name[0] != '.' && t->d_type == DT_DIR) files += replay_dir(t->d_name);
    if (top) closedir(top);
    CHECK(files >= 7, "replayed %d regression inputs", files);
    return tap_done("regress");
}
