/* SPDX-License-Identifier: MIT */
#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "parse.h"
#include "util/macro.h"

static const char *signal_name_buf(int sig) {
        static char buf[SIGNAL_NAME_MAX];

        return signal_name(sig, buf, sizeof buf);
}

static uint64_t dur(const char *s) {
        uint64_t v = 0;

        assert_int_equal(parse_duration(s, &v), 0);
        return v;
}

static void test_duration_accepts_units_fractions_and_bare_seconds(void **state) {
        (void) state;
        assert_int_equal(dur("250ms"), 250 * USEC_PER_MSEC);
        assert_int_equal(dur("0.5s"), USEC_PER_SEC / 2);
        assert_int_equal(dur("5s"), 5 * USEC_PER_SEC);
        assert_int_equal(dur("1m30s"), 90 * USEC_PER_SEC);
        assert_int_equal(dur("1m 30s"), 90 * USEC_PER_SEC);
        assert_int_equal(dur("2h"), 7200 * USEC_PER_SEC);
        assert_int_equal(dur("1d"), 86400 * USEC_PER_SEC);
        assert_int_equal(dur("3"), 3 * USEC_PER_SEC);
        assert_int_equal(dur("1.25"), 1250 * USEC_PER_MSEC);
        assert_int_equal(dur(" 7us"), 7);
        assert_int_equal(dur("2min"), 120 * USEC_PER_SEC);
        assert_int_equal(dur("0"), 0);
        assert_true(dur("infinity") == USEC_INFINITY);
}

static void test_duration_rejects_garbage_and_overflow(void **state) {
        const char *bad[] = { "", " ", "s", "-1s", "1x", "1m30", "5 s x", "1..2s", ".s", "1s2", "abc",
                              "99999999999999999999s", "200000000000d", "1e3" };
        uint64_t v;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_true(parse_duration(bad[i], &v) < 0);
        assert_int_equal(parse_duration(NULL, &v), -EINVAL);
}

static void test_duration_formats_shortest_exact_form(void **state) {
        char buf[DURATION_MAX_LEN];

        (void) state;
        assert_string_equal(format_duration(90 * USEC_PER_SEC, buf, sizeof buf), "1m30s");
        assert_string_equal(format_duration(250 * USEC_PER_MSEC, buf, sizeof buf), "250ms");
        assert_string_equal(format_duration(0, buf, sizeof buf), "0");
        assert_string_equal(format_duration(USEC_INFINITY, buf, sizeof buf), "infinity");
        assert_string_equal(format_duration(1500 * USEC_PER_MSEC, buf, sizeof buf), "1s500ms");
        /* Round trip. */
        assert_int_equal(dur(format_duration(93784005006, buf, sizeof buf)), 93784005006);
}

static void test_signal_accepts_names_short_names_and_numbers(void **state) {
        (void) state;
        assert_int_equal(parse_signal("SIGTERM"), SIGTERM);
        assert_int_equal(parse_signal("TERM"), SIGTERM);
        assert_int_equal(parse_signal("sigterm"), SIGTERM);
        assert_int_equal(parse_signal("15"), SIGTERM);
        assert_int_equal(parse_signal("9"), SIGKILL);
        assert_int_equal(parse_signal("SIGUSR1"), SIGUSR1);
        assert_int_equal(parse_signal("WINCH"), SIGWINCH);
        assert_int_equal(parse_signal("SIGRTMIN"), SIGRTMIN);
        assert_int_equal(parse_signal("RTMIN+2"), SIGRTMIN + 2);
        assert_int_equal(parse_signal("SIGRTMAX-1"), SIGRTMAX - 1);
        assert_int_equal(parse_signal("SIG15"), SIGTERM);
        assert_int_equal(parse_signal(signal_name_buf(SIGRTMIN + 1)), SIGRTMIN + 1);
}

static void test_signal_rejects_unknown_zero_and_out_of_range(void **state) {
        /* 32 and 33 belong to glibc's threads (a fuzzer find: "SIG33" did not read back). */
        const char *bad[] = { "", "0", "32", "33", "SIG33", "65", "1000", "SIG", "SIGFOO", "TERM2", "-15", "15x", "RTMIN-1",
                              "RTMIN+99", "RTMAX+1" };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_true(parse_signal(bad[i]) < 0);
        assert_true(parse_signal(NULL) < 0);
}

static void test_signal_names_round_trip(void **state) {
        char buf[SIGNAL_NAME_MAX];

        (void) state;
        for (int sig = 1; sig <= SIGRTMAX; sig++) {
                if (sig > SIGSYS && sig < SIGRTMIN)
                        continue;       /* glibc-reserved */
                assert_int_equal(parse_signal(signal_name(sig, buf, sizeof buf)), sig);
        }
        assert_string_equal(signal_name(SIGINT, buf, sizeof buf), "SIGINT");
}

static void test_ladder_parses_default_and_appends_sigkill(void **state) {
        Ladder l;
        char buf[LADDER_MAX_LEN];

        (void) state;
        assert_int_equal(parse_ladder(LADDER_DEFAULT, &l, NULL), 0);
        assert_int_equal(l.n, 3);
        assert_int_equal(l.rungs[0].sig, SIGINT);
        assert_int_equal(l.rungs[0].grace_usec, 2 * USEC_PER_SEC);
        assert_int_equal(l.rungs[1].sig, SIGTERM);
        assert_int_equal(l.rungs[1].grace_usec, 3 * USEC_PER_SEC);
        assert_int_equal(l.rungs[2].sig, SIGKILL);
        assert_string_equal(format_ladder(&l, buf, sizeof buf), LADDER_DEFAULT);

        assert_int_equal(parse_ladder("TERM 500ms", &l, NULL), 0);
        assert_int_equal(l.n, 2);
        assert_int_equal(l.rungs[1].sig, SIGKILL);
        assert_string_equal(format_ladder(&l, buf, sizeof buf), "SIGTERM 500ms, SIGKILL");

        assert_int_equal(parse_ladder("SIGKILL", &l, NULL), 0);
        assert_int_equal(l.n, 1);
        assert_int_equal(parse_ladder("  SIGQUIT 1s ,SIGTERM   2s,  KILL  ", &l, NULL), 0);
        assert_int_equal(l.n, 3);
        assert_int_equal(l.rungs[0].sig, SIGQUIT);
        assert_int_equal(ladder_rung_of(&l, SIGTERM), 1);
        assert_int_equal(ladder_rung_of(&l, SIGINT), -1);
}

static void test_ladder_rejects_bad_rungs_with_a_reason(void **state) {
        static const struct {
                const char *text, *why;
        } bad[] = {
                { "", "empty rung" },
                { "SIGINT 2s,", "empty rung" },
                { "SIGINT, SIGKILL", "every rung but the last needs a grace period" },
                { "SIGINT", "the last rung needs a grace period unless it is SIGKILL" },
                { "SIGKILL, SIGTERM 1s", "SIGKILL must be the last rung" },
                { "SIGKILL 1s", "SIGKILL is final and takes no grace period" },
                { "SIGFOO 1s, SIGKILL", "unknown signal" },
                { "SIGINT 2x, SIGKILL", "bad grace period" },
                { "SIGINT infinity, SIGKILL", "a grace period must be finite" },
                { "SIGINT 1s, SIGINT 2s, SIGKILL", "a signal may appear only once" },
                { "HUP 1s, INT 1s, QUIT 1s, USR1 1s, USR2 1s, TERM 1s, ALRM 1s, PWR 1s", "too many rungs" },
                { "HUP 1s, INT 1s, QUIT 1s, USR1 1s, USR2 1s, TERM 1s, ALRM 1s, PWR 1s, KILL", "too many rungs" },
        };
        Ladder l;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                const char *why = NULL;

                assert_int_equal(parse_ladder(bad[i].text, &l, &why), -EINVAL);
                assert_non_null(why);
                assert_string_equal(why, bad[i].why);
        }
}

static void test_ladder_accepts_eight_rungs_with_sigkill(void **state) {
        Ladder l;

        (void) state;
        assert_int_equal(parse_ladder("HUP 1s, INT 1s, QUIT 1s, USR1 1s, USR2 1s, TERM 1s, ALRM 1s, KILL", &l, NULL), 0);
        assert_int_equal(l.n, LADDER_RUNGS_MAX);
        assert_int_equal(parse_ladder("HUP 1s, INT 1s, QUIT 1s, USR1 1s, USR2 1s, TERM 1s, ALRM 1s", &l, NULL), 0);
        assert_int_equal(l.n, LADDER_RUNGS_MAX);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_duration_accepts_units_fractions_and_bare_seconds),
                cmocka_unit_test(test_duration_rejects_garbage_and_overflow),
                cmocka_unit_test(test_duration_formats_shortest_exact_form),
                cmocka_unit_test(test_signal_accepts_names_short_names_and_numbers),
                cmocka_unit_test(test_signal_rejects_unknown_zero_and_out_of_range),
                cmocka_unit_test(test_signal_names_round_trip),
                cmocka_unit_test(test_ladder_parses_default_and_appends_sigkill),
                cmocka_unit_test(test_ladder_rejects_bad_rungs_with_a_reason),
                cmocka_unit_test(test_ladder_accepts_eight_rungs_with_sigkill),
        };

        return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
