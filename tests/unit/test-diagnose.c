/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "diagnose.h"
#include "util/macro.h"

static void test_dump_signals_are_spaced_within_half_the_grace(void **state) {
        (void) state;
        /* One process, or none: nothing to space. */
        assert_int_equal(diagnose_stagger_usec(2 * USEC_PER_SEC, 0), 0);
        assert_int_equal(diagnose_stagger_usec(2 * USEC_PER_SEC, 1), 0);
        /* A few: 50ms apart, so each dump is written alone. */
        assert_int_equal(diagnose_stagger_usec(2 * USEC_PER_SEC, 5), 50 * USEC_PER_MSEC);
        /* Many: the last one still goes out within half the grace. */
        assert_int_equal(diagnose_stagger_usec(2 * USEC_PER_SEC, 201), 5 * USEC_PER_MSEC);
        assert_true(diagnose_stagger_usec(2 * USEC_PER_SEC, 1000) * 999 <= USEC_PER_SEC);
        assert_int_equal(diagnose_stagger_usec(0, 10), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dump_signals_are_spaced_within_half_the_grace),
        };

        return cmocka_run_group_tests_name("diagnose", tests, NULL, NULL);
}
