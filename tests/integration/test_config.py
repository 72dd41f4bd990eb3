# SPDX-License-Identifier: MIT
"""Ini files through the built binary: every shipped example passes --check, a file with errors
starts nothing and names FILE:LINE for each, and a one-job file runs as a session."""
import glob
import os

import pytest

from conftest import ROOT, TEND, modes
import subprocess

EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "conf", "*.ini")))


def run(*args):
    return subprocess.run([TEND] + list(args), capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_shipped_example_passes_check(path):
    p = run("-c", path, "--check")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("[job:")
    assert "command = " in p.stdout


def test_check_output_loads_back_to_itself(tmp_path):
    first = run("-c", os.path.join(ROOT, "conf", "jobs.ini"), "--check")
    again = tmp_path / "again.ini"
    again.write_text(first.stdout)
    second = run("-c", str(again), "--check")
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout


def test_every_error_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text("[job:a]\n"
                   "command = sh -c 'a ; b'\n"
                   "memory_max = lots\n"
                   "memmory_high = 1G\n"
                   "[job:a]\n"
                   "command = true\n"
                   "[jobs:b]\n")
    p = run("-c", str(bad))
    assert p.returncode == 125
    lines = p.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:2: [job:a] command: ")
    assert lines[1].startswith(f"{bad}:3: [job:a] memory_max: ")
    assert lines[2].startswith(f"{bad}:4: [job:a] memmory_high: ")
    assert "memory_high" in lines[2]                       # the nearest key is suggested
    assert lines[3].startswith(f"{bad}:5: [job:a]")
    assert lines[4].startswith(f"{bad}:7: ")
    assert lines[-1] == f"tend: '{bad}' has errors, nothing started"


def test_unreadable_file_is_125():
    p = run("-c", "/nonexistent/tend.ini")
    assert p.returncode == 125
    assert "/nonexistent/tend.ini" in p.stderr and "No such file or directory" in p.stderr


@modes("plain")
def test_one_job_file_runs_as_a_session(tmp_path, mode):
    f = tmp_path / "one.ini"
    f.write_text("[job:one]\ncommand = sh -c 'echo \"hello; world\"; exit 5'\ntimeout = 10s\n")
    p = run("-c", str(f))
    assert p.returncode == 5, p.stderr
    assert p.stdout == "hello; world\n"


def test_several_jobs_are_refused_for_now():
    p = run("-c", os.path.join(ROOT, "conf", "jobs.ini"))
    assert p.returncode == 125
    assert "jobs; running several jobs at once is not supported yet" in p.stderr
