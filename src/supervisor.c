/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-event.h>

#include "cgroup.h"
#include "diagnose.h"
#include "job.h"
#include "job-limits.h"
#include "log.h"
#include "proctree.h"
#include "reap.h"
#include "report.h"
#include "treeview.h"
#include "supervisor.h"
#include "util/macro.h"

extern char **environ;

/* Signals forwarded to the job's group unchanged (unless the ladder uses them). */
static const int forwarded_signals[] = {
        SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM, SIGPWR,
};

typedef struct ParkedExit {
        siginfo_t si;
} ParkedExit;

typedef struct Supervisor {
        sd_event *event;
        Spawner *spawner;
        const JobSpec *spec;
        Job job;

        SpawnPlan plan;
        char *path;
        LimitsPlan limits;              /* what plan's limits point to (limits.c) */
        JobCgroup cgroup;               /* the job's cgroup when has_cgroup (cgroup.c) */
        bool has_cgroup;

        pid_t self;
        pid_t self_pgid;
        bool pid1;
        int proc_usable;                /* -1 not checked yet, 0 no, 1 yes */
        int tty_fd;                     /* -1: tend does not own the foreground of a terminal */

        pid_t main_pid;                 /* 0 until the spawner reports it */
        pid_t failed_pid;               /* a child whose prelude failed: not an orphan */
        int main_pidfd;

        /* Exits of unknown pids reaped while the spawn is in flight: the late result may claim
         * one of them (the command can exit before its SpawnResult reaches the loop). */
        ParkedExit *parked;
        size_t n_parked, allocated_parked;

        unsigned long orphans_reaped;

        sd_event_source *ladder_timer;
        int logged_rung;

        /* Diagnostics (diagnose.c) and what the report needs (report.c). */
        Diagnosis diagnosis;
        bool diagnosing, diagnosed;
        bool leftovers_checked;
        Snapshot timeout_snapshot, leftovers;
        bool have_timeout_snapshot, have_leftovers;
        ReportRung *rungs;
        size_t n_rungs;
        uint64_t start_usec;
        int main_code, main_value;
        int exit_status;
} Supervisor;

static const char *command_name(const Supervisor *s) {
        return s->spec->argv[0];
}

static bool proc_usable(Supervisor *s) {
        if (s->proc_usable < 0) {
                int r = proc_matches_namespace();

                s->proc_usable = r > 0;
                if (r <= 0)
                        log_warning("/proc does not show tend's own PID namespace; leftovers outside the "
                                    "command's process group cannot be found, continuing with the group only");
        }
        return s->proc_usable > 0;
}

/* Whether a live entry before i is in group pgid (so the group was signalled already). */
static bool pgid_seen(const ProcEntry *v, size_t i, pid_t pgid) {
        while (i-- > 0)
                if (v[i].pgid == pgid && v[i].state != 'Z' && v[i].state != 'X')
                        return true;
        return false;
}

/* ---- Cgroup delivery (limits issue). ---- */
/* The job's cgroup holds every process of the job, whatever group or session it moved to: signal
 * the members that neither the group nor the /proc walk (tree, may be NULL) reached, and at the
 * last rung kill the cgroup whole (cgroup.kill, or freeze, kill, thaw). Returns how many members
 * it signalled that were outside the tree. */
static size_t supervisor_deliver_cgroup(Supervisor *s, int sig, bool final, const ProcList *tree) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0, extra = 0;
        int r;

        if (!s->has_cgroup)
                return 0;
        r = cgroup_job_pids(&s->cgroup, &pids, &n);
        if (r < 0) {
                log_debug_errno(r, "Failed to list the job's cgroup, continuing with the tree");
                n = 0;
        }
        for (size_t i = 0; i < n; i++) {
                bool seen = false;

                for (size_t j = 0; tree && j < tree->n && !seen; j++)
                        seen = tree->entries[j].pid == pids[i];
                if (seen || (s->main_pid > 0 && getpgid(pids[i]) == s->main_pid))
                        continue;
                extra++;
                if (!final && kill(pids[i], sig) >= 0 && sig != SIGKILL)
                        (void) kill(pids[i], SIGCONT);
        }
        if (final) {
                r = cgroup_job_kill(&s->cgroup);
                if (r < 0)
                        log_warning_errno(r, "Failed to kill the job's cgroup, continuing with the tree");
                else
                        log_debug("killed the job's cgroup (%d process%s still in it)", r, r == 1 ? "" : "es");
        }
        return extra;
}
/* ---- End of cgroup delivery. ---- */

/* Delivers a ladder signal to the whole tree: the command's group, then every descendant found in
 * /proc that left it (setsid, setpgid, double fork), each followed by SIGCONT so that stopped
 * processes act on it, then the members of the job's cgroup found nowhere else; the last rung adds
 * the cgroup's kill. Returns the number of processes found alive in the tree (the group's members
 * included). As PID 1: kill(-1) to the whole namespace instead, and SIZE_MAX (not counted). */
static size_t supervisor_deliver(Supervisor *s, int sig, bool final) {
        ProcList all = { 0 }, tree = { 0 };
        size_t alive = 0;
        int r;

        if (s->pid1) {
                /* As PID 1, every process of the namespace is the tree's (or joined it, as docker
                 * exec does, and stopping the container means it too): kill(-1) reaches them all,
                 * escaped daemons included, without a /proc scan. */
                (void) kill(-1, sig);
                if (sig != SIGKILL)
                        (void) kill(-1, SIGCONT);
                (void) supervisor_deliver_cgroup(s, sig, final, NULL);
                return SIZE_MAX;
        }
        if (s->main_pid > 0) {
                (void) kill(-s->main_pid, sig);
                if (sig != SIGKILL)
                        (void) kill(-s->main_pid, SIGCONT);
        }

        if (!proc_usable(s))
                return supervisor_deliver_cgroup(s, sig, final, NULL);
        r = proc_scan(&all);
        if (r >= 0)
                r = proc_descendants(&all, s->self, &tree);
        if (r < 0) {
                log_warning_errno(r, "Failed to list the processes under tend, continuing with the group only");
                proc_list_done(&all);
                return supervisor_deliver_cgroup(s, sig, final, NULL);
        }

        for (size_t i = 0; i < tree.n; i++) {
                const ProcEntry *e = &tree.entries[i];
                bool group;

                if (e->state == 'Z' || e->state == 'X')
                        continue;
                alive++;
                if (s->main_pid > 0 && e->pgid == s->main_pid)
                        continue;       /* the group got it above */
                /* A group that an escaped process made (setsid, setpgid) holds only the tree's
                 * processes: signal it whole, once, so that what its members fork meanwhile is
                 * hit too. tend's own group is shared with whatever started tend: never that. */
                group = e->pgid != s->self_pgid && e->pgid > 1;
                if (group && pgid_seen(tree.entries, i, e->pgid))
                        continue;
                r = group ? proc_signal_group_checked(e, sig) : proc_signal_checked(e, sig);
                if (r > 0 && sig != SIGKILL)
                        (void) (group ? proc_signal_group_checked(e, SIGCONT) : proc_signal_checked(e, SIGCONT));
        }
        alive += supervisor_deliver_cgroup(s, sig, final, &tree);
        proc_list_done(&all);
        proc_list_done(&tree);
        return alive;
}

static uint64_t realtime_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

static size_t snapshot_alive(const Snapshot *snap) {
        size_t n = 0;

        for (size_t i = 0; i < snap->n; i++)
                n += snap->procs[i].state != 'Z' && snap->procs[i].state != 'X';
        return n;
}

/* The session's processes now, tend's diagnose commands left out. 0 or -errno (logged). */
static int supervisor_snapshot(Supervisor *s, Snapshot *ret) {
        pid_t helpers[64];
        size_t n = diagnose_running_pids(&s->diagnosis, helpers, ELEMENTSOF(helpers));
        int r;

        if (!proc_usable(s))
                return -EOPNOTSUPP;
        r = snapshot_take(s->self, helpers, n, ret);
        if (r < 0)
                log_warning_errno(r, "Failed to take a snapshot of the process tree, continuing");
        return r;
}

static void supervisor_print_tree(const Snapshot *snap) {
        (void) fflush(stderr);
        (void) treeview_render(stderr, snap->procs, snap->n, NULL);
        (void) fflush(stderr);
}

static uint64_t supervisor_now(Supervisor *s) {
        uint64_t now = 0;

        (void) sd_event_now(s->event, CLOCK_MONOTONIC, &now);
        return now;
}

static void supervisor_take_tty_back(Supervisor *s) {
        if (s->tty_fd < 0)
                return;
        /* SIGTTOU is blocked in tend (see supervisor_run_session()), so a background group may
         * take the foreground back. */
        if (tcsetpgrp(s->tty_fd, getpgrp()) < 0)
                log_debug_errno(errno, "Failed to take back the terminal's foreground, ignoring");
        s->tty_fd = -1;
}

static void supervisor_apply(Supervisor *s, const JobActions *a) {
        char name[SIGNAL_NAME_MAX], ladder[LADDER_MAX_LEN];
        int r;

        if (a->forward > 0 && s->main_pid > 0) {
                log_debug("forwarding %s to process group %d", signal_name(a->forward, name, sizeof name),
                          (int) s->main_pid);
                if (kill(-s->main_pid, a->forward) < 0 && errno != ESRCH)
                        log_warning_errno(errno, "Failed to forward %s to process group %d, ignoring",
                                          name, (int) s->main_pid);
        }

        if (a->deliver > 0) {
                size_t alive = supervisor_deliver(s, a->deliver, a->deliver_final);

                signal_name(a->deliver, name, sizeof name);
                format_ladder(&s->spec->ladder, ladder, sizeof ladder);
                switch (a->started) {
                case JOB_STOP_TIMEOUT:
                        log_notice("timeout reached; stopping the session (%s)", ladder);
                        break;
                case JOB_STOP_LEFTOVERS:
                        log_notice("stopping what '%s' left behind (%s)", command_name(s), ladder);
                        break;
                case JOB_STOP_SIGNAL:
                        log_info("stopping the session (%s)", ladder);
                        break;
                default:
                        break;
                }
                /* The last rung repeats: tell its first sweep, the rest only at debug level. */
                if ((a->rung != s->logged_rung || log_enabled(LOG_LEVEL_DEBUG)) && alive == SIZE_MAX)
                        log_info("rung %d: sent %s to every process in the namespace", a->rung + 1, name);
                else if (a->rung != s->logged_rung || log_enabled(LOG_LEVEL_DEBUG))
                        log_info("rung %d: sent %s to %zu process%s", a->rung + 1, name, alive,
                                 alive == 1 ? "" : "es");
                if (a->rung != s->logged_rung) {
                        ReportRung *v = reallocarray(s->rungs, s->n_rungs + 1, sizeof *v);

                        if (v) {
                                s->rungs = v;
                                s->rungs[s->n_rungs++] = (ReportRung) {
                                        .rung = a->rung + 1,
                                        .sig = a->deliver,
                                        .at_usec = realtime_usec(),
                                        .processes = alive,
                                };
                        }
                }
                s->logged_rung = a->rung;
        }

        if (a->timer != USEC_INFINITY) {
                r = sd_event_source_set_time(s->ladder_timer, a->timer);
                if (r >= 0)
                        r = sd_event_source_set_enabled(s->ladder_timer, SD_EVENT_ONESHOT);
                if (r < 0)
                        log_warning_errno(r, "Failed to arm the ladder's timer, continuing");
        } else
                (void) sd_event_source_set_enabled(s->ladder_timer, SD_EVENT_OFF);

        if (a->done) {
                s->exit_status = a->exit_status;
                (void) sd_event_exit(s->event, a->exit_status);
        }
}

static void supervisor_feed(Supervisor *s, JobEvent ev) {
        JobActions a;

        if (job_handle(&s->job, &ev, supervisor_now(s), &a) >= 0)
                supervisor_apply(s, &a);
}

/* Limits issue: a SIGKILL of the main process may be the OOM killer's; its cgroup knows. */
static void supervisor_check_oom(Supervisor *s) {
        char max[SIZE_MAX_LEN];
        uint64_t kills = 0;

        if (cgroup_job_oom_kills(&s->cgroup, &kills) < 0 || kills == 0)
                return;
        if (s->spec->memory_max != PARSE_INFINITY)
                log_notice("'%s' was killed by the OOM killer (memory_max %s)", command_name(s),
                           format_size(s->spec->memory_max, max, sizeof max));
        else
                log_notice("'%s' was killed by the OOM killer (memory_high %s)", command_name(s),
                           format_size(s->spec->memory_high, max, sizeof max));
}

static void supervisor_main_exited(Supervisor *s, const siginfo_t *si) {
        int status = job_status_from_wait(si->si_code, si->si_status);
        char name[SIGNAL_NAME_MAX];

        s->main_code = si->si_code;
        s->main_value = si->si_status;

        if (si->si_code == CLD_EXITED)
                log_info("'%s' (pid %d) exited with status %d", command_name(s), (int) si->si_pid, status);
        else
                log_info("'%s' (pid %d) was killed by %s", command_name(s), (int) si->si_pid,
                         signal_name(si->si_status, name, sizeof name));
        if (si->si_code == CLD_KILLED && si->si_status == SIGKILL && s->has_cgroup)
                supervisor_check_oom(s);
        s->main_pidfd = safe_close(s->main_pidfd);
        supervisor_take_tty_back(s);
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_EXITED, .status = status });
}

static int supervisor_park(Supervisor *s, const siginfo_t *si) {
        if (s->n_parked == s->allocated_parked) {
                size_t k = s->allocated_parked ? s->allocated_parked * 2 : 16;
                ParkedExit *v = reallocarray(s->parked, k, sizeof *v);

                if (!v)
                        return -ENOMEM;
                s->parked = v;
                s->allocated_parked = k;
        }
        s->parked[s->n_parked++] = (ParkedExit) { .si = *si };
        return 0;
}

static void supervisor_on_reaped(const siginfo_t *si, void *userdata) {
        Supervisor *s = userdata;

        if (diagnose_reaped(&s->diagnosis, si))
                return;
        if (s->main_pid > 0 && si->si_pid == s->main_pid)
                supervisor_main_exited(s, si);
        else if (si->si_pid == s->failed_pid)
                s->failed_pid = 0;
        else if (s->job.phase == JOB_STARTING && supervisor_park(s, si) >= 0)
                log_debug("reaped pid %d while the spawn is in flight, parking it", (int) si->si_pid);
        else {
                s->orphans_reaped++;
                log_debug("reaped orphan %d", (int) si->si_pid);
        }
}

/* The leftovers: what was still alive when the command exited. Listed before anything kills
 * them, so that a test suite that leaks daemons is told which. */
static void supervisor_list_leftovers(Supervisor *s) {
        size_t alive;

        s->leftovers_checked = true;
        if (s->main_pid <= 0 || supervisor_snapshot(s, &s->leftovers) < 0)
                return;
        s->have_leftovers = true;
        alive = snapshot_alive(&s->leftovers);
        s->job.n_leftovers = alive;
        if (alive == 0)
                return;
        log_notice("'%s' exited with status %d, leaving %zu process%s behind:", command_name(s),
                   s->job.main_status, alive, alive == 1 ? "" : "es");
        supervisor_print_tree(&s->leftovers);
}

static void supervisor_reap(Supervisor *s) {
        int r;

        r = reap_drain(supervisor_on_reaped, s);
        if (r < 0) {
                log_warning_errno(r, "Failed to reap children, continuing");
                return;
        }
        /* The diagnose commands are children too: while they run, the tree is not looked at. */
        if (s->diagnosing)
                return;
        /* Leftovers are what the command left behind on its own (or at a timeout, where the report
         * wants them). After a stop signal, what still dies is the stop at work: no snapshot, which
         * would cost a /proc read per dying process on docker stop. */
        if (r > 0 && s->job.phase == JOB_DRAINING && !s->leftovers_checked &&
            s->job.stop_reason != JOB_STOP_SIGNAL)
                supervisor_list_leftovers(s);
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_TREE, .children_left = r > 0 });
}

static int on_sigchld(sd_event_source *src, const struct signalfd_siginfo *si, void *userdata) {
        supervisor_reap(userdata);
        return 0;
}

static void supervisor_diagnose_now(Supervisor *s);

static int on_signal(sd_event_source *src, const struct signalfd_siginfo *si, void *userdata) {
        Supervisor *s = userdata;
        char name[SIGNAL_NAME_MAX];

        log_debug("received %s from pid %u", signal_name((int) si->ssi_signo, name, sizeof name), si->ssi_pid);
        if ((int) si->ssi_signo == s->spec->diagnose_on) {
                supervisor_diagnose_now(s);
                return 0;
        }
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_SIGNAL, .sig = (int) si->ssi_signo });
        return 0;
}

static void on_diagnosed(Diagnosis *d, void *userdata) {
        Supervisor *s = userdata;

        s->diagnosing = false;
        s->orphans_reaped += diagnose_take_unclaimed(d);
        log_notice("diagnose: done");
        if (s->job.timed_out)
                supervisor_feed(s, (JobEvent) { .type = JOB_EV_TIMEOUT });
        supervisor_reap(s);
}

/* Snapshot, then the diagnose signal and commands; done() goes on. Returns 1 when diagnostics
 * run (on_diagnosed() follows), 0 when there are none to run. */
static int supervisor_diagnose(Supervisor *s, Snapshot *snap) {
        int r;

        if (s->spec->diagnose_signal <= 0 && !s->spec->diagnose_cmd)
                return 0;
        if (s->diagnosed)
                diagnose_done(&s->diagnosis);   /* the report keeps the last run */
        r = diagnose_start(&s->diagnosis, s->event, s->spawner, s->spec, snap, on_diagnosed, s);
        if (r < 0) {
                log_warning_errno(r, "Failed to run the diagnostics, continuing without");
                diagnose_done(&s->diagnosis);
                return 0;
        }
        s->diagnosed = true;
        s->diagnosing = !s->diagnosis.finished;
        return s->diagnosing;
}

static int on_timeout(sd_event_source *src, uint64_t usec, void *userdata) {
        Supervisor *s = userdata;
        char d[DURATION_MAX_LEN];

        log_notice("timeout (%s) reached", format_duration(s->spec->timeout_usec, d, sizeof d));
        if (s->diagnosing) {
                s->job.timed_out = true;        /* on_diagnosed() stops the session then */
                return 0;
        }
        if (supervisor_snapshot(s, &s->timeout_snapshot) >= 0) {
                s->have_timeout_snapshot = true;
                log_notice("%zu process%s in the session:", snapshot_alive(&s->timeout_snapshot),
                           snapshot_alive(&s->timeout_snapshot) == 1 ? "" : "es");
                supervisor_print_tree(&s->timeout_snapshot);
                s->job.timed_out = true;
                if (supervisor_diagnose(s, &s->timeout_snapshot) > 0)
                        return 0;
        }
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_TIMEOUT });
        return 0;
}

/* --diagnose-on: the diagnostics, and nothing stops. */
static void supervisor_diagnose_now(Supervisor *s) {
        Snapshot snap = { 0 };

        if (s->diagnosing) {
                log_notice("diagnose: already running, ignoring the request");
                return;
        }
        if (supervisor_snapshot(s, &snap) < 0)
                return;
        log_notice("diagnostics asked for; %zu process%s in the session:", snapshot_alive(&snap),
                   snapshot_alive(&snap) == 1 ? "" : "es");
        supervisor_print_tree(&snap);
        (void) supervisor_diagnose(s, &snap);
        snapshot_done(&snap);
}

static int on_ladder_timer(sd_event_source *src, uint64_t usec, void *userdata) {
        supervisor_feed(userdata, (JobEvent) { .type = JOB_EV_LADDER_TIMER });
        return 0;
}

static void supervisor_spawned(Supervisor *s, const SpawnResult *res) {
        size_t i;

        s->main_pid = res->pid;
        s->main_pidfd = res->pidfd;
        log_info("started '%s' as pid %d (spawn took %lu us)", command_name(s), (int) res->pid,
                 (unsigned long) (res->spawn_nsec / 1000));
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_STARTED });

        /* Claim the main process's exit if the reaper got it first; the rest were orphans. */
        for (i = 0; i < s->n_parked; i++) {
                if (s->parked[i].si.si_pid == s->main_pid)
                        supervisor_main_exited(s, &s->parked[i].si);
                else
                        s->orphans_reaped++;
        }
        s->n_parked = 0;
        /* The drains that parked those exits saw the job still starting: look at the tree again. */
        supervisor_reap(s);
}

static void supervisor_spawn_failed(Supervisor *s, const SpawnResult *res) {
        bool at_exec = res->stage == SPAWN_STAGE_EXEC;
        int status = job_start_failure_status(at_exec, res->error);
        char step[256];

        if (at_exec)
                log_error_errno(res->error, "cannot run '%s'", command_name(s));
        else
                log_error_errno(res->error, "cannot start '%s': %s failed", command_name(s),
                                spawn_describe_stage(&s->plan, res->stage, res->detail, step, sizeof step));
        if (res->pidfd >= 0)
                (void) close(res->pidfd);
        if (res->pid > 0) {
                /* It wrote its report and is in _exit() now: reap it here, so that it is neither
                 * taken for a leftover nor counted as an orphan. */
                if (reap_exiting(res->pid) < 0) {
                        bool parked = false;

                        for (size_t i = 0; i < s->n_parked; i++)
                                parked = parked || s->parked[i].si.si_pid == res->pid;
                        if (!parked)
                                s->failed_pid = res->pid;
                }
        }
        for (size_t i = 0; i < s->n_parked; i++)
                if (s->parked[i].si.si_pid != res->pid)
                        s->orphans_reaped++;
        s->n_parked = 0;
        supervisor_take_tty_back(s);
        supervisor_feed(s, (JobEvent) { .type = JOB_EV_START_FAILED, .status = status });
        supervisor_reap(s);
}

static int on_spawn_result(sd_event_source *src, int fd, uint32_t revents, void *userdata) {
        Supervisor *s = userdata;
        SpawnResult res;
        int r;

        for (;;) {
                r = spawner_read_result(s->spawner, &res);
                if (r <= 0)
                        break;
                if (diagnose_spawn_result(&s->diagnosis, &res))
                        continue;
                limits_close_stdio(&s->limits);         /* the child has its copies */
                if (res.error < 0)
                        supervisor_spawn_failed(s, &res);
                else
                        supervisor_spawned(s, &res);
        }
        if (r < 0) {
                log_error_errno(r, "Lost the spawner thread");
                return sd_event_source_set_enabled(src, SD_EVENT_OFF);
        }
        return 0;
}

static int supervisor_add_signal(Supervisor *s, int sig, sd_event_signal_handler_t handler, int64_t priority) {
        sd_event_source *src = NULL;
        char name[SIGNAL_NAME_MAX];
        int r;

        r = sd_event_add_signal(s->event, &src, sig | SD_EVENT_SIGNAL_PROCMASK, handler, s);
        if (r == -EBUSY)
                return 0;       /* listed twice (a ladder signal that is also forwarded) */
        if (r < 0)
                return log_error_errno(r, "Failed to watch %s", signal_name(sig, name, sizeof name));
        (void) sd_event_source_set_description(src, signal_name(sig, name, sizeof name));
        (void) sd_event_source_set_priority(src, priority);
        (void) sd_event_source_set_floating(src, true);
        sd_event_source_unref(src);
        return 0;
}

/* The terminal whose foreground tend holds, if any: the command's group gets it. */
static int find_foreground_tty(void) {
        for (int fd = 0; fd <= 2; fd++) {
                pid_t fg = tcgetpgrp(fd);

                if (fg >= 0)
                        return fg == getpgrp() ? fd : -1;
        }
        return -1;
}

static int supervisor_setup(Supervisor *s) {
        sd_event_source *src = NULL;
        int r;

        r = sd_event_new(&s->event);
        if (r < 0)
                return log_error_errno(r, "Failed to create the event loop");

        /* The reaper runs before anything else due in the same iteration, so that an exit is
         * seen before a ladder timer, and fails the loop rather than switch reaping off. */
        r = sd_event_add_signal(s->event, &src, SIGCHLD | SD_EVENT_SIGNAL_PROCMASK, on_sigchld, s);
        if (r < 0)
                return log_error_errno(r, "Failed to watch SIGCHLD");
        (void) sd_event_source_set_description(src, "reaper");
        (void) sd_event_source_set_priority(src, SD_EVENT_PRIORITY_IMPORTANT);
        (void) sd_event_source_set_exit_on_failure(src, true);
        (void) sd_event_source_set_floating(src, true);
        src = sd_event_source_unref(src);

        r = 0;
        if (s->spec->diagnose_on > 0)
                r = supervisor_add_signal(s, s->spec->diagnose_on, on_signal, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = supervisor_add_signal(s, SIGINT, on_signal, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = supervisor_add_signal(s, SIGTERM, on_signal, SD_EVENT_PRIORITY_NORMAL);
        for (size_t i = 0; r >= 0 && i < s->spec->ladder.n; i++)
                if (s->spec->ladder.rungs[i].sig != SIGKILL && s->spec->ladder.rungs[i].sig != SIGSTOP)
                        r = supervisor_add_signal(s, s->spec->ladder.rungs[i].sig, on_signal,
                                                  SD_EVENT_PRIORITY_NORMAL);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(forwarded_signals); i++)
                r = supervisor_add_signal(s, forwarded_signals[i], on_signal, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return r;

        r = sd_event_add_io(s->event, &src, s->spawner->result_fd, EPOLLIN, on_spawn_result, s);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the spawner");
        (void) sd_event_source_set_description(src, "spawner");
        (void) sd_event_source_set_floating(src, true);
        src = sd_event_source_unref(src);

        /* Accuracy 1us: the default of 250ms would stretch every grace period. */
        r = sd_event_add_time(s->event, &s->ladder_timer, CLOCK_MONOTONIC, USEC_INFINITY, 1, on_ladder_timer, s);
        if (r < 0)
                return log_error_errno(r, "Failed to create the ladder's timer");
        (void) sd_event_source_set_description(s->ladder_timer, "ladder");
        (void) sd_event_source_set_enabled(s->ladder_timer, SD_EVENT_OFF);

        if (s->spec->timeout_usec != USEC_INFINITY) {
                r = sd_event_add_time_relative(s->event, &src, CLOCK_MONOTONIC, s->spec->timeout_usec, 1,
                                               on_timeout, s);
                if (r < 0)
                        return log_error_errno(r, "Failed to arm the timeout");
                (void) sd_event_source_set_description(src, "timeout");
                (void) sd_event_source_set_floating(src, true);
                src = sd_event_source_unref(src);
        }
        return 0;
}

/* ---- Limits and cgroup set-up (limits issue). ---- */
/* Fills the plan's limits (environment, rlimits, credentials, stdio, ...) and, when the job asks
 * for a cgroup limit, creates its cgroup. The boundary: logs why the job cannot start. A job
 * that sets no cgroup limit gets no cgroup (no probing at all: session start stays light) and is
 * tracked by its process group and /proc. */
static int supervisor_prepare_limits(Supervisor *s) {
        static const char *const stdio_names[] = { "stdin", "stdout", "stderr" };
        _cleanup_free_ char *cg_path = NULL;
        const char *why = NULL;
        CgroupHost host;
        int stdio, r;

        r = limits_prepare(s->spec, environ, &s->limits, &s->plan, &stdio);
        if (r < 0 && stdio >= 0)
                return log_error_errno(r, "cannot start '%s': cannot open its %s '%s'", command_name(s),
                                       stdio_names[stdio], s->spec->stdio[stdio].path ? s->spec->stdio[stdio].path
                                                                                      : "/dev/null");
        if (r < 0)
                return log_error_errno(r, "cannot start '%s': cannot prepare its environment", command_name(s));

        if (!cgroup_wanted(s->spec)) {
                log_info("no cgroup limit asked: tracking '%s' by its process group and /proc", command_name(s));
                return 0;
        }
        r = cgroup_host_detect(&host);
        if (r < 0)
                return log_error_errno(r, "cannot start '%s': cannot read the cgroups tend is in", command_name(s));
        r = cgroup_job_create(&host, "session", s->spec, &s->cgroup, &why, &cg_path);
        if (r < 0 && cg_path)
                log_error_errno(r, "cannot start '%s': it asks for a cgroup limit, but %s (%s)", command_name(s),
                                why, cg_path);
        else if (r < 0)
                log_error_errno(r, "cannot start '%s': it asks for a cgroup limit, but %s", command_name(s),
                                why ? why : "no cgroup could be made");
        else {
                s->has_cgroup = true;
                for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                        if (s->cgroup.v1_path[c])
                                log_info("'%s': cgroup v1 %s: %s", command_name(s), cgroup_controller_to_string(c),
                                         s->cgroup.v1_path[c]);
                if (s->cgroup.v2_path)
                        log_info("'%s': cgroup v2: %s", command_name(s), s->cgroup.v2_path);
                if (s->spec->memory_high != PARSE_INFINITY && !s->cgroup.v2_controller[CGROUP_MEMORY])
                        log_info("memory_high is memory.soft_limit_in_bytes on cgroup v1: reclaimed first under "
                                 "pressure, never throttled");
                cgroup_job_plan(&s->cgroup, &s->plan);
        }
        cgroup_host_done(&host);
        return r < 0 ? r : 0;
}

/* Removes the job's cgroup once nothing is left in it. */
static void supervisor_remove_cgroup(Supervisor *s) {
        int r;

        if (!s->has_cgroup)
                return;
        r = cgroup_job_remove(&s->cgroup);
        if (r < 0)
                log_warning_errno(r, "Failed to remove the job's cgroup, ignoring");
        s->has_cgroup = false;
}
/* ---- End of limits and cgroup set-up. ---- */

static const char *job_stop_reason_to_string(JobStopReason r) {
        return r == JOB_STOP_TIMEOUT ? "timeout" : r == JOB_STOP_SIGNAL ? "signal" :
               r == JOB_STOP_LEFTOVERS ? "leftovers" : NULL;
}

static void supervisor_write_report(Supervisor *s) {
        char ladder[LADDER_MAX_LEN];
        int status = s->exit_status;
        Report r = {
                .argv = s->spec->argv,
                .start_usec = s->start_usec,
                .end_usec = realtime_usec(),
                .exit_status = status,
                .command_code = s->main_code,
                .command_value = s->main_value,
                .timeout_usec = s->spec->timeout_usec,
                .timeout_fired = s->job.timed_out,
                .stop_reason = job_stop_reason_to_string(s->job.stop_reason),
                .ladder = format_ladder(&s->spec->ladder, ladder, sizeof ladder),
                .rungs = s->rungs,
                .n_rungs = s->n_rungs,
                .timeout_snapshot = s->have_timeout_snapshot ? &s->timeout_snapshot : NULL,
                .leftovers = s->have_leftovers ? &s->leftovers : NULL,
                .diagnosis = s->diagnosed ? &s->diagnosis : NULL,
                .orphans_reaped = s->orphans_reaped,
                .fail_on_leaks = s->spec->fail_on_leaks,
        };
        int k;

        r.exit_reason = s->job.timed_out ? "timeout" :
                        s->main_code == 0 ? "not-started" :
                        status == TEND_EXIT_LEAKS && s->job.main_status == 0 ? "leaks" :
                        s->main_code == CLD_EXITED ? "exited" : "signal";
        k = report_write(s->spec->report, &r);
        if (k < 0)
                log_warning_errno(k, "Failed to write the report to '%s'", s->spec->report);
        else
                log_info("report written to '%s'", s->spec->report);
}

int supervisor_run_session(const JobSpec *spec, Spawner *spawner) {
        Supervisor s = {
                .spawner = spawner,
                .spec = spec,
                .self = getpid(),
                .self_pgid = getpgrp(),
                .proc_usable = -1,
                .tty_fd = -1,
                .main_pidfd = -1,
                .logged_rung = -1,
                .exit_status = 125,
                .limits = LIMITS_PLAN_INIT,
                .cgroup = JOB_CGROUP_INIT,
        };
        int r;

        job_init(&s.job, &spec->ladder, spec->leftovers);
        s.job.fail_on_leaks = spec->fail_on_leaks;
        s.start_usec = realtime_usec();
        s.pid1 = s.self == 1;

        /* PID 1 adopts orphans by itself; anywhere else tend asks to. */
        if (!s.pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
                log_error_errno(errno, "Failed to become a child subreaper");
                goto finish;
        }

        r = supervisor_setup(&s);
        if (r < 0)
                goto finish;

        s.tty_fd = find_foreground_tty();
        if (s.tty_fd >= 0) {
                sigset_t ttou;

                /* Taking the foreground back from a background group needs SIGTTOU blocked. */
                sigemptyset(&ttou);
                sigaddset(&ttou, SIGTTOU);
                (void) pthread_sigmask(SIG_BLOCK, &ttou, NULL);
        }

        r = spawn_resolve_path(spec->argv[0], getenv("PATH"), &s.path);
        if (r < 0) {
                log_error_errno(r, "cannot run '%s'", spec->argv[0]);
                s.exit_status = job_start_failure_status(true, r);
                goto finish;
        }
        s.plan = SPAWN_PLAN_INIT;
        s.plan.path = s.path;
        s.plan.argv = spec->argv;
        s.plan.pdeathsig = spec->pdeathsig;
        s.plan.parent_pid = s.self;
        s.plan.tty_fd = s.tty_fd;
        r = supervisor_prepare_limits(&s);
        if (r < 0)
                goto finish;
        r = spawner_request(spawner, &s.plan);
        if (r < 0) {
                log_error_errno(r, "Failed to ask the spawner for '%s'", spec->argv[0]);
                goto finish;
        }

        r = sd_event_loop(s.event);
        if (r < 0) {
                log_error_errno(r, "The event loop failed");
                s.exit_status = 125;
        }

        if (s.orphans_reaped > 0)
                log_info("reaped %lu orphan%s", s.orphans_reaped, s.orphans_reaped == 1 ? "" : "s");
finish:
        if (spec->report)
                supervisor_write_report(&s);
        diagnose_done(&s.diagnosis);
        snapshot_done(&s.timeout_snapshot);
        snapshot_done(&s.leftovers);
        free(s.rungs);
        supervisor_remove_cgroup(&s);
        limits_done(&s.limits);
        supervisor_take_tty_back(&s);
        safe_close(s.main_pidfd);
        sd_event_source_unref(s.ladder_timer);
        sd_event_unref(s.event);
        free(s.parked);
        free(s.path);
        return s.exit_status;
}
