/*
 * html.c — HTML to blocks with gumbo: a first, simple main-text pass.
 * Iterative traversal (explicit stack) so deep nesting cannot overflow.
 */
#include "internal.h"

#include <gumbo.h>
#include <string.h>

static bool skip_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK:
        return true;
    default:
        return false;
    }
}

static bool block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR: case GUMBO_TAG_TR: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
        return true;
    default:
        return false;
    }
}

static dossier_status flush(ds_arena *a, ds_buf *cur, ds_vec *blocks)
{
    size_t n = cur->n;
    const char *t = cur->p ? ds_trim(cur->p, &n) : NULL;
    if (n) {
        ds_block *b = ds_vec_push(blocks, sizeof(ds_block));
        char *s = b ? ds_arena_strndup(a, t, n) : NULL;
        if (!s) return DOSSIER_ENOMEM;
        b->text = s;
        b->len = n;
    }
    ds_buf_reset(cur);
    return DOSSIER_OK;
}

dossier_status ds_html_to_blocks(const dossier_ctx *ctx, dossier_doc *doc, const char *html,
                                 size_t len, ds_vec *blocks)
{
    DS_UNUSED(ctx);
    ds_arena *a = doc->arena;
    bool repaired = false;
    size_t ulen;
    char *u = ds_utf8_repair(a, (const unsigned char *)html, len, &ulen, &repaired);
    if (!u) return DOSSIER_ENOMEM;
    if (repaired) doc->flags |= DS_FLAG_INVALID_UTF8;
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, u, ulen);
    if (!g) return DOSSIER_ENOMEM;
    ds_buf cur = {0};
    dossier_status st = DOSSIER_OK;
    /* stack of (node, next child index); a negative index marks "close" */
    typedef struct { GumboNode *n; unsigned i; } frame;
    ds_vec stack = {0};
    frame *f = ds_vec_push(&stack, sizeof(frame));
    if (!f) st = DOSSIER_ENOMEM;
    else f->n = g->root;
    while (st == DOSSIER_OK && stack.n) {
        frame *top = &((frame *)stack.items)[stack.n - 1];
        GumboNode *n = top->n;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            const char *t = n->v.text.text;
            if (cur.n && cur.p[cur.n - 1] != ' ') ds_buf_putc(&cur, ' ');
            for (; *t; t++) ds_buf_putc(&cur, (*t == '\n' || *t == '\t' || *t == '\r') ? ' ' : *t);
            stack.n--;
            continue;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
            n->type != GUMBO_NODE_TEMPLATE) {
            stack.n--;
            continue;
        }
        GumboVector *kids = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
                                                           : &n->v.element.children;
        GumboTag tag = n->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : n->v.element.tag;
        if (top->i == 0) {
            if (tag == GUMBO_TAG_TITLE && !doc->title && kids->length &&
                ((GumboNode *)kids->data[0])->type == GUMBO_NODE_TEXT) {
                const char *t = ((GumboNode *)kids->data[0])->v.text.text;
                size_t tl = strlen(t);
                t = ds_trim(t, &tl);
                if (tl) doc->title = ds_arena_strndup(a, t, tl);
            }
            if (tag == GUMBO_TAG_HTML) {
                GumboAttribute *lang = gumbo_get_attribute(&n->v.element.attributes, "lang");
                if (lang && lang->value[0]) doc->lang = ds_arena_strndup(a, lang->value, 2);
            }
            if (skip_tag(tag)) {
                stack.n--;
                continue;
            }
            if (block_tag(tag)) st = flush(a, &cur, blocks);
        }
        if (top->i < kids->length) {
            GumboNode *child = kids->data[top->i++];
            frame *nf = ds_vec_push(&stack, sizeof(frame));
            if (!nf) {
                st = DOSSIER_ENOMEM;
                break;
            }
            nf->n = child;
            continue;
        }
        if (block_tag(tag) && st == DOSSIER_OK) st = flush(a, &cur, blocks);
        stack.n--;
    }
    if (st == DOSSIER_OK) st = flush(a, &cur, blocks);
    if (cur.oom) st = DOSSIER_ENOMEM;
    ds_buf_free(&cur);
    ds_vec_free(&stack);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    return st;
}
