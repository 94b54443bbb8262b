/*
 * cli.h — shared helpers of the dossier subcommands (cli/cmd_*.c).
 * Exit codes: 0 success, 1 some inputs skipped (or nothing found), 2 usage or fatal error.
 */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

#include "dossier.h"
#include <stdbool.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_FATAL = 2 };

/* One subcommand: name, one-line summary, entry point (argv[0] is the name). */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* Print "dossier: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a non-negative integer option value; exits 2 with a message if bad. */
long cli_parse_long(const char *opt, const char *val, long min, long max);
/* Parse a size like 32M, 512K, 1G; exits 2 if bad. */
size_t cli_parse_size(const char *opt, const char *val);
/* Make a context (data dir from --data or $DOSSIER_DATA); exits 2 on failure. */
dossier_ctx *cli_ctx(const char *data_dir, const dossier_options *opts);
/* The input paths after the options (argv[first..argc)), or "-" (standard
 * input) when there are none and stdin is not a terminal; false when there
 * are none and stdin is a terminal (the caller prints its usage).  *paths
 * points into argv or static storage: valid for the life of the program. */
bool cli_input_paths(int argc, char **argv, int first, const char *const **paths,
                     size_t *npaths);
/* Default database path: $DOSSIER_DB or "dossier.db". */
const char *cli_default_db(void);

/* subcommands */
int cmd_extract(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_incidents(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_enqueue(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_dates(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* store helpers (cmd_incidents.c): open the database or exit 2 with a message */
struct ds_store;
struct ds_store *cli_open_store(const char *db, bool readonly);
/* print s in at most w terminal columns ("…" when cut), padded when pad */
void cli_cell(const char *s, int w, bool pad);
int cmd_explain(int argc, char **argv);

#endif
