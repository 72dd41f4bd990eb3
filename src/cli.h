/* SPDX-License-Identifier: MIT */
#pragma once

/* The command line: argv -> what to run. A boundary: it logs what is wrong with an option,
 * naming the option and what was expected. */

#include <stdbool.h>

#include "spec.h"

typedef struct CliArgs {
        JobSpec spec;                   /* session mode: filled from the job options */
        const char *config;             /* -c FILE: the jobs come from FILE instead */
        bool check;                     /* --check: validate FILE, print the jobs, exit */
} CliArgs;

/* Returns 1 to go on (a session from args->spec, or args->config), 0 when --help or --version
 * was answered, or -EINVAL after logging (tend exits 125). Free with cli_args_done(). */
int cli_parse(int argc, char **argv, CliArgs *args);

void cli_args_done(CliArgs *args);
