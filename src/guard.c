/*
 * guard.c — input guards run before a parser whose cost is not linear.
 *
 * gumbo checks "is there an element in scope" by walking the stack of open
 * elements, so each start tag costs O(depth): a page of 100,000 nested <div>s
 * takes a minute.  ds_html_cap_depth() bounds that depth in one linear pass:
 * start tags nested deeper than the limit are dropped (their text is kept),
 * with their matching end tags, and the document is flagged deep_html.  gumbo
 * also checks each new attribute against the tag's earlier ones, O(n²) in the
 * attributes of one tag: a tag with more than DS_HTML_MAX_ATTRS attributes
 * keeps its name and loses its attributes (flag html_attrs).  Pages under
 * both limits are passed through untouched (no copy).
 *
 * The scan is a deliberately small tokenizer (tags, comments, raw-text
 * elements, quoted attribute values), not an HTML parser: it only has to
 * count nesting the way a browser would for well-formed pages and stay linear
 * for any bytes.  Hand-written because gumbo exposes no depth limit and its
 * tokenizer is not public.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem */
#endif
#include "internal.h"

#include <string.h>

static bool alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Tags that never nest: void elements, and elements whose end tag is optional
 * (a new <p>, <li>, <td> … closes the previous one), plus the document
 * skeleton.  Counting them would make ordinary pages look deep. */
static bool flat_tag(const char *name, size_t n)
{
    static const char *const flat[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "command", "basefont", "bgsound", "frame",
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp",
        "rtc", "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body"};
    for (size_t i = 0; i < DS_ARRAY_LEN(flat); i++)
        if (strlen(flat[i]) == n && ds_ieq(name, flat[i], n)) return true;
    return false;
}

/* Elements whose content is raw text up to their end tag. */
static bool raw_tag(const char *name, size_t n)
{
    static const char *const raw[] = {"script", "style", "textarea", "title", "xmp",
                                      "iframe", "noembed", "noframes", "plaintext"};
    for (size_t i = 0; i < DS_ARRAY_LEN(raw); i++)
        if (strlen(raw[i]) == n && ds_ieq(name, raw[i], n)) return true;
    return false;
}

static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* End of the tag starting at s[i] == '<': index just past its '>', or n.
 * *words counts the space-separated words outside quotes (name + attributes). */
static size_t tag_end(const char *s, size_t n, size_t i, size_t *words)
{
    char quote = 0;
    bool in_word = false;
    *words = 0;
    for (i++; i < n; i++) {
        char c = s[i];
        if (!quote) {
            bool w = !space(c) && c != '>' && c != '=' && c != '/';
            if (w && !in_word && (i == 0 || s[i - 1] != '=')) ++*words;
            in_word = w || (in_word && c == '=');
        }
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            /* a quote opens a value only after '=' (allowing spaces) */
            size_t k = i;
            while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n')) k--;
            if (k > 0 && s[k - 1] == '=') quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return n;
}

/* Start of "</name" (any case) at or after i, or n. */
static size_t find_end_tag(const char *s, size_t n, size_t i, const char *name, size_t nl)
{
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) return n;
        size_t j = (size_t)(lt - s);
        if (j + 2 + nl <= n && s[j + 1] == '/' && ds_ieq(s + j + 2, name, nl)) return j;
        i = j + 1;
    }
    return n;
}

/* One pass; returns the DS_FLAG_DEEP_HTML / DS_FLAG_HTML_ATTRS limits hit.
 * With out == NULL it stops at the first one; else it writes the bounded page. */
static unsigned scan(const char *s, size_t n, size_t max_depth, size_t max_attrs, ds_buf *out)
{
    size_t depth = 0, i = 0, copied = 0, words;   /* s[copied..i) is pending output */
    unsigned exceeded = 0;
#define EMIT_UPTO(j) do { if (out) ds_buf_put(out, s + copied, (j) - copied); copied = (j); } while (0)
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        size_t j = (size_t)(lt - s);
        ds_work[DS_WORK_GUARD_BYTES] += j - i;
        if (j + 1 >= n) break;
        unsigned char c = (unsigned char)s[j + 1];
        if (c == '!') {   /* comment, doctype, CDATA */
            size_t e;
            if (j + 4 <= n && memcmp(s + j, "<!--", 4) == 0) {
                const char *x = memmem(s + j + 4, n - j - 4, "-->", 3);
                e = x ? (size_t)(x - s) + 3 : n;
            } else {
                e = tag_end(s, n, j, &words);
            }
            ds_work[DS_WORK_GUARD_BYTES] += e - j;
            i = e;
            continue;
        }
        bool end = c == '/';
        size_t ns = j + 1 + end, ne = ns;
        if (ne >= n || !alpha((unsigned char)s[ne])) {   /* '<' as text */
            i = j + 1;
            continue;
        }
        while (ne < n && s[ne] != '>' && s[ne] != '/' && s[ne] != ' ' && s[ne] != '\t' &&
               s[ne] != '\n' && s[ne] != '\r' && s[ne] != '\f')
            ne++;
        size_t e = tag_end(s, n, j, &words);
        ds_work[DS_WORK_GUARD_BYTES] += e - j;
        const char *name = s + ns;
        size_t nl = ne - ns;
        bool flat = flat_tag(name, nl);
        if (end) {
            if (!flat && !raw_tag(name, nl) && depth > 0) {
                if (depth > max_depth) {   /* drop the end tag of a dropped start tag */
                    EMIT_UPTO(j);
                    copied = e;
                }
                depth--;
            }
            i = e;
            continue;
        }
        bool selfclose = e >= 2 && e <= n && s[e - 1] == '>' && s[e - 2] == '/';
        if (raw_tag(name, nl)) {   /* skip the raw text; the element closes itself */
            size_t close = find_end_tag(s, n, e, name, nl);
            ds_work[DS_WORK_GUARD_BYTES] += close - e;
            i = close < n ? tag_end(s, n, close, &words) : n;
            continue;
        }
        bool dropped = false;
        if (!flat && !selfclose) {
            depth++;
            ds_work[DS_WORK_HTML_SCOPE] += depth < max_depth ? depth : max_depth;
            if (depth > max_depth) {
                exceeded |= DS_FLAG_DEEP_HTML;
                if (!out) return exceeded;
                EMIT_UPTO(j);
                copied = e;
                dropped = true;
            }
        }
        if (!dropped && words > max_attrs + 1) {   /* the name is one word */
            exceeded |= DS_FLAG_HTML_ATTRS;
            if (!out) return exceeded;
            EMIT_UPTO(j);
            ds_buf_putc(out, '<');
            ds_buf_put(out, name, nl);
            ds_buf_puts(out, selfclose ? "/>" : ">");
            copied = e;
        }
        i = e;
    }
    EMIT_UPTO(n);
#undef EMIT_UPTO
    return exceeded;
}

dossier_status ds_html_guard(ds_arena *a, const char *s, size_t n, const char **out,
                             size_t *out_len, unsigned *flags)
{
    *out = s;
    *out_len = n;
    *flags = 0;
    if (!scan(s, n, DS_HTML_MAX_DEPTH, DS_HTML_MAX_ATTRS, NULL)) return DOSSIER_OK;
    ds_buf b = {0};
    unsigned hit = scan(s, n, DS_HTML_MAX_DEPTH, DS_HTML_MAX_ATTRS, &b);
    if (b.oom) {
        ds_buf_free(&b);
        return DOSSIER_ENOMEM;
    }
    char *copy = ds_arena_strndup(a, b.p ? b.p : "", b.n);
    size_t len = b.n;
    ds_buf_free(&b);
    if (!copy) return DOSSIER_ENOMEM;
    *out = copy;
    *out_len = len;
    *flags = hit;
    return DOSSIER_OK;
}
