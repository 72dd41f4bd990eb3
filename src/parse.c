/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "util/macro.h"

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
        if (isdigit((unsigned char) *s)) {
                v = parse_small_int(s, SIGRTMAX);
                return v > 0 ? v : -EINVAL;
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
