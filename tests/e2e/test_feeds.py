#!/usr/bin/python3
"""Feeds through nginx and Apache, read by python3-icalendar and by ical.js,
every value compared with what the database says (expected.py): visibility
for the demo user, another user and an admin, onlypublic, service subsets,
windows, categories, paging and order, alarms, the JSON type, the
max_records cap, a retired service, and the mount prefix."""


import feedcheck
import harness
from expected import Snapshot
from harness import INHERITING_BOOKING, MUTABLE_BOOKING, OTHER, PROTECTED_BOOKING

SITES = ["main", "prefixed", "capped"]
RETIRED_SQL = """
INSERT INTO video_export.video_services (slug, type, summary_prefix, has_accept_reject, is_retired)
    VALUES ('legacy', 'LegacyVC', 'L', false, true);
INSERT INTO video_export.bookings (id, event_id, service_type, status, title, start_dt, end_dt)
    VALUES (900009, 90002, 'LegacyVC', NULL, 'E2E retired service booking',
            '2026-06-12 09:00+00', '2026-06-12 10:00+00');
"""
SNAP = None


def snapshot():
    global SNAP
    if SNAP is None:
        SNAP = Snapshot(harness.ENV.db_dsn)
    return SNAP


class FeedTestCase(harness.TestCase):
    def assertEventsEqual(self, parser, events, expected):
        """Same UIDs in the same order, then each event property by property
        (one failure per event, naming the property)."""
        self.assertEqual([e["UID"] for e in events], [e["UID"] for e in expected], f"{parser}: UIDs in order")
        for got, want in zip(events, expected):
            diff = {k: (want.get(k), got.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
            self.assertEqual(diff, {}, f"{parser}: {want['UID']}: property: (expected, got)")

    def check_feed(self, response, rows, slugs, alarms=None):
        """A 200 iCalendar response: headers, framing, and both parsers'
        readings against the database rows."""
        snap = snapshot()
        self.assertEqual(response.status, 200, response)
        self.assertEqual(response.header("Content-Type"), "text/calendar; charset=utf-8")
        self.assertEqual(response.header("X-Export-Complete"), "true")
        self.assertIn("private", response.header("Cache-Control") or "")
        self.assertEqual(feedcheck.framing_problems(response.body), [])
        expected = [snap.ics_values(b, alarms) for b in rows]
        name = snap.calendar_name(slugs)
        for parser, parse in (("python3-icalendar", feedcheck.parse_python), ("ical.js", feedcheck.parse_icaljs)):
            calendar, events = parse(response.body)
            self.assertEqual(calendar["VERSION"], "2.0", parser)
            self.assertEqual(calendar["METHOD"], "PUBLISH", parser)
            self.assertEqual(calendar["CALSCALE"], "GREGORIAN", parser)
            self.assertEqual(calendar["PRODID"], "-//Indico//Video Export//EN", parser)
            self.assertEqual(calendar["NAME"], name, parser)
            self.assertEqual(calendar["X-WR-CALNAME"], name, parser)
            self.assertEqual(calendar["REFRESH-INTERVAL"], "PT1H", parser)
            self.assertEqual(calendar["X-PUBLISHED-TTL"], "PT1H", parser)
            self.assertEventsEqual(parser, events, expected)

    def feed(self, server, slugs, key, params=None, site="main"):
        return self.get(server, site, f"/export/video/{'-'.join(slugs)}.ics", params, key=key)


class Visibility(FeedTestCase):
    def test_the_demo_user_sees_what_the_acls_allow(self):
        rows = snapshot().expected(1, ["all"])
        ids = {b["id"] for b in rows}
        self.assertTrue({PROTECTED_BOOKING, INHERITING_BOOKING, MUTABLE_BOOKING} <= ids)
        for server in self.servers():
            with self.subTest(server=server):
                self.check_feed(self.feed(server, ["all"], self.env.demo, {"alarms": "20"}), rows, ["all"], 20)

    def test_protected_events_are_invisible_to_other_users(self):
        rows = snapshot().expected(OTHER.user_id, ["all"])
        ids = {b["id"] for b in rows}
        self.assertNotIn(PROTECTED_BOOKING, ids)
        self.assertNotIn(INHERITING_BOOKING, ids)
        self.assertIn(MUTABLE_BOOKING, ids)
        self.assertLess(len(rows), len(snapshot().expected(1, ["all"])) + 10)
        for server in self.servers():
            with self.subTest(server=server):
                r = self.feed(server, ["all"], OTHER)
                self.check_feed(r, rows, ["all"])
                self.assertNotIn(b"E2E secret booking", r.body)
                self.assertNotIn(b"E2E inheriting event", r.body)

    def test_an_admin_sees_every_booking_that_is_exported(self):
        rows = snapshot().expected(2, ["vidyo", "evo", "mcu"])
        for server in self.servers():
            with self.subTest(server=server):
                self.check_feed(self.feed(server, ["vidyo", "evo", "mcu"], self.env.admin), rows,
                                ["vidyo", "evo", "mcu"])

    def test_onlypublic_filters_even_an_admins_feed(self):
        for key, user in ((self.env.demo, 1), (self.env.admin, 2)):
            rows = snapshot().expected(user, ["all"], onlypublic=True)
            self.assertNotIn(PROTECTED_BOOKING, {b["id"] for b in rows})
            for server in self.servers():
                for name in ("onlypublic", "op"):
                    with self.subTest(server=server, user=key.label, param=name):
                        self.check_feed(self.feed(server, ["all"], key, {name: "yes"}), rows, ["all"])


class Selection(FeedTestCase):
    def test_service_subsets_name_the_calendar_in_url_order(self):
        for slugs in (["webcast", "recording", "webcast"], ["mcu"], ["recording", "vidyo", "all"]):
            rows = snapshot().expected(1, slugs)
            for server in self.servers():
                with self.subTest(server=server, slugs=slugs):
                    self.check_feed(self.feed(server, slugs, self.env.demo), rows, slugs)

    def test_a_window_selects_the_bookings_that_overlap_it(self):
        window = ("2026-06-01T00:00:00Z", "2026-06-30T23:59:59Z")
        rows = snapshot().expected(1, ["all"], window=window)
        self.assertTrue(0 < len(rows) < len(snapshot().expected(1, ["all"])))
        for server in self.servers():
            for params in ({"from": "2026-06-01", "to": "2026-06-30"}, {"f": "2026-06-01", "t": "2026-06-30"},
                           {"from": "2026-06-01T00:00", "to": "2026-06-30", "tz": "UTC"}):
                with self.subTest(server=server, params=params):
                    self.check_feed(self.feed(server, ["all"], self.env.demo, params), rows, ["all"])

    def test_a_day_in_another_time_zone(self):
        # 2026-06-12 in Zurich (CEST, UTC+2) is 2026-06-11T22:00Z to 2026-06-12T21:59:59Z.
        rows = snapshot().expected(1, ["all"], window=("2026-06-11T22:00:00Z", "2026-06-12T21:59:59Z"))
        self.assertIn(MUTABLE_BOOKING, {b["id"] for b in rows})
        for server in self.servers():
            with self.subTest(server=server):
                self.check_feed(self.feed(server, ["all"], self.env.demo, {"day": "2026-06-12",
                                                                          "tz": "Europe/Zurich"}), rows, ["all"])

    def test_a_category_selects_its_subtree(self):
        snap = snapshot()
        # The category with the most exported bookings for the demo user, below the root.
        counts = {}
        for b in snap.expected(1, ["all"]):
            c = snap.events[b["event_id"]]["category_id"]
            while c is not None and c != 1:
                counts[c] = counts.get(c, 0) + 1
                c = snap.categories[c]["parent_id"]
        categ = max(counts, key=lambda c: (counts[c], -c))
        rows = snap.expected(1, ["all"], categ=categ)
        self.assertEqual(len(rows), counts[categ])
        for server in self.servers():
            with self.subTest(server=server, categ=categ):
                self.check_feed(self.feed(server, ["all"], self.env.demo, {"categ": str(categ)}), rows, ["all"])
                r = self.feed(server, ["all"], self.env.demo, {"categ": "999999"})
                self.check_feed(r, [], ["all"])

    def test_order_limit_and_offset(self):
        snap = snapshot()
        rows = snap.expected(1, ["all"])
        by = {
            "start": rows,  # the default
            "id": sorted(rows, key=lambda b: b["id"]),
            "end": sorted(rows, key=lambda b: (b["export_end_dt_iso"], b["id"])),
            "title": sorted(rows, key=lambda b: (snap.title(b), b["id"])),
        }
        for server in self.servers():
            for order, ordered in by.items():
                with self.subTest(server=server, order=order):
                    self.check_feed(self.feed(server, ["all"], self.env.demo, {"order": order}), ordered, ["all"])
                with self.subTest(server=server, order=order, descending=True, limit=7, offset=5):
                    r = self.feed(server, ["all"], self.env.demo, {"o": order, "c": "yes", "n": "7", "O": "5"})
                    self.check_feed(r, list(reversed(ordered))[5:12], ["all"])


class Types(FeedTestCase):
    def test_json_has_the_same_records_in_indicos_envelope(self):
        snap = snapshot()
        rows = snap.expected(1, ["all"])
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", "/export/video/all.json", key=self.env.demo)
                self.assertEqual(r.status, 200, r)
                self.assertTrue(r.header("Content-Type").startswith("application/json"), r.header("Content-Type"))
                body = r.json()
                self.assertEqual(body["count"], len(rows))
                self.assertIs(body["complete"], True)
                self.assertIsInstance(body["ts"], int)
                self.assertNotIn(self.env.demo.token, body["url"])
                self.assertNotIn("signature", body["url"])
                self.assertEqual(body["results"], [snap.json_values(b) for b in rows])

    def test_a_retired_service_answers_with_no_bookings(self):
        snap = snapshot()
        self.assertNotIn(900009, {b["id"] for b in snap.expected(2, ["all"])})
        for server in self.servers():
            with self.subTest(server=server, slugs="legacy"):
                self.check_feed(self.feed(server, ["legacy"], self.env.admin), [], ["legacy"])
            with self.subTest(server=server, slugs="vidyo-legacy"):
                self.check_feed(self.feed(server, ["vidyo", "legacy"], self.env.admin), snap.expected(2, ["vidyo"]),
                                ["vidyo", "legacy"])


class Cap(FeedTestCase):
    def test_max_records_cuts_and_says_so(self):
        rows = snapshot().expected(1, ["all"])
        self.assertGreater(len(rows), 50)
        for server in self.servers():
            with self.subTest(server=server, type="ics"):
                r = self.feed(server, ["all"], self.env.demo, site="capped")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("X-Export-Complete"), "false")
                _, events = feedcheck.parse_python(r.body)
                self.assertEqual([e["UID"] for e in events], [snapshot().uid(b) for b in rows[:50]])
            with self.subTest(server=server, type="json"):
                r = self.get(server, "capped", "/export/video/all.json", key=self.env.demo)
                body = r.json()
                self.assertEqual((body["count"], body["complete"]), (50, False))
            with self.subTest(server=server, limit=10):
                r = self.feed(server, ["all"], self.env.demo, {"limit": "10"}, site="capped")
                self.assertEqual(r.header("X-Export-Complete"), "true")
            with self.subTest(server=server, limit=51):
                r = self.feed(server, ["all"], self.env.demo, {"limit": "51"}, site="capped")
                self.assertError(r, 400, "You can only request up to 50 records per request with the detail "
                                         "level 'all'")


class MountPrefix(FeedTestCase):
    def test_a_mounted_site_serves_the_same_bytes(self):
        rows = snapshot().expected(1, ["vidyo", "webcast"])
        for server in self.servers():
            with self.subTest(server=server):
                mounted = self.feed(server, ["vidyo", "webcast"], self.env.demo, {"alarms": "5"}, site="prefixed")
                self.check_feed(mounted, rows, ["vidyo", "webcast"], 5)
                plain = self.feed(server, ["vidyo", "webcast"], self.env.demo, {"alarms": "5"})
                # (ETags may differ: each site's configuration is part of it.)
                self.assertEqual(mounted.body, plain.body)

    def test_percent_encoded_paths_reach_the_same_feed(self):
        for server in self.servers():
            with self.subTest(server=server):
                q = harness.sign_query("/export/video/vidyo.ics", [], self.env.demo)
                a = harness.ENV.request(server, "main", f"/export/video/vidyo.ics?{q}")
                b = harness.ENV.request(server, "main", f"/export/video/vid%79o.ics?{q}")
                c = harness.ENV.request(server, "prefixed", f"/indico/export/video/vid%79o.ics?{q}")
                self.assertEqual(a.status, 200, a)
                self.assertEqual((b.status, b.body), (200, a.body))
                self.assertEqual((c.status, c.body), (200, a.body))


if __name__ == "__main__":
    harness.main(sites=SITES, extra_sql=RETIRED_SQL)
