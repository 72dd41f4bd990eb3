/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "util/macro.h"

/* Options of tend itself; every job option comes from spec.c's job_options[], so that the
 * command line and ini files fill the same spec through the same parsers. */
enum {
        ARG_CHECK = 0x100,
        ARG_JOB_OPTION = 0x200,         /* + index in job_options[] */
};

static const struct option tend_options[] = {
        { "config",  required_argument, NULL, 'c' },
        { "check",   no_argument,       NULL, ARG_CHECK },
        { "verbose", no_argument,       NULL, 'v' },
        { "quiet",   no_argument,       NULL, 'q' },
        { "help",    no_argument,       NULL, 'h' },
        { "version", no_argument,       NULL, 'V' },
};

/* Short forms of some job options. */
static const struct {
        char c;
        const char *option;
} short_aliases[] = {
        { 't', "timeout" },
        { 'l', "stop-ladder" },
        { 'p', "pdeathsig" },
};

static void cli_help(void) {
        printf("Usage: tend [OPTIONS] [--] COMMAND [ARG...]\n"
               "       tend -c FILE [--check]\n"
               "\n"
               "Run COMMAND in a process group of its own as a child subreaper (or as PID 1), forward\n"
               "signals to it, reap every orphan, and leave no process behind: when COMMAND exits, what\n"
               "it left running is stopped by the stop ladder.\n"
               "\n"
               "Options:\n"
               "  -c, --config FILE          run the job of an ini file ([job:NAME] sections)\n"
               "      --check                with -c: check FILE, print every job's settings, exit\n"
               "  -v, --verbose              say what happens (twice: debug)\n"
               "  -q, --quiet                errors only\n"
               "  -h, --help                 show this help\n"
               "  -V, --version              show the version\n"
               "\n"
               "Job options (each is also a key of a [job:NAME] section: --memory-max is memory_max):\n");
        for (const JobOption *o = job_options; o->name; o++) {
                char left[64], shorts[8] = "    ";

                for (size_t i = 0; i < ELEMENTSOF(short_aliases); i++)
                        if (strcmp(short_aliases[i].option, o->name) == 0)
                                snprintf(shorts, sizeof shorts, "-%c, ", short_aliases[i].c);
                snprintf(left, sizeof left, "%s--%s%s%s", shorts, o->name, o->has_arg ? " " : "",
                         o->has_arg ? o->metavar : "");
                printf("  %-32s %s\n", left, o->help);
        }
        printf("\n"
               "DURATION: 250ms, 0.5s, 5s, 1m30s, 2h; a bare number is seconds.\n"
               "SIZE:     512K, 64M, 2G (powers of 1024), infinity.\n"
               "SIGNAL:   SIGTERM, TERM or 15.\n"
               "LADDER:   signals with the grace before the next one; SIGKILL last (added if missing).\n"
               "          SIGINT or SIGTERM sent to tend enters the ladder at its own rung; the same\n"
               "          signal again skips to the next rung. Every rung reaches the whole tree.\n"
               "\n"
               "Exit status: COMMAND's status; 128+N if it died of signal N; 124 if the timeout fired;\n"
               "125 if tend failed (bad option or file, cannot set up); 126 COMMAND not executable;\n"
               "127 COMMAND not found.\n");
}

static int cli_usage_error(void) {
        fprintf(stderr, "Try 'tend --help' for more information.\n");
        return -EINVAL;
}

static int cli_job_option(CliArgs *args, const char *option, const char *value) {
        const char *why = NULL, *expected = NULL;
        int r;

        r = job_spec_set_option(&args->spec, option, value, &why, &expected);
        if (r >= 0)
                return 0;
        if (value)
                log_error("--%s '%s': %s%s%s%s", option, value, why ? why : "invalid",
                          expected ? " (expected " : "", expected ? expected : "", expected ? ")" : "");
        else
                log_error("--%s: %s", option, why ? why : "invalid");
        return cli_usage_error();
}

int cli_parse(int argc, char **argv, CliArgs *args) {
        _cleanup_free_ struct option *options = NULL;
        size_t n_job = 0, n = 0;
        char shorts[32] = "+c:vqhV";
        bool job_option_given = false;
        int verbosity = 0, c, r;

        *args = (CliArgs) { 0 };
        job_spec_init(&args->spec);

        while (job_options[n_job].name)
                n_job++;
        options = calloc(n_job + ELEMENTSOF(tend_options) + 1, sizeof *options);
        if (!options)
                return log_error_errno(-ENOMEM, "Failed to parse the command line");
        for (size_t i = 0; i < ELEMENTSOF(tend_options); i++)
                options[n++] = tend_options[i];
        for (size_t i = 0; i < n_job; i++)
                options[n++] = (struct option) {
                        .name = job_options[i].name,
                        .has_arg = job_options[i].has_arg ? required_argument : no_argument,
                        .val = ARG_JOB_OPTION + (int) i,
                };
        for (size_t i = 0; i < ELEMENTSOF(short_aliases); i++)
                snprintf(shorts + strlen(shorts), sizeof shorts - strlen(shorts), "%c:", short_aliases[i].c);

        /* "+": stop at the first non-option, so that COMMAND's own options stay its own. */
        opterr = 0;
        optind = 1;
        while ((c = getopt_long(argc, argv, shorts, options, NULL)) >= 0) {
                const char *alias = NULL;

                for (size_t i = 0; i < ELEMENTSOF(short_aliases); i++)
                        if (c == short_aliases[i].c)
                                alias = short_aliases[i].option;
                if (alias || c >= ARG_JOB_OPTION) {
                        r = cli_job_option(args, alias ? alias : job_options[c - ARG_JOB_OPTION].name, optarg);
                        if (r < 0)
                                return r;
                        job_option_given = true;
                        continue;
                }

                switch (c) {
                case 'c':
                        args->config = optarg;
                        break;
                case ARG_CHECK:
                        args->check = true;
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
                        if (optopt != 0 && strchr(shorts, optopt))
                                log_error("option '-%c' needs a value", optopt);
                        else if (optopt != 0)
                                log_error("unknown option '-%c'", optopt);
                        else
                                log_error("unknown option '%s'", argv[optind - 1]);
                        return cli_usage_error();
                default:
                        return -EINVAL;
                }
        }
        log_set_level(verbosity < 0 ? LOG_LEVEL_ERROR : (LogLevel) (LOG_LEVEL_NOTICE + MIN(verbosity, 2)));

        if (args->config) {
                if (job_option_given || optind < argc) {
                        log_error("-c takes the job from '%s': give its options and command there, not on the "
                                  "command line", args->config);
                        return cli_usage_error();
                }
                return 1;
        }
        if (args->check) {
                log_error("--check needs -c FILE");
                return cli_usage_error();
        }
        if (optind >= argc) {
                log_error("no command given");
                return cli_usage_error();
        }
        args->spec.argv = argv + optind;
        return 1;
}

void cli_args_done(CliArgs *args) {
        /* argv points into main's argv: not the spec's to free. */
        if (!args->spec.argv_owned)
                args->spec.argv = NULL;
        job_spec_done(&args->spec);
}
