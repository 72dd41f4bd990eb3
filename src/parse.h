/* SPDX-License-Identifier: MIT */
#pragma once

/* Value parsers for durations, signals and stop ladders: the syntax of DESIGN.md's Conventions.
 * Pure and non-logging: they return 0 or -EINVAL/-ERANGE, and where a caller wants to tell the
 * user why, a static string through reterr_why. Fuzzed (tests/fuzz). */

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
