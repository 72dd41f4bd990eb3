# SPDX-License-Identifier: MIT
"""Diagnostics of hung sessions: the dump signal reaches every process (also those outside the
group), diagnose commands run per process and are bounded by the grace, --diagnose-on leaves the
session running, leaks are listed (and fail the session with --fail-on-leaks), and the JSON
report holds all of it."""
import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import ROOT, TEND, helper, modes

LADDER = ["-l", "SIGINT 200ms, SIGTERM 200ms, SIGKILL"]


def load(path):
    with open(path) as f:
        return json.load(f)


def cmdlines(snapshot):
    return [" ".join(p["cmdline"]) for p in snapshot["processes"]]


def test_diagnose_signal_reaches_processes_outside_the_group(session, mode, tmp_path):
    report = tmp_path / "r.json"
    # The three "signals" processes report SIGUSR1; the daemon left the group and its session and
    # dies of it (default action), which the count of signalled processes shows.
    s = session(["-t", "500ms", "--diagnose", "SIGUSR1:300ms", "--report", str(report)] + LADDER,
                ["sh", "-c", f"{MISBEHAVE_Q} daemon 0 & exec {MISBEHAVE_Q} signals 3"], mode)
    daemon = int(s.expect("daemon").split()[1])
    got = {s.expect("USR1") for _ in range(3)}
    assert len(got) == 3
    assert s.wait() == 124
    r = load(report)
    assert r["exit"]["reason"] == "timeout"
    assert r["diagnostics"]["signal"] == "SIGUSR1"
    assert r["diagnostics"]["signalled"] == 4                   # 3 in the group + the daemon
    pids = [p["pid"] for p in r["snapshots"]["timeout"]["processes"]]
    if mode == "plain":
        assert daemon in pids
    assert "diagnose: sent SIGUSR1 to 4 processes" in s.stderr


MISBEHAVE_Q = helper()[0]


def test_diagnose_commands_run_per_pid_and_a_hung_one_is_killed(session, mode, tmp_path):
    report = tmp_path / "r.json"
    script = tmp_path / "diag.sh"
    # For pids whose number is even the command hangs: it must be killed at the grace.
    script.write_text("#!/bin/sh\necho \"looking at $1\"\n[ $(($1 % 2)) -eq 0 ] && exec sleep 60\nexit 3\n")
    script.chmod(0o755)
    s = session(["-t", "300ms", "--diagnose-cmd", f"{script} {{pid}}", "--diagnose", "SIGWINCH:1s",
                 "--report", str(report)] + LADDER, helper("signals", 4), mode)
    s.expect("ready")
    assert s.wait() == 124
    r = load(report)
    commands = r["diagnostics"]["commands"]
    targets = sorted(p["pid"] for p in r["snapshots"]["timeout"]["processes"])
    assert sorted(c["pid"] for c in commands) == targets
    for c in commands:
        assert c["argv"] == [str(script), str(c["pid"])]
        assert c["output"] == f"looking at {c['pid']}\n"
        if c["pid"] % 2 == 0:
            assert c["outcome"] == "killed-at-grace" and c["status"] is None
        else:
            assert c["outcome"] == "exited" and c["status"] == 3
    assert "was still running at the end of the grace period: killed" in s.stderr or \
        all(c["pid"] % 2 for c in commands)
    # The diagnose commands are tend's own: never in a snapshot, never leftovers.
    for snap in (r["snapshots"]["timeout"], r["snapshots"]["command_exit"]):
        assert not [c for c in cmdlines(snap) if "diag.sh" in c or "sleep 60" in c] if snap else True
    assert not [p for p in r["leftovers"] if "sleep" in " ".join(p["cmdline"])]


def test_diagnose_on_signal_leaves_the_session_running(session, mode, tmp_path):
    s = session(["--diagnose-on", "SIGUSR2", "--diagnose", "SIGHUP:200ms"], helper("signals", 3), mode)
    s.expect("ready")
    s.signal(signal.SIGUSR2)
    got = {s.expect("HUP") for _ in range(3)}           # each process got the dump signal once
    assert len(got) == 3
    # Still running: a forwarded signal still reaches all three.
    s.signal(signal.SIGUSR1)
    assert len({s.expect("USR1") for _ in range(3)}) == 3
    s.signal(signal.SIGTERM)
    assert s.wait() == 0
    assert "diagnostics asked for" in s.stderr


@modes("plain")
def test_leaks_are_listed_and_fail_only_with_fail_on_leaks(session, mode, tmp_path):
    report = tmp_path / "r.json"
    s = session(LADDER + ["--report", str(report)], helper("daemon", 0), mode)
    daemon = int(s.expect("daemon").split()[1])
    assert s.wait() == 0
    assert "leaving 1 process behind:" in s.stderr
    assert f"{daemon} " in s.stderr                         # the tree lists it
    r = load(report)
    assert [p["pid"] for p in r["leftovers"]] == [daemon]
    assert r["exit"] == {"status": 0, "reason": "exited", "command_exit_code": 0, "command_signal": None}

    s = session(LADDER + ["--fail-on-leaks", "--report", str(report)], helper("daemon", 0), mode)
    s.expect("daemon")
    assert s.wait() == 123
    r = load(report)
    assert r["exit"]["reason"] == "leaks" and r["exit"]["status"] == 123
    assert len(r["leftovers"]) == 1

    # A failing command keeps its own status.
    s = session(LADDER + ["--fail-on-leaks"], helper("daemon", 4), mode)
    assert s.wait() == 4


def test_report_of_a_clean_session_has_every_field(session, mode, tmp_path):
    report = tmp_path / "r.json"
    s = session(["--report", str(report)], helper("exit", 7), mode)
    assert s.wait() == 7
    subprocess.run(["/usr/bin/python3", "-m", "json.tool", str(report)], check=True, capture_output=True)
    r = load(report)
    assert set(r) == {"schema", "tend_version", "command", "start_usec", "end_usec", "exit", "timeout",
                      "ladder", "snapshots", "diagnostics", "leftovers", "fail_on_leaks", "orphans_reaped"}
    assert r["schema"] == 1
    assert r["command"] == helper("exit", 7)
    assert r["end_usec"] >= r["start_usec"]
    assert r["exit"] == {"status": 7, "reason": "exited", "command_exit_code": 7, "command_signal": None}
    assert r["timeout"] == {"usec": None, "fired": False}
    assert r["ladder"]["rungs"] == [] and r["ladder"]["reason"] is None
    assert r["snapshots"] == {"timeout": None, "command_exit": None}
    assert r["diagnostics"] is None and r["leftovers"] == []


@modes("plain")
def test_pytest_hang_example(tmp_path, mode):
    """contrib/examples/pytest-hang, run exactly as its README says."""
    if subprocess.run(["/usr/bin/python3", "-c", "import pytest"], capture_output=True).returncode:
        pytest.skip("python3-pytest is not installed")
    example = tmp_path / "pytest-hang"
    shutil.copytree(os.path.join(ROOT, "contrib", "examples", "pytest-hang"), example)
    report = example / "report.json"
    p = subprocess.run([TEND, "--timeout", "20s", "--diagnose", "SIGUSR1", "--report", "report.json", "--",
                        "/usr/bin/python3", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider"],
                       cwd=example, capture_output=True, text=True, timeout=60)
    assert p.returncode == 124, p.stderr
    r = load(report)
    procs = r["snapshots"]["timeout"]["processes"]
    workers = [q for q in procs if q["ppid"] != procs[0]["ppid"] and "pytest" in " ".join(q["cmdline"])]
    daemon = [q for q in procs if q["sid"] == q["pid"] and "serve_forever" in " ".join(q["cmdline"])
              or "import faulthandler" in " ".join(q["cmdline"])]
    assert len(workers) >= 2, procs
    assert daemon, procs
    assert r["diagnostics"]["signalled"] == len([q for q in procs if q["state"] != "Z"])
    # faulthandler's dumps: the workers parked in worker(), the parent in pool.map, the daemon.
    assert p.stderr.count('in worker') >= 2, p.stderr
    assert "in serve_forever" in p.stderr
    assert "in test_workers_finish" in p.stderr
    # The daemon outlived pytest: a leftover, killed by the ladder.
    assert [q for q in r["leftovers"] if "import faulthandler" in " ".join(q["cmdline"])], r["leftovers"]
    assert [rung["signal"] for rung in r["ladder"]["rungs"]][:2] == ["SIGINT", "SIGTERM"]
