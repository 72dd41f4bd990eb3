"""A test that hangs the way real suites do: forked workers deadlock on a lock that a thread of
the parent held at fork time, and a helper daemon started along the way leaks."""
import multiprocessing
import os
import subprocess
import sys
import threading
import time

DAEMON = r"""
import faulthandler, os, signal, time
faulthandler.register(signal.SIGUSR1, all_threads=True)
if os.fork():
    os._exit(0)
os.setsid()
signal.signal(signal.SIGINT, signal.SIG_IGN)     # a daemon that shrugs off Ctrl-C
signal.signal(signal.SIGTERM, signal.SIG_IGN)    # and a polite stop: only SIGKILL ends it
def serve_forever():
    while True:
        time.sleep(3600)
serve_forever()
"""

lock = threading.Lock()


def hold_the_lock(ready):
    with lock:
        ready.set()
        time.sleep(3600)


def worker(n):
    # The fork copied the lock as it was: held, by a thread that does not exist here.
    with lock:
        return n


def test_workers_finish():
    subprocess.Popen([sys.executable, "-c", DAEMON], start_new_session=True)
    ready = threading.Event()
    threading.Thread(target=hold_the_lock, args=(ready,), daemon=True).start()
    ready.wait()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        assert pool.map(worker, range(4)) == list(range(4))
