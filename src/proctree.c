/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proctree.h"
#include "util/macro.h"

void proc_list_done(ProcList *l) {
        free(l->entries);
        *l = (ProcList) { 0 };
}

static int proc_list_push(ProcList *l, const ProcEntry *e) {
        if (l->n == l->allocated) {
                size_t k = l->allocated ? l->allocated * 2 : 64;
                ProcEntry *v = reallocarray(l->entries, k, sizeof *v);

                if (!v)
                        return -ENOMEM;
                l->entries = v;
                l->allocated = k;
        }
        l->entries[l->n++] = *e;
        return 0;
}

int proc_parse_stat(const char *buf, size_t len, ProcEntry *ret) {
        char tail[512];
        const char *close;
        unsigned long long starttime;
        int pid, ppid, pgrp, session;
        char state;
        size_t k;

        if (len == 0 || !memchr(buf, ')', len) || sscanf(buf, "%d (", &pid) != 1 || pid <= 0)
                return -EINVAL;
        for (close = buf + len - 1; *close != ')'; close--)
                ;
        k = MIN((size_t) (buf + len - (close + 1)), sizeof tail - 1);
        memcpy(tail, close + 1, k);
        tail[k] = '\0';

        /* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
         * cutime cstime priority nice num_threads itrealvalue starttime */
        if (sscanf(tail, " %c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                   &state, &ppid, &pgrp, &session, &starttime) != 5)
                return -EINVAL;

        *ret = (ProcEntry) {
                .pid = pid,
                .ppid = ppid,
                .pgid = pgrp,
                .sid = session,
                .state = state,
                .starttime = starttime,
        };
        return 0;
}

int proc_read_stat(pid_t pid, ProcEntry *ret) {
        char path[64], buf[1024];
        _cleanup_close_ int fd = -EBADF;
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        if (n == 0)
                return -ESRCH;
        buf[n] = '\0';
        return proc_parse_stat(buf, (size_t) n, ret);
}

static int entry_cmp(const void *a, const void *b) {
        pid_t x = ((const ProcEntry *) a)->pid, y = ((const ProcEntry *) b)->pid;

        return (x > y) - (x < y);
}

int proc_descendants(const ProcList *all, pid_t root, ProcList *ret) {
        _cleanup_free_ ProcEntry *sorted = NULL;
        _cleanup_free_ signed char *mark = NULL;       /* 0 unknown, 1 descendant, -1 not */
        _cleanup_free_ size_t *chain = NULL;
        ProcList out = { 0 };
        size_t n = all->n;

        *ret = out;
        if (n == 0)
                return 0;
        sorted = malloc(n * sizeof *sorted);
        mark = calloc(n, 1);
        chain = malloc(n * sizeof *chain);
        if (!sorted || !mark || !chain)
                return -ENOMEM;
        memcpy(sorted, all->entries, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, entry_cmp);

        for (size_t i = 0; i < n; i++) {
                size_t depth = 0, j = i;
                signed char verdict = -1;

                /* Walk up until a known verdict, root, or a parent outside the snapshot; then mark
                 * the whole chain, so that each entry is visited a bounded number of times. */
                for (;;) {
                        ProcEntry key = { .pid = sorted[j].ppid }, *parent;

                        if (mark[j] != 0) {
                                verdict = mark[j];
                                break;
                        }
                        chain[depth++] = j;
                        if (sorted[j].ppid == root) {
                                verdict = 1;
                                break;
                        }
                        if (sorted[j].pid == root || depth >= n)
                                break;
                        parent = bsearch(&key, sorted, n, sizeof *sorted, entry_cmp);
                        if (!parent)
                                break;
                        j = (size_t) (parent - sorted);
                }
                for (size_t k = 0; k < depth; k++)
                        mark[chain[k]] = verdict;
        }

        for (size_t i = 0; i < n; i++)
                if (mark[i] > 0 && proc_list_push(&out, &sorted[i]) < 0) {
                        proc_list_done(&out);
                        return -ENOMEM;
                }
        *ret = out;
        return 0;
}

int proc_scan(ProcList *ret) {
        ProcList l = { 0 };
        DIR *d;
        struct dirent *de;
        int r = 0;

        d = opendir("/proc");
        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                ProcEntry e;
                char *end;
                long pid;

                if (de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                pid = strtol(de->d_name, &end, 10);
                if (*end != '\0' || pid <= 0)
                        continue;
                if (proc_read_stat((pid_t) pid, &e) < 0)
                        continue;       /* gone meanwhile */
                r = proc_list_push(&l, &e);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0) {
                proc_list_done(&l);
                return r;
        }
        *ret = l;
        return 0;
}

int proc_matches_namespace(void) {
        char buf[32];
        ssize_t n;

        n = readlink("/proc/self", buf, sizeof buf - 1);
        if (n < 0)
                return errno == ENOENT ? 0 : -errno;
        buf[n] = '\0';
        return strtol(buf, NULL, 10) == (long) getpid();
}

/* Pins e's process with a pidfd and checks it is still the one of the snapshot (and, for a
 * group, still in e's group). Returns the pidfd (or -EBADF before Linux 5.3, where only the check
 * is done), -ESRCH if it is gone or changed, or -errno. */
static int proc_pin(const ProcEntry *e, bool group) {
        _cleanup_close_ int pidfd = -EBADF;
        ProcEntry now;
        int r;

        pidfd = (int) syscall(SYS_pidfd_open, e->pid, 0);
        if (pidfd < 0 && errno != ENOSYS)
                return -errno;
        r = proc_read_stat(e->pid, &now);
        if (r == -ENOENT)
                return -ESRCH;
        if (r < 0)
                return r;
        if (now.starttime != e->starttime || (group && now.pgid != e->pgid))
                return -ESRCH;
        return pidfd >= 0 ? TAKE_FD(pidfd) : -EBADF;
}

int proc_signal_checked(const ProcEntry *e, int sig) {
        _cleanup_close_ int pidfd = -EBADF;
        int r;

        pidfd = proc_pin(e, false);
        if (pidfd == -ESRCH)
                return 0;
        if (pidfd < 0 && pidfd != -EBADF)
                return pidfd;
        if (pidfd >= 0)
                r = (int) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
        else
                r = kill(e->pid, sig);
        if (r < 0)
                return errno == ESRCH ? 0 : -errno;
        return 1;
}

int proc_signal_group_checked(const ProcEntry *e, int sig) {
        _cleanup_close_ int pidfd = -EBADF;

        pidfd = proc_pin(e, true);
        if (pidfd == -ESRCH)
                return 0;
        if (pidfd < 0 && pidfd != -EBADF)
                return pidfd;
        /* The pinned member keeps the group (and so its id) alive until this returns. */
        if (kill(-e->pgid, sig) < 0)
                return errno == ESRCH ? 0 : -errno;
        return 1;
}
