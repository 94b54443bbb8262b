/*
 * parties.c — party coding: a noun phrase → country (ISO alpha-3) and role
 * (MIL GOV SPY MED CVL IGO HRI JUD UNK), plus what the phrase says about a
 * victim (status, site, count noun, weapon).
 *
 * The country comes from the first named entity or demonym of the phrase
 * (data/parties/countries.tsv, actors.tsv: "Putin's troops" → RUS); the role
 * from the head noun (data/parties/roles.tsv: troops → MIL, civilians → CVL),
 * else from the entity ("Russia" → GOV, "the SBU" → SPY), else from a
 * modifier ("military") or a weapon ("Russian drones" → MIL).  Pronouns and
 * possessives are left to the caller (claims.c), which resolves them against
 * earlier mentions.
 */
#include "nlp.h"

#include <string.h>

bool ds_code_span(const ds_claim_rules *r, const ds_toks *ts, int a, int b, ds_pinfo *out)
{
    memset(out, 0, sizeof *out);
    out->head = -1;
    out->poss = -1;
    if (a < 0 || b > ts->n || a >= b) return false;
    ds_role head_role = DS_ROLE_NONE, ent_role = DS_ROLE_NONE, mod_role = DS_ROLE_NONE;
    bool have_head_role = false;
    ds_victim_status head_status = DS_STATUS_NONE, mod_status = DS_STATUS_NONE;
    bool found = false, weapon_head = false;
    for (int k = a; k < b; k++) {
        const ds_tok *t = &ts->t[k];
        if (t->tag == T_PRON) {
            if (b - a == 1) out->pronoun = true;
            out->poss = out->poss < 0 ? k : out->poss;
            continue;
        }
        if (t->tag == T_POSS) {
            if (out->poss < 0) out->poss = k;
            continue;
        }
        if (t->lex < 0 && t->nlex < 0) continue;   /* no lexicon entry starts here */
        if (ds_tok_has(r, ts, k, W_SELF)) out->own = true;
        /* entity or demonym (first one gives the country) */
        if (t->flags & TK_CAP) {
            int el, dl;
            int e = ds_phrase_at(r, ts, k, W_ENTITY, &el);
            int d = ds_phrase_at(r, ts, k, W_DEMONYM, &dl);
            int use = (e >= 0 && (d < 0 || el >= dl)) ? e : d;
            int ul = use == e ? el : dl;
            if (use >= 0 && k + ul <= b) {
                const ds_lex *L = &r->lex[use];
                bool cased_ok = !(L->f & WF(W_CASED)) || (t->flags & TK_ALLCAP);
                if (cased_ok) {
                    if (!out->p.country[0] && L->country[0] && ent_role == DS_ROLE_NONE)
                        memcpy(out->p.country, L->country, 4);
                    if (use == e && ent_role == DS_ROLE_NONE) {
                        ent_role = (ds_role)L->ent_role;
                        if (!L->country[0] && !out->p.country[0]) out->p.country[0] = 0;
                    }
                    if (use == d && (L->f & WF(W_PERSON))) {
                        /* "the Russians" */
                        head_role = (ds_role)L->role;
                        have_head_role = true;
                        out->person = true;
                        out->plural = true;
                        out->head = k;
                    }
                    found = true;
                    k += ul - 1;
                    continue;
                }
            }
        }
        if (t->tag != T_NOUN && t->tag != T_ADJ && t->tag != T_PROPN && t->tag != T_NUM &&
            t->tag != T_VERB)
            continue;
        /* role words and noun classes, phrases first */
        int rl;
        int re = ds_phrase_at(r, ts, k, W_ROLE, &rl);
        if (re < 0 && ts->t[k].nlex >= 0 && (r->lex[ts->t[k].nlex].f & WF(W_ROLE))) {
            re = ts->t[k].nlex;
            rl = 1;
        }
        if (re >= 0 && k + rl <= b) {
            const ds_lex *L = &r->lex[re];
            bool last = k + rl >= b || ts->t[k + rl].tag == T_PUNCT || ts->t[k + rl].tag == T_QUOTE;
            if ((L->f & WF(W_MOD)) && !(last && L->role)) {
                if (L->role) mod_role = (ds_role)L->role;
                if (L->status) mod_status = (ds_victim_status)L->status;
            } else {
                if (L->role || !have_head_role) head_role = (ds_role)L->role;
                have_head_role = true;
                if (L->status) head_status = (ds_victim_status)L->status;
                out->person = (L->f & WF(W_PERSON)) != 0;
                bool pl_form = ts->t[k + rl - 1].nlex >= 0 && ts->t[k + rl - 1].nlex != ts->t[k + rl - 1].lex;
                out->plural = (L->f & WF(W_PLUR)) || pl_form ||
                              (ts->low.p[ts->t[k + rl - 1].lo + ts->t[k + rl - 1].ln - 1] == 's' && rl == 1 &&
                               ts->t[k].lex != re);
                out->head = k + rl - 1;
            }
            found = true;
            k += rl - 1;
            continue;
        }
        int sl;
        int se = ds_phrase_at(r, ts, k, W_SITE, &sl);
        if (se < 0 && ts->t[k].nlex >= 0 && (r->lex[ts->t[k].nlex].f & WF(W_SITE))) {
            se = ts->t[k].nlex;
            sl = 1;
        }
        if (se >= 0 && k + sl <= b) {
            if (!out->site) out->site = (ds_site)r->lex[se].site;
            if (out->head < 0 || !out->person) out->head = k + sl - 1;
            k += sl - 1;
            continue;
        }
        int wl;
        int we = ds_phrase_at(r, ts, k, W_WEAPON, &wl);
        if (we < 0 && ts->t[k].nlex >= 0 && (r->lex[ts->t[k].nlex].f & WF(W_WEAPON))) {
            we = ts->t[k].nlex;
            wl = 1;
        }
        if (we >= 0 && k + wl <= b) {
            if (!out->weapon) out->weapon = (ds_mode)r->lex[we].mode;
            /* a weapon names a party only as the head: "Russian drones", not "a gun battle" */
            int after = k + wl;
            while (after < b && ts->t[after].tag == T_GEN) after++;
            if (after >= b || ts->t[after].tag != T_NOUN) weapon_head = true;
            k += wl - 1;
            continue;
        }
    }
    ds_role role = have_head_role && head_role ? head_role
                   : ent_role                 ? ent_role
                   : mod_role                 ? mod_role
                   : weapon_head              ? DS_ROLE_MIL
                                              : DS_ROLE_NONE;
    if (role == DS_ROLE_NONE && (found || out->p.country[0])) role = DS_ROLE_UNK;
    if (have_head_role && !head_role && ent_role) role = ent_role;
    out->p.role = role;
    out->status = head_status ? head_status : mod_status;
    if (weapon_head && !found) found = true;
    return found || out->p.country[0];
}

bool ds_party_code(const dossier_ctx *ctx, const char *s, size_t n, ds_party *out)
{
    out->country[0] = 0;
    out->role = DS_ROLE_NONE;
    if (!ctx || !ctx->claims || !s || !n) return false;
    ds_toks ts = {0};
    bool ok = false;
    if (ds_toks_build(ctx->claims, &ts, s, n, 0) == DOSSIER_OK && ts.n) {
        ds_pinfo pi;
        ok = ds_code_span(ctx->claims, &ts, 0, ts.n, &pi) && !pi.pronoun;
        if (ok) {
            memcpy(out->country, pi.p.country, 4);
            out->role = pi.p.role;
            ok = out->country[0] || (out->role && out->role != DS_ROLE_UNK);
        }
    }
    ds_toks_free(&ts);
    return ok;
}
