/* placeholder */
#include "cli.h"
int cmd_dates(int argc, char **argv) { (void)argc; (void)argv; return EXIT_FATAL; }
