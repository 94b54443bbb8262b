/*
 * html.c — HTML to blocks: encoding to UTF-8, a nesting-depth guard, the
 * gumbo parse, the flat node table, and the output of the chosen main text
 * as blocks (paragraphs, headings, captions, list items, table rows).
 *
 *   bytes → charset (BOM, <meta charset>, XML decl; iconv; undeclared
 *           invalid UTF-8 read as Windows-1252)
 *         → depth cap (guard.c: gumbo's tree construction is quadratic
 *           in depth and its destroy recurses)
 *         → gumbo tree → flat table (html_int.h) → metadata (html_meta.c)
 *         → main-text selection (html_score.c) → blocks → clean.c
 *
 * Nothing here recurses: every walk is a loop over the flat table.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem, strcasestr */
#endif
#include "html_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#define SHORT_TEXT 500       /* a pass yielding less text is retried less strictly */

/* ---- encoding -------------------------------------------------------------- */

/* Charset named in the first bytes (<meta charset>, http-equiv content, XML
 * declaration) into out; false when none. */
static bool declared_charset(const char *s, size_t n, char *out, size_t outn)
{
    size_t look = n < 4096 ? n : 4096;
    static const char *const keys[] = {"charset", "encoding"};
    for (size_t i = 0; i + 8 < look; i++) {
        for (size_t k = 0; k < 2; k++) {
            size_t kl = strlen(keys[k]);
            if (i + kl >= look || !ds_ieq(s + i, keys[k], kl)) continue;
            if (k == 1 && (i < 6 || !memchr(s, '?', i))) continue;   /* only in <?xml */
            size_t j = i + kl;
            while (j < look && (s[j] == ' ' || s[j] == '"' || s[j] == '\'')) j++;
            if (j >= look || s[j] != '=') continue;
            j++;
            while (j < look && (s[j] == ' ' || s[j] == '"' || s[j] == '\'')) j++;
            size_t o = 0;
            while (j < look && o + 1 < outn &&
                   (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_' || s[j] == ':' ||
                    s[j] == '.'))
                out[o++] = (char)tolower((unsigned char)s[j++]);
            out[o] = 0;
            if (o) return true;
        }
    }
    return false;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (k == 9 || (k == 1 && c < 0xC2) || i + k >= n + (k ? 0 : 1)) return false;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return false;
        i += k + 1;
    }
    return true;
}

/* The page as UTF-8.  WHATWG maps latin1 and ascii labels to windows-1252. */
static char *to_utf8(dossier_doc *doc, const char *html, size_t len, size_t *ulen)
{
    ds_arena *a = doc->arena;
    const unsigned char *u = (const unsigned char *)html;
    char cs[48] = "";
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        html += 3;
        len -= 3;
        strcpy(cs, "utf-8");
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        strcpy(cs, "UTF-16LE");
        html += 2;
        len -= 2;
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        strcpy(cs, "UTF-16BE");
        html += 2;
        len -= 2;
    } else if (!declared_charset(html, len, cs, sizeof cs)) {
        cs[0] = 0;
    }
    if (!strcmp(cs, "iso-8859-1") || !strcmp(cs, "latin1") || !strcmp(cs, "l1") ||
        !strcmp(cs, "us-ascii") || !strcmp(cs, "ascii") || !strcmp(cs, "iso8859-1") ||
        !strcmp(cs, "cp1252") || !strcmp(cs, "iso_8859-1"))
        strcpy(cs, "WINDOWS-1252");
    else if (!strcmp(cs, "gb2312") || !strcmp(cs, "gbk"))
        strcpy(cs, "GB18030");
    else if (!strcmp(cs, "utf8") || !strcmp(cs, "unicode-1-1-utf-8") || !strcmp(cs, "utf-16"))
        strcpy(cs, "utf-8");   /* a page served as bytes claiming utf-16 is ASCII-compatible */
    bool utf8 = !cs[0] || !strcmp(cs, "utf-8");
    if (utf8 && !valid_utf8((const unsigned char *)html, len) && !cs[0])
        strcpy(cs, "WINDOWS-1252"), utf8 = false;   /* undeclared legacy page */
    if (!utf8) {
        bool bad = false;
        char *out = ds_iconv_to_utf8(a, cs, html, len, ulen, &bad, NULL);
        if (out) {
            if (bad) doc->flags |= DS_FLAG_INVALID_UTF8;
            return out;
        }
    }
    bool repaired = false;
    char *out = ds_utf8_repair(a, (const unsigned char *)html, len, ulen, &repaired);
    if (repaired) doc->flags |= DS_FLAG_INVALID_UTF8;
    return out;
}

/* ---- flat node table ----------------------------------------------------------- */

const char *ds_html_attr(const hnode *h, const char *name)
{
    if (h->flags & HN_TEXT) return NULL;
    GumboAttribute *at = gumbo_get_attribute(&h->g->v.element.attributes, name);
    return at ? at->value : NULL;
}

bool ds_html_is_block(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_DIV:
    case GUMBO_TAG_TR: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_TABLE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_HR: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_BODY:
        return true;
    default:
        return false;
    }
}

/* Elements never part of any text (their content is not shown as prose). */
static bool drop_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_OPTION:
        return true;
    default:
        return false;
    }
}

/* Elements that are page furniture by their tag. */
static bool unlikely_tag(GumboTag t)
{
    return t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER ||
           t == GUMBO_TAG_MENU;
}

static bool hidden(const hnode *h)
{
    if (ds_html_attr(h, "hidden")) return true;
    const char *ah = ds_html_attr(h, "aria-hidden");
    if (ah && !strcmp(ah, "true") && h->tag != GUMBO_TAG_FIGURE && h->tag != GUMBO_TAG_IMG)
        return true;
    const char *st = ds_html_attr(h, "style");
    if (st) {
        for (const char *p = st; *p; p++) {
            if ((ds_ieq(p, "display", 7) || ds_ieq(p, "visibility", 10))) {
                const char *c = strchr(p, ':');
                if (!c) break;
                c++;
                while (*c == ' ') c++;
                if (ds_ieq(c, "none", 4) || ds_ieq(c, "hidden", 6)) return true;
            }
        }
    }
    return false;
}

/* Characters (code points) of t with runs of white space counted once; commas. */
static void measure(const char *t, unsigned *len, unsigned *commas)
{
    unsigned n = 0, c = 0;
    bool sp = true;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f') {
            if (!sp) n++;
            sp = true;
            continue;
        }
        sp = false;
        if ((*p & 0xC0) != 0x80) n++;
        if (*p == ',') c++;
    }
    *len = n;
    *commas = c;
}

static dossier_status flatten(htree *t, GumboOutput *g)
{
    typedef struct { GumboNode *n; int idx; unsigned i; } frame;
    ds_vec nodes = {0}, stack = {0};
    dossier_status st = DOSSIER_OK;
    frame *f = ds_vec_push(&stack, sizeof(frame));
    if (!f) return DOSSIER_ENOMEM;
    f->n = g->root;
    f->idx = -1;
    while (stack.n) {
        frame *top = &((frame *)stack.items)[stack.n - 1];
        if (top->idx < 0) {   /* first visit: add the node */
            GumboNode *gn = top->n;
            int parent = stack.n >= 2 ? ((frame *)stack.items)[stack.n - 2].idx : -1;
            hnode *h = ds_vec_push(&nodes, sizeof(hnode));
            if (!h) {
                st = DOSSIER_ENOMEM;
                break;
            }
            top = &((frame *)stack.items)[stack.n - 1];
            top->idx = (int)nodes.n - 1;
            h->g = gn;
            h->parent = parent;
            hnode *ph = parent >= 0 ? &((hnode *)nodes.items)[parent] : NULL;
            if (ph) h->flags |= ph->flags & (HN_INLINK | HN_INFIG);
            if (gn->type == GUMBO_NODE_ELEMENT) {
                h->tag = gn->v.element.tag;
                if (h->tag == GUMBO_TAG_BODY && !t->body) t->body = top->idx;
                if (h->tag == GUMBO_TAG_A) h->flags |= HN_INLINK;
                if (h->tag == GUMBO_TAG_FIGURE) h->flags |= HN_INFIG;
                if (ds_html_is_block(h->tag)) {
                    h->flags |= HN_BLOCK;
                    if (ph) ph->flags |= HN_HASBLOCK;
                }
                if (drop_tag(h->tag) || hidden(h)) h->flags |= HN_DROP;
                if (unlikely_tag(h->tag)) h->flags |= HN_UNLIKELY;
                const char *cl = ds_html_attr(h, "class"), *id = ds_html_attr(h, "id");
                if ((cl || id) && t->rules) {
                    char buf[512];
                    size_t bl = 0;
                    if (cl) bl = (size_t)snprintf(buf, sizeof buf, "%s", cl);
                    if (id && bl + 2 < sizeof buf)
                        bl += (size_t)snprintf(buf + bl, sizeof buf - bl, " %s", id);
                    if (bl >= sizeof buf) bl = sizeof buf - 1;
                    h->hints = ds_html_hints(t->rules, buf, bl);
                }
                const char *role = ds_html_attr(h, "role");
                if (role && t->rules && ds_html_role_unlikely(t->rules, role))
                    h->flags |= HN_UNLIKELY;
                if (h->tag == GUMBO_TAG_TABLE) {
                    const char *sum = ds_html_attr(h, "summary");
                    if (sum && *sum) h->flags |= HN_DATATABLE;
                }
                if ((h->tag == GUMBO_TAG_TH || h->tag == GUMBO_TAG_CAPTION ||
                     h->tag == GUMBO_TAG_THEAD)) {
                    for (int p = parent; p >= 0; p = ((hnode *)nodes.items)[p].parent)
                        if (((hnode *)nodes.items)[p].tag == GUMBO_TAG_TABLE) {
                            ((hnode *)nodes.items)[p].flags |= HN_DATATABLE;
                            break;
                        }
                }
            } else if (gn->type == GUMBO_NODE_TEXT || gn->type == GUMBO_NODE_WHITESPACE ||
                       gn->type == GUMBO_NODE_CDATA) {
                h->tag = GUMBO_TAG_UNKNOWN;
                h->flags |= HN_TEXT;
                measure(gn->v.text.text, &h->tlen, &h->tcommas);
            } else if (gn->type == GUMBO_NODE_DOCUMENT) {
                h->tag = GUMBO_TAG_UNKNOWN;
            } else {   /* comments and the like */
                h->tag = GUMBO_TAG_UNKNOWN;
                h->flags |= HN_DROP;
            }
        }
        GumboNode *gn = top->n;
        GumboVector *kids = gn->type == GUMBO_NODE_DOCUMENT ? &gn->v.document.children
                          : (gn->type == GUMBO_NODE_ELEMENT || gn->type == GUMBO_NODE_TEMPLATE)
                              ? &gn->v.element.children : NULL;
        /* the children of dropped elements other than <head> and scripts are
         * not needed; head's children feed the metadata */
        hnode *h = &((hnode *)nodes.items)[top->idx];
        bool descend = kids && (!(h->flags & HN_DROP) || h->tag == GUMBO_TAG_HEAD ||
                                h->tag == GUMBO_TAG_SCRIPT);
        if (descend && top->i < kids->length) {
            GumboNode *c = kids->data[top->i++];
            frame *nf = ds_vec_push(&stack, sizeof(frame));
            if (!nf) {
                st = DOSSIER_ENOMEM;
                break;
            }
            nf->n = c;
            nf->idx = -1;
            continue;
        }
        h->end = (int)nodes.n;
        stack.n--;
    }
    ds_vec_free(&stack);
    if (st != DOSSIER_OK) {
        ds_vec_free(&nodes);
        return st;
    }
    t->n = nodes.items;
    t->count = (int)nodes.n;
    return DOSSIER_OK;
}

/* ---- text output ------------------------------------------------------------ */

/* Append text with white space folded to single spaces. */
static void put_text(ds_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f';
        if (sp) {
            if (b->n && b->p[b->n - 1] != ' ') ds_buf_putc(b, ' ');
        } else {
            ds_buf_putc(b, (char)*p);
        }
    }
}

char *ds_html_text(htree *t, int i, size_t *len)
{
    ds_buf b = {0};
    for (int j = i; j < t->n[i].end; j++) {
        hnode *h = &t->n[j];
        if (h->flags & HN_DROP) {
            j = h->end - 1;
            continue;
        }
        if (h->flags & HN_TEXT) put_text(&b, h->g->v.text.text);
        else if ((h->flags & HN_BLOCK) || h->tag == GUMBO_TAG_BR) ds_buf_putc(&b, ' ');
    }
    size_t n = b.n;
    const char *s = b.p ? ds_trim(b.p, &n) : "";
    char *out = b.oom ? NULL : ds_arena_strndup(t->a, s, n);
    ds_buf_free(&b);
    if (out) *len = n;
    return out;
}

static bool k_is_month(const char *w, size_t n)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    for (size_t k = 0; k < DS_ARRAY_LEN(m); k++)
        if (ds_ieq(w, m[k], 3)) return n >= 3;
    return false;
}

/* A line that is only a date and time ("Nov. 20, 2019 5:52 AM EST",
 * "Updated 9:41 AM; Posted Nov 18", "2018-09-28 17:32"), with at most two
 * other words (an outlet name): page furniture, not prose.  Hand-written:
 * a word scan is simpler than a regex covering every order of the parts. */
static bool is_dateline(const char *s, size_t n)
{
    static const char *const words[] = {
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
        "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
        "nov", "november", "dec", "december", "mon", "monday", "tue", "tues", "tuesday",
        "wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat",
        "saturday", "sun", "sunday", "am", "pm", "a", "m", "p", "est", "edt", "cst", "cdt",
        "mst", "mdt", "pst", "pdt", "utc", "gmt", "bst", "cet", "cest", "et", "pt", "ist",
        "updated", "posted", "published", "last", "modified", "on", "at", "st", "nd", "rd",
        "th", "t", "z", "hours", "hour", "ago", "minutes", "mins", "min", "read", "time"};
    if (n > 90) return false;
    int digits = 0, dated = 0, other = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            digits++;
            while (i < n && isdigit((unsigned char)s[i])) i++;
            continue;
        }
        if (!isalpha(c) && c < 0x80) {
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) i++;
        size_t wl = i - b;
        bool known = false;
        for (size_t k = 0; k < DS_ARRAY_LEN(words) && !known; k++)
            known = strlen(words[k]) == wl && ds_ieq(s + b, words[k], wl);
        if (known && wl >= 3 && k_is_month(s + b, wl)) dated++;
        if (!known) other++;
    }
    if (digits < 2 || other > 2) return false;
    if (dated) return true;
    for (i = 0; i + 10 <= n; i++)   /* 2018-09-28, 2018.09.28, 2018/09/28 */
        if (isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i + 3]) &&
            (s[i + 4] == '-' || s[i + 4] == '.' || s[i + 4] == '/') && s[i + 7] == s[i + 4] &&
            isdigit((unsigned char)s[i + 5]) && isdigit((unsigned char)s[i + 8]))
            return true;
    return false;
}

typedef struct emitter {
    htree *t;
    dossier_doc *doc;      /* kept mode: date lines are noted as dropped */
    ds_vec *blocks;
    ds_buf cur;
    ds_block_kind kind;
    const char *title;
    dossier_status st;
} emitter;

static void flush(emitter *e)
{
    size_t n = e->cur.n;
    const char *s = e->cur.p ? ds_trim(e->cur.p, &n) : NULL;
    if (n && e->st == DOSSIER_OK && e->doc && e->kind != DS_BLOCK_TABLE &&
        e->kind != DS_BLOCK_LIST && is_dateline(s, n)) {
        char d[11];
        if (!e->doc->published && ds_find_published(s, n, d))
            e->doc->published = ds_arena_strdup(e->t->a, d);
        const char **slot = ds_vec_push(&e->doc->dropped_lines, sizeof(const char *));
        if (slot) *slot = ds_arena_strndup(e->t->a, s, n);
        e->doc->dropped_boilerplate++;
    } else if (n && e->st == DOSSIER_OK) {
        ds_block *b = ds_vec_push(e->blocks, sizeof(ds_block));
        char *c = b ? ds_arena_strndup(e->t->a, s, n) : NULL;
        if (!c) {
            e->st = DOSSIER_ENOMEM;
        } else {
            b->text = c;
            b->len = n;
            b->kind = e->kind;
        }
    }
    ds_buf_reset(&e->cur);
    e->kind = DS_BLOCK_PARA;
}

static ds_block_kind kind_of(GumboTag t, ds_block_kind cur)
{
    switch (t) {
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6:
        return DS_BLOCK_HEADING;
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION:
        return DS_BLOCK_CAPTION;
    case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
        return DS_BLOCK_LIST;
    case GUMBO_TAG_TR:
        return DS_BLOCK_TABLE;
    default:
        return cur == DS_BLOCK_PARA ? DS_BLOCK_PARA : cur;
    }
}

static bool out_of_pass(const hnode *h)
{
    return (h->flags & (HN_REMOVED | HN_CLEANED)) != 0;
}

/* Output as blocks, in document order: the kept subtrees (dropped = false),
 * or the rest of the body, the boilerplate (dropped = true). */
static dossier_status emit(htree *t, dossier_doc *doc, ds_vec *blocks, bool dropped)
{
    emitter e = {.t = t, .blocks = blocks, .doc = dropped ? NULL : doc};
    ds_vec ends = {0};   /* of int: end index of each open block element */
    int from = dropped ? t->body : 0, to = dropped ? t->n[t->body].end : t->count;
    for (int i = from; i < to && e.st == DOSSIER_OK; i++) {
        hnode *h = &t->n[i];
        if (!dropped && !(h->flags & HN_KEEP)) continue;
        int stop = h->end;
        ends.n = 0;
        for (int j = i; j < stop && e.st == DOSSIER_OK; j++) {
            while (ends.n && ((int *)ends.items)[ends.n - 1] <= j) {
                ends.n--;
                flush(&e);
            }
            hnode *c = &t->n[j];
            if (dropped ? (c->flags & HN_DROP) != 0 : out_of_pass(c)) {
                j = c->end - 1;
                continue;
            }
            if (c->flags & HN_TEXT) {
                if (dropped && (c->flags & HN_OUT)) continue;
                put_text(&e.cur, c->g->v.text.text);
                if (!dropped) c->flags |= HN_OUT;
                continue;
            }
            if (c->tag == GUMBO_TAG_H1) {   /* the headline is metadata, not body */
                j = c->end - 1;
                continue;
            }
            if (c->tag == GUMBO_TAG_BR || c->tag == GUMBO_TAG_HR) {
                flush(&e);
                continue;
            }
            if (c->tag == GUMBO_TAG_TD || c->tag == GUMBO_TAG_TH) {
                if (e.cur.n) ds_buf_puts(&e.cur, " ");
                continue;
            }
            if (c->flags & HN_BLOCK) {
                flush(&e);
                e.kind = kind_of(c->tag, e.kind);
                int *slot = ds_vec_push(&ends, sizeof(int));
                if (!slot) {
                    e.st = DOSSIER_ENOMEM;
                    break;
                }
                *slot = c->end;
            }
        }
        flush(&e);
        i = stop - 1;
    }
    if (e.cur.oom) e.st = DOSSIER_ENOMEM;
    ds_buf_free(&e.cur);
    ds_vec_free(&ends);
    return e.st;
}

/* Count and keep (for the UI) the page blocks left out of the main text. */
static dossier_status note_dropped(htree *t, dossier_doc *doc)
{
    if (t->body <= 0) return DOSSIER_OK;
    ds_vec drop = {0};
    dossier_status st = emit(t, NULL, &drop, true);
    for (size_t i = 0; st == DOSSIER_OK && i < drop.n; i++) {
        ds_block *b = &((ds_block *)drop.items)[i];
        const char **slot = ds_vec_push(&doc->dropped_lines, sizeof(const char *));
        if (!slot) st = DOSSIER_ENOMEM;
        else *slot = b->text;
        doc->dropped_boilerplate++;
    }
    ds_vec_free(&drop);
    return st;
}

/* ---- JSON-LD articleBody ----------------------------------------------------- */

/* Split a plain-text articleBody into blocks at line breaks. */
static dossier_status body_blocks(ds_arena *a, const char *s, ds_vec *blocks)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        size_t m = n;
        const char *tt = ds_trim(s, &m);
        if (m) {
            ds_block *b = ds_vec_push(blocks, sizeof(ds_block));
            char *c = b ? ds_arena_strndup(a, tt, m) : NULL;
            if (!c) return DOSSIER_ENOMEM;
            b->text = c;
            b->len = m;
        }
        s += n + (nl ? 1 : 0);
    }
    return DOSSIER_OK;
}

static unsigned text_chars(const char *s)
{
    unsigned n, c;
    measure(s, &n, &c);
    return n;
}

/* ---- entry point --------------------------------------------------------------- */

dossier_status ds_html_to_blocks(const dossier_ctx *ctx, dossier_doc *doc, const char *html,
                                 size_t len, ds_vec *blocks)
{
    ds_arena *a = doc->arena;
    size_t ulen;
    char *u = to_utf8(doc, html, len, &ulen);
    if (!u) return DOSSIER_ENOMEM;
    /* pipeline.c guards the raw bytes (guard.c); a page that needed
     * transcoding (UTF-16) only shows its tags now, so guard again */
    const char *guarded;
    unsigned limits = 0;
    dossier_status gst = ds_html_guard(a, u, ulen, &guarded, &ulen, &limits);
    if (gst != DOSSIER_OK) return gst;
    doc->flags |= limits;
    u = (char *)guarded;
    /* gumbo 0.10 has no allocation-failure path (it would dereference NULL),
     * so it keeps its default allocator rather than the failing test hook. */
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&opt, u, ulen);
    if (!g) return DOSSIER_ENOMEM;
    htree t = {.a = a, .rules = ctx ? ctx->html : NULL, .debug = getenv("DS_HTML_DEBUG") != NULL};
    dossier_status st = flatten(&t, g);
    const char *article_body = NULL;
    if (st == DOSSIER_OK) st = ds_html_meta(&t, doc, &article_body);
    if (st == DOSSIER_OK) {
        /* strict first; retry less strictly when little text comes out */
        int best = 2, last = 2;
        unsigned best_len = ds_html_select(&t, 2);
        for (int s = 1; s >= 0 && best_len < SHORT_TEXT; s--) {
            unsigned l = ds_html_select(&t, s);
            last = s;
            if (l > best_len * 2 || (best_len == 0 && l)) {
                best = s;
                best_len = l;
            }
        }
        if (best != last) ds_html_select(&t, best);
        unsigned body_len = article_body ? text_chars(article_body) : 0;
        /* JSON-LD articleBody: used when the page text is much shorter, as on
         * pages that render their body with scripts */
        if (body_len > 200 && body_len > best_len * 2) st = body_blocks(a, article_body, blocks);
        else st = emit(&t, doc, blocks, false);
        if (st == DOSSIER_OK) st = note_dropped(&t, doc);
    }
    ds_free(t.n);
    gumbo_destroy_output(&opt, g);
    return st;
}
