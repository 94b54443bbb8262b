/*
 * serve_json.c — the JSON the web API writes: a small streaming writer over
 * ds_buf (jw_*) and the renderers of the objects several answers share (an
 * incident, a claim with its parties, place, time and attribution).  Used by
 * serve_api.c for answers and by serve_cache.c for the pre-rendered incident
 * fragments of the in-memory index, so a list answered from memory is
 * byte-for-byte what the store path writes.
 */
#include "serve.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the writer ---------------------------------------------------------------- */

void jw_key(jw *j, const char *k)
{
    if (!j->first[j->depth]) ds_buf_putc(&j->b, ',');
    j->first[j->depth] = false;
    if (k) {
        ds_json_str(&j->b, k);
        ds_buf_putc(&j->b, ':');
    }
}
void jw_open(jw *j, const char *k, char c)
{
    jw_key(j, k);
    ds_buf_putc(&j->b, c);
    if (j->depth < 31) j->depth++;
    j->first[j->depth] = true;
}
void jw_close(jw *j, char c)
{
    ds_buf_putc(&j->b, c);
    if (j->depth > 0) j->depth--;
}
void jw_str(jw *j, const char *k, const char *v)
{
    jw_key(j, k);
    ds_json_str(&j->b, v && *v ? v : NULL);
}
void jw_int(jw *j, const char *k, int64_t v)
{
    jw_key(j, k);
    /* by hand: printf's format parsing costs more than the digits (answers
     * hold hundreds of numbers) */
    char d[24], *p = d + sizeof d;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    ds_buf_put(&j->b, p, (size_t)(d + sizeof d - p));
}
void jw_num(jw *j, const char *k, double v)
{
    jw_key(j, k);
    if (isfinite(v)) ds_buf_printf(&j->b, "%.6g", v);
    else ds_buf_puts(&j->b, "null");
}
void jw_bool(jw *j, const char *k, bool v)
{
    jw_key(j, k);
    ds_buf_puts(&j->b, v ? "true" : "false");
}
void jw_null(jw *j, const char *k)
{
    jw_key(j, k);
    ds_buf_puts(&j->b, "null");
}
void jw_enum(jw *j, const char *k, const char *const *names, int v)
{
    jw_str(j, k, v > 0 ? names[v] : NULL);
}
void jw_bits(jw *j, const char *k, const char *const *names, int nbits, unsigned bits)
{
    jw_open(j, k, '[');
    for (int i = 0; i < nbits; i++)
        if (bits & (1u << i)) jw_str(j, NULL, names[i]);
    jw_close(j, ']');
}
/* "RUS,UKR" → ["RUS","UKR"] */
void jw_csv(jw *j, const char *k, const char *csv)
{
    jw_open(j, k, '[');
    for (const char *p = csv ? csv : ""; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            jw_key(j, NULL);
            ds_json_strn(&j->b, p, n);
        }
        p += n + (e ? 1 : 0);
    }
    jw_close(j, ']');
}
void jw_party(jw *j, const char *k, const char *text, const char *country, ds_role role)
{
    if (!text || !*text) {
        jw_null(j, k);
        return;
    }
    jw_open(j, k, '{');
    jw_str(j, "text", text);
    jw_str(j, "country", country);
    jw_enum(j, "role", ds_role_names, role);
    jw_close(j, '}');
}

/* An id, or null for 0 (none). */
void jw_id(jw *j, const char *k, int64_t v)
{
    if (v) jw_int(j, k, v);
    else jw_null(j, k);
}

/* ---- shared objects --------------------------------------------------------------- */
/* A timeline item: [day, type, count]. */
void jw_day_count(jw *j, int32_t day, int type, int64_t n)
{
    char iso[11];
    ds_day_to_iso(day, iso);
    jw_open(j, NULL, '[');
    jw_str(j, NULL, iso);
    jw_enum(j, NULL, ds_event_names, type);
    jw_int(j, NULL, n);
    jw_close(j, ']');
}

/* The fields naming a document wherever one is referred to (row, id, title,
 * outlet, published), into the object the caller has open. */
void jw_doc_ref(jw *j, int64_t row, const char *id, const char *title, const char *outlet,
                const char *published)
{
    jw_int(j, "row", row);
    jw_str(j, "id", id);
    jw_str(j, "title", title);
    jw_str(j, "outlet", outlet);
    jw_str(j, "published", published);
}

void jw_incident(jw *j, const char *k, const ds_incident *inc)
{
    jw_open(j, k, '{');
    jw_int(j, "id", inc->id);
    jw_enum(j, "type", ds_event_names, inc->type);
    jw_str(j, "date", inc->date);
    if (inc->day > 0) {
        char iso[11];
        ds_day_to_iso(inc->day, iso);
        jw_str(j, "day", iso);
    } else {
        jw_null(j, "day");
    }
    jw_str(j, "place", inc->place);
    jw_str(j, "admin1", inc->admin1);
    jw_str(j, "country", inc->country);
    if (inc->has_coord) {
        jw_num(j, "lat", inc->lat);
        jw_num(j, "lon", inc->lon);
    } else {
        jw_null(j, "lat");
        jw_null(j, "lon");
    }
    jw_enum(j, "precision", ds_place_precision_names, inc->precision);
    jw_str(j, "actor", inc->actor);
    jw_str(j, "actor_country", inc->actor_country);
    jw_str(j, "target", inc->target);
    jw_str(j, "target_country", inc->target_country);
    jw_enum(j, "status", ds_status_names, inc->status);
    jw_enum(j, "site", ds_site_names, inc->site);
    jw_int(j, "nclaims", inc->nclaims);
    jw_int(j, "ndocs", inc->ndocs);
    jw_int(j, "norigins", inc->norigins);
    jw_csv(j, "source_countries", inc->source_countries);
    jw_enum(j, "strongest", ds_modality_names, inc->strongest);
    jw_enum(j, "weakest", ds_modality_names, inc->weakest);
    jw_bool(j, "confirmed", inc->confirmed);
    jw_bool(j, "disputed", inc->disputed);
    jw_bits(j, "ihl", ds_ihl_names, DS_IHL__BITS, inc->ihl);
    if (inc->fatalities >= 0) jw_int(j, "fatalities", inc->fatalities);
    else jw_null(j, "fatalities");
    jw_str(j, "summary", inc->summary);
    jw_int(j, "nmirrors", inc->nmirrors);
    jw_close(j, '}');
}

/* relays_json comes from the store: re-emit only its known string fields. */
static void put_relays(jw *j, const char *relays_json)
{
    jw_open(j, "relays", '[');
    cJSON *arr = relays_json ? cJSON_Parse(relays_json) : NULL;
    const cJSON *it;
    if (cJSON_IsArray(arr))
        cJSON_ArrayForEach(it, arr) {
            const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "text"));
            const char *country = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "country"));
            const char *role = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "role"));
            if (!text || !*text) continue;
            jw_party(j, NULL, text, country,
                     role ? ds_enum_parse(ds_role_names, DS_ROLE__COUNT, role, strlen(role)) : 0);
        }
    cJSON_Delete(arr);
    jw_close(j, ']');
}

void jw_claim(jw *j, const ds_claim_row *c)
{
    jw_open(j, NULL, '{');
    jw_int(j, "id", c->id);
    jw_enum(j, "type", ds_event_names, c->type);
    jw_enum(j, "mode", ds_mode_names, c->mode);
    if (c->lethal < 0) jw_null(j, "lethal");
    else jw_bool(j, "lethal", c->lethal);
    jw_bool(j, "ordered", c->ordered);
    jw_open(j, "sentence", '{');
    jw_int(j, "i", c->sentence_i);
    jw_str(j, "text", c->sentence ? c->sentence : "");
    if (c->sent_end > c->sent_start) {
        jw_int(j, "start", c->sent_start);
        jw_int(j, "end", c->sent_end);
    } else {
        jw_null(j, "start");
        jw_null(j, "end");
    }
    jw_close(j, '}');
    if (c->trigger_end > c->trigger_start) {
        jw_open(j, "trigger", '[');
        jw_int(j, NULL, c->trigger_start);
        jw_int(j, NULL, c->trigger_end);
        jw_close(j, ']');
    } else {
        jw_null(j, "trigger");
    }
    jw_party(j, "actor", c->actor, c->actor_country, c->actor_role);
    if (c->target || c->status || c->site || c->count_value >= 0) {
        jw_open(j, "target", '{');
        jw_str(j, "text", c->target);
        jw_str(j, "country", c->target_country);
        jw_enum(j, "role", ds_role_names, c->target_role);
        jw_enum(j, "status", ds_status_names, c->status);
        jw_enum(j, "site", ds_site_names, c->site);
        if (c->count_value >= 0) {
            jw_open(j, "count", '{');
            jw_int(j, "value", c->count_value);
            jw_enum(j, "qualifier", ds_qualifier_names, c->count_qualifier);
            jw_enum(j, "unit", ds_unit_names, c->count_unit);
            jw_close(j, '}');
        } else {
            jw_null(j, "count");
        }
        jw_close(j, '}');
    } else {
        jw_null(j, "target");
    }
    if (c->place && *c->place) {
        jw_open(j, "location", '{');
        jw_str(j, "text", c->place);
        jw_str(j, "name", c->place_name);
        jw_str(j, "admin1", c->admin1);
        jw_str(j, "country", c->country);
        if (c->has_coord) {
            jw_num(j, "lat", c->lat);
            jw_num(j, "lon", c->lon);
        }
        jw_enum(j, "precision", ds_place_precision_names, c->precision);
        jw_close(j, '}');
    } else {
        jw_null(j, "location");
    }
    if ((c->time_text && *c->time_text) || (c->time_value && *c->time_value)) {
        jw_open(j, "time", '{');
        jw_str(j, "text", c->time_text);
        jw_str(j, "value", c->time_value);
        jw_close(j, '}');
    } else {
        jw_null(j, "time");
    }
    if ((c->speaker && *c->speaker) || (c->relay && *c->relay) || (c->verb && *c->verb)) {
        jw_open(j, "attribution", '{');
        if (c->speaker && *c->speaker) {
            jw_open(j, "speaker", '{');
            jw_str(j, "text", c->speaker);
            jw_str(j, "country", c->speaker_country);
            jw_enum(j, "role", ds_role_names, c->speaker_role);
            jw_enum(j, "kind", ds_kind_names, c->speaker_kind);
            jw_close(j, '}');
        } else {
            jw_null(j, "speaker");
        }
        put_relays(j, c->relays_json);
        jw_str(j, "verb", c->verb);
        jw_close(j, '}');
    } else {
        jw_null(j, "attribution");
    }
    jw_bits(j, "evidence", ds_evidence_names, DS_EVID__BITS, c->evidence);
    jw_enum(j, "modality", ds_modality_names, c->modality);
    jw_bits(j, "ihl", ds_ihl_names, DS_IHL__BITS, c->ihl);
    jw_id(j, "incident", c->incident);
    jw_int(j, "cluster", c->cluster);
    jw_open(j, "doc", '{');
    jw_doc_ref(j, c->doc, c->doc_id, c->title, c->outlet, c->published);
    jw_close(j, '}');
    jw_close(j, '}');
}
