/* SPDX-License-Identifier: MIT */
#pragma once

/* The imperative shell: one sd-event loop that owns the signal sources, the reaper, the spawner's
 * result pipe and the timers, feeds the job state machine and performs its actions. Logs at the
 * boundary: what the session does is told here. Loop thread. */

#include "spawn.h"
#include "spec.h"

/* Runs a session for spec: starts the command, supervises it to the end (leftovers included),
 * and returns the exit status tend should exit with (0..255). spawner must be started. */
int supervisor_run_session(const JobSpec *spec, Spawner *spawner);
