#!/usr/bin/python3
"""HTTP behaviour through nginx and Apache (DESIGN.md §7): HEAD, headers,
strong ETags, If-None-Match and If-Modified-Since answered with 304, a
changed booking showing up after version_poll_ms with a new ETag, and the
status and ping paths."""

import time
from email.utils import format_datetime, parsedate_to_datetime
from datetime import timedelta

import feedcheck
import harness
from harness import MUTABLE_BOOKING, OTHER, VERSION_POLL_MS, psql, query_json

FEED = "/export/video/all.ics"


class Headers(harness.TestCase):
    def test_a_feed_has_its_headers(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", FEED, key=self.env.demo)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("Content-Type"), "text/calendar; charset=utf-8")
                self.assertIn("private", r.header("Cache-Control"))
                self.assertEqual(r.header("X-Export-Complete"), "true")
                etag = r.header("ETag")
                self.assertRegex(etag, r'^"[!#-~]+"$', "a strong, quoted ETag")
                parsedate_to_datetime(r.header("Last-Modified"))

    def test_last_modified_is_the_time_of_the_last_data_change(self):
        changed = query_json(self.env.db_dsn, "SELECT changed_at FROM video_export.data_version")[0]["changed_at"]
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", FEED, key=self.env.demo)
                lm = parsedate_to_datetime(r.header("Last-Modified"))
                # changed_at has microseconds; HTTP dates have whole seconds.
                self.assertEqual(lm.strftime("%Y-%m-%dT%H:%M:%S"), changed[:19], r.header("Last-Modified"))

    def test_head_answers_like_get_without_a_body(self):
        for server in self.servers():
            with self.subTest(server=server):
                target = harness.ENV.feed_target("main", FEED, {"alarms": "15"}, self.env.demo)
                get = harness.ENV.request(server, "main", target)
                head = harness.ENV.request(server, "main", target, method="HEAD")
                self.assertEqual((head.status, head.body), (200, b""))
                for name in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "X-Export-Complete"):
                    self.assertEqual(head.header(name), get.header(name), name)
                if head.header("Content-Length") is not None:
                    self.assertEqual(int(head.header("Content-Length")), len(get.body))

    def test_json_is_application_json(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", "/export/video/vidyo.json", key=self.env.demo)
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.header("Content-Type").startswith("application/json"))
                self.assertIn("private", r.header("Cache-Control"))
                self.assertRegex(r.header("ETag"), r'^"[!#-~]+"$')


class ETags(harness.TestCase):
    def etag(self, server, path=FEED, params=None, key=None, **kw):
        r = self.get(server, "main", path, params, key=key or self.env.demo, **kw)
        self.assertEqual(r.status, 200, r)
        return r.header("ETag")

    def test_persistent_and_timestamped_links_of_one_query_share_the_etag(self):
        for server in self.servers():
            with self.subTest(server=server):
                a = self.etag(server, params={"alarms": "10"})
                b = self.etag(server, params={"alarms": "10"}, persistent=True)
                c = self.etag(server, params={"alarms": "10", "nc": "yes"})
                self.assertEqual(a, b)
                self.assertEqual(a, c)

    def test_the_etag_depends_on_the_user_and_the_query(self):
        for server in self.servers():
            with self.subTest(server=server):
                base = self.etag(server)
                self.assertNotEqual(base, self.etag(server, key=OTHER))
                self.assertNotEqual(base, self.etag(server, params={"alarms": "10"}))
                self.assertNotEqual(base, self.etag(server, path="/export/video/all.json"))
                self.assertNotEqual(base, self.etag(server, path="/export/video/vidyo.ics"))


class Conditional(harness.TestCase):
    def first(self, server, params=None):
        target = harness.ENV.feed_target("main", FEED, params, self.env.demo)
        r = harness.ENV.request(server, "main", target)
        self.assertEqual(r.status, 200, r)
        return target, r

    def assertNotModified(self, r, etag):
        self.assertEqual((r.status, r.body), (304, b""), r)
        self.assertEqual(r.header("ETag"), etag)

    def test_if_none_match_with_the_etag_gives_304(self):
        for server in self.servers():
            with self.subTest(server=server):
                target, r = self.first(server)
                etag = r.header("ETag")
                self.assertNotModified(harness.ENV.request(server, "main", target, headers={"If-None-Match": etag}),
                                       etag)
                # A freshly signed URL of the same query: same ETag.
                fresh = harness.ENV.feed_target("main", FEED, None, self.env.demo, persistent=True)
                self.assertNotModified(harness.ENV.request(server, "main", fresh, headers={"If-None-Match": etag}),
                                       etag)
                # HEAD too.
                r = harness.ENV.request(server, "main", target, method="HEAD", headers={"If-None-Match": etag})
                self.assertNotModified(r, etag)

    def test_if_none_match_lists_and_weak_forms_use_weak_comparison(self):
        # RFC 9110 §13.1.2: If-None-Match compares weakly, so W/"x" matches "x".
        for server in self.servers():
            with self.subTest(server=server):
                target, r = self.first(server)
                etag = r.header("ETag")
                for header in (f'"nope", {etag}', f"W/{etag}"):
                    with self.subTest(server=server, header=header):
                        r = harness.ENV.request(server, "main", target, headers={"If-None-Match": header})
                        self.assertNotModified(r, etag)

    def test_another_etag_gives_the_feed(self):
        for server in self.servers():
            with self.subTest(server=server):
                target, first = self.first(server)
                r = harness.ENV.request(server, "main", target, headers={"If-None-Match": '"something-else"'})
                self.assertEqual((r.status, r.body), (200, first.body))

    def test_if_modified_since_gives_304_when_nothing_changed_since(self):
        for server in self.servers():
            with self.subTest(server=server):
                target, r = self.first(server)
                lm = parsedate_to_datetime(r.header("Last-Modified"))
                for since in (r.header("Last-Modified"), format_datetime(lm + timedelta(hours=1), usegmt=True)):
                    with self.subTest(server=server, since=since):
                        r2 = harness.ENV.request(server, "main", target, headers={"If-Modified-Since": since})
                        self.assertEqual((r2.status, r2.body), (304, b""), r2)
                earlier = format_datetime(lm - timedelta(seconds=1), usegmt=True)
                r2 = harness.ENV.request(server, "main", target, headers={"If-Modified-Since": earlier})
                self.assertEqual(r2.status, 200, r2)

    def test_if_none_match_takes_precedence_over_if_modified_since(self):
        # RFC 9110 §13.2.2: with If-None-Match present, If-Modified-Since is ignored.
        for server in self.servers():
            with self.subTest(server=server):
                target, r = self.first(server)
                headers = {"If-None-Match": '"something-else"', "If-Modified-Since": r.header("Last-Modified")}
                self.assertEqual(harness.ENV.request(server, "main", target, headers=headers).status, 200)


class Revalidation(harness.TestCase):
    def test_a_changed_booking_appears_after_version_poll_ms_with_a_new_etag(self):
        for n, server in enumerate(self.servers()):
            with self.subTest(server=server):
                target = harness.ENV.feed_target("main", FEED, {"alarms": "30"}, self.env.demo, persistent=True)
                before = harness.ENV.request(server, "main", target)
                self.assertEqual(before.status, 200, before)
                etag, last_modified = before.header("ETag"), before.header("Last-Modified")
                # Polled again within the poll interval: unchanged.
                again = harness.ENV.request(server, "main", target, headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304, again)

                title = f"E2E renamed booking {n} ({server}); with, escapes\\"
                psql(self.env.db_dsn, f"UPDATE video_export.bookings SET title = $${title}$$ "
                                      f"WHERE id = {MUTABLE_BOOKING}")
                time.sleep(VERSION_POLL_MS / 1000 + 0.5)

                after = harness.ENV.request(server, "main", target, headers={"If-None-Match": etag,
                                                                              "If-Modified-Since": last_modified})
                self.assertEqual(after.status, 200, after)
                self.assertNotEqual(after.header("ETag"), etag)
                self.assertGreaterEqual(parsedate_to_datetime(after.header("Last-Modified")),
                                        parsedate_to_datetime(last_modified))
                row = query_json(self.env.db_dsn, f"SELECT sequence FROM video_export.bookings "
                                                  f"WHERE id = {MUTABLE_BOOKING}")[0]
                _, events = feedcheck.parse_python(after.body)
                mine = [e for e in events if f"csbook{MUTABLE_BOOKING}@" in e["UID"]]
                self.assertEqual(len(mine), 1)
                self.assertEqual(mine[0]["SUMMARY"], f"W-P: {title}")
                self.assertEqual(mine[0]["SEQUENCE"], row["sequence"])
                self.assertEqual(mine[0]["VALARM"]["DESCRIPTION"], f"W-P: {title}")
                # And the new ETag validates.
                r = harness.ENV.request(server, "main", target, headers={"If-None-Match": after.header("ETag")})
                self.assertEqual(r.status, 304, r)


class StatusAndPing(harness.TestCase):
    def test_ping_answers_pong(self):
        for server in self.servers():
            for site in ("main", "prefixed"):
                with self.subTest(server=server, site=site):
                    r = harness.ENV.request(server, site, "/video-export/ping")
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.body.strip(), b"pong")

    def test_status_is_prometheus_text(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = harness.ENV.request(server, "main", "/video-export/status")
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.header("Content-Type").startswith("text/plain"), r.header("Content-Type"))
                text = r.body.decode()
                self.assertRegex(text, r"(?m)^# TYPE \S+ (counter|gauge|histogram)$")
                self.assertRegex(text, r"(?m)^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [0-9.eE+-]+$")

    def test_status_and_ping_are_loopback_only(self):
        for server in self.servers():
            for path in ("/video-export/status", "/video-export/ping"):
                with self.subTest(server=server, path=path):
                    self.assertEqual(harness.ENV.request(server, "main", path, source="127.0.0.2").status, 403)

    def test_status_and_ping_are_not_below_the_mount_prefix(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = harness.ENV.request(server, "prefixed", "/indico/video-export/ping")
                self.assertEqual(r.status, 404, r)


if __name__ == "__main__":
    harness.main(sites=["main", "prefixed"])
