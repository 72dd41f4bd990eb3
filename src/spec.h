/* SPDX-License-Identifier: MIT */
#pragma once

/* What a job is: the one spec that the command line (cli.c) and ini files (config.c) fill through
 * the same parsers and the same table of keys. Pure and non-logging, except
 * job_spec_resolve_*() (spec-resolve.c), which ask NSS and read files. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "parse.h"
#include "util/macro.h"

typedef enum LeftoverPolicy {
        LEFTOVERS_KILL,         /* tear leftovers down by the ladder when the main process exits */
        LEFTOVERS_WAIT,         /* wait for them to exit on their own */
        _LEFTOVERS_MAX,
        _LEFTOVERS_INVALID = -EINVAL,
} LeftoverPolicy;

/* The keys of a [job:NAME] section, in the order job_spec_format() prints them. */
typedef enum JobKey {
        JOB_KEY_COMMAND,
        JOB_KEY_DIRECTORY,
        JOB_KEY_USER,
        JOB_KEY_GROUP,
        JOB_KEY_UMASK,
        JOB_KEY_ENVIRONMENT,
        JOB_KEY_ENVIRONMENT_FILE,
        JOB_KEY_STDIN,
        JOB_KEY_STDOUT,
        JOB_KEY_STDERR,
        JOB_KEY_TIMEOUT,
        JOB_KEY_STOP_LADDER,
        JOB_KEY_LEFTOVERS,
        JOB_KEY_PDEATHSIG,
        JOB_KEY_NICE,
        JOB_KEY_OOM_SCORE_ADJ,
        JOB_KEY_NO_NEW_PRIVILEGES,
        JOB_KEY_LIMIT_NOFILE,
        JOB_KEY_LIMIT_NPROC,
        JOB_KEY_LIMIT_CORE,
        JOB_KEY_LIMIT_AS,
        JOB_KEY_LIMIT_DATA,
        JOB_KEY_LIMIT_STACK,
        JOB_KEY_LIMIT_CPU,
        JOB_KEY_LIMIT_FSIZE,
        JOB_KEY_LIMIT_MEMLOCK,
        JOB_KEY_LIMIT_RSS,
        JOB_KEY_LIMIT_MSGQUEUE,
        JOB_KEY_LIMIT_NICE,
        JOB_KEY_LIMIT_RTPRIO,
        JOB_KEY_LIMIT_SIGPENDING,
        JOB_KEY_MEMORY_MAX,
        JOB_KEY_MEMORY_HIGH,
        JOB_KEY_PIDS_MAX,
        JOB_KEY_CPU_MAX,
        JOB_KEY_DIAGNOSE,
        JOB_KEY_DIAGNOSE_CMD,
        JOB_KEY_DIAGNOSE_ON,
        JOB_KEY_REPORT,
        JOB_KEY_FAIL_ON_LEAKS,
        _JOB_KEY_MAX,
        _JOB_KEY_INVALID = -EINVAL,
} JobKey;

typedef struct JobRLimit {
        bool set;                       /* false: inherited from tend */
        uint64_t soft, hard;            /* PARSE_INFINITY == RLIM_INFINITY */
} JobRLimit;

typedef struct JobStdio {
        StdioType type;
        char *path;                     /* STDIO_FILE, STDIO_APPEND */
} JobStdio;

/* The exit status of a session whose command exited 0 but left processes behind, with
 * fail_on_leaks (see the README). */
#define TEND_EXIT_LEAKS 123

#define DIAGNOSE_GRACE_DEFAULT_USEC (2 * USEC_PER_SEC)

typedef struct JobSpec {
        char **argv;                    /* NULL-terminated; argv[0] is looked up in PATH */
        uint64_t timeout_usec;          /* USEC_INFINITY: none */
        Ladder ladder;
        LeftoverPolicy leftovers;
        int pdeathsig;                  /* 0: none */

        bool argv_owned;                /* job_spec_done() frees argv (set by job_spec_set*()) */
        char *directory;                /* NULL: tend's own */
        char *user, *group;             /* as written: names or numbers; NULL: tend's own */
        bool umask_set;
        unsigned umask;
        char **environment;             /* "NAME=VALUE"; a later assignment of a name replaces the
                                         * earlier one in place; NULL when none */
        char *environment_file;
        JobStdio stdio[3];              /* stdin, stdout, stderr */
        bool nice_set;
        int nice;
        bool oom_score_adj_set;
        int oom_score_adj;
        bool no_new_privileges;
        JobRLimit rlimits[RLIMIT_NLIMITS];
        uint64_t memory_max, memory_high, pids_max;     /* PARSE_INFINITY: no limit */
        unsigned cpu_max_percent;       /* of one CPU; 0: no limit */

        /* Diagnostics of a hung session (on timeout, or on diagnose_on). */
        int diagnose_signal;            /* sent to every process of the tree; 0: none */
        uint64_t diagnose_grace_usec;   /* how long the dumps and diagnose_cmd get (default 2s) */
        char **diagnose_cmd;            /* run once per process, "{pid}" replaced; NULL: none */
        int diagnose_on;                /* a signal to tend that asks for them now; 0: none */
        char *report;                   /* the JSON report's path; NULL: none */
        bool fail_on_leaks;             /* a clean exit with leftovers exits TEND_EXIT_LEAKS */

        /* Filled by job_spec_resolve_*(), from user/group and environment_file. */
        bool uid_set, gid_set, groups_set;
        uid_t uid;
        gid_t gid;
        gid_t *groups;                  /* supplementary groups, replacing tend's when groups_set */
        size_t n_groups;
        char **environment_file_env;    /* the file's assignments, "NAME=VALUE" */
} JobSpec;

/* Fills the defaults: no timeout, the default ladder, kill leftovers, everything else inherited
 * from tend, no cgroup limit. */
void job_spec_init(JobSpec *spec);

/* Frees what the spec owns and leaves it as job_spec_init() does. */
void job_spec_done(JobSpec *spec);

/* Sets argv to a copy of the NULL-terminated argv. 0 or -ENOMEM. */
int job_spec_set_argv(JobSpec *spec, char *const *argv);

/* Sets one key from its ini text, through the parsers of parse.h. Values of every kind are
 * checked completely here: job_spec_set() is the validation. Setting a key again replaces its
 * value, except "environment", which adds. Returns 0; -ENOENT for an unknown key; -EINVAL or
 * -ERANGE with a static reason ("unterminated single quote") and a static description of what
 * the key takes ("a size like 512K, 64M, 2G, or infinity"); or -ENOMEM. The spec is unchanged on
 * failure. */
int job_spec_set(JobSpec *spec, const char *key, const char *value,
                 const char **reterr_why, const char **reterr_expected);

/* The same, by key. */
int job_spec_set_key(JobSpec *spec, JobKey key, const char *value,
                     const char **reterr_why, const char **reterr_expected);

JobKey job_key_from_string(const char *s);
const char *job_key_to_string(JobKey k);
/* What the key takes, for "(expected ...)". */
const char *job_key_expected(JobKey k);
/* Whether the key may appear more than once in a section ("environment"). */
bool job_key_repeatable(JobKey k);
/* Whether the key's value is split into words with quotes (command, environment), so that
 * config.c knows where quotes matter for the ini comment trap. */
bool job_key_quoted(JobKey k);
/* Keys DESIGN.md plans for later issues (restart, after, ready, ...): known, not supported. */
bool job_key_is_planned(const char *s);
/* The known key nearest to an unknown name ("memmory_max" -> "memory_max", "chdir" ->
 * "directory"), or NULL when none is near. */
const char *job_key_suggest(const char *s);

/* The command line front end: one long option per key. cli.c builds its getopt table from this
 * and passes each option it reads to job_spec_set_option(). */
typedef struct JobOption {
        const char *name;               /* long option, without "--" */
        JobKey key;                     /* _JOB_KEY_INVALID for "limit": the key is in the value */
        bool has_arg;                   /* false: a flag, which sets a boolean key to yes */
        bool repeatable;
        const char *metavar;            /* for --help */
        const char *help;
} JobOption;

/* Terminated by an entry with name NULL. */
extern const JobOption job_options[];

const JobOption *job_option_from_string(const char *name);

/* Sets what the long option (without "--") means, with its value (NULL for a flag):
 * --limit NAME=VALUE sets limit_NAME; --env NAME=VALUE adds one assignment taken literally (the
 * shell already did the quoting); every other option sets its key as job_spec_set() does.
 * Same returns as job_spec_set(), -ENOENT for an unknown option. */
int job_spec_set_option(JobSpec *spec, const char *option, const char *value,
                        const char **reterr_why, const char **reterr_expected);

/* Prints the spec as ini lines ("key = value\n"), every key, in JobKey order, normalised
 * (durations via format_duration(), sizes like 64M, the ladder via format_ladder(), words
 * quoted as parse_words() reads them back); keys left to their default are printed with their
 * default or, when tend just leaves them as inherited, as a comment. Loading the output again
 * gives the same spec. 0, -ENOMEM, or -EIO if f reports an error. */
int job_spec_format(const JobSpec *spec, FILE *f);

/* Non-pure (spec-resolve.c): NSS lookups, not after fork. Each returns 0, or -errno with a
 * static reason: -ESRCH for an unknown user or group, -ENOENT etc. from the environment file.
 *
 * job_spec_resolve_group(): group (name or number) -> gid. Without a user, groups_set with no
 * supplementary group: a job that changes its group does not keep tend's.
 * job_spec_resolve_user(): user (name or number) -> uid, the primary gid (unless group is set)
 * and the user's supplementary groups (initgroups(3) style), never tend's. A number without a
 * passwd entry needs group as well. Call job_spec_resolve_group() first.
 * job_spec_resolve_environment_file(): reads environment_file (lines like "environment =":
 * NAME=VALUE words; blank lines and lines starting with '#' or ';' are skipped) into
 * environment_file_env; *reterr_line is the file's bad line, or 0 when the file as a whole
 * failed. */
int job_spec_resolve_group(JobSpec *spec, const char **reterr_why);
int job_spec_resolve_user(JobSpec *spec, const char **reterr_why);
int job_spec_resolve_environment_file(JobSpec *spec, unsigned *reterr_line, const char **reterr_why);

/* All three, for the command line; stops at the first error, whose key it returns. */
int job_spec_resolve(JobSpec *spec, JobKey *reterr_key, unsigned *reterr_line, const char **reterr_why);

LeftoverPolicy leftover_policy_from_string(const char *s);
const char *leftover_policy_to_string(LeftoverPolicy p);
