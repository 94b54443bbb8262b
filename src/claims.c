/*
 * claims.c — claim extraction (records v1 CLAIM).  Placeholder until the
 * claim-extraction issue lands: loads nothing, extracts nothing.
 */
#include "internal.h"

struct ds_claim_rules {
    int unused;
};

dossier_status ds_claim_rules_load(const char *data_dir, ds_claim_rules **out, char *err,
                                   size_t errlen)
{
    DS_UNUSED(data_dir);
    DS_UNUSED(err);
    DS_UNUSED(errlen);
    *out = NULL;
    return DOSSIER_OK;
}

void ds_claim_rules_free(ds_claim_rules *r) { ds_free(r); }

dossier_status ds_extract_claims(const dossier_ctx *ctx, dossier_doc *doc)
{
    DS_UNUSED(ctx);
    DS_UNUSED(doc);
    return DOSSIER_OK;
}

bool ds_party_code(const dossier_ctx *ctx, const char *s, size_t n, ds_party *out)
{
    DS_UNUSED(ctx);
    DS_UNUSED(s);
    DS_UNUSED(n);
    out->text = NULL;
    out->country[0] = 0;
    out->role = DS_ROLE_NONE;
    return false;
}
