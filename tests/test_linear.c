/*
 * test_linear.c — pathological inputs cost linear work.  Each input is built
 * at size n and 2n and extracted; the work counters of the hand-written loops
 * (ds_work, see internal.h: bytes decoded, guard bytes, gumbo scope bound,
 * cleaning steps, splitter steps) must at most double, give or take a
 * constant.  No clocks: a quadratic loop shows as 4x the counted steps.
 */
#include "internal.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static dossier_ctx *ctx;
static const char *const work_names[DS_WORK__COUNT] = {
    "guard bytes", "html scope", "utf8 bytes", "clean steps", "sentence steps"};

typedef void (*gen_fn)(ds_buf *b, size_t n);

static void g_long_line(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "word ");
}
static void g_sentences(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "The unit moved. ");
}
static void g_long_sentence(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "Headline of a long sentence\n\n");
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, i % 7 ? "word " : "Mr. ");
    ds_buf_puts(b, "end.\n");
}
static void g_deep_html(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "<html><body>");
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "<div>");
    ds_buf_puts(b, "Deep text.");
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "</div>");
    ds_buf_puts(b, "</body></html>");
}
static void g_unclosed_b(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "<html><body>");
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "<b><blockquote>");
    ds_buf_puts(b, "Text.</body></html>");
}
static void g_attributes(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "<html><body><p");
    for (size_t i = 0; i < n; i++) ds_buf_printf(b, " a%zu=\"v\"", i);
    ds_buf_puts(b, ">Attribute text.</p></body></html>");
}
static void g_many_tags_attrs(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "<html><body>");
    for (size_t i = 0; i < n; i++) {
        ds_buf_puts(b, "<span");
        for (int k = 0; k < 80; k++) ds_buf_printf(b, " x%d=1", k);
        ds_buf_puts(b, ">w</span>");
    }
    ds_buf_puts(b, "</body></html>");
}
static void g_repeated(ds_buf *b, size_t n)
{
    ds_buf_puts(b, "A headline for repeated paragraphs\n\n");
    for (size_t i = 0; i < n; i++)
        ds_buf_puts(b, "The same paragraph, repeated again and again by a broken page.\n\n");
}
static void g_glued(ds_buf *b, size_t n)
{
    /* each paragraph is the previous one with the next glued on */
    ds_buf_puts(b, "A headline for glued paragraphs\n\n");
    for (size_t i = 0; i < n; i++)
        ds_buf_printf(b, "Paragraph number %zu tells its own story here. "
                         "Paragraph number %zu tells its own story here.\n\n", i, i + 1);
}
static void g_overlong(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_puts(b, "ok \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf. ");
}
static void g_late_nuls(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < 70000 / 10; i++) ds_buf_puts(b, "Plain txt ");
    for (size_t i = 0; i < n; i++) ds_buf_put(b, "nul\0here. ", 10);
}
static void g_crlf(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_printf(b, "Line %zu of text ends here.\r\n", i);
}
static void g_lone_cr(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_printf(b, "Line %zu of text ends here.\r", i);
}
static void g_all_bytes(ds_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++) ds_buf_putc(b, (char)(i & 255));
}

typedef struct result {
    dossier_status st;
    uint64_t work[DS_WORK__COUNT];
    size_t sentences, dropped_dup;
    unsigned flags;
} result;

static result run(gen_fn g, size_t n, dossier_format fmt)
{
    ds_buf b = {0};
    g(&b, n);
    result r = {0};
    CHECK(!b.oom, "generate %zu", n);
    memset(ds_work, 0, sizeof ds_work);
    dossier_input in = {0};
    in.path = "gen";
    in.bytes = (const unsigned char *)b.p;
    in.len = b.n;
    in.format = fmt;
    dossier_doc *d = NULL;
    r.st = dossier_extract(ctx, &in, &d);
    memcpy(r.work, ds_work, sizeof r.work);
    if (d) {
        r.sentences = d->sentences.n;
        r.dropped_dup = (size_t)d->dropped_duplicate;
        r.flags = d->flags;
    }
    dossier_doc_free(d);
    ds_buf_free(&b);
    return r;
}

/* Run at n and 2n; every counter at most ~doubles.  Returns the 2n result. */
static result linear(const char *name, gen_fn g, size_t n, dossier_format fmt)
{
    result a = run(g, n, fmt), b = run(g, 2 * n, fmt);
    CHECK(a.st == b.st, "%s: same status at n and 2n (%s, %s)", name, dossier_strerror(a.st),
          dossier_strerror(b.st));
    uint64_t total = 0;
    for (int k = 0; k < DS_WORK__COUNT; k++) {
        total += b.work[k];
        CHECK(b.work[k] <= a.work[k] * 9 / 4 + 4096,
              "%s: %s grows linearly (n=%zu: %llu, 2n: %llu)", name, work_names[k], n,
              (unsigned long long)a.work[k], (unsigned long long)b.work[k]);
    }
    printf("# %s: n=%zu..%zu, work %llu\n", name, n, 2 * n, (unsigned long long)total);
    return b;
}

int main(void)
{
    char err[512];
    dossier_status st = dossier_ctx_new(NULL, NULL, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (st != DOSSIER_OK) return tap_done("linear");
    result r;

    r = linear("one long line (5 MB at 2n)", g_long_line, 500000, DOSSIER_FORMAT_TEXT);
    CHECK(r.st == DOSSIER_OK && r.sentences == 1, "long line: one sentence (%zu)", r.sentences);
    CHECK(r.work[DS_WORK_UTF8_BYTES] >= 5000000, "long line: every byte decoded");

    r = linear("1M sentences", g_sentences, 500000, DOSSIER_FORMAT_TEXT);
    CHECK(r.sentences == 1000000, "1M sentences split (%zu)", r.sentences);

    r = linear("a sentence of 100,000 words", g_long_sentence, 50000, DOSSIER_FORMAT_TEXT);
    CHECK(r.st == DOSSIER_OK && r.sentences <= 3, "long sentence stays whole (%zu)", r.sentences);

    r = linear("HTML 100,000 deep", g_deep_html, 50000, DOSSIER_FORMAT_HTML);
    CHECK(r.flags & DS_FLAG_DEEP_HTML, "deep HTML flagged");
    /* the guard scans twice (detect, then rewrite): 2 x tags x depth limit */
    CHECK(r.work[DS_WORK_HTML_SCOPE] <= 2 * 100000ull * DS_HTML_MAX_DEPTH,
          "gumbo scope walks bounded by depth limit x tags");
    r = linear("100,000 unclosed <b><blockquote>", g_unclosed_b, 50000, DOSSIER_FORMAT_HTML);
    CHECK(r.flags & DS_FLAG_DEEP_HTML, "unclosed tags flagged");

    r = linear("100,000 attributes", g_attributes, 50000, DOSSIER_FORMAT_HTML);
    CHECK(r.flags & DS_FLAG_HTML_ATTRS, "attributes flagged");
    r = linear("tags of 80 attributes", g_many_tags_attrs, 2000, DOSSIER_FORMAT_HTML);
    CHECK(r.flags & DS_FLAG_HTML_ATTRS, "many-attribute tags flagged");

    r = linear("10,000 repeated paragraphs", g_repeated, 5000, DOSSIER_FORMAT_TEXT);
    CHECK(r.dropped_dup == 9999, "repeats dropped but the first (%zu)", r.dropped_dup);
    r = linear("10,000 glued paragraphs", g_glued, 5000, DOSSIER_FORMAT_TEXT);

    r = linear("overlong UTF-8", g_overlong, 100000, DOSSIER_FORMAT_TEXT);
    CHECK(r.flags & DS_FLAG_INVALID_UTF8, "overlong UTF-8 flagged");
    r = linear("NUL bytes after the sniffed head", g_late_nuls, 100000, DOSSIER_FORMAT_TEXT);
    CHECK(r.st == DOSSIER_OK && (r.flags & DS_FLAG_INVALID_UTF8), "NULs dropped, flagged");
    r = linear("CRLF lines", g_crlf, 100000, DOSSIER_FORMAT_TEXT);
    CHECK(r.sentences == 200000, "CRLF: one sentence a line (%zu)", r.sentences);
    r = linear("lone CR lines", g_lone_cr, 100000, DOSSIER_FORMAT_TEXT);
    CHECK(r.sentences == 200000, "lone CR: one sentence a line (%zu)", r.sentences);
    r = linear("every byte value", g_all_bytes, 1 << 20, DOSSIER_FORMAT_AUTO);
    CHECK(r.st == DOSSIER_EBINARY, "every byte value: binary (%s)", dossier_strerror(r.st));

    dossier_ctx_free(ctx);
    return tap_done("linear");
}
