/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "parse.h"
#include "util/macro.h"
#include "util/strv.h"

static const char *skip_space(const char *p) {
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

static const struct {
        const char *name;
        uint64_t usec;
} duration_units[] = {
        /* Longest first, so that "ms" is not read as "m" followed by junk. */
        { "usec", 1 },
        { "msec", USEC_PER_MSEC },
        { "sec", USEC_PER_SEC },
        { "min", 60 * USEC_PER_SEC },
        { "us", 1 },
        { "ms", USEC_PER_MSEC },
        { "s", USEC_PER_SEC },
        { "m", 60 * USEC_PER_SEC },
        { "h", 3600 * USEC_PER_SEC },
        { "d", 86400 * USEC_PER_SEC },
};

/* Multiplies and adds with overflow checks: every duration fits in 64 bits or is -ERANGE. */
static int add_scaled(uint64_t *acc, uint64_t value, uint64_t unit) {
        uint64_t v;

        if (__builtin_mul_overflow(value, unit, &v) || __builtin_add_overflow(*acc, v, acc))
                return -ERANGE;
        return 0;
}

int parse_duration(const char *s, uint64_t *ret_usec) {
        uint64_t total = 0;
        const char *p;
        bool any = false;

        if (!s)
                return -EINVAL;
        p = skip_space(s);
        if (strcmp(p, "infinity") == 0) {
                *ret_usec = USEC_INFINITY;
                return 0;
        }

        while (*p) {
                uint64_t whole = 0, frac = 0, frac_div = 1, unit = USEC_PER_SEC;
                bool digits = false;
                size_t i;

                for (; isdigit((unsigned char) *p); p++, digits = true)
                        if (__builtin_mul_overflow(whole, 10, &whole) ||
                            __builtin_add_overflow(whole, (uint64_t) (*p - '0'), &whole))
                                return -ERANGE;
                if (*p == '.') {
                        p++;
                        for (; isdigit((unsigned char) *p); p++, digits = true)
                                if (frac_div < UINT64_C(1000000000000)) {       /* ignore beyond ps */
                                        frac = frac * 10 + (uint64_t) (*p - '0');
                                        frac_div *= 10;
                                }
                }
                if (!digits)
                        return -EINVAL;

                for (i = 0; i < ELEMENTSOF(duration_units); i++) {
                        size_t len = strlen(duration_units[i].name);

                        if (strncmp(p, duration_units[i].name, len) == 0 && !isalpha((unsigned char) p[len])) {
                                unit = duration_units[i].usec;
                                p += len;
                                break;
                        }
                }
                if (i == ELEMENTSOF(duration_units)) {
                        /* A bare number is seconds, but only as the whole text: "1m30" is a typo. */
                        if (any || *skip_space(p) != '\0')
                                return -EINVAL;
                }

                if (add_scaled(&total, whole, unit) < 0)
                        return -ERANGE;
                /* frac < frac_div, and unit <= 1 day in µs, so the product cannot overflow. */
                if (add_scaled(&total, frac * unit / frac_div, 1) < 0)
                        return -ERANGE;
                any = true;
                p = skip_space(p);
        }

        if (!any)
                return -EINVAL;
        if (total == USEC_INFINITY)
                return -ERANGE;
        *ret_usec = total;
        return 0;
}

char *format_duration(uint64_t usec, char *buf, size_t size) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } parts[] = {
                { "d", 86400 * USEC_PER_SEC },
                { "h", 3600 * USEC_PER_SEC },
                { "m", 60 * USEC_PER_SEC },
                { "s", USEC_PER_SEC },
                { "ms", USEC_PER_MSEC },
                { "us", 1 },
        };
        size_t n = 0;

        if (size == 0)
                return buf;
        buf[0] = '\0';
        if (usec == USEC_INFINITY) {
                snprintf(buf, size, "infinity");
                return buf;
        }
        if (usec == 0) {
                snprintf(buf, size, "0");
                return buf;
        }
        for (size_t i = 0; i < ELEMENTSOF(parts) && usec > 0 && n < size; i++) {
                uint64_t k = usec / parts[i].usec;

                if (k == 0)
                        continue;
                n += (size_t) snprintf(buf + n, size - n, "%" PRIu64 "%s", k, parts[i].suffix);
                usec -= k * parts[i].usec;
        }
        return buf;
}

static const char *const signal_names[] = {
        [SIGHUP] = "HUP",       [SIGINT] = "INT",       [SIGQUIT] = "QUIT",     [SIGILL] = "ILL",
        [SIGTRAP] = "TRAP",     [SIGABRT] = "ABRT",     [SIGBUS] = "BUS",       [SIGFPE] = "FPE",
        [SIGKILL] = "KILL",     [SIGUSR1] = "USR1",     [SIGSEGV] = "SEGV",     [SIGUSR2] = "USR2",
        [SIGPIPE] = "PIPE",     [SIGALRM] = "ALRM",     [SIGTERM] = "TERM",     [SIGSTKFLT] = "STKFLT",
        [SIGCHLD] = "CHLD",     [SIGCONT] = "CONT",     [SIGSTOP] = "STOP",     [SIGTSTP] = "TSTP",
        [SIGTTIN] = "TTIN",     [SIGTTOU] = "TTOU",     [SIGURG] = "URG",       [SIGXCPU] = "XCPU",
        [SIGXFSZ] = "XFSZ",     [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",     [SIGWINCH] = "WINCH",
        [SIGIO] = "IO",         [SIGPWR] = "PWR",       [SIGSYS] = "SYS",
};

static int parse_small_int(const char *s, int max) {
        int v = 0;

        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        for (; isdigit((unsigned char) *s); s++) {
                v = v * 10 + (*s - '0');
                if (v > max)
                        return -ERANGE;
        }
        return *s == '\0' ? v : -EINVAL;
}

int parse_signal(const char *s) {
        int v;

        if (!s || !*s)
                return -EINVAL;
        if (strncasecmp(s, "SIG", 3) == 0 && isdigit((unsigned char) s[3]))
                s += 3;                 /* "SIG15", as signal_name() writes numbers without a name */
        if (isdigit((unsigned char) *s)) {
                v = parse_small_int(s, SIGRTMAX);
                /* 32 and 33 are the C library's own (thread cancellation, setxid): not for users. */
                return v > 0 && (v <= SIGSYS || v >= SIGRTMIN) ? v : -EINVAL;
        }
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        for (size_t i = 1; i < ELEMENTSOF(signal_names); i++)
                if (signal_names[i] && strcasecmp(s, signal_names[i]) == 0)
                        return (int) i;
        if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
                bool min = strncasecmp(s, "RTMIN", 5) == 0;
                int off = 0;

                if (s[5] != '\0') {
                        if (s[5] != (min ? '+' : '-'))
                                return -EINVAL;
                        off = parse_small_int(s + 6, SIGRTMAX - SIGRTMIN);
                        if (off < 0)
                                return -EINVAL;
                }
                return min ? SIGRTMIN + off : SIGRTMAX - off;
        }
        return -EINVAL;
}

const char *signal_name(int sig, char *buf, size_t size) {
        if (sig > 0 && (size_t) sig < ELEMENTSOF(signal_names) && signal_names[sig])
                snprintf(buf, size, "SIG%s", signal_names[sig]);
        else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
                snprintf(buf, size, sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+%d", sig - SIGRTMIN);
        else
                snprintf(buf, size, "SIG%d", sig);
        return buf;
}

int ladder_rung_of(const Ladder *l, int sig) {
        for (size_t i = 0; i < l->n; i++)
                if (l->rungs[i].sig == sig)
                        return (int) i;
        return -1;
}

/* One rung: "SIGNAL" or "SIGNAL DURATION", already cut at the comma and trimmed. */
static int parse_rung(char *text, LadderRung *ret, bool *ret_has_grace, const char **reterr_why) {
        char *dur = text + strcspn(text, " \t");
        int sig;

        if (*dur) {
                *dur++ = '\0';
                dur = (char *) skip_space(dur);
        }
        sig = parse_signal(text);
        if (sig < 0) {
                *reterr_why = "unknown signal";
                return -EINVAL;
        }
        *ret = (LadderRung) { .sig = sig };
        *ret_has_grace = *dur != '\0';
        if (*ret_has_grace && parse_duration(dur, &ret->grace_usec) < 0) {
                *reterr_why = "bad grace period";
                return -EINVAL;
        }
        if (*ret_has_grace && ret->grace_usec == USEC_INFINITY) {
                *reterr_why = "a grace period must be finite";
                return -EINVAL;
        }
        return 0;
}

int parse_ladder(const char *s, Ladder *ret, const char **reterr_why) {
        char buf[1024], *p, *next;
        const char *why_dummy;
        Ladder l = { .n = 0 };
        bool last_has_grace = false;

        if (!reterr_why)
                reterr_why = &why_dummy;
        if (!s || strlen(s) >= sizeof buf) {
                *reterr_why = "too long";
                return -EINVAL;
        }
        strcpy(buf, s);

        for (p = buf; p; p = next) {
                LadderRung rung;
                char *end;
                int r;

                next = strchr(p, ',');
                if (next)
                        *next++ = '\0';
                p = (char *) skip_space(p);
                for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\t'); end--)
                        end[-1] = '\0';
                if (*p == '\0') {
                        *reterr_why = "empty rung";
                        return -EINVAL;
                }
                if (l.n > 0 && l.rungs[l.n - 1].sig == SIGKILL) {
                        *reterr_why = "SIGKILL must be the last rung";
                        return -EINVAL;
                }
                if (l.n > 0 && !last_has_grace) {
                        *reterr_why = "every rung but the last needs a grace period";
                        return -EINVAL;
                }
                if (l.n >= LADDER_RUNGS_MAX) {
                        *reterr_why = "too many rungs";
                        return -EINVAL;
                }
                r = parse_rung(p, &rung, &last_has_grace, reterr_why);
                if (r < 0)
                        return r;
                if (ladder_rung_of(&l, rung.sig) >= 0) {
                        *reterr_why = "a signal may appear only once";
                        return -EINVAL;
                }
                if (rung.sig == SIGKILL && last_has_grace) {
                        *reterr_why = "SIGKILL is final and takes no grace period";
                        return -EINVAL;
                }
                l.rungs[l.n++] = rung;
        }

        if (l.rungs[l.n - 1].sig != SIGKILL) {
                if (!last_has_grace) {
                        *reterr_why = "the last rung needs a grace period unless it is SIGKILL";
                        return -EINVAL;
                }
                if (l.n >= LADDER_RUNGS_MAX) {
                        *reterr_why = "too many rungs";
                        return -EINVAL;
                }
                l.rungs[l.n++] = (LadderRung) { .sig = SIGKILL };
        }

        *ret = l;
        return 0;
}

char *format_ladder(const Ladder *l, char *buf, size_t size) {
        size_t n = 0;

        if (size == 0)
                return buf;
        buf[0] = '\0';
        for (size_t i = 0; i < l->n && n < size; i++) {
                char name[SIGNAL_NAME_MAX], dur[DURATION_MAX_LEN];

                signal_name(l->rungs[i].sig, name, sizeof name);
                if (i + 1 < l->n)
                        n += (size_t) snprintf(buf + n, size - n, "%s %s, ", name,
                                               format_duration(l->rungs[i].grace_usec, dur, sizeof dur));
                else
                        n += (size_t) snprintf(buf + n, size - n, "%s", name);
        }
        return buf;
}

/* ---- Values of job keys (issue 3). ---- */

int parse_uint64(const char *s, uint64_t *ret) {
        uint64_t v = 0;

        if (!s || !isdigit((unsigned char) *s))
                return -EINVAL;
        for (; isdigit((unsigned char) *s); s++)
                if (__builtin_mul_overflow(v, 10, &v) ||
                    __builtin_add_overflow(v, (uint64_t) (*s - '0'), &v))
                        return -ERANGE;
        if (*s != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_int_range(const char *s, int min, int max, int *ret) {
        bool negative = false;
        uint64_t v;
        int64_t x;
        int r;

        if (!s)
                return -EINVAL;
        if (*s == '-' || *s == '+')
                negative = *s++ == '-';
        r = parse_uint64(s, &v);
        if (r < 0)
                return r;
        if (v > (uint64_t) INT64_MAX)
                return -ERANGE;
        x = negative ? -(int64_t) v : (int64_t) v;
        if (x < min || x > max)
                return -ERANGE;
        *ret = (int) x;
        return 0;
}

int parse_count(const char *s, uint64_t *ret) {
        uint64_t v;
        int r;

        if (s && strcmp(s, "infinity") == 0) {
                *ret = PARSE_INFINITY;
                return 0;
        }
        r = parse_uint64(s, &v);
        if (r < 0)
                return r;
        if (v == PARSE_INFINITY)
                return -ERANGE;
        *ret = v;
        return 0;
}

static const char size_units[] = "KMGTPE";     /* 1024^1 .. 1024^6 */

int parse_size(const char *s, uint64_t *ret_bytes) {
        uint64_t v = 0;
        const char *p = s;

        if (!s)
                return -EINVAL;
        if (strcmp(s, "infinity") == 0) {
                *ret_bytes = PARSE_INFINITY;
                return 0;
        }
        if (!isdigit((unsigned char) *p))
                return -EINVAL;
        for (; isdigit((unsigned char) *p); p++)
                if (__builtin_mul_overflow(v, 10, &v) ||
                    __builtin_add_overflow(v, (uint64_t) (*p - '0'), &v))
                        return -ERANGE;
        if (*p != '\0') {
                const char *u = strchr(size_units, toupper((unsigned char) *p));
                unsigned shift;

                if (!u || p[1] != '\0')
                        return -EINVAL;
                shift = 10 * (unsigned) (u - size_units + 1);
                if (v > (UINT64_MAX >> shift))
                        return -ERANGE;
                v <<= shift;
        }
        if (v == PARSE_INFINITY)
                return -ERANGE;
        *ret_bytes = v;
        return 0;
}

char *format_size(uint64_t bytes, char *buf, size_t size) {
        if (size == 0)
                return buf;
        if (bytes == PARSE_INFINITY) {
                snprintf(buf, size, "infinity");
                return buf;
        }
        for (unsigned i = sizeof size_units - 1; i > 0; i--) {
                unsigned shift = 10 * i;

                if (bytes != 0 && (bytes & ((UINT64_C(1) << shift) - 1)) == 0) {
                        snprintf(buf, size, "%" PRIu64 "%c", bytes >> shift, size_units[i - 1]);
                        return buf;
                }
        }
        snprintf(buf, size, "%" PRIu64, bytes);
        return buf;
}

static const struct {
        const char *name;
        int resource;
        RLimitKind kind;
        uint64_t max;                   /* 0: none but the type's */
        const char *range_why;
} rlimit_table[] = {
        { "cpu",        RLIMIT_CPU,        RLIMIT_KIND_SECONDS, 0, NULL },
        { "fsize",      RLIMIT_FSIZE,      RLIMIT_KIND_SIZE, 0, NULL },
        { "data",       RLIMIT_DATA,       RLIMIT_KIND_SIZE, 0, NULL },
        { "stack",      RLIMIT_STACK,      RLIMIT_KIND_SIZE, 0, NULL },
        { "core",       RLIMIT_CORE,       RLIMIT_KIND_SIZE, 0, NULL },
        { "rss",        RLIMIT_RSS,        RLIMIT_KIND_SIZE, 0, NULL },
        { "nproc",      RLIMIT_NPROC,      RLIMIT_KIND_COUNT, 0, NULL },
        { "nofile",     RLIMIT_NOFILE,     RLIMIT_KIND_COUNT, 0, NULL },
        { "memlock",    RLIMIT_MEMLOCK,    RLIMIT_KIND_SIZE, 0, NULL },
        { "as",         RLIMIT_AS,         RLIMIT_KIND_SIZE, 0, NULL },
        { "msgqueue",   RLIMIT_MSGQUEUE,   RLIMIT_KIND_SIZE, 0, NULL },
        /* The kernel takes any number here, but the nice ceiling is 20 - value: 0..40 is what
         * means something (setrlimit(2)). Likewise priorities go up to 99 (sched(7)). */
        { "nice",       RLIMIT_NICE,       RLIMIT_KIND_COUNT, 40, "the nice limit goes from 0 to 40" },
        { "rtprio",     RLIMIT_RTPRIO,     RLIMIT_KIND_COUNT, 99, "the rtprio limit goes from 0 to 99" },
        { "sigpending", RLIMIT_SIGPENDING, RLIMIT_KIND_COUNT, 0, NULL },
};

static int rlimit_index(int resource) {
        for (size_t i = 0; i < ELEMENTSOF(rlimit_table); i++)
                if (rlimit_table[i].resource == resource)
                        return (int) i;
        return -EINVAL;
}

int rlimit_from_string(const char *name) {
        for (size_t i = 0; name && i < ELEMENTSOF(rlimit_table); i++)
                if (strcmp(name, rlimit_table[i].name) == 0)
                        return rlimit_table[i].resource;
        return -EINVAL;
}

const char *rlimit_to_string(int resource) {
        int i = rlimit_index(resource);

        return i < 0 ? NULL : rlimit_table[i].name;
}

RLimitKind rlimit_kind(int resource) {
        int i = rlimit_index(resource);

        return i < 0 ? _RLIMIT_KIND_INVALID : rlimit_table[i].kind;
}

static int parse_rlimit_value(const char *s, int i, uint64_t *ret, const char **reterr_why) {
        uint64_t v;
        int r;

        switch (rlimit_table[i].kind) {
        case RLIMIT_KIND_SIZE:
                r = parse_size(s, &v);
                if (r < 0) {
                        *reterr_why = r == -ERANGE ? "size out of range" : "not a size";
                        return r;
                }
                break;
        case RLIMIT_KIND_SECONDS:
                r = parse_duration(s, &v);
                if (r < 0) {
                        *reterr_why = r == -ERANGE ? "duration out of range" : "not a duration";
                        return r;
                }
                if (v != USEC_INFINITY) {
                        /* RLIMIT_CPU counts seconds: rounding "1500ms" either way would change
                         * what the user wrote. */
                        if (v % USEC_PER_SEC != 0) {
                                *reterr_why = "the CPU limit counts whole seconds";
                                return -EINVAL;
                        }
                        v /= USEC_PER_SEC;
                }
                break;
        case RLIMIT_KIND_COUNT:
        default:
                r = parse_count(s, &v);
                if (r < 0) {
                        *reterr_why = r == -ERANGE ? "number out of range" : "not a number";
                        return r;
                }
                break;
        }
        if (v != PARSE_INFINITY && rlimit_table[i].max > 0 && v > rlimit_table[i].max) {
                *reterr_why = rlimit_table[i].range_why;
                return -ERANGE;
        }
        *ret = v;
        return 0;
}

int parse_rlimit(const char *s, int resource, uint64_t *ret_soft, uint64_t *ret_hard, const char **reterr_why) {
        char soft_text[128];
        const char *colon, *why_dummy;
        uint64_t soft, hard;
        int i, r;

        if (!reterr_why)
                reterr_why = &why_dummy;
        i = rlimit_index(resource);
        if (i < 0 || !s) {
                *reterr_why = "unknown resource";
                return -EINVAL;
        }

        colon = strchr(s, ':');
        if (!colon) {
                r = parse_rlimit_value(s, i, &soft, reterr_why);
                if (r < 0)
                        return r;
                *ret_soft = *ret_hard = soft;
                return 0;
        }

        if ((size_t) (colon - s) >= sizeof soft_text) {
                *reterr_why = "too long";
                return -EINVAL;
        }
        memcpy(soft_text, s, (size_t) (colon - s));
        soft_text[colon - s] = '\0';
        r = parse_rlimit_value(soft_text, i, &soft, reterr_why);
        if (r < 0)
                return r;
        r = parse_rlimit_value(colon + 1, i, &hard, reterr_why);
        if (r < 0)
                return r;
        if (soft > hard) {
                *reterr_why = "the soft limit is above the hard limit";
                return -EINVAL;
        }
        *ret_soft = soft;
        *ret_hard = hard;
        return 0;
}

static char *format_rlimit_value(int i, uint64_t v, char *buf, size_t size) {
        if (v == PARSE_INFINITY)
                snprintf(buf, size, "infinity");
        else if (rlimit_table[i].kind == RLIMIT_KIND_SIZE)
                format_size(v, buf, size);
        else if (rlimit_table[i].kind == RLIMIT_KIND_SECONDS && v <= (USEC_INFINITY - 1) / USEC_PER_SEC)
                format_duration(v * USEC_PER_SEC, buf, size);
        else
                snprintf(buf, size, "%" PRIu64, v);
        return buf;
}

char *format_rlimit(int resource, uint64_t soft, uint64_t hard, char *buf, size_t size) {
        char a[DURATION_MAX_LEN], b[DURATION_MAX_LEN];
        int i = rlimit_index(resource);

        if (size == 0)
                return buf;
        if (i < 0) {
                snprintf(buf, size, "?");
                return buf;
        }
        format_rlimit_value(i, soft, a, sizeof a);
        if (soft == hard)
                snprintf(buf, size, "%s", a);
        else
                snprintf(buf, size, "%s:%s", a, format_rlimit_value(i, hard, b, sizeof b));
        return buf;
}

int parse_umask(const char *s, unsigned *ret) {
        unsigned v = 0;
        size_t n = 0;

        if (!s || !*s)
                return -EINVAL;
        for (; *s; s++, n++) {
                if (*s < '0' || *s > '7')
                        return -EINVAL;
                if (n >= 4)
                        return -ERANGE;
                v = v * 8 + (unsigned) (*s - '0');
        }
        if (v > 0777)
                return -ERANGE;
        *ret = v;
        return 0;
}

int parse_nice(const char *s, int *ret) {
        return parse_int_range(s, -20, 19, ret);
}

int parse_oom_score_adj(const char *s, int *ret) {
        return parse_int_range(s, -1000, 1000, ret);
}

int parse_boolean(const char *s) {
        static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };

        for (size_t i = 0; s && i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

int parse_cpu_percent(const char *s, unsigned *ret) {
        char digits[16];
        size_t n;
        uint64_t v;
        int r;

        if (!s)
                return -EINVAL;
        if (strcmp(s, "infinity") == 0) {
                *ret = 0;
                return 0;
        }
        n = strlen(s);
        if (n < 2 || s[n - 1] != '%' || n > sizeof digits)
                return n > sizeof digits && s[n - 1] == '%' ? -ERANGE : -EINVAL;
        memcpy(digits, s, n - 1);
        digits[n - 1] = '\0';
        r = parse_uint64(digits, &v);
        if (r < 0)
                return r;
        if (v < 1 || v > 1000000)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

static const char *const stdio_type_names[_STDIO_TYPE_MAX] = {
        [STDIO_INHERIT] = "inherit",
        [STDIO_NULL] = "null",
        [STDIO_FILE] = "file",
        [STDIO_APPEND] = "append",
        [STDIO_JOURNAL] = "journal",
};

const char *stdio_type_to_string(StdioType t) {
        return t >= 0 && t < _STDIO_TYPE_MAX ? stdio_type_names[t] : "invalid";
}

int parse_stdio(const char *s, bool input, StdioType *ret_type, const char **ret_path, const char **reterr_why) {
        const char *why_dummy;

        if (!reterr_why)
                reterr_why = &why_dummy;
        if (!s) {
                *reterr_why = "missing";
                return -EINVAL;
        }
        if (strcmp(s, "inherit") == 0 || strcmp(s, "null") == 0) {
                *ret_type = s[0] == 'i' ? STDIO_INHERIT : STDIO_NULL;
                *ret_path = NULL;
                return 0;
        }
        if (strcmp(s, "journal") == 0) {
                *reterr_why = "'journal' is not supported yet";
                return -EINVAL;
        }
        if (strncmp(s, "file:", 5) == 0 || strncmp(s, "append:", 7) == 0) {
                bool append = s[0] == 'a';
                const char *path = s + (append ? 7 : 5);

                if (append && input) {
                        *reterr_why = "stdin cannot append";
                        return -EINVAL;
                }
                if (*path == '\0') {
                        *reterr_why = "empty path";
                        return -EINVAL;
                }
                *ret_type = append ? STDIO_APPEND : STDIO_FILE;
                *ret_path = path;
                return 0;
        }
        *reterr_why = "unknown kind";
        return -EINVAL;
}

static bool is_word_separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int parse_words(const char *s, char ***ret, const char **reterr_why) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *w = NULL;
        const char *why_dummy;
        bool in_word = false;
        size_t n = 0;
        int r;

        if (!reterr_why)
                reterr_why = &why_dummy;
        if (!s) {
                *reterr_why = "missing";
                return -EINVAL;
        }
        w = malloc(strlen(s) + 1);      /* no word is longer than the text */
        words = calloc(1, sizeof *words);
        if (!w || !words)
                return -ENOMEM;

        for (const char *p = s;; p++) {
                if (*p == '\0' || is_word_separator(*p)) {
                        if (in_word) {
                                r = strv_consume(&words, strndup(w, n));
                                if (r < 0)
                                        return r;
                                n = 0;
                                in_word = false;
                        }
                        if (*p == '\0')
                                break;
                        continue;
                }

                in_word = true;
                if (*p == '\'') {
                        for (p++; *p && *p != '\''; p++)
                                w[n++] = *p;
                        if (!*p) {
                                *reterr_why = "unterminated single quote";
                                return -EINVAL;
                        }
                } else if (*p == '"') {
                        for (p++; *p && *p != '"'; p++) {
                                /* POSIX: inside double quotes a backslash escapes only these, so
                                 * that "printf 'a\nb'" passes its \n on unchanged. */
                                if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
                                        p++;
                                w[n++] = *p;
                        }
                        if (!*p) {
                                *reterr_why = "unterminated double quote";
                                return -EINVAL;
                        }
                } else if (*p == '\\') {
                        if (!p[1]) {
                                *reterr_why = "trailing backslash";
                                return -EINVAL;
                        }
                        w[n++] = *++p;
                } else
                        w[n++] = *p;
        }

        *ret = TAKE_PTR(words);
        return 0;
}

int parse_command(const char *s, char ***ret_argv, const char **reterr_why) {
        _cleanup_strv_free_ char **argv = NULL;
        const char *why_dummy;
        int r;

        if (!reterr_why)
                reterr_why = &why_dummy;
        r = parse_words(s, &argv, reterr_why);
        if (r < 0)
                return r;
        if (!argv[0]) {
                *reterr_why = "empty command";
                return -EINVAL;
        }
        if (argv[0][0] == '\0') {
                *reterr_why = "empty program name";
                return -EINVAL;
        }
        *ret_argv = TAKE_PTR(argv);
        return 0;
}

static bool word_char_is_safe(char c) {
        return isalnum((unsigned char) c) || (unsigned char) c >= 0x80 || (c != '\0' && strchr("_@%+=:,./-", c));
}

char *quote_word(const char *word, bool force) {
        bool safe = *word != '\0' && !force;
        char *buf, *q;

        for (const char *p = word; safe && *p; p++)
                safe = word_char_is_safe(*p);
        if (safe)
                return strdup(word);

        /* Each character takes at most 4 bytes ("'\''"), plus the two quotes and the NUL. */
        buf = malloc(strlen(word) * 4 + 3);
        if (!buf)
                return NULL;
        q = buf;
        *q++ = '\'';
        for (const char *p = word; *p; p++) {
                if (*p == '\'' || (*p == ';' && p > word && isspace((unsigned char) p[-1]))) {
                        /* Close the quote, escape the character outside, reopen. A ';' after
                         * white space would start an ini comment even inside quotes. */
                        *q++ = '\'';
                        *q++ = '\\';
                        *q++ = *p;
                        *q++ = '\'';
                } else
                        *q++ = *p;
        }
        *q++ = '\'';
        *q = '\0';
        return buf;
}

static bool env_name_is_valid(const char *s, size_t n) {
        if (n == 0 || !(isalpha((unsigned char) s[0]) || s[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (!(isalnum((unsigned char) s[i]) || s[i] == '_'))
                        return false;
        return true;
}

int parse_env_assignment(const char *s, const char **reterr_why) {
        const char *eq, *why_dummy;

        if (!reterr_why)
                reterr_why = &why_dummy;
        eq = s ? strchr(s, '=') : NULL;
        if (!eq) {
                *reterr_why = "not a NAME=VALUE assignment";
                return -EINVAL;
        }
        if (!env_name_is_valid(s, (size_t) (eq - s))) {
                *reterr_why = "bad variable name";
                return -EINVAL;
        }
        return 0;
}

int parse_env_line(const char *s, char ***ret, const char **reterr_why) {
        _cleanup_strv_free_ char **words = NULL;
        const char *why_dummy;
        int r;

        if (!reterr_why)
                reterr_why = &why_dummy;
        r = parse_words(s, &words, reterr_why);
        if (r < 0)
                return r;
        if (!words[0]) {
                *reterr_why = "no assignment";
                return -EINVAL;
        }
        for (size_t i = 0; words[i]; i++) {
                r = parse_env_assignment(words[i], reterr_why);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(words);
        return 0;
}

unsigned edit_distance(const char *a, const char *b) {
        /* Optimal string alignment distance over three rows of the usual table. */
        enum { N = 64 };
        unsigned rows[3][N + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
        size_t la = strlen(a), lb = strlen(b);

        if (la > N || lb > N)
                return 255;
        for (size_t j = 0; j <= lb; j++)
                prev[j] = (unsigned) j;
        for (size_t i = 1; i <= la; i++) {
                unsigned *t;

                cur[0] = (unsigned) i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned cost = a[i - 1] != b[j - 1];

                        unsigned d = prev[j - 1] + cost;

                        if (prev[j] + 1 < d)
                                d = prev[j] + 1;
                        if (cur[j - 1] + 1 < d)
                                d = cur[j - 1] + 1;
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
                                d = prev2[j - 2] + 1;
                        cur[j] = d;
                }
                t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        return MIN(prev[lb], 255u);
}

int parse_diagnose(const char *s, int *ret_sig, uint64_t *ret_grace, const char **reterr_why) {
        char name[64];
        const char *colon;
        uint64_t grace = 0;
        size_t n;
        int sig;

        if (!s)
                return -EINVAL;
        colon = strchr(s, ':');
        n = colon ? (size_t) (colon - s) : strlen(s);
        if (n >= sizeof name) {
                *reterr_why = "not a signal";
                return -EINVAL;
        }
        memcpy(name, s, n);
        name[n] = '\0';
        sig = parse_signal(name);
        if (sig < 0) {
                *reterr_why = "not a signal";
                return -EINVAL;
        }
        if (sig == SIGKILL || sig == SIGSTOP) {
                *reterr_why = "a process cannot dump anything on that signal";
                return -EINVAL;
        }
        if (colon && (parse_duration(colon + 1, &grace) < 0 || grace == USEC_INFINITY)) {
                *reterr_why = "bad grace period";
                return -EINVAL;
        }
        *ret_sig = sig;
        if (colon)
                *ret_grace = grace;
        return 0;
}
