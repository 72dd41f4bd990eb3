#!/bin/sh
# Installs what building and testing tend needs on Debian 12, if it is missing. Root only.
set -eu
need=""
for pkg in "$@" meson ninja-build pkg-config gcc libc6-dev libsystemd-dev libinih-dev libcmocka-dev \
           util-linux python3 python3-pytest binutils; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need="$need $pkg"
done
if [ -n "$need" ]; then
        echo "== installing:$need"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
