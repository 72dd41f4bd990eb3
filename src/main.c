/* SPDX-License-Identifier: MIT */
/* Wire-up only: the spawner first (before anything can take a lock), then the command line,
 * then the session. */
#include <stdlib.h>

#include "cli.h"
#include "log.h"
#include "spawn.h"
#include "supervisor.h"

int main(int argc, char *argv[]) {
        Spawner spawner;
        JobSpec spec;
        int r;

        r = spawner_start(&spawner);
        if (r < 0) {
                log_error_errno(r, "Failed to start the spawner thread");
                return 125;
        }

        r = cli_parse(argc, argv, &spec);
        if (r <= 0) {
                spawner_stop(&spawner);
                return r < 0 ? 125 : 0;
        }

        r = supervisor_run_session(&spec, &spawner);
        spawner_stop(&spawner);
        return r;
}
