/*
 * places.c — gazetteer lookups.  Placeholder until the places issue lands:
 * no index, every location unresolved (text kept).
 */
#include "internal.h"

struct ds_gazetteer {
    int unused;
};

dossier_status ds_gazetteer_open(const char *gen_dir, ds_gazetteer **out, char *err,
                                 size_t errlen)
{
    DS_UNUSED(gen_dir);
    DS_UNUSED(err);
    DS_UNUSED(errlen);
    *out = NULL;
    return DOSSIER_OK;
}

void ds_gazetteer_free(ds_gazetteer *g) { ds_free(g); }

void ds_resolve_location(const dossier_ctx *ctx, const dossier_doc *doc, ds_location *loc)
{
    DS_UNUSED(ctx);
    DS_UNUSED(doc);
    if (loc->text) loc->precision = DS_PREC_UNRESOLVED;
}

bool ds_is_place(const dossier_ctx *ctx, const char *s, size_t n)
{
    DS_UNUSED(ctx);
    DS_UNUSED(s);
    DS_UNUSED(n);
    return false;
}
