/* SPDX-License-Identifier: MIT */
#pragma once

/* The spawner thread: the one place where tend forks. It is started before anything else can
 * take a lock, with every signal blocked, and lives as long as tend, so that PR_SET_PDEATHSIG in
 * children (tied by the kernel to the forking thread) fires only when tend itself dies.
 *
 * The loop thread hands it a SpawnPlan through a pipe; it creates the child (clone3 with
 * CLONE_PIDFD, or fork + pidfd_open where clone3 is ENOSYS), waits for the child's exec-status
 * pipe (EOF: execve succeeded) and writes a SpawnResult back. It never calls wait*(): only the
 * reaper reaps. Non-logging. */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

typedef enum SpawnStage {
        SPAWN_STAGE_NONE,
        SPAWN_STAGE_CLONE,
        SPAWN_STAGE_SIGNALS,
        SPAWN_STAGE_GROUP,
        SPAWN_STAGE_TTY,
        SPAWN_STAGE_PDEATHSIG,
        SPAWN_STAGE_CGROUP,             /* detail: index into SpawnPlan.cgroup_procs_fds */
        SPAWN_STAGE_RLIMIT,             /* detail: the RLIMIT_* resource */
        SPAWN_STAGE_NICE,
        SPAWN_STAGE_OOM_SCORE_ADJ,
        SPAWN_STAGE_GROUPS,
        SPAWN_STAGE_GID,
        SPAWN_STAGE_UID,
        SPAWN_STAGE_NO_NEW_PRIVS,
        SPAWN_STAGE_CHDIR,
        SPAWN_STAGE_STDIO,              /* detail: the target fd, 0..2 */
        SPAWN_STAGE_FDS,
        SPAWN_STAGE_EXEC,
        _SPAWN_STAGE_MAX,
        _SPAWN_STAGE_INVALID = -EINVAL,
} SpawnStage;

typedef struct SpawnRLimit {
        int resource;                   /* RLIMIT_* */
        struct rlimit limit;
} SpawnRLimit;

#define SPAWN_CGROUP_FDS_MAX 4

/* Everything the child needs, prepared completely before the fork: the child only reads it.
 * Initialise with SPAWN_PLAN_INIT (every fd -1, nothing to change), then fill what applies. */
typedef struct SpawnPlan {
        const char *path;               /* resolved: execve(), never execvp() */
        char *const *argv;
        char *const *envp;
        int pdeathsig;                  /* 0: none */
        pid_t parent_pid;               /* tend's pid, for the pdeathsig race check */
        int tty_fd;                     /* >= 0: give this terminal's foreground to the new group */

        /* fds to dup2() onto 0, 1, 2; -1: inherit tend's. The child closes the originals with
         * every other fd (the close_range() step); the caller closes its copies once the result
         * is in. */
        int stdio[3];

        /* Cgroups: cgroup_fd (>= 0) is a cgroup v2 directory for clone3(CLONE_INTO_CGROUP). Each
         * of cgroup_procs_fds is an open cgroup.procs (v2 or v1) into which the child writes "0"
         * (itself) before anything else, except cgroup_procs_fds[0] when cgroup_fd >= 0 and the
         * clone put the child there already. */
        int cgroup_fd;
        int cgroup_procs_fds[SPAWN_CGROUP_FDS_MAX];
        size_t n_cgroup_procs_fds;

        /* In the order the prelude applies them: all of them before the credentials change, since
         * raising a limit, lowering nice or oom_score_adj needs privileges the target user lacks. */
        const SpawnRLimit *rlimits;
        size_t n_rlimits;
        bool nice_set;
        int nice;
        const char *oom_score_adj;      /* the text to write to /proc/self/oom_score_adj; NULL: inherit */
        bool groups_set, gid_set, uid_set;
        const gid_t *groups;
        size_t n_groups;
        gid_t gid;
        uid_t uid;
        bool no_new_privs;
        const char *directory;          /* NULL: tend's */
        bool umask_set;
        mode_t umask;
} SpawnPlan;

#define SPAWN_PLAN_INIT                                                                         \
        (SpawnPlan) {                                                                           \
                .tty_fd = -1, .stdio = { -1, -1, -1 }, .cgroup_fd = -1,                         \
                .cgroup_procs_fds = { -1, -1, -1, -1 },                                         \
        }

/* What the child writes on its status pipe when a stage fails. */
typedef struct SpawnReport {
        int stage;
        int error;                      /* errno */
        int detail;                     /* stage-specific: see SpawnStage */
} SpawnReport;

typedef struct SpawnResult {
        const SpawnPlan *plan;          /* the request this answers */
        pid_t pid;                      /* > 0 even on failure when a child was created */
        int pidfd;                      /* -1 when the kernel has none for us */
        int error;                      /* 0, or -errno */
        SpawnStage stage;               /* where it failed */
        int detail;                     /* the report's detail (which rlimit, which fd) */
        uint64_t spawn_nsec;            /* request received -> exec confirmed (or failure) */
} SpawnResult;

typedef struct Spawner {
        pthread_t thread;
        bool running;
        int request_fd;                 /* loop -> spawner */
        int result_fd;                  /* spawner -> loop; the loop watches it (non-blocking) */
        int request_fd_spawner;
        int result_fd_spawner;
} Spawner;

/* Starts the spawner thread with every signal blocked. Call first, before any other thread or
 * library state exists. Returns 0 or -errno. Loop thread. */
int spawner_start(Spawner *s);

/* Queues plan (which must stay valid until its result is read). Returns 0 or -errno. */
int spawner_request(Spawner *s, const SpawnPlan *plan);

/* Reads one result if there is one: 1 and *ret, 0 when none is ready, or -errno. */
int spawner_read_result(Spawner *s, SpawnResult *ret);

/* Ends the thread and closes the pipes. */
void spawner_stop(Spawner *s);

/* Finds what execve() should run for command, as execvp() would, but in the parent: a command
 * with a '/' is used as is; else each PATH entry is tried. Returns 0 and a malloc'd path, or
 * -ENOENT when nothing by that name exists. A file found but not executable is returned as is,
 * so that execve() fails with the real reason (EACCES) through the status pipe. */
int spawn_resolve_path(const char *command, const char *path_env, char **ret_path);

const char *spawn_stage_to_string(SpawnStage s);

/* The failed step in words, with what plan asked for: "setting limit nofile (RLIMIT_NOFILE) to
 * 1024:4096", "setting its user to uid 65534", "changing to its directory /srv". Returns buf. */
char *spawn_describe_stage(const SpawnPlan *plan, SpawnStage stage, int detail, char *buf, size_t size);

/* The child prelude (spawn-child.c): runs between fork and execve, async-signal-safe calls only,
 * on plan alone. in_cgroup: clone3() put the child into p->cgroup_fd already. Never returns:
 * execve() or _exit() with a SpawnReport on status_fd. */
_Noreturn void spawn_child(const SpawnPlan *p, int status_fd, bool in_cgroup);
