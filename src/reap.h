/* SPDX-License-Identifier: MIT */
#pragma once

/* The reaper: the only caller of wait*() in tend. Non-logging. Loop thread. */

#include <signal.h>
#include <sys/types.h>

typedef void (*ReapCallback)(const siginfo_t *si, void *userdata);

/* Reaps every child that has exited, calling cb for each, whatever it is (job, orphan, failed
 * spawn). Returns 1 when children remain, 0 when there are none (ECHILD), or -errno. */
int reap_drain(ReapCallback cb, void *userdata);

/* Reaps one child that is known to be exiting right now (a spawn whose prelude failed and which
 * has reported it): waits for it, bounded by its _exit() that follows the report. Returns 0 or
 * -errno (-ECHILD when a drain got it first). */
int reap_exiting(pid_t pid);
