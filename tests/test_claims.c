/*
 * test_claims.c — claim extraction: the sentence table tests/claims/sentences.tsv
 * (events with their type/actor/target/status/modality, and sentences that must
 * give no claim), party coding, IHL derivation, limits and trigger offsets.
 *
 * The table is scored like the gold sets: each row passes or fails and the
 * failures are listed; the test requires every no-claim row to give none and
 * at least 90% of the event rows to pass (the table grows with hard cases the
 * rules do not all solve yet: see the listed failures).
 */
#include "nlp.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dossier_ctx *ctx;

static bool party_ok(const ds_party *p, const char *want)
{
    if (!strcmp(want, "*")) return true;
    if (!strcmp(want, "-")) return p->text == NULL;
    const char *slash = strchr(want, '/');
    if (!slash || !p->text) return false;
    size_t cl = (size_t)(slash - want);
    if (!(cl == 1 && want[0] == '-') && !(cl == 1 && want[0] == '*')) {
        if (strlen(p->country) != cl || memcmp(p->country, want, cl) != 0) return false;
    } else if (want[0] == '-' && p->country[0]) {
        return false;
    }
    const char *role = slash + 1;
    if (!strcmp(role, "*")) return true;
    if (!strcmp(role, "-")) return p->role == DS_ROLE_NONE;
    return p->role && !strcmp(ds_role_names[p->role], role);
}

static bool claim_ok(const ds_claim *c, char **f)
{
    if (strcmp(ds_event_names[c->type], f[1])) return false;
    if (!party_ok(&c->actor, f[2]) || !party_ok(&c->target, f[3])) return false;
    if (strcmp(f[4], "*")) {
        if (!strcmp(f[4], "-") ? c->status != DS_STATUS_NONE
                               : (!c->status || strcmp(ds_status_names[c->status], f[4])))
            return false;
    }
    if (strcmp(f[5], "*")) {
        ds_modality m = c->modality ? c->modality : DS_MOD_ASSERTED;
        if (strcmp(ds_modality_names[m], f[5])) return false;
    }
    return true;
}

static void print_claims(const dossier_doc *d)
{
    for (size_t k = 0; k < d->claims.n; k++) {
        const ds_claim *c = &DS_CLAIM(d, k);
        fprintf(stderr, "#     got %s actor=%s/%s target=%s/%s status=%s modality=%s\n",
                ds_event_names[c->type], c->actor.text ? c->actor.country : "(none)",
                c->actor.role ? ds_role_names[c->actor.role] : "-",
                c->target.text ? c->target.country : "(none)",
                c->target.role ? ds_role_names[c->target.role] : "-",
                c->status ? ds_status_names[c->status] : "-",
                ds_modality_names[c->modality ? c->modality : DS_MOD_ASSERTED]);
    }
}

static void test_table(void)
{
    FILE *fp = fopen("claims/sentences.tsv", "r");
    CHECK(fp != NULL, "open claims/sentences.tsv");
    if (!fp) return;
    char line[4096];
    int ln = 0, rows = 0, none_rows = 0, none_ok = 0, ev_rows = 0, ev_ok = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *f[6];
        int nf = 0;
        for (char *p = line; nf < 6;) {
            f[nf++] = p;
            char *t = strchr(p, '\t');
            if (!t) break;
            *t = 0;
            p = t + 1;
        }
        CHECK(nf == 6, "line %d: 6 columns (got %d)", ln, nf);
        if (nf != 6) continue;
        CHECK(!strcmp(f[1], "-") || ds_enum_parse(ds_event_names, DS_EV__COUNT, f[1], strlen(f[1])),
              "line %d: type '%s' known", ln, f[1]);
        rows++;
        dossier_doc *d = NULL;
        dossier_status st = ds_claims_for_text(ctx, f[0], strlen(f[0]), &d);
        CHECK(st == DOSSIER_OK, "line %d: extraction runs (%s)", ln, dossier_strerror(st));
        if (st != DOSSIER_OK) continue;
        bool ok;
        if (!strcmp(f[1], "-")) {
            none_rows++;
            ok = d->claims.n == 0;
            none_ok += ok;
        } else {
            ev_rows++;
            ok = false;
            for (size_t k = 0; k < d->claims.n && !ok; k++) ok = claim_ok(&DS_CLAIM(d, k), f);
            ev_ok += ok;
        }
        if (!ok) {
            fprintf(stderr, "# miss line %d: %s | want %s %s %s %s %s\n", ln, f[0], f[1], f[2], f[3],
                    f[4], f[5]);
            print_claims(d);
        }
        dossier_doc_free(d);
    }
    fclose(fp);
    printf("# table: %d rows; events %d/%d; no-claim %d/%d\n", rows, ev_ok, ev_rows, none_ok,
           none_rows);
    CHECK(rows >= 200, "at least 200 rows (got %d)", rows);
    CHECK(none_rows >= 60, "at least 60 no-claim rows (got %d)", none_rows);
    CHECK(none_ok * 100 >= none_rows * 95, "no-claim rows give no claim: %d/%d (want 95%%)", none_ok,
          none_rows);
    CHECK(ev_ok * 100 >= ev_rows * 90, "event rows right: %d/%d (want 90%%)", ev_ok, ev_rows);
}

static void test_parties(void)
{
    static const struct {
        const char *np, *country;
        ds_role role;
    } t[] = {
        {"Putin's troops", "RUS", DS_ROLE_MIL},
        {"the SBU", "UKR", DS_ROLE_SPY},
        {"HUR", "UKR", DS_ROLE_SPY},
        {"the Kremlin", "RUS", DS_ROLE_GOV},
        {"Kyiv", "UKR", DS_ROLE_GOV},
        {"Moscow", "RUS", DS_ROLE_GOV},
        {"Ukrainian servicemen", "UKR", DS_ROLE_MIL},
        {"Israeli troops", "ISR", DS_ROLE_MIL},
        {"Palestinian militants", "PSE", DS_ROLE_MIL},
        {"the UN commission", "", DS_ROLE_IGO},
        {"Human Rights Watch", "", DS_ROLE_HRI},
        {"the Russians", "RUS", DS_ROLE_MIL},
        {"Russia", "RUS", DS_ROLE_GOV},
        {"Zelensky", "UKR", DS_ROLE_GOV},
        {"Ukrainian civilians", "UKR", DS_ROLE_CVL},
        {"the Kyiv Post", "UKR", DS_ROLE_MED},
        {"Kenyan police", "KEN", DS_ROLE_GOV},
        {"Peruvian prosecutors", "PER", DS_ROLE_JUD},
        {"the Mongolian government", "MNG", DS_ROLE_GOV},
        {"Ukraine's military intelligence", "UKR", DS_ROLE_SPY},
        {"Russian drones", "RUS", DS_ROLE_MIL},
        {"US intelligence", "USA", DS_ROLE_SPY},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(t); i++) {
        ds_party p = {0};
        bool ok = ds_party_code(ctx, t[i].np, strlen(t[i].np), &p);
        CHECK(ok, "party '%s' coded", t[i].np);
        CHECK(!strcmp(p.country, t[i].country), "party '%s': country '%s', want '%s'", t[i].np,
              p.country, t[i].country);
        CHECK(p.role == t[i].role, "party '%s': role %s, want %s", t[i].np,
              p.role ? ds_role_names[p.role] : "-", ds_role_names[t[i].role]);
    }
    static const char *const none[] = {"the weather", "a long day", "it", "the price of wheat"};
    for (size_t i = 0; i < DS_ARRAY_LEN(none); i++) {
        ds_party p = {0};
        CHECK(!ds_party_code(ctx, none[i], strlen(none[i]), &p), "'%s' names no party", none[i]);
    }
}

static void test_ihl(void)
{
    ds_claim c = {0};
    c.type = DS_EV_ATTACK;
    c.lethal = -1;
    c.status = DS_STATUS_CIVILIAN;
    CHECK(ds_ihl_tags(&c) == DS_IHL_ATTACK_ON_CIVILIANS, "civilian target");
    c.ordered = true;
    CHECK(ds_ihl_tags(&c) == (DS_IHL_ATTACK_ON_CIVILIANS | DS_IHL_UNLAWFUL_ORDER), "ordered on civilians");
    memset(&c, 0, sizeof c);
    c.type = DS_EV_ATTACK;
    c.lethal = 1;
    c.status = DS_STATUS_WOUNDED;
    strcpy(c.actor.country, "RUS");
    strcpy(c.target.country, "RUS");
    c.target.role = DS_ROLE_MIL;
    CHECK(ds_ihl_tags(&c) == (DS_IHL_KILLING_HORS_DE_COMBAT | DS_IHL_KILLING_OWN_FORCES),
          "lethal attack on own wounded");
    c.lethal = 0;
    CHECK(ds_ihl_tags(&c) == DS_IHL_KILLING_OWN_FORCES, "non-lethal: no killing hors de combat");
    memset(&c, 0, sizeof c);
    c.type = DS_EV_ATTACK;
    c.lethal = -1;
    c.mode = DS_MODE_EXECUTION;
    c.status = DS_STATUS_POW;
    CHECK(ds_ihl_tags(&c) == DS_IHL_KILLING_HORS_DE_COMBAT, "execution of POWs");
    c.mode = DS_MODE_TORTURE;
    CHECK(ds_ihl_tags(&c) == DS_IHL_ILL_TREATMENT_OF_POW, "torture of POWs");
    memset(&c, 0, sizeof c);
    c.type = DS_EV_ATTACK;
    c.site = DS_SITE_KINDERGARTEN;
    CHECK(ds_ihl_tags(&c) == DS_IHL_ATTACK_ON_PROTECTED_SITE, "kindergarten hit");
    c.site = DS_SITE_RESIDENTIAL;
    CHECK(ds_ihl_tags(&c) == 0, "residential building is not a listed protected site");
    c.type = DS_EV_CAPTURE;
    c.status = DS_STATUS_CIVILIAN;
    CHECK(ds_ihl_tags(&c) == 0, "IHL tags only for attacks");
}

static void test_fields(void)
{
    const char *s = "Russian forces executed over 150 Ukrainian prisoners of war in Kharkiv on February 24.";
    dossier_doc *d = NULL;
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract");
    if (!d) return;
    CHECK(d->claims.n == 1, "one claim (got %zu)", d->claims.n);
    if (d->claims.n == 1) {
        const ds_claim *c = &DS_CLAIM(d, 0);
        CHECK(c->mode == DS_MODE_EXECUTION, "mode execution");
        CHECK(c->lethal == 1, "lethal");
        CHECK(c->count_value == 150 && c->count_qualifier == DS_QUAL_OVER &&
                  c->count_unit == DS_UNIT_PERSONS,
              "count over 150 persons (got %lld)", (long long)c->count_value);
        CHECK(c->status == DS_STATUS_POW, "status pow");
        CHECK(c->ihl == DS_IHL_KILLING_HORS_DE_COMBAT, "ihl killing_hors_de_combat");
        CHECK(c->location.text && !strcmp(c->location.text, "Kharkiv"), "location.text Kharkiv (got %s)",
              c->location.text ? c->location.text : "null");
        CHECK(c->time.text && strstr(c->time.text, "February 24"), "time.text (got %s)",
              c->time.text ? c->time.text : "null");
        CHECK(c->trigger_start < c->trigger_end && !strncmp(d->text + c->trigger_start, "executed", 8),
              "trigger offsets point at 'executed'");
    }
    dossier_doc_free(d);

    s = "About a dozen civilians were killed. At least 79 prisoners were executed.";
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract counts");
    if (d && d->claims.n == 2) {
        CHECK(DS_CLAIM(d, 0).count_value == 12 && DS_CLAIM(d, 0).count_qualifier == DS_QUAL_ABOUT,
              "about a dozen (got %lld)", (long long)DS_CLAIM(d, 0).count_value);
        CHECK(DS_CLAIM(d, 1).count_value == 79 && DS_CLAIM(d, 1).count_qualifier == DS_QUAL_AT_LEAST,
              "at least 79 (got %lld)", (long long)DS_CLAIM(d, 1).count_value);
    } else {
        CHECK(0, "two claims (got %zu)", d ? d->claims.n : 0);
    }
    dossier_doc_free(d);

    /* pronouns and "the soldier" resolve to earlier mentions */
    s = "A Russian soldier was captured near Kyiv. The soldier said his commanders shot him in the leg.";
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract pronouns");
    bool found = false;
    for (size_t k = 0; d && k < d->claims.n; k++) {
        const ds_claim *c = &DS_CLAIM(d, k);
        if (c->type != DS_EV_ATTACK) continue;
        found = true;
        CHECK(!strcmp(c->actor.country, "RUS") && c->actor.role == DS_ROLE_MIL, "his commanders → RUS MIL");
        CHECK(!strcmp(c->target.country, "RUS"), "him → RUS (got '%s')", c->target.country);
        CHECK(c->lethal == 0, "in the leg: not lethal");
        CHECK(c->ihl & DS_IHL_KILLING_OWN_FORCES, "own forces");
    }
    CHECK(found, "attack found");
    dossier_doc_free(d);

    /* who orders the act is its actor; a country in a title is not its place */
    s = "The President of Russia ordered strikes on power plants in Kharkiv.";
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract order");
    CHECK(d && d->claims.n == 1, "one claim");
    if (d && d->claims.n == 1) {
        const ds_claim *c = &DS_CLAIM(d, 0);
        CHECK(c->ordered, "ordered");
        CHECK(!strcmp(c->actor.country, "RUS") && c->actor.role == DS_ROLE_GOV, "actor RUS GOV");
        CHECK(c->location.text && !strcmp(c->location.text, "Kharkiv"), "location Kharkiv (got %s)",
              c->location.text ? c->location.text : "null");
    }
    dossier_doc_free(d);
    s = "The President of Russia ordered strikes on power plants.";
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract order, no place");
    if (d && d->claims.n == 1)
        CHECK(!DS_CLAIM(d, 0).location.text, "'of Russia' in a title is no place (got %s)",
              DS_CLAIM(d, 0).location.text);
    dossier_doc_free(d);
}

static void test_limits(void)
{
    dossier_options o = {0};
    o.max_claims = 2;
    o.max_sentence_bytes = 80;
    dossier_ctx *c2 = NULL;
    char err[256];
    CHECK(dossier_ctx_new(NULL, &o, &c2, err, sizeof err) == DOSSIER_OK, "ctx with limits: %s", err);
    if (!c2) return;
    const char *s = "Russian troops shelled Kharkiv. Ukrainian forces shelled Donetsk. "
                    "Russian troops shelled Sumy. Russian troops shelled the town of Izium and the "
                    "villages around it for many hours without a pause.";
    dossier_doc *d = NULL;
    CHECK(ds_claims_for_text(c2, s, strlen(s), &d) == DOSSIER_OK, "extract with limits");
    if (d) {
        CHECK(d->claims.n == 2, "max_claims keeps 2 (got %zu)", d->claims.n);
        CHECK(d->flags & DS_FLAG_CLAIMS_LIMIT, "flag claims_limit");
    }
    dossier_doc_free(d);
    /* the limit reached inside a sentence that gives two claims: the second is
     * dropped, not replaced by a copy of the first */
    s = "Russian troops shelled Sumy. Russian forces shelled Kharkiv, killing five civilians.";
    CHECK(ds_claims_for_text(c2, s, strlen(s), &d) == DOSSIER_OK, "extract, limit mid-sentence");
    if (d) {
        CHECK(d->claims.n == 2, "limit mid-sentence keeps 2 (got %zu)", d->claims.n);
        CHECK(d->flags & DS_FLAG_CLAIMS_LIMIT, "limit mid-sentence: flag claims_limit");
        CHECK(d->claims.n < 2 || DS_CLAIM(d, 0).sentence != DS_CLAIM(d, 1).sentence ||
                  DS_CLAIM(d, 0).trigger_start != DS_CLAIM(d, 1).trigger_start ||
                  DS_CLAIM(d, 0).target.text != DS_CLAIM(d, 1).target.text,
              "limit mid-sentence: the two claims differ");
    }
    dossier_doc_free(d);
    s = "Russian troops shelled the town of Izium and the villages around it for many hours.";
    CHECK(ds_claims_for_text(c2, s, strlen(s), &d) == DOSSIER_OK, "extract long sentence");
    if (d) {
        CHECK(d->claims.n == 0, "long sentence not searched");
        CHECK(d->flags & DS_FLAG_LONG_SENTENCE, "flag long_sentence");
    }
    dossier_doc_free(d);
    dossier_ctx_free(c2);
}

/* ", killing three civilians" after an attack is that attack's result: one
 * claim with the actor of the main clause and the victims of the participle;
 * the place named as the target ("shelled Kharkiv") becomes the location. */
static void test_result_clause(void)
{
    const char *s = "Russian forces shelled Kharkiv on Monday, killing five civilians and wounding 12.";
    dossier_doc *d = NULL;
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract result clause");
    if (!d) return;
    CHECK(d->claims.n == 1, "result clause merged: one claim (got %zu)", d->claims.n);
    if (d->claims.n >= 1) {
        const ds_claim *c = &DS_CLAIM(d, 0);
        CHECK(c->actor.text && !strcmp(c->actor.country, "RUS"), "merged: actor of the main clause");
        CHECK(c->status == DS_STATUS_CIVILIAN && c->count_value == 5, "merged: victims and toll");
        CHECK(c->lethal == 1, "merged: lethal");
        CHECK(c->location.text && !strcmp(c->location.text, "Kharkiv"), "merged: target place is the location");
        CHECK(c->ihl & DS_IHL_ATTACK_ON_CIVILIANS, "merged: ihl recomputed");
    }
    dossier_doc_free(d);
    /* a participle with its own subject is an event of its own */
    s = "Russian forces shelled Kharkiv, with Ukrainian troops killing two Russian soldiers.";
    CHECK(ds_claims_for_text(ctx, s, strlen(s), &d) == DOSSIER_OK, "extract two acts");
    if (d) CHECK(d->claims.n == 2, "own subject: two claims (got %zu)", d->claims.n);
    dossier_doc_free(d);
}

/* An irregular form that is its own base in WordNet's verb.exc ("shed")
 * is not a past form, whatever text follows it in the sentence; "shot" is. */
static void test_irregular_forms(void)
{
    const char *s = "Soldiers shed their uniforms and shot at the crowd";
    ds_toks ts = {0};
    bool ok = ctx->claims && ds_toks_build(ctx->claims, &ts, s, strlen(s), 0) == DOSSIER_OK;
    CHECK(ok, "tokens");
    int seen = 0;
    for (int i = 0; ok && i < ts.n; i++) {
        const char *w = s + ts.t[i].s;
        if (ts.t[i].e - ts.t[i].s != 4) continue;
        if (!memcmp(w, "shed", 4)) {
            seen++;
            CHECK(!(ts.t[i].flags & TK_ED), "'shed' (its own base) is not a past form");
        } else if (!memcmp(w, "shot", 4)) {
            seen++;
            CHECK(ts.t[i].flags & TK_ED, "'shot' is a past form");
        }
    }
    CHECK(seen == 2, "both verbs tokenised (%d)", seen);
    ds_toks_free(&ts);
}

int main(void)
{
    char err[512];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "context: %s", err);
    if (st != DOSSIER_OK) return tap_done("claims");
    test_parties();
    test_ihl();
    test_fields();
    test_limits();
    test_result_clause();
    test_table();
    test_irregular_forms();
    dossier_ctx_free(ctx);
    return tap_done("claims");
}
