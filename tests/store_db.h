/*
 * store_db.h — where store tests keep their databases, so one suite runs
 * against every backend: SQLite files under the test's temporary directory,
 * or, when DOSSIER_TEST_PG is set (a URI with "%s" where the database name
 * goes, e.g. "postgresql:///%s?host=/tmp/x&user=dossier"; cli_pg_store.sh
 * sets it), one fresh PostgreSQL database per name.
 */
#ifndef DOSSIER_TEST_STORE_DB_H
#define DOSSIER_TEST_STORE_DB_H

#include <ctype.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *test_db_pg_template(void)
{
    const char *t = getenv("DOSSIER_TEST_PG");
    return t && *t && strstr(t, "%s") ? t : NULL;
}

static const char *test_db_backend(void) { return test_db_pg_template() ? "postgres" : "sqlite"; }

/* template with %s replaced by name */
static void test_db_fill(const char *tpl, const char *name, char *out, size_t cap)
{
    const char *at = strstr(tpl, "%s");
    snprintf(out, cap, "%.*s%s%s", (int)(at - tpl), tpl, name, at + 2);
}

static void test_db_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static bool test_db_exec(const char *uri, const char *sql)
{
    bool ok = false;
    if (!strncmp(uri, "postgres", 8)) {
        PGconn *c = PQconnectdb(uri);
        if (PQstatus(c) == CONNECTION_OK) {
            PQsetNoticeProcessor(c, test_db_quiet, NULL);
            PGresult *r = PQexec(c, sql);
            ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
            if (!ok) fprintf(stderr, "# %s: %s", sql, PQerrorMessage(c));
            PQclear(r);
        } else {
            fprintf(stderr, "# connect %s: %s", uri, PQerrorMessage(c));
        }
        PQfinish(c);
    } else {
        sqlite3 *db = NULL;
        ok = sqlite3_open(uri, &db) == SQLITE_OK &&
             sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
        sqlite3_close(db);
    }
    return ok;
}

/* The database called name: its URI (or path) in out.  Like a SQLite file
 * in the test's fresh directory, a PostgreSQL database is empty the first
 * time a name is used in the process and the same database after that. */
static const char *test_db_uri(const char *dir, const char *name, char *out, size_t cap)
{
    const char *tpl = test_db_pg_template();
    if (!tpl) {
        snprintf(out, cap, "%s/%s", dir, name);
        return out;
    }
    static char made[32][64];
    static int nmade;
    char db[64], admin[512], sql[160];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof db; p++)
        db[k++] = isalnum((unsigned char)*p) ? *p : '_';
    db[k] = 0;
    for (int i = 0; i < nmade; i++)
        if (!strcmp(made[i], db)) {
            snprintf(sql, sizeof sql, "t_%s", db);
            test_db_fill(tpl, sql, out, cap);
            return out;
        }
    if (nmade < 32) snprintf(made[nmade++], sizeof made[0], "%s", db);
    test_db_fill(tpl, "postgres", admin, sizeof admin);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"t_%s\"", db);
    test_db_exec(admin, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"t_%s\"", db);
    test_db_exec(admin, sql);
    snprintf(sql, sizeof sql, "t_%s", db);
    test_db_fill(tpl, sql, out, cap);
    return out;
}

#endif
