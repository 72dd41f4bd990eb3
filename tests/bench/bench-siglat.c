/* SPDX-License-Identifier: MIT */
/* Signal forwarding latency, measured from C so that no interpreter sits in the figure.
 *
 *   bench-siglat N NAME:PID:FD...
 *
 * For each of N rounds and each target in turn (interleaved: A B C A B C ...), take the
 * CLOCK_MONOTONIC time, kill(PID, SIGUSR1), and read from FD the 8-byte time at which the
 * workload's handler ran (bench-work sigrecv, behind the wrapper PID). CLOCK_MONOTONIC is one clock
 * for the whole machine, PID namespaces included. Prints one line per target: NAME then the
 * latencies in ns (-1 for a signal that got no answer within a second).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Target {
        char name[64];
        pid_t pid;
        int fd;
        int64_t *lat;
} Target;

static uint64_t now_nsec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

/* One 8-byte answer, or -1 after a second without one. */
static int64_t read_answer(int fd, uint64_t *ret) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        size_t got = 0;

        while (got < sizeof *ret) {
                ssize_t k;
                int r = poll(&p, 1, 1000);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        return -1;
                k = read(fd, (char *) ret + got, sizeof *ret - got);
                if (k <= 0)
                        return -1;
                got += (size_t) k;
        }
        return 0;
}

int main(int argc, char *argv[]) {
        Target *t;
        long n;
        int nt;

        if (argc < 3) {
                fprintf(stderr, "usage: bench-siglat N NAME:PID:FD...\n");
                return 2;
        }
        n = strtol(argv[1], NULL, 10);
        nt = argc - 2;
        t = calloc((size_t) nt, sizeof *t);
        if (!t || n <= 0)
                return 2;
        for (int i = 0; i < nt; i++) {
                int pid, fd;

                if (sscanf(argv[i + 2], "%63[^:]:%d:%d", t[i].name, &pid, &fd) != 3)
                        return 2;
                t[i].pid = pid;
                t[i].fd = fd;
                t[i].lat = calloc((size_t) n, sizeof *t[i].lat);
                if (!t[i].lat)
                        return 2;
        }

        for (long k = 0; k < n; k++)
                for (int i = 0; i < nt; i++) {
                        uint64_t sent, got;

                        sent = now_nsec();
                        if (kill(t[i].pid, SIGUSR1) < 0 || read_answer(t[i].fd, &got) < 0)
                                t[i].lat[k] = -1;
                        else
                                t[i].lat[k] = (int64_t) (got - sent);
                }

        for (int i = 0; i < nt; i++) {
                printf("%s", t[i].name);
                for (long k = 0; k < n; k++)
                        printf(" %" PRId64, t[i].lat[k]);
                printf("\n");
        }
        return 0;
}
