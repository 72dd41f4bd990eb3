/* SPDX-License-Identifier: MIT */
/* libFuzzer target for config loading: any bytes as an ini file. Besides not crashing:
 * - the reader's mirror of inih never disagrees with inih (those errors say "a bug");
 * - a file that loads prints (config_format(), what --check shows) as a file that loads to the
 *   same output, unless a printed line is long (a long word cannot be split over lines). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *format_config(const Config *c) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f || config_format(c, f) < 0)
                abort();
        fclose(f);
        return buf;
}

static bool lines_fit(const char *s) {
        for (const char *p = s; *p;) {
                size_t n = strcspn(p, "\n");

                if (n > 150)
                        return false;
                p += n + (p[n] == '\n');
        }
        return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *first = NULL, *second = NULL;
        ConfigErrors e;
        Config c;
        FILE *f;
        int r;

        if (size == 0 || size > 64 * 1024)
                return 0;
        f = fmemopen((void *) data, size, "r");
        if (!f)
                return 0;
        r = config_load(f, "fuzz.ini", CONFIG_LOAD_NO_RESOLVE, &c, &e);
        fclose(f);
        for (size_t i = 0; i < e.n; i++) {
                /* config.c's messages for a disagreement with inih; nothing else starts so. */
                if (strncmp(e.errors[i].message, "the ini parser did not read", 27) == 0 ||
                    strncmp(e.errors[i].message, "the ini parser read this line differently", 41) == 0 ||
                    strncmp(e.errors[i].message, "the ini parser rejected this line", 33) == 0)
                        abort();
                free(config_error_to_string(&e, i));
        }
        config_errors_done(&e);
        if (r < 0)
                return 0;

        first = format_config(&c);
        config_done(&c);
        if (!lines_fit(first))
                return 0;

        f = fmemopen(first, strlen(first), "r");
        if (!f)
                abort();
        r = config_load(f, "formatted.ini", CONFIG_LOAD_NO_RESOLVE, &c, &e);
        fclose(f);
        if (r < 0) {
                (void) config_errors_print(&e, stderr);
                abort();
        }
        config_errors_done(&e);
        second = format_config(&c);
        config_done(&c);
        if (strcmp(first, second) != 0)
                abort();
        return 0;
}
