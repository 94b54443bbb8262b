/*
 * html_score.c — which part of the page is the article.
 *
 * One pass (ds_html_select) over the flat node table of html_int.h:
 *  1. removal marks: dropped tags and hidden elements always; page furniture
 *     (nav/aside/footer, ARIA roles, "unlikely" class/id words without a
 *     "maybe" word) in strict passes; "strong" words (cookie, newsletter,
 *     share bar …) in every pass;
 *  2. counts aggregated bottom-up: text, link text, commas, <p>, <img>, <li>,
 *     form inputs, embeds, heading text;
 *  3. paragraph scores (1 + commas + up to 3 for length) given to the
 *     ancestors (full to the parent, half to the grandparent, then /3·level),
 *     each ancestor starting from its tag's prior and class/id weight;
 *     scores scaled by (1 - link density);
 *  4. the best candidate, moved up when its parent holds comparable
 *     candidates or when it is an only child;
 *  5. siblings joined when they score near it or read as prose paragraphs;
 *  6. conditional cleaning inside the chosen content, innermost first:
 *     negative class/id blocks, link farms, image galleries, forms, embeds.
 *
 * The same ideas as the well-known Readability algorithm, written for the
 * flat table (no recursion, no DOM mutation; removal is a flag).
 */
#include "html_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_LEVELS 5
#define NTOP 5

static bool is_heading(GumboTag t)
{
    return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
           t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

/* Elements never removed by their class or id (they name the whole page). */
static bool hint_protected(GumboTag t)
{
    return t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY || t == GUMBO_TAG_MAIN;
}

static int tag_prior(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_DIV: return 5;
    case GUMBO_TAG_ARTICLE: return 8;
    case GUMBO_TAG_MAIN: return 3;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM:
        return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH:
        return -5;
    default: return 0;
    }
}

static int class_weight(const hnode *h)
{
    int w = 0;
    if (h->hints & HINT_POSITIVE) w += 25;
    if (h->hints & (HINT_NEGATIVE | HINT_STRONG)) w -= 25;
    return w;
}

static float link_density(const hnode *h)
{
    return h->text ? (float)h->link / (float)h->text : 0.0f;
}

static bool is_element(const hnode *h) { return h->g->type == GUMBO_NODE_ELEMENT; }

/* 1 + 2: removal marks and counts */
static void mark_and_count(htree *t, int strict)
{
    hnode *n = t->n;
    int N = t->count;
    for (int i = 0; i < N; i++) {
        hnode *h = &n[i];
        h->flags &= ~(unsigned)(HN_REMOVED | HN_CAND | HN_KEEP | HN_CLEANED);
        h->text = h->link = h->commas = h->loose = 0;
        h->np = h->nimg = h->nli = h->ninput = h->nemb = h->nheads = h->nbr = h->na = 0;
        h->score = 0;
    }
    for (int i = 0; i < N; i++) {
        hnode *h = &n[i];
        bool rm = (h->flags & HN_DROP) != 0;
        if (!rm && is_element(h) && !hint_protected(h->tag)) {
            if (strict >= 2 && (h->flags & HN_UNLIKELY)) rm = true;
            if (strict >= 2 && (h->hints & HINT_UNLIKELY) && !(h->hints & HINT_MAYBE) &&
                h->tag != GUMBO_TAG_A && h->tag != GUMBO_TAG_ARTICLE)
                rm = true;
            if (h->hints & HINT_STRONG) rm = true;
        }
        if (rm) {
            for (int j = i; j < h->end; j++) n[j].flags |= HN_REMOVED;
            i = h->end - 1;
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        hnode *h = &n[i];
        int p = h->parent;
        if (h->flags & HN_REMOVED) {
            if (p >= 0 && !(n[p].flags & HN_REMOVED)) {
                GumboTag tg = h->tag;
                if (tg == GUMBO_TAG_INPUT || tg == GUMBO_TAG_SELECT || tg == GUMBO_TAG_TEXTAREA ||
                    tg == GUMBO_TAG_BUTTON)
                    n[p].ninput++;
                if (tg == GUMBO_TAG_IFRAME || tg == GUMBO_TAG_OBJECT || tg == GUMBO_TAG_EMBED ||
                    tg == GUMBO_TAG_VIDEO)
                    n[p].nemb++;
            }
            continue;
        }
        if (h->flags & HN_TEXT) {
            h->text = h->tlen;
            h->commas = h->tcommas;
            if (h->flags & HN_INLINK) h->link = h->tlen;
        } else {
            if (h->tag == GUMBO_TAG_P) h->np++;
            else if (h->tag == GUMBO_TAG_IMG) h->nimg++;
            else if (h->tag == GUMBO_TAG_LI) h->nli++;
            else if (h->tag == GUMBO_TAG_A) h->na++;
            else if (is_heading(h->tag)) h->nheads = h->text;
            /* loose text between <br>s reads as paragraphs of their own */
            if (h->loose >= 25) h->np += h->nbr / 2 > 1 ? h->nbr / 2 : 1;
        }
        if (p < 0) continue;
        hnode *ph = &n[p];
        ph->text += h->text;
        ph->link += h->link;
        ph->commas += h->commas;
        ph->np += h->np;
        ph->nimg += h->nimg;
        ph->nli += h->nli;
        ph->ninput += h->ninput;
        ph->nemb += h->nemb;
        ph->nheads += h->nheads;
        ph->na += h->na;
        if ((h->flags & HN_TEXT) || !(h->flags & HN_BLOCK)) ph->loose += h->text;
        if (h->tag == GUMBO_TAG_BR) ph->nbr++;
    }
}

static void add_score(htree *t, int anc, int level, float s, int strict)
{
    hnode *a = &t->n[anc];
    if (!is_element(a) || a->tag == GUMBO_TAG_HTML) return;
    if (!(a->flags & HN_CAND)) {
        a->flags |= HN_CAND;
        a->score = (float)tag_prior(a->tag) + (strict >= 1 ? (float)class_weight(a) : 0.0f);
    }
    float div = level == 0 ? 1.0f : level == 1 ? 2.0f : (float)level * 3.0f;
    a->score += s / div;
}

/* 3: paragraph scores to ancestors */
static void score_units(htree *t, int strict)
{
    hnode *n = t->n;
    for (int i = 0; i < t->count; i++) {
        hnode *h = &n[i];
        if ((h->flags & (HN_REMOVED | HN_TEXT)) || !is_element(h)) continue;
        GumboTag tg = h->tag;
        bool unit = tg == GUMBO_TAG_P || tg == GUMBO_TAG_PRE || tg == GUMBO_TAG_TD ||
                    ((tg == GUMBO_TAG_DIV || tg == GUMBO_TAG_SECTION ||
                      tg == GUMBO_TAG_ARTICLE) && !(h->flags & HN_HASBLOCK));
        if (unit) {
            if (h->text < 25) continue;
            float s = 1.0f + (float)h->commas + (float)(h->text / 100 > 3 ? 3 : h->text / 100);
            int a = h->parent;
            for (int lv = 0; lv < MAX_LEVELS && a >= 0; lv++, a = n[a].parent)
                add_score(t, a, lv, s, strict);
            /* a unit is not a container: skip its inside */
            i = h->end - 1;
        } else if ((h->flags & HN_HASBLOCK) && h->loose >= 25 &&
                   (tg == GUMBO_TAG_DIV || tg == GUMBO_TAG_SECTION || tg == GUMBO_TAG_ARTICLE ||
                    tg == GUMBO_TAG_MAIN || tg == GUMBO_TAG_TD || tg == GUMBO_TAG_BLOCKQUOTE)) {
            /* loose text directly inside a container reads as its own paragraph */
            float s = 1.0f + (float)(h->loose / 100 > 3 ? 3 : h->loose / 100);
            int a = i;
            for (int lv = 0; lv < MAX_LEVELS && a >= 0; lv++, a = n[a].parent)
                add_score(t, a, lv, s, strict);
        }
    }
}

static bool contains(const hnode *n, int anc, int i) { return i >= anc && i < n[anc].end; }

/* 4: the best candidate */
static int pick_top(htree *t)
{
    hnode *n = t->n;
    int top[NTOP];
    int nt = 0;
    for (int i = 0; i < t->count; i++) {
        hnode *h = &n[i];
        if (!(h->flags & HN_CAND) || (h->flags & HN_REMOVED)) continue;
        h->score *= 1.0f - link_density(h);
        int k = nt < NTOP ? nt++ : NTOP;
        if (k == NTOP && h->score <= n[top[NTOP - 1]].score) continue;
        if (k == NTOP) k = NTOP - 1;
        while (k > 0 && n[top[k - 1]].score < h->score) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = i;
    }
    if (nt == 0) return t->body > 0 ? t->body : -1;
    if (t->debug)
        for (int k = 0; k < nt; k++)
            fprintf(stderr, "cand %d <%s class=%s id=%s> score=%.1f text=%u link=%u\n", top[k],
                    gumbo_normalized_tagname(n[top[k]].tag), ds_html_attr(&n[top[k]], "class"),
                    ds_html_attr(&n[top[k]], "id"), n[top[k]].score, n[top[k]].text, n[top[k]].link);
    int best = top[0];
    /* several good candidates inside one ancestor: the ancestor is the article */
    int alts = 0;
    for (int k = 1; k < nt; k++)
        if (n[top[k]].score >= n[best].score * 0.75f) alts++;
    if (alts >= 2) {
        for (int p = n[best].parent; p >= 0 && n[p].tag != GUMBO_TAG_BODY; p = n[p].parent) {
            int inside = 0;
            for (int k = 1; k < nt; k++)
                if (n[top[k]].score >= n[best].score * 0.75f && contains(n, p, top[k])) inside++;
            if (inside >= 2 && inside * 2 >= alts) {
                best = p;
                break;
            }
        }
    }
    /* a parent that scores higher than the best is the better container */
    float last = n[best].score, threshold = last / 3.0f;
    for (int p = n[best].parent; p >= 0 && n[p].tag != GUMBO_TAG_BODY; p = n[p].parent) {
        if (!(n[p].flags & HN_CAND)) continue;
        if (n[p].score < threshold) break;
        if (n[p].score > last) {
            best = p;
            break;
        }
        last = n[p].score;
    }
    /* only child: take the parent */
    for (;;) {
        int p = n[best].parent;
        if (p < 0 || n[p].tag == GUMBO_TAG_BODY || !is_element(&n[p])) break;
        int kids = 0;
        for (int j = p + 1; j < n[p].end; j = n[j].end)
            if (is_element(&n[j]) && !(n[j].flags & HN_REMOVED)) kids++;
        if (kids != 1) break;
        best = p;
    }
    return best;
}

static bool same_class(const hnode *a, const hnode *b)
{
    const char *x = ds_html_attr(a, "class"), *y = ds_html_attr(b, "class");
    return x && y && *x && !strcmp(x, y);
}

/* prose: a sentence end followed by more text, or at the very end */
static bool reads_as_prose(htree *t, int i)
{
    size_t len;
    char *s = ds_html_text(t, i, &len);
    if (!s || !len) return false;
    return strstr(s, ". ") != NULL || s[len - 1] == '.';
}

/* 5: the best candidate and its related siblings */
static void keep_siblings(htree *t, int best)
{
    hnode *n = t->n;
    int p = n[best].parent;
    if (p < 0 || n[best].tag == GUMBO_TAG_BODY) {
        n[best].flags |= HN_KEEP;
        return;
    }
    float thr = n[best].score * 0.2f;
    if (thr < 10.0f) thr = 10.0f;
    for (int j = p + 1; j < n[p].end; j = n[j].end) {
        hnode *s = &n[j];
        if (s->flags & HN_REMOVED) continue;
        bool keep = j == best;
        if (!keep && !(s->flags & HN_TEXT) && is_element(s)) {
            float bonus = same_class(s, &n[best]) ? n[best].score * 0.2f : 0.0f;
            if ((s->flags & HN_CAND) && s->score + bonus >= thr) {
                keep = true;
            } else if (bonus > 0.0f && s->text >= 100 && link_density(s) < 0.3f) {
                /* a part of the article split into same-class containers,
                 * too deep below its paragraphs to have a score */
                keep = true;
            } else if (s->tag == GUMBO_TAG_P || (s->tag == GUMBO_TAG_DIV && !(s->flags & HN_HASBLOCK))) {
                float ld = link_density(s);
                if (s->text > 80 && ld < 0.25f) keep = true;
                else if (s->text > 0 && s->text <= 80 && ld == 0.0f && reads_as_prose(t, j))
                    keep = true;
            }
        }
        if (t->debug)
            fprintf(stderr, "sib %d <%s class=%s> cand=%d score=%.1f thr=%.1f text=%u keep=%d\n", j,
                    gumbo_normalized_tagname(s->tag), ds_html_attr(s, "class"),
                    !!(s->flags & HN_CAND), s->score, thr, s->text, keep);
        if (keep) s->flags |= HN_KEEP;
    }
}

static void subtract(htree *t, int i)
{
    hnode *n = t->n, *h = &n[i];
    for (int p = h->parent; p >= 0; p = n[p].parent) {
        n[p].text -= h->text;
        n[p].link -= h->link;
        n[p].commas -= h->commas;
        n[p].np -= h->np;
        n[p].nimg -= h->nimg;
        n[p].nli -= h->nli;
        n[p].ninput -= h->ninput;
        n[p].nemb -= h->nemb;
        n[p].nheads -= h->nheads;
        n[p].na -= h->na;
    }
}

static bool clean_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV: case GUMBO_TAG_DL:
    case GUMBO_TAG_ARTICLE:
        return true;
    default:
        return false;
    }
}

/* Should element h inside the content be removed? */
static bool clean_out(const hnode *h, int strict)
{
    int w = strict >= 1 ? class_weight(h) : 0;
    if (w < 0 && !(h->hints & HINT_POSITIVE)) return true;
    if (is_heading(h->tag)) return false;
    /* a paragraph that is one link is a pointer elsewhere ("related" items) */
    if (h->tag == GUMBO_TAG_P && h->text && link_density(h) > 0.75f) return true;
    /* an inline pop-up card (picture and a handful of links) inside prose */
    if (h->tag == GUMBO_TAG_SPAN && h->nimg && h->na >= 3 && link_density(h) > 0.7f) return true;
    if (!clean_tag(h->tag) || (h->flags & HN_DATATABLE)) return false;
    if (h->commas >= 10) return false;
    bool list = h->tag == GUMBO_TAG_UL || h->tag == GUMBO_TAG_OL || h->tag == GUMBO_TAG_DL;
    if (!list && h->text && h->nli && h->np == 0) {
        /* a div holding only a list reads as a list */
        list = true;
    }
    float ld = link_density(h);
    bool fig = (h->flags & HN_INFIG) || h->tag == GUMBO_TAG_FIGURE;
    unsigned p = h->np, img = h->nimg;
    if (img > 1 && (float)p / (float)img < 0.5f && !fig) return true;
    if (!list && h->nli > p + 100) return true;
    if (h->ninput > p / 3 + 0 && h->ninput > 0 && h->text < 200) return true;
    if (!list && h->text < 25 && (img == 0 || img > 2) && !fig &&
        !(h->nheads && h->nheads * 10 >= h->text * 9))
        return true;
    if (!list && w < 25 && ld > 0.2f) return true;
    if (w >= 25 && ld > 0.5f) return true;
    if (list && ld > 0.5f) return true;
    if ((h->nemb == 1 && h->text < 75) || h->nemb > 1) return true;
    return false;
}

/* 6: conditional cleaning inside every kept subtree, innermost first */
static void clean_kept(htree *t, int strict)
{
    hnode *n = t->n;
    for (int r = 0; r < t->count; r++) {
        if (!(n[r].flags & HN_KEEP)) continue;
        for (int j = n[r].end - 1; j > r; j--) {
            hnode *h = &n[j];
            if ((h->flags & (HN_REMOVED | HN_TEXT | HN_CLEANED)) || !is_element(h)) continue;
            bool out = false;
            if (strict >= 1) out = clean_out(h, strict);
            if (out) {
                h->flags |= HN_CLEANED;
                subtract(t, j);
            }
        }
        r = n[r].end - 1;
    }
}

/* The next element sibling of i (or -1). */
static int next_element(const hnode *n, int i)
{
    int p = n[i].parent;
    if (p < 0) return -1;
    for (int j = n[i].end; j < n[p].end; j = n[j].end) {
        if (is_element(&n[j])) return j;
        if ((n[j].flags & HN_TEXT) && n[j].tlen > 1) return -1;
    }
    return -1;
}

/* A short label ("You may also like", "More in Sport") right before a block
 * that cleaning removed introduces that block: it goes with it. */
static void drop_labels(htree *t)
{
    hnode *n = t->n;
    for (int r = 0; r < t->count; r++) {
        if (!(n[r].flags & HN_KEEP)) continue;
        for (int j = r + 1; j < n[r].end; j++) {
            hnode *h = &n[j];
            if (h->flags & (HN_REMOVED | HN_CLEANED)) {
                j = h->end - 1;
                continue;
            }
            if (!is_element(h) || h->text == 0 || h->text > 60 || h->link * 2 > h->text) continue;
            if (!is_heading(h->tag) && h->tag != GUMBO_TAG_P && h->tag != GUMBO_TAG_DIV &&
                h->tag != GUMBO_TAG_STRONG && h->tag != GUMBO_TAG_B)
                continue;
            if (h->commas) continue;
            int nx = next_element(n, j);
            if (nx < 0 || !(n[nx].flags & (HN_CLEANED | HN_REMOVED)) || n[nx].text < 30) continue;
            if (link_density(&n[nx]) < 0.3f && !(n[nx].hints & (HINT_NEGATIVE | HINT_STRONG)))
                continue;
            h->flags |= HN_CLEANED;
            subtract(t, j);
            j = h->end - 1;
        }
        r = n[r].end - 1;
    }
}

unsigned ds_html_select(htree *t, int strict)
{
    if (t->count == 0) return 0;
    mark_and_count(t, strict);
    score_units(t, strict);
    int best = pick_top(t);
    if (best < 0) return 0;
    keep_siblings(t, best);
    clean_kept(t, strict);
    if (strict >= 1) drop_labels(t);
    unsigned len = 0;
    for (int i = 0; i < t->count; i++)
        if (t->n[i].flags & HN_KEEP) {
            if (!(t->n[i].flags & HN_CLEANED)) len += t->n[i].text;
            i = t->n[i].end - 1;
        }
    return len;
}
