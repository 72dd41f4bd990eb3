/* SPDX-License-Identifier: MIT */
/* The child prelude. Everything here runs between fork() and execve() in a copy of a process that
 * has two threads: a lock the loop thread held at fork time stays locked in the child forever.
 * So: async-signal-safe calls only (no malloc, no stdio, no logging), on data the parent prepared
 * completely. tests/check-prelude.sh lists this object's imports in CI against an allowlist. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "spawn.h"

_Noreturn static void child_fail_detail(int status_fd, SpawnStage stage, int detail) {
        SpawnReport rep = { .stage = stage, .error = errno, .detail = detail };

        (void) !write(status_fd, &rep, sizeof rep);     /* best effort: nobody else to tell */
        _exit(stage != SPAWN_STAGE_EXEC ? 125 : rep.error == ENOENT ? 127 : 126);
}

_Noreturn static void child_fail(int status_fd, SpawnStage stage) {
        child_fail_detail(status_fd, stage, 0);
}

/* Writes "0" (the writer itself) into each cgroup.procs, v1 or v2. Done first, so that a pids
 * limit covers the prelude and nothing the job forks can be outside its cgroup. */
static void join_cgroups(const SpawnPlan *p, bool in_cgroup, int status_fd) {
        for (size_t i = 0; i < p->n_cgroup_procs_fds; i++) {
                if (i == 0 && in_cgroup)
                        continue;
                if (write(p->cgroup_procs_fds[i], "0", 1) != 1)
                        child_fail_detail(status_fd, SPAWN_STAGE_CGROUP, (int) i);
        }
}

/* Resource limits, nice and oom_score_adj: before the credentials change, since raising a hard
 * limit, lowering nice or lowering oom_score_adj needs privileges the target user may lack. */
static void apply_limits(const SpawnPlan *p, int status_fd) {
        for (size_t i = 0; i < p->n_rlimits; i++)
                if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].limit) < 0)
                        child_fail_detail(status_fd, SPAWN_STAGE_RLIMIT, p->rlimits[i].resource);

        if (p->nice_set && setpriority(PRIO_PROCESS, 0, p->nice) < 0)
                child_fail(status_fd, SPAWN_STAGE_NICE);

        if (p->oom_score_adj) {
                size_t len = strlen(p->oom_score_adj);          /* async-signal-safe since POSIX.1-2016 */
                int fd;

                fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
                if (fd < 0 || write(fd, p->oom_score_adj, len) != (ssize_t) len)
                        child_fail(status_fd, SPAWN_STAGE_OOM_SCORE_ADJ);
                (void) close(fd);
        }
}

/* Raw system calls, not glibc's setgroups()/setresgid()/setresuid(): those broadcast the change
 * to every thread glibc knows of (the "setxid" dance, with a lock and signals), and a child made
 * by a raw clone3() still believes it has tend's threads. The kernel call changes this process
 * alone, which is all it has. Groups first, uid last: after setresuid() the rest is refused. */
static void apply_credentials(const SpawnPlan *p, int status_fd) {
        if (p->groups_set && syscall(SYS_setgroups, p->n_groups, p->groups) < 0)
                child_fail(status_fd, SPAWN_STAGE_GROUPS);
        if (p->gid_set && syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0)
                child_fail(status_fd, SPAWN_STAGE_GID);
        if (p->uid_set && syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
                child_fail(status_fd, SPAWN_STAGE_UID);
}

/* dup2() each planned fd onto 0, 1, 2. A source below 3 is first copied above 2, so that an
 * earlier dup2() cannot overwrite it ("stderr to tend's stdout" while stdout goes elsewhere).
 * The sources themselves are closed with every other fd afterwards. */
static void setup_stdio(const SpawnPlan *p, int status_fd) {
        int fds[3];

        for (int i = 0; i < 3; i++) {
                fds[i] = p->stdio[i];
                if (fds[i] >= 0 && fds[i] < 3 && fds[i] != i) {
                        fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
                        if (fds[i] < 0)
                                child_fail_detail(status_fd, SPAWN_STAGE_STDIO, i);
                }
        }
        for (int i = 0; i < 3; i++)
                if (fds[i] >= 0 && fds[i] != i && dup2(fds[i], i) < 0)
                        child_fail_detail(status_fd, SPAWN_STAGE_STDIO, i);
}

/* close_range() over the two spans around the status pipe, which must stay open until execve()
 * closes it (it is O_CLOEXEC): closing it early would read as success in the parent. */
static int close_all_but(int keep) {
        struct rlimit rl;

        if ((keep <= 3 || close_range(3, (unsigned) keep - 1, 0) >= 0) &&
            close_range((unsigned) keep + 1, ~0U, 0) >= 0)
                return 0;
        if (errno != ENOSYS)
                return -1;
        /* Linux < 5.9. */
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return -1;
        for (rlim_t fd = 3; fd < rl.rlim_cur && fd < (1u << 20); fd++)
                if ((int) fd != keep)
                        (void) close((int) fd);
        return 0;
}

_Noreturn void spawn_child(const SpawnPlan *p, int status_fd, bool in_cgroup) {
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigset_t none;

        /* The spawner thread blocks every signal, and the child starts with that mask: nothing can
         * interrupt the prelude, and tcsetpgrp() below cannot stop us with SIGTTOU. The mask is
         * emptied last, right before the file descriptors go and execve() runs. */
        for (int sig = 1; sig < _NSIG; sig++)
                (void) sigaction(sig, &dfl, NULL);      /* EINVAL for SIGKILL, SIGSTOP, 32, 33 */

        /* tend started with 0, 1 or 2 closed can get the status pipe there: keep it out of the
         * way of the stdio dup2()s. */
        if (status_fd < 3) {
                int fd = fcntl(status_fd, F_DUPFD_CLOEXEC, 3);

                if (fd < 0)
                        child_fail(status_fd, SPAWN_STAGE_FDS);
                status_fd = fd;
        }

        join_cgroups(p, in_cgroup, status_fd);

        if (setpgid(0, 0) < 0)                          /* every rung goes to -pgid */
                child_fail(status_fd, SPAWN_STAGE_GROUP);

        if (p->tty_fd >= 0 && tcsetpgrp(p->tty_fd, getpid()) < 0)
                child_fail(status_fd, SPAWN_STAGE_TTY);

        apply_limits(p, status_fd);
        apply_credentials(p, status_fd);

        /* After the credentials: a change of euid or egid clears the parent-death signal
         * (commit_creds() in kernel/cred.c). */
        if (p->pdeathsig > 0) {
                if (prctl(PR_SET_PDEATHSIG, p->pdeathsig) < 0)
                        child_fail(status_fd, SPAWN_STAGE_PDEATHSIG);
                /* tend may have died before prctl(): then nobody will send it. Pending now,
                 * delivered when the mask is emptied below. */
                if (getppid() != p->parent_pid)
                        (void) kill(getpid(), p->pdeathsig);
        }

        if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                child_fail(status_fd, SPAWN_STAGE_NO_NEW_PRIVS);

        /* As the target user: a directory it cannot enter fails the start, as it would for a
         * login. */
        if (p->directory && chdir(p->directory) < 0)
                child_fail(status_fd, SPAWN_STAGE_CHDIR);

        if (p->umask_set)
                (void) umask(p->umask);

        setup_stdio(p, status_fd);

        if (close_all_but(status_fd) < 0)
                child_fail(status_fd, SPAWN_STAGE_FDS);

        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                child_fail(status_fd, SPAWN_STAGE_SIGNALS);

        execve(p->path, p->argv, p->envp);
        child_fail(status_fd, SPAWN_STAGE_EXEC);
}
