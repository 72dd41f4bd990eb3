/* SPDX-License-Identifier: MIT */
/* The workloads of the benchmark suite (tests/bench/run.py), one program with a mode per
 * measurement. Each runs as the child of the wrapper under test, itself PID 1 of a PID namespace
 * of its own. Every mode tells the driver that it is ready by writing "ready\n" on stdout, the only
 * channel that every wrapper passes through (tend closes every fd above 2 in its children).
 *
 *   bench-work tree N ignore|obey   N processes in one group; with "ignore", this process and
 *                                   every second child ignore SIGTERM and SIGINT (N/2 in all)
 *   bench-work idle                 block on stdin until EOF
 *   bench-work sigrecv              on each SIGUSR1, write the CLOCK_MONOTONIC time of reception
 *                                   (8 bytes, native order) on stdout
 *   bench-work orphans N [K]        N double-forked orphans; prints "start NSEC" first and, with
 *                                   K > 0, counts the zombies in /proc every K orphans and prints
 *                                   "peak COUNT" at the end (/proc must be the namespace's own)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_nsec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

static int write_all(int fd, const void *buf, size_t n) {
        const char *p = buf;

        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return -1;
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

static void say_ready(void) {
        if (write_all(STDOUT_FILENO, "ready\n", 6) < 0)
                _exit(2);
}

static _Noreturn void die(const char *what) {
        fprintf(stderr, "bench-work: %s: %s\n", what, strerror(errno));
        exit(2);
}

static void set_stop_signals(void (*handler)(int)) {
        struct sigaction sa = { .sa_handler = handler };

        if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
                die("sigaction");
}

static _Noreturn void wait_forever(void) {
        for (;;)
                pause();
}

/* The teardown tree. Each child reports on a pipe once its dispositions are final, so that the
 * driver's SIGTERM cannot meet a child that still has the ignoring disposition it inherited. */
static int run_tree(long n, int ignore) {
        int sync[2];
        char c;

        if (n < 1 || pipe2(sync, O_CLOEXEC) < 0)
                die("tree");
        if (ignore)
                set_stop_signals(SIG_IGN);

        for (long i = 1; i < n; i++) {
                pid_t pid = fork();

                if (pid < 0)
                        die("fork");
                if (pid == 0) {
                        if (ignore && i % 2 == 1)
                                set_stop_signals(SIG_DFL);
                        (void) close(sync[0]);
                        if (write_all(sync[1], "x", 1) < 0)
                                _exit(2);
                        (void) close(sync[1]);
                        wait_forever();
                }
        }
        (void) close(sync[1]);
        for (long i = 1; i < n; i++)
                if (read(sync[0], &c, 1) != 1)
                        die("waiting for the tree");
        (void) close(sync[0]);
        say_ready();
        wait_forever();
}

static int run_idle(void) {
        char buf[64];
        ssize_t k;

        say_ready();
        do
                k = read(STDIN_FILENO, buf, sizeof buf);
        while (k > 0 || (k < 0 && errno == EINTR));
        return 0;
}

static void on_usr1(int sig) {
        int saved = errno;
        uint64_t t = now_nsec();        /* clock_gettime() is async-signal-safe */

        (void) !write(STDOUT_FILENO, &t, sizeof t);
        errno = saved;
}

static int run_sigrecv(void) {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

        if (sigaction(SIGUSR1, &sa, NULL) < 0)
                die("sigaction");
        say_ready();
        wait_forever();
}

/* Zombies in this PID namespace's /proc, this process excluded. */
static long count_zombies(void) {
        struct dirent *de;
        long zombies = 0;
        DIR *d;

        d = opendir("/proc");
        if (!d)
                die("opendir /proc");
        while ((de = readdir(d))) {
                char path[300], buf[256], *p;
                ssize_t k;
                int fd;

                if (de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                k = read(fd, buf, sizeof buf - 1);
                (void) close(fd);
                if (k <= 0)
                        continue;
                buf[k] = '\0';
                p = strrchr(buf, ')');
                if (p && p[1] == ' ' && p[2] == 'Z')
                        zombies++;
        }
        closedir(d);
        return zombies;
}

static int run_orphans(long n, long every) {
        long peak = 0;

        printf("start %" PRIu64 "\n", now_nsec());
        fflush(stdout);
        for (long i = 0; i < n; i++) {
                pid_t pid = fork();

                if (pid < 0)
                        die("fork");
                if (pid == 0) {
                        /* The grandchild is orphaned at once and exits: PID 1 must reap it. */
                        (void) fork();
                        _exit(0);
                }
                if (waitpid(pid, NULL, 0) < 0)
                        die("waitpid");
                if (every > 0 && i % every == 0) {
                        long z = count_zombies();

                        if (z > peak)
                                peak = z;
                }
        }
        if (every > 0)
                printf("peak %ld\n", peak);
        return 0;
}

int main(int argc, char *argv[]) {
        const char *mode = argc > 1 ? argv[1] : "";

        if (strcmp(mode, "tree") == 0 && argc == 4)
                return run_tree(strtol(argv[2], NULL, 10), strcmp(argv[3], "ignore") == 0);
        if (strcmp(mode, "idle") == 0)
                return run_idle();
        if (strcmp(mode, "sigrecv") == 0)
                return run_sigrecv();
        if (strcmp(mode, "orphans") == 0 && argc >= 3)
                return run_orphans(strtol(argv[2], NULL, 10), argc > 3 ? strtol(argv[3], NULL, 10) : 0);
        fprintf(stderr, "usage: bench-work tree N ignore|obey | idle | sigrecv | orphans N [K]\n");
        return 2;
}
