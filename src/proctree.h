/* SPDX-License-Identifier: MIT */
#pragma once

/* Snapshots of the processes under tend, read from /proc. proc_parse_stat() is pure; the rest
 * is shell. Non-logging. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct ProcEntry {
        pid_t pid, ppid, pgid, sid;
        char state;                     /* R S D Z T t X I ... */
        uint64_t starttime;             /* clock ticks after boot: with pid, names one process */
} ProcEntry;

typedef struct ProcList {
        ProcEntry *entries;
        size_t n, allocated;
} ProcList;

void proc_list_done(ProcList *l);

/* Parses the text of /proc/PID/stat. The comm field may hold spaces and ')' itself, so the
 * fields are read after the last ')'. Returns 0 or -EINVAL. Pure. */
int proc_parse_stat(const char *buf, size_t len, ProcEntry *ret);

/* Reads /proc/PID/stat. 0, -ENOENT/-ESRCH when the process is gone, or -errno. */
int proc_read_stat(pid_t pid, ProcEntry *ret);

/* Fills *ret with the descendants of root found in all (in any order): processes whose chain of
 * parents reaches root. Pure. Returns 0 or -ENOMEM. */
int proc_descendants(const ProcList *all, pid_t root, ProcList *ret);

/* Reads every process in /proc. Returns 0 or -errno. */
int proc_scan(ProcList *ret);

/* Whether /proc shows this process's own PID namespace (readlink /proc/self == getpid()): pids
 * read from /proc may only be signalled then. 1 yes, 0 no, or -errno. */
int proc_matches_namespace(void);

/* Sends sig to e's process if it is still the process of the snapshot (same pid and start time):
 * pidfd_open() pins the process, the start time is checked through /proc, then
 * pidfd_send_signal() delivers, so a pid that was reused meanwhile is never hit. Returns 1 if
 * sent, 0 if the process is gone, or -errno. */
int proc_signal_checked(const ProcEntry *e, int sig);

/* The same for e's whole process group, kill(-pgid): sent only while e, pinned and checked as
 * above, is still in that group, so the group exists and its id cannot have been reused. A
 * group catches what its members fork meanwhile (the kernel restarts a fork that a group signal
 * races with). Returns 1 if sent, 0 if e is gone or changed group, or -errno. */
int proc_signal_group_checked(const ProcEntry *e, int sig);
