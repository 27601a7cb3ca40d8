#!/usr/bin/python3
"""Operating the pool behind nginx and Apache (DESIGN.md §8): the socket
inherited under systemd socket activation (LISTEN_FDS, fd 3) and from a
process manager (fd 0, as spawn-fcgi and mod_fcgid hand it over); SIGHUP
reloads the configuration without a failed request; a killed worker is
replaced; SIGQUIT stops gracefully with status 0."""

import os
import signal
import threading
import time

import feedcheck
import harness
from harness import SiteSpec

SITES = [
    SiteSpec("main", workers=2),
    SiteSpec("activated", workers=2, launcher="systemd"),
    SiteSpec("spawned", workers=2, launcher="fd0"),
]
FEED = "/export/video/all.ics"


def running(pid):
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:].split()[0] not in (b"Z", b"X")


def wait_until(predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class Load:
    """Requests in a loop through both servers until stopped; remembers
    every answer that was not 200."""

    def __init__(self, test, site):
        self.test, self.site = test, site
        self.failures, self.count = [], 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        env = harness.ENV
        while not self.stop.is_set():
            for server in env.server_names:
                target = env.feed_target(self.site, FEED, {"nc": "yes"}, env.demo)
                try:
                    r = env.request(server, self.site, target, timeout=30)
                    ok = r.status == 200 and r.body.endswith(b"END:VCALENDAR\r\n")
                    if not ok:
                        self.failures.append(repr(r))
                except Exception as e:  # a reset or refused connection counts too
                    self.failures.append(f"{server}: {e!r}")
                self.count += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(60)


class ListenModes(harness.TestCase):
    def test_an_inherited_socket_serves_feeds(self):
        for site in ("activated", "spawned"):
            workers = harness.ENV.services[site].workers()
            self.assertEqual(len(workers), 2, f"{site}: workers {workers}")
            for server in self.servers():
                with self.subTest(server=server, site=site):
                    r = self.get(server, site, FEED, key=self.env.demo)
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(feedcheck.framing_problems(r.body), [])
                    ping = harness.ENV.request(server, site, "/video-export/ping")
                    self.assertEqual((ping.status, ping.body.strip()), (200, b"pong"))

    def test_quit_stops_gracefully_with_status_0(self):
        service = harness.ENV.services["spawned"]
        workers = service.workers()
        self.assertEqual(service.stop(signal.SIGQUIT), 0)
        for pid in workers:
            self.assertFalse(running(pid), f"worker {pid} still runs after the master stopped")


class Supervision(harness.TestCase):
    def test_sighup_reloads_the_configuration_without_a_failed_request(self):
        service = harness.ENV.services["main"]
        before = set(service.workers())
        service.spec.export["calendar_name"] = "Reloaded services"
        service.write_config()
        with Load(self, "main") as load:
            time.sleep(0.5)
            service.child.signal(signal.SIGHUP)
            replaced = wait_until(lambda: len(set(service.workers()) - before) >= 2, timeout=20)
            time.sleep(0.5)
        self.assertTrue(replaced, f"workers not replaced: before {before}, now {service.workers()}")
        self.assertEqual(load.failures, [], f"{len(load.failures)} of {load.count} requests failed during reload")
        self.assertGreater(load.count, 10)
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", FEED, key=self.env.demo)
                calendar, _ = feedcheck.parse_python(r.body)
                self.assertEqual(calendar["X-WR-CALNAME"], "Reloaded services: all services")

    def test_a_killed_worker_is_replaced(self):
        service = harness.ENV.services["main"]
        workers = service.workers()
        self.assertEqual(len(workers), 2)
        with Load(self, "main") as load:
            time.sleep(0.3)
            os.kill(workers[0], signal.SIGKILL)
            respawned = wait_until(lambda: len(service.workers()) == 2 and workers[0] not in service.workers(),
                                   timeout=10)
            time.sleep(0.3)
        self.assertTrue(respawned, f"no replacement for worker {workers[0]}: {service.workers()}")
        # A request in the killed worker's hands may fail; no other.
        self.assertLessEqual(len(load.failures), 1, load.failures)
        for server in self.servers():
            self.assertEqual(self.get(server, "main", FEED, key=self.env.demo).status, 200)


if __name__ == "__main__":
    harness.main(sites=SITES)
