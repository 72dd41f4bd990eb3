#!/bin/sh
# The child prelude (src/spawn-child.c) runs between fork and execve in a process whose other
# thread may hold any lock: it may call async-signal-safe functions only. List what its object
# imports and fail on anything outside the allowlist.
set -eu
lib=${1:?usage: check-prelude.sh BUILD_DIR}/src/libspawn-child.a
allowed="_exit chdir close close_range dup2 execve fcntl fcntl64 getpid getppid getrlimit getrlimit64 kill
open open64 prctl setpgid setpriority setrlimit setrlimit64 sigaction sigemptyset sigprocmask strlen syscall
tcsetpgrp umask write __errno_location __stack_chk_fail"
bad=""
for sym in $(nm -u "$lib" | awk '{print $2}' | sed 's/@.*//'); do
        case " $(echo $allowed) " in
        *" $sym "*) ;;
        *) bad="$bad $sym" ;;
        esac
done
if [ -n "$bad" ]; then
        echo "check-prelude: spawn-child.c imports functions that are not async-signal-safe:$bad" >&2
        exit 1
fi
echo "check-prelude: spawn-child.c imports only: $(nm -u "$lib" | awk '{print $2}' | tr '\n' ' ')"
