/*
 * test_clean.c — the general cleaning rules on small texts written for the
 * purpose: boilerplate lines, metadata lines, duplicates, headlines.
 */
#include "internal.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static dossier_ctx *ctx;

static dossier_doc *run(const char *text)
{
    dossier_input in = {0};
    in.path = "t.txt";
    in.bytes = (const unsigned char *)text;
    in.len = strlen(text);
    dossier_doc *d = NULL;
    dossier_status st = dossier_extract(ctx, &in, &d);
    CHECK(st == DOSSIER_OK, "extract: %s", dossier_strerror(st));
    return d;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++) n++;
    return n;
}

#define BODY "Troops shelled the village overnight, officials said.\n" \
             "Residents fled to shelters as the bombardment continued.\n"

static void drops(const char *line)
{
    char text[2048];
    snprintf(text, sizeof text, "Headline about the war today\n%s%s\nMore text about the attack.\n",
             BODY, line);
    dossier_doc *d = run(text);
    if (!d) return;
    CHECK(!strstr(d->text, line), "kept boilerplate line: %s", line);
    CHECK(d->dropped_boilerplate >= 1, "not counted: %s", line);
    CHECK(strstr(d->text, "More text about the attack."), "lost body after: %s", line);
    dossier_doc_free(d);
}

static void keeps(const char *line)
{
    char text[2048];
    snprintf(text, sizeof text, "Headline about the war today\n%s%s\n", BODY, line);
    dossier_doc *d = run(text);
    if (!d) return;
    CHECK(strstr(d->text, line) != NULL, "dropped body line: %s", line);
    dossier_doc_free(d);
}

int main(void)
{
    char err[256];
    dossier_options o = {0};
    o.no_claims = 1;
    dossier_status st = dossier_ctx_new(NULL, &o, &ctx, err, sizeof err);
    CHECK(st == DOSSIER_OK, "ctx: %s", err);
    if (!ctx) return tap_done("test_clean");

    /* sign-up, newsletter, share, related, comments, cookies, footers */
    drops("Don't miss a thing! Sign up to the Morning Post's newsletter");
    drops("Sign up for our free daily newsletter");
    drops("Subscribe to our newsletter for the latest updates");
    drops("Share This Article");
    drops("Share on Facebook");
    drops("Facebook | Twitter | WhatsApp | Email");
    drops("Read more:");
    drops("More on this story");
    drops("Related Articles");
    drops("No comments:");
    drops("12 Comments");
    drops("Leave a Reply");
    drops("We use cookies to improve your experience on our site.");
    drops("Accept all cookies");
    drops("Advertisement");
    drops("Story continues below advertisement");
    drops("Source: Read Full Article");
    drops("Follow us on Twitter");
    drops("Labels: war, Ukraine, Russia");
    drops("Tags: Russia, Ukraine");
    drops("Copyright 2022 Example Media. All rights reserved.");
    drops("Skip to main content");
    drops("Image source: Getty Images");

    /* article sentences that merely contain such words stay */
    keeps("The soldier said he would share the footage with investigators.");
    keeps("Thousands signed up to volunteer for the territorial defence.");
    keeps("The newsletter of the brigade listed the names of the dead.");
    keeps("Comments by the minister drew criticism from Kyiv.");
    keeps("Cookies and tea were handed out to the prisoners.");

    /* origin, platform, byline, outlet */
    dossier_doc *d = run("War crimes alleged in the east\n" BODY
                         "Read the original article on The Example Times\n");
    if (d) {
        CHECK_STR(d->origin, "The Example Times");
        CHECK(!strstr(d->text, "Read the original"), "origin line dropped");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\n" BODY "Read More @ example-news.com\n");
    if (d) {
        CHECK_STR(d->origin, "example-news.com");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\n" BODY
            "This article originally appeared on The Conversation.\n");
    if (d) {
        CHECK_STR(d->origin, "The Conversation");
        dossier_doc_free(d);
    }
    d = run("Strikes hit the city\nKYIV (Reuters) - Missiles struck the capital on Monday, "
            "officials said.\nResidents sheltered in the metro.\n");
    if (d) {
        CHECK_STR(d->origin, "Reuters");
        CHECK(strstr(d->text, "Missiles struck the capital") != NULL, "dateline line kept");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\n" BODY "1 comment:\nPowered by WordPress.\n");
    if (d) {
        CHECK_STR(d->platform, "WordPress");
        CHECK(!strstr(d->text, "Powered by"), "platform line dropped");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\nBy Jane Smith\n" BODY);
    if (d) {
        CHECK_STR(d->byline, "Jane Smith");
        CHECK(!(d->flags & DS_FLAG_AI_BYLINE), "human byline not flagged");
        CHECK(!strstr(d->text, "By Jane"), "byline line dropped");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\nAI\nBy AI\n" BODY);
    if (d) {
        CHECK_STR(d->byline, "AI");
        CHECK(d->flags & DS_FLAG_AI_BYLINE, "AI byline flagged");
        CHECK(strncmp(d->text, "Troops shelled", 14) == 0, "lone AI line dropped: %.30s", d->text);
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\n" BODY
            "For more stories from the Morning Post, make sure you sign up to one of our newsletters here\n");
    if (d) {
        CHECK_STR(d->outlet, "Morning Post");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\nPublished: 07:18 EST, 2 March 2022 | Updated: 09:01 EST\n" BODY);
    if (d) {
        CHECK_STR(d->published, "2022-03-02");
        CHECK(!strstr(d->text, "Published"), "published line dropped");
        dossier_doc_free(d);
    }
    d = run("War crimes alleged in the east\nUpdated 24 February 2022\n" BODY);
    if (d) {
        CHECK_STR(d->published, "2022-02-24");
        dossier_doc_free(d);
    }
    /* unknown stays null */
    d = run("War crimes alleged in the east\n" BODY);
    if (d) {
        CHECK(!d->origin && !d->outlet && !d->byline && !d->platform, "unknown meta is null");
        dossier_doc_free(d);
    }

    /* headline rules */
    d = run("World News\nTroops turn on each other in the east\n" BODY);
    if (d) {
        CHECK_STR(d->title, "Troops turn on each other in the east");
        CHECK(!strstr(d->text, "World News"), "section label dropped");
        dossier_doc_free(d);
    }
    d = run("Troops shelled the village overnight, officials said.\n");
    if (d) {
        CHECK(d->title == NULL, "a single sentence is body text, not a title");
        CHECK(strstr(d->text, "Troops shelled") != NULL, "single sentence kept");
        dossier_doc_free(d);
    }
    d = run("The army crossed the river at dawn and took the bridge.\n" BODY);
    if (d) {
        CHECK(d->title == NULL, "a first line ending in a full stop is not a title");
        dossier_doc_free(d);
    }

    /* duplicates: exact, near-exact, glued captions, truncated copies */
    d = run("Headline about the war today\n" BODY
            "A view shows a building damaged by shelling in the city\n"
            "A view shows a building damaged by shelling in the city\n"
            "A view shows a building damaged by shelling in the city.\n"
            "\"A view shows a building damaged by shelling in the city\"\n");
    if (d) {
        CHECK(count(d->text, "A view shows") == 1, "near-exact copies dropped: %d",
              count(d->text, "A view shows"));
        CHECK(d->dropped_duplicate == 3, "three counted as duplicates: %d", d->dropped_duplicate);
        dossier_doc_free(d);
    }
    d = run("Headline about the war today\n" BODY
            "Rescuers searched the rubble of the school for survivors\n"
            "Rescuers searched the rubble of the school for survivorsThe mayor declared a day of mourning.\n");
    if (d) {
        CHECK(count(d->text, "Rescuers searched") == 1, "glued caption copy dropped");
        CHECK(count(d->text, "The mayor declared a day of mourning.") == 1, "glued paragraph kept");
        dossier_doc_free(d);
    }
    d = run("Headline about the war today\n" BODY
            "Firefighters battled the blaze at the depot for hours (Photo: Jane Doe/Reuters)\n"
            "Firefighters battled the blaze at the depot for hours\n");
    if (d) {
        CHECK(count(d->text, "Firefighters battled") == 1, "trailing photo credit ignored");
        dossier_doc_free(d);
    }
    /* bullets: related links dropped, article lists kept */
    d = run("Headline about the war today\n" BODY "  • Five things you missed this week\n"
            "The convoy carried:\n• food and water for the besieged city;\n• medicine for the wounded.\n");
    if (d) {
        CHECK(!strstr(d->text, "Five things"), "related-link bullet dropped");
        CHECK(strstr(d->text, "medicine for the wounded") != NULL, "article list kept");
        dossier_doc_free(d);
    }
    /* markdown emphasis around headings is stripped */
    d = run("Headline about the war today\n**The Human Cost**\n" BODY);
    if (d) {
        CHECK(strstr(d->text, "The Human Cost") && !strstr(d->text, "**"), "emphasis stripped");
        dossier_doc_free(d);
    }
    /* hard-wrapped text is joined into paragraphs */
    d = run("Headline about the war today\n\n"
            "Troops shelled the village overnight and residents fled toward\n"
            "the shelters on the edge of the town, local officials said on\n"
            "Monday in a statement posted to the regional administration site.\n\n"
            "The bombardment continued into the morning, according to witnesses\n"
            "who spoke to reporters by telephone from the neighbouring village\n"
            "where several families had taken refuge in a school basement.\n\n"
            "Officials said the number of casualties was not yet known to them.\n");
    if (d) {
        CHECK(strstr(d->text, "fled toward the shelters") != NULL, "wrapped lines joined");
        CHECK(d->sentences.n == 3, "three sentences, got %zu", d->sentences.n);
        dossier_doc_free(d);
    }
    /* encodings: Windows-1252 and UTF-16 are transcoded, broken UTF-8 repaired */
    d = run("Shelling hit the caf\xe9 \x93today\x94, officials said.\n");
    if (d) {
        CHECK(strstr(d->text, "caf\xc3\xa9 \xe2\x80\x9ctoday\xe2\x80\x9d") != NULL,
              "cp1252 transcoded: %s", d->text);
        CHECK(!(d->flags & DS_FLAG_INVALID_UTF8), "cp1252 is not flagged invalid");
        dossier_doc_free(d);
    }
    {
        static const unsigned char u16[] = {0xFF, 0xFE, 'S', 0, 'h', 0, 'o', 0, 't', 0, 's', 0, '.', 0};
        dossier_input in = {0};
        in.path = "u16.txt";
        in.bytes = u16;
        in.len = sizeof u16;
        st = dossier_extract(ctx, &in, &d);
        CHECK(st == DOSSIER_OK && d && strcmp(d->text, "Shots.") == 0, "UTF-16 transcoded");
        dossier_doc_free(d);
    }
    d = run("Bad \xc3\x28 byte in caf\xc3\xa9.\n");
    if (d) {
        CHECK(strstr(d->text, "\xef\xbf\xbd(") && strstr(d->text, "caf\xc3\xa9"), "U+FFFD repair");
        CHECK(d->flags & DS_FLAG_INVALID_UTF8, "invalid UTF-8 flagged");
        dossier_doc_free(d);
    }
    dossier_ctx_free(ctx);
    return tap_done("test_clean");
}
