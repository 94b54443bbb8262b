/*
 * store_sqlite.c — the SQLite backend of store.h: opening (WAL, busy timeout,
 * schema version check, migrations), transactions, documents, syndication
 * and incident writes.  Read-only queries are in store_sqlite_query.c.
 *
 * Every statement is a fixed SQL text prepared once and cached (stmt_sql[]);
 * values are always bound, never formatted into SQL.  The schema is described
 * in docs/schema.md; MIGRATIONS[k] brings a database from version k to k+1.
 */
#include "store_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- schema ------------------------------------------------------------- */
static const char *const MIGRATIONS[DS_SCHEMA_VERSION] = {
    /* 0 → 1: the first schema */
    "CREATE TABLE origin_clusters("
    " id INTEGER PRIMARY KEY,"
    " label TEXT);"
    "CREATE TABLE origin_names("
    " key TEXT PRIMARY KEY,"
    " cluster INTEGER NOT NULL REFERENCES origin_clusters(id),"
    " label TEXT);"
    "CREATE INDEX origin_names_cluster ON origin_names(cluster);"
    "CREATE TABLE documents("
    " id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL UNIQUE,"
    " path TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT, byline TEXT,"
    " origin TEXT, platform TEXT, lang TEXT, format TEXT,"
    " flags TEXT NOT NULL DEFAULT '',"
    " extra TEXT,"
    " text TEXT NOT NULL,"
    " dropped_boilerplate INTEGER NOT NULL DEFAULT 0,"
    " dropped_duplicate INTEGER NOT NULL DEFAULT 0,"
    " dropped_lines TEXT NOT NULL DEFAULT '[]',"
    " cluster INTEGER REFERENCES origin_clusters(id),"
    " nshingles INTEGER NOT NULL DEFAULT 0,"
    " minhash BLOB,"
    " ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
    "CREATE INDEX documents_cluster ON documents(cluster);"
    "CREATE TABLE doc_lsh("
    " key INTEGER NOT NULL,"
    " doc INTEGER NOT NULL REFERENCES documents(id),"
    " PRIMARY KEY(key, doc)) WITHOUT ROWID;"
    "CREATE TABLE sentences("
    " id INTEGER PRIMARY KEY,"
    " doc INTEGER NOT NULL REFERENCES documents(id),"
    " i INTEGER NOT NULL,"
    " start INTEGER NOT NULL,"
    " \"end\" INTEGER NOT NULL,"
    " text TEXT NOT NULL,"
    " UNIQUE(doc, i));"
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
    "CREATE TABLE incidents("
    " id INTEGER PRIMARY KEY,"
    " type TEXT NOT NULL,"
    " day INTEGER, day_lo INTEGER, day_hi INTEGER, date TEXT,"
    " place TEXT, admin1 TEXT, country TEXT, lat REAL, lon REAL, precision TEXT,"
    " actor TEXT, target TEXT, actor_country TEXT, target_country TEXT,"
    " status TEXT, site TEXT,"
    " nclaims INTEGER NOT NULL DEFAULT 0,"
    " ndocs INTEGER NOT NULL DEFAULT 0,"
    " norigins INTEGER NOT NULL DEFAULT 0,"
    " source_countries TEXT, strongest TEXT, weakest TEXT,"
    " confirmed INTEGER NOT NULL DEFAULT 0,"
    " disputed INTEGER NOT NULL DEFAULT 0,"
    " ihl TEXT, ihl_bits INTEGER NOT NULL DEFAULT 0,"
    " fatalities INTEGER, summary TEXT, sig BLOB,"
    " updated_at TEXT);"
    "CREATE INDEX incidents_type_day ON incidents(type, day_lo);"
    "CREATE INDEX incidents_day ON incidents(day);"
    "CREATE TABLE incident_lsh("
    " key INTEGER NOT NULL,"
    " incident INTEGER NOT NULL REFERENCES incidents(id),"
    " PRIMARY KEY(key, incident)) WITHOUT ROWID;"
    "CREATE TABLE incident_mirrors("
    " a INTEGER NOT NULL REFERENCES incidents(id),"
    " b INTEGER NOT NULL REFERENCES incidents(id),"
    " PRIMARY KEY(a, b), CHECK(a < b)) WITHOUT ROWID;"
    "CREATE INDEX incident_mirrors_b ON incident_mirrors(b);"
    "CREATE TABLE claims("
    " id INTEGER PRIMARY KEY,"
    " doc INTEGER NOT NULL REFERENCES documents(id),"
    " sentence INTEGER NOT NULL REFERENCES sentences(id),"
    " i INTEGER NOT NULL,"
    " type TEXT NOT NULL, mode TEXT, lethal INTEGER, ordered INTEGER NOT NULL DEFAULT 0,"
    " status TEXT, site TEXT, count_value INTEGER, count_qualifier TEXT, count_unit TEXT,"
    " place TEXT, place_name TEXT, geonameid INTEGER, admin1 TEXT, country TEXT,"
    " lat REAL, lon REAL, precision TEXT,"
    " time_text TEXT, time_value TEXT, time_precision TEXT, day INTEGER,"
    " verb TEXT, speaker_kind TEXT,"
    " evidence TEXT, evidence_bits INTEGER NOT NULL DEFAULT 0,"
    " modality TEXT NOT NULL,"
    " ihl TEXT, ihl_bits INTEGER NOT NULL DEFAULT 0,"
    " trigger_start INTEGER, trigger_end INTEGER,"
    " incident INTEGER REFERENCES incidents(id),"
    " UNIQUE(doc, i));"
    "CREATE INDEX claims_incident ON claims(incident);"
    "CREATE INDEX claims_sentence ON claims(sentence);"
    "CREATE TABLE parties("
    " claim INTEGER NOT NULL REFERENCES claims(id),"
    " role TEXT NOT NULL CHECK(role IN ('actor','target','speaker','relay')),"
    " pos INTEGER NOT NULL DEFAULT 0,"
    " text TEXT, country TEXT, cameo TEXT, kind TEXT,"
    " PRIMARY KEY(claim, role, pos)) WITHOUT ROWID;"
    "CREATE VIEW claims_view AS SELECT"
    " c.id AS claim, c.incident, d.doc_id, d.outlet, d.published, d.title,"
    " c.type, c.mode, c.lethal, c.ordered,"
    " pa.text AS actor, pa.country AS actor_country, pa.cameo AS actor_role,"
    " pt.text AS target, pt.country AS target_country, pt.cameo AS target_role,"
    " c.status, c.site, c.count_value, c.place, c.place_name, c.admin1, c.country,"
    " c.lat, c.lon, c.precision, c.time_text, c.time_value,"
    " ps.text AS speaker, ps.country AS speaker_country, ps.kind AS speaker_kind,"
    " (SELECT group_concat(r.text, ' < ') FROM parties r WHERE r.claim=c.id AND"
    "  r.role='relay') AS relays,"
    " c.evidence, c.modality, c.ihl, s.text AS sentence"
    " FROM claims c JOIN documents d ON d.id=c.doc JOIN sentences s ON s.id=c.sentence"
    " LEFT JOIN parties pa ON pa.claim=c.id AND pa.role='actor' AND pa.pos=0"
    " LEFT JOIN parties pt ON pt.claim=c.id AND pt.role='target' AND pt.pos=0"
    " LEFT JOIN parties ps ON ps.claim=c.id AND ps.role='speaker' AND ps.pos=0;"
    "CREATE VIEW incidents_view AS SELECT"
    " i.id AS incident, i.type, i.date, i.place, i.admin1, i.country, i.lat, i.lon,"
    " i.actor, i.actor_country, i.target, i.target_country, i.status, i.site,"
    " i.nclaims AS claims, i.ndocs AS documents, i.norigins AS independent_origins,"
    " i.source_countries, i.strongest AS strongest_modality,"
    " i.weakest AS weakest_modality, i.confirmed, i.disputed, i.ihl, i.fatalities,"
    " (SELECT group_concat(CASE WHEN m.a=i.id THEN m.b ELSE m.a END) FROM"
    "  incident_mirrors m WHERE m.a=i.id OR m.b=i.id) AS mirrors,"
    " i.summary"
    " FROM incidents i;",
    /* 1 → 2: incidents filed by grid cell (0.5°) so linking looks only at the
     * cells around a place; document LSH bands of 3 rows (re-filed in C,
     * refile_doc_bands) */
    "ALTER TABLE incidents ADD COLUMN cell INTEGER NOT NULL DEFAULT 0;"
    "UPDATE incidents SET cell=CAST((lat+90)*2 AS INTEGER)*1000+CAST((lon+180)*2 AS INTEGER)+1"
    " WHERE lat IS NOT NULL AND lon IS NOT NULL;"
    "CREATE INDEX incidents_cell ON incidents(type, cell, day);"
    "DROP INDEX incidents_type_day;"
    "CREATE INDEX incidents_type_day ON incidents(type, day);"
    "DELETE FROM doc_lsh;",
};

static const char *const stmt_sql[Q__COUNT] = {
    [Q_HAS_DOC] = "SELECT id FROM documents WHERE doc_id=?1",
    [Q_PUT_DOC] =
        "INSERT INTO documents(doc_id,path,url,title,outlet,published,byline,origin,platform,"
        "lang,format,flags,extra,text,dropped_boilerplate,dropped_duplicate,dropped_lines,"
        "nshingles,minhash) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
        "?17,?18,?19)",
    [Q_PUT_SENT] = "INSERT INTO sentences(doc,i,start,\"end\",text) VALUES(?1,?2,?3,?4,?5)",
    [Q_PUT_FTS] = "INSERT INTO sentences_fts(rowid,text) VALUES(?1,?2)",
    [Q_PUT_CLAIM] =
        "INSERT INTO claims(doc,sentence,i,type,mode,lethal,ordered,status,site,count_value,"
        "count_qualifier,count_unit,place,place_name,geonameid,admin1,country,lat,lon,"
        "precision,time_text,time_value,time_precision,day,verb,speaker_kind,evidence,"
        "evidence_bits,modality,ihl,ihl_bits,trigger_start,trigger_end) VALUES(?1,?2,?3,?4,"
        "?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,"
        "?27,?28,?29,?30,?31,?32,?33)",
    [Q_PUT_PARTY] =
        "INSERT INTO parties(claim,role,pos,text,country,cameo,kind) VALUES(?1,?2,?3,?4,?5,"
        "?6,?7)",
    [Q_PUT_DOC_LSH] = "INSERT OR IGNORE INTO doc_lsh(key,doc) VALUES(?1,?2)",
    [Q_DOC_CANDS] =
        "SELECT d.id,d.cluster,d.nshingles,d.minhash FROM documents d WHERE d.id IN"
        " (SELECT doc FROM doc_lsh WHERE key IN (SELECT value FROM json_each(?1))) AND"
        " d.id<>?2 LIMIT 200",
    [Q_ORIGIN_GET] = "SELECT cluster FROM origin_names WHERE key=?1",
    [Q_ORIGIN_PUT] = "INSERT INTO origin_names(key,cluster,label) VALUES(?1,?2,?3)",
    [Q_CLUSTER_NEW] = "INSERT INTO origin_clusters(label) VALUES(?1)",
    [Q_SET_CLUSTER] = "UPDATE documents SET cluster=?2 WHERE id=?1",
    [Q_MERGE_DOCS] = "UPDATE documents SET cluster=?1 WHERE cluster=?2",
    [Q_MERGE_NAMES] = "UPDATE origin_names SET cluster=?1 WHERE cluster=?2",
    [Q_MERGE_DEL] = "DELETE FROM origin_clusters WHERE id=?2 AND ?1<>?2",
    [Q_CLUSTER_INCIDENTS] =
        "SELECT DISTINCT c.incident FROM claims c JOIN documents d ON d.id=c.doc"
        " WHERE d.cluster=?1 AND c.incident IS NOT NULL",
    [Q_INC_INSERT] =
        "INSERT INTO incidents(type,day,day_lo,day_hi,date,place,admin1,country,lat,lon,"
        "precision,actor,target,actor_country,target_country,status,site,nclaims,ndocs,"
        "norigins,source_countries,strongest,weakest,confirmed,disputed,ihl,ihl_bits,"
        "fatalities,summary,sig,cell,updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
        "?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?32,"
        "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [Q_INC_UPDATE] =
        "UPDATE incidents SET type=?1,day=?2,day_lo=?3,day_hi=?4,date=?5,place=?6,admin1=?7,"
        "country=?8,lat=?9,lon=?10,precision=?11,actor=?12,target=?13,actor_country=?14,"
        "target_country=?15,status=?16,site=?17,nclaims=?18,ndocs=?19,norigins=?20,"
        "source_countries=?21,strongest=?22,weakest=?23,confirmed=?24,disputed=?25,ihl=?26,"
        "ihl_bits=?27,fatalities=?28,summary=?29,sig=?30,cell=?32,"
        "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?31",
    /* incidents sharing a sentence LSH key, or of the same type with a best
     * day near the probe's window: in the grid cells around the probe's
     * place (or without a place) when it has one, anywhere when not.  Each
     * branch is an index range; the constant guards switch branches off. */
    [Q_INC_CANDS] =
        "SELECT " INC_COLS " FROM incidents i WHERE i.id IN ("
        " SELECT incident FROM incident_lsh WHERE ?13 AND key IN (?1,?2,?3,?4)"
        " UNION SELECT id FROM incidents WHERE ?8=0 AND ?6<>0 AND type=?5 AND"
        "  day BETWEEN ?6-31 AND ?7+31"
        " UNION SELECT id FROM incidents WHERE ?8<>0 AND ?6<>0 AND type=?5 AND"
        "  cell IN (0,?17,?18,?19,?20,?21,?22,?23,?24,?25) AND day BETWEEN ?6-31 AND ?7+31)"
        " AND (?14 IS NULL OR i.actor_country=?14)"
        " AND (?15 IS NULL OR i.target_country=?15)"
        " ORDER BY i.id DESC LIMIT ?16",
    [Q_INC_GET] = "SELECT " INC_COLS " FROM incidents i WHERE i.id=?1",
    [Q_INC_LSH_PUT] = "INSERT OR IGNORE INTO incident_lsh(key,incident) VALUES(?1,?2)",
    [Q_CLAIM_SET_INC] = "UPDATE claims SET incident=?2 WHERE id=?1",
    [Q_INC_CLAIMS] = "SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.incident=?1 ORDER BY c.id",
    [Q_MIRROR_PUT] = "INSERT OR IGNORE INTO incident_mirrors(a,b) VALUES(min(?1,?2),max(?1,?2))",
    [Q_INC_MIRRORS] =
        "SELECT b FROM incident_mirrors WHERE a=?1 UNION SELECT a FROM incident_mirrors"
        " WHERE b=?1 ORDER BY 1",
    [Q_DOC_CLAIMS] = "SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.doc=?1 ORDER BY c.i",
    [Q_CLUSTER_DOCS] =
        "SELECT id,doc_id,path,url,title,outlet,published,byline,origin,platform,lang,format,"
        "flags,cluster FROM documents WHERE cluster=?1 ORDER BY id",
};

/* ---- errors ------------------------------------------------------------- */
dossier_status sq_fail(sq_store *s, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    int prim = code & 0xff;
    int sys = sqlite3_system_errno(s->db);
    dossier_status st = DOSSIER_EDB;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) st = DOSSIER_EBUSY;
    else if (prim == SQLITE_FULL || sys == ENOSPC || sys == EFBIG || sys == EDQUOT ||
             code == SQLITE_IOERR_WRITE)
        st = DOSSIER_EFULL;   /* a failed write is nearly always space or a size limit */
    else if (prim == SQLITE_READONLY || prim == SQLITE_CANTOPEN || prim == SQLITE_PERM ||
             sys == EACCES || sys == EROFS)
        st = DOSSIER_EREADONLY;
    else if (prim == SQLITE_NOMEM) st = DOSSIER_ENOMEM;
    const char *hint = st == DOSSIER_EBUSY    ? " (another process holds the database)"
                       : st == DOSSIER_EFULL  ? ""
                       : st == DOSSIER_EREADONLY ? " (cannot write here)" : "";
    snprintf(s->base.err, sizeof s->base.err, "%s: %s%s", what, sqlite3_errmsg(s->db), hint);
    return st;
}

sqlite3_stmt *sq_stmt(sq_store *s, int i)
{
    if (!s->q[i] &&
        sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) !=
            SQLITE_OK) {
        sq_fail(s, "prepare");
        return NULL;
    }
    sqlite3_reset(s->q[i]);
    sqlite3_clear_bindings(s->q[i]);
    return s->q[i];
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

static void bind_enum(sqlite3_stmt *st, int i, const char *const *names, int v)
{
    sq_bind_text(st, i, v > 0 ? names[v] : NULL);
}

/* Run a prepared statement that returns no rows. */
static dossier_status run(sq_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sq_fail(s, what);
    sqlite3_reset(st);
    return DOSSIER_OK;
}

static dossier_status exec(sq_store *s, const char *sql, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(s, what);
    return DOSSIER_OK;
}

/* ---- transactions ------------------------------------------------------- */
static dossier_status sq_begin(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    /* IMMEDIATE: take the write lock now so a busy database fails here, early */
    dossier_status st = exec(s, "BEGIN IMMEDIATE", "begin");
    if (st == DOSSIER_OK) s->in_txn = true;
    return st;
}

static dossier_status sq_commit(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    dossier_status st = exec(s, "COMMIT", "commit");
    if (st == DOSSIER_OK) s->in_txn = false;
    return st;
}

static dossier_status sq_rollback(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    s->in_txn = false;
    if (sqlite3_get_autocommit(s->db)) return DOSSIER_OK;   /* already rolled back */
    return exec(s, "ROLLBACK", "rollback");
}

static void sq_close(ds_store *b)
{
    sq_store *s = (sq_store *)b;
    if (!s) return;
    if (s->in_txn) sq_rollback(b);
    for (int i = 0; i < Q__COUNT; i++) sqlite3_finalize(s->q[i]);
    sqlite3_close(s->db);
    ds_free(s);
}

/* ---- documents ---------------------------------------------------------- */
static dossier_status sq_has_doc(ds_store *b, const char *doc_id, int64_t *rowid)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_HAS_DOC);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (rowid) *rowid = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "looking up document");
    sqlite3_reset(st);
    return DOSSIER_ENOTFOUND;
}

static dossier_status put_party(sq_store *s, int64_t claim, const char *role, int pos,
                                const ds_party *p, const char *kind)
{
    if (!p->text && !p->country[0]) return DOSSIER_OK;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_PARTY);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, claim);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, pos);
    sq_bind_text(st, 4, p->text);
    sq_bind_text(st, 5, p->country);
    bind_enum(st, 6, ds_role_names, p->role);
    sq_bind_text(st, 7, kind);
    return run(s, st, "storing party");
}

static void bits_to_names(char *out, size_t cap, const char *const *names, int nbits,
                          unsigned bits)
{
    out[0] = 0;
    for (int i = 0; i < nbits; i++) {
        if (!(bits & (1u << i))) continue;
        if (out[0]) strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, names[i], cap - strlen(out) - 1);
    }
}

static dossier_status put_claim(sq_store *s, const dossier_doc *doc, size_t ci, int64_t docid,
                                int64_t sent_id, int64_t *claim_id)
{
    const ds_claim *c = &DS_CLAIM(doc, ci);
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_CLAIM);
    if (!st) return DOSSIER_EDB;
    char ev[160], ihl[200];
    bits_to_names(ev, sizeof ev, ds_evidence_names, DS_EVID__BITS, c->evidence);
    bits_to_names(ihl, sizeof ihl, ds_ihl_names, DS_IHL__BITS, c->ihl);
    sqlite3_bind_int64(st, 1, docid);
    sqlite3_bind_int64(st, 2, sent_id);
    sqlite3_bind_int64(st, 3, (int64_t)ci);
    bind_enum(st, 4, ds_event_names, c->type ? c->type : DS_EV_ATTACK);
    bind_enum(st, 5, ds_mode_names, c->mode);
    if (c->lethal >= 0) sqlite3_bind_int(st, 6, c->lethal);
    sqlite3_bind_int(st, 7, c->ordered);
    bind_enum(st, 8, ds_status_names, c->status);
    bind_enum(st, 9, ds_site_names, c->site);
    if (c->count_value >= 0) {
        sqlite3_bind_int64(st, 10, c->count_value);
        bind_enum(st, 11, ds_qualifier_names, c->count_qualifier);
        bind_enum(st, 12, ds_unit_names, c->count_unit);
    }
    const ds_location *l = &c->location;
    if (l->text) {
        sq_bind_text(st, 13, l->text);
        sq_bind_text(st, 14, l->name);
        if (l->geonameid > 0) sqlite3_bind_int64(st, 15, l->geonameid);
        sq_bind_text(st, 16, l->admin1);
        sq_bind_text(st, 17, l->country);
        if (l->precision == DS_PREC_TOWN || l->precision == DS_PREC_ADMIN1 ||
            l->precision == DS_PREC_COUNTRY) {
            sqlite3_bind_double(st, 18, l->lat);
            sqlite3_bind_double(st, 19, l->lon);
        }
        bind_enum(st, 20, ds_place_precision_names,
                  l->precision ? (int)l->precision : DS_PREC_UNRESOLVED);
    }
    if (c->time.text) {
        sq_bind_text(st, 21, c->time.text);
        sq_bind_text(st, 22, c->time.value);
        bind_enum(st, 23, ds_time_precision_names,
                  c->time.precision ? (int)c->time.precision : DS_TPREC_UNRESOLVED);
    }
    int32_t lo, hi, day = ds_claim_day(&c->time, doc->published, &lo, &hi);
    if (day) sqlite3_bind_int(st, 24, day);
    if (c->attribution.present) {
        sq_bind_text(st, 25, c->attribution.verb);
        bind_enum(st, 26, ds_kind_names, c->attribution.kind);
    }
    sq_bind_text(st, 27, ev);
    sqlite3_bind_int(st, 28, (int)c->evidence);
    bind_enum(st, 29, ds_modality_names, c->modality ? (int)c->modality : DS_MOD_ASSERTED);
    sq_bind_text(st, 30, ihl);
    sqlite3_bind_int(st, 31, (int)c->ihl);
    if (c->trigger_end > c->trigger_start) {
        sqlite3_bind_int64(st, 32, (int64_t)c->trigger_start);
        sqlite3_bind_int64(st, 33, (int64_t)c->trigger_end);
    }
    dossier_status r = run(s, st, "storing claim");
    if (r != DOSSIER_OK) return r;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    *claim_id = id;
    r = put_party(s, id, "actor", 0, &c->actor, NULL);
    if (r == DOSSIER_OK) r = put_party(s, id, "target", 0, &c->target, NULL);
    if (r == DOSSIER_OK && c->attribution.present) {
        r = put_party(s, id, "speaker", 0, &c->attribution.speaker,
                      ds_kind_names[c->attribution.kind]);
        for (int k = 0; r == DOSSIER_OK && k < c->attribution.nrelays && k < DS_MAX_RELAYS; k++)
            r = put_party(s, id, "relay", k, &c->attribution.relays[k], NULL);
    }
    return r;
}

static dossier_status sq_put_doc(ds_store *b, const dossier_doc *doc, const ds_doc_sig *sig,
                                 int64_t *rowid, int64_t *claim_ids)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_PUT_DOC);
    if (!st) return DOSSIER_EDB;
    ds_buf dl = {0};
    ds_buf_putc(&dl, '[');
    for (size_t i = 0; i < doc->dropped_lines.n; i++) {
        if (i) ds_buf_putc(&dl, ',');
        ds_json_str(&dl, ((const char **)doc->dropped_lines.items)[i]);
    }
    ds_buf_putc(&dl, ']');
    if (!ds_buf_cstr(&dl)) {
        ds_buf_free(&dl);
        return DOSSIER_ENOMEM;
    }
    sqlite3_bind_text(st, 1, doc->id, -1, SQLITE_STATIC);
    sq_bind_text(st, 2, doc->path);
    sq_bind_text(st, 3, doc->url);
    sq_bind_text(st, 4, doc->title);
    sq_bind_text(st, 5, doc->outlet);
    sq_bind_text(st, 6, doc->published);
    sq_bind_text(st, 7, doc->byline);
    sq_bind_text(st, 8, doc->origin);
    sq_bind_text(st, 9, doc->platform);
    sq_bind_text(st, 10, doc->lang);
    sqlite3_bind_text(st, 11, doc->format == DOSSIER_FORMAT_HTML ? "html" : "text", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 12, dossier_doc_flags(doc), -1, SQLITE_STATIC);
    sq_bind_text(st, 13, doc->extra_json);
    sqlite3_bind_text(st, 14, doc->text ? doc->text : "", (int)doc->text_len, SQLITE_STATIC);
    sqlite3_bind_int(st, 15, doc->dropped_boilerplate);
    sqlite3_bind_int(st, 16, doc->dropped_duplicate);
    sqlite3_bind_text(st, 17, dl.p, (int)dl.n, SQLITE_STATIC);
    sqlite3_bind_int(st, 18, sig ? sig->nshingles : 0);
    if (sig) sqlite3_bind_blob(st, 19, sig->minhash, sizeof sig->minhash, SQLITE_STATIC);
    dossier_status r = run(s, st, "storing document");
    ds_buf_free(&dl);
    if (r != DOSSIER_OK) return r;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    *rowid = id;

    /* sentences + full-text index; remember row ids for the claims */
    int64_t *sids = ds_calloc(doc->sentences.n ? doc->sentences.n : 1, sizeof *sids);
    if (!sids) return DOSSIER_ENOMEM;
    for (size_t i = 0; i < doc->sentences.n && r == DOSSIER_OK; i++) {
        const ds_sentence *se = &DS_SENT(doc, i);
        sqlite3_stmt *q = sq_stmt(s, Q_PUT_SENT);
        if (!q) {
            r = DOSSIER_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (int64_t)i);
        sqlite3_bind_int64(q, 3, (int64_t)se->start);
        sqlite3_bind_int64(q, 4, (int64_t)se->end);
        sqlite3_bind_text(q, 5, doc->text + se->start, (int)(se->end - se->start),
                          SQLITE_STATIC);
        r = run(s, q, "storing sentence");
        if (r != DOSSIER_OK) break;
        int64_t sid = sqlite3_last_insert_rowid(s->db);
        sids[i] = sid;
        q = sq_stmt(s, Q_PUT_FTS);
        if (!q) {
            r = DOSSIER_EDB;
            break;
        }
        sqlite3_bind_int64(q, 1, sid);
        sqlite3_bind_text(q, 2, doc->text + se->start, (int)(se->end - se->start),
                          SQLITE_STATIC);
        r = run(s, q, "indexing sentence");
    }
    for (size_t i = 0; i < doc->claims.n && r == DOSSIER_OK; i++) {
        int si = DS_CLAIM(doc, i).sentence;
        if (si < 0 || (size_t)si >= doc->sentences.n) {
            snprintf(s->base.err, sizeof s->base.err, "claim %zu names sentence %d of %zu", i,
                     si, doc->sentences.n);
            r = DOSSIER_EINVAL;
            break;
        }
        r = put_claim(s, doc, i, id, sids[si], &claim_ids[i]);
    }
    ds_free(sids);
    return r;
}

/* ---- syndication -------------------------------------------------------- */
static dossier_status sq_doc_candidates(ds_store *b, const uint64_t *bands, size_t nbands,
                                        int64_t exclude, ds_doc_cand_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_DOC_CANDS);
    if (!st) return DOSSIER_EDB;
    /* the keys go in as one bound JSON array (json_each), not formatted SQL */
    char keys[DS_DOC_BANDS * 22 + 4];
    size_t n = 0;
    keys[n++] = '[';
    for (size_t i = 0; i < nbands && i < DS_DOC_BANDS; i++)
        n += (size_t)snprintf(keys + n, sizeof keys - n, "%s%lld", i ? "," : "",
                              (long long)(int64_t)bands[i]);
    keys[n++] = ']';
    keys[n] = 0;
    sqlite3_bind_text(st, 1, keys, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, exclude);
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_doc_cand c = {0};
        c.doc = sqlite3_column_int64(st, 0);
        c.cluster = sqlite3_column_int64(st, 1);
        c.nshingles = sqlite3_column_int(st, 2);
        const void *mh = sqlite3_column_blob(st, 3);
        if (!mh || sqlite3_column_bytes(st, 3) != (int)sizeof c.minhash) continue;
        memcpy(c.minhash, mh, sizeof c.minhash);
        r = cb(&c, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "finding near-duplicates");
    sqlite3_reset(st);
    return r;
}

static dossier_status sq_doc_lsh_put(ds_store *b, int64_t doc, const uint64_t *bands,
                                     size_t nbands)
{
    sq_store *s = (sq_store *)b;
    for (size_t k = 0; k < nbands; k++) {
        sqlite3_stmt *q = sq_stmt(s, Q_PUT_DOC_LSH);
        if (!q) return DOSSIER_EDB;
        sqlite3_bind_int64(q, 1, (int64_t)bands[k]);
        sqlite3_bind_int64(q, 2, doc);
        dossier_status r = run(s, q, "storing document signature");
        if (r != DOSSIER_OK) return r;
    }
    return DOSSIER_OK;
}

static dossier_status sq_new_cluster(ds_store *b, const char *label, int64_t *cluster)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_CLUSTER_NEW);
    if (!st) return DOSSIER_EDB;
    sq_bind_text(st, 1, label);
    dossier_status r = run(s, st, "creating origin cluster");
    if (r == DOSSIER_OK) *cluster = sqlite3_last_insert_rowid(s->db);
    return r;
}

static dossier_status sq_origin_cluster(ds_store *b, const char *key, const char *label,
                                        bool create, int64_t *cluster)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_ORIGIN_GET);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *cluster = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "looking up origin");
    sqlite3_reset(st);
    if (!create) return DOSSIER_ENOTFOUND;
    dossier_status r = sq_new_cluster(b, label, cluster);
    if (r != DOSSIER_OK) return r;
    st = sq_stmt(s, Q_ORIGIN_PUT);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, *cluster);
    sq_bind_text(st, 3, label);
    return run(s, st, "storing origin");
}

static dossier_status sq_set_doc_cluster(ds_store *b, int64_t doc, int64_t cluster)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_SET_CLUSTER);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int64(st, 2, cluster);
    return run(s, st, "setting origin cluster");
}

static dossier_status sq_merge_clusters(ds_store *b, int64_t keep, int64_t drop)
{
    sq_store *s = (sq_store *)b;
    static const int qs[] = {Q_MERGE_DOCS, Q_MERGE_NAMES, Q_MERGE_DEL};
    for (size_t i = 0; i < DS_ARRAY_LEN(qs); i++) {
        sqlite3_stmt *st = sq_stmt(s, qs[i]);
        if (!st) return DOSSIER_EDB;
        sqlite3_bind_int64(st, 1, keep);
        sqlite3_bind_int64(st, 2, drop);
        dossier_status r = run(s, st, "merging origin clusters");
        if (r != DOSSIER_OK) return r;
    }
    return DOSSIER_OK;
}

static dossier_status each_id(sq_store *s, sqlite3_stmt *st, ds_id_cb cb, void *user,
                              const char *what)
{
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = cb(sqlite3_column_int64(st, 0), user);
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, what);
    sqlite3_reset(st);
    return r;
}

static dossier_status sq_cluster_incidents(ds_store *b, int64_t cluster, ds_id_cb cb,
                                           void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_CLUSTER_INCIDENTS);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, cluster);
    return each_id(s, st, cb, user, "listing incidents of a cluster");
}

/* ---- incidents ---------------------------------------------------------- */
static const char *country_or_null(const char *c) { return c && c[0] ? c : NULL; }

static dossier_status sq_incident_candidates(ds_store *b, const ds_incident_probe *p,
                                             ds_incident_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_CANDS);
    if (!st) return DOSSIER_EDB;
    for (int k = 0; k < DS_SENT_BANDS; k++) sqlite3_bind_int64(st, 1 + k, (int64_t)p->keys[k]);
    sq_bind_text(st, 5, ds_event_names[p->type]);
    sqlite3_bind_int(st, 6, p->day_lo);
    sqlite3_bind_int(st, 7, p->day_hi);
    sqlite3_bind_int(st, 8, p->has_coord);
    for (int k = 0; k < 9; k++) sqlite3_bind_int64(st, 17 + k, p->has_coord ? p->cells[k] : -1);
    sqlite3_bind_int(st, 13, p->use_keys);
    sq_bind_text(st, 14, country_or_null(p->actor_country));
    sq_bind_text(st, 15, country_or_null(p->target_country));
    sqlite3_bind_int(st, 16, p->limit > 0 ? p->limit : 200);
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_incident inc;
        sq_read_incident(st, 0, &inc);
        r = cb(&inc, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "finding incidents");
    sqlite3_reset(st);
    return r;
}

static dossier_status sq_incident_put(ds_store *b, ds_incident *inc)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, inc->id ? Q_INC_UPDATE : Q_INC_INSERT);
    if (!st) return DOSSIER_EDB;
    char ihl[200];
    bits_to_names(ihl, sizeof ihl, ds_ihl_names, DS_IHL__BITS, inc->ihl);
    sq_bind_text(st, 1, ds_event_names[inc->type]);
    if (inc->day) {
        sqlite3_bind_int(st, 2, inc->day);
        sqlite3_bind_int(st, 3, inc->day_lo);
        sqlite3_bind_int(st, 4, inc->day_hi);
    }
    sq_bind_text(st, 5, inc->date);
    sq_bind_text(st, 6, inc->place);
    sq_bind_text(st, 7, inc->admin1);
    sq_bind_text(st, 8, inc->country);
    if (inc->has_coord) {
        sqlite3_bind_double(st, 9, inc->lat);
        sqlite3_bind_double(st, 10, inc->lon);
    }
    bind_enum(st, 11, ds_place_precision_names, inc->precision);
    sq_bind_text(st, 12, inc->actor);
    sq_bind_text(st, 13, inc->target);
    sq_bind_text(st, 14, inc->actor_country);
    sq_bind_text(st, 15, inc->target_country);
    bind_enum(st, 16, ds_status_names, inc->status);
    bind_enum(st, 17, ds_site_names, inc->site);
    sqlite3_bind_int(st, 18, inc->nclaims);
    sqlite3_bind_int(st, 19, inc->ndocs);
    sqlite3_bind_int(st, 20, inc->norigins);
    sq_bind_text(st, 21, inc->source_countries);
    bind_enum(st, 22, ds_modality_names, inc->strongest);
    bind_enum(st, 23, ds_modality_names, inc->weakest);
    sqlite3_bind_int(st, 24, inc->confirmed);
    sqlite3_bind_int(st, 25, inc->disputed);
    sq_bind_text(st, 26, ihl);
    sqlite3_bind_int(st, 27, (int)inc->ihl);
    if (inc->fatalities >= 0) sqlite3_bind_int64(st, 28, inc->fatalities);
    sq_bind_text(st, 29, inc->summary);
    sqlite3_bind_blob(st, 30, inc->sig, sizeof inc->sig, SQLITE_STATIC);
    if (inc->id) sqlite3_bind_int64(st, 31, inc->id);
    sqlite3_bind_int64(st, 32, ds_geo_cell(inc->has_coord, inc->lat, inc->lon));
    dossier_status r = run(s, st, "storing incident");
    if (r == DOSSIER_OK && !inc->id) inc->id = sqlite3_last_insert_rowid(s->db);
    return r;
}

static dossier_status sq_get_incident(ds_store *b, int64_t id, ds_incident *out)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_GET);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sq_read_incident(st, 0, out);
        sqlite3_reset(st);
        return DOSSIER_OK;
    }
    if (rc != SQLITE_DONE) return sq_fail(s, "reading incident");
    sqlite3_reset(st);
    return DOSSIER_ENOTFOUND;
}

static dossier_status sq_incident_add_keys(ds_store *b, int64_t incident, const uint64_t *keys,
                                           size_t n)
{
    sq_store *s = (sq_store *)b;
    for (size_t k = 0; k < n; k++) {
        sqlite3_stmt *st = sq_stmt(s, Q_INC_LSH_PUT);
        if (!st) return DOSSIER_EDB;
        sqlite3_bind_int64(st, 1, (int64_t)keys[k]);
        sqlite3_bind_int64(st, 2, incident);
        dossier_status r = run(s, st, "storing incident keys");
        if (r != DOSSIER_OK) return r;
    }
    return DOSSIER_OK;
}

static dossier_status sq_claim_set_incident(ds_store *b, int64_t claim, int64_t incident)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_CLAIM_SET_INC);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, claim);
    sqlite3_bind_int64(st, 2, incident);
    return run(s, st, "linking claim");
}

dossier_status sq_each_claim(sq_store *s, sqlite3_stmt *st, ds_claim_row_cb cb, void *user)
{
    int rc;
    dossier_status r = DOSSIER_OK;
    while (r == DOSSIER_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ds_claim_row c;
        sq_read_claim(st, &c);
        r = cb(&c, user);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "reading claims");
    sqlite3_reset(st);
    return r;
}

static dossier_status sq_incident_claims(ds_store *b, int64_t incident, ds_claim_row_cb cb,
                                         void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_CLAIMS);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, incident);
    return sq_each_claim(s, st, cb, user);
}

dossier_status sq_doc_claims(ds_store *b, int64_t doc, ds_claim_row_cb cb, void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_DOC_CLAIMS);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, doc);
    return sq_each_claim(s, st, cb, user);
}

static dossier_status sq_mirror_put(ds_store *b, int64_t a, int64_t c)
{
    sq_store *s = (sq_store *)b;
    if (a == c) return DOSSIER_OK;
    sqlite3_stmt *st = sq_stmt(s, Q_MIRROR_PUT);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, c);
    return run(s, st, "linking mirror incidents");
}

static dossier_status sq_incident_mirrors(ds_store *b, int64_t incident, ds_id_cb cb,
                                          void *user)
{
    sq_store *s = (sq_store *)b;
    sqlite3_stmt *st = sq_stmt(s, Q_INC_MIRRORS);
    if (!st) return DOSSIER_EDB;
    sqlite3_bind_int64(st, 1, incident);
    return each_id(s, st, cb, user, "listing mirrors");
}

/* ---- opening ------------------------------------------------------------ */
static const ds_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .has_doc = sq_has_doc,
    .put_doc = sq_put_doc,
    .doc_candidates = sq_doc_candidates,
    .doc_lsh_put = sq_doc_lsh_put,
    .origin_cluster = sq_origin_cluster,
    .new_cluster = sq_new_cluster,
    .set_doc_cluster = sq_set_doc_cluster,
    .merge_clusters = sq_merge_clusters,
    .cluster_incidents = sq_cluster_incidents,
    .incident_candidates = sq_incident_candidates,
    .get_incident = sq_get_incident,
    .incident_put = sq_incident_put,
    .incident_add_keys = sq_incident_add_keys,
    .claim_set_incident = sq_claim_set_incident,
    .incident_claims = sq_incident_claims,
    .mirror_put = sq_mirror_put,
    .incident_mirrors = sq_incident_mirrors,
    .query_incidents = sq_query_incidents,
    .incident_days = sq_incident_days,
    .get_doc = sq_get_doc,
    .doc_claims = sq_doc_claims,
    .cluster_docs = sq_cluster_docs,
    .search = sq_search,
    .search_recent = sq_search_recent,
    .stats = sq_stats,
};

static int schema_version(sq_store *s, dossier_status *st)
{
    sqlite3_stmt *q;
    *st = DOSSIER_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT count(*) FROM sqlite_master WHERE name='schema_version'", -1,
                           &q, NULL) != SQLITE_OK) {
        *st = sq_fail(s, "reading schema");
        return -1;
    }
    int rc = sqlite3_step(q);
    int have = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (have < 0) {
        *st = sq_fail(s, "reading schema");
        return -1;
    }
    if (!have) return 0;
    if (sqlite3_prepare_v2(s->db, "SELECT max(version) FROM schema_version", -1, &q, NULL) !=
        SQLITE_OK) {
        *st = sq_fail(s, "reading schema version");
        return -1;
    }
    int v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return v;
}

/* Migration 2, C part: file every stored document under the new LSH bands. */
static dossier_status refile_doc_bands(sq_store *s)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT id,minhash FROM documents WHERE nshingles>0", -1, &q,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "migrating document signatures");
    dossier_status r = DOSSIER_OK;
    int rc;
    while (r == DOSSIER_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const void *mh = sqlite3_column_blob(q, 1);
        if (!mh || sqlite3_column_bytes(q, 1) != DS_DOC_SIG * 4) continue;
        uint32_t m[DS_DOC_SIG];
        uint64_t bands[DS_DOC_BANDS];
        memcpy(m, mh, sizeof m);
        ds_doc_bands(m, bands);
        r = s->base.ops->doc_lsh_put(&s->base, sqlite3_column_int64(q, 0), bands, DS_DOC_BANDS);
    }
    if (r == DOSSIER_OK && rc != SQLITE_DONE) r = sq_fail(s, "migrating document signatures");
    sqlite3_finalize(q);
    return r;
}

static dossier_status migrate(sq_store *s, int from)
{
    dossier_status st = exec(s, "BEGIN IMMEDIATE", "migrating");
    if (st != DOSSIER_OK) return st;
    /* re-read under the write lock: another process may have migrated */
    from = schema_version(s, &st);
    if (st == DOSSIER_OK && from == 0)
        st = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL,"
                  " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
                  "creating schema");
    for (int v = from; st == DOSSIER_OK && v < DS_SCHEMA_VERSION; v++) {
        st = exec(s, MIGRATIONS[v], "migrating schema");
        if (st == DOSSIER_OK && v + 1 == 2) st = refile_doc_bands(s);
        if (st != DOSSIER_OK) break;
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, "INSERT INTO schema_version(version) VALUES(?1)", -1, &q,
                               NULL) != SQLITE_OK) {
            st = sq_fail(s, "migrating schema");
            break;
        }
        sqlite3_bind_int(q, 1, v + 1);
        st = run(s, q, "migrating schema");
        sqlite3_finalize(q);
    }
    if (st == DOSSIER_OK) return exec(s, "COMMIT", "migrating");
    exec(s, "ROLLBACK", "migrating");
    return st;
}

dossier_status ds_store_sqlite_open(const char *path, int flags, ds_store **out, char *err,
                                    size_t errlen)
{
    *out = NULL;
    sq_store *s = ds_calloc(1, sizeof *s);
    if (!s) return DOSSIER_ENOMEM;
    s->base.ops = &sqlite_ops;
    s->base.readonly = flags & DS_STORE_READONLY;
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (flags & DS_STORE_READONLY) oflags |= SQLITE_OPEN_READONLY;
    else oflags |= SQLITE_OPEN_READWRITE | ((flags & DS_STORE_NOCREATE) ? 0 : SQLITE_OPEN_CREATE);
    dossier_status st = DOSSIER_OK;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        if (!s->db) {
            sq_close(&s->base);
            return DOSSIER_ENOMEM;
        }
        st = sq_fail(s, path);
        if ((flags & (DS_STORE_READONLY | DS_STORE_NOCREATE)) && access(path, F_OK) != 0) {
            st = DOSSIER_ENOTFOUND;
            snprintf(s->base.err, sizeof s->base.err, "%s: no such database", path);
        }
        goto fail;
    }
    /* wait this long for another writer before failing with "locked" */
    const char *busy = getenv("DOSSIER_BUSY_MS");
    sqlite3_busy_timeout(s->db, busy && atoi(busy) >= 0 ? atoi(busy) : 5000);
    sqlite3_extended_result_codes(s->db, 1);
    int v = schema_version(s, &st);
    if (st != DOSSIER_OK) {
        if (st == DOSSIER_EDB)   /* "file is not a database" and friends */
            snprintf(s->base.err, sizeof s->base.err, "%s: not a dossier database (%s)", path,
                     sqlite3_errmsg(s->db));
        goto fail;
    }
    if (v > DS_SCHEMA_VERSION) {
        st = DOSSIER_ESCHEMA;
        snprintf(s->base.err, sizeof s->base.err,
                 "%s: schema version %d is newer than this dossier (%d); upgrade dossier", path,
                 v, DS_SCHEMA_VERSION);
        goto fail;
    }
    if (!(flags & DS_STORE_READONLY)) {
        /* WAL: readers (serve, queries) never block the writer; NORMAL sync
         * loses no committed transaction when the process is killed. */
        st = exec(s, "PRAGMA journal_mode=WAL", "setting WAL mode");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA synchronous=NORMAL", "pragma");
        /* a large page cache and fewer WAL checkpoints: the random-key
         * indexes (doc_id, LSH buckets) stay in memory longer as the store grows */
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA cache_size=-524288", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA wal_autocheckpoint=10000", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA foreign_keys=OFF", "pragma");
        if (st == DOSSIER_OK) st = exec(s, "PRAGMA temp_store=MEMORY", "pragma");
        if (st == DOSSIER_OK && v < DS_SCHEMA_VERSION) st = migrate(s, v);
        if (st != DOSSIER_OK) goto fail;
    } else if (v < DS_SCHEMA_VERSION) {
        st = v == 0 ? DOSSIER_ENOTFOUND : DOSSIER_ESCHEMA;
        snprintf(s->base.err, sizeof s->base.err,
                 v == 0 ? "%s: empty database (run dossier ingest first)"
                        : "%s: schema version %d is older than %d; run dossier ingest to migrate",
                 path, v, DS_SCHEMA_VERSION);
        goto fail;
    } else {
        exec(s, "PRAGMA cache_size=-65536", "pragma");
    }
    *out = &s->base;
    return DOSSIER_OK;
fail:
    if (err && errlen) snprintf(err, errlen, "%s", s->base.err);
    sq_close(&s->base);
    return st;
}
