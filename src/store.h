/*
 * store.h — the one storage interface of dossier.
 *
 * A store is a database of documents, sentences, claims (with their parties),
 * origin clusters (syndication) and incidents.  Backends implement the
 * ds_store_ops table below: store_sqlite.c (the default, a file) and
 * store_pg.c (PostgreSQL, "postgres://…" URIs).  Every SQL statement lives in
 * a backend file; the logic above the table — ingest batching (store.c),
 * syndication (syndication.c), incident linking (incidents.c), exports
 * (export.c), the CLI and the web server — is backend-neutral and only calls
 * the ops through the ds_store_* wrappers at the end of this file.
 *
 * Conventions:
 *   - every op returns a dossier_status; on failure a one-line message is in
 *     store->err (DOSSIER_EBUSY locked, DOSSIER_EFULL disk full / file size
 *     limit, DOSSIER_EREADONLY cannot write, DOSSIER_ESCHEMA newer schema,
 *     DOSSIER_ENOTFOUND no such row, DOSSIER_EDB anything else);
 *   - row structs handed to callbacks are valid only during the callback
 *     (strings included); a callback returning non-OK stops the query and that
 *     status is returned;
 *   - writes happen between begin() and commit()/rollback(); one transaction
 *     per ingest batch.  Reads may run outside a transaction.
 *   - ids: documents, claims, incidents and clusters have int64 row ids; a
 *     document is also known by doc.id ("sha256:…", unique).
 *   - days are Julian day numbers (ds_day_from_iso); 0 means "no date".
 */
#ifndef DOSSIER_STORE_H
#define DOSSIER_STORE_H

#include "internal.h"

#include <stdio.h>

#define DS_SCHEMA_VERSION 7

/* MinHash signature sizes (syndication.c / incidents.c) */
#define DS_DOC_SIG 48      /* document: 16 LSH bands of 3 rows over word 5-shingles */
#define DS_DOC_BANDS 16
#define DS_SENT_SIG 16     /* claim sentence: word 1+2-grams, 4 LSH bands of 4 rows */
#define DS_SENT_BANDS 4

typedef struct ds_store ds_store;
typedef struct ds_store_ops ds_store_ops;

struct ds_store {
    const ds_store_ops *ops;
    char err[512];          /* last error message, "" when none */
    bool readonly;
    /* Changes whenever rows this connection read may have changed behind
     * it: a rollback, another writer's commit (SQLite: PRAGMA data_version;
     * PostgreSQL, whose workers write concurrently: every transaction).
     * What callers keep from earlier reads (ds_agg_cache) is dropped then. */
    uint64_t epoch;
};

/* open flags */
enum { DS_STORE_READONLY = 1 << 0, DS_STORE_NOCREATE = 1 << 1 };

/* ---- rows --------------------------------------------------------------- */

/* What syndication computed for a document before it is stored. */
typedef struct ds_doc_sig {
    uint32_t minhash[DS_DOC_SIG];
    uint64_t bands[DS_DOC_BANDS];   /* LSH bucket keys */
    int32_t nshingles;              /* 0: too short to compare */
} ds_doc_sig;

/* A stored document seen by syndication (candidate from an LSH bucket). */
typedef struct ds_doc_cand {
    int64_t doc, cluster;
    int32_t nshingles;
    uint32_t minhash[DS_DOC_SIG];
} ds_doc_cand;

/* One incident: the link target of claims, and the row of `incidents`. */
typedef struct ds_incident {
    int64_t id;                     /* 0: not stored yet */
    ds_event_type type;
    int32_t day, day_lo, day_hi;    /* best day and the window it may lie in; 0 none */
    char date[12];                  /* best date as text: 2022-02-24, 2022-02, 2022, "" */
    char place[96], admin1[64];     /* best place name ("" none) */
    char country[4];                /* of the place */
    double lat, lon;
    bool has_coord;
    ds_place_precision precision;
    char actor[96], target[96];     /* most frequent party texts */
    char actor_country[4], target_country[4];
    ds_victim_status status;
    ds_site site;
    int32_t nclaims, ndocs, norigins;
    char source_countries[48];      /* "RUS,UKR": countries of sources asserting it */
    ds_modality strongest, weakest;
    bool confirmed, disputed;
    unsigned ihl;                   /* DS_IHL_* union */
    int64_t fatalities;             /* largest lethal count, -1 unknown */
    char summary[400];              /* the sentence of its first claim (cut at a char) */
    uint32_t sig[DS_SENT_SIG];      /* MinHash of that sentence (linking) */
    int32_t nmirrors;               /* filled by queries */
} ds_incident;

/* Candidate search for a claim being linked. */
typedef struct ds_incident_probe {
    ds_event_type type;
    int32_t day_lo, day_hi;         /* 0,0: no date window */
    bool has_coord;
    uint64_t keys[DS_SENT_BANDS];   /* sentence LSH keys: incidents sharing one */
    bool use_keys;
    int64_t cells[9];               /* when has_coord: grid cells around the place
                                     * (ds_geo_cell); incidents there or without a
                                     * place are candidates */
    char actor_country[4], target_country[4];   /* "" any (mirror search sets both) */
    bool day_exact;                 /* best day inside day_lo..day_hi (mirrors); else
                                     * within DS_PROBE_SLACK days of it, and the
                                     * incident's window overlapping day_lo..day_hi */
    int limit;                      /* at most this many candidates */
} ds_incident_probe;
#define DS_PROBE_SLACK 31
/* Days a candidate's best day may lie outside the probe window. */
static inline int ds_probe_slack(const ds_incident_probe *p) { return p->day_exact ? 0 : DS_PROBE_SLACK; }

/* A stored claim as incident aggregation needs it (and as queries show it). */
typedef struct ds_claim_row {
    int64_t id, doc, cluster, incident;
    const char *doc_id, *outlet, *title, *published, *path;
    int sentence_i;
    const char *sentence;           /* sentence text */
    ds_event_type type;
    ds_mode mode;
    int lethal;
    const char *actor, *target, *speaker, *relay;   /* relay: farthest relay text */
    char actor_country[4], target_country[4], speaker_country[4], relay_country[4];
    ds_role actor_role, target_role, speaker_role, relay_role;
    ds_victim_status status;
    ds_site site;
    int64_t count_value;
    const char *place, *place_name, *admin1;
    char country[4];
    double lat, lon;
    bool has_coord;
    ds_place_precision precision;
    const char *time_value;
    int32_t day;
    ds_modality modality;
    unsigned ihl, evidence;
    /* for display (serve_api.c): UTF-8 byte offsets into the document text */
    int64_t sent_start, sent_end;
    int64_t trigger_start, trigger_end;   /* 0,0: no trigger stored */
    bool ordered;
    ds_qualifier count_qualifier;
    ds_unit count_unit;
    const char *time_text, *verb;
    ds_speaker_kind speaker_kind;
    const char *relays_json;  /* JSON array of {"text","country","role"}, nearest first */
} ds_claim_row;

typedef struct ds_incident_filter {
    ds_event_type type;             /* 0 any */
    const char *country;            /* place, actor or target country (alpha-3) */
    const char *source_country;     /* a country whose sources assert it */
    unsigned ihl;                   /* any of these bits */
    ds_modality modality;           /* any claim with this modality */
    int32_t since, until;           /* days; 0 open */
    bool near;
    double lat, lon, km;
    int min_origins;
    int64_t id;                     /* one incident; 0 all */
    int64_t limit, offset;          /* limit 0: all */
} ds_incident_filter;

typedef struct ds_doc_row {
    int64_t id, cluster;
    const char *doc_id, *path, *url, *title, *outlet, *published, *byline, *origin, *platform,
        *lang, *format, *flags, *extra, *text, *dropped_lines; /* dropped_lines: JSON array */
    int dropped_boilerplate, dropped_duplicate;
    int nsentences, nclaims;
    const char *cluster_label;
    int cluster_size;
} ds_doc_row;

typedef struct ds_search_hit {
    int64_t sentence_id, doc;
    const char *doc_id, *outlet, *title, *published;
    int sentence_i;
    const char *snippet;            /* sentence with [matches] marked */
    int64_t claim, incident;        /* first claim of that sentence, 0 none */
    ds_event_type claim_type;
} ds_search_hit;

typedef struct ds_store_stats {
    int64_t docs, sentences, claims, incidents, clusters, mirrors;
    int schema_version;
} ds_store_stats;

typedef dossier_status (*ds_doc_cand_cb)(const ds_doc_cand *c, void *user);
typedef dossier_status (*ds_incident_cb)(const ds_incident *inc, void *user);
typedef dossier_status (*ds_claim_row_cb)(const ds_claim_row *c, void *user);
typedef dossier_status (*ds_doc_row_cb)(const ds_doc_row *d, void *user);
typedef dossier_status (*ds_hit_cb)(const ds_search_hit *h, void *user);
typedef dossier_status (*ds_id_cb)(int64_t id, void *user);
/* incidents of one type on one day (incident_days) */
typedef dossier_status (*ds_day_count_cb)(int32_t day, ds_event_type type, int64_t n,
                                          void *user);

/* ---- the backend table -------------------------------------------------- */
struct ds_store_ops {
    const char *name;               /* "sqlite", "postgres" */
    void (*close)(ds_store *s);
    dossier_status (*begin)(ds_store *s);
    dossier_status (*commit)(ds_store *s);
    dossier_status (*rollback)(ds_store *s);

    /* documents: *rowid set when found; DOSSIER_ENOTFOUND when not. */
    dossier_status (*has_doc)(ds_store *s, const char *doc_id, int64_t *rowid);
    /* Store the document in origin cluster `cluster`, its sentences
     * (+ full-text index), claims (claim i in incident incidents[i]; the
     * array has claims.n entries, 0: none) and parties.  The caller has
     * checked the claims' sentences (ds_doc_claims_valid: ds_ingest_doc). */
    dossier_status (*put_doc)(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                              int64_t cluster, const int64_t *incidents, int64_t *rowid);

    /* syndication */
    dossier_status (*doc_candidates)(ds_store *s, const uint64_t *bands, size_t nbands,
                                     int64_t exclude_doc, ds_doc_cand_cb cb, void *user);
    /* File the document under its LSH bucket keys (syndication skips this for
     * near-exact copies, so buckets stay small however often a story is copied). */
    dossier_status (*doc_lsh_put)(ds_store *s, int64_t doc, const uint64_t *bands, size_t nbands);
    /* Cluster named by a normalised origin ("business insider"); created when
     * missing (label shown to people) if create, else ENOTFOUND. */
    dossier_status (*origin_cluster)(ds_store *s, const char *key, const char *label,
                                     bool create, int64_t *cluster);
    dossier_status (*new_cluster)(ds_store *s, const char *label, int64_t *cluster);
    /* Move every document and origin name of cluster `drop` into `keep`. */
    dossier_status (*merge_clusters)(ds_store *s, int64_t keep, int64_t drop);
    /* Incidents holding a claim of a document of this cluster. */
    dossier_status (*cluster_incidents)(ds_store *s, int64_t cluster, ds_id_cb cb, void *user);

    /* incidents */
    /* Candidates for linking (ds_incident_probe); each incident passed to cb
     * carries at least what linking reads: id, type, day, day_lo, day_hi,
     * place, lat, lon, has_coord, precision, actor_country, target_country,
     * status, sig (the others may be empty). */
    dossier_status (*incident_candidates)(ds_store *s, const ds_incident_probe *p,
                                          ds_incident_cb cb, void *user);
    /* One incident by id; DOSSIER_ENOTFOUND when there is none. */
    dossier_status (*get_incident)(ds_store *s, int64_t id, ds_incident *out);
    /* Insert (inc->id == 0, id set) or update every column of an incident
     * (the backend files it under ds_geo_cell of its coordinates).  was:
     * the row as it was (NULL: not known); a backend may then leave its
     * linking indexes alone when type, days and cell did not change. */
    dossier_status (*incident_put)(ds_store *s, ds_incident *inc, const ds_incident *was);
    /* Sentence LSH keys under which the incident is found (idempotent). */
    dossier_status (*incident_add_keys)(ds_store *s, int64_t incident, const uint64_t *keys,
                                        size_t n);
    dossier_status (*incident_claims)(ds_store *s, int64_t incident, ds_claim_row_cb cb,
                                      void *user);
    /* The same claims with only what the incident's aggregates read (no
     * titles, sentence text or relay lists: NULL / 0 in the rows), those
     * with an id above after_claim only, in id order. */
    dossier_status (*incident_facts)(ds_store *s, int64_t incident, int64_t after_claim,
                                     ds_claim_row_cb cb, void *user);
    dossier_status (*mirror_put)(ds_store *s, int64_t a, int64_t b);
    dossier_status (*incident_mirrors)(ds_store *s, int64_t incident, ds_id_cb cb, void *user);

    /* queries (read-only) */
    dossier_status (*query_incidents)(ds_store *s, const ds_incident_filter *f,
                                      ds_incident_cb cb, void *user);
    /* Incidents matching f (limit/offset ignored) counted per day and type, in
     * day order; undated incidents are left out (the web timeline). */
    dossier_status (*incident_days)(ds_store *s, const ds_incident_filter *f,
                                    ds_day_count_cb cb, void *user);
    /* id: "sha256:…", a unique prefix of its hex, or "#rowid". */
    dossier_status (*get_doc)(ds_store *s, const char *id, ds_doc_row_cb cb, void *user);
    dossier_status (*doc_claims)(ds_store *s, int64_t doc, ds_claim_row_cb cb, void *user);
    dossier_status (*cluster_docs)(ds_store *s, int64_t cluster, ds_doc_row_cb cb, void *user);
    dossier_status (*search)(ds_store *s, const char *query, int64_t limit, ds_hit_cb cb,
                             void *user);
    /* As search, newest sentences first instead of best-ranked (no scoring of
     * every match: cheap on common words; the web UI's search box). */
    dossier_status (*search_recent)(ds_store *s, const char *query, int64_t limit,
                                    ds_hit_cb cb, void *user);
    dossier_status (*stats)(ds_store *s, ds_store_stats *out);
};

/* ---- opening ------------------------------------------------------------ */
/* uri: a file path (SQLite) or "postgres://…"/"postgresql://…".  On failure
 * *out is NULL and err holds a message. */
dossier_status ds_store_open(const char *uri, int flags, ds_store **out, char *err,
                             size_t errlen);
void ds_store_close(ds_store *s);
bool ds_store_uri_is_pg(const char *uri);

/* backends (store_sqlite.c, store_pg.c) */
dossier_status ds_store_sqlite_open(const char *path, int flags, ds_store **out, char *err,
                                    size_t errlen);
dossier_status ds_store_pg_open(const char *uri, int flags, ds_store **out, char *err,
                                size_t errlen);
bool ds_store_is_pg(const ds_store *s);

/* ---- ingest (store.c): batching, syndication, linking ------------------- */
typedef struct ds_ingest ds_ingest;
typedef struct ds_ingest_stats {
    int64_t added, skipped_existing, claims, incidents_new, incidents_linked, mirrors,
        clusters_merged;
    /* seconds (monotonic clock) spent storing documents, on syndication
     * (signature, clusters), linking claims, refreshing incident
     * aggregates, committing */
    double t_store, t_syndicate, t_link, t_refresh, t_commit;
} ds_ingest_stats;

/* Documents per ingest transaction by default: big enough that a commit's
 * WAL writes (the random-key pages of the doc.id index, the incidents and
 * the LSH staging tables, dirtied once per batch instead of once per
 * document) stay a small part of the cost; small enough that a failed batch
 * is cheap to redo (seconds of work).  1M-document bench, side by side:
 * 3,110 docs/s with 10,000 against 2,743 with 2,000 (WAL 35 vs 47 kB/doc). */
#define DS_INGEST_BATCH 10000
/* batch: documents per transaction (0: DS_INGEST_BATCH). */
dossier_status ds_ingest_new(ds_store *s, int batch, ds_ingest **out);
/* Store one document (skipped if its doc.id is stored), cluster it, link its
 * claims.  Commits when the batch is full. */
dossier_status ds_ingest_doc(ds_ingest *in, const dossier_doc *doc);
/* Commit what is pending (refreshes touched incidents first). */
dossier_status ds_ingest_flush(ds_ingest *in);
/* Rolls back anything not flushed. */
void ds_ingest_free(ds_ingest *in);
const ds_ingest_stats *ds_ingest_stats_get(const ds_ingest *in);

/* ---- syndication.c ------------------------------------------------------ */
void ds_doc_signature(const dossier_doc *doc, ds_doc_sig *sig);
/* Fold n shingle hashes into a MinHash (as ds_doc_signature does) with the
 * plain loop, or (vector) the AVX-512 one: false when this build or CPU has
 * none.  For tests: both give the same values. */
bool ds_minhash_fold(uint32_t *minhash, const uint64_t *sh, size_t n, bool vector);
/* Estimated Jaccard of two signatures. */
double ds_sig_jaccard(const uint32_t *a, const uint32_t *b, int n);
/* Normalised origin key ("Business Insider" → "business insider"); false
 * when nothing is left. */
bool ds_origin_key(const char *origin, char *out, size_t outlen);
/* The origin cluster of a new document, before it is stored (*cluster set;
 * clusters it joins are merged, *merged counts them, and their incidents are
 * added to `touched`).  *file_bands: whether its LSH bands are to be filed
 * (ops->doc_lsh_put) once it has a row id — a near-exact copy adds nothing
 * to the buckets of its original. */
dossier_status ds_syndicate(ds_store *s, const dossier_doc *doc, const ds_doc_sig *sig,
                            int64_t *cluster, bool *file_bands, ds_vec *touched,
                            int64_t *merged);

/* ---- incidents.c -------------------------------------------------------- */
typedef struct ds_linker ds_linker;
/* Link claim i of doc (not stored yet: put_doc stores it with the incident)
 * to an incident, new or existing; doc_incidents[i] gets its id, as does
 * touched.  doc_incidents[j] holds the incident of claim j < i of the same
 * document: a later mention of the same act without place or date ("the
 * shooting") joins the earlier claim's incident. */
dossier_status ds_link_claim(ds_store *s, const dossier_doc *doc, size_t i,
                             int64_t *doc_incidents, ds_vec *touched, ds_ingest_stats *st);

/* ---- incident_agg.c ------------------------------------------------------ */
/* What incidents' aggregates were built from, kept between refreshes so the
 * next reads only the claims added since (see incident_agg.c). */
typedef struct ds_agg_cache ds_agg_cache;
dossier_status ds_agg_cache_new(ds_agg_cache **out);
void ds_agg_cache_free(ds_agg_cache *c);   /* NULL ok */
/* The incident's old claims changed meaning (their documents' origin
 * clusters merged): its next refresh reads them all.  c may be NULL. */
void ds_agg_cache_forget(ds_agg_cache *c, int64_t incident);
/* Recompute an incident's aggregates from its claims: those added since its
 * last refresh through `cache`, or all of them (cache NULL, or nothing kept). */
dossier_status ds_incident_refresh(ds_store *s, ds_agg_cache *cache, int64_t incident);

/* ---- helpers (store.c) -------------------------------------------------- */
/* Julian day number of "YYYY-MM-DD" (also "YYYY-MM", "YYYY": first day); 0 bad. */
int32_t ds_day_from_iso(const char *s);
/* "YYYY-MM-DD" of a day number into out[11]. */
void ds_day_to_iso(int32_t day, char out[11]);
/* Event day of a claim: *lo..*hi window; 0 when nothing is known. */
int32_t ds_claim_day(const ds_time *t, const char *published, int32_t *lo, int32_t *hi);
/* Strength order of modalities: confirmed > asserted > reported > alleged >
 * disputed > hypothetical > denied (higher is stronger). */
int ds_modality_rank(ds_modality m);
double ds_km(double lat1, double lon1, double lat2, double lon2);
/* Grid cell (0.5° × 0.5°) of a point, > 0; 0 for "no coordinates". */
int64_t ds_geo_cell(bool has_coord, double lat, double lon);
/* The 3 × 3 cells around a point (cells[9]). */
void ds_geo_cells_around(double lat, double lon, int64_t cells[9]);
/* LSH band keys of a document MinHash (syndication.c). */
void ds_doc_bands(const uint32_t minhash[DS_DOC_SIG], uint64_t bands[DS_DOC_BANDS]);
/* strlcpy that cuts at a UTF-8 character boundary. */
void ds_copy_text(char *dst, size_t cap, const char *src);

/* ---- export.c: rendering rows (CLI --json, exports, web API) ------------ */
void ds_incident_json(ds_buf *b, const ds_incident *inc, const int64_t *mirrors, size_t nm);
void ds_claim_row_json(ds_buf *b, const ds_claim_row *c);
void ds_doc_row_json(ds_buf *b, const ds_doc_row *d, bool with_text);
void ds_hit_json(ds_buf *b, const ds_search_hit *h);
/* ACLED event_type / sub_event_type of an incident (mode: of one of its claims). */
void ds_acled_type(const ds_incident *inc, ds_mode mode, const char **event, const char **sub);
typedef enum { DS_EXPORT_JSONL = 1, DS_EXPORT_CSV, DS_EXPORT_GEOJSON } ds_export_format;
/* Write the incidents matching f to out; *nocoord counts incidents left out
 * of GeoJSON for want of coordinates. */
dossier_status ds_export(ds_store *s, const ds_incident_filter *f, ds_export_format fmt,
                         FILE *out, int64_t *written, int64_t *nocoord);

/* ---- row values (store_rows.c): what ingest writes, for both backends --- */
typedef enum { DS_VAL_NULL, DS_VAL_INT, DS_VAL_REAL, DS_VAL_TEXT, DS_VAL_BLOB } ds_val_kind;
typedef struct ds_val {
    ds_val_kind kind;
    bool long_text;      /* TEXT cut from the document (PostgreSQL sends it by length) */
    int64_t i;
    double d;
    const void *p;       /* TEXT: NUL-terminated unless long_text; BLOB: bytes */
    size_t n;
} ds_val;

#define DS_DOC_NVALS 20
#define DS_CLAIM_NVALS 34
#define DS_INCIDENT_NVALS 32   /* the last (id) only when updating */
#define DS_CLAIM_MAXPARTIES (3 + DS_MAX_RELAYS)

typedef struct ds_claim_names {
    char evidence[160], ihl[200];
} ds_claim_names;
typedef struct ds_party_ref {
    ds_val v[7];   /* claim (NULL: the backend binds the row id), role, pos, text,
                    * country, cameo, kind */
} ds_party_ref;

/* "a,b" of the names of the set bits. */
void ds_bits_to_names(char *out, size_t cap, const char *const *names, int nbits,
                      unsigned bits);
/* JSON array of the document's dropped lines into out; false when out of memory. */
bool ds_dropped_json(const dossier_doc *doc, ds_buf *out);
/* Every claim names a sentence of the document; else false and a message. */
bool ds_doc_claims_valid(const dossier_doc *doc, char *err, size_t errlen);
/* documents(doc_id … minhash, cluster), dropped: ds_dropped_json. */
void ds_doc_vals(const dossier_doc *doc, const ds_doc_sig *sig, const ds_buf *dropped,
                 int64_t cluster, ds_val v[DS_DOC_NVALS]);
/* claims(doc … trigger_end, incident) of claim ci (incident 0: none); names
 * holds texts the values point to. */
void ds_claim_vals(const dossier_doc *doc, size_t ci, int64_t docid, int64_t sent_id,
                   int64_t incident, ds_claim_names *names, ds_val v[DS_CLAIM_NVALS]);
/* parties rows of a claim (actor, target, speaker, relays that name anything). */
size_t ds_claim_parties(const ds_claim *c, ds_party_ref out[DS_CLAIM_MAXPARTIES]);
/* incidents(type … sig, cell[, id]); returns how many values (32 with the id). */
size_t ds_incident_vals(const ds_incident *inc, char ihl[200], ds_val v[DS_INCIDENT_NVALS]);

/* wrappers: dispatch through s->ops */
#define DS_STORE(s, op, ...) ((s)->ops->op((s), __VA_ARGS__))

#endif
