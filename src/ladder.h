/* SPDX-License-Identifier: MIT */
#pragma once

/* The stop ladder's policy: which signal to send and when the next rung is due. Pure and
 * non-logging: no syscalls, no clock (the caller passes now). The shell (supervisor.c) delivers
 * the signal, follows it with SIGCONT, and arms its timer at the state's deadline. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "util/macro.h"

/* The last rung (SIGKILL) repeats at this interval while anything is left, as a bound for what
 * the reaper's own re-sweeps (one per reaped batch) do not catch, such as a process stuck in D. */
#define LADDER_REPEAT_USEC (100 * USEC_PER_MSEC)

typedef enum LadderEvent {
        LADDER_EV_START,        /* timeout, session end: start at the top rung (no-op if running) */
        LADDER_EV_SIGNAL,       /* tend received sig: enter at its rung, or escalate */
        LADDER_EV_TIMER,        /* the timer armed at deadline fired */
        _LADDER_EV_MAX,
        _LADDER_EV_INVALID = -EINVAL,
} LadderEvent;

typedef struct LadderState {
        int rung;               /* -1: not started */
        uint64_t deadline;      /* when the next rung is due; USEC_INFINITY when not started */
} LadderState;

#define LADDER_STATE_INIT ((LadderState) { .rung = -1, .deadline = USEC_INFINITY })

static inline bool ladder_running(const LadderState *s) {
        return s->rung >= 0;
}

/* True once the ladder has reached its last rung (SIGKILL to the whole tree). */
static inline bool ladder_final(const LadderState *s, const Ladder *l) {
        return s->rung >= 0 && (size_t) s->rung + 1 >= l->n;
}

/* Advances the ladder. Returns the signal to deliver now, or 0 when nothing is due.
 * - START enters at the top rung, unless the ladder already runs.
 * - SIGNAL enters at the rung that sends sig (at the top if no rung does); while running, it
 *   jumps to that rung if it is further down, else to the next rung ("press Ctrl-C again").
 * - TIMER moves one rung down once now >= deadline; the last rung repeats. */
int ladder_next(LadderState *s, const Ladder *l, LadderEvent ev, int sig, uint64_t now);
