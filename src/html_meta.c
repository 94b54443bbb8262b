/*
 * html_meta.c — document metadata from an HTML page.
 *
 *   title      og:title / twitter:title, <title> without its " | Site" part, <h1>
 *   published  article:published_time and kin, JSON-LD datePublished,
 *              <time datetime>, a date in the URL (/2019/11/18/)  → YYYY-MM-DD
 *   outlet     og:site_name, JSON-LD publisher, application-name, the domain
 *   byline     JSON-LD author, <meta name=author>, rel=author, "By X" in a
 *              byline element
 *   origin     <link rel=canonical> on another domain than the page's
 *   lang       <html lang>
 * and the JSON-LD articleBody, handed back for html.c to weigh.
 * Values already set (JSONL input fields) are kept.  JSON-LD is read with cJSON.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memmem, strcasestr */
#endif
#include "html_int.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct meta {
    const char *og_title, *tw_title, *title, *h1;
    const char *published, *ld_published, *time_dt;
    const char *site_name, *ld_publisher, *app_name;
    const char *author, *ld_author, *rel_author, *byline_el;
    const char *canonical, *og_url;
    const char *ld_body, *ld_headline;
} meta;

static char *dup_trim(ds_arena *a, const char *s, size_t n)
{
    s = ds_trim(s, &n);
    /* fold internal white space */
    char *o = ds_arena_alloc(a, n + 1);
    if (!o) return NULL;
    size_t k = 0;
    bool sp = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            sp = true;
            continue;
        }
        if (sp && k) o[k++] = ' ';
        sp = false;
        o[k++] = c;
    }
    o[k] = 0;
    return o;
}

/* "2019-11-18T…" or "2019/11/18" or "20191118" → YYYY-MM-DD; false if no date */
static bool iso_date(const char *s, char out[11])
{
    if (!s) return false;
    while (*s == ' ') s++;
    int y, m, d;
    if (strlen(s) >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) &&
        (s[4] == '-' || s[4] == '/') && (s[7] == '-' || s[7] == '/') &&
        sscanf(s, "%4d%*c%2d%*c%2d", &y, &m, &d) == 3) {
    } else if (strlen(s) >= 8 && sscanf(s, "%4d%2d%2d", &y, &m, &d) == 3 &&
               isdigit((unsigned char)s[7])) {
    } else {
        return ds_find_published(s, strlen(s), out);
    }
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return true;
}

/* /2019/11/18/ or /2019-11-18 in a URL */
static bool url_date(const char *u, char out[11])
{
    if (!u) return false;
    for (const char *p = u; *p; p++) {
        if (*p != '/' || !isdigit((unsigned char)p[1])) continue;
        int y, m, d, c = 0;
        if (sscanf(p, "/%4d/%2d/%2d%n", &y, &m, &d, &c) == 3 ||
            sscanf(p, "/%4d-%2d-%2d%n", &y, &m, &d, &c) == 3) {
            if (c != 11 || y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) continue;
            snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
            return true;
        }
    }
    return false;
}

/* host of a URL without "www."; false when none */
static bool url_host(const char *u, char *out, size_t outn)
{
    if (!u) return false;
    const char *p = strstr(u, "://");
    if (!p) return false;
    p += 3;
    if (!strncasecmp(p, "www.", 4)) p += 4;
    size_t k = 0;
    while (*p && *p != '/' && *p != ':' && *p != '?' && *p != '#' && k + 1 < outn)
        out[k++] = (char)tolower((unsigned char)*p++);
    out[k] = 0;
    return k > 0 && strchr(out, '.');
}

static bool looks_url(const char *s) { return s && (strstr(s, "://") || s[0] == '/'); }

/* ---- JSON-LD --------------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* a person/organisation value: "Name", {"name": …}, [ … ] (names joined) */
static const char *jname(ds_arena *a, const cJSON *v)
{
    if (cJSON_IsString(v)) return v->valuestring[0] ? v->valuestring : NULL;
    if (cJSON_IsObject(v)) return jstr(v, "name");
    if (cJSON_IsArray(v)) {
        const char *out = NULL;
        const cJSON *it;
        int k = 0;
        cJSON_ArrayForEach(it, v) {
            const char *n = jname(a, it);
            if (!n || looks_url(n) || k >= 4) continue;
            out = out ? ds_arena_printf(a, "%s and %s", out, n) : n;
            k++;
        }
        return out;
    }
    return NULL;
}

static bool article_type(const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "@type");
    const cJSON *it;
    if (cJSON_IsString(t))
        return strstr(t->valuestring, "Article") || strstr(t->valuestring, "Posting") ||
               !strcmp(t->valuestring, "Report");
    if (cJSON_IsArray(t)) {
        cJSON_ArrayForEach(it, t) {
            if (cJSON_IsString(it) &&
                (strstr(it->valuestring, "Article") || strstr(it->valuestring, "Posting")))
                return true;
        }
    }
    return false;
}

static void ld_object(ds_arena *a, const cJSON *o, meta *m)
{
    if (!cJSON_IsObject(o)) return;
    const cJSON *graph = cJSON_GetObjectItemCaseSensitive(o, "@graph");
    if (cJSON_IsArray(graph)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, graph) ld_object(a, it, m);
    }
    bool art = article_type(o);
    if (!art) {
        /* a WebPage or WebSite may still name the publisher */
        const char *pub = jname(a, cJSON_GetObjectItemCaseSensitive(o, "publisher"));
        if (pub && !m->ld_publisher) m->ld_publisher = ds_arena_strdup(a, pub);
        return;
    }
    const char *s;
    if (!m->ld_body && (s = jstr(o, "articleBody"))) m->ld_body = ds_arena_strdup(a, s);
    if (!m->ld_headline && (s = jstr(o, "headline"))) m->ld_headline = ds_arena_strdup(a, s);
    if (!m->ld_published && (s = jstr(o, "datePublished")))
        m->ld_published = ds_arena_strdup(a, s);
    if (!m->ld_author && (s = jname(a, cJSON_GetObjectItemCaseSensitive(o, "author"))) &&
        !looks_url(s))
        m->ld_author = ds_arena_strdup(a, s);
    if ((s = jname(a, cJSON_GetObjectItemCaseSensitive(o, "publisher"))))
        m->ld_publisher = ds_arena_strdup(a, s);
}

static void ld_script(ds_arena *a, const char *text, meta *m)
{
    cJSON *j = cJSON_Parse(text);
    if (!j) return;   /* malformed JSON-LD is common; the page is read without it */
    if (cJSON_IsArray(j)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, j) ld_object(a, it, m);
    } else {
        ld_object(a, j, m);
    }
    cJSON_Delete(j);
}

/* ---- title ------------------------------------------------------------------ */

/* "Headline | Site" → "Headline" (separators | – — - : · » with spaces) */
static const char *strip_site(ds_arena *a, const char *t, const char *site)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                       " \xC2\xB7 ", " \xC2\xBB ", " :: ", " // "};
    size_t n = strlen(t);
    size_t cut = 0;
    for (size_t k = 0; k < DS_ARRAY_LEN(seps); k++) {
        size_t sl = strlen(seps[k]);
        for (size_t i = n; i-- > 0;) {
            if (i + sl > n || memcmp(t + i, seps[k], sl)) continue;
            const char *tail = t + i + sl;
            size_t tl = n - i - sl;
            size_t words = 1;
            for (size_t q = 0; q < tl; q++) words += tail[q] == ' ';
            bool is_site = site && strlen(site) <= tl + 4 &&
                           (strcasestr(tail, site) || strcasestr(site, tail));
            /* a short tail after the last separator is the site name */
            if ((is_site || words <= 4) && i >= 15 && i > cut) cut = i;
            break;
        }
    }
    return cut ? ds_arena_strndup(a, t, cut) : t;
}

/* ---- the pass ------------------------------------------------------------- */

static const char *content(const hnode *h) { return ds_html_attr(h, "content"); }

dossier_status ds_html_meta(htree *t, dossier_doc *doc, const char **article_body)
{
    ds_arena *a = t->a;
    meta m = {0};
    *article_body = NULL;
    for (int i = 0; i < t->count; i++) {
        hnode *h = &t->n[i];
        if (h->flags & HN_TEXT || h->g->type != GUMBO_NODE_ELEMENT) continue;
        const char *v;
        switch (h->tag) {
        case GUMBO_TAG_HTML:
            if (!doc->lang && (v = ds_html_attr(h, "lang")) && isalpha((unsigned char)v[0]) &&
                isalpha((unsigned char)v[1]) && (!v[2] || v[2] == '-' || v[2] == '_')) {
                char l[3] = {(char)tolower((unsigned char)v[0]), (char)tolower((unsigned char)v[1]), 0};
                doc->lang = ds_arena_strdup(a, l);
            }
            break;
        case GUMBO_TAG_META: {
            const char *p = ds_html_attr(h, "property");
            const char *nm = ds_html_attr(h, "name");
            const char *ip = ds_html_attr(h, "itemprop");
            const char *k = p ? p : nm ? nm : ip;
            if (!k || !(v = content(h)) || !*v) break;
            if (!strcasecmp(k, "og:title")) m.og_title = v;
            else if (!strcasecmp(k, "twitter:title")) m.tw_title = v;
            else if (!strcasecmp(k, "og:site_name")) m.site_name = v;
            else if (!strcasecmp(k, "application-name")) m.app_name = v;
            else if (!strcasecmp(k, "og:url")) m.og_url = v;
            else if (!strcasecmp(k, "author") || !strcasecmp(k, "article:author") ||
                     !strcasecmp(k, "byl") || !strcasecmp(k, "dc.creator") ||
                     !strcasecmp(k, "sailthru.author") || !strcasecmp(k, "parsely-author")) {
                if (!m.author && !looks_url(v)) m.author = v;
            } else if (!strcasecmp(k, "article:published_time") ||
                       !strcasecmp(k, "datePublished") || !strcasecmp(k, "pubdate") ||
                       !strcasecmp(k, "publishdate") || !strcasecmp(k, "publish-date") ||
                       !strcasecmp(k, "date") || !strcasecmp(k, "dc.date.issued") ||
                       !strcasecmp(k, "dc.date") || !strcasecmp(k, "og:published_time") ||
                       !strcasecmp(k, "sailthru.date") || !strcasecmp(k, "parsely-pub-date")) {
                if (!m.published) m.published = v;
            }
            break;
        }
        case GUMBO_TAG_LINK: {
            const char *rel = ds_html_attr(h, "rel"), *href = ds_html_attr(h, "href");
            if (rel && href && !strcasecmp(rel, "canonical")) m.canonical = href;
            break;
        }
        case GUMBO_TAG_TITLE:
            if (!m.title && h->end > i + 1 && (t->n[i + 1].flags & HN_TEXT)) {
                size_t n;
                m.title = ds_html_text(t, i, &n);
            }
            break;
        case GUMBO_TAG_H1:
            if (!m.h1 && !(h->flags & HN_DROP)) {
                size_t n;
                const char *s = ds_html_text(t, i, &n);
                if (s && n) m.h1 = s;
            }
            break;
        case GUMBO_TAG_SCRIPT:
            v = ds_html_attr(h, "type");
            if (v && !strcasecmp(v, "application/ld+json") && h->g->v.element.children.length) {
                GumboNode *c = h->g->v.element.children.data[0];
                if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA ||
                    c->type == GUMBO_NODE_WHITESPACE)
                    ld_script(a, c->v.text.text, &m);
            }
            break;
        case GUMBO_TAG_TIME:
            if (!m.time_dt && !(h->flags & HN_DROP)) m.time_dt = ds_html_attr(h, "datetime");
            break;
        case GUMBO_TAG_A:
            if (!m.rel_author && (v = ds_html_attr(h, "rel")) && !strcasecmp(v, "author")) {
                size_t n;
                const char *s = ds_html_text(t, i, &n);
                if (s && n && n < 60) m.rel_author = s;
            }
            break;
        default:
            break;
        }
        /* an element named byline/author holding "By X" */
        if (!m.byline_el && h->hints & HINT_NEGATIVE && h->end - i < 40) {
            const char *cl = ds_html_attr(h, "class");
            if (cl && (strcasestr(cl, "byline") || strcasestr(cl, "author"))) {
                size_t n;
                const char *s = ds_html_text(t, i, &n);
                if (s && n > 4 && n < 80 && !strncasecmp(s, "by ", 3))
                    m.byline_el = dup_trim(a, s + 3, n - 3);
            }
        }
    }

    /* page URL and host */
    const char *page_url = doc->url ? doc->url : m.og_url ? m.og_url : m.canonical;
    char host[256] = "", chost[256] = "";
    bool have_host = url_host(page_url, host, sizeof host);

    /* outlet */
    const char *site = m.site_name ? m.site_name : m.ld_publisher ? m.ld_publisher : m.app_name;
    if (!doc->outlet) {
        if (site) doc->outlet = dup_trim(a, site, strlen(site));
        else if (have_host) doc->outlet = ds_arena_strdup(a, host);
    }
    /* title */
    if (!doc->title) {
        const char *tt = m.og_title ? m.og_title : m.tw_title ? m.tw_title
                       : m.ld_headline ? m.ld_headline : NULL;
        if (tt) tt = strip_site(a, tt, site);
        else if (m.title) tt = strip_site(a, m.title, site);
        else tt = m.h1;
        if (tt && *tt) doc->title = dup_trim(a, tt, strlen(tt));
    }
    /* published */
    if (!doc->published) {
        char d[11];
        if (iso_date(m.published, d) || iso_date(m.ld_published, d) || iso_date(m.time_dt, d) ||
            url_date(page_url, d) || url_date(m.canonical, d))
            doc->published = ds_arena_strdup(a, d);
    }
    /* byline */
    if (!doc->byline) {
        const char *b = m.ld_author ? m.ld_author : m.author ? m.author
                      : m.rel_author ? m.rel_author : m.byline_el;
        if (b && *b) {
            size_t n = strlen(b);
            if (n > 3 && !strncasecmp(b, "by ", 3)) b += 3, n -= 3;
            doc->byline = dup_trim(a, b, n);
        }
    }
    /* origin: a canonical URL on another site */
    if (!doc->origin && m.canonical && have_host && url_host(m.canonical, chost, sizeof chost) &&
        strcmp(host, chost)) {
        size_t hl = strlen(host), cl = strlen(chost);
        bool sub = (hl > cl && host[hl - cl - 1] == '.' && !strcmp(host + hl - cl, chost)) ||
                   (cl > hl && chost[cl - hl - 1] == '.' && !strcmp(chost + cl - hl, host));
        if (!sub) doc->origin = ds_arena_strdup(a, chost);
    }
    *article_body = m.ld_body;
    return DOSSIER_OK;
}
