/* SPDX-License-Identifier: MIT */
#pragma once

/* Diagnostics of a hung session: snapshots of the process tree, a dump signal sent to every
 * process, and a diagnose command run per process. Shell, loop thread; non-logging except where
 * noted: what the commands print is the user's to see, on stderr, as they finish. */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <systemd/sd-event.h>

#include "procinfo.h"
#include "proctree.h"
#include "spawn.h"
#include "spec.h"

/* A snapshot of the session's processes: root's descendants, minus the subtrees of the pids in
 * exclude (tend's own diagnose commands). */
typedef struct Snapshot {
        ProcInfo *procs;
        size_t n;
        uint64_t taken_usec;            /* CLOCK_REALTIME */
} Snapshot;

int snapshot_take(pid_t root, const pid_t *exclude, size_t n_exclude, Snapshot *ret);
void snapshot_done(Snapshot *s);

/* One diagnose command, about one process of the session. */
typedef struct Diagnosis Diagnosis;

typedef struct DiagnoseCommand {
        Diagnosis *owner;
        pid_t target;
        char **argv;                    /* {pid} replaced */
        SpawnPlan plan;
        pid_t pid;                      /* 0: not started (yet) */
        int out_fd;                     /* the read end of its stdout+stderr; -1 when closed */
        sd_event_source *io;
        char *output;
        size_t output_len;
        bool truncated;                 /* more than DIAGNOSE_OUTPUT_MAX was written */
        bool killed;                    /* still running at the grace's end: killed */
        bool exited;
        int status;                     /* exit code, 128+N; valid once exited */
        int error;                      /* -errno when it could not be started */
        bool reported;                  /* its outcome was shown on stderr */
} DiagnoseCommand;

#define DIAGNOSE_OUTPUT_MAX (64u * 1024u)
#define DIAGNOSE_PARALLEL 4

typedef void (*DiagnoseDone)(Diagnosis *d, void *userdata);

struct Diagnosis {
        sd_event *event;
        Spawner *spawner;
        const JobSpec *spec;
        char *path;                     /* diagnose_cmd's program, resolved */
        int null_fd;

        int signal;                     /* sent to each process; 0: none */
        size_t signalled;
        ProcEntry *targets;             /* who gets it, in turn */
        size_t n_targets, next_target;
        uint64_t stagger_usec;
        sd_event_source *stagger;
        DiagnoseCommand *commands;
        size_t n_commands, next, running;

        /* Exits reaped while a spawn was in flight: the late result claims its own. */
        siginfo_t *early;
        size_t n_early;
        unsigned long unclaimed;        /* early exits no command claimed: orphans */

        sd_event_source *timer;
        bool grace_over, finished;
        DiagnoseDone done;
        void *userdata;
};

/* How far apart the dump signal goes to n processes: one at a time, so that dumps written to a
 * shared stderr do not interleave, at most 50ms apart and over at most half the grace. Pure. */
uint64_t diagnose_stagger_usec(uint64_t grace_usec, size_t n);

/* Starts the diagnostics of spec for the processes of snap: the signal to each (pinned, so a
 * reused pid is never hit), and the commands, DIAGNOSE_PARALLEL at a time. When the grace is over
 * the commands still running are killed; done() runs once all have been reaped. Logs what it
 * cannot do, as warnings, and goes on. Returns 0 or -errno. */
int diagnose_start(Diagnosis *d, sd_event *e, Spawner *spawner, const JobSpec *spec, const Snapshot *snap,
                   DiagnoseDone done, void *userdata);

/* The supervisor passes each spawn result and each reaped child here first: true when it was
 * one of ours. */
bool diagnose_spawn_result(Diagnosis *d, const SpawnResult *res);
bool diagnose_reaped(Diagnosis *d, const siginfo_t *si);

/* The exits no command claimed (orphans reaped meanwhile); counts them once. */
unsigned long diagnose_take_unclaimed(Diagnosis *d);

/* The pids of the commands still alive, to leave out of snapshots; returns how many. */
size_t diagnose_running_pids(const Diagnosis *d, pid_t *buf, size_t size);

void diagnose_done(Diagnosis *d);
