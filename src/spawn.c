/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "spawn.h"
#include "util/macro.h"

static uint64_t now_nsec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

/* clone3() with CLONE_PIDFD, and CLONE_INTO_CGROUP when cgroup_fd >= 0, falling back to fork() +
 * pidfd_open() where clone3 is refused with ENOSYS (some container seccomp profiles do so to keep
 * clone flags inspectable). A clone3 that refuses CLONE_INTO_CGROUP (E2BIG before Linux 5.7, or a
 * cgroup it will not take a process into) is retried without it: the child then joins through
 * cgroup.procs, and reports there if that fails too. Returns the pid in the parent, 0 in the
 * child, -errno on failure; *ret_in_cgroup tells both whether the child was born in cgroup_fd. */
static pid_t clone_with_pidfd_spawner(int cgroup_fd, int *ret_pidfd, bool *ret_in_cgroup) {
        int pidfd = -1;
        struct clone_args args = {
                .flags = CLONE_PIDFD,
                .pidfd = (uint64_t) (uintptr_t) &pidfd,
                .exit_signal = SIGCHLD,
        };
        long pid = -1;

        *ret_in_cgroup = false;
        if (cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t) cgroup_fd;
                pid = syscall(SYS_clone3, &args, sizeof args);
                if (pid >= 0)
                        *ret_in_cgroup = true;
                else if (errno != ENOSYS) {
                        args.flags &= ~(uint64_t) CLONE_INTO_CGROUP;
                        args.cgroup = 0;
                        pid = syscall(SYS_clone3, &args, sizeof args);
                }
        } else
                pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid < 0 && errno == ENOSYS) {
                *ret_in_cgroup = false;
                pid = fork();
                if (pid > 0)
                        pidfd = (int) syscall(SYS_pidfd_open, (pid_t) pid, 0);   /* -1 on < 5.3 */
        }
        if (pid < 0)
                return -errno;
        if (pid > 0)
                *ret_pidfd = pidfd;
        return (pid_t) pid;
}

static SpawnResult spawn_one_spawner(const SpawnPlan *plan) {
        SpawnResult res = { .plan = plan, .pidfd = -1 };
        uint64_t start = now_nsec();
        int status[2];
        SpawnReport rep;
        bool in_cgroup;
        ssize_t n;
        pid_t pid;

        if (pipe2(status, O_CLOEXEC) < 0) {
                res.error = -errno;
                res.stage = SPAWN_STAGE_CLONE;
                return res;
        }

        pid = clone_with_pidfd_spawner(plan->cgroup_fd, &res.pidfd, &in_cgroup);
        if (pid == 0) {
                (void) close(status[0]);
                spawn_child(plan, status[1], in_cgroup);
        }
        (void) close(status[1]);
        if (pid < 0) {
                res.error = pid;
                res.stage = SPAWN_STAGE_CLONE;
                (void) close(status[0]);
                return res;
        }
        res.pid = pid;

        do
                n = read(status[0], &rep, sizeof rep);
        while (n < 0 && errno == EINTR);
        (void) close(status[0]);

        if (n == (ssize_t) sizeof rep) {
                res.error = -(rep.error > 0 ? rep.error : EIO);
                res.stage = rep.stage > SPAWN_STAGE_NONE && rep.stage < _SPAWN_STAGE_MAX ? rep.stage
                                                                                         : SPAWN_STAGE_EXEC;
                res.detail = rep.detail;
        } else if (n != 0) {
                /* A short report cannot happen with a pipe and 12 bytes; say so rather than guess. */
                res.error = n < 0 ? -errno : -EIO;
                res.stage = SPAWN_STAGE_EXEC;
        }
        res.spawn_nsec = now_nsec() - start;
        return res;
}

static void *spawner_main(void *userdata) {
        Spawner *s = userdata;

        for (;;) {
                const SpawnPlan *plan;
                SpawnResult res;
                ssize_t n;

                n = read(s->request_fd_spawner, &plan, sizeof plan);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n != (ssize_t) sizeof plan)
                        break;          /* EOF: spawner_stop() */

                res = spawn_one_spawner(plan);
                /* sizeof res < PIPE_BUF: the write is atomic, and the loop reads whole results. */
                do
                        n = write(s->result_fd_spawner, &res, sizeof res);
                while (n < 0 && errno == EINTR);
        }
        return NULL;
}

int spawner_start(Spawner *s) {
        int req[2] = { -1, -1 }, res[2] = { -1, -1 };
        sigset_t all, old;
        int r;

        *s = (Spawner) { .request_fd = -1, .result_fd = -1, .request_fd_spawner = -1, .result_fd_spawner = -1 };

        if (pipe2(req, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC | O_NONBLOCK) < 0) {
                r = -errno;
                goto fail;
        }
        /* The spawner's end of the result pipe blocks: a full pipe must not lose a result. */
        if (fcntl(res[1], F_SETFL, 0) < 0) {
                r = -errno;
                goto fail;
        }

        /* The thread inherits this mask: with every signal blocked there, each one reaches the
         * loop's signalfd, and children start with nothing deliverable until their prelude has
         * reset the dispositions. */
        sigfillset(&all);
        r = -pthread_sigmask(SIG_SETMASK, &all, &old);
        if (r < 0)
                goto fail;
        s->request_fd_spawner = req[0];
        s->result_fd_spawner = res[1];
        r = -pthread_create(&s->thread, NULL, spawner_main, s);
        (void) pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (r < 0)
                goto fail;

        s->running = true;
        s->request_fd = req[1];
        s->result_fd = res[0];
        return 0;

fail:
        safe_close(req[0]);
        safe_close(req[1]);
        safe_close(res[0]);
        safe_close(res[1]);
        *s = (Spawner) { .request_fd = -1, .result_fd = -1, .request_fd_spawner = -1, .result_fd_spawner = -1 };
        return r;
}

int spawner_request(Spawner *s, const SpawnPlan *plan) {
        ssize_t n;

        if (!s->running)
                return -ESRCH;
        do
                n = write(s->request_fd, &plan, sizeof plan);
        while (n < 0 && errno == EINTR);
        return n == (ssize_t) sizeof plan ? 0 : n < 0 ? -errno : -EIO;
}

int spawner_read_result(Spawner *s, SpawnResult *ret) {
        ssize_t n;

        do
                n = read(s->result_fd, ret, sizeof *ret);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return errno == EAGAIN ? 0 : -errno;
        if (n == 0)
                return -EPIPE;
        return n == (ssize_t) sizeof *ret ? 1 : -EIO;
}

void spawner_stop(Spawner *s) {
        if (s->running) {
                s->request_fd = safe_close(s->request_fd);      /* EOF ends the thread */
                (void) pthread_join(s->thread, NULL);
                s->running = false;
        }
        s->request_fd = safe_close(s->request_fd);
        s->result_fd = safe_close(s->result_fd);
        s->request_fd_spawner = safe_close(s->request_fd_spawner);
        s->result_fd_spawner = safe_close(s->result_fd_spawner);
}

int spawn_resolve_path(const char *command, const char *path_env, char **ret_path) {
        _cleanup_free_ char *found_noexec = NULL;
        const char *p;

        if (!command || !*command)
                return -ENOENT;
        if (strchr(command, '/')) {
                char *copy = strdup(command);

                if (!copy)
                        return -ENOMEM;
                *ret_path = copy;
                return 0;
        }
        if (!path_env)
                path_env = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

        for (p = path_env;; p++) {
                size_t len = strcspn(p, ":");
                _cleanup_free_ char *candidate = NULL;
                struct stat st;

                /* An empty entry means the current directory, as for execvp(). */
                if (asprintf(&candidate, "%.*s%s%s", (int) len, len ? p : ".", "/", command) < 0)
                        return -ENOMEM;
                if (stat(candidate, &st) >= 0 && !S_ISDIR(st.st_mode)) {
                        if (access(candidate, X_OK) >= 0) {
                                *ret_path = TAKE_PTR(candidate);
                                return 0;
                        }
                        if (!found_noexec)
                                found_noexec = TAKE_PTR(candidate);
                }
                p += len;
                if (*p == '\0')
                        break;
        }
        if (found_noexec) {
                *ret_path = TAKE_PTR(found_noexec);
                return 0;
        }
        return -ENOENT;
}

const char *spawn_stage_to_string(SpawnStage s) {
        static const char *const names[_SPAWN_STAGE_MAX] = {
                [SPAWN_STAGE_NONE] = "none",
                [SPAWN_STAGE_CLONE] = "creating the process",
                [SPAWN_STAGE_SIGNALS] = "resetting signals",
                [SPAWN_STAGE_GROUP] = "creating its process group",
                [SPAWN_STAGE_TTY] = "giving it the terminal",
                [SPAWN_STAGE_PDEATHSIG] = "setting its parent-death signal",
                [SPAWN_STAGE_CGROUP] = "moving it into its cgroup",
                [SPAWN_STAGE_RLIMIT] = "setting a resource limit",
                [SPAWN_STAGE_NICE] = "setting its nice value",
                [SPAWN_STAGE_OOM_SCORE_ADJ] = "setting its oom_score_adj",
                [SPAWN_STAGE_GROUPS] = "setting its supplementary groups",
                [SPAWN_STAGE_GID] = "setting its group",
                [SPAWN_STAGE_UID] = "setting its user",
                [SPAWN_STAGE_NO_NEW_PRIVS] = "setting no_new_privileges",
                [SPAWN_STAGE_CHDIR] = "changing to its directory",
                [SPAWN_STAGE_STDIO] = "setting up its standard input and output",
                [SPAWN_STAGE_FDS] = "closing inherited file descriptors",
                [SPAWN_STAGE_EXEC] = "executing it",
        };

        return s >= 0 && s < _SPAWN_STAGE_MAX ? names[s] : "invalid stage";
}

char *spawn_describe_stage(const SpawnPlan *plan, SpawnStage stage, int detail, char *buf, size_t size) {
        static const char *const stdio_names[] = { "stdin", "stdout", "stderr" };
        char value[RLIMIT_MAX_LEN], upper[32];
        const char *name;
        size_t i;

        switch (stage) {
        case SPAWN_STAGE_RLIMIT:
                name = rlimit_to_string(detail);
                if (!name)
                        break;
                for (i = 0; name[i] && i < sizeof upper - 1; i++)
                        upper[i] = (char) (name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
                upper[i] = '\0';
                value[0] = '\0';
                for (i = 0; i < plan->n_rlimits; i++)
                        if (plan->rlimits[i].resource == detail)
                                (void) format_rlimit(detail, plan->rlimits[i].limit.rlim_cur,
                                                     plan->rlimits[i].limit.rlim_max, value, sizeof value);
                (void) snprintf(buf, size, "setting limit %s (RLIMIT_%s) to %s", name, upper, value);
                return buf;
        case SPAWN_STAGE_NICE:
                (void) snprintf(buf, size, "setting nice to %d", plan->nice);
                return buf;
        case SPAWN_STAGE_OOM_SCORE_ADJ:
                (void) snprintf(buf, size, "setting oom_score_adj to %.*s", (int) strcspn(plan->oom_score_adj, "\n"),
                                plan->oom_score_adj);
                return buf;
        case SPAWN_STAGE_GROUPS:
                (void) snprintf(buf, size, "setting its %zu supplementary group%s", plan->n_groups,
                                plan->n_groups == 1 ? "" : "s");
                return buf;
        case SPAWN_STAGE_GID:
                (void) snprintf(buf, size, "setting its group to gid %u", (unsigned) plan->gid);
                return buf;
        case SPAWN_STAGE_UID:
                (void) snprintf(buf, size, "setting its user to uid %u", (unsigned) plan->uid);
                return buf;
        case SPAWN_STAGE_CHDIR:
                (void) snprintf(buf, size, "changing to its directory %s", plan->directory);
                return buf;
        case SPAWN_STAGE_STDIO:
                if (detail >= 0 && detail < 3) {
                        (void) snprintf(buf, size, "setting up its %s", stdio_names[detail]);
                        return buf;
                }
                break;
        default:
                break;
        }
        (void) snprintf(buf, size, "%s", spawn_stage_to_string(stage));
        return buf;
}
