#!/bin/sh
# Sets up tend on a fresh Debian 12 machine (as root), builds it, and runs the shipped demo
# session: a small tree with a daemon that double-forks, calls setsid and ignores SIGTERM, which
# tend tears down and reports when the command exits.
set -eu
cd "$(dirname "$0")/.."
sh contrib/install-deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "== build/src/tend -v -l 'SIGINT 1s, SIGTERM 1s, SIGKILL' -- conf/demo-session.sh"
status=0
build/src/tend -v -l 'SIGINT 1s, SIGTERM 1s, SIGKILL' -- conf/demo-session.sh || status=$?
echo "== tend exited with status $status (the command's own status: 3)"
[ "$status" -eq 3 ]
