/* SPDX-License-Identifier: MIT */
#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procinfo.h"
#include "treeview.h"
#include "util/macro.h"

#ifndef TEST_DATA_DIR
#  error "compile with -DTEST_DATA_DIR='\"path/to/tests/data\"'"
#endif

#define HEADER "    PID S     AGE     CPU    RSS    PGID     SID WCHAN                COMMAND\n"
#define UPTIME_USEC UINT64_C(5012345678)        /* 5012.345678 s after boot */

static void read_fixture(const char *dir, const char *file, char *buf, size_t size, size_t *ret_len) {
        char path[PATH_MAX];
        FILE *f;

        snprintf(path, sizeof path, "%s/proc/%s/%s", TEST_DATA_DIR, dir, file);
        f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open fixture %s", path);
        *ret_len = fread(buf, 1, size, f);
        assert_false(ferror(f));
        fclose(f);
}

/* A ProcInfo from tests/data/proc/<dir>/{stat,cmdline,wchan}, as procinfo_read() would build it. */
static void load(ProcInfo *p, const char *dir) {
        char buf[4096];
        size_t len;

        read_fixture(dir, "stat", buf, sizeof buf, &len);
        assert_int_equal(procinfo_parse_stat(buf, len, p), 0);
        read_fixture(dir, "cmdline", buf, sizeof buf, &len);
        assert_int_equal(procinfo_parse_cmdline(buf, len, p), 0);
        read_fixture(dir, "wchan", buf, sizeof buf, &len);
        assert_int_equal(procinfo_parse_wchan(buf, len, p), 0);
        procinfo_derive(p, UPTIME_USEC, 100, 4096);
}

/* A minimal record: cmdline given as bytes with NUL separators. */
static ProcInfo make(pid_t pid, pid_t ppid, char state, const char *cmdline, size_t len) {
        ProcInfo p = {
                .pid = pid,
                .ppid = ppid,
                .pgid = pid,
                .sid = 1,
                .state = state,
        };

        strcpy(p.comm, "comm");
        assert_int_equal(procinfo_parse_cmdline(cmdline, len, &p), 0);
        return p;
}

#define MAKE(pid, ppid, state, lit) make(pid, ppid, state, lit, sizeof(lit) - 1)

static char *render(const ProcInfo *v, size_t n, const TreeviewOptions *opts) {
        char *text = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&text, &size);
        assert_non_null(f);
        assert_int_equal(treeview_render(f, v, n, opts), 0);
        assert_int_equal(fclose(f), 0);
        return text;
}

static char *cmdline_text(const ProcInfo *p) {
        char *s = NULL;

        assert_int_equal(treeview_format_cmdline(p, &s), 0);
        return s;
}

static void test_fixture_session_renders_as_an_indented_tree(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[5];
        (void) state;

        /* Given out of order on purpose. */
        load(&v[0], "spaces");          /* 1240, child of 1234 */
        load(&v[1], "normal");          /* 1234, whose parent 1200 is not in the list */
        load(&v[2], "zombie");          /* 1250 */
        load(&v[3], "kthread");         /* 87, child of kthreadd (2), not in the list */
        load(&v[4], "evil-comm");       /* 4321, child of 1234 */
        v[2].ppid = 1240;               /* the zombie is a grandchild */
        v[1].sockets_known = true;
        v[1].sockets.tcp[PROC_TCP_CLOSE_WAIT] = 3;
        v[1].sockets.tcp[PROC_TCP_LISTEN] = 1;
        v[1].sockets.udp = 1;

        text = render(v, ELEMENTSOF(v), NULL);
        assert_string_equal(text,
                HEADER
                "     87 I   1h23m   0.03s      0       0       0 worker_thread        "
                        "[kworker/u8:3-events_unbound]\n"
                "   1234 S   12.3s   0.52s  12.4M    1234    1200 ep_poll              python3 -m pytest -x"
                        "  [tcp: 3 CLOSE_WAIT, 1 LISTEN; udp: 1]\n"
                "   1240 S   11.3s   0.01s   880K    1234    1200 do_wait               \\_ sh -c "
                        "'echo \\'hi there\\' \"x\"\\nsleep 1000' caf\xc3\xa9 bad\\x9f\\xffbytes\n"
                "   1250 Z   10.3s      0s      0    1234    1200 -                     |   \\_ <zombie> [sleep]\n"
                "   4321 D   22.3s   5.00s   3.9M    1234    1200 io_schedule           \\_ "
                        "<D: uninterruptible> ./evil\n");
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_siblings_are_sorted_by_pid_and_continuation_bars_show(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[] = {
                MAKE(30, 10, 'S', "c"),
                MAKE(10, 1, 'S', "root"),
                MAKE(21, 20, 'S', "b1"),
                MAKE(20, 10, 'S', "b"),
                MAKE(31, 30, 'S', "c1"),
                MAKE(22, 20, 'S', "b2"),
        };
        TreeviewOptions o = { .header = false };
        (void) state;

        text = render(v, ELEMENTSOF(v), &o);
        assert_string_equal(text,
                "     10 S      0s      0s      0      10       1 -                    root\n"
                "     20 S      0s      0s      0      20       1 -                     \\_ b\n"
                "     21 S      0s      0s      0      21       1 -                     |   \\_ b1\n"
                "     22 S      0s      0s      0      22       1 -                     |   \\_ b2\n"
                "     30 S      0s      0s      0      30       1 -                     \\_ c\n"
                "     31 S      0s      0s      0      31       1 -                         \\_ c1\n");
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_processes_whose_parent_is_missing_are_roots(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[] = {
                MAKE(500, 499, 'S', "daemon"),          /* double-forked: parent gone */
                MAKE(100, 1, 'S', "first"),
                MAKE(101, 100, 'S', "child"),
        };
        TreeviewOptions o = { .header = false };
        (void) state;

        text = render(v, ELEMENTSOF(v), &o);
        assert_string_equal(text,
                "    100 S      0s      0s      0     100       1 -                    first\n"
                "    101 S      0s      0s      0     101       1 -                     \\_ child\n"
                "    500 S      0s      0s      0     500       1 -                    daemon\n");
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_a_ppid_cycle_still_shows_every_process_once(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[] = {
                MAKE(7, 9, 'S', "a"),
                MAKE(8, 7, 'S', "b"),
                MAKE(9, 8, 'S', "c"),
                MAKE(5, 5, 'S', "self"),                /* its own parent */
        };
        TreeviewOptions o = { .header = false };
        (void) state;

        text = render(v, ELEMENTSOF(v), &o);
        assert_string_equal(text,
                "      5 S      0s      0s      0       5       1 -                    self\n"
                "      7 S      0s      0s      0       7       1 -                    a\n"
                "      8 S      0s      0s      0       8       1 -                     \\_ b\n"
                "      9 S      0s      0s      0       9       1 -                         \\_ c\n");
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_zombie_d_state_stopped_and_traced_are_flagged(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[] = {
                MAKE(1, 0, 'Z', ""),
                MAKE(2, 0, 'D', "nfs-client"),
                MAKE(3, 0, 'T', "stopped"),
                MAKE(4, 0, 't', "traced"),
                MAKE(5, 0, 'R', "running"),
        };
        TreeviewOptions o = { .header = false };
        (void) state;

        text = render(v, ELEMENTSOF(v), &o);
        assert_non_null(strstr(text, " <zombie> [comm]\n"));
        assert_non_null(strstr(text, " <D: uninterruptible> nfs-client\n"));
        assert_non_null(strstr(text, " <stopped> stopped\n"));
        assert_non_null(strstr(text, " <traced> traced\n"));
        assert_non_null(strstr(text, " R      0s      0s      0       5       1 -                    running\n"));
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_wchan_drops_gcc_clone_suffixes_and_a_long_one_widens_its_line(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo v[] = {
                MAKE(1, 0, 'S', "parent"),
                MAKE(2, 1, 'S', "child"),
        };
        (void) state;

        strcpy(v[0].wchan, "do_select.isra.0");
        strcpy(v[1].wchan, "unix_stream_read_generic");
        text = render(v, ELEMENTSOF(v), &(TreeviewOptions) { 0 });
        assert_string_equal(text,
                "      1 S      0s      0s      0       1       1 do_select            parent\n"
                "      2 S      0s      0s      0       2       1 unix_stream_read_generic  \\_ child\n");
        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                procinfo_done(&v[i]);
}

static void test_cmdline_escapes_bytes_and_quotes_args_with_spaces(void **state) {
        struct {
                ProcInfo p;
                const char *want;
        } cases[] = {
                { MAKE(1, 0, 'S', "a\0\0b"), "a '' b" },
                { MAKE(1, 0, 'S', "back\\slash\0tab\there"), "back\\\\slash tab\\there" },
                { MAKE(1, 0, 'S', "it's"), "'it\\'s'" },
                { MAKE(1, 0, 'S', "esc\x1b[2J\x7f"), "esc\\x1b[2J\\x7f" },
                { MAKE(1, 0, 'S', "c1\xc2\x9b" "31m"), "c1\\xc2\\x9b31m" },             /* C1 CSI */
                { MAKE(1, 0, 'S', "rlo\xe2\x80\xae" "txt"), "rlo\\xe2\\x80\\xaetxt" },  /* U+202E */
                { MAKE(1, 0, 'S', "\xe2\x82\xac \xf0\x9f\x98\x80"), "'\xe2\x82\xac \xf0\x9f\x98\x80'" },
                { MAKE(1, 0, 'S', "trunc\xe2\x82"), "trunc\\xe2\\x82" },
                { MAKE(1, 0, 'S', "surrogate\xed\xa0\x80"), "surrogate\\xed\\xa0\\x80" },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *s = cmdline_text(&cases[i].p);

                assert_string_equal(s, cases[i].want);
                procinfo_done(&cases[i].p);
        }
}

static void test_empty_cmdline_shows_the_comm_in_brackets_escaped(void **state) {
        ProcInfo p = { .pid = 9, .state = 'I' };
        char *s;
        (void) state;

        strcpy(p.comm, "odd\ncomm");
        s = cmdline_text(&p);
        assert_string_equal(s, "[odd\\ncomm]");
        free(s);
}

static void test_long_cmdline_is_cut_at_the_width_on_a_whole_character(void **state) {
        static const char cmd[] = "python3\0-c\0print('\xc3\xa9\x9f')";
        /* In full: "python3 -c 'print(\'é\x9f\')'" is 29 columns (é counts 1). */
        static const struct {
                size_t width;
                const char *want;
        } cases[] = {
                { 29, "python3 -c 'print(\\'\xc3\xa9\\x9f\\')'" },
                { 28, "python3 -c 'print(\\'\xc3\xa9\\x9f..." },   /* 25 columns and "..." */
                { 24, "python3 -c 'print(\\'\xc3\xa9..." },         /* not half of \x9f */
                { 22, "python3 -c 'print(..." },                      /* not half of \' */
                { 2,  "..." },
        };
        ProcInfo p = MAKE(42, 1, 'S', cmd);
        TreeviewOptions o = { .header = false };
        const char *prefix = "     42 S      0s      0s      0      42       1 -                    ";
        char want[256];
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *text = NULL;

                o.cmdline_width = cases[i].width;
                text = render(&p, 1, &o);
                snprintf(want, sizeof want, "%s%s\n", prefix, cases[i].want);
                assert_string_equal(text, want);
        }
        procinfo_done(&p);
}

static void test_socket_summary_follows_the_cut_command(void **state) {
        _cleanup_free_ char *text = NULL;
        ProcInfo p = MAKE(42, 1, 'S', "server\0--port\08080");
        TreeviewOptions o = { .header = false, .cmdline_width = 9 };
        (void) state;

        p.sockets_known = true;
        p.sockets.tcp[PROC_TCP_ESTABLISHED] = 2;
        p.sockets.tcp[PROC_TCP_CLOSE_WAIT] = 40;
        p.sockets.tcp[PROC_TCP_LISTEN] = 1;
        p.sockets.tcp[PROC_TCP_UNKNOWN] = 1;
        p.sockets.unix_sockets = 2;
        p.sockets.other = 1;
        text = render(&p, 1, &o);
        assert_string_equal(text,
                            "     42 S      0s      0s      0      42       1 -                    server...  "
                            "[tcp: 2 ESTABLISHED, 40 CLOSE_WAIT, 1 LISTEN, 1 UNKNOWN; unix: 2; other: 1]\n");
        procinfo_done(&p);
}

static void test_unknown_or_no_sockets_add_nothing(void **state) {
        ProcInfo p = MAKE(42, 1, 'S', "x");
        (void) state;

        p.sockets.udp = 3;              /* sockets_known false: not shown */
        {
                _cleanup_free_ char *text = render(&p, 1, &(TreeviewOptions) { 0 });

                assert_null(strchr(text, '['));
        }
        p.sockets = (ProcSockets) { 0 };
        p.sockets_known = true;
        {
                _cleanup_free_ char *text = render(&p, 1, &(TreeviewOptions) { 0 });

                assert_null(strchr(text, '['));
        }
        procinfo_done(&p);
}

static void test_durations_and_sizes_are_short_and_truncated(void **state) {
        static const struct {
                uint64_t usec, bytes;
                const char *time, *size;
        } cases[] = {
                { 0,                                 0,                       "0s",    "0" },
                { 999999,                            512,                     "0.99s", "512B" },
                { 9999999,                           1023 * 1024,             "9.99s", "1023K" },
                { 59999999,                          1024 * 1024,             "59.9s", "1.0M" },
                { 60 * USEC_PER_SEC,                 UINT64_C(99) << 20,      "1m00s", "99.0M" },
                { 3599 * USEC_PER_SEC,               UINT64_C(100) << 20,     "59m59s", "100M" },
                { 3600 * USEC_PER_SEC,               (UINT64_C(3) << 30) / 2, "1h00m", "1.5G" },
                { 86399 * USEC_PER_SEC,              UINT64_C(1) << 40,       "23h59m", "1.0T" },
                { (86400 + 3600 * 5) * USEC_PER_SEC, UINT64_MAX,              "1d05h", "15.9E" },
        };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                ProcInfo p = MAKE(1, 0, 'S', "x");
                _cleanup_free_ char *text = NULL;
                char want[64];

                p.age_usec = p.cpu_usec = cases[i].usec;
                p.rss_bytes = cases[i].bytes;
                text = render(&p, 1, &(TreeviewOptions) { 0 });
                /* "    PID S " then AGE, CPU, RSS */
                snprintf(want, sizeof want, "%7s %7s %6s ", cases[i].time, cases[i].time, cases[i].size);
                assert_true(strlen(text) > 10 + strlen(want));
                assert_memory_equal(text + 10, want, strlen(want));
                procinfo_done(&p);
        }
}

static void test_an_empty_list_prints_the_header_only(void **state) {
        _cleanup_free_ char *with = NULL, *without = NULL;
        (void) state;

        with = render(NULL, 0, NULL);
        assert_string_equal(with, HEADER);
        without = render(NULL, 0, &(TreeviewOptions) { 0 });
        assert_string_equal(without, "");
}

static void test_a_deep_chain_renders_without_recursion(void **state) {
        enum { N = 20000 };
        _cleanup_free_ char *text = NULL;
        ProcInfo *v;
        size_t lines = 0;
        (void) state;

        v = calloc(N, sizeof *v);
        assert_non_null(v);
        for (int i = 0; i < N; i++) {
                v[i] = (ProcInfo) { .pid = i + 2, .ppid = i + 1, .state = 'S' };
                strcpy(v[i].comm, "sh");
        }
        text = render(v, N, &(TreeviewOptions) { 0 });
        for (const char *c = text; *c; c++)
                lines += *c == '\n';
        assert_int_equal(lines, N);
        free(v);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fixture_session_renders_as_an_indented_tree),
                cmocka_unit_test(test_siblings_are_sorted_by_pid_and_continuation_bars_show),
                cmocka_unit_test(test_processes_whose_parent_is_missing_are_roots),
                cmocka_unit_test(test_a_ppid_cycle_still_shows_every_process_once),
                cmocka_unit_test(test_zombie_d_state_stopped_and_traced_are_flagged),
                cmocka_unit_test(test_wchan_drops_gcc_clone_suffixes_and_a_long_one_widens_its_line),
                cmocka_unit_test(test_cmdline_escapes_bytes_and_quotes_args_with_spaces),
                cmocka_unit_test(test_empty_cmdline_shows_the_comm_in_brackets_escaped),
                cmocka_unit_test(test_long_cmdline_is_cut_at_the_width_on_a_whole_character),
                cmocka_unit_test(test_socket_summary_follows_the_cut_command),
                cmocka_unit_test(test_unknown_or_no_sockets_add_nothing),
                cmocka_unit_test(test_durations_and_sizes_are_short_and_truncated),
                cmocka_unit_test(test_an_empty_list_prints_the_header_only),
                cmocka_unit_test(test_a_deep_chain_renders_without_recursion),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
