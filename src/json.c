/*
 * json.c — writes one record (records format v1) as a line of JSON.
 *
 * A streaming writer rather than cJSON: records are written once, in order,
 * and building a cJSON tree per document would double the allocations of the
 * hot path for nothing.  cJSON is used where JSON is *read* (ingest.c).
 */
#include "internal.h"

#include <math.h>
#include <string.h>

void ds_json_strn(ds_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ds_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\t') esc = "\\t";
        else if (c == '\r') esc = "\\r";
        else if (c < 0x20) {
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
            esc = u;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            /* U+2028/U+2029 are valid JSON but break JavaScript consumers */
            ds_buf_put(b, s + i - run, run);
            run = 0;
            ds_buf_puts(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
            i += 2;
            continue;
        }
        if (esc) {
            ds_buf_put(b, s + i - run, run);
            run = 0;
            ds_buf_puts(b, esc);
        } else {
            run++;
        }
    }
    ds_buf_put(b, s + n - run, run);
    ds_buf_putc(b, '"');
}

void ds_json_str(ds_buf *b, const char *s)
{
    if (!s) ds_buf_puts(b, "null");
    else ds_json_strn(b, s, strlen(s));
}

/* A whole number in decimal, as printf's %lld writes it (without printf: a
 * document writes two for every sentence). */
static void put_int(ds_buf *b, long long v)
{
    char t[24];
    size_t i = sizeof t;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do t[--i] = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) t[--i] = '-';
    ds_buf_put(b, t + i, sizeof t - i);
}

static void key(ds_buf *b, const char *k, bool *first)
{
    if (!*first) ds_buf_putc(b, ',');
    *first = false;
    ds_buf_putc(b, '"');
    ds_buf_puts(b, k);
    ds_buf_puts(b, "\":");
}

static void kv_str(ds_buf *b, const char *k, const char *v, bool *first)
{
    key(b, k, first);
    ds_json_str(b, v && *v ? v : NULL);
}

static void kv_enum(ds_buf *b, const char *k, const char *const *names, int v, bool *first)
{
    key(b, k, first);
    ds_json_str(b, names[v]);
}

static void put_bits(ds_buf *b, const char *const *names, int nbits, unsigned bits)
{
    ds_buf_putc(b, '[');
    bool f = true;
    for (int i = 0; i < nbits; i++) {
        if (!(bits & (1u << i))) continue;
        if (!f) ds_buf_putc(b, ',');
        f = false;
        ds_json_str(b, names[i]);
    }
    ds_buf_putc(b, ']');
}

static void put_party(ds_buf *b, const ds_party *p, const ds_claim *c, bool target)
{
    if (!p->text && !(target && (c->status || c->site || c->count_value >= 0))) {
        ds_buf_puts(b, "null");
        return;
    }
    bool f = true;
    ds_buf_putc(b, '{');
    kv_str(b, "text", p->text, &f);
    kv_str(b, "country", p->country, &f);
    kv_enum(b, "role", ds_role_names, p->role, &f);
    if (target) {
        kv_enum(b, "status", ds_status_names, c->status, &f);
        kv_enum(b, "site", ds_site_names, c->site, &f);
        key(b, "count", &f);
        if (c->count_value >= 0) {
            bool g = true;
            ds_buf_putc(b, '{');
            key(b, "value", &g);
            put_int(b, (long long)c->count_value);
            kv_enum(b, "qualifier", ds_qualifier_names, c->count_qualifier, &g);
            kv_enum(b, "unit", ds_unit_names, c->count_unit, &g);
            ds_buf_putc(b, '}');
        } else {
            ds_buf_puts(b, "null");
        }
    }
    ds_buf_putc(b, '}');
}

static void put_location(ds_buf *b, const ds_location *l)
{
    if (!l->text) {
        ds_buf_puts(b, "null");
        return;
    }
    bool f = true;
    ds_buf_putc(b, '{');
    kv_str(b, "text", l->text, &f);
    kv_str(b, "name", l->name, &f);
    key(b, "geonameid", &f);
    if (l->geonameid > 0) put_int(b, (long long)l->geonameid);
    else ds_buf_puts(b, "null");
    kv_str(b, "admin1", l->admin1, &f);
    kv_str(b, "country", l->country, &f);
    bool has_coord = l->precision == DS_PREC_TOWN || l->precision == DS_PREC_ADMIN1 ||
                     l->precision == DS_PREC_COUNTRY;
    key(b, "lat", &f);
    if (has_coord && isfinite(l->lat)) ds_buf_printf(b, "%.4f", l->lat);
    else ds_buf_puts(b, "null");
    key(b, "lon", &f);
    if (has_coord && isfinite(l->lon)) ds_buf_printf(b, "%.4f", l->lon);
    else ds_buf_puts(b, "null");
    kv_enum(b, "precision", ds_place_precision_names,
            l->precision ? (int)l->precision : DS_PREC_UNRESOLVED, &f);
    ds_buf_putc(b, '}');
}

static void put_time(ds_buf *b, const ds_time *t)
{
    if (!t->text) {
        ds_buf_puts(b, "null");
        return;
    }
    bool f = true;
    ds_buf_putc(b, '{');
    kv_str(b, "text", t->text, &f);
    kv_str(b, "value", t->value, &f);
    kv_enum(b, "precision", ds_time_precision_names,
            t->precision ? (int)t->precision : DS_TPREC_UNRESOLVED, &f);
    ds_buf_putc(b, '}');
}

static void put_simple_party(ds_buf *b, const ds_party *p, bool *f)
{
    kv_str(b, "text", p->text, f);
    kv_str(b, "country", p->country, f);
    kv_enum(b, "role", ds_role_names, p->role, f);
}

static void put_attribution(ds_buf *b, const ds_attribution *a)
{
    if (!a->present) {
        ds_buf_puts(b, "null");
        return;
    }
    bool f = true;
    ds_buf_putc(b, '{');
    key(b, "speaker", &f);
    if (a->speaker.text) {
        bool g = true;
        ds_buf_putc(b, '{');
        put_simple_party(b, &a->speaker, &g);
        kv_enum(b, "kind", ds_kind_names, a->kind ? (int)a->kind : DS_KIND_UNKNOWN, &g);
        ds_buf_putc(b, '}');
    } else {
        ds_buf_puts(b, "null");
    }
    key(b, "relays", &f);
    ds_buf_putc(b, '[');
    for (int i = 0; i < a->nrelays; i++) {
        bool g = true;
        if (i) ds_buf_putc(b, ',');
        ds_buf_putc(b, '{');
        put_simple_party(b, &a->relays[i], &g);
        ds_buf_putc(b, '}');
    }
    ds_buf_putc(b, ']');
    kv_str(b, "verb", a->verb, &f);
    ds_buf_putc(b, '}');
}

static void put_lethal(ds_buf *b, int v)
{
    ds_buf_puts(b, v < 0 ? "null" : v ? "true" : "false");
}

static void put_claim(ds_buf *b, const dossier_doc *doc, const ds_claim *c)
{
    bool f = true;
    ds_buf_putc(b, '{');
    kv_enum(b, "type", ds_event_names, c->type, &f);
    key(b, "sentence", &f);
    {
        const ds_sentence *s = &DS_SENT(doc, c->sentence);
        bool g = true;
        ds_buf_putc(b, '{');
        key(b, "i", &g);
        put_int(b, c->sentence);
        key(b, "text", &g);
        ds_json_strn(b, doc->text + s->start, s->end - s->start);
        key(b, "start", &g);
        put_int(b, (long long)s->start);
        key(b, "end", &g);
        put_int(b, (long long)s->end);
        ds_buf_putc(b, '}');
    }
    if (c->trigger_end > c->trigger_start) {
        key(b, "trigger", &f);
        ds_buf_putc(b, '[');
        put_int(b, (long long)c->trigger_start);
        ds_buf_putc(b, ',');
        put_int(b, (long long)c->trigger_end);
        ds_buf_putc(b, ']');
    }
    kv_enum(b, "mode", ds_mode_names, c->mode, &f);
    key(b, "lethal", &f);
    put_lethal(b, c->lethal);
    key(b, "ordered", &f);
    ds_buf_puts(b, c->ordered ? "true" : "false");
    key(b, "actor", &f);
    put_party(b, &c->actor, c, false);
    key(b, "target", &f);
    put_party(b, &c->target, c, true);
    key(b, "location", &f);
    put_location(b, &c->location);
    key(b, "time", &f);
    put_time(b, &c->time);
    key(b, "attribution", &f);
    put_attribution(b, &c->attribution);
    key(b, "evidence", &f);
    put_bits(b, ds_evidence_names, DS_EVID__BITS, c->evidence);
    kv_enum(b, "modality", ds_modality_names, c->modality ? (int)c->modality : DS_MOD_ASSERTED,
            &f);
    key(b, "ihl", &f);
    put_bits(b, ds_ihl_names, DS_IHL__BITS, c->ihl);
    ds_buf_putc(b, '}');
}

dossier_status ds_doc_write_json(const dossier_doc *doc, ds_buf *b)
{
    bool f = true;
    ds_buf_puts(b, "{\"doc\":{");
    kv_str(b, "id", doc->id, &f);
    kv_str(b, "path", doc->path, &f);
    kv_str(b, "url", doc->url, &f);
    kv_str(b, "title", doc->title, &f);
    kv_str(b, "outlet", doc->outlet, &f);
    kv_str(b, "published", doc->published, &f);
    kv_str(b, "byline", doc->byline, &f);
    kv_str(b, "origin", doc->origin, &f);
    kv_str(b, "platform", doc->platform, &f);
    key(b, "flags", &f);
    put_bits(b, ds_flag_names, DS_FLAG__BITS, doc->flags);
    kv_str(b, "lang", doc->lang, &f);
    key(b, "format", &f);
    ds_buf_puts(b, doc->format == DOSSIER_FORMAT_HTML ? "\"html\"" : "\"text\"");
    if (doc->extra_json) {
        key(b, "extra", &f);
        ds_buf_puts(b, doc->extra_json);
    }
    ds_buf_puts(b, "},\"text\":");
    ds_json_strn(b, doc->text ? doc->text : "", doc->text_len);
    ds_buf_printf(b, ",\"dropped\":{\"boilerplate\":%d,\"duplicate\":%d}",
                  doc->dropped_boilerplate, doc->dropped_duplicate);
    ds_buf_puts(b, ",\"sentences\":[");
    for (size_t i = 0; i < doc->sentences.n; i++) {
        ds_buf_puts(b, i ? ",[" : "[");
        put_int(b, (long long)DS_SENT(doc, i).start);
        ds_buf_putc(b, ',');
        put_int(b, (long long)DS_SENT(doc, i).end);
        ds_buf_putc(b, ']');
    }
    ds_buf_puts(b, "],\"claims\":[");
    for (size_t i = 0; i < doc->claims.n; i++) {
        if (i) ds_buf_putc(b, ',');
        put_claim(b, doc, &DS_CLAIM(doc, i));
    }
    ds_buf_puts(b, "]}\n");
    return b->oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}
