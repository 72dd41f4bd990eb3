# Every process of the suite (the pytest process, its forked workers, the daemon) dumps the
# Python stack of each of its threads to stderr when it gets SIGUSR1: tend --diagnose SIGUSR1
# sends that signal to each of them when the session times out.
import faulthandler
import signal

faulthandler.register(signal.SIGUSR1, all_threads=True)
