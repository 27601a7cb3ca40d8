"""Child processes that cannot outlive the test run.

Every server the end-to-end tests start (PostgreSQL aside, which
tests/pg/cluster.sh owns) is a direct child of the test driver, runs in the
foreground, is stopped by its PID at the end, and also receives SIGTERM from
the kernel if the driver dies without cleaning up (prctl PR_SET_PDEATHSIG),
e.g. when ctest kills it at its TIMEOUT.
"""

import ctypes
import os
import signal
import subprocess
import time

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def children_of(pid):
    """PIDs whose parent is `pid` (from /proc/*/stat)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            out.append(int(entry))
    return out


def descendants_of(pid):
    found, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def vm_rss_kib(pid):
    """VmRSS of `pid` in KiB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Child:
    """One long-running program, output to a log file, stopped by PID."""

    def __init__(self, name, argv, log_path, stop_signal=signal.SIGTERM, env=None, cwd=None, stdin=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = log_path
        self.stop_signal = stop_signal
        log = open(log_path, "ab")
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL if stdin is None else stdin,
                                         stdout=log, stderr=subprocess.STDOUT,
                                         preexec_fn=_die_with_parent, env=env, cwd=cwd)
        finally:
            log.close()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def signal(self, signum):
        if self.alive():
            os.kill(self.proc.pid, signum)

    def stop(self, timeout=15.0, signum=None):
        """Stops the program: its stop signal, then SIGKILL for it and any
        descendant left behind. Returns the exit status."""
        if self.proc.poll() is not None:
            return self.proc.returncode
        # Remember the tree first: once the parent is gone its orphans are
        # re-parented and can no longer be found from it.
        tree = descendants_of(self.proc.pid)
        try:
            os.kill(self.proc.pid, signum or self.stop_signal)
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(10)
        finally:
            for pid in tree:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()[-20000:]
        except OSError:
            return ""
        return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


def wait_for_port(port, host="127.0.0.1", timeout=15.0, child=None):
    """Waits until something accepts connections on host:port; fails early if
    `child` exits meanwhile."""
    deadline = time.monotonic() + timeout
    import socket
    while True:
        if child is not None and not child.alive():
            raise RuntimeError(f"{child.name} exited with status {child.proc.returncode} before listening on "
                               f"{host}:{port}:\n{child.log_tail()}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {host}:{port} after {timeout} s"
                                   + (f" ({child.name}):\n{child.log_tail()}" if child else ""))
            time.sleep(0.05)


def free_port():
    """A TCP port that is free on 127.0.0.1 right now (the kernel's choice)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
