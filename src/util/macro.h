/* SPDX-License-Identifier: MIT */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((__cleanup__(f)))
#define _noreturn_ __attribute__((__noreturn__))
#define _printf_(a, b) __attribute__((__format__(printf, a, b)))
#define _unused_ __attribute__((__unused__))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

#define USEC_PER_SEC  UINT64_C(1000000)
#define USEC_PER_MSEC UINT64_C(1000)
#define NSEC_PER_USEC UINT64_C(1000)
#define USEC_INFINITY UINT64_MAX

/* A cleanup must never clobber errno: callers read it right after the failing call. */
static inline int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -EBADF;
}

static inline void closep(int *fd) {
        (void) safe_close(*fd);
}

static inline void freep(void *p) {
        int saved = errno;
        free(*(void **) p);
        errno = saved;
}

#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_free_ _cleanup_(freep)

#define TAKE_FD(fd) __extension__ ({ int _fd_ = (fd); (fd) = -EBADF; _fd_; })
#define TAKE_PTR(p) __extension__ ({ __typeof__(p) _p_ = (p); (p) = NULL; _p_; })

#define MIN(a, b) __extension__ ({ __typeof__(a) _a_ = (a); __typeof__(b) _b_ = (b); _a_ < _b_ ? _a_ : _b_; })
#define MAX(a, b) __extension__ ({ __typeof__(a) _a_ = (a); __typeof__(b) _b_ = (b); _a_ > _b_ ? _a_ : _b_; })
