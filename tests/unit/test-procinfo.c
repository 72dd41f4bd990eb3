/* SPDX-License-Identifier: MIT */
#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "procinfo.h"
#include "util/macro.h"

#ifndef TEST_DATA_DIR
#  error "compile with -DTEST_DATA_DIR='\"path/to/tests/data\"'"
#endif

/* Reads TEST_DATA_DIR/proc/<name> whole; fails the test if it cannot. */
static char *fixture(const char *name, size_t *ret_len) {
        char path[PATH_MAX];
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        snprintf(path, sizeof path, "%s/proc/%s", TEST_DATA_DIR, name);
        f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open fixture %s", path);
        buf = malloc(1 << 16);
        assert_non_null(buf);
        len = fread(buf, 1, (1 << 16) - 1, f);
        assert_false(ferror(f));
        fclose(f);
        buf[len] = '\0';
        *ret_len = len;
        return buf;
}

static ProcInfo parse_stat_fixture(const char *name) {
        _cleanup_free_ char *buf = NULL;
        ProcInfo p;
        size_t len;

        buf = fixture(name, &len);
        assert_int_equal(procinfo_parse_stat(buf, len, &p), 0);
        return p;
}

static void test_stat_of_a_normal_process_gives_ids_state_times_and_rss(void **state) {
        ProcInfo p = parse_stat_fixture("normal/stat");
        (void) state;

        assert_int_equal(p.pid, 1234);
        assert_int_equal(p.ppid, 1200);
        assert_int_equal(p.pgid, 1234);
        assert_int_equal(p.sid, 1200);
        assert_int_equal(p.state, 'S');
        assert_string_equal(p.comm, "python3");
        assert_false(p.kernel_thread);
        assert_int_equal(p.starttime_ticks, 500000);
        assert_int_equal(p.cpu_ticks, 40 + 12);
        assert_int_equal(p.rss_pages, 3175);
        assert_null(p.cmdline);
        assert_int_equal(p.uid, PROCINFO_UID_INVALID);
        assert_int_equal(p.age_usec, 0);        /* derived later */
}

static void test_stat_comm_with_parens_and_spaces_runs_to_the_last_paren(void **state) {
        ProcInfo p = parse_stat_fixture("evil-comm/stat");
        (void) state;

        /* "4321 (evil) R 9 9 (x) D 1234 ...": a parser stopping at the first ')' reads R 9 9. */
        assert_string_equal(p.comm, "evil) R 9 9 (x");
        assert_int_equal(p.pid, 4321);
        assert_int_equal(p.state, 'D');
        assert_int_equal(p.ppid, 1234);
        assert_int_equal(p.cpu_ticks, 500);
        assert_int_equal(p.rss_pages, 1000);
}

static void test_stat_of_a_kernel_thread_flags_it_and_keeps_the_long_comm(void **state) {
        ProcInfo p = parse_stat_fixture("kthread/stat");
        (void) state;

        assert_true(p.kernel_thread);
        assert_int_equal(p.ppid, 2);
        assert_int_equal(p.state, 'I');
        assert_string_equal(p.comm, "kworker/u8:3-events_unbound");
        assert_int_equal(p.rss_pages, 0);
}

static void test_stat_of_a_zombie_has_state_z(void **state) {
        ProcInfo p = parse_stat_fixture("zombie/stat");
        (void) state;

        assert_int_equal(p.state, 'Z');
        assert_int_equal(p.pid, 1250);
        assert_false(p.kernel_thread);
}

static void test_stat_truncates_a_comm_longer_than_the_field(void **state) {
        char buf[512], comm[100];
        ProcInfo p;
        size_t len;
        (void) state;

        memset(comm, 'c', sizeof comm - 1);
        comm[sizeof comm - 1] = '\0';
        len = (size_t) snprintf(buf, sizeof buf,
                                "7 (%s) S 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5 0\n", comm);
        assert_int_equal(procinfo_parse_stat(buf, len, &p), 0);
        assert_int_equal(strlen(p.comm), sizeof p.comm - 1);
        assert_int_equal(p.rss_pages, 5);
}

static void test_stat_rejects_text_that_is_not_a_stat_line(void **state) {
        static const char *const bad[] = {
                "",
                "garbage",
                "12 (x S 1 1 1",                                /* no ')' */
                "12 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2",            /* cut before starttime */
                "12 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0",  /* cut before rss */
                "12 (x) S 1 1 1 0 -1 zz 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5",
        };
        ProcInfo p;
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                assert_int_equal(procinfo_parse_stat(bad[i], strlen(bad[i]), &p), -EINVAL);
}

static void test_stat_takes_an_unterminated_buffer(void **state) {
        const char text[] = "3 (a) R 1 3 3 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 5 0 0 0";
        char *exact = malloc(sizeof text - 1);  /* no NUL: ASan sees a read past the end */
        ProcInfo p;
        (void) state;

        assert_non_null(exact);
        memcpy(exact, text, sizeof text - 1);
        assert_int_equal(procinfo_parse_stat(exact, sizeof text - 1, &p), 0);
        assert_int_equal(p.pid, 3);
        assert_int_equal(p.cpu_ticks, 3);
        free(exact);
}

static void test_cmdline_keeps_nul_separated_args_and_drops_trailing_nuls(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { 0 };
        size_t len;
        (void) state;

        buf = fixture("normal/cmdline", &len);
        assert_int_equal(procinfo_parse_cmdline(buf, len, &p), 0);
        assert_int_equal(p.cmdline_len, len - 1);
        assert_memory_equal(p.cmdline, "python3\0-m\0pytest\0-x", p.cmdline_len);
        assert_int_equal(p.cmdline[p.cmdline_len], '\0');
        procinfo_done(&p);
}

static void test_cmdline_keeps_spaces_quotes_newlines_and_invalid_utf8_bytes(void **state) {
        static const char want[] = "sh\0-c\0echo 'hi there' \"x\"\nsleep 1000\0"
                                   "caf\xc3\xa9\0bad\x9f\xff" "bytes";
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { 0 };
        size_t len;
        (void) state;

        buf = fixture("spaces/cmdline", &len);
        assert_int_equal(procinfo_parse_cmdline(buf, len, &p), 0);
        assert_int_equal(p.cmdline_len, sizeof want - 1);
        assert_memory_equal(p.cmdline, want, sizeof want - 1);
        procinfo_done(&p);
}

static void test_cmdline_of_a_zombie_or_kernel_thread_is_empty(void **state) {
        static const char *const names[] = { "zombie/cmdline", "kthread/cmdline" };
        (void) state;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *buf = NULL;
                ProcInfo p = { 0 };
                size_t len;

                buf = fixture(names[i], &len);
                assert_int_equal(len, 0);
                assert_int_equal(procinfo_parse_cmdline(buf, len, &p), 0);
                assert_null(p.cmdline);
                assert_int_equal(p.cmdline_len, 0);
        }
}

static void test_cmdline_replaces_an_earlier_one(void **state) {
        ProcInfo p = { 0 };
        (void) state;

        assert_int_equal(procinfo_parse_cmdline("old\0", 4, &p), 0);
        assert_int_equal(procinfo_parse_cmdline("new\0arg\0", 8, &p), 0);
        assert_int_equal(p.cmdline_len, 7);
        assert_memory_equal(p.cmdline, "new\0arg", 7);
        assert_int_equal(procinfo_parse_cmdline("\0\0\0", 3, &p), 0);
        assert_null(p.cmdline);
        procinfo_done(&p);
}

static void test_wchan_zero_means_not_sleeping_in_the_kernel(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { 0 };
        size_t len;
        (void) state;

        buf = fixture("zombie/wchan", &len);
        strcpy(p.wchan, "stale");
        assert_int_equal(procinfo_parse_wchan(buf, len, &p), 0);
        assert_string_equal(p.wchan, "");
        assert_int_equal(procinfo_parse_wchan("", 0, &p), 0);
        assert_string_equal(p.wchan, "");
}

static void test_wchan_symbol_is_kept_and_sanitised(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { 0 };
        char longname[300];
        size_t len;
        (void) state;

        buf = fixture("normal/wchan", &len);
        assert_int_equal(procinfo_parse_wchan(buf, len, &p), 0);
        assert_string_equal(p.wchan, "ep_poll");
        assert_int_equal(procinfo_parse_wchan("do_wait\n", 8, &p), 0);
        assert_string_equal(p.wchan, "do_wait");
        assert_int_equal(procinfo_parse_wchan("a\x1b[2Jb", 6, &p), 0);
        assert_string_equal(p.wchan, "a?[2Jb");
        memset(longname, 'w', sizeof longname);
        assert_int_equal(procinfo_parse_wchan(longname, sizeof longname, &p), 0);
        assert_int_equal(strlen(p.wchan), sizeof p.wchan - 1);
}

static void test_status_gives_the_real_uid(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcInfo p = { .uid = PROCINFO_UID_INVALID };
        size_t len;
        (void) state;

        buf = fixture("normal/status", &len);
        assert_int_equal(procinfo_parse_status(buf, len, &p), 0);
        assert_int_equal(p.uid, 1000);
        assert_int_equal(procinfo_parse_status("Uid:\t0\t1000\t0\t0", 16, &p), 0);
        assert_int_equal(p.uid, 0);
}

static void test_status_without_uid_line_is_rejected_and_leaves_uid_alone(void **state) {
        static const char text[] = "Name:\tx\nUid:\tnope\n";
        ProcInfo p = { .uid = 42 };
        (void) state;

        assert_int_equal(procinfo_parse_status("Name:\tx\n", 8, &p), -EINVAL);
        assert_int_equal(procinfo_parse_status(text, sizeof text - 1, &p), -EINVAL);
        assert_int_equal(p.uid, 42);
}

static void test_derive_computes_age_cpu_time_and_rss_bytes(void **state) {
        ProcInfo p = parse_stat_fixture("normal/stat");
        (void) state;

        /* Started 5000.00 s after boot; now is 5012.345678 s after boot. */
        procinfo_derive(&p, 5012345678, 100, 4096);
        assert_int_equal(p.age_usec, 12345678);
        assert_int_equal(p.cpu_usec, 520000);
        assert_int_equal(p.rss_bytes, 3175 * 4096);

        /* An uptime taken before the process started (a racy snapshot) gives age 0. */
        procinfo_derive(&p, 4000 * USEC_PER_SEC, 100, 4096);
        assert_int_equal(p.age_usec, 0);

        /* Ticks that do not divide evenly, and a huge start time, stay exact. */
        p.starttime_ticks = UINT64_C(1) << 50;
        p.cpu_ticks = 7;
        procinfo_derive(&p, UINT64_MAX, 300, 65536);
        assert_int_equal(p.cpu_usec, 23333);
        assert_int_equal(p.age_usec, UINT64_MAX - ((UINT64_C(1) << 50) / 300 * USEC_PER_SEC +
                                                   (UINT64_C(1) << 50) % 300 * USEC_PER_SEC / 300));
}

static void load_tables(ProcSocketTable *t) {
        static const struct {
                const char *name;
                int proto;
        } tables[] = {
                { "net/tcp",  PROC_SOCKET_TCP },
                { "net/tcp6", PROC_SOCKET_TCP },
                { "net/udp",  PROC_SOCKET_UDP },
                { "net/unix", PROC_SOCKET_UNIX },
        };

        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                _cleanup_free_ char *buf = NULL;
                size_t len;

                buf = fixture(tables[i].name, &len);
                if (tables[i].proto == PROC_SOCKET_UNIX)
                        assert_int_equal(procinfo_parse_net_unix(buf, len, t), 0);
                else
                        assert_int_equal(procinfo_parse_net_inet(buf, len, tables[i].proto, t), 0);
        }
}

static void test_tcp_table_maps_inodes_to_states_and_skips_inode_zero(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcSocketTable t = { 0 };
        const ProcSocketEntry *e;
        size_t len;
        (void) state;

        buf = fixture("net/tcp", &len);
        assert_int_equal(procinfo_parse_net_inet(buf, len, PROC_SOCKET_TCP, &t), 0);
        assert_int_equal(t.n, 6);       /* 7 lines, one TIME_WAIT with inode 0 */
        e = procinfo_socket_table_find(&t, 41001);
        assert_non_null(e);
        assert_int_equal(e->proto, PROC_SOCKET_TCP);
        assert_int_equal(e->tcp_state, PROC_TCP_LISTEN);
        for (uint64_t inode = 41002; inode <= 41004; inode++)
                assert_int_equal(procinfo_socket_table_find(&t, inode)->tcp_state, PROC_TCP_CLOSE_WAIT);
        assert_int_equal(procinfo_socket_table_find(&t, 30977)->tcp_state, PROC_TCP_ESTABLISHED);
        assert_null(procinfo_socket_table_find(&t, 0));
        assert_null(procinfo_socket_table_find(&t, 41010));
        procinfo_socket_table_done(&t);
}

static void test_tcp6_table_has_the_same_layout(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcSocketTable t = { 0 };
        size_t len;
        (void) state;

        buf = fixture("net/tcp6", &len);
        assert_int_equal(procinfo_parse_net_inet(buf, len, PROC_SOCKET_TCP, &t), 0);
        assert_int_equal(t.n, 4);
        assert_int_equal(procinfo_socket_table_find(&t, 41010)->tcp_state, PROC_TCP_LISTEN);
        assert_int_equal(procinfo_socket_table_find(&t, 41011)->tcp_state, PROC_TCP_ESTABLISHED);
        assert_int_equal(procinfo_socket_table_find(&t, 41013)->tcp_state, PROC_TCP_CLOSE_WAIT);
        procinfo_socket_table_done(&t);
}

static void test_tables_accumulate_udp_and_unix_sockets(void **state) {
        ProcSocketTable t = { 0 };
        (void) state;

        load_tables(&t);
        assert_int_equal(t.n, 6 + 4 + 1 + 3);
        assert_int_equal(procinfo_socket_table_find(&t, 42001)->proto, PROC_SOCKET_UDP);
        assert_int_equal(procinfo_socket_table_find(&t, 50001)->proto, PROC_SOCKET_UNIX);
        assert_int_equal(procinfo_socket_table_find(&t, 50002)->proto, PROC_SOCKET_UNIX);
        assert_int_equal(procinfo_socket_table_find(&t, 17347)->proto, PROC_SOCKET_UNIX);
        assert_int_equal(procinfo_socket_table_find(&t, 41001)->proto, PROC_SOCKET_TCP);
        for (size_t i = 1; i < t.n; i++)
                assert_true(t.entries[i - 1].inode <= t.entries[i].inode);
        procinfo_socket_table_done(&t);
}

static void test_table_with_a_malformed_line_is_rejected(void **state) {
        static const char tcp[] = "  sl  local_address rem_address   st\n"
                                  "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n";
        static const char state_bad[] = "hdr\n 0: a b ZZ c d e f g 123\n";
        static const char unix_bad[] = "Num RefCount\n0000: 00000002 00000000 00010000 0001 01 x\n";
        ProcSocketTable t = { 0 };
        (void) state;

        assert_int_equal(procinfo_parse_net_inet(tcp, sizeof tcp - 1, PROC_SOCKET_TCP, &t), -EINVAL);
        assert_int_equal(procinfo_parse_net_inet(state_bad, sizeof state_bad - 1, PROC_SOCKET_TCP, &t),
                         -EINVAL);
        assert_int_equal(procinfo_parse_net_unix(unix_bad, sizeof unix_bad - 1, &t), -EINVAL);
        assert_int_equal(procinfo_parse_net_inet(tcp, sizeof tcp - 1, PROC_SOCKET_UNIX, &t), -EINVAL);
        /* A header alone is an empty table. */
        assert_int_equal(procinfo_parse_net_inet(tcp, 37, PROC_SOCKET_TCP, &t), 0);
        assert_int_equal(t.n, 0);
        procinfo_socket_table_done(&t);
}

static void test_socket_link_is_recognised_and_other_targets_are_not(void **state) {
        uint64_t inode = 0;
        (void) state;

        assert_int_equal(procinfo_parse_socket_link("socket:[12345]", &inode), 1);
        assert_int_equal(inode, 12345);
        assert_int_equal(procinfo_parse_socket_link("pipe:[12345]", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("/dev/null", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("anon_inode:[eventpoll]", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("socket:[]", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("socket:[12x]", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("socket:[12", &inode), 0);
        assert_int_equal(procinfo_parse_socket_link("/tmp/socket:[1]", &inode), 0);
        assert_int_equal(inode, 12345);
}

static void test_fd_links_count_each_socket_once_by_state(void **state) {
        _cleanup_free_ char *buf = NULL;
        ProcSocketTable t = { 0 };
        uint64_t inodes[64];
        ProcSockets s;
        size_t len, n = 0;
        char *line, *save = NULL;
        (void) state;

        load_tables(&t);
        buf = fixture("normal/fd-links", &len);
        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                if (procinfo_parse_socket_link(line, &inodes[n]) > 0)
                        n++;
        assert_int_equal(n, 10);
        assert_int_equal(procinfo_count_sockets(&t, inodes, n, &s), 0);

        assert_int_equal(s.tcp[PROC_TCP_LISTEN], 2);            /* 41001 (v4), 41010 (v6) */
        assert_int_equal(s.tcp[PROC_TCP_CLOSE_WAIT], 3);        /* 41002 twice: dup()ed */
        assert_int_equal(s.tcp[PROC_TCP_ESTABLISHED], 1);
        assert_int_equal(s.tcp[PROC_TCP_TIME_WAIT], 0);
        assert_int_equal(s.udp, 1);
        assert_int_equal(s.unix_sockets, 1);
        assert_int_equal(s.other, 1);                           /* 99999: in no table */
        assert_int_equal(procinfo_sockets_total(&s), 9);
        procinfo_socket_table_done(&t);
}

static void test_count_sockets_of_nothing_is_all_zero(void **state) {
        ProcSocketTable t = { 0 };
        ProcSockets s;
        (void) state;

        memset(&s, 0xff, sizeof s);
        assert_int_equal(procinfo_count_sockets(&t, NULL, 0, &s), 0);
        assert_int_equal(procinfo_sockets_total(&s), 0);
}

static void test_tcp_state_names_match_netstat(void **state) {
        (void) state;

        assert_string_equal(procinfo_tcp_state_to_string(PROC_TCP_CLOSE_WAIT), "CLOSE_WAIT");
        assert_string_equal(procinfo_tcp_state_to_string(PROC_TCP_LISTEN), "LISTEN");
        assert_string_equal(procinfo_tcp_state_to_string(PROC_TCP_ESTABLISHED), "ESTABLISHED");
        assert_string_equal(procinfo_tcp_state_to_string(PROC_TCP_NEW_SYN_RECV), "NEW_SYN_RECV");
        assert_int_equal(PROC_TCP_CLOSE_WAIT, 8);               /* the kernel's numbers */
        assert_int_equal(PROC_TCP_LISTEN, 10);
        assert_null(procinfo_tcp_state_to_string(_PROC_TCP_STATE_MAX));
        assert_null(procinfo_tcp_state_to_string(_PROC_TCP_STATE_INVALID));
}

/* Shell: reads this very process, which holds a listening TCP socket and a unix socket pair. */
static void test_read_of_self_finds_cmdline_and_own_sockets(void **state) {
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        _cleanup_close_ int lfd = -EBADF;
        int pair[2];
        ProcSocketTable t = { 0 };
        ProcInfo p;
        uint64_t uptime;
        (void) state;

        lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(lfd >= 0);
        assert_int_equal(bind(lfd, (struct sockaddr *) &sin, sizeof sin), 0);
        assert_int_equal(listen(lfd, 1), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);

        assert_int_equal(procinfo_uptime_usec(&uptime), 0);
        assert_int_equal(procinfo_read_socket_table(0, &t), 0);
        assert_int_equal(procinfo_read(getpid(), uptime, &t, &p), 0);

        assert_int_equal(p.pid, getpid());
        assert_int_equal(p.ppid, getppid());
        assert_int_equal(p.uid, getuid());
        assert_int_equal(p.state, 'R');
        assert_non_null(p.cmdline);
        assert_non_null(strstr(p.cmdline, "test-procinfo"));
        assert_true(p.sockets_known);
        assert_true(p.sockets.tcp[PROC_TCP_LISTEN] >= 1);
        assert_true(p.sockets.unix_sockets >= 2);
        assert_true(p.age_usec < 3600 * USEC_PER_SEC);
        assert_true(p.rss_bytes > 0);

        procinfo_done(&p);
        procinfo_socket_table_done(&t);
        close(pair[0]);
        close(pair[1]);
}

static void test_read_of_a_missing_pid_says_gone(void **state) {
        ProcSockets s;
        ProcInfo p;
        (void) state;

        /* Above PID_MAX_LIMIT (4194304): never a process. */
        assert_int_equal(procinfo_read(INT_MAX, 0, NULL, &p), -ESRCH);
        assert_int_equal(procinfo_read_sockets(INT_MAX, &(ProcSocketTable) { 0 }, &s), -ESRCH);
        assert_int_equal(procinfo_read_socket_table(INT_MAX, &(ProcSocketTable) { 0 }), -ESRCH);
        assert_int_equal(procinfo_read(0, 0, NULL, &p), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_stat_of_a_normal_process_gives_ids_state_times_and_rss),
                cmocka_unit_test(test_stat_comm_with_parens_and_spaces_runs_to_the_last_paren),
                cmocka_unit_test(test_stat_of_a_kernel_thread_flags_it_and_keeps_the_long_comm),
                cmocka_unit_test(test_stat_of_a_zombie_has_state_z),
                cmocka_unit_test(test_stat_truncates_a_comm_longer_than_the_field),
                cmocka_unit_test(test_stat_rejects_text_that_is_not_a_stat_line),
                cmocka_unit_test(test_stat_takes_an_unterminated_buffer),
                cmocka_unit_test(test_cmdline_keeps_nul_separated_args_and_drops_trailing_nuls),
                cmocka_unit_test(test_cmdline_keeps_spaces_quotes_newlines_and_invalid_utf8_bytes),
                cmocka_unit_test(test_cmdline_of_a_zombie_or_kernel_thread_is_empty),
                cmocka_unit_test(test_cmdline_replaces_an_earlier_one),
                cmocka_unit_test(test_wchan_zero_means_not_sleeping_in_the_kernel),
                cmocka_unit_test(test_wchan_symbol_is_kept_and_sanitised),
                cmocka_unit_test(test_status_gives_the_real_uid),
                cmocka_unit_test(test_status_without_uid_line_is_rejected_and_leaves_uid_alone),
                cmocka_unit_test(test_derive_computes_age_cpu_time_and_rss_bytes),
                cmocka_unit_test(test_tcp_table_maps_inodes_to_states_and_skips_inode_zero),
                cmocka_unit_test(test_tcp6_table_has_the_same_layout),
                cmocka_unit_test(test_tables_accumulate_udp_and_unix_sockets),
                cmocka_unit_test(test_table_with_a_malformed_line_is_rejected),
                cmocka_unit_test(test_socket_link_is_recognised_and_other_targets_are_not),
                cmocka_unit_test(test_fd_links_count_each_socket_once_by_state),
                cmocka_unit_test(test_count_sockets_of_nothing_is_all_zero),
                cmocka_unit_test(test_tcp_state_names_match_netstat),
                cmocka_unit_test(test_read_of_self_finds_cmdline_and_own_sockets),
                cmocka_unit_test(test_read_of_a_missing_pid_says_gone),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
