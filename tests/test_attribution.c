/*
 * test_attribution.c — speaker, kind, relays, evidence and modality of claims
 * (src/attribution.c) on the table in tests/attribution_table.txt, plus the
 * quotation tracker and the lexicon loader's errors.
 *
 * Each table row is a short passage with the event word named; the test
 * builds the document (sentences only, no cleaning), puts one claim on that
 * word, calls ds_attribute() and compares every column.
 */
#include "attr_lex.h"
#include "internal.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static dossier_ctx *ctx;
static bool party_coding;   /* ds_party_code knows "Ukraine" */

/* A document made of text (paragraphs separated by "¶"). */
static dossier_doc *make_doc(const char *passage)
{
    ds_arena *a = ds_arena_new();
    if (!a) return NULL;
    dossier_doc *doc = ds_arena_alloc(a, sizeof *doc);
    if (!doc) {
        ds_arena_free(a);
        return NULL;
    }
    doc->arena = a;
    ds_buf b = {0};
    for (const char *p = passage; *p;) {
        if (strncmp(p, "\xC2\xB6", 2) == 0) {
            ds_buf_puts(&b, "\n\n");
            p += 2;
        } else {
            ds_buf_putc(&b, *p++);
        }
    }
    char *t = ds_buf_cstr(&b);
    doc->text = t ? ds_arena_strdup(a, t) : NULL;
    doc->text_len = doc->text ? strlen(doc->text) : 0;
    ds_buf_free(&b);
    if (!doc->text || ds_split_sentences(ctx->sent, doc->text, doc->text_len, &doc->sentences) !=
                          DOSSIER_OK) {
        dossier_doc_free(doc);
        return NULL;
    }
    return doc;
}

/* One claim on the first occurrence of trigger in the last paragraph (or
 * anywhere); NULL when the trigger is missing. */
static ds_claim *claim_at(dossier_doc *doc, const char *trigger)
{
    const char *last = doc->text, *p;
    while ((p = strstr(last, "\n\n"))) last = p + 2;
    const char *h = strstr(last, trigger);
    if (!h) h = strstr(doc->text, trigger);
    if (!h) return NULL;
    size_t off = (size_t)(h - doc->text);
    int si = 0;
    for (size_t i = 0; i < doc->sentences.n; i++)
        if (DS_SENT(doc, i).start <= off) si = (int)i;
    ds_claim *c = ds_vec_push(&doc->claims, sizeof *c);
    if (!c) return NULL;
    c->type = DS_EV_ATTACK;
    c->sentence = si;
    c->lethal = -1;
    c->count_value = -1;
    c->trigger_start = off;
    c->trigger_end = off + strlen(trigger);
    return c;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (ds_ieq(hay, needle, n)) return true;
    return false;
}

static char *trim(char *s)
{
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

/* Does the comma-separated list want equal the set of names got? */
static bool same_set(const char *want, const char *const *got, int ngot)
{
    char buf[512];
    int nwant = 0;
    snprintf(buf, sizeof buf, "%s", strcmp(want, "-") == 0 ? "" : want);
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        w = trim(w);
        bool found = false;
        for (int i = 0; i < ngot; i++)
            if (got[i] && contains_ci(got[i], w)) found = true;
        if (!found) return false;
        nwant++;
    }
    return nwant == ngot;
}

static void check_row(int line, char **col)
{
    const char *passage = col[0], *trigger = col[1], *speaker = col[2], *kind = col[3],
               *relays = col[4], *evidence = col[5], *modality = col[6], *country = col[7];
    dossier_doc *doc = make_doc(passage);
    CHECK(doc != NULL, "line %d: document built", line);
    if (!doc) return;
    ds_claim *c = claim_at(doc, trigger);
    CHECK(c != NULL, "line %d: trigger '%s' in passage", line, trigger);
    if (!c) {
        dossier_doc_free(doc);
        return;
    }
    CHECK(ds_attribute(ctx, doc, c) == DOSSIER_OK, "line %d: ds_attribute", line);
    const ds_attribution *at = &c->attribution;
    const char *sp = at->present ? at->speaker.text : NULL;
    if (strcmp(speaker, "*") != 0) {
        if (strcmp(speaker, "-") == 0)
            CHECK(sp == NULL, "line %d: no speaker, got '%s'", line, sp ? sp : "");
        else
            CHECK(sp && contains_ci(sp, speaker), "line %d: speaker '%s', got '%s'", line,
                  speaker, sp ? sp : "(null)");
    }
    if (strcmp(kind, "*") != 0 && sp) {
        const char *k = ds_kind_names[at->kind ? at->kind : DS_KIND_UNKNOWN];
        CHECK(strcmp(k, kind) == 0, "line %d: kind %s, got %s", line, kind, k);
    }
    if (strcmp(relays, "*") != 0) {
        const char *names[DS_MAX_RELAYS];
        int n = at->present ? at->nrelays : 0;
        for (int i = 0; i < n; i++) names[i] = at->relays[i].text;
        CHECK(same_set(relays, names, n), "line %d: relays '%s', got %d (first '%s')", line,
              relays, n, n ? names[0] : "");
    }
    if (strcmp(evidence, "*") != 0) {
        const char *names[DS_EVID__BITS];
        int n = 0;
        for (int i = 0; i < DS_EVID__BITS; i++)
            if (c->evidence & (1u << i)) names[n++] = ds_evidence_names[i];
        CHECK(same_set(evidence, names, n), "line %d: evidence '%s', got %d (first '%s')", line,
              evidence, n, n ? names[0] : "");
    }
    if (strcmp(modality, "*") != 0) {
        const char *m = ds_modality_names[c->modality ? c->modality : DS_MOD_ASSERTED];
        CHECK(strcmp(m, modality) == 0, "line %d: modality %s, got %s", line, modality, m);
        if (strcmp(modality, "asserted") == 0)
            CHECK(!at->present, "line %d: asserted claim has no attribution", line);
    }
    if (strcmp(country, "*") != 0 && party_coding && sp)
        CHECK(strcmp(at->speaker.country, country) == 0, "line %d: country %s, got '%s'", line,
              country, at->speaker.country);
    dossier_doc_free(doc);
}

static int run_table(const char *path)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "open %s", path);
    if (!f) return 0;
    char line[2048];
    int lineno = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *col[8];
        int n = 0;
        char *p = line;
        while (n < 8) {
            char *sep = strstr(p, " | ");
            col[n++] = trim(p);
            if (!sep) break;
            *sep = 0;
            p = sep + 3;
        }
        col[n - 1] = trim(col[n - 1]);
        CHECK(n == 8, "line %d: 8 columns, got %d", lineno, n);
        if (n != 8) continue;
        check_row(lineno, col);
        rows++;
    }
    fclose(f);
    return rows;
}

/* The quotation tracker: apostrophes are no quotes, curly and straight
 * quotes open and close, a state per paragraph. */
static void test_quotes(void)
{
    const char *t = "He said: \"We don't know.\" Then 'it's over' and the soldiers' guns.";
    size_t len = strlen(t);
    at_qstate q = at_quote_at(t, len, (size_t)(strstr(t, "know") - t));
    CHECK(q.dq >= 0, "inside a double quote");
    q = at_quote_at(t, len, (size_t)(strstr(t, "Then") - t));
    CHECK(q.dq < 0 && q.sq < 0, "after a closed quote");
    q = at_quote_at(t, len, (size_t)(strstr(t, "over") - t));
    CHECK(q.sq >= 0, "inside a single quote despite the apostrophe in it's");
    q = at_quote_at(t, len, (size_t)(strstr(t, "guns") - t));
    CHECK(q.dq < 0 && q.sq < 0, "a plural possessive opens nothing");
    const char *u = "\xE2\x80\x9CWe were shelled.\n\nNext paragraph.";
    q = at_quote_at(u, strlen(u), (size_t)(strstr(u, "Next") - u));
    CHECK(q.dq < 0, "a paragraph starts outside quotes");
}

/* A malformed lexicon is an error with the file and line, not a crash. */
static void test_bad_data(void)
{
    char dir[] = "/tmp/dossier_attr_XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char path[512];
    snprintf(path, sizeof path, "%s/attribution", dir);
    CHECK(mkdir(path, 0700) == 0, "mkdir");
    static const char *const files[] = {"words.txt", "verbs.txt", "modality.txt",
                                        "speakers.txt", "evidence.txt", "relays.txt"};
    for (size_t i = 0; i < DS_ARRAY_LEN(files); i++) {
        snprintf(path, sizeof path, "%s/attribution/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        if (!f) continue;
        fputs(i == 1 ? "# verbs\nreported: said\nshouted loudly\n" : "# empty\n", f);
        fclose(f);
    }
    ds_attr_rules *r = NULL;
    char err[256] = "";
    dossier_status st = ds_attr_rules_load(dir, &r, err, sizeof err);
    CHECK(st == DOSSIER_EDATA && r == NULL, "a line without a label is EDATA (%d)", (int)st);
    CHECK(strstr(err, "verbs.txt:3") != NULL, "error names the line: %s", err);
    snprintf(path, sizeof path, "%s/attribution/verbs.txt", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("whispered: said\n", f);
        fclose(f);
    }
    st = ds_attr_rules_load(dir, &r, err, sizeof err);
    CHECK(st == DOSSIER_EDATA && strstr(err, "unknown label"), "unknown label: %s", err);
    for (size_t i = 0; i < DS_ARRAY_LEN(files); i++) {
        snprintf(path, sizeof path, "%s/attribution/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/attribution", dir);
    rmdir(path);
    rmdir(dir);
    st = ds_attr_rules_load("/nonexistent-dossier-dir", &r, err, sizeof err);
    CHECK(st != DOSSIER_OK && r == NULL, "missing data directory is an error");
}

/* Every position of odd texts as a trigger: no crash, no sanitizer report,
 * every field in range. */
static void test_every_position(void)
{
    static const char *const texts[] = {
        "\"\"\"\" '' ' \" said he said: \"",
        "He said: \"They shot.\n\n\"Then they shot again.\n\n\"And again,\" he said, according to",
        "\xE2\x80\x9C\xE2\x80\x9D \xE2\x80\x98\xE2\x80\x99 \xE2\x80\x99s said, told the",
        "According to , said , , , who said: ' \xD0\x9A\xD0\xB8\xD0\xB5\xD0\xB2 said",
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa said the "
        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb's claim that",
        "the soldier said. he said. the soldier said. they said. it said. he added: \"",
        "If , would ( ) [ ] the capture of would, Ministry: : : x",
    };
    for (size_t k = 0; k < DS_ARRAY_LEN(texts); k++) {
        dossier_doc *doc = make_doc(texts[k]);
        CHECK(doc != NULL, "odd text %zu built", k);
        if (!doc) continue;
        int bad = 0;
        for (size_t pos = 0; pos < doc->text_len; pos++) {
            if (((unsigned char)doc->text[pos] & 0xC0) == 0x80) continue;
            ds_claim c = {0};
            int si = 0;
            for (size_t i = 0; i < doc->sentences.n; i++)
                if (DS_SENT(doc, i).start <= pos) si = (int)i;
            c.sentence = si;
            c.trigger_start = pos;
            c.trigger_end = pos + 1;
            if (ds_attribute(ctx, doc, &c) != DOSSIER_OK) bad++;
            if (c.modality <= DS_MOD_NONE || c.modality >= DS_MOD__COUNT) bad++;
            if (c.attribution.nrelays < 0 || c.attribution.nrelays > DS_MAX_RELAYS) bad++;
            if (c.attribution.kind >= DS_KIND__COUNT) bad++;
            if (c.evidence >> DS_EVID__BITS) bad++;
        }
        CHECK(bad == 0, "odd text %zu: %d bad results", k, bad);
        dossier_doc_free(doc);
    }
}

/* Allocation failures: fail the k-th allocation for every k; ds_attribute
 * returns DOSSIER_ENOMEM (or succeeds when k is past its last allocation),
 * never crashes, never leaks (ASan checks at exit). */
static long fail_at, n_alloc;
static void *t_malloc(size_t n, void *u)
{
    (void)u;
    return ++n_alloc == fail_at ? NULL : malloc(n);
}
static void *t_realloc(void *p, size_t n, void *u)
{
    (void)u;
    return ++n_alloc == fail_at ? NULL : realloc(p, n);
}
static void t_free(void *p, void *u)
{
    (void)u;
    free(p);
}

static void test_alloc_failures(void)
{
    dossier_doc *doc = make_doc(
        "Andriy Petrenko, a spokesman for the regional police, visited the site.\xC2\xB6"
        "\"They shot them in the courtyard,\" he told the Kyiv Post, according to Reuters.\xC2\xB6"
        "\"Then they shelled the school.");
    CHECK(doc != NULL, "alloc test document");
    if (!doc) return;
    const char *trig = strstr(doc->text, "shelled");
    size_t off = (size_t)(trig - doc->text);
    int si = 0;
    for (size_t i = 0; i < doc->sentences.n; i++)
        if (DS_SENT(doc, i).start <= off) si = (int)i;
    static const dossier_allocator failing = {t_malloc, t_realloc, t_free, NULL};
    int bad = 0, enomem = 0;
    bool finished = false;
    for (fail_at = 1; fail_at < 2000 && !finished; fail_at++) {
        n_alloc = 0;
        ds_claim c = {0};
        c.sentence = si;
        c.trigger_start = off;
        c.trigger_end = off + 7;
        dossier_set_allocator(&failing);
        dossier_status st = ds_attribute(ctx, doc, &c);
        dossier_set_allocator(NULL);
        if (st == DOSSIER_ENOMEM) enomem++;
        else if (st == DOSSIER_OK) finished = n_alloc < fail_at;
        else bad++;
    }
    CHECK(bad == 0, "only OK or ENOMEM under allocation failures (%d others)", bad);
    CHECK(enomem > 0, "allocation failures were seen (%d)", enomem);
    CHECK(finished, "an allocation budget large enough succeeds");
    dossier_doc_free(doc);
}

int main(void)
{
    char err[256] = "";
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "context: %s", err);
    if (st != DOSSIER_OK) return tap_done("test_attribution");
    ds_party pc = {0};
    party_coding = ds_party_code(ctx, "Ukraine", 7, &pc) && strcmp(pc.country, "UKR") == 0;
    if (!party_coding) printf("# party coding not available: country column skipped\n");
    int rows = run_table("attribution_table.txt");
    CHECK(rows >= 80, "table has %d rows (at least 80)", rows);
    test_quotes();
    test_every_position();
    test_alloc_failures();
    test_bad_data();
    dossier_ctx_free(ctx);
    return tap_done("test_attribution");
}
