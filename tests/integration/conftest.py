# SPDX-License-Identifier: MIT
"""Harness for tend's integration tests: run the built binary on tests/helpers/misbehave, either
as a plain subreaper under pytest or as PID 1 of a new PID namespace, and check after every test
that no process the test started is left (a marker in the environment finds them)."""
import ctypes
import os
import selectors
import signal
import subprocess
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(os.environ.get("TEND_BUILD_DIR", os.path.join(ROOT, "build")))
TEND = os.path.abspath(os.environ.get("TEND", os.path.join(BUILD, "src", "tend")))
MISBEHAVE = os.path.abspath(os.environ.get("MISBEHAVE", os.path.join(BUILD, "tests", "helpers", "misbehave")))
MARK = "TEND_TEST_MARK"
PR_SET_CHILD_SUBREAPER = 36

# Orphans of a test (a child of a killed tend, say) come back to pytest, so that the leftover
# check sees them, and reaps them, instead of the machine's init.
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def helper(*args):
    """argv for tests/helpers/misbehave MODE ARG..."""
    return [MISBEHAVE] + [str(a) for a in args]


def pid_alive(pid):
    """Whether pid is a live process (a zombie is not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def pytest_generate_tests(metafunc):
    if "mode" in metafunc.fixturenames:
        modes = getattr(metafunc.function, "modes", ("plain", "pidns"))
        metafunc.parametrize("mode", modes)


def modes(*names):
    """Restricts a test to some modes: plain (subreaper) or pidns (PID 1)."""
    def mark(fn):
        fn.modes = names
        return fn
    return mark


def marked_processes(mark):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if f"{MARK}={mark}".encode() in f.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            pass
    return found


def reap_strays():
    """Reaps children of pytest that no test waited for: each one is a process tend left."""
    strays = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return strays
        if pid == 0:
            return strays
        strays.append(pid)


@pytest.fixture(autouse=True)
def no_leftovers():
    """Every test runs with a fresh marker; afterwards nothing that carries it may be alive and no
    process may have been left to pytest to reap."""
    mark = uuid.uuid4().hex
    os.environ[MARK] = mark
    reap_strays()
    yield mark
    del os.environ[MARK]
    left = marked_processes(mark)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    strays = reap_strays()
    assert not left, f"processes left behind: {left}"
    assert not strays, f"tend left children to its parent: {strays}"


class Session:
    """tend running one command; stdout is read line by line with a deadline."""

    def __init__(self, tend_args, command, mode="plain", **popen):
        self.mode = mode
        argv = [TEND] + list(tend_args) + ["--"] + list(command)
        if mode == "pidns":
            argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"] + argv
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.buf = b""
        self.lines = []
        self.eof = False
        self.stderr = ""
        self.returncode = None

    @property
    def tend_pid(self):
        """The pid of tend itself (in pidns mode, the child of unshare)."""
        if self.mode == "plain":
            return self.proc.pid
        with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
            children = f.read().split()
        assert len(children) == 1, f"unshare has children {children}"
        return int(children[0])

    def signal(self, sig):
        os.kill(self.tend_pid, sig)

    def readline(self, timeout=10):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                raise AssertionError(f"no line within {timeout}s (eof={self.eof}); got {self.lines!r}")
            if self.sel.select(left):
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                self.eof = not chunk
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.decode()
        self.lines.append(line)
        return line

    def expect(self, prefix, timeout=10):
        """Reads lines until one starts with prefix; returns it."""
        while True:
            line = self.readline(timeout)
            if line.startswith(prefix):
                return line

    def read_to_eof(self, timeout=10):
        """Reads the rest of stdout: EOF means no process holds the pipe any more."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            left = deadline - time.monotonic()
            assert left > 0, "stdout still open: some process still holds it"
            if self.sel.select(left):
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                self.eof = not chunk
                self.buf += chunk
        rest, self.buf = self.buf.decode(), b""
        self.lines.extend(line for line in rest.split("\n") if line)
        return self.lines

    def wait(self, timeout=15):
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"tend did not exit within {timeout}s")
        self.read_to_eof(timeout)
        if not self.proc.stderr.closed:
            self.stderr = self.proc.stderr.read().decode()
            self.proc.stderr.close()
        self.proc.stdout.close()
        self.sel.close()
        return self.returncode

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if not f.closed:
                f.close()


@pytest.fixture
def session():
    """Starts tend sessions and makes sure none outlives its test."""
    started = []

    def start(tend_args, command, mode="plain", **popen):
        s = Session(tend_args, command, mode, **popen)
        started.append(s)
        return s
    yield start
    for s in started:
        s.close()
