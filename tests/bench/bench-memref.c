/* SPDX-License-Identifier: MIT */
/* Memory references: a program that does nothing but wait for EOF on stdin, built twice, once
 * plain and once linked with libsystemd and holding an sd_event (WITH_SD_EVENT). The difference is
 * what libsystemd costs any process that uses it, before it does any work. */
#include <errno.h>
#include <unistd.h>
#ifdef WITH_SD_EVENT
#include <systemd/sd-event.h>
#endif

int main(void) {
        char buf[64];
        ssize_t k;
#ifdef WITH_SD_EVENT
        sd_event *e = NULL;

        if (sd_event_new(&e) < 0)
                return 1;
#endif
        if (write(STDOUT_FILENO, "ready\n", 6) != 6)
                return 1;
        do
                k = read(STDIN_FILENO, buf, sizeof buf);
        while (k > 0 || (k < 0 && errno == EINTR));
#ifdef WITH_SD_EVENT
        sd_event_unref(e);
#endif
        return 0;
}
