#!/bin/sh
# The demo session (contrib/run-demo.sh): a command that starts a worker and a daemon and exits
# with status 3, leaving both behind. The daemon double-forks, calls setsid and ignores SIGINT and
# SIGTERM, as a badly behaved service does: only SIGKILL, from the last rung, ends it.
echo "demo: starting a worker and a daemon"
sleep 600 &
setsid sh -c 'trap "" INT TERM; echo "demo: daemon $$ ignores SIGINT and SIGTERM"; while :; do sleep 1; done' &
sleep 0.2
echo "demo: exiting with status 3, leaving them behind"
exit 3
