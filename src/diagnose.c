/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diagnose.h"
#include "log.h"
#include "proctree.h"
#include "reap.h"
#include "util/macro.h"
#include "util/strv.h"

extern char **environ;

static int pid_cmp(const void *a, const void *b) {
        pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;

        return (x > y) - (x < y);
}

int snapshot_take(pid_t root, const pid_t *exclude, size_t n_exclude, Snapshot *ret) {
        ProcList all = { 0 }, tree = { 0 };
        ProcSocketTable table = { 0 };
        _cleanup_free_ pid_t *skip = NULL;
        size_t n_skip = 0;
        Snapshot s = { 0 };
        struct timespec ts;
        uint64_t uptime;
        int r;

        r = proc_scan(&all);
        if (r < 0)
                return r;
        r = proc_descendants(&all, root, &tree);
        if (r < 0)
                goto finish;

        /* The diagnose commands and whatever they started (gdb's children) are tend's helpers,
         * not the session's. */
        skip = malloc((tree.n + 1) * sizeof *skip);
        if (!skip) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < n_exclude; i++) {
                ProcList sub = { 0 };

                skip[n_skip++] = exclude[i];
                r = proc_descendants(&all, exclude[i], &sub);
                if (r < 0)
                        goto finish;
                for (size_t j = 0; j < sub.n && n_skip < tree.n + 1; j++)
                        skip[n_skip++] = sub.entries[j].pid;
                proc_list_done(&sub);
        }
        qsort(skip, n_skip, sizeof *skip, pid_cmp);

        s.procs = calloc(MAX(tree.n, (size_t) 1), sizeof *s.procs);
        if (!s.procs) {
                r = -ENOMEM;
                goto finish;
        }
        r = procinfo_uptime_usec(&uptime);
        if (r < 0)
                goto finish;
        if (procinfo_read_socket_table(0, &table) < 0)
                table = (ProcSocketTable) { 0 };        /* no sockets then, the rest still */

        for (size_t i = 0; i < tree.n; i++) {
                pid_t pid = tree.entries[i].pid;

                if (bsearch(&pid, skip, n_skip, sizeof *skip, pid_cmp))
                        continue;
                if (procinfo_read(pid, uptime, &table, &s.procs[s.n]) >= 0)
                        s.n++;
        }
        (void) clock_gettime(CLOCK_REALTIME, &ts);
        s.taken_usec = (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
        *ret = s;
        s = (Snapshot) { 0 };
        r = 0;
finish:
        snapshot_done(&s);
        procinfo_socket_table_done(&table);
        proc_list_done(&tree);
        proc_list_done(&all);
        return r;
}

void snapshot_done(Snapshot *s) {
        procinfo_free_array(s->procs, s->n);
        *s = (Snapshot) { 0 };
}

/* argv with every "{pid}" replaced by pid. */
static char **expand_pid(char *const *argv, pid_t pid) {
        size_t n = strv_length(argv);
        char **out = calloc(n + 1, sizeof *out), num[16];

        if (!out)
                return NULL;
        snprintf(num, sizeof num, "%d", (int) pid);
        for (size_t i = 0; i < n; i++) {
                size_t len = 0;
                const char *p;
                char *q;

                for (p = argv[i]; *p; p += strncmp(p, "{pid}", 5) == 0 ? 5 : 1)
                        len += strncmp(p, "{pid}", 5) == 0 ? strlen(num) : 1;
                out[i] = q = malloc(len + 1);
                if (!q)
                        return strv_free(out);
                for (p = argv[i]; *p;)
                        if (strncmp(p, "{pid}", 5) == 0) {
                                q = stpcpy(q, num);
                                p += 5;
                        } else
                                *q++ = *p++;
                *q = '\0';
        }
        return out;
}

static bool command_done(const DiagnoseCommand *c) {
        return c->error < 0 || (c->exited && c->out_fd < 0) || (c->pid == 0 && c->killed);
}

/* The command line as a person would type it, for messages. */
static char *command_line(char *const *argv) {
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; argv[i]; i++) {
                _cleanup_free_ char *q = quote_word(argv[i], false);

                fprintf(f, "%s%s", i ? " " : "", q ? q : argv[i]);
        }
        if (fclose(f) != 0) {
                free(line);
                return NULL;
        }
        return line;
}

/* Tells the user what one command said, once it has finished and its output is complete. */
static void command_report(DiagnoseCommand *c) {
        _cleanup_free_ char *line = command_line(c->argv);
        const char *l = line ? line : c->argv[0];

        c->reported = true;
        if (c->error < 0) {
                log_warning_errno(c->error, "diagnose: cannot run '%s' for pid %d", l, (int) c->target);
                return;
        }
        if (c->pid == 0) {
                log_warning("diagnose: '%s' for pid %d not run: the grace period was over", l, (int) c->target);
                return;
        }
        if (c->killed)
                log_notice("diagnose: '%s' for pid %d was still running at the end of the grace period: killed%s",
                           l, (int) c->target, c->output_len ? "; it said:" : "");
        else
                log_notice("diagnose: '%s' for pid %d exited with status %d%s", l, (int) c->target, c->status,
                           c->output_len ? ":" : ", saying nothing");
        for (const char *p = c->output, *end = c->output + c->output_len; p && p < end;) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t k = nl ? (size_t) (nl - p) : (size_t) (end - p);

                fprintf(stderr, "  | %.*s\n", (int) k, p);
                p += k + 1;
        }
        if (c->truncated)
                fprintf(stderr, "  | [output cut at %u bytes]\n", DIAGNOSE_OUTPUT_MAX);
}

static void diagnose_check_finished(Diagnosis *d);
static void diagnose_launch(Diagnosis *d);
static void command_exited(DiagnoseCommand *c, const siginfo_t *si);

/* Reports c once it is done, and moves the queue on. */
static void command_settle(DiagnoseCommand *c) {
        Diagnosis *d = c->owner;

        if (!command_done(c) || c->reported)
                return;
        command_report(c);
        diagnose_launch(d);
        diagnose_check_finished(d);
}

/* Reads what is there. Returns 1 at EOF (the pipe is closed then), 0 when it would block. */
static int command_read(DiagnoseCommand *c) {
        char buf[4096];

        for (;;) {
                ssize_t n = read(c->out_fd, buf, sizeof buf);
                size_t keep;
                char *p;

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return 0;
                if (n <= 0) {
                        /* EOF: the command and all it started closed the pipe. */
                        c->io = sd_event_source_disable_unref(c->io);
                        c->out_fd = safe_close(c->out_fd);
                        return 1;
                }
                keep = MIN((size_t) n, DIAGNOSE_OUTPUT_MAX - c->output_len);
                p = keep ? realloc(c->output, c->output_len + keep + 1) : c->output;
                if (p && keep) {
                        c->output = p;
                        memcpy(c->output + c->output_len, buf, keep);
                        c->output_len += keep;
                        c->output[c->output_len] = '\0';
                }
                c->truncated = c->truncated || keep < (size_t) n || !p;
        }
}

static int on_output(sd_event_source *src, int fd, uint32_t revents, void *userdata) {
        DiagnoseCommand *c = userdata;

        if (command_read(c) > 0)
                command_settle(c);
        return 0;
}

static void command_start(Diagnosis *d, DiagnoseCommand *c) {
        int p[2];
        int r;

        if (pipe2(p, O_CLOEXEC) < 0) {
                c->error = -errno;
                return;
        }
        (void) fcntl(p[0], F_SETFL, O_NONBLOCK);
        c->out_fd = p[0];
        c->owner = d;
        c->plan = SPAWN_PLAN_INIT;
        c->plan.path = d->path;
        c->plan.argv = c->argv;
        c->plan.envp = environ;
        c->plan.parent_pid = getpid();
        c->plan.stdio[0] = d->null_fd;
        c->plan.stdio[1] = p[1];
        c->plan.stdio[2] = p[1];

        r = sd_event_add_io(d->event, &c->io, c->out_fd, EPOLLIN, on_output, c);
        if (r >= 0)
                r = spawner_request(d->spawner, &c->plan);
        if (r < 0) {
                c->error = r;
                c->io = sd_event_source_disable_unref(c->io);
                c->out_fd = safe_close(c->out_fd);
                (void) close(p[1]);
                c->plan.stdio[1] = c->plan.stdio[2] = -1;
                return;
        }
        d->running++;
}

static void diagnose_launch(Diagnosis *d) {
        while (!d->grace_over && d->running < DIAGNOSE_PARALLEL && d->next < d->n_commands) {
                DiagnoseCommand *c = &d->commands[d->next++];

                command_start(d, c);
                if (c->error < 0)
                        command_report(c);      /* done at once: no settle, we are launching */
        }
}

static void diagnose_check_finished(Diagnosis *d) {
        if (!d || d->finished)
                return;
        for (size_t i = 0; i < d->n_commands; i++)
                if (!command_done(&d->commands[i]))
                        return;
        /* A dump signal needs the whole grace; commands alone end as soon as they are done. */
        if (!d->grace_over && d->signal > 0)
                return;
        d->finished = true;
        d->timer = sd_event_source_disable_unref(d->timer);
        d->done(d, d->userdata);
}

static int on_grace_over(sd_event_source *src, uint64_t usec, void *userdata) {
        Diagnosis *d = userdata;

        d->grace_over = true;
        for (size_t i = 0; i < d->n_commands; i++) {
                DiagnoseCommand *c = &d->commands[i];

                if (c->pid > 0 && !c->exited) {
                        /* Its own group (the prelude's setpgid): what it started goes too. */
                        (void) kill(-c->pid, SIGKILL);
                        c->killed = true;
                } else if (c->pid == 0 && c->error == 0 && i >= d->next)
                        c->killed = true;       /* never started */
        }
        for (size_t i = d->next; i < d->n_commands; i++)
                command_report(&d->commands[i]);
        d->next = d->n_commands;
        for (size_t i = 0; i < d->n_commands; i++)
                if (command_done(&d->commands[i]) && !d->commands[i].reported)
                        command_report(&d->commands[i]);
        diagnose_check_finished(d);
        return 0;
}

uint64_t diagnose_stagger_usec(uint64_t grace_usec, size_t n) {
        if (n <= 1)
                return 0;
        return MIN(50 * USEC_PER_MSEC, grace_usec / 2 / (n - 1));
}

/* Sends the dump signal to the next process (pinned: a reused pid is never hit), and re-arms
 * until every target had its turn. */
static int on_stagger(sd_event_source *src, uint64_t usec, void *userdata) {
        Diagnosis *d = userdata;
        char name[SIGNAL_NAME_MAX], grace[DURATION_MAX_LEN];

        if (d->next_target < d->n_targets && proc_signal_checked(&d->targets[d->next_target++], d->signal) > 0)
                d->signalled++;
        if (d->next_target < d->n_targets) {
                (void) sd_event_source_set_time(src, usec + d->stagger_usec);
                (void) sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
                return 0;
        }
        log_notice("diagnose: sent %s to %zu process%s, one by one, %s apart; their dumps get %s",
                   signal_name(d->signal, name, sizeof name), d->signalled, d->signalled == 1 ? "" : "es",
                   format_duration(d->stagger_usec, (char[DURATION_MAX_LEN]) { 0 }, DURATION_MAX_LEN),
                   format_duration(d->spec->diagnose_grace_usec, grace, sizeof grace));
        d->stagger = sd_event_source_disable_unref(d->stagger);
        return 0;
}

int diagnose_start(Diagnosis *d, sd_event *e, Spawner *spawner, const JobSpec *spec, const Snapshot *snap,
                   DiagnoseDone done, void *userdata) {
        int r;

        *d = (Diagnosis) {
                .event = e,
                .spawner = spawner,
                .spec = spec,
                .null_fd = -1,
                .signal = spec->diagnose_signal,
                .done = done,
                .userdata = userdata,
        };

        if (d->signal > 0) {
                d->targets = calloc(MAX(snap->n, (size_t) 1), sizeof *d->targets);
                if (!d->targets)
                        return -ENOMEM;
                for (size_t i = 0; i < snap->n; i++) {
                        const ProcInfo *p = &snap->procs[i];

                        if (p->state != 'Z' && p->state != 'X')
                                d->targets[d->n_targets++] = (ProcEntry) {
                                        .pid = p->pid, .pgid = p->pgid, .starttime = p->starttime_ticks,
                                };
                }
                d->stagger_usec = diagnose_stagger_usec(spec->diagnose_grace_usec, d->n_targets);
                r = sd_event_add_time_relative(e, &d->stagger, CLOCK_MONOTONIC, 0, 1, on_stagger, d);
                if (r < 0)
                        return r;
                (void) sd_event_source_set_description(d->stagger, "diagnose-signal");
        }

        if (spec->diagnose_cmd) {
                r = spawn_resolve_path(spec->diagnose_cmd[0], getenv("PATH"), &d->path);
                if (r < 0)
                        log_warning_errno(r, "diagnose: cannot run '%s', continuing without it", spec->diagnose_cmd[0]);
                else {
                        d->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
                        d->commands = calloc(MAX(snap->n, (size_t) 1), sizeof *d->commands);
                        if (d->null_fd < 0 || !d->commands)
                                return -ENOMEM;
                        for (size_t i = 0; i < snap->n; i++) {
                                const ProcInfo *p = &snap->procs[i];
                                DiagnoseCommand *c;

                                if (p->state == 'Z' || p->state == 'X')
                                        continue;
                                c = &d->commands[d->n_commands];
                                *c = (DiagnoseCommand) { .owner = d, .target = p->pid, .out_fd = -1 };
                                c->argv = expand_pid(spec->diagnose_cmd, p->pid);
                                if (!c->argv)
                                        return -ENOMEM;
                                d->n_commands++;
                        }
                }
        }

        r = sd_event_add_time_relative(e, &d->timer, CLOCK_MONOTONIC, spec->diagnose_grace_usec, 1,
                                       on_grace_over, d);
        if (r < 0)
                return r;
        (void) sd_event_source_set_description(d->timer, "diagnose-grace");
        diagnose_launch(d);
        diagnose_check_finished(d);
        return 0;
}

bool diagnose_spawn_result(Diagnosis *d, const SpawnResult *res) {
        for (size_t i = 0; d && i < d->n_commands; i++) {
                DiagnoseCommand *c = &d->commands[i];

                if (res->plan != &c->plan)
                        continue;
                /* The write end lives on in the child only: EOF comes when it and its own children
                 * are done. */
                c->plan.stdio[1] = safe_close(c->plan.stdio[1]);
                c->plan.stdio[2] = -1;
                if (res->pidfd >= 0)
                        (void) close(res->pidfd);
                if (res->error < 0) {
                        c->error = res->error;
                        if (res->pid > 0)
                                (void) reap_exiting(res->pid);
                        c->io = sd_event_source_disable_unref(c->io);
                        c->out_fd = safe_close(c->out_fd);
                        d->running--;
                        command_settle(c);
                } else {
                        c->pid = res->pid;
                        for (size_t k = 0; k < d->n_early; k++)
                                if (d->early[k].si_pid == c->pid) {
                                        siginfo_t si = d->early[k];

                                        d->early[k] = d->early[--d->n_early];
                                        command_exited(c, &si);
                                        return true;
                                }
                        if (d->grace_over) {
                                (void) kill(-c->pid, SIGKILL);
                                c->killed = true;
                        }
                }
                return true;
        }
        return false;
}

static bool spawn_in_flight(const Diagnosis *d) {
        for (size_t i = 0; i < d->next && i < d->n_commands; i++) {
                const DiagnoseCommand *c = &d->commands[i];

                if (c->pid == 0 && c->error == 0 && c->out_fd >= 0)
                        return true;
        }
        return false;
}

static void command_exited(DiagnoseCommand *c, const siginfo_t *si) {
        c->exited = true;
        c->status = si->si_code == CLD_EXITED ? si->si_status : 128 + si->si_status;
        c->owner->running--;
        /* What it wrote before exiting is in the pipe: take it now. EOF may still wait for
         * something it started; the grace's end kills its group. */
        if (c->out_fd >= 0)
                (void) command_read(c);
        command_settle(c);
}

bool diagnose_reaped(Diagnosis *d, const siginfo_t *si) {
        siginfo_t *v;

        for (size_t i = 0; d && i < d->n_commands; i++) {
                DiagnoseCommand *c = &d->commands[i];

                if (c->pid == si->si_pid && !c->exited) {
                        command_exited(c, si);
                        return true;
                }
        }
        /* A command can exit before its spawn result reaches the loop. */
        if (!d || !spawn_in_flight(d))
                return false;
        v = reallocarray(d->early, d->n_early + 1, sizeof *v);
        if (!v)
                return false;
        d->early = v;
        d->early[d->n_early++] = *si;
        return true;
}

unsigned long diagnose_take_unclaimed(Diagnosis *d) {
        unsigned long n = d->unclaimed;

        if (!spawn_in_flight(d)) {
                n += d->n_early;
                d->n_early = 0;
        }
        d->unclaimed = 0;
        return n;
}

size_t diagnose_running_pids(const Diagnosis *d, pid_t *buf, size_t size) {
        size_t n = 0;

        for (size_t i = 0; d && i < d->n_commands && n < size; i++)
                if (d->commands[i].pid > 0 && !d->commands[i].exited)
                        buf[n++] = d->commands[i].pid;
        return n;
}

void diagnose_done(Diagnosis *d) {
        for (size_t i = 0; i < d->n_commands; i++) {
                DiagnoseCommand *c = &d->commands[i];

                sd_event_source_disable_unref(c->io);
                safe_close(c->out_fd);
                safe_close(c->plan.stdio[1]);
                strv_free(c->argv);
                free(c->output);
        }
        free(d->commands);
        free(d->early);
        free(d->targets);
        sd_event_source_disable_unref(d->stagger);
        free(d->path);
        safe_close(d->null_fd);
        sd_event_source_disable_unref(d->timer);
        *d = (Diagnosis) { .null_fd = -1 };
}
