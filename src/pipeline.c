/*
 * pipeline.c — the context, one document's pass through the stages, and the
 * ordered parallel runner used by `extract` and `ingest`.
 *
 *   input bytes → detect format → (html.c | text blocks) → clean.c
 *               → sentences.c → claims.c → dossier_doc
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_DOC (32u * 1024 * 1024)
#define DEFAULT_MAX_SENTENCE 4096
#define DEFAULT_MAX_CLAIMS 2000

/* ---- context ------------------------------------------------------------ */
void ds_options_defaults(dossier_options *o)
{
    if (!o->max_doc_bytes) o->max_doc_bytes = DEFAULT_MAX_DOC;
    if (!o->max_sentence_bytes) o->max_sentence_bytes = DEFAULT_MAX_SENTENCE;
    if (!o->max_claims) o->max_claims = DEFAULT_MAX_CLAIMS;
}

dossier_status dossier_ctx_new(const char *data_dir, const dossier_options *opts,
                               dossier_ctx **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    if (errbuf && errlen) errbuf[0] = 0;
    if (!data_dir) data_dir = getenv("DOSSIER_DATA");
    if (!data_dir || !*data_dir) data_dir = DOSSIER_DATA_DEFAULT;
    dossier_ctx *c = ds_calloc(1, sizeof *c);
    if (!c) return DOSSIER_ENOMEM;
    if (opts) c->opts = *opts;
    ds_options_defaults(&c->opts);
    c->data_dir = ds_strdup(data_dir);
    dossier_status st = c->data_dir ? DOSSIER_OK : DOSSIER_ENOMEM;
    const char *gen = getenv("DOSSIER_GEN");
    c->gen_dir = ds_strdup(gen && *gen ? gen : DOSSIER_GEN_DEFAULT);
    if (!c->gen_dir) st = DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) st = ds_clean_rules_load(c->data_dir, &c->clean, errbuf, errlen);
    if (st == DOSSIER_OK) st = ds_sent_rules_load(c->data_dir, &c->sent, errbuf, errlen);
    if (st == DOSSIER_OK) st = ds_html_rules_load(c->data_dir, &c->html, errbuf, errlen);
    if (st == DOSSIER_OK && !c->opts.no_claims)
        st = ds_claim_rules_load(c->data_dir, &c->claims, errbuf, errlen);
    if (st == DOSSIER_OK && !c->opts.no_claims)
        st = ds_attr_rules_load(c->data_dir, &c->attr, errbuf, errlen);
    if (st == DOSSIER_OK && !c->opts.no_claims)
        st = ds_gazetteer_open(c->gen_dir, &c->gaz, errbuf, errlen);
    if (st != DOSSIER_OK) {
        dossier_ctx_free(c);
        return st;
    }
    *out = c;
    return DOSSIER_OK;
}

void dossier_ctx_free(dossier_ctx *c)
{
    if (!c) return;
    ds_clean_rules_free(c->clean);
    ds_sent_rules_free(c->sent);
    ds_html_rules_free(c->html);
    ds_claim_rules_free(c->claims);
    ds_attr_rules_free(c->attr);
    ds_gazetteer_free(c->gaz);
    ds_free(c->data_dir);
    ds_free(c->gen_dir);
    ds_free(c);
}

/* ---- format detection ----------------------------------------------------- */
static bool has_suffix(const char *path, const char *suf)
{
    size_t a = strlen(path), b = strlen(suf);
    return a >= b && ds_ieq(path + a - b, suf, b);
}

static bool path_is_html(const char *path)
{
    if (!path) return false;
    return has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml") ||
           has_suffix(path, ".html.gz") || has_suffix(path, ".htm.gz");
}

static bool memcasemem(const unsigned char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    for (size_t i = 0; i + nn <= hn; i++)
        if (ds_ieq((const char *)h + i, needle, nn)) return true;
    return false;
}

dossier_format ds_detect_format(const char *path, const unsigned char *s, size_t n)
{
    if (path_is_html(path)) return DOSSIER_FORMAT_HTML;
    size_t i = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i >= n || s[i] != '<') return DOSSIER_FORMAT_TEXT;
    size_t look = n - i < 8192 ? n - i : 8192;
    static const char *const markers[] = {"<!doctype html", "<html", "<head", "<body", "<meta",
                                          "<div", "<p>", "<p ", "<article", "<title"};
    for (size_t k = 0; k < DS_ARRAY_LEN(markers); k++)
        if (memcasemem(s + i, look, markers[k])) return DOSSIER_FORMAT_HTML;
    return DOSSIER_FORMAT_TEXT;
}

/* ---- text encodings --------------------------------------------------------- */
/* Windows-1252 rather than UTF-8: high bytes present, and not one of them
 * starts a valid multi-byte sequence. */
static bool looks_cp1252(const unsigned char *s, size_t n)
{
    size_t high = 0, valid = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80) continue;
        high++;
        size_t k = (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3 : (s[i] & 0xF8) == 0xF0 ? 4 : 0;
        if (k && i + k <= n) {
            size_t j = 1;
            while (j < k && (s[i + j] & 0xC0) == 0x80) j++;
            if (j == k) {
                valid++;
                i += k - 1;
            }
        }
    }
    return high > 0 && valid == 0;
}

/* Decode plain text to UTF-8: UTF-16 with a BOM, Windows-1252, else UTF-8
 * with invalid sequences repaired (U+FFFD, flagged). */
static char *decode_text(dossier_doc *doc, const unsigned char *s, size_t n, size_t *out_len)
{
    bool oom = false, bad = false;
    char *t = NULL;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        t = ds_iconv_to_utf8(doc->arena, "UTF-16", (const char *)s, n, out_len, &bad, &oom);
    else if (looks_cp1252(s, n))
        t = ds_iconv_to_utf8(doc->arena, "WINDOWS-1252", (const char *)s, n, out_len, &bad, &oom);
    if (oom) return NULL;
    if (bad) doc->flags |= DS_FLAG_INVALID_UTF8;
    if (t) {
        /* normalise line ends and drop NULs through the same repair pass */
        bool repaired = false;
        char *u = ds_utf8_repair(doc->arena, (const unsigned char *)t, *out_len, out_len, &repaired);
        if (u && repaired) doc->flags |= DS_FLAG_INVALID_UTF8;
        return u;
    }
    bool repaired = false;
    t = ds_utf8_repair(doc->arena, s, n, out_len, &repaired);
    if (t && repaired) doc->flags |= DS_FLAG_INVALID_UTF8;
    return t;
}

/* ---- one document -------------------------------------------------------- */
void dossier_doc_free(dossier_doc *doc)
{
    if (!doc) return;
    ds_vec_free(&doc->sentences);
    ds_vec_free(&doc->claims);
    ds_vec_free(&doc->dropped_lines);
    ds_arena_free(doc->arena);   /* doc itself lives in its arena */
}

static bool blank(const char *s) { return !s || !*s; }

dossier_status dossier_extract(const dossier_ctx *ctx, const dossier_input *in,
                               dossier_doc **out)
{
    *out = NULL;
    if (!ctx || !in || (!in->bytes && in->len)) return DOSSIER_EINVAL;
    ds_arena *a = ds_arena_new();
    if (!a) return DOSSIER_ENOMEM;
    dossier_doc *doc = ds_arena_alloc(a, sizeof *doc);
    if (!doc) {
        ds_arena_free(a);
        return DOSSIER_ENOMEM;
    }
    doc->arena = a;
    dossier_status st = DOSSIER_OK;
    ds_vec blocks = {0};
    size_t len = in->len;

    char hex[65];
    ds_sha256_hex(in->id_bytes ? in->id_bytes : in->bytes, in->id_bytes ? in->id_len : in->len,
                  hex);
    snprintf(doc->id, sizeof doc->id, "sha256:%s", hex);
    doc->path = ds_arena_strdup(a, in->path);
    doc->url = blank(in->url) ? NULL : ds_arena_strdup(a, in->url);
    doc->title = blank(in->title) ? NULL : ds_arena_strdup(a, in->title);
    doc->outlet = blank(in->outlet) ? NULL : ds_arena_strdup(a, in->outlet);
    doc->byline = blank(in->byline) ? NULL : ds_arena_strdup(a, in->byline);
    doc->extra_json = ds_arena_strdup(a, in->extra_json);
    if (!blank(in->published)) {
        char d[11];
        size_t pl = strlen(in->published);
        if (pl >= 10 && in->published[4] == '-' && in->published[7] == '-')
            doc->published = ds_arena_strndup(a, in->published, 10);
        else if (ds_find_published(in->published, pl, d))
            doc->published = ds_arena_strdup(a, d);
    }

    if (len > ctx->opts.max_doc_bytes) {
        len = ctx->opts.max_doc_bytes;
        while (len && (in->bytes[len] & 0xC0) == 0x80) len--;   /* UTF-8 boundary */
        doc->flags |= DS_FLAG_TRUNCATED;
    }
    if (len == 0) {
        st = DOSSIER_EEMPTY;
        goto done;
    }
    if (ds_looks_binary(in->bytes, len)) {
        st = DOSSIER_EBINARY;
        goto done;
    }
    doc->format = in->format ? in->format : ds_detect_format(in->path, in->bytes, len);
    if (doc->format == DOSSIER_FORMAT_HTML) {
        const char *html;
        size_t hlen;
        unsigned limits;
        st = ds_html_guard(a, (const char *)in->bytes, len, &html, &hlen, &limits);
        doc->flags |= limits;
        if (st == DOSSIER_OK) st = ds_html_to_blocks(ctx, doc, html, hlen, &blocks);
    } else {
        size_t tlen;
        char *t = decode_text(doc, in->bytes, len, &tlen);
        if (!t) {
            st = DOSSIER_ENOMEM;
            goto done;
        }
        st = ds_text_to_blocks(a, t, tlen, &blocks);
    }
    if (st != DOSSIER_OK) goto done;
    st = ds_clean_blocks(ctx->clean, doc, &blocks, doc->format == DOSSIER_FORMAT_TEXT);
    if (st != DOSSIER_OK) goto done;
    if (!doc->text) {
        doc->text = ds_arena_strdup(a, "");
        if (!doc->text) {
            st = DOSSIER_ENOMEM;
            goto done;
        }
    }
    if (doc->text_len == 0 && !doc->title && blocks.n == 0) {
        st = DOSSIER_EEMPTY;
        goto done;
    }
    st = ds_split_sentences(ctx->sent, doc->text, doc->text_len, &doc->sentences);
    if (st == DOSSIER_OK && ctx->claims) st = ds_extract_claims(ctx, doc);
done:
    ds_vec_free(&blocks);
    if (st != DOSSIER_OK) {
        dossier_doc_free(doc);
        return st;
    }
    *out = doc;
    return DOSSIER_OK;
}

/* ---- accessors ------------------------------------------------------------ */
const char *dossier_doc_text(const dossier_doc *doc, size_t *len)
{
    if (len) *len = doc->text_len;
    return doc->text;
}

const char *dossier_doc_id(const dossier_doc *doc) { return doc->id; }

const char *dossier_doc_flags(const dossier_doc *doc)
{
    dossier_doc *d = (dossier_doc *)doc;   /* the string is built once, lazily */
    if (d->flags_str) return d->flags_str;
    char tmp[256] = "";
    for (int i = 0; i < DS_FLAG__BITS; i++) {
        if (!(doc->flags & (1u << i))) continue;
        if (tmp[0]) strcat(tmp, ",");
        strcat(tmp, ds_flag_names[i]);
    }
    d->flags_str = ds_arena_strdup(d->arena, tmp);
    return d->flags_str ? d->flags_str : "";
}

size_t dossier_doc_sentence_count(const dossier_doc *doc) { return doc->sentences.n; }

dossier_status dossier_doc_sentence(const dossier_doc *doc, size_t i, size_t *start,
                                    size_t *end)
{
    if (i >= doc->sentences.n) return DOSSIER_EINVAL;
    *start = DS_SENT(doc, i).start;
    *end = DS_SENT(doc, i).end;
    return DOSSIER_OK;
}

size_t dossier_doc_claim_count(const dossier_doc *doc) { return doc->claims.n; }

dossier_status dossier_doc_to_json(const dossier_doc *doc, char **json, size_t *len)
{
    ds_buf b = {0};
    dossier_status st = ds_doc_write_json(doc, &b);
    if (st == DOSSIER_OK && !ds_buf_cstr(&b)) st = DOSSIER_ENOMEM;
    if (st != DOSSIER_OK) {
        ds_buf_free(&b);
        *json = NULL;
        return st;
    }
    /* hand the caller a plain malloc'd string, as documented */
    *json = malloc(b.n + 1);
    if (!*json) {
        ds_buf_free(&b);
        return DOSSIER_ENOMEM;
    }
    memcpy(*json, b.p, b.n + 1);
    if (len) *len = b.n;
    ds_buf_free(&b);
    return DOSSIER_OK;
}
