/* SPDX-License-Identifier: MIT */
/* misbehave: the processes tend's integration tests run. Each mode misbehaves in one way on
 * purpose and reports what it sees on stdout, one line per fact, with plain write() so that lines
 * of several processes never interleave. "ready" means: the tree is set up, signal it now. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
        char buf[512];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        if (n > 0)
                (void) !write(STDOUT_FILENO, buf, (size_t) n < sizeof buf ? (size_t) n : sizeof buf - 1);
}

static void die(const char *what) {
        fprintf(stderr, "misbehave: %s: %s\n", what, strerror(errno));
        exit(99);
}

static void on(int sig, void (*handler)(int)) {
        struct sigaction sa = { .sa_handler = handler };

        if (sigaction(sig, &sa, NULL) < 0)
                die("sigaction");
}

/* Forks; the child runs fn and exits with its result. */
static pid_t spawn(int (*fn)(void *), void *arg) {
        pid_t pid = fork();

        if (pid < 0)
                die("fork");
        if (pid == 0)
                _exit(fn(arg));
        return pid;
}

static void wait_ready(int fd, int n) {
        char c;

        for (int i = 0; i < n; i++)
                if (read(fd, &c, 1) != 1)
                        die("waiting for the tree");
}

_Noreturn static void park(void) {
        for (;;)
                pause();
}

static void report_signal(int sig) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "%s %d\n", sig == SIGHUP ? "HUP" : sig == SIGUSR1 ? "USR1" :
                         sig == SIGUSR2 ? "USR2" : sig == SIGINT ? "INT" : sig == SIGTERM ? "TERM" : "?",
                         (int) getpid());

        (void) !write(STDOUT_FILENO, buf, (size_t) n);
}

static void report_and_exit(int sig) {
        report_signal(sig);
        _exit(0);
}

/* --- daemon: double fork + setsid, ignores SIGINT and SIGTERM, keeps stdout open. ------------ */
static int ready_pipe[2];

static int daemon_grandchild(void *arg) {
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        say("daemon %d\n", (int) getpid());
        close(ready_pipe[1]);
        park();
}

static int daemon_middle(void *arg) {
        if (setsid() < 0)
                die("setsid");
        spawn(daemon_grandchild, NULL);
        return 0;
}

static int mode_daemon(int argc, char **argv) {
        int status = argc > 2 ? atoi(argv[2]) : 0;
        char c;

        if (pipe(ready_pipe) < 0)
                die("pipe");
        waitpid(spawn(daemon_middle, NULL), NULL, 0);
        close(ready_pipe[1]);
        (void) !read(ready_pipe[0], &c, 1);     /* EOF once the daemon runs */
        say("ready\n");
        return status;
}

/* --- tree N: N processes in one group; the main one and the odd children ignore SIGINT and
 * SIGTERM, the even children report SIGINT and die of SIGTERM. ------------------------------------ */
static int tree_child(void *arg) {
        if ((long) arg % 2) {
                signal(SIGINT, SIG_IGN);
                signal(SIGTERM, SIG_IGN);
        } else
                on(SIGINT, report_signal);
        close(ready_pipe[0]);
        (void) !write(ready_pipe[1], "r", 1);
        close(ready_pipe[1]);
        park();
}

static int mode_tree(int argc, char **argv) {
        long n = argc > 2 ? atol(argv[2]) : 10;

        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        if (pipe(ready_pipe) < 0)
                die("pipe");
        for (long i = 1; i < n; i++)
                spawn(tree_child, (void *) i);
        close(ready_pipe[1]);
        wait_ready(ready_pipe[0], (int) n - 1);
        say("ready\n");
        park();
}

/* --- signals N: N processes in one group report each SIGHUP, SIGUSR1, SIGUSR2; SIGTERM ends
 * them. --------------------------------------------------------------------------------------- */
static void signals_setup(void) {
        on(SIGHUP, report_signal);
        on(SIGUSR1, report_signal);
        on(SIGUSR2, report_signal);
        on(SIGTERM, report_and_exit);
}

static int signals_child(void *arg) {
        signals_setup();
        close(ready_pipe[0]);
        (void) !write(ready_pipe[1], "r", 1);
        close(ready_pipe[1]);
        park();
}

static int mode_signals(int argc, char **argv) {
        int n = argc > 2 ? atoi(argv[2]) : 5;

        signals_setup();
        if (pipe(ready_pipe) < 0)
                die("pipe");
        for (int i = 1; i < n; i++)
                spawn(signals_child, NULL);
        close(ready_pipe[1]);
        wait_ready(ready_pipe[0], n - 1);
        say("ready\n");
        park();
}

/* --- catch: reports SIGINT (and goes on) and SIGTERM (and exits 0). ---------------------------- */
static int mode_catch(int argc, char **argv) {
        on(SIGINT, report_signal);
        on(SIGTERM, report_and_exit);
        say("ready\n");
        park();
}

/* --- stopper: a child that stops itself with SIGSTOP; the main process waits until it is
 * stopped. Neither handles SIGTERM: only SIGTERM followed by SIGCONT ends the stopped one before
 * the ladder reaches SIGKILL. --------------------------------------------------------------------- */
static int stopper_child(void *arg) {
        kill(getpid(), SIGSTOP);
        park();
}

static int mode_stopper(int argc, char **argv) {
        pid_t pid = spawn(stopper_child, NULL);
        int status;

        if (waitpid(pid, &status, WUNTRACED) < 0 || !WIFSTOPPED(status))
                die("waiting for the child to stop");
        say("stopped %d\n", (int) pid);
        say("ready\n");
        park();
}

/* --- forkloop: chains of processes that fork and exit at once, some calling setsid() in every
 * generation, all ignoring SIGINT and SIGTERM; the main process exits and leaves them. ----------- */
static int chain(void *arg) {
        bool new_session = (long) arg;
        unsigned long gen = 0;

        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        for (;;) {
                pid_t pid;

                if (new_session)
                        (void) setsid();
                if (gen++ == 10) {
                        (void) !write(ready_pipe[1], "r", 1);
                        close(ready_pipe[1]);
                }
                pid = fork();
                if (pid != 0)
                        _exit(0);       /* the parent leaves (or fork failed); the child goes on */
        }
}

static int mode_forkloop(int argc, char **argv) {
        int n = argc > 2 ? atoi(argv[2]) : 4;

        if (pipe(ready_pipe) < 0)
                die("pipe");
        for (long i = 0; i < n; i++)
                spawn(chain, (void *) (i % 2));
        close(ready_pipe[1]);
        wait_ready(ready_pipe[0], n);
        say("ready\n");
        return 0;
}

/* --- orphans N: N double-forked grandchildren that exit at once. Meanwhile it watches the
 * zombies whose parent is tend and reports the oldest it saw ("max_zombie_us"). ----------------- */
static long long now_us(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

#define MAX_SEEN 4096
static struct {
        int pid;
        long long first;
} seen[MAX_SEEN];
static int n_seen;

/* One pass over /proc: returns the number of zombies whose parent is ppid, and updates the
 * oldest age seen. */
static int zombie_pass(pid_t ppid, long long *max_age) {
        DIR *d = opendir("/proc");
        struct dirent *de;
        int zombies = 0;
        long long t = now_us();

        if (!d)
                die("opendir /proc");
        while ((de = readdir(d))) {
                char path[64], buf[512], state, *p;
                int pid = atoi(de->d_name), parent;
                FILE *f;

                if (pid <= 0)
                        continue;
                snprintf(path, sizeof path, "/proc/%d/stat", pid);
                f = fopen(path, "re");
                if (!f)
                        continue;
                if (!fgets(buf, sizeof buf, f) || !(p = strrchr(buf, ')')) ||
                    sscanf(p + 1, " %c %d", &state, &parent) != 2) {
                        fclose(f);
                        continue;
                }
                fclose(f);
                if (state != 'Z' || parent != ppid)
                        continue;
                zombies++;
                for (int i = 0; i < n_seen; i++)
                        if (seen[i].pid == pid) {
                                if (t - seen[i].first > *max_age)
                                        *max_age = t - seen[i].first;
                                goto next;
                        }
                if (n_seen < MAX_SEEN)
                        seen[n_seen++] = (typeof(seen[0])) { .pid = pid, .first = t };
        next:;
        }
        closedir(d);
        return zombies;
}

static int orphan_middle(void *arg) {
        pid_t pid = fork();

        return pid < 0 ? 1 : 0;         /* the grandchild returns 0 at once too */
}

static int mode_orphans(int argc, char **argv) {
        int n = argc > 2 ? atoi(argv[2]) : 2000;
        pid_t tend = getppid();
        long long max_age = 0, deadline;

        for (int i = 0; i < n; i++) {
                waitpid(spawn(orphan_middle, NULL), NULL, 0);
                if (i % 50 == 49)
                        (void) zombie_pass(tend, &max_age);
        }
        /* Bounded: the reaper gets every one of them, or the test fails on the count below. */
        deadline = now_us() + 5000000;
        while (zombie_pass(tend, &max_age) > 0 && now_us() < deadline)
                ;
        say("zombies_left %d\n", zombie_pass(tend, &max_age));
        say("max_zombie_us %lld\n", max_age);
        return 0;
}

/* --- prelude: what the child sees of tend's prelude. ---------------------------------------- */
static void status_field(const char *name) {
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                die("/proc/self/status");
        while (fgets(line, sizeof line, f))
                if (strncmp(line, name, strlen(name)) == 0 && line[strlen(name)] == ':') {
                        char *v = line + strlen(name) + 1;

                        v += strspn(v, " \t");
                        say("%s %s", name, v);
                }
        fclose(f);
}

static int mode_prelude(int argc, char **argv) {
        char fds[512] = "";
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;
        struct sigaction sa;
        int defaults = 0;

        if (!d)
                die("/proc/self/fd");
        while ((de = readdir(d))) {
                int fd = atoi(de->d_name);

                if (de->d_name[0] == '.' || fd == dirfd(d))
                        continue;
                snprintf(fds + strlen(fds), sizeof fds - strlen(fds), "%s%d", *fds ? "," : "", fd);
        }
        closedir(d);
        say("fds %s\n", fds);
        say("pid %d\npgid %d\nsid %d\n", (int) getpid(), (int) getpgrp(), (int) getsid(0));
        status_field("SigBlk");
        status_field("SigIgn");
        status_field("SigCgt");
        for (int sig = 1; sig < NSIG; sig++)
                if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
                        defaults++;
        say("default_dispositions %d\n", defaults);
        say("pdeathsig %d\n", prctl(PR_GET_PDEATHSIG, &defaults) == 0 ? defaults : -1);
        return 0;
}

/* --- pdeath: reports the parent-death signal. -------------------------------------------------- */
static void report_pdeath(int sig) {
        say("pdeathsig %d\n", sig);
        _exit(0);
}

static int mode_pdeath(int argc, char **argv) {
        on(SIGTERM, report_pdeath);
        say("ready\n");
        alarm(20);                      /* a bound, should tend never die */
        park();
}

/* --- tty: reports whether it has the terminal's foreground, then how SIGINT came. ------------- */
static void report_tty_sigint(int sig, siginfo_t *si, void *uc) {
        say("SIGINT %s\n", si->si_code == SI_KERNEL ? "from-terminal" : "from-process");
        _exit(0);
}

static int mode_tty(int argc, char **argv) {
        struct sigaction sa = { .sa_sigaction = report_tty_sigint, .sa_flags = SA_SIGINFO };

        if (sigaction(SIGINT, &sa, NULL) < 0)
                die("sigaction");
        say("foreground %s\n", tcgetpgrp(STDIN_FILENO) == getpgrp() ? "yes" : "no");
        say("ready\n");
        alarm(20);
        park();
}

/* --- exit N / kill SIG / sleep. ------------------------------------------------------------- */
static int mode_exit(int argc, char **argv) {
        return argc > 2 ? atoi(argv[2]) : 0;
}

static int mode_kill(int argc, char **argv) {
        int sig = argc > 2 ? atoi(argv[2]) : SIGKILL;

        signal(sig, SIG_DFL);
        kill(getpid(), sig);
        return 98;
}

static int mode_ready(int argc, char **argv) {
        say("ready\n");
        park();
}

/* --- limits: what the prelude set, one fact a line: rlimits, credentials, no_new_privs,
 * oom_score_adj, nice, umask, cwd, and the variables named on the command line. ---------------- */
static int mode_limits(int argc, char **argv) {
        static const char *const names[RLIMIT_NLIMITS] = {
                [RLIMIT_CPU] = "cpu", [RLIMIT_FSIZE] = "fsize", [RLIMIT_DATA] = "data",
                [RLIMIT_STACK] = "stack", [RLIMIT_CORE] = "core", [RLIMIT_RSS] = "rss",
                [RLIMIT_NPROC] = "nproc", [RLIMIT_NOFILE] = "nofile", [RLIMIT_MEMLOCK] = "memlock",
                [RLIMIT_AS] = "as", [RLIMIT_LOCKS] = "locks", [RLIMIT_SIGPENDING] = "sigpending",
                [RLIMIT_MSGQUEUE] = "msgqueue", [RLIMIT_NICE] = "nice", [RLIMIT_RTPRIO] = "rtprio",
                [RLIMIT_RTTIME] = "rttime",
        };
        char cwd[4096], buf[64];
        FILE *f;
        mode_t mask = umask(0);

        for (int r = 0; r < RLIMIT_NLIMITS; r++) {
                struct rlimit rl;
                char soft[32], hard[32];

                if (!names[r] || getrlimit(r, &rl) < 0)
                        continue;
                snprintf(soft, sizeof soft, rl.rlim_cur == RLIM_INFINITY ? "infinity" : "%llu",
                         (unsigned long long) rl.rlim_cur);
                snprintf(hard, sizeof hard, rl.rlim_max == RLIM_INFINITY ? "infinity" : "%llu",
                         (unsigned long long) rl.rlim_max);
                say("limit_%s %s %s\n", names[r], soft, hard);
        }
        status_field("Uid");
        status_field("Gid");
        status_field("Groups");
        status_field("NoNewPrivs");
        f = fopen("/proc/self/oom_score_adj", "re");
        if (f && fgets(buf, sizeof buf, f))
                say("oom_score_adj %s", buf);
        if (f)
                fclose(f);
        errno = 0;
        say("nice %d\n", getpriority(PRIO_PROCESS, 0));
        say("umask %04o\n", (unsigned) mask);
        say("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
        for (int i = 2; i < argc; i++)
                say("env %s %s\n", argv[i], getenv(argv[i]) ? getenv(argv[i]) : "(unset)");
        return 0;
}

/* --- forkmany N: forks N children that wait on a pipe, counts the forks refused. ---------------- */
static int mode_forkmany(int argc, char **argv) {
        int n = argc > 2 ? atoi(argv[2]) : 100, forked = 0, failed = 0, hold[2];
        int err = 0;
        char c;

        if (pipe(hold) < 0)
                die("pipe");
        for (int i = 0; i < n; i++) {
                pid_t pid = fork();

                if (pid == 0) {
                        close(hold[1]);
                        (void) !read(hold[0], &c, 1);   /* EOF: the parent is done */
                        _exit(0);
                }
                if (pid < 0) {
                        failed++;
                        err = errno;
                } else
                        forked++;
        }
        close(hold[1]);
        while (wait(NULL) > 0)
                ;
        say("forked %d failed %d error %s\n", forked, failed, err ? strerror(err) : "none");
        return 0;
}

/* --- alloc MB: allocates and touches MB mebibytes, 1M at a time. ------------------------------ */
static int mode_alloc(int argc, char **argv) {
        long mb = argc > 2 ? atol(argv[2]) : 256;

        say("allocating %ld\n", mb);
        for (long i = 0; i < mb; i++) {
                char *p = malloc(1 << 20);

                if (!p)
                        die("malloc");
                memset(p, 1, 1 << 20);
        }
        say("allocated %ld\n", mb);
        return 0;
}

int main(int argc, char **argv) {
        static const struct {
                const char *name;
                int (*fn)(int, char **);
        } modes[] = {
                { "exit", mode_exit },       { "kill", mode_kill },       { "daemon", mode_daemon },
                { "tree", mode_tree },       { "signals", mode_signals }, { "catch", mode_catch },
                { "stopper", mode_stopper }, { "forkloop", mode_forkloop }, { "orphans", mode_orphans },
                { "prelude", mode_prelude }, { "pdeath", mode_pdeath },   { "tty", mode_tty },
                { "ready", mode_ready },     { "limits", mode_limits },   { "forkmany", mode_forkmany },
                { "alloc", mode_alloc },
        };

        for (size_t i = 0; argc > 1 && i < sizeof modes / sizeof modes[0]; i++)
                if (strcmp(argv[1], modes[i].name) == 0)
                        return modes[i].fn(argc, argv);
        fprintf(stderr, "usage: misbehave MODE [ARG]\n");
        return 2;
}
