/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "job.h"
#include "util/macro.h"

#define S USEC_PER_SEC

static Ladder ladder;

static int setup(void **state) {
        (void) state;
        return parse_ladder(LADDER_DEFAULT, &ladder, NULL);
}

static JobActions feed(Job *j, JobEvent ev, uint64_t now) {
        JobActions a;

        assert_int_equal(job_handle(j, &ev, now, &a), 0);
        return a;
}

#define EV(...) ((JobEvent) { __VA_ARGS__ })

static void test_clean_exit_without_leftovers_passes_the_status(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        a = feed(&j, EV(.type = JOB_EV_STARTED), 0);
        assert_int_equal(a.deliver, 0);
        assert_int_equal(j.phase, JOB_RUNNING);
        a = feed(&j, EV(.type = JOB_EV_EXITED, .status = 42), 1);
        assert_false(a.done);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 1);
        assert_true(a.done);
        assert_int_equal(a.exit_status, 42);
        assert_int_equal(j.phase, JOB_DONE);
        assert_true(a.timer == USEC_INFINITY);
}

static void test_tree_events_while_running_do_nothing(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = true), 1);
        assert_int_equal(a.deliver, 0);
        assert_false(a.done);
}

static void test_leftovers_are_stopped_from_the_top_rung(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        feed(&j, EV(.type = JOB_EV_EXITED, .status = 0), 10 * S);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = true), 10 * S);
        assert_int_equal(a.deliver, SIGINT);
        assert_int_equal(a.started, JOB_STOP_LEFTOVERS);
        assert_int_equal(a.timer, 12 * S);
        /* A second drain with children left does not restart the ladder. */
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = true), 11 * S);
        assert_int_equal(a.deliver, 0);
        assert_int_equal(a.timer, 12 * S);
        a = feed(&j, EV(.type = JOB_EV_LADDER_TIMER), 12 * S);
        assert_int_equal(a.deliver, SIGTERM);
        a = feed(&j, EV(.type = JOB_EV_LADDER_TIMER), 15 * S);
        assert_int_equal(a.deliver, SIGKILL);
        assert_true(a.deliver_final);
        /* Every drain at the last rung sweeps again. */
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = true), 15 * S + 1);
        assert_int_equal(a.deliver, SIGKILL);
        assert_true(a.deliver_final);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 15 * S + 2);
        assert_true(a.done);
        assert_int_equal(a.exit_status, 0);
}

static void test_wait_policy_waits_for_leftovers(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_WAIT);
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        feed(&j, EV(.type = JOB_EV_EXITED, .status = 3), 1);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = true), 1);
        assert_int_equal(a.deliver, 0);
        assert_true(a.timer == USEC_INFINITY);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 100 * S);
        assert_true(a.done);
        assert_int_equal(a.exit_status, 3);
}

static void test_timeout_starts_at_the_top_and_exits_124(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        a = feed(&j, EV(.type = JOB_EV_TIMEOUT), 20 * S);
        assert_int_equal(a.deliver, SIGINT);
        assert_int_equal(a.started, JOB_STOP_TIMEOUT);
        feed(&j, EV(.type = JOB_EV_EXITED, .status = 130), 20 * S + 1);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 20 * S + 1);
        assert_true(a.done);
        assert_int_equal(a.exit_status, 124);
}

static void test_sigterm_enters_its_rung_and_others_are_forwarded(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        a = feed(&j, EV(.type = JOB_EV_SIGNAL, .sig = SIGUSR1), 1);
        assert_int_equal(a.forward, SIGUSR1);
        assert_int_equal(a.deliver, 0);
        a = feed(&j, EV(.type = JOB_EV_SIGNAL, .sig = SIGHUP), 1);
        assert_int_equal(a.forward, SIGHUP);
        a = feed(&j, EV(.type = JOB_EV_SIGNAL, .sig = SIGTERM), 2);
        assert_int_equal(a.forward, 0);
        assert_int_equal(a.deliver, SIGTERM);
        assert_int_equal(a.started, JOB_STOP_SIGNAL);
        assert_int_equal(a.timer, 2 + 3 * S);
        a = feed(&j, EV(.type = JOB_EV_EXITED, .status = 128 + SIGTERM), 3);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 3);
        assert_int_equal(a.exit_status, 143);
}

static void test_sigquit_is_a_stop_signal_only_when_in_the_ladder(void **state) {
        Job j;
        Ladder quit;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        assert_false(job_is_stop_signal(&j, SIGQUIT));
        assert_true(job_is_stop_signal(&j, SIGINT));
        assert_true(job_is_stop_signal(&j, SIGTERM));
        assert_false(job_is_stop_signal(&j, SIGKILL));
        assert_int_equal(parse_ladder("SIGQUIT 1s, SIGKILL", &quit, NULL), 0);
        job_init(&j, &quit, LEFTOVERS_KILL);
        assert_true(job_is_stop_signal(&j, SIGQUIT));
}

static void test_stop_during_spawn_is_delivered_once_started(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        a = feed(&j, EV(.type = JOB_EV_SIGNAL, .sig = SIGTERM), 0);
        assert_int_equal(a.deliver, SIGTERM);
        a = feed(&j, EV(.type = JOB_EV_STARTED), 1);
        assert_int_equal(a.deliver, SIGTERM);
        assert_int_equal(a.timer, 3 * S);
}

static void test_start_failure_exits_with_its_status(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, EV(.type = JOB_EV_START_FAILED, .status = job_start_failure_status(true, -ENOENT)), 0);
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 0);
        assert_true(a.done);
        assert_int_equal(a.exit_status, 127);
        assert_int_equal(job_start_failure_status(true, -EACCES), 126);
        assert_int_equal(job_start_failure_status(true, -ENOEXEC), 126);
        assert_int_equal(job_start_failure_status(false, -EPERM), 125);
}

static void test_events_out_of_order_are_refused(void **state) {
        Job j;
        JobActions a;
        JobEvent started = { .type = JOB_EV_STARTED }, exited = { .type = JOB_EV_EXITED },
                 failed = { .type = JOB_EV_START_FAILED, .status = 127 };
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        feed(&j, started, 0);
        assert_int_equal(job_handle(&j, &started, 0, &a), -EINVAL);
        assert_int_equal(job_handle(&j, &failed, 0, &a), -EINVAL);
        feed(&j, exited, 0);
        assert_int_equal(job_handle(&j, &exited, 0, &a), -EINVAL);
        feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 0);
        assert_int_equal(job_handle(&j, &exited, 0, &a), -EINVAL);
}

static void test_leaks_fail_a_clean_exit_only_when_asked(void **state) {
        Job j;
        JobActions a;
        (void) state;

        job_init(&j, &ladder, LEFTOVERS_KILL);
        j.fail_on_leaks = true;
        feed(&j, EV(.type = JOB_EV_STARTED), 0);
        feed(&j, EV(.type = JOB_EV_EXITED, .status = 0), 1);
        j.n_leftovers = 2;
        a = feed(&j, EV(.type = JOB_EV_TREE, .children_left = false), 2);
        assert_int_equal(a.exit_status, TEND_EXIT_LEAKS);

        /* A failing command keeps its own status; without the option leaks are not a failure. */
        j.main_status = 3;
        assert_int_equal(job_exit_status(&j), 3);
        j.main_status = 0;
        j.fail_on_leaks = false;
        assert_int_equal(job_exit_status(&j), 0);
        j.fail_on_leaks = true;
        j.timed_out = true;
        assert_int_equal(job_exit_status(&j), 124);
}

static void test_wait_status_maps_to_shell_codes(void **state) {
        (void) state;
        assert_int_equal(job_status_from_wait(CLD_EXITED, 0), 0);
        assert_int_equal(job_status_from_wait(CLD_EXITED, 42), 42);
        assert_int_equal(job_status_from_wait(CLD_KILLED, SIGKILL), 137);
        assert_int_equal(job_status_from_wait(CLD_DUMPED, SIGSEGV), 139);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_clean_exit_without_leftovers_passes_the_status),
                cmocka_unit_test(test_tree_events_while_running_do_nothing),
                cmocka_unit_test(test_leftovers_are_stopped_from_the_top_rung),
                cmocka_unit_test(test_wait_policy_waits_for_leftovers),
                cmocka_unit_test(test_timeout_starts_at_the_top_and_exits_124),
                cmocka_unit_test(test_sigterm_enters_its_rung_and_others_are_forwarded),
                cmocka_unit_test(test_sigquit_is_a_stop_signal_only_when_in_the_ladder),
                cmocka_unit_test(test_stop_during_spawn_is_delivered_once_started),
                cmocka_unit_test(test_start_failure_exits_with_its_status),
                cmocka_unit_test(test_events_out_of_order_are_refused),
                cmocka_unit_test(test_leaks_fail_a_clean_exit_only_when_asked),
                cmocka_unit_test(test_wait_status_maps_to_shell_codes),
        };

        return cmocka_run_group_tests_name("job", tests, setup, NULL);
}
