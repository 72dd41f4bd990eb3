/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static LogLevel log_level = LOG_LEVEL_NOTICE;

void log_set_level(LogLevel level) {
        log_level = level < 0 ? 0 : level >= _LOG_LEVEL_MAX ? _LOG_LEVEL_MAX - 1 : level;
}

LogLevel log_get_level(void) {
        return log_level;
}

int log_full_errno(LogLevel level, int error, const char *fmt, ...) {
        int saved = errno;
        char buf[2048];
        va_list ap;
        int n;

        error = error < 0 ? -error : error;
        if (!log_enabled(level)) {
                errno = saved;
                return -error;
        }

        n = snprintf(buf, sizeof buf, "tend: ");
        va_start(ap, fmt);
        n += vsnprintf(buf + n, sizeof buf - (size_t) n, fmt, ap);
        va_end(ap);
        if ((size_t) n < sizeof buf && error != 0)
                n += snprintf(buf + n, sizeof buf - (size_t) n, ": %s", strerror(error));
        if ((size_t) n >= sizeof buf - 1)
                n = sizeof buf - 2;
        buf[n++] = '\n';

        /* One write() per line, so lines of concurrent writers on the same pipe never interleave. */
        (void) !write(STDERR_FILENO, buf, (size_t) n);
        errno = saved;
        return -error;
}
