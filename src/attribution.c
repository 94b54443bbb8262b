/*
 * attribution.c — speaker, relays, verb, evidence and modality of a claim.
 * Placeholder until the attribution issue lands: every claim is asserted by
 * the narrator, with no evidence named.
 */
#include "internal.h"

dossier_status ds_attribute(const dossier_ctx *ctx, const dossier_doc *doc, ds_claim *c)
{
    DS_UNUSED(ctx);
    DS_UNUSED(doc);
    c->attribution.present = false;
    c->evidence = 0;
    c->modality = DS_MOD_ASSERTED;
    return DOSSIER_OK;
}
