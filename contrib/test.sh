#!/bin/sh
# Sets up and runs every test of tend on a fresh Debian 12 machine (as root): installs what is
# missing, then for a plain build and for one with AddressSanitizer and UndefinedBehaviorSanitizer:
# the cmocka unit tests, the prelude's import lint and the integration tests on real processes
# (as a subreaper and as PID 1 of a new PID namespace).
set -eu
cd "$(dirname "$0")/.."
sh contrib/install-deps.sh clang
PY=/usr/bin/python3
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

passed=0
failed=0
step() {
        name=$1
        shift
        echo "== $name: $*"
        if "$@"; then
                passed=$((passed + 1))
        else
                echo "== FAILED: $name"
                failed=$((failed + 1))
        fi
}

for variant in plain sanitize; do
        dir=build-test-$variant
        opts=""
        [ $variant = sanitize ] && opts="-Db_sanitize=address,undefined"
        # shellcheck disable=SC2086
        [ -d $dir ] || meson setup $dir $opts >/dev/null
        ninja -C $dir
        step "unit tests ($variant)" meson test -C $dir --print-errorlogs
        step "prelude lint ($variant)" sh tests/check-prelude.sh $dir
        step "integration tests ($variant)" env TEND_BUILD_DIR=$dir $PY -m pytest -q -p no:cacheprovider tests/integration
done

# The libFuzzer targets (value parsers, config loading), a short run each on the seed corpus.
fuzz=build-test-fuzz
[ -d $fuzz ] || CC=clang meson setup $fuzz -Dfuzz=true -Dtests=disabled >/dev/null
ninja -C $fuzz tests/fuzz/fuzz-parse tests/fuzz/fuzz-config
for target in parse config; do
        new=$(mktemp -d)
        dict=""
        [ -f tests/fuzz/$target.dict ] && dict=-dict=tests/fuzz/$target.dict
        # shellcheck disable=SC2086
        step "fuzz $target" $fuzz/tests/fuzz/fuzz-$target -max_total_time=${FUZZ_SECONDS:-20} $dict \
                $new tests/fuzz/corpus/$target
        rm -rf "$new"
done

# The benchmark harness, in quick mode: it keeps the harness working, with no pass/fail on figures.
step "benchmark harness (quick)" sh contrib/bench.sh --quick

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
