/* SPDX-License-Identifier: MIT */
#pragma once

/* The parent's half of a job's limits: turns a resolved JobSpec into the parts of a SpawnPlan that
 * the child prelude applies (environment, rlimits, nice, oom_score_adj, credentials, directory,
 * umask, stdio fds). Everything that can fail or allocate happens here, before the fork, so the
 * child only makes system calls. Non-logging; loop thread. limits_build_env() and
 * limits_build_rlimits() are pure. */

#include <sys/resource.h>

#include "spawn.h"
#include "spec.h"

/* What limits_prepare() allocates and opens for one plan; the plan points into it. */
typedef struct LimitsPlan {
        char **envp;                    /* NULL: the plan uses tend's environ as is */
        SpawnRLimit rlimits[RLIMIT_NLIMITS];
        size_t n_rlimits;
        int stdio[3];                   /* O_CLOEXEC fds opened for file:, append:, null; -1 */
        char oom_score_adj[16];
} LimitsPlan;

#define LIMITS_PLAN_INIT { .stdio = { -1, -1, -1 } }

/* base, then file_env, then env: each "NAME=VALUE" replaces an earlier assignment of its NAME in
 * place. Returns 0 and a new vector, or -ENOMEM. Pure. */
int limits_build_env(char *const *base, char *const *file_env, char *const *env, char ***ret);

/* The rlimits the spec sets, in RLIMIT_* order, into ret (room for RLIMIT_NLIMITS). Returns how
 * many. Pure. */
size_t limits_build_rlimits(const JobSpec *spec, SpawnRLimit *ret);

/* Fills plan's limit fields (everything but path, argv, pdeathsig, tty, cgroups) from spec, with
 * base_env as the environment to start from; lp owns what they point to. Opens the stdio files
 * (as tend, before the credentials change, as systemd does): on failure returns -errno and in
 * *reterr_stdio which of 0..2 could not be opened (-1 for other failures). lp must be
 * LIMITS_PLAN_INIT; on failure it is left for limits_done(). */
int limits_prepare(const JobSpec *spec, char *const *base_env, LimitsPlan *lp, SpawnPlan *plan,
                   int *reterr_stdio);

/* Closes the stdio fds: call once the spawn result is in (the child has its own copies). */
void limits_close_stdio(LimitsPlan *lp);

/* Closes and frees everything; lp is LIMITS_PLAN_INIT afterwards. */
void limits_done(LimitsPlan *lp);
