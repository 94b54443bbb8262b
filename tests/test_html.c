/*
 * test_html.c — HTML main text, metadata and encodings on the pages of
 * tests/html/ (written for these tests, one rule each) and on generated
 * deeply nested pages.
 */
#include "internal.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static dossier_ctx *ctx;

static dossier_doc *extract_bytes(const char *path, const char *bytes, size_t len)
{
    dossier_input in = {.path = path, .bytes = (const unsigned char *)bytes, .len = len,
                        .format = DOSSIER_FORMAT_HTML};
    dossier_doc *doc = NULL;
    dossier_status st = dossier_extract(ctx, &in, &doc);
    CHECK(st == DOSSIER_OK, "%s: extract: %s", path, dossier_strerror(st));
    return doc;
}

static dossier_doc *extract_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "html/%s", name);
    char *bytes = NULL;
    size_t len = 0;
    dossier_status st = ds_read_file(path, &bytes, &len);
    CHECK(st == DOSSIER_OK, "read %s", path);
    if (st != DOSSIER_OK) return NULL;
    dossier_doc *doc = extract_bytes(path, bytes, len);
    ds_free(bytes);
    return doc;
}

static bool has(const dossier_doc *d, const char *s) { return d && strstr(d->text, s) != NULL; }

static bool dropped_has(const dossier_doc *d, const char *s)
{
    for (size_t i = 0; d && i < d->dropped_lines.n; i++) {
        const char *l = ((const char **)d->dropped_lines.items)[i];
        if (l && strstr(l, s)) return true;
    }
    return false;
}

#define BODY_FIRST "river crossing at the northern bridge was closed"
#define BODY_LAST "probably caused by heavy lorries"

static void test_rule(const char *file, const char *absent)
{
    dossier_doc *d = extract_file(file);
    CHECK(has(d, BODY_FIRST) && has(d, BODY_LAST), "%s: article paragraphs kept", file);
    CHECK(d && !has(d, absent), "%s: '%s' dropped", file, absent);
    CHECK(dropped_has(d, absent), "%s: '%s' noted among the dropped lines", file, absent);
    CHECK(d && d->dropped_boilerplate > 0, "%s: dropped blocks counted", file);
    CHECK(d && !has(d, "Bridge closed after cracks found"), "%s: headline not in body", file);
    dossier_doc_free(d);
}

static void test_boilerplate(void)
{
    test_rule("nav.html", "World news section");
    test_rule("nav.html", "Culture pages");
    test_rule("share.html", "Share on Facebook");
    test_rule("related.html", "Lorry drivers protest");
    test_rule("related.html", "Read more: how the valley");
    test_rule("comments.html", "nobody maintains anything");
    test_rule("cookie.html", "We use cookies");
}

static void test_furniture(void)
{
    dossier_doc *d = extract_file("furniture.html");
    CHECK(has(d, BODY_FIRST) && has(d, BODY_LAST), "furniture: body kept");
    CHECK(d && !has(d, "5:52 AM"), "date line dropped");
    CHECK(dropped_has(d, "Nov. 20, 2021 5:52 AM EST"), "date line noted as dropped");
    if (d) CHECK_STR(d->published, "2021-11-20");
    CHECK(d && !has(d, "You may also like"), "label of a removed related list dropped");
    CHECK(d && !has(d, "Ferry queues stretch"), "link-only paragraphs dropped");
    CHECK(has(d, "The mayor, Jo Bell, said the council"), "prose around a pop-up card kept");
    CHECK(d && !has(d, "Mayor opens new library"), "pop-up card inside prose dropped");
    CHECK(d && !has(d, "Image caption"), "screen-reader-only label dropped");
    CHECK(has(d, "The council meets again on Friday"), "text after a hidden label kept");
    dossier_doc_free(d);

    d = extract_file("split.html");
    CHECK(has(d, BODY_FIRST) && has(d, BODY_LAST), "article split in same-class containers joined");
    CHECK(d && !has(d, "Tag one"), "sidebar between the parts dropped");
    dossier_doc_free(d);
}

static void test_order_captions_tables(void)
{
    dossier_doc *d = extract_file("captions.html");
    CHECK(has(d, "Engineers inspect the northern bridge pillars"), "caption kept");
    if (d) {
        const char *a = strstr(d->text, "Residents of the nearby villages");
        const char *c = strstr(d->text, "Engineers inspect");
        const char *b = strstr(d->text, "Local traders");
        CHECK(a && c && b && a < c && c < b, "caption in reading order between paragraphs");
        CHECK(strstr(d->text, "again.\n\n") || strstr(d->text, "day.\n\n"),
              "paragraph breaks kept");
    }
    dossier_doc_free(d);

    d = extract_file("table.html");
    CHECK(has(d, "Lorries 650 0"), "data table row kept as a line");
    CHECK(has(d, "Ferry passengers 120 1,900"), "data table rows kept");
    CHECK(has(d, BODY_FIRST), "table page body kept");
    dossier_doc_free(d);
}

static void test_meta(void)
{
    dossier_doc *d = extract_file("meta.html");
    if (d) {
        CHECK_STR(d->title, "Bridge closed after cracks found");
        CHECK_STR(d->outlet, "Valley Courier");
        CHECK_STR(d->published, "2021-03-09");
        CHECK_STR(d->byline, "Mary Stone");
        CHECK_STR(d->origin, "wire.example.org");
        CHECK_STR(d->lang, "en");
    }
    dossier_doc_free(d);

    d = extract_file("byline.html");
    if (d) {
        CHECK_STR(d->byline, "Peter Field");
        CHECK_STR(d->published, "2020-07-01");
        CHECK(d->origin == NULL, "no canonical: origin null");
        CHECK(d->outlet == NULL, "no site name or URL: outlet null");
        CHECK(!has(d, "By Peter Field"), "byline line not in body");
    }
    dossier_doc_free(d);

    d = extract_file("jsonld.html");
    if (d) {
        CHECK_STR(d->title, "Ferry timetable extended");
        CHECK_STR(d->published, "2022-05-04");
        CHECK_STR(d->byline, "Ann Lee and Bo Chan");
        CHECK_STR(d->outlet, "Valley Courier Ltd");
        CHECK(has(d, "four extra crossings a day"), "JSON-LD articleBody used");
        CHECK(has(d, "evening.\n\nThe operator"), "articleBody paragraphs kept apart");
        CHECK(!has(d, "Loading"), "script placeholder not in body");
    }
    dossier_doc_free(d);
}

static void test_encodings(void)
{
    const char *cafe = "Le caf\xC3\xA9 de la gare, o\xC3\xB9";
    dossier_doc *d = extract_file("latin1.html");
    CHECK(has(d, cafe), "ISO-8859-1 page converted to UTF-8");
    CHECK(d && !(d->flags & DS_FLAG_INVALID_UTF8), "latin1 not flagged");
    dossier_doc_free(d);

    d = extract_file("cp1252-undeclared.html");
    CHECK(has(d, cafe), "undeclared Windows-1252 page converted");
    CHECK(has(d, "\xE2\x80\x9Cth\xC3\xA9\xE2\x80\x9D"), "cp1252 curly quotes converted");
    dossier_doc_free(d);

    d = extract_file("bom-utf8.html");
    CHECK(has(d, cafe) && has(d, "l\xE2\x80\x99on"), "UTF-8 BOM wins over a wrong meta charset");
    dossier_doc_free(d);

    d = extract_file("utf16le-bom.html");
    CHECK(has(d, cafe), "UTF-16LE page (BOM) converted");
    dossier_doc_free(d);

    d = extract_file("entities.html");
    CHECK(has(d, "Tom & Jerry\xE2\x80\x99s caf\xC3\xA9 \xE2\x80\x94 \"open\""), "entities decoded");
    dossier_doc_free(d);
}

/* Pages nested 100,000 deep: no stack overflow, no quadratic parse, text found. */
static void test_deep(const char *open, const char *close)
{
    size_t depth = 100000, ol = strlen(open), cl = strlen(close);
    const char *mid = "<p>Deep text survives, with a comma, and a full stop, as expected.</p>";
    size_t ml = strlen(mid), n = depth * (ol + cl) + ml + 64;
    char *b = malloc(n);
    if (!b) return;
    size_t k = 0;
    k += (size_t)sprintf(b, "<html><body>");
    for (size_t i = 0; i < depth; i++, k += ol) memcpy(b + k, open, ol);
    memcpy(b + k, mid, ml);
    k += ml;
    for (size_t i = 0; i < depth; i++, k += cl) memcpy(b + k, close, cl);
    k += (size_t)sprintf(b + k, "</body></html>");
    dossier_doc *d = extract_bytes(open, b, k);
    CHECK(has(d, "Deep text survives"), "%s x100000: text found", open);
    dossier_doc_free(d);
    free(b);
}

int main(void)
{
    dossier_options o = {.no_claims = 1};
    char err[256];
    dossier_status st = dossier_ctx_new(NULL, &o, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (st != DOSSIER_OK) return tap_done("html");
    test_boilerplate();
    test_order_captions_tables();
    test_furniture();
    test_meta();
    test_encodings();
    test_deep("<div>", "</div>");
    test_deep("<span>", "</span>");
    test_deep("<b>", "</b>");
    test_deep("<table><tr><td>", "</td></tr></table>");
    dossier_ctx_free(ctx);
    return tap_done("html");
}
