/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "job.h"
#include "util/macro.h"

void job_init(Job *j, const Ladder *ladder, LeftoverPolicy leftovers) {
        *j = (Job) {
                .ladder = ladder,
                .leftovers = leftovers,
                .phase = JOB_STARTING,
                .ladder_state = LADDER_STATE_INIT,
                .stop_reason = JOB_STOP_NONE,
                .main_status = -1,
        };
}

bool job_is_stop_signal(const Job *j, int sig) {
        if (sig == SIGKILL || sig <= 0)
                return false;
        return sig == SIGINT || sig == SIGTERM || ladder_rung_of(j->ladder, sig) >= 0;
}

static void job_deliver(Job *j, int sig, JobActions *a) {
        if (sig <= 0)
                return;
        a->deliver = sig;
        a->rung = j->ladder_state.rung;
        a->deliver_final = ladder_final(&j->ladder_state, j->ladder);
}

static void job_stop(Job *j, LadderEvent ev, int sig, JobStopReason why, uint64_t now, JobActions *a) {
        bool was_running = ladder_running(&j->ladder_state);

        job_deliver(j, ladder_next(&j->ladder_state, j->ladder, ev, sig, now), a);
        if (!was_running && ladder_running(&j->ladder_state)) {
                j->stop_reason = why;
                a->started = why;
        }
}

int job_handle(Job *j, const JobEvent *ev, uint64_t now, JobActions *ret) {
        JobActions a = { .timer = USEC_INFINITY };

        if (j->phase == JOB_DONE)
                return -EINVAL;

        switch (ev->type) {
        case JOB_EV_STARTED:
                if (j->phase != JOB_STARTING)
                        return -EINVAL;
                j->phase = JOB_RUNNING;
                /* A stop asked for while the spawn was in flight reached no group yet. */
                if (ladder_running(&j->ladder_state))
                        job_deliver(j, j->ladder->rungs[j->ladder_state.rung].sig, &a);
                break;

        case JOB_EV_START_FAILED:
        case JOB_EV_EXITED:
                if (j->phase == JOB_DRAINING)
                        return -EINVAL;
                if (ev->type == JOB_EV_START_FAILED && j->phase != JOB_STARTING)
                        return -EINVAL;
                j->main_status = ev->status;
                j->phase = JOB_DRAINING;
                break;

        case JOB_EV_TREE:
                if (j->phase != JOB_DRAINING)
                        break;
                if (!ev->children_left) {
                        j->phase = JOB_DONE;
                        a.done = true;
                        a.exit_status = job_exit_status(j);
                        *ret = a;
                        return 0;
                }
                if (ladder_final(&j->ladder_state, j->ladder))
                        /* Re-sweep after every reaped batch: what forked during the last sweep
                         * has been re-parented to tend by now, or is in the group. */
                        job_deliver(j, SIGKILL, &a);
                else if (j->leftovers == LEFTOVERS_KILL)
                        job_stop(j, LADDER_EV_START, 0, JOB_STOP_LEFTOVERS, now, &a);
                break;

        case JOB_EV_SIGNAL:
                if (job_is_stop_signal(j, ev->sig))
                        job_stop(j, LADDER_EV_SIGNAL, ev->sig, JOB_STOP_SIGNAL, now, &a);
                else
                        a.forward = ev->sig;
                break;

        case JOB_EV_TIMEOUT:
                j->timed_out = true;
                job_stop(j, LADDER_EV_START, 0, JOB_STOP_TIMEOUT, now, &a);
                break;

        case JOB_EV_LADDER_TIMER:
                job_deliver(j, ladder_next(&j->ladder_state, j->ladder, LADDER_EV_TIMER, 0, now), &a);
                break;

        default:
                return -EINVAL;
        }

        if (ladder_running(&j->ladder_state))
                a.timer = j->ladder_state.deadline;
        *ret = a;
        return 0;
}

int job_exit_status(const Job *j) {
        if (j->timed_out)
                return 124;
        if (j->main_status == 0 && j->fail_on_leaks && j->n_leftovers > 0)
                return TEND_EXIT_LEAKS;
        return j->main_status < 0 ? 125 : j->main_status;
}

int job_start_failure_status(bool at_exec, int error) {
        if (!at_exec)
                return 125;
        return error == -ENOENT || error == -ENOTDIR || error == -ELOOP ? 127 : 126;
}

int job_status_from_wait(int code, int status) {
        if (code == CLD_EXITED)
                return status & 0xff;
        return 128 + status;
}

const char *job_phase_to_string(JobPhase p) {
        static const char *const names[_JOB_PHASE_MAX] = {
                [JOB_STARTING] = "starting",
                [JOB_RUNNING] = "running",
                [JOB_DRAINING] = "draining",
                [JOB_DONE] = "done",
        };

        return p >= 0 && p < _JOB_PHASE_MAX ? names[p] : "invalid";
}
