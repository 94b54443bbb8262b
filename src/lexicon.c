/*
 * lexicon.c — the word lexicon of the shallow parser, loaded once into the
 * context: data/claims/lexicon.tsv and nouns.tsv, data/parties/ roles, actors
 * and countries, and WordNet's exception lists (package wordnet-base:
 * verb.exc, noun.exc); and the string map that holds it.  Keys are written
 * the way tokens.c tokenises text (lower-case forms joined by single spaces).
 */
#include "nlp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#ifndef DOSSIER_WORDNET_DEFAULT
#define DOSSIER_WORDNET_DEFAULT "/usr/share/wordnet"
#endif

/* ---- string map ----------------------------------------------------------- */
struct ds_smap_slot {
    uint64_t h;
    uint32_t off, len;
    int32_t val;
    bool used;
};

static bool smap_grow(ds_smap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    struct ds_smap_slot *s = ds_calloc(cap, sizeof *s);
    if (!s) return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].used) continue;
        size_t j = m->slots[i].h & (cap - 1);
        while (s[j].used) j = (j + 1) & (cap - 1);
        s[j] = m->slots[i];
    }
    ds_free(m->slots);
    m->slots = s;
    m->cap = cap;
    return true;
}

int32_t *ds_smap_put(ds_smap *m, const char *k, size_t n)
{
    if ((m->n + 1) * 2 > m->cap && !smap_grow(m)) return NULL;
    uint64_t h = XXH3_64bits(k, n);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].used) {
        struct ds_smap_slot *s = &m->slots[j];
        if (s->h == h && s->len == n && memcmp(m->pool.p + s->off, k, n) == 0) return &s->val;
        j = (j + 1) & (m->cap - 1);
    }
    size_t off = m->pool.n;
    ds_buf_put(&m->pool, k, n);
    if (m->pool.oom) return NULL;
    m->slots[j] = (struct ds_smap_slot){h, (uint32_t)off, (uint32_t)n, -1, true};
    m->n++;
    return &m->slots[j].val;
}

int32_t ds_smap_get(const ds_smap *m, const char *k, size_t n)
{
    if (!m->cap) return -1;
    uint64_t h = XXH3_64bits(k, n);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].used) {
        const struct ds_smap_slot *s = &m->slots[j];
        if (s->h == h && s->len == n && memcmp(m->pool.p + s->off, k, n) == 0) return s->val;
        j = (j + 1) & (m->cap - 1);
    }
    return -1;
}

void ds_smap_free(ds_smap *m)
{
    ds_free(m->slots);
    ds_buf_free(&m->pool);
    memset(m, 0, sizeof *m);
}

/* ---- lexicon ---------------------------------------------------------------- */
const ds_lex *ds_lex_get(const ds_claim_rules *r, const char *w, size_t n)
{
    int32_t i = ds_smap_get(&r->words, w, n);
    return i >= 0 ? &r->lex[i] : NULL;
}

/* Normalise a key the way the text is tokenised: lower-case token forms
 * joined by single spaces.  Returns token count, 0 on error. */
static int norm_key(const char *k, size_t n, ds_buf *out)
{
    ds_toks ts = {0};
    ds_buf_reset(out);
    int nt = 0;
    if (ds_toks_tokenise(&ts, k, n) == DOSSIER_OK) {
        for (int i = 0; i < ts.n; i++) {
            if (i) ds_buf_putc(out, ' ');
            ds_buf_put(out, ts.low.p + ts.t[i].lo, ts.t[i].ln);
        }
        nt = ts.n;
    }
    ds_toks_free(&ts);
    return out->oom ? 0 : nt;
}

/* Entry for key (created zeroed when new); NULL on ENOMEM. */
static ds_lex *lex_entry(ds_claim_rules *r, const char *key, size_t n, ds_buf *tmp)
{
    int nw = norm_key(key, n, tmp);
    if (nw <= 0) return NULL;
    int32_t *v = ds_smap_put(&r->words, tmp->p, tmp->n);
    if (!v) return NULL;
    if (*v < 0) {
        if (r->nlex == r->caplex) {
            size_t cap = r->caplex ? r->caplex * 2 : 1024;
            ds_lex *l = ds_realloc(r->lex, cap * sizeof *l);
            if (!l) return NULL;
            r->lex = l;
            r->caplex = cap;
        }
        memset(&r->lex[r->nlex], 0, sizeof(ds_lex));
        r->lex[r->nlex].nwords = (uint8_t)(nw > 255 ? 255 : nw);
        *v = (int32_t)r->nlex++;
    }
    int32_t idx = *v;
    if (nw > 1) {
        /* mark the first word as a phrase start */
        const char *sp = memchr(tmp->p, ' ', tmp->n);
        size_t fl = (size_t)(sp - tmp->p);
        char first[128];
        if (fl < sizeof first) {
            memcpy(first, tmp->p, fl);
            int32_t *fv = ds_smap_put(&r->words, first, fl);
            if (!fv) return NULL;
            if (*fv < 0) {
                if (r->nlex == r->caplex) {
                    size_t cap = r->caplex * 2;
                    ds_lex *l = ds_realloc(r->lex, cap * sizeof *l);
                    if (!l) return NULL;
                    r->lex = l;
                    r->caplex = cap;
                }
                memset(&r->lex[r->nlex], 0, sizeof(ds_lex));
                r->lex[r->nlex].nwords = 1;
                *fv = (int32_t)r->nlex++;
            }
            ds_lex *fe = &r->lex[*fv];
            fe->f |= WF(W_PHRASE_START);
            if (fe->max_phrase < nw) fe->max_phrase = (uint8_t)nw;
        }
    }
    return &r->lex[idx];
}

/* Read a data file line by line; cb gets TAB-split fields.  Comments (#) and
 * blank lines skipped.  Errors name the file and line. */
typedef dossier_status (*line_cb)(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                  const char *file, int line, char *err, size_t errlen);

static dossier_status read_tsv(ds_claim_rules *r, const char *dir, const char *name, line_cb cb,
                               char *err, size_t errlen)
{
    char *path = ds_data_path(dir, name);
    if (!path) return DOSSIER_ENOMEM;
    char *buf;
    size_t len;
    dossier_status st = ds_read_file(path, &buf, &len);
    if (st != DOSSIER_OK) {
        if (err) snprintf(err, errlen, "%s: cannot read", path);
        ds_free(path);
        return st == DOSSIER_ENOMEM ? st : DOSSIER_EDATA;
    }
    ds_buf tmp = {0};
    int line = 0;
    char *p = buf;
    while (st == DOSSIER_OK && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        line++;
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[--l] = 0;
        if (l && p[0] != '#') {
            char *f[8] = {0};
            int nf = 0;
            char *q = p;
            while (nf < 8) {
                f[nf++] = q;
                char *tab = strchr(q, '\t');
                if (!tab) break;
                *tab = 0;
                q = tab + 1;
            }
            st = cb(r, f, nf, &tmp, path, line, err, errlen);
        }
        if (!nl) break;
        p = nl + 1;
    }
    ds_buf_free(&tmp);
    ds_free(buf);
    ds_free(path);
    return st;
}

static dossier_status bad_line(const char *file, int line, const char *what, char *err,
                               size_t errlen)
{
    if (err) snprintf(err, errlen, "%s:%d: %s", file, line, what);
    return DOSSIER_EDATA;
}

static const struct { const char *name; int bit; } tag_words[] = {
    {"DET", W_DET}, {"PRON", W_PRON}, {"POSS", W_POSS}, {"PREP", W_PREP}, {"CONJ", W_CONJ},
    {"SUB", W_SUB}, {"REL", W_REL}, {"AUX", W_AUX}, {"BE", W_BE}, {"HAVE", W_HAVE},
    {"MODAL", W_MODAL}, {"NEG", W_NEG}, {"TO", W_TO}, {"ADV", W_ADV}, {"ADJ", W_ADJ},
    {"VERB", W_VERB}, {"NUM", W_NUM}, {"QUAL", W_QUAL}, {"SPEECH", W_SPEECH},
    {"ORDER", W_ORDER}, {"LIGHT", W_LIGHT}, {"CATV", W_CATV}, {"USE", W_USE},
    {"LETHAL", W_LETHAL}, {"NONLETHAL", W_NONLETHAL}, {"SING", W_SING}, {"PLUR", W_PLUR},
    {"PERSON", W_PERSON}, {"SELF", W_SELF}, {"MONTH", W_MONTH}, {"WEEKDAY", W_WDAY},
    {"TIMEREL", W_TREL}, {"TIMEUNIT", W_TUNIT}};

static dossier_status lexicon_line(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                   const char *file, int line, char *err, size_t errlen)
{
    if (nf < 2) return bad_line(file, line, "expected: word TAB tags [TAB value]", err, errlen);
    ds_lex *e = lex_entry(r, f[0], strlen(f[0]), tmp);
    if (!e) return DOSSIER_ENOMEM;
    char *save = NULL;
    for (char *t = strtok_r(f[1], " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        size_t k;
        for (k = 0; k < DS_ARRAY_LEN(tag_words); k++)
            if (!strcmp(t, tag_words[k].name)) break;
        if (k == DS_ARRAY_LEN(tag_words)) return bad_line(file, line, "unknown tag", err, errlen);
        e->f |= WF(tag_words[k].bit);
        if (tag_words[k].bit == W_NUM) e->num = nf > 2 ? atoll(f[2]) : 0;
        if (tag_words[k].bit == W_QUAL && nf > 2) {
            int q = ds_enum_parse(ds_qualifier_names, DS_QUAL__COUNT, f[2], strlen(f[2]));
            if (!q) return bad_line(file, line, "unknown qualifier", err, errlen);
            e->qual = (uint8_t)q;
        }
    }
    return DOSSIER_OK;
}

static dossier_status roles_line(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                 const char *file, int line, char *err, size_t errlen)
{
    if (nf < 2) return bad_line(file, line, "expected: word TAB role [TAB options]", err, errlen);
    ds_lex *e = lex_entry(r, f[0], strlen(f[0]), tmp);
    if (!e) return DOSSIER_ENOMEM;
    if (strcmp(f[1], "-")) {
        int role = ds_enum_parse(ds_role_names, DS_ROLE__COUNT, f[1], strlen(f[1]));
        if (!role) return bad_line(file, line, "unknown role", err, errlen);
        e->role = (uint8_t)role;
    }
    e->f |= WF(W_ROLE);
    if (nf > 2) {
        char *save = NULL;
        for (char *t = strtok_r(f[2], " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            if (!strcmp(t, "person")) e->f |= WF(W_PERSON);
            else if (!strcmp(t, "plural")) e->f |= WF(W_PLUR);
            else if (!strcmp(t, "mod")) e->f |= WF(W_MOD);
            else if (!strncmp(t, "status=", 7)) {
                int s = ds_enum_parse(ds_status_names, DS_STATUS__COUNT, t + 7, strlen(t + 7));
                if (!s) return bad_line(file, line, "unknown status", err, errlen);
                e->status = (uint8_t)s;
            } else {
                return bad_line(file, line, "unknown option", err, errlen);
            }
        }
    }
    return DOSSIER_OK;
}

static dossier_status nouns_line(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                 const char *file, int line, char *err, size_t errlen)
{
    if (nf < 3) return bad_line(file, line, "expected: word TAB class TAB value", err, errlen);
    ds_lex *e = lex_entry(r, f[0], strlen(f[0]), tmp);
    if (!e) return DOSSIER_ENOMEM;
    if (!strcmp(f[1], "site")) {
        int s = ds_enum_parse(ds_site_names, DS_SITE__COUNT, f[2], strlen(f[2]));
        if (!s) return bad_line(file, line, "unknown site", err, errlen);
        e->site = (uint8_t)s;
        e->f |= WF(W_SITE) | WF(W_PLACE);
    } else if (!strcmp(f[1], "weapon")) {
        int m = strcmp(f[2], "-") ? ds_enum_parse(ds_mode_names, DS_MODE__COUNT, f[2], strlen(f[2])) : 0;
        if (!m && strcmp(f[2], "-")) return bad_line(file, line, "unknown mode", err, errlen);
        e->mode = (uint8_t)m;
        e->f |= WF(W_WEAPON);
    } else if (!strcmp(f[1], "place")) {
        e->f |= WF(W_PLACE);
    } else if (!strcmp(f[1], "thing")) {
        e->f |= WF(W_THING);
    } else if (!strcmp(f[1], "unit")) {
        int u = ds_enum_parse(ds_unit_names, DS_UNIT__COUNT, f[2], strlen(f[2]));
        if (!u) return bad_line(file, line, "unknown unit", err, errlen);
        e->unit = (uint8_t)u;
        e->f |= WF(W_UNIT);
    } else {
        return bad_line(file, line, "unknown class", err, errlen);
    }
    return DOSSIER_OK;
}

bool ds_all_caps(const char *s, size_t n)
{
    int letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)s[i])) return false;
        if (isupper((unsigned char)s[i])) letters++;
    }
    return letters >= 2;
}

static dossier_status add_entity(ds_claim_rules *r, const char *name, size_t n,
                                 const char *cc, ds_role role, bool demonym, ds_buf *tmp)
{
    ds_lex *e = lex_entry(r, name, n, tmp);
    if (!e) return DOSSIER_ENOMEM;
    if (demonym) {
        e->f |= WF(W_DEMONYM);
    } else {
        if (e->f & WF(W_ENTITY)) return DOSSIER_OK;   /* first definition wins */
        e->f |= WF(W_ENTITY);
        e->ent_role = (uint8_t)role;
    }
    if (ds_all_caps(name, n)) e->f |= WF(W_CASED);
    if (cc && strcmp(cc, "-")) {
        memcpy(e->country, cc, 3);
        e->country[3] = 0;
    }
    return DOSSIER_OK;
}

static dossier_status countries_line(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                     const char *file, int line, char *err, size_t errlen)
{
    if (nf < 4 || strlen(f[0]) != 3)
        return bad_line(file, line, "expected: ISO3 TAB names TAB demonyms TAB capitals", err, errlen);
    for (int col = 1; col <= 3; col++) {
        if (!strcmp(f[col], "-")) continue;
        char *save = NULL;
        for (char *t = strtok_r(f[col], "|", &save); t; t = strtok_r(NULL, "|", &save)) {
            dossier_status st = add_entity(r, t, strlen(t), f[0], DS_ROLE_GOV, col == 2, tmp);
            if (st != DOSSIER_OK) return st;
            if (col != 2) {
                ds_lex *pe = lex_entry(r, t, strlen(t), tmp);
                if (!pe) return DOSSIER_ENOMEM;
                pe->f |= WF(W_PLACE) | (col == 1 ? WF(W_COUNTRY) : 0);
            }
            if (col == 2) {
                /* plural noun: the Russians, the Ukrainians */
                size_t l = strlen(t);
                if (l > 2 && t[l - 1] != 's' && strcmp(t + l - 2, "sh") && strcmp(t + l - 2, "ch") &&
                    (l < 3 || strcmp(t + l - 3, "ese"))) {
                    char pl[128];
                    snprintf(pl, sizeof pl, "%ss", t);
                    st = add_entity(r, pl, strlen(pl), f[0], DS_ROLE_MIL, true, tmp);
                    if (st != DOSSIER_OK) return st;
                    ds_lex *e = lex_entry(r, pl, strlen(pl), tmp);
                    if (!e) return DOSSIER_ENOMEM;
                    e->f |= WF(W_PLUR) | WF(W_PERSON);
                    e->role = DS_ROLE_MIL;
                }
            }
        }
    }
    return DOSSIER_OK;
}

static dossier_status actors_line(ds_claim_rules *r, char **f, int nf, ds_buf *tmp,
                                  const char *file, int line, char *err, size_t errlen)
{
    if (nf < 3) return bad_line(file, line, "expected: name TAB country TAB role", err, errlen);
    int role = ds_enum_parse(ds_role_names, DS_ROLE__COUNT, f[2], strlen(f[2]));
    if (!role) return bad_line(file, line, "unknown role", err, errlen);
    if (strcmp(f[1], "-") && strlen(f[1]) != 3)
        return bad_line(file, line, "country must be ISO alpha-3 or -", err, errlen);
    return add_entity(r, f[0], strlen(f[0]), f[1], (ds_role)role, false, tmp);
}

/* WordNet exception list "form base [base2]" → map form → base. */
static dossier_status load_exc(ds_claim_rules *r, const char *path, ds_smap *m)
{
    char *buf;
    size_t len;
    if (ds_read_file(path, &buf, &len) != DOSSIER_OK) return DOSSIER_OK;   /* optional */
    dossier_status st = DOSSIER_OK;
    char *save = NULL;
    for (char *ln = strtok_r(buf, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        char *sp = strchr(ln, ' ');
        if (!sp) continue;
        *sp = 0;
        char *base = sp + 1;
        char *sp2 = strchr(base, ' ');
        if (sp2) *sp2 = 0;
        if (strchr(ln, '_')) continue;
        int32_t *v = ds_smap_put(m, ln, strlen(ln));
        if (!v) { st = DOSSIER_ENOMEM; break; }
        if (*v >= 0) continue;
        *v = (int32_t)r->exc_pool.n;
        ds_buf_put(&r->exc_pool, base, strlen(base) + 1);
    }
    ds_free(buf);
    return r->exc_pool.oom ? DOSSIER_ENOMEM : st;
}

dossier_status ds_lexicon_load(ds_claim_rules *r, const char *data_dir, char *err,
                               size_t errlen)
{
    dossier_status st = read_tsv(r, data_dir, "claims/lexicon.tsv", lexicon_line, err, errlen);
    if (st == DOSSIER_OK) st = read_tsv(r, data_dir, "parties/roles.tsv", roles_line, err, errlen);
    if (st == DOSSIER_OK) st = read_tsv(r, data_dir, "claims/nouns.tsv", nouns_line, err, errlen);
    if (st == DOSSIER_OK) st = read_tsv(r, data_dir, "parties/actors.tsv", actors_line, err, errlen);
    if (st == DOSSIER_OK)
        st = read_tsv(r, data_dir, "parties/countries.tsv", countries_line, err, errlen);
    const char *wn = getenv("DOSSIER_WORDNET");
    if (!wn || !*wn) wn = DOSSIER_WORDNET_DEFAULT;
    char path[1024];
    snprintf(path, sizeof path, "%s/verb.exc", wn);
    if (st == DOSSIER_OK) st = load_exc(r, path, &r->vexc);
    snprintf(path, sizeof path, "%s/noun.exc", wn);
    if (st == DOSSIER_OK) st = load_exc(r, path, &r->nexc);
    return st;
}
