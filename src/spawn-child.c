/* SPDX-License-Identifier: MIT */
/* The child prelude. Everything here runs between fork() and execve() in a copy of a process that
 * has two threads: a lock the loop thread held at fork time stays locked in the child forever.
 * So: async-signal-safe calls only (no malloc, no stdio, no logging), on data the parent prepared
 * completely. tests/check-prelude.sh lists this object's imports in CI against an allowlist. */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "spawn.h"

_Noreturn static void child_fail(int status_fd, SpawnStage stage) {
        SpawnReport rep = { .stage = stage, .error = errno };

        (void) !write(status_fd, &rep, sizeof rep);     /* best effort: nobody else to tell */
        _exit(stage != SPAWN_STAGE_EXEC ? 125 : rep.error == ENOENT ? 127 : 126);
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

_Noreturn void spawn_child(const SpawnPlan *p, int status_fd) {
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigset_t none;

        /* The spawner thread blocks every signal, and the child starts with that mask: nothing can
         * interrupt the prelude, and tcsetpgrp() below cannot stop us with SIGTTOU. The mask is
         * emptied last, right before the file descriptors go and execve() runs. */
        for (int sig = 1; sig < _NSIG; sig++)
                (void) sigaction(sig, &dfl, NULL);      /* EINVAL for SIGKILL, SIGSTOP, 32, 33 */

        if (setpgid(0, 0) < 0)                          /* every rung goes to -pgid */
                child_fail(status_fd, SPAWN_STAGE_GROUP);

        if (p->tty_fd >= 0 && tcsetpgrp(p->tty_fd, getpid()) < 0)
                child_fail(status_fd, SPAWN_STAGE_TTY);

        if (p->pdeathsig > 0) {
                if (prctl(PR_SET_PDEATHSIG, p->pdeathsig) < 0)
                        child_fail(status_fd, SPAWN_STAGE_PDEATHSIG);
                /* tend may have died before prctl(): then nobody will send it. Pending now,
                 * delivered when the mask is emptied below. */
                if (getppid() != p->parent_pid)
                        (void) kill(getpid(), p->pdeathsig);
        }

        if (close_all_but(status_fd) < 0)
                child_fail(status_fd, SPAWN_STAGE_FDS);

        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                child_fail(status_fd, SPAWN_STAGE_SIGNALS);

        execve(p->path, p->argv, p->envp);
        child_fail(status_fd, SPAWN_STAGE_EXEC);
}
