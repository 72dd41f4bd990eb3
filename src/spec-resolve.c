/* SPDX-License-Identifier: MIT */
/* The non-pure half of spec.h: user and group names through NSS, the environment file from disk.
 * Non-logging; loop thread, before any fork (NSS may take locks and allocate). */

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"
#include "util/macro.h"
#include "util/strv.h"

static bool is_number(const char *s, uint32_t *ret) {
        uint64_t n;

        if (parse_uint64(s, &n) < 0 || n >= UINT32_MAX)
                return false;
        *ret = (uint32_t) n;
        return true;
}

/* NSS modules answer "not found" with 0 and a NULL result, or with one of these (getpwnam_r(3)). */
static bool errno_is_not_found(int e) {
        return e == 0 || e == ENOENT || e == ESRCH || e == EBADF || e == EPERM;
}

/* 1 and the entry (its strings in *ret_buf), 0 when there is none, or -errno. */
static int lookup_passwd(const char *user, struct passwd *ret_pw, char **ret_buf) {
        uint32_t id;
        bool numeric = is_number(user, &id);

        for (size_t size = 1024;; size *= 2) {
                _cleanup_free_ char *buf = malloc(size);
                struct passwd *res = NULL;
                int r;

                if (!buf)
                        return -ENOMEM;
                r = numeric ? getpwuid_r((uid_t) id, ret_pw, buf, size, &res)
                            : getpwnam_r(user, ret_pw, buf, size, &res);
                if (r == ERANGE && size < 1024 * 1024)
                        continue;
                if (!res)
                        return errno_is_not_found(r) ? 0 : -r;
                *ret_buf = TAKE_PTR(buf);
                return 1;
        }
}

static int lookup_group(const char *group, struct group *ret_gr, char **ret_buf) {
        uint32_t id;
        bool numeric = is_number(group, &id);

        for (size_t size = 1024;; size *= 2) {
                _cleanup_free_ char *buf = malloc(size);
                struct group *res = NULL;
                int r;

                if (!buf)
                        return -ENOMEM;
                r = numeric ? getgrgid_r((gid_t) id, ret_gr, buf, size, &res)
                            : getgrnam_r(group, ret_gr, buf, size, &res);
                if (r == ERANGE && size < 1024 * 1024)
                        continue;
                if (!res)
                        return errno_is_not_found(r) ? 0 : -r;
                *ret_buf = TAKE_PTR(buf);
                return 1;
        }
}

int job_spec_resolve_group(JobSpec *spec, const char **reterr_why) {
        _cleanup_free_ char *buf = NULL;
        struct group gr;
        uint32_t id;
        int r;

        if (!spec->group)
                return 0;
        r = lookup_group(spec->group, &gr, &buf);
        if (r < 0) {
                *reterr_why = "cannot look the group up";
                return r;
        }
        if (r == 0 && !is_number(spec->group, &id)) {
                *reterr_why = "no such group";
                return -ESRCH;
        }
        /* A number the group database does not know is still a gid the kernel takes. */
        spec->gid = r > 0 ? gr.gr_gid : (gid_t) id;
        spec->gid_set = true;
        if (!spec->user) {
                /* A job that changes its group does not keep tend's supplementary groups. */
                free(spec->groups);
                spec->groups = NULL;
                spec->n_groups = 0;
                spec->groups_set = true;
        }
        return 0;
}

/* The user's groups as initgroups(3) would set them, gid among them. */
static int user_groups(const char *name, gid_t gid, gid_t **ret, size_t *ret_n) {
        int n = 32;

        for (;;) {
                gid_t *groups = calloc((size_t) n, sizeof *groups);
                int want = n;

                if (!groups)
                        return -ENOMEM;
                if (getgrouplist(name, gid, groups, &want) >= 0) {
                        *ret = groups;
                        *ret_n = (size_t) want;
                        return 0;
                }
                free(groups);
                /* -1 with want raised to the number needed; guard against a module that does not. */
                if (want <= n) {
                        if (n >= 65536)
                                return -E2BIG;
                        want = n * 2;
                }
                n = want;
        }
}

int job_spec_resolve_user(JobSpec *spec, const char **reterr_why) {
        _cleanup_free_ char *buf = NULL;
        gid_t *groups = NULL;
        size_t n_groups = 0;
        struct passwd pw;
        uint32_t id;
        gid_t gid;
        int r;

        if (!spec->user)
                return 0;
        r = lookup_passwd(spec->user, &pw, &buf);
        if (r < 0) {
                *reterr_why = "cannot look the user up";
                return r;
        }
        if (r == 0) {
                if (!is_number(spec->user, &id)) {
                        *reterr_why = "no such user";
                        return -ESRCH;
                }
                /* Without a passwd entry there is no primary group to take, and guessing one
                 * (docker takes 0) would hand out root's group. */
                if (!spec->group) {
                        *reterr_why = "no passwd entry, hence no primary group (expected group = GROUP as well)";
                        return -ESRCH;
                }
                spec->uid = (uid_t) id;
                spec->uid_set = true;
                free(spec->groups);
                spec->groups = NULL;
                spec->n_groups = 0;
                spec->groups_set = true;
                return 0;
        }

        gid = spec->group && spec->gid_set ? spec->gid : pw.pw_gid;
        r = user_groups(pw.pw_name, gid, &groups, &n_groups);
        if (r < 0) {
                *reterr_why = "cannot list the user's groups";
                return r;
        }
        spec->uid = pw.pw_uid;
        spec->uid_set = true;
        spec->gid = gid;
        spec->gid_set = true;
        free(spec->groups);
        spec->groups = groups;
        spec->n_groups = n_groups;
        spec->groups_set = true;
        return 0;
}

static void fclosep(FILE **f) {
        int saved = errno;

        if (*f)
                (void) fclose(*f);
        errno = saved;
}

int job_spec_resolve_environment_file(JobSpec *spec, unsigned *reterr_line, const char **reterr_why) {
        _cleanup_(fclosep) FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        _cleanup_strv_free_ char **env = NULL;
        size_t size = 0;
        unsigned lineno = 0;
        ssize_t n;
        int r;

        if (!spec->environment_file)
                return 0;
        f = fopen(spec->environment_file, "re");
        if (!f) {
                *reterr_line = 0;
                *reterr_why = "cannot open the file";
                return -errno;
        }
        env = calloc(1, sizeof *env);
        if (!env)
                return -ENOMEM;

        errno = 0;
        while ((n = getline(&line, &size, f)) >= 0) {
                _cleanup_strv_free_ char **assignments = NULL;
                const char *p = line;

                lineno++;
                if ((size_t) n != strlen(line)) {
                        *reterr_line = lineno;
                        *reterr_why = "NUL byte in line";
                        return -EINVAL;
                }
                while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                        line[--n] = '\0';
                p += strspn(p, " \t");
                if (*p == '\0' || *p == '#' || *p == ';')
                        continue;
                r = parse_env_line(p, &assignments, reterr_why);
                if (r < 0) {
                        *reterr_line = lineno;
                        return r;
                }
                for (size_t i = 0; assignments[i]; i++) {
                        r = strv_env_replace(&env, TAKE_PTR(assignments[i]));
                        if (r < 0)
                                return r;
                }
                errno = 0;
        }
        if (ferror(f)) {
                *reterr_line = 0;
                *reterr_why = "cannot read the file";
                return errno > 0 ? -errno : -EIO;
        }

        strv_free(spec->environment_file_env);
        spec->environment_file_env = TAKE_PTR(env);
        return 0;
}

int job_spec_resolve(JobSpec *spec, JobKey *reterr_key, unsigned *reterr_line, const char **reterr_why) {
        int r;

        *reterr_line = 0;
        r = job_spec_resolve_group(spec, reterr_why);
        if (r < 0) {
                *reterr_key = JOB_KEY_GROUP;
                return r;
        }
        r = job_spec_resolve_user(spec, reterr_why);
        if (r < 0) {
                *reterr_key = JOB_KEY_USER;
                return r;
        }
        r = job_spec_resolve_environment_file(spec, reterr_line, reterr_why);
        if (r < 0) {
                *reterr_key = JOB_KEY_ENVIRONMENT_FILE;
                return r;
        }
        return 0;
}
