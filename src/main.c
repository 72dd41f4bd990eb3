/* SPDX-License-Identifier: MIT */
/* Wire-up only: the spawner first (before anything can take a lock), then the command line or
 * the ini file, then the session. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "log.h"
#include "spawn.h"
#include "supervisor.h"
#include "util/macro.h"

/* The command line's name for a key: "--memory-max" for memory_max, for messages. */
static const char *option_for_key(JobKey key, char *buf, size_t size) {
        const char *name = job_key_to_string(key);

        for (const JobOption *o = job_options; o->name; o++)
                if (o->key == key) {
                        snprintf(buf, size, "--%s", o->name);
                        return buf;
                }
        if (name && strncmp(name, "limit_", 6) == 0) {
                snprintf(buf, size, "--limit %s", name + 6);
                return buf;
        }
        return name ? name : "option";
}

/* The session's spec from the command line: what cli.c could not check alone (users, groups,
 * environment files) is resolved here. 0, or -errno after logging. */
static int resolve_cli_spec(JobSpec *spec) {
        const char *why = NULL;
        unsigned line = 0;
        JobKey key = _JOB_KEY_INVALID;
        char name[64];
        int r;

        r = job_spec_resolve(spec, &key, &line, &why);
        if (r >= 0)
                return 0;
        if (line > 0)
                log_error("%s '%s': line %u: %s", option_for_key(key, name, sizeof name),
                          spec->environment_file, line, why ? why : "invalid");
        else
                log_error("%s: %s", option_for_key(key, name, sizeof name), why ? why : "invalid");
        return r;
}

/* The jobs of an ini file: every error in it is printed, as FILE:LINE: [job:NAME] key: ...
 * Returns 0 and the one job's spec in *ret_job (--check: prints them all and returns 1), or
 * -errno after logging. */
static int load_config(const char *path, bool check, Config *config, const JobSpec **ret_job) {
        ConfigErrors errors;
        int r;

        r = config_load_path(path, 0, config, &errors);
        if (errors.n > 0)
                (void) config_errors_print(&errors, stderr);
        config_errors_done(&errors);
        if (r < 0) {
                if (r == -EBADMSG)
                        log_error("'%s' has errors, nothing started", path);
                return r;
        }
        if (check) {
                r = config_format(config, stdout);
                if (r < 0)
                        return log_error_errno(r, "Failed to print the jobs of '%s'", path);
                return 1;
        }
        if (config->n_jobs != 1) {
                log_error("'%s' defines %zu jobs; running several jobs at once is not supported yet: give one "
                          "[job:NAME] per file (--check validates any number)", path, config->n_jobs);
                return -EINVAL;
        }
        *ret_job = &config->jobs[0].spec;
        return 0;
}

int main(int argc, char *argv[]) {
        Spawner spawner;
        CliArgs args;
        Config config = { 0 };
        const JobSpec *spec = NULL;
        int r;

        /* A supervisor must outlive its log pipe: a reader that went away (tend ... 2>&1 | head)
         * must not kill tend and orphan the tree. Children get every disposition back to default
         * in the prelude. */
        (void) signal(SIGPIPE, SIG_IGN);

        r = spawner_start(&spawner);
        if (r < 0) {
                log_error_errno(r, "Failed to start the spawner thread");
                return 125;
        }

        r = cli_parse(argc, argv, &args);
        if (r > 0 && args.config) {
                r = load_config(args.config, args.check, &config, &spec);
                r = r < 0 ? r : r > 0 ? 0 : 1;
        } else if (r > 0) {
                r = resolve_cli_spec(&args.spec);
                spec = &args.spec;
                r = r < 0 ? r : 1;
        }
        if (r > 0)
                r = supervisor_run_session(spec, &spawner);
        else
                r = r < 0 ? 125 : 0;

        spawner_stop(&spawner);
        config_done(&config);
        cli_args_done(&args);
        return r;
}
