/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include "spec.h"
#include "util/macro.h"
#include "util/strv.h"

void job_spec_init(JobSpec *spec) {
        *spec = (JobSpec) {
                .timeout_usec = USEC_INFINITY,
                .leftovers = LEFTOVERS_KILL,
                .memory_max = PARSE_INFINITY,
                .memory_high = PARSE_INFINITY,
                .pids_max = PARSE_INFINITY,
                .diagnose_grace_usec = DIAGNOSE_GRACE_DEFAULT_USEC,
        };
        (void) parse_ladder(LADDER_DEFAULT, &spec->ladder, NULL);
}

void job_spec_done(JobSpec *spec) {
        if (spec->argv_owned)
                strv_free(spec->argv);
        free(spec->directory);
        free(spec->user);
        free(spec->group);
        strv_free(spec->environment);
        free(spec->environment_file);
        for (size_t i = 0; i < ELEMENTSOF(spec->stdio); i++)
                free(spec->stdio[i].path);
        free(spec->groups);
        strv_free(spec->environment_file_env);
        strv_free(spec->diagnose_cmd);
        free(spec->report);
        job_spec_init(spec);
}

int job_spec_set_argv(JobSpec *spec, char *const *argv) {
        char **copy = strv_copy(argv);

        if (!copy)
                return -ENOMEM;
        if (spec->argv_owned)
                strv_free(spec->argv);
        spec->argv = copy;
        spec->argv_owned = true;
        return 0;
}

static const char *const leftover_policy_names[_LEFTOVERS_MAX] = {
        [LEFTOVERS_KILL] = "kill",
        [LEFTOVERS_WAIT] = "wait",
};

LeftoverPolicy leftover_policy_from_string(const char *s) {
        for (int i = 0; i < _LEFTOVERS_MAX; i++)
                if (s && strcmp(s, leftover_policy_names[i]) == 0)
                        return (LeftoverPolicy) i;
        return _LEFTOVERS_INVALID;
}

const char *leftover_policy_to_string(LeftoverPolicy p) {
        return p >= 0 && p < _LEFTOVERS_MAX ? leftover_policy_names[p] : "invalid";
}

/* ---- Setters: each parses completely before it touches the spec. ---- */

typedef int (*JobKeySetter)(JobSpec *spec, JobKey key, const char *value, const char **reterr_why);

static int why_from(int r, const char **reterr_why, const char *einval, const char *erange) {
        if (r == -ERANGE)
                *reterr_why = erange;
        else if (r == -EINVAL)
                *reterr_why = einval;
        return r;
}

static int replace_string(char **field, const char *value) {
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static int set_command(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        char **argv;
        int r;

        r = parse_command(value, &argv, reterr_why);
        if (r < 0)
                return r;
        if (spec->argv_owned)
                strv_free(spec->argv);
        spec->argv = argv;
        spec->argv_owned = true;
        return 0;
}

static int set_path(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        if (*value == '\0') {
                *reterr_why = "empty path";
                return -EINVAL;
        }
        return replace_string(key == JOB_KEY_DIRECTORY ? &spec->directory : &spec->environment_file, value);
}

/* A user or group as written: a number below (uid_t) -1, or a name that NSS could hold. Which
 * names exist is job_spec_resolve_*()'s business. */
static int check_user_group_name(const char *s, const char **reterr_why) {
        uint64_t n;
        int r;

        if (isdigit((unsigned char) *s)) {
                r = parse_uint64(s, &n);
                if (r == 0 && n >= UINT32_MAX)
                        r = -ERANGE;
                if (r < 0)
                        return why_from(r, reterr_why, "neither a name nor a number", "number out of range");
                return 0;
        }
        if (*s == '\0' || *s == '-' || strlen(s) > 256) {
                *reterr_why = *s == '\0' ? "empty name" : *s == '-' ? "a name cannot start with '-'" : "name too long";
                return -EINVAL;
        }
        for (const char *p = s; *p; p++)
                if ((unsigned char) *p <= ' ' || *p == ':' || *p == '/' || *p == ',' || *p == 0x7f) {
                        *reterr_why = "a name cannot hold white space, control characters, ':', '/' or ','";
                        return -EINVAL;
                }
        return 0;
}

static int set_user_group(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        int r;

        r = check_user_group_name(value, reterr_why);
        if (r < 0)
                return r;
        return replace_string(key == JOB_KEY_USER ? &spec->user : &spec->group, value);
}

static int set_umask(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        unsigned v;
        int r;

        r = parse_umask(value, &v);
        if (r < 0)
                return why_from(r, reterr_why, "not an octal mode", "out of range");
        spec->umask = v;
        spec->umask_set = true;
        return 0;
}

static int env_add(JobSpec *spec, char *const *assignments) {
        _cleanup_strv_free_ char **env = strv_copy(spec->environment);
        int r;

        if (!env)
                return -ENOMEM;
        for (size_t i = 0; assignments[i]; i++) {
                char *a = strdup(assignments[i]);

                if (!a)
                        return -ENOMEM;
                r = strv_env_replace(&env, a);
                if (r < 0)
                        return r;
        }
        strv_free(spec->environment);
        spec->environment = TAKE_PTR(env);
        return 0;
}

static int set_environment(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        _cleanup_strv_free_ char **assignments = NULL;
        int r;

        r = parse_env_line(value, &assignments, reterr_why);
        if (r < 0)
                return r;
        return env_add(spec, assignments);
}

static int set_stdio(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        JobStdio *s = &spec->stdio[key - JOB_KEY_STDIN];
        const char *path;
        char *copy = NULL;
        StdioType t;
        int r;

        r = parse_stdio(value, key == JOB_KEY_STDIN, &t, &path, reterr_why);
        if (r < 0)
                return r;
        if (path) {
                copy = strdup(path);
                if (!copy)
                        return -ENOMEM;
        }
        free(s->path);
        *s = (JobStdio) { .type = t, .path = copy };
        return 0;
}

static int set_timeout(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        uint64_t usec;
        int r;

        r = parse_duration(value, &usec);
        if (r < 0)
                return why_from(r, reterr_why, "not a duration", "duration out of range");
        if (usec == 0) {
                *reterr_why = "a timeout must be positive";
                return -ERANGE;
        }
        spec->timeout_usec = usec;
        return 0;
}

static int set_ladder(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        return parse_ladder(value, &spec->ladder, reterr_why);
}

static int set_leftovers(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        LeftoverPolicy p = leftover_policy_from_string(value);

        if (p < 0) {
                *reterr_why = "unknown policy";
                return -EINVAL;
        }
        spec->leftovers = p;
        return 0;
}

static int set_pdeathsig(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        int sig = parse_signal(value);

        if (sig < 0) {
                *reterr_why = "not a signal";
                return -EINVAL;
        }
        spec->pdeathsig = sig;
        return 0;
}

static int set_nice(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        int v, r;

        r = key == JOB_KEY_NICE ? parse_nice(value, &v) : parse_oom_score_adj(value, &v);
        if (r < 0)
                return why_from(r, reterr_why, "not a number", "out of range");
        if (key == JOB_KEY_NICE) {
                spec->nice = v;
                spec->nice_set = true;
        } else {
                spec->oom_score_adj = v;
                spec->oom_score_adj_set = true;
        }
        return 0;
}

static int set_boolean(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        int b = parse_boolean(value);

        if (b < 0) {
                *reterr_why = "not a boolean";
                return -EINVAL;
        }
        spec->no_new_privileges = b;
        return 0;
}

static int set_size(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        uint64_t v;
        int r;

        r = key == JOB_KEY_PIDS_MAX ? parse_count(value, &v) : parse_size(value, &v);
        if (r < 0)
                return why_from(r, reterr_why, key == JOB_KEY_PIDS_MAX ? "not a number" : "not a size",
                                "out of range");
        if (key == JOB_KEY_MEMORY_MAX)
                spec->memory_max = v;
        else if (key == JOB_KEY_MEMORY_HIGH)
                spec->memory_high = v;
        else
                spec->pids_max = v;
        return 0;
}

static int set_cpu(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        unsigned v;
        int r;

        r = parse_cpu_percent(value, &v);
        if (r < 0)
                return why_from(r, reterr_why, "not a percentage", "out of range");
        spec->cpu_max_percent = v;
        return 0;
}

static int set_rlimit(JobSpec *spec, JobKey key, const char *value, const char **reterr_why);

static int set_diagnose(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        int sig, r;

        if (key == JOB_KEY_DIAGNOSE_ON) {
                sig = parse_signal(value);
                if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
                        *reterr_why = sig < 0 ? "not a signal" : "tend cannot catch that signal";
                        return -EINVAL;
                }
                spec->diagnose_on = sig;
                return 0;
        }
        r = parse_diagnose(value, &spec->diagnose_signal, &spec->diagnose_grace_usec, reterr_why);
        return r;
}

static int set_diagnose_cmd(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        char **argv;
        int r;

        r = parse_command(value, &argv, reterr_why);
        if (r < 0)
                return r;
        strv_free(spec->diagnose_cmd);
        spec->diagnose_cmd = argv;
        return 0;
}

static int set_report(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        if (*value == '\0') {
                *reterr_why = "empty path";
                return -EINVAL;
        }
        return replace_string(&spec->report, value);
}

static int set_fail_on_leaks(JobSpec *spec, _unused_ JobKey key, const char *value, const char **reterr_why) {
        int b = parse_boolean(value);

        if (b < 0) {
                *reterr_why = "not a boolean";
                return -EINVAL;
        }
        spec->fail_on_leaks = b;
        return 0;
}

#define EXPECT_SIZE "a size like 512K, 64M or 2G, or infinity"
#define EXPECT_LIMIT_COUNT "a number, SOFT:HARD, or infinity"
#define EXPECT_LIMIT_SIZE "a size like 64M, SOFT:HARD, or infinity"

static const struct {
        const char *name;
        JobKeySetter set;
        const char *expected;
        int resource;                   /* limit_* only */
        bool repeatable, quoted;
} job_keys[_JOB_KEY_MAX] = {
        [JOB_KEY_COMMAND] = {
                .name = "command", .set = set_command, .quoted = true,
                .expected = "PROGRAM [ARG...], split at spaces, with '...', \"...\" and \\ quoting",
        },
        [JOB_KEY_DIRECTORY] = { .name = "directory", .set = set_path, .expected = "a directory" },
        [JOB_KEY_USER] = { .name = "user", .set = set_user_group, .expected = "a user name or number" },
        [JOB_KEY_GROUP] = { .name = "group", .set = set_user_group, .expected = "a group name or number" },
        [JOB_KEY_UMASK] = { .name = "umask", .set = set_umask, .expected = "an octal mode up to 0777, like 0022" },
        [JOB_KEY_ENVIRONMENT] = {
                .name = "environment", .set = set_environment, .repeatable = true, .quoted = true,
                .expected = "NAME=VALUE assignments, quoted like A=1 \"B=two words\"",
        },
        [JOB_KEY_ENVIRONMENT_FILE] = {
                .name = "environment_file", .set = set_path, .expected = "a file of NAME=VALUE lines",
        },
        [JOB_KEY_STDIN] = { .name = "stdin", .set = set_stdio, .expected = "inherit, null or file:PATH" },
        [JOB_KEY_STDOUT] = {
                .name = "stdout", .set = set_stdio, .expected = "inherit, null, file:PATH or append:PATH",
        },
        [JOB_KEY_STDERR] = {
                .name = "stderr", .set = set_stdio, .expected = "inherit, null, file:PATH or append:PATH",
        },
        [JOB_KEY_TIMEOUT] = {
                .name = "timeout", .set = set_timeout,
                .expected = "a positive duration like 90s, 1m30s or 20m, or infinity",
        },
        [JOB_KEY_STOP_LADDER] = {
                .name = "stop_ladder", .set = set_ladder,
                .expected = "signals with the grace before the next one, like '" LADDER_DEFAULT "'",
        },
        [JOB_KEY_LEFTOVERS] = { .name = "leftovers", .set = set_leftovers, .expected = "kill or wait" },
        [JOB_KEY_PDEATHSIG] = {
                .name = "pdeathsig", .set = set_pdeathsig, .expected = "a signal like SIGTERM, TERM or 15",
        },
        [JOB_KEY_NICE] = { .name = "nice", .set = set_nice, .expected = "a number from -20 to 19" },
        [JOB_KEY_OOM_SCORE_ADJ] = {
                .name = "oom_score_adj", .set = set_nice, .expected = "a number from -1000 to 1000",
        },
        [JOB_KEY_NO_NEW_PRIVILEGES] = {
                .name = "no_new_privileges", .set = set_boolean, .expected = "yes or no",
        },
        [JOB_KEY_LIMIT_NOFILE] = {
                .name = "limit_nofile", .set = set_rlimit, .resource = RLIMIT_NOFILE, .expected = EXPECT_LIMIT_COUNT,
        },
        [JOB_KEY_LIMIT_NPROC] = {
                .name = "limit_nproc", .set = set_rlimit, .resource = RLIMIT_NPROC, .expected = EXPECT_LIMIT_COUNT,
        },
        [JOB_KEY_LIMIT_CORE] = {
                .name = "limit_core", .set = set_rlimit, .resource = RLIMIT_CORE, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_AS] = {
                .name = "limit_as", .set = set_rlimit, .resource = RLIMIT_AS, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_DATA] = {
                .name = "limit_data", .set = set_rlimit, .resource = RLIMIT_DATA, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_STACK] = {
                .name = "limit_stack", .set = set_rlimit, .resource = RLIMIT_STACK, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_CPU] = {
                .name = "limit_cpu", .set = set_rlimit, .resource = RLIMIT_CPU,
                .expected = "whole seconds like 90 or 1m30s, SOFT:HARD, or infinity",
        },
        [JOB_KEY_LIMIT_FSIZE] = {
                .name = "limit_fsize", .set = set_rlimit, .resource = RLIMIT_FSIZE, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_MEMLOCK] = {
                .name = "limit_memlock", .set = set_rlimit, .resource = RLIMIT_MEMLOCK,
                .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_RSS] = {
                .name = "limit_rss", .set = set_rlimit, .resource = RLIMIT_RSS, .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_MSGQUEUE] = {
                .name = "limit_msgqueue", .set = set_rlimit, .resource = RLIMIT_MSGQUEUE,
                .expected = EXPECT_LIMIT_SIZE,
        },
        [JOB_KEY_LIMIT_NICE] = {
                .name = "limit_nice", .set = set_rlimit, .resource = RLIMIT_NICE,
                .expected = "a number from 0 to 40, SOFT:HARD, or infinity",
        },
        [JOB_KEY_LIMIT_RTPRIO] = {
                .name = "limit_rtprio", .set = set_rlimit, .resource = RLIMIT_RTPRIO,
                .expected = "a number from 0 to 99, SOFT:HARD, or infinity",
        },
        [JOB_KEY_LIMIT_SIGPENDING] = {
                .name = "limit_sigpending", .set = set_rlimit, .resource = RLIMIT_SIGPENDING,
                .expected = EXPECT_LIMIT_COUNT,
        },
        [JOB_KEY_MEMORY_MAX] = { .name = "memory_max", .set = set_size, .expected = EXPECT_SIZE },
        [JOB_KEY_MEMORY_HIGH] = { .name = "memory_high", .set = set_size, .expected = EXPECT_SIZE },
        [JOB_KEY_PIDS_MAX] = { .name = "pids_max", .set = set_size, .expected = "a number or infinity" },
        [JOB_KEY_CPU_MAX] = {
                .name = "cpu_max", .set = set_cpu,
                .expected = "a share of one CPU like 50% or 200%, or infinity",
        },
        [JOB_KEY_DIAGNOSE] = {
                .name = "diagnose", .set = set_diagnose,
                .expected = "SIGNAL[:GRACE], like SIGUSR1 or SIGQUIT:5s",
        },
        [JOB_KEY_DIAGNOSE_CMD] = {
                .name = "diagnose_cmd", .set = set_diagnose_cmd, .quoted = true,
                .expected = "PROGRAM [ARG...] with {pid}, like cat /proc/{pid}/stack",
        },
        [JOB_KEY_DIAGNOSE_ON] = {
                .name = "diagnose_on", .set = set_diagnose, .expected = "a signal like SIGUSR2",
        },
        [JOB_KEY_REPORT] = { .name = "report", .set = set_report, .expected = "a file to write the JSON report to" },
        [JOB_KEY_FAIL_ON_LEAKS] = { .name = "fail_on_leaks", .set = set_fail_on_leaks, .expected = "yes or no" },
};

static int set_rlimit(JobSpec *spec, JobKey key, const char *value, const char **reterr_why) {
        int resource = job_keys[key].resource;
        uint64_t soft, hard;
        int r;

        r = parse_rlimit(value, resource, &soft, &hard, reterr_why);
        if (r < 0)
                return r;
        spec->rlimits[resource] = (JobRLimit) { .set = true, .soft = soft, .hard = hard };
        return 0;
}

JobKey job_key_from_string(const char *s) {
        for (int k = 0; s && k < _JOB_KEY_MAX; k++)
                if (strcmp(s, job_keys[k].name) == 0)
                        return (JobKey) k;
        return _JOB_KEY_INVALID;
}

const char *job_key_to_string(JobKey k) {
        return k >= 0 && k < _JOB_KEY_MAX ? job_keys[k].name : NULL;
}

const char *job_key_expected(JobKey k) {
        return k >= 0 && k < _JOB_KEY_MAX ? job_keys[k].expected : "a known key";
}

bool job_key_repeatable(JobKey k) {
        return k >= 0 && k < _JOB_KEY_MAX && job_keys[k].repeatable;
}

bool job_key_quoted(JobKey k) {
        return k >= 0 && k < _JOB_KEY_MAX && job_keys[k].quoted;
}

bool job_key_is_planned(const char *s) {
        static const char *const planned[] = {
                "restart", "restart_delay", "restart_delay_max", "restart_limit", "critical", "after",
                "requires", "ready",
        };

        for (size_t i = 0; s && i < ELEMENTSOF(planned); i++)
                if (strcmp(s, planned[i]) == 0)
                        return true;
        return false;
}

const JobOption job_options[] = {
        { "chdir",             JOB_KEY_DIRECTORY,         true,  false, "DIR",        "run COMMAND in DIR" },
        { "user",              JOB_KEY_USER,              true,  false, "USER",
          "run as USER (name or number), with USER's groups" },
        { "group",             JOB_KEY_GROUP,             true,  false, "GROUP",      "run with primary group GROUP" },
        { "umask",             JOB_KEY_UMASK,             true,  false, "MODE",       "set the umask (octal, e.g. 0022)" },
        { "env",               JOB_KEY_ENVIRONMENT,       true,  true,  "NAME=VALUE", "set a variable (repeatable)" },
        { "env-file",          JOB_KEY_ENVIRONMENT_FILE,  true,  false, "FILE",       "set the variables of FILE" },
        { "stdin",             JOB_KEY_STDIN,             true,  false, "SPEC",       "inherit, null or file:PATH" },
        { "stdout",            JOB_KEY_STDOUT,            true,  false, "SPEC",
          "inherit, null, file:PATH or append:PATH" },
        { "stderr",            JOB_KEY_STDERR,            true,  false, "SPEC",
          "inherit, null, file:PATH or append:PATH" },
        { "timeout",           JOB_KEY_TIMEOUT,           true,  false, "DURATION",
          "stop the session after DURATION; tend then exits 124" },
        { "stop-ladder",       JOB_KEY_STOP_LADDER,       true,  false, "LADDER",
          "how to stop the tree (default: '" LADDER_DEFAULT "')" },
        { "leftovers",         JOB_KEY_LEFTOVERS,         true,  false, "kill|wait",
          "kill (default) or wait for what COMMAND leaves behind" },
        { "pdeathsig",         JOB_KEY_PDEATHSIG,         true,  false, "SIGNAL",     "COMMAND gets SIGNAL if tend dies" },
        { "nice",              JOB_KEY_NICE,              true,  false, "N",          "run at niceness N (-20..19)" },
        { "oom-score-adj",     JOB_KEY_OOM_SCORE_ADJ,     true,  false, "N",          "set oom_score_adj (-1000..1000)" },
        { "no-new-privileges", JOB_KEY_NO_NEW_PRIVILEGES, false, false, NULL,
          "COMMAND cannot gain privileges (setuid, file capabilities)" },
        { "limit",             _JOB_KEY_INVALID,          true,  true,  "NAME=VALUE",
          "set an rlimit (repeatable): nofile=1024, core=0, as=2G, cpu=1m, nofile=1024:4096" },
        { "memory-max",        JOB_KEY_MEMORY_MAX,        true,  false, "SIZE",       "cgroup memory.max: 512M, 2G" },
        { "memory-high",       JOB_KEY_MEMORY_HIGH,       true,  false, "SIZE",       "cgroup memory.high" },
        { "pids-max",          JOB_KEY_PIDS_MAX,          true,  false, "N",          "cgroup pids.max" },
        { "cpu-max",           JOB_KEY_CPU_MAX,           true,  false, "PERCENT",
          "cgroup cpu.max as a share of one CPU: 50%, 200%" },
        { "diagnose",          JOB_KEY_DIAGNOSE,          true,  false, "SIG[:GRACE]",
          "on timeout, send SIG to every process, then wait GRACE (2s) for their dumps" },
        { "diagnose-cmd",      JOB_KEY_DIAGNOSE_CMD,      true,  false, "CMD",
          "on timeout, run CMD per process ({pid} replaced), output in the report" },
        { "diagnose-on",       JOB_KEY_DIAGNOSE_ON,       true,  false, "SIGNAL",
          "run the diagnostics when tend gets SIGNAL, without stopping anything" },
        { "report",            JOB_KEY_REPORT,            true,  false, "FILE",       "write a JSON report to FILE at the end" },
        { "fail-on-leaks",     JOB_KEY_FAIL_ON_LEAKS,     false, false, NULL,
          "exit 123 when COMMAND exits 0 but leaves processes behind" },
        { .name = NULL }
};

const JobOption *job_option_from_string(const char *name) {
        for (const JobOption *o = job_options; name && o->name; o++)
                if (strcmp(o->name, name) == 0)
                        return o;
        return NULL;
}

const char *job_key_suggest(const char *s) {
        char norm[65];
        const char *best = NULL;
        unsigned best_d = UINT32_MAX;
        size_t n;

        /* Compare lower case, with '-' as '_': "Memory-Max" is memory_max. */
        n = strlen(s);
        if (n >= sizeof norm)
                return NULL;
        for (size_t i = 0; i <= n; i++)
                norm[i] = s[i] == '-' ? '_' : (char) tolower((unsigned char) s[i]);

        /* A command line option's name written as a key: "chdir", "env", "env_file". */
        for (const JobOption *o = job_options; o->name; o++) {
                char oname[32];

                for (size_t i = 0; i < sizeof oname; i++)
                        if ((oname[i] = o->name[i] == '-' ? '_' : o->name[i]) == '\0')
                                break;
                if (o->key >= 0 && strcmp(norm, oname) == 0 && strcmp(norm, job_keys[o->key].name) != 0)
                        return job_keys[o->key].name;
        }

        for (int k = 0; k < _JOB_KEY_MAX; k++) {
                unsigned d = edit_distance(norm, job_keys[k].name);

                if (d < best_d) {
                        best_d = d;
                        best = job_keys[k].name;
                }
        }
        /* Two edits for names of 6 characters and more, one below. */
        return best_d <= (n >= 6 ? 2u : 1u) ? best : NULL;
}

int job_spec_set_key(JobSpec *spec, JobKey key, const char *value,
                     const char **reterr_why, const char **reterr_expected) {
        const char *why = NULL;
        int r;

        if (key < 0 || key >= _JOB_KEY_MAX) {
                if (reterr_why)
                        *reterr_why = "unknown key";
                if (reterr_expected)
                        *reterr_expected = "a known key";
                return -ENOENT;
        }
        if (!value) {
                why = "missing value";
                r = -EINVAL;
        } else
                r = job_keys[key].set(spec, key, value, &why);
        if (r < 0 && r != -ENOMEM) {
                if (reterr_why)
                        *reterr_why = why ? why : r == -ERANGE ? "out of range" : "invalid value";
                if (reterr_expected)
                        *reterr_expected = job_keys[key].expected;
        }
        return r;
}

int job_spec_set(JobSpec *spec, const char *key, const char *value,
                 const char **reterr_why, const char **reterr_expected) {
        return job_spec_set_key(spec, job_key_from_string(key), value, reterr_why, reterr_expected);
}

static const char expected_limit_name[] =
        "NAME=VALUE, NAME one of nofile, nproc, core, as, data, stack, cpu, fsize, memlock, rss, msgqueue, "
        "nice, rtprio, sigpending";

int job_spec_set_option(JobSpec *spec, const char *option, const char *value,
                        const char **reterr_why, const char **reterr_expected) {
        const JobOption *o = job_option_from_string(option);
        const char *why = "unknown option", *expected = "a known option";
        int r = -ENOENT;

        if (o && !o->has_arg)
                return job_spec_set_key(spec, o->key, value ? value : "yes", reterr_why, reterr_expected);

        if (o && o->key == _JOB_KEY_INVALID) {
                /* --limit NAME=VALUE is limit_NAME = VALUE. */
                char key[32];
                size_t n = value ? strcspn(value, "=") : 0;

                if (value && value[n] == '=' && n + sizeof "limit_" <= sizeof key) {
                        snprintf(key, sizeof key, "limit_%.*s", (int) n, value);
                        if (job_key_from_string(key) >= 0)
                                return job_spec_set(spec, key, value + n + 1, reterr_why, reterr_expected);
                }
                why = value && value[n] == '=' ? "unknown resource limit" : "not NAME=VALUE";
                expected = expected_limit_name;
                r = -EINVAL;
        } else if (o && o->key == JOB_KEY_ENVIRONMENT) {
                /* One assignment, literally: the shell has already done the quoting. */
                char *const one[] = { (char *) value, NULL };

                r = parse_env_assignment(value, &why);
                if (r >= 0)
                        return env_add(spec, one);
                expected = "NAME=VALUE";
        } else if (o)
                return job_spec_set_key(spec, o->key, value, reterr_why, reterr_expected);

        if (reterr_why)
                *reterr_why = why;
        if (reterr_expected)
                *reterr_expected = expected;
        return r;
}

/* ---- Printing. ---- */

#define FORMAT_WIDTH 100

/* Prints "key = w1 w2 ..." with the words quoted, over indented continuation lines when long, or
 * for a repeatable key over several "key =" lines. */
static int format_words(FILE *f, const char *key, char *const *words, bool repeat_key) {
        size_t col = 0;

        for (size_t i = 0; words && words[i]; i++) {
                _cleanup_free_ char *q = quote_word(words[i], false);
                bool wrap;

                if (!q)
                        return -ENOMEM;
                wrap = col > 0 && col + 1 + strlen(q) > FORMAT_WIDTH;
                if (col == 0 || (wrap && repeat_key))
                        col = (size_t) fprintf(f, "%s%s = %s", col > 0 ? "\n" : "", key, q);
                else if (wrap) {
                        /* An indented line must not look like a key ("nice=5", or "user"
                         * followed by "="): its first word is always quoted. */
                        if (q[0] != '\'') {
                                free(q);
                                q = quote_word(words[i], true);
                                if (!q)
                                        return -ENOMEM;
                        }
                        col = (size_t) fprintf(f, "\n    %s", q);
                } else
                        col += (size_t) fprintf(f, " %s", q);
        }
        if (col > 0)
                fputc('\n', f);
        return 0;
}

static void format_groups(FILE *f, const JobSpec *spec) {
        if (!spec->groups_set)
                return;
        if (spec->n_groups == 0) {
                fprintf(f, ", no supplementary groups");
                return;
        }
        fprintf(f, ", supplementary groups");
        for (size_t i = 0; i < spec->n_groups; i++)
                fprintf(f, " %u", (unsigned) spec->groups[i]);
}

int job_spec_format(const JobSpec *spec, FILE *f) {
        char buf[MAX(LADDER_MAX_LEN, RLIMIT_MAX_LEN)];
        bool limits_inherited = false;
        int r;

        if (spec->argv)
                r = format_words(f, "command", spec->argv, false);
        else
                r = fprintf(f, "# command: not set\n") < 0 ? -EIO : 0;
        if (r < 0)
                return r;

        if (spec->directory)
                fprintf(f, "directory = %s\n", spec->directory);
        else
                fprintf(f, "# directory: tend's own\n");

        if (spec->user) {
                fprintf(f, "user = %s", spec->user);
                if (spec->uid_set) {
                        fprintf(f, " ; uid %u", (unsigned) spec->uid);
                        if (spec->gid_set && !spec->group)
                                fprintf(f, ", gid %u", (unsigned) spec->gid);
                        format_groups(f, spec);
                }
                fputc('\n', f);
        } else
                fprintf(f, "# user: tend's own\n");
        if (spec->group) {
                fprintf(f, "group = %s", spec->group);
                if (spec->gid_set) {
                        fprintf(f, " ; gid %u", (unsigned) spec->gid);
                        if (!spec->user)
                                format_groups(f, spec);
                }
                fputc('\n', f);
        } else if (!spec->user)
                fprintf(f, "# group: tend's own\n");
        else
                fprintf(f, "# group: the user's\n");

        if (spec->umask_set)
                fprintf(f, "umask = %04o\n", spec->umask);
        else
                fprintf(f, "# umask: inherited from tend\n");

        if (spec->environment) {
                r = format_words(f, "environment", spec->environment, true);
                if (r < 0)
                        return r;
        } else
                fprintf(f, "# environment: tend's own only\n");
        if (spec->environment_file) {
                fprintf(f, "environment_file = %s", spec->environment_file);
                if (spec->environment_file_env)
                        fprintf(f, " ; %zu variables", strv_length(spec->environment_file_env));
                fputc('\n', f);
        }

        for (size_t i = 0; i < ELEMENTSOF(spec->stdio); i++) {
                static const char *const names[] = { "stdin", "stdout", "stderr" };
                const JobStdio *s = &spec->stdio[i];

                if (s->path)
                        fprintf(f, "%s = %s:%s\n", names[i], stdio_type_to_string(s->type), s->path);
                else
                        fprintf(f, "%s = %s\n", names[i], stdio_type_to_string(s->type));
        }

        fprintf(f, "timeout = %s\n", format_duration(spec->timeout_usec, buf, sizeof buf));
        fprintf(f, "stop_ladder = %s\n", format_ladder(&spec->ladder, buf, sizeof buf));
        fprintf(f, "leftovers = %s\n", leftover_policy_to_string(spec->leftovers));
        if (spec->pdeathsig > 0)
                fprintf(f, "pdeathsig = %s\n", signal_name(spec->pdeathsig, buf, sizeof buf));
        else
                fprintf(f, "# pdeathsig: none\n");
        if (spec->nice_set)
                fprintf(f, "nice = %d\n", spec->nice);
        else
                fprintf(f, "# nice: inherited from tend\n");
        if (spec->oom_score_adj_set)
                fprintf(f, "oom_score_adj = %d\n", spec->oom_score_adj);
        else
                fprintf(f, "# oom_score_adj: inherited from tend\n");
        fprintf(f, "no_new_privileges = %s\n", spec->no_new_privileges ? "yes" : "no");

        for (int k = JOB_KEY_LIMIT_NOFILE; k <= JOB_KEY_LIMIT_SIGPENDING; k++) {
                const JobRLimit *l = &spec->rlimits[job_keys[k].resource];

                if (l->set)
                        fprintf(f, "%s = %s\n", job_keys[k].name,
                                format_rlimit(job_keys[k].resource, l->soft, l->hard, buf, sizeof buf));
                else
                        limits_inherited = true;
        }
        if (limits_inherited)
                fprintf(f, "# other limit_* keys: inherited from tend\n");

        fprintf(f, "memory_max = %s\n", format_size(spec->memory_max, buf, sizeof buf));
        fprintf(f, "memory_high = %s\n", format_size(spec->memory_high, buf, sizeof buf));
        if (spec->pids_max == PARSE_INFINITY)
                fprintf(f, "pids_max = infinity\n");
        else
                fprintf(f, "pids_max = %" PRIu64 "\n", spec->pids_max);
        if (spec->cpu_max_percent > 0)
                fprintf(f, "cpu_max = %u%%\n", spec->cpu_max_percent);
        else
                fprintf(f, "cpu_max = infinity\n");

        if (spec->diagnose_signal > 0) {
                char grace[DURATION_MAX_LEN];

                fprintf(f, "diagnose = %s:%s\n", signal_name(spec->diagnose_signal, buf, sizeof buf),
                        format_duration(spec->diagnose_grace_usec, grace, sizeof grace));
        } else
                fprintf(f, "# diagnose: none\n");
        if (spec->diagnose_cmd) {
                r = format_words(f, "diagnose_cmd", spec->diagnose_cmd, false);
                if (r < 0)
                        return r;
        }
        if (spec->diagnose_on > 0)
                fprintf(f, "diagnose_on = %s\n", signal_name(spec->diagnose_on, buf, sizeof buf));
        if (spec->report)
                fprintf(f, "report = %s\n", spec->report);
        fprintf(f, "fail_on_leaks = %s\n", spec->fail_on_leaks ? "yes" : "no");

        return ferror(f) ? -EIO : 0;
}
