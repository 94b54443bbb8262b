/*
 * html_hints.c — the class/id/role word lists of data/html/hints.txt, loaded
 * once into the dossier_ctx and matched against an element's attributes.
 *
 * Matching is a substring search per word over the lower-cased "class id"
 * string; pages carry a handful of classes per element and the list is about
 * two hundred short words, so a plain loop costs well under a microsecond.
 */
#include "html_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void ds_html_rules_free(ds_html_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) ds_free(r->words[i]);
    for (size_t i = 0; i < r->nroles; i++) ds_free(r->roles[i]);
    ds_free(r->words);
    ds_free(r->kind);
    ds_free(r->roles);
    ds_free(r);
}

static const struct { const char *name; unsigned kind; } kinds[] = {
    {"positive", HINT_POSITIVE}, {"negative", HINT_NEGATIVE}, {"unlikely", HINT_UNLIKELY},
    {"maybe", HINT_MAYBE},       {"strong", HINT_STRONG},     {"role", 0}};

dossier_status ds_html_rules_load(const char *data_dir, ds_html_rules **out, char *err,
                                  size_t errlen)
{
    *out = NULL;
    char *path = ds_data_path(data_dir, "html/hints.txt");
    if (!path) return DOSSIER_ENOMEM;
    char *text = NULL;
    size_t len = 0;
    dossier_status st = ds_read_file(path, &text, &len);
    if (st != DOSSIER_OK) {
        if (err) snprintf(err, errlen, "%s: cannot read HTML hints", path);
        ds_free(path);
        return st;
    }
    ds_html_rules *r = ds_calloc(1, sizeof *r);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    if (r) {
        r->words = ds_calloc(lines, sizeof(char *));
        r->kind = ds_calloc(lines, 1);
        r->roles = ds_calloc(lines, sizeof(char *));
    }
    if (!r || !r->words || !r->kind || !r->roles) st = DOSSIER_ENOMEM;
    int lineno = 0;
    for (char *line = text; st == DOSSIER_OK && line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        size_t n = strlen(line);
        const char *s = ds_trim(line, &n);
        if (n && s[0] != '#') {
            size_t k = 0;
            while (k < n && !isspace((unsigned char)s[k])) k++;
            size_t w = k;
            while (w < n && isspace((unsigned char)s[w])) w++;
            int kind = -1;
            for (size_t j = 0; j < DS_ARRAY_LEN(kinds); j++)
                if (strlen(kinds[j].name) == k && memcmp(kinds[j].name, s, k) == 0)
                    kind = (int)j;
            if (kind < 0 || w >= n) {
                if (err) snprintf(err, errlen, "%s:%d: expected KIND WORD", path, lineno);
                st = DOSSIER_EINVAL;
                break;
            }
            char *word = ds_strndup(s + w, n - w);
            if (!word) {
                st = DOSSIER_ENOMEM;
                break;
            }
            for (char *c = word; *c; c++) *c = (char)tolower((unsigned char)*c);
            if (kinds[kind].kind == 0) {
                r->roles[r->nroles++] = word;
            } else {
                r->words[r->n] = word;
                r->kind[r->n++] = (unsigned char)kinds[kind].kind;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    ds_free(text);
    ds_free(path);
    if (st != DOSSIER_OK) {
        ds_html_rules_free(r);
        return st;
    }
    *out = r;
    return DOSSIER_OK;
}

static bool is_tok(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_'; }

/* Does word (with optional ^ / $ anchors) occur in s[0..n) (lower case)? */
static bool word_in(const char *w, const char *s, size_t n)
{
    bool start = w[0] == '^';
    if (start) w++;
    size_t wl = strlen(w);
    bool end = wl && w[wl - 1] == '$';
    if (end) wl--;
    if (!wl || wl > n) return false;
    for (size_t i = 0; i + wl <= n; i++) {
        if (s[i] != w[0] || memcmp(s + i, w, wl) != 0) continue;
        if (start && i > 0 && is_tok(s[i - 1])) continue;
        if (end && i + wl < n && is_tok(s[i + wl])) continue;
        return true;
    }
    return false;
}

unsigned ds_html_hints(const ds_html_rules *r, const char *s, size_t n)
{
    char low[512];
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)s[i]);
    low[n] = 0;
    unsigned h = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!(h & r->kind[i]) && word_in(r->words[i], low, n)) h |= r->kind[i];
    return h;
}

bool ds_html_role_unlikely(const ds_html_rules *r, const char *role)
{
    for (size_t i = 0; i < r->nroles; i++)
        if (strcasecmp(r->roles[i], role) == 0) return true;
    return false;
}
