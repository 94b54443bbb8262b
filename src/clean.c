/*
 * clean.c — from blocks (paragraphs, captions, lines) to the article body.
 *
 * The same general rules apply to plain text and to HTML (html.c produces
 * blocks too): boilerplate lines from data/clean/rules.txt, section labels,
 * headline, byline, origin and platform lines, related-link bullet runs, and
 * exact or near-exact repeated paragraphs and captions (first one kept).
 *
 * The rules are compiled once into a single PCRE2 alternation (JIT) whose
 * branches end in (*MARK:n), so each short line costs one regex run; the
 * rule's own pattern is run again only on a match, to read its group 1.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "internal.h"
#include "clean_int.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#define RULE_MAX_LINE 400   /* rules apply to lines this short: boilerplate is short */
#define DUP_WINDOW 32       /* recent kept blocks checked for concatenated copies */
#define DUP_MIN_KEY 30      /* shortest key that may be a prefix of a concatenation */

typedef enum {
    R_DROP, R_ORIGIN, R_ORIGINKEEP, R_PLATFORM, R_BYLINE, R_OUTLET, R_SECTION, R_CREDIT,
    R_AIBYLINE, R__COUNT
} rule_kind;
static const char *const rule_kind_names[R__COUNT] = {
    "drop", "origin", "originkeep", "platform", "byline", "outlet", "section", "credit",
    "aibyline"};

typedef struct rule {
    rule_kind kind;
    pcre2_code *re;
    litset *lits;           /* credit rules: a tail holding none cannot match; or NULL */
} rule;

struct ds_clean_rules {
    rule *rules;
    size_t n;
    pcre2_code *line_anch;  /* line rules anchored at ^, one alternation with (*MARK),
                               tried at offset 0 only */
    pcre2_code *line_float; /* the other line rules, one alternation, scanned */
    litset float_lits;      /* a line without any of these cannot match line_float */
    pcre2_code *published;  /* "Published: …" lines */
};


static pcre2_code *compile(const char *pat, size_t len, uint32_t flags, char *err,
                           size_t errlen, const char *where)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len,
                                   flags | PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &ec, &eo,
                                   NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        if (err) snprintf(err, errlen, "%s: %s at offset %zu", where, (char *)msg, (size_t)eo);
        return NULL;
    }
    /* JIT unless DOSSIER_NO_JIT is set (valgrind cannot follow JIT code, and
     * some hardened systems forbid executable memory); on failure pcre2_match
     * falls back to the interpreter by itself */
    const char *nojit = getenv("DOSSIER_NO_JIT");
    if (!nojit || !*nojit || !strcmp(nojit, "0")) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

void ds_clean_rules_free(ds_clean_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        pcre2_code_free(r->rules[i].re);
        ds_free(r->rules[i].lits);
    }
    ds_free(r->rules);
    pcre2_code_free(r->line_anch);
    pcre2_code_free(r->line_float);
    pcre2_code_free(r->published);
    ds_free(r);
}

dossier_status ds_clean_rules_load(const char *data_dir, ds_clean_rules **out, char *err,
                                   size_t errlen)
{
    *out = NULL;
    char *path = ds_data_path(data_dir, "clean/rules.txt");
    if (!path) return DOSSIER_ENOMEM;
    char *src;
    size_t srclen;
    dossier_status st = ds_read_file(path, &src, &srclen);
    if (st != DOSSIER_OK) {
        if (err) snprintf(err, errlen, "%s: cannot read", path);
        ds_free(path);
        return st == DOSSIER_EIO ? DOSSIER_EDATA : st;
    }
    ds_clean_rules *r = ds_calloc(1, sizeof *r);
    ds_buf anch = {0}, flt = {0};
    size_t cap = 0;
    st = r ? DOSSIER_OK : DOSSIER_ENOMEM;
    int lineno = 0;
    bool lits_ok = true;
    for (char *line = src, *next; st == DOSSIER_OK && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        size_t len = strlen(line);
        const char *l = ds_trim(line, &len);
        if (!len || l[0] == '#') continue;
        size_t kw = 0;
        while (kw < len && !isspace((unsigned char)l[kw])) kw++;
        int kind = -1;
        for (int k = 0; k < R__COUNT; k++)
            if (strlen(rule_kind_names[k]) == kw && memcmp(rule_kind_names[k], l, kw) == 0)
                kind = k;
        const char *pat = l + kw;
        size_t plen = len - kw;
        pat = ds_trim(pat, &plen);
        char where[512];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if (kind < 0 || !plen) {
            if (err) snprintf(err, errlen, "%s: unknown rule kind or empty pattern", where);
            st = DOSSIER_EDATA;
            break;
        }
        if (r->n == cap) {
            cap = cap ? cap * 2 : 64;
            rule *nr = ds_realloc(r->rules, cap * sizeof *nr);
            if (!nr) {
                st = DOSSIER_ENOMEM;
                break;
            }
            r->rules = nr;
        }
        rule *ru = &r->rules[r->n];
        ru->kind = (rule_kind)kind;
        ru->lits = NULL;
        ru->re = compile(pat, plen, 0, err, errlen, where);
        if (!ru->re) {
            st = DOSSIER_EDATA;
            break;
        }
        if (kind == R_CREDIT) {
            ru->lits = ds_calloc(1, sizeof *ru->lits);
            if (!ru->lits) {
                pcre2_code_free(ru->re);
                st = DOSSIER_ENOMEM;
                break;
            }
            ru->lits->ok = ds_litset_add(ru->lits, pat, plen) && ru->lits->n > 0;
        }
        if (kind != R_CREDIT && kind != R_AIBYLINE) {
            /* Inline flags like (?-i) stay local to the (?:…) group.  Rules
             * anchored at ^ go into an alternation tried only at offset 0:
             * PCRE2 would otherwise retry every branch at every offset. */
            ds_buf *all = pat[0] == '^' ? &anch : &flt;
            if (pat[0] != '^' && !ds_litset_add(&r->float_lits, pat, plen)) lits_ok = false;
            ds_buf_printf(all, "%s(?:%.*s)(*MARK:%zu)", all->n ? "|" : "", (int)plen, pat, r->n);
        }
        r->n++;
    }
    ds_free(src);
    if (r) r->float_lits.ok = lits_ok && r->float_lits.n > 0;
    if (st == DOSSIER_OK && (anch.oom || flt.oom)) st = DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) {
        r->line_anch = compile(anch.p ? anch.p : "(?!)", anch.p ? anch.n : 4, PCRE2_ANCHORED,
                               err, errlen, path);
        r->line_float = compile(flt.p ? flt.p : "(?!)", flt.p ? flt.n : 4, 0, err, errlen, path);
        if (!r->line_anch || !r->line_float) st = DOSSIER_EDATA;
    }
    if (st == DOSSIER_OK) {
        static const char pub[] =
            "^(?:published|updated|posted|last updated|first published|last modified|date)"
            "(?:\\s+on)?\\s*:?\\s*(.{4,80})$";
        r->published = compile(pub, sizeof pub - 1, 0, err, errlen, "published pattern");
        if (!r->published) st = DOSSIER_EDATA;
    }
    ds_buf_free(&anch);
    ds_buf_free(&flt);
    ds_free(path);
    if (st != DOSSIER_OK) {
        ds_clean_rules_free(r);
        return st;
    }
    *out = r;
    return DOSSIER_OK;
}

/* ---- duplicate keys ----------------------------------------------------- */
/* Key: letters and digits only, lower-cased; offs[k] = byte offset in the
 * source of key byte k (to cut a concatenated copy at the right place). */
typedef struct key {
    char *s;
    uint32_t *offs;
    size_t n;
    uint64_t h;
} key;

static bool make_key(ds_arena *a, const char *s, size_t n, key *k)
{
    /* Lower-casing a code point at most doubles its UTF-8 length (ASCII stays
     * one byte), so 2n bytes suffice; not zeroed: only what is written is touched. */
    size_t cap = n * 2 + 1;
    ds_work[DS_WORK_CLEAN_STEPS] += n;
    k->s = ds_arena_alloc_raw(a, cap);
    k->offs = ds_arena_alloc_raw(a, cap * sizeof(uint32_t));
    if (!k->s || !k->offs) return false;
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {   /* ASCII fast path: same result as the utf8proc branch */
            bool up = c >= 'A' && c <= 'Z';
            if ((up || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) && o + 1 < cap) {
                k->offs[o] = (uint32_t)i;
                k->s[o++] = (char)(up ? c + 32 : c);
            }
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t m = utf8proc_iterate((const uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (m <= 0) {
            i++;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO &&
            cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC &&
            cat != UTF8PROC_CATEGORY_ME) {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t e = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            for (utf8proc_ssize_t q = 0; q < e && o + 1 < cap; q++) {
                k->offs[o] = (uint32_t)i;
                k->s[o++] = (char)enc[q];
            }
        }
        i += (size_t)m;
    }
    k->s[o] = 0;
    k->offs[o] = (uint32_t)n;
    k->n = o;
    k->h = XXH3_64bits(k->s, o);
    return true;
}

typedef struct hset {
    uint64_t *slots;
    size_t *idx;   /* index of the kept block with that key */
    size_t cap, count;
    ds_arena *a;
} hset;

/* The slot for h: holding h, or empty where h would go. */
static size_t hset_slot(const hset *s, uint64_t h)
{
    size_t i = (size_t)(h ? h : 1) & (s->cap - 1);
    while (s->slots[i] && s->slots[i] != (h ? h : 1)) i = (i + 1) & (s->cap - 1);
    return i;
}

/* Index of the kept block with key hash h, or SIZE_MAX. */
static size_t hset_find(const hset *s, uint64_t h)
{
    size_t i = hset_slot(s, h);
    return s->slots[i] ? s->idx[i] : SIZE_MAX;
}

static bool hset_put(hset *s, uint64_t h, size_t index)
{
    if ((s->count + 1) * 2 > s->cap) {   /* keep the table at most half full */
        hset big = {NULL, NULL, s->cap * 2, 0, s->a};
        big.slots = ds_arena_alloc(s->a, big.cap * sizeof(uint64_t));
        big.idx = ds_arena_alloc(s->a, big.cap * sizeof(size_t));
        if (!big.slots || !big.idx) return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) hset_put(&big, s->slots[i], s->idx[i]);
        *s = big;
    }
    size_t i = hset_slot(s, h);
    if (!s->slots[i]) s->count++;
    s->slots[i] = h ? h : 1;
    s->idx[i] = index;
    return true;
}

/* ---- the cleaning pass --------------------------------------------------- */

/* opts: PCRE2_NO_UTF_CHECK when s[0..n) passed ds_utf8_valid, else 0 */
static int match_rule(const pcre2_code *re, const char *s, size_t n, pcre2_match_data *md,
                      uint32_t opts)
{
    return pcre2_match(re, (PCRE2_SPTR)s, n, 0, opts, md, NULL);
}

/* The rule index of the first line rule matching s, or -1. */
static int line_rule(const ds_clean_rules *r, const char *s, size_t n, pcre2_match_data *md,
                     uint32_t opts)
{
    if (n > RULE_MAX_LINE) return -1;
    if (match_rule(r->line_anch, s, n, md, opts) < 0 &&
        (!ds_litset_may_match(&r->float_lits, s, n) || match_rule(r->line_float, s, n, md, opts) < 0))
        return -1;
    PCRE2_SPTR mark = pcre2_get_mark(md);
    return mark ? atoi((const char *)mark) : -1;
}

/* Group 1 of rule i on s, as an arena string with trailing punctuation trimmed. */
static const char *rule_group(ds_arena *a, const rule *ru, const char *s, size_t n,
                              pcre2_match_data *md, uint32_t opts)
{
    if (match_rule(ru->re, s, n, md, opts) < 2) return NULL;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[2] == PCRE2_UNSET) return NULL;
    size_t len = ov[3] - ov[2];
    const char *g = ds_trim(s + ov[2], &len);
    while (len && (g[len - 1] == '.' || g[len - 1] == ',' || g[len - 1] == ':')) len--;
    return len ? ds_arena_strndup(a, g, len) : NULL;
}

/* Credit rules end in $ and span at most this many bytes: only the tail of a
 * block is searched, so long paragraphs cost no more than short ones. */
#define CREDIT_TAIL 160

static bool any_rule(const ds_clean_rules *r, rule_kind kind, const char *s, size_t n,
                     pcre2_match_data *md, uint32_t opts, size_t *cut)
{
    size_t from = 0;
    if (kind == R_CREDIT && n > CREDIT_TAIL) {
        from = n - CREDIT_TAIL;
        while (from && ((unsigned char)s[from] & 0xC0) == 0x80) from--;   /* char start */
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->rules[i].kind != kind) continue;
        if (r->rules[i].lits && !ds_litset_may_match(r->rules[i].lits, s + from, n - from)) continue;
        if (pcre2_match(r->rules[i].re, (PCRE2_SPTR)s, n, from, opts, md, NULL) >= 0) {
            if (cut) *cut = pcre2_get_ovector_pointer(md)[0];
            return true;
        }
    }
    return false;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        bool sp = s[i] == ' ' || s[i] == '\t';
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* A leading bullet ("• ", "* ", "- ", "· ", "▪ ") : its byte length, or 0. */
static size_t bullet_len(const char *s, size_t n)
{
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xC2\xB7", "\xE2\x96\xAA", "\xE2\x96\xBA",
                                          "\xE2\x80\xA3", "*", "-", "\xE2\x80\x93"};
    for (size_t i = 0; i < DS_ARRAY_LEN(bullets); i++) {
        size_t bl = strlen(bullets[i]);
        if (n > bl + 1 && memcmp(s, bullets[i], bl) == 0 && (s[bl] == ' ' || s[bl] == '\t'))
            return bl + 1;
    }
    return 0;
}

/* Headline: short, at least two words, no final full stop. */
static bool reads_as_headline(const char *s, size_t n)
{
    if (n < 8 || n > 300) return false;
    size_t w = count_words(s, n);
    if (w < 2 || w > 45) return false;
    size_t m = n;
    while (m && (s[m - 1] == '"' || s[m - 1] == '\'' || s[m - 1] == ' ')) m--;
    if (m >= 3 && (unsigned char)s[m - 3] == 0xE2 && (unsigned char)s[m - 2] == 0x80 &&
        ((unsigned char)s[m - 1] == 0x99 || (unsigned char)s[m - 1] == 0x9D))
        m -= 3;
    return m && s[m - 1] != '.' && s[m - 1] != ':' && s[m - 1] != ';' && s[m - 1] != ',';
}

typedef struct kept {
    const char *text;
    size_t len;
    ds_block_kind kind;
    key k;
    bool doubled;   /* the page printed this block more than once (a caption) */
    bool dropped;   /* removed by the restated-quote pass */
} kept;

/* Quote marks that open or close a quoted span. */
static size_t quote_len(const char *s, const char *end)
{
    unsigned char c = (unsigned char)s[0];
    if (c == '"') return 1;
    if (c == '\'') return 1;
    if (end - s >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9F)
        return 3;
    return 0;
}

/*
 * A doubled caption that restates a quote of the body: the page printed it
 * twice (MailOnline-style captions), it has no final full stop, and a quoted
 * span of at least QUOTE_MIN_WORDS words in it already stands in an earlier
 * kept block.  Such captions are near-duplicates of the body.
 */
#define QUOTE_MIN_WORDS 6
static bool restates_quote(ds_arena *a, const kept *out, size_t i)
{
    const kept *c = &out[i];
    if (!c->doubled || ds_ends_sentence(c->text, c->len)) return false;
    const char *p = c->text, *end = c->text + c->len;
    while (p < end) {
        size_t q = quote_len(p, end);
        /* an opening quote: at the start or after a space or colon */
        if (!q || (p > c->text && p[-1] != ' ' && p[-1] != ':')) {
            p++;
            continue;
        }
        const char *open = p + q, *close = NULL;
        for (const char *r = open; r < end; r++) {
            size_t k = quote_len(r, end);
            if (k && (r + k >= end || !isalpha((unsigned char)r[k]))) {
                close = r;
                break;
            }
        }
        if (!close) break;
        if (count_words(open, (size_t)(close - open)) >= QUOTE_MIN_WORDS) {
            key k;
            if (!make_key(a, open, (size_t)(close - open), &k)) return false;
            for (size_t j = 0; j < i; j++)
                if (!out[j].dropped && out[j].k.n > k.n && memmem(out[j].k.s, out[j].k.n, k.s, k.n))
                    return true;
        }
        p = close + 1;
    }
    return false;
}

static void note_drop(dossier_doc *doc, const char *s, size_t n, bool dup)
{
    if (dup) doc->dropped_duplicate++;
    else doc->dropped_boilerplate++;
    const char **slot = ds_vec_push(&doc->dropped_lines, sizeof(const char *));
    if (slot) *slot = ds_arena_strndup(doc->arena, s, n);
}

/* Strip a markdown emphasis wrapper (**Heading**, __x__) around a whole line. */
static const char *strip_emphasis(const char *s, size_t *n)
{
    size_t len = *n;
    while (len >= 4 && ((s[0] == '*' && s[1] == '*' && s[len - 1] == '*' && s[len - 2] == '*') ||
                        (s[0] == '_' && s[1] == '_' && s[len - 1] == '_' && s[len - 2] == '_'))) {
        s += 2;
        len -= 4;
        s = ds_trim(s, &len);
    }
    while (len >= 2 && s[0] == '#' ) {         /* markdown heading marks */
        size_t h = 0;
        while (h < len && s[h] == '#') h++;
        if (h < len && s[h] == ' ') {
            s += h + 1;
            len -= h + 1;
        } else {
            break;
        }
    }
    *n = len;
    return s;
}

dossier_status ds_clean_blocks(const ds_clean_rules *r, dossier_doc *doc, ds_vec *blocks,
                               bool first_may_be_title)
{
    ds_arena *a = doc->arena;
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    if (!md) return DOSSIER_ENOMEM;
    size_t nb = blocks->n;
    ds_block *bl = blocks->items;
    ds_vec outv = {0};   /* of kept */
    kept *out = NULL;
    hset seen = {0};
    seen.cap = 64;
    seen.a = a;
    while (seen.cap < nb * 2 + 8) seen.cap *= 2;
    seen.slots = ds_arena_alloc(a, seen.cap * sizeof(uint64_t));
    seen.idx = ds_arena_alloc(a, seen.cap * sizeof(size_t));
    dossier_status st = seen.slots && seen.idx ? DOSSIER_OK : DOSSIER_ENOMEM;
    size_t nout = 0;
    bool title_done = doc->title != NULL || !first_may_be_title;
    bool body_started = false;
    bool prev_colon = false;
    /* bullets without final punctuation form related-link / tag runs */
    for (size_t i = 0; st == DOSSIER_OK && i < nb; i++) {
        ds_work[DS_WORK_CLEAN_STEPS]++;
        size_t n = bl[i].len;
        const char *s = ds_trim(bl[i].text, &n);
        if (!n) continue;
        size_t bul = bullet_len(s, n);
        if (bul) {
            s += bul;
            n -= bul;
            s = ds_trim(s, &n);
            if (!prev_colon && !ds_ends_sentence(s, n) && count_words(s, n) <= 25) {
                note_drop(doc, bl[i].text, bl[i].len, false);
                continue;
            }
        }
        s = strip_emphasis(s, &n);
        if (!n) continue;
        uint32_t uo = ds_utf8_valid(s, n) ? PCRE2_NO_UTF_CHECK : 0;
        /* published line */
        if (n <= 120 && match_rule(r->published, s, n, md, uo) >= 2) {
            char date[11];
            if (ds_find_published(s, n, date)) {
                if (!doc->published) doc->published = ds_arena_strdup(a, date);
                note_drop(doc, s, n, false);
                continue;
            }
        }
        int ri = line_rule(r, s, n, md, uo);
        if (ri >= 0) {
            const rule *ru = &r->rules[ri];
            const char *g = NULL;
            switch (ru->kind) {
            case R_ORIGIN:
                g = rule_group(a, ru, s, n, md, uo);
                if (g && !doc->origin) doc->origin = g;
                note_drop(doc, s, n, false);
                continue;
            case R_ORIGINKEEP:
                g = rule_group(a, ru, s, n, md, uo);
                if (g && !doc->origin) doc->origin = g;
                break;   /* the line is body text */
            case R_PLATFORM:
                g = rule_group(a, ru, s, n, md, uo);
                if (g && !doc->platform) doc->platform = g;
                note_drop(doc, s, n, false);
                continue;
            case R_BYLINE:
                if (body_started && nout > 3) break;   /* "By X" late in text is prose */
                g = rule_group(a, ru, s, n, md, uo);
                if (g && !doc->byline) doc->byline = g;
                note_drop(doc, s, n, false);
                continue;
            case R_OUTLET:
                g = rule_group(a, ru, s, n, md, uo);
                if (g && !doc->outlet) doc->outlet = g;
                note_drop(doc, s, n, false);
                continue;
            case R_SECTION:
                if (title_done && body_started) break;
                note_drop(doc, s, n, false);
                continue;
            case R_DROP:
                note_drop(doc, s, n, false);
                continue;
            default:
                break;
            }
        }
        /* A lone short line repeating the byline ("AI" above "By AI"). */
        if (!body_started && n <= 40 && count_words(s, n) <= 4 && i + 1 < nb &&
            doc->byline == NULL) {
            size_t n2 = bl[i + 1].len;
            const char *s2 = ds_trim(bl[i + 1].text, &n2);
            int r2 = line_rule(r, s2, n2, md, 0);
            if (r2 >= 0 && r->rules[r2].kind == R_BYLINE) {
                const char *g2 = rule_group(a, &r->rules[r2], s2, n2, md, 0);
                if (g2 && strlen(g2) == n && memcmp(g2, s, n) == 0) {
                    note_drop(doc, s, n, false);
                    continue;
                }
            }
        }
        if (!body_started && doc->byline && strlen(doc->byline) == n &&
            memcmp(doc->byline, s, n) == 0) {
            note_drop(doc, s, n, false);
            continue;
        }
        if (!title_done) {
            title_done = true;
            if (reads_as_headline(s, n) && i + 1 < nb) {
                doc->title = ds_arena_strndup(a, s, n);
                continue;
            }
        }
        body_started = true;
        /* duplicates: strip a trailing credit, key, compare */
        size_t kn = n, cut;
        if (any_rule(r, R_CREDIT, s, n, md, uo, &cut) && cut > n / 2) kn = cut;
        key k;
        if (!make_key(a, s, kn, &k)) {
            st = DOSSIER_ENOMEM;
            break;
        }
        if (k.n == 0) {   /* punctuation or symbols only */
            note_drop(doc, s, n, false);
            continue;
        }
        size_t twin = hset_find(&seen, k.h);
        bool dup = twin != SIZE_MAX;
        if (dup) out[twin].doubled = true;
        if (!dup && k.n >= DUP_MIN_KEY) {
            size_t from = nout > DUP_WINDOW ? nout - DUP_WINDOW : 0;
            for (size_t j = nout; j-- > from && !dup;) {
                const key *o = &out[j].k;
                ds_work[DS_WORK_CLEAN_STEPS]++;
                if (o->n < DUP_MIN_KEY) continue;
                if (o->n < k.n && memcmp(o->s, k.s, o->n) == 0) {
                    /* a copy of block j with the next paragraph glued on */
                    out[j].doubled = true;
                    size_t off = k.offs[o->n];
                    note_drop(doc, s, off, true);
                    size_t rest = n - off;
                    const char *rs = ds_trim(s + off, &rest);
                    if (rest) {
                        /* re-queue the remainder as its own block */
                        ds_block *b = ds_vec_push(blocks, sizeof(ds_block));
                        if (!b) {
                            st = DOSSIER_ENOMEM;
                            break;
                        }
                        bl = blocks->items;
                        /* move it to just after i by swapping through the tail */
                        memmove(&bl[i + 2], &bl[i + 1], (blocks->n - i - 2) * sizeof(ds_block));
                        ds_work[DS_WORK_CLEAN_STEPS] += blocks->n - i - 2;
                        bl[i + 1].text = rs;
                        bl[i + 1].len = rest;
                        bl[i + 1].kind = bl[i].kind;
                        nb = blocks->n;
                    }
                    dup = true;
                    s = NULL;
                } else if (k.n < o->n && k.n * 10 >= o->n * 8 && memcmp(o->s, k.s, k.n) == 0) {
                    dup = true;   /* a truncated copy of block j */
                    out[j].doubled = true;
                }
            }
            if (!s) continue;
        }
        if (st != DOSSIER_OK) break;
        if (dup) {
            note_drop(doc, s, n, true);
            continue;
        }
        prev_colon = n && s[n - 1] == ':';
        if (!ds_vec_push(&outv, sizeof(kept))) {
            st = DOSSIER_ENOMEM;
            break;
        }
        out = outv.items;
        if (!hset_put(&seen, k.h, nout)) {
            st = DOSSIER_ENOMEM;
            break;
        }
        out[nout].text = s;
        out[nout].len = n;
        out[nout].kind = bl[i].kind;
        out[nout].k = k;
        nout++;
    }
    pcre2_match_data_free(md);
    if (st != DOSSIER_OK) {
        ds_vec_free(&outv);
        return st;
    }
    for (size_t i = 0; i < nout; i++) {
        if (restates_quote(a, out, i)) {
            out[i].dropped = true;
            note_drop(doc, out[i].text, out[i].len, true);
        }
    }
    /* AI byline */
    if (doc->byline) {
        pcre2_match_data *md2 = pcre2_match_data_create(4, NULL);
        if (!md2) {
            ds_vec_free(&outv);
            return DOSSIER_ENOMEM;
        }
        if (any_rule(r, R_AIBYLINE, doc->byline, strlen(doc->byline), md2, 0, NULL))
            doc->flags |= DS_FLAG_AI_BYLINE;
        pcre2_match_data_free(md2);
    }
    /* join */
    size_t total = 0;
    for (size_t i = 0; i < nout; i++) total += out[i].len + 2;
    size_t nkept = 0;
    char *t = ds_arena_alloc(a, total + 1);
    if (!t) {
        ds_vec_free(&outv);
        return DOSSIER_ENOMEM;
    }
    size_t o = 0;
    for (size_t i = 0; i < nout; i++) {
        if (out[i].dropped) continue;
        if (nkept++) {
            t[o++] = '\n';
            t[o++] = '\n';
        }
        memcpy(t + o, out[i].text, out[i].len);
        o += out[i].len;
    }
    t[o] = 0;
    ds_vec_free(&outv);
    doc->text = t;
    doc->text_len = o;
    return DOSSIER_OK;
}
