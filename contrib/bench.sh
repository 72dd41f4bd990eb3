#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs tend's benchmark suite (tests/bench/README.md) from a fresh Debian/Ubuntu machine, as root:
# installs what is missing, builds a release build in build-bench/, and runs the driver.
#
#   contrib/bench.sh [--quick] [run.py options...]
#
# Prints the markdown table; raw numbers in tests/bench/results/latest.json, charts next to it.
set -eu

cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
        echo "bench.sh: run as root (PID namespaces, apt-get)" >&2
        exit 1
fi

need=""
for pkg in meson ninja-build pkg-config gcc libc6-dev libsystemd-dev libinih-dev libcmocka-dev \
           util-linux tini dumb-init catatonit gnuplot-nox linux-perf python3; do
        dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need="$need $pkg"
done
if [ -n "$need" ]; then
        echo "bench.sh: installing$need" >&2
        apt-get update -q
        # linux-perf is optional (the start-cost breakdown uses it when present).
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need || \
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                        $(echo "$need" | sed 's/linux-perf//')
fi

if ! grep -q "subdir('tests/bench')" meson.build; then
        echo "bench.sh: meson.build does not include tests/bench (subdir('tests/bench'))" >&2
        exit 1
fi

if [ ! -f build-bench/build.ninja ]; then
        meson setup build-bench --buildtype=release
fi
ninja -C build-bench

# Debian's python3, whatever python3 comes first in PATH.
exec /usr/bin/python3 tests/bench/run.py --build-dir build-bench "$@"
