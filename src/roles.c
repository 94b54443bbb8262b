/*
 * roles.c — who did what to whom in one sentence: actor and target spans of
 * an event found by claims.c, their party coding with pronouns and definite
 * descriptions resolved, victim status, site, count, mode, lethality, order,
 * and the place and time spans.  See claims.c for the overview.
 */
#include "nlp.h"

#include <stdio.h>
#include <string.h>

typedef struct span {
    int a, b;
} span;
static const span NOSPAN = {-1, -1};
struct ds_xs;
static bool is_place_span(ds_xs *x, span s, const ds_pinfo *pi);

#define TS (&x->ts)
#define TOK(i) (x->ts.t[i])

static int tag(const ds_xs *x, int i)
{
    return i >= 0 && i < x->ts.n ? x->ts.t[i].tag : T_NONE;
}
static bool is(const ds_xs *x, int i, const char *w) { return ds_tok_is(&x->ts, i, w); }
static bool has(const ds_xs *x, int i, int w)
{
    return i >= 0 && i < x->ts.n && ds_tok_has(x->r, &x->ts, i, w);
}
static bool nhas(const ds_xs *x, int i, int w)
{
    if (i < 0 || i >= x->ts.n) return false;
    const ds_lex *l = ds_tok_nlex(x->r, &x->ts, i);
    return l && (l->f & WF(w));
}
static int chunk_of(const ds_xs *x, int i)
{
    return i >= 0 && i < x->ts.n ? x->ts.t[i].chunk : -1;
}
static bool punct_is(const ds_xs *x, int i, char c)
{
    return tag(x, i) == T_PUNCT && x->ts.text[TOK(i).s] == c;
}

/* ---- chunk resolution ------------------------------------------------------ */
enum { PK_NONE, PK_HE, PK_THEY, PK_IT, PK_I, PK_WE };

static int pron_kind(const ds_xs *x, int i)
{
    static const char *const he[] = {"he", "him", "his", "himself", "she", "her", "herself"};
    static const char *const they[] = {"they", "them", "their", "themselves", "theirs"};
    static const char *const it[] = {"it", "its", "itself"};
    static const char *const me[] = {"i", "me", "my", "myself", "mine"};
    static const char *const we[] = {"we", "us", "our", "ours", "ourselves"};
    for (size_t k = 0; k < DS_ARRAY_LEN(he); k++) if (is(x, i, he[k])) return PK_HE;
    for (size_t k = 0; k < DS_ARRAY_LEN(they); k++) if (is(x, i, they[k])) return PK_THEY;
    for (size_t k = 0; k < DS_ARRAY_LEN(it); k++) if (is(x, i, it[k])) return PK_IT;
    for (size_t k = 0; k < DS_ARRAY_LEN(me); k++) if (is(x, i, me[k])) return PK_I;
    for (size_t k = 0; k < DS_ARRAY_LEN(we); k++) if (is(x, i, we[k])) return PK_WE;
    return PK_NONE;
}

static bool useful(const ds_pinfo *p)
{
    return p->p.country[0] || (p->p.role && p->p.role != DS_ROLE_UNK) || p->person;
}



static bool compatible(int kind, const ds_pinfo *p, bool speaker)
{
    if (!useful(p)) return false;
    switch (kind) {
    case PK_HE: return p->person && !p->plural;
    case PK_THEY: return p->plural;
    case PK_IT:
        return !p->person && !p->plural &&
               (p->p.country[0] || p->p.role == DS_ROLE_GOV || p->p.role == DS_ROLE_SPY ||
                p->p.role == DS_ROLE_IGO || p->p.role == DS_ROLE_HRI || p->p.role == DS_ROLE_JUD ||
                p->p.role == DS_ROLE_MED);
    case PK_I: return speaker && !p->plural;
    case PK_WE: return speaker;
    }
    return false;
}

static void adopt(ds_pinfo *dst, const ds_pinfo *src)
{
    memcpy(dst->p.country, src->p.country, 4);
    dst->p.role = src->p.role;
    dst->person = src->person;
    dst->plural = src->plural;
}

/* Resolve pronoun (kind) at chunk c: nearest compatible mention before it in
 * the sentence, then in earlier sentences. */
static const ds_pinfo *resolve(ds_xs *x, int c, int kind)
{
    if (kind == PK_NONE) return NULL;
    if (kind == PK_I || kind == PK_WE) {
        for (int k = c - 1; k >= 0; k--)
            if (x->ci[k].speaker && compatible(kind, &x->ci[k].pi, true)) return &x->ci[k].pi;
        for (int k = c + 1; k < x->ts.nc; k++)
            if (x->ci[k].speaker && !x->ci[k].pi.pronoun && compatible(kind, &x->ci[k].pi, true))
                return &x->ci[k].pi;
    } else {
        for (int k = c - 1; k >= 0; k--)
            if (compatible(kind, &x->ci[k].pi, x->ci[k].speaker)) return &x->ci[k].pi;
    }
    const ds_mention *m = x->hist.items;
    int limit = (kind == PK_I || kind == PK_WE) ? 40 : 4;
    for (size_t k = x->hist.n; k-- > 0;) {
        if (x->sent - m[k].sent > limit) break;
        if (compatible(kind, &m[k].pi, m[k].speaker)) return &m[k].pi;
    }
    return NULL;
}

/* "the soldier", "the plant": the nearest earlier mention with the same head. */
static void resolve_definite(ds_xs *x, int c)
{
    ds_cinfo *ci = &x->ci[c];
    if (ci->head_lex < 0) return;
    bool want_country = !ci->pi.p.country[0] && ci->pi.p.role;
    bool want_site = ci->pi.site != DS_SITE_NONE;
    if (!want_country && !want_site) return;
    for (int k = c - 1; k >= 0; k--) {
        ds_cinfo *o = &x->ci[k];
        if (o->head_lex != ci->head_lex) continue;
        if (want_country && o->pi.p.country[0]) {
            memcpy(ci->pi.p.country, o->pi.p.country, 4);
            return;
        }
        if (want_site && o->pi.site) {
            ci->pi.site = o->pi.site;
            return;
        }
    }
    const ds_mention *m = x->hist.items;
    for (size_t k = x->hist.n; k-- > 0;) {
        if (x->sent - m[k].sent > 12) break;
        if (m[k].head_lex != ci->head_lex) continue;
        if (want_country && m[k].pi.p.country[0]) {
            memcpy(ci->pi.p.country, m[k].pi.p.country, 4);
            return;
        }
        if (want_site && m[k].pi.site) {
            ci->pi.site = m[k].pi.site;
            return;
        }
    }
}

/* The chunk that is the subject of a verb at v, for speaker marks. */
static int simple_subject_chunk(ds_xs *x, int v)
{
    int j = v - 1;
    while (j >= 0 && (tag(x, j) == T_ADV || tag(x, j) == T_AUX || tag(x, j) == T_MODAL)) j--;
    if (punct_is(x, j, ',')) {
        /* appositive: "Oleksandr Stupun, a spokesman for …, said" */
        int k = j - 1;
        while (k >= 0 && k > j - 16 && !punct_is(x, k, ',') && tag(x, k) != T_VERB) k--;
        if (punct_is(x, k, ',')) j = k - 1;
        else return -1;
    }
    int c = chunk_of(x, j);
    if (c < 0) return -1;
    /* "a group of Russian soldiers said": the whole "X of Y" */
    return c;
}

dossier_status ds_sentence_begin(ds_xs *x)
{
    if (x->ts.nc > x->cicap) {
        int cap = x->ts.nc + 16;
        ds_cinfo *ci = ds_realloc(x->ci, (size_t)cap * sizeof *ci);
        if (!ci) return DOSSIER_ENOMEM;
        x->ci = ci;
        x->cicap = cap;
    }
    for (int c = 0; c < x->ts.nc; c++) {
        ds_cinfo *ci = &x->ci[c];
        memset(ci, 0, sizeof *ci);
        ds_code_span(x->r, TS, x->ts.c[c].a, x->ts.c[c].b, &ci->pi);
        int h = ci->pi.head >= 0 ? ci->pi.head : x->ts.c[c].head;
        ci->head_lex = TOK(h).nlex >= 0 ? TOK(h).nlex : TOK(h).lex;
    }
    /* speakers: subjects of verbs of saying, and "said the soldier" */
    for (int i = 0; i < x->ts.n; i++) {
        if (!has(x, i, W_SPEECH) || tag(x, i) != T_VERB) continue;
        int c = simple_subject_chunk(x, i);
        if (c >= 0) {
            x->ci[c].speaker = true;
            /* "A group of Russian soldiers said" → both chunks */
            int a = x->ts.c[c].a;
            if (is(x, a - 1, "of") && chunk_of(x, a - 2) >= 0) x->ci[chunk_of(x, a - 2)].speaker = true;
        } else if (i > 0 && (punct_is(x, i - 1, ',') || tag(x, i - 1) == T_QUOTE) && chunk_of(x, i + 1) >= 0) {
            x->ci[chunk_of(x, i + 1)].speaker = true;
        }
    }
    /* resolution, left to right */
    for (int c = 0; c < x->ts.nc; c++) {
        ds_cinfo *ci = &x->ci[c];
        const ds_chunk *ch = &x->ts.c[c];
        if (ci->pi.pronoun) {
            const ds_pinfo *ref = resolve(x, c, pron_kind(x, ch->a));
            if (ref) adopt(&ci->pi, ref);
        } else if (ci->pi.poss >= 0 && !ci->pi.p.country[0]) {
            const ds_pinfo *ref = resolve(x, c, pron_kind(x, ci->pi.poss));
            if (ref) memcpy(ci->pi.p.country, ref->p.country, 4);
        } else if (!ci->pi.p.country[0] && (is(x, ch->a, "the") || is(x, ch->a, "this") || is(x, ch->a, "that"))) {
            resolve_definite(x, c);
        }
    }
    return DOSSIER_OK;
}

void ds_sentence_end(ds_xs *x)
{
    for (int c = 0; c < x->ts.nc; c++) {
        ds_cinfo *ci = &x->ci[c];
        if (!useful(&ci->pi) && !ci->pi.site) continue;
        ds_mention *m = ds_vec_push(&x->hist, sizeof *m);
        if (!m) return;   /* resolution just sees fewer mentions */
        m->pi = ci->pi;
        m->sent = x->sent;
        m->head_lex = ci->head_lex;
        m->speaker = ci->speaker;
    }
}

/* ---- spans -------------------------------------------------------------------- */
/* Chunk c extended left over "X of Y" and "X and Y". */
static span np_left(const ds_xs *x, int c)
{
    span s = {x->ts.c[c].a, x->ts.c[c].b};
    for (int guard = 0; guard < 4; guard++) {
        int p = s.a - 1;
        if ((is(x, p, "of") || is(x, p, "and") || is(x, p, "or")) && chunk_of(x, p - 1) >= 0 &&
            tag(x, p - 1) != T_PRON) {
            s.a = x->ts.c[chunk_of(x, p - 1)].a;
            continue;
        }
        break;
    }
    return s;
}

/* Chunk c extended right over "X of Y", "X and Y", "X, Y and Z". */
static span np_right(const ds_xs *x, int c)
{
    span s = {x->ts.c[c].a, x->ts.c[c].b};
    for (int guard = 0; guard < 6; guard++) {
        int p = s.b;
        if ((is(x, p, "of") || is(x, p, "and") || is(x, p, "or")) && chunk_of(x, p + 1) >= 0) {
            int c2 = chunk_of(x, p + 1);
            int after = x->ts.c[c2].b;
            /* "X and Y fled": Y starts a new clause */
            if (!is(x, p, "of") && (tag(x, after) == T_VERB || tag(x, after) == T_AUX || tag(x, after) == T_MODAL))
                break;
            s.b = after;
            continue;
        }
        break;
    }
    return s;
}

/* Skip the verb group to the left of i: adverbs, auxiliaries, negation. */
static int skip_vgroup_left(const ds_xs *x, int j, bool *neg)
{
    while (j >= 0) {
        int t = tag(x, j);
        if (t == T_ADV || t == T_AUX || t == T_MODAL || t == T_NEG) {
            if (t == T_NEG && neg) *neg = true;
            j--;
            continue;
        }
        break;
    }
    return j;
}

static span subject_of(ds_xs *x, int v, int *ordered, span *instr, bool *neg, int depth);

/* The subject of the clause a gerund after a preposition belongs to. */
static span clause_subject(ds_xs *x, int j, int *ordered, span *instr, bool *neg, int depth)
{
    for (int k = j; k >= 0 && k > j - 30; k--) {
        int t = tag(x, k);
        if (t == T_VERB || (t == T_AUX && !(has(x, k + 1, W_AUX)))) {
            if (t == T_AUX && tag(x, k + 1) == T_VERB) continue;
            return subject_of(x, k, ordered, instr, neg, depth + 1);
        }
    }
    return NOSPAN;
}

static span subject_of(ds_xs *x, int v, int *ordered, span *instr, bool *neg, int depth)
{
    if (depth > 5) return NOSPAN;
    int j = skip_vgroup_left(x, v - 1, neg);
    int pp = 0;
again:
    if (j < 0) return NOSPAN;
    int t = tag(x, j);
    if (t == T_TO) {
        int k = skip_vgroup_left(x, j - 1, NULL);
        int c = chunk_of(x, k);
        if (c >= 0 && tag(x, k) != T_ADJ) {
            const ds_chunk *ch = &x->ts.c[c];
            int w = skip_vgroup_left(x, ch->a - 1, NULL);
            if (nhas(x, ch->head, W_ORDER)) {
                /* "received orders to kill": ordered; the actor receives them */
                *ordered = 1;
                if (tag(x, w) == T_VERB) {
                    if (has(x, w, W_NEG)) *neg = true;
                    return subject_of(x, w, ordered, instr, neg, depth + 1);
                }
                return NOSPAN;
            }
            if (tag(x, w) == T_VERB) {
                if (has(x, w, W_ORDER)) {
                    *ordered = 1;   /* "X ordered Y to shoot" */
                    skip_vgroup_left(x, w - 1, neg);   /* "never ordered" */
                    return np_left(x, c);
                }
                if (has(x, w, W_USE)) {
                    *instr = np_left(x, c);   /* "using drones to kill" */
                    return subject_of(x, w, ordered, instr, neg, depth + 1);
                }
            }
            if (tag(x, w) == T_PREP && !is(x, w, "of")) {
                /* "the attempt by civilians to flee" */
                return np_left(x, c);
            }
            return np_left(x, c);
        }
        if (tag(x, k) == T_VERB || tag(x, k) == T_ADJ || tag(x, k) == T_NOUN) {
            if (has(x, k, W_ORDER)) *ordered = 1;   /* "were ordered to open fire" */
            if (has(x, k, W_NEG)) *neg = true;      /* "refused to surrender" */
            int w = skip_vgroup_left(x, k - 1, neg);
            if (tag(x, k) == T_ADJ && chunk_of(x, w) >= 0) return np_left(x, chunk_of(x, w));   /* "people willing to" */
            return subject_of(x, k, ordered, instr, neg, depth + 1);
        }
        return NOSPAN;
    }
    if (t == T_REL) {
        int k = j - 1;
        if (punct_is(x, k, ',')) k--;
        int c = chunk_of(x, k);
        return c >= 0 ? np_left(x, c) : NOSPAN;
    }
    if (t == T_PUNCT && punct_is(x, j, ',')) {
        /* "prisoners, including unarmed soldiers, were shot": skip the aside */
        int k = j - 1;
        while (k >= 0 && k > j - 14 && !punct_is(x, k, ',') && tag(x, k) != T_VERB && tag(x, k) != T_SUB)
            k--;
        if (punct_is(x, k, ',') && chunk_of(x, k - 1) >= 0 && k < j - 1 &&
            (is(x, k + 1, "including") || tag(x, k + 1) == T_DET || tag(x, k + 1) == T_ADJ ||
             tag(x, k + 1) == T_NOUN || tag(x, k + 1) == T_PROPN) && tag(x, k + 1) != T_PRON) {
            return np_left(x, chunk_of(x, k - 1));
        }
        return NOSPAN;
    }
    int c = chunk_of(x, j);
    if (c >= 0 && x->ts.c[c].b == j + 1) {
        span s = np_left(x, c);
        int p = s.a - 1;
        /* a prepositional phrase ("troops in Kharkiv shot"): look past it */
        if (tag(x, p) == T_PREP && !is(x, p, "of") && !(has(x, p, W_QUAL) && tag(x, s.a) == T_NUM) &&
            pp < 2 && chunk_of(x, p - 1) >= 0) {
            pp++;
            j = p - 1;
            goto again;
        }
        if (nhas(x, x->ts.c[c].head, W_ORDER)) {
            *ordered = 1;   /* "an order was given to shoot" */
            return NOSPAN;
        }
        /* "over 150 cases of …": a qualifier belongs to the phrase */
        return s;
    }
    if (t == T_VERB || t == T_ADJ) {
        /* a relative clause between subject and verb: "troops who were surrendering were shot" */
        for (int k = j; k >= 0 && k > j - 8; k--) {
            int tk = tag(x, k);
            if (tk == T_REL) {
                int c2 = chunk_of(x, k - 1 - (punct_is(x, k - 1, ',') ? 1 : 0));
                return c2 >= 0 ? np_left(x, c2) : NOSPAN;
            }
            if (tk == T_PUNCT || tk == T_SUB) break;
        }
        return NOSPAN;
    }
    if (t == T_CONJ) {
        /* coordinated verbs: "were shot at and killed", "placed behind them and threatened" */
        for (int k = j - 1; k >= 0 && k > j - 10; k--) {
            int tk = tag(x, k);
            if (tk == T_SUB || tk == T_REL || punct_is(x, k, ';')) break;
            if (tk == T_VERB) return subject_of(x, k, ordered, instr, neg, depth + 1);
        }
        return NOSPAN;
    }
    return NOSPAN;
}

/* The object of a verb ending at e (first token after the trigger). */
static span object_of(ds_xs *x, int e)
{
    int j = e;
    for (int guard = 0; guard < 6 && j < x->ts.n; guard++) {
        int t = tag(x, j);
        if (t == T_ADV || has(x, j, W_QUAL) || is(x, j, "than") || is(x, j, "at") || is(x, j, "on") || is(x, j, "upon") || is(x, j, "into") ||
            is(x, j, "against") || is(x, j, "down") || is(x, j, "up") || is(x, j, "to") || is(x, j, "dead")) {
            j++;
            continue;
        }
        if (t == T_CONJ && tag(x, j + 1) == T_VERB) {   /* "killed or maimed X" */
            j += 2;
            continue;
        }
        break;
    }
    int c = chunk_of(x, j);
    if (c < 0 || x->ts.c[c].a != j) return NOSPAN;
    return np_right(x, c);
}

/* "… by X" after a passive verb, within the clause. */
static span by_agent(ds_xs *x, int e)
{
    for (int j = e; j < x->ts.n && j < e + 12; j++) {
        int t = tag(x, j);
        if (t == T_SUB || t == T_REL || punct_is(x, j, ',') || punct_is(x, j, ';') || punct_is(x, j, ':'))
            break;
        if (is(x, j, "by") && chunk_of(x, j + 1) >= 0) return np_right(x, chunk_of(x, j + 1));
    }
    return NOSPAN;
}

/* "executed after surrendering to Russian forces": those surrendered to. */
static span surrendered_to(ds_xs *x, int e)
{
    for (int j = e; j < x->ts.n - 2 && j < e + 10; j++) {
        if (TOK(j).ln >= 8 && !memcmp(x->ts.low.p + TOK(j).lo, "surrender", 8) && is(x, j + 1, "to") &&
            chunk_of(x, j + 2) >= 0)
            return np_right(x, chunk_of(x, j + 2));
    }
    return NOSPAN;
}

/* ---- party info of a span --------------------------------------------------------- */
static bool span_info(ds_xs *x, span s, ds_pinfo *pi)
{
    memset(pi, 0, sizeof *pi);
    pi->head = pi->poss = -1;
    if (s.a < 0) return false;
    ds_code_span(x->r, TS, s.a, s.b, pi);
    /* resolved chunk info (pronouns, possessives, definites) */
    for (int k = s.a; k < s.b; k++) {
        int c = chunk_of(x, k);
        if (c < 0) continue;
        const ds_pinfo *ci = &x->ci[c].pi;
        if (!pi->p.country[0] && ci->p.country[0]) memcpy(pi->p.country, ci->p.country, 4);
        if ((!pi->p.role || pi->p.role == DS_ROLE_UNK) && ci->p.role) pi->p.role = ci->p.role;
        if (ci->pronoun && s.b - s.a == 1) {
            pi->person = ci->person;
            pi->plural = ci->plural;
        }
        if (!pi->site && ci->site) pi->site = ci->site;
        if (ci->site && ci->site != pi->site && pi->site == DS_SITE_POWER_PLANT) pi->site = ci->site;
        k = x->ts.c[c].b - 1;
    }
    const ds_toks *ts = TS;
    size_t a = ts->t[s.a].s, b = ts->t[s.b - 1].e;
    pi->p.text = ds_arena_strndup(x->doc->arena, ts->text + a, b - a);
    return pi->p.text != NULL;
}

/* Country for a MIL party that names none: the nearest other armed party with a
 * country in the sentence ("a Russian soldier saying many troops are fleeing"). */
static void borrow_country(ds_xs *x, ds_pinfo *pi, span self, span other)
{
    if (pi->p.country[0] || pi->p.role != DS_ROLE_MIL || pi->own) return;
    /* a weapon ("a Kh-22 missile") belongs to no side the sentence names: the
     * force that reports it ("Ukraine's air force said") is not its owner */
    if (pi->weapon && !pi->person) return;
    int best = -1, bestd = 1 << 30;
    for (int c = 0; c < x->ts.nc; c++) {
        const ds_chunk *ch = &x->ts.c[c];
        if (ch->a >= self.a && ch->b <= self.b) continue;
        if (other.a >= 0 && ch->a >= other.a && ch->b <= other.b) continue;
        const ds_pinfo *o = &x->ci[c].pi;
        if (!o->p.country[0] || o->p.role != DS_ROLE_MIL) continue;
        int d = ch->a < self.a ? self.a - ch->a : ch->a - self.a + 50;
        if (d < bestd) {
            bestd = d;
            best = c;
        }
    }
    if (best >= 0) memcpy(pi->p.country, x->ci[best].pi.p.country, 4);
}

/* ---- fields ----------------------------------------------------------------------- */
static bool surrender_word(const ds_xs *x, int j)
{
    if (j < 0 || j >= x->ts.n) return false;
    const char *w = x->ts.low.p + TOK(j).lo;
    return TOK(j).ln >= 8 && !memcmp(w, "surrender", 8);
}

/* Status said after a target span: "who had surrendered", "retreating or surrendering". */
static ds_victim_status status_after(ds_xs *x, int b, int *cue)
{
    int j = b;
    bool rel = tag(x, j) == T_REL;
    if (rel) j++;
    for (int k = j; k < x->ts.n && k < j + 6; k++) {
        int t = tag(x, k);
        if (surrender_word(x, k) && (rel || (TOK(k).flags & TK_ING))) {
            *cue = k;
            return DS_STATUS_SURRENDERING;
        }
        if (is(x, k, "white") && is(x, k + 1, "flag")) return DS_STATUS_SURRENDERING;
        if (!(t == T_AUX || t == T_ADV || t == T_CONJ || t == T_VERB || t == T_TO || t == T_NEG ||
              t == T_MODAL))
            break;
    }
    return DS_STATUS_NONE;
}

static void count_in(ds_xs *x, span s, ds_claim *c)
{
    if (s.a < 0) return;
    for (int k = s.a; k < s.b; k++) {
        if (tag(x, k) != T_NUM || TOK(k).num < 0) continue;
        int64_t v = TOK(k).num;
        if ((TOK(k).flags & TK_DIGIT) && TOK(k).ln == 4 && v >= 1900 && v <= 2100) continue;   /* a year */
        ds_qualifier q = DS_QUAL_EXACT;
        int p = k - 1;
        if (tag(x, p) == T_DET && !is(x, p, "some")) p--;   /* "about a dozen" */
        if (has(x, p, W_QUAL)) {
            const ds_lex *l = ds_tok_lex(x->r, TS, p);
            q = (ds_qualifier)l->qual;
            if (is(x, p, "than") && is(x, p - 1, "more")) q = DS_QUAL_OVER;
            if (is(x, p, "least")) q = DS_QUAL_AT_LEAST;
            if (is(x, p, "to") && is(x, p - 1, "up")) q = DS_QUAL_UP_TO;
        } else if (is(x, p, "to") && is(x, p - 1, "up")) {
            q = DS_QUAL_UP_TO;
        }
        if (!(TOK(k).flags & TK_DIGIT) && (is(x, k, "dozens") || is(x, k, "hundreds") || is(x, k, "thousands")))
            q = DS_QUAL_OVER;
        /* "two hundred", "5 thousand" */
        if (tag(x, k + 1) == T_NUM && TOK(k + 1).num >= 100 && !(TOK(k + 1).flags & TK_DIGIT)) {
            v *= TOK(k + 1).num;
            k++;
        }
        c->count_value = v;
        c->count_qualifier = q;
        c->count_unit = DS_UNIT_PERSONS;
        for (int u = k + 1; u < s.b && u < k + 4; u++) {
            if (nhas(x, u, W_UNIT)) {
                c->count_unit = (ds_unit)ds_tok_nlex(x->r, TS, u)->unit;
                break;
            }
        }
        return;
    }
}

static ds_mode weapon_after(ds_xs *x, int e)
{
    for (int j = e; j < x->ts.n && j < e + 10; j++) {
        if (punct_is(x, j, ',') || tag(x, j) == T_SUB) break;
        if ((is(x, j, "with") || is(x, j, "by") || is(x, j, "using")) && chunk_of(x, j + 1) >= 0) {
            const ds_chunk *ch = &x->ts.c[chunk_of(x, j + 1)];
            ds_pinfo pi;
            ds_code_span(x->r, TS, ch->a, ch->b, &pi);
            if (pi.weapon) return pi.weapon;
        }
    }
    return DS_MODE_NONE;
}

static bool is_place_span(ds_xs *x, span s, const ds_pinfo *pi)
{
    if (s.a < 0) return false;
    if (pi->site) return true;
    if (pi->person) return false;
    for (int k = s.a; k < s.b; k++) {
        if (nhas(x, k, W_PLACE)) return true;
        if (tag(x, k) == T_PROPN && !has(x, k, W_ENTITY) && !has(x, k, W_DEMONYM)) {
            if (ds_is_place(x->ctx, x->ts.text + TOK(k).s, TOK(k).e - TOK(k).s)) return true;
            if (!pi->p.role || pi->p.role == DS_ROLE_UNK) return true;
        }
    }
    return false;
}

static bool lethal_cues(ds_xs *x, int *lethal)
{
    bool any = false;
    for (int k = 0; k < x->ts.n; k++) {
        if (has(x, k, W_LETHAL)) {
            *lethal = 1;
            return true;
        }
    }
    for (int k = 0; k < x->ts.n; k++)
        if (has(x, k, W_NONLETHAL)) {
            *lethal = 0;
            any = true;
        }
    return any;
}

/* ---- place and time spans --------------------------------------------------------- */
static bool time_word(ds_xs *x, int k)
{
    return (has(x, k, W_MONTH) && (TOK(k).flags & TK_CAP)) || (has(x, k, W_WDAY) && (TOK(k).flags & TK_CAP));
}

static bool year_at(ds_xs *x, int k)
{
    return tag(x, k) == T_NUM && (TOK(k).flags & TK_DIGIT) && TOK(k).ln == 4 && TOK(k).num >= 1900 &&
           TOK(k).num <= 2100;
}

/* Place candidates: "in Kharkiv", "the town of Chasetse", "the Zaporizhzhia plant". */
/* ds_place_kind of tokens [a, b), cached in *kind (-1: not read yet) */
static int span_place_kind(const ds_xs *x, int a, int b, int *kind)
{
    if (*kind < 0) *kind = ds_place_kind(x->ctx, x->ts.text + TOK(a).s, TOK(b - 1).e - TOK(a).s);
    return *kind;
}

static span place_span(ds_xs *x, int from, int to)
{
    span country = NOSPAN;
    for (int k = from; k < to; k++) {
        bool cand = false, title_of = false;
        int a = -1, b = -1;
        if (tag(x, k) == T_PROPN && !time_word(x, k)) {
            a = k;
            b = k + 1;
            while (tag(x, b) == T_PROPN && !time_word(x, b)) b++;
            int kind = -1;   /* the name's ds_place_kind, read when first needed */
            int p = k - 1;
            while (p >= 0 && (tag(x, p) == T_DET || tag(x, p) == T_ADJ || (tag(x, p) == T_NOUN && nhas(x, p, W_PLACE))))
                p--;
            if (tag(x, p) == T_PREP && (is(x, p, "in") || is(x, p, "near") || is(x, p, "outside") ||
                                         is(x, p, "around") || is(x, p, "at") || is(x, p, "of") ||
                                         is(x, p, "from") || is(x, p, "into") || is(x, p, "across")))
                cand = true;
            if (is(x, p, "of") && !(nhas(x, p - 1, W_PLACE))) {
                cand = tag(x, p - 1) != T_NOUN || nhas(x, p - 1, W_PLACE);
                /* "the shelling of Kherson", "the siege of Mariupol": a town or
                 * region after "of" (a country there is rarely the event's place) */
                if (!cand) {
                    int kd = span_place_kind(x, a, b, &kind);
                    cand = kd == 1 || kd == 2;
                }
            }
            /* after a weak preposition ("of", "from", "into", "across") an unknown
             * capitalised word is no place ("Treatment of Ukrainian POWs") */
            if (cand && !nhas(x, p - 1, W_PLACE) &&
                (is(x, p, "of") || is(x, p, "from") || is(x, p, "into") || is(x, p, "across")) &&
                span_place_kind(x, a, b, &kind) == 0 && !nhas(x, b, W_SITE) && !nhas(x, b, W_PLACE))
                cand = false;
            if (nhas(x, k + 1, W_SITE) || nhas(x, k + 1, W_PLACE)) cand = true;   /* "the Zaporizhzhia plant" */
            /* "the President of Russia", "the Armed Forces of Ukraine": a
             * country in a title or a body's name */
            title_of = is(x, p, "of") && p > 0 && (has(x, p - 1, W_ROLE) || nhas(x, p - 1, W_ROLE));
        }
        if (!cand) continue;
        bool entity = false, is_country = false;
        int el;
        int e = ds_phrase_at(x->r, TS, a, W_ENTITY, &el);
        if (e >= 0) {
            entity = !(x->r->lex[e].f & WF(W_PLACE));
            is_country = (x->r->lex[e].f & WF(W_PLACE)) && x->r->lex[e].country[0] &&
                         ds_is_place(x->ctx, x->ts.text + TOK(a).s, TOK(b - 1).e - TOK(a).s) == false;
        }
        if (has(x, a, W_DEMONYM) || entity ||
            (title_of && e >= 0 && (x->r->lex[e].f & WF(W_COUNTRY)))) {
            k = b - 1;
            continue;
        }
        /* countries are a last resort; towns first */
        if (e >= 0 && (x->r->lex[e].f & WF(W_PLACE))) {
            const ds_lex *L = &x->r->lex[e];
            bool capital_or_country = L->country[0] != 0;
            if (capital_or_country && is_country) {
                if (country.a < 0) country = (span){a, b};
                k = b - 1;
                continue;
            }
        }
        return (span){a, b};
    }
    return country;
}

static span time_span(ds_xs *x, int from, int to)
{
    for (int k = from; k < to; k++) {
        int a = -1, b = -1;
        if (time_word(x, k)) {
            a = k;
            b = k + 1;
            if (has(x, k, W_MONTH)) {
                if (tag(x, b) == T_NUM && TOK(b).num >= 1 && TOK(b).num <= 31) b++;
                if (punct_is(x, b, ',') && year_at(x, b + 1)) b += 2;
                else if (year_at(x, b)) b++;
                if (tag(x, a - 1) == T_NUM && TOK(a - 1).num >= 1 && TOK(a - 1).num <= 31) a--;
            }
        } else if (has(x, k, W_TREL)) {
            a = k;
            b = k + 1;
        } else if (has(x, k, W_TUNIT) && (is(x, k - 1, "last") || is(x, k - 1, "this") || is(x, k - 1, "next") ||
                                          is(x, k - 1, "previous"))) {
            a = k - 1;
            b = k + 1;
            if (is(x, a - 1, "earlier") || is(x, a - 1, "later")) a--;
        } else if (year_at(x, k) && (is(x, k - 1, "in") || is(x, k - 1, "since") || is(x, k - 1, "of") ||
                                     is(x, k - 1, "during") || is(x, k - 1, "Since"))) {
            a = k;
            b = k + 1;
        }
        if (a < 0) continue;
        if (is(x, a - 1, "on") || is(x, a - 1, "in") || is(x, a - 1, "since") || is(x, a - 1, "last") ||
            is(x, a - 1, "this") || is(x, a - 1, "next") || is(x, a - 1, "early") || is(x, a - 1, "late") ||
            is(x, a - 1, "by") || is(x, a - 1, "during") || is(x, a - 1, "earlier") || is(x, a - 1, "until"))
            a--;
        return (span){a, b};
    }
    return NOSPAN;
}

static const char *span_text(ds_xs *x, span s)
{
    size_t a = TOK(s.a).s, b = TOK(s.b - 1).e;
    return ds_arena_strndup(x->doc->arena, x->ts.text + a, b - a);
}

/* ---- one event --------------------------------------------------------------------- */
dossier_status ds_event_claim(ds_xs *x, ds_event *ev, ds_claim *c, bool *keep, const char **why)
{
    const ds_pattern *p = ev->p;
    int a = ev->a, e = ev->e;
    *keep = false;
    *why = NULL;
    memset(c, 0, sizeof *c);
    c->type = (ds_event_type)p->type;
    c->sentence = x->sent;
    c->lethal = -1;
    c->count_value = -1;
    c->trigger_start = x->ts.base + TOK(a).s;
    c->trigger_end = x->ts.base + TOK(e - 1).e;

    int ta = tag(x, a);
    bool noun = ta == T_NOUN || ta == T_PROPN || ta == T_NUM;
    if (ta == T_ADJ || ta == T_DET) {
        *why = "adjective (a state, not an event)";
        return DOSSIER_OK;
    }
    if ((p->opts & PO_VERB) && noun) { *why = "needs a verb"; return DOSSIER_OK; }
    if ((p->opts & PO_NOUN) && !noun) { *why = "needs a noun"; return DOSSIER_OK; }
    bool passive = false, gerund_prep = false, gerund_np = false;
    bool neg = false;
    int ordered = (p->opts & PO_ORDERED) ? 1 : 0;
    span act = NOSPAN, tgt = NOSPAN, instr = NOSPAN;
    int status_cue = -1;

    if (!noun) {
        int pj = a - 1;
        while (tag(x, pj) == T_ADV) pj--;
        bool ed = TOK(a).flags & TK_ED;
        if (has(x, pj, W_BE) && (ed || !(TOK(a).flags & TK_ING))) passive = true;   /* "was hit" */
        else if (ed && tag(x, a - 1) != T_ADV && chunk_of(x, a - 1) >= 0 && tag(x, a - 1) != T_PRON) {
            /* "the soldier captured in Ukraine" (a description) or "the soldiers
             * surrendered at the plant" (the verb of the clause)?  After an object
             * or inside a prepositional phrase it is a description. */
            int nt = tag(x, a + 1);
            span sub = np_left(x, chunk_of(x, a - 1));
            int w = sub.a - 1;
            while (tag(x, w) == T_QUOTE) w--;
            bool object = (tag(x, w) == T_VERB && !has(x, w, W_SPEECH)) ||
                          (tag(x, w) == T_PREP && !has(x, w, W_SUB));
            if (is(x, a + 1, "by")) passive = true;
            else if (object && !(nt == T_DET || nt == T_NOUN || nt == T_PROPN || nt == T_NUM ||
                                 nt == T_POSS || nt == T_ADJ || nt == T_PRON)) {
                *why = "participle after a noun (a description, not an event)";
                return DOSSIER_OK;
            }
        }
        if (TOK(a).flags & TK_ING) {
            if (tag(x, a - 1) == T_PREP || tag(x, a - 1) == T_SUB) gerund_prep = true;
            else if (chunk_of(x, a - 1) >= 0 && tag(x, a - 1) != T_PRON) gerund_np = true;
        }
        /* negation in the verb group */
        skip_vgroup_left(x, a - 1, &neg);
    }

    if (noun) {
        int ch = chunk_of(x, e - 1);
        if (ch >= 0) {
            const ds_chunk *k = &x->ts.c[ch];
            /* premodifiers: "Russian missile strikes", "POW executions", "Putin's attacks" */
            if (k->a < a) {
                span pre = {k->a, a};
                ds_pinfo pi;
                ds_code_span(x->r, TS, pre.a, pre.b, &pi);
                if (pi.status || pi.p.role == DS_ROLE_CVL) tgt = pre;
                else if (pi.p.country[0] || pi.p.role) act = pre;
                else if (pi.poss >= 0) {
                    /* "their attacks": the possessor, unless a light verb names the doer */
                    int w0 = skip_vgroup_left(x, k->a - 1, NULL);
                    if (!has(x, w0, W_LIGHT)) act = pre;
                }
                if (is(x, k->a, "no")) neg = true;
            }
            /* attachments after: of X, by X, on/against X */
            int j = k->b;
            for (int g = 0; g < 4 && j < x->ts.n; g++) {
                int c2 = chunk_of(x, j + 1);
                if (c2 < 0) break;
                span s = {x->ts.c[c2].a, x->ts.c[c2].b};
                if (is(x, j, "of")) {
                    ds_pinfo po;
                    ds_code_span(x->r, TS, s.a, s.b, &po);
                    if (tgt.a < 0 && (useful(&po) || po.site || is_place_span(x, s, &po) || po.pronoun)) tgt = s;
                } else if (is(x, j, "by")) {
                    if (act.a < 0 || act.b <= a) act = s;
                } else if (is(x, j, "on") || is(x, j, "against") || is(x, j, "at") || is(x, j, "upon")) {
                    if (tgt.a < 0) tgt = np_right(x, c2);
                    else break;
                } else {
                    break;
                }
                j = s.b;
            }
            /* "began their largest prisoner exchange": the subject of a light verb */
            int w = skip_vgroup_left(x, k->a - 1, NULL);
            if (is(x, w, "out") || is(x, w, "up")) w--;   /* "carried out", "stepped up" */
            if (act.a < 0 && has(x, w, W_LIGHT)) act = subject_of(x, w, &ordered, &instr, &neg, 0);
            /* "Putin ordered strikes on the grid": who orders the act is its actor */
            if (act.a < 0 && tag(x, w) == T_VERB && has(x, w, W_ORDER)) {
                act = subject_of(x, w, &ordered, &instr, &neg, 0);
                ordered = 1;
            }
            /* "the attack on the hospital was carried out by Russian aircraft" */
            if (act.a < 0 && has(x, j, W_BE) && has(x, j + 1, W_LIGHT)) act = by_agent(x, j);
            /* count: "79 documented cases of POW executions" */
            if (is(x, k->a - 1, "of") && chunk_of(x, k->a - 2) >= 0) {
                const ds_chunk *k2 = &x->ts.c[chunk_of(x, k->a - 2)];
                count_in(x, (span){k2->a, k2->b}, c);
            }
            if (c->count_value < 0) {
                count_in(x, (span){k->a, k->b}, c);
                if (c->count_value >= 0) c->count_unit = DS_UNIT_INCIDENTS;   /* "40 attacks" */
            }
        }
    } else if (passive) {
        tgt = subject_of(x, a, &ordered, &instr, &neg, 0);
        act = by_agent(x, e);
        if (act.a < 0) act = surrendered_to(x, e);
    } else if (gerund_prep) {
        int pj = a - 1;
        /* "blamed X for holding": the object of the verb before the preposition */
        if (chunk_of(x, pj - 1) >= 0 && (is(x, pj, "for") || is(x, pj, "of"))) {
            int c0 = chunk_of(x, pj - 1);
            int w = x->ts.c[c0].a - 1;
            while (tag(x, w) == T_QUOTE) w--;
            if (tag(x, w) == T_VERB && !has(x, w, W_BE)) act = np_left(x, c0);
        }
        if (act.a < 0) act = clause_subject(x, pj - 1, &ordered, &instr, &neg, 0);
        tgt = object_of(x, e);
    } else if (gerund_np) {
        act = np_left(x, chunk_of(x, a - 1));
        tgt = object_of(x, e);
    } else {
        act = subject_of(x, a, &ordered, &instr, &neg, 0);
        tgt = object_of(x, e);
    }
    /* a gap in the pattern holds the target: "took them prisoner", "holding citizens hostage" */
    if (ev->gap_a >= 0 && chunk_of(x, ev->gap_a) >= 0) {
        int gc = chunk_of(x, ev->gap_a);
        span g = {x->ts.c[gc].a, x->ts.c[gc].b < ev->gap_b ? x->ts.c[gc].b : ev->gap_b};
        ds_pinfo gp;
        ds_code_span(x->r, TS, g.a, g.b, &gp);
        if (tgt.a < 0 && g.a >= ev->gap_a && (useful(&gp) || gp.pronoun || gp.site)) tgt = g;
    }
    if ((tgt.a >= 0 && passive && (is(x, tgt.a, "no") || is(x, tgt.a, "none") || is(x, tgt.a, "nobody"))) ||
        (act.a >= 0 && !noun && (is(x, act.a, "no") || is(x, act.a, "nobody") || is(x, act.a, "none"))))
        neg = true;   /* "No civilians were killed" */
    if (neg) {
        *why = "negated";
        return DOSSIER_OK;
    }

    /* intransitive tolls: the subject is who was lost ("five soldiers died") */
    if (c->type == DS_EV_CASUALTIES && !noun && p->lethal == 1 && act.a >= 0 && tgt.a < 0) {
        tgt = act;
        act = NOSPAN;
    }
    if (c->type == DS_EV_FLEE) tgt = NOSPAN;

    ds_pinfo ai, ti;
    bool ha = span_info(x, act, &ai);
    bool ht = span_info(x, tgt, &ti);
    if (act.a >= 0 && !ha) return DOSSIER_ENOMEM;
    if (tgt.a >= 0 && !ht) return DOSSIER_ENOMEM;

    /* "lost 5,840 soldiers": the subject is the losing side */
    if (c->type == DS_EV_CASUALTIES && ha && !noun) {
        if (ht && !ti.p.country[0]) memcpy(ti.p.country, ai.p.country, 4);
        ha = false;
        act = NOSPAN;
    }
    if (c->type == DS_EV_CASUALTIES && noun && ha && !ht) {
        ti = ai;
        tgt = act;
        ht = true;
        ha = false;
        act = NOSPAN;
    }

    bool target_thing = false;
    if (ht && ti.head >= 0 && nhas(x, ti.head, W_THING)) target_thing = true;
    if (ht && !ti.head && tgt.a >= 0) {
        for (int k = tgt.a; k < tgt.b; k++)
            if (nhas(x, k, W_THING) && chunk_of(x, k) == chunk_of(x, tgt.a)) target_thing = true;
    }
    if (ht && tgt.b > tgt.a && nhas(x, x->ts.c[chunk_of(x, tgt.a)].head, W_THING) && !ti.person)
        target_thing = true;
    if (target_thing && !noun) {
        *why = "the object is a thing, not a party";
        return DOSSIER_OK;
    }
    bool person = ht && (ti.person || ti.status || ti.p.role == DS_ROLE_CVL || ti.p.role == DS_ROLE_MIL);
    bool place = ht && is_place_span(x, tgt, &ti);
    /* "the loss of Konstantinovka", "its fastest losses": a toll counts people */
    if (noun && c->type == DS_EV_CASUALTIES && p->need == NEED_PERSON && !person) {
        *why = "a loss of no people";
        return DOSSIER_OK;
    }
    if (!noun && passive && c->type == DS_EV_CASUALTIES && p->lethal != 1) {
        *why = "\"they are lost\": not a toll";
        return DOSSIER_OK;
    }
    switch (noun ? NEED_NONE : p->need) {
    case NEED_OBJECT:
        if (!ht && !ordered) { *why = "needs an object"; return DOSSIER_OK; }
        /* "Inflation hit a record high", "Sanctions hit the banking sector":
         * a party must act or a person or place be hit */
        if (!ordered && !(person || place || ti.site) &&
            !(ha && (ai.p.role == DS_ROLE_MIL || ai.weapon || ai.p.role == DS_ROLE_GOV ||
                     ai.p.role == DS_ROLE_SPY || (ai.pronoun && ai.person)))) {
            *why = "neither an armed party acting nor a person or place hit";
            return DOSSIER_OK;
        }
        break;
    case NEED_PARTY:
        if (!(person || place || (ht && useful(&ti))) && !ordered) { *why = "needs a party or place as object"; return DOSSIER_OK; }
        break;
    case NEED_PERSON:
        if (!person && !ordered) { *why = "needs a person as object"; return DOSSIER_OK; }
        break;
    case NEED_PLACE:
        if (!place) { *why = "needs a place as object"; return DOSSIER_OK; }
        break;
    case NEED_MIL:
        if (!ha || (ai.p.role != DS_ROLE_MIL && !(ai.person && ai.p.country[0]))) { *why = "needs an armed force as actor"; return DOSSIER_OK; }
        break;
    case NEED_POW: {
        bool hostage = false;
        for (int k = tgt.a; ht && k < tgt.b; k++) {
            const char *w = x->ts.low.p + TOK(k).lo;
            if (TOK(k).ln >= 7 && !memcmp(w, "hostage", 7)) hostage = true;
        }
        if (!ht || (ti.status != DS_STATUS_POW && !hostage)) { *why = "needs prisoners as object"; return DOSSIER_OK; }
        break;
    }
    default:
        break;
    }
    if (p->need == NEED_COUNT) {
        count_in(x, tgt, c);
        if (c->count_value < 0) { *why = "needs a number of victims"; return DOSSIER_OK; }
    }
    if (noun && !(ha || ht || c->count_value >= 0) && (p->nslots == 1 || (p->opts & PO_WEAK))) {
        *why = "a bare noun with no party (no event said)";
        return DOSSIER_OK;
    }
    if ((p->opts & PO_PLACE_SEIZE) && place && !person) c->type = DS_EV_SEIZE;

    /* own side: "their own wounded", "their own artillery" */
    if (ha && ht) {
        if (ti.own && ai.p.country[0]) memcpy(ti.p.country, ai.p.country, 4);
        if (ai.own && ti.p.country[0]) memcpy(ai.p.country, ti.p.country, 4);
        if (ti.own && ai.p.country[0] && (!ti.p.role || ti.p.role == DS_ROLE_UNK || ti.status == DS_STATUS_WOUNDED))
            ti.p.role = DS_ROLE_MIL;
    }
    if (ha) borrow_country(x, &ai, act, tgt);
    if (ht) borrow_country(x, &ti, tgt, act);

    if (ha) {
        c->actor = ai.p;
    }
    if (ht) {
        c->target = ti.p;
        c->status = ti.status;
        if (!c->status) {
            ds_victim_status s2 = status_after(x, tgt.b, &status_cue);
            if (s2) c->status = s2;
        }
        if (!c->status && passive) c->status = status_after(x, tgt.b, &status_cue);
        if (c->type == DS_EV_ATTACK || c->type == DS_EV_SEIZE || c->type == DS_EV_CAPTURE) c->site = ti.site;
        if (c->count_value < 0) count_in(x, tgt, c);
    }
    if (c->type == DS_EV_ATTACK && !c->status && ht && (ti.person || ti.p.role == DS_ROLE_MIL)) {
        /* "executed after surrendering", "shot with a white flag" */
        for (int k = e; k < x->ts.n && k < e + 6; k++) {
            if ((is(x, k, "after") || is(x, k, "while") || is(x, k, "when")) && surrender_word(x, k + 1)) {
                c->status = DS_STATUS_SURRENDERING;
                status_cue = k + 1;
                break;
            }
            if (is(x, k, "white") && is(x, k + 1, "flag")) {
                c->status = DS_STATUS_SURRENDERING;
                break;
            }
        }
    }
    if (c->status == DS_STATUS_COMBATANT && c->type != DS_EV_ATTACK) c->status = DS_STATUS_NONE;
    if (c->type != DS_EV_ATTACK && c->type != DS_EV_CAPTURE && c->type != DS_EV_THREATEN &&
        c->type != DS_EV_CASUALTIES && c->type != DS_EV_EXCHANGE)
        c->status = DS_STATUS_NONE;

    /* mode */
    if (c->type == DS_EV_ATTACK || c->type == DS_EV_THREATEN) {
        ds_mode m = DS_MODE_NONE;
        if (instr.a >= 0) {
            ds_pinfo ii;
            ds_code_span(x->r, TS, instr.a, instr.b, &ii);
            m = ii.weapon;
        }
        if (!m && ha && ai.weapon) m = ai.weapon;
        if (!m) m = (ds_mode)(ev->mode ? ev->mode : p->mode);
        if (!m) m = weapon_after(x, e);
        if (c->type == DS_EV_ATTACK) c->mode = m;
        if (ha && c->actor.role == DS_ROLE_NONE && ai.weapon) c->actor.role = DS_ROLE_MIL;
    }
    /* lethality */
    if (c->type == DS_EV_ATTACK || c->type == DS_EV_CASUALTIES) {
        int l = ev->lethal >= 0 ? ev->lethal : p->lethal;
        if (l < 0) {
            int cue = -1;
            if (lethal_cues(x, &cue)) l = cue;
        }
        c->lethal = l;
    }
    c->ordered = ordered != 0;

    /* place and time: the nearest after the trigger, else before it */
    span pl = place_span(x, e, x->ts.n);
    if (pl.a < 0) pl = place_span(x, 0, a);
    if (pl.a < 0 && tgt.a >= 0) {   /* "shelled Kharkiv", "captured Soledar": the target is the place */
        int k = tgt.a, b;
        while (k < tgt.b && tag(x, k) == T_DET) k++;
        for (b = k; b < tgt.b && tag(x, b) == T_PROPN;) b++;
        if (b > k && b == tgt.b && ds_is_place(x->ctx, x->ts.text + TOK(k).s, TOK(b - 1).e - TOK(k).s))
            pl = (span){k, b};
    }
    if (pl.a >= 0) {
        c->location.text = span_text(x, pl);
        if (!c->location.text) return DOSSIER_ENOMEM;
        ds_resolve_location(x->ctx, x->doc, &c->location);
    }
    span tm = time_span(x, e, x->ts.n);
    if (tm.a < 0) tm = time_span(x, 0, a);
    if (tm.a >= 0) {
        c->time.text = span_text(x, tm);
        if (!c->time.text) return DOSSIER_ENOMEM;
        ds_resolve_time(x->doc->published, &c->time);
    }
    ev->act_a = act.a;
    ev->act_b = act.b;
    ev->tgt_a = tgt.a;
    ev->tgt_b = tgt.b;
    ev->status_cue = status_cue;
    *keep = true;
    return DOSSIER_OK;
}
