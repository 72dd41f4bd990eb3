/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "job-limits.h"
#include "util/macro.h"
#include "util/strv.h"

int limits_build_env(char *const *base, char *const *file_env, char *const *env, char ***ret) {
        char *const *layers[] = { base, file_env, env };
        _cleanup_strv_free_ char **l = calloc(1, sizeof *l);
        int r;

        if (!l)
                return -ENOMEM;
        for (size_t k = 0; k < ELEMENTSOF(layers); k++)
                for (size_t i = 0; layers[k] && layers[k][i]; i++) {
                        r = strv_env_replace(&l, strdup(layers[k][i]));
                        if (r < 0)
                                return r;
                }
        *ret = TAKE_PTR(l);
        return 0;
}

size_t limits_build_rlimits(const JobSpec *spec, SpawnRLimit *ret) {
        size_t n = 0;

        for (int res = 0; res < RLIMIT_NLIMITS; res++) {
                const JobRLimit *l = &spec->rlimits[res];

                if (!l->set)
                        continue;
                /* PARSE_INFINITY is RLIM_INFINITY (both all ones). */
                ret[n++] = (SpawnRLimit) {
                        .resource = res,
                        .limit = { .rlim_cur = (rlim_t) l->soft, .rlim_max = (rlim_t) l->hard },
                };
        }
        return n;
}

/* The fd the child gets as fd i for spec's stdio[i], or -1 to inherit. */
static int open_stdio(const JobStdio *s, int i) {
        int fd;

        switch (s->type) {
        case STDIO_NULL:
                fd = open("/dev/null", (i == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC | O_NOCTTY);
                break;
        case STDIO_FILE:
                fd = i == 0 ? open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
                            : open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
                break;
        case STDIO_APPEND:
                fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0666);
                break;
        case STDIO_INHERIT:
                return -1;
        default:
                errno = EOPNOTSUPP;     /* journal: not in session mode */
                return -2;
        }
        return fd < 0 ? -2 : fd;
}

static bool same_stdio(const JobStdio *a, const JobStdio *b) {
        return a->type == b->type && (a->type == STDIO_FILE || a->type == STDIO_APPEND) &&
               strcmp(a->path, b->path) == 0;
}

int limits_prepare(const JobSpec *spec, char *const *base_env, LimitsPlan *lp, SpawnPlan *plan,
                   int *reterr_stdio) {
        int r;

        *reterr_stdio = -1;
        if (spec->environment || spec->environment_file_env) {
                r = limits_build_env(base_env, spec->environment_file_env, spec->environment, &lp->envp);
                if (r < 0)
                        return r;
                plan->envp = lp->envp;
        } else
                plan->envp = base_env;

        lp->n_rlimits = limits_build_rlimits(spec, lp->rlimits);
        plan->rlimits = lp->rlimits;
        plan->n_rlimits = lp->n_rlimits;

        plan->nice_set = spec->nice_set;
        plan->nice = spec->nice;
        if (spec->oom_score_adj_set) {
                (void) snprintf(lp->oom_score_adj, sizeof lp->oom_score_adj, "%d\n", spec->oom_score_adj);
                plan->oom_score_adj = lp->oom_score_adj;
        }

        plan->groups_set = spec->groups_set;
        plan->groups = spec->groups;
        plan->n_groups = spec->n_groups;
        plan->gid_set = spec->gid_set;
        plan->gid = spec->gid;
        plan->uid_set = spec->uid_set;
        plan->uid = spec->uid;
        plan->no_new_privs = spec->no_new_privileges;
        plan->directory = spec->directory;
        plan->umask_set = spec->umask_set;
        plan->umask = (mode_t) spec->umask;

        for (int i = 0; i < 3; i++) {
                int fd;

                /* stdout and stderr to one file share one open file, hence one offset: two opens
                 * with O_TRUNC would write over each other. */
                fd = i == 2 && lp->stdio[1] >= 0 && same_stdio(&spec->stdio[1], &spec->stdio[2])
                             ? fcntl(lp->stdio[1], F_DUPFD_CLOEXEC, 3)
                             : open_stdio(&spec->stdio[i], i);
                if (fd < 0 && !(fd == -1 && spec->stdio[i].type == STDIO_INHERIT)) {
                        *reterr_stdio = i;
                        return -errno;
                }
                lp->stdio[i] = plan->stdio[i] = fd;
        }
        return 0;
}

void limits_close_stdio(LimitsPlan *lp) {
        for (int i = 0; i < 3; i++) {
                (void) safe_close(lp->stdio[i]);
                lp->stdio[i] = -1;
        }
}

void limits_done(LimitsPlan *lp) {
        limits_close_stdio(lp);
        lp->envp = strv_free(lp->envp);
        *lp = (LimitsPlan) LIMITS_PLAN_INIT;
}
