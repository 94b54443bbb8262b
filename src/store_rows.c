/*
 * store_rows.c — the column values of the rows ingest writes (documents,
 * claims, parties, incidents), computed once for both backends.  Each
 * backend binds the list in order to its own statement (sq_bind_vals in
 * store_sqlite.c, pgp_vals in store_pg.c), so what a column holds — enum
 * names, flag lists, NULL for unknown, derived day numbers, the grid cell —
 * is decided here and nowhere else.  The order is the parameter order of the
 * INSERT/UPDATE statements (store_sqlite_sql.c, store_pg_sql.c).
 */
#include "store.h"

#include <stdio.h>
#include <string.h>

static ds_val v_null(void) { return (ds_val){.kind = DS_VAL_NULL}; }
static ds_val v_int(int64_t i) { return (ds_val){.kind = DS_VAL_INT, .i = i}; }
static ds_val v_real(double d) { return (ds_val){.kind = DS_VAL_REAL, .d = d}; }

/* A NUL-terminated text; NULL or "" are stored as NULL. */
static ds_val v_text(const char *s)
{
    if (!s || !*s) return v_null();
    return (ds_val){.kind = DS_VAL_TEXT, .p = s, .n = strlen(s)};
}

/* A text kept as it is ("" stays ""), n bytes. */
static ds_val v_textn(const char *s, size_t n)
{
    return (ds_val){.kind = DS_VAL_TEXT, .p = s ? s : "", .n = s ? n : 0};
}

static ds_val v_enum(const char *const *names, int v) { return v_text(v > 0 ? names[v] : NULL); }

void ds_bits_to_names(char *out, size_t cap, const char *const *names, int nbits,
                      unsigned bits)
{
    out[0] = 0;
    for (int i = 0; i < nbits; i++) {
        if (!(bits & (1u << i))) continue;
        if (out[0]) strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, names[i], cap - strlen(out) - 1);
    }
}

bool ds_dropped_json(const dossier_doc *doc, ds_buf *out)
{
    ds_buf_putc(out, '[');
    for (size_t i = 0; i < doc->dropped_lines.n; i++) {
        if (i) ds_buf_putc(out, ',');
        ds_json_str(out, ((const char **)doc->dropped_lines.items)[i]);
    }
    ds_buf_putc(out, ']');
    return ds_buf_cstr(out) != NULL;
}

bool ds_doc_claims_valid(const dossier_doc *doc, char *err, size_t errlen)
{
    for (size_t i = 0; i < doc->claims.n; i++) {
        int si = DS_CLAIM(doc, i).sentence;
        if (si < 0 || (size_t)si >= doc->sentences.n) {
            snprintf(err, errlen, "claim %zu names sentence %d of %zu", i, si,
                     doc->sentences.n);
            return false;
        }
    }
    return true;
}

void ds_doc_vals(const dossier_doc *doc, const ds_doc_sig *sig, const ds_buf *dropped,
                 int64_t cluster, ds_val v[DS_DOC_NVALS])
{
    v[0] = v_textn(doc->id, strlen(doc->id));
    v[1] = v_text(doc->path);
    v[2] = v_text(doc->url);
    v[3] = v_text(doc->title);
    v[4] = v_text(doc->outlet);
    v[5] = v_text(doc->published);
    v[6] = v_text(doc->byline);
    v[7] = v_text(doc->origin);
    v[8] = v_text(doc->platform);
    v[9] = v_text(doc->lang);
    v[10] = v_text(doc->format == DOSSIER_FORMAT_HTML ? "html" : "text");
    const char *flags = dossier_doc_flags(doc);
    v[11] = v_textn(flags, strlen(flags));
    v[12] = v_text(doc->extra_json);
    v[13] = v_textn(doc->text, doc->text_len);
    v[13].long_text = true;
    v[14] = v_int(doc->dropped_boilerplate);
    v[15] = v_int(doc->dropped_duplicate);
    v[16] = v_textn(dropped->p, dropped->n);
    v[17] = v_int(sig ? sig->nshingles : 0);
    v[18] = sig ? (ds_val){.kind = DS_VAL_BLOB, .p = sig->minhash, .n = sizeof sig->minhash}
                : v_null();
    v[19] = cluster ? v_int(cluster) : v_null();
}

void ds_claim_vals(const dossier_doc *doc, size_t ci, int64_t docid, int64_t sent_id,
                   int64_t incident, ds_claim_names *names, ds_val v[DS_CLAIM_NVALS])
{
    const ds_claim *c = &DS_CLAIM(doc, ci);
    ds_bits_to_names(names->evidence, sizeof names->evidence, ds_evidence_names, DS_EVID__BITS,
                     c->evidence);
    ds_bits_to_names(names->ihl, sizeof names->ihl, ds_ihl_names, DS_IHL__BITS, c->ihl);
    for (int k = 0; k < DS_CLAIM_NVALS; k++) v[k] = v_null();
    v[0] = v_int(docid);
    v[1] = v_int(sent_id);
    v[2] = v_int((int64_t)ci);
    v[3] = v_enum(ds_event_names, c->type ? c->type : DS_EV_ATTACK);
    v[4] = v_enum(ds_mode_names, c->mode);
    if (c->lethal >= 0) v[5] = v_int(c->lethal);
    v[6] = v_int(c->ordered);
    v[7] = v_enum(ds_status_names, c->status);
    v[8] = v_enum(ds_site_names, c->site);
    if (c->count_value >= 0) {
        v[9] = v_int(c->count_value);
        v[10] = v_enum(ds_qualifier_names, c->count_qualifier);
        v[11] = v_enum(ds_unit_names, c->count_unit);
    }
    const ds_location *l = &c->location;
    if (l->text) {
        v[12] = v_text(l->text);
        v[13] = v_text(l->name);
        if (l->geonameid > 0) v[14] = v_int(l->geonameid);
        v[15] = v_text(l->admin1);
        v[16] = v_text(l->country);
        if (l->precision == DS_PREC_TOWN || l->precision == DS_PREC_ADMIN1 ||
            l->precision == DS_PREC_COUNTRY) {
            v[17] = v_real(l->lat);
            v[18] = v_real(l->lon);
        }
        v[19] = v_enum(ds_place_precision_names,
                       l->precision ? (int)l->precision : DS_PREC_UNRESOLVED);
    }
    if (c->time.text) {
        v[20] = v_text(c->time.text);
        v[21] = v_text(c->time.value);
        v[22] = v_enum(ds_time_precision_names,
                       c->time.precision ? (int)c->time.precision : DS_TPREC_UNRESOLVED);
    }
    int32_t lo, hi, day = ds_claim_day(&c->time, doc->published, &lo, &hi);
    if (day) v[23] = v_int(day);
    if (c->attribution.present) {
        v[24] = v_text(c->attribution.verb);
        v[25] = v_enum(ds_kind_names, c->attribution.kind);
    }
    v[26] = v_text(names->evidence);
    v[27] = v_int((int)c->evidence);
    v[28] = v_enum(ds_modality_names, c->modality ? (int)c->modality : DS_MOD_ASSERTED);
    v[29] = v_text(names->ihl);
    v[30] = v_int((int)c->ihl);
    if (c->trigger_end > c->trigger_start) {
        v[31] = v_int((int64_t)c->trigger_start);
        v[32] = v_int((int64_t)c->trigger_end);
    }
    if (incident > 0) v[33] = v_int(incident);
}

size_t ds_claim_parties(const ds_claim *c, ds_party_ref out[DS_CLAIM_MAXPARTIES])
{
    size_t n = 0;
    const ds_party *p[DS_CLAIM_MAXPARTIES];
    const char *role[DS_CLAIM_MAXPARTIES], *kind[DS_CLAIM_MAXPARTIES];
    int pos[DS_CLAIM_MAXPARTIES];
    size_t k = 0;
    p[k] = &c->actor, role[k] = "actor", pos[k] = 0, kind[k++] = NULL;
    p[k] = &c->target, role[k] = "target", pos[k] = 0, kind[k++] = NULL;
    if (c->attribution.present) {
        p[k] = &c->attribution.speaker, role[k] = "speaker", pos[k] = 0;
        kind[k++] = ds_kind_names[c->attribution.kind];
        for (int r = 0; r < c->attribution.nrelays && r < DS_MAX_RELAYS; r++)
            p[k] = &c->attribution.relays[r], role[k] = "relay", pos[k] = r, kind[k++] = NULL;
    }
    for (size_t i = 0; i < k; i++) {
        if (!p[i]->text && !p[i]->country[0]) continue;   /* nothing known: no row */
        ds_val *v = out[n++].v;
        v[0] = v_null();   /* the claim's row id: set by the backend */
        v[1] = v_textn(role[i], strlen(role[i]));
        v[2] = v_int(pos[i]);
        v[3] = v_text(p[i]->text);
        v[4] = v_text(p[i]->country);
        v[5] = v_enum(ds_role_names, p[i]->role);
        v[6] = v_text(kind[i]);
    }
    return n;
}

size_t ds_incident_vals(const ds_incident *inc, char ihl[200], ds_val v[DS_INCIDENT_NVALS])
{
    ds_bits_to_names(ihl, 200, ds_ihl_names, DS_IHL__BITS, inc->ihl);
    for (int k = 0; k < DS_INCIDENT_NVALS; k++) v[k] = v_null();
    v[0] = v_enum(ds_event_names, inc->type);
    if (inc->day) {
        v[1] = v_int(inc->day);
        v[2] = v_int(inc->day_lo);
        v[3] = v_int(inc->day_hi);
    }
    v[4] = v_text(inc->date);
    v[5] = v_text(inc->place);
    v[6] = v_text(inc->admin1);
    v[7] = v_text(inc->country);
    if (inc->has_coord) {
        v[8] = v_real(inc->lat);
        v[9] = v_real(inc->lon);
    }
    v[10] = v_enum(ds_place_precision_names, inc->precision);
    v[11] = v_text(inc->actor);
    v[12] = v_text(inc->target);
    v[13] = v_text(inc->actor_country);
    v[14] = v_text(inc->target_country);
    v[15] = v_enum(ds_status_names, inc->status);
    v[16] = v_enum(ds_site_names, inc->site);
    v[17] = v_int(inc->nclaims);
    v[18] = v_int(inc->ndocs);
    v[19] = v_int(inc->norigins);
    v[20] = v_text(inc->source_countries);
    v[21] = v_enum(ds_modality_names, inc->strongest);
    v[22] = v_enum(ds_modality_names, inc->weakest);
    v[23] = v_int(inc->confirmed);
    v[24] = v_int(inc->disputed);
    v[25] = v_text(ihl);
    v[26] = v_int((int)inc->ihl);
    if (inc->fatalities >= 0) v[27] = v_int(inc->fatalities);
    v[28] = v_text(inc->summary);
    v[29] = (ds_val){.kind = DS_VAL_BLOB, .p = inc->sig, .n = sizeof inc->sig};
    v[30] = v_int(ds_geo_cell(inc->has_coord, inc->lat, inc->lon));
    if (!inc->id) return DS_INCIDENT_NVALS - 1;   /* INSERT: no id */
    v[31] = v_int(inc->id);
    return DS_INCIDENT_NVALS;
}
