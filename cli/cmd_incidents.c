/*
 * cmd_incidents.c — `dossier incidents [filters]` (a table, or --json) and
 * `dossier export --format jsonl|csv|geojson [filters]`, sharing the incident
 * filter options.
 */
#include "cli.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ds_store *cli_open_store(const char *db, bool readonly)
{
    char err[600];
    ds_store *s = NULL;
    dossier_status st = ds_store_open(db, readonly ? DS_STORE_READONLY : 0, &s, err, sizeof err);
    if (st != DOSSIER_OK) {
        cli_error("cannot open database: %s", err[0] ? err : dossier_strerror(st));
        exit(EXIT_FATAL);
    }
    return s;
}

static int32_t parse_day(const char *opt, const char *v)
{
    int32_t d = ds_day_from_iso(v);
    if (!d) {
        cli_error("%s expects a date YYYY-MM-DD (or YYYY-MM, YYYY), got '%s'", opt, v);
        exit(EXIT_FATAL);
    }
    return d;
}

static int parse_enum(const char *opt, const char *const *names, int n, const char *v)
{
    int e = ds_enum_parse(names, n, v, strlen(v));
    if (!e) {
        cli_error("%s: unknown value '%s'; one of:", opt, v);
        for (int i = 1; i < n; i++) fprintf(stderr, " %s", names[i]);
        fputc('\n', stderr);
        exit(EXIT_FATAL);
    }
    return e;
}

static void upper3(const char *opt, const char *v, char out[4])
{
    if (strlen(v) != 3) {
        cli_error("%s expects an ISO 3166 alpha-3 code (UKR, RUS), got '%s'", opt, v);
        exit(EXIT_FATAL);
    }
    for (int i = 0; i < 3; i++) out[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
    out[3] = 0;
}

bool cli_filter_option(int c, const char *v, ds_incident_filter *f, char country[4],
                       char source_country[4])
{
    switch (c) {
    case 1001: f->type = parse_enum("--type", ds_event_names, DS_EV__COUNT, v); return true;
    case 1002: upper3("--country", v, country); f->country = country; return true;
    case 1003:
        upper3("--source-country", v, source_country);
        f->source_country = source_country;
        return true;
    case 1004: {
        int bit = 0;
        for (int i = 0; i < DS_IHL__BITS; i++)
            if (!strcmp(ds_ihl_names[i], v)) bit = 1 << i;
        if (!bit) {
            cli_error("--ihl: unknown tag '%s'; one of:", v);
            for (int i = 0; i < DS_IHL__BITS; i++) fprintf(stderr, " %s", ds_ihl_names[i]);
            fputc('\n', stderr);
            exit(EXIT_FATAL);
        }
        f->ihl |= (unsigned)bit;
        return true;
    }
    case 1005: f->modality = parse_enum("--modality", ds_modality_names, DS_MOD__COUNT, v); return true;
    case 1006: f->since = parse_day("--since", v); return true;
    case 1007: f->until = parse_day("--until", v); return true;
    case 1008: {
        char *e1, *e2, *e3;
        errno = 0;
        f->lat = strtod(v, &e1);
        f->lon = *e1 == ',' ? strtod(e1 + 1, &e2) : (e2 = e1, 0);
        f->km = *e2 == ',' ? strtod(e2 + 1, &e3) : (e3 = e2, -1);
        if (*e1 != ',' || *e2 != ',' || *e3 || errno || f->lat < -90 || f->lat > 90 ||
            f->lon < -180 || f->lon > 180 || !(f->km > 0)) {
            cli_error("--near expects LAT,LON,KM (e.g. 50.45,30.52,25), got '%s'", v);
            exit(EXIT_FATAL);
        }
        f->near = true;
        return true;
    }
    case 1009: f->min_origins = (int)cli_parse_long("--min-origins", v, 0, 1000000); return true;
    case 1010: f->limit = cli_parse_long("--limit", v, 1, 1L << 40); return true;
    case 1011: f->offset = cli_parse_long("--offset", v, 0, 1L << 40); return true;
    default: return false;
    }
}

#define FILTER_LONGS                                                                      \
    {"type", required_argument, 0, 1001}, {"country", required_argument, 0, 1002},        \
        {"source-country", required_argument, 0, 1003},                                   \
        {"ihl", required_argument, 0, 1004}, {"modality", required_argument, 0, 1005},    \
        {"since", required_argument, 0, 1006}, {"until", required_argument, 0, 1007},     \
        {"near", required_argument, 0, 1008}, {"min-origins", required_argument, 0, 1009}, \
        {"limit", required_argument, 0, 1010}, {"offset", required_argument, 0, 1011}

#define FILTER_HELP                                                                         \
    "      --type T            attack, threaten, capture, seize, surrender, flee, exchange,\n" \
    "                          casualties\n"                                               \
    "      --country ISO3      place, actor or target country\n"                           \
    "      --source-country ISO3  a country whose sources assert it\n"                     \
    "      --ihl TAG           e.g. attack_on_civilians, killing_hors_de_combat\n"         \
    "      --modality M        a claim with this modality (asserted, reported, alleged,\n" \
    "                          confirmed, disputed, denied, hypothetical)\n"               \
    "      --since DATE, --until DATE   best date within (YYYY-MM-DD)\n"                   \
    "      --near LAT,LON,KM   within KM of a point\n"                                     \
    "      --min-origins N     at least N independent origins\n"                           \
    "      --limit N, --offset N\n"                                                        \
    "      --db FILE           database (default $DOSSIER_DB or dossier.db)\n"

typedef struct list_ctx {
    ds_store *s;
    bool json, tty;
    int width;
    long n;
} list_ctx;

static dossier_status collect(int64_t id, void *user)
{
    int64_t *slot = ds_vec_push(user, sizeof(int64_t));
    if (!slot) return DOSSIER_ENOMEM;
    *slot = id;
    return DOSSIER_OK;
}

/* Print s in at most w columns (UTF-8 aware, "…" when cut), padded. */
void cli_cell(const char *s, int w, bool pad)
{
    s = s ? s : "";
    int cols = 0;
    const char *p = s;
    while (*p && cols < w) {
        int len = 1;
        unsigned char c = (unsigned char)*p;
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (cols == w - 1 && strlen(p) > (size_t)len) {
            fputs("…", stdout);
            cols++;
            p += strlen(p);
            break;
        }
        fwrite(p, 1, (size_t)len, stdout);
        p += len;
        cols++;
    }
    while (pad && cols++ < w) putchar(' ');
}

static dossier_status print_incident(const ds_incident *inc, void *user)
{
    list_ctx *x = user;
    x->n++;
    if (x->json) {
        ds_vec m = {0};
        dossier_status r = x->s->ops->incident_mirrors(x->s, inc->id, collect, &m);
        ds_buf b = {0};
        if (r == DOSSIER_OK) ds_incident_json(&b, inc, m.items, m.n);
        ds_vec_free(&m);
        if (r == DOSSIER_OK && b.oom) r = DOSSIER_ENOMEM;
        if (r == DOSSIER_OK) printf("%s%.*s", x->n > 1 ? ",\n" : "", (int)b.n, b.p);
        ds_buf_free(&b);
        return r;
    }
    char place[140], ihl[200] = "", mod[40];
    snprintf(place, sizeof place, "%s%s%s", inc->place[0] ? inc->place : "-",
             inc->country[0] ? " " : "", inc->country);
    for (int i = 0; i < DS_IHL__BITS; i++)
        if (inc->ihl & (1u << i)) {
            if (ihl[0]) strcat(ihl, ",");
            strcat(ihl, ds_ihl_names[i]);
        }
    /* the strongest modality, and whether another claim confirms or disputes
     * it (not repeated when the strongest already says so) */
    snprintf(mod, sizeof mod, "%s%s%s", inc->strongest ? ds_modality_names[inc->strongest] : "-",
             inc->confirmed && inc->strongest != DS_MOD_CONFIRMED ? "+conf" : "",
             inc->disputed && inc->strongest != DS_MOD_DISPUTED ? "+disp" : "");
    printf("%-5lld ", (long long)inc->id);
    cli_cell(ds_event_names[inc->type], 10, true);
    putchar(' ');
    cli_cell(inc->date[0] ? inc->date : "-", 10, true);
    putchar(' ');
    cli_cell(place, 18, true);
    printf(" %4d %4d %4d ", inc->norigins, inc->ndocs, inc->nclaims);
    cli_cell(mod, 18, true);
    putchar(' ');
    cli_cell(inc->nmirrors ? "yes" : "", 3, true);
    putchar(' ');
    int rest = x->width - 84;
    if (x->tty) cli_cell(inc->summary, rest > 20 ? rest : 20, false);
    else fputs(inc->summary, stdout);
    if (ihl[0]) printf(" [%s]", ihl);
    putchar('\n');
    return DOSSIER_OK;
}

int cmd_incidents(int argc, char **argv)
{
    static const struct option longs[] = {FILTER_LONGS,
                                          {"db", required_argument, 0, 'D'},
                                          {"json", no_argument, 0, 'J'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    ds_incident_filter f = {0};
    char cc[4], sc[4];
    const char *db = cli_default_db();
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (cli_filter_option(c, optarg, &f, cc, sc)) continue;
        switch (c) {
        case 'D': db = optarg; break;
        case 'J': json = true; break;
        case 'h':
            printf("usage: dossier incidents [OPTIONS]\n\nList incidents (one real-world event "
                   "each, with the claims of every document about it).\n\noptions:\n%s"
                   "      --json              a JSON array\n\n"
                   "columns: ID TYPE DATE PLACE ORIG(independent origins) DOCS CLAIMS\n"
                   "MODALITY(strongest) MIR(has mirrors) SUMMARY [IHL]\n",
                   FILTER_HELP);
            return EXIT_OK;
        default: return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s' (see dossier incidents --help)", argv[optind]);
        return EXIT_FATAL;
    }
    ds_store *s = cli_open_store(db, true);
    list_ctx x = {.s = s, .json = json, .tty = isatty(1), .width = 120};
    const char *cols = getenv("COLUMNS");
    if (cols && atoi(cols) > 60) x.width = atoi(cols);
    if (json) printf("[");
    else
        printf("%-5s %-10s %-10s %-18s %4s %4s %4s %-18s %-3s %s\n", "ID", "TYPE", "DATE",
               "PLACE", "ORIG", "DOCS", "CLMS", "MODALITY", "MIR", "SUMMARY");
    dossier_status st = s->ops->query_incidents(s, &f, print_incident, &x);
    if (json) printf("]\n");
    if (st != DOSSIER_OK) {
        cli_error("query failed: %s", s->err[0] ? s->err : dossier_strerror(st));
        ds_store_close(s);
        return EXIT_FATAL;
    }
    if (!json && x.n == 0) fprintf(stderr, "dossier: no incidents match\n");
    ds_store_close(s);
    return x.n ? EXIT_OK : EXIT_SKIPPED;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longs[] = {FILTER_LONGS,
                                          {"db", required_argument, 0, 'D'},
                                          {"format", required_argument, 0, 'f'},
                                          {"output", required_argument, 0, 'o'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    ds_incident_filter f = {0};
    char cc[4], sc[4];
    const char *db = cli_default_db(), *output = NULL;
    ds_export_format fmt = DS_EXPORT_JSONL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", longs, NULL)) != -1) {
        if (cli_filter_option(c, optarg, &f, cc, sc)) continue;
        switch (c) {
        case 'D': db = optarg; break;
        case 'o': output = optarg; break;
        case 'f':
            if (!strcmp(optarg, "jsonl")) fmt = DS_EXPORT_JSONL;
            else if (!strcmp(optarg, "csv")) fmt = DS_EXPORT_CSV;
            else if (!strcmp(optarg, "geojson")) fmt = DS_EXPORT_GEOJSON;
            else {
                cli_error("--format expects jsonl, csv or geojson, got '%s'", optarg);
                return EXIT_FATAL;
            }
            break;
        case 'h':
            printf("usage: dossier export --format jsonl|csv|geojson [OPTIONS]\n\n"
                   "Write incidents: jsonl (one incident per line with its claims), csv (ACLED\n"
                   "columns event_date, event_type, sub_event_type, actor1, actor2, country,\n"
                   "admin1, location, latitude, longitude, source, notes, fatalities, then\n"
                   "dossier's own), geojson (a FeatureCollection of incidents with coordinates,\n"
                   "for QGIS or Leaflet).\n\noptions:\n"
                   "  -f, --format F          jsonl (default), csv, geojson\n"
                   "  -o, --output FILE       instead of standard output\n%s",
                   FILTER_HELP);
            return EXIT_OK;
        default: return EXIT_FATAL;
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s' (see dossier export --help)", argv[optind]);
        return EXIT_FATAL;
    }
    ds_store *s = cli_open_store(db, true);
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        cli_error("cannot write %s: %s", output, strerror(errno));
        ds_store_close(s);
        return EXIT_FATAL;
    }
    int64_t n = 0, nocoord = 0;
    dossier_status st = ds_export(s, &f, fmt, out, &n, &nocoord);
    if (fflush(out) != 0 && st == DOSSIER_OK) st = DOSSIER_EIO;
    if (output) fclose(out);
    if (st != DOSSIER_OK) {
        cli_error("export failed: %s%s%s", dossier_strerror(st), s->err[0] ? ": " : "", s->err);
        ds_store_close(s);
        return EXIT_FATAL;
    }
    if (nocoord)
        fprintf(stderr, "dossier: %lld incidents without coordinates left out of GeoJSON\n",
                (long long)nocoord);
    ds_store_close(s);
    return EXIT_OK;
}
