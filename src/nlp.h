/*
 * nlp.h — the shallow parser shared by the claim stage: lexicon (loaded from
 * data/claims and data/parties into the context), tokens with part-of-speech
 * tags, noun-phrase chunks, party coding.  Used by lexicon.c (lexicon,
 * string map), tokens.c (tokeniser, tagger, chunker), parties.c (party coding), claims.c (event
 * patterns and roles), ihl.c, and the explain command.
 */
#ifndef DOSSIER_NLP_H
#define DOSSIER_NLP_H

#include "internal.h"
#include <string.h>

struct sb_stemmer;

/* ---- string → int map (hand-written open addressing: the lexicon needs a
 * read-only map built once; no packaged C library offers one without pulling
 * in a framework such as GLib). */
typedef struct ds_smap {
    struct ds_smap_slot *slots;
    size_t cap, n;
    ds_buf pool;          /* key bytes */
} ds_smap;
/* Insert (or find) key; returns the slot's value pointer (initially -1), NULL on ENOMEM. */
int32_t *ds_smap_put(ds_smap *m, const char *k, size_t n);
int32_t ds_smap_get(const ds_smap *m, const char *k, size_t n);   /* -1 when absent */
void ds_smap_free(ds_smap *m);

/* ---- word classes (bits of ds_lex.f) ----------------------------------- */
#define WF(n) ((uint64_t)1 << (n))
enum {
    W_DET = 0, W_PRON, W_POSS, W_PREP, W_CONJ, W_SUB, W_REL, W_AUX, W_BE, W_HAVE,
    W_MODAL, W_NEG, W_TO, W_ADV, W_ADJ, W_VERB, W_NUM, W_QUAL, W_SPEECH, W_ORDER,
    W_LIGHT, W_CATV, W_USE, W_LETHAL, W_NONLETHAL, W_SING, W_PLUR, W_PERSON, W_SELF,
    /* roles.tsv, nouns.tsv, parties */
    W_ROLE, W_MOD, W_SITE, W_WEAPON, W_PLACE, W_THING, W_UNIT, W_ENTITY, W_DEMONYM,
    W_COUNTRY,   /* a country's name (countries.tsv), not its capital */
    W_PHRASE_START, W_CASED, W_MONTH, W_WDAY, W_TREL, W_TUNIT, W__COUNT
};

typedef struct ds_lex {
    uint64_t f;
    int64_t num;           /* W_NUM value */
    uint8_t qual;          /* ds_qualifier of a W_QUAL word */
    uint8_t role;          /* ds_role of a role word (head noun) */
    uint8_t status;        /* ds_victim_status a role word implies */
    uint8_t site, mode, unit;
    uint8_t ent_role;      /* ds_role of a named entity (country name: GOV) */
    uint8_t nwords;        /* words in the key (phrases) */
    uint8_t max_phrase;    /* W_PHRASE_START: longest phrase starting here */
    char country[4];       /* entity or demonym country, "" when none */
} ds_lex;

/* ---- tags --------------------------------------------------------------- */
typedef enum {
    T_NONE = 0, T_NOUN, T_PROPN, T_VERB, T_ADJ, T_ADV, T_DET, T_PRON, T_POSS, T_PREP,
    T_CONJ, T_SUB, T_REL, T_AUX, T_MODAL, T_NEG, T_TO, T_NUM, T_PUNCT, T_QUOTE, T_GEN,
    T__COUNT
} ds_tag;
extern const char *const ds_tag_names[T__COUNT];

enum { TK_CAP = 1, TK_ALLCAP = 2, TK_FIRST = 4, TK_ED = 8, TK_ING = 16, TK_DIGIT = 32,
       TK_TRIGGER = 64, TK_QUOTED = 128 };

typedef struct ds_tok {
    uint32_t s, e;         /* byte offsets in the sentence's text */
    uint32_t lo, ln;       /* lower-case form in the token set's buffer */
    int32_t lex;           /* index of the lexicon entry of the word, -1 none */
    int32_t nlex;          /* entry of the singular noun form ("soldiers" → soldier) */
    int32_t stem;          /* stem id, -1 none, -2 not computed */
    int32_t chunk;         /* index of the noun-phrase chunk, -1 none */
    int64_t num;           /* numeric value, -1 none */
    uint8_t tag;           /* ds_tag */
    uint8_t flags;         /* TK_* */
} ds_tok;

/* A noun-phrase chunk: tokens [a, b).  Entities found in it are summarised. */
typedef struct ds_chunk {
    int a, b;
    int head;              /* last noun-like token */
    int ent;               /* first token of the first named entity, -1 */
    int ent_lex;           /* its lexicon entry */
    int ent_len;           /* tokens in it */
} ds_chunk;

typedef struct ds_toks {
    const char *text;      /* the sentence (not NUL-terminated) */
    size_t len;
    size_t base;           /* offset of text in the document */
    ds_tok *t;
    int n, cap;
    ds_chunk *c;
    int nc, ccap;
    ds_buf low;            /* lower-case forms */
} ds_toks;

/* ---- event patterns ------------------------------------------------------ */
#define DS_PAT_MAX 8
enum { PO_VERB = 1, PO_NOUN = 2, PO_WEAK = 4, PO_ORDERED = 8, PO_PLACE_SEIZE = 16 };
enum { NEED_NONE = 0, NEED_OBJECT, NEED_PERSON, NEED_PARTY, NEED_PLACE, NEED_COUNT, NEED_MIL,
       NEED_POW };
typedef struct ds_pattern {
    int nslots;
    int32_t *alt[DS_PAT_MAX];   /* stem ids, terminated by -1; NULL = gap "*" */
    int trigger;                /* slot of the [trigger] (nonevents) */
    uint8_t type, mode, need, opts;
    int8_t lethal;              /* -1 unsaid */
    int line;
} ds_pattern;

struct ds_claim_rules {
    ds_smap words;          /* lower-case word or phrase → lex index */
    ds_lex *lex;
    size_t nlex, caplex;
    ds_smap stems;          /* stem → stem id */
    ds_smap vexc, nexc;     /* WordNet exceptions: form → index into exc_pool */
    ds_buf exc_pool;        /* NUL-separated base forms */
    ds_pattern *events;     /* sorted: by first stem, longer first */
    size_t nevents;
    ds_pattern *blocks;
    size_t nblocks;
    int32_t *ev_first;      /* stem id → first pattern index, -1 */
    int32_t *bl_first;      /* stem id → list head in bl_next, -1 (pattern whose trigger slot has it) */
    int32_t *bl_next;
    size_t nstems;
    uint8_t prefix3[27 * 27 * 27 / 8 + 1];   /* first three letters of any pattern word */
    uint8_t *prefix4;                        /* first four letters (27^4 bits) */
    uint32_t gen;           /* unique per loaded rule set (tokens.c word cache), 0 while loading */
};

/* lexicon.c */
dossier_status ds_lexicon_load(ds_claim_rules *r, const char *data_dir, char *err,
                               size_t errlen);
const ds_lex *ds_lex_get(const ds_claim_rules *r, const char *w, size_t n);
/* At least two upper-case letters and no lower-case one ("US", "U.N."). */
bool ds_all_caps(const char *s, size_t n);

/* tokens.c */
/* A new generation number for a loaded rule set (never 0). */
uint32_t ds_rules_generation(void);
/* Tokenise and tag text[0..len) (base: its offset in the document). */
dossier_status ds_toks_build(const ds_claim_rules *r, ds_toks *ts, const char *text,
                             size_t len, size_t base);
void ds_toks_free(ds_toks *ts);
/* Tokenise only (no lexicon, tags or chunks): the baseline of bench_claims. */
dossier_status ds_toks_tokenise(ds_toks *ts, const char *text, size_t len);
/* Stem id of token i (computed once; -1 when the stem names no pattern word). */
int32_t ds_tok_stem(const ds_claim_rules *r, struct sb_stemmer *st, ds_toks *ts, int i);
/* The same without the first-word filter (for the later words of a pattern). */
int32_t ds_tok_stem_any(const ds_claim_rules *r, struct sb_stemmer *st, ds_toks *ts, int i);
int32_t ds_stem_id(const ds_claim_rules *r, struct sb_stemmer *st, const char *w, size_t n,
                   bool verb, bool filter);
static inline const ds_lex *ds_tok_lex(const ds_claim_rules *r, const ds_toks *ts, int i)
{
    return ts->t[i].lex >= 0 ? &r->lex[ts->t[i].lex] : NULL;
}
static inline const ds_lex *ds_tok_nlex(const ds_claim_rules *r, const ds_toks *ts, int i)
{
    if (ts->t[i].nlex >= 0) return &r->lex[ts->t[i].nlex];
    return ts->t[i].lex >= 0 ? &r->lex[ts->t[i].lex] : NULL;
}
static inline bool ds_tok_has(const ds_claim_rules *r, const ds_toks *ts, int i, int w)
{
    const ds_lex *l = ds_tok_lex(r, ts, i);
    return l && (l->f & WF(w));
}
static inline bool ds_tok_is(const ds_toks *ts, int i, const char *w)
{
    size_t n = strlen(w);
    return i >= 0 && i < ts->n && ts->t[i].ln == n && memcmp(ts->low.p + ts->t[i].lo, w, n) == 0;
}
/* Longest phrase entry of the lexicon starting at token i with flag w; returns
 * its lexicon index and sets *len (tokens), or -1. */
int ds_phrase_at(const ds_claim_rules *r, const ds_toks *ts, int i, int w, int *len);

/* parties.c */
typedef struct ds_pinfo {
    ds_party p;
    bool person, plural, own, pronoun, speaker;
    ds_victim_status status;
    ds_site site;
    ds_mode weapon;
    int head;              /* head token, -1 */
    int poss;              /* possessive pronoun token, -1 */
} ds_pinfo;
/* Code tokens [a, b) of ts (a noun phrase, possibly with "of" extensions). */
bool ds_code_span(const ds_claim_rules *r, const ds_toks *ts, int a, int b, ds_pinfo *out);

/* ---- per-document extraction state (claims.c, roles.c) ------------------- */
typedef struct ds_mention {
    ds_pinfo pi;
    int sent;
    int32_t head_lex;
    bool speaker;
} ds_mention;

typedef struct ds_cinfo {   /* one chunk of the current sentence */
    ds_pinfo pi;           /* coded and resolved */
    int32_t head_lex;
    bool speaker;
} ds_cinfo;

typedef struct ds_xs {
    const dossier_ctx *ctx;
    const ds_claim_rules *r;
    dossier_doc *doc;
    struct sb_stemmer *st;
    ds_toks ts;
    int sent;
    ds_cinfo *ci;
    int cicap;
    ds_vec hist;           /* of ds_mention */
    void *explain;         /* FILE * for `dossier explain`, or NULL */
    ds_attr_cache *atc;    /* attribution's sentence tokens of this document */
} ds_xs;

typedef struct ds_event {
    const ds_pattern *p;
    int a, e;              /* matched tokens [a, e) */
    int gap_a, gap_b;      /* tokens a gap "*" covered, or -1 */
    int8_t lethal;         /* merged lethality, -1 unsaid */
    uint8_t mode;          /* merged mode */
    bool dropped;
    int act_a, act_b, tgt_a, tgt_b;   /* spans found (for merging), -1 */
    int status_cue;        /* token of a surrender word read as the victim's status, -1 */
} ds_event;

/* roles.c */
dossier_status ds_sentence_begin(ds_xs *x);      /* code and resolve the chunks */
void ds_sentence_end(ds_xs *x);                  /* remember the mentions */
/* Fill claim c for event ev; *keep false when the event gives no claim. */
dossier_status ds_event_claim(ds_xs *x, ds_event *ev, ds_claim *c, bool *keep,
                              const char **why);

/* ihl.c */
unsigned ds_ihl_tags(const ds_claim *c);

/* claims.c: explain support — run the claim rules on one sentence text and
 * print tokens, chunks, matches and claims to f. */
dossier_status ds_explain(const dossier_ctx *ctx, const char *text, size_t len, void *f);
/* The claims of text taken as a document body (no cleaning): *out is a new
 * document, caller frees with dossier_doc_free().  For tests and benchmarks. */
dossier_status ds_claims_for_text(const dossier_ctx *ctx, const char *text, size_t len,
                                  dossier_doc **out);

#endif
