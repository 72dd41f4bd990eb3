/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proctree.h"
#include "util/macro.h"

static void test_stat_is_read_after_the_last_paren(void **state) {
        /* comm holds ") S 1 1 1" to fool a naive parser. */
        const char *line = "4242 (evil) S 1 1 1) Z 77 4242 100 34816 4242 4194560 100 0 0 0 5 6 0 0 20 0 1 0 "
                           "987654 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        ProcEntry e;

        (void) state;
        assert_int_equal(proc_parse_stat(line, strlen(line), &e), 0);
        assert_int_equal(e.pid, 4242);
        assert_int_equal(e.state, 'Z');
        assert_int_equal(e.ppid, 77);
        assert_int_equal(e.pgid, 4242);
        assert_int_equal(e.sid, 100);
        assert_int_equal(e.starttime, 987654);
}

static void test_stat_rejects_truncated_lines(void **state) {
        const char *bad[] = { "", "12", "12 (x", "12 (x) S 1 2", "x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19" };
        ProcEntry e;

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_int_equal(proc_parse_stat(bad[i], strlen(bad[i]), &e), -EINVAL);
}

static bool has(const ProcList *l, pid_t pid) {
        for (size_t i = 0; i < l->n; i++)
                if (l->entries[i].pid == pid)
                        return true;
        return false;
}

static void test_descendants_follow_parents_to_the_root(void **state) {
        /* 10 is tend; 11, 12 its children; 13 under 12; 14 under 13; 20 and 21 elsewhere; 30 a loop
         * of bad data pointing at itself; 40 a child of a process not in the snapshot. */
        ProcEntry v[] = {
                { .pid = 14, .ppid = 13 }, { .pid = 1, .ppid = 0 },   { .pid = 10, .ppid = 1 },
                { .pid = 11, .ppid = 10 }, { .pid = 12, .ppid = 10 }, { .pid = 13, .ppid = 12 },
                { .pid = 20, .ppid = 1 },  { .pid = 21, .ppid = 20 }, { .pid = 30, .ppid = 30 },
                { .pid = 40, .ppid = 39 },
        };
        ProcList all = { .entries = v, .n = ELEMENTSOF(v) }, d;

        (void) state;
        assert_int_equal(proc_descendants(&all, 10, &d), 0);
        assert_int_equal(d.n, 4);
        assert_true(has(&d, 11) && has(&d, 12) && has(&d, 13) && has(&d, 14));
        assert_false(has(&d, 10) || has(&d, 20) || has(&d, 21) || has(&d, 30) || has(&d, 40));
        proc_list_done(&d);

        assert_int_equal(proc_descendants(&all, 1, &d), 0);
        assert_int_equal(d.n, 7);
        proc_list_done(&d);

        all.n = 0;
        assert_int_equal(proc_descendants(&all, 1, &d), 0);
        assert_int_equal(d.n, 0);
}

static void test_scan_finds_this_process(void **state) {
        ProcList all = { 0 };
        ProcEntry self;

        (void) state;
        assert_int_equal(proc_matches_namespace(), 1);
        assert_int_equal(proc_scan(&all), 0);
        assert_true(has(&all, getpid()));
        assert_int_equal(proc_read_stat(getpid(), &self), 0);
        assert_int_equal(self.ppid, getppid());
        assert_int_equal(self.state, 'R');
        proc_list_done(&all);
}

static void test_signal_checked_skips_a_reused_pid(void **state) {
        ProcEntry self;

        (void) state;
        assert_int_equal(proc_read_stat(getpid(), &self), 0);
        assert_int_equal(proc_signal_checked(&self, 0), 1);
        self.starttime++;       /* as if the pid now named another process */
        assert_int_equal(proc_signal_checked(&self, 0), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_stat_is_read_after_the_last_paren),
                cmocka_unit_test(test_stat_rejects_truncated_lines),
                cmocka_unit_test(test_descendants_follow_parents_to_the_root),
                cmocka_unit_test(test_scan_finds_this_process),
                cmocka_unit_test(test_signal_checked_skips_a_reused_pid),
        };

        return cmocka_run_group_tests_name("proctree", tests, NULL, NULL);
}
