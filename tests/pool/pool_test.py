#!/usr/bin/env python3
"""Black-box tests of the worker pool: starts tests/pool/pool_probe (the real
pool with a tiny handler), talks FastCGI to it with cgi-fcgi and sends it
signals.

    pool_test.py --probe PATH --cgi-fcgi PATH CASE

Every process a case starts is stopped by pid when the case ends, passed or
failed; masters also get PR_SET_PDEATHSIG, so even a killed driver leaves
nothing behind (workers follow their master by the same mechanism). Every wait
is bounded.
"""

import argparse
import concurrent.futures
import ctypes
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import traceback

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_driver():
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    """Live children of pid (zombies not counted)."""
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid=,stat="], capture_output=True, text=True).stdout
    return {int(line.split()[0]) for line in out.splitlines() if line.strip() and not line.split()[1].startswith("Z")}


def alive(pid):
    """True for a running process; a zombie counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


class Answer:
    def __init__(self, completed, elapsed):
        self.raw = completed.stdout if completed else b""
        self.elapsed = elapsed
        m = re.search(rb"pid=(\d+) n=(\d+) path=(\S*)", self.raw)
        self.ok = m is not None
        self.pid = int(m.group(1)) if m else None
        self.n = int(m.group(2)) if m else None
        self.path = m.group(3).decode() if m else None

    def __repr__(self):
        return f"Answer(ok={self.ok}, pid={self.pid}, n={self.n}, path={self.path}, raw={self.raw[:200]!r})"


class Pool:
    def __init__(self, case, proc, log_path, target):
        self.case = case
        self.proc = proc
        self.pid = proc.pid
        self.log_path = log_path
        self.target = target

    def workers(self):
        kids = children(self.pid)
        self.case.seen_workers |= kids
        return kids

    def wait_workers(self, count, timeout=10):
        return wait_until(lambda: len(self.workers()) == count and self.workers(), timeout,
                          f"{count} workers of pid {self.pid}")

    def wait_ready(self, count, timeout=10):
        self.wait_workers(count, timeout)
        wait_until(lambda: self.case.request(self.target, "/ready").ok, timeout, f"an answer on {self.target}")

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_log(self, text, timeout=10):
        wait_until(lambda: text in self.log(), timeout, f"{text!r} in {self.log_path}")

    def signal(self, signo):
        self.workers()  # remember who was there
        os.kill(self.pid, signo)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f"pool (pid {self.pid}) did not exit within {timeout} s")


class Case:
    def __init__(self, probe, cgi_fcgi):
        self.probe = probe
        self.cgi_fcgi = cgi_fcgi
        self.dir = tempfile.mkdtemp(prefix="vxpool.")
        self.procs = []
        self.pools = []
        self.seen_workers = set()

    # ---- processes

    def start(self, listen, *args, via=None, stdin=subprocess.DEVNULL, env=None, log_name=None, argv=None):
        log_path = os.path.join(self.dir, log_name or f"pool{len(self.pools)}.log")
        command = argv or [self.probe, listen, *args]
        if via:
            command = [sys.executable, os.path.abspath(__file__), "--exec-inherited", *map(str, via), "--", *command]
        environment = dict(os.environ)
        environment.update(env or {})
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(command, stdin=stdin, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                    preexec_fn=_die_with_driver)
        self.procs.append(proc)
        target = listen[len("unix:"):] if listen.startswith("unix:") else listen
        if via:
            target = f"{via[1]}:{via[2]}"
        pool = Pool(self, proc, log_path, target)
        self.pools.append(pool)
        return pool

    def cleanup(self):
        running = [p for p in self.procs if p.poll() is None]
        # First as an operator would (TERM: the master stops and reaps its
        # workers, SIGKILLing busy ones after 5 s), then by force.
        for proc in running:
            self.seen_workers |= children(proc.pid)
            proc.terminate()
        for proc in running:
            try:
                proc.wait(8)
            except subprocess.TimeoutExpired:
                self.seen_workers |= children(proc.pid)
                proc.kill()
                proc.wait()
        # Workers follow a killed master (PDEATHSIG); make sure, by pid, and
        # only while the pid is still one of our probes.
        deadline = time.monotonic() + 5
        for pid in self.seen_workers:
            while alive(pid) and self._is_probe(pid) and time.monotonic() < deadline:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        # Orphaned workers were re-parented to us (child subreaper): reap them.
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        shutil.rmtree(self.dir, ignore_errors=True)

    def _is_probe(self, pid):
        try:
            return os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(self.probe)
        except OSError:
            return False

    def dump_logs(self):
        for pool in self.pools:
            try:
                print(f"---- {pool.log_path} (pid {pool.pid})\n{pool.log()}", file=sys.stderr)
            except OSError:
                pass

    # ---- FastCGI

    def request(self, target, path="/x", query="", timeout=15):
        environment = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": path, "QUERY_STRING": query,
                       "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        started = time.monotonic()
        try:
            completed = subprocess.run([self.cgi_fcgi, "-bind", "-connect", target], env=environment,
                                       stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            completed = None
        return Answer(completed, time.monotonic() - started)

    def parallel(self, calls):
        with concurrent.futures.ThreadPoolExecutor(len(calls)) as executor:
            return [f.result() for f in [executor.submit(call) for call in calls]]

    def background(self, call):
        executor = concurrent.futures.ThreadPoolExecutor(1)
        future = executor.submit(call)
        executor.shutdown(wait=False)
        return future

    def tcp_target(self):
        return f"127.0.0.1:{free_port()}"

    def assert_all_gone(self, pids, what):
        wait_until(lambda: not any(alive(p) for p in pids), 5, f"{what} to be gone: {sorted(pids)}")


# ---- the cases ----------------------------------------------------------------

def workers_answer_in_parallel(c):
    pool = c.start(c.tcp_target(), "--workers", "3")
    pool.wait_ready(3)
    answers = c.parallel([lambda: c.request(pool.target, "/par", "sleep=1.5")] * 3)
    check(all(a.ok for a in answers), f"every request answered: {answers}")
    pids = {a.pid for a in answers}
    check(len(pids) == 3, f"3 concurrent requests served by 3 distinct workers: {answers}")
    check(pids <= pool.workers(), f"answering pids {pids} are the master's children {pool.workers()}")
    check(pool.pid not in pids, "the master does not serve requests")
    check(all(a.path == "/par" for a in answers), "SCRIPT_NAME reaches the handler")
    # Every connection wakes all idle workers; the losers' accept() says
    # EAGAIN, and they must simply wait again.
    before = pool.workers()
    for i in range(60):
        check(c.request(pool.target, f"/seq{i}").ok, f"sequential request {i} answered")
    check(pool.workers() == before, "no worker exited while losing races for connections")
    check(" error: " not in pool.log(), "no errors logged")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")


def killed_worker_is_respawned(c):
    pool = c.start(c.tcp_target(), "--workers", "2")
    pool.wait_ready(2)
    before = pool.workers()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: victim not in pool.workers() and len(pool.workers()) == 2, 10, "a replacement worker")
    check(c.request(pool.target).ok, "the pool answers after the respawn")
    pool.wait_log(f"(pid {victim}) was killed by SIGKILL")

    # A worker that dies on its own is respawned too; one that keeps dying
    # fast waits longer each time (100 ms, 200 ms, 400 ms).
    single = c.start(c.tcp_target(), "--workers", "1")
    single.wait_ready(1)
    for delay in (100, 200, 400):
        (dying,) = single.workers()
        answer = c.request(single.target, "/x", "exit=3")
        check(not answer.ok, f"exit=3 ends the worker without an answer: {answer}")
        single.wait_log(f"exited with code 3 after", 5)
        single.wait_log(f"respawning in {delay} ms", 5)
        wait_until(lambda: len(single.workers()) == 1 and dying not in single.workers(), 10, "the respawned worker")
    check(c.request(single.target).ok, "the pool answers after repeated crashes")
    for p in (pool, single):
        p.signal(signal.SIGTERM)
        check(p.wait_exit(10) == 0, "TERM: exit code 0")


def max_requests_recycles_worker(c):
    pool = c.start(c.tcp_target(), "--workers", "1", "--max-requests", "3")
    pool.wait_workers(1)
    answers = [c.request(pool.target, f"/r{i}") for i in range(1, 4)]
    check(all(a.ok for a in answers), f"answers: {answers}")
    check(len({a.pid for a in answers}) == 1, f"one worker served the first 3: {answers}")
    check([a.n for a in answers] == [1, 2, 3], f"per-worker counts 1, 2, 3: {answers}")
    fourth = c.request(pool.target, "/r4")
    check(fourth.ok and fourth.pid != answers[0].pid and fourth.n == 1,
          f"the 4th request is served by a fresh worker: {fourth}")
    pool.wait_log("recycled after 3 requests")
    check(not alive(answers[0].pid), "the recycled worker is gone")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")


def request_timeout_kills_stuck_worker(c):
    pool = c.start(c.tcp_target(), "--workers", "1", "--timeout", "1")
    pool.wait_ready(1)
    (stuck,) = pool.workers()
    answer = c.request(pool.target, "/stuck", "sleep=30", timeout=20)
    check(not answer.ok, f"the stuck request gets no answer: {answer}")
    check(answer.elapsed < 6, f"the stuck worker was killed soon after 1 s (took {answer.elapsed:.1f} s)")
    pool.wait_log(f"worker 1 (pid {stuck}) has been busy with one request")
    pool.wait_log(f"(pid {stuck}) was killed by SIGKILL")
    after = c.request(pool.target, "/after")
    check(after.ok and after.pid != stuck, f"a new worker answers: {after}")
    check(not alive(stuck), "the stuck worker is gone")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")


def tcp_listen_addresses(c):
    # A name: IPv4 first, so IPv4-only clients (cgi-fcgi) reach it.
    port = free_port()
    named = c.start(f"localhost:{port}", "--workers", "1", log_name="localhost.log")
    named.target = f"127.0.0.1:{port}"
    named.wait_ready(1)
    check(f"listening on 127.0.0.1:{port}" in named.log(), "localhost binds 127.0.0.1")

    # The port is taken now: the OS refuses, exit code 1, the message names call and address.
    taken = c.start(f"127.0.0.1:{port}", log_name="taken.log")
    check(taken.wait_exit(10) == 1, "a port in use: exit code 1")
    check(f"bind() to 127.0.0.1:{port} failed: Address already in use" in taken.log(), "... naming call and address")
    named.signal(signal.SIGTERM)
    check(named.wait_exit(10) == 0, "TERM: exit code 0")

    if socket.has_ipv6:
        port = free_port()
        try:
            probe_v6 = socket.socket(socket.AF_INET6)
            probe_v6.bind(("::1", 0))
            probe_v6.close()
            v6_available = True
        except OSError:
            v6_available = False
        if v6_available:
            v6 = c.start(f"[::1]:{port}", "--workers", "1", log_name="v6.log")
            v6.wait_log(f"listening on [::1]:{port}")
            v6.wait_workers(1)
            with socket.create_connection(("::1", port), timeout=5):
                pass
            v6.signal(signal.SIGTERM)
            check(v6.wait_exit(10) == 0, "TERM: exit code 0")
        else:
            print("note: no IPv6 loopback here; [::1]:port not checked")

    for spec, message in [("127.0.0.1", "expected unix:/path, host:port"),
                          ("127.0.0.1:0", "the port must be a number from 1 to 65535"),
                          ("127.0.0.1:http", "the port must be a number from 1 to 65535"),
                          ("::1:9000", "write an IPv6 address in brackets"),
                          ("[::1:9000", "expected [IPv6 address]:port")]:
        bad = c.start(spec, log_name=f"bad{len(c.pools)}.log")
        check(bad.wait_exit(10) == 78, f"listen '{spec}' is a configuration error (78)")
        check(message in bad.log(), f"listen '{spec}': {message!r} in {bad.log()!r}")


def term_stops_every_process(c):
    sock = os.path.join(c.dir, "term.sock")
    pool = c.start("unix:" + sock, "--workers", "3")
    pool.wait_ready(3)
    workers = pool.workers()
    # A request that would take 30 s: TERM waits 5 s for it, then SIGKILLs.
    slow = c.background(lambda: c.request(sock, "/slow", "sleep=30", timeout=25))
    pool.wait_log("for /slow?sleep=30")
    started = time.monotonic()
    pool.signal(signal.SIGTERM)
    code = pool.wait_exit(15)
    elapsed = time.monotonic() - started
    check(code == 0, f"TERM: exit code 0 (got {code})")
    check(elapsed < 8, f"TERM stops within the 5 s grace (took {elapsed:.1f} s)")
    c.assert_all_gone(workers, "the workers")
    check(not os.path.exists(sock), "the unix socket file is removed")
    check("did not stop in time: sending SIGKILL" in pool.log(), "the busy worker was SIGKILLed")
    check(not slow.result(timeout=20).ok, "the interrupted request got no answer")

    # Idle workers stop at once.
    idle = c.start(c.tcp_target(), "--workers", "2")
    idle.wait_ready(2)
    workers = idle.workers()
    started = time.monotonic()
    idle.signal(signal.SIGINT)
    check(idle.wait_exit(10) == 0, "INT: exit code 0")
    check(time.monotonic() - started < 3, "idle workers stop at once")
    c.assert_all_gone(workers, "the workers")
    check("probe: shutdown after" in idle.log(), "the handler's shutdown() ran")


def quit_lets_inflight_request_finish(c):
    pool = c.start(c.tcp_target(), "--workers", "2")
    pool.wait_ready(2)
    workers = pool.workers()
    # 6 s: longer than the 5 s TERM would wait before SIGKILL.
    slow = c.background(lambda: c.request(pool.target, "/slow", "sleep=6"))
    pool.wait_log("for /slow?sleep=6")
    pool.signal(signal.SIGQUIT)
    # The idle worker leaves at once; the busy one only when it is done.
    idle = wait_until(lambda: len(pool.workers()) == 1 and pool.workers(), 3, "the idle worker to leave")
    code = pool.wait_exit(15)
    answer = slow.result(timeout=15)
    check(answer.ok and answer.path == "/slow", f"the in-flight request completed: {answer}")
    check(answer.pid in idle, f"... in the worker that stayed: {answer}, {idle}")
    check(code == 0, f"QUIT: exit code 0 (got {code})")
    check("graceful stop (SIGQUIT)" in pool.log(), "the master logged a graceful stop")
    c.assert_all_gone(workers, "the workers")
    check(not c.request(pool.target, timeout=5).ok, "nobody answers after the stop")


def unix_socket(c):
    sock = os.path.join(c.dir, "u.sock")
    # A stale socket file (its process is gone) is replaced.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(sock)
    stale.close()
    pool = c.start("unix:" + sock, "--workers", "2")
    pool.wait_ready(2)
    st = os.stat(sock)
    check(stat.S_ISSOCK(st.st_mode), "the socket file is a socket")
    check(stat.S_IMODE(st.st_mode) == 0o660, f"socket mode 0660 (got {stat.S_IMODE(st.st_mode):o})")
    check(c.request(sock, "/u").path == "/u", "answers on the unix socket")

    # A second pool does not steal a live socket.
    second = c.start("unix:" + sock, "--workers", "1", log_name="second.log")
    check(second.wait_exit(10) == 1, "a second pool on a live socket fails (exit code 1)")
    check("another process accepts connections on " + sock in second.log(), "... and says why")
    check(os.path.exists(sock) and c.request(sock).ok, "the first pool still serves")

    missing = os.path.join(c.dir, "missing")
    third = c.start(f"unix:{missing}/x.sock", log_name="missing.log")
    check(third.wait_exit(10) == 78, "a missing directory is a configuration error (78)")
    check(f"directory {missing} does not exist" in third.log(), "... naming the directory")

    plain = os.path.join(c.dir, "plain")
    with open(plain, "w") as f:
        f.write("keep me")
    fourth = c.start("unix:" + plain, log_name="plain.log")
    check(fourth.wait_exit(10) == 78, "a path that is not a socket is a configuration error (78)")
    check("exists and is not a socket" in fourth.log(), "... and says why")
    with open(plain) as f:
        check(f.read() == "keep me", "the file is left alone")

    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")
    check(not os.path.exists(sock), "the socket file is removed at stop")


def inherit_systemd_listen_fds(c):
    port = free_port()
    pool = c.start("inherit", "--workers", "2", via=("systemd", "127.0.0.1", port))
    pool.wait_ready(2)
    answers = c.parallel([lambda: c.request(pool.target, "/sd", "sleep=1")] * 2)
    check(all(a.ok for a in answers) and len({a.pid for a in answers}) == 2, f"2 workers answer: {answers}")
    check("inherited fd 3 (systemd LISTEN_FDS) (127.0.0.1:" in pool.log(), "the master names the socket")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")

    # systemd's own test tool, when installed: it listens, and on the first
    # connection execs the service with LISTEN_FDS.
    tool = shutil.which("systemd-socket-activate")
    if tool:
        port = free_port()
        activated = c.start("inherit", argv=[tool, f"--listen=127.0.0.1:{port}", c.probe, "inherit", "--workers",
                                              "2"], log_name="activate.log")
        activated.target = f"127.0.0.1:{port}"
        wait_until(lambda: c.request(activated.target, "/act", timeout=10).path == "/act", 15,
                   "an answer through systemd-socket-activate")
        activated.wait_workers(2)
        activated.signal(signal.SIGTERM)
        check(activated.wait_exit(10) == 0, "TERM: exit code 0")
    else:
        print("note: systemd-socket-activate not installed; checked with the Python helper only")

    # Variables meant for another process are ignored; then fd 0 (here
    # /dev/null) is no socket: a configuration error.
    stray = c.start("inherit", env={"LISTEN_FDS": "1", "LISTEN_PID": "1"}, log_name="stray.log")
    check(stray.wait_exit(10) == 78, "LISTEN_PID of another process: fd 0 is used, and is no socket (78)")
    check("fd 0 is not a socket" in stray.log(), "... and says so")


def inherit_fd0(c):
    port = free_port()
    pool = c.start("inherit", "--workers", "2", via=("fd0", "127.0.0.1", port))
    pool.wait_ready(2)
    check(c.request(pool.target, "/fd0").path == "/fd0", "answers on the inherited fd 0")
    check("inherited fd 0 (127.0.0.1:" in pool.log(), "the master names the socket")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")

    terminal = c.start("inherit", log_name="nosocket.log")
    check(terminal.wait_exit(10) == 78, "inherit without a socket on fd 0 is a configuration error (78)")
    check("fd 0 is not a socket" in terminal.log(), "... and says so")


def config_error_stops_pool(c):
    pool = c.start(c.tcp_target(), "--workers", "3", "--fail-config")
    check(pool.wait_exit(10) == 78, "a worker's configuration error stops the pool with 78")
    log = pool.log()
    check("configuration error: probe: --fail-config was given" in log, "the worker names the problem")
    check("it is not respawned, and the pool stops" in log, "the master says it will not respawn")
    check(log.count(" started (pid ") == 3, "no worker was respawned")
    c.assert_all_gone(c.seen_workers, "the workers")

    # A worker that exits with 78 later stops the pool just the same.
    later = c.start(c.tcp_target(), "--workers", "2")
    later.wait_ready(2)
    workers = later.workers()
    c.request(later.target, "/x", "exit=78")
    check(later.wait_exit(10) == 78, "exit code 78 from a running worker stops the pool with 78")
    c.assert_all_gone(workers, "the workers")

    # Failing to start for another reason: respawned with back-off, the pool stays.
    flaky = c.start(c.tcp_target(), "--workers", "1", "--fail-start")
    flaky.wait_log("respawning in 400 ms", 10)
    check(flaky.proc.poll() is None, "the master keeps running")
    check("cannot start: probe: --fail-start was given" in flaky.log(), "the worker names the problem")
    flaky.signal(signal.SIGTERM)
    check(flaky.wait_exit(10) == 0, "TERM: exit code 0")

    bad = c.start(c.tcp_target(), "--workers", "0", log_name="zero.log")
    check(bad.wait_exit(10) == 78, "workers = 0 is a configuration error")
    check("'workers' must be at least 1" in bad.log(), "... naming the key")


def usr1_reopens_logs(c):
    log_file = os.path.join(c.dir, "service.log")
    pool = c.start(c.tcp_target(), "--workers", "1", "--log", log_file)
    pool.wait_ready(1)
    check(c.request(pool.target, "/before").ok, "answers")
    wait_until(lambda: "for /before?" in open(log_file).read(), 5, "the request in the log file")
    os.rename(log_file, log_file + ".1")
    pool.signal(signal.SIGUSR1)
    wait_until(lambda: os.path.exists(log_file) and "log reopened" in open(log_file).read(), 5,
               "the master's line in the new log file")
    counter = iter(range(1000))

    def worker_logs_to_new_file():
        path = f"/after{next(counter)}"
        c.request(pool.target, path)
        return f"for {path}?" in open(log_file).read()

    wait_until(worker_logs_to_new_file, 5, "the worker's lines in the new log file")
    check("for /before?" not in open(log_file).read(), "the new file starts fresh")
    check("for /before?" in open(log_file + ".1").read(), "the rotated file keeps the old lines")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")


def hup_replaces_workers(c):
    pool = c.start(c.tcp_target(), "--workers", "2", "--reload-workers", "3")
    pool.wait_ready(2)
    old = pool.workers()
    during = c.background(lambda: c.request(pool.target, "/during", "sleep=1.5"))
    pool.wait_log("for /during?sleep=1.5")
    pool.signal(signal.SIGHUP)
    wait_until(lambda: len(pool.workers()) == 3 and not (pool.workers() & old), 15,
               f"3 new workers replacing {sorted(old)}")
    answer = during.result(timeout=15)
    check(answer.ok and answer.path == "/during", f"the request in flight across the reload completed: {answer}")
    after = c.request(pool.target, "/after")
    check(after.ok and after.pid in pool.workers(), f"a new-generation worker answers: {after}")
    check("replacing workers gracefully (generation 1, 3 workers)" in pool.log(), "the master logged the reload")
    c.assert_all_gone(old, "the old generation")
    pool.signal(signal.SIGTERM)
    check(pool.wait_exit(10) == 0, "TERM: exit code 0")


CASES = {f.__name__: f for f in [
    workers_answer_in_parallel,
    killed_worker_is_respawned,
    max_requests_recycles_worker,
    request_timeout_kills_stuck_worker,
    tcp_listen_addresses,
    term_stops_every_process,
    quit_lets_inflight_request_finish,
    unix_socket,
    inherit_systemd_listen_fds,
    inherit_fd0,
    config_error_stops_pool,
    usr1_reopens_logs,
    hup_replaces_workers,
]}


def exec_inherited(kind, host, port, command):
    """Helper mode: bind HOST:PORT and exec COMMAND with the socket as systemd
    (fd 3, LISTEN_FDS=1, LISTEN_PID = this pid, which exec keeps) or as
    mod_fcgid / spawn-fcgi (fd 0) pass it."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(64)
    target = 3 if kind == "systemd" else 0
    if listener.fileno() != target:
        os.dup2(listener.fileno(), target)
    os.set_inheritable(target, True)
    environment = dict(os.environ)
    if kind == "systemd":
        environment.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
    os.execve(command[0], command, environment)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--exec-inherited":
        kind, host, port, dashes, *command = sys.argv[2:]
        assert dashes == "--"
        exec_inherited(kind, host, port, command)
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe", required=True)
    parser.add_argument("--cgi-fcgi", default="cgi-fcgi")
    parser.add_argument("case", nargs="+", choices=sorted(CASES) + ["all"])
    args = parser.parse_args()
    names = sorted(CASES) if "all" in args.case else args.case
    # CTest's timeout and ^C: clean up like a failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    # Workers whose master died are re-parented to us, so cleanup can reap them.
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    failed = []
    for name in names:
        case = Case(os.path.abspath(args.probe), args.cgi_fcgi)
        started = time.monotonic()
        try:
            CASES[name](case)
            print(f"PASS {name} ({time.monotonic() - started:.1f} s)")
        except BaseException as e:
            failed.append(name)
            print(f"FAIL {name}: {e}", file=sys.stderr)
            if not isinstance(e, Failure):
                traceback.print_exc()
            case.dump_logs()
            if not isinstance(e, Exception):
                raise  # SystemExit, KeyboardInterrupt: after cleanup below
        finally:
            case.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
