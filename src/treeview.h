/* SPDX-License-Identifier: MIT */
#pragma once

/* Renders a process snapshot (ProcInfo records) as an indented tree for a person to read on
 * stderr, in the manner of `ps axjf`: fixed columns first, then the command, indented under its
 * parent. Pure and non-logging: it only writes to the FILE* the caller passes (open_memstream()
 * in tests) and allocates. Loop thread; not async-signal-safe.
 *
 *  PID S     AGE     CPU    RSS    PGID     SID WCHAN                COMMAND
 * 1234 S   12.3s   0.52s  12.3M    1234    1200 ep_poll              pytest -x  [tcp: 3 CLOSE_WAIT, 1 LISTEN]
 * 1240 S   11.3s   0.01s   880K    1234    1200 do_wait               \_ sh -c 'sleep 1000; echo \'done\''
 * 1250 Z   10.3s      0s      0    1234    1200 -                     |   \_ <zombie> [sleep]
 * 1300 S   2.00s   0.01s   7.0M    1234    1200 poll_schedule_timeout  \_ curl http://localhost:8080/health
 * 4321 D   22.3s   5.00s   3.8M    1234    1200 io_schedule           \_ <D: uninterruptible> ./bad\x9f
 *
 * Format, one line per process:
 *  - PID, state letter, AGE (since the process started), CPU (user + system), RSS, PGID, SID,
 *    WCHAN ("-" when not sleeping in the kernel; GCC clone suffixes such as ".constprop.0" left
 *    out; a name past 20 columns widens its own line only);
 *  - AGE and CPU read "0s", "0.52s" (under 10 s), "12.3s" (under a minute), "4m05s", "2h05m",
 *    "3d04h", truncated, not rounded; RSS "0", "512B", "880K", "3.9M", "12.4M", "140M", "1.2G"
 *    (powers of 1024);
 *  - the tree: roots are the processes whose parent is not in the list (or that sit in a ppid
 *    cycle, which a snapshot taken over time with reused pids can show); children follow their
 *    parent, " \_ " marks a child and " |  " a parent's later sibling still to come; roots and
 *    siblings are sorted by pid;
 *  - markers that must not be missed come before the command: "<zombie>", "<D: uninterruptible>",
 *    "<stopped>" (T), "<traced>" (t);
 *  - the command: the args joined by spaces. An arg that is empty or holds a space or a quote is
 *    put in single quotes, with \' inside, so that word boundaries show (for reading, not for
 *    pasting into a shell). \n, \t, \r and \\ read as in C; other control characters, bytes
 *    that are not valid UTF-8, C1 controls, U+2028/U+2029 and the bidi controls (U+202A..U+202E,
 *    U+2066..U+2069) read \xNN per byte (e.g. \x9f), so a command line cannot drive the terminal
 *    or disguise itself; other valid UTF-8 passes through. With an empty cmdline (kernel threads,
 *    zombies) the comm is shown in brackets, escaped alike: "[kworker/0:1]";
 *  - a command longer than cmdline_width columns (a UTF-8 character counts as one, an escape as
 *    its length) is cut after whole characters and escapes so that it fits in cmdline_width - 3
 *    columns, and "..." follows;
 *  - then, when the process holds sockets, a summary: "[tcp: 3 CLOSE_WAIT, 1 LISTEN; udp: 1;
 *    unix: 2; other: 1]", TCP states in the kernel's order, zero counts left out. It comes after
 *    the (cut) command, so it is never cut off. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "procinfo.h"

typedef struct TreeviewOptions {
        size_t cmdline_width;           /* columns for the command; 0: no limit */
        bool header;                    /* print the column header line first */
} TreeviewOptions;

#define TREEVIEW_CMDLINE_WIDTH_DEFAULT 120
#define TREEVIEW_OPTIONS_DEFAULT \
        ((TreeviewOptions) { .cmdline_width = TREEVIEW_CMDLINE_WIDTH_DEFAULT, .header = true })

/* Writes the tree of the n processes in procs to f, as described above (opts NULL: the
 * defaults). procs may be in any order and is not modified. Returns 0, -ENOMEM, or -EIO when f
 * reports a write error. */
int treeview_render(FILE *f, const ProcInfo *procs, size_t n, const TreeviewOptions *opts);

/* Writes the command of p (args, or "[comm]") as the tree shows it, without markers and without
 * the width limit, into a fresh NUL-terminated string. Returns 0 or -ENOMEM. */
int treeview_format_cmdline(const ProcInfo *p, char **ret);
