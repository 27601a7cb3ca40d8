#!/usr/bin/python3
"""A 100 000-booking export through nginx and Apache (DESIGN.md §5: "large
feeds are streamed row by row so memory per worker stays flat"). While the
feed streams, the VmRSS of every worker (the children of the serve master)
is sampled from /proc; the growth over the idle RSS must stay below a bound
far under the feed's size, so a worker that buffers the feed or the query
result fails. The feed must be complete, in order, and well framed."""

import re
import threading
import time

import feedcheck
import harness
from harness import SiteSpec, query_json
from processes import vm_rss_kib

BOOKINGS = 100_000
EVENTS = 20_000
MIB = 1024 * 1024
BOUND = 64 * MIB   # and at most half the feed's size (below)
# The response cache may legitimately keep a feed: keep it small here, so the
# measurement is about streaming, not about the cache's budget.
SITE = SiteSpec("main", workers=2, top={"request_timeout_s": 300}, cache={"max_bytes": 4 * MIB})

class LargeFeed(harness.TestCase):
    def expected_uids(self):
        rows = query_json(self.env.db_dsn, """
            SELECT b.event_id, b.id FROM video_export.bookings b
              JOIN video_export.events e ON e.id = b.event_id
              JOIN video_export.video_services s ON s.type = b.service_type
             WHERE NOT b.is_deleted AND NOT e.is_deleted AND b.status IS DISTINCT FROM 'rejected'
               AND NOT s.is_retired
             ORDER BY b.export_start_dt, b.id""")
        return [f"indico-collaboration-a{r['event_id']}csbook{r['id']}@indico".encode() for r in rows]

    def test_a_100k_booking_feed_streams_with_flat_worker_memory(self):
        service = self.env.services["main"]
        expected = self.expected_uids()
        self.assertGreater(len(expected), 90_000)
        target = harness.ENV.feed_target("main", "/export/video/all.ics", None, self.env.admin, persistent=True)
        for server in self.servers():
            with self.subTest(server=server):
                workers = service.workers()
                self.assertEqual(len(workers), 2, workers)
                idle = {pid: vm_rss_kib(pid) for pid in workers}
                peak = dict(idle)
                result = {}

                def fetch():
                    try:
                        result["response"] = harness.ENV.request(server, "main", target, timeout=600)
                    except Exception as e:  # reported below
                        result["error"] = e

                started = time.monotonic()
                reader = threading.Thread(target=fetch)
                reader.start()
                while reader.is_alive():
                    for pid in workers:
                        rss = vm_rss_kib(pid)
                        if rss is not None and idle.get(pid) is not None:
                            peak[pid] = max(peak[pid], rss)
                    time.sleep(0.01)
                reader.join()
                seconds = time.monotonic() - started
                self.assertNotIn("error", result)
                r = result["response"]
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("X-Export-Complete"), "true")
                bound = min(BOUND, len(r.body) // 2)
                growth = {pid: (peak[pid] - idle[pid]) * 1024 for pid in workers if idle[pid] is not None}
                print(f"\n  {server}: {len(r.body) / MIB:.1f} MiB, {len(expected)} events in {seconds:.1f} s; "
                      f"worker RSS idle {[idle[p] // 1024 for p in workers]} MiB, growth "
                      f"{[round(g / MIB, 1) for g in growth.values()]} MiB (bound {bound / MIB:.0f} MiB)")
                for pid, g in growth.items():
                    self.assertLess(g, bound, f"worker {pid} grew by {g / MIB:.1f} MiB while streaming")
                self.assertTrue(r.body.endswith(b"END:VCALENDAR\r\n"))
                self.assertEqual(re.findall(rb"(?m)^UID:(.*)\r$", r.body), expected)
                self.assertEqual(feedcheck.framing_problems(r.body), [])


if __name__ == "__main__":
    harness.main(sites=[SITE], events=EVENTS, bookings=BOOKINGS)
