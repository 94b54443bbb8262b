/*
 * claims.c — claim extraction (records v1 CLAIM): event detection and roles.
 *
 * For each sentence: tokens, tags and noun-phrase chunks (tokens.c); every
 * chunk is coded as a party (parties.c) with pronouns, possessives and
 * definite descriptions ("the soldier") resolved to the nearest compatible
 * mention before them.  Event words and patterns (data/claims/events.tsv,
 * matched on lemma stems) are filtered by non-event uses
 * (data/claims/nonevents.tsv), negation and what the roles require.  Roles
 * come from the sentence's structure:
 *   active   subject → actor, object → target    ("Russian troops attacked the plant")
 *   passive  subject → target, "by X" → actor    ("were shot at and killed by …")
 *   nominal  "of X" → target, "by X" → actor     ("executions of POWs by Russian forces")
 *   infinitive  "X ordered Y to shoot Z", "received orders to kill", "using drones to kill"
 *   gerund   the subject of the clause           ("after surrendering to …")
 * then victim status, site, count, mode, lethality, place and time spans, IHL
 * tags (ihl.c) and attribution (attribution.c).
 */
#include "nlp.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading the event patterns ----------------------------------------------- */
static int32_t intern_stem(ds_claim_rules *r, struct sb_stemmer *st, const char *w, size_t n,
                           bool mark)
{
    char low[80];
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)w[i]);
    const char *base = low;
    size_t bn = n;
    /* pattern words are written as base forms: no exception lookup ("wound"
     * is not "wind", "lay" not "lie") */
    const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)base, (int)bn);
    if (!s) return -1;
    size_t sl = (size_t)sb_stemmer_length(st);
    int32_t *v = ds_smap_put(&r->stems, (const char *)s, sl);
    if (!v) return -1;
    if (*v < 0) *v = (int32_t)r->stems.n - 1;
    /* the first three letters of the word pass the stemming filter */
    if (mark && n >= 3 && r->prefix4) {
        /* four letters: the word, and its -ing form where that differs
         * (fire → firi-, use → usin-, die → dyin-); three-letter words allow
         * any fourth letter (hit → hitt-, hits) */
        char v[4][4];
        int nv = 0;
        if (n == 3) {
            for (int l = 0; l < 27; l++) {
                int k = 0;
                for (int i = 0; i < 3; i++) k = k * 27 + (low[i] >= 'a' && low[i] <= 'z' ? low[i] - 'a' : 26);
                k = k * 27 + l;
                r->prefix4[k >> 3] |= (uint8_t)(1 << (k & 7));
            }
            if (low[2] == 'e') { memcpy(v[nv++], (char[4]){low[0], low[1], 'i', 'n'}, 4); }
            if (low[1] == 'i' && low[2] == 'e') { memcpy(v[nv++], (char[4]){low[0], 'y', 'i', 'n'}, 4); }
        } else {
            memcpy(v[nv++], low, 4);
            if (n == 4 && low[3] == 'e') { memcpy(v[nv++], (char[4]){low[0], low[1], low[2], 'i'}, 4); }
        }
        for (int q = 0; q < nv; q++) {
            int k = 0;
            for (int i = 0; i < 4; i++) k = k * 27 + (v[q][i] >= 'a' && v[q][i] <= 'z' ? v[q][i] - 'a' : 26);
            r->prefix4[k >> 3] |= (uint8_t)(1 << (k & 7));
        }
    }
    if (mark && n >= 3) {
        /* and of its -ing form when that changes them: use → using, die → dying */
        char v[3][3] = {{low[0], low[1], low[2]}, {low[0], low[1], 'i'}, {low[0], 'y', 'i'}};
        /* (three letters: the -ing forms of three-letter words) */
        int nv = n == 3 && low[2] == 'e' ? (low[1] == 'i' ? 3 : 2) : 1;
        for (int q = 0; q < nv; q++) {
            int k = 0;
            for (int i = 0; i < 3; i++) k = k * 27 + (v[q][i] >= 'a' && v[q][i] <= 'z' ? v[q][i] - 'a' : 26);
            r->prefix3[k >> 3] |= (uint8_t)(1 << (k & 7));
        }
    }
    return *v;
}

static dossier_status parse_pattern(ds_claim_rules *r, struct sb_stemmer *st, char *text,
                                    ds_pattern *p, bool brackets)
{
    memset(p, 0, sizeof *p);
    p->lethal = -1;
    p->trigger = 0;
    char *save = NULL;
    for (char *w = strtok_r(text, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (p->nslots == DS_PAT_MAX) return DOSSIER_EDATA;
        size_t wl = strlen(w);
        if (brackets && w[0] == '[' && wl > 2 && w[wl - 1] == ']') {
            p->trigger = p->nslots;
            w[wl - 1] = 0;
            w++;
        }
        if (!strcmp(w, "*")) {
            if (p->nslots == 0) return DOSSIER_EDATA;
            p->alt[p->nslots++] = NULL;
            continue;
        }
        int na = 1;
        for (char *q = w; *q; q++) na += *q == '|';
        int32_t *alts = ds_malloc((size_t)(na + 1) * sizeof *alts);
        if (!alts) {
            for (int s = 0; s < p->nslots; s++) ds_free(p->alt[s]);
            p->nslots = 0;
            return DOSSIER_ENOMEM;
        }
        int k = 0;
        char *s2 = NULL;
        for (char *a = strtok_r(w, "|", &s2); a; a = strtok_r(NULL, "|", &s2)) {
            bool first = brackets ? p->trigger == p->nslots : p->nslots == 0;
            int32_t id = intern_stem(r, st, a, strlen(a), first);
            if (id < 0) {
                ds_free(alts);
                for (int s = 0; s < p->nslots; s++) ds_free(p->alt[s]);
                p->nslots = 0;
                return DOSSIER_ENOMEM;
            }
            alts[k++] = id;
        }
        alts[k] = -1;
        p->alt[p->nslots++] = alts;
    }
    return p->nslots ? DOSSIER_OK : DOSSIER_EDATA;
}

static void pattern_free(ds_pattern *p)
{
    for (int i = 0; i < p->nslots; i++) ds_free(p->alt[i]);
}

typedef struct load_state {
    ds_claim_rules *r;
    struct sb_stemmer *st;
    ds_vec pats;
    const char *file;
    char *err;
    size_t errlen;
} load_state;

static dossier_status load_err(load_state *ls, int line, const char *what)
{
    if (ls->err) snprintf(ls->err, ls->errlen, "%s:%d: %s", ls->file, line, what);
    return DOSSIER_EDATA;
}

static dossier_status event_line(load_state *ls, char *line, int ln)
{
    char *f[3] = {line, NULL, NULL};
    int nf = 1;
    for (char *q = line; *q && nf < 3; q++)
        if (*q == '\t') {
            *q = 0;
            f[nf++] = q + 1;
        }
    if (nf < 2) return load_err(ls, ln, "expected: pattern TAB type [TAB options]");
    ds_pattern p;
    dossier_status st = parse_pattern(ls->r, ls->st, f[0], &p, false);
    if (st != DOSSIER_OK) pattern_free(&p);
    if (st != DOSSIER_OK) return st == DOSSIER_ENOMEM ? st : load_err(ls, ln, "bad pattern");
    p.line = ln;
    int type = ds_enum_parse(ds_event_names, DS_EV__COUNT, f[1], strlen(f[1]));
    if (!type) {
        pattern_free(&p);
        return load_err(ls, ln, "unknown event type");
    }
    p.type = (uint8_t)type;
    if (nf > 2) {
        char *save = NULL;
        for (char *o = strtok_r(f[2], " ", &save); o; o = strtok_r(NULL, " ", &save)) {
            if (!strncmp(o, "mode=", 5)) {
                int m = ds_enum_parse(ds_mode_names, DS_MODE__COUNT, o + 5, strlen(o + 5));
                if (!m) { pattern_free(&p); return load_err(ls, ln, "unknown mode"); }
                p.mode = (uint8_t)m;
            } else if (!strcmp(o, "lethal=1")) p.lethal = 1;
            else if (!strcmp(o, "lethal=0")) p.lethal = 0;
            else if (!strcmp(o, "ordered")) p.opts |= PO_ORDERED;
            else if (!strcmp(o, "verb")) p.opts |= PO_VERB;
            else if (!strcmp(o, "noun")) p.opts |= PO_NOUN;
            else if (!strcmp(o, "weak")) p.opts |= PO_WEAK;
            else if (!strcmp(o, "place=seize")) p.opts |= PO_PLACE_SEIZE;
            else if (!strcmp(o, "need=object")) p.need = NEED_OBJECT;
            else if (!strcmp(o, "need=target")) p.need = NEED_PARTY;
            else if (!strcmp(o, "need=person")) p.need = NEED_PERSON;
            else if (!strcmp(o, "need=party")) p.need = NEED_PARTY;
            else if (!strcmp(o, "need=place")) p.need = NEED_PLACE;
            else if (!strcmp(o, "need=count")) p.need = NEED_COUNT;
            else if (!strcmp(o, "need=mil")) p.need = NEED_MIL;
            else if (!strcmp(o, "need=pow")) p.need = NEED_POW;
            else { pattern_free(&p); return load_err(ls, ln, "unknown option"); }
        }
    }
    /* one copy per alternative of the first slot, so the index is by first stem */
    int32_t *first = p.alt[0];
    for (int k = 0; first[k] >= 0; k++) {
        ds_pattern *q = ds_vec_push(&ls->pats, sizeof *q);
        if (!q) { pattern_free(&p); return DOSSIER_ENOMEM; }
        *q = p;
        for (int s = 0; s < p.nslots; s++) q->alt[s] = NULL;   /* own copies below */
        for (int s = 0; s < p.nslots; s++) {
            if (!p.alt[s]) continue;
            if (s == 0) {
                q->alt[0] = ds_malloc(2 * sizeof(int32_t));
                if (q->alt[0]) { q->alt[0][0] = first[k]; q->alt[0][1] = -1; }
            } else {
                int na = 0;
                while (p.alt[s][na] >= 0) na++;
                q->alt[s] = ds_malloc((size_t)(na + 1) * sizeof(int32_t));
                if (q->alt[s]) memcpy(q->alt[s], p.alt[s], (size_t)(na + 1) * sizeof(int32_t));
            }
            if (!q->alt[s]) { pattern_free(&p); return DOSSIER_ENOMEM; }
        }
    }
    pattern_free(&p);
    return DOSSIER_OK;
}

static dossier_status block_line(load_state *ls, char *line, int ln)
{
    ds_pattern p;
    char *tab = strchr(line, '\t');
    if (tab) *tab = 0;
    dossier_status st = parse_pattern(ls->r, ls->st, line, &p, true);
    if (st != DOSSIER_OK) pattern_free(&p);
    if (st != DOSSIER_OK) return st == DOSSIER_ENOMEM ? st : load_err(ls, ln, "bad pattern");
    if (!p.alt[p.trigger]) { pattern_free(&p); return load_err(ls, ln, "the [trigger] cannot be *"); }
    p.line = ln;
    ds_pattern *q = ds_vec_push(&ls->pats, sizeof *q);
    if (!q) { pattern_free(&p); return DOSSIER_ENOMEM; }
    *q = p;
    return DOSSIER_OK;
}

static dossier_status read_lines(load_state *ls, const char *dir, const char *name,
                                 dossier_status (*cb)(load_state *, char *, int))
{
    char *path = ds_data_path(dir, name);
    if (!path) return DOSSIER_ENOMEM;
    char *buf;
    size_t len;
    dossier_status st = ds_read_file(path, &buf, &len);
    if (st != DOSSIER_OK) {
        if (ls->err) snprintf(ls->err, ls->errlen, "%s: cannot read", path);
        ds_free(path);
        return st == DOSSIER_ENOMEM ? st : DOSSIER_EDATA;
    }
    ls->file = path;
    int ln = 0;
    char *p = buf;
    while (st == DOSSIER_OK && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        ln++;
        size_t l = strlen(p);
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' ')) p[--l] = 0;
        if (l && p[0] != '#') st = cb(ls, p, ln);
        if (!nl) break;
        p = nl + 1;
    }
    ds_free(buf);
    ds_free(path);
    ls->file = NULL;
    return st;
}

static int pat_cmp(const void *a, const void *b)
{
    const ds_pattern *x = a, *y = b;
    if (x->alt[0][0] != y->alt[0][0]) return x->alt[0][0] < y->alt[0][0] ? -1 : 1;
    if (x->nslots != y->nslots) return y->nslots - x->nslots;   /* longer first */
    return x->line - y->line;
}

dossier_status ds_claim_rules_load(const char *data_dir, ds_claim_rules **out, char *err,
                                   size_t errlen)
{
    *out = NULL;
    ds_claim_rules *r = ds_calloc(1, sizeof *r);
    if (!r) return DOSSIER_ENOMEM;
    dossier_status st = ds_lexicon_load(r, data_dir, err, errlen);
    load_state ls = {.r = r, .err = err, .errlen = errlen};
    if (st == DOSSIER_OK) {
        ls.st = sb_stemmer_new("english", NULL);
        r->prefix4 = ds_calloc(27 * 27 * 27 * 27 / 8 + 1, 1);
        if (!ls.st || !r->prefix4) st = DOSSIER_ENOMEM;
    }
    if (st == DOSSIER_OK) st = read_lines(&ls, data_dir, "claims/events.tsv", event_line);
    if (st == DOSSIER_OK) {
        r->events = ls.pats.items;
        r->nevents = ls.pats.n;
        ls.pats = (ds_vec){0};
        qsort(r->events, r->nevents, sizeof *r->events, pat_cmp);
        st = read_lines(&ls, data_dir, "claims/nonevents.tsv", block_line);
        r->blocks = ls.pats.items;
        r->nblocks = ls.pats.n;
        ls.pats = (ds_vec){0};
    }
    if (ls.st) sb_stemmer_delete(ls.st);
    if (st == DOSSIER_OK) {
        r->nstems = r->stems.n;
        r->ev_first = ds_malloc((r->nstems + 1) * sizeof(int32_t));
        r->bl_first = ds_malloc((r->nstems + 1) * sizeof(int32_t));
        r->bl_next = ds_malloc((r->nblocks + 1) * sizeof(int32_t));
        if (!r->ev_first || !r->bl_first || !r->bl_next) st = DOSSIER_ENOMEM;
    }
    if (st == DOSSIER_OK) {
        for (size_t i = 0; i <= r->nstems; i++) r->ev_first[i] = r->bl_first[i] = -1;
        for (size_t i = r->nevents; i-- > 0;) r->ev_first[r->events[i].alt[0][0]] = (int32_t)i;
        for (size_t i = 0; i < r->nblocks; i++) r->bl_next[i] = -1;
        /* a block is listed under each stem of its trigger slot; chains hold one
         * entry per (stem, block) pair, so use a small side table */
        size_t pairs = 0;
        for (size_t i = 0; i < r->nblocks; i++)
            for (int k = 0; r->blocks[i].alt[r->blocks[i].trigger][k] >= 0; k++) pairs++;
        ds_free(r->bl_next);
        r->bl_next = ds_malloc((pairs * 2 + 1) * sizeof(int32_t));
        if (!r->bl_next) st = DOSSIER_ENOMEM;
        size_t np = 0;
        for (size_t i = 0; st == DOSSIER_OK && i < r->nblocks; i++)
            for (int k = 0; r->blocks[i].alt[r->blocks[i].trigger][k] >= 0; k++) {
                int32_t sid = r->blocks[i].alt[r->blocks[i].trigger][k];
                /* pair np: [2np] = block index, [2np+1] = next pair */
                r->bl_next[2 * np] = (int32_t)i;
                r->bl_next[2 * np + 1] = r->bl_first[sid];
                r->bl_first[sid] = (int32_t)np;
                np++;
            }
    }
    if (st != DOSSIER_OK) {
        for (size_t i = 0; i < ls.pats.n; i++) pattern_free(&((ds_pattern *)ls.pats.items)[i]);
        ds_vec_free(&ls.pats);
        ds_claim_rules_free(r);
        return st;
    }
    r->gen = ds_rules_generation();
    *out = r;
    return DOSSIER_OK;
}

void ds_claim_rules_free(ds_claim_rules *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nevents; i++) pattern_free(&r->events[i]);
    for (size_t i = 0; i < r->nblocks; i++) pattern_free(&r->blocks[i]);
    ds_free(r->events);
    ds_free(r->prefix4);
    ds_free(r->blocks);
    ds_free(r->ev_first);
    ds_free(r->bl_first);
    ds_free(r->bl_next);
    ds_free(r->lex);
    ds_smap_free(&r->words);
    ds_smap_free(&r->stems);
    ds_smap_free(&r->vexc);
    ds_smap_free(&r->nexc);
    ds_buf_free(&r->exc_pool);
    ds_free(r);
}


/* ---- matching ------------------------------------------------------------------ */
/* Match pattern p from slot at token i; the trigger slot must sit at trig
 * (when trig >= 0).  Returns the end token or -1; ga, gb get the tokens a gap covered. */
static int match_at(ds_xs *x, const ds_pattern *p, int slot, int i, int trig, int *ga, int *gb)
{
    if (slot == p->nslots) return i;
    if (!p->alt[slot]) {
        for (int g = 0; g <= 3 && i + g <= x->ts.n; g++) {
            int r = match_at(x, p, slot + 1, i + g, trig, ga, gb);
            if (r >= 0) {
                if (g && ga && *ga < 0) {
                    *ga = i;
                    *gb = i + g;
                }
                return r;
            }
        }
        return -1;
    }
    if (i >= x->ts.n) return -1;
    if (trig >= 0 && slot == p->trigger && i != trig) return -1;
    int32_t sid = ds_tok_stem_any(x->r, x->st, &x->ts, i);
    if (sid < 0) return -1;
    for (int k = 0; p->alt[slot][k] >= 0; k++)
        if (p->alt[slot][k] == sid) return match_at(x, p, slot + 1, i + 1, trig, ga, gb);
    return -1;
}

/* The non-event pattern that covers the trigger at token h, or NULL. */
static const ds_pattern *blocked(ds_xs *x, int h)
{
    const ds_claim_rules *r = x->r;
    int32_t sid = ds_tok_stem(r, x->st, &x->ts, h);
    if (sid < 0) return NULL;
    for (int32_t pr = r->bl_first[sid]; pr >= 0; pr = r->bl_next[2 * pr + 1]) {
        const ds_pattern *b = &r->blocks[r->bl_next[2 * pr]];
        int lo = h - 12 < 0 ? 0 : h - 12;
        for (int s = h; s >= lo; s--) {
            if (b->trigger == 0 && s != h) break;
            if (match_at(x, b, 0, s, h, NULL, NULL) >= 0) return b;
        }
    }
    return NULL;
}

static void explain_printf(ds_xs *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void explain_printf(ds_xs *x, const char *fmt, ...)
{
    if (!x->explain) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf((FILE *)x->explain, fmt, ap);
    va_end(ap);
}

static bool tok_verbish(ds_xs *x, int i)
{
    return x->ts.t[i].tag == T_VERB;
}

/* Find the events of the current sentence into evs. */
static dossier_status find_events(ds_xs *x, ds_vec *evs)
{
    const ds_claim_rules *r = x->r;
    for (int i = 0; i < x->ts.n; i++) {
        int32_t sid = ds_tok_stem(r, x->st, &x->ts, i);
        if (sid < 0 || r->ev_first[sid] < 0) continue;
        /* "executive", "executives": an -ive word shares the stem but names no act */
        const char *lw = x->ts.low.p + x->ts.t[i].lo;
        size_t ln = x->ts.t[i].ln;
        if ((ln > 4 && !memcmp(lw + ln - 3, "ive", 3)) || (ln > 5 && !memcmp(lw + ln - 4, "ives", 4)))
            continue;
        const ds_pattern *b = blocked(x, i);
        if (b) {
            explain_printf(x, "  blocked: '%.*s' by nonevents.tsv:%d\n",
                           (int)(x->ts.t[i].e - x->ts.t[i].s), x->ts.text + x->ts.t[i].s, b->line);
            continue;
        }
        for (size_t j = (size_t)r->ev_first[sid]; j < r->nevents && r->events[j].alt[0][0] == sid; j++) {
            const ds_pattern *p = &r->events[j];
            int ga = -1, gb = -1;
            int end = match_at(x, p, 0, i, -1, &ga, &gb);
            if (end < 0) continue;
            bool noun = x->ts.t[i].tag == T_NOUN || x->ts.t[i].tag == T_PROPN;
            /* "drones struck": a noun pattern ending on a verb is no compound */
            if (noun && end - i > 1 && x->ts.t[end - 1].tag == T_VERB) continue;
            if ((p->opts & PO_VERB) && !tok_verbish(x, i)) continue;
            if ((p->opts & PO_NOUN) && !noun) continue;
            ds_event *ev = ds_vec_push(evs, sizeof *ev);
            if (!ev) return DOSSIER_ENOMEM;
            ev->p = p;
            ev->a = i;
            ev->e = end;
            ev->gap_a = ga;
            ev->gap_b = gb;
            ev->lethal = p->lethal;
            ev->mode = p->mode;
            ev->act_a = ev->tgt_a = ev->status_cue = -1;
            /* "threatened to shoot": the act threatened is part of the threat */
            if (p->type == DS_EV_THREATEN && end < x->ts.n && x->ts.t[end - 1].tag == T_TO)
                ev->e = end + 1;
            explain_printf(x, "  match: '%.*s' → %s (events.tsv:%d)\n",
                           (int)(x->ts.t[ev->e - 1].e - x->ts.t[i].s), x->ts.text + x->ts.t[i].s,
                           ds_event_names[p->type], p->line);
            i = ev->e - 1;
            break;
        }
    }
    /* merge coordinated or compound mentions of one act: "shot at and killed",
     * "killed or maimed", "the shelling attack" */
    ds_event *ev = evs->items;
    for (size_t k = 1; k < evs->n; k++) {
        ds_event *pr = NULL;
        for (size_t q = k; q-- > 0;)
            if (!ev[q].dropped) { pr = &ev[q]; break; }
        if (!pr || pr->p->type != ev[k].p->type) continue;
        int gap = ev[k].a - pr->e;
        bool conj = gap >= 1 && gap <= 2 && x->ts.t[ev[k].a - 1].tag == T_CONJ;
        if (gap == 2 && conj) conj = x->ts.t[pr->e].tag == T_PREP;   /* "shot at and killed" */
        bool compound = gap == 0 && x->ts.t[pr->a].chunk >= 0 && x->ts.t[pr->a].chunk == x->ts.t[ev[k].a].chunk;
        if (!conj && !compound) continue;
        if (compound) {
            /* the head is the last noun: "shelling attack" */
            if (!ev[k].mode) ev[k].mode = pr->mode;
            if (ev[k].lethal < 0) ev[k].lethal = pr->lethal;
            ev[k].a = pr->a;
            pr->dropped = true;
        } else {
            pr->e = ev[k].e;
            if (ev[k].lethal == 1 || pr->lethal < 0) pr->lethal = ev[k].lethal;
            if (!pr->mode) pr->mode = ev[k].mode;
            ev[k].dropped = true;
        }
    }
    return DOSSIER_OK;
}

static dossier_status push_claim(ds_xs *x, ds_claim *c)
{
    dossier_doc *doc = x->doc;
    if (doc->claims.n >= x->ctx->opts.max_claims) {
        doc->flags |= DS_FLAG_CLAIMS_LIMIT;
        return DOSSIER_OK;
    }
    ds_claim *slot = ds_vec_push(&doc->claims, sizeof *slot);
    if (!slot) return DOSSIER_ENOMEM;
    *slot = *c;
    return DOSSIER_OK;
}

static void explain_claim(ds_xs *x, const ds_claim *c)
{
    if (!x->explain) return;
    FILE *f = x->explain;
    fprintf(f, "  claim: %s", ds_event_names[c->type]);
    if (c->actor.text)
        fprintf(f, " actor=\"%s\" (%s %s)", c->actor.text, c->actor.country[0] ? c->actor.country : "-",
                c->actor.role ? ds_role_names[c->actor.role] : "-");
    if (c->target.text)
        fprintf(f, " target=\"%s\" (%s %s)", c->target.text, c->target.country[0] ? c->target.country : "-",
                c->target.role ? ds_role_names[c->target.role] : "-");
    if (c->status) fprintf(f, " status=%s", ds_status_names[c->status]);
    if (c->site) fprintf(f, " site=%s", ds_site_names[c->site]);
    if (c->count_value >= 0)
        fprintf(f, " count=%lld/%s/%s", (long long)c->count_value, ds_qualifier_names[c->count_qualifier],
                ds_unit_names[c->count_unit]);
    if (c->mode) fprintf(f, " mode=%s", ds_mode_names[c->mode]);
    if (c->lethal >= 0) fprintf(f, " lethal=%s", c->lethal ? "true" : "false");
    if (c->ordered) fprintf(f, " ordered");
    if (c->location.text) fprintf(f, " location=\"%s\"", c->location.text);
    if (c->time.text) fprintf(f, " time=\"%s\"", c->time.text);
    fprintf(f, " modality=%s", ds_modality_names[c->modality ? c->modality : DS_MOD_ASSERTED]);
    if (c->attribution.present && c->attribution.speaker.text)
        fprintf(f, " speaker=\"%s\"", c->attribution.speaker.text);
    for (int i = 0; i < DS_IHL__BITS; i++)
        if (c->ihl & (1u << i)) fprintf(f, " ihl=%s", ds_ihl_names[i]);
    fputc('\n', f);
}

static void explain_tokens(ds_xs *x)
{
    if (!x->explain) return;
    FILE *f = x->explain;
    fputs("tokens:", f);
    for (int i = 0; i < x->ts.n; i++)
        fprintf(f, " %.*s/%s", (int)(x->ts.t[i].e - x->ts.t[i].s), x->ts.text + x->ts.t[i].s,
                ds_tag_names[x->ts.t[i].tag]);
    fputs("\nchunks:", f);
    for (int c = 0; c < x->ts.nc; c++) {
        const ds_chunk *ch = &x->ts.c[c];
        const ds_pinfo *pi = &x->ci[c].pi;
        fprintf(f, " [%.*s", (int)(x->ts.t[ch->b - 1].e - x->ts.t[ch->a].s), x->ts.text + x->ts.t[ch->a].s);
        if (pi->p.country[0] || pi->p.role)
            fprintf(f, " =%s/%s", pi->p.country[0] ? pi->p.country : "-",
                    pi->p.role ? ds_role_names[pi->p.role] : "-");
        if (pi->status) fprintf(f, " %s", ds_status_names[pi->status]);
        if (pi->site) fprintf(f, " site:%s", ds_site_names[pi->site]);
        if (pi->weapon) fprintf(f, " weapon:%s", ds_mode_names[pi->weapon]);
        if (x->ci[c].speaker) fputs(" speaker", f);
        fputc(']', f);
    }
    fputc('\n', f);
}

static bool is_comma(const ds_xs *x, int i)
{
    return x->ts.t[i].e - x->ts.t[i].s == 1 && x->ts.text[x->ts.t[i].s] == ',';
}

/* Is token i a present participle opening a result clause: "…, killing three
 * civilians", "… and wounding seven"? */
static bool result_participle(const ds_xs *x, int i)
{
    const ds_tok *t = &x->ts.t[i];
    size_t n = t->e - t->s;
    if (i < 1 || t->tag != T_VERB || n < 5 || memcmp(x->ts.text + t->s + n - 3, "ing", 3)) return false;
    const ds_tok *p = &x->ts.t[i - 1];
    return is_comma(x, i - 1) || (p->e - p->s == 3 && !memcmp(x->ts.text + p->s, "and", 3));
}

/* Merge r, the result clause of attack m ("shelled a residential district,
 * killing three civilians"), into m: one act with its victims, toll and
 * lethality, not two events. */
static void merge_result(ds_claim *m, const ds_claim *r)
{
    if (r->lethal == 1 || (m->lethal < 0 && r->lethal >= 0)) m->lethal = r->lethal;
    bool people = m->status || (m->target.text && m->target.role && m->target.role != DS_ROLE_UNK);
    if (!people && r->target.text) {
        ds_site site = m->site ? m->site : r->site;
        m->target = r->target;
        m->status = r->status;
        m->site = site;
        m->count_value = r->count_value;
        m->count_qualifier = r->count_qualifier;
        m->count_unit = r->count_unit;
    } else if (m->count_value < 0 && r->count_value >= 0 && r->status == m->status) {
        m->count_value = r->count_value;
        m->count_qualifier = r->count_qualifier;
        m->count_unit = r->count_unit;
    }
    if (!m->mode) m->mode = r->mode;
    if (!m->location.text) m->location = r->location;
    if (!m->time.text) m->time = r->time;
    m->evidence |= r->evidence;
    m->ihl = ds_ihl_tags(m);
}

static dossier_status do_sentence(ds_xs *x, int si)
{
    dossier_doc *doc = x->doc;
    const ds_sentence *s = &DS_SENT(doc, si);
    x->sent = si;
    dossier_status st = ds_toks_build(x->r, &x->ts, doc->text + s->start, s->end - s->start, s->start);
    if (st == DOSSIER_OK) st = ds_sentence_begin(x);
    if (st != DOSSIER_OK) return st;
    explain_tokens(x);
    ds_vec evs = {0};
    st = find_events(x, &evs);
    ds_event *ev = evs.items;
    size_t first_claim = doc->claims.n;
    for (size_t k = 0; st == DOSSIER_OK && k < evs.n; k++) {
        if (ev[k].dropped) continue;
        ds_claim c;
        bool keep;
        const char *why;
        st = ds_event_claim(x, &ev[k], &c, &keep, &why);
        if (st != DOSSIER_OK) break;
        if (!keep) {
            ev[k].dropped = true;
            explain_printf(x, "  no claim: '%.*s': %s\n",
                           (int)(x->ts.t[ev[k].e - 1].e - x->ts.t[ev[k].a].s),
                           x->ts.text + x->ts.t[ev[k].a].s, why ? why : "-");
            continue;
        }
        st = ds_attribute_cached(x->ctx, doc, x->atc, &c);
        if (st != DOSSIER_OK) break;
        c.ihl = ds_ihl_tags(&c);
        ev[k].dropped = false;
        size_t before = doc->claims.n;
        st = push_claim(x, &c);
        /* remember which claim this event became (index in doc->claims);
         * -1 when the claims limit dropped it */
        ev[k].gap_b = doc->claims.n > before ? (int)(doc->claims.n - 1) : -1;
    }
    /* an event word that only described another claim's victim ("who had
     * surrendered") or party ("drone strikes hit …") gives no claim of its own */
    if (st == DOSSIER_OK && doc->claims.n > first_claim) {
        unsigned char *drop = ds_calloc(evs.n + 1, sizeof *drop);
        if (!drop) st = DOSSIER_ENOMEM;
        for (size_t k = 0; st == DOSSIER_OK && k < evs.n; k++) {
            if (ev[k].dropped) continue;
            for (size_t q = 0; q < evs.n; q++) {
                if (q == k || ev[q].dropped) continue;
                if (ev[q].status_cue >= ev[k].a && ev[q].status_cue < ev[k].e &&
                    (ev[k].p->type == DS_EV_SURRENDER || ev[k].p->type == DS_EV_FLEE))
                    drop[k] = 1;
                if (ev[q].p->type == ev[k].p->type && ev[k].a >= ev[q].act_a && ev[k].e <= ev[q].act_b &&
                    ev[q].act_a >= 0)
                    drop[k] = 1;
            }
            /* a retreat or surrender word inside an attack's target phrase */
            for (size_t q = 0; q < evs.n; q++) {
                if (q == k || ev[q].dropped || ev[q].p->type != DS_EV_ATTACK) continue;
                if ((ev[k].p->type == DS_EV_SURRENDER || ev[k].p->type == DS_EV_FLEE) && ev[q].tgt_a >= 0 &&
                    ev[k].a >= ev[q].tgt_b && ev[k].a <= ev[q].tgt_b + 3 && ev[q].status_cue >= 0)
                    drop[k] = 1;
            }
        }
        /* ", killing three civilians" after an attack clause, with no actor of its
         * own: the result of that attack, merged into it */
        for (size_t k = 0; st == DOSSIER_OK && k < evs.n; k++) {
            if (ev[k].dropped || drop[k] || ev[k].gap_b < (int)first_claim ||
                ev[k].p->type != DS_EV_ATTACK || !result_participle(x, ev[k].a))
                continue;
            ds_claim *r = &DS_CLAIM(doc, ev[k].gap_b);
            if (r->actor.text) continue;
            for (size_t q = k; q-- > 0;) {
                if (ev[q].dropped || drop[q] || ev[q].gap_b < (int)first_claim) continue;
                if (ev[q].p->type != DS_EV_ATTACK || ev[q].e > ev[k].a) break;
                bool comma = false;
                for (int i = ev[q].e; i < ev[k].a && !comma; i++)
                    comma = is_comma(x, i);
                if (!comma) break;
                merge_result(&DS_CLAIM(doc, ev[q].gap_b), r);
                drop[k] = 2;
                break;
            }
        }
        if (st == DOSSIER_OK) {
            size_t w = first_claim;
            for (size_t k = 0; k < evs.n; k++) {
                if (ev[k].dropped) continue;
                if (ev[k].gap_b < 0) continue;
                size_t ci = (size_t)ev[k].gap_b;
                if (ci < first_claim || ci >= doc->claims.n) continue;
                if (drop[k]) {
                    explain_printf(x, "  dropped: '%.*s' %s\n",
                                   (int)(x->ts.t[ev[k].e - 1].e - x->ts.t[ev[k].a].s),
                                   x->ts.text + x->ts.t[ev[k].a].s,
                                   drop[k] == 2 ? "is the result of the attack before it (merged)"
                                                : "describes another claim's party");
                    continue;
                }
                if (w != ci) DS_CLAIM(doc, w) = DS_CLAIM(doc, ci);
                explain_claim(x, &DS_CLAIM(doc, w));
                w++;
            }
            doc->claims.n = w;
        }
        ds_free(drop);
    }
    ds_vec_free(&evs);
    if (st == DOSSIER_OK) ds_sentence_end(x);
    return st;
}

static void xs_free(ds_xs *x)
{
    ds_toks_free(&x->ts);
    ds_free(x->ci);
    ds_vec_free(&x->hist);
    ds_attr_cache_free(x->atc);
    if (x->st) sb_stemmer_delete(x->st);
}

dossier_status ds_extract_claims(const dossier_ctx *ctx, dossier_doc *doc)
{
    if (!ctx->claims) return DOSSIER_OK;
    ds_xs x = {.ctx = ctx, .r = ctx->claims, .doc = doc};
    x.st = sb_stemmer_new("english", NULL);
    x.atc = ds_attr_cache_new();
    dossier_status st = x.st && x.atc ? DOSSIER_OK : DOSSIER_ENOMEM;
    for (size_t i = 0; st == DOSSIER_OK && i < doc->sentences.n; i++) {
        const ds_sentence *s = &DS_SENT(doc, i);
        if (s->end - s->start > ctx->opts.max_sentence_bytes) {
            doc->flags |= DS_FLAG_LONG_SENTENCE;
            continue;
        }
        if (doc->flags & DS_FLAG_CLAIMS_LIMIT) break;
        st = do_sentence(&x, (int)i);
    }
    xs_free(&x);
    return st;
}

/* A document holding text as its body (no cleaning, no title), split into
 * sentences and searched for claims; explain (FILE *) traces each sentence. */
static dossier_status claims_for_text(const dossier_ctx *ctx, const char *text, size_t len,
                                      void *explain, dossier_doc **out)
{
    *out = NULL;
    if (!ctx->claims) return DOSSIER_EDATA;
    ds_arena *a = ds_arena_new();
    if (!a) return DOSSIER_ENOMEM;
    dossier_doc *doc = ds_arena_alloc(a, sizeof *doc);
    if (!doc) {
        ds_arena_free(a);
        return DOSSIER_ENOMEM;
    }
    doc->arena = a;
    doc->text = ds_arena_strndup(a, text, len);
    doc->text_len = len;
    dossier_status st = doc->text ? DOSSIER_OK : DOSSIER_ENOMEM;
    if (st == DOSSIER_OK) st = ds_split_sentences(ctx->sent, doc->text, doc->text_len, &doc->sentences);
    ds_xs x = {.ctx = ctx, .r = ctx->claims, .doc = doc, .explain = explain};
    if (st == DOSSIER_OK) {
        x.st = sb_stemmer_new("english", NULL);
        x.atc = ds_attr_cache_new();
        if (!x.st || !x.atc) st = DOSSIER_ENOMEM;
    }
    for (size_t i = 0; st == DOSSIER_OK && i < doc->sentences.n; i++) {
        const ds_sentence *s = &DS_SENT(doc, i);
        if (s->end - s->start > ctx->opts.max_sentence_bytes) {
            doc->flags |= DS_FLAG_LONG_SENTENCE;
            continue;
        }
        if (doc->flags & DS_FLAG_CLAIMS_LIMIT) break;
        if (explain)
            fprintf(explain, "sentence %zu: %.*s\n", i, (int)(s->end - s->start), doc->text + s->start);
        st = do_sentence(&x, (int)i);
    }
    xs_free(&x);
    if (st != DOSSIER_OK) {
        dossier_doc_free(doc);
        return st;
    }
    *out = doc;
    return DOSSIER_OK;
}

dossier_status ds_claims_for_text(const dossier_ctx *ctx, const char *text, size_t len,
                                  dossier_doc **out)
{
    return claims_for_text(ctx, text, len, NULL, out);
}

dossier_status ds_explain(const dossier_ctx *ctx, const char *text, size_t len, void *f)
{
    dossier_doc *doc;
    dossier_status st = claims_for_text(ctx, text, len, f, &doc);
    dossier_doc_free(doc);
    return st;
}
