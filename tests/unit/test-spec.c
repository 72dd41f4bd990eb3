/* SPDX-License-Identifier: MIT */
/* spec.c: one job spec, two front ends. The command line's options (job_options, through
 * job_spec_set_option()) and an ini file (config_load()) give identical specs. */

#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "spec.h"
#include "util/macro.h"
#include "util/strv.h"

static char *format_spec(const JobSpec *spec) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        assert_non_null(f);
        assert_int_equal(job_spec_format(spec, f), 0);
        fclose(f);
        return buf;
}

static const struct {
        const char *option, *value;
} cli[] = {
        { "chdir", "/srv/www" },
        { "user", "nobody" },
        { "group", "nogroup" },
        { "umask", "022" },
        { "env", "GREETING=hello world" },      /* literal: the shell did the quoting */
        { "env", "QUOTE=it's" },
        { "env", "A=1" },
        { "env", "A=2" },                       /* a later assignment replaces */
        { "env-file", "/etc/default/web" },
        { "stdin", "null" },
        { "stdout", "append:/var/log/web.log" },
        { "stderr", "file:/var/log/web.err" },
        { "timeout", "20m" },
        { "stop-ladder", "TERM 5s, KILL" },
        { "leftovers", "wait" },
        { "pdeathsig", "TERM" },
        { "nice", "5" },
        { "oom-score-adj", "-100" },
        { "no-new-privileges", NULL },
        { "limit", "nofile=1024:4096" },
        { "limit", "nproc=100" },
        { "limit", "core=0" },
        { "limit", "as=2G" },
        { "limit", "data=1G:infinity" },
        { "limit", "stack=8M" },
        { "limit", "cpu=1m30s" },
        { "limit", "fsize=1G" },
        { "limit", "memlock=64K" },
        { "limit", "rss=infinity" },
        { "limit", "msgqueue=800K" },
        { "limit", "nice=0:10" },
        { "limit", "rtprio=0" },
        { "limit", "sigpending=1000" },
        { "memory-max", "512M" },
        { "memory-high", "400M" },
        { "pids-max", "64" },
        { "cpu-max", "50%" },
};

static const char ini[] =
        "[job:web]\n"
        "command = sh -c 'echo a; echo b'\n"
        "directory = /srv/www\n"
        "user = nobody\n"
        "group = nogroup\n"
        "umask = 022\n"
        "environment = \"GREETING=hello world\" QUOTE=\"it's\" A=1\n"
        "environment = A=2\n"
        "environment_file = /etc/default/web\n"
        "stdin = null\n"
        "stdout = append:/var/log/web.log\n"
        "stderr = file:/var/log/web.err\n"
        "timeout = 20m\n"
        "stop_ladder = TERM 5s, KILL\n"
        "leftovers = wait\n"
        "pdeathsig = TERM\n"
        "nice = 5\n"
        "oom_score_adj = -100\n"
        "no_new_privileges = yes\n"
        "limit_nofile = 1024:4096\n"
        "limit_nproc = 100\n"
        "limit_core = 0\n"
        "limit_as = 2G\n"
        "limit_data = 1G:infinity\n"
        "limit_stack = 8M\n"
        "limit_cpu = 1m30s\n"
        "limit_fsize = 1G\n"
        "limit_memlock = 64K\n"
        "limit_rss = infinity\n"
        "limit_msgqueue = 800K\n"
        "limit_nice = 0:10\n"
        "limit_rtprio = 0\n"
        "limit_sigpending = 1000\n"
        "memory_max = 512M\n"
        "memory_high = 400M\n"
        "pids_max = 64\n"
        "cpu_max = 50%\n";

static void test_cli_and_ini_identical(void **state) {
        static char *const argv[] = { "sh", "-c", "echo a; echo b", NULL };
        _cleanup_free_ char *from_cli = NULL, *from_ini = NULL;
        ConfigErrors e;
        JobSpec spec;
        Config c;
        FILE *f;
        (void) state;

        job_spec_init(&spec);
        assert_int_equal(job_spec_set_argv(&spec, argv), 0);
        for (size_t i = 0; i < ELEMENTSOF(cli); i++) {
                const char *why = NULL, *expected = NULL;

                if (job_spec_set_option(&spec, cli[i].option, cli[i].value, &why, &expected) < 0)
                        fail_msg("--%s %s: %s (expected %s)", cli[i].option, cli[i].value, why, expected);
        }

        f = fmemopen((void *) ini, strlen(ini), "r");
        assert_non_null(f);
        assert_int_equal(config_load(f, "test.ini", CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        fclose(f);

        from_cli = format_spec(&spec);
        from_ini = format_spec(&c.jobs[0].spec);
        assert_string_equal(from_cli, from_ini);

        /* The format covers every field; check a few directly as well. */
        assert_true(strv_equal(spec.argv, c.jobs[0].spec.argv));
        assert_true(strv_equal(spec.environment, c.jobs[0].spec.environment));
        assert_string_equal(spec.environment[0], "GREETING=hello world");
        assert_string_equal(spec.environment[1], "QUOTE=it's");
        assert_string_equal(spec.environment[2], "A=2");
        assert_null(spec.environment[3]);
        assert_int_equal(memcmp(spec.rlimits, c.jobs[0].spec.rlimits, sizeof spec.rlimits), 0);
        assert_int_equal(memcmp(&spec.ladder, &c.jobs[0].spec.ladder, sizeof spec.ladder), 0);
        assert_true(spec.no_new_privileges && c.jobs[0].spec.no_new_privileges);

        job_spec_done(&spec);
        config_done(&c);
        config_errors_done(&e);
}

static void test_every_key_has_an_option(void **state) {
        (void) state;

        for (int k = 0; k < _JOB_KEY_MAX; k++) {
                const char *name = job_key_to_string(k);
                bool found = k == JOB_KEY_COMMAND;     /* the command is the positional arguments */

                assert_non_null(name);
                assert_int_equal(job_key_from_string(name), k);
                assert_non_null(job_key_expected(k));
                for (const JobOption *o = job_options; !found && o->name; o++)
                        found = o->key == (JobKey) k ||
                                (o->key == _JOB_KEY_INVALID && strncmp(name, "limit_", 6) == 0);
                if (!found)
                        fail_msg("no command line option for key %s", name);
        }
        assert_non_null(job_option_from_string("limit"));
        assert_null(job_option_from_string("no-such-option"));
        assert_false(job_option_from_string("no-new-privileges")->has_arg);
        assert_true(job_option_from_string("env")->repeatable);
}

static void test_set_errors(void **state) {
        const char *why = NULL, *expected = NULL;
        JobSpec spec;
        (void) state;

        job_spec_init(&spec);
        assert_int_equal(job_spec_set(&spec, "nice", "5", &why, &expected), 0);

        /* Bad values leave the spec as it was. */
        assert_int_equal(job_spec_set(&spec, "nice", "50", &why, &expected), -ERANGE);
        assert_string_equal(why, "out of range");
        assert_string_equal(expected, "a number from -20 to 19");
        assert_int_equal(spec.nice, 5);
        assert_int_equal(job_spec_set(&spec, "command", "a 'b", &why, &expected), -EINVAL);
        assert_string_equal(why, "unterminated single quote");
        assert_null(spec.argv);
        assert_int_equal(job_spec_set(&spec, "environment", "A=1 B", &why, &expected), -EINVAL);
        assert_null(spec.environment);
        assert_int_equal(job_spec_set(&spec, "no_such_key", "1", &why, &expected), -ENOENT);
        assert_int_equal(job_spec_set(&spec, "nice", NULL, &why, &expected), -EINVAL);
        assert_string_equal(why, "missing value");

        /* The command line's own cases. */
        assert_int_equal(job_spec_set_option(&spec, "limit", "nofiles=1", &why, &expected), -EINVAL);
        assert_string_equal(why, "unknown resource limit");
        assert_int_equal(job_spec_set_option(&spec, "limit", "1024", &why, &expected), -EINVAL);
        assert_string_equal(why, "not NAME=VALUE");
        assert_int_equal(job_spec_set_option(&spec, "limit", "nofile=lots", &why, &expected), -EINVAL);
        assert_string_equal(why, "not a number");
        assert_string_equal(expected, "a number, SOFT:HARD, or infinity");
        assert_int_equal(job_spec_set_option(&spec, "env", "not an assignment", &why, &expected), -EINVAL);
        assert_string_equal(why, "not a NAME=VALUE assignment");
        assert_int_equal(job_spec_set_option(&spec, "env", "A=two words", &why, &expected), 0);
        assert_string_equal(spec.environment[0], "A=two words");
        assert_int_equal(job_spec_set_option(&spec, "bogus", "1", &why, &expected), -ENOENT);
        assert_int_equal(job_spec_set_option(&spec, "timeout", "0", &why, &expected), -ERANGE);
        assert_string_equal(why, "a timeout must be positive");

        /* Setting again replaces, and frees what it replaces (ASan would tell). */
        assert_int_equal(job_spec_set(&spec, "command", "a b", &why, &expected), 0);
        assert_int_equal(job_spec_set(&spec, "command", "c", &why, &expected), 0);
        assert_string_equal(spec.argv[0], "c");
        assert_int_equal(job_spec_set(&spec, "stdout", "file:/a", &why, &expected), 0);
        assert_int_equal(job_spec_set(&spec, "stdout", "null", &why, &expected), 0);
        assert_null(spec.stdio[1].path);
        assert_int_equal(job_spec_set(&spec, "directory", "/a", &why, &expected), 0);
        assert_int_equal(job_spec_set(&spec, "directory", "/b", &why, &expected), 0);
        assert_int_equal(job_spec_set(&spec, "directory", "", &why, &expected), -EINVAL);
        assert_string_equal(spec.directory, "/b");
        job_spec_done(&spec);
        assert_null(spec.argv);
        assert_true(spec.timeout_usec == USEC_INFINITY);
}

static void test_defaults(void **state) {
        JobSpec spec;
        (void) state;

        job_spec_init(&spec);
        assert_null(spec.argv);
        assert_true(spec.timeout_usec == USEC_INFINITY);
        assert_int_equal(spec.ladder.n, 3);
        assert_int_equal(spec.leftovers, LEFTOVERS_KILL);
        assert_int_equal(spec.pdeathsig, 0);
        assert_int_equal(spec.stdio[0].type, STDIO_INHERIT);
        assert_false(spec.rlimits[RLIMIT_NOFILE].set);
        assert_true(spec.memory_max == PARSE_INFINITY);
        assert_int_equal(spec.cpu_max_percent, 0);
        assert_false(spec.umask_set || spec.nice_set || spec.oom_score_adj_set || spec.no_new_privileges);
        /* cli.c's argv, not owned, is not freed. */
        spec.argv = (char *[]) { "x", NULL };
        job_spec_done(&spec);
}

static void test_suggest(void **state) {
        (void) state;

        assert_string_equal(job_key_suggest("memmory_max"), "memory_max");
        assert_string_equal(job_key_suggest("memory-max"), "memory_max");
        assert_string_equal(job_key_suggest("Memory_Max"), "memory_max");
        assert_string_equal(job_key_suggest("limit_nofiles"), "limit_nofile");
        assert_string_equal(job_key_suggest("chdir"), "directory");
        assert_string_equal(job_key_suggest("env"), "environment");
        assert_string_equal(job_key_suggest("env_file"), "environment_file");
        assert_string_equal(job_key_suggest("timout"), "timeout");
        assert_string_equal(job_key_suggest("comand"), "command");
        assert_null(job_key_suggest("colour"));
        assert_null(job_key_suggest("x"));
        assert_true(job_key_is_planned("restart"));
        assert_true(job_key_is_planned("after"));
        assert_false(job_key_is_planned("fail_on_leaks"));      /* supported now */
        assert_false(job_key_is_planned("command"));
}

static void test_resolve_root(void **state) {
        JobKey key;
        unsigned line;
        const char *why;
        JobSpec spec;
        (void) state;

        /* root exists everywhere, and uid 0 resolves by number as well. */
        job_spec_init(&spec);
        assert_int_equal(job_spec_set(&spec, "user", "0", NULL, NULL), 0);
        assert_int_equal(job_spec_resolve(&spec, &key, &line, &why), 0);
        assert_true(spec.uid_set && spec.gid_set && spec.groups_set);
        assert_int_equal(spec.uid, 0);
        assert_int_equal(spec.gid, 0);
        assert_true(spec.n_groups >= 1);
        job_spec_done(&spec);

        /* A group alone drops the supplementary groups. */
        job_spec_init(&spec);
        assert_int_equal(job_spec_set(&spec, "group", "root", NULL, NULL), 0);
        assert_int_equal(job_spec_resolve(&spec, &key, &line, &why), 0);
        assert_false(spec.uid_set);
        assert_true(spec.gid_set && spec.groups_set);
        assert_int_equal(spec.n_groups, 0);
        job_spec_done(&spec);

        /* An unknown uid with a group is fine. */
        job_spec_init(&spec);
        assert_int_equal(job_spec_set(&spec, "user", "4000000", NULL, NULL), 0);
        assert_int_equal(job_spec_set(&spec, "group", "4000000", NULL, NULL), 0);
        assert_int_equal(job_spec_resolve(&spec, &key, &line, &why), 0);
        assert_int_equal(spec.uid, 4000000);
        assert_int_equal(spec.gid, 4000000);
        job_spec_done(&spec);

        job_spec_init(&spec);
        assert_int_equal(job_spec_set(&spec, "user", "tend-no-such-user", NULL, NULL), 0);
        assert_int_equal(job_spec_resolve(&spec, &key, &line, &why), -ESRCH);
        assert_int_equal(key, JOB_KEY_USER);
        assert_string_equal(why, "no such user");
        job_spec_done(&spec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cli_and_ini_identical),
                cmocka_unit_test(test_every_key_has_an_option),
                cmocka_unit_test(test_set_errors),
                cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_suggest),
                cmocka_unit_test(test_resolve_root),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
