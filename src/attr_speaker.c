/*
 * attr_speaker.c — who speaks: the shallow phrase finder over tokens (noun
 * phrases, the subject of a speech verb: appositives, inversion, relatives,
 * participles, coordination), speaker kinds from data/attribution/speakers.txt
 * and resolution of "he", "they", "the soldier" to the nearest compatible
 * mention in the sentences before.  Used by attribution.c.
 */
#include "attr_lex.h"

#include <stdio.h>
#include <string.h>

bool at_speech_verb_word(const actx *A, const at_tok *k)
{
    return !k->cap && at_is(A->r, k, AL_VERB, NULL);
}

/* ---- noun phrases ------------------------------------------------------------ */
static bool at_past_speech_verb(const actx *A, const at_tok *k)
{
    return at_speech_verb_word(A, k) && (ends_with(k->low, "ed") || strcmp(k->low, "said") == 0 ||
                                      strcmp(k->low, "told") == 0 || strcmp(k->low, "wrote") == 0);
}

/* Back from token j (inclusive) down to lo: words up to a determiner
 * (included) or a break, boundary word, auxiliary or past speech verb
 * (excluded); with pp, "a spokesperson for the Red Cross" stays whole. */
static np at_np_back_pp(const actx *A, const at_toks *T, int j, int lo, bool pp)
{
    np r = {j + 1, j + 1};
    int n = 0;
    if (j >= lo && is_word(TK(T, j)) && (TK(T, j)->wbits & (AW_PRON_PERSON | AW_PRON_PLURAL)))
        return (np){j, j + 1};   /* "on Friday it had documented": the pronoun alone */
    for (int i = j; i >= lo && n < 16; i--, n++) {
        const at_tok *k = TK(T, i);
        if (is_break(k)) break;
        if (is_word(k) && !k->cap &&
            (k->wbits & (AW_BOUNDARY | AW_SKIP | AW_PASSIVE | AW_PRON_PERSON | AW_PRON_PLURAL)) &&
            i != j)
            break;
        if (i != j && at_past_speech_verb(A, k)) break;
        r.a = i;
        if (is_word(k) && (k->wbits & AW_DET)) {
            /* "a spokesperson for the Red Cross": a phrase after a speaker
             * noun and a preposition belongs to it */
            if (pp && i - 2 >= lo && is_word(TK(T, i - 1)) && (TK(T, i - 1)->wbits & AW_PREP) &&
                at_is(A->r, TK(T, i - 2), AL_SPEAKER, NULL)) {
                i -= 1;
                n++;
                continue;
            }
            break;
        }
    }
    /* brackets must pair: drop a leading ")" … */
    while (r.a < r.b && is_p(TK(T, r.a), ')')) r.a++;
    return r;
}

np at_np_back(const actx *A, const at_toks *T, int j, int lo)
{
    return at_np_back_pp(A, T, j, lo, false);
}

/* Forward from token i: a phrase up to a break, "that", a boundary word or a
 * speech verb (at most 10 tokens). */
np at_np_fwd(const actx *A, const at_toks *T, int i, int hi)
{
    np r = {i, i};
    for (int k = i; k < hi && k - i < 10; k++) {
        const at_tok *t = TK(T, k);
        if (is_break(t)) break;
        if (k > i && is_word(t) && !t->cap && (t->wbits & (AW_BOUNDARY | AW_SKIP))) break;
        if (k > i && at_past_speech_verb(A, t)) break;
        /* "the BBC by phone", "CNN on Monday", "the BBC in an interview"; but
         * "the Security Service of Ukraine", "the Institute for the Study of War" */
        if (k > i && is_word(t) && !t->cap && (t->wbits & AW_PREP)) {
            if (is_low(t, "by") || is_low(t, "on") || is_low(t, "at") || is_low(t, "to")) break;
            const at_tok *n1 = k + 1 < hi ? TK(T, k + 1) : NULL;
            const at_tok *n2 = k + 2 < hi ? TK(T, k + 2) : NULL;
            bool named = n1 && is_word(n1) &&
                         (n1->cap || ((n1->wbits & AW_DET) && n2 && is_word(n2) && n2->cap));
            if (!named) break;
        }
        r.b = k + 1;
    }
    /* a trailing preposition or determiner is no part of it */
    while (r.b > r.a && (TK(T, r.b - 1)->wbits & (AW_PREP | AW_DET)) && !TK(T, r.b - 1)->cap) r.b--;
    return r;
}

/* The first noun phrase from token i: determiner/capitalised words up to the
 * last speaker noun in a row ("A captured Russian prisoner sobbed"). */
static np at_np_first(const actx *A, const at_toks *T, int i, int hi)
{
    np r = {i, i};
    bool seen_noun = false, any_cap = false;
    for (int k = i; k < hi && k - i < 9; k++) {
        const at_tok *t = TK(T, k);
        if (is_break(t)) break;
        if (!is_word(t)) continue;
        bool spk = at_is(A->r, t, AL_SPEAKER, NULL);
        if (k > i && !t->cap && (t->wbits & (AW_BOUNDARY | AW_SKIP | AW_PASSIVE))) break;
        if (seen_noun && !spk && !t->cap && !is_low(t, "of")) break;
        if (!seen_noun && !spk && !t->cap && !(t->wbits & AW_DET) && k > i && any_cap) break;
        if (spk) seen_noun = true;
        if (t->cap) any_cap = true;
        r.b = k + 1;
    }
    if (!seen_noun && !any_cap) r.b = r.a;
    while (r.b > r.a && is_low(TK(T, r.b - 1), "of")) r.b--;
    return r;
}

bool at_np_has_noun_or_name(const actx *A, const at_toks *T, np p)
{
    for (int i = p.a; i < p.b; i++) {
        const at_tok *k = TK(T, i);
        if (!is_word(k)) continue;
        if (at_is(A->r, k, AL_SPEAKER, NULL)) return true;
        size_t n = strlen(k->low);   /* "the ministry's" */
        if (n > 2 && ends_with(k->low, "'s") && at_is_word(A->r, k->low, n - 2, AL_SPEAKER, NULL))
            return true;
        if (k->cap && !(i == 0 && (k->wbits & AW_DET))) return true;
    }
    return false;
}

/* ---- subject of a speech verb ---------------------------------------------- */

/* Skip auxiliaries and adverbs back from j; note a passive auxiliary. */
int at_skip_back(const at_toks *T, int j, int lo, bool *passive)
{
    while (j >= lo && is_word(TK(T, j)) && !TK(T, j)->cap &&
           (TK(T, j)->wbits & (AW_SKIP | AW_PASSIVE))) {
        if (TK(T, j)->wbits & AW_PASSIVE) *passive = true;
        j--;
    }
    return j;
}

static bool at_appositive_like(const actx *A, const at_toks *T, int a, int b)
{
    if (a >= b) return false;
    const at_tok *f = TK(T, a);
    if (is_word(f) && (f->wbits & (AW_DET | AW_PREP))) return true;
    if (is_low(f, "who") || is_low(f, "whose") || is_low(f, "which")) return true;
    for (int i = a; i < b; i++)
        if (at_is(A->r, TK(T, i), AL_SPEAKER, NULL)) return true;
    return false;
}

/* Subject of the speech verb at tokens [v, vend) in T[lo..hi). */
subj at_find_subject(const actx *A, const at_toks *T, int lo, int hi, int v, int vend)
{
    subj S = {{0, 0}, {0, 0}, false, false};
    const at_tok *V = TK(T, v);
    bool ing = ends_with(V->low, "ing") && strlen(V->low) > 5;
    int j = v - 1;
    if (ing) {
        if (j >= lo && is_word(TK(T, j)) &&
            !(TK(T, j)->wbits & (AW_DET | AW_BOUNDARY | AW_PREP | AW_SKIP | AW_PASSIVE))) {
            np p = at_np_back(A, T, j, lo);
            if (at_np_has_noun_or_name(A, T, p)) {
                S.name = S.desc = p;
                return S;
            }
        }
        int start = lo;
        for (int i = v - 1; i >= lo; i--)
            if (is_p(TK(T, i), ',') || is_p(TK(T, i), ':') || is_p(TK(T, i), ';') ||
                is_quote(TK(T, i))) {
                start = i + 1;
                break;
            }
        np p = at_np_first(A, T, start, v);
        S.name = S.desc = p;
        return S;
    }
    bool passive = false;
    j = at_skip_back(T, j, lo, &passive);
    /* "videos … verified by the BBC": a participle with its agent */
    if (vend < hi && is_low(TK(T, vend), "by") && ends_with(TK(T, vend - 1)->low, "ed"))
        passive = true;
    if (passive) {
        if (vend < hi && is_low(TK(T, vend), "by")) {
            np p = at_np_fwd(A, T, vend + 1, hi);
            S.name = S.desc = p;
            S.by_agent = true;
        } else {
            S.passive = true;
        }
        return S;
    }
    if (j < lo) return S;
    const at_tok *J = TK(T, j);
    /* inversion: `…," said Oleksandr Stupun, a spokesman…` */
    bool after_quote = J->kind == AT_QCLOSE || (is_p(J, ',') && j - 1 >= lo &&
                                                TK(T, j - 1)->kind == AT_QCLOSE);
    if (after_quote && vend < hi && is_word(TK(T, vend)) &&
        (TK(T, vend)->cap || (TK(T, vend)->wbits & AW_DET))) {
        np p = at_np_fwd(A, T, vend, hi);
        S.name = S.desc = p;
        if (p.b < hi && is_p(TK(T, p.b), ',')) {
            int e = p.b + 1;
            while (e < hi && !is_break(TK(T, e))) e++;
            if (at_appositive_like(A, T, p.b + 1, e)) S.desc.b = e;
        }
        return S;
    }
    /* relative: "a Ukrainian lawmaker, who wrote" */
    if ((is_low(J, "who") || is_low(J, "which")) && j - 1 >= lo && is_p(TK(T, j - 1), ',')) {
        np p = at_np_back(A, T, j - 2, lo);
        S.name = S.desc = p;
        return S;
    }
    /* coordination: "Putin yesterday hailed … and blamed" */
    if (is_low(J, "and") || is_low(J, "but")) {
        for (int i = j - 1; i > lo; i--) {
            const at_tok *k = TK(T, i);
            if (is_word(k) && k->cap && !(k->wbits & AW_DET)) {
                int a = i, b = i + 1;
                while (a - 1 > lo && is_word(TK(T, a - 1)) && TK(T, a - 1)->cap) a--;
                S.name = S.desc = (np){a, b};
                return S;
            }
        }
        S.name = S.desc = at_np_first(A, T, lo, j);
        return S;
    }
    /* appositives: "Andriy Yusov, a representative for …, the HUR, told" */
    if (is_p(J, ',')) {
        int k = j;
        for (int seg = 0; seg < 4; seg++) {
            int m = k - 1;
            while (m >= lo && !is_break(TK(T, m))) m--;
            if (m >= lo && is_p(TK(T, m), ',') && m > lo) {
                k = m;
                continue;
            }
            int sa = m + 1 > lo ? m + 1 : lo;
            /* "The man in the video, who …, says": the whole segment names
             * the speaker when it is short */
            np p = k - sa <= 10 && k > sa && !(TK(T, sa)->wbits & (AW_BOUNDARY | AW_PREP))
                       ? (np){sa, k}
                       : at_np_back(A, T, k - 1, sa);
            if (p.a < p.b) {
                S.name = p;
                S.desc = (np){p.a, j};
            }
            return S;
        }
        return S;
    }
    np p = at_np_back_pp(A, T, j, lo, true);
    S.name = S.desc = p;
    /* "A prisoner interviewed by the Kyiv Independent said": the agent of a
     * participle is a relay, the phrase before it speaks */
    if (p.a - 3 >= lo && is_low(TK(T, p.a - 1), "by") && ends_with(TK(T, p.a - 2)->low, "ed") &&
        !TK(T, p.a - 2)->cap) {
        np head = at_np_back_pp(A, T, p.a - 3, lo, true);
        if (head.a < head.b && at_np_has_noun_or_name(A, T, head)) {
            S.name = head;
            S.desc = head;
            return S;
        }
    }
    /* "A resident who witnessed the attack said" */
    bool pron = p.b - p.a == 1 && (TK(T, p.a)->wbits & (AW_PRON_PERSON | AW_PRON_PLURAL));
    for (int k = p.a - 1; !pron && k > lo && k >= p.a - 6; k--) {
        if (is_break(TK(T, k))) break;
        bool rel = is_low(TK(T, k), "who") || is_low(TK(T, k), "whose") ||
                   (is_low(TK(T, k), "that") && at_is(A->r, TK(T, k - 1), AL_SPEAKER, NULL));
        if (!rel) continue;
        np head = at_np_back_pp(A, T, k - 1, lo, true);
        if (head.a < head.b && at_np_has_noun_or_name(A, T, head)) {
            S.name = head;
            S.desc = (np){head.a, p.b};
        }
        break;
    }
    return S;
}

/* Is the speech verb at v used as an adjective ("79 documented cases", "the
 * reported attack", "of reported killings")? */
bool at_adjectival(const at_toks *T, int v, int lo)
{
    if (v - 1 < lo) return false;
    const at_tok *k = TK(T, v - 1);
    if (TK(T, v)->low[0] && ends_with(TK(T, v)->low, "ing")) return false;
    return is_num(k) || (is_word(k) && (k->wbits & (AW_DET | AW_PREP)) &&
                         !(k->wbits & AW_PRON_PERSON));
}

/* ---- documents: sentences and tokens ---------------------------------------- */
int at_sent_of(const dossier_doc *doc, size_t pos)
{
    int lo = 0, hi = (int)doc->sentences.n - 1, best = 0;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (DS_SENT(doc, mid).start <= pos) {
            best = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

bool at_tok_range(actx *A, size_t a, size_t b, at_toks *T)
{
    at_qstate q = at_quote_at(A->doc->text, A->doc->text_len, a);
    dossier_status st = at_tokenize(A->r, A->doc->text, a, b, &q, T);
    if (st != DOSSIER_OK) A->st = st;
    return st == DOSSIER_OK;
}

/* Copy the cached tokens of a sentence into T (T's own buffer). */
static bool at_toks_copy(actx *A, const at_toks *from, at_toks *T)
{
    if (T->cap < from->n) {
        int cap = from->n < 16 ? 16 : from->n;
        at_tok *nt = ds_realloc(T->t, (size_t)cap * sizeof *nt);
        if (!nt) {
            A->st = DOSSIER_ENOMEM;
            return false;
        }
        T->t = nt;
        T->cap = cap;
    }
    if (from->n) memcpy(T->t, from->t, (size_t)from->n * sizeof *T->t);
    T->n = from->n;
    return true;
}

bool at_tok_sent(actx *A, int s, at_toks *T)
{
    const ds_sentence *S = &DS_SENT(A->doc, s);
    ds_attr_cache *C = A->cache;
    if (!C) return at_tok_range(A, S->start, S->end, T);
    size_t ns = A->doc->sentences.n;
    if (C->n < ns) {
        at_toks *nt = ds_realloc(C->sent, ns * sizeof *nt);
        if (!nt) {
            A->st = DOSSIER_ENOMEM;
            return false;
        }
        C->sent = nt;
        bool *nd = ds_realloc(C->done, ns * sizeof *nd);
        if (!nd) {
            A->st = DOSSIER_ENOMEM;
            return false;
        }
        C->done = nd;
        for (size_t i = C->n; i < ns; i++) {
            C->sent[i] = (at_toks){0};
            C->done[i] = false;
        }
        C->n = ns;
    }
    if (!C->done[s]) {
        if (C->ntok > AT_CACHE_TOKENS) {
            for (size_t i = 0; i < C->n; i++) {
                at_toks_free(&C->sent[i]);
                C->done[i] = false;
            }
            C->ntok = 0;
        }
        if (!at_tok_range(A, S->start, S->end, &C->sent[s])) return false;
        C->done[s] = true;
        C->ntok += (size_t)C->sent[s].n;
    }
    return at_toks_copy(A, &C->sent[s], T);
}

ds_attr_cache *ds_attr_cache_new(void) { return ds_calloc(1, sizeof(ds_attr_cache)); }

void ds_attr_cache_free(ds_attr_cache *C)
{
    if (!C) return;
    for (size_t i = 0; i < C->n; i++) at_toks_free(&C->sent[i]);
    ds_free(C->sent);
    ds_free(C->done);
    ds_free(C);
}

bool at_tok_plain(actx *A, size_t a, size_t b, at_toks *T)
{
    at_qstate q = {-1, -1};
    dossier_status st = at_tokenize(A->r, A->doc->text, a, b, &q, T);
    if (st != DOSSIER_OK) A->st = st;
    return st == DOSSIER_OK;
}

spk at_make_spk(const at_toks *T, const subj *S, int sent)
{
    spk r = {0};
    if (S->name.a >= S->name.b) return r;
    r.found = true;
    r.sent = sent;
    r.s = TK(T, S->name.a)->s;
    r.e = TK(T, S->name.b - 1)->e;
    np d = S->desc.a < S->desc.b ? S->desc : S->name;
    r.ds = TK(T, d.a)->s;
    r.de = TK(T, d.b - 1)->e;
    if (r.ds > r.s) r.ds = r.s;
    if (r.de < r.e) r.de = r.e;
    return r;
}

/* ---- kinds ------------------------------------------------------------------ */
/* Kind of a description; *head gets the lower-cased head noun (or ""). */
ds_speaker_kind at_kind_of(actx *A, size_t a, size_t b, char head[AT_LOWMAX])
{
    head[0] = 0;
    at_toks T = {0};
    if (!at_tok_plain(A, a, b, &T)) return DS_KIND_NONE;
    int captive = 0, before_prep = 0, any = 0;
    bool seen_prep = false, seen_word = false;
    char hb[AT_LOWMAX] = "", ha[AT_LOWMAX] = "";
    for (int i = 0; i < T.n; i++) {
        const at_tok *k = TK(&T, i);
        if (is_p(k, '(')) {   /* "(HUR)": an acronym adds nothing */
            while (i < T.n && !is_p(TK(&T, i), ')')) i++;
            continue;
        }
        if (!is_word(k)) continue;
        if (seen_word && ((k->wbits & AW_PREP) || is_low(k, "who") || is_low(k, "whose") ||
                          is_low(k, "which")))
            seen_prep = true;   /* the head comes before "of …", "whose unit …" */
        seen_word = true;
        int val, e = at_match(A->r, &T, i, AL_SPEAKER, &val);
        if (e < 0) continue;
        if (val == DS_KIND_CAPTIVE) captive = 1;
        if (val == DS_KIND_UNKNOWN && (before_prep || any)) {   /* "man": weakest */
            i = e - 1;
            continue;
        }
        if (val == DS_KIND_CAPTIVE && !ends_with(TK(&T, e - 1)->low, "ed")) {
            /* "prisoners": a captive noun is a head too */
            if (!seen_prep) snprintf(hb, sizeof hb, "%s", TK(&T, e - 1)->low);
            snprintf(ha, sizeof ha, "%s", TK(&T, e - 1)->low);
        }
        if (!seen_prep && val != DS_KIND_CAPTIVE) {
            before_prep = val;
            snprintf(hb, sizeof hb, "%s", TK(&T, e - 1)->low);
        }
        if (val != DS_KIND_CAPTIVE) {
            any = val;
            snprintf(ha, sizeof ha, "%s", TK(&T, e - 1)->low);
        }
        i = e - 1;
    }
    at_toks_free(&T);
    snprintf(head, AT_LOWMAX, "%s", before_prep ? hb : ha);
    if (captive) return DS_KIND_CAPTIVE;
    if (before_prep == DS_KIND_UNKNOWN && any) before_prep = any;
    return (ds_speaker_kind)(before_prep ? before_prep : any);
}

static void at_singular(char *w)
{
    size_t n = strlen(w);
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's') w[n - 1] = 0;
}

/* A combatant speaker ("A Russian soldier claims …") is a captive when the
 * sentences around describe a captured one with the same head noun. */
bool at_captive_nearby(actx *A, int sent, const char *head)
{
    char h[AT_LOWMAX];
    snprintf(h, sizeof h, "%s", head);
    at_singular(h);
    int n = (int)A->doc->sentences.n;
    for (int s = sent - 6 < 0 ? 0 : sent - 6; s < n && s <= sent + 6; s++) {
        at_toks T = {0};
        if (!at_tok_sent(A, s, &T)) return false;
        bool hit = false;
        for (int i = 0; i < T.n && !hit; i++) {
            int val;
            if (!at_is(A->r, TK(&T, i), AL_SPEAKER, &val) || val != DS_KIND_CAPTIVE) continue;
            if (is_low(TK(&T, i), "the") ) continue;
            for (int k = i; k < T.n && k <= i + 3 && !hit; k++) {
                char w[AT_LOWMAX];
                snprintf(w, sizeof w, "%s", TK(&T, k)->low);
                at_singular(w);
                if (strcmp(w, h) == 0) hit = true;
            }
        }
        at_toks_free(&T);
        if (hit) return true;
    }
    return false;
}

/* ---- resolution of "he", "they", "the soldier" ------------------------------- */
static bool at_find_speakers_in(actx *A, int s, spk *out, int depth, bool plural);
static bool at_resolve_noun(actx *A, int sent, const char *noun, spk *out);

/* What a speaker phrase needs: 0 nothing, 1 a person ("he"), 2 a group
 * ("they"), 3 an antecedent with the same noun ("the soldier"). */
static int at_needs_resolution(actx *A, const spk *p, char noun[AT_LOWMAX])
{
    at_toks T = {0};
    if (!at_tok_plain(A, p->s, p->e, &T)) return 0;
    int need = 0;
    if (T.n == 1 && (TK(&T, 0)->wbits & AW_PRON_PERSON)) need = 1;
    else if (T.n == 1 && (TK(&T, 0)->wbits & AW_PRON_PLURAL)) need = 2;
    else if (T.n >= 2 && T.n <= 3 && (TK(&T, 0)->wbits & AW_DEFINITE) &&
             at_is(A->r, TK(&T, T.n - 1), AL_SPEAKER, NULL)) {
        need = 3;
        for (int i = 1; i < T.n; i++)
            if (TK(&T, i)->cap) need = 0;
        snprintf(noun, AT_LOWMAX, "%s", TK(&T, T.n - 1)->low);
    }
    at_toks_free(&T);
    return need;
}

bool at_resolve(actx *A, spk *p, int depth)
{
    char noun[AT_LOWMAX] = "";
    int need = at_needs_resolution(A, p, noun);
    if (!need || depth > 4) return false;
    spk r = {0};
    bool ok = false;
    int val = 0;
    if (need == 3) {
        at_toks T = {0};
        if (!at_tok_plain(A, p->s, p->e, &T)) return false;
        at_is(A->r, TK(&T, T.n - 1), AL_SPEAKER, &val);
        at_toks_free(&T);
    }
    if (need == 3 && val != DS_KIND_UNKNOWN) {
        ok = at_resolve_noun(A, p->sent, noun, &r);
    } else {
        for (int s = p->sent - 1; s >= 0 && s >= p->sent - 8 && !ok; s--)
            ok = at_find_speakers_in(A, s, &r, depth + 1, need == 2);
    }
    if (ok) *p = r;
    return ok;
}

/* Is the phrase a person (a name or a singular person noun), not a place or
 * a body? */
bool at_person_like(actx *A, const spk *p, bool plural)
{
    char head[AT_LOWMAX];
    ds_speaker_kind k = at_kind_of(A, p->ds, p->de, head);
    if (plural) return k != DS_KIND_NONE || ends_with(head, "s");
    if (k == DS_KIND_ORGANISATION || k == DS_KIND_MEDIA) {
        /* "Andriy Yusov, a representative for … agency": the name decides;
         * "U.N. Independent International Commission" is no person */
        at_toks T = {0};
        if (!at_tok_plain(A, p->s, p->e, &T)) return false;
        bool name = T.n >= 2;
        for (int i = 0; i < T.n; i++)
            if (!is_word(TK(&T, i)) || !TK(&T, i)->cap) name = false;
        at_toks_free(&T);
        char h2[AT_LOWMAX];
        return name && at_kind_of(A, p->s, p->e, h2) == DS_KIND_NONE;
    }
    if (k != DS_KIND_NONE) return !(ends_with(head, "s") && strcmp(head, "witness") != 0);
    if (ds_is_place(A->ctx, A->doc->text + p->s, p->e - p->s)) return false;
    at_toks T = {0};
    if (!at_tok_plain(A, p->s, p->e, &T)) return false;
    bool ok = T.n >= 1 && TK(&T, 0)->cap;
    if (T.n == 1 && ok && !A->ctx->gaz) {
        /* a single word: without a gazetteer to tell "Russia" from "Zelensky",
         * a state or body unless it names no party */
        ds_party pc = {0};
        if (ds_party_code(A->ctx, A->doc->text + p->s, p->e - p->s, &pc) &&
            pc.role != DS_ROLE_UNK)
            ok = false;
    }
    at_toks_free(&T);
    return ok;
}

/* The last compatible speaker of a speech verb in sentence s. */
static bool at_find_speakers_in(actx *A, int s, spk *out, int depth, bool plural)
{
    at_toks T = {0};
    if (!at_tok_sent(A, s, &T)) return false;
    bool found = false;
    for (int i = 0; i < T.n; i++) {
        const at_tok *k = TK(&T, i);
        int val, e;
        if (k->inq || k->cap || (e = at_match(A->r, &T, i, AL_VERB, &val)) < 0) continue;
        if (at_adjectival(&T, i, 0)) continue;
        subj S = at_find_subject(A, &T, 0, T.n, i, e);
        spk p = at_make_spk(&T, &S, s);
        if (!p.found) continue;
        char noun[AT_LOWMAX];
        int need = at_needs_resolution(A, &p, noun);
        if (need) {
            if (need == (plural ? 2 : 1) || need == 3) {
                if (at_resolve(A, &p, depth) || (need == 3 && at_person_like(A, &p, plural))) {
                    *out = p;
                    found = true;
                }
            }
            continue;
        }
        if (at_person_like(A, &p, plural)) {
            *out = p;
            found = true;
        }
    }
    bool one_name = T.n >= 3 && is_p(TK(&T, 1), ',') && is_word(TK(&T, 2)) &&
                    (TK(&T, 2)->wbits & AW_DET);   /* "Mykola, a marine from …," */
    /* "Zelensky visited the front." */
    bool subject = T.n >= 3 && is_word(TK(&T, 1)) && !TK(&T, 1)->cap &&
                   !(TK(&T, 1)->wbits & (AW_PREP | AW_DET | AW_BOUNDARY)) &&
                   !ends_with(TK(&T, 0)->low, "'s");
    if (!found && !plural && T.n >= 2 && TK(&T, 0)->cap && is_word(TK(&T, 0)) &&
        ((TK(&T, 1)->cap && is_word(TK(&T, 1))) || one_name || subject) &&
        !(TK(&T, 0)->wbits & (AW_DET | AW_PRON_PERSON | AW_PRON_PLURAL | AW_BOUNDARY | AW_PREP))) {
        /* "Maria Ivanova, 54, lives near the front line." */
        int b = 1;
        while (b < T.n && is_word(TK(&T, b)) && TK(&T, b)->cap) b++;
        int d = b;
        if (one_name)   /* the appositive describes the name */
            for (d = 2; d < T.n && !is_break(TK(&T, d)); d++) {}
        subj S = {{0, b}, {0, d}, false, false};
        spk p = at_make_spk(&T, &S, s);
        if (at_person_like(A, &p, false)) {
            *out = p;
            found = true;
        }
    }
    at_toks_free(&T);
    return found;
}

/* "the soldier": the nearest earlier mention of a soldier that says more
 * than "the soldier". */
static bool at_resolve_noun(actx *A, int sent, const char *noun, spk *out)
{
    char want[AT_LOWMAX];
    snprintf(want, sizeof want, "%s", noun);
    at_singular(want);
    for (int s = sent - 1; s >= 0 && s >= sent - 15; s--) {
        at_toks T = {0};
        if (!at_tok_sent(A, s, &T)) return false;
        bool ok = false;
        for (int i = T.n - 1; i >= 0 && !ok; i--) {
            const at_tok *k = TK(&T, i);
            char w[AT_LOWMAX];
            if (!is_word(k) || k->inq) continue;
            snprintf(w, sizeof w, "%s", k->low);
            at_singular(w);
            if (strcmp(w, want) != 0) continue;
            np p = at_np_back(A, &T, i, 0);
            int words = p.b - p.a;
            bool bare = words <= 2 && (TK(&T, p.a)->wbits & AW_DEFINITE);
            if (bare) continue;
            subj S = {p, p, false, false};
            /* "Oleksandr Stupun, a spokesman for …": the name it describes */
            if (p.a >= 2 && is_p(TK(&T, p.a - 1), ',')) {
                np nm = at_np_back(A, &T, p.a - 2, 0);
                bool name = nm.a < nm.b;
                for (int q = nm.a; q < nm.b; q++)
                    if (!is_word(TK(&T, q)) || !TK(&T, q)->cap) name = false;
                int e = p.b;
                while (e < T.n && !is_break(TK(&T, e))) e++;
                if (name) S = (subj){nm, {nm.a, e}, false, false};
            }
            *out = at_make_spk(&T, &S, s);
            ok = out->found;
        }
        at_toks_free(&T);
        if (ok) return true;
    }
    return false;
}
