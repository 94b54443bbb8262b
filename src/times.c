/*
 * times.c — date normalisation.  Placeholder until the places-and-times issue
 * lands: text kept, value unresolved.
 */
#include "internal.h"

void ds_resolve_time(const char *published, ds_time *t)
{
    DS_UNUSED(published);
    if (t->text) t->precision = DS_TPREC_UNRESOLVED;
}
