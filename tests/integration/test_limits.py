# SPDX-License-Identifier: MIT
"""Limits applied in the child prelude and cgroups: a helper in the job reports what it sees
(rlimits, uid/gid/groups, NoNewPrivs, oom_score_adj, nice, umask, cwd, environment) and each
test compares it with what tend was asked for. Cgroup tests need a writable cgroup hierarchy with
the controller they use; without one they skip and say why."""
import os
import pwd
import re
import resource
import shutil
import subprocess

import pytest

from conftest import MARK as TEND_MARK_NAME, TEND, helper, modes, pid_alive



def facts(lines):
    """'key value...' lines -> {key: 'value...'}."""
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1] if " " in line else "" for line in lines}



# 1. What the prelude applies.
def test_every_limit_reaches_the_child(session, mode, tmp_path):
    nobody = pwd.getpwnam("nobody")
    out = tmp_path / "out"
    s = session(["--limit", "nofile=100:200", "--limit", "core=0", "--limit", "fsize=64M:infinity",
                 "--user", "nobody", "--chdir", "/usr", "--env", "K=V W", "--umask", "027",
                 "--nice", "5", "--oom-score-adj", "500", "--no-new-privileges",
                 "--stdout", f"file:{out}"],
                helper("limits", "K", TEND_MARK_NAME), mode)
    assert s.wait() == 0, s.stderr
    f = facts(out.read_text().splitlines())
    assert f["limit_nofile"] == "100 200"
    assert f["limit_core"] == "0 0"
    assert f["limit_fsize"] == f"{64 << 20} infinity"
    assert f["Uid"].split() == [str(nobody.pw_uid)] * 4
    assert f["Gid"].split() == [str(nobody.pw_gid)] * 4
    assert f["Groups"].split() == [str(g) for g in sorted(os.getgrouplist("nobody", nobody.pw_gid))]
    assert f["NoNewPrivs"] == "1"
    assert f["oom_score_adj"] == "500"
    assert f["nice"] == "5"
    assert f["umask"] == "0027"
    assert f["cwd"] == "/usr"
    text = out.read_text()
    assert "env K V W\n" in text
    # tend's own environment is passed on too.
    assert f"env {TEND_MARK_NAME} {os.environ[TEND_MARK_NAME]}\n" in text


@modes("plain")
def test_environment_file_then_env_then_tends(session, mode, tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("# comment\nA=from-file\nB='file b'\n")
    s = session(["--env-file", str(env_file), "--env", "B=from-option"],
                helper("limits", "A", "B", "PATH"), mode)
    assert s.wait() == 0, s.stderr
    text = "\n".join(s.lines)
    assert "env A from-file" in text
    assert "env B from-option" in text
    assert f"env PATH {os.environ['PATH']}" in text


@modes("plain")
def test_stdio_files_null_and_shared_file(session, mode, tmp_path):
    both = tmp_path / "both"
    s = session(["--stdin", "null", "--stdout", f"file:{both}", "--stderr", f"file:{both}"],
                ["sh", "-c", "echo out; echo err >&2; cat; echo after-stdin"], mode)
    assert s.wait() == 0, s.stderr
    assert both.read_text() == "out\nerr\nafter-stdin\n"
    log = tmp_path / "log"
    log.write_text("old\n")
    assert session(["--stdout", f"append:{log}"], ["echo", "new"], mode).wait() == 0
    assert log.read_text() == "old\nnew\n"


@modes("plain")
def test_stdio_fds_are_closed_in_the_child(session, mode, tmp_path):
    out = tmp_path / "out"
    s = session(["--stdout", f"file:{out}", "--stdin", "null"], helper("prelude"), mode)
    assert s.wait() == 0, s.stderr
    assert facts(out.read_text().splitlines())["fds"] == "0,1,2"


@modes("plain")
def test_raising_a_hard_limit_past_the_kernels_fails_naming_it(session, mode):
    with open("/proc/sys/fs/nr_open") as f:
        nr_open = int(f.read())
    s = session(["--limit", f"nofile=1024:{nr_open + 1}"], ["true"], mode)
    assert s.wait() == 125
    assert (f"tend: cannot start 'true': setting limit nofile (RLIMIT_NOFILE) to 1024:{nr_open + 1} failed: "
            "Operation not permitted") in s.stderr


@modes("plain")
def test_unprivileged_tend_cannot_raise_a_hard_limit(session, mode):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv(1) to run tend as nobody")
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY:
        pytest.skip("RLIMIT_NOFILE's hard limit is infinity: nothing to raise")
    argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", TEND,
            "--limit", f"nofile=64:{hard + 1}", "--", "true"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=15)
    assert p.returncode == 125, p.stderr
    assert (f"setting limit nofile (RLIMIT_NOFILE) to 64:{hard + 1} failed: Operation not permitted"
            in p.stderr)


@modes("plain")
def test_a_directory_the_user_cannot_enter_fails_the_start(session, mode, tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    s = session(["--user", "nobody", "--chdir", str(private)], ["true"], mode)
    assert s.wait() == 125
    assert f"cannot start 'true': changing to its directory {private} failed: Permission denied" in s.stderr


@modes("plain")
def test_a_session_without_cgroup_limits_probes_no_cgroup(session, mode):
    s = session(["-v"], ["true"], mode)
    assert s.wait() == 0
    assert "no cgroup limit asked: tracking 'true' by its process group and /proc" in s.stderr


# 2. Cgroups.
def cgroup_mounts():
    """{controller or 'v2': mount point} from /proc/self/mountinfo."""
    found = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            mount = left.split()[4]
            fstype, _, super_opts = right.split()[:3]
            if fstype == "cgroup2":
                found.setdefault("v2", mount)
            elif fstype == "cgroup":
                for c in super_opts.split(","):
                    found.setdefault(c, mount)
    return found


def own_cgroup(controller):
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if (controller == "v2" and ctrls == "") or controller in ctrls.split(","):
                return path
    return None


def cgroup_dir(controller):
    """tend's parent cgroup for controller (v2 when it offers it, else v1), or skip with why."""
    mounts = cgroup_mounts()
    if "v2" in mounts:
        base = mounts["v2"] + own_cgroup("v2").rstrip("/")
        try:
            with open(os.path.join(base, "cgroup.controllers")) as f:
                if controller in f.read().split():
                    return base
        except OSError:
            pass
    if controller in mounts and own_cgroup(controller) is not None:
        return mounts[controller] + own_cgroup(controller).rstrip("/")
    pytest.skip(f"no writable cgroup hierarchy with the {controller} controller "
                f"(cgroup mounts: {sorted(mounts) or 'none'})")


def need_writable_cgroup(controller):
    base = cgroup_dir(controller)
    probe = os.path.join(base, f"tend-test-probe-{os.getpid()}")
    try:
        os.mkdir(probe)
        os.rmdir(probe)
    except OSError as e:
        pytest.skip(f"the cgroup hierarchy of {controller} at {base} is not writable: {e.strerror}")
    return base


def tend_cgroups(base):
    return [d for d in os.listdir(base) if d.startswith("tend-") and ".session" in d]


def test_pids_max_refuses_forks_past_the_limit(session, mode):
    base = need_writable_cgroup("pids")
    before = tend_cgroups(base)
    s = session(["--pids-max", "20"], helper("forkmany", 100), mode)
    assert s.wait() == 0, s.stderr
    m = re.match(r"forked (\d+) failed (\d+)", s.lines[-1])
    assert m, s.lines
    assert int(m.group(1)) <= 19 and int(m.group(2)) >= 81
    assert tend_cgroups(base) == before, "the job's cgroup was not removed"


def test_memory_max_gets_the_job_oom_killed_and_reported(session, mode):
    base = need_writable_cgroup("memory")
    before = tend_cgroups(base)
    s = session(["--memory-max", "64M"], helper("alloc", 256), mode)
    assert s.wait() == 137, s.stderr
    assert "allocated 256" not in s.lines
    assert f"was killed by the OOM killer (memory_max 64M)" in s.stderr
    assert tend_cgroups(base) == before, "the job's cgroup was not removed"


def test_an_escaped_daemon_is_killed_through_the_cgroup(session, mode):
    need_writable_cgroup("pids")
    if "v2" not in cgroup_mounts():
        pytest.skip("no cgroup v2 hierarchy: tracking uses the v1 cgroup only")
    s = session(["-vv", "--pids-max", "100", "-l", "SIGINT 200ms, SIGTERM 200ms, SIGKILL"],
                helper("daemon"), mode)
    daemon = int(s.expect("daemon").split()[1])
    s.expect("ready")
    if mode == "plain":
        with open(f"/proc/{daemon}/cgroup") as f:
            v2 = [line for line in f.read().splitlines() if line.startswith("0::")]
        assert v2 and re.search(r"/tend-\d+\.session", v2[0]), v2
    assert s.wait() == 0, s.stderr
    # The last rung killed the cgroup. Whether the daemon was still in it then, or the group
    # signal (or kill(-1) as PID 1) of the same rung got it first, is a race: not asserted.
    assert "killed the job's cgroup (" in s.stderr
    if mode == "plain":
        assert not pid_alive(daemon)


@modes("plain")
def test_a_cgroup_limit_without_the_controller_fails_naming_the_hierarchy(session, mode):
    mounts = cgroup_mounts()
    v2_controllers = []
    if "v2" in mounts:
        try:
            with open(os.path.join(mounts["v2"] + own_cgroup("v2").rstrip("/"), "cgroup.controllers")) as f:
                v2_controllers = f.read().split()
        except OSError:
            pass
    if "cpu" in mounts or "cpu" in v2_controllers:
        pytest.skip("this host has the cpu controller: cannot show its absence")
    s = session(["--cpu-max", "50%"], ["true"], mode)
    assert s.wait() == 125
    assert "no cgroup hierarchy has the cpu controller" in s.stderr


def test_cpu_max_goes_to_the_cpu_controller(session, mode):
    base = need_writable_cgroup("cpu")
    v1 = not base.startswith(cgroup_mounts().get("v2", "\0"))
    script = ("for f in /sys/fs/cgroup/cpu/tend-*/cpu.cfs_quota_us "
              "/sys/fs/cgroup/unified/tend-*/cpu.max /sys/fs/cgroup/tend-*/cpu.max; do "
              "[ -e \"$f\" ] && echo \"$f $(cat $f)\"; done; true")
    s = session(["--cpu-max", "50%"], ["sh", "-c", script], mode)
    assert s.wait() == 0, s.stderr
    values = [line.split(" ", 1)[1] for line in s.lines if "cpu.cfs_quota_us" in line or "cpu.max" in line]
    assert ("50000" in values) if v1 else ("50000 100000" in values), s.lines
