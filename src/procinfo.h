/* SPDX-License-Identifier: MIT */
#pragma once

/* A detailed record of one process for diagnostics (the tree printed on a timeout or at session end,
 * and the JSON report): identity, state, wchan, age, CPU time, RSS, command line and a summary of
 * its sockets.
 *
 * Two parts, kept apart below:
 *  - pure parsers that take the *contents* of /proc files as (buf, len): no syscalls, no clock,
 *    they only allocate;
 *  - a thin shell (procinfo_read*()) that reads the real files and feeds the parsers.
 * Everything here is non-logging, returns 0 or -errno, and runs on the loop thread (nothing here
 * is async-signal-safe). */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* TCP states, numbered as the kernel numbers them in the "st" column of /proc/net/tcp
 * (include/net/tcp_states.h). PROC_TCP_UNKNOWN counts sockets in a state this list lacks. */
typedef enum ProcTcpState {
        PROC_TCP_UNKNOWN = 0,
        PROC_TCP_ESTABLISHED,
        PROC_TCP_SYN_SENT,
        PROC_TCP_SYN_RECV,
        PROC_TCP_FIN_WAIT1,
        PROC_TCP_FIN_WAIT2,
        PROC_TCP_TIME_WAIT,
        PROC_TCP_CLOSE,
        PROC_TCP_CLOSE_WAIT,
        PROC_TCP_LAST_ACK,
        PROC_TCP_LISTEN,
        PROC_TCP_CLOSING,
        PROC_TCP_NEW_SYN_RECV,
        _PROC_TCP_STATE_MAX,
        _PROC_TCP_STATE_INVALID = -EINVAL,
} ProcTcpState;

/* "ESTABLISHED", "CLOSE_WAIT", "LISTEN", ... as netstat/ss spell them; "UNKNOWN" for
 * PROC_TCP_UNKNOWN; NULL out of range. */
const char *procinfo_tcp_state_to_string(ProcTcpState s);

/* What one process holds, each socket counted once however many fds refer to it. */
typedef struct ProcSockets {
        unsigned tcp[_PROC_TCP_STATE_MAX];      /* TCP over IPv4 and IPv6, by state */
        unsigned udp;                           /* UDP over IPv4 and IPv6 */
        unsigned unix_sockets;                  /* AF_UNIX ("unix" is a macro in GNU C) */
        unsigned other;                         /* in no table given: netlink, raw, packet, or
                                                 * a socket of another network namespace */
} ProcSockets;

/* Total of all counts in s. */
unsigned procinfo_sockets_total(const ProcSockets *s);

typedef enum ProcSocketProto {
        PROC_SOCKET_TCP,
        PROC_SOCKET_UDP,
        PROC_SOCKET_UNIX,
        _PROC_SOCKET_PROTO_MAX,
        _PROC_SOCKET_PROTO_INVALID = -EINVAL,
} ProcSocketProto;

typedef struct ProcSocketEntry {
        uint64_t inode;
        uint8_t proto;                          /* ProcSocketProto */
        uint8_t tcp_state;                      /* ProcTcpState, for PROC_SOCKET_TCP */
} ProcSocketEntry;

/* The sockets of one network namespace, by inode: built from /proc/net/{tcp,tcp6,udp,udp6,unix},
 * then looked up with the inodes a process's fds point to. Kept sorted by inode. */
typedef struct ProcSocketTable {
        ProcSocketEntry *entries;
        size_t n, allocated;
} ProcSocketTable;

/* Frees the entries and leaves an empty table. Accepts an empty (zeroed) table. */
void procinfo_socket_table_done(ProcSocketTable *t);

/* The per-process record. Zero it (or let procinfo_parse_stat() fill it), free with
 * procinfo_done(). Raw fields are as /proc shows them; the derived ones are filled by
 * procinfo_derive(). */
typedef struct ProcInfo {
        pid_t pid, ppid, pgid, sid;
        char state;                     /* R S D Z T t X I P W ... */
        bool kernel_thread;             /* PF_KTHREAD in the stat flags */
        char comm[64];                  /* NUL-terminated; may hold any byte but NUL */
        char *cmdline;                  /* the args, each ended by NUL as in /proc, with trailing
                                         * NULs dropped; one more NUL after cmdline_len; NULL when
                                         * empty (zombie, kernel thread) */
        size_t cmdline_len;
        char wchan[128];                /* kernel symbol the process sleeps in; "" for none */
        uid_t uid;                      /* real uid; (uid_t) -1 unknown */

        uint64_t starttime_ticks;       /* after boot, in clock ticks */
        uint64_t cpu_ticks;             /* utime + stime */
        uint64_t rss_pages;

        uint64_t age_usec;              /* derived: uptime - starttime */
        uint64_t cpu_usec;              /* derived */
        uint64_t rss_bytes;             /* derived */

        bool sockets_known;             /* false: fd directory unreadable (or not asked) */
        ProcSockets sockets;
} ProcInfo;

#define PROCINFO_UID_INVALID ((uid_t) -1)

/* Frees what p owns (the cmdline) and zeroes it. Accepts a zeroed record. */
void procinfo_done(ProcInfo *p);

/* Frees an array of n records and the array itself. Accepts NULL. */
void procinfo_free_array(ProcInfo *v, size_t n);

/* ---- Pure part ------------------------------------------------------------------------------ */

/* Parses the text of /proc/PID/stat into a fresh *ret (any earlier content is overwritten, not
 * freed): pid, ppid, pgid, sid, state and start time through proc_parse_stat(), plus comm (which
 * may hold spaces and ')': it runs from the first '(' to the last ')'; longer than comm is
 * truncated), flags, utime + stime and rss. Derived fields stay 0. Returns 0 or -EINVAL. */
int procinfo_parse_stat(const char *buf, size_t len, ProcInfo *ret);

/* Takes the contents of /proc/PID/cmdline: args separated by NUL, any other byte kept as is. Empty
 * (a zombie, a kernel thread) is valid and leaves p->cmdline NULL. Replaces and frees any earlier
 * cmdline of p. Returns 0 or -ENOMEM. */
int procinfo_parse_cmdline(const char *buf, size_t len, ProcInfo *p);

/* Takes the contents of /proc/PID/wchan: a kernel symbol, or "0" (or nothing) when the process is
 * not sleeping in the kernel, which gives "". Trailing whitespace is dropped, bytes that are not
 * printable ASCII become '?', and a name too long for p->wchan is truncated. Returns 0. */
int procinfo_parse_wchan(const char *buf, size_t len, ProcInfo *p);

/* Takes the contents of /proc/PID/status and sets p->uid from the "Uid:" line (the real uid).
 * Returns 0, or -EINVAL when there is no well-formed Uid: line (p->uid is then left alone). */
int procinfo_parse_status(const char *buf, size_t len, ProcInfo *p);

/* Fills the derived fields: age (uptime_usec minus the start time, 0 if the start lies in the
 * future), CPU time and RSS in bytes. uptime_usec is CLOCK_BOOTTIME, as the kernel's start times
 * are; clk_tck is sysconf(_SC_CLK_TCK) (USER_HZ, 100 nearly everywhere) and page_size
 * sysconf(_SC_PAGESIZE). Taking one uptime for a whole snapshot keeps ages comparable. */
void procinfo_derive(ProcInfo *p, uint64_t uptime_usec, uint64_t clk_tck, uint64_t page_size);

/* Adds the sockets of a /proc/net/tcp, tcp6, udp or udp6 table (the same layout: a header line,
 * then "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...") to t, as proto. Lines
 * with inode 0 (TIME_WAIT leftovers that no fd holds) are skipped. Returns 0, -EINVAL on a
 * malformed line (t then holds what came before it), or -ENOMEM. */
int procinfo_parse_net_inet(const char *buf, size_t len, ProcSocketProto proto, ProcSocketTable *t);

/* Adds the sockets of a /proc/net/unix table ("Num RefCount Protocol Flags Type St Inode Path")
 * to t. Returns 0, -EINVAL on a malformed line, or -ENOMEM. */
int procinfo_parse_net_unix(const char *buf, size_t len, ProcSocketTable *t);

/* Finds inode in t: the entry, or NULL. */
const ProcSocketEntry *procinfo_socket_table_find(const ProcSocketTable *t, uint64_t inode);

/* Parses the target of a /proc/PID/fd/N link. 1 and the inode for "socket:[12345]", 0 for any
 * other target (a file, "pipe:[...]", "anon_inode:..."). Pure. */
int procinfo_parse_socket_link(const char *target, uint64_t *ret_inode);

/* Counts the sockets with the given inodes (fds of one process, in any order, duplicates
 * allowed: each socket counts once) by looking them up in t. Inodes missing from t count as
 * "other". Returns 0 or -ENOMEM; *ret is written on success only. */
int procinfo_count_sockets(const ProcSocketTable *t, const uint64_t *inodes, size_t n, ProcSockets *ret);

/* ---- Shell part: reads /proc ---------------------------------------------------------------- */

/* Reads CLOCK_BOOTTIME in microseconds, the clock of /proc's start times (and of /proc/uptime).
 * Returns 0 or -errno. */
int procinfo_uptime_usec(uint64_t *ret);

/* Builds the socket table of the network namespace of process pid (pid <= 0: tend's own), from
 * /proc/PID/net/{tcp,tcp6,udp,udp6,unix}; a table the kernel lacks (no IPv6) is skipped. Processes
 * in other network namespaces need a table of their own (their sockets count as "other" in this
 * one). *ret is replaced, not freed. Returns 0, -ESRCH when the process is gone, or -errno. */
int procinfo_read_socket_table(pid_t pid, ProcSocketTable *ret);

/* Lists /proc/PID/fd and counts the sockets it points to, looked up in t. Returns 0, -ESRCH when
 * the process is gone, -EACCES when its fds may not be read, or -errno. */
int procinfo_read_sockets(pid_t pid, const ProcSocketTable *t, ProcSockets *ret);

/* Reads one process into *ret (a fresh record; free it with procinfo_done()): stat (required),
 * then cmdline, wchan, status and, when t is not NULL, sockets, each best effort (a field that
 * cannot be read stays empty: cmdline NULL, wchan "", uid -1, sockets_known false). The derived
 * fields use uptime_usec (procinfo_uptime_usec(), taken once per snapshot). Returns 0, -ESRCH when
 * the process is gone (or a zombie reaped meanwhile), or -errno. */
int procinfo_read(pid_t pid, uint64_t uptime_usec, const ProcSocketTable *t, ProcInfo *ret);
