/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>

#include "ladder.h"
#include "util/macro.h"

#define S USEC_PER_SEC

static Ladder ladder;

static int setup(void **state) {
        (void) state;
        return parse_ladder(LADDER_DEFAULT, &ladder, NULL);
}

static void test_start_enters_at_the_top_and_times_each_rung(void **state) {
        LadderState s = LADDER_STATE_INIT;
        (void) state;

        assert_false(ladder_running(&s));
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_START, 0, 10 * S), SIGINT);
        assert_int_equal(s.deadline, 12 * S);
        /* Early timer: nothing (a timer may fire before its deadline after a re-arm). */
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, 12 * S - 1), 0);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, 12 * S), SIGTERM);
        assert_int_equal(s.deadline, 15 * S);
        assert_false(ladder_final(&s, &ladder));
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, 15 * S), SIGKILL);
        assert_true(ladder_final(&s, &ladder));
        /* The last rung repeats until nothing is left. */
        assert_int_equal(s.deadline, 15 * S + LADDER_REPEAT_USEC);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, s.deadline), SIGKILL);
}

static void test_start_while_running_changes_nothing(void **state) {
        LadderState s = LADDER_STATE_INIT;
        (void) state;

        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGTERM, 0), SIGTERM);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_START, 0, 1 * S), 0);
        assert_int_equal(s.rung, 1);
        assert_int_equal(s.deadline, 3 * S);
}

static void test_sigterm_enters_at_its_rung(void **state) {
        LadderState s = LADDER_STATE_INIT;
        (void) state;

        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGTERM, 0), SIGTERM);
        /* The grace period passing is just a later 'now': nothing sleeps. */
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, s.deadline), SIGKILL);
}

static void test_same_signal_again_skips_to_the_next_rung(void **state) {
        LadderState s = LADDER_STATE_INIT;
        (void) state;

        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGINT, 0), SIGINT);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGINT, S / 10), SIGTERM);
        assert_int_equal(s.deadline, S / 10 + 3 * S);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGINT, S / 5), SIGKILL);
        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_SIGNAL, SIGINT, S / 4), SIGKILL);
}

static void test_later_signal_jumps_down_earlier_one_escalates(void **state) {
        LadderState s = LADDER_STATE_INIT;
        Ladder four;
        (void) state;

        assert_int_equal(parse_ladder("SIGHUP 1s, SIGINT 1s, SIGTERM 1s, SIGKILL", &four, NULL), 0);
        assert_int_equal(ladder_next(&s, &four, LADDER_EV_SIGNAL, SIGHUP, 0), SIGHUP);
        assert_int_equal(ladder_next(&s, &four, LADDER_EV_SIGNAL, SIGTERM, 1), SIGTERM);  /* jump */
        assert_int_equal(ladder_next(&s, &four, LADDER_EV_SIGNAL, SIGHUP, 2), SIGKILL);   /* never back */
}

static void test_unlisted_stop_signal_enters_at_the_top(void **state) {
        LadderState s = LADDER_STATE_INIT;
        Ladder term_only;
        (void) state;

        assert_int_equal(parse_ladder("SIGTERM 5s", &term_only, NULL), 0);
        assert_int_equal(ladder_next(&s, &term_only, LADDER_EV_SIGNAL, SIGINT, 0), SIGTERM);
        assert_int_equal(s.deadline, 5 * S);
}

static void test_timer_before_start_does_nothing(void **state) {
        LadderState s = LADDER_STATE_INIT;
        (void) state;

        assert_int_equal(ladder_next(&s, &ladder, LADDER_EV_TIMER, 0, 100 * S), 0);
        assert_false(ladder_running(&s));
}

static void test_sigkill_only_ladder_is_final_at_once(void **state) {
        LadderState s = LADDER_STATE_INIT;
        Ladder kill_only;
        (void) state;

        assert_int_equal(parse_ladder("SIGKILL", &kill_only, NULL), 0);
        assert_int_equal(ladder_next(&s, &kill_only, LADDER_EV_START, 0, 0), SIGKILL);
        assert_true(ladder_final(&s, &kill_only));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_start_enters_at_the_top_and_times_each_rung),
                cmocka_unit_test(test_start_while_running_changes_nothing),
                cmocka_unit_test(test_sigterm_enters_at_its_rung),
                cmocka_unit_test(test_same_signal_again_skips_to_the_next_rung),
                cmocka_unit_test(test_later_signal_jumps_down_earlier_one_escalates),
                cmocka_unit_test(test_unlisted_stop_signal_enters_at_the_top),
                cmocka_unit_test(test_timer_before_start_does_nothing),
                cmocka_unit_test(test_sigkill_only_ladder_is_final_at_once),
        };

        return cmocka_run_group_tests_name("ladder", tests, setup, NULL);
}
