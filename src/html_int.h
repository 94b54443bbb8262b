/*
 * html_int.h — private types shared by the HTML stage files:
 *   html.c        encoding, depth guard, gumbo parse, node table, block output
 *   html_score.c  main-text scoring: boilerplate marks, candidates, siblings
 *   html_meta.c   metadata: title, published, outlet, byline, origin, lang, JSON-LD
 *   html_hints.c  data/html/hints.txt (class/id/role words) loaded into the ctx
 *
 * The gumbo tree is flattened once, in document order, into an array of
 * hnode; node i's subtree is [i, end).  Every later pass is a loop over that
 * array, so nothing recurses however deep the page nests.
 */
#ifndef DOSSIER_HTML_INT_H
#define DOSSIER_HTML_INT_H

#include "internal.h"

#include <gumbo.h>

/* class/id hint classes of data/html/hints.txt */
enum {
    HINT_POSITIVE = 1 << 0,  /* article, content, story-body … : score up */
    HINT_NEGATIVE = 1 << 1,  /* share, related, promo, comment … : score down, cleaned */
    HINT_UNLIKELY = 1 << 2,  /* nav, menu, footer, cookie …: removed before scoring */
    HINT_MAYBE = 1 << 3,     /* rescues an UNLIKELY match (article, main, content) */
    HINT_STRONG = 1 << 4     /* never in the main text (cookie, newsletter, paywall) */
};

/* typedef ds_html_rules is in internal.h (the ctx owns one) */
struct ds_html_rules {
    /* words matched as substrings of the lower-cased "class id" string */
    char **words;
    unsigned char *kind;   /* HINT_* per word */
    size_t n;
    /* ARIA roles that mark non-content (navigation, banner …) */
    char **roles;
    size_t nroles;
};

/* node flags */
enum {
    HN_TEXT = 1 << 0,      /* a text node (text in g->v.text.text) */
    HN_DROP = 1 << 1,      /* never content: script, style, hidden, form controls */
    HN_UNLIKELY = 1 << 2,  /* boilerplate by tag/role/class (removed in strict passes) */
    HN_INLINK = 1 << 3,    /* text inside <a> */
    HN_BLOCK = 1 << 4,     /* block-level element (starts a new output block) */
    HN_CAND = 1 << 5,      /* has a candidate score */
    HN_KEEP = 1 << 6,      /* chosen: output this subtree */
    HN_CLEANED = 1 << 7,   /* removed by conditional cleaning inside the content */
    HN_INFIG = 1 << 8,     /* inside <figure> */
    HN_REMOVED = 1 << 9,   /* out of this pass (DROP, or UNLIKELY in strict passes) */
    HN_HASBLOCK = 1 << 10, /* has a block-level child element */
    HN_DATATABLE = 1 << 11, /* a table of data (th, caption, thead): never cleaned */
    HN_OUT = 1 << 12       /* text node written to the main text */
};

typedef struct hnode {
    GumboNode *g;
    int parent;            /* -1 for the root */
    int end;               /* one past the last node of the subtree */
    GumboTag tag;          /* GUMBO_TAG_UNKNOWN for text */
    unsigned flags;
    unsigned hints;        /* HINT_* of class/id */
    int weight;            /* class/id weight (-25, 0, +25 …) */
    /* aggregated over the subtree, excluding removed parts (per pass) */
    unsigned text;         /* characters of text (white space runs count 1) */
    unsigned link;         /* of which inside links */
    unsigned commas;
    unsigned loose;        /* text directly in this element (text/inline children) */
    unsigned tlen, tcommas;  /* own text of a text node (set once) */
    unsigned np, nimg, nli, ninput, nemb, nheads, nbr, na;
    float score;
} hnode;

typedef struct htree {
    hnode *n;
    int count;
    int body;              /* index of <body> or 0 */
    ds_arena *a;
    const ds_html_rules *rules;
    bool debug;            /* $DS_HTML_DEBUG set: candidates and siblings on stderr */
} htree;

/* html_hints.c (load/free are declared in internal.h) */
unsigned ds_html_hints(const ds_html_rules *r, const char *s, size_t n);
bool ds_html_role_unlikely(const ds_html_rules *r, const char *role);

/* html_score.c: marks HN_KEEP on the chosen content; strict selects how
 * aggressive boilerplate removal is (2 strict, 1 no unlikely-removal,
 * 0 no class weights either).  Returns the text length chosen. */
unsigned ds_html_select(htree *t, int strict);
bool ds_html_is_block(GumboTag tag);

/* html_meta.c */
dossier_status ds_html_meta(htree *t, dossier_doc *doc, const char **article_body);

/* helpers (html.c) */
const char *ds_html_attr(const hnode *h, const char *name);
/* trimmed, white-space-folded text of the subtree of node i (arena) */
char *ds_html_text(htree *t, int i, size_t *len);

#endif
