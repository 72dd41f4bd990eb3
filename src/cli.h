/* SPDX-License-Identifier: MIT */
#pragma once

/* The command line: argv -> JobSpec for session mode. A boundary: it logs what is wrong with an
 * option, naming the option and what was expected. */

#include "spec.h"

/* Returns 1 to run the session described by *spec, 0 when --help or --version was answered, or
 * -EINVAL after logging (tend exits 125). spec->argv points into argv. */
int cli_parse(int argc, char **argv, JobSpec *spec);
