/* SPDX-License-Identifier: MIT */
#pragma once

/* The ini front end: a [tend] section for global settings (none yet) and [job:NAME] sections whose
 * keys are spec.h's, set through job_spec_set_key() like the command line's options.
 *
 * Non-logging: every problem becomes a ConfigError with its line, and the caller (main.c, the
 * boundary) prints them all as "FILE:LINE: [SECTION] KEY: what is wrong (expected ...)". Not
 * pure: it reads the FILE and, unless told not to, resolves users, groups and environment
 * files (spec-resolve.c). Loop thread, before any fork.
 *
 * The file goes through inih, line by line through a reader of our own. The reader sees each
 * whole line first, so that the two traps of a packaged inih never change what the user wrote:
 * a line longer than inih's buffer (cut, and the rest read as a line of its own) and a ';' after
 * white space inside quotes (an inline comment even there). Both are errors with FILE:LINE and a
 * way out; a long value goes on indented continuation lines, which tend joins with a space. */

#include <stdio.h>

#include "spec.h"

typedef struct ConfigJob {
        char *name;                     /* NAME of [job:NAME] */
        unsigned line;                  /* of the section header */
        unsigned key_lines[_JOB_KEY_MAX];       /* where each key was set; 0: not in the file */
        JobSpec spec;
} ConfigJob;

typedef struct Config {
        ConfigJob *jobs;                /* in the order of the file */
        size_t n_jobs;
} Config;

typedef struct ConfigError {
        unsigned line;                  /* 0: the file as a whole */
        char *section;                  /* "job:web", "tend", as written; NULL outside sections */
        char *key;                      /* NULL when the error is about a line or a section */
        char *message;                  /* "what is wrong (expected ...)" */
} ConfigError;

typedef struct ConfigErrors {
        char *filename;
        ConfigError *errors;            /* sorted by line */
        size_t n;
} ConfigErrors;

typedef enum ConfigLoadFlags {
        CONFIG_LOAD_NO_RESOLVE = 1 << 0,        /* no NSS, no environment files: pure checks only */
} ConfigLoadFlags;

/* Reads an ini file from f, named filename in messages, and checks all of it. Returns 0 and the
 * jobs in *ret; -EBADMSG when the file has errors; -errno when it could not be read; -ENOMEM.
 * *errors is always initialised and lists every error found (also for -errno); free it with
 * config_errors_done(). *ret is written only on success. */
int config_load(FILE *f, const char *filename, ConfigLoadFlags flags, Config *ret, ConfigErrors *errors);

/* The same, opening path itself (fopen "re"); a file that cannot be opened is an error in
 * *errors too, with line 0. */
int config_load_path(const char *path, ConfigLoadFlags flags, Config *ret, ConfigErrors *errors);

void config_done(Config *c);
void config_errors_done(ConfigErrors *e);

/* "FILE:LINE: [SECTION] KEY: MESSAGE", leaving out what the error has not ("FILE: MESSAGE").
 * malloc'd; NULL on ENOMEM. */
char *config_error_to_string(const ConfigErrors *e, size_t i);

/* Every error, one per line. 0 or -EIO. */
int config_errors_print(const ConfigErrors *e, FILE *f);

/* Every job as "[job:NAME]" and job_spec_format(), separated by blank lines: what --check shows.
 * The output loads again to the same jobs. 0, -ENOMEM or -EIO. */
int config_format(const Config *c, FILE *f);

const ConfigJob *config_find_job(const Config *c, const char *name);
