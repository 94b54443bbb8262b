/*
 * test_clean_pre.c — the cleaning stage's regex prefilters (clean_pre.c):
 * literal beginnings read from patterns, lines they let through or not, the
 * UTF-8 check; and, for the unanchored rules of data/clean/rules.txt, that no
 * line the prefilter rejects is matched by any of them, and none its literal
 * set rejects by a credit rule (the prefilters may change speed, never a
 * result).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "internal.h"
#include "clean_int.h"
#include "tap.h"

#include <dirent.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

static litset *fresh(void)
{
    litset *L = calloc(1, sizeof *L);
    if (!L) {
        CHECK(0, "out of memory");
        exit(1);
    }
    return L;
}

static litset *from(const char *const *pats, size_t n, bool *ok)
{
    litset *L = fresh();
    *ok = true;
    for (size_t i = 0; i < n; i++)
        if (!ds_litset_add(L, pats[i], strlen(pats[i]))) *ok = false;
    L->ok = *ok && L->n > 0;
    return L;
}

static bool has_lit(const litset *L, const char *w)
{
    for (int i = 0; i < L->n; i++)
        if (L->len[i] == strlen(w) && memcmp(L->lit[i], w, L->len[i]) == 0) return true;
    return false;
}

static bool may(const litset *L, const char *s) { return ds_litset_may_match(L, s, strlen(s)); }

static void test_literals(void)
{
    static const char *const pats[] = {
        "\\b(?:sign up|subscribe) (?:to|for) (?-i:the )?x",
        "\\b(?:accept (?:all )?cookies|Cookie (?:policy|settings))\\b",
        "\\bnewsletters?\\b",
        "\\bby (?:clicking|using this site)\\b.{0,80}agree",
    };
    bool ok;
    litset *L = from(pats, DS_ARRAY_LEN(pats), &ok);
    CHECK(ok && L->ok, "literal beginnings read from every pattern");
    CHECK(has_lit(L, "sign up to ") && has_lit(L, "subscribe for "), "group product, stops at (?-i:");
    CHECK(has_lit(L, "accept ") && !has_lit(L, "accept all cookies"), "an optional group ends the literal");
    CHECK(has_lit(L, "cookie policy"), "upper case folded");
    CHECK(has_lit(L, "newsletter") && !has_lit(L, "newsletters"), "an optional letter is not required");
    CHECK(has_lit(L, "by clicking") && has_lit(L, "by using this site"), "nested alternatives");

    CHECK(may(L, "Please SIGN UP TO our list"), "upper-case line passes");
    CHECK(may(L, "Our Newsletter"), "mixed case passes");
    CHECK(may(L, "then ACCEPT all"), "literal in the line passes");
    CHECK(!may(L, "x accept"), "'accept ' needs its space");
    CHECK(!may(L, "Troops shelled the village overnight, officials said."), "prose without literals rejected");
    CHECK(!may(L, "sign u"), "a cut literal is rejected");
    CHECK(may(L, "\xC5\xBFign up to the list"), "long s (caseless UTF 's') goes to the regex");
    CHECK(may(L, "coo\xE2\x84\xAA" "ie policy"), "Kelvin sign (caseless UTF 'k') goes to the regex");
    free(L);

    static const char *const bad[] = {".{0,3}foo"};
    litset *B = from(bad, 1, &ok);
    CHECK(!ok && !B->ok, "a pattern not starting with a literal gives no prefilter");
    CHECK(may(B, "anything at all"), "without a prefilter every line passes");
    free(B);
    static const char *const credit[] = {"\\s*[(\\[](?:photo|image)?:?\\s*[^()]{0,60}[)\\]]\\s*$",
                                         "(?-i)\\s*(?:\\||/|\xE2\x80\x94)\\s*[A-Z]\\w*$"};
    litset *S = from(credit, 2, &ok);
    CHECK(ok && has_lit(S, "(") && has_lit(S, "[") && has_lit(S, "|") && has_lit(S, "\xE2\x80\x94"),
          "leading \\s* and (?-i) passed over; a class, escapes and a dash read");
    CHECK(may(S, "the ruins (Photo: AFP)") && may(S, "x \xE2\x80\x94 Reuters") && may(S, "a|b"),
          "one-byte and non-ASCII literals found");
    CHECK(!may(S, "Troops shelled the village overnight, officials said."), "none of them: rejected");
    free(S);
    static const char *const cased[] = {"\\b\xC3\xA9t\xC3\xA9\\b"};
    litset *C = from(cased, 1, &ok);
    CHECK(!ok, "a letter with another case (é/É) gives no prefilter");
    free(C);
    static const char *const toplevel[] = {"\\bfoo|bar baz"};
    litset *T = from(toplevel, 1, &ok);
    CHECK(ok && has_lit(T, "foo") && has_lit(T, "bar baz"), "top-level alternatives both kept");
    free(T);
}

static void test_utf8(void)
{
    CHECK(ds_utf8_valid("plain", 5), "ASCII");
    const char *u = "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xF0\x9F\x98\x80";
    CHECK(ds_utf8_valid(u, strlen(u)), "2-, 3-, 4-byte forms");
    CHECK(!ds_utf8_valid("\xC0\xAF", 2), "overlong");
    CHECK(!ds_utf8_valid("\xED\xA0\x80", 3), "surrogate");
    CHECK(!ds_utf8_valid("\xF4\x90\x80\x80", 4), "past U+10FFFF");
    CHECK(!ds_utf8_valid("ab\xE2\x80", 4), "truncated");
    CHECK(!ds_utf8_valid("\x80", 1), "lone continuation byte");
}

/* The unanchored line rules of data/clean/rules.txt (not credit or aibyline,
 * which clean.c runs on their own), each compiled as clean.c compiles them. */
#define MAXR 64
static pcre2_code *res[MAXR];
static int nres;
static pcre2_code *cres[MAXR];   /* credit rules, each with its own literal set */
static litset *clits[MAXR];
static int ncres;

static litset *load_rules(bool *ok)
{
    const char *dir = getenv("DOSSIER_DATA");
    char *path = ds_data_path(dir && *dir ? dir : DOSSIER_DATA_DEFAULT, "clean/rules.txt");
    char *src = NULL;
    size_t len;
    litset *L = fresh();
    *ok = path && ds_read_file(path, &src, &len) == DOSSIER_OK;
    CHECK(*ok, "read %s", path ? path : "rules.txt");
    for (char *line = src, *next; *ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        size_t n = strlen(line);
        const char *l = ds_trim(line, &n);
        if (!n || l[0] == '#') continue;
        size_t kw = 0;
        while (kw < n && l[kw] != ' ' && l[kw] != '\t') kw++;
        if (kw == 8 && !memcmp(l, "aibyline", 8)) continue;
        size_t pl = n - kw;
        const char *p = ds_trim(l + kw, &pl);
        int ec;
        PCRE2_SIZE eo;
        if (kw == 6 && !memcmp(l, "credit", 6)) {
            if (ncres == MAXR) continue;
            clits[ncres] = fresh();
            clits[ncres]->ok = ds_litset_add(clits[ncres], p, pl) && clits[ncres]->n > 0;
            cres[ncres++] = pcre2_compile((PCRE2_SPTR)p, pl, PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP,
                                          &ec, &eo, NULL);
            continue;
        }
        if (p[0] == '^') continue;
        if (!ds_litset_add(L, p, pl)) *ok = false;
        if (nres < MAXR)
            res[nres++] = pcre2_compile((PCRE2_SPTR)p, pl, PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP,
                                        &ec, &eo, NULL);
    }
    L->ok = *ok && L->n > 0;
    ds_free(src);
    ds_free(path);
    return L;
}

static int rule_matches(const char *s, size_t n, pcre2_match_data *md)
{
    int hits = 0;
    for (int i = 0; i < nres; i++)
        if (res[i] && pcre2_match(res[i], (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0) hits++;
    return hits;
}

/* Credit rules a line matches although their literal set rejects it. */
static int credit_misses(const char *s, size_t n, pcre2_match_data *md, int *hits)
{
    int bad = 0;
    for (int i = 0; i < ncres; i++) {
        if (!cres[i] || pcre2_match(cres[i], (PCRE2_SPTR)s, n, 0, 0, md, NULL) < 0) continue;
        (*hits)++;
        if (!ds_litset_may_match(clits[i], s, n)) bad++;
    }
    return bad;
}

static void test_rules_file(void)
{
    bool ok;
    litset *L = load_rules(&ok);
    CHECK(ok && L->ok, "every unanchored rule of rules.txt has literal beginnings (prefilter on)");
    CHECK(nres > 0, "unanchored rules found (%d)", nres);
    pcre2_match_data *md = pcre2_match_data_create(8, NULL);
    /* lines each rule matches, in several spellings, and lines near them */
    static const char *const lines[] = {
        "Sign up to the Morning Post's free daily newsletter",
        "SUBSCRIBE for The Herald's weekly alerts",
        "Get stories from Kyiv Independent, make sure to follow",
        "Subscribe to our newsletter for the latest updates",
        "Our newsletter: sign up today, straight to your inbox",
        "You can unsubscribe at any time.",
        "We use cookies to improve your experience",
        "This website uses cookies. Accept all cookies",
        "Manage your privacy settings",
        "By clicking continue you agree to our terms",
        "By using this site, you consent to cookies",
        "sign-up to the list",
        "The register of deaths was kept by the town council.",
        "News from the front came late; stories differ.",
        "Troops shelled the village overnight, officials said.",
        "\xC5\xBFubscribe to the \xC5\xBFite's newsletter",
        "Coo\xE2\x84\xAA" "ie settings",
        "\xE2\x80\x9CWe use cookies,\xE2\x80\x9D the site said \xE2\x80\x94 accept",
        "Soldiers at the front (Photo: Reuters)",
        "The ruins of the school [image: AFP]",
        "Residents clear rubble. Photograph: Getty Images",
        "Kyiv residents \xE2\x80\x94 Getty Images",
        "A destroyed tank / Reuters",
        "Damage to the plant | Ukrinform",
        "VIDEO : the strike",
    };
    int rejected_matches = 0, passed = 0, matched = 0, credit_hits = 0;
    for (size_t i = 0; i < DS_ARRAY_LEN(lines); i++) {
        size_t n = strlen(lines[i]);
        int hits = rule_matches(lines[i], n, md);
        bool pass = ds_litset_may_match(L, lines[i], n);
        if (hits) matched++;
        if (pass) passed++;
        if (hits && !pass) {
            rejected_matches++;
            CHECK(0, "prefilter rejected a line a rule matches: %s", lines[i]);
        }
        int bad = credit_misses(lines[i], n, md, &credit_hits);
        CHECK(bad == 0, "a credit rule matches a line its literals reject: %s", lines[i]);
        rejected_matches += bad;
    }
    /* every line of the sample corpus, when it is beside the repository */
    const char *shared = getenv("SHARED");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/seeds", shared && *shared ? shared : "../shared");
    size_t nlines = 0;
    DIR *d = opendir(dir);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.') continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *text;
        size_t len;
        if (ds_read_file(path, &text, &len) != DOSSIER_OK) continue;
        for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
            nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            nlines++;
            if (rule_matches(p, n, md) && !ds_litset_may_match(L, p, n)) {
                rejected_matches++;
                CHECK(0, "prefilter rejected a matching seed line: %.*s", (int)n, p);
            }
            int bad = credit_misses(p, n, md, &credit_hits);
            CHECK(bad == 0, "a credit rule matches a seed line its literals reject: %.*s", (int)n, p);
            rejected_matches += bad;
        }
        ds_free(text);
    }
    if (d) closedir(d);
    CHECK(rejected_matches == 0, "no matching line rejected (%zu seed lines, %zu test lines)",
          nlines, DS_ARRAY_LEN(lines));
    CHECK(matched >= 11, "the test lines exercise the rules (%d matched)", matched);
    CHECK(ncres > 0 && credit_hits >= 7, "the credit rules are exercised (%d rules, %d matches)", ncres,
          credit_hits);
    for (int i = 0; i < ncres; i++) CHECK(clits[i]->ok, "credit rule %d has a literal set", i + 1);
    CHECK(passed < (int)DS_ARRAY_LEN(lines), "the prefilter rejects some lines (%d passed)", passed);
    pcre2_match_data_free(md);
    for (int i = 0; i < nres; i++) pcre2_code_free(res[i]);
    for (int i = 0; i < ncres; i++) {
        pcre2_code_free(cres[i]);
        free(clits[i]);
    }
    free(L);
}

int main(void)
{
    test_literals();
    test_utf8();
    test_rules_file();
    return tap_done("test_clean_pre");
}
