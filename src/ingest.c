/*
 * ingest.c — find raw documents: files, directories (recursive, sorted by
 * name), stdin; gzip decompressed transparently (zlib's gz* reader passes
 * plain files through); JSONL containers read line by line in constant
 * memory, one document per line (cJSON).
 */
#include "internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_DEPTH 64
#define SNIFF 65536

typedef struct walk {
    const dossier_options *opts;
    size_t max_doc;
    dossier_input_cb on_input;
    dossier_error_cb on_error;
    void *user;
} walk;

static void report(walk *w, const char *path, dossier_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(walk *w, const char *path, dossier_status st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (w->on_error) w->on_error(path, st, msg, w->user);
}

static bool has_suffix(const char *path, const char *suf)
{
    size_t a = strlen(path), b = strlen(suf);
    return a >= b && ds_ieq(path + a - b, suf, b);
}

static bool path_is_jsonl(const char *p)
{
    return has_suffix(p, ".jsonl") || has_suffix(p, ".ndjson") || has_suffix(p, ".jsonl.gz") ||
           has_suffix(p, ".ndjson.gz");
}

/* gz error after reading: truncated/corrupt compressed data. */
static bool gz_failed(gzFile gz, const char **msg)
{
    int err = Z_OK;
    const char *m = gzerror(gz, &err);
    if (err == Z_OK || err == Z_STREAM_END) return false;
    *msg = m && *m ? m : "read error";
    /* zlib prefixes the stream name, "<fd:3>: ": the caller names the file */
    const char *sep = strncmp(*msg, "<fd:", 4) == 0 ? strstr(*msg, ": ") : NULL;
    if (sep) *msg = sep + 2;
    return true;
}

/* ---- JSONL ---------------------------------------------------------------- */
static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static dossier_status json_line(walk *w, const char *path, long lineno, const char *line,
                                size_t len)
{
    char where[1200];
    snprintf(where, sizeof where, "%s:%ld", path, lineno);
    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        report(w, where, DOSSIER_EFORMAT, "not a JSON object");
        return DOSSIER_OK;
    }
    const char *html = jstr(o, "html"), *text = jstr(o, "text");
    if (!html && !text) text = jstr(o, "content");
    if (!html && !text) text = jstr(o, "body");
    if (!html && !text) {
        cJSON_Delete(o);
        report(w, where, DOSSIER_EFORMAT,
               "no \"text\" or \"html\" field (dossier does not fetch URLs)");
        return DOSSIER_OK;
    }
    dossier_input in = {0};
    in.path = where;
    in.url = jstr(o, "url");
    in.title = jstr(o, "title");
    in.published = jstr(o, "published");
    if (!in.published) in.published = jstr(o, "date");
    if (!in.published) in.published = jstr(o, "published_at");
    in.outlet = jstr(o, "outlet");
    if (!in.outlet) in.outlet = jstr(o, "site");
    in.byline = jstr(o, "byline");
    if (!in.byline) in.byline = jstr(o, "author");
    in.bytes = (const unsigned char *)(html ? html : text);
    in.len = strlen(html ? html : text);
    in.format = html ? DOSSIER_FORMAT_HTML : DOSSIER_FORMAT_TEXT;
    in.id_bytes = (const unsigned char *)line;
    in.id_len = len;
    /* keep the other fields */
    static const char *const known[] = {"html", "text", "content", "body", "url", "title",
                                        "published", "date", "published_at", "outlet", "site",
                                        "byline", "author"};
    cJSON *extra = cJSON_CreateObject();
    char *extra_s = NULL;
    if (extra) {
        for (cJSON *it = o->child; it; it = it->next) {
            bool k = false;
            for (size_t i = 0; i < DS_ARRAY_LEN(known) && !k; i++)
                k = it->string && strcmp(it->string, known[i]) == 0;
            if (!k && it->string) cJSON_AddItemReferenceToObject(extra, it->string, it);
        }
        if (extra->child) extra_s = cJSON_PrintUnformatted(extra);
        cJSON_Delete(extra);
    }
    in.extra_json = extra_s;
    dossier_status st = w->on_input(&in, w->user);
    cJSON_free(extra_s);
    cJSON_Delete(o);
    return st;
}

/* Read JSONL from gz; `head` holds the first bytes already read. */
static dossier_status read_jsonl(walk *w, const char *path, gzFile gz, ds_buf *buf)
{
    long lineno = 0;
    size_t limit = w->max_doc * 2 + 1024;   /* a line holds a JSON-escaped document */
    bool skipping = false;
    dossier_status st = DOSSIER_OK;
    char chunk[65536];
    for (;;) {
        /* process complete lines in buf */
        size_t off = 0;
        for (;;) {
            char *nl = memchr(buf->p + off, '\n', buf->n - off);
            if (!nl) break;
            size_t len = (size_t)(nl - (buf->p + off));
            lineno++;
            if (skipping) {
                skipping = false;
            } else {
                const char *l = buf->p + off;
                size_t tl = len;
                l = ds_trim(l, &tl);
                if (tl) st = json_line(w, path, lineno, l, tl);
                if (st != DOSSIER_OK) return st;
            }
            off += len + 1;
        }
        if (off) {
            memmove(buf->p, buf->p + off, buf->n - off);
            buf->n -= off;
        }
        if (buf->n > limit) {
            char where[1200];
            snprintf(where, sizeof where, "%s:%ld", path, lineno + 1);
            report(w, where, DOSSIER_ETOOBIG, "line longer than %zu bytes skipped", limit);
            buf->n = 0;
            skipping = true;
        }
        int k = gzread(gz, chunk, sizeof chunk);
        if (k <= 0) break;
        ds_buf_put(buf, chunk, (size_t)k);
        if (buf->oom) return DOSSIER_ENOMEM;
    }
    const char *msg;
    if (gz_failed(gz, &msg)) {
        report(w, path, DOSSIER_ETRUNCATED, "compressed data truncated or corrupt (%s); "
               "%ld lines read", msg, lineno);
        return DOSSIER_OK;
    }
    if (buf->n && !skipping) {   /* last line without newline */
        size_t tl = buf->n;
        const char *l = ds_trim(buf->p, &tl);
        if (tl) st = json_line(w, path, lineno + 1, l, tl);
    }
    return st;
}

static bool first_line_is_json_object(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i >= n || s[i] != '{') return false;
    const char *nl = memchr(s + i, '\n', n - i);
    if (!nl) nl = s + n;   /* one object without a final newline is a line too */
    cJSON *o = cJSON_ParseWithLength(s + i, (size_t)(nl - (s + i)));
    bool ok = o && cJSON_IsObject(o) &&
              (cJSON_GetObjectItem(o, "text") || cJSON_GetObjectItem(o, "html") ||
               cJSON_GetObjectItem(o, "content") || cJSON_GetObjectItem(o, "body"));
    cJSON_Delete(o);
    return ok;
}

/* ---- one file ------------------------------------------------------------- */
static dossier_status read_fd(walk *w, const char *path, int fd)
{
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        report(w, path, DOSSIER_ENOMEM, "cannot open stream");
        return DOSSIER_OK;
    }
    gzbuffer(gz, 131072);
    ds_buf buf = {0};
    char chunk[65536];
    dossier_status st = DOSSIER_OK;
    /* sniff */
    while (buf.n < SNIFF) {
        int k = gzread(gz, chunk, sizeof chunk);
        if (k <= 0) break;
        ds_buf_put(&buf, chunk, (size_t)k);
    }
    const char *msg;
    if (buf.oom) {
        st = DOSSIER_ENOMEM;
        goto out;
    }
    if (buf.n == 0) {
        if (gz_failed(gz, &msg))
            report(w, path, DOSSIER_ETRUNCATED, "compressed data truncated or corrupt (%s)", msg);
        else
            report(w, path, DOSSIER_EEMPTY, "empty file");
        goto out;
    }
    bool jsonl = path_is_jsonl(path) || first_line_is_json_object(buf.p, buf.n);
    if (jsonl) {
        st = read_jsonl(w, path, gz, &buf);
        goto out;
    }
    /* one document: read up to the limit (+1 byte to know it was exceeded) */
    while (buf.n <= w->max_doc) {
        int k = gzread(gz, chunk, sizeof chunk);
        if (k <= 0) break;
        ds_buf_put(&buf, chunk, (size_t)k);
        if (buf.oom) {
            st = DOSSIER_ENOMEM;
            goto out;
        }
    }
    if (gz_failed(gz, &msg)) {
        report(w, path, DOSSIER_ETRUNCATED, "compressed data truncated or corrupt (%s)", msg);
        goto out;
    }
    if (buf.n > w->max_doc)
        report(w, path, DOSSIER_ETOOBIG,
               "larger than the %zu-byte document limit (--max-doc-bytes): truncated, flagged",
               w->max_doc);
    dossier_input in = {0};
    in.path = path;
    in.bytes = (const unsigned char *)buf.p;
    in.len = buf.n;
    st = w->on_input(&in, w->user);
out:
    ds_buf_free(&buf);
    gzclose(gz);
    return st;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static dossier_status walk_path(walk *w, const char *path, int depth)
{
    if (strcmp(path, "-") == 0) {
        int fd = dup(0);
        if (fd < 0) {
            report(w, "<stdin>", DOSSIER_EIO, "cannot read standard input: %s", strerror(errno));
            return DOSSIER_OK;
        }
        return read_fd(w, "-", fd);
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        report(w, path, DOSSIER_EIO, "cannot read: %s", strerror(errno));
        return DOSSIER_OK;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (depth >= MAX_DEPTH) {
            report(w, path, DOSSIER_ETOOBIG, "directory nested deeper than %d levels skipped",
                   MAX_DEPTH);
            return DOSSIER_OK;
        }
        DIR *d = opendir(path);
        if (!d) {
            report(w, path, DOSSIER_EIO, "cannot read directory: %s", strerror(errno));
            return DOSSIER_OK;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        dossier_status st = DOSSIER_OK;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.') continue;   /* ., .., hidden files */
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nn = ds_realloc(names, cap * sizeof *nn);
                if (!nn) {
                    st = DOSSIER_ENOMEM;
                    break;
                }
                names = nn;
            }
            if (!(names[n] = ds_strdup(de->d_name))) {
                st = DOSSIER_ENOMEM;
                break;
            }
            n++;
        }
        closedir(d);
        if (st == DOSSIER_OK) qsort(names, n, sizeof *names, cmp_names);
        for (size_t i = 0; i < n && st == DOSSIER_OK; i++) {
            size_t pl = strlen(path);
            char *child = ds_malloc(pl + strlen(names[i]) + 2);
            if (!child) {
                st = DOSSIER_ENOMEM;
                break;
            }
            sprintf(child, "%s%s%s", path, (pl && path[pl - 1] == '/') ? "" : "/", names[i]);
            st = walk_path(w, child, depth + 1);
            ds_free(child);
        }
        for (size_t i = 0; i < n; i++) ds_free(names[i]);
        ds_free(names);
        return st;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report(w, path, DOSSIER_EIO, "cannot read: %s", strerror(errno));
        return DOSSIER_OK;
    }
    return read_fd(w, path, fd);
}

dossier_status dossier_ingest_path(const char *path, const dossier_options *opts,
                                   dossier_input_cb on_input, dossier_error_cb on_error,
                                   void *user)
{
    if (!path || !on_input) return DOSSIER_EINVAL;
    dossier_options o = {0};
    if (opts) o = *opts;
    ds_options_defaults(&o);
    walk w = {&o, o.max_doc_bytes, on_input, on_error, user};
    return walk_path(&w, path, 0);
}
