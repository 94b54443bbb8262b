/*
 * store_cols.h — the column lists both backends select (the same SQL text in
 * both dialects), in the order sq_read_* (store_sqlite_query.c) and
 * pg_read_* (store_pg.c) read them.  Each backend appends the last claim
 * column (relays as a JSON array) in its own dialect.
 */
#ifndef DOSSIER_STORE_COLS_H
#define DOSSIER_STORE_COLS_H

#define INC_COLS_BASE                                                                         \
    "i.id,i.type,i.day,i.day_lo,i.day_hi,i.date,i.place,i.admin1,i.country,i.lat,i.lon,"  \
    "i.precision,i.actor,i.target,i.actor_country,i.target_country,i.status,i.site,"      \
    "i.nclaims,i.ndocs,i.norigins,i.source_countries,i.strongest,i.weakest,i.confirmed," \
    "i.disputed,i.ihl_bits,i.fatalities,i.summary,i.sig"

/* ... and its mirror count (linking candidates leave it out: 0) */
#define INC_COLS INC_COLS_BASE ","                                                   \
    "(SELECT count(*) FROM incident_mirrors m WHERE m.a=i.id)+"                            \
    "(SELECT count(*) FROM incident_mirrors m WHERE m.b=i.id)"

#define CLAIM_COLS_COMMON                                                                         \
    "c.id,c.doc,d.cluster,c.incident,d.doc_id,d.outlet,d.title,d.published,d.path,s.i,"     \
    "s.text,c.type,c.mode,c.lethal,pa.text,pt.text,ps.text,pr.text,"                        \
    "pa.country,pt.country,ps.country,pr.country,pa.cameo,pt.cameo,ps.cameo,pr.cameo,"      \
    "c.status,c.site,c.count_value,c.place,c.place_name,c.admin1,c.country,c.lat,c.lon,"   \
    "c.precision,c.time_value,c.day,c.modality,c.ihl_bits,c.evidence_bits,"                 \
    "s.start,s.\"end\",c.trigger_start,c.trigger_end,c.ordered,c.count_qualifier,"          \
    "c.count_unit,c.time_text,c.speaker_kind,c.verb,"

/* a claim's first actor, target and speaker, and its farthest relay */
#define CLAIM_PARTY_JOINS                                                                  \
    " LEFT JOIN parties pa ON pa.claim=c.id AND pa.role='actor' AND pa.pos=0"              \
    " LEFT JOIN parties pt ON pt.claim=c.id AND pt.role='target' AND pt.pos=0"             \
    " LEFT JOIN parties ps ON ps.claim=c.id AND ps.role='speaker' AND ps.pos=0"            \
    " LEFT JOIN parties pr ON pr.claim=c.id AND pr.role='relay' AND pr.pos="               \
    "(SELECT max(pos) FROM parties x WHERE x.claim=c.id AND x.role='relay')"

#define CLAIM_FROM                                                                         \
    " FROM claims c JOIN documents d ON d.id=c.doc JOIN sentences s ON s.id=c.sentence"    \
    CLAIM_PARTY_JOINS

/* The claims of an incident as its aggregates need them (ds_incident_refresh):
 * the CLAIM_COLS positions, with NULL for what only display reads (titles,
 * sentence text and offsets, relay lists), so no sentence row is read and no
 * relay list is built; each backend reads it with its claim reader. */
#define CLAIM_FACT_COLS                                                                     \
    "c.id,c.doc,d.cluster,c.incident,NULL,NULL,NULL,d.published,NULL,NULL,"                 \
    "NULL,c.type,c.mode,c.lethal,pa.text,pt.text,ps.text,pr.text,"                          \
    "pa.country,pt.country,ps.country,pr.country,pa.cameo,pt.cameo,ps.cameo,pr.cameo,"      \
    "c.status,c.site,c.count_value,c.place,c.place_name,c.admin1,c.country,c.lat,c.lon,"   \
    "c.precision,c.time_value,c.day,c.modality,c.ihl_bits,c.evidence_bits,"                 \
    "NULL,NULL,NULL,NULL,c.ordered,NULL,NULL,NULL,NULL,NULL,NULL"

/* SQLite reads documents through its covering index documents_facts (its
 * planner would read the rows, text and all); PostgreSQL: plain FROM */
#define CLAIM_FACT_FROM_DOCS(indexed)                                                         \
    " FROM claims c JOIN documents d" indexed " ON d.id=c.doc" CLAIM_PARTY_JOINS
#define CLAIM_FACT_FROM CLAIM_FACT_FROM_DOCS("")

#endif
