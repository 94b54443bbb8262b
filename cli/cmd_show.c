/*
 * cmd_show.c — `dossier show INCIDENT|DOC` (one incident with its claims,
 * origin clusters and mirrors; or one document with its text and claims) and
 * `dossier search "FTS5 query"` over the stored sentences.
 */
#include "cli.h"
#include "store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct show_ctx {
    bool json;
    long n;
    ds_buf b;
    int64_t last_cluster;
} show_ctx;

static dossier_status keep_incident(const ds_incident *inc, void *user)
{
    *(ds_incident *)user = *inc;
    return DOSSIER_OK;
}

static dossier_status collect(int64_t id, void *user)
{
    int64_t *slot = ds_vec_push(user, sizeof(int64_t));
    if (!slot) return DOSSIER_ENOMEM;
    *slot = id;
    return DOSSIER_OK;
}

static void party_text(char *out, size_t cap, const char *text, const char *country)
{
    snprintf(out, cap, "%s%s%s%s", text ? text : "?", country[0] ? " (" : "", country,
             country[0] ? ")" : "");
}

static dossier_status print_claim(const ds_claim_row *c, void *user)
{
    show_ctx *x = user;
    x->n++;
    if (x->json) {
        if (x->n > 1) ds_buf_putc(&x->b, ',');
        ds_claim_row_json(&x->b, c);
        return x->b.oom ? DOSSIER_ENOMEM : DOSSIER_OK;
    }
    char a[160], t[160];
    party_text(a, sizeof a, c->actor, c->actor_country);
    party_text(t, sizeof t, c->target, c->target_country);
    printf("  claim %lld  [%s] %s -> %s", (long long)c->id, ds_event_names[c->type], a, t);
    if (c->status) printf(" (%s)", ds_status_names[c->status]);
    if (c->place) printf("  at %s", c->place_name ? c->place_name : c->place);
    if (c->time_value) printf("  on %s", c->time_value);
    printf("  %s", c->modality ? ds_modality_names[c->modality] : "asserted");
    if (c->speaker) printf("  per %s", c->speaker);
    if (c->relay) printf(" via %s", c->relay);
    printf("\n    doc %.19s  %s  origin cluster %lld\n    \"%s\"\n", c->doc_id ? c->doc_id : "",
           c->outlet ? c->outlet : "(outlet unknown)", (long long)c->cluster,
           c->sentence ? c->sentence : "");
    return DOSSIER_OK;
}

static int show_incident(ds_store *s, int64_t id, bool json)
{
    ds_incident inc = {0};
    ds_incident_filter f = {0};
    f.id = id;
    dossier_status st = s->ops->query_incidents(s, &f, keep_incident, &inc);
    if (st == DOSSIER_OK && inc.id != id) return -1;
    ds_vec mirrors = {0};
    if (st == DOSSIER_OK) st = s->ops->incident_mirrors(s, id, collect, &mirrors);
    show_ctx x = {.json = json};
    if (st == DOSSIER_OK && json) {
        ds_buf_puts(&x.b, "{\"incident\":");
        ds_incident_json(&x.b, &inc, mirrors.items, mirrors.n);
        ds_buf_puts(&x.b, ",\"claims\":[");
    } else if (st == DOSSIER_OK) {
        printf("incident %lld: %s", (long long)inc.id, ds_event_names[inc.type]);
        if (inc.date[0]) printf(" on %s", inc.date);
        if (inc.place[0]) printf(" at %s%s%s", inc.place, inc.country[0] ? ", " : "", inc.country);
        if (inc.has_coord) printf(" (%.4f, %.4f)", inc.lat, inc.lon);
        printf("\n  %d claims in %d documents from %d independent origins", inc.nclaims,
               inc.ndocs, inc.norigins);
        if (inc.source_countries[0]) printf("; asserted by sources of %s", inc.source_countries);
        printf("\n  modality %s .. %s%s%s", ds_modality_names[inc.weakest ? inc.weakest : 1],
               ds_modality_names[inc.strongest ? inc.strongest : 1],
               inc.confirmed ? ", confirmed" : "", inc.disputed ? ", disputed" : "");
        if (inc.fatalities >= 0) printf("; fatalities %lld", (long long)inc.fatalities);
        for (int i = 0; i < DS_IHL__BITS; i++)
            if (inc.ihl & (1u << i)) printf("  [%s]", ds_ihl_names[i]);
        putchar('\n');
        if (mirrors.n) {
            printf("  mirrors (same act alleged by the other side):");
            for (size_t i = 0; i < mirrors.n; i++)
                printf(" %lld", (long long)((int64_t *)mirrors.items)[i]);
            putchar('\n');
        }
        printf("claims:\n");
    }
    if (st == DOSSIER_OK) st = s->ops->incident_claims(s, id, print_claim, &x);
    if (st == DOSSIER_OK && json) {
        ds_buf_puts(&x.b, "]}\n");
        if (x.b.oom) st = DOSSIER_ENOMEM;
        else fwrite(x.b.p, 1, x.b.n, stdout);
    }
    ds_buf_free(&x.b);
    ds_vec_free(&mirrors);
    if (st != DOSSIER_OK) {
        cli_error("show failed: %s", s->err[0] ? s->err : dossier_strerror(st));
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

typedef struct doc_ctx {
    bool json;
    ds_store *s;
    dossier_status st;
} doc_ctx;

static dossier_status list_copy(const ds_doc_row *d, void *user)
{
    show_ctx *x = user;
    x->n++;
    if (x->json) {
        if (x->n > 1) ds_buf_putc(&x->b, ',');
        ds_doc_row_json(&x->b, d, false);
    } else {
        printf("  %.19s  %s  %s\n", d->doc_id, d->outlet ? d->outlet : "-",
               d->title ? d->title : "");
    }
    return DOSSIER_OK;
}

static dossier_status print_doc(const ds_doc_row *d, void *user)
{
    doc_ctx *dc = user;
    show_ctx x = {.json = dc->json};
    if (dc->json) {
        ds_buf_puts(&x.b, "{\"doc\":");
        ds_doc_row_json(&x.b, d, true);
        ds_buf_puts(&x.b, ",\"claims\":[");
    } else {
        printf("document %s\n  path %s\n  title %s\n  outlet %s  published %s  origin %s\n",
               d->doc_id, d->path ? d->path : "-", d->title ? d->title : "-",
               d->outlet ? d->outlet : "-", d->published ? d->published : "-",
               d->origin ? d->origin : "-");
        if (d->flags && *d->flags) printf("  flags %s\n", d->flags);
        printf("  %d sentences, %d claims; dropped %d boilerplate, %d duplicate lines\n",
               d->nsentences, d->nclaims, d->dropped_boilerplate, d->dropped_duplicate);
        printf("  origin cluster %lld (%s): %d documents\n\n%s\n\nclaims:\n",
               (long long)d->cluster, d->cluster_label ? d->cluster_label : "-",
               d->cluster_size, d->text ? d->text : "");
    }
    /* strings of d stay valid: the nested queries use other statements */
    dossier_status st = dc->s->ops->doc_claims(dc->s, d->id, print_claim, &x);
    if (dc->json) ds_buf_puts(&x.b, "],\"cluster_documents\":[");
    else printf("documents of the same origin cluster:\n");
    show_ctx y = {.json = dc->json};
    if (st == DOSSIER_OK) st = dc->s->ops->cluster_docs(dc->s, d->cluster, list_copy, &y);
    if (dc->json) {
        ds_buf_put(&x.b, y.b.p, y.b.n);
        ds_buf_puts(&x.b, "]}\n");
        if (x.b.oom || y.b.oom) st = DOSSIER_ENOMEM;
        else if (st == DOSSIER_OK) fwrite(x.b.p, 1, x.b.n, stdout);
    }
    ds_buf_free(&x.b);
    ds_buf_free(&y.b);
    return st;
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

int cmd_show(int argc, char **argv)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'D'},
                                          {"json", no_argument, 0, 'J'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *db = cli_default_db();
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'J': json = true; break;
        case 'h':
            printf("usage: dossier show [--db FILE] [--json] INCIDENT|DOC\n\n"
                   "INCIDENT is an incident number (see dossier incidents); DOC is a document\n"
                   "id (sha256:…) or a prefix of its hex digits.\n");
            return EXIT_OK;
        default: return EXIT_FATAL;
        }
    }
    if (optind != argc - 1) {
        cli_error("show expects one INCIDENT number or DOC id (see dossier show --help)");
        return EXIT_FATAL;
    }
    const char *id = argv[optind];
    ds_store *s = cli_open_store(db, true);
    int rc;
    if (all_digits(id)) {
        rc = show_incident(s, strtoll(id, NULL, 10), json);
        if (rc >= 0) {
            ds_store_close(s);
            return rc;
        }
        if (strlen(id) < 4) {
            cli_error("no incident %s", id);
            ds_store_close(s);
            return EXIT_SKIPPED;
        }
    }
    doc_ctx dc = {.json = json, .s = s};
    dossier_status st = s->ops->get_doc(s, id, print_doc, &dc);
    rc = EXIT_OK;
    if (st == DOSSIER_ENOTFOUND) {
        cli_error("no incident or document '%s'", id);
        rc = EXIT_SKIPPED;
    } else if (st != DOSSIER_OK) {
        cli_error("%s", s->err[0] ? s->err : dossier_strerror(st));
        rc = st == DOSSIER_EINVAL ? EXIT_SKIPPED : EXIT_FATAL;
    }
    ds_store_close(s);
    return rc;
}

typedef struct search_ctx {
    bool json, tty;
    long n;
} search_ctx;

static dossier_status print_hit(const ds_search_hit *h, void *user)
{
    search_ctx *x = user;
    x->n++;
    if (x->json) {
        ds_buf b = {0};
        ds_hit_json(&b, h);
        if (b.oom) {
            ds_buf_free(&b);
            return DOSSIER_ENOMEM;
        }
        printf("%s%.*s", x->n > 1 ? ",\n" : "", (int)b.n, b.p);
        ds_buf_free(&b);
        return DOSSIER_OK;
    }
    char claim[64] = "-";
    if (h->claim)
        snprintf(claim, sizeof claim, "%s #%lld", ds_event_names[h->claim_type],
                 (long long)h->incident);
    printf("%-14.14s ", h->doc_id ? h->doc_id + 7 : "");
    cli_cell(h->outlet ? h->outlet : "-", 16, true);
    putchar(' ');
    cli_cell(claim, 16, true);
    putchar(' ');
    if (x->tty) cli_cell(h->snippet, 80, false);
    else fputs(h->snippet ? h->snippet : "", stdout);
    putchar('\n');
    return DOSSIER_OK;
}

int cmd_search(int argc, char **argv)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'D'},
                                          {"json", no_argument, 0, 'J'},
                                          {"limit", required_argument, 0, 'l'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *db = cli_default_db();
    search_ctx x = {.tty = isatty(1)};
    long limit = 50;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'J': x.json = true; break;
        case 'l': limit = cli_parse_long("--limit", optarg, 1, 1000000); break;
        case 'h':
            printf("usage: dossier search [--db FILE] [--json] [--limit N] \"QUERY\"\n\n"
                   "Full-text search (SQLite FTS5 syntax: words, \"a phrase\", AND, OR, NOT,\n"
                   "prefix*, NEAR(a b, 5)) over stored sentences; shows the document, its\n"
                   "outlet, the claim of the sentence and its incident; matches in [brackets].\n");
            return EXIT_OK;
        default: return EXIT_FATAL;
        }
    }
    if (optind != argc - 1 || !*argv[optind]) {
        cli_error("search expects one QUERY (see dossier search --help)");
        return EXIT_FATAL;
    }
    ds_store *s = cli_open_store(db, true);
    if (x.json) printf("[");
    else printf("%-14s %-16s %-16s %s\n", "DOC", "OUTLET", "CLAIM #INCIDENT", "SENTENCE");
    dossier_status st = s->ops->search(s, argv[optind], limit, print_hit, &x);
    if (x.json) printf("]\n");
    int rc = x.n ? EXIT_OK : EXIT_SKIPPED;
    if (st != DOSSIER_OK) {
        cli_error("%s", s->err[0] ? s->err : dossier_strerror(st));
        rc = st == DOSSIER_EINVAL ? EXIT_FATAL : EXIT_FATAL;
    } else if (!x.json && !x.n) {
        fprintf(stderr, "dossier: nothing matches\n");
    }
    ds_store_close(s);
    return rc;
}
