/*
 * attr_lex.h — private interface between attribution.c and attr_lex.c:
 * the lexicons of data/attribution/, a word tokenizer with byte offsets and
 * quote state, and the phrase matcher.  Not used outside attribution.
 */
#ifndef DOSSIER_ATTR_LEX_H
#define DOSSIER_ATTR_LEX_H

#include "internal.h"

#include <string.h>

/* phrase classes (one per data file) */
enum { AL_VERB = 1, AL_CUE, AL_SPEAKER, AL_EVID, AL_RELAY, AL_NOUN, AL__COUNT };
/* values of AL_RELAY phrases */
enum { AL_RELAY_AFTER = 1, AL_RELAY_MEDIA_OBJECT, AL_RELAY_RELEASE };
/* AL_EVID value of a speech verb that is testimony when a witness or captive
 * speaks ("a resident told AFP"); other values are evidence bit index + 1 */
#define AL_EVID_WITNESS_VERB (DS_EVID__BITS + 1)
/* AL_EVID value of a phrase that names no evidence ("video call") */
#define AL_EVID_NONE (DS_EVID__BITS + 2)
/* function-word classes (bit set) from words.txt */
enum {
    AW_DET = 1 << 0, AW_SKIP = 1 << 1, AW_PASSIVE = 1 << 2, AW_BOUNDARY = 1 << 3,
    AW_PREP = 1 << 4, AW_PRON_PERSON = 1 << 5, AW_PRON_PLURAL = 1 << 6, AW_DEFINITE = 1 << 7,
    AW_PASSIVE_SPEECH = 1 << 8, AW_BODY = 1 << 9
};

/* token kinds */
enum { AT_WORD = 1, AT_PUNCT, AT_QOPEN, AT_QCLOSE };

#define AT_LOWMAX 40
typedef struct at_tok {
    size_t s, e;              /* byte offsets in doc->text */
    char low[AT_LOWMAX];      /* lower-cased word ("'" for ’), "" when too long */
    unsigned char kind;
    bool cap;                 /* starts with an upper-case letter */
    bool inq;                 /* inside a quotation */
    unsigned wbits;           /* AW_* classes of this word */
    int ent;                  /* lexicon entry of this word or -1 */
} at_tok;

typedef struct at_toks {
    at_tok *t;
    int n, cap;
} at_toks;

/* Quote state at a position: byte offsets of the open double and single
 * quote (or -1). */
typedef struct at_qstate {
    long dq, sq;
} at_qstate;

dossier_status at_rules_load(const char *data_dir, ds_attr_rules **out, char *err,
                             size_t errlen);
void at_rules_free(ds_attr_rules *r);

/* Tokenize doc->text[a..b); quote state starts as q (updated). */
dossier_status at_tokenize(const ds_attr_rules *r, const char *text, size_t a, size_t b,
                           at_qstate *q, at_toks *out);
void at_toks_free(at_toks *t);

/* Start of the paragraph holding pos (after a blank line, or AT_QUOTE_WINDOW
 * bytes back at most) and its end (AT_QUOTE_WINDOW bytes on at most). */
#define AT_QUOTE_WINDOW 4096
size_t at_para_start(const char *text, size_t pos);
size_t at_para_end(const char *text, size_t len, size_t pos);
/* Quote state just before pos, scanning from its paragraph's start. */
at_qstate at_quote_at(const char *text, size_t len, size_t pos);
/* Scan one character at i; updates q; returns the character's byte length. */
size_t at_quote_step(const char *text, size_t len, size_t i, at_qstate *q, int *event);

/* Longest phrase of class cls starting at token i: returns the index after
 * its last token (or -1) and its value in *val. */
int at_match(const ds_attr_rules *r, const at_toks *t, int i, int cls, int *val);
/* Does the word of token i belong to lexicon class cls (any phrase of one word)? */
bool at_is(const ds_attr_rules *r, const at_tok *k, int cls, int *val);
/* The same for a lower-case word w[0..n). */
bool at_is_word(const ds_attr_rules *r, const char *w, size_t n, int cls, int *val);
/* The words.txt classes (AW_*) of a lower-case word. */
unsigned at_word_bits(const ds_attr_rules *r, const char *w);


/* ---- shared by attribution.c and attr_speaker.c ------------------------- */
typedef struct np {
    int a, b;   /* token range [a, b); empty when a >= b */
} np;

/* A speaker found in a frame: name span and description span (name plus
 * appositives) as byte offsets, the sentence it stands in. */
typedef struct spk {
    bool found;
    int sent;
    size_t s, e;     /* name */
    size_t ds, de;   /* description */
} spk;

typedef struct actx {
    const dossier_ctx *ctx;
    const dossier_doc *doc;
    const ds_attr_rules *r;
    dossier_status st;
    ds_attr_cache *cache;   /* tokens of whole sentences, or NULL */
} actx;

/* One document's sentences, tokenized once each on first use (at_tok_sent). */
struct ds_attr_cache {
    at_toks *sent;          /* by sentence index */
    bool *done;             /* sent[i] holds sentence i's tokens */
    size_t n;
    size_t ntok;            /* tokens held (bounded: AT_CACHE_TOKENS) */
};
/* At most this many tokens are kept (about 19 MB); past it the cache starts
 * over, so a huge document costs time, not memory. */
#define AT_CACHE_TOKENS 262144

#define TK(T, i) (&(T)->t[(i)])

typedef struct subj {
    np name, desc;
    bool passive;   /* "it was reported", "has been accused": nobody named */
    bool by_agent;  /* "was reported by local media" */
} subj;

static inline bool is_word(const at_tok *k) { return k->kind == AT_WORD; }
static inline bool is_p(const at_tok *k, char c) { return k->kind == AT_PUNCT && k->low[0] == c; }
static inline bool is_quote(const at_tok *k) { return k->kind == AT_QOPEN || k->kind == AT_QCLOSE; }
static inline bool is_low(const at_tok *k, const char *w) { return is_word(k) && strcmp(k->low, w) == 0; }
static inline bool is_num(const at_tok *k) { return is_word(k) && k->low[0] >= '0' && k->low[0] <= '9'; }

/* A clause break for phrase scanning: punctuation other than brackets and
 * hyphen-free dots, and quote marks. */
static inline bool is_break(const at_tok *k)
{
    if (is_quote(k)) return true;
    return k->kind == AT_PUNCT && k->low[0] != '(' && k->low[0] != ')' && k->low[0] != '&';
}

static inline bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

bool at_speech_verb_word(const actx *A, const at_tok *k);
subj at_find_subject(const actx *A, const at_toks *T, int lo, int hi, int v, int vend);
np at_np_back(const actx *A, const at_toks *T, int j, int lo);
np at_np_fwd(const actx *A, const at_toks *T, int i, int hi);
int at_skip_back(const at_toks *T, int j, int lo, bool *passive);
bool at_adjectival(const at_toks *T, int v, int lo);
int at_sent_of(const dossier_doc *doc, size_t pos);
bool at_tok_range(actx *A, size_t a, size_t b, at_toks *T);
bool at_tok_sent(actx *A, int s, at_toks *T);
bool at_tok_plain(actx *A, size_t a, size_t b, at_toks *T);
spk at_make_spk(const at_toks *T, const subj *S, int sent);
ds_speaker_kind at_kind_of(actx *A, size_t a, size_t b, char head[AT_LOWMAX]);
bool at_captive_nearby(actx *A, int sent, const char *head);
bool at_resolve(actx *A, spk *p, int depth);
bool at_person_like(actx *A, const spk *p, bool plural);
bool at_np_has_noun_or_name(const actx *A, const at_toks *T, np p);

#endif
