/*
 * placeindex.c — open the binary gazetteer index (layout in gazetteer.h,
 * built by gazbuild.c) and check it: the format version in its magic, and
 * every table inside the file.  A missing index is no error (places then
 * resolve as unresolved); a stale or corrupt one is, with "run
 * scripts/setup".  Lookups in it are in placeint.h.
 */
#include "placeint.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_err(char *err, size_t errlen, const char *what, const char *path)
{
    if (err && errlen) snprintf(err, errlen, "%s: %s", path, what);
}

dossier_status ds_gazetteer_open(const char *gen_dir, ds_gazetteer **out, char *err,
                                 size_t errlen)
{
    *out = NULL;
    if (!gen_dir) return DOSSIER_OK;
    char *path = ds_data_path(gen_dir, DS_GZ_FILE);
    if (!path) return DOSSIER_ENOMEM;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {   /* not built: every location resolves as unresolved */
        ds_free(path);
        return DOSSIER_OK;
    }
    struct stat st;
    dossier_status rc = DOSSIER_OK;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(ds_gz_header))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        set_err(err, errlen, "cannot map the gazetteer index", path);
        ds_free(path);
        return DOSSIER_EDATA;
    }
    const ds_gz_header *h = map;
    size_t size = (size_t)st.st_size;
    bool ok = !memcmp(h->magic, DS_GZ_MAGIC, 8) && h->file_size == size;
    /* every table inside the file */
    uint64_t ends[] = {h->off_places + (uint64_t)h->nplaces * sizeof(ds_gz_place),
                       h->off_admin1 + (uint64_t)h->nadmin1 * sizeof(ds_gz_admin1),
                       h->off_countries + (uint64_t)h->ncountries * sizeof(ds_gz_country),
                       h->off_keys + (uint64_t)h->nkeys * sizeof(ds_gz_key),
                       h->off_skel + (uint64_t)h->nskel * sizeof(ds_gz_key),
                       h->off_post + (uint64_t)h->npost * 4ull,
                       h->off_pool + h->pool_size};
    for (size_t i = 0; ok && i < DS_ARRAY_LEN(ends); i++)
        if (ends[i] > size) ok = false;
    /* hash tables: powers of two */
    if (ok && (!h->nkeys || (h->nkeys & (h->nkeys - 1)) || !h->nskel || (h->nskel & (h->nskel - 1))))
        ok = false;
    if (ok && (h->pool_size == 0 || ((const char *)map)[h->off_pool + h->pool_size - 1] != 0))
        ok = false;
    if (!ok) {
        /* an index of another format version: rebuild with scripts/setup */
        munmap(map, size);
        set_err(err, errlen, "gazetteer index is stale or corrupt (run scripts/setup)", path);
        ds_free(path);
        return DOSSIER_EDATA;
    }
    ds_free(path);
    ds_gazetteer *g = ds_calloc(1, sizeof *g);
    if (!g) {
        munmap(map, size);
        return DOSSIER_ENOMEM;
    }
    const char *base = map;
    g->map = map;
    g->size = size;
    g->h = h;
    g->places = (const ds_gz_place *)(base + h->off_places);
    g->admin1 = (const ds_gz_admin1 *)(base + h->off_admin1);
    g->countries = (const ds_gz_country *)(base + h->off_countries);
    g->keys = (const ds_gz_key *)(base + h->off_keys);
    g->skel = (const ds_gz_key *)(base + h->off_skel);
    g->post = (const uint32_t *)(base + h->off_post);
    g->pool = base + h->off_pool;
    static const char *const sl[3] = {"UA", "RU", "BY"};
    for (int k = 0; k < 3; k++) {
        g->slavic[k] = -1;
        for (uint32_t i = 0; i < h->ncountries; i++)
            if (!strcmp(g->countries[i].a2, sl[k])) g->slavic[k] = (int)i;
    }
    *out = g;
    return rc;
}

void ds_gazetteer_free(ds_gazetteer *g)
{
    if (!g) return;
    munmap(g->map, g->size);
    ds_free(g);
}
