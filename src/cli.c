/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "util/macro.h"

enum {
        ARG_LEFTOVERS = 0x100,
};

static const struct option options[] = {
        { "timeout",     required_argument, NULL, 't' },
        { "stop-ladder", required_argument, NULL, 'l' },
        { "leftovers",   required_argument, NULL, ARG_LEFTOVERS },
        { "pdeathsig",   required_argument, NULL, 'p' },
        { "verbose",     no_argument,       NULL, 'v' },
        { "quiet",       no_argument,       NULL, 'q' },
        { "help",        no_argument,       NULL, 'h' },
        { "version",     no_argument,       NULL, 'V' },
        { 0 }
};

static void cli_help(void) {
        printf("Usage: tend [OPTIONS] [--] COMMAND [ARG...]\n"
               "\n"
               "Run COMMAND in a process group of its own as a child subreaper (or as PID 1), forward\n"
               "signals to it, reap every orphan, and leave no process behind: when COMMAND exits, what\n"
               "it left running is stopped by the stop ladder.\n"
               "\n"
               "Options:\n"
               "  -t, --timeout DURATION     stop the session after DURATION; tend then exits 124\n"
               "  -l, --stop-ladder LADDER   how to stop the tree (default: '" LADDER_DEFAULT "')\n"
               "      --leftovers=kill|wait  kill (default) or wait for what COMMAND leaves behind\n"
               "  -p, --pdeathsig SIGNAL     COMMAND gets SIGNAL if tend dies\n"
               "  -v, --verbose              say what happens (twice: debug)\n"
               "  -q, --quiet                errors only\n"
               "  -h, --help                 show this help\n"
               "  -V, --version              show the version\n"
               "\n"
               "DURATION: 250ms, 0.5s, 5s, 1m30s, 2h; a bare number is seconds.\n"
               "SIGNAL:   SIGTERM, TERM or 15.\n"
               "LADDER:   signals with the grace before the next one; SIGKILL last (added if missing).\n"
               "          SIGINT or SIGTERM sent to tend enters the ladder at its own rung; the same\n"
               "          signal again skips to the next rung. Every rung reaches the whole tree.\n"
               "\n"
               "Exit status: COMMAND's status; 128+N if it died of signal N; 124 if the timeout fired;\n"
               "125 if tend failed (bad option, cannot set up); 126 COMMAND not executable; 127\n"
               "COMMAND not found.\n");
}

static int cli_bad(const char *option, const char *value, const char *expected) {
        log_error("%s '%s': %s", option, value, expected);
        fprintf(stderr, "Try 'tend --help' for more information.\n");
        return -EINVAL;
}

int cli_parse(int argc, char **argv, JobSpec *spec) {
        const char *why;
        int verbosity = 0, c, r;

        job_spec_init(spec);

        /* "+": stop at the first non-option, so that COMMAND's own options stay its own. */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+t:l:p:vqhV", options, NULL)) >= 0) {
                switch (c) {
                case 't':
                        r = parse_duration(optarg, &spec->timeout_usec);
                        if (r < 0 || spec->timeout_usec == 0)
                                return cli_bad("--timeout", optarg,
                                               "not a positive duration (expected e.g. 90s, 1m30s, 20m)");
                        break;
                case 'l':
                        if (parse_ladder(optarg, &spec->ladder, &why) < 0) {
                                char expected[256];

                                snprintf(expected, sizeof expected, "%s (expected e.g. '%s')", why, LADDER_DEFAULT);
                                return cli_bad("--stop-ladder", optarg, expected);
                        }
                        break;
                case ARG_LEFTOVERS:
                        spec->leftovers = leftover_policy_from_string(optarg);
                        if (spec->leftovers < 0)
                                return cli_bad("--leftovers", optarg, "expected 'kill' or 'wait'");
                        break;
                case 'p':
                        spec->pdeathsig = parse_signal(optarg);
                        if (spec->pdeathsig < 0)
                                return cli_bad("--pdeathsig", optarg,
                                               "not a signal (expected e.g. SIGTERM, TERM or 15)");
                        break;
                case 'v':
                        verbosity++;
                        break;
                case 'q':
                        verbosity = -1;
                        break;
                case 'h':
                        cli_help();
                        return 0;
                case 'V':
                        printf("tend " TEND_VERSION "\n");
                        return 0;
                case '?':
                        if (optopt != 0) {
                                const struct option *o = NULL;

                                for (o = options; o->name && o->val != optopt; o++)
                                        ;
                                if (o->name && o->has_arg == required_argument)
                                        log_error("option '%s' needs a value", argv[optind - 1]);
                                else
                                        log_error("unknown option '-%c'", optopt);
                        } else
                                log_error("unknown option '%s'", argv[optind - 1]);
                        fprintf(stderr, "Try 'tend --help' for more information.\n");
                        return -EINVAL;
                default:
                        return -EINVAL;
                }
        }

        log_set_level(verbosity < 0 ? LOG_LEVEL_ERROR : (LogLevel) (LOG_LEVEL_NOTICE + MIN(verbosity, 2)));

        if (optind >= argc) {
                log_error("no command given");
                fprintf(stderr, "Try 'tend --help' for more information.\n");
                return -EINVAL;
        }
        spec->argv = argv + optind;
        return 1;
}
