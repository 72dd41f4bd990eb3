/* SPDX-License-Identifier: MIT */
/* Spawn cost of a plain single-threaded C program, the reference for tend's spawner thread.
 *
 *   bench-spawn posix_spawn|fork PATH [N]
 *
 * Times N spawns of PATH (default 1), each from the start of the call to the moment the child's
 * exec is confirmed, as tend -v does: posix_spawn() returns once the child has exec'd (glibc uses
 * CLONE_VFORK); for fork, pipe2(O_CLOEXEC) + fork() + execve() and EOF on the pipe, which is what
 * tend's spawner does. Reaps each child after the clock stopped. Prints "spawn took NSEC ns" per
 * spawn.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static uint64_t now_nsec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

int main(int argc, char *argv[]) {
        int use_fork;
        long n;

        if (argc < 3 || (strcmp(argv[1], "posix_spawn") != 0 && strcmp(argv[1], "fork") != 0)) {
                fprintf(stderr, "usage: bench-spawn posix_spawn|fork PATH [N]\n");
                return 2;
        }
        use_fork = strcmp(argv[1], "fork") == 0;
        n = argc > 3 ? strtol(argv[3], NULL, 10) : 1;

        for (long k = 0; k < n; k++) {
                char *child_argv[] = { argv[2], NULL };
                uint64_t t0, t1;
                pid_t pid;

                t0 = now_nsec();
                if (use_fork) {
                        int p[2];
                        char c;

                        if (pipe2(p, O_CLOEXEC) < 0)
                                return 1;
                        pid = fork();
                        if (pid < 0)
                                return 1;
                        if (pid == 0) {
                                execve(argv[2], child_argv, environ);
                                _exit(127);
                        }
                        (void) close(p[1]);
                        while (read(p[0], &c, 1) < 0 && errno == EINTR)
                                ;
                        (void) close(p[0]);
                } else if (posix_spawn(&pid, argv[2], NULL, NULL, child_argv, environ) != 0)
                        return 1;
                t1 = now_nsec();
                printf("spawn took %" PRIu64 " ns\n", t1 - t0);
                if (waitpid(pid, NULL, 0) < 0)
                        return 1;
        }
        return 0;
}
