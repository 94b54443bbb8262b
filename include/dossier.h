/*
 * dossier.h — the one public API of dossier.
 *
 * dossier reads war reporting (plain text, HTML, JSONL, gzip), cleans it to the
 * article body, splits sentences and extracts claims: who did what to whom,
 * where, when, according to whom, on what evidence, how hedged.  Output follows
 * records format v1 (../shared/spec/records.md).
 *
 * Conventions (as in cmark, curl, SQLite):
 *   - every handle is opaque and made by dossier_X_new(), released by
 *     dossier_X_free(); every _free accepts NULL;
 *   - functions that can fail return a dossier_status; dossier_strerror() names it;
 *   - ownership is stated on each function: "caller frees" or "valid until …".
 *
 * Thread safety: a dossier_ctx is read-only after dossier_ctx_new() and may be
 * shared by any number of threads; a dossier_doc belongs to one thread.
 */
#ifndef DOSSIER_H
#define DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOSSIER_VERSION "0.1.0"
#define DOSSIER_RECORDS_VERSION 1

typedef enum dossier_status {
    DOSSIER_OK = 0,
    DOSSIER_ENOMEM,     /* an allocation failed */
    DOSSIER_EIO,        /* a file could not be read or written (see errno) */
    DOSSIER_EINVAL,     /* an argument was invalid */
    DOSSIER_EEMPTY,     /* the input holds no text */
    DOSSIER_EBINARY,    /* the input is binary, not text */
    DOSSIER_ETRUNCATED, /* compressed input ends early or is corrupt */
    DOSSIER_EFORMAT,    /* the input is malformed (bad JSON line, …) */
    DOSSIER_ETOOBIG,    /* the input exceeds a configured limit */
    DOSSIER_EDATA,      /* a data file (lexicon, gazetteer) is missing or bad */
    DOSSIER_EDB,        /* the database reported an error */
    DOSSIER_EBUSY,      /* the database is locked by another process */
    DOSSIER_ESCHEMA,    /* the database schema is newer than this program */
    DOSSIER_ENOTFOUND,  /* no such document, incident or record */
    DOSSIER_EFULL,      /* disk full or file size limit reached */
    DOSSIER_EREADONLY,  /* the database or path cannot be written */
    DOSSIER_STATUS_COUNT
} dossier_status;

/* A static, human-readable name for a status.  Never NULL; never freed. */
const char *dossier_strerror(dossier_status st);

/* ------------------------------------------------------------------------ */
/* Options and limits.                                                        */

typedef struct dossier_options {
    size_t max_doc_bytes;       /* larger inputs are truncated + flagged; 0 = default (32 MiB) */
    size_t max_sentence_bytes;  /* longer sentences are not searched for claims; 0 = 4096 */
    size_t max_claims;          /* per document; 0 = default (2000) */
    int    no_claims;           /* 1: skip claim extraction (cleaning only) */
} dossier_options;

/* ------------------------------------------------------------------------ */
/* Context: data (lexicons, patterns, gazetteer) loaded once.                 */

typedef struct dossier_ctx dossier_ctx;

/*
 * Load the data directory (NULL: $DOSSIER_DATA, else the installed or
 * source-tree data/).  On success *out is a new context, caller frees with
 * dossier_ctx_free().  On failure *out is NULL and, if errbuf is not NULL, a
 * message naming the file and line is written to it (errlen bytes at most).
 */
dossier_status dossier_ctx_new(const char *data_dir, const dossier_options *opts,
                               dossier_ctx **out, char *errbuf, size_t errlen);
void dossier_ctx_free(dossier_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Input: one raw document.                                                   */

typedef enum dossier_format {
    DOSSIER_FORMAT_AUTO = 0,  /* detect from content (and path extension) */
    DOSSIER_FORMAT_TEXT,
    DOSSIER_FORMAT_HTML
} dossier_format;

typedef struct dossier_input {
    const char *path;       /* shown in doc.path; may be NULL */
    const char *url;        /* may be NULL */
    const unsigned char *bytes; /* the raw bytes (already decompressed) */
    size_t len;
    dossier_format format;
    /* Metadata given by a container (a JSONL line); NULL when absent. */
    const char *title, *published, *outlet, *byline;
    const char *extra_json; /* a JSON object of other fields kept as they came, or NULL */
    const unsigned char *id_bytes; /* bytes hashed for doc.id (NULL: bytes) */
    size_t id_len;
} dossier_input;

/* ------------------------------------------------------------------------ */
/* Document: the result of extraction.                                        */

typedef struct dossier_doc dossier_doc;

/*
 * Run the whole pipeline (detect, clean, split, extract claims) on one input.
 * On success *out is a new document, caller frees with dossier_doc_free().
 * Warnings that do not stop extraction (repaired UTF-8, truncation) are
 * recorded as flags on the document (dossier_doc_flags).
 */
dossier_status dossier_extract(const dossier_ctx *ctx, const dossier_input *in,
                               dossier_doc **out);
void dossier_doc_free(dossier_doc *doc);

/* Cleaned body text, NUL-terminated; valid until dossier_doc_free(). */
const char *dossier_doc_text(const dossier_doc *doc, size_t *len);
/* doc.id ("sha256:…"); valid until dossier_doc_free(). */
const char *dossier_doc_id(const dossier_doc *doc);
/* Comma-separated flags ("ai_byline,invalid_utf8") or ""; valid until free. */
const char *dossier_doc_flags(const dossier_doc *doc);
size_t dossier_doc_sentence_count(const dossier_doc *doc);
/* Byte offsets of sentence i in the text; returns DOSSIER_EINVAL if out of range. */
dossier_status dossier_doc_sentence(const dossier_doc *doc, size_t i,
                                    size_t *start, size_t *end);
size_t dossier_doc_claim_count(const dossier_doc *doc);

/*
 * The record (records format v1) as one line of JSON ending in '\n'.
 * *json is malloc'd, caller frees with free().
 */
dossier_status dossier_doc_to_json(const dossier_doc *doc, char **json, size_t *len);

/* ------------------------------------------------------------------------ */
/* Ingest: reading files, directories, stdin, gzip and JSONL containers.      */

/*
 * Called once per raw document found.  Return DOSSIER_OK to go on; any other
 * status stops the walk and is returned by dossier_ingest_path().
 */
typedef dossier_status (*dossier_input_cb)(const dossier_input *in, void *user);
/* Called once per file that could not be read, with a one-line message. */
typedef void (*dossier_error_cb)(const char *path, dossier_status st,
                                 const char *message, void *user);

/*
 * Read PATH ("-" for stdin): a file, or a directory walked recursively in
 * byte order of names.  gzip is decompressed; JSONL yields one input per line.
 * Bad files are reported through on_error and skipped.  Returns DOSSIER_OK
 * when the walk finished (even if files were skipped; count them in on_error).
 */
dossier_status dossier_ingest_path(const char *path, const dossier_options *opts,
                                   dossier_input_cb on_input,
                                   dossier_error_cb on_error, void *user);

/* ------------------------------------------------------------------------ */
/* Runner: ingest + extract over many paths, in parallel, results in order.   */

/*
 * Called once per input, in input order.  On success st is DOSSIER_OK and doc
 * is the extracted document, valid until the callback returns (the runner
 * frees it); on failure doc is NULL and st says why.  in->bytes may be NULL
 * here (the raw bytes are not kept); in->path is set.  Return DOSSIER_OK to
 * go on; anything else stops the run and is returned by dossier_run().
 */
typedef dossier_status (*dossier_doc_cb)(const dossier_input *in, dossier_doc *doc,
                                         dossier_status st, void *user);

/*
 * Ingest every path (as dossier_ingest_path) and extract each input with
 * `jobs` worker threads (0: one per core); on_doc sees results in the order
 * the inputs were found, whatever the number of jobs.  File-level read
 * errors go to on_error.  Memory stays bounded: at most 4 × jobs documents
 * are in flight.
 */
dossier_status dossier_run(const dossier_ctx *ctx, const char *const *paths, size_t npaths,
                           int jobs, dossier_doc_cb on_doc, dossier_error_cb on_error,
                           void *user);

/* ------------------------------------------------------------------------ */
/* Allocation hook (tests inject failures; embedders may track memory).      */

typedef struct dossier_allocator {
    void *(*malloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *ptr, size_t size, void *user);
    void  (*free_fn)(void *ptr, void *user);
    void *user;
} dossier_allocator;

/* Set the process-wide allocator (NULL: the C library's).  Not thread-safe:
 * call before any other dossier function. */
void dossier_set_allocator(const dossier_allocator *a);

#ifdef __cplusplus
}
#endif
#endif /* DOSSIER_H */
