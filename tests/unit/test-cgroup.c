/* SPDX-License-Identifier: MIT */
/* The pure parts of cgroup.c and limits.c: mountinfo and /proc/self/cgroup lines, path joining,
 * CPU quotas, keyed files; the environment layering and the rlimit list. */
#include <setjmp.h> /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "job-limits.h"
#include "util/strv.h"

static void test_mountinfo_lines_give_mount_root_type_and_options(void **state) {
        const char *mount, *root, *fstype, *super;
        char buf[512];
        (void) state;

        assert_int_equal(cgroup_parse_mountinfo_line(
                                 "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n", buf,
                                 sizeof buf, &mount, &root, &fstype, &super),
                         0);
        assert_string_equal(mount, "/sys/fs/cgroup/memory");
        assert_string_equal(root, "/");
        assert_string_equal(fstype, "cgroup");
        assert_string_equal(super, "rw,memory");
        assert_true(cgroup_list_has(super, "memory", ','));
        assert_false(cgroup_list_has(super, "mem", ','));

        /* Optional fields before the separator, and octal escapes. */
        assert_int_equal(cgroup_parse_mountinfo_line("41 23 0:38 /docker/a\\040b /sys/fs/cgroup rw shared:9 master:1 - "
                                                     "cgroup2 cgroup2 rw,nsdelegate",
                                                     buf, sizeof buf, &mount, &root, &fstype, &super),
                         0);
        assert_string_equal(root, "/docker/a b");
        assert_string_equal(mount, "/sys/fs/cgroup");
        assert_string_equal(fstype, "cgroup2");
        assert_string_equal(super, "rw,nsdelegate");

        assert_int_equal(cgroup_parse_mountinfo_line("garbage", buf, sizeof buf, &mount, &root, &fstype, &super),
                         -EINVAL);
}

static void test_proc_self_cgroup_finds_v2_and_each_v1_controller(void **state) {
        const char *text = "9:name=systemd:/\n8:pids:/a\n2:cpu,cpuacct:/b/c\n4:memory:/process_api/x\n0::/u\n";
        const char *path;
        size_t len;
        (void) state;

        assert_int_equal(cgroup_parse_self(text, _CGROUP_CONTROLLER_INVALID, &path, &len), 1);
        assert_int_equal(len, 2);
        assert_memory_equal(path, "/u", 2);
        assert_int_equal(cgroup_parse_self(text, CGROUP_CPU, &path, &len), 1);
        assert_memory_equal(path, "/b/c", len);
        assert_int_equal(cgroup_parse_self(text, CGROUP_MEMORY, &path, &len), 1);
        assert_memory_equal(path, "/process_api/x", len);
        assert_int_equal(cgroup_parse_self("0::/\n", CGROUP_PIDS, &path, &len), 0);
        assert_int_equal(cgroup_parse_self("1:cpu:/\n", _CGROUP_CONTROLLER_INVALID, &path, &len), 0);
}

static void test_join_strips_the_mounts_root(void **state) {
        int r = 0;
        char *s;
        (void) state;

        s = cgroup_join("/sys/fs/cgroup", "/", "/a/b", 4, &r);
        assert_string_equal(s, "/sys/fs/cgroup/a/b");
        free(s);
        s = cgroup_join("/sys/fs/cgroup", "/docker/x", "/docker/x/a", 11, &r);
        assert_string_equal(s, "/sys/fs/cgroup/a");
        free(s);
        s = cgroup_join("/sys/fs/cgroup/unified", "/", "/", 1, &r);
        assert_string_equal(s, "/sys/fs/cgroup/unified");
        free(s);
        assert_null(cgroup_join("/sys/fs/cgroup", "/docker/x", "/docker/xy", 10, &r));
        assert_int_equal(r, -EXDEV);
}

static void test_cpu_percent_is_a_quota_per_100ms(void **state) {
        uint64_t quota, period;
        (void) state;

        cgroup_cpu_quota(50, &quota, &period);
        assert_int_equal(quota, 50000);
        assert_int_equal(period, 100000);
        cgroup_cpu_quota(250, &quota, &period);
        assert_int_equal(quota, 250000);
        cgroup_cpu_quota(1, &quota, &period);
        assert_int_equal(quota, 1000);          /* the kernel's minimum */
}

static void test_keyed_files_give_oom_kill(void **state) {
        uint64_t v = 0;
        (void) state;

        assert_int_equal(cgroup_parse_keyed("low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n", "oom_kill", &v), 1);
        assert_int_equal(v, 1);
        assert_int_equal(cgroup_parse_keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 3", "oom_kill", &v), 1);
        assert_int_equal(v, 3);
        assert_int_equal(cgroup_parse_keyed("oom_kill_disable 0\nunder_oom 0\n", "oom_kill", &v), 0);
}

static void test_environment_layers_replace_by_name(void **state) {
        char *base[] = { "PATH=/bin", "A=tend", NULL };
        char *file[] = { "A=file", "B=file", NULL };
        char *env[] = { "B=option", "C=option", NULL };
        char **l = NULL;
        (void) state;

        assert_int_equal(limits_build_env(base, file, env, &l), 0);
        assert_int_equal(strv_length(l), 4);
        assert_string_equal(l[0], "PATH=/bin");
        assert_string_equal(l[1], "A=file");
        assert_string_equal(l[2], "B=option");
        assert_string_equal(l[3], "C=option");
        strv_free(l);
}

static void test_only_set_rlimits_are_planned(void **state) {
        SpawnRLimit rl[RLIMIT_NLIMITS];
        JobSpec spec;
        (void) state;

        job_spec_init(&spec);
        assert_int_equal(limits_build_rlimits(&spec, rl), 0);
        spec.rlimits[RLIMIT_NOFILE] = (JobRLimit) { .set = true, .soft = 1024, .hard = PARSE_INFINITY };
        spec.rlimits[RLIMIT_CORE] = (JobRLimit) { .set = true, .soft = 0, .hard = 0 };
        assert_int_equal(limits_build_rlimits(&spec, rl), 2);
        assert_int_equal(rl[0].resource, RLIMIT_CORE);
        assert_int_equal(rl[1].resource, RLIMIT_NOFILE);
        assert_true(rl[1].limit.rlim_max == RLIM_INFINITY);
        assert_false(cgroup_wanted(&spec));
        spec.pids_max = 20;
        assert_true(cgroup_wanted(&spec));
        job_spec_done(&spec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mountinfo_lines_give_mount_root_type_and_options),
                cmocka_unit_test(test_proc_self_cgroup_finds_v2_and_each_v1_controller),
                cmocka_unit_test(test_join_strips_the_mounts_root),
                cmocka_unit_test(test_cpu_percent_is_a_quota_per_100ms),
                cmocka_unit_test(test_keyed_files_give_oom_kill),
                cmocka_unit_test(test_environment_layers_replace_by_name),
                cmocka_unit_test(test_only_set_rlimits_are_planned),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
