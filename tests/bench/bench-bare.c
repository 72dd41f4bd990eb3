/* SPDX-License-Identifier: MIT */
/* The "bare" launcher: fork, exec, wait, and nothing else. As PID 1 of a PID namespace it also
 * reaps the orphans that the namespace hands it (wait() for any child), but it forwards no signal
 * and has no stop ladder: it is the floor that every wrapper is compared with.
 *
 *   bench-bare [--] COMMAND [ARG...]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
        int i = 1, status;
        pid_t pid;

        if (i < argc && strcmp(argv[i], "--") == 0)
                i++;
        if (i >= argc) {
                fprintf(stderr, "usage: bench-bare [--] COMMAND [ARG...]\n");
                return 2;
        }
        pid = fork();
        if (pid < 0)
                return 125;
        if (pid == 0) {
                execvp(argv[i], argv + i);
                _exit(errno == ENOENT ? 127 : 126);
        }
        for (;;) {
                pid_t p = wait(&status);

                if (p == pid)
                        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                if (p < 0 && errno != EINTR)
                        return 125;
        }
}
