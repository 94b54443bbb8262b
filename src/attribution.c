/*
 * attribution.c — who makes a claim (speaker, with a kind), who passed it on
 * (relays, nearest first), the speech verb, the evidence the text names and
 * the claim's modality (records v1: attribution, evidence, modality).
 *
 * For a claim whose event word sits at c->trigger_start:
 *   1. Frame.  Inside a quotation (which may have opened paragraphs earlier:
 *      a paragraph opening with a quote mark continues an unclosed one), the
 *      frame is the text around the quotation: `X said: "…` before it or
 *      `…," he said, according to Y.` after it.  Outside quotes the frame is
 *      the sentence: the nearest speech verb before the event ("Ukraine says
 *      Russia has lost…"), or a trailing one after a comma ("…, officials
 *      said.").
 *   2. Speaker: the subject of the speech verb, found by a shallow scan over
 *      words (appositives "X, a spokesman for Y, said", inversion "said X",
 *      relatives "a lawmaker, who wrote", participles "footage of a soldier
 *      saying", coordination "Putin hailed … and blamed").  Pronouns and bare
 *      definites ("he", "the soldier") are resolved to the nearest compatible
 *      mention in the sentences before.
 *   3. Relays: "according to X", "obtained by X", "told X" (X media),
 *      "X has released footage of …".
 *   4. Evidence: phrases of data/attribution/evidence.txt in the claim's
 *      sentence and its frame.
 *   5. Modality: the speech verb's, then cues: disputed > hypothetical (a
 *      modal or "if" governing the event) > alleged (hedges) > confirmed.
 * Lexicons, tokenizer and matcher live in attr_lex.c; phrases, subjects,
 * kinds and resolution in attr_speaker.c.
 */
#include "attr_lex.h"

#include <stdio.h>
#include <string.h>

dossier_status ds_attr_rules_load(const char *data_dir, ds_attr_rules **out, char *err,
                                  size_t errlen)
{
    return at_rules_load(data_dir, out, err, errlen);
}

void ds_attr_rules_free(ds_attr_rules *r) { at_rules_free(r); }


/* ---- building the attribution -------------------------------------------------- */
static const char *strip_article(const char *s, size_t *n)
{
    static const char *const arts[] = {"a ", "an ", "the "};
    for (size_t i = 0; i < DS_ARRAY_LEN(arts); i++) {
        size_t k = strlen(arts[i]);
        if (*n > k && ds_ieq(s, arts[i], k)) {
            s += k;
            *n -= k;
            break;
        }
    }
    return s;
}

static bool set_party(actx *A, ds_party *out, size_t s, size_t e, size_t ds, size_t de)
{
    size_t n = e - s;
    const char *t = strip_article(A->doc->text + s, &n);
    out->text = ds_arena_strndup(A->doc->arena, t, n);
    if (!out->text) {
        A->st = DOSSIER_ENOMEM;
        return false;
    }
    ds_party pc = {0};
    out->country[0] = 0;
    out->role = DS_ROLE_NONE;
    if (ds_party_code(A->ctx, A->doc->text + ds, de - ds, &pc)) {
        memcpy(out->country, pc.country, sizeof out->country);
        out->role = pc.role;
    }
    return true;
}

static ds_speaker_kind kind_from_role(ds_role r)
{
    switch (r) {
    case DS_ROLE_GOV:
    case DS_ROLE_JUD: return DS_KIND_OFFICIAL;
    case DS_ROLE_MIL: return DS_KIND_COMBATANT;
    case DS_ROLE_SPY:
    case DS_ROLE_IGO:
    case DS_ROLE_HRI: return DS_KIND_ORGANISATION;
    case DS_ROLE_MED: return DS_KIND_MEDIA;
    case DS_ROLE_CVL: return DS_KIND_WITNESS;
    default: return DS_KIND_UNKNOWN;
    }
}

static void fill_speaker(actx *A, ds_attribution *at, spk p)
{
    at_resolve(A, &p, 0);
    if (!set_party(A, &at->speaker, p.s, p.e, p.ds, p.de)) return;
    char head[AT_LOWMAX];
    ds_speaker_kind k = at_kind_of(A, p.ds, p.de, head);
    if (k == DS_KIND_ORGANISATION && at_person_like(A, &p, false)) k = DS_KIND_OFFICIAL;
    if (k == DS_KIND_COMBATANT && head[0] && at_captive_nearby(A, p.sent, head))
        k = DS_KIND_CAPTIVE;
    /* "the UN human rights office" is an organisation, "a spokesperson for
     * the Red Cross" stays an official */
    if ((at->speaker.role == DS_ROLE_IGO || at->speaker.role == DS_ROLE_HRI) &&
        (k == DS_KIND_NONE || (at_word_bits(A->r, head) & AW_BODY)))
        k = DS_KIND_ORGANISATION;
    if (k == DS_KIND_NONE) k = kind_from_role(at->speaker.role);
    at->kind = k;
}

static bool overlaps(size_t a, size_t b, size_t c, size_t d) { return a < d && c < b; }

typedef struct relay_c {
    size_t s, e;
    size_t dist;
} relay_c;

/* Relays named in tokens T (a frame sentence); verb_pos orders them. */
static void find_relays(actx *A, const at_toks *T, size_t verb_pos, relay_c *out, int *n,
                        int max, spk *speaker, bool *reported)
{
    for (int i = 0; i < T->n; i++) {
        const at_tok *k = TK(T, i);
        int val, e;
        if (k->inq || (e = at_match(A->r, T, i, AL_RELAY, &val)) < 0) continue;
        np p = {0, 0};
        if (val == AL_RELAY_AFTER) {
            p = at_np_fwd(A, T, e, T->n);
            if (p.a < p.b && is_low(TK(T, i), "according")) {
                *reported = true;
                /* "according to the report": reported, but nobody named */
                if (!at_np_has_noun_or_name(A, T, p)) continue;
                if (!speaker->found) {
                    subj S = {p, p, false, false};
                    *speaker = at_make_spk(T, &S, speaker->sent);
                    continue;
                }
            }
        } else if (val == AL_RELAY_MEDIA_OBJECT) {
            p = at_np_fwd(A, T, e, T->n);
            if (p.a >= p.b) continue;
            char head[AT_LOWMAX];
            ds_party pc = {0};
            size_t s = TK(T, p.a)->s, en = TK(T, p.b - 1)->e;
            /* "told the Kyiv Post", "told Human Rights Watch"; not "told
             * his mother" or "told Zelensky" */
            ds_speaker_kind k = at_kind_of(A, s, en, head);
            bool party = ds_party_code(A->ctx, A->doc->text + s, en - s, &pc);
            bool body = k == DS_KIND_MEDIA || k == DS_KIND_ORGANISATION ||
                        (party && (pc.role == DS_ROLE_MED || pc.role == DS_ROLE_IGO ||
                                   pc.role == DS_ROLE_HRI)) ||
                        (is_low(TK(T, p.a), "the") && p.b - p.a >= 2 && TK(T, p.a + 1)->cap &&
                         k == DS_KIND_NONE);
            if (!body) continue;
        } else {   /* release: "X has released footage of …" */
            bool ev = false;
            for (int k2 = e; k2 < T->n && k2 <= e + 3; k2++) {
                int v2;
                if (at_match(A->r, T, k2, AL_EVID, &v2) >= 0) ev = true;
            }
            if (!ev) continue;
            bool passive = false;
            int j = at_skip_back(T, i - 1, 0, &passive);
            if (passive || j < 0) continue;
            p = at_np_back(A, T, j, 0);
        }
        if (p.a >= p.b || *n >= max) continue;
        bool named = false;   /* "told reporters" names no relay */
        for (int q = p.a; q < p.b; q++)
            if (is_word(TK(T, q)) && TK(T, q)->cap && !(TK(T, q)->wbits & AW_DET)) named = true;
        if (!named) continue;
        size_t s = TK(T, p.a)->s, en = TK(T, p.b - 1)->e;
        if (speaker->found && overlaps(s, en, speaker->s, speaker->e)) continue;
        bool dup = false;
        for (int r = 0; r < *n; r++)
            if (overlaps(s, en, out[r].s, out[r].e)) dup = true;
        if (dup) continue;
        out[*n].s = s;
        out[*n].e = en;
        out[*n].dist = s > verb_pos ? s - verb_pos : verb_pos - s;
        (*n)++;
    }
}

/* ---- evidence and modality ------------------------------------------------------- */
static unsigned evidence_in(actx *A, const at_toks *T)
{
    unsigned bits = 0;
    /* longest phrase first: a token belongs to one phrase */
    char *used = ds_calloc((size_t)T->n + 1, 1);
    if (!used) {
        A->st = DOSSIER_ENOMEM;
        return 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < T->n; i++) {
            int val, e = at_match(A->r, T, i, AL_EVID, &val);
            if (e < 0 || used[i] || val == AL_EVID_WITNESS_VERB) continue;
            if (pass == 0 && e - i < 2) continue;   /* phrases first, then words */
            bool free_ = true;
            for (int k = i; k < e; k++)
                if (used[k]) free_ = false;
            if (!free_) continue;
            for (int k = i; k < e; k++) used[k] = 1;
            if (val <= DS_EVID__BITS) bits |= 1u << (val - 1);
        }
    }
    ds_free(used);
    return bits;
}

/* Does the hypothetical cue at [h, he) govern the event at token ti? */
static bool governs(const at_toks *T, int h, int he, int ti)
{
    if (TK(T, h)->cap && is_low(TK(T, h), "may")) return false;   /* May 24 */
    /* "If they find us, they will kill us": a clause-initial "if" governs
     * the clause after its comma */
    if ((is_low(TK(T, h), "if") || is_low(TK(T, h), "unless")) &&
        (h == 0 || is_break(TK(T, h - 1)))) {
        int c = he;
        while (c < T->n && !is_break(TK(T, c))) c++;
        if (c < T->n && is_p(TK(T, c), ',') && ti > c && ti - c <= 8) {
            bool ok = true;
            for (int k = c + 1; k < ti; k++)
                if (is_break(TK(T, k))) ok = false;
            if (ok) return true;
        }
    }
    if (he <= ti) {
        if (ti - he > 6) return false;
        for (int k = he; k < ti; k++) {
            const at_tok *t = TK(T, k);
            if (is_break(t) || (is_word(t) && !t->cap && (t->wbits & AW_BOUNDARY) &&
                                !is_low(t, "if")))
                return false;
        }
        return true;
    }
    /* "the capture of Konstantinovka would …" */
    if (ti > 0 && (TK(T, ti - 1)->wbits & AW_DET) && h > ti && h - ti <= 6) {
        if (!is_low(TK(T, ti + 1 < T->n ? ti + 1 : ti), "of")) return false;
        for (int k = ti + 1; k < h; k++)
            if (is_break(TK(T, k)) || (TK(T, k)->wbits & (AW_BOUNDARY | AW_SKIP))) return false;
        return true;
    }
    return false;
}

static ds_modality cue_modality(actx *A, const at_toks *T, int ti, ds_modality base)
{
    bool disputed = false, hyp = false, hedge = false, confirmed = false;
    for (int i = 0; i < T->n; i++) {
        int val, e = at_match(A->r, T, i, AL_CUE, &val);
        if (e < 0) continue;
        switch (val) {
        case DS_MOD_DISPUTED: disputed = true; break;
        case DS_MOD_ALLEGED: hedge = true; break;
        case DS_MOD_CONFIRMED: confirmed = true; break;
        case DS_MOD_HYPOTHETICAL:
            if (ti >= 0 && governs(T, i, e, ti)) hyp = true;
            break;
        default: break;
        }
        i = e - 1;
    }
    if (base == DS_MOD_DENIED) return base;
    if (disputed || base == DS_MOD_DISPUTED) return DS_MOD_DISPUTED;
    if (hyp) return DS_MOD_HYPOTHETICAL;
    if (hedge || base == DS_MOD_ALLEGED) return DS_MOD_ALLEGED;
    if (confirmed || base == DS_MOD_CONFIRMED) return DS_MOD_CONFIRMED;
    return base;
}

/* ---- frames ----------------------------------------------------------------------- */
typedef struct frame {
    int sent;          /* sentence of the speech verb, -1 none */
    at_toks T;         /* tokens of the region searched */
    int v, vend;       /* speech verb tokens in T, v < 0 none */
    int mod;           /* its modality */
} frame;

/* Quotation around pos: opening offset (following unclosed quotes back over
 * paragraphs that open with a quote mark) and closing offset (or -1). */
static bool quote_around(const dossier_doc *doc, size_t pos, long *open, long *close)
{
    const char *t = doc->text;
    size_t len = doc->text_len;
    at_qstate q = at_quote_at(t, len, pos);
    if (q.dq < 0 && q.sq < 0) return false;
    long o = q.dq >= 0 && (q.sq < 0 || q.dq < q.sq) ? q.dq : q.sq;
    for (int guard = 0; guard < 30; guard++) {
        size_t ps = at_para_start(t, (size_t)o);
        size_t k = ps;
        while (k < (size_t)o && (t[k] == ' ' || t[k] == '\t')) k++;
        if (k != (size_t)o || ps < 2 || t[ps - 1] != '\n') break;
        at_qstate pq = at_quote_at(t, len, ps - 2);
        if (pq.dq < 0 && pq.sq < 0) break;
        o = pq.dq >= 0 && (pq.sq < 0 || pq.dq < pq.sq) ? pq.dq : pq.sq;
    }
    *open = o;
    *close = -1;
    size_t pe = at_para_end(t, len, pos);
    for (size_t i = pos; i < pe;) {
        int ev;
        size_t at = i;
        i += at_quote_step(t, len, i, &q, &ev);
        if (q.dq < 0 && q.sq < 0) {
            *close = (long)at;   /* the closing mark itself */
            break;
        }
    }
    return true;
}

/* Speech verbs in T outside quotes: the last one (last=true) or the first. */
/* Is the speech verb at v inside a fronted subordinate clause that a comma
 * closes before hi ("After the governor said the town was safe, troops
 * shelled it")?  "As officials said, …" does attribute. */
static bool fronted_clause(const at_toks *T, int v, int hi)
{
    int k = v - 1;
    while (k >= 0 && !is_break(TK(T, k))) k--;
    const at_tok *first = TK(T, k + 1);
    if (!is_word(first) || !(first->wbits & AW_BOUNDARY) || is_low(first, "as") ||
        is_low(first, "that") || is_low(first, "according"))
        return false;
    for (int i = v + 1; i < hi; i++)
        if (is_p(TK(T, i), ',') && !TK(T, i)->inq) return true;
    return false;
}

static int pick_verb(actx *A, const at_toks *T, int lo, int hi, bool last, int *vend, int *mod)
{
    int best = -1;
    for (int i = lo; i < hi; i++) {
        const at_tok *k = TK(T, i);
        int val, e;
        if (k->inq || k->cap || (e = at_match(A->r, T, i, AL_VERB, &val)) < 0) continue;
        if (at_adjectival(T, i, 0)) continue;
        /* "denied reports": a speech word right after a speech verb is its
         * object; but "the report said" */
        if (i > 0 && at_speech_verb_word(A, TK(T, i - 1)) && !at_adjectival(T, i - 1, 0))
            continue;
        /* "bodies were found", "soldiers were told to": a passive reports
         * nothing unless it has an agent or is a reporting form ("it was
         * reported", "has been accused") */
        bool pas = false;
        at_skip_back(T, i - 1, 0, &pas);
        if (pas && !(e < T->n && is_low(TK(T, e), "by")) && !(k->wbits & AW_PASSIVE_SPEECH))
            continue;
        best = i;
        *vend = e;
        *mod = val;
        /* "did not confirm", "has not verified": unconfirmed, not confirmed */
        for (int k = i - 1; k >= 0 && k >= i - 3 && is_word(TK(T, k)) &&
                            (TK(T, k)->wbits & AW_SKIP);
             k--)
            if ((is_low(TK(T, k), "not") || is_low(TK(T, k), "never")) &&
                val == DS_MOD_CONFIRMED)
                *mod = DS_MOD_DISPUTED;
        if (!last) break;
        i = e - 1;
    }
    return best;
}

dossier_status ds_attribute(const dossier_ctx *ctx, const dossier_doc *doc, ds_claim *c)
{
    return ds_attribute_cached(ctx, doc, NULL, c);
}

dossier_status ds_attribute_cached(const dossier_ctx *ctx, const dossier_doc *doc,
                                   ds_attr_cache *cache, ds_claim *c)
{
    memset(&c->attribution, 0, sizeof c->attribution);
    c->evidence = 0;
    c->modality = DS_MOD_ASSERTED;
    if (!ctx || !ctx->attr || !doc || c->sentence < 0 || (size_t)c->sentence >= doc->sentences.n)
        return DOSSIER_OK;
    actx A = {ctx, doc, ctx->attr, DOSSIER_OK, cache};
    const ds_sentence *S = &DS_SENT(doc, c->sentence);
    size_t tpos = c->trigger_end > c->trigger_start ? c->trigger_start : S->start;
    if (tpos < S->start || tpos >= S->end) tpos = S->start;

    at_toks CT = {0};   /* the claim's sentence */
    frame F = {.sent = -1, .v = -1};
    if (!at_tok_sent(&A, c->sentence, &CT)) goto done;
    int ti = 0;
    while (ti < CT.n && CT.t[ti].e <= tpos) ti++;
    if (ti >= CT.n) ti = CT.n - 1;

    long qo, qc;
    bool inquote = ti >= 0 && CT.n && CT.t[ti].inq && quote_around(doc, tpos, &qo, &qc);
    if (inquote) {
        /* before the quotation: `X said: "…` */
        int so = at_sent_of(doc, (size_t)qo);
        if (!at_tok_range(&A, DS_SENT(doc, so).start, (size_t)qo, &F.T)) goto done;
        int vend = 0, mod = 0;
        int v = pick_verb(&A, &F.T, 0, F.T.n, true, &vend, &mod);
        if (v >= 0) {
            F.sent = so;
            F.v = v;
            F.vend = vend;
            F.mod = mod;
        } else if (qc >= 0) {   /* after it: `…," he said.` */
            int sc = at_sent_of(doc, (size_t)qc);
            at_toks_free(&F.T);
            at_qstate q = at_quote_at(doc->text, doc->text_len, (size_t)qc);
            if ((A.st = at_tokenize(A.r, doc->text, (size_t)qc, DS_SENT(doc, sc).end, &q,
                                    &F.T)) != DOSSIER_OK)
                goto done;
            v = pick_verb(&A, &F.T, 0, F.T.n, false, &vend, &mod);
            if (v >= 0) {
                F.sent = sc;
                F.v = v;
                F.vend = vend;
                F.mod = mod;
            }
        }
    }
    if (inquote && F.v < 0) {
        /* a quotation standing alone continues the last quoted speaker */
        int so = at_sent_of(doc, (size_t)qo);
        for (int s2 = so - 1; s2 >= 0 && s2 >= so - 3 && F.v < 0; s2--) {
            at_toks_free(&F.T);
            if (!at_tok_sent(&A, s2, &F.T)) goto done;
            bool quoted = false;
            for (int i = 0; i < F.T.n; i++)
                if (is_quote(TK(&F.T, i))) quoted = true;
            if (!quoted) continue;
            int vend = 0, mod = 0;
            int v = pick_verb(&A, &F.T, 0, F.T.n, true, &vend, &mod);
            if (v >= 0) {
                F.sent = s2;
                F.v = v;
                F.vend = vend;
                F.mod = mod;
            }
        }
    }
    if (F.v < 0) {
        /* the sentence: nearest speech verb before the event, else a trailing one */
        at_toks_free(&F.T);
        if (!at_tok_sent(&A, c->sentence, &F.T)) goto done;
        int vend = 0, mod = 0;
        int v = pick_verb(&A, &F.T, 0, ti, true, &vend, &mod);
        if (v >= 0 && fronted_clause(&F.T, v, ti)) v = -1;
        if (v >= 0) {
            /* "X told Y that incidents have been recorded": an agentless
             * passive inside another speech verb's complement */
            subj Sj = at_find_subject(&A, &F.T, 0, F.T.n, v, vend);
            bool pron = Sj.name.b - Sj.name.a == 1 &&
                        (TK(&F.T, Sj.name.a)->wbits & (AW_PRON_PERSON | AW_PRON_PLURAL));
            int ve2, m2;
            int v2 = Sj.passive || pron ? pick_verb(&A, &F.T, 0, v, true, &ve2, &m2) : -1;
            if (v2 >= 0) {
                subj S2 = at_find_subject(&A, &F.T, 0, F.T.n, v2, ve2);
                if (S2.name.a < S2.name.b) {
                    v = v2;
                    vend = ve2;
                    mod = m2;
                }
            }
        }
        if (v < 0) {
            for (int i = ti + 1; i < F.T.n; i++) {
                int ve2, m2;
                int v2 = pick_verb(&A, &F.T, i, F.T.n, false, &ve2, &m2);
                if (v2 < 0) break;
                subj Sj = at_find_subject(&A, &F.T, 0, F.T.n, v2, ve2);
                if (Sj.name.a < Sj.name.b) {
                    int before = Sj.name.a < v2 ? Sj.name.a - 1 : v2 - 1;
                    if (Sj.by_agent || (before >= 0 && (is_p(TK(&F.T, before), ',') ||
                                                        TK(&F.T, before)->kind == AT_QCLOSE))) {
                        v = v2;
                        vend = ve2;
                        mod = m2;
                        break;
                    }
                }
                i = ve2 - 1;
            }
        }
        if (v >= 0) {
            F.sent = c->sentence;
            F.v = v;
            F.vend = vend;
            F.mod = mod;
        }
    }

    ds_attribution *at = &c->attribution;
    spk speaker = {0};
    speaker.sent = F.sent >= 0 ? F.sent : c->sentence;
    ds_modality base = DS_MOD_ASSERTED;
    if (F.v >= 0) {
        subj Sj = at_find_subject(&A, &F.T, 0, F.T.n, F.v, F.vend);
        speaker = at_make_spk(&F.T, &Sj, F.sent);
        speaker.sent = F.sent;
        base = (ds_modality)F.mod;
        /* "were denied medical care" is no denial */
        if (Sj.passive && base == DS_MOD_DENIED) base = DS_MOD_ASSERTED;
        else {
            size_t vs = TK(&F.T, F.v)->s, ve = TK(&F.T, F.vend - 1)->e;
            at->verb = ds_arena_strndup(doc->arena, doc->text + vs, ve - vs);
            if (!at->verb) A.st = DOSSIER_ENOMEM;
            at->present = true;
        }
    }
    if (F.v < 0 && !inquote) {
        /* "Russia's claim that Ukraine shelled the plant" */
        for (int i = 1; i < ti; i++) {
            int val;
            if (CT.t[i].inq || at_match(A.r, &CT, i, AL_NOUN, &val) < 0) continue;
            const at_tok *pk = TK(&CT, i - 1);
            if (!is_word(pk) || !(ends_with(pk->low, "'s") || ends_with(pk->low, "s'"))) {
                /* "the claims that Russian troops executed …": said by nobody named */
                int nv;
                int ne = at_match(A.r, &CT, i, AL_NOUN, &nv);
                if (ne > 0 && ne < ti && is_low(TK(&CT, ne), "that") &&
                    (pk->wbits & (AW_DET | AW_PASSIVE)) &&
                    base == DS_MOD_ASSERTED) {
                    base = (ds_modality)nv;
                    at->present = true;
                }
                continue;
            }
            np p = at_np_back(&A, &CT, i - 1, 0);
            if (p.a >= p.b || !at_np_has_noun_or_name(&A, &CT, p)) continue;
            subj Sj = {p, p, false, false};
            speaker = at_make_spk(&CT, &Sj, c->sentence);
            /* drop the possessive ending: 's, s' or ’s */
            const char *t = doc->text;
            if (speaker.e >= 2 && t[speaker.e - 1] == 's' && t[speaker.e - 2] == '\'')
                speaker.e -= 2;
            else if (speaker.e >= 4 && t[speaker.e - 1] == 's' &&
                     (unsigned char)t[speaker.e - 2] == 0x99)
                speaker.e -= 4;
            else if (t[speaker.e - 1] == '\'')
                speaker.e -= 1;
            speaker.de = speaker.e;
            base = (ds_modality)val;
            at->present = true;
        }
    }
    if (F.v < 0 && !inquote && !speaker.found) {
        /* headline style "Ukraine: Russian troops executed prisoners" */
        int colon = -1;
        for (int i = 1; i < CT.n && i <= 5 && i < ti; i++)
            if (is_p(TK(&CT, i), ':')) {
                colon = i;
                break;
            }
        bool words = colon > 0 && TK(&CT, 0)->cap;
        for (int i = 0; words && i < colon; i++)
            if (!is_word(TK(&CT, i))) words = false;
        if (words) {
            np p = {0, colon};
            size_t s0 = TK(&CT, 0)->s, e0 = TK(&CT, colon - 1)->e;
            ds_party pc = {0};
            char head[AT_LOWMAX];
            if (ds_party_code(ctx, doc->text + s0, e0 - s0, &pc) ||
                at_kind_of(&A, s0, e0, head) != DS_KIND_NONE) {
                subj Sj = {p, p, false, false};
                speaker = at_make_spk(&CT, &Sj, c->sentence);
                base = DS_MOD_REPORTED;
            }
        }
    }
    /* relays (and "according to X" as the speaker when nobody else speaks) */
    relay_c rel[8];
    int nrel = 0;
    size_t vpos = F.v >= 0 ? TK(&F.T, F.v)->s : tpos;
    bool according = false;
    if (F.sent >= 0) find_relays(&A, &F.T, vpos, rel, &nrel, 8, &speaker, &according);
    if (F.sent != c->sentence) find_relays(&A, &CT, vpos, rel, &nrel, 8, &speaker, &according);
    if (F.v > 0 && speaker.found && nrel < 8) {
        /* "Zelensky said the soldiers told him …": the outer speaker passed
         * the inner one's claim on */
        int ve0, m0;
        int v0 = pick_verb(&A, &F.T, 0, F.v, true, &ve0, &m0);
        bool joined = v0 >= 0;   /* the inner verb in the outer one's clause, no ", but" */
        for (int q = v0 + 1; joined && q < F.v; q++)
            if (is_break(TK(&F.T, q)) && !TK(&F.T, q)->inq) joined = false;
        if (joined && !fronted_clause(&F.T, v0, F.v)) {
            subj S0 = at_find_subject(&A, &F.T, 0, F.T.n, v0, ve0);
            bool pron = S0.name.b - S0.name.a == 1 &&
                        (TK(&F.T, S0.name.a)->wbits & (AW_PRON_PERSON | AW_PRON_PLURAL));
            bool named = false;   /* a name, not "a video" or "Videos" */
            for (int q = S0.name.a; q < S0.name.b; q++) {
                const at_tok *t = TK(&F.T, q);
                int ev;
                if (is_word(t) && t->cap && !(t->wbits & AW_DET) &&
                    !(q == 0 && at_match(A.r, &F.T, q, AL_EVID, &ev) >= 0))
                    named = true;
            }
            if (S0.name.a < S0.name.b && !pron && named) {
                size_t s0 = TK(&F.T, S0.name.a)->s, e0 = TK(&F.T, S0.name.b - 1)->e;
                bool dup = overlaps(s0, e0, speaker.s, speaker.e);
                for (int r = 0; r < nrel; r++)
                    if (overlaps(s0, e0, rel[r].s, rel[r].e)) dup = true;
                if (!dup) {
                    rel[nrel].s = s0;
                    rel[nrel].e = e0;
                    rel[nrel].dist = vpos > s0 ? vpos - s0 : s0 - vpos;
                    nrel++;
                }
            }
        }
    }
    if (according) {
        at->present = true;
        if (base == DS_MOD_ASSERTED) base = DS_MOD_REPORTED;
    }
    if (A.st != DOSSIER_OK) goto done;
    if (speaker.found) {
        if (base == DS_MOD_ASSERTED) base = DS_MOD_REPORTED;
        at->present = true;
        fill_speaker(&A, at, speaker);
    }
    /* nearest first */
    for (int i = 1; i < nrel; i++)
        for (int k = i; k > 0 && rel[k].dist < rel[k - 1].dist; k--) {
            relay_c t = rel[k];
            rel[k] = rel[k - 1];
            rel[k - 1] = t;
        }
    for (int i = 0; i < nrel && at->nrelays < DS_MAX_RELAYS; i++) {
        if (speaker.found && overlaps(rel[i].s, rel[i].e, speaker.s, speaker.e)) continue;
        ds_party *p = &at->relays[at->nrelays];
        if (!set_party(&A, p, rel[i].s, rel[i].e, rel[i].s, rel[i].e)) goto done;
        char head[AT_LOWMAX];
        if (p->role == DS_ROLE_NONE && at_kind_of(&A, rel[i].s, rel[i].e, head) == DS_KIND_MEDIA)
            p->role = DS_ROLE_MED;
        at->nrelays++;
        at->present = true;
        if (base == DS_MOD_ASSERTED) base = DS_MOD_REPORTED;
    }

    c->evidence = evidence_in(&A, &CT);
    if (F.v >= 0 && at->speaker.text &&
        (at->kind == DS_KIND_WITNESS || at->kind == DS_KIND_CAPTIVE)) {
        int val;   /* "a resident told AFP": the account is testimony */
        if (at_match(A.r, &F.T, F.v, AL_EVID, &val) >= 0 && val == AL_EVID_WITNESS_VERB)
            c->evidence |= DS_EVID_TESTIMONY;
    }
    if (F.sent >= 0 && F.sent != c->sentence) c->evidence |= evidence_in(&A, &F.T);
    c->modality = cue_modality(&A, &CT, ti, base);

done:
    at_toks_free(&CT);
    at_toks_free(&F.T);
    return A.st;
}
