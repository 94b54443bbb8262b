/*
 * incidents.c — linking claims of one real-world event across documents,
 * incrementally, through the store.h ops only (no SQL here).
 *
 * For each new claim: candidate incidents come from the store (same type and
 * an overlapping date window near the claim's place, or sharing a sentence
 * LSH key — copies of the same sentence); each candidate is checked for
 * compatibility (date windows overlap, places within PLACE_KM, actor and
 * target countries and victim status not contradicting) and scored (place,
 * date, parties, sentence similarity).  The best candidate scoring at least
 * LINK_SCORE gets the claim; otherwise the claim starts a new incident.
 * Mirror claims — the same type of act with actor and target countries
 * swapped, within MIRROR_DAYS — are linked as mirrors, never merged.
 * Aggregates (origins, countries, modality range, best place and date) are
 * recomputed for touched incidents only, when the batch commits
 * (incident_agg.c).
 */
#include "store.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define PLACE_KM 30.0        /* two towns further apart are two events */
#define ADMIN1_KM 200.0
#define LINK_SCORE 3
#define MIRROR_DAYS 7
#define MIRROR_KM 100.0      /* mirror allegations are about the same front */
#define MIRROR_MAX 3         /* mirror links made per claim */
#define MAX_CANDIDATES 200

/* ---- sentence signature: MinHash over word unigrams and bigrams -------- */
static void sentence_sig(const char *s, size_t n, uint32_t sig[DS_SENT_SIG],
                         uint64_t keys[DS_SENT_BANDS])
{
    for (int i = 0; i < DS_SENT_SIG; i++) sig[i] = UINT32_MAX;
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    uint64_t prev = 0;
    bool have_prev = false, any = false;
    while (p < e) {
        while (p < e && !(isalnum(*p) || *p >= 0x80)) p++;
        if (p >= e) break;
        char w[48];
        size_t k = 0;
        while (p < e && (isalnum(*p) || *p >= 0x80)) {
            if (k < sizeof w) w[k++] = (char)tolower(*p);
            p++;
        }
        uint64_t h = XXH3_64bits(w, k);
        uint64_t grams[2] = {h, have_prev ? XXH3_64bits_withSeed(&prev, 8, h) : 0};
        for (int g = 0; g < (have_prev ? 2 : 1); g++)
            for (int i = 0; i < DS_SENT_SIG; i++) {
                uint64_t x = (grams[g] ^ (0x9E3779B97F4A7C15ull * (uint64_t)(i + 1))) *
                             0xBF58476D1CE4E5B9ull;
                x ^= x >> 29;
                uint32_t v = (uint32_t)(x >> 32);
                if (v < sig[i]) sig[i] = v;
            }
        prev = h;
        have_prev = any = true;
    }
    int rows = DS_SENT_SIG / DS_SENT_BANDS;
    for (int b = 0; b < DS_SENT_BANDS; b++)
        keys[b] = any ? XXH3_64bits_withSeed(&sig[b * rows], (size_t)rows * 4, 0x51 + (uint64_t)b)
                      : 0;
}

/* ---- one claim's features ---------------------------------------------- */
typedef struct feat {
    ds_event_type type;
    int32_t day, lo, hi;
    bool has_coord;
    double lat, lon;
    ds_place_precision precision;
    const char *place;      /* place name or text, NULL none */
    const char *country;    /* of the place */
    const char *actor_country, *target_country;
    ds_victim_status status;
    uint32_t sig[DS_SENT_SIG];
    uint64_t keys[DS_SENT_BANDS];
} feat;

static bool set(const char *c) { return c && c[0]; }

static void claim_feat(const dossier_doc *doc, const ds_claim *c, feat *f)
{
    memset(f, 0, sizeof *f);
    f->type = c->type ? c->type : DS_EV_ATTACK;
    f->day = ds_claim_day(&c->time, doc->published, &f->lo, &f->hi);
    const ds_location *l = &c->location;
    if (l->text) {
        f->precision = l->precision ? l->precision : DS_PREC_UNRESOLVED;
        f->has_coord = (l->precision == DS_PREC_TOWN || l->precision == DS_PREC_ADMIN1) &&
                       isfinite(l->lat) && isfinite(l->lon);
        f->lat = l->lat;
        f->lon = l->lon;
        f->place = l->name ? l->name : l->text;
        f->country = l->country;
    }
    f->actor_country = c->actor.country;
    f->target_country = c->target.country;
    f->status = c->status;
    const ds_sentence *s = &DS_SENT(doc, c->sentence);
    sentence_sig(doc->text + s->start, s->end - s->start, f->sig, f->keys);
}

/* ---- scoring ------------------------------------------------------------ */
static bool differ(const char *a, const char *b) { return set(a) && set(b) && strcmp(a, b); }

/* < 0: incompatible; else the evidence that they are one event.  Without a
 * matching place, only similar sentences (≥ 0.3) may link: the same type on
 * the same day by the same side is not enough on its own. */
static int score(const feat *f, const ds_incident *inc)
{
    bool place_match = false;
    if (inc->type != f->type) return -1;
    if (differ(f->actor_country, inc->actor_country)) return -1;
    if (differ(f->target_country, inc->target_country)) return -1;
    if (f->status && inc->status && f->status != inc->status) return -1;
    double sim = ds_sig_jaccard(f->sig, inc->sig, DS_SENT_SIG);
    int pts = 0;
    if (f->day && inc->day) {
        if (f->hi < inc->day_lo || f->lo > inc->day_hi) return -1;
        pts += (f->hi - f->lo <= 2 && inc->day_hi - inc->day_lo <= 2) ? 2 : 1;
    }
    if (f->has_coord && inc->has_coord) {
        double km = ds_km(f->lat, f->lon, inc->lat, inc->lon);
        bool coarse = f->precision != DS_PREC_TOWN || inc->precision != DS_PREC_TOWN;
        if (km > (coarse ? ADMIN1_KM : PLACE_KM)) return -1;
        pts += coarse ? 1 : 2;
        place_match = !coarse;
    } else if (set(f->place) && set(inc->place)) {
        if (strcasecmp(f->place, inc->place) != 0) {
            /* different names without coordinates: only the same country is
             * not a contradiction when either is a country */
            if (f->precision != DS_PREC_COUNTRY && inc->precision != DS_PREC_COUNTRY)
                return -1;
        } else {
            pts += 2;
            place_match = true;
        }
    }
    if (set(f->actor_country) && set(inc->actor_country)) pts += 1;
    if (set(f->target_country) && set(inc->target_country)) pts += 1;
    if (f->status && inc->status) pts += 1;
    if (sim >= 0.6) pts += 3;
    else if (sim >= 0.3) pts += 1;
    if (!place_match && sim < 0.3) return 0;
    if (!(f->day && inc->day) && !place_match && sim < 0.6) return 0;
    return pts;
}

typedef struct best_ctx {
    const feat *f;
    int64_t self;
    int64_t best;
    int best_score;
} best_ctx;

static dossier_status on_candidate(const ds_incident *inc, void *user)
{
    best_ctx *b = user;
    int sc = score(b->f, inc);
    if (sc >= LINK_SCORE && sc > b->best_score) {
        b->best = inc->id;
        b->best_score = sc;
    }
    return DOSSIER_OK;
}

static void probe_of(const feat *f, ds_incident_probe *p)
{
    memset(p, 0, sizeof *p);
    p->type = f->type;
    p->day_lo = f->lo;
    p->day_hi = f->hi;
    /* a town looks in the grid cells around it (0.5° ≥ PLACE_KM at these
     * latitudes); a region looks at every place in the date window */
    if (f->has_coord && f->precision == DS_PREC_TOWN) {
        p->has_coord = true;
        ds_geo_cells_around(f->lat, f->lon, p->cells);
    }
    memcpy(p->keys, f->keys, sizeof p->keys);
    p->use_keys = true;
    p->limit = MAX_CANDIDATES;
}

static void fill_new(const dossier_doc *doc, const ds_claim *c, const feat *f, ds_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->type = f->type;
    inc->day = f->day;
    inc->day_lo = f->lo;
    inc->day_hi = f->hi;
    if (c->time.text && c->time.value[0] && c->time.value[0] != 'X')
        ds_copy_text(inc->date, sizeof inc->date, c->time.value);
    else if (f->day && c->time.text)
        ds_day_to_iso(f->day, inc->date);
    ds_copy_text(inc->place, sizeof inc->place, f->place);
    ds_copy_text(inc->admin1, sizeof inc->admin1, c->location.admin1);
    ds_copy_text(inc->country, sizeof inc->country, f->country);
    inc->has_coord = f->has_coord;
    inc->lat = f->lat;
    inc->lon = f->lon;
    inc->precision = f->precision;
    ds_copy_text(inc->actor, sizeof inc->actor, c->actor.text);
    ds_copy_text(inc->target, sizeof inc->target, c->target.text);
    ds_copy_text(inc->actor_country, sizeof inc->actor_country, c->actor.country);
    ds_copy_text(inc->target_country, sizeof inc->target_country, c->target.country);
    inc->status = c->status;
    inc->site = c->site;
    inc->nclaims = inc->ndocs = inc->norigins = 1;
    inc->strongest = inc->weakest = c->modality ? c->modality : DS_MOD_ASSERTED;
    inc->ihl = c->ihl;
    inc->fatalities = -1;
    const ds_sentence *s = &DS_SENT(doc, c->sentence);
    size_t n = s->end - s->start;
    if (n >= sizeof inc->summary) n = sizeof inc->summary - 1;
    while (n && (doc->text[s->start + n] & 0xC0) == 0x80) n--;
    memcpy(inc->summary, doc->text + s->start, n);
    inc->summary[n] = 0;
    memcpy(inc->sig, f->sig, sizeof inc->sig);
}

typedef struct mirror_ctx {
    ds_store *s;
    const feat *f;
    int64_t self;
    ds_ingest_stats *st;
    int links;
} mirror_ctx;

/* A mirror: same type, swapped countries (the probe asks for that), close
 * in time, the same kind of victim, and not somewhere else on the map. */
static dossier_status on_mirror(const ds_incident *inc, void *user)
{
    mirror_ctx *m = user;
    const feat *f = m->f;
    if (inc->id == m->self || m->links >= MIRROR_MAX) return DOSSIER_OK;
    if (!inc->day || inc->day < f->lo - MIRROR_DAYS || inc->day > f->hi + MIRROR_DAYS)
        return DOSSIER_OK;
    if (f->status && inc->status && f->status != inc->status) return DOSSIER_OK;
    if (f->has_coord && inc->has_coord && ds_km(f->lat, f->lon, inc->lat, inc->lon) > MIRROR_KM)
        return DOSSIER_OK;
    m->links++;
    m->st->mirrors++;
    return m->s->ops->mirror_put(m->s, m->self, inc->id);
}

static dossier_status push_id(ds_vec *v, int64_t id)
{
    int64_t *slot = ds_vec_push(v, sizeof(int64_t));
    if (!slot) return DOSSIER_ENOMEM;
    *slot = id;
    return DOSSIER_OK;
}

dossier_status ds_link_claim(ds_store *s, const dossier_doc *doc, size_t i,
                             int64_t *doc_incidents, ds_vec *touched, ds_ingest_stats *st)
{
    const ds_claim *c = &DS_CLAIM(doc, i);
    feat f;
    claim_feat(doc, c, &f);
    dossier_status r = DOSSIER_OK;
    int64_t id = 0;
    /* a later mention in the same document without place or time of its own
     * ("the shooting") is the act an earlier claim of that type described */
    if (!c->location.text && !c->time.text)
        for (size_t j = i; j-- > 0 && !id;) {
            const ds_claim *e = &DS_CLAIM(doc, j);
            if (e->type != c->type || !doc_incidents[j]) continue;
            ds_incident inc;
            if (s->ops->get_incident(s, doc_incidents[j], &inc) != DOSSIER_OK) continue;
            feat g = f;
            memcpy(g.sig, inc.sig, sizeof g.sig);   /* not a text comparison */
            if (score(&g, &inc) >= 0) id = doc_incidents[j];
        }
    if (!id) {
        ds_incident_probe p;
        probe_of(&f, &p);
        best_ctx b = {.f = &f};
        r = s->ops->incident_candidates(s, &p, on_candidate, &b);
        if (r != DOSSIER_OK) return r;
        id = b.best;
    }
    if (!id) {
        ds_incident inc;
        fill_new(doc, c, &f, &inc);
        r = s->ops->incident_put(s, &inc, NULL);
        if (r != DOSSIER_OK) return r;
        id = inc.id;
        st->incidents_new++;
    } else {
        st->incidents_linked++;
    }
    doc_incidents[i] = id;
    r = s->ops->incident_add_keys(s, id, f.keys, DS_SENT_BANDS);
    if (r == DOSSIER_OK) r = push_id(touched, id);
    /* mirrors: the same act with the sides swapped, close in time */
    if (r == DOSSIER_OK && f.day && set(f.actor_country) && set(f.target_country) &&
        strcmp(f.actor_country, f.target_country) != 0) {
        ds_incident_probe mp = {0};
        mp.type = f.type;
        mp.day_lo = f.lo - MIRROR_DAYS;
        mp.day_hi = f.hi + MIRROR_DAYS;
        mp.day_exact = true;   /* on_mirror wants the best day in that window */
        if (f.has_coord && f.precision == DS_PREC_TOWN) {
            mp.has_coord = true;
            ds_geo_cells_around(f.lat, f.lon, mp.cells);
        }
        memcpy(mp.actor_country, f.target_country, 4);
        memcpy(mp.target_country, f.actor_country, 4);
        mp.limit = 50;
        mirror_ctx m = {s, &f, id, st, 0};
        r = s->ops->incident_candidates(s, &mp, on_mirror, &m);
    }
    return r;
}
