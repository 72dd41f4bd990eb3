/* SPDX-License-Identifier: MIT */
#pragma once

/* NULL-terminated string vectors ("strv", as systemd calls them). Pure and non-logging. */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline size_t strv_length(char *const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

/* Frees every string and the vector. Accepts NULL; returns NULL. */
static inline char **strv_free(char **l) {
        for (size_t i = 0; l && l[i]; i++)
                free(l[i]);
        free(l);
        return NULL;
}

static inline void strv_freep(char ***l) {
        int saved = errno;
        *l = strv_free(*l);
        errno = saved;
}
#define _cleanup_strv_free_ __attribute__((__cleanup__(strv_freep)))

/* Appends s, taking ownership of it (on failure too: s is freed). 0 or -ENOMEM. */
static inline int strv_consume(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **m;

        if (!s)
                return -ENOMEM;
        m = realloc(*l, (n + 2) * sizeof *m);
        if (!m) {
                free(s);
                return -ENOMEM;
        }
        m[n] = s;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

/* A deep copy, or NULL on ENOMEM. A NULL l gives an empty vector. */
static inline char **strv_copy(char *const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof *c);

        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return strv_free(c);
        }
        return c;
}

static inline bool strv_equal(char *const *a, char *const *b) {
        size_t i;

        for (i = 0; a && b && a[i] && b[i]; i++)
                if (strcmp(a[i], b[i]) != 0)
                        return false;
        return (!a || !a[i]) && (!b || !b[i]);
}

/* Adds the assignment "NAME=VALUE" to env, replacing an earlier assignment of NAME in place.
 * Takes a (on failure too). 0 or -ENOMEM. */
static inline int strv_env_replace(char ***env, char *a) {
        size_t name_len = strcspn(a, "=") + 1;

        for (size_t i = 0; *env && (*env)[i]; i++)
                if (strncmp((*env)[i], a, name_len) == 0) {
                        free((*env)[i]);
                        (*env)[i] = a;
                        return 0;
                }
        return strv_consume(env, a);
}
