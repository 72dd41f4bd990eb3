/* SPDX-License-Identifier: MIT */
#pragma once

/* The job state machine: state + event -> new state + actions. Pure and non-logging: no syscalls,
 * no clock. The supervisor feeds it events (spawn results, exits, signals, timers) and performs
 * the actions it returns (forward a signal, deliver a ladder rung, arm the timer, exit). */

#include <stdbool.h>
#include <stdint.h>

#include "ladder.h"
#include "spec.h"

typedef enum JobPhase {
        JOB_STARTING,           /* spawn request in flight */
        JOB_RUNNING,            /* main process runs */
        JOB_DRAINING,           /* main process gone (or never started); leftovers remain */
        JOB_DONE,               /* nothing left: tend may exit */
        _JOB_PHASE_MAX,
        _JOB_PHASE_INVALID = -EINVAL,
} JobPhase;

typedef enum JobEventType {
        JOB_EV_STARTED,         /* the main process exec'd */
        JOB_EV_START_FAILED,    /* .status: 125, 126 or 127 (see job_start_failure_status()) */
        JOB_EV_EXITED,          /* main process reaped; .status: exit code, or 128+N for signal N */
        JOB_EV_TREE,            /* after each reaper drain; .children_left */
        JOB_EV_SIGNAL,          /* tend received .sig */
        JOB_EV_TIMEOUT,         /* the session's --timeout expired */
        JOB_EV_LADDER_TIMER,    /* the ladder's timer fired */
        _JOB_EV_MAX,
        _JOB_EV_INVALID = -EINVAL,
} JobEventType;

typedef struct JobEvent {
        JobEventType type;
        int sig;
        int status;
        bool children_left;
} JobEvent;

typedef enum JobStopReason {
        JOB_STOP_NONE,
        JOB_STOP_SIGNAL,
        JOB_STOP_TIMEOUT,
        JOB_STOP_LEFTOVERS,
        _JOB_STOP_MAX,
        _JOB_STOP_INVALID = -EINVAL,
} JobStopReason;

typedef struct JobActions {
        int forward;            /* forward this signal to the job's group unchanged; 0: none */
        int deliver;            /* deliver this ladder signal to the whole tree, then SIGCONT */
        bool deliver_final;     /* the last rung: use every kill path, repeat until nothing is left */
        int rung;               /* the rung that deliver belongs to */
        JobStopReason started;  /* the ladder started with this event, and why */
        uint64_t timer;         /* the ladder timer's deadline; USEC_INFINITY: disarmed */
        bool done;              /* nothing left: exit with exit_status */
        int exit_status;
} JobActions;

typedef struct Job {
        const Ladder *ladder;
        LeftoverPolicy leftovers;

        JobPhase phase;
        LadderState ladder_state;
        JobStopReason stop_reason;
        bool timed_out;
        bool fail_on_leaks;
        size_t n_leftovers;             /* processes alive when the main process exited */
        int main_status;        /* -1 until known */
} Job;

void job_init(Job *j, const Ladder *ladder, LeftoverPolicy leftovers);

/* True for signals that enter the ladder (SIGINT, SIGTERM, and any signal the ladder sends,
 * SIGKILL aside); other handled signals are forwarded unchanged. */
bool job_is_stop_signal(const Job *j, int sig);

/* Applies ev at time now. Returns 0 and fills *ret (always: zeroed first), or -EINVAL for an
 * event that makes no sense in the current phase (the job is left unchanged). */
int job_handle(Job *j, const JobEvent *ev, uint64_t now, JobActions *ret);

/* What tend exits with: 124 when the timeout fired; TEND_EXIT_LEAKS when the main process exited
 * 0 but left processes behind and fail_on_leaks is set; else the main process's status. */
int job_exit_status(const Job *j);

/* Exit status for a start that failed at the exec stage with error (-errno): 127 not found,
 * 126 found but not executable; 125 for failures before exec (tend could not set it up). */
int job_start_failure_status(bool at_exec, int error);

/* 0..255 from a waitid() result: the exit code, or 128+N for death by signal N. */
int job_status_from_wait(int code, int status);

const char *job_phase_to_string(JobPhase p);
