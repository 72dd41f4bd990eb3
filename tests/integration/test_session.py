# SPDX-License-Identifier: MIT
"""Session mode on real, misbehaving processes: exit statuses, reaping, the stop ladder, signal
forwarding, the child prelude, the terminal. Every test runs as a plain subreaper and, unless
marked otherwise, as PID 1 of a new PID namespace. Waits are on pipes and exit statuses, each
bounded; durations are measured, never slept."""
import os
import pty
import select
import shutil
import signal
import stat
import time

from conftest import TEND, helper, modes, pid_alive

FAST = ["-l", "SIGINT 300ms, SIGTERM 300ms, SIGKILL"]




# 1. Exit statuses.
def test_exit_codes_pass_through(session, mode):
    for code in (0, 1, 42):
        assert session([], helper("exit", code), mode).wait() == code


def test_death_by_signal_gives_128_plus_n(session, mode):
    assert session([], helper("kill", signal.SIGKILL), mode).wait() == 137
    assert session([], helper("kill", signal.SIGSEGV), mode).wait() == 139


@modes("plain")
def test_bad_option_is_125_with_one_line_and_a_hint(session, mode):
    s = session(["--timeout", "soon"], ["true"], mode)
    assert s.wait() == 125
    assert s.stderr.splitlines() == [
        "tend: --timeout 'soon': not a duration (expected a positive duration like 90s, 1m30s or 20m, "
        "or infinity)",
        "Try 'tend --help' for more information.",
    ]
    s = session(["--no-such-option"], ["true"], mode)
    assert s.wait() == 125
    assert "unknown option '--no-such-option'" in s.stderr
    s = session(["--stop-ladder", "SIGINT, SIGKILL"], ["true"], mode)
    assert s.wait() == 125
    assert "every rung but the last needs a grace period" in s.stderr


def test_missing_command_is_127(session, mode):
    s = session([], ["no-such-command-anywhere"], mode)
    assert s.wait() == 127
    assert "tend: cannot run 'no-such-command-anywhere': No such file or directory" in s.stderr


def test_non_executable_is_126(session, mode, tmp_path):
    script = tmp_path / "not-executable"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(stat.S_IRUSR | stat.S_IWUSR)
    s = session([], [str(script)], mode)
    assert s.wait() == 126
    assert f"tend: cannot run '{script}': Permission denied" in s.stderr


# 2. Orphans.
def test_2000_orphans_are_all_reaped_promptly(session, mode):
    s = session(["-v"], helper("orphans", 2000), mode)
    assert s.expect("zombies_left") == "zombies_left 0"
    age = int(s.expect("max_zombie_us").split()[1])
    assert s.wait(30) == 0
    # A zombie seen in two passes over /proc lived at least that long; none may linger.
    assert age < 50_000, f"a zombie waited {age} us to be reaped"
    if mode == "plain":
        assert "reaped 2000 orphans" in s.stderr


# 3. A daemon that escaped the group.
def test_escaped_daemon_is_killed_and_status_kept(session, mode):
    s = session(FAST, helper("daemon", 7), mode)
    daemon = int(s.expect("daemon").split()[1])
    s.expect("ready")
    t0 = time.monotonic()
    assert s.wait() == 7
    elapsed = time.monotonic() - t0
    assert elapsed < 0.6 + 0.5, f"took {elapsed:.2f}s"
    if mode == "plain":
        assert not pid_alive(daemon)
        assert "leaving 1 process behind" in s.stderr


# 4. SIGTERM into the ladder at its own rung.
def test_sigterm_reaches_the_group_as_sigterm_then_sigkill(session, mode):
    s = session(["-l", "SIGINT 1s, SIGTERM 1s, SIGKILL"], helper("tree", 200), mode)
    s.expect("ready", 20)
    t0 = time.monotonic()
    s.signal(signal.SIGTERM)
    assert s.wait() == 137          # the main process ignores SIGTERM: SIGKILL after the grace
    elapsed = time.monotonic() - t0
    assert 1.0 <= elapsed < 1.5, f"took {elapsed:.2f}s"
    assert not [line for line in s.lines if line.startswith("INT")], "SIGINT was sent"


# 5. The same signal again skips the rest of the grace.
def test_second_sigint_skips_to_sigterm(session, mode):
    s = session(["-l", "SIGINT 5s, SIGTERM 5s, SIGKILL"], helper("catch"), mode)
    s.expect("ready")
    s.signal(signal.SIGINT)
    s.expect("INT")
    t0 = time.monotonic()
    s.signal(signal.SIGINT)
    s.expect("TERM")
    assert s.wait() == 0
    assert time.monotonic() - t0 < 2.0


# 6. Forwarded signals reach every member of the group, once.
def test_hup_usr1_usr2_reach_every_member_once(session, mode):
    n = 5
    s = session([], helper("signals", n), mode)
    s.expect("ready")
    for sig, name in ((signal.SIGHUP, "HUP"), (signal.SIGUSR1, "USR1"), (signal.SIGUSR2, "USR2")):
        s.signal(sig)
        got = {s.expect(name) for _ in range(n)}
        assert len(got) == n
    s.signal(signal.SIGTERM)
    assert s.wait() == 0
    lines = [line for line in s.lines if line.split()[0] in ("HUP", "USR1", "USR2")]
    assert len(lines) == 3 * n and len(set(lines)) == 3 * n, lines


# 7. A stopped member is torn down (SIGCONT follows each rung).
def test_stopped_member_is_torn_down(session, mode):
    s = session(["-l", "SIGTERM 5s, SIGKILL"], helper("stopper"), mode)
    stopped = int(s.expect("stopped").split()[1])
    s.expect("ready")
    t0 = time.monotonic()
    s.signal(signal.SIGTERM)
    assert s.wait() == 128 + signal.SIGTERM
    assert time.monotonic() - t0 < 2.0, "the stopped process waited for SIGKILL"
    if mode == "plain":
        assert not pid_alive(stopped)


# 8. Processes that fork while being killed.
def test_fork_loops_leave_nothing_behind(session, mode):
    s = session(["-l", "SIGINT 200ms, SIGTERM 200ms, SIGKILL"], helper("forkloop", 4), mode)
    s.expect("ready")
    assert s.wait(10) == 0


# 9. Timeout.
def test_timeout_exits_124_after_the_ladder_from_the_top(session, mode):
    s = session(["-t", "500ms", "-l", "SIGINT 300ms, SIGTERM 5s, SIGKILL"], helper("catch"), mode)
    s.expect("ready")
    assert s.expect("INT").startswith("INT")
    assert s.expect("TERM").startswith("TERM")
    assert s.wait() == 124
    assert "timeout reached" in s.stderr


# 10. The child prelude, seen from inside the child.
def _prelude_parent():
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)      # tend inherits these; its child must not
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGHUP})


def test_child_sees_clean_fds_mask_dispositions_and_group(session, mode):
    r, w = os.pipe()
    try:
        s = session([], helper("prelude"), mode, pass_fds=(r, w), preexec_fn=_prelude_parent)
        assert s.wait() == 0
    finally:
        os.close(r)
        os.close(w)
    seen = dict(line.split(" ", 1) for line in s.lines)
    assert seen["fds"] == "0,1,2"
    assert seen["SigBlk"] == "0000000000000000"
    assert seen["SigIgn"] == "0000000000000000"
    assert seen["SigCgt"] == "0000000000000000"
    assert seen["pgid"] == seen["pid"], "not in a process group of its own"
    assert int(seen["default_dispositions"]) == 62     # every signal but SIGKILL and SIGSTOP... of 64
    assert seen["pdeathsig"] == "0"


@modes("plain")
def test_pdeathsig_fires_when_tend_is_killed(session, mode):
    s = session(["--pdeathsig", "SIGTERM"], helper("pdeath"), mode)
    s.expect("ready")
    os.kill(s.proc.pid, signal.SIGKILL)
    assert s.expect("pdeathsig") == f"pdeathsig {signal.SIGTERM}"
    s.proc.wait(10)
    # The helper, orphaned, comes back to pytest (a subreaper): reap it here, bounded.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG)[0]:
                break
        except ChildProcessError:
            break
        select.select([], [], [], 0.01)
    else:
        raise AssertionError("the helper did not exit")


# 11. Under a terminal, Ctrl-C reaches the program straight from the terminal.
def test_ctrl_c_at_the_terminal_reaches_the_program(mode):
    argv = [TEND, "--"] + helper("tty")
    if mode == "pidns":
        argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"] + argv
    argv[0] = shutil.which(argv[0])
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    out = b""
    deadline = time.monotonic() + 10
    try:
        def read_until(token):
            nonlocal out
            while token not in out:
                left = deadline - time.monotonic()
                assert left > 0, f"no {token!r} in {out!r}"
                if select.select([fd], [], [], left)[0]:
                    out += os.read(fd, 4096)
        read_until(b"ready")
        assert b"foreground yes" in out
        os.write(fd, b"\x03")
        read_until(b"SIGINT")
        read_until(b"\n")
        assert b"SIGINT from-terminal" in out
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


@modes("plain")
def test_leftovers_wait_policy_waits(session, mode):
    s = session(["--leftovers=wait", "-t", "1s", "-l", "SIGINT 100ms, SIGTERM 100ms, SIGKILL"],
                helper("daemon", 3), mode)
    s.expect("ready")
    t0 = time.monotonic()
    # The daemon ignores SIGINT and SIGTERM: only the timeout's SIGKILL ends the wait.
    assert s.wait() == 124
    assert time.monotonic() - t0 >= 0.8


def test_tend_outlives_a_closed_log_pipe(session, mode):
    """tend's stderr is a pipe whose reader goes away (tend ... 2>&1 | head): tend must go on
    and still tear the tree down, not die of SIGPIPE and orphan it."""
    s = session(["-v", "-t", "300ms", "-l", "SIGINT 200ms, SIGTERM 200ms, SIGKILL"], helper("tree", 4), mode)
    s.proc.stderr.close()                       # the log's reader is gone
    s.expect("ready")
    assert s.wait() == 124                      # it logged (EPIPE), then did its job
