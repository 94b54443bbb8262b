/*
 * attr_lex.c — the lexicons of data/attribution/ (speech verbs, modality
 * cues, speaker nouns, evidence words, relay patterns, function words), a
 * word tokenizer that keeps byte offsets and the quotation state of every
 * token, and a longest-phrase matcher over tokens.  Used by attribution.c.
 *
 * Hand-written because the job is tiny and specific: PCRE2 could match the
 * phrases, but one hash lookup per token and a walk over the few phrases that
 * start with that word is simpler and faster than hundreds of regexes, and no
 * library tracks English quotation marks across paragraphs.
 */
#include "attr_lex.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#define MAXW 8   /* words per phrase */
#define GAP 6    /* tokens a "..." may skip */

typedef struct phrase {
    unsigned char cls, val, nw;
    char *w[MAXW];
} phrase;

typedef struct entry {
    char *word;         /* NULL: empty slot */
    size_t len;         /* strlen(word) */
    unsigned wbits;
    unsigned classes;   /* bit cls: some phrase of class cls starts with this word */
    int *ph, nph, cap;  /* phrases starting with this word */
    int single[AL__COUNT]; /* value+1 of a one-word phrase of each class, 0 none */
} entry;

struct ds_attr_rules {
    entry *tab;
    size_t cap, n;
    phrase *ph;
    int nph, capph;
};

/* ---- hash table of words -------------------------------------------------- */
static size_t slot_of(const ds_attr_rules *r, const char *w, size_t n)
{
    size_t h = (size_t)XXH64(w, n, 0) & (r->cap - 1);
    while (r->tab[h].word && !(r->tab[h].len == n && memcmp(r->tab[h].word, w, n) == 0))
        h = (h + 1) & (r->cap - 1);
    return h;
}

static int find_entry(const ds_attr_rules *r, const char *w, size_t n)
{
    if (!r->cap || !n) return -1;
    size_t h = slot_of(r, w, n);
    return r->tab[h].word ? (int)h : -1;
}

static dossier_status grow(ds_attr_rules *r)
{
    size_t ncap = r->cap ? r->cap * 2 : 1024;
    entry *nt = ds_calloc(ncap, sizeof *nt);
    if (!nt) return DOSSIER_ENOMEM;
    entry *old = r->tab;
    size_t ocap = r->cap;
    r->tab = nt;
    r->cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].word) r->tab[slot_of(r, old[i].word, old[i].len)] = old[i];
    ds_free(old);
    return DOSSIER_OK;
}

static entry *get_entry(ds_attr_rules *r, const char *w)
{
    if ((r->n + 1) * 2 > r->cap && grow(r) != DOSSIER_OK) return NULL;
    size_t wl = strlen(w);
    size_t h = slot_of(r, w, wl);
    entry *e = &r->tab[h];
    if (!e->word) {
        e->word = ds_strdup(w);
        if (!e->word) return NULL;
        e->len = wl;
        r->n++;
    }
    return e;
}

void at_rules_free(ds_attr_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->cap; i++) {
        ds_free(r->tab[i].word);
        ds_free(r->tab[i].ph);
    }
    ds_free(r->tab);
    for (int i = 0; i < r->nph; i++)
        for (int k = 0; k < r->ph[i].nw; k++) ds_free(r->ph[i].w[k]);
    ds_free(r->ph);
    ds_free(r);
}

/* ---- loading ------------------------------------------------------------- */
static void lower_apos(char *s)
{
    /* lower-case ASCII; a curly apostrophe (E2 80 99) becomes ' */
    char *o = s;
    for (char *p = s; *p; p++) {
        if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0x99 || (unsigned char)p[2] == 0x98)) {
            *o++ = '\'';
            p += 2;
        } else {
            *o++ = (char)tolower((unsigned char)*p);
        }
    }
    *o = 0;
}

static dossier_status add_phrase(ds_attr_rules *r, int cls, int val, char *text)
{
    phrase p = {.cls = (unsigned char)cls, .val = (unsigned char)val};
    for (char *w = strtok(text, " \t"); w; w = strtok(NULL, " \t")) {
        if (p.nw == MAXW) return DOSSIER_EDATA;
        p.w[p.nw] = ds_strdup(w);
        if (!p.w[p.nw]) goto oom;
        p.nw++;
    }
    if (!p.nw) return DOSSIER_OK;
    if (r->nph == r->capph) {
        int nc = r->capph ? r->capph * 2 : 256;
        phrase *np = ds_realloc(r->ph, (size_t)nc * sizeof *np);
        if (!np) goto oom;
        r->ph = np;
        r->capph = nc;
    }
    entry *e = get_entry(r, p.w[0]);
    if (!e) goto oom;
    if (e->nph == e->cap) {
        int nc = e->cap ? e->cap * 2 : 4;
        int *np = ds_realloc(e->ph, (size_t)nc * sizeof *np);
        if (!np) goto oom;
        e->ph = np;
        e->cap = nc;
    }
    e->ph[e->nph++] = r->nph;
    e->classes |= 1u << cls;
    if (p.nw == 1 && !e->single[cls]) e->single[cls] = val + 1;
    r->ph[r->nph++] = p;
    return DOSSIER_OK;
oom:
    for (int k = 0; k < p.nw; k++) ds_free(p.w[k]);
    return DOSSIER_ENOMEM;
}

static int label_value(int cls, const char *label)
{
    static const char *const relay_labels[] = {NULL, "after", "media_object", "release"};
    static const char *const word_labels[] = {"det",      "skip",           "passive",
                                              "boundary", "prep",           "pronoun_person",
                                              "pronoun_plural", "definite", "passive_speech", "body"};
    size_t n = strlen(label);
    switch (cls) {
    case AL_VERB:
    case AL_NOUN:
    case AL_CUE: return ds_enum_parse(ds_modality_names, DS_MOD__COUNT, label, n);
    case AL_SPEAKER: return ds_enum_parse(ds_kind_names, DS_KIND__COUNT, label, n);
    case AL_EVID:
        for (int i = 0; i < DS_EVID__BITS; i++)
            if (strcmp(ds_evidence_names[i], label) == 0) return i + 1;
        if (strcmp(label, "none") == 0) return AL_EVID_NONE;
        return strcmp(label, "witness_verb") == 0 ? AL_EVID_WITNESS_VERB : 0;
    case AL_RELAY: return ds_enum_parse(relay_labels, 4, label, n);
    default:
        for (int i = 0; i < (int)DS_ARRAY_LEN(word_labels); i++)
            if (strcmp(word_labels[i], label) == 0) return 1 << i;
        return 0;
    }
}

static dossier_status load_file(ds_attr_rules *r, const char *data_dir, const char *name,
                                int cls, char *err, size_t errlen)
{
    char *path = ds_data_path(data_dir, name), *src = NULL;
    size_t len;
    if (!path) return DOSSIER_ENOMEM;
    dossier_status st = ds_read_file(path, &src, &len);
    if (st != DOSSIER_OK) {
        if (err) snprintf(err, errlen, "%s: cannot read", path);
        ds_free(path);
        return st == DOSSIER_EIO ? DOSSIER_EDATA : st;
    }
    int lineno = 0;
    for (char *line = src, *next; st == DOSSIER_OK && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        size_t n = strlen(line);
        char *l = (char *)ds_trim(line, &n);
        l[n] = 0;
        if (!n || l[0] == '#') continue;
        char *colon = strchr(l, ':');
        if (!colon) {
            if (err) snprintf(err, errlen, "%s:%d: expected \"LABEL: phrase, phrase\"", path, lineno);
            st = DOSSIER_EDATA;
            break;
        }
        *colon = 0;
        lower_apos(l);
        int val = label_value(cls, l);
        if (!val) {
            if (err) snprintf(err, errlen, "%s:%d: unknown label \"%s\"", path, lineno, l);
            st = DOSSIER_EDATA;
            break;
        }
        char *rest = colon + 1, *save = NULL;
        lower_apos(rest);
        for (char *p = strtok_r(rest, ",", &save); p && st == DOSSIER_OK;
             p = strtok_r(NULL, ",", &save)) {
            size_t pn = strlen(p);
            char *t = (char *)ds_trim(p, &pn);
            t[pn] = 0;
            if (!pn) continue;
            if (cls == 0) {   /* words.txt: one word, class bits */
                entry *e = get_entry(r, t);
                if (!e) st = DOSSIER_ENOMEM;
                else e->wbits |= (unsigned)val;
            } else {
                st = add_phrase(r, cls, val, t);
                if (st == DOSSIER_EDATA && err)
                    snprintf(err, errlen, "%s:%d: phrase too long", path, lineno);
            }
        }
    }
    ds_free(src);
    ds_free(path);
    return st;
}

dossier_status at_rules_load(const char *data_dir, ds_attr_rules **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    ds_attr_rules *r = ds_calloc(1, sizeof *r);
    if (!r) return DOSSIER_ENOMEM;
    static const struct { const char *name; int cls; } files[] = {
        {"attribution/words.txt", 0},          {"attribution/verbs.txt", AL_VERB},
        {"attribution/modality.txt", AL_CUE},  {"attribution/speakers.txt", AL_SPEAKER},
        {"attribution/evidence.txt", AL_EVID}, {"attribution/relays.txt", AL_RELAY},
        {"attribution/nouns.txt", AL_NOUN},
    };
    dossier_status st = grow(r);
    for (size_t i = 0; st == DOSSIER_OK && i < DS_ARRAY_LEN(files); i++)
        st = load_file(r, data_dir, files[i].name, files[i].cls, err, errlen);
    if (st != DOSSIER_OK) {
        at_rules_free(r);
        return st;
    }
    *out = r;
    return DOSSIER_OK;
}

/* ---- quotation marks ------------------------------------------------------ */
static bool letterish(unsigned char c) { return isalnum(c) || c >= 0x80; }

size_t at_para_start(const char *text, size_t pos)
{
    /* at most AT_QUOTE_WINDOW bytes back: a text with no blank lines must
     * not make every claim rescan it from the start */
    size_t lim = pos > AT_QUOTE_WINDOW ? pos - AT_QUOTE_WINDOW : 0;
    while (pos > lim && !(text[pos - 1] == '\n' && pos >= 2 && text[pos - 2] == '\n')) pos--;
    return pos;
}

size_t at_para_end(const char *text, size_t len, size_t pos)
{
    size_t lim = len - pos > AT_QUOTE_WINDOW ? pos + AT_QUOTE_WINDOW : len;
    while (pos < lim && !(text[pos] == '\n' && pos + 1 < len && text[pos + 1] == '\n')) pos++;
    return pos;
}

/* Is the 3-byte sequence at i E2 80 x? */
static bool e280(const char *t, size_t len, size_t i, unsigned char x)
{
    return i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
           (unsigned char)t[i + 2] == x;
}

/* The char before i is a letter/digit (UTF-8 continuation bytes count, but a
 * closing curly quote does not). */
static bool prev_letter(const char *t, size_t i)
{
    if (i == 0) return false;
    unsigned char c = (unsigned char)t[i - 1];
    if (i >= 3 && (unsigned char)t[i - 3] == 0xE2 && (unsigned char)t[i - 2] == 0x80) return false;
    return letterish(c);
}

size_t at_quote_step(const char *t, size_t len, size_t i, at_qstate *q, int *event)
{
    *event = 0;
    unsigned char c = (unsigned char)t[i];
    if (c == '"') {
        if (q->dq < 0) {
            q->dq = (long)i;
            *event = 1;
        } else {
            q->dq = q->sq = -1;
            *event = 2;
        }
        return 1;
    }
    if (e280(t, len, i, 0x9C)) {   /* “ */
        q->dq = (long)i;
        *event = 1;
        return 3;
    }
    if (e280(t, len, i, 0x9D)) {   /* ” */
        q->dq = q->sq = -1;
        *event = 2;
        return 3;
    }
    if (e280(t, len, i, 0x98)) {   /* ‘ */
        q->sq = (long)i;
        *event = 1;
        return 3;
    }
    bool curly = e280(t, len, i, 0x99);
    if (c == '\'' || curly) {
        size_t n = curly ? 3 : 1;
        bool pl = prev_letter(t, i);
        bool nl = i + n < len && letterish((unsigned char)t[i + n]) &&
                  !(i + n + 2 < len && e280(t, len, i + n, 0x9D));
        if (pl && nl) return n;                          /* don't, Putin's */
        if (!pl && nl && (i == 0 || t[i - 1] != '\'')) { /* opening */
            unsigned char pc = i ? (unsigned char)t[i - 1] : ' ';
            if (i == 0 || isspace(pc) || strchr("([:;,-\"", pc) || pc >= 0x80) {
                q->sq = (long)i;
                *event = 1;
            }
            return n;
        }
        if (q->sq >= 0 && (i + n >= len || !letterish((unsigned char)t[i + n]))) {
            q->sq = -1;
            *event = 2;
        }
        return n;
    }
    return 1;
}

at_qstate at_quote_at(const char *text, size_t len, size_t pos)
{
    at_qstate q = {-1, -1};
    size_t i = at_para_start(text, pos);
    while (i < pos) {
        unsigned char c = (unsigned char)text[i];
        if (c != '"' && c != '\'' && c != 0xE2) {   /* only these start a quote mark */
            i++;
            continue;
        }
        int ev;
        i += at_quote_step(text, len, i, &q, &ev);
    }
    return q;
}

/* ---- tokenizer ------------------------------------------------------------ */
static bool is_space_at(const char *t, size_t b, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)t[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        *n = 1;
        return true;
    }
    if (c == 0xC2 && i + 1 < b && (unsigned char)t[i + 1] == 0xA0) {
        *n = 2;
        return true;
    }
    return false;
}

/* Punctuation of 3 bytes: dashes, ellipsis, bullets. */
static bool is_upunct(const char *t, size_t b, size_t i)
{
    return e280(t, b, i, 0x93) || e280(t, b, i, 0x94) || e280(t, b, i, 0xA6) ||
           e280(t, b, i, 0xA2);
}

static bool is_quote_char(const char *t, size_t b, size_t i)
{
    return t[i] == '"' || t[i] == '\'' || e280(t, b, i, 0x9C) || e280(t, b, i, 0x9D) ||
           e280(t, b, i, 0x98) || e280(t, b, i, 0x99);
}

static at_tok *push_tok(at_toks *o)
{
    if (o->n == o->cap) {
        int nc = o->cap ? o->cap * 2 : 128;
        at_tok *nt = ds_realloc(o->t, (size_t)nc * sizeof *nt);
        if (!nt) return NULL;
        o->t = nt;
        o->cap = nc;
    }
    at_tok *k = &o->t[o->n++];
    memset(k, 0, sizeof *k);
    k->ent = -1;
    return k;
}

static dossier_status tokenize(const ds_attr_rules *r, const char *text, size_t a, size_t b,
                               at_qstate *q, at_toks *out);

dossier_status at_tokenize(const ds_attr_rules *r, const char *text, size_t a, size_t b,
                           at_qstate *q, at_toks *out)
{
    dossier_status st = tokenize(r, text, a, b, q, out);
    if (st != DOSSIER_OK) at_toks_free(out);   /* callers free nothing on failure */
    return st;
}

static dossier_status tokenize(const ds_attr_rules *r, const char *text, size_t a, size_t b,
                               at_qstate *q, at_toks *out)
{
    out->n = 0;
    size_t i = a;
    while (i < b) {
        size_t sn;
        if (is_space_at(text, b, i, &sn)) {
            i += sn;
            continue;
        }
        bool inq = q->dq >= 0 || q->sq >= 0;
        unsigned char c = (unsigned char)text[i];
        if (is_quote_char(text, b, i)) {
            int ev;
            size_t n = at_quote_step(text, b, i, q, &ev);
            if (ev) {
                at_tok *k = push_tok(out);
                if (!k) return DOSSIER_ENOMEM;
                k->s = i;
                k->e = i + n;
                k->kind = ev == 1 ? AT_QOPEN : AT_QCLOSE;
                k->inq = inq;
                k->low[0] = '"';
                i += n;
                continue;
            }
            if (!prev_letter(text, i) || i + n >= b || !letterish((unsigned char)text[i + n])) {
                i += n;   /* a stray apostrophe ("soldiers' ") */
                continue;
            }
        }
        if (letterish(c) && !is_upunct(text, b, i)) {
            at_tok *k = push_tok(out);
            if (!k) return DOSSIER_ENOMEM;
            k->s = i;
            k->kind = AT_WORD;
            k->inq = inq;
            k->cap = isupper(c) != 0 || (c >= 0x80 && c != 0xC2);  /* Cyrillic/Ä… count */
            size_t j = i, lo = 0;
            bool toolong = false;
            while (j < b) {
                unsigned char d = (unsigned char)text[j];
                size_t n = 1;
                if (is_upunct(text, b, j)) break;
                if (is_space_at(text, b, j, &sn)) break;
                if (d == '\'' || e280(text, b, j, 0x99)) {
                    n = d == '\'' ? 1 : 3;
                    if (!(j + n < b && letterish((unsigned char)text[j + n]))) break;
                    int ev;
                    at_quote_step(text, b, j, q, &ev);   /* an apostrophe: no event */
                    if (lo + 1 < AT_LOWMAX) k->low[lo++] = '\'';
                    j += n;
                    continue;
                }
                if (d == '-' || d == '.') {
                    if (!(j + 1 < b && letterish((unsigned char)text[j + 1]))) {
                        /* "U.N." keeps its last dot when a single letter precedes */
                        if (d == '.' && j >= 2 && text[j - 2] == '.' && lo + 1 < AT_LOWMAX) {
                            k->low[lo++] = '.';
                            j++;
                        }
                        break;
                    }
                } else if (!letterish(d)) {
                    break;
                }
                if (lo + 1 < AT_LOWMAX) k->low[lo++] = (char)tolower(d);
                else toolong = true;
                j += n;
            }
            k->low[toolong ? 0 : lo] = 0;
            k->e = j;
            int ei = toolong ? -1 : find_entry(r, k->low, lo);
            k->ent = ei;
            k->wbits = ei >= 0 ? r->tab[ei].wbits : 0;
            i = j;
            continue;
        }
        /* punctuation */
        at_tok *k = push_tok(out);
        if (!k) return DOSSIER_ENOMEM;
        size_t n = is_upunct(text, b, i) ? 3 : 1;
        if (c >= 0x80 && n == 1) {   /* any other non-letter UTF-8 sequence */
            n = 1;
            while (i + n < b && ((unsigned char)text[i + n] & 0xC0) == 0x80) n++;
        }
        k->s = i;
        k->e = i + n;
        k->kind = AT_PUNCT;
        k->inq = inq;
        if (n == 1) k->low[0] = (char)c;
        else k->low[0] = '-';   /* dashes, ellipsis and bullets read as a break */
        if (e280(text, b, i, 0xA6)) k->low[0] = '.';
        i += n;
    }
    return DOSSIER_OK;
}

void at_toks_free(at_toks *t)
{
    ds_free(t->t);
    t->t = NULL;
    t->n = t->cap = 0;
}

/* ---- phrase matching ------------------------------------------------------ */
static bool sentence_end(const at_tok *k)
{
    return k->kind == AT_PUNCT && (k->low[0] == '.' || k->low[0] == '!' || k->low[0] == '?');
}

int at_match(const ds_attr_rules *r, const at_toks *t, int i, int cls, int *val)
{
    if (i < 0 || i >= t->n || t->t[i].ent < 0) return -1;
    const entry *e = &r->tab[t->t[i].ent];
    if (!(e->classes & (1u << cls))) return -1;
    int best = -1;
    for (int p = 0; p < e->nph; p++) {
        const phrase *ph = &r->ph[e->ph[p]];
        if (ph->cls != cls) continue;
        int j = i + 1;
        bool ok = true;
        for (int w = 1; w < ph->nw && ok; w++) {
            if (strcmp(ph->w[w], "...") == 0 && w + 1 < ph->nw) {
                const char *want = ph->w[++w];
                int lim = j + GAP + 1, found = -1;
                for (int g = j; g < t->n && g < lim && !sentence_end(&t->t[g]); g++)
                    if (t->t[g].kind == AT_WORD && strcmp(t->t[g].low, want) == 0) {
                        found = g;
                        break;
                    }
                if (found < 0) ok = false;
                else j = found + 1;
                continue;
            }
            if (j >= t->n || t->t[j].kind != AT_WORD || strcmp(t->t[j].low, ph->w[w]) != 0)
                ok = false;
            else
                j++;
        }
        if (ok && j > best) {
            best = j;
            *val = ph->val;
        }
    }
    return best;
}

bool at_is(const ds_attr_rules *r, const at_tok *k, int cls, int *val)
{
    if (k->ent < 0 || k->kind != AT_WORD) return false;
    int v = r->tab[k->ent].single[cls];
    if (!v) return false;
    if (val) *val = v - 1;
    return true;
}

bool at_is_word(const ds_attr_rules *r, const char *w, size_t n, int cls, int *val)
{
    int ei = find_entry(r, w, n);
    if (ei < 0) return false;
    int v = r->tab[ei].single[cls];
    if (!v) return false;
    if (val) *val = v - 1;
    return true;
}

unsigned at_word_bits(const ds_attr_rules *r, const char *w)
{
    int ei = find_entry(r, w, strlen(w));
    return ei < 0 ? 0 : r->tab[ei].wbits;
}
