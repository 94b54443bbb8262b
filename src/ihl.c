/*
 * ihl.c — IHL tags of a claim, derived from its fields exactly as records v1
 * defines them (../shared/spec/records.md, "ihl").
 */
#include "nlp.h"

#include <string.h>

static bool hors_de_combat(ds_victim_status s)
{
    return s == DS_STATUS_POW || s == DS_STATUS_SURRENDERING || s == DS_STATUS_WOUNDED;
}

unsigned ds_ihl_tags(const ds_claim *c)
{
    unsigned t = 0;
    if (c->type != DS_EV_ATTACK) return 0;
    if (c->status == DS_STATUS_CIVILIAN) t |= DS_IHL_ATTACK_ON_CIVILIANS;
    if ((c->lethal == 1 || c->mode == DS_MODE_EXECUTION) && hors_de_combat(c->status))
        t |= DS_IHL_KILLING_HORS_DE_COMBAT;
    if ((c->mode == DS_MODE_TORTURE || c->mode == DS_MODE_BEATING) && c->status == DS_STATUS_POW)
        t |= DS_IHL_ILL_TREATMENT_OF_POW;
    switch (c->site) {
    case DS_SITE_HOSPITAL: case DS_SITE_SCHOOL: case DS_SITE_KINDERGARTEN:
    case DS_SITE_ORPHANAGE: case DS_SITE_SHELTER: case DS_SITE_NUCLEAR_PLANT:
        t |= DS_IHL_ATTACK_ON_PROTECTED_SITE;
        break;
    default:
        break;
    }
    if (c->actor.country[0] && !strcmp(c->actor.country, c->target.country) &&
        c->target.role == DS_ROLE_MIL)
        t |= DS_IHL_KILLING_OWN_FORCES;
    if (c->ordered && (c->status == DS_STATUS_CIVILIAN || hors_de_combat(c->status)))
        t |= DS_IHL_UNLAWFUL_ORDER;
    return t;
}
