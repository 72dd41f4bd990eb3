/* SPDX-License-Identifier: MIT */
#pragma once

/* What a job is: the one spec that the command line (cli.c) and, later, ini files fill through
 * the same parsers. Plain data. */

#include <errno.h>
#include <stdint.h>

#include "parse.h"

typedef enum LeftoverPolicy {
        LEFTOVERS_KILL,         /* tear leftovers down by the ladder when the main process exits */
        LEFTOVERS_WAIT,         /* wait for them to exit on their own */
        _LEFTOVERS_MAX,
        _LEFTOVERS_INVALID = -EINVAL,
} LeftoverPolicy;

typedef struct JobSpec {
        char **argv;                    /* NULL-terminated; argv[0] is looked up in PATH */
        uint64_t timeout_usec;          /* USEC_INFINITY: none */
        Ladder ladder;
        LeftoverPolicy leftovers;
        int pdeathsig;                  /* 0: none */
} JobSpec;

/* Fills the defaults: no timeout, the default ladder, kill leftovers. */
void job_spec_init(JobSpec *spec);

LeftoverPolicy leftover_policy_from_string(const char *s);
const char *leftover_policy_to_string(LeftoverPolicy p);
