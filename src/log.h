/* SPDX-License-Identifier: MIT */
#pragma once

/* Logging to stderr, one line per event: "tend: <message>". Only boundary code logs (see STYLE.md);
 * pure and shell modules return -errno instead. Loop thread only. */

#include <stdbool.h>

#include "util/macro.h"

typedef enum LogLevel {
        LOG_LEVEL_ERROR,
        LOG_LEVEL_WARNING,
        LOG_LEVEL_NOTICE,       /* default: what a user wants to see in a CI log */
        LOG_LEVEL_INFO,         /* -v */
        LOG_LEVEL_DEBUG,        /* -vv */
        _LOG_LEVEL_MAX,
} LogLevel;

void log_set_level(LogLevel level);
LogLevel log_get_level(void);
static inline bool log_enabled(LogLevel level) {
        return level <= log_get_level();
}

/* Logs "tend: <fmt>" and, when error != 0, ": <strerror(|error|)>". Returns -|error|, so that
 * "return log_error_errno(r, ...)" passes the error on. Keeps errno. */
int log_full_errno(LogLevel level, int error, const char *fmt, ...) _printf_(3, 4);

#define log_error(...)   log_full_errno(LOG_LEVEL_ERROR, 0, __VA_ARGS__)
#define log_warning(...) log_full_errno(LOG_LEVEL_WARNING, 0, __VA_ARGS__)
#define log_notice(...)  log_full_errno(LOG_LEVEL_NOTICE, 0, __VA_ARGS__)
#define log_info(...)    log_full_errno(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_debug(...)   log_full_errno(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(e, ...)   log_full_errno(LOG_LEVEL_ERROR, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_LEVEL_WARNING, (e), __VA_ARGS__)
#define log_debug_errno(e, ...)   log_full_errno(LOG_LEVEL_DEBUG, (e), __VA_ARGS__)
