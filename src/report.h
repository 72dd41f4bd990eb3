/* SPDX-License-Identifier: MIT */
#pragma once

/* The session's JSON report (--report FILE): what ran, how it ended and why, the ladder's rungs,
 * the process-tree snapshots, what the diagnostics said, the leftovers. The schema is documented
 * in the README ("Report") and versioned by "schema". Shell (writes a file); non-logging. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose.h"

#define REPORT_SCHEMA 1

typedef struct ReportRung {
        int rung;                       /* 1-based */
        int sig;
        uint64_t at_usec;               /* CLOCK_REALTIME */
        size_t processes;               /* alive in the tree when it was sent; SIZE_MAX: not
                                         * counted (PID 1 signals the namespace with kill(-1)) */
} ReportRung;

typedef struct Report {
        char *const *argv;
        uint64_t start_usec, end_usec;  /* CLOCK_REALTIME */
        int exit_status;                /* what tend exits with */
        const char *exit_reason;        /* "exited", "signal", "timeout", "leaks", "not-started" */
        int command_code;               /* CLD_EXITED, CLD_KILLED, CLD_DUMPED; 0: never ran/unknown */
        int command_value;              /* exit code or signal */
        uint64_t timeout_usec;          /* USEC_INFINITY: none */
        bool timeout_fired;
        const char *stop_reason;        /* why the ladder ran: "timeout", "signal", "leftovers"; NULL */
        const char *ladder;             /* as configured, canonical */
        const ReportRung *rungs;
        size_t n_rungs;
        const Snapshot *timeout_snapshot;       /* NULL: not taken */
        const Snapshot *leftovers;              /* at the command's exit; NULL: none */
        const Diagnosis *diagnosis;             /* NULL: none ran */
        unsigned long orphans_reaped;
        bool fail_on_leaks;
} Report;

/* Renders r as JSON (pretty). Returns 0 and a malloc'd text, or -ENOMEM. Pure. */
int report_format(const Report *r, char **ret, size_t *ret_len);

/* Writes it to path (created 0644, replaced). Returns 0 or -errno. */
int report_write(const char *path, const Report *r);
