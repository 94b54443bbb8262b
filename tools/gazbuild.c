/*
 * tools/gazbuild.c — build the gazetteer index at setup time, before the
 * dossier binary exists (scripts/setup.d/20-gazetteer.sh compiles this file
 * with src/gazbuild.c, src/placekey.c and src/util.c).  `dossier places
 * --build` does the same from the full program.
 *
 * usage: gazbuild CITIES500_TXT ADMIN1_JSON DATA_DIR WORDS OUT
 */
#include "internal.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: gazbuild CITIES500_TXT ADMIN1_JSON DATA_DIR WORDS OUT\n");
        return 2;
    }
    char err[512];
    ds_gazbuild_stats s;
    dossier_status st = ds_gazetteer_build(argv[1], argv[2], argv[3], argv[4], argv[5], &s, err,
                                           sizeof err);
    if (st != DOSSIER_OK) {
        fprintf(stderr, "gazbuild: %s%s%s\n", dossier_strerror(st), err[0] ? ": " : "", err);
        return 2;
    }
    fprintf(stderr, "gazbuild: %zu places, %zu regions, %zu countries, %zu keys, %zu skeletons, %zu bytes\n",
            s.places, s.admin1, s.countries, s.keys, s.skeletons, s.bytes);
    return 0;
}
