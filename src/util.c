/*
 * util.c — allocation hook, arena, buffers, UTF-8 repair, hashing, files.
 *
 * The arena is hand-written because it is a dozen lines and every document
 * needs one; no Debian library offers a smaller one.  UTF-8 decoding uses
 * utf8proc; SHA-256 uses OpenSSL's libcrypto.
 */
#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- allocation hook ---------------------------------------------------- */
static dossier_allocator g_alloc;
static bool g_alloc_set;

void dossier_set_allocator(const dossier_allocator *a)
{
    if (a) {
        g_alloc = *a;
        g_alloc_set = true;
    } else {
        g_alloc_set = false;
    }
}

void *ds_malloc(size_t n)
{
    if (n == 0) n = 1;
    return g_alloc_set ? g_alloc.malloc_fn(n, g_alloc.user) : malloc(n);
}

void *ds_calloc(size_t count, size_t n)
{
    if (n && count > SIZE_MAX / n) return NULL;
    void *p = ds_malloc(count * n);
    if (p) memset(p, 0, count * n);
    return p;
}

void *ds_realloc(void *p, size_t n)
{
    if (n == 0) n = 1;
    return g_alloc_set ? g_alloc.realloc_fn(p, n, g_alloc.user) : realloc(p, n);
}

void ds_free(void *p)
{
    if (!p) return;
    if (g_alloc_set) g_alloc.free_fn(p, g_alloc.user);
    else free(p);
}

char *ds_strndup(const char *s, size_t n)
{
    char *d = ds_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *ds_strdup(const char *s) { return s ? ds_strndup(s, strlen(s)) : NULL; }

/* ---- arena -------------------------------------------------------------- */
typedef struct ds_chunk {
    struct ds_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} ds_chunk;

struct ds_arena {
    ds_chunk *head;
};

#define DS_CHUNK_MIN (64 * 1024)

ds_arena *ds_arena_new(void) { return ds_calloc(1, sizeof(ds_arena)); }

void ds_arena_free(ds_arena *a)
{
    if (!a) return;
    for (ds_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        ds_free(c);
    }
    ds_free(a);
}

void *ds_arena_alloc_raw(ds_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    ds_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > DS_CHUNK_MIN ? n : DS_CHUNK_MIN;
        if (c && c->cap * 2 > cap && c->cap < 16 * DS_CHUNK_MIN) cap = c->cap * 2;
        if (cap > SIZE_MAX - sizeof(ds_chunk)) return NULL;
        c = ds_malloc(sizeof(ds_chunk) + cap);
        if (!c) return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

void *ds_arena_alloc(ds_arena *a, size_t n)
{
    void *p = ds_arena_alloc_raw(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *ds_arena_strndup(ds_arena *a, const char *s, size_t n)
{
    char *d = ds_arena_alloc_raw(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *ds_arena_strdup(ds_arena *a, const char *s)
{
    return s ? ds_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ds_arena_printf(ds_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = n >= 0 ? ds_arena_alloc(a, (size_t)n + 1) : NULL;
    if (d) vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

/* ---- buffer ------------------------------------------------------------- */
static bool buf_grow(ds_buf *b, size_t extra)
{
    if (b->oom) return false;
    if (b->cap - b->n > extra) return true;   /* keep one byte for the NUL */
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->n <= extra) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = ds_realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void ds_buf_put(ds_buf *b, const void *s, size_t n)
{
    if (!n || !buf_grow(b, n)) return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void ds_buf_puts(ds_buf *b, const char *s) { ds_buf_put(b, s, strlen(s)); }

void ds_buf_putc(ds_buf *b, char c)
{
    if (!buf_grow(b, 1)) return;
    b->p[b->n++] = c;
}

void ds_buf_printf(ds_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        ds_buf_put(b, small, (size_t)n);
        return;
    }
    if (!buf_grow(b, (size_t)n + 1)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void ds_buf_reset(ds_buf *b) { b->n = 0; }

void ds_buf_free(ds_buf *b)
{
    ds_free(b->p);
    memset(b, 0, sizeof *b);
}

char *ds_buf_cstr(ds_buf *b)
{
    if (!buf_grow(b, 1)) return NULL;
    b->p[b->n] = 0;
    return b->p;
}

/* ---- vector ------------------------------------------------------------- */
void *ds_vec_push(ds_vec *v, size_t item_size)
{
    if (v->size == 0) v->size = item_size;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        if (cap > SIZE_MAX / item_size) return NULL;
        void *p = ds_realloc(v->items, cap * item_size);
        if (!p) return NULL;
        v->items = p;
        v->cap = cap;
    }
    void *slot = (char *)v->items + v->n * item_size;
    memset(slot, 0, item_size);
    v->n++;
    return slot;
}

void ds_vec_free(ds_vec *v)
{
    ds_free(v->items);
    memset(v, 0, sizeof *v);
}

/* work counters of every stage (internal.h); here, with the helpers every
 * stage links, so a tool that links only some stages has them */
_Thread_local uint64_t ds_work[DS_WORK__COUNT];

/* ---- text --------------------------------------------------------------- */
char *ds_utf8_repair(ds_arena *a, const unsigned char *s, size_t n, size_t *out_len,
                     bool *repaired)
{
    /* worst case: every byte becomes U+FFFD (3 bytes) */
    if (n > (SIZE_MAX - 1) / 3) return NULL;
    char *out = ds_arena_alloc_raw(a, n * 3 + 1);   /* untouched pages cost nothing */
    if (!out) return NULL;
    size_t o = 0, i = 0;
    bool bad = false;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;   /* BOM */
    while (i < n) {
        unsigned char c = s[i];
        ds_work[DS_WORK_UTF8_BYTES]++;
        if (c < 0x80) {
            if (c == '\r') {
                out[o++] = '\n';
                i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            if (c != 0) out[o++] = (char)c;
            else bad = true;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 0) {
            out[o++] = (char)0xEF;
            out[o++] = (char)0xBF;
            out[o++] = (char)0xBD;
            bad = true;
            i++;
            continue;
        }
        memcpy(out + o, s + i, (size_t)k);
        o += (size_t)k;
        i += (size_t)k;
    }
    out[o] = 0;
    *out_len = o;
    if (repaired) *repaired = bad;
    return out;
}

char *ds_iconv_to_utf8(ds_arena *a, const char *charset, const char *s, size_t n,
                       size_t *out_len, bool *bad, bool *oom)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return NULL;
    size_t cap = n * 3 + 16;   /* a byte of a single-byte charset is ≤ 3 UTF-8 bytes */
    if (strstr(charset, "16") || strstr(charset, "32")) cap = n * 2 + 16;
    char *out = ds_arena_alloc(a, cap + 4);
    if (!out) {
        if (oom) *oom = true;
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)s, *o = out;
    size_t inl = n, ol = cap;
    while (inl) {
        if (iconv(cd, &in, &inl, &o, &ol) != (size_t)-1) break;
        if (errno == E2BIG || ol < 3) break;
        /* EILSEQ / EINVAL: skip one byte, write U+FFFD */
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        ol -= 3;
        in++;
        inl--;
        *bad = true;
    }
    iconv_close(cd);
    *o = 0;
    *out_len = (size_t)(o - out);
    return out;
}

bool ds_looks_binary(const unsigned char *s, size_t n)
{
    size_t sample = n < 65536 ? n : 65536, ctl = 0, nul = 0;
    if (sample >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return false;   /* UTF-16 BOM: text, handled by the caller's decoder */
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = s[i];
        if (c == 0) nul++;
        else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b)
            ctl++;
    }
    /* A NUL run or over 10% control bytes is not text. */
    if (nul > 0 && nul * 100 > sample) return true;
    if (nul >= 4) return true;
    return ctl * 10 > sample;
}

void ds_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL)) mdlen = 0;
    for (unsigned i = 0; i < mdlen && i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[mdlen < 32 ? 2 * mdlen : 64] = 0;
}

bool ds_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return false;
    }
    return true;
}

static size_t space_at(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (len >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xA0) return 2;          /* NBSP */
    if (len >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] <= 0x8B || (unsigned char)s[2] == 0xAF))
        return 3;                                                                 /* U+2000.. */
    if (len >= 3 && c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
        return 3;                                                                 /* ideographic */
    if (len >= 3 && c == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        return 3;                                                                 /* BOM */
    return 0;
}

const char *ds_trim(const char *s, size_t *len)
{
    size_t n = *len, k;
    while (n && (k = space_at(s, n))) {
        s += k;
        n -= k;
    }
    for (;;) {
        if (!n) break;
        unsigned char c = (unsigned char)s[n - 1];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            n--;
            continue;
        }
        if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && c == 0xA0) {
            n -= 2;
            continue;
        }
        if (n >= 3 && space_at(s + n - 3, 3) == 3) {
            n -= 3;
            continue;
        }
        break;
    }
    *len = n;
    return s;
}

char *ds_data_path(const char *data_dir, const char *name)
{
    size_t a = strlen(data_dir), b = strlen(name);
    char *p = ds_malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, data_dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

dossier_status ds_read_file(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return DOSSIER_EIO;
    ds_buf b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) ds_buf_put(&b, tmp, k);
    int err = ferror(f);
    fclose(f);
    if (err) {
        ds_buf_free(&b);
        return DOSSIER_EIO;
    }
    if (!ds_buf_cstr(&b)) {
        ds_buf_free(&b);
        return DOSSIER_ENOMEM;
    }
    *out = b.p;
    *len = b.n;
    return DOSSIER_OK;
}
