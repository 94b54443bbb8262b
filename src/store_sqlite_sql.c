/*
 * store_sqlite_sql.c — the SQL texts of the SQLite backend: the schema as
 * migrations (sq_migrations[k] brings a database from version k to k+1; see
 * docs/schema.md) and the fixed statements the backend prepares once and
 * caches (sq_sql[], indexed by the Q_* names of store_sqlite.h).  Values are
 * always bound parameters, never formatted into SQL.
 */
#include "store_sqlite.h"

/* the columns of documents after doc_id (migrations 0 and 7) */
#define DOCUMENTS_COLS                                                                    \
    " path TEXT, url TEXT, title TEXT, outlet TEXT, published TEXT, byline TEXT,"         \
    " origin TEXT, platform TEXT, lang TEXT, format TEXT,"                                \
    " flags TEXT NOT NULL DEFAULT '',"                                                    \
    " extra TEXT,"                                                                        \
    " text TEXT NOT NULL,"                                                                \
    " dropped_boilerplate INTEGER NOT NULL DEFAULT 0,"                                    \
    " dropped_duplicate INTEGER NOT NULL DEFAULT 0,"                                      \
    " dropped_lines TEXT NOT NULL DEFAULT '[]',"                                          \
    " cluster INTEGER REFERENCES origin_clusters(id),"                                    \
    " nshingles INTEGER NOT NULL DEFAULT 0,"                                              \
    " minhash BLOB,"                                                                      \
    " ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"

const char *const sq_migrations[DS_SCHEMA_VERSION] = {
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
    DOCUMENTS_COLS ");"
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
    /* 2 → 3: the linking indexes cover the date window (day_lo, day_hi), so
     * candidate lookups test it without reading incident rows */
    "DROP INDEX incidents_cell;"
    "CREATE INDEX incidents_cell ON incidents(type, cell, day, day_lo, day_hi);"
    "DROP INDEX incidents_type_day;"
    "CREATE INDEX incidents_type_day ON incidents(type, day, day_lo, day_hi);",
    /* 3 → 4: new LSH rows are staged in small tables and moved into the big
     * ones in key order now and then (sq_commit), so a batch dirties a few
     * pages of the small tables instead of one random page of the big ones
     * per key */
    "CREATE TABLE IF NOT EXISTS doc_lsh_new("
    " key INTEGER NOT NULL,"
    " doc INTEGER NOT NULL REFERENCES documents(id),"
    " PRIMARY KEY(key, doc)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS incident_lsh_new("
    " key INTEGER NOT NULL,"
    " incident INTEGER NOT NULL REFERENCES incidents(id),"
    " PRIMARY KEY(key, incident)) WITHOUT ROWID;",
    /* 4 → 5: what refreshing an incident reads of each claim's document
     * (cluster, published) in a small covering index: the documents rows
     * hold the text (gigabytes at a million documents; cluster lies past
     * it, on overflow pages for long texts) */
    "CREATE INDEX IF NOT EXISTS documents_facts ON documents(id, cluster, published);",
    /* 5 → 6: the full-text index keeps up to 64 MB of new terms in memory
     * before it writes a segment (default 1 MB: a 10,000-document batch
     * wrote dozens of small segments, each merged again and again), and
     * merges 8 segments of a level at a time instead of 4.  Both settings
     * live in sentences_fts_config; measured with bench/store.sh */
    ("INSERT INTO sentences_fts(sentences_fts, rank) VALUES('hashsize', 67108864);"
     "INSERT INTO sentences_fts(sentences_fts, rank) VALUES('automerge', 8);"),
    /* 6 → 7: documents are found by doc_key, the first 60 bits of the
     * SHA-256 in doc_id (sq_doc_key; order-preserving, so a hex prefix is a
     * key range), instead of by a unique index of the 71-character doc_id:
     * new ids land on random pages of that index, about one page per
     * document of each batch at a million documents, and the integer index
     * is a fifth of its size.  SQLite cannot drop a UNIQUE constraint, so
     * the table is rebuilt (its row ids kept); views name it again once it
     * is back (legacy_alter_table: the rename does not re-check them while
     * `documents` is gone).  dossier_doc_key() is the writer's C function. */
    "PRAGMA legacy_alter_table=ON;"
    "CREATE TABLE documents_v7("
    " id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL,"
    DOCUMENTS_COLS ","
    " doc_key INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO documents_v7(id,doc_id,path,url,title,outlet,published,byline,origin,platform,"
    " lang,format,flags,extra,text,dropped_boilerplate,dropped_duplicate,dropped_lines,cluster,"
    " nshingles,minhash,ingested_at,doc_key)"
    " SELECT id,doc_id,path,url,title,outlet,published,byline,origin,platform,"
    " lang,format,flags,extra,text,dropped_boilerplate,dropped_duplicate,dropped_lines,cluster,"
    " nshingles,minhash,ingested_at,dossier_doc_key(doc_id) FROM documents;"
    "DROP TABLE documents;"
    "ALTER TABLE documents_v7 RENAME TO documents;"
    "PRAGMA legacy_alter_table=OFF;"
    "CREATE INDEX documents_cluster ON documents(cluster);"
    "CREATE INDEX documents_facts ON documents(id, cluster, published);"
    "CREATE INDEX documents_key ON documents(doc_key);",
};

#define PAIRS4 "(?,?),(?,?),(?,?),(?,?)"
#define PAIRS16 PAIRS4 "," PAIRS4 "," PAIRS4 "," PAIRS4

const char *const sq_sql[Q__COUNT] = {
    [Q_HAS_DOC] = "SELECT id FROM documents WHERE doc_key=?1 AND doc_id=?2",
    [Q_PUT_DOC] =
        "INSERT INTO documents(doc_id,path,url,title,outlet,published,byline,origin,platform,"
        "lang,format,flags,extra,text,dropped_boilerplate,dropped_duplicate,dropped_lines,"
        "nshingles,minhash,cluster,doc_key) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
        "?14,?15,?16,?17,?18,?19,?20,?21)",
    [Q_PUT_SENT] = "INSERT INTO sentences(doc,i,start,\"end\",text) VALUES(?1,?2,?3,?4,?5)",
    /* the batch's sentences, indexed in one statement at commit */
    [Q_PUT_FTS] = "INSERT INTO sentences_fts(rowid,text) SELECT id,text FROM sentences WHERE id>=?1",
    [Q_PUT_CLAIM] =
        "INSERT INTO claims(doc,sentence,i,type,mode,lethal,ordered,status,site,count_value,"
        "count_qualifier,count_unit,place,place_name,geonameid,admin1,country,lat,lon,"
        "precision,time_text,time_value,time_precision,day,verb,speaker_kind,evidence,"
        "evidence_bits,modality,ihl,ihl_bits,trigger_start,trigger_end,incident) VALUES(?1,?2,"
        "?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,"
        "?26,?27,?28,?29,?30,?31,?32,?33,?34)",
    [Q_PUT_PARTY] =
        "INSERT INTO parties(claim,role,pos,text,country,cameo,kind) VALUES(?1,?2,?3,?4,?5,"
        "?6,?7)",
    [Q_PUT_PARTY2] =
        "INSERT INTO parties(claim,role,pos,text,country,cameo,kind) VALUES(?1,?2,?3,?4,?5,"
        "?6,?7),(?8,?9,?10,?11,?12,?13,?14)",
    /* LSH rows pending commit, in key order (sq_lsh_flush): one, or
     * SQ_LSH_PUT_ROWS (16) per statement */
    [Q_DOC_LSH_PUT1] = "INSERT OR IGNORE INTO doc_lsh_new(key,doc) VALUES(?,?)",
    [Q_DOC_LSH_PUTN] = "INSERT OR IGNORE INTO doc_lsh_new(key,doc) VALUES" PAIRS16,
    [Q_INC_LSH_PUT1] = "INSERT OR IGNORE INTO incident_lsh_new(key,incident) VALUES(?,?)",
    [Q_INC_LSH_PUTN] = "INSERT OR IGNORE INTO incident_lsh_new(key,incident) VALUES" PAIRS16,
    /* an LSH bucket: the big table and the staged rows (UNION ALL: no temp
     * b-tree; repeats are dropped in C) */
    [Q_DOC_LSH_GET] =
        "SELECT doc FROM doc_lsh WHERE key=?1 UNION ALL SELECT doc FROM doc_lsh_new WHERE key=?1",
    [Q_DOC_CAND] = "SELECT cluster,nshingles,minhash FROM documents WHERE id=?1",
    [Q_ORIGIN_GET] = "SELECT cluster FROM origin_names WHERE key=?1",
    [Q_ORIGIN_PUT] = "INSERT INTO origin_names(key,cluster,label) VALUES(?1,?2,?3)",
    [Q_CLUSTER_NEW] = "INSERT INTO origin_clusters(label) VALUES(?1)",
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
        "?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,"
        "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [Q_INC_UPDATE] =
        "UPDATE incidents SET type=?1,day=?2,day_lo=?3,day_hi=?4,date=?5,place=?6,admin1=?7,"
        "country=?8,lat=?9,lon=?10,precision=?11,actor=?12,target=?13,actor_country=?14,"
        "target_country=?15,status=?16,site=?17,nclaims=?18,ndocs=?19,norigins=?20,"
        "source_countries=?21,strongest=?22,weakest=?23,confirmed=?24,disputed=?25,ihl=?26,"
        "ihl_bits=?27,fatalities=?28,summary=?29,sig=?30,cell=?31,"
        "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?32",
    /* the same values (?1..?32 of ds_incident_vals) without the columns of
     * the linking indexes (type, day, day_lo, day_hi, cell) */
    [Q_INC_UPDATE_AGG] =
        "UPDATE incidents SET date=?5,place=?6,admin1=?7,"
        "country=?8,lat=?9,lon=?10,precision=?11,actor=?12,target=?13,actor_country=?14,"
        "target_country=?15,status=?16,site=?17,nclaims=?18,ndocs=?19,norigins=?20,"
        "source_countries=?21,strongest=?22,weakest=?23,confirmed=?24,disputed=?25,ihl=?26,"
        "ihl_bits=?27,fatalities=?28,summary=?29,sig=?30,"
        "updated_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?32",
    /* linking candidates (sq_incident_candidates): each a range of one index */
    [Q_INC_KEY] =
        "SELECT incident FROM incident_lsh WHERE key=?1"
        " UNION ALL SELECT incident FROM incident_lsh_new WHERE key=?1",
    [Q_INC_NEAR] =
        "SELECT id FROM incidents WHERE type=?1 AND cell=?4 AND day BETWEEN ?2-?5 AND ?3+?5"
        " AND day_lo<=?3 AND day_hi>=?2",
    [Q_INC_WHEN] =
        "SELECT id FROM incidents WHERE type=?1 AND day BETWEEN ?2-?5 AND ?3+?5"
        " AND day_lo<=?3 AND day_hi>=?2",
    /* the mirror count is left out (0): linking does not use it */
    [Q_INC_LINKROW] =
        "SELECT " INC_COLS_BASE ",0 FROM incidents i WHERE i.id=?1"
        " AND (?2 IS NULL OR i.actor_country=?2) AND (?3 IS NULL OR i.target_country=?3)",
    [Q_INC_GET] = "SELECT " INC_COLS " FROM incidents i WHERE i.id=?1",
    [Q_INC_CLAIMS] = "SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.incident=?1 ORDER BY c.id",
    [Q_INC_FACTS] = "SELECT " CLAIM_FACT_COLS CLAIM_FACT_FROM_DOCS(" INDEXED BY documents_facts")
                    " WHERE c.incident=?1 AND c.id>?2 ORDER BY c.id",
    [Q_MIRROR_PUT] = "INSERT OR IGNORE INTO incident_mirrors(a,b) VALUES(min(?1,?2),max(?1,?2))",
    [Q_INC_MIRRORS] =
        "SELECT b FROM incident_mirrors WHERE a=?1 UNION SELECT a FROM incident_mirrors"
        " WHERE b=?1 ORDER BY 1",
    [Q_DOC_CLAIMS] = "SELECT " CLAIM_COLS CLAIM_FROM " WHERE c.doc=?1 ORDER BY c.i",
    [Q_DATA_VERSION] = "PRAGMA data_version",
    [Q_CLUSTER_DOCS] =
        "SELECT id,doc_id,path,url,title,outlet,published,byline,origin,platform,lang,format,"
        "flags,cluster FROM documents WHERE cluster=?1 ORDER BY id",
};

/* Move the staged LSH rows into the big tables (in key order: each page of
 * the big tables is written once per move, however many rows it gets). */
const char *const sq_lsh_merge =
    "INSERT OR IGNORE INTO doc_lsh(key,doc) SELECT key,doc FROM doc_lsh_new;"
    "DELETE FROM doc_lsh_new;"
    "INSERT OR IGNORE INTO incident_lsh(key,incident) SELECT key,incident FROM"
    " incident_lsh_new;"
    "DELETE FROM incident_lsh_new;";
const char *const sq_lsh_staged =
    "SELECT (SELECT count(*) FROM doc_lsh_new)+(SELECT count(*) FROM incident_lsh_new)";
