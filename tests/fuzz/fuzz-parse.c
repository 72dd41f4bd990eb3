/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the value parsers of parse.h. The first byte picks the parser, the rest is
 * its text. Besides not crashing, each parser must read back what its format function prints. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "parse.h"
#include "util/macro.h"
#include "util/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_words(const char *s) {
        _cleanup_strv_free_ char **words = NULL, **env = NULL, **argv = NULL;
        const char *why;

        if (parse_words(s, &words, &why) < 0)
                return;
        for (size_t i = 0; words[i]; i++) {
                _cleanup_free_ char *q = quote_word(words[i], i % 2);
                _cleanup_strv_free_ char **back = NULL;

                if (!q)
                        abort();
                if (parse_words(q, &back, &why) < 0 || !back[0] || back[1] || strcmp(back[0], words[i]) != 0)
                        abort();
        }
        (void) parse_env_line(s, &env, &why);
        (void) parse_command(s, &argv, &why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *s = NULL;
        char buf[LADDER_MAX_LEN];
        const char *why, *path;
        uint64_t u, soft, hard, v;
        unsigned m;
        StdioType t;
        Ladder ladder;
        int i;

        if (size < 1 || size > 4096)
                return 0;
        s = strndup((const char *) data + 1, size - 1);
        if (!s)
                return 0;

        switch (data[0] % 12) {
        case 0:
                if (parse_size(s, &u) == 0 && (parse_size(format_size(u, buf, sizeof buf), &v) < 0 || v != u))
                        abort();
                break;
        case 1: {
                int resource = data[0] / 12 % RLIMIT_NLIMITS;

                if (parse_rlimit(s, resource, &soft, &hard, &why) == 0) {
                        format_rlimit(resource, soft, hard, buf, sizeof buf);
                        if (parse_rlimit(buf, resource, &u, &v, &why) < 0 || u != soft || v != hard)
                                abort();
                }
                break;
        }
        case 2:
                (void) parse_umask(s, &m);
                (void) parse_nice(s, &i);
                (void) parse_oom_score_adj(s, &i);
                (void) parse_boolean(s);
                break;
        case 3:
                (void) parse_cpu_percent(s, &m);
                (void) parse_count(s, &u);
                (void) parse_int_range(s, -5, 5, &i);
                break;
        case 4:
                (void) parse_stdio(s, data[0] & 0x80, &t, &path, &why);
                break;
        case 5:
        case 6:
        case 7:
                check_words(s);
                break;
        case 8:
                (void) parse_env_assignment(s, &why);
                (void) edit_distance(s, "memory_max");
                break;
        case 9:
                if (parse_duration(s, &u) == 0 && u != USEC_INFINITY &&
                    (parse_duration(format_duration(u, buf, sizeof buf), &v) < 0 || v != u))
                        abort();
                break;
        case 10:
                if (parse_ladder(s, &ladder, &why) == 0) {
                        Ladder back;

                        format_ladder(&ladder, buf, sizeof buf);
                        if (parse_ladder(buf, &back, &why) < 0 || back.n != ladder.n)
                                abort();
                }
                break;
        default:
                (void) parse_signal(s);
                (void) rlimit_from_string(s);
                break;
        }
        return 0;
}
