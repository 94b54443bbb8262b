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
/* The per-document limits every extracting command takes (extract, ingest,
 * worker): long options to put in a getopt_long table, their help lines, and
 * the parser.  cli_limit_option() returns true when c was one of them. */
#define CLI_LIMIT_LONGS                                                  \
    {"max-doc-bytes", required_argument, 0, CLI_OPT_MAX_DOC},           \
    {"max-sentence-bytes", required_argument, 0, CLI_OPT_MAX_SENTENCE}, \
    {"max-claims", required_argument, 0, CLI_OPT_MAX_CLAIMS}
#define CLI_LIMIT_HELP                                                                     \
    "      --max-doc-bytes N  truncate (and flag) larger documents (default 32M)\n"        \
    "      --max-sentence-bytes N  longer sentences are not searched (default 4096)\n"     \
    "      --max-claims N     per document (default 2000)\n"
enum { CLI_OPT_MAX_DOC = 0x1000, CLI_OPT_MAX_SENTENCE, CLI_OPT_MAX_CLAIMS };
bool cli_limit_option(int c, const char *arg, dossier_options *o);

/* One stderr line "dossier: PATH: what happened" per warning flag of doc
 * (repaired UTF-8, HTML limits, sentence and claim limits) that did not stop
 * extraction; a truncation is reported where the input is read.  break_line:
 * end the progress line first, when there is something to say. */
void cli_note_flags(const char *path, const dossier_doc *doc, bool break_line);
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
