/* SPDX-License-Identifier: MIT */
/* Start cost: wall time of fork + exec + wait, each run PID 1 of a new PID namespace.
 *
 *   bench-start [-o] [-t MSEC] N NAME ARGV... [::: NAME ARGV...]...
 *
 * Runs the configurations interleaved (A B C A B C ...), N rounds. Each run is
 * clone(CLONE_NEWPID), execv(ARGV[0]) in the child, waitpid() in the parent, timed with
 * CLOCK_MONOTONIC from before clone() to after waitpid(). The child's stdout and stderr go to
 * /dev/null, or with -o into a pipe that is printed after the run. Prints one line per run:
 * NAME, TAB, the wall time in ns, TAB, the exit status, TAB, the output with newlines as spaces.
 * A run that has not ended after MSEC (default 1000) is killed (its namespace with it) and reported with
 * the status "hung": that is a bound on a bug, not a way of waiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct Config {
        const char *name;
        char **argv;
} Config;

static void on_alarm(int sig) {
}

static uint64_t now_nsec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

static int run_one(const Config *c, int capture, int devnull, long bound_msec) {
        struct itimerval bound = {
                .it_value = { .tv_sec = bound_msec / 1000, .tv_usec = bound_msec % 1000 * 1000 },
        };
        struct itimerval off = { 0 };
        char out[65536];
        int p[2] = { -1, -1 }, status, hung = 0;
        size_t got = 0;
        uint64_t t0, t1;
        pid_t pid;

        if (capture && pipe2(p, O_CLOEXEC) < 0)
                return -1;
        t0 = now_nsec();
        /* clone() without a stack is fork() into a new PID namespace: the child is its PID 1. */
        pid = (pid_t) syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
        if (pid < 0)
                return -1;
        if (pid == 0) {
                int fd = capture ? p[1] : devnull;

                (void) dup2(fd, STDOUT_FILENO);
                (void) dup2(fd, STDERR_FILENO);
                execv(c->argv[0], c->argv);
                _exit(127);
        }
        (void) setitimer(ITIMER_REAL, &bound, NULL);
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR)
                        return -1;
                /* SIGALRM: SIGKILL to PID 1 of the namespace ends everything in it. */
                hung = 1;
                (void) kill(pid, SIGKILL);
        }
        (void) setitimer(ITIMER_REAL, &off, NULL);
        t1 = now_nsec();
        if (capture) {
                ssize_t k;

                (void) close(p[1]);
                while (got < sizeof out - 1 && (k = read(p[0], out + got, sizeof out - 1 - got)) > 0)
                        got += (size_t) k;
                (void) close(p[0]);
        }
        out[got] = '\0';
        for (size_t i = 0; i < got; i++)
                if (out[i] == '\n' || out[i] == '\t')
                        out[i] = ' ';
        if (hung)
                printf("%s\t%" PRIu64 "\thung\t%s\n", c->name, t1 - t0, out);
        else
                printf("%s\t%" PRIu64 "\t%d\t%s\n", c->name, t1 - t0,
                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out);
        return 0;
}

int main(int argc, char *argv[]) {
        struct sigaction sa = { .sa_handler = on_alarm };       /* no SA_RESTART: waitpid() gets EINTR */
        Config *configs;
        int i = 1, nc = 0, capture = 0, devnull;
        long n, bound_msec = 1000;

        for (; i < argc; i++)
                if (strcmp(argv[i], "-o") == 0)
                        capture = 1;
                else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
                        bound_msec = strtol(argv[++i], NULL, 10);
                else
                        break;
        if (argc - i < 3) {
                fprintf(stderr, "usage: bench-start [-o] [-t MSEC] N NAME ARGV... [::: NAME ARGV...]...\n");
                return 2;
        }
        n = strtol(argv[i++], NULL, 10);
        configs = calloc((size_t) argc, sizeof *configs);
        devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (sigaction(SIGALRM, &sa, NULL) < 0)
                return 2;
        if (!configs || devnull < 0)
                return 2;

        /* Split argv in place at each ":::". */
        while (i < argc) {
                Config *c = &configs[nc++];

                c->name = argv[i++];
                c->argv = argv + i;
                while (i < argc && strcmp(argv[i], ":::") != 0)
                        i++;
                if (i < argc)
                        argv[i++] = NULL;
                if (!c->argv[0])
                        return 2;
        }

        for (long k = 0; k < n; k++)
                for (int j = 0; j < nc; j++)
                        if (run_one(&configs[j], capture, devnull, bound_msec) < 0) {
                                fprintf(stderr, "bench-start: %s: %s\n", configs[j].name, strerror(errno));
                                return 1;
                        }
        return 0;
}
