/*
 * tokens.c — the shallow parser's lower half: a tokeniser, stems of pattern
 * words, a rule-based part-of-speech tagger and a noun-phrase chunker, over
 * the lexicon of lexicon.c.
 *
 * Why hand-written: no packaged C library tags English parts of speech (the
 * taggers are Python/Java); the rules here are a few hundred lines and run at
 * millions of tokens per second.  Stemming uses libstemmer (Snowball english),
 * irregular forms use WordNet's verb.exc / noun.exc (package wordnet-base).
 */
#include "nlp.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

const char *const ds_tag_names[T__COUNT] = {
    "?", "NOUN", "PROPN", "VERB", "ADJ", "ADV", "DET", "PRON", "POSS", "PREP",
    "CONJ", "SUB", "REL", "AUX", "MODAL", "NEG", "TO", "NUM", "PUNCT", "QUOTE", "GEN"};

/* ---- tokeniser ------------------------------------------------------------ */
/* Byte length of a typographic quote/apostrophe/dash at s, 0 if none; *kind:
 * 'a' apostrophe-like (’ ‘), 'q' double quote, 'd' dash. */
static int special_at(const unsigned char *s, size_t left, char *kind)
{
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80) {
        switch (s[2]) {
        case 0x98: case 0x99: *kind = 'a'; return 3;
        case 0x9C: case 0x9D: case 0x9E: *kind = 'q'; return 3;
        case 0x93: case 0x94: case 0x95: *kind = 'd'; return 3;
        case 0xA6: *kind = 'p'; return 3;   /* … */
        case 0xA2: *kind = 'p'; return 3;   /* • */
        }
    }
    if (left >= 2 && s[0] == 0xC2 && (s[1] == 0xAB || s[1] == 0xBB)) { *kind = 'q'; return 2; }
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0) { *kind = ' '; return 2; }
    return 0;
}

static bool is_wordbyte(unsigned char c) { return isalnum(c) || c >= 0x80; }

static ds_tok *tok_push(ds_toks *ts)
{
    if (ts->n == ts->cap) {
        int cap = ts->cap ? ts->cap * 2 : 64;
        ds_tok *t = ds_realloc(ts->t, (size_t)cap * sizeof *t);
        if (!t) return NULL;
        ts->t = t;
        ts->cap = cap;
    }
    ds_tok *k = &ts->t[ts->n++];
    memset(k, 0, sizeof *k);
    k->lex = k->nlex = -1;
    k->stem = -2;
    k->chunk = -1;
    k->num = -1;
    return k;
}

/* lower-case form: ASCII folded, ’ ‘ → ' */
static void put_lower(ds_toks *ts, ds_tok *k)
{
    k->lo = (uint32_t)ts->low.n;
    const unsigned char *s = (const unsigned char *)ts->text + k->s;
    size_t n = k->e - k->s;
    /* fast path: ASCII written straight into the reserved buffer */
    if (ts->low.cap - ts->low.n <= n) {
        ds_buf_put(&ts->low, s, n);   /* grow; overwritten below */
        if (ts->low.oom) return;
        ts->low.n -= n;
    }
    {
        bool ascii = true;
        for (size_t i = 0; i < n; i++)
            if (s[i] >= 0x80 || s[i] == '\'') { ascii = false; break; }
        if (ascii) {
            char *d = ts->low.p + ts->low.n;
            for (size_t i = 0; i < n; i++) d[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
            ts->low.n += n;
            k->ln = (uint32_t)n;
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        char kind;
        int sl = special_at(s + i, n - i, &kind);
        if (sl && kind == 'a') {
            ds_buf_putc(&ts->low, '\'');
            i += (size_t)sl - 1;
        } else {
            ds_buf_putc(&ts->low, (char)tolower(s[i]));
        }
    }
    k->ln = (uint32_t)(ts->low.n - k->lo);
}

static size_t apos_len(const unsigned char *s, size_t left)
{
    char kind;
    if (left && s[0] == '\'') return 1;
    int sl = special_at(s, left, &kind);
    return sl && kind == 'a' ? (size_t)sl : 0;
}

static dossier_status tokenise(ds_toks *ts)
{
    const unsigned char *s = (const unsigned char *)ts->text;
    size_t n = ts->len, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        char kind = 0;
        int sl = special_at(s + i, n - i, &kind);
        if (isspace(c) || (sl && kind == ' ')) {
            i += sl ? (size_t)sl : 1;
            continue;
        }
        ds_tok *k = tok_push(ts);
        if (!k) return DOSSIER_ENOMEM;
        k->s = (uint32_t)i;
        size_t al = apos_len(s + i, n - i);
        if (al && i + al < n && (s[i + al] == 's' || s[i + al] == 'S') &&
            (i + al + 1 >= n || !is_wordbyte(s[i + al + 1])) && i > 0 && is_wordbyte(s[i - 1])) {
            k->e = (uint32_t)(i + al + 1);   /* 's */
            k->tag = T_GEN;
        } else if (sl || !is_wordbyte(c)) {
            k->e = (uint32_t)(i + (sl ? (size_t)sl : 1));
            if (c == '"' || kind == 'q' || c == '\'' || kind == 'a') k->tag = T_QUOTE;
            else k->tag = T_PUNCT;
        } else {
            size_t j = i;
            bool digits = isdigit(c);
            while (j < n) {
                if (is_wordbyte(s[j])) {
                    /* stop before a typographic char encoded as multibyte */
                    if (s[j] >= 0x80 && special_at(s + j, n - j, &kind)) {
                        size_t a2 = apos_len(s + j, n - j);
                        if (a2 && j + a2 < n && isalpha(s[j + a2]) &&
                            !((s[j + a2] == 's' || s[j + a2] == 'S') &&
                              (j + a2 + 1 >= n || !is_wordbyte(s[j + a2 + 1])))) {
                            j += a2;   /* d’Ivoire */
                            continue;
                        }
                        break;
                    }
                    j++;
                    continue;
                }
                if ((s[j] == '-' || s[j] == '/') && j + 1 < n && isalnum(s[j + 1])) { j++; continue; }
                if ((s[j] == ',' || s[j] == '.') && digits && j + 1 < n && isdigit(s[j + 1]) &&
                    j > i && isdigit(s[j - 1])) { j++; continue; }
                if (s[j] == '.' && j + 1 < n && isalpha(s[j + 1]) && j + 2 <= n &&
                    (j + 2 == n || s[j + 2] == '.') && j - i <= 3 && isupper(s[i])) {
                    j += 2;   /* U.N., U.S. */
                    if (j < n && s[j] == '.') j++;
                    continue;
                }
                if (s[j] == '.' && j - i == 1 && isupper(s[i]) && j + 2 < n && isupper(s[j + 1]) &&
                    s[j + 2] == '.') { j++; continue; }
                if (s[j] == '\'') {
                    /* n't, internal apostrophes; 's handled as its own token */
                    if (j + 1 < n && isalpha(s[j + 1]) &&
                        !((s[j + 1] == 's' || s[j + 1] == 'S') && (j + 2 >= n || !is_wordbyte(s[j + 2])))) {
                        if (j > i && (s[j - 1] == 'n' || s[j - 1] == 'N') && (s[j + 1] == 't' || s[j + 1] == 'T')) {
                            j--;   /* split "n't" */
                            break;
                        }
                        j++;
                        continue;
                    }
                }
                break;
            }
            if (j == i) j = i + 1;
            k->e = (uint32_t)j;
            /* "n't" as its own token */
            if (j + 2 < n && (s[j] == 'n' || s[j] == 'N') && s[j + 1] == '\'' && (s[j + 2] == 't' || s[j + 2] == 'T')) {
                put_lower(ts, k);
                ds_tok *k2 = tok_push(ts);
                if (!k2) return DOSSIER_ENOMEM;
                k = &ts->t[ts->n - 1];
                k2->s = (uint32_t)j;
                k2->e = (uint32_t)(j + 3);
                j += 3;
                k = k2;
            }
        }
        put_lower(ts, k);
        i = k->e;
    }
    return ts->low.oom ? DOSSIER_ENOMEM : DOSSIER_OK;
}

/* ---- stems ------------------------------------------------------------------ */
static int letter(char c) { return c >= 'a' && c <= 'z' ? c - 'a' : 26; }

/* Could w be an inflection of a pattern word?  Regular inflections keep the
 * first three letters; irregular ones are checked in the exception list. */
static bool prefix_ok(const ds_claim_rules *r, const char *w, size_t n)
{
    if (n < 3) return true;
    int k = (letter(w[0]) * 27 + letter(w[1])) * 27 + letter(w[2]);
    if (!(r->prefix3[k >> 3] & (1 << (k & 7)))) return false;
    if (n < 4 || !r->prefix4) return true;
    k = k * 27 + letter(w[3]);
    return r->prefix4[k >> 3] & (1 << (k & 7));
}

int32_t ds_stem_id(const ds_claim_rules *r, struct sb_stemmer *st, const char *w, size_t n,
                   bool verb, bool filter)
{
    if (n == 0 || n > 64) return -1;
    if (filter && !prefix_ok(r, w, n)) {
        /* an irregular form may start otherwise (went → go) */
        if (ds_smap_get(&r->vexc, w, n) < 0) return -3;
    }
    int32_t ex = ds_smap_get(&r->vexc, w, n);
    if (ex < 0 && !verb) ex = ds_smap_get(&r->nexc, w, n);
    if (ex >= 0) {
        w = r->exc_pool.p + ex;
        n = strlen(w);
    }
    const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)w, (int)n);
    if (!s) return -1;
    return ds_smap_get(&r->stems, (const char *)s, (size_t)sb_stemmer_length(st));
}

/* ---- word cache ----------------------------------------------------------------- */
/* What the tagger and the event matcher learn from a word alone (its lexicon
 * entry, singular noun entry, irregular-verb entry, stem id) costs several
 * hash lookups and a Snowball stem, and running text repeats its words.  So
 * it is remembered per thread in a direct-mapped table keyed by the
 * lower-case word: fixed size and thread-local, so nothing is allocated or
 * freed (like places.c's document context).  Entries carry the generation of
 * the rule set they were computed with, so a context loaded later (or at the
 * address of a freed one) never reads another's.  Hand-written: a cache this
 * small needs no library. */
#define WC_SLOTS 4096   /* power of two: 2048 sets of two entries */
#define WC_KEY 23       /* longer words are not cached */
typedef struct wc_ent {
    uint32_t gen;          /* 0: empty */
    uint8_t len;
    char key[WC_KEY];
    int32_t lex, nlex;     /* as tag_tokens sets them */
    int32_t vx;            /* verb.exc entry (words of 3+ bytes), -1 */
    int32_t stem;          /* ds_stem_id without the filter, -2 not computed */
} wc_ent;
static _Thread_local wc_ent wc_tab[WC_SLOTS];

uint32_t ds_rules_generation(void)
{
    static _Atomic uint32_t next;
    uint32_t g;
    do g = ++next; while (g == 0);
    return g;
}

/* Role, site, weapon, thing and unit words keep their own entry: no singular. */
#define LEX_OWN_NOUN (WF(W_ROLE) | WF(W_SITE) | WF(W_WEAPON) | WF(W_THING) | WF(W_UNIT))

static int32_t noun_lex(const ds_claim_rules *r, const char *w, size_t n);

/* The cache entry of lower-case word w[0..n), filled on a miss; NULL when
 * the word is not cached (too long, or rules still loading). */
static wc_ent *wc_get(const ds_claim_rules *r, const char *w, size_t n)
{
    if (!r->gen || n == 0 || n > WC_KEY) return NULL;
    /* two ways: the entry used last first; a miss replaces the other */
    wc_ent *e = &wc_tab[(XXH3_64bits(w, n) & (WC_SLOTS / 2 - 1)) * 2];
    if (e->gen == r->gen && e->len == n && memcmp(e->key, w, n) == 0) return e;
    if (e[1].gen == r->gen && e[1].len == n && memcmp(e[1].key, w, n) == 0) {
        wc_ent t = e[0];
        e[0] = e[1];
        e[1] = t;
        return e;
    }
    e[1] = e[0];
    e->gen = r->gen;
    e->len = (uint8_t)n;
    memcpy(e->key, w, n);
    e->lex = ds_smap_get(&r->words, w, n);
    e->nlex = n > 2 && !(e->lex >= 0 && (r->lex[e->lex].f & LEX_OWN_NOUN)) ? noun_lex(r, w, n) : -1;
    e->vx = n > 2 ? ds_smap_get(&r->vexc, w, n) : -1;
    e->stem = -2;
    return e;
}

/* ds_stem_id(r, st, w, n, false, filter) through the word cache. */
static int32_t word_stem(const ds_claim_rules *r, struct sb_stemmer *st, const char *w, size_t n,
                         bool filter)
{
    wc_ent *e = n <= 64 ? wc_get(r, w, n) : NULL;
    if (!e) return ds_stem_id(r, st, w, n, false, filter);
    /* the filter of ds_stem_id: prefix, else an irregular form (n >= 3 here) */
    if (filter && !prefix_ok(r, w, n) && e->vx < 0) return -3;
    if (e->stem == -2) e->stem = ds_stem_id(r, st, w, n, false, false);
    return e->stem;
}

/* stem: -2 not computed yet, -3 not computed because no event word starts so */
int32_t ds_tok_stem(const ds_claim_rules *r, struct sb_stemmer *st, ds_toks *ts, int i)
{
    ds_tok *k = &ts->t[i];
    if (k->stem != -2) return k->stem == -3 ? -1 : k->stem;
    if (k->tag == T_PUNCT || k->tag == T_QUOTE || (k->flags & TK_DIGIT)) return k->stem = -1;
    k->stem = word_stem(r, st, ts->low.p + k->lo, k->ln, true);
    return k->stem == -3 ? -1 : k->stem;
}

int32_t ds_tok_stem_any(const ds_claim_rules *r, struct sb_stemmer *st, ds_toks *ts, int i)
{
    ds_tok *k = &ts->t[i];
    if (k->stem == -3) k->stem = word_stem(r, st, ts->low.p + k->lo, k->ln, false);
    else if (k->stem == -2) {
        if (k->tag == T_PUNCT || k->tag == T_QUOTE || (k->flags & TK_DIGIT)) return k->stem = -1;
        k->stem = word_stem(r, st, ts->low.p + k->lo, k->ln, false);
    }
    return k->stem;
}

/* ---- tagger ------------------------------------------------------------------- */
int ds_phrase_at(const ds_claim_rules *r, const ds_toks *ts, int i, int w, int *len)
{
    const ds_lex *first = ds_tok_lex(r, ts, i);
    int best = -1;
    *len = 0;
    if (first && (first->f & WF(w)) && first->nwords == 1) {
        best = ts->t[i].lex;
        *len = 1;
    }
    if (!first || !(first->f & WF(W_PHRASE_START))) return best;
    char buf[256];
    size_t bl = 0;
    for (int k = 0; k < first->max_phrase && i + k < ts->n; k++) {
        const ds_tok *t = &ts->t[i + k];
        if (bl + t->ln + 1 >= sizeof buf) break;
        if (k) buf[bl++] = ' ';
        memcpy(buf + bl, ts->low.p + t->lo, t->ln);
        bl += t->ln;
        if (k == 0) continue;
        int32_t e = ds_smap_get(&r->words, buf, bl);
        if (e >= 0 && (r->lex[e].f & WF(w))) {
            best = e;
            *len = k + 1;
        }
    }
    return best;
}

/* Singular noun entry for plural forms ("soldiers", "casualties", "men"). */
static int32_t noun_lex(const ds_claim_rules *r, const char *w, size_t n)
{
    int32_t ex = ds_smap_get(&r->nexc, w, n);
    if (ex >= 0) {
        const char *b = r->exc_pool.p + ex;
        int32_t e = ds_smap_get(&r->words, b, strlen(b));
        if (e >= 0) return e;
    }
    if (n > 3 && w[n - 1] == 's') {
        char tmp[80];
        if (n >= sizeof tmp) return -1;
        if (n > 4 && !memcmp(w + n - 3, "ies", 3)) {
            memcpy(tmp, w, n - 3);
            memcpy(tmp + n - 3, "y", 1);
            int32_t e = ds_smap_get(&r->words, tmp, n - 2);
            if (e >= 0) return e;
        }
        int32_t e = ds_smap_get(&r->words, w, n - 1);
        if (e >= 0) return e;
        if (n > 4 && w[n - 2] == 'e') {
            e = ds_smap_get(&r->words, w, n - 2);
            if (e >= 0) return e;
        }
    }
    return -1;
}

/* Is token i-1 a noun naming people or a force ("a sniper", "a gunman")? Then
 * "-ed" after it is the verb of that subject, not an adjective. */
static bool prev_is_role(const ds_claim_rules *r, const ds_toks *ts, int i)
{
    const ds_lex *l = ds_tok_nlex(r, ts, i - 1);
    return l && (l->f & WF(W_ROLE));
}

static void tag_tokens(const ds_claim_rules *r, ds_toks *ts)
{
    /* pass 1: lexicon and shape */
    bool quoted = false;
    for (int i = 0; i < ts->n; i++) {
        ds_tok *k = &ts->t[i];
        const unsigned char *s = (const unsigned char *)ts->text + k->s;
        if (k->tag == T_QUOTE) {
            if (s[0] == '"' || k->e - k->s == 3) quoted = !quoted;
            continue;
        }
        if (quoted) k->flags |= TK_QUOTED;
        if (k->tag == T_PUNCT || k->tag == T_GEN) continue;
        if (isupper(s[0]) || (s[0] >= 0xC3 && s[0] <= 0xD4)) k->flags |= TK_CAP;
        if (ds_all_caps((const char *)s, k->e - k->s)) k->flags |= TK_ALLCAP;
        if (i == 0 || ts->t[i - 1].tag == T_QUOTE ||
            (ts->t[i - 1].tag == T_PUNCT && (s[-1] == ':' || ts->text[ts->t[i - 1].s] == ':')))
            k->flags |= TK_FIRST;
        const char *lw = ts->low.p + k->lo;
        if (isdigit(s[0])) {
            k->flags |= TK_DIGIT;
            k->tag = T_NUM;
            int64_t v = 0;
            bool ok = true;
            for (uint32_t j = 0; j < k->ln; j++) {
                if (isdigit((unsigned char)lw[j])) v = v * 10 + (lw[j] - '0');
                else if (lw[j] == ',') continue;
                else { ok = false; break; }
                if (v > 1000000000000LL) { ok = false; break; }
            }
            k->num = ok ? v : -1;
            if (!ok) k->tag = T_NOUN;
            continue;
        }
        const wc_ent *we = wc_get(r, lw, k->ln);
        int32_t vx;
        if (we) {
            k->lex = we->lex;
            k->nlex = we->nlex;
            vx = we->vx;
            /* the stem ds_tok_stem would find, when already known */
            if (!prefix_ok(r, lw, k->ln) && vx < 0) k->stem = -3;
            else if (we->stem != -2) k->stem = we->stem;
        } else {
            k->lex = ds_smap_get(&r->words, lw, k->ln);
            if (k->ln > 2 && !(k->lex >= 0 && (r->lex[k->lex].f & LEX_OWN_NOUN)))
                k->nlex = noun_lex(r, lw, k->ln);
            vx = k->ln > 2 ? ds_smap_get(&r->vexc, lw, k->ln) : -1;
        }
        if (k->ln > 4 && !memcmp(lw + k->ln - 2, "ed", 2)) k->flags |= TK_ED;
        if (k->ln > 4 && !memcmp(lw + k->ln - 3, "ing", 3)) k->flags |= TK_ING;
        if (vx >= 0) {
            const char *b = r->exc_pool.p + vx;
            /* past participles and past tenses of irregular verbs */
            /* (lw is not NUL-terminated: compare by length) */
            bool same = strlen(b) == k->ln && !memcmp(b, lw, k->ln);
            if (!same && !(k->ln > 2 && lw[k->ln - 1] == 's')) k->flags |= TK_ED;
        }
        const ds_lex *l = k->lex >= 0 ? &r->lex[k->lex] : NULL;
        uint64_t f = l ? l->f : 0;
        if ((k->flags & TK_ALLCAP) && (f & WF(W_ENTITY)) && (f & WF(W_CASED)))
            f = WF(W_ENTITY);   /* "US", "WHO": the acronym, not the word */
        if (f == WF(W_ENTITY) && (k->flags & TK_CAP)) k->tag = T_PROPN;
        else if (f & WF(W_DET)) k->tag = T_DET;
        else if (f & WF(W_POSS)) k->tag = T_POSS;
        else if (f & WF(W_PRON)) k->tag = T_PRON;
        else if (f & WF(W_MODAL)) k->tag = T_MODAL;
        else if (f & WF(W_AUX)) k->tag = T_AUX;
        else if (f & WF(W_NEG)) k->tag = T_NEG;
        else if (f & WF(W_TO)) k->tag = T_TO;
        else if (f & WF(W_REL)) k->tag = T_REL;
        else if (f & WF(W_SUB)) k->tag = T_SUB;
        else if (f & WF(W_PREP)) k->tag = T_PREP;
        else if (f & WF(W_CONJ)) k->tag = T_CONJ;
        else if (f & WF(W_NUM)) { k->tag = T_NUM; k->num = l->num; }
        else if (f & WF(W_VERB)) k->tag = T_VERB;
        else if (f & (WF(W_ADV) | WF(W_QUAL))) k->tag = T_ADV;
        else if (f & WF(W_ADJ)) k->tag = T_ADJ;
        else if ((k->flags & TK_CAP) && (!(k->flags & TK_FIRST) || (f & (WF(W_ENTITY) | WF(W_DEMONYM)))))
            k->tag = (f & WF(W_DEMONYM)) ? T_ADJ : T_PROPN;
        else if (k->ln > 3 && !memcmp(lw + k->ln - 2, "ly", 2) && !(f & WF(W_ROLE)))
            k->tag = T_ADV;
        else if (f & WF(W_DEMONYM)) k->tag = T_ADJ;
        else k->tag = T_NOUN;
        /* acronyms at sentence start are names too */
        if (k->tag == T_NOUN && (k->flags & TK_ALLCAP)) k->tag = T_PROPN;
        if (k->tag == T_NOUN && (k->flags & TK_FIRST) && (k->flags & TK_CAP) && !l && k->nlex < 0 &&
            !(k->flags & (TK_ED | TK_ING)))
            k->tag = T_PROPN;
    }
    if (quoted) {
        /* an unbalanced quote marks nothing */
        for (int i = 0; i < ts->n; i++) ts->t[i].flags &= (uint8_t)~TK_QUOTED;
    }
    /* pass 2: context */
    for (int i = 0; i < ts->n; i++) {
        ds_tok *k = &ts->t[i];
        int pt = i > 0 ? ts->t[i - 1].tag : T_NONE;
        int nt = i + 1 < ts->n ? ts->t[i + 1].tag : T_NONE;
        const char *lw = ts->low.p + k->lo;
        if (ds_tok_is(ts, i, "that") || ds_tok_is(ts, i, "this") || ds_tok_is(ts, i, "those") ||
            ds_tok_is(ts, i, "these")) {
            /* determiner before a noun phrase, else pronoun / relative */
            bool before_np = nt == T_NOUN || nt == T_ADJ || nt == T_PROPN || nt == T_NUM;
            if (!before_np) k->tag = ds_tok_is(ts, i, "that") ? T_REL : T_PRON;
            else k->tag = T_DET;
            if (ds_tok_is(ts, i, "that") && before_np && i > 0 &&
                (ts->t[i - 1].tag == T_VERB || (ts->t[i - 1].tag == T_NOUN && ts->t[i + 1].tag == T_NOUN)))
                k->tag = ds_tok_has(r, ts, i - 1, W_SPEECH) ? T_SUB : k->tag;
        }
        if (ds_tok_is(ts, i, "her") && !(nt == T_NOUN || nt == T_ADJ || nt == T_PROPN))
            k->tag = T_PRON;
        if (k->tag == T_TO) {
            /* infinitive "to" before a verb, else a preposition */
            bool verbish = i + 1 < ts->n && !(ts->t[i + 1].flags & TK_CAP) &&
                           (nt == T_NOUN || nt == T_VERB || nt == T_ADV || nt == T_AUX) &&
                           !(ts->t[i + 1].flags & TK_ING) &&
                           !(nt == T_NOUN && ts->t[i + 1].ln > 2 &&
                             ts->low.p[ts->t[i + 1].lo + ts->t[i + 1].ln - 1] == 's' &&
                             ts->t[i + 1].nlex >= 0);
            if (verbish && nt == T_NOUN && i + 1 < ts->n) {
                /* "to death", "to safety": nouns after which nothing verbal follows */
                const ds_lex *nl = ds_tok_nlex(r, ts, i + 1);
                if (nl && (nl->f & (WF(W_ROLE) | WF(W_SITE) | WF(W_PLACE) | WF(W_THING))) &&
                    !(nl->f & WF(W_VERB)))
                    verbish = false;
                if (ds_tok_is(ts, i + 1, "death")) verbish = false;
            }
            if (!verbish) k->tag = T_PREP;
        }
        if (k->tag == T_NOUN) {
            bool after_det = pt == T_DET || pt == T_POSS || pt == T_ADJ || pt == T_NUM || pt == T_GEN;
            bool after_subj = pt == T_PRON || pt == T_AUX || pt == T_MODAL || pt == T_TO ||
                              pt == T_NEG || pt == T_REL;
            if (k->flags & TK_ED) {
                bool nounish_next = nt == T_NOUN || nt == T_ADJ || nt == T_PROPN;
                if ((pt == T_PREP || pt == T_NONE || (k->flags & TK_FIRST)) && nounish_next &&
                    !ds_tok_is(ts, i - 1, "by"))
                    k->tag = T_ADJ;     /* "of executed prisoners", "Wounded soldiers were" */
                else if ((pt == T_PREP || pt == T_DET || pt == T_POSS || pt == T_ADJ || pt == T_NONE) &&
                         nt == T_CONJ && i + 2 < ts->n && (ts->t[i + 2].flags & TK_ED) &&
                         i + 3 < ts->n && (ts->t[i + 3].tag == T_NOUN || ts->t[i + 3].tag == T_PROPN))
                    k->tag = T_ADJ;     /* "unarmed or wounded soldiers" */
                else if (pt == T_CONJ && nounish_next && i >= 2 &&
                         ts->t[i - 2].tag == T_ADJ && (ts->t[i - 2].flags & TK_ED))
                    k->tag = T_ADJ;
                else if (pt == T_VERB && nounish_next && i >= 2 && ts->t[i - 1].flags & TK_ED)
                    k->tag = T_ADJ;     /* "tortured detained soldiers" */
                else if (pt == T_NOUN && i >= 2 && ts->t[i - 2].tag == T_DET && nounish_next &&
                         !prev_is_role(r, ts, i))
                    k->tag = T_ADJ;     /* "a young surrendered soldier", not "a sniper opened fire" */
                else if (after_det && nounish_next)
                    k->tag = T_ADJ;     /* "the captured soldier" */
                else if (pt == T_DET || pt == T_POSS || pt == T_ADJ)
                    k->tag = (nt == T_NOUN || nt == T_PROPN) ? T_ADJ : T_NOUN;   /* "their own wounded" */
                else
                    k->tag = T_VERB;
            } else if (k->flags & TK_ING) {
                if (after_det) k->tag = T_NOUN;
                else k->tag = T_VERB;
            } else if (after_subj && pt != T_REL) {
                k->tag = T_VERB;
            } else if (pt == T_REL) {
                k->tag = T_VERB;
            } else if ((pt == T_NOUN || pt == T_PROPN) && i > 0 &&
                       (nt == T_DET || nt == T_POSS || nt == T_PROPN || nt == T_NUM ||
                        (nt == T_PRON && !ds_tok_is(ts, i + 1, "it")) || nt == T_ADJ) &&
                       !(lw[k->ln - 1] == 's' && pt == T_NOUN && k->nlex >= 0 && nt != T_DET)) {
                k->tag = T_VERB;   /* "Russian missiles hit kindergarten" */
            }
        }
        if (k->tag == T_ADV && nt == T_NONE) continue;
    }
}

/* ---- chunker ------------------------------------------------------------------ */
static bool np_tag(int t)
{
    return t == T_DET || t == T_POSS || t == T_NUM || t == T_ADJ || t == T_NOUN || t == T_PROPN ||
           t == T_GEN;
}

static dossier_status chunk(const ds_claim_rules *r, ds_toks *ts)
{
    int i = 0;
    while (i < ts->n) {
        int t = ts->t[i].tag;
        bool start = np_tag(t) || t == T_PRON;
        if (!start) { i++; continue; }
        int a = i, b = i + 1;
        if (t != T_PRON) {
            while (b < ts->n) {
                int bt = ts->t[b].tag;
                if (np_tag(bt) && !(bt == T_DET && b > a && ts->t[b - 1].tag != T_GEN) &&
                    !((bt == T_ADJ || bt == T_NUM) && (ts->t[b - 1].tag == T_NOUN || ts->t[b - 1].tag == T_PROPN)))
                { b++; continue; }
                /* "own" and qualifiers inside a noun phrase */
                if (bt == T_ADV && b + 1 < ts->n && np_tag(ts->t[b + 1].tag) && ts->t[b + 1].tag != T_DET &&
                    b > a && ts->t[b - 1].tag != T_NOUN && ts->t[b - 1].tag != T_PROPN) { b++; continue; }
                break;
            }
            /* a chunk must end in a noun-like word */
            while (b > a + 1 && (ts->t[b - 1].tag == T_DET || ts->t[b - 1].tag == T_POSS)) b--;
        }
        if (ts->nc == ts->ccap) {
            int cap = ts->ccap ? ts->ccap * 2 : 16;
            ds_chunk *c = ds_realloc(ts->c, (size_t)cap * sizeof *c);
            if (!c) return DOSSIER_ENOMEM;
            ts->c = c;
            ts->ccap = cap;
        }
        ds_chunk *c = &ts->c[ts->nc];
        c->a = a;
        c->b = b;
        c->head = b - 1;
        while (c->head > a && (ts->t[c->head].tag == T_GEN || ts->t[c->head].tag == T_PUNCT)) c->head--;
        c->ent = -1;
        c->ent_lex = -1;
        c->ent_len = 0;
        for (int k = a; k < b; k++) {
            if (ts->t[k].lex < 0 || !(ts->t[k].flags & TK_CAP)) continue;
            int el, dl;
            int e = ds_phrase_at(r, ts, k, W_ENTITY, &el);
            int d = ds_phrase_at(r, ts, k, W_DEMONYM, &dl);
            if (e < 0 && d < 0) continue;
            int use = (e >= 0 && (d < 0 || el >= dl)) ? e : d;
            int ul = use == e ? el : dl;
            if (ul > b - k) continue;
            const ds_lex *L = &r->lex[use];
            if ((L->f & WF(W_CASED)) ? !(ts->t[k].flags & TK_ALLCAP) : !(ts->t[k].flags & TK_CAP))
                continue;
            c->ent = k;
            c->ent_lex = use;
            c->ent_len = ul;
            break;
        }
        for (int k = a; k < b; k++) ts->t[k].chunk = ts->nc;
        ts->nc++;
        i = b;
    }
    return DOSSIER_OK;
}

dossier_status ds_toks_build(const ds_claim_rules *r, ds_toks *ts, const char *text, size_t len,
                             size_t base)
{
    ts->text = text;
    ts->len = len;
    ts->base = base;
    ts->n = 0;
    ts->nc = 0;
    ds_buf_reset(&ts->low);
    dossier_status st = tokenise(ts);
    if (st != DOSSIER_OK) return st;
    tag_tokens(r, ts);
    return chunk(r, ts);
}

dossier_status ds_toks_tokenise(ds_toks *ts, const char *text, size_t len)
{
    ts->text = text;
    ts->len = len;
    ts->base = 0;
    ts->n = 0;
    ts->nc = 0;
    ds_buf_reset(&ts->low);
    return tokenise(ts);
}

void ds_toks_free(ds_toks *ts)
{
    ds_free(ts->t);
    ds_free(ts->c);
    ds_buf_free(&ts->low);
    memset(ts, 0, sizeof *ts);
}
