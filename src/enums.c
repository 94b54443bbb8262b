/*
 * enums.c — the names records v1 gives to every closed list, and status names.
 * Index = enum value (internal.h); entry 0 is NULL and prints as JSON null.
 */
#include "internal.h"

#include <string.h>

const char *const ds_event_names[DS_EV__COUNT] = {
    NULL, "attack", "threaten", "capture", "seize", "surrender", "flee", "exchange", "casualties"};
const char *const ds_mode_names[DS_MODE__COUNT] = {
    NULL, "firearms", "artillery", "missile", "drone", "airstrike", "explosive",
    "execution", "torture", "beating"};
const char *const ds_role_names[DS_ROLE__COUNT] = {
    NULL, "MIL", "GOV", "SPY", "MED", "CVL", "IGO", "HRI", "JUD", "UNK"};
const char *const ds_status_names[DS_STATUS__COUNT] = {
    NULL, "civilian", "pow", "surrendering", "wounded", "combatant"};
const char *const ds_site_names[DS_SITE__COUNT] = {
    NULL, "hospital", "school", "kindergarten", "orphanage", "shelter", "residential",
    "nuclear_plant", "power_plant", "infrastructure", "settlement", "other"};
const char *const ds_qualifier_names[DS_QUAL__COUNT] = {
    NULL, "exact", "over", "about", "at_least", "up_to"};
const char *const ds_unit_names[DS_UNIT__COUNT] = {NULL, "persons", "cases", "incidents"};
const char *const ds_kind_names[DS_KIND__COUNT] = {
    NULL, "official", "captive", "witness", "combatant", "organisation", "media", "expert",
    "unknown"};
const char *const ds_modality_names[DS_MOD__COUNT] = {
    NULL, "asserted", "reported", "alleged", "confirmed", "disputed", "denied", "hypothetical"};
const char *const ds_evidence_names[DS_EVID__BITS] = {
    "video", "photo", "drone_footage", "testimony", "documents", "satellite", "intercept"};
const char *const ds_ihl_names[DS_IHL__BITS] = {
    "attack_on_civilians", "killing_hors_de_combat", "ill_treatment_of_pow",
    "attack_on_protected_site", "killing_own_forces", "unlawful_order"};
const char *const ds_place_precision_names[5] = {NULL, "town", "admin1", "country", "unresolved"};
const char *const ds_time_precision_names[5] = {NULL, "day", "month", "year", "unresolved"};
const char *const ds_flag_names[DS_FLAG__BITS] = {
    "ai_byline", "invalid_utf8", "truncated", "claims_limit", "long_sentence",
    "deep_html", "html_attrs"};

int ds_enum_parse(const char *const *names, int count, const char *s, size_t n)
{
    for (int i = 0; i < count; i++)
        if (names[i] && strlen(names[i]) == n && memcmp(names[i], s, n) == 0) return i;
    return 0;
}

const char *dossier_strerror(dossier_status st)
{
    static const char *const msg[DOSSIER_STATUS_COUNT] = {
        [DOSSIER_OK] = "ok",
        [DOSSIER_ENOMEM] = "out of memory",
        [DOSSIER_EIO] = "input/output error",
        [DOSSIER_EINVAL] = "invalid argument",
        [DOSSIER_EEMPTY] = "empty input: no text",
        [DOSSIER_EBINARY] = "binary file, not text",
        [DOSSIER_ETRUNCATED] = "compressed data is truncated or corrupt",
        [DOSSIER_EFORMAT] = "malformed input",
        [DOSSIER_ETOOBIG] = "input exceeds a configured limit",
        [DOSSIER_EDATA] = "data file missing or invalid",
        [DOSSIER_EDB] = "database error",
        [DOSSIER_EBUSY] = "database is locked",
        [DOSSIER_ESCHEMA] = "database schema is newer than this program",
        [DOSSIER_ENOTFOUND] = "not found",
        [DOSSIER_EFULL] = "disk full or file size limit reached",
        [DOSSIER_EREADONLY] = "database or path is not writable",
    };
    if ((unsigned)st >= DOSSIER_STATUS_COUNT || !msg[st]) return "unknown status";
    return msg[st];
}
