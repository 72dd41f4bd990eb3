/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "parse.h"
#include "report.h"
#include "util/macro.h"

static void put_time(JsonWriter *w, const char *key, uint64_t usec) {
        json_key(w, key);
        json_uint(w, usec);
}

static void put_signal(JsonWriter *w, const char *key, int sig) {
        char name[SIGNAL_NAME_MAX];

        json_key(w, key);
        if (sig > 0)
                json_string(w, signal_name(sig, name, sizeof name));
        else
                json_null(w);
}

static void put_proc(JsonWriter *w, const ProcInfo *p) {
        char state[2] = { p->state, '\0' };

        json_begin_object(w);
        json_key(w, "pid");
        json_int(w, p->pid);
        json_key(w, "ppid");
        json_int(w, p->ppid);
        json_key(w, "pgid");
        json_int(w, p->pgid);
        json_key(w, "sid");
        json_int(w, p->sid);
        json_key(w, "state");
        json_string(w, state);
        json_key(w, "comm");
        json_string(w, p->comm);
        json_key(w, "cmdline");
        json_begin_array(w);
        for (const char *a = p->cmdline, *end = p->cmdline + p->cmdline_len; a && a < end; a += strlen(a) + 1)
                json_string_len(w, a, strnlen(a, (size_t) (end - a)));
        json_end_array(w);
        json_key(w, "wchan");
        if (p->wchan[0])
                json_string(w, p->wchan);
        else
                json_null(w);
        json_key(w, "age_usec");
        json_uint(w, p->age_usec);
        json_key(w, "cpu_usec");
        json_uint(w, p->cpu_usec);
        json_key(w, "rss_bytes");
        json_uint(w, p->rss_bytes);
        json_key(w, "uid");
        if (p->uid == PROCINFO_UID_INVALID)
                json_null(w);
        else
                json_uint(w, p->uid);
        json_key(w, "sockets");
        if (!p->sockets_known)
                json_null(w);
        else {
                json_begin_object(w);
                json_key(w, "tcp");
                json_begin_object(w);
                for (int s = 0; s < _PROC_TCP_STATE_MAX; s++)
                        if (p->sockets.tcp[s] > 0) {
                                json_key(w, procinfo_tcp_state_to_string((ProcTcpState) s));
                                json_uint(w, p->sockets.tcp[s]);
                        }
                json_end_object(w);
                json_key(w, "udp");
                json_uint(w, p->sockets.udp);
                json_key(w, "unix");
                json_uint(w, p->sockets.unix_sockets);
                json_key(w, "other");
                json_uint(w, p->sockets.other);
                json_end_object(w);
        }
        json_end_object(w);
}

static void put_snapshot(JsonWriter *w, const char *key, const Snapshot *s) {
        json_key(w, key);
        if (!s) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        put_time(w, "taken_usec", s->taken_usec);
        json_key(w, "processes");
        json_begin_array(w);
        for (size_t i = 0; i < s->n; i++)
                put_proc(w, &s->procs[i]);
        json_end_array(w);
        json_end_object(w);
}

static void put_diagnosis(JsonWriter *w, const Diagnosis *d) {
        json_key(w, "diagnostics");
        if (!d) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        put_signal(w, "signal", d->signal);
        json_key(w, "signalled");
        json_uint(w, d->signalled);
        json_key(w, "grace_usec");
        json_uint(w, d->spec->diagnose_grace_usec);
        json_key(w, "commands");
        json_begin_array(w);
        for (size_t i = 0; i < d->n_commands; i++) {
                const DiagnoseCommand *c = &d->commands[i];

                json_begin_object(w);
                json_key(w, "pid");
                json_int(w, c->target);
                json_key(w, "argv");
                json_begin_array(w);
                for (size_t k = 0; c->argv && c->argv[k]; k++)
                        json_string(w, c->argv[k]);
                json_end_array(w);
                json_key(w, "outcome");
                json_string(w, c->error < 0 ? "not-started" : c->pid == 0 ? "not-run" : c->killed ? "killed-at-grace"
                                                                                                    : "exited");
                json_key(w, "status");
                if (c->exited && !c->killed)
                        json_int(w, c->status);
                else
                        json_null(w);
                json_key(w, "error");
                json_string(w, c->error < 0 ? strerror(-c->error) : NULL);
                json_key(w, "output");
                json_string_len(w, c->output, c->output_len);
                json_key(w, "output_truncated");
                json_bool(w, c->truncated);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

int report_format(const Report *r, char **ret, size_t *ret_len) {
        JsonWriter w;
        int k;

        json_writer_init(&w, JSON_PRETTY);
        json_begin_object(&w);
        json_key(&w, "schema");
        json_int(&w, REPORT_SCHEMA);
        json_key(&w, "tend_version");
        json_string(&w, TEND_VERSION);
        json_key(&w, "command");
        json_begin_array(&w);
        for (size_t i = 0; r->argv && r->argv[i]; i++)
                json_string(&w, r->argv[i]);
        json_end_array(&w);
        put_time(&w, "start_usec", r->start_usec);
        put_time(&w, "end_usec", r->end_usec);

        json_key(&w, "exit");
        json_begin_object(&w);
        json_key(&w, "status");
        json_int(&w, r->exit_status);
        json_key(&w, "reason");
        json_string(&w, r->exit_reason);
        json_key(&w, "command_exit_code");
        if (r->command_code == CLD_EXITED)
                json_int(&w, r->command_value);
        else
                json_null(&w);
        put_signal(&w, "command_signal", r->command_code == CLD_KILLED || r->command_code == CLD_DUMPED
                                                 ? r->command_value : 0);
        json_end_object(&w);

        json_key(&w, "timeout");
        json_begin_object(&w);
        json_key(&w, "usec");
        if (r->timeout_usec == USEC_INFINITY)
                json_null(&w);
        else
                json_uint(&w, r->timeout_usec);
        json_key(&w, "fired");
        json_bool(&w, r->timeout_fired);
        json_end_object(&w);

        json_key(&w, "ladder");
        json_begin_object(&w);
        json_key(&w, "configured");
        json_string(&w, r->ladder);
        json_key(&w, "reason");
        json_string(&w, r->stop_reason);
        json_key(&w, "rungs");
        json_begin_array(&w);
        for (size_t i = 0; i < r->n_rungs; i++) {
                json_begin_object(&w);
                json_key(&w, "rung");
                json_int(&w, r->rungs[i].rung);
                put_signal(&w, "signal", r->rungs[i].sig);
                put_time(&w, "at_usec", r->rungs[i].at_usec);
                json_key(&w, "processes");
                if (r->rungs[i].processes == SIZE_MAX)
                        json_null(&w);
                else
                        json_uint(&w, r->rungs[i].processes);
                json_end_object(&w);
        }
        json_end_array(&w);
        json_end_object(&w);

        json_key(&w, "snapshots");
        json_begin_object(&w);
        put_snapshot(&w, "timeout", r->timeout_snapshot);
        put_snapshot(&w, "command_exit", r->leftovers);
        json_end_object(&w);

        put_diagnosis(&w, r->diagnosis);

        json_key(&w, "leftovers");
        json_begin_array(&w);
        for (size_t i = 0; r->leftovers && i < r->leftovers->n; i++)
                if (r->leftovers->procs[i].state != 'Z')
                        put_proc(&w, &r->leftovers->procs[i]);
        json_end_array(&w);
        json_key(&w, "fail_on_leaks");
        json_bool(&w, r->fail_on_leaks);
        json_key(&w, "orphans_reaped");
        json_uint(&w, r->orphans_reaped);
        json_end_object(&w);

        k = json_finish(&w, ret, ret_len);
        json_writer_done(&w);
        return k;
}

int report_write(const char *path, const Report *r) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len, done = 0;
        int k;

        k = report_format(r, &text, &len);
        if (k < 0)
                return k;
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        while (done < len) {
                ssize_t n = write(fd, text + done, len - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                done += (size_t) n;
        }
        if (close(TAKE_FD(fd)) < 0)
                return -errno;
        return 0;
}
