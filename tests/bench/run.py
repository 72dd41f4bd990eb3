#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""tend's benchmark suite: tend against bare fork/exec/wait, tini, dumb-init and catatonit.

Every wrapper runs in the same run, interleaved (A B C A B C ...), each as PID 1 of a PID
namespace of its own (unshare --pid --fork --kill-child --mount-proc, or clone(CLONE_NEWPID) in
bench-start), so nothing it does reaches the rest of the machine. Prints a markdown table and
writes the raw numbers to results/latest.json (and SVG charts when gnuplot is there).

    tests/bench/run.py [--quick] [--build-dir DIR] [--only NAMES]

The one-command way, from a fresh machine: contrib/bench.sh [--quick]. See tests/bench/README.md.
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = {
    'tini': ['tini', '--'],
    'dumb-init': ['dumb-init', '--'],
    'catatonit': ['catatonit', '--'],
}
PR_SET_CHILD_SUBREAPER = 36
MEASUREMENTS = ['teardown', 'idle', 'signal', 'orphans', 'start', 'spawn']

# Bounds: each turns a hang into a reported failure; none is what the driver waits for.
READY_BOUND = 10.0
EXIT_BOUND = 10.0


def now_ns():
    return time.monotonic_ns()      # CLOCK_MONOTONIC, as the C helpers use


from report import pct  # noqa: E402  (percentile with linear interpolation, None for no data)


def summary(values):
    return {'n': len(values), 'p10': pct(values, 10), 'median': pct(values, 50), 'p90': pct(values, 90),
            'min': min(values) if values else None, 'max': max(values) if values else None}


class Namespace:
    """One wrapper (or program) as PID 1 of a new PID namespace, stdout a pipe to us."""

    live = []

    def __init__(self, name, argv, stdin=False, prefix=()):
        self.name = name
        self.stderr = tempfile.TemporaryFile()
        # prefix: e.g. taskset, which execs unshare in place (the pid stays unshare's).
        self.proc = subprocess.Popen(
            list(prefix) + ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'] + argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self.stderr, bufsize=0, close_fds=True)
        Namespace.live.append(self)
        self.fd = self.proc.stdout.fileno()
        self.buf = b''
        self.wpid = None
        self.pidfd = None

    def read_line(self, bound=READY_BOUND):
        """The next line of stdout, or raise after `bound` seconds."""
        deadline = time.monotonic() + bound
        while b'\n' not in self.buf:
            left = deadline - time.monotonic()
            r, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not r:
                raise RuntimeError(f'{self.name}: no output within {bound} s; stderr: {self.errors()}')
            chunk = os.read(self.fd, 4096)
            if not chunk:
                raise RuntimeError(f'{self.name}: stdout closed; stderr: {self.errors()}')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line.decode()

    def wait_ready(self):
        # Nothing follows "ready\n" until the driver acts (sigrecv's binary records come only once
        # bench-siglat signals), so reading whole chunks cannot take anything that is not ours.
        line = self.read_line()
        if line != 'ready':
            raise RuntimeError(f'{self.name}: expected "ready", got {line!r}')
        self.find_wrapper()

    def find_wrapper(self):
        with open(f'/proc/{self.proc.pid}/task/{self.proc.pid}/children') as f:
            kids = f.read().split()
        if len(kids) != 1:
            raise RuntimeError(f'{self.name}: unshare has children {kids}')
        self.wpid = int(kids[0])
        self.pidfd = os.pidfd_open(self.wpid)

    def wait_exit(self, bound=EXIT_BOUND):
        """Time (ns) at which PID 1 of the namespace was seen gone, or None after `bound` s. The
        kernel reports PID 1's exit only once every other process of the namespace is gone."""
        p = select.poll()
        p.register(self.pidfd, select.POLLIN)
        if not p.poll(bound * 1000):
            return None
        return now_ns()

    def survivors(self):
        """Processes of the namespace other than PID 1 that are not zombies."""
        try:
            ns = os.readlink(f'/proc/{self.wpid}/ns/pid')
        except OSError:
            return 0
        n = 0
        for d in os.listdir('/proc'):
            if not d.isdigit() or int(d) == self.wpid:
                continue
            try:
                if os.readlink(f'/proc/{d}/ns/pid') != ns:
                    continue
                with open(f'/proc/{d}/stat') as f:
                    state = f.read().rsplit(')', 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in ('Z', 'X'):
                n += 1
        return n

    def errors(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors='replace').strip()[-2000:]

    def close(self):
        """Ends the namespace (SIGKILL to its PID 1 takes everything in it along) and reaps."""
        if self.pidfd is not None:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=EXIT_BOUND)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            if f:
                f.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        self.stderr.close()
        if self in Namespace.live:
            Namespace.live.remove(self)

    @classmethod
    def close_all(cls):
        for ns in list(cls.live):
            ns.close()


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        bd = args.build_dir
        self.work = os.path.join(bd, 'tests/bench/bench-work')
        self.bin = lambda name: os.path.join(bd, 'tests/bench', name)
        self.tend = args.tend or os.path.join(bd, 'src/tend')
        for p in (self.work, self.tend):
            if not os.access(p, os.X_OK):
                sys.exit(f'run.py: {p} is missing: build first (contrib/bench.sh does)')
        self.wrappers = {'bare': [self.bin('bench-bare'), '--'], 'tend': [self.tend, '--']}
        self.missing = []
        for name, argv in PEERS.items():
            path = shutil.which(argv[0])
            if path:
                self.wrappers[name] = [path] + argv[1:]
            else:
                self.missing.append(name)
        self.peers = [w for w in self.wrappers if w not in ('bare', 'tend')]
        self.results = {}
        self.raw = {}

    def log(self, msg):
        print(f'run.py: {msg}', file=sys.stderr, flush=True)

    # 1. Teardown ---------------------------------------------------------------------------
    def teardown(self):
        grace = 0.3 if self.quick else 1.0
        deadline = 1.5 if self.quick else 5.0
        reps = {'ignore': 1 if self.quick else 3, 'obey': 3 if self.quick else 15}
        ladder = f'SIGTERM {grace:g}s, SIGKILL'
        res = {'grace_s': grace, 'deadline_s': deadline, 'ladder': ladder, 'processes': 200}
        for mode in ('obey', 'ignore'):
            data = {w: {'total_ns': [], 'survivors': []} for w in self.wrappers if w != 'bare'}
            for _ in range(reps[mode]):
                for w in data:
                    argv = self.wrappers[w][:-1] + (['-l', ladder] if w == 'tend' else []) + ['--']
                    ns = Namespace(w, argv + [self.work, 'tree', '200', mode])
                    try:
                        ns.wait_ready()
                        t0 = now_ns()
                        os.kill(ns.wpid, signal.SIGTERM)
                        t1 = ns.wait_exit(deadline)
                        if t1 is None:
                            data[w]['survivors'].append(ns.survivors())
                            data[w]['total_ns'].append(None)
                        else:
                            data[w]['survivors'].append(0)
                            data[w]['total_ns'].append(t1 - t0)
                    finally:
                        ns.close()
            res[mode] = data
        self.raw['teardown'] = res

    # 2 and 6. Idle cost and memory, every wrapper idle at once ------------------------------
    @staticmethod
    def task_stats(pid):
        """(context switches, CPU ns) summed over the threads of pid."""
        ctx = cpu = 0
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/status') as f:
                for line in f:
                    if line.startswith(('voluntary_ctxt_switches', 'nonvoluntary_ctxt_switches')):
                        ctx += int(line.split()[1])
            with open(f'/proc/{pid}/task/{tid}/schedstat') as f:
                cpu += int(f.read().split()[0])
        return ctx, cpu

    @staticmethod
    def all_sleeping(pid):
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                if f.read().rsplit(')', 1)[1].split()[0] != 'S':
                    return False
        return True

    @staticmethod
    def memory(pid):
        m = {}
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                k = line.split(':')[0]
                if k in ('VmHWM', 'VmRSS', 'RssAnon', 'RssFile'):
                    m[k + '_kB'] = int(line.split()[1])
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                if line.startswith('Pss:'):
                    m['Pss_kB'] = int(line.split()[1])
        return m

    def idle(self):
        window = 1.0 if self.quick else 8.0
        reps = 1 if self.quick else 2
        configs = {w: argv + [self.work, 'idle'] for w, argv in self.wrappers.items()}
        configs['ref: C program'] = [self.bin('bench-memref-plain')]
        configs['ref: C program + sd_event'] = [self.bin('bench-memref-sdevent')]
        data = {c: [] for c in configs}
        for _ in range(reps):
            spaces = {}
            try:
                for c, argv in configs.items():
                    spaces[c] = Namespace(c, argv, stdin=True)
                for ns in spaces.values():
                    ns.wait_ready()
                # The spawn's aftermath (tend's loop reading the spawner's result, say) belongs to
                # start-up: the window opens once every thread of every wrapper sleeps. Bounded.
                bound = time.monotonic() + 2.0
                while not all(self.all_sleeping(ns.wpid) for ns in spaces.values()):
                    if time.monotonic() > bound:
                        raise RuntimeError('idle: a wrapper never went to sleep')
                    time.sleep(0.001)
                before = {c: self.task_stats(ns.wpid) for c, ns in spaces.items()}
                time.sleep(window)      # the measurement window itself, not a synchronisation
                after = {c: self.task_stats(ns.wpid) for c, ns in spaces.items()}
                for c, ns in spaces.items():
                    d = {'wakeups': after[c][0] - before[c][0], 'cpu_ns': after[c][1] - before[c][1]}
                    d.update(self.memory(ns.wpid))
                    data[c].append(d)
                for ns in spaces.values():
                    ns.proc.stdin.close()       # EOF: the idle workloads exit
                for c, ns in spaces.items():
                    if ns.wait_exit() is None:
                        raise RuntimeError(f'idle: {c} did not exit after its child did')
            finally:
                for ns in spaces.values():
                    ns.close()
        self.raw['idle'] = {'window_s': window, 'data': data}

    # 3. Signal forwarding latency -------------------------------------------------------------
    def signal(self):
        # In batches, each with fresh namespaces: where the scheduler puts a wrapper and its child
        # (same CPU or not) sticks for a process's life and moves its latency by tens of µs on a
        # VM, so one batch would measure one placement. Batches mix them.
        batches = 1 if self.quick else 4
        n = 50
        data = {}
        for _ in range(batches):
            for w, d in self.signal_pass(n, ()).items():
                x = data.setdefault(w, {'latency_ns': [], 'lost': 0})
                x['latency_ns'] += d['latency_ns']
                x['lost'] += d['lost']
        res = {'signals': n * batches, 'batches': batches, 'warmup_dropped_per_batch': 10, 'data': data}
        # Diagnostic: everything on one CPU, so that no wakeup has to cross to an idle CPU (on a
        # VM, the IPI and the vCPU's wake-up from halt): what is left is the wrappers' own path.
        if not self.quick and (os.cpu_count() or 1) > 1 and shutil.which('taskset'):
            res['one_cpu'] = self.signal_pass(200, ('taskset', '-c', '0'))
        self.raw['signal'] = res

    def signal_pass(self, n, prefix):
        warmup = 10
        spaces = {}
        try:
            for w, argv in self.wrappers.items():
                spaces[w] = Namespace(w, argv + [self.work, 'sigrecv'], prefix=prefix)
            targets = []
            for w, ns in spaces.items():
                ns.wait_ready()
                pid = ns.wpid
                if w == 'bare':
                    # No wrapper: the signal goes straight to the workload, bench-bare's child.
                    with open(f'/proc/{ns.wpid}/task/{ns.wpid}/children') as f:
                        pid = int(f.read().split()[0])
                targets.append(f'{w}:{pid}:{ns.fd}')
            out = subprocess.run(list(prefix) + [self.bin('bench-siglat'), str(n + warmup)] + targets,
                                 pass_fds=[ns.fd for ns in spaces.values()],
                                 capture_output=True, text=True, timeout=120, check=True).stdout
        finally:
            for ns in spaces.values():
                ns.close()
        data = {}
        for line in out.splitlines():
            name, *vals = line.split()
            vals = [int(v) for v in vals][warmup:]
            data[name] = {'latency_ns': [v for v in vals if v >= 0], 'lost': sum(v < 0 for v in vals)}
        return data

    # 4. Orphan reaping ---------------------------------------------------------------------------
    def orphans(self):
        n = 2000 if self.quick else 20000
        reps = 1 if self.quick else 5
        every = 10
        data = {w: {'wall_ns': [], 'peak_zombies': []} for w in self.wrappers}

        def one(w, sample):
            ns = Namespace(w, self.wrappers[w] + [self.work, 'orphans', str(n)] + ([str(every)] if sample else []))
            try:
                t0 = int(ns.read_line().split()[1])
                ns.find_wrapper()
                t1 = ns.wait_exit(120)
                if t1 is None:
                    raise RuntimeError(f'orphans: {w} did not finish in 120 s')
                if sample:
                    return int(ns.read_line().split()[1])
                return t1 - t0
            finally:
                ns.close()

        # Wall time without the zombie sampling (it costs the workload time), then one sampled run.
        for _ in range(reps):
            for w in self.wrappers:
                data[w]['wall_ns'].append(one(w, False))
        for w in self.wrappers:
            data[w]['peak_zombies'].append(one(w, True))
        self.raw['orphans'] = {'orphans': n, 'sample_every': every, 'data': data}

    # 5. Start cost ----------------------------------------------------------------------------------
    def bench_start(self, n, configs, capture=False):
        cmd = [self.bin('bench-start')] + (['-o'] if capture else []) + ['-t', '250', str(n)]
        for i, (name, argv) in enumerate(configs.items()):
            cmd += ([':::'] if i else []) + [name] + argv
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True).stdout
        runs = {name: [] for name in configs}
        for line in out.splitlines():
            name, wall, status, text = line.split('\t', 3)
            runs[name].append({'wall_ns': int(wall), 'status': status, 'out': text})
        return runs

    def start(self):
        n = 100 if self.quick else 1000
        true = shutil.which('true')
        configs = {'bare': [true]}
        for w, argv in self.wrappers.items():
            if w == 'bare':
                configs['bench-bare'] = argv + [true]
            else:
                configs[w] = argv + [true]
        noop = self.bin('tend-noop')
        have_noop = os.access(noop, os.X_OK)
        if have_noop:
            configs['tend-noop'] = [noop, '--', true]
        runs = self.bench_start(n, configs)
        res = {'runs': n, 'data': {}}
        for name, rs in runs.items():
            res['data'][name] = {'wall_ns': [r['wall_ns'] for r in rs if r['status'] == '0'],
                                 'hung': sum(r['status'] == 'hung' for r in rs),
                                 'failed': sum(r['status'] not in ('0', 'hung') for r in rs)}
        if not self.quick:
            res['perf'] = self.start_perf(configs)
            if have_noop:
                res['ld_debug'] = self.ld_statistics(noop)
        self.raw['start'] = res

    def start_perf(self, configs):
        """perf stat over bench-start runs of one configuration: CPU per run, children included."""
        if not shutil.which('perf'):
            return None
        out = {}
        n = 200
        for name in ('bare', 'bench-bare', 'tend', 'tend-noop'):
            if name not in configs:
                continue
            cmd = ['perf', 'stat', '-x', ',', '-e', 'task-clock,page-faults,context-switches',
                   self.bin('bench-start'), '-t', '250', str(n), name] + configs[name]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                return None
            hung = sum(line.split('\t')[2] == 'hung' for line in p.stdout.splitlines())
            vals = {}
            for line in p.stderr.splitlines():
                f = line.split(',')
                if len(f) > 3 and f[0] and f[0][0].isdigit():
                    vals[f[2]] = float(f[0]) / n
            out[name] = {'task_clock_ms_per_run': vals.get('task-clock'),
                         'page_faults_per_run': vals.get('page-faults'),
                         'context_switches_per_run': vals.get('context-switches'), 'hung': hung}
        return out

    @staticmethod
    def ld_statistics(noop):
        """LD_DEBUG=statistics of tend's binary returning at once: the dynamic loader's own time."""
        cycles = []
        for _ in range(20):
            p = subprocess.run([noop], env=dict(os.environ, LD_DEBUG='statistics'),
                               capture_output=True, text=True, timeout=10)
            m = re.search(r'total startup time in dynamic loader:\s*([\d,]+)', p.stderr)
            if m:
                cycles.append(int(m.group(1).replace(',', '')))
        text = p.stderr
        relocs = re.search(r'number of relocations:\s*(\d+)', text)
        mhz = None
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('cpu MHz'):
                    mhz = float(line.split(':')[1])
                    break
        med = pct(cycles, 50)
        return {'cycles_median': med, 'cpu_mhz': mhz,
                'usec_median': med / mhz if med and mhz else None,
                'relocations': int(relocs.group(1)) if relocs else None}

    # 7. Spawn cost inside tend ------------------------------------------------------------------------
    def spawn(self):
        n = 100 if self.quick else 1000
        true = shutil.which('true')
        configs = {'tend': [self.tend, '-v', '--', true],
                   'posix_spawn': [self.bin('bench-spawn'), 'posix_spawn', true],
                   'fork+exec': [self.bin('bench-spawn'), 'fork', true]}
        runs = self.bench_start(n, configs, capture=True)
        data = {}
        for name, rs in runs.items():
            vals = []
            for r in rs:
                m = re.search(r'spawn took (\d+) (us|ns)', r['out'])
                if m:
                    vals.append(int(m.group(1)) * (1000 if m.group(2) == 'us' else 1))
            data[name] = {'spawn_ns': vals, 'hung': sum(r['status'] == 'hung' for r in rs),
                          'missing': len(rs) - len(vals)}
        self.raw['spawn'] = {'spawns': n, 'data': data}

    # Output ---------------------------------------------------------------------------------------------
    def machine(self):
        cpu = 'unknown'
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
        versions = {}
        for pkg in ('tini', 'dumb-init', 'catatonit', 'libsystemd0'):
            p = subprocess.run(['dpkg-query', '-W', '-f', '${Version}', pkg], capture_output=True, text=True)
            versions[pkg] = p.stdout if p.returncode == 0 else None
        try:
            rev = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True,
                                 text=True).stdout.strip()
        except OSError:
            rev = None
        return {'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
                'cpu': cpu, 'cores': os.cpu_count(), 'kernel': platform.release(),
                'os': platform.freedesktop_os_release().get('PRETTY_NAME', '') if hasattr(
                    platform, 'freedesktop_os_release') else '',
                'versions': versions, 'tend_commit': rev, 'mode': 'quick' if self.quick else 'full'}

    def run(self):
        only = self.args.only.split(',') if self.args.only else MEASUREMENTS
        t = time.monotonic()
        for m in MEASUREMENTS:
            if m in only:
                self.log(f'{m}...')
                getattr(self, m)()
        self.raw['machine'] = self.machine()
        self.raw['machine']['duration_s'] = round(time.monotonic() - t, 1)
        self.raw['missing_peers'] = self.missing
        return self.raw


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true', help='small counts: keeps the harness working (CI)')
    ap.add_argument('--build-dir', default=os.path.join(ROOT, 'build-bench'))
    ap.add_argument('--tend', help='tend binary (default: BUILD_DIR/src/tend)')
    ap.add_argument('--only', help='comma-separated subset of: ' + ','.join(MEASUREMENTS))
    ap.add_argument('--results', default=os.path.join(HERE, 'results'))
    ap.add_argument('--from-json', help='only format the table from a saved latest.json')
    args = ap.parse_args()

    import report     # tests/bench/report.py: table, verdicts, charts

    if args.from_json:
        with open(args.from_json) as f:
            raw = json.load(f)
    else:
        if os.geteuid() != 0:
            sys.exit('run.py: needs root (PID namespaces, /proc of other users)')
        # Anything that escaped a namespace (nothing can) would be re-parented to us: checked below.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        try:
            raw = Bench(args).run()
        finally:
            Namespace.close_all()
            left = check_leftovers()
            if left:
                print(f'run.py: killed {left} leftover process(es)', file=sys.stderr)
        raw['leftovers'] = left
        os.makedirs(args.results, exist_ok=True)
        with open(os.path.join(args.results, 'latest.json'), 'w') as f:
            json.dump(raw, f, indent=1)

    table = report.markdown(raw)
    print(table)
    with open(os.path.join(args.results, 'latest.md'), 'w') as f:
        f.write(table + '\n')
    report.charts(raw, args.results)


def check_leftovers():
    """Kills and counts whatever is still our child (or re-parented to us) after the run."""
    me = os.getpid()
    left = 0
    for _ in range(3):
        try:
            with open(f'/proc/{me}/task/{me}/children') as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            kids = []
        for k in kids:
            try:
                os.kill(k, signal.SIGKILL)
                os.waitpid(k, 0)
                left += 1
            except (ProcessLookupError, ChildProcessError):
                pass
        if not kids:
            break
    return left


if __name__ == '__main__':
    sys.path.insert(0, HERE)
    main()
