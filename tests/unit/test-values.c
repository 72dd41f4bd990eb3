/* SPDX-License-Identifier: MIT */
/* The value parsers of issue 3 (parse.h): sizes, numbers, rlimits, modes, stdio, words, the
 * environment. Each on good and bad input. */

#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "parse.h"
#include "util/macro.h"
#include "util/strv.h"

static void test_size_good(void **state) {
        static const struct {
                const char *text;
                uint64_t bytes;
        } good[] = {
                { "0", 0 },
                { "1000", 1000 },
                { "512K", 512 * UINT64_C(1024) },
                { "512k", 512 * UINT64_C(1024) },
                { "64M", 64 * UINT64_C(1024) * 1024 },
                { "2G", UINT64_C(2) << 30 },
                { "3T", UINT64_C(3) << 40 },
                { "1P", UINT64_C(1) << 50 },
                { "15E", UINT64_C(15) << 60 },
                { "infinity", PARSE_INFINITY },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                uint64_t v = 0;

                assert_int_equal(parse_size(good[i].text, &v), 0);
                assert_true(v == good[i].bytes);
        }
}

static void test_size_bad(void **state) {
        static const char *const einval[] = { "", " 1", "1 ", "-1", "+1", "1.5G", "1KB", "1MiB", "G", "1Q", "inf", "0x10" };
        uint64_t v = 7;
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(einval); i++)
                assert_int_equal(parse_size(einval[i], &v), -EINVAL);
        assert_int_equal(parse_size("16E", &v), -ERANGE);
        assert_int_equal(parse_size("18446744073709551615", &v), -ERANGE);     /* that is infinity */
        assert_int_equal(parse_size("99999999999999999999", &v), -ERANGE);
        assert_int_equal(parse_size(NULL, &v), -EINVAL);
        assert_true(v == 7);    /* untouched on failure */
}

static void test_size_format(void **state) {
        char buf[SIZE_MAX_LEN];
        (void) state;

        assert_string_equal(format_size(0, buf, sizeof buf), "0");
        assert_string_equal(format_size(1000, buf, sizeof buf), "1000");
        assert_string_equal(format_size(1024, buf, sizeof buf), "1K");
        assert_string_equal(format_size(1536 * 1024, buf, sizeof buf), "1536K");
        assert_string_equal(format_size(UINT64_C(64) << 20, buf, sizeof buf), "64M");
        assert_string_equal(format_size(UINT64_C(2) << 30, buf, sizeof buf), "2G");
        assert_string_equal(format_size(PARSE_INFINITY, buf, sizeof buf), "infinity");
}

static void test_numbers(void **state) {
        uint64_t u;
        int i;
        (void) state;

        assert_int_equal(parse_uint64("18446744073709551615", &u), 0);
        assert_true(u == UINT64_MAX);
        assert_int_equal(parse_uint64("18446744073709551616", &u), -ERANGE);
        assert_int_equal(parse_uint64("-1", &u), -EINVAL);
        assert_int_equal(parse_uint64("1x", &u), -EINVAL);
        assert_int_equal(parse_count("infinity", &u), 0);
        assert_true(u == PARSE_INFINITY);
        assert_int_equal(parse_count("18446744073709551615", &u), -ERANGE);

        assert_int_equal(parse_int_range("-5", -10, 10, &i), 0);
        assert_int_equal(i, -5);
        assert_int_equal(parse_int_range("+5", -10, 10, &i), 0);
        assert_int_equal(i, 5);
        assert_int_equal(parse_int_range("11", -10, 10, &i), -ERANGE);
        assert_int_equal(parse_int_range("-", -10, 10, &i), -EINVAL);
        assert_int_equal(parse_int_range("--1", -10, 10, &i), -EINVAL);
        assert_int_equal(parse_int_range("99999999999999999999", -10, 10, &i), -ERANGE);
}

static void test_nice_oom_umask(void **state) {
        unsigned m;
        int v;
        (void) state;

        assert_int_equal(parse_nice("-20", &v), 0);
        assert_int_equal(v, -20);
        assert_int_equal(parse_nice("19", &v), 0);
        assert_int_equal(parse_nice("20", &v), -ERANGE);
        assert_int_equal(parse_nice("-21", &v), -ERANGE);
        assert_int_equal(parse_nice("five", &v), -EINVAL);
        assert_int_equal(parse_oom_score_adj("-1000", &v), 0);
        assert_int_equal(parse_oom_score_adj("1000", &v), 0);
        assert_int_equal(v, 1000);
        assert_int_equal(parse_oom_score_adj("1001", &v), -ERANGE);
        assert_int_equal(parse_oom_score_adj("", &v), -EINVAL);

        assert_int_equal(parse_umask("022", &m), 0);
        assert_int_equal(m, 022);
        assert_int_equal(parse_umask("0077", &m), 0);
        assert_int_equal(m, 077);
        assert_int_equal(parse_umask("7", &m), 0);
        assert_int_equal(m, 7);
        assert_int_equal(parse_umask("0777", &m), 0);
        assert_int_equal(parse_umask("1777", &m), -ERANGE);
        assert_int_equal(parse_umask("00022", &m), -ERANGE);
        assert_int_equal(parse_umask("08", &m), -EINVAL);
        assert_int_equal(parse_umask("", &m), -EINVAL);
        assert_int_equal(parse_umask("u=rwx", &m), -EINVAL);
}

static void test_boolean(void **state) {
        static const char *const yes[] = { "yes", "YES", "true", "True", "on", "1" };
        static const char *const no[] = { "no", "No", "false", "FALSE", "off", "0" };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                assert_int_equal(parse_boolean(yes[i]), 1);
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                assert_int_equal(parse_boolean(no[i]), 0);
        assert_int_equal(parse_boolean("y"), -EINVAL);
        assert_int_equal(parse_boolean("2"), -EINVAL);
        assert_int_equal(parse_boolean(""), -EINVAL);
        assert_int_equal(parse_boolean(NULL), -EINVAL);
}

static void test_cpu_percent(void **state) {
        unsigned v;
        (void) state;

        assert_int_equal(parse_cpu_percent("50%", &v), 0);
        assert_int_equal(v, 50);
        assert_int_equal(parse_cpu_percent("200%", &v), 0);
        assert_int_equal(v, 200);
        assert_int_equal(parse_cpu_percent("infinity", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(parse_cpu_percent("0%", &v), -ERANGE);
        assert_int_equal(parse_cpu_percent("1000001%", &v), -ERANGE);
        assert_int_equal(parse_cpu_percent("50", &v), -EINVAL);
        assert_int_equal(parse_cpu_percent("%", &v), -EINVAL);
        assert_int_equal(parse_cpu_percent("12.5%", &v), -EINVAL);
        assert_int_equal(parse_cpu_percent("-5%", &v), -EINVAL);
        assert_int_equal(parse_cpu_percent("99999999999999999999%", &v), -ERANGE);
}

static void test_rlimit_names(void **state) {
        static const char *const names[] = {
                "nofile", "nproc", "core", "as", "data", "stack", "cpu", "fsize", "memlock", "rss",
                "msgqueue", "nice", "rtprio", "sigpending",
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                int r = rlimit_from_string(names[i]);

                assert_true(r >= 0 && r < RLIMIT_NLIMITS);
                assert_string_equal(rlimit_to_string(r), names[i]);
        }
        assert_int_equal(rlimit_from_string("NOFILE"), -EINVAL);
        assert_int_equal(rlimit_from_string("files"), -EINVAL);
        assert_int_equal(rlimit_kind(RLIMIT_NOFILE), RLIMIT_KIND_COUNT);
        assert_int_equal(rlimit_kind(RLIMIT_AS), RLIMIT_KIND_SIZE);
        assert_int_equal(rlimit_kind(RLIMIT_CPU), RLIMIT_KIND_SECONDS);
}

static void test_rlimit_good(void **state) {
        static const struct {
                int resource;
                const char *text, *normal;
                uint64_t soft, hard;
        } good[] = {
                { RLIMIT_NOFILE, "1024", "1024", 1024, 1024 },
                { RLIMIT_NOFILE, "1024:4096", "1024:4096", 1024, 4096 },
                { RLIMIT_NOFILE, "1024:infinity", "1024:infinity", 1024, PARSE_INFINITY },
                { RLIMIT_NOFILE, "infinity", "infinity", PARSE_INFINITY, PARSE_INFINITY },
                { RLIMIT_CORE, "0", "0", 0, 0 },
                { RLIMIT_AS, "2048M:4G", "2G:4G", UINT64_C(2) << 30, UINT64_C(4) << 30 },
                { RLIMIT_STACK, "8388608", "8M", 8 << 20, 8 << 20 },
                { RLIMIT_CPU, "90", "1m30s", 90, 90 },
                { RLIMIT_CPU, "1m:2m", "1m:2m", 60, 120 },
                { RLIMIT_CPU, "1h", "1h", 3600, 3600 },
                { RLIMIT_NICE, "0:40", "0:40", 0, 40 },
                { RLIMIT_RTPRIO, "99", "99", 99, 99 },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                char buf[RLIMIT_MAX_LEN];
                uint64_t soft = 1, hard = 1;

                assert_int_equal(parse_rlimit(good[i].text, good[i].resource, &soft, &hard, NULL), 0);
                assert_true(soft == good[i].soft);
                assert_true(hard == good[i].hard);
                assert_string_equal(format_rlimit(good[i].resource, soft, hard, buf, sizeof buf), good[i].normal);
        }
}

static void test_rlimit_bad(void **state) {
        static const struct {
                int resource;
                const char *text, *why;
                int r;
        } bad[] = {
                { RLIMIT_NOFILE, "4096:1024", "the soft limit is above the hard limit", -EINVAL },
                { RLIMIT_NOFILE, "infinity:1", "the soft limit is above the hard limit", -EINVAL },
                { RLIMIT_NOFILE, "1K", "not a number", -EINVAL },
                { RLIMIT_NOFILE, "", "not a number", -EINVAL },
                { RLIMIT_NOFILE, "1:", "not a number", -EINVAL },
                { RLIMIT_NOFILE, ":1", "not a number", -EINVAL },
                { RLIMIT_NOFILE, "1:2:3", "not a number", -EINVAL },
                { RLIMIT_CORE, "1Q", "not a size", -EINVAL },
                { RLIMIT_CORE, "16E", "size out of range", -ERANGE },
                { RLIMIT_CPU, "1500ms", "the CPU limit counts whole seconds", -EINVAL },
                { RLIMIT_CPU, "soon", "not a duration", -EINVAL },
                { RLIMIT_NICE, "41", "the nice limit goes from 0 to 40", -ERANGE },
                { RLIMIT_RTPRIO, "100", "the rtprio limit goes from 0 to 99", -ERANGE },
                { 1000, "1", "unknown resource", -EINVAL },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                const char *why = NULL;
                uint64_t soft = 7, hard = 7;

                assert_int_equal(parse_rlimit(bad[i].text, bad[i].resource, &soft, &hard, &why), bad[i].r);
                assert_string_equal(why, bad[i].why);
                assert_true(soft == 7 && hard == 7);
        }
}

static void test_stdio(void **state) {
        const char *path, *why;
        StdioType t;
        (void) state;

        assert_int_equal(parse_stdio("inherit", false, &t, &path, NULL), 0);
        assert_int_equal(t, STDIO_INHERIT);
        assert_null(path);
        assert_int_equal(parse_stdio("null", true, &t, &path, NULL), 0);
        assert_int_equal(t, STDIO_NULL);
        assert_int_equal(parse_stdio("file:/var/log/x", false, &t, &path, NULL), 0);
        assert_int_equal(t, STDIO_FILE);
        assert_string_equal(path, "/var/log/x");
        assert_int_equal(parse_stdio("file:/etc/input", true, &t, &path, NULL), 0);
        assert_int_equal(parse_stdio("append:rel/x.log", false, &t, &path, NULL), 0);
        assert_int_equal(t, STDIO_APPEND);
        assert_string_equal(path, "rel/x.log");

        assert_int_equal(parse_stdio("append:/x", true, &t, &path, &why), -EINVAL);
        assert_string_equal(why, "stdin cannot append");
        assert_int_equal(parse_stdio("file:", false, &t, &path, &why), -EINVAL);
        assert_string_equal(why, "empty path");
        assert_int_equal(parse_stdio("journal", false, &t, &path, &why), -EINVAL);
        assert_string_equal(why, "'journal' is not supported yet");
        assert_int_equal(parse_stdio("tty", false, &t, &path, &why), -EINVAL);
        assert_string_equal(why, "unknown kind");
        assert_int_equal(parse_stdio("Null", false, &t, &path, &why), -EINVAL);
        assert_string_equal(stdio_type_to_string(STDIO_APPEND), "append");
}

static void assert_words(const char *text, const char *const *expected) {
        _cleanup_strv_free_ char **words = NULL;
        const char *why = NULL;
        size_t i;

        assert_int_equal(parse_words(text, &words, &why), 0);
        for (i = 0; expected[i]; i++) {
                assert_non_null(words[i]);
                assert_string_equal(words[i], expected[i]);
        }
        assert_null(words[i]);
}

static void test_words_good(void **state) {
        (void) state;

        assert_words("", (const char *const[]) { NULL });
        assert_words("  \t ", (const char *const[]) { NULL });
        assert_words("a b  c", (const char *const[]) { "a", "b", "c", NULL });
        assert_words(" sh -c 'echo a; echo b' ", (const char *const[]) { "sh", "-c", "echo a; echo b", NULL });
        assert_words("'it'\\''s'", (const char *const[]) { "it's", NULL });
        assert_words("\"a \\\"q\\\" \\\\ \\$HOME \\n\"", (const char *const[]) { "a \"q\" \\ $HOME \\n", NULL });
        assert_words("a\\ b \\;", (const char *const[]) { "a b", ";", NULL });
        assert_words("''", (const char *const[]) { "", NULL });
        assert_words("x''y\"\"z", (const char *const[]) { "xyz", NULL });
        assert_words("'a'\"b\"c", (const char *const[]) { "abc", NULL });
        assert_words("'\\'", (const char *const[]) { "\\", NULL });
        assert_words("printf 'a\\nb'", (const char *const[]) { "printf", "a\\nb", NULL });
}

static void test_words_bad(void **state) {
        static const struct {
                const char *text, *why;
        } bad[] = {
                { "echo 'a", "unterminated single quote" },
                { "echo \"a", "unterminated double quote" },
                { "echo \"a\\\"", "unterminated double quote" },
                { "echo a\\", "trailing backslash" },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char **words = NULL;
                const char *why = NULL;

                assert_int_equal(parse_words(bad[i].text, &words, &why), -EINVAL);
                assert_string_equal(why, bad[i].why);
                assert_null(words);
        }
}

static void test_command(void **state) {
        _cleanup_strv_free_ char **argv = NULL;
        const char *why;
        char **none = NULL;
        (void) state;

        assert_int_equal(parse_command("/bin/echo hi", &argv, &why), 0);
        assert_string_equal(argv[0], "/bin/echo");
        assert_string_equal(argv[1], "hi");
        assert_null(argv[2]);
        assert_int_equal(parse_command("   ", &none, &why), -EINVAL);
        assert_string_equal(why, "empty command");
        assert_int_equal(parse_command("'' x", &none, &why), -EINVAL);
        assert_string_equal(why, "empty program name");
        assert_null(none);
}

static void test_quote_word_round_trip(void **state) {
        static const char *const words[] = {
                "plain", "", "two words", "it's", "a ;b", "a ; b", ";", "#x", "x#", "tab\there", "\"q\"",
                "back\\slash", "$HOME", "nice=5", "'", "''", " ;", "é",
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(words); i++)
                for (int force = 0; force <= 1; force++) {
                        _cleanup_free_ char *q = quote_word(words[i], force);
                        _cleanup_strv_free_ char **back = NULL;

                        assert_non_null(q);
                        assert_int_equal(parse_words(q, &back, NULL), 0);
                        assert_non_null(back[0]);
                        assert_string_equal(back[0], words[i]);
                        assert_null(back[1]);
                        /* No ';' after white space: an ini parser would cut the line there. */
                        for (const char *p = q; *p; p++)
                                assert_false(*p == ';' && p > q && (p[-1] == ' ' || p[-1] == '\t'));
                }

        {
                _cleanup_free_ char *a = quote_word("plain", false), *b = quote_word("nice=5", true);

                assert_string_equal(a, "plain");
                assert_string_equal(b, "'nice=5'");
        }
}

static void test_env(void **state) {
        _cleanup_strv_free_ char **env = NULL;
        char **none = NULL;
        const char *why;
        (void) state;

        assert_int_equal(parse_env_assignment("A=1", NULL), 0);
        assert_int_equal(parse_env_assignment("_x9=", NULL), 0);
        assert_int_equal(parse_env_assignment("A==b", NULL), 0);
        assert_int_equal(parse_env_assignment("A", &why), -EINVAL);
        assert_string_equal(why, "not a NAME=VALUE assignment");
        assert_int_equal(parse_env_assignment("=1", &why), -EINVAL);
        assert_string_equal(why, "bad variable name");
        assert_int_equal(parse_env_assignment("9A=1", &why), -EINVAL);
        assert_int_equal(parse_env_assignment("A-B=1", &why), -EINVAL);

        assert_int_equal(parse_env_line("A=1 \"B=two words\" C='x y' D=\"q\"", &env, &why), 0);
        assert_string_equal(env[0], "A=1");
        assert_string_equal(env[1], "B=two words");
        assert_string_equal(env[2], "C=x y");
        assert_string_equal(env[3], "D=q");
        assert_null(env[4]);
        assert_int_equal(parse_env_line("A=1 oops", &none, &why), -EINVAL);
        assert_string_equal(why, "not a NAME=VALUE assignment");
        assert_int_equal(parse_env_line("", &none, &why), -EINVAL);
        assert_string_equal(why, "no assignment");
        assert_int_equal(parse_env_line("A='x", &none, &why), -EINVAL);
        assert_string_equal(why, "unterminated single quote");
        assert_null(none);
}

static void test_edit_distance(void **state) {
        (void) state;

        assert_int_equal(edit_distance("", ""), 0);
        assert_int_equal(edit_distance("memory_max", "memory_max"), 0);
        assert_int_equal(edit_distance("memmory_max", "memory_max"), 1);
        assert_int_equal(edit_distance("memroy_max", "memory_max"), 1);       /* a transposition */
        assert_int_equal(edit_distance("kitten", "sitting"), 3);
        assert_int_equal(edit_distance("", "abc"), 3);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_size_good),
                cmocka_unit_test(test_size_bad),
                cmocka_unit_test(test_size_format),
                cmocka_unit_test(test_numbers),
                cmocka_unit_test(test_nice_oom_umask),
                cmocka_unit_test(test_boolean),
                cmocka_unit_test(test_cpu_percent),
                cmocka_unit_test(test_rlimit_names),
                cmocka_unit_test(test_rlimit_good),
                cmocka_unit_test(test_rlimit_bad),
                cmocka_unit_test(test_stdio),
                cmocka_unit_test(test_words_good),
                cmocka_unit_test(test_words_bad),
                cmocka_unit_test(test_command),
                cmocka_unit_test(test_quote_word_round_trip),
                cmocka_unit_test(test_env),
                cmocka_unit_test(test_edit_distance),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
