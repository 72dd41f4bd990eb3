/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procinfo.h"
#include "proctree.h"
#include "util/macro.h"

#define PF_KTHREAD_FLAG 0x00200000U     /* include/linux/sched.h */
#define STAT_LEN_MAX 4096               /* a real stat line is ~300 bytes; comm is at most 64 */
#define FIELDS_MAX 16

static const char *const tcp_state_names[_PROC_TCP_STATE_MAX] = {
        [PROC_TCP_UNKNOWN]      = "UNKNOWN",
        [PROC_TCP_ESTABLISHED]  = "ESTABLISHED",
        [PROC_TCP_SYN_SENT]     = "SYN_SENT",
        [PROC_TCP_SYN_RECV]     = "SYN_RECV",
        [PROC_TCP_FIN_WAIT1]    = "FIN_WAIT1",
        [PROC_TCP_FIN_WAIT2]    = "FIN_WAIT2",
        [PROC_TCP_TIME_WAIT]    = "TIME_WAIT",
        [PROC_TCP_CLOSE]        = "CLOSE",
        [PROC_TCP_CLOSE_WAIT]   = "CLOSE_WAIT",
        [PROC_TCP_LAST_ACK]     = "LAST_ACK",
        [PROC_TCP_LISTEN]       = "LISTEN",
        [PROC_TCP_CLOSING]      = "CLOSING",
        [PROC_TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *procinfo_tcp_state_to_string(ProcTcpState s) {
        if (s < 0 || s >= _PROC_TCP_STATE_MAX)
                return NULL;
        return tcp_state_names[s];
}

unsigned procinfo_sockets_total(const ProcSockets *s) {
        unsigned total = s->udp + s->unix_sockets + s->other;

        for (size_t i = 0; i < ELEMENTSOF(s->tcp); i++)
                total += s->tcp[i];
        return total;
}

void procinfo_socket_table_done(ProcSocketTable *t) {
        free(t->entries);
        *t = (ProcSocketTable) { 0 };
}

void procinfo_done(ProcInfo *p) {
        free(p->cmdline);
        *p = (ProcInfo) { 0 };
}

void procinfo_free_array(ProcInfo *v, size_t n) {
        if (!v)
                return;
        for (size_t i = 0; i < n; i++)
                procinfo_done(&v[i]);
        free(v);
}

/* ---- Pure part ------------------------------------------------------------------------------ */

typedef struct Field {
        const char *p;
        size_t len;
} Field;

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

/* Splits [s, s + len) at blanks into at most max fields. Returns how many were found (a count
 * of max means: max or more). */
static size_t split_fields(const char *s, size_t len, Field *f, size_t max) {
        size_t n = 0, i = 0;

        while (n < max) {
                size_t start;

                while (i < len && is_blank(s[i]))
                        i++;
                if (i >= len)
                        break;
                start = i;
                while (i < len && !is_blank(s[i]))
                        i++;
                f[n++] = (Field) { .p = s + start, .len = i - start };
        }
        return n;
}

/* Parses a whole field as a number in base 10 or 16 (no sign, no prefix). 0 or -EINVAL/-ERANGE. */
static int field_to_u64(const Field *f, unsigned base, uint64_t *ret) {
        uint64_t v = 0;

        if (f->len == 0)
                return -EINVAL;
        for (size_t i = 0; i < f->len; i++) {
                char c = f->p[i];
                unsigned d;

                if (c >= '0' && c <= '9')
                        d = (unsigned) (c - '0');
                else if (base == 16 && c >= 'a' && c <= 'f')
                        d = (unsigned) (c - 'a' + 10);
                else if (base == 16 && c >= 'A' && c <= 'F')
                        d = (unsigned) (c - 'A' + 10);
                else
                        return -EINVAL;
                if (v > (UINT64_MAX - d) / base)
                        return -ERANGE;
                v = v * base + d;
        }
        *ret = v;
        return 0;
}

/* Like field_to_u64() in base 10, but takes a leading '-' and gives 0 for negative values (rss is
 * a signed long in the kernel's format string). */
static int field_to_u64_clamped(const Field *f, uint64_t *ret) {
        Field digits = *f;
        uint64_t v;
        int r;

        if (digits.len > 0 && digits.p[0] == '-') {
                digits.p++;
                digits.len--;
                r = field_to_u64(&digits, 10, &v);
                if (r < 0)
                        return r;
                *ret = 0;
                return 0;
        }
        return field_to_u64(&digits, 10, ret);
}

int procinfo_parse_stat(const char *buf, size_t len, ProcInfo *ret) {
        char text[STAT_LEN_MAX];
        Field f[FIELDS_MAX];
        const char *lparen, *rparen;
        uint64_t flags, utime, stime, rss;
        ProcEntry e;
        size_t n, k;
        int r;

        if (len == 0 || len >= sizeof text)
                return -EINVAL;
        /* proc_parse_stat() reads with sscanf(), which wants a terminated string. */
        memcpy(text, buf, len);
        text[len] = '\0';
        r = proc_parse_stat(text, len, &e);
        if (r < 0)
                return r;

        lparen = memchr(text, '(', len);
        for (rparen = text + len - 1; *rparen != ')'; rparen--)
                ;
        if (!lparen || lparen > rparen)
                return -EINVAL;

        /* After ")": state(3) ppid pgrp session tty_nr tpgid flags(9) minflt cminflt majflt cmajflt
         * utime(14) stime(15) cutime cstime priority nice num_threads itrealvalue starttime(22)
         * vsize rss(24) ... (proc(5)); f[i] is field i + 3. */
        n = split_fields(rparen + 1, (size_t) (text + len - (rparen + 1)), f, FIELDS_MAX);
        if (n < FIELDS_MAX)
                return -EINVAL;
        if (field_to_u64(&f[9 - 3], 10, &flags) < 0 ||
            field_to_u64(&f[14 - 3], 10, &utime) < 0 ||
            field_to_u64(&f[15 - 3], 10, &stime) < 0)
                return -EINVAL;
        /* rss is field 24, past what split_fields() kept: split again from field 16. */
        n = split_fields(f[15].p, (size_t) (text + len - f[15].p), f, FIELDS_MAX);
        if (n < 24 - 18 + 1 || field_to_u64_clamped(&f[24 - 18], &rss) < 0)
                return -EINVAL;

        *ret = (ProcInfo) {
                .pid = e.pid,
                .ppid = e.ppid,
                .pgid = e.pgid,
                .sid = e.sid,
                .state = e.state,
                .kernel_thread = flags & PF_KTHREAD_FLAG,
                .uid = PROCINFO_UID_INVALID,
                .starttime_ticks = e.starttime,
                .cpu_ticks = utime + stime,
                .rss_pages = rss,
        };
        k = MIN((size_t) (rparen - lparen - 1), sizeof ret->comm - 1);
        memcpy(ret->comm, lparen + 1, k);
        ret->comm[k] = '\0';
        /* A NUL cannot be in a comm; should one come, the string just ends early. */
        return 0;
}

int procinfo_parse_cmdline(const char *buf, size_t len, ProcInfo *p) {
        char *c = NULL;

        /* The kernel ends every arg with NUL; a process that rewrote its argv (setproctitle) may
         * pad with more of them. Drop them all: the separators that remain are between args. */
        while (len > 0 && buf[len - 1] == '\0')
                len--;
        if (len > 0) {
                c = malloc(len + 1);
                if (!c)
                        return -ENOMEM;
                memcpy(c, buf, len);
                c[len] = '\0';
        }
        free(p->cmdline);
        p->cmdline = c;
        p->cmdline_len = len;
        return 0;
}

int procinfo_parse_wchan(const char *buf, size_t len, ProcInfo *p) {
        size_t k;

        while (len > 0 && (is_blank(buf[len - 1]) || buf[len - 1] == '\n' || buf[len - 1] == '\0'))
                len--;
        if (len == 1 && buf[0] == '0')
                len = 0;
        k = MIN(len, sizeof p->wchan - 1);
        for (size_t i = 0; i < k; i++)
                p->wchan[i] = buf[i] > ' ' && buf[i] < 0x7f ? buf[i] : '?';
        p->wchan[k] = '\0';
        return 0;
}

int procinfo_parse_status(const char *buf, size_t len, ProcInfo *p) {
        static const char key[] = "Uid:";
        const char *line = buf, *end = buf + len;

        while (line < end) {
                const char *eol = memchr(line, '\n', (size_t) (end - line));
                size_t l;

                if (!eol)
                        eol = end;
                l = (size_t) (eol - line);
                if (l > strlen(key) && memcmp(line, key, strlen(key)) == 0) {
                        Field f[1];
                        uint64_t uid;

                        if (split_fields(line + strlen(key), l - strlen(key), f, 1) != 1 ||
                            field_to_u64(&f[0], 10, &uid) < 0 || uid >= (uid_t) -1)
                                return -EINVAL;
                        p->uid = (uid_t) uid;
                        return 0;
                }
                line = eol + 1;
        }
        return -EINVAL;
}

void procinfo_derive(ProcInfo *p, uint64_t uptime_usec, uint64_t clk_tck, uint64_t page_size) {
        uint64_t start_usec = 0;

        if (clk_tck > 0) {
                /* Split to keep ticks * USEC_PER_SEC from overflowing for any realistic value. */
                start_usec = p->starttime_ticks / clk_tck * USEC_PER_SEC +
                             p->starttime_ticks % clk_tck * USEC_PER_SEC / clk_tck;
                p->cpu_usec = p->cpu_ticks / clk_tck * USEC_PER_SEC +
                              p->cpu_ticks % clk_tck * USEC_PER_SEC / clk_tck;
        } else
                p->cpu_usec = 0;
        p->age_usec = uptime_usec > start_usec ? uptime_usec - start_usec : 0;
        p->rss_bytes = p->rss_pages * page_size;
}

static int entry_cmp(const void *a, const void *b) {
        uint64_t x = ((const ProcSocketEntry *) a)->inode, y = ((const ProcSocketEntry *) b)->inode;

        return (x > y) - (x < y);
}

static int table_push(ProcSocketTable *t, const ProcSocketEntry *e) {
        if (t->n == t->allocated) {
                size_t k = t->allocated ? t->allocated * 2 : 64;
                ProcSocketEntry *v = reallocarray(t->entries, k, sizeof *v);

                if (!v)
                        return -ENOMEM;
                t->entries = v;
                t->allocated = k;
        }
        t->entries[t->n++] = *e;
        return 0;
}

/* Walks the lines of a /proc/net table after its header. inode_field is the 0-based column of the
 * inode; state_field that of the hex TCP state, or -1. */
static int parse_net_table(const char *buf, size_t len, ProcSocketProto proto, size_t inode_field,
                           int state_field, ProcSocketTable *t) {
        const char *line = buf, *end = buf + len, *eol;
        int r = 0;

        /* The first line is the header. */
        eol = memchr(line, '\n', len);
        line = eol ? eol + 1 : end;

        while (line < end) {
                Field f[FIELDS_MAX];
                ProcSocketEntry e = { .proto = proto };
                uint64_t v;
                size_t n;

                eol = memchr(line, '\n', (size_t) (end - line));
                if (!eol)
                        eol = end;
                n = split_fields(line, (size_t) (eol - line), f, FIELDS_MAX);
                line = eol + 1;
                if (n == 0)
                        continue;
                if (n <= inode_field || field_to_u64(&f[inode_field], 10, &e.inode) < 0) {
                        r = -EINVAL;
                        break;
                }
                if (state_field >= 0) {
                        if (field_to_u64(&f[state_field], 16, &v) < 0) {
                                r = -EINVAL;
                                break;
                        }
                        e.tcp_state = v < _PROC_TCP_STATE_MAX ? (uint8_t) v : PROC_TCP_UNKNOWN;
                }
                if (e.inode == 0)
                        continue;       /* no fd holds it */
                r = table_push(t, &e);
                if (r < 0)
                        break;
        }

        if (t->n > 0)
                qsort(t->entries, t->n, sizeof *t->entries, entry_cmp);
        return r;
}

int procinfo_parse_net_inet(const char *buf, size_t len, ProcSocketProto proto, ProcSocketTable *t) {
        if (proto != PROC_SOCKET_TCP && proto != PROC_SOCKET_UDP)
                return -EINVAL;
        /* sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode;
         * the state column holds TCP states for UDP too (07 unconnected, 01 connected). */
        return parse_net_table(buf, len, proto, 9, proto == PROC_SOCKET_TCP ? 3 : -1, t);
}

int procinfo_parse_net_unix(const char *buf, size_t len, ProcSocketTable *t) {
        /* Num RefCount Protocol Flags Type St Inode Path */
        return parse_net_table(buf, len, PROC_SOCKET_UNIX, 6, -1, t);
}

const ProcSocketEntry *procinfo_socket_table_find(const ProcSocketTable *t, uint64_t inode) {
        ProcSocketEntry key = { .inode = inode };

        if (t->n == 0)
                return NULL;
        return bsearch(&key, t->entries, t->n, sizeof *t->entries, entry_cmp);
}

int procinfo_parse_socket_link(const char *target, uint64_t *ret_inode) {
        static const char prefix[] = "socket:[";
        Field f;
        size_t l;

        if (strncmp(target, prefix, strlen(prefix)) != 0)
                return 0;
        f.p = target + strlen(prefix);
        l = strlen(f.p);
        if (l < 2 || f.p[l - 1] != ']')
                return 0;
        f.len = l - 1;
        if (field_to_u64(&f, 10, ret_inode) < 0)
                return 0;
        return 1;
}

static int u64_cmp(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

        return (x > y) - (x < y);
}

int procinfo_count_sockets(const ProcSocketTable *t, const uint64_t *inodes, size_t n, ProcSockets *ret) {
        _cleanup_free_ uint64_t *sorted = NULL;
        ProcSockets s = { 0 };

        if (n > 0) {
                sorted = malloc(n * sizeof *sorted);
                if (!sorted)
                        return -ENOMEM;
                memcpy(sorted, inodes, n * sizeof *sorted);
                qsort(sorted, n, sizeof *sorted, u64_cmp);
        }

        for (size_t i = 0; i < n; i++) {
                const ProcSocketEntry *e;

                if (i > 0 && sorted[i] == sorted[i - 1])
                        continue;       /* dup()ed: one socket */
                e = procinfo_socket_table_find(t, sorted[i]);
                if (!e)
                        s.other++;
                else if (e->proto == PROC_SOCKET_TCP)
                        s.tcp[e->tcp_state < _PROC_TCP_STATE_MAX ? e->tcp_state : PROC_TCP_UNKNOWN]++;
                else if (e->proto == PROC_SOCKET_UDP)
                        s.udp++;
                else
                        s.unix_sockets++;
        }
        *ret = s;
        return 0;
}

/* ---- Shell part ----------------------------------------------------------------------------- */

#define READ_MAX (64U * 1024U * 1024U)  /* a /proc file larger than this is not read */

/* Reads a whole file relative to dir_fd into a fresh buffer with a NUL after its end. /proc files
 * show size 0, so this reads until EOF. Returns 0 or -errno (-EFBIG past READ_MAX). */
static int read_full_at(int dir_fd, const char *path, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, allocated = 0;

        fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t k;

                if (allocated - len < 2) {
                        size_t a = allocated ? allocated * 2 : 4096;
                        char *b;

                        if (a > READ_MAX)
                                return -EFBIG;
                        b = realloc(buf, a);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                        allocated = a;
                }
                k = read(fd, buf + len, allocated - len - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                len += (size_t) k;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

static void *mfree(void *p) {
        free(p);
        return NULL;
}

/* ENOENT under /proc/PID means the process went away meanwhile. */
static int gone_to_esrch(int r) {
        return r == -ENOENT ? -ESRCH : r;
}

static int open_proc_dir(pid_t pid) {
        char path[32];
        int fd;

        if (pid > 0)
                snprintf(path, sizeof path, "/proc/%d", (int) pid);
        else
                snprintf(path, sizeof path, "/proc/self");
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return gone_to_esrch(-errno);
        return fd;
}

int procinfo_uptime_usec(uint64_t *ret) {
        struct timespec ts;

        if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
                return -errno;
        *ret = (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / NSEC_PER_USEC;
        return 0;
}

int procinfo_read_socket_table(pid_t pid, ProcSocketTable *ret) {
        static const struct {
                const char *path;
                int proto;
        } tables[] = {
                { "net/tcp",  PROC_SOCKET_TCP },
                { "net/tcp6", PROC_SOCKET_TCP },
                { "net/udp",  PROC_SOCKET_UDP },
                { "net/udp6", PROC_SOCKET_UDP },
                { "net/unix", PROC_SOCKET_UNIX },
        };
        _cleanup_close_ int dir_fd = -EBADF;
        ProcSocketTable t = { 0 };
        int r = 0;

        dir_fd = open_proc_dir(pid);
        if (dir_fd < 0)
                return dir_fd;
        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                _cleanup_free_ char *buf = NULL;
                size_t len;

                r = read_full_at(dir_fd, tables[i].path, &buf, &len);
                if (r == -ENOENT) {
                        r = 0;          /* no IPv6, or a protocol not built */
                        continue;
                }
                if (r < 0)
                        break;
                if (tables[i].proto == PROC_SOCKET_UNIX)
                        r = procinfo_parse_net_unix(buf, len, &t);
                else
                        r = procinfo_parse_net_inet(buf, len, tables[i].proto, &t);
                if (r < 0)
                        break;
        }
        if (r < 0) {
                procinfo_socket_table_done(&t);
                return r;
        }
        *ret = t;
        return 0;
}

static int read_sockets_at(int proc_fd, const ProcSocketTable *t, ProcSockets *ret) {
        _cleanup_free_ uint64_t *inodes = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        fd = openat(proc_fd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return gone_to_esrch(-errno);
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                (void) safe_close(fd);
                return r;
        }
        while ((errno = 0, de = readdir(d))) {
                char target[64];
                uint64_t inode;
                ssize_t k;

                if (de->d_name[0] == '.')
                        continue;
                k = readlinkat(dirfd(d), de->d_name, target, sizeof target - 1);
                if (k < 0)
                        continue;       /* closed meanwhile */
                target[k] = '\0';
                if (procinfo_parse_socket_link(target, &inode) <= 0)
                        continue;
                if (n == allocated) {
                        size_t a = allocated ? allocated * 2 : 16;
                        uint64_t *v = reallocarray(inodes, a, sizeof *v);

                        if (!v) {
                                r = -ENOMEM;
                                break;
                        }
                        inodes = v;
                        allocated = a;
                }
                inodes[n++] = inode;
        }
        if (r == 0 && errno != 0)
                r = gone_to_esrch(-errno);
        closedir(d);
        if (r < 0)
                return r;
        return procinfo_count_sockets(t, inodes, n, ret);
}

int procinfo_read_sockets(pid_t pid, const ProcSocketTable *t, ProcSockets *ret) {
        _cleanup_close_ int dir_fd = -EBADF;

        dir_fd = open_proc_dir(pid);
        if (dir_fd < 0)
                return dir_fd;
        return read_sockets_at(dir_fd, t, ret);
}

int procinfo_read(pid_t pid, uint64_t uptime_usec, const ProcSocketTable *t, ProcInfo *ret) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { 0 };
        long tck, page;
        size_t len;
        int r;

        if (pid <= 0)
                return -EINVAL;
        /* Every file is opened relative to this directory: should the pid be reused meanwhile,
         * the reads fail (ESRCH) rather than mix two processes. */
        dir_fd = open_proc_dir(pid);
        if (dir_fd < 0)
                return dir_fd;

        r = read_full_at(dir_fd, "stat", &buf, &len);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        if (len == 0)
                return -ESRCH;
        r = procinfo_parse_stat(buf, len, &p);
        if (r < 0)
                return r;

        tck = sysconf(_SC_CLK_TCK);
        page = sysconf(_SC_PAGESIZE);
        procinfo_derive(&p, uptime_usec, tck > 0 ? (uint64_t) tck : 100, page > 0 ? (uint64_t) page : 4096);

        /* The rest is best effort: another user's process, or one exiting right now, shows less. */
        buf = mfree(buf);
        if (read_full_at(dir_fd, "cmdline", &buf, &len) >= 0)
                r = procinfo_parse_cmdline(buf, len, &p);
        if (r < 0) {
                procinfo_done(&p);
                return r;
        }
        buf = mfree(buf);
        if (read_full_at(dir_fd, "wchan", &buf, &len) >= 0)
                (void) procinfo_parse_wchan(buf, len, &p);
        buf = mfree(buf);
        if (read_full_at(dir_fd, "status", &buf, &len) >= 0)
                (void) procinfo_parse_status(buf, len, &p);
        if (t)
                p.sockets_known = read_sockets_at(dir_fd, t, &p.sockets) >= 0;

        *ret = p;
        return 0;
}
