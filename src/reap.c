/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "reap.h"

int reap_drain(ReapCallback cb, void *userdata) {
        for (;;) {
                siginfo_t si;

                /* waitid() leaves si untouched when nothing has exited: si_pid 0 tells. */
                memset(&si, 0, sizeof si);
                if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0) {
                        if (errno == EINTR)
                                continue;
                        return errno == ECHILD ? 0 : -errno;
                }
                if (si.si_pid == 0)
                        return 1;
                cb(&si, userdata);
        }
}

int reap_exiting(pid_t pid) {
        siginfo_t si;

        for (;;) {
                if (waitid(P_PID, (id_t) pid, &si, WEXITED) >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}
