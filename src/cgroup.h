/* SPDX-License-Identifier: MIT */
#pragma once

/* Cgroups for jobs: what the host offers (cgroup v2, pure or as the unified hierarchy of a hybrid
 * host, and the v1 memory, pids and cpu controllers), one cgroup per job under tend's own, its
 * limits, the pids in it, killing it whole, and removing it. Non-logging: functions return -errno
 * and, where the errno alone would not tell the user which hierarchy failed, a static reason and
 * the path. The parsers (cgroup_parse_*, cgroup_cpu_quota) are pure. Loop thread.
 *
 * tend looks at cgroups only for a job that asks for a cgroup limit (cgroup_wanted()): a plain
 * session starts without reading a single cgroup file, and is tracked by its process group and
 * /proc (tend is the subreaper of everything under it). */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spawn.h"
#include "spec.h"

typedef enum CgroupController {
        CGROUP_MEMORY,
        CGROUP_PIDS,
        CGROUP_CPU,
        _CGROUP_CONTROLLER_MAX,
        _CGROUP_CONTROLLER_INVALID = -EINVAL,
} CgroupController;

const char *cgroup_controller_to_string(CgroupController c);

/* What the host has, from /proc/self/mountinfo and /proc/self/cgroup. Directories are tend's own
 * cgroup in each hierarchy (mount point + tend's path below the mount's root). */
typedef struct CgroupHost {
        char *v2_dir;                   /* NULL: no cgroup2 mount */
        bool v2_hybrid;                 /* v2 is the unified hierarchy beside v1 controllers */
        char *v1_dir[_CGROUP_CONTROLLER_MAX];   /* NULL: no v1 hierarchy with that controller */
} CgroupHost;

/* A job's cgroup: a v2 directory (tracking, kill, and the v2 controllers) and/or v1 directories
 * (the controllers a hybrid host has in v1). */
typedef struct JobCgroup {
        char *v2_path;
        int v2_fd;                      /* the directory, for CLONE_INTO_CGROUP */
        int v2_procs_fd;
        bool v2_controller[_CGROUP_CONTROLLER_MAX];
        char *v1_path[_CGROUP_CONTROLLER_MAX];
        int v1_procs_fd[_CGROUP_CONTROLLER_MAX];
} JobCgroup;

#define JOB_CGROUP_INIT                                                                         \
        (JobCgroup) { .v2_fd = -1, .v2_procs_fd = -1, .v1_procs_fd = { -1, -1, -1 } }

/* Whether spec sets a cgroup limit (memory_max, memory_high, pids_max, cpu_max). */
bool cgroup_wanted(const JobSpec *spec);

/* ---- Pure. ---- */

/* One line of /proc/self/mountinfo: the mount point, the mount's root within its filesystem,
 * the filesystem type and the super options (unescaped, pointing into buf, which the line is
 * copied into). 0, or -EINVAL for a line of another shape. */
int cgroup_parse_mountinfo_line(const char *line, char *buf, size_t size, const char **ret_mount,
                                const char **ret_root, const char **ret_fstype, const char **ret_super);

/* Whether the comma-separated list has word ("rw,memory" has "memory"). */
bool cgroup_list_has(const char *list, const char *word, char sep);

/* From the text of /proc/self/cgroup: tend's path in the v2 hierarchy ("0::PATH") when want is
 * _CGROUP_CONTROLLER_INVALID, else in the v1 hierarchy that has the controller. 1 and a pointer
 * into text with its length, 0 when there is no such line. */
int cgroup_parse_self(const char *text, CgroupController want, const char **ret_path, size_t *ret_len);

/* mount + (path below root): "/sys/fs/cgroup" + "/docker/x/a" with root "/docker/x" gives
 * "/sys/fs/cgroup/a". NULL on ENOMEM; -EXDEV (through *reterr) when path is not below root. */
char *cgroup_join(const char *mount, const char *root, const char *path, size_t path_len, int *reterr);

/* A share of one CPU as a CFS quota: 50% -> 50000us every 100000us. */
void cgroup_cpu_quota(unsigned percent, uint64_t *ret_quota_usec, uint64_t *ret_period_usec);

/* "KEY VALUE" lines (memory.events, memory.oom_control): 1 and the value of key, 0 when absent. */
int cgroup_parse_keyed(const char *text, const char *key, uint64_t *ret);

/* ---- Shell. ---- */

/* Reads what the host has. 0 (a host with nothing usable gives an empty CgroupHost), or -errno
 * when /proc cannot be read. */
int cgroup_host_detect(CgroupHost *ret);
void cgroup_host_done(CgroupHost *h);

/* Creates the job's cgroup "tend-PID.NAME" under tend's own in each hierarchy the spec's limits
 * need (and in v2 whenever there is a writable one, for tracking), enabling v2 controllers in
 * tend's cgroup (after moving tend into a leaf "tend-PID.supervisor" when the v2 rule against
 * processes in inner cgroups asks for it), and writes the limits. On failure returns -errno, a
 * static reason ("no cgroup hierarchy has the memory controller", "cgroup v1 memory hierarchy
 * is read-only") and the path concerned (into *reterr_path, malloc'd or NULL); everything made
 * is removed again. */
int cgroup_job_create(const CgroupHost *h, const char *name, const JobSpec *spec, JobCgroup *ret,
                      const char **reterr_why, char **reterr_path);

/* Puts the cgroup into plan: cgroup_fd for CLONE_INTO_CGROUP and the cgroup.procs fds. */
void cgroup_job_plan(const JobCgroup *cg, SpawnPlan *plan);

/* The pids in the job's cgroup (v2, else the first v1 one): 0 and a malloc'd array. */
int cgroup_job_pids(const JobCgroup *cg, pid_t **ret, size_t *ret_n);

/* Kills every process in the job's cgroup: cgroup.kill where the kernel has it (5.14), else
 * freeze, SIGKILL each pid, thaw (v2), else SIGKILL each pid of the v1 cgroup. Returns the number
 * of processes that were in it, or -errno. */
int cgroup_job_kill(const JobCgroup *cg);

/* How many times the OOM killer struck in the job's memory cgroup: v2 memory.events oom_kill, v1
 * memory.oom_control oom_kill (or 1 when only memory.failcnt > 0 tells). -ENODATA when the job
 * has no memory cgroup. */
int cgroup_job_oom_kills(const JobCgroup *cg, uint64_t *ret);

/* Removes the job's (empty) cgroups. 0 or the first -errno (EBUSY: not empty); closes the fds
 * and frees the paths in any case. */
int cgroup_job_remove(JobCgroup *cg);
