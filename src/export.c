/*
 * export.c — rendering stored rows, backend-neutral: JSON objects for
 * incidents, claims, documents and search hits (used by the CLI's --json, the
 * exports and the web API alike), and `dossier export` in three formats:
 *   jsonl    one incident per line with its claims;
 *   csv      ACLED column conventions where they fit, then dossier columns;
 *   geojson  a FeatureCollection of incidents with coordinates (QGIS, Leaflet).
 */
#include "store.h"

#include <math.h>
#include <string.h>

/* ---- JSON --------------------------------------------------------------- */
static void key(ds_buf *b, const char *k, bool *first)
{
    if (!*first) ds_buf_putc(b, ',');
    *first = false;
    ds_buf_putc(b, '"');
    ds_buf_puts(b, k);
    ds_buf_puts(b, "\":");
}

static void kstr(ds_buf *b, const char *k, const char *v, bool *f)
{
    key(b, k, f);
    ds_json_str(b, v && *v ? v : NULL);
}

static void kint(ds_buf *b, const char *k, int64_t v, bool *f)
{
    key(b, k, f);
    ds_buf_printf(b, "%lld", (long long)v);
}

static void kbool(ds_buf *b, const char *k, bool v, bool *f)
{
    key(b, k, f);
    ds_buf_puts(b, v ? "true" : "false");
}

static void kcoord(ds_buf *b, const char *k, bool has, double v, bool *f)
{
    key(b, k, f);
    if (has && isfinite(v)) ds_buf_printf(b, "%.5f", v);
    else ds_buf_puts(b, "null");
}

static void bits(ds_buf *b, const char *const *names, int n, unsigned v)
{
    ds_buf_putc(b, '[');
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (!(v & (1u << i))) continue;
        if (!first) ds_buf_putc(b, ',');
        first = false;
        ds_json_str(b, names[i]);
    }
    ds_buf_putc(b, ']');
}

/* "RUS,UKR" → ["RUS","UKR"] */
static void csv_list(ds_buf *b, const char *s)
{
    ds_buf_putc(b, '[');
    const char *p = s ? s : "";
    bool first = true;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            if (!first) ds_buf_putc(b, ',');
            first = false;
            ds_json_strn(b, p, n);
        }
        p += n + (e ? 1 : 0);
    }
    ds_buf_putc(b, ']');
}

static const char *name_of(const char *const *names, int v) { return v > 0 ? names[v] : NULL; }

void ds_incident_json(ds_buf *b, const ds_incident *inc, const int64_t *mirrors, size_t nm)
{
    bool f = true;
    ds_buf_putc(b, '{');
    kint(b, "id", inc->id, &f);
    kstr(b, "type", ds_event_names[inc->type], &f);
    kstr(b, "date", inc->date, &f);
    key(b, "place", &f);
    if (inc->place[0] || inc->has_coord) {
        bool g = true;
        ds_buf_putc(b, '{');
        kstr(b, "name", inc->place, &g);
        kstr(b, "admin1", inc->admin1, &g);
        kstr(b, "country", inc->country, &g);
        kcoord(b, "lat", inc->has_coord, inc->lat, &g);
        kcoord(b, "lon", inc->has_coord, inc->lon, &g);
        kstr(b, "precision", name_of(ds_place_precision_names, inc->precision), &g);
        ds_buf_putc(b, '}');
    } else {
        ds_buf_puts(b, "null");
    }
    key(b, "actor", &f);
    {
        bool g = true;
        ds_buf_putc(b, '{');
        kstr(b, "text", inc->actor, &g);
        kstr(b, "country", inc->actor_country, &g);
        ds_buf_putc(b, '}');
    }
    key(b, "target", &f);
    {
        bool g = true;
        ds_buf_putc(b, '{');
        kstr(b, "text", inc->target, &g);
        kstr(b, "country", inc->target_country, &g);
        kstr(b, "status", name_of(ds_status_names, inc->status), &g);
        kstr(b, "site", name_of(ds_site_names, inc->site), &g);
        ds_buf_putc(b, '}');
    }
    kint(b, "claims", inc->nclaims, &f);
    kint(b, "documents", inc->ndocs, &f);
    kint(b, "independent_origins", inc->norigins, &f);
    key(b, "source_countries", &f);
    csv_list(b, inc->source_countries);
    kstr(b, "strongest_modality", name_of(ds_modality_names, inc->strongest), &f);
    kstr(b, "weakest_modality", name_of(ds_modality_names, inc->weakest), &f);
    kbool(b, "confirmed", inc->confirmed, &f);
    kbool(b, "disputed", inc->disputed, &f);
    key(b, "ihl", &f);
    bits(b, ds_ihl_names, DS_IHL__BITS, inc->ihl);
    key(b, "fatalities", &f);
    if (inc->fatalities >= 0) ds_buf_printf(b, "%lld", (long long)inc->fatalities);
    else ds_buf_puts(b, "null");
    key(b, "mirrors", &f);
    ds_buf_putc(b, '[');
    for (size_t i = 0; i < nm; i++) ds_buf_printf(b, "%s%lld", i ? "," : "", (long long)mirrors[i]);
    ds_buf_putc(b, ']');
    kstr(b, "summary", inc->summary, &f);
    ds_buf_putc(b, '}');
}

static void party(ds_buf *b, const char *k, const char *text, const char *country, ds_role role,
                  bool *f)
{
    key(b, k, f);
    if (!(text && *text) && !(country && *country)) {
        ds_buf_puts(b, "null");
        return;
    }
    bool g = true;
    ds_buf_putc(b, '{');
    kstr(b, "text", text, &g);
    kstr(b, "country", country, &g);
    kstr(b, "role", name_of(ds_role_names, role), &g);
    ds_buf_putc(b, '}');
}

void ds_claim_row_json(ds_buf *b, const ds_claim_row *c)
{
    bool f = true;
    ds_buf_putc(b, '{');
    kint(b, "id", c->id, &f);
    key(b, "incident", &f);
    if (c->incident) ds_buf_printf(b, "%lld", (long long)c->incident);
    else ds_buf_puts(b, "null");
    kstr(b, "doc", c->doc_id, &f);
    kstr(b, "outlet", c->outlet, &f);
    kstr(b, "title", c->title, &f);
    kstr(b, "published", c->published, &f);
    kint(b, "origin_cluster", c->cluster, &f);
    kstr(b, "type", ds_event_names[c->type], &f);
    key(b, "sentence", &f);
    {
        bool g = true;
        ds_buf_putc(b, '{');
        kint(b, "i", c->sentence_i, &g);
        kstr(b, "text", c->sentence, &g);
        ds_buf_putc(b, '}');
    }
    kstr(b, "mode", name_of(ds_mode_names, c->mode), &f);
    key(b, "lethal", &f);
    ds_buf_puts(b, c->lethal < 0 ? "null" : c->lethal ? "true" : "false");
    party(b, "actor", c->actor, c->actor_country, c->actor_role, &f);
    party(b, "target", c->target, c->target_country, c->target_role, &f);
    kstr(b, "status", name_of(ds_status_names, c->status), &f);
    kstr(b, "site", name_of(ds_site_names, c->site), &f);
    key(b, "count", &f);
    if (c->count_value >= 0) ds_buf_printf(b, "%lld", (long long)c->count_value);
    else ds_buf_puts(b, "null");
    key(b, "location", &f);
    if (c->place) {
        bool g = true;
        ds_buf_putc(b, '{');
        kstr(b, "text", c->place, &g);
        kstr(b, "name", c->place_name, &g);
        kstr(b, "admin1", c->admin1, &g);
        kstr(b, "country", c->country, &g);
        kcoord(b, "lat", c->has_coord, c->lat, &g);
        kcoord(b, "lon", c->has_coord, c->lon, &g);
        kstr(b, "precision", name_of(ds_place_precision_names, c->precision), &g);
        ds_buf_putc(b, '}');
    } else {
        ds_buf_puts(b, "null");
    }
    kstr(b, "time", c->time_value, &f);
    party(b, "speaker", c->speaker, c->speaker_country, c->speaker_role, &f);
    party(b, "relay", c->relay, c->relay_country, c->relay_role, &f);
    key(b, "evidence", &f);
    bits(b, ds_evidence_names, DS_EVID__BITS, c->evidence);
    kstr(b, "modality", name_of(ds_modality_names, c->modality), &f);
    key(b, "ihl", &f);
    bits(b, ds_ihl_names, DS_IHL__BITS, c->ihl);
    ds_buf_putc(b, '}');
}

void ds_doc_row_json(ds_buf *b, const ds_doc_row *d, bool with_text)
{
    bool f = true;
    ds_buf_putc(b, '{');
    kstr(b, "id", d->doc_id, &f);
    kstr(b, "path", d->path, &f);
    kstr(b, "url", d->url, &f);
    kstr(b, "title", d->title, &f);
    kstr(b, "outlet", d->outlet, &f);
    kstr(b, "published", d->published, &f);
    kstr(b, "byline", d->byline, &f);
    kstr(b, "origin", d->origin, &f);
    kstr(b, "platform", d->platform, &f);
    key(b, "flags", &f);
    csv_list(b, d->flags);
    kstr(b, "lang", d->lang, &f);
    kstr(b, "format", d->format, &f);
    key(b, "origin_cluster", &f);
    {
        bool g = true;
        ds_buf_putc(b, '{');
        kint(b, "id", d->cluster, &g);
        kstr(b, "label", d->cluster_label, &g);
        kint(b, "documents", d->cluster_size, &g);
        ds_buf_putc(b, '}');
    }
    kint(b, "sentences", d->nsentences, &f);
    kint(b, "claims", d->nclaims, &f);
    if (with_text) {
        kstr(b, "text", d->text ? d->text : "", &f);
        key(b, "dropped", &f);
        ds_buf_printf(b, "{\"boilerplate\":%d,\"duplicate\":%d,\"lines\":%s}",
                      d->dropped_boilerplate, d->dropped_duplicate,
                      d->dropped_lines && *d->dropped_lines ? d->dropped_lines : "[]");
    }
    ds_buf_putc(b, '}');
}

void ds_hit_json(ds_buf *b, const ds_search_hit *h)
{
    bool f = true;
    ds_buf_putc(b, '{');
    kstr(b, "doc", h->doc_id, &f);
    kstr(b, "outlet", h->outlet, &f);
    kstr(b, "title", h->title, &f);
    kstr(b, "published", h->published, &f);
    kint(b, "sentence", h->sentence_i, &f);
    kstr(b, "text", h->snippet, &f);
    key(b, "claim", &f);
    if (h->claim) {
        bool g = true;
        ds_buf_putc(b, '{');
        kint(b, "id", h->claim, &g);
        kstr(b, "type", ds_event_names[h->claim_type], &g);
        key(b, "incident", &g);
        if (h->incident) ds_buf_printf(b, "%lld", (long long)h->incident);
        else ds_buf_puts(b, "null");
        ds_buf_putc(b, '}');
    } else {
        ds_buf_puts(b, "null");
    }
    ds_buf_putc(b, '}');
}

/* ---- ACLED mapping ------------------------------------------------------ */
void ds_acled_type(const ds_incident *inc, ds_mode mode, const char **event,
                   const char **sub)
{
    *event = "Strategic developments";
    *sub = "Other";
    switch (inc->type) {
    case DS_EV_ATTACK:
        if (inc->status == DS_STATUS_CIVILIAN) *event = "Violence against civilians", *sub = "Attack";
        else if (mode == DS_MODE_ARTILLERY || mode == DS_MODE_MISSILE)
            *event = "Explosions/Remote violence", *sub = "Shelling/artillery/missile attack";
        else if (mode == DS_MODE_DRONE || mode == DS_MODE_AIRSTRIKE)
            *event = "Explosions/Remote violence", *sub = "Air/drone strike";
        else if (mode == DS_MODE_EXPLOSIVE)
            *event = "Explosions/Remote violence", *sub = "Remote explosive/landmine/IED";
        else *event = "Battles", *sub = "Armed clash";
        break;
    case DS_EV_CAPTURE:
        if (inc->status == DS_STATUS_CIVILIAN)
            *event = "Violence against civilians", *sub = "Abduction/forced disappearance";
        else *sub = "Arrests";
        break;
    case DS_EV_SEIZE: *sub = "Non-violent transfer of territory"; break;
    default: break;
    }
}

/* ---- exports ------------------------------------------------------------ */
typedef struct exp_ctx {
    ds_store *s;
    ds_export_format fmt;
    FILE *out;
    ds_buf line, outlets, claims;
    int64_t written, nocoord;
    ds_mode mode;
    bool first;
    dossier_status err;
} exp_ctx;

static dossier_status collect_claim(const ds_claim_row *c, void *user)
{
    exp_ctx *x = user;
    if (x->fmt == DS_EXPORT_JSONL) {
        if (x->claims.n) ds_buf_putc(&x->claims, ',');
        ds_claim_row_json(&x->claims, c);
    }
    if (!x->mode && c->mode) x->mode = c->mode;
    /* distinct outlets, "; "-separated (small per incident: linear check) */
    const char *o = c->outlet ? c->outlet : c->doc_id;
    if (o && (!ds_buf_cstr(&x->outlets) || !strstr(x->outlets.p, o))) {
        if (x->outlets.n) ds_buf_puts(&x->outlets, "; ");
        ds_buf_puts(&x->outlets, o);
    }
    return x->claims.oom || x->outlets.oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

static dossier_status collect_id(int64_t id, void *user)
{
    int64_t *slot = ds_vec_push(user, sizeof(int64_t));
    if (!slot) return DOSSIER_ENOMEM;
    *slot = id;
    return DOSSIER_OK;
}

static void csv_field(ds_buf *b, const char *v, bool last)
{
    v = v ? v : "";
    if (strpbrk(v, ",\"\n\r")) {
        ds_buf_putc(b, '"');
        for (const char *p = v; *p; p++) {
            if (*p == '"') ds_buf_putc(b, '"');
            ds_buf_putc(b, *p);
        }
        ds_buf_putc(b, '"');
    } else {
        ds_buf_puts(b, v);
    }
    ds_buf_putc(b, last ? '\n' : ',');
}

static dossier_status on_incident(const ds_incident *inc, void *user)
{
    exp_ctx *x = user;
    ds_buf_reset(&x->line);
    ds_buf_reset(&x->outlets);
    ds_buf_reset(&x->claims);
    x->mode = 0;
    dossier_status r = x->s->ops->incident_claims(x->s, inc->id, collect_claim, x);
    ds_vec mirrors = {0};
    if (r == DOSSIER_OK) r = x->s->ops->incident_mirrors(x->s, inc->id, collect_id, &mirrors);
    if (r != DOSSIER_OK) {
        ds_vec_free(&mirrors);
        return r;
    }
    ds_buf *b = &x->line;
    if (x->fmt == DS_EXPORT_JSONL) {
        ds_incident_json(b, inc, mirrors.items, mirrors.n);
        b->n--;   /* reopen the object */
        ds_buf_puts(b, ",\"sources\":");
        ds_json_str(b, ds_buf_cstr(&x->outlets));
        ds_buf_puts(b, ",\"claim_list\":[");
        ds_buf_put(b, x->claims.p, x->claims.n);
        ds_buf_puts(b, "]}\n");
    } else if (x->fmt == DS_EXPORT_CSV) {
        const char *ev, *sub;
        ds_acled_type(inc, x->mode, &ev, &sub);
        char id[32], year[8] = "", lat[32] = "", lon[32] = "", fat[24] = "0", orig[16],
             n1[16], n2[16];
        snprintf(id, sizeof id, "DOSSIER%lld", (long long)inc->id);
        if (inc->date[0]) snprintf(year, sizeof year, "%.4s", inc->date);
        if (inc->has_coord) {
            snprintf(lat, sizeof lat, "%.5f", inc->lat);
            snprintf(lon, sizeof lon, "%.5f", inc->lon);
        }
        if (inc->fatalities >= 0) snprintf(fat, sizeof fat, "%lld", (long long)inc->fatalities);
        snprintf(orig, sizeof orig, "%d", inc->norigins);
        snprintf(n1, sizeof n1, "%d", inc->nclaims);
        snprintf(n2, sizeof n2, "%d", inc->ndocs);
        char ihl[200] = "";
        for (int i = 0; i < DS_IHL__BITS; i++)
            if (inc->ihl & (1u << i)) {
                if (ihl[0]) strcat(ihl, ";");
                strcat(ihl, ds_ihl_names[i]);
            }
        const char *prec = inc->precision == DS_PREC_TOWN ? "1"
                           : inc->precision == DS_PREC_ADMIN1 ? "2"
                           : inc->precision == DS_PREC_COUNTRY ? "3" : "";
        csv_field(b, id, false);
        csv_field(b, inc->date, false);
        csv_field(b, year, false);
        csv_field(b, ev, false);
        csv_field(b, sub, false);
        csv_field(b, inc->actor[0] ? inc->actor : inc->actor_country, false);
        csv_field(b, inc->target[0] ? inc->target : inc->target_country, false);
        csv_field(b, inc->country, false);
        csv_field(b, inc->admin1, false);
        csv_field(b, inc->place, false);
        csv_field(b, lat, false);
        csv_field(b, lon, false);
        csv_field(b, prec, false);
        csv_field(b, ds_buf_cstr(&x->outlets), false);
        csv_field(b, inc->summary, false);
        csv_field(b, fat, false);
        csv_field(b, ds_event_names[inc->type], false);
        csv_field(b, orig, false);
        csv_field(b, inc->source_countries, false);
        csv_field(b, name_of(ds_modality_names, inc->strongest), false);
        csv_field(b, name_of(ds_modality_names, inc->weakest), false);
        csv_field(b, ihl, false);
        csv_field(b, n1, false);
        csv_field(b, n2, true);
    } else {
        if (!inc->has_coord) {
            x->nocoord++;
            ds_vec_free(&mirrors);
            return DOSSIER_OK;
        }
        if (!x->first) ds_buf_puts(b, ",\n");
        x->first = false;
        ds_buf_printf(b, "{\"type\":\"Feature\",\"id\":%lld,\"geometry\":{\"type\":\"Point\","
                         "\"coordinates\":[%.5f,%.5f]},\"properties\":",
                      (long long)inc->id, inc->lon, inc->lat);
        ds_incident_json(b, inc, mirrors.items, mirrors.n);
        b->n--;
        ds_buf_puts(b, ",\"sources\":");
        ds_json_str(b, ds_buf_cstr(&x->outlets));
        ds_buf_puts(b, "}}");
    }
    ds_vec_free(&mirrors);
    if (b->oom) return DOSSIER_ENOMEM;
    if (fwrite(b->p, 1, b->n, x->out) != b->n) return DOSSIER_EIO;
    x->written++;
    return DOSSIER_OK;
}

dossier_status ds_export(ds_store *s, const ds_incident_filter *f, ds_export_format fmt,
                         FILE *out, int64_t *written, int64_t *nocoord)
{
    exp_ctx x = {.s = s, .fmt = fmt, .out = out, .first = true};
    if (fmt == DS_EXPORT_CSV)
        fputs("event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,"
              "admin1,location,latitude,longitude,geo_precision,source,notes,fatalities,"
              "dossier_type,independent_origins,source_countries,strongest_modality,"
              "weakest_modality,ihl,claims,documents\n",
              out);
    else if (fmt == DS_EXPORT_GEOJSON)
        fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", out);
    dossier_status r = s->ops->query_incidents(s, f, on_incident, &x);
    if (r == DOSSIER_OK && fmt == DS_EXPORT_GEOJSON) fputs("\n]}\n", out);
    ds_buf_free(&x.line);
    ds_buf_free(&x.outlets);
    ds_buf_free(&x.claims);
    if (written) *written = x.written;
    if (nocoord) *nocoord = x.nocoord;
    if (r == DOSSIER_OK && ferror(out)) r = DOSSIER_EIO;
    return r;
}
