/* SPDX-License-Identifier: MIT */
#pragma once

/* Value parsers for durations, signals and stop ladders: the syntax of DESIGN.md's Conventions.
 * Pure and non-logging: they return 0 or -EINVAL/-ERANGE, and where a caller wants to tell the
 * user why, a static string through reterr_why. Fuzzed (tests/fuzz). */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LADDER_RUNGS_MAX 8

typedef struct LadderRung {
        int sig;
        uint64_t grace_usec;    /* time before the next rung; unused on the last rung */
} LadderRung;

/* A stop ladder. The last rung is always SIGKILL: parse_ladder() appends it when the text ends
 * with a rung that has a grace period. */
typedef struct Ladder {
        LadderRung rungs[LADDER_RUNGS_MAX];
        size_t n;
} Ladder;

#define LADDER_DEFAULT "SIGINT 2s, SIGTERM 3s, SIGKILL"

/* "250ms", "0.5s", "1m30s", "2h", "1d", a bare number of seconds (fractions allowed), or
 * "infinity" (USEC_INFINITY). Sub-microsecond fractions are dropped. */
int parse_duration(const char *s, uint64_t *ret_usec);

/* Writes the shortest exact form ("1m30s", "250ms", "0") into buf; returns buf. */
char *format_duration(uint64_t usec, char *buf, size_t size);
#define DURATION_MAX_LEN 64

/* "SIGTERM", "TERM", "sigterm", "15", "SIGRTMIN+2", "RTMAX-1". Returns the signal number (> 0)
 * or -EINVAL. */
int parse_signal(const char *s);

/* "SIGTERM" for 15, "SIGRTMIN+2" for SIGRTMIN+2 in the given buffer; "SIG?" style "SIG%d" for
 * numbers with no name. Returns buf. */
const char *signal_name(int sig, char *buf, size_t size);
#define SIGNAL_NAME_MAX 16

/* "SIGINT 2s, SIGTERM 3s, SIGKILL". Every rung but the last needs a grace period; SIGKILL may
 * only be the last rung and takes none; a signal may appear once. */
int parse_ladder(const char *s, Ladder *ret, const char **reterr_why);

/* The inverse of parse_ladder(), in canonical form. Returns buf. */
char *format_ladder(const Ladder *l, char *buf, size_t size);
#define LADDER_MAX_LEN (LADDER_RUNGS_MAX * (SIGNAL_NAME_MAX + DURATION_MAX_LEN + 3))

/* Index of the first rung that sends sig, or -1. */
int ladder_rung_of(const Ladder *l, int sig);

/* ---- Values of job keys (issue 3): sizes, numbers, rlimits, modes, stdio, words, environment. ----
 * Same rules as above: pure, non-logging, 0 or -EINVAL/-ERANGE (-ENOMEM where they allocate), a
 * static reason through reterr_why where the error code alone would not tell the user enough. */

/* "infinity" for sizes, counts and limits. Equal to RLIM_INFINITY on Linux. */
#define PARSE_INFINITY UINT64_MAX

/* Decimal digits only: no sign, no white space, no base prefix. */
int parse_uint64(const char *s, uint64_t *ret);

/* An optional sign and decimal digits, within [min, max] (-ERANGE outside). */
int parse_int_range(const char *s, int min, int max, int *ret);

/* A number or "infinity" (PARSE_INFINITY). */
int parse_count(const char *s, uint64_t *ret);

/* "512K", "64M", "2G" (powers of 1024; K M G T P E, either case), a bare number of bytes, or
 * "infinity" (PARSE_INFINITY). Whole numbers only: "1.5G" is -EINVAL. */
int parse_size(const char *s, uint64_t *ret_bytes);

/* The shortest exact form: "64M", "1536K", "1000", "0", "infinity". Returns buf. */
char *format_size(uint64_t bytes, char *buf, size_t size);
#define SIZE_MAX_LEN 32

/* How an rlimit's value is written. */
typedef enum RLimitKind {
        RLIMIT_KIND_COUNT,              /* nofile, nproc, nice, rtprio, sigpending: a number */
        RLIMIT_KIND_SIZE,               /* core, as, data, stack, fsize, memlock, rss, msgqueue */
        RLIMIT_KIND_SECONDS,            /* cpu: a duration in whole seconds */
        _RLIMIT_KIND_MAX,
        _RLIMIT_KIND_INVALID = -EINVAL,
} RLimitKind;

/* "nofile" -> RLIMIT_NOFILE, ..., or -EINVAL for a name tend does not know. */
int rlimit_from_string(const char *name);
/* "nofile" for RLIMIT_NOFILE; NULL for a resource tend does not know. */
const char *rlimit_to_string(int resource);
RLimitKind rlimit_kind(int resource);

/* "SOFT:HARD" or one value for both; each value is of the resource's kind or "infinity"
 * (PARSE_INFINITY). SOFT may not exceed HARD. Seconds are returned as seconds. */
int parse_rlimit(const char *s, int resource, uint64_t *ret_soft, uint64_t *ret_hard, const char **reterr_why);

/* The inverse of parse_rlimit(): "1024", "1024:4096", "64M:infinity", "1m30s". Returns buf. */
char *format_rlimit(int resource, uint64_t soft, uint64_t hard, char *buf, size_t size);
#define RLIMIT_MAX_LEN (2 * DURATION_MAX_LEN + 2)

/* Octal, at most 0777: "022", "0027", "7". */
int parse_umask(const char *s, unsigned *ret);

/* -20..19. */
int parse_nice(const char *s, int *ret);

/* -1000..1000. */
int parse_oom_score_adj(const char *s, int *ret);

/* yes/no, true/false, on/off, 1/0 (either case). Returns 1, 0 or -EINVAL. */
int parse_boolean(const char *s);

/* A share of one CPU: "50%", "200%" (1..1000000). */
int parse_cpu_percent(const char *s, unsigned *ret);

typedef enum StdioType {
        STDIO_INHERIT,
        STDIO_NULL,
        STDIO_FILE,                     /* file:PATH: read (stdin) or truncated and written */
        STDIO_APPEND,                   /* append:PATH */
        STDIO_JOURNAL,                  /* reserved for multi-job mode; parse_stdio() refuses it */
        _STDIO_TYPE_MAX,
        _STDIO_TYPE_INVALID = -EINVAL,
} StdioType;

/* "inherit", "null", "file:PATH", "append:PATH" (not for input). *ret_path points into s, past
 * the prefix, or is NULL. */
int parse_stdio(const char *s, bool input, StdioType *ret_type, const char **ret_path, const char **reterr_why);
const char *stdio_type_to_string(StdioType t);

/* Splits s into words like a POSIX shell would, without expanding anything: white space
 * separates words; '...' is literal; in "...", a backslash escapes only " \ $ and `; outside
 * quotes, a backslash makes the next character literal. An unterminated quote or a trailing
 * backslash is -EINVAL. *ret gets a NULL-terminated vector (possibly empty), owned by the
 * caller. */
int parse_words(const char *s, char ***ret, const char **reterr_why);

/* A command line: parse_words() with at least one word, the first not empty. */
int parse_command(const char *s, char ***ret_argv, const char **reterr_why);

/* The inverse of parse_words() for one word: the word itself when it is made of safe
 * characters only (and force is false), else a single-quoted form that parse_words() reads
 * back as the word and that an ini parser does not cut at a ';' comment. malloc'd; NULL on
 * ENOMEM. */
char *quote_word(const char *word, bool force);

/* NAME=VALUE, NAME being [A-Za-z_][A-Za-z0-9_]*. */
int parse_env_assignment(const char *s, const char **reterr_why);

/* Several assignments split by parse_words(): A=1 "B=two words" C='it''s'. */
int parse_env_line(const char *s, char ***ret, const char **reterr_why);

/* Edit distance (insertions, deletions, substitutions, adjacent transpositions) between a
 * and b, capped at 255. For "did you mean" suggestions. */
unsigned edit_distance(const char *a, const char *b);

/* "SIGUSR1" or "SIGUSR1:5s": the diagnose signal and how long the dumps get (*ret_grace is
 * left alone when the text gives none). SIGKILL and SIGSTOP are refused: nothing could dump. */
int parse_diagnose(const char *s, int *ret_sig, uint64_t *ret_grace, const char **reterr_why);
