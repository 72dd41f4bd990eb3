/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "parse.h"
#include "util/macro.h"

static bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}

static void *mfree(void *p) {
        free(p);
        return NULL;
}

static const char *const controller_names[_CGROUP_CONTROLLER_MAX] = {
        [CGROUP_MEMORY] = "memory",
        [CGROUP_PIDS] = "pids",
        [CGROUP_CPU] = "cpu",
};

const char *cgroup_controller_to_string(CgroupController c) {
        return c >= 0 && c < _CGROUP_CONTROLLER_MAX ? controller_names[c] : NULL;
}

static bool controller_wanted(const JobSpec *spec, CgroupController c) {
        switch (c) {
        case CGROUP_MEMORY:
                return spec->memory_max != PARSE_INFINITY || spec->memory_high != PARSE_INFINITY;
        case CGROUP_PIDS:
                return spec->pids_max != PARSE_INFINITY;
        case CGROUP_CPU:
                return spec->cpu_max_percent > 0;
        default:
                return false;
        }
}

bool cgroup_wanted(const JobSpec *spec) {
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                if (controller_wanted(spec, c))
                        return true;
        return false;
}

/* ---- Pure. ---- */

/* Copies one space-separated field of mountinfo into *out, undoing its octal escapes ("\040"). */
static const char *copy_field(const char *p, char **out, char *end) {
        char *o = *out;

        while (*p && *p != ' ' && o < end - 1) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' &&
                    p[3] <= '7') {
                        *o++ = (char) ((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
                        p += 4;
                } else
                        *o++ = *p++;
        }
        *o++ = '\0';
        *out = o;
        return p;
}

static const char *skip_field(const char *p) {
        p += strcspn(p, " ");
        return p + strspn(p, " ");
}

int cgroup_parse_mountinfo_line(const char *line, char *buf, size_t size, const char **ret_mount,
                                const char **ret_root, const char **ret_fstype, const char **ret_super) {
        const char *p = line, *root, *mount, *fstype, *super;
        char *o = buf, *end = buf + size;

        /* "ID PARENT MAJ:MIN ROOT MOUNT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER" */
        for (int i = 0; i < 3; i++)
                p = skip_field(p);
        if (!*p)
                return -EINVAL;
        root = o;
        p = copy_field(p, &o, end);
        p += strspn(p, " ");
        mount = o;
        p = copy_field(p, &o, end);
        p = strstr(p, " - ");
        if (!p)
                return -EINVAL;
        p += 3;
        fstype = o;
        p = copy_field(p, &o, end);
        p = skip_field(p + strspn(p, " "));     /* SOURCE */
        if (!*p)
                return -EINVAL;
        super = o;
        p = copy_field(p, &o, end);
        if (o >= end)
                return -EINVAL;
        /* A trailing newline belongs to no field. */
        if (super[0] && super[strlen(super) - 1] == '\n')
                ((char *) super)[strlen(super) - 1] = '\0';
        *ret_root = root;
        *ret_mount = mount;
        *ret_fstype = fstype;
        *ret_super = super;
        return 0;
}

bool cgroup_list_has(const char *list, const char *word, char sep) {
        size_t n = strlen(word);

        for (const char *p = list; p && *p;) {
                size_t len = strcspn(p, (char[]) { sep, '\n', '\0' });

                if (len == n && strncmp(p, word, n) == 0)
                        return true;
                p += len;
                if (*p != sep)
                        break;
                p++;
        }
        return false;
}

int cgroup_parse_self(const char *text, CgroupController want, const char **ret_path, size_t *ret_len) {
        for (const char *line = text; line && *line;) {
                const char *c1 = strchr(line, ':'), *c2, *eol = line + strcspn(line, "\n");

                if (c1 && c1 < eol && (c2 = memchr(c1 + 1, ':', (size_t) (eol - c1 - 1)))) {
                        size_t clen = (size_t) (c2 - c1 - 1);
                        char controllers[256];
                        bool match;

                        if (want < 0)
                                match = strncmp(line, "0:", 2) == 0 && clen == 0;
                        else if (clen > 0 && clen < sizeof controllers) {
                                memcpy(controllers, c1 + 1, clen);
                                controllers[clen] = '\0';
                                match = cgroup_list_has(controllers, controller_names[want], ',');
                        } else
                                match = false;
                        if (match) {
                                *ret_path = c2 + 1;
                                *ret_len = (size_t) (eol - c2 - 1);
                                return 1;
                        }
                }
                line = *eol ? eol + 1 : NULL;
        }
        return 0;
}

char *cgroup_join(const char *mount, const char *root, const char *path, size_t path_len, int *reterr) {
        size_t root_len = strlen(root);
        char *s;

        if (strcmp(root, "/") == 0)
                root_len = 0;
        if (path_len < root_len || strncmp(path, root, root_len) != 0 ||
            (path_len > root_len && path[root_len] != '/')) {
                *reterr = -EXDEV;
                return NULL;
        }
        path += root_len;
        path_len -= root_len;
        while (path_len > 0 && path[path_len - 1] == '/')
                path_len--;
        if (asprintf(&s, "%s%.*s", mount, (int) path_len, path) < 0) {
                *reterr = -ENOMEM;
                return NULL;
        }
        return s;
}

void cgroup_cpu_quota(unsigned percent, uint64_t *ret_quota_usec, uint64_t *ret_period_usec) {
        /* The kernel's default period; 1% is then 1000us, its minimum quota. */
        *ret_period_usec = 100000;
        *ret_quota_usec = (uint64_t) percent * 1000;
}

int cgroup_parse_keyed(const char *text, const char *key, uint64_t *ret) {
        size_t n = strlen(key);

        for (const char *line = text; line && *line;) {
                const char *eol = line + strcspn(line, "\n");

                if (strncmp(line, key, n) == 0 && line[n] == ' ') {
                        char num[32];
                        size_t len = (size_t) (eol - line - n - 1);

                        if (len == 0 || len >= sizeof num)
                                return -EINVAL;
                        memcpy(num, line + n + 1, len);
                        num[len] = '\0';
                        return parse_uint64(num, ret) < 0 ? -EINVAL : 1;
                }
                line = *eol ? eol + 1 : NULL;
        }
        return 0;
}

/* ---- Shell. ---- */

static int read_text(const char *path, char **ret) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, size = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n;

                if (size - len < 1025) {
                        char *b = realloc(buf, size = size ? size * 2 : 4096);

                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                n = read(fd, buf + len, size - len - 1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        return 0;
}

static int read_at(const char *dir, const char *file, char **ret) {
        _cleanup_free_ char *p = NULL;

        if (asprintf(&p, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        return read_text(p, ret);
}

static int write_at(const char *dir, const char *file, const char *text) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -1;
        size_t len = strlen(text);

        if (asprintf(&p, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        fd = open(p, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, text, len) != (ssize_t) len)
                return -errno;
        return 0;
}

static int open_at(const char *dir, const char *file, int flags) {
        _cleanup_free_ char *p = NULL;
        int fd;

        if (asprintf(&p, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        fd = open(p, flags | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int cgroup_host_detect(CgroupHost *ret) {
        _cleanup_free_ char *mountinfo = NULL, *self = NULL;
        CgroupHost h = { 0 };
        int r;

        r = read_text("/proc/self/mountinfo", &mountinfo);
        if (r < 0)
                return r;
        r = read_text("/proc/self/cgroup", &self);
        if (r < 0)
                return r;

        for (char *line = mountinfo; line && *line;) {
                char *eol = line + strcspn(line, "\n"), buf[4096];
                const char *mount, *root, *fstype, *super, *path;
                bool more = *eol != '\0';
                size_t len;

                *eol = '\0';
                if (cgroup_parse_mountinfo_line(line, buf, sizeof buf, &mount, &root, &fstype, &super) < 0)
                        goto next;
                if (streq(fstype, "cgroup2") && !h.v2_dir && cgroup_parse_self(self, _CGROUP_CONTROLLER_INVALID, &path, &len) > 0)
                        h.v2_dir = cgroup_join(mount, root, path, len, &r);
                else if (streq(fstype, "cgroup"))
                        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                                if (!h.v1_dir[c] && cgroup_list_has(super, controller_names[c], ',') &&
                                    cgroup_parse_self(self, c, &path, &len) > 0)
                                        h.v1_dir[c] = cgroup_join(mount, root, path, len, &r);
        next:
                line = more ? eol + 1 : NULL;
        }
        h.v2_hybrid = h.v2_dir && (h.v1_dir[CGROUP_MEMORY] || h.v1_dir[CGROUP_PIDS] || h.v1_dir[CGROUP_CPU]);
        *ret = h;
        return 0;
}

void cgroup_host_done(CgroupHost *h) {
        free(h->v2_dir);
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                free(h->v1_dir[c]);
        *h = (CgroupHost) { 0 };
}

static const char *why_mkdir(int r, bool v2) {
        if (r == -EROFS)
                return v2 ? "the cgroup v2 hierarchy is read-only" : "the cgroup v1 hierarchy is read-only";
        if (r == -EACCES || r == -EPERM)
                return v2 ? "the cgroup v2 hierarchy is not writable by tend (no delegation)"
                          : "the cgroup v1 hierarchy is not writable by tend";
        return v2 ? "cannot create the job's cgroup v2" : "cannot create the job's cgroup v1";
}

/* Creates *dir; when it exists (a tend of the same pid in another PID namespace, or one that
 * died), tries "DIR-2", "DIR-3", ... instead: never removes what may be another tend's. */
static int make_cgroup_dir(char **dir) {
        for (unsigned i = 2;; i++) {
                char *alt;

                if (mkdir(*dir, 0755) >= 0)
                        return 0;
                if (errno != EEXIST || i > 64)
                        return -errno;
                if (asprintf(&alt, "%.*s-%u", i == 2 ? (int) strlen(*dir) : (int) (strrchr(*dir, '-') - *dir), *dir, i) < 0)
                        return -ENOMEM;
                free(*dir);
                *dir = alt;
        }
}

/* Makes the v2 controllers in want available to tend's children: enables them in tend's
 * cgroup.subtree_control, after moving tend into a leaf if the v2 rule that only leaves (and the
 * root) hold processes when controllers are enabled below says so (EBUSY). */
static int v2_enable_controllers(const char *self_dir, const bool want[_CGROUP_CONTROLLER_MAX],
                                 const char **reterr_why, char **reterr_path) {
        _cleanup_free_ char *enabled = NULL, *leaf = NULL;
        char line[64] = "";
        int r;

        r = read_at(self_dir, "cgroup.subtree_control", &enabled);
        if (r < 0)
                goto fail;
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                if (want[c] && !cgroup_list_has(enabled, controller_names[c], ' ')) {
                        strcat(line, line[0] ? " +" : "+");
                        strcat(line, controller_names[c]);
                }
        if (!line[0])
                return 0;
        r = write_at(self_dir, "cgroup.subtree_control", line);
        if (r != -EBUSY)
                goto done;

        if (asprintf(&leaf, "%s/tend-%d.supervisor", self_dir, (int) getpid()) < 0)
                return -ENOMEM;
        r = make_cgroup_dir(&leaf);
        if (r >= 0)
                r = write_at(leaf, "cgroup.procs", "0");
        if (r < 0) {
                *reterr_why = "cannot move tend into a leaf cgroup to enable controllers below its own";
                *reterr_path = TAKE_PTR(leaf);
                return r;
        }
        r = write_at(self_dir, "cgroup.subtree_control", line);
done:
        if (r >= 0)
                return 0;
fail:
        *reterr_why = r == -EBUSY ? "cannot enable cgroup v2 controllers: other processes share tend's cgroup"
                                  : "cannot enable cgroup v2 controllers in tend's cgroup";
        *reterr_path = strdup(self_dir);
        return r;
}

static int write_limits(JobCgroup *cg, const JobSpec *spec, const char **reterr_file) {
        char v[64];
        int r;

        if (spec->memory_max != PARSE_INFINITY || spec->memory_high != PARSE_INFINITY) {
                bool v2 = cg->v2_controller[CGROUP_MEMORY];
                const char *dir = v2 ? cg->v2_path : cg->v1_path[CGROUP_MEMORY];

                if (spec->memory_max != PARSE_INFINITY) {
                        *reterr_file = v2 ? "memory.max" : "memory.limit_in_bytes";
                        (void) snprintf(v, sizeof v, "%" PRIu64, spec->memory_max);
                        r = write_at(dir, *reterr_file, v);
                        if (r < 0)
                                return r;
                }
                if (spec->memory_high != PARSE_INFINITY) {
                        /* v1 has no throttling limit: the soft limit (reclaimed first under
                         * pressure) is the nearest. */
                        *reterr_file = v2 ? "memory.high" : "memory.soft_limit_in_bytes";
                        (void) snprintf(v, sizeof v, "%" PRIu64, spec->memory_high);
                        r = write_at(dir, *reterr_file, v);
                        if (r < 0)
                                return r;
                }
        }
        if (spec->pids_max != PARSE_INFINITY) {
                *reterr_file = "pids.max";
                (void) snprintf(v, sizeof v, "%" PRIu64, spec->pids_max);
                r = write_at(cg->v2_controller[CGROUP_PIDS] ? cg->v2_path : cg->v1_path[CGROUP_PIDS], "pids.max", v);
                if (r < 0)
                        return r;
        }
        if (spec->cpu_max_percent > 0) {
                uint64_t quota, period;

                cgroup_cpu_quota(spec->cpu_max_percent, &quota, &period);
                if (cg->v2_controller[CGROUP_CPU]) {
                        *reterr_file = "cpu.max";
                        (void) snprintf(v, sizeof v, "%" PRIu64 " %" PRIu64, quota, period);
                        r = write_at(cg->v2_path, "cpu.max", v);
                } else {
                        *reterr_file = "cpu.cfs_period_us";
                        (void) snprintf(v, sizeof v, "%" PRIu64, period);
                        r = write_at(cg->v1_path[CGROUP_CPU], "cpu.cfs_period_us", v);
                        if (r >= 0) {
                                *reterr_file = "cpu.cfs_quota_us";
                                (void) snprintf(v, sizeof v, "%" PRIu64, quota);
                                r = write_at(cg->v1_path[CGROUP_CPU], "cpu.cfs_quota_us", v);
                        }
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int cgroup_job_create(const CgroupHost *h, const char *name, const JobSpec *spec, JobCgroup *ret,
                      const char **reterr_why, char **reterr_path) {
        _cleanup_free_ char *v2_available = NULL;
        bool v2_want[_CGROUP_CONTROLLER_MAX] = { false }, v2_needed = false;
        JobCgroup cg = JOB_CGROUP_INIT;
        const char *file = NULL;
        char leaf[64];
        int r;

        *reterr_path = NULL;
        (void) snprintf(leaf, sizeof leaf, "tend-%d.%s", (int) getpid(), name);

        /* Which hierarchy serves each controller: v2 when tend's v2 cgroup offers it, else v1. */
        if (h->v2_dir)
                (void) read_at(h->v2_dir, "cgroup.controllers", &v2_available);
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++) {
                if (!controller_wanted(spec, c))
                        continue;
                if (v2_available && cgroup_list_has(v2_available, controller_names[c], ' '))
                        v2_want[c] = v2_needed = true;
                else if (!h->v1_dir[c]) {
                        static const char *const missing[_CGROUP_CONTROLLER_MAX] = {
                                [CGROUP_MEMORY] = "no cgroup hierarchy has the memory controller "
                                                  "(not in cgroup v2's cgroup.controllers, no v1 mount)",
                                [CGROUP_PIDS] = "no cgroup hierarchy has the pids controller "
                                                "(not in cgroup v2's cgroup.controllers, no v1 mount)",
                                [CGROUP_CPU] = "no cgroup hierarchy has the cpu controller "
                                               "(not in cgroup v2's cgroup.controllers, no v1 mount)",
                        };

                        *reterr_why = h->v2_dir || h->v1_dir[0] || h->v1_dir[1] || h->v1_dir[2]
                                              ? missing[c]
                                              : "no cgroup hierarchy is mounted";
                        *reterr_path = h->v2_dir ? strdup(h->v2_dir) : NULL;
                        return -EOPNOTSUPP;
                }
        }

        if (v2_needed) {
                r = v2_enable_controllers(h->v2_dir, v2_want, reterr_why, reterr_path);
                if (r < 0)
                        return r;
        }

        /* v2, for exact tracking and cgroup.kill even when it serves no controller. A v2 that
         * serves none and cannot be written is not needed: the v1 cgroups still limit. */
        if (h->v2_dir) {
                if (asprintf(&cg.v2_path, "%s/%s", h->v2_dir, leaf) < 0)
                        return -ENOMEM;
                r = make_cgroup_dir(&cg.v2_path);
                if (r < 0) {
                        if (v2_needed) {
                                *reterr_why = why_mkdir(r, true);
                                *reterr_path = TAKE_PTR(cg.v2_path);
                                return r;
                        }
                        cg.v2_path = mfree(cg.v2_path);
                } else {
                        memcpy(cg.v2_controller, v2_want, sizeof v2_want);
                        cg.v2_fd = open(cg.v2_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        cg.v2_procs_fd = open_at(cg.v2_path, "cgroup.procs", O_WRONLY);
                        if (cg.v2_fd < 0 || cg.v2_procs_fd < 0) {
                                r = cg.v2_fd < 0 ? -errno : cg.v2_procs_fd;
                                *reterr_why = "cannot open the job's cgroup v2";
                                *reterr_path = strdup(cg.v2_path);
                                goto fail;
                        }
                }
        }

        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++) {
                /* One v1 directory per hierarchy: cpu may share its mount with cpuacct, and so on. */
                if (!controller_wanted(spec, c) || v2_want[c])
                        continue;
                for (CgroupController d = 0; d < c; d++)
                        if (cg.v1_path[d] && streq(h->v1_dir[d], h->v1_dir[c]))
                                cg.v1_path[c] = strdup(cg.v1_path[d]);  /* joined through d */
                if (cg.v1_path[c])
                        continue;
                if (asprintf(&cg.v1_path[c], "%s/%s", h->v1_dir[c], leaf) < 0) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = make_cgroup_dir(&cg.v1_path[c]);
                if (r < 0) {
                        *reterr_why = why_mkdir(r, false);
                        *reterr_path = TAKE_PTR(cg.v1_path[c]);
                        goto fail;
                }
                cg.v1_procs_fd[c] = open_at(cg.v1_path[c], "cgroup.procs", O_WRONLY);
                if (cg.v1_procs_fd[c] < 0) {
                        r = cg.v1_procs_fd[c];
                        cg.v1_procs_fd[c] = -1;
                        *reterr_why = "cannot open the job's cgroup v1";
                        *reterr_path = strdup(cg.v1_path[c]);
                        goto fail;
                }
        }

        r = write_limits(&cg, spec, &file);
        if (r < 0) {
                *reterr_why = "cannot write the limit";
                *reterr_path = NULL;
                for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++) {
                        const char *dir = v2_want[c] ? cg.v2_path : cg.v1_path[c];

                        if (dir && controller_wanted(spec, c) && !*reterr_path)
                                if (strncmp(file, controller_names[c], strlen(controller_names[c])) == 0)
                                        (void) asprintf(reterr_path, "%s/%s", dir, file);
                }
                goto fail;
        }
        *ret = cg;
        return 0;

fail:
        (void) cgroup_job_remove(&cg);
        return r;
}

void cgroup_job_plan(const JobCgroup *cg, SpawnPlan *plan) {
        size_t n = 0;

        plan->cgroup_fd = cg->v2_fd;
        if (cg->v2_procs_fd >= 0)
                plan->cgroup_procs_fds[n++] = cg->v2_procs_fd;
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                if (cg->v1_procs_fd[c] >= 0 && n < SPAWN_CGROUP_FDS_MAX)
                        plan->cgroup_procs_fds[n++] = cg->v1_procs_fd[c];
        plan->n_cgroup_procs_fds = n;
}

static const char *tracking_dir(const JobCgroup *cg) {
        if (cg->v2_path)
                return cg->v2_path;
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++)
                if (cg->v1_path[c])
                        return cg->v1_path[c];
        return NULL;
}

int cgroup_job_pids(const JobCgroup *cg, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        const char *dir = tracking_dir(cg);
        size_t n = 0, allocated = 0;
        int r;

        if (!dir)
                return -ENODATA;
        r = read_at(dir, "cgroup.procs", &text);
        if (r < 0)
                return r;
        for (char *p = text, *end; *p; p = end) {
                long v = strtol(p, &end, 10);

                if (end == p)
                        break;
                end += strspn(end, "\n");
                if (v <= 0)
                        continue;
                if (n == allocated) {
                        pid_t *m = reallocarray(pids, allocated = allocated ? allocated * 2 : 16, sizeof *m);

                        if (!m)
                                return -ENOMEM;
                        pids = m;
                }
                pids[n++] = (pid_t) v;
        }
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        return 0;
}

int cgroup_job_kill(const JobCgroup *cg) {
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        bool frozen = false;
        int r;

        r = cgroup_job_pids(cg, &pids, &n);
        if (r < 0)
                return r;
        if (n == 0)
                return 0;
        if (cg->v2_path) {
                r = write_at(cg->v2_path, "cgroup.kill", "1");
                if (r >= 0)
                        return (int) n;
                /* Before Linux 5.14: freeze, so that nothing forks while each is killed. */
                frozen = write_at(cg->v2_path, "cgroup.freeze", "1") >= 0;
        }
        for (size_t i = 0; i < n; i++)
                (void) kill(pids[i], SIGKILL);
        if (frozen)
                (void) write_at(cg->v2_path, "cgroup.freeze", "0");
        return (int) n;
}

int cgroup_job_oom_kills(const JobCgroup *cg, uint64_t *ret) {
        _cleanup_free_ char *text = NULL;
        uint64_t v = 0;
        int r;

        if (cg->v2_controller[CGROUP_MEMORY])
                r = read_at(cg->v2_path, "memory.events", &text);
        else if (cg->v1_path[CGROUP_MEMORY])
                r = read_at(cg->v1_path[CGROUP_MEMORY], "memory.oom_control", &text);
        else
                return -ENODATA;
        if (r < 0)
                return r;
        r = cgroup_parse_keyed(text, "oom_kill", &v);
        if (r < 0)
                return r;
        if (r == 0 && cg->v1_path[CGROUP_MEMORY]) {
                /* Before Linux 4.13, v1 does not count OOM kills: having hit the limit is the hint. */
                text = mfree(text);
                r = read_at(cg->v1_path[CGROUP_MEMORY], "memory.failcnt", &text);
                if (r < 0)
                        return r;
                v = strtoull(text, NULL, 10) > 0;
        }
        *ret = v;
        return 0;
}

int cgroup_job_remove(JobCgroup *cg) {
        int r = 0;

        cg->v2_fd = safe_close(cg->v2_fd);
        cg->v2_procs_fd = safe_close(cg->v2_procs_fd);
        if (cg->v2_path && rmdir(cg->v2_path) < 0 && errno != ENOENT)
                r = -errno;
        cg->v2_path = mfree(cg->v2_path);
        for (CgroupController c = 0; c < _CGROUP_CONTROLLER_MAX; c++) {
                cg->v1_procs_fd[c] = safe_close(cg->v1_procs_fd[c]);
                if (cg->v1_path[c] && rmdir(cg->v1_path[c]) < 0 && errno != ENOENT && r == 0)
                        r = -errno;
                cg->v1_path[c] = mfree(cg->v1_path[c]);
        }
        *cg = JOB_CGROUP_INIT;
        return r;
}
