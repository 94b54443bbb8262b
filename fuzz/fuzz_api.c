/* fuzz_api.c — the HTTP API's request handling: the input is a request
 * target ("/api/incidents?type=attack&near=48.5,35,20"), split into path and
 * query arguments and percent-decoded the way libmicrohttpd hands them to
 * the server, then answered by ds_api_answer over a small database built at
 * start-up from the text seeds (fuzz/corpus/text, or $FUZZ_API_DOCS).  Every
 * answer must be a valid JSON object with a 2xx/4xx status. */
#include "fuzz.h"
#include "serve.h"
#include "store.h"

#include <cjson/cJSON.h>

#define MAX_ARGS 32

typedef struct args {
    char *name[MAX_ARGS], *value[MAX_ARGS];
    int n;
} args;

static const char *get_arg(void *req, const char *name)
{
    args *a = req;
    for (int i = 0; i < a->n; i++)
        if (!strcmp(a->name[i], name)) return a->value[i];
    return NULL;
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* percent-decode in place ('+' is a space in query values) */
static void unescape(char *s, bool plus)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        int hi, lo;
        if (*r == '%' && (hi = hexv(r[1])) >= 0 && (lo = hexv(r[2])) >= 0) {
            int c = hi * 16 + lo;
            *w++ = c ? (char)c : 1;   /* a decoded NUL cannot end the string early */
            r += 2;
        } else {
            *w++ = plus && *r == '+' ? ' ' : *r;
        }
    }
    *w = 0;
}

static dossier_status store_doc(const dossier_input *in, void *user)
{
    dossier_doc *d = NULL;
    if (dossier_extract(fuzz_ctx(), in, &d) == DOSSIER_OK) ds_ingest_doc(user, d);
    dossier_doc_free(d);
    return DOSSIER_OK;
}

static ds_api *api(void)
{
    static ds_api *a;
    if (a) return a;
    const char *dir = getenv("TMPDIR");
    static char db[256];
    snprintf(db, sizeof db, "%s/dossier-fuzz-api-%d.db", dir && *dir ? dir : "/tmp", (int)getpid());
    char err[512];
    ds_store *s = NULL;
    ds_ingest *in = NULL;
    if (ds_store_open(db, 0, &s, err, sizeof err) != DOSSIER_OK ||
        ds_ingest_new(s, 0, &in) != DOSSIER_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err);
        abort();
    }
    const char *docs = getenv("FUZZ_API_DOCS");
    dossier_options o = {0};
    dossier_ingest_path(docs && *docs ? docs : "fuzz/corpus/text", &o, store_doc, fuzz_on_error,
                        in);
    if (ds_ingest_flush(in) != DOSSIER_OK) abort();
    ds_ingest_free(in);
    ds_store_close(s);
    if (ds_api_open(db, &a, err, sizeof err) != DOSSIER_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err);
        abort();
    }
    return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;   /* the server refuses longer request lines */
    ds_api *a = api();
    char *url = malloc(size + 6);
    if (!url) return 0;
    memcpy(url, "/api/", 5);
    size_t k = 5;
    for (size_t i = 0; i < size; i++)   /* MHD never passes NUL, CR or LF */
        if (data[i] && data[i] != '\r' && data[i] != '\n') url[k++] = (char)data[i];
    url[k] = 0;
    /* a request target may repeat the prefix: keep whatever came after "/api/" */
    args q = {0};
    char *qs = strchr(url, '?');
    if (qs) {
        *qs++ = 0;
        for (char *p = qs; p && *p && q.n < MAX_ARGS;) {
            char *amp = strchr(p, '&');
            if (amp) *amp++ = 0;
            char *eq = strchr(p, '=');
            if (eq) *eq++ = 0;
            unescape(p, true);
            if (eq) unescape(eq, true);
            q.name[q.n] = p;
            q.value[q.n++] = eq ? eq : p + strlen(p);
            p = amp;
        }
    }
    unescape(url, false);
    int status = 0;
    char *body = NULL;
    size_t len = 0;
    if (ds_api_answer(a, url, get_arg, &q, &status, &body, &len) == DOSSIER_OK) {
        if (!body || strlen(body) != len) abort();
        if (status < 200 || status >= 500) {
            fprintf(stderr, "status %d for %s: %s\n", status, url, body);
            abort();
        }
        cJSON *j = cJSON_ParseWithLength(body, len);
        if (!j || !cJSON_IsObject(j)) {
            fprintf(stderr, "not a JSON object for %s: %.200s\n", url, body);
            abort();
        }
        cJSON_Delete(j);
        ds_free(body);
    }
    free(url);
    return 0;
}
