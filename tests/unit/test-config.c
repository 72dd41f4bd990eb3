/* SPDX-License-Identifier: MIT */
/* config.c: ini files under tests/data/config/, one per error class, with every error's exact
 * FILE:LINE asserted; the inih traps; the --check output. */

#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/macro.h"
#include "util/strv.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must name tests/data"
#endif

static char *data_path(const char *name) {
        char *p;

        assert_true(asprintf(&p, "%s/config/%s", TEST_DATA_DIR, name) > 0);
        return p;
}

/* Loads tests/data/config/NAME and checks its errors, each given without the leading FILE:
 * ":3: [job:web] key: ..." is PATH ":3: ..." exactly. */
static void assert_file_errors(const char *name, ConfigLoadFlags flags, const char *const *expected) {
        _cleanup_free_ char *path = data_path(name);
        ConfigErrors e;
        Config c;
        size_t n = strv_length((char *const *) expected);
        int r;

        r = config_load_path(path, flags, &c, &e);
        for (size_t i = 0; i < e.n; i++) {
                _cleanup_free_ char *got = config_error_to_string(&e, i), *want = NULL;

                assert_non_null(got);
                if (i >= n)
                        fail_msg("unexpected error: %s", got);
                assert_true(asprintf(&want, "%s%s", path, expected[i]) > 0);
                assert_string_equal(got, want);
        }
        assert_int_equal(e.n, n);
        assert_int_equal(r, n > 0 ? -EBADMSG : 0);
        if (r == 0)
                config_done(&c);
        config_errors_done(&e);
}

/* Loads text through fmemopen(), named "test.ini". */
static int load_text(const char *text, ConfigLoadFlags flags, Config *c, ConfigErrors *e) {
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        int r;

        assert_non_null(f);
        r = config_load(f, "test.ini", flags, c, e);
        fclose(f);
        return r;
}

static void assert_text_errors(const char *text, const char *const *expected) {
        size_t n = strv_length((char *const *) expected);
        ConfigErrors e;
        Config c;
        int r;

        r = load_text(text, CONFIG_LOAD_NO_RESOLVE, &c, &e);
        for (size_t i = 0; i < e.n; i++) {
                _cleanup_free_ char *got = config_error_to_string(&e, i);

                if (i >= n)
                        fail_msg("unexpected error: %s", got);
                assert_string_equal(got, expected[i]);
        }
        assert_int_equal(e.n, n);
        assert_int_equal(r, n > 0 ? -EBADMSG : 0);
        if (r == 0)
                config_done(&c);
        config_errors_done(&e);
}

static char *format_config(const Config *c) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        assert_non_null(f);
        assert_int_equal(config_format(c, f), 0);
        fclose(f);
        return buf;
}

static void test_good_file(void **state) {
        _cleanup_free_ char *path = data_path("good.ini");
        const ConfigJob *web;
        ConfigErrors e;
        Config c;
        (void) state;

        assert_int_equal(config_load_path(path, CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        assert_int_equal(e.n, 0);
        assert_int_equal(c.n_jobs, 2);
        assert_string_equal(c.jobs[0].name, "web");
        assert_string_equal(c.jobs[1].name, "worker");
        web = config_find_job(&c, "web");
        assert_non_null(web);
        assert_int_equal(web->line, 4);
        assert_int_equal(web->key_lines[JOB_KEY_COMMAND], 5);
        assert_int_equal(web->key_lines[JOB_KEY_ENVIRONMENT], 11);      /* the last of two */
        assert_int_equal(web->key_lines[JOB_KEY_CPU_MAX], 39);
        assert_string_equal(web->spec.argv[0], "python3");
        assert_string_equal(web->spec.argv[5], "8080");
        assert_null(web->spec.argv[6]);
        assert_string_equal(web->spec.directory, "/srv/www");
        assert_int_equal(web->spec.umask, 027);
        assert_string_equal(web->spec.environment[0], "LANG=C");
        assert_string_equal(web->spec.environment[1], "GREETING=hello world");
        assert_string_equal(web->spec.environment[2], "NAME=it's");
        assert_int_equal(web->spec.stdio[0].type, STDIO_NULL);
        assert_int_equal(web->spec.stdio[1].type, STDIO_APPEND);
        assert_string_equal(web->spec.stdio[1].path, "/var/log/web.log");
        assert_true(web->spec.timeout_usec == 5400 * USEC_PER_SEC);
        assert_int_equal(web->spec.ladder.n, 2);
        assert_int_equal(web->spec.leftovers, LEFTOVERS_WAIT);
        assert_int_equal(web->spec.pdeathsig, SIGTERM);
        assert_int_equal(web->spec.nice, 5);
        assert_int_equal(web->spec.oom_score_adj, -500);
        assert_true(web->spec.no_new_privileges);
        assert_true(web->spec.rlimits[RLIMIT_NOFILE].set);
        assert_true(web->spec.rlimits[RLIMIT_NOFILE].soft == 1024 && web->spec.rlimits[RLIMIT_NOFILE].hard == 4096);
        assert_true(web->spec.rlimits[RLIMIT_CPU].soft == 90);
        assert_true(web->spec.rlimits[RLIMIT_DATA].hard == PARSE_INFINITY);
        assert_true(web->spec.memory_max == UINT64_C(512) << 20);
        assert_true(web->spec.pids_max == 64);
        assert_int_equal(web->spec.cpu_max_percent, 150);
        assert_false(web->spec.uid_set);        /* CONFIG_LOAD_NO_RESOLVE */
        assert_string_equal(c.jobs[1].spec.argv[2], "while :; do date; sleep 1; done");
        config_done(&c);
        config_errors_done(&e);
}

static void test_good_file_resolved(void **state) {
        _cleanup_free_ char *path = data_path("good.ini");
        const JobSpec *s;
        ConfigErrors e;
        Config c;
        (void) state;

        /* nobody and nogroup exist on Debian; a system without them fails here on purpose. */
        assert_int_equal(config_load_path(path, 0, &c, &e), 0);
        s = &c.jobs[0].spec;
        assert_true(s->uid_set && s->gid_set && s->groups_set);
        assert_int_equal(s->uid, 65534);
        assert_int_equal(s->gid, 65534);
        config_done(&c);
        config_errors_done(&e);
}

static void test_continuation(void **state) {
        _cleanup_free_ char *path = data_path("continuation.ini");
        const JobSpec *s;
        ConfigErrors e;
        Config c;
        (void) state;

        assert_int_equal(config_load_path(path, CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        s = &c.jobs[0].spec;
        assert_string_equal(s->argv[0], "/usr/bin/env");
        assert_string_equal(s->argv[3], "import sys; print(sys.argv[1:])");
        assert_string_equal(s->argv[4], "--first-option=1");
        assert_string_equal(s->argv[5], "an argument with spaces");
        assert_string_equal(s->argv[6], "--after-a-blank-line");
        assert_null(s->argv[7]);
        assert_string_equal(s->environment[0], "A=1");
        assert_string_equal(s->environment[1], "B=2");
        assert_int_equal(s->ladder.n, 3);
        assert_int_equal(c.jobs[0].key_lines[JOB_KEY_STOP_LADDER], 11);
        config_done(&c);
        config_errors_done(&e);
}

static void test_unknown_section(void **state) {
        (void) state;
        assert_file_errors("unknown-section.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":4: [jobs:web]: unknown section (expected [tend] or [job:NAME]; did you mean [job:web]?)",
                ":7: [Tend]: unknown section (expected [tend] or [job:NAME]; did you mean [tend]?)",
                ":8: [services]: unknown section (expected [tend] or [job:NAME])",
                NULL });
}

static void test_unknown_key(void **state) {
        (void) state;
        assert_file_errors("unknown-key.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":3: [job:web] memmory_max: unknown key (did you mean memory_max?)",
                ":4: [job:web] limit_nofiles: unknown key (did you mean limit_nofile?)",
                ":5: [job:web] chdir: unknown key (did you mean directory?)",
                ":6: [job:web] colour: unknown key (expected a job key such as command, user or limit_nofile)",
                ":7: [job:web] restart: not supported yet (expected the keys of this version of tend)",
                ":10: [tend] log_level: unknown key (expected no keys: [tend] has no settings yet, and job "
                "settings go in [job:NAME] sections)",
                NULL });
}

static void test_duplicates(void **state) {
        (void) state;
        assert_file_errors("duplicate-job.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":7: [job:web]: duplicate job name 'web' (expected each job once; it is first defined on line 1)",
                NULL });
        assert_file_errors("duplicate-key.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":6: [job:web] user: set twice (expected each key once; it is first set on line 3)",
                NULL });
}

static void test_bad_values(void **state) {
        (void) state;
        assert_file_errors("bad-value.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":2: [job:web] command: 'echo 'unterminated': unterminated single quote (expected PROGRAM "
                "[ARG...], split at spaces, with '...', \"...\" and \\ quoting)",
                ":3: [job:web] umask: '0999': not an octal mode (expected an octal mode up to 0777, like 0022)",
                ":4: [job:web] environment: 'A=1 2B=3': bad variable name (expected NAME=VALUE assignments, "
                "quoted like A=1 \"B=two words\")",
                ":5: [job:web] stdin: 'append:/tmp/x': stdin cannot append (expected inherit, null or file:PATH)",
                ":6: [job:web] stdout: 'journal': 'journal' is not supported yet (expected inherit, null, "
                "file:PATH or append:PATH)",
                ":7: [job:web] timeout: '0': a timeout must be positive (expected a positive duration like 90s, "
                "1m30s or 20m, or infinity)",
                ":8: [job:web] stop_ladder: 'SIGKILL, SIGTERM 1s': SIGKILL must be the last rung (expected "
                "signals with the grace before the next one, like 'SIGINT 2s, SIGTERM 3s, SIGKILL')",
                ":9: [job:web] leftovers: 'maybe': unknown policy (expected kill or wait)",
                ":10: [job:web] pdeathsig: 'SIGFOO': not a signal (expected a signal like SIGTERM, TERM or 15)",
                ":11: [job:web] nice: '20': out of range (expected a number from -20 to 19)",
                ":12: [job:web] oom_score_adj: '-1001': out of range (expected a number from -1000 to 1000)",
                ":13: [job:web] no_new_privileges: 'perhaps': not a boolean (expected yes or no)",
                ":14: [job:web] limit_nofile: '4096:1024': the soft limit is above the hard limit (expected a "
                "number, SOFT:HARD, or infinity)",
                ":15: [job:web] limit_core: '1Q': not a size (expected a size like 64M, SOFT:HARD, or infinity)",
                ":16: [job:web] limit_cpu: '1500ms': the CPU limit counts whole seconds (expected whole seconds "
                "like 90 or 1m30s, SOFT:HARD, or infinity)",
                ":17: [job:web] limit_nice: '41': the nice limit goes from 0 to 40 (expected a number from 0 to "
                "40, SOFT:HARD, or infinity)",
                ":18: [job:web] memory_max: '1.5G': not a size (expected a size like 512K, 64M or 2G, or infinity)",
                ":19: [job:web] pids_max: '-1': not a number (expected a number or infinity)",
                ":20: [job:web] cpu_max: '50': not a percentage (expected a share of one CPU like 50% or 200%, "
                "or infinity)",
                ":21: [job:web] user: 'bad:name': a name cannot hold white space, control characters, ':', '/' "
                "or ',' (expected a user name or number)",
                NULL });
}

static void test_missing_command(void **state) {
        (void) state;
        assert_file_errors("missing-command.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":1: [job:web] command: missing (expected command = PROGRAM [ARG...])",
                ":5: [job:db] command: '': empty command (expected PROGRAM [ARG...], split at spaces, with "
                "'...', \"...\" and \\ quoting)",
                NULL });
        assert_file_errors("no-job.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ": no job (expected at least one [job:NAME] section)",
                NULL });
}

static void test_unknown_user_group(void **state) {
        (void) state;
        assert_file_errors("unknown-user.ini", 0, (const char *const[]) {
                ":3: [job:web] user: 'tend-no-such-user': no such user",
                ":4: [job:web] group: 'tend-no-such-group': no such group",
                ":8: [job:numeric] user: '4000000': no passwd entry, hence no primary group (expected group = "
                "GROUP as well)",
                ":13: [job:ok] environment_file: '/nonexistent/tend-test.env': cannot open the file: No such "
                "file or directory",
                NULL });
        /* Without resolving, the same file is fine. */
        assert_file_errors("unknown-user.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) { NULL });
}

static void test_unreadable(void **state) {
        _cleanup_free_ char *missing = data_path("does-not-exist.ini"), *dir = NULL;
        _cleanup_free_ char *s = NULL, *want = NULL;
        ConfigErrors e;
        Config c;
        (void) state;

        assert_int_equal(config_load_path(missing, 0, &c, &e), -ENOENT);
        assert_int_equal(e.n, 1);
        s = config_error_to_string(&e, 0);
        assert_true(asprintf(&want, "%s: cannot open the file: No such file or directory", missing) > 0);
        assert_string_equal(s, want);
        config_errors_done(&e);
        free(s);
        free(want);

        /* A directory opens, and fails at the first read. */
        assert_true(asprintf(&dir, "%s/config", TEST_DATA_DIR) > 0);
        assert_int_equal(config_load_path(dir, 0, &c, &e), -EISDIR);
        assert_int_equal(e.n, 1);
        s = config_error_to_string(&e, 0);
        assert_true(asprintf(&want, "%s: cannot read the file: Is a directory", dir) > 0);
        assert_string_equal(s, want);
        config_errors_done(&e);
}

static void test_environment_file(void **state) {
        _cleanup_free_ char *text = NULL;
        ConfigErrors e;
        Config c;
        (void) state;

        assert_true(asprintf(&text,
                             "[job:good]\ncommand = true\nenvironment_file = %s/config/env-file.env\n"
                             "[job:bad]\ncommand = true\nenvironment_file = %s/config/bad-env-file.env\n",
                             TEST_DATA_DIR, TEST_DATA_DIR) > 0);
        assert_int_equal(load_text(text, 0, &c, &e), -EBADMSG);
        assert_int_equal(e.n, 1);
        {
                _cleanup_free_ char *s = config_error_to_string(&e, 0), *want = NULL;

                assert_true(asprintf(&want, "test.ini:6: [job:bad] environment_file: %s/config/bad-env-file.env:2: "
                                     "not a NAME=VALUE assignment (expected NAME=VALUE assignments, quoted like "
                                     "A=1 \"B=two words\")", TEST_DATA_DIR) > 0);
                assert_string_equal(s, want);
        }
        config_errors_done(&e);

        text[strstr(text, "[job:bad]") - text] = '\0';
        assert_int_equal(load_text(text, 0, &c, &e), 0);
        assert_string_equal(c.jobs[0].spec.environment_file_env[0], "A=1");
        assert_string_equal(c.jobs[0].spec.environment_file_env[1], "B=two words");
        assert_string_equal(c.jobs[0].spec.environment_file_env[2], "C=3");
        assert_null(c.jobs[0].spec.environment_file_env[3]);
        config_done(&c);
        config_errors_done(&e);
}

static void test_syntax(void **state) {
        (void) state;
        assert_file_errors("syntax.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":1: key: key outside any section (expected it in a [job:NAME] section)",
                ":2: no ']' to end the section name (expected [tend] or [job:NAME])",
                ":3: command: key outside any section (expected it in a [job:NAME] section)",
                ":4: [job:ok]: text after ']' would be ignored (expected nothing, or a comment)",
                ":6: [job:ok]: not a key, a section or a comment (expected key = value, [section], or an "
                "indented line continuing a value)",
                ":7: [job:ok]: empty key name (expected key = value)",
                NULL });
        assert_file_errors("nul.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":2: [job:web]: NUL byte in line (expected text)",
                NULL });
        assert_file_errors("bom-crlf.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) { NULL });
}

/* Trap 1: inih cuts a line at 200 bytes and reads the rest as a line of its own. */
static void test_trap_long_line(void **state) {
        (void) state;
        /* Line 2 is too long; lines 3 and 4 are long only by their comments, which is fine. */
        assert_file_errors("long-line.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":2: [job:web] command: line is 308 characters long, but the ini parser reads at most 198 "
                "and would cut it (expected shorter lines: continue a long value on indented lines, which "
                "tend joins with a space)",
                NULL });
}

static void test_trap_long_line_limits(void **state) {
        char text[512];
        int n;
        (void) state;

        /* 198 characters are read whole; 199 are not. */
        n = snprintf(text, sizeof text, "[job:a]\ncommand = echo %0183d\n", 0);
        assert_true(n > 0);
        assert_int_equal(strlen(strchr(text, '\n') + 1), 199);
        assert_text_errors(text, (const char *const[]) { NULL });
        snprintf(text, sizeof text, "[job:a]\ncommand = echo %0184d\n", 0);
        assert_text_errors(text, (const char *const[]) {
                "test.ini:2: [job:a] command: line is 199 characters long, but the ini parser reads at most 198 "
                "and would cut it (expected shorter lines: continue a long value on indented lines, which tend "
                "joins with a space)",
                NULL });

        /* What inih would have read as a line of its own is not read: no "unknown key" for it. */
        snprintf(text, sizeof text, "[job:a]\ncommand = true\nenvironment = A=%0200d user = root\n", 0);
        assert_text_errors(text, (const char *const[]) {
                "test.ini:3: [job:a] environment: line is 228 characters long, but the ini parser reads at "
                "most 198 and would cut it (expected shorter lines: continue a long value on indented lines, "
                "which tend joins with a space)",
                NULL });

        /* A long section header. */
        snprintf(text, sizeof text, "[job:%0200d]\ncommand = true\n[job:b]\ncommand = true\n", 0);
        assert_text_errors(text, (const char *const[]) {
                "test.ini:1: line is 206 characters long, but the ini parser reads at most 198 and would cut it "
                "(expected shorter lines: continue a long value on indented lines, which tend joins with a "
                "space)",
                NULL });
}

/* Trap 2: a ';' after white space starts a comment, even inside quotes. */
static void test_trap_semicolon(void **state) {
        _cleanup_free_ char *path = data_path("semicolon.ini");
        ConfigErrors e;
        Config c;
        (void) state;

        assert_file_errors("semicolon.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":2: [job:quoted] command: ';' after white space starts an ini comment even inside quotes, so "
                "the ini parser would cut the value here (expected no white space before ';', as in 'a; b', "
                "or \\; outside quotes)",
                ":5: [job:double] command: ';' after white space starts an ini comment even inside quotes, so "
                "the ini parser would cut the value here (expected no white space before ';', as in 'a; b', "
                "or \\; outside quotes)",
                ":8: [job:escaped-space] command: ';' after white space starts an ini comment even inside "
                "quotes, so the ini parser would cut the value here (expected no white space before ';', as "
                "in 'a; b', or \\; outside quotes)",
                ":11: [job:lone] command: a lone ';' after white space is an empty ini comment and would be "
                "dropped (expected \\; or ';' for a ';' argument)",
                ":21: [job:continued] command: ' ;' on a continuation line is not a comment for this ini "
                "parser: it would be part of the value (expected comments on lines of their own, or no white "
                "space before ';')",
                ":25: [job:comment-in-quote] command: this line starts with '#', so the ini parser skips it as "
                "a comment, but the quote opened on line 24 is still open (expected the quote closed before, "
                "or the line not starting with '#')",
                NULL });

        /* The good ones in that file, on their own. */
        assert_int_equal(load_text("[job:fine]\n"
                                   "command = sh -c 'echo a; echo b' ; runs two echos\n"
                                   "environment = A='x;y' ; a comment\n"
                                   "[job:continued]\n"
                                   "command = sh -c 'echo a\n"
                                   "    echo b ; echo c'\n"
                                   "[job:escaped]\n"
                                   "command = find . -exec rm {} \\;\n",
                                   CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        assert_string_equal(c.jobs[0].spec.argv[2], "echo a; echo b");
        assert_null(c.jobs[0].spec.argv[3]);
        assert_string_equal(c.jobs[0].spec.environment[0], "A=x;y");
        /* inih 55 keeps " ;" on continuation lines: inside quotes that is what was meant. */
        assert_string_equal(c.jobs[1].spec.argv[2], "echo a echo b ; echo c");
        assert_string_equal(c.jobs[2].spec.argv[5], ";");
        config_done(&c);
        config_errors_done(&e);
}

static void test_trap_indented_key(void **state) {
        (void) state;
        assert_file_errors("indented-key.ini", CONFIG_LOAD_NO_RESOLVE, (const char *const[]) {
                ":3: [job:web] command: this indented line looks like key 'user' but continues the value of "
                "'command' from line 2 (expected keys at the start of their line)",
                ":4: [job:web] command: this indented section header continues the value of 'command' from "
                "line 2 (expected section headers at the start of their line)",
                NULL });
}

static void test_every_error_reported(void **state) {
        (void) state;
        /* Errors of several classes in one file come out together, sorted by line. */
        assert_text_errors("[job:a]\n"
                           "nice = 99\n"
                           "[oops]\n"
                           "[job:a]\n"
                           "command = true\n"
                           "memory_max = lots\n"
                           "[job:c]\n"
                           "user = x y\n",
                           (const char *const[]) {
                "test.ini:1: [job:a] command: missing (expected command = PROGRAM [ARG...])",
                "test.ini:2: [job:a] nice: '99': out of range (expected a number from -20 to 19)",
                "test.ini:3: [oops]: unknown section (expected [tend] or [job:NAME])",
                "test.ini:4: [job:a]: duplicate job name 'a' (expected each job once; it is first defined on line 1)",
                "test.ini:6: [job:a] memory_max: 'lots': not a size (expected a size like 512K, 64M or 2G, or "
                "infinity)",
                "test.ini:7: [job:c] command: missing (expected command = PROGRAM [ARG...])",
                "test.ini:8: [job:c] user: 'x y': a name cannot hold white space, control characters, ':', '/' "
                "or ',' (expected a user name or number)",
                NULL });
}

static void test_format_round_trip(void **state) {
        _cleanup_free_ char *path = data_path("good.ini"), *first = NULL, *second = NULL;
        ConfigErrors e;
        Config c;
        (void) state;

        assert_int_equal(config_load_path(path, CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        first = format_config(&c);
        config_done(&c);
        config_errors_done(&e);

        assert_int_equal(load_text(first, CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        second = format_config(&c);
        assert_string_equal(first, second);
        config_done(&c);
        config_errors_done(&e);

        assert_non_null(strstr(first, "[job:web]\ncommand = python3 -m http.server --bind 127.0.0.1 8080\n"));
        assert_non_null(strstr(first, "\numask = 0027\n"));
        assert_non_null(strstr(first, "\nenvironment = LANG=C 'GREETING=hello world' 'NAME=it'\\''s'\n"));
        assert_non_null(strstr(first, "\ntimeout = 1h30m\n"));
        assert_non_null(strstr(first, "\nstop_ladder = SIGTERM 5s, SIGKILL\n"));
        assert_non_null(strstr(first, "\nlimit_as = 2G\n"));
        assert_non_null(strstr(first, "\nlimit_cpu = 1m30s\n"));
        assert_non_null(strstr(first, "\nmemory_max = 512M\n"));
        assert_non_null(strstr(first, "\ncpu_max = 150%\n"));
}

static void test_format_long_command(void **state) {
        _cleanup_free_ char *path = data_path("continuation.ini"), *out = NULL;
        ConfigErrors e;
        Config c;
        (void) state;

        /* A long command is printed over continuation lines, each short enough for inih. */
        assert_int_equal(config_load_path(path, CONFIG_LOAD_NO_RESOLVE, &c, &e), 0);
        out = format_config(&c);
        assert_non_null(strstr(out, "command = /usr/bin/env python3 -c 'import sys; print(sys.argv[1:])' "
                                    "--first-option=1\n    'an argument with spaces' --after-a-blank-line\n"));
        config_done(&c);
        config_errors_done(&e);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_good_file),
                cmocka_unit_test(test_good_file_resolved),
                cmocka_unit_test(test_continuation),
                cmocka_unit_test(test_unknown_section),
                cmocka_unit_test(test_unknown_key),
                cmocka_unit_test(test_duplicates),
                cmocka_unit_test(test_bad_values),
                cmocka_unit_test(test_missing_command),
                cmocka_unit_test(test_unknown_user_group),
                cmocka_unit_test(test_unreadable),
                cmocka_unit_test(test_environment_file),
                cmocka_unit_test(test_syntax),
                cmocka_unit_test(test_trap_long_line),
                cmocka_unit_test(test_trap_long_line_limits),
                cmocka_unit_test(test_trap_semicolon),
                cmocka_unit_test(test_trap_indented_key),
                cmocka_unit_test(test_every_error_reported),
                cmocka_unit_test(test_format_round_trip),
                cmocka_unit_test(test_format_long_command),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
