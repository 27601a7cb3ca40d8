#!/usr/bin/python3
"""Every error of DESIGN.md §3/§4/§7 through nginx and Apache: status,
application/json, and the exact message; never a 500 on bad input; 503
while the database is unreachable."""

import harness

FEED = "/export/video/all.ics"
KNOWN = "known services: all, evo, mcu, recording, vidyo, webcast"
LIMIT = "'limit' must be a non-negative integer"
OFFSET = "'offset' must be a non-negative integer"
ALARMS = "'alarms' must be a whole number of minutes from 0 to 40320"


class PathErrors(harness.TestCase):
    def test_malformed_paths_are_not_found(self):
        paths = ["/export/video/vidyo--evo.ics", "/export/video/-vidyo.ics", "/export/video/vidyo-.ics",
                 "/export/video/.ics", "/export/video/vidyo", "/export/video/vi%C3%A9yo.ics",
                 "/export/video/vidyo.ics/x", "/export/video/", "/export/video/a%20b.ics"]
        for server in self.servers():
            for path in paths:
                with self.subTest(server=server, path=path):
                    r = self.get(server, "main", path, key=self.env.demo)
                    self.assertError(r, 404)

    def test_other_types_are_unsupported(self):
        for server in self.servers():
            for type_ in ("xml", "ICS", "Json", "ical"):
                with self.subTest(server=server, type=type_):
                    r = self.get(server, "main", f"/export/video/vidyo.{type_}", key=self.env.demo)
                    self.assertError(r, 404, f"Unsupported format '{type_}'; this export serves ics and json")

    def test_unknown_services_name_the_first_unknown_slug(self):
        cases = [("nosuch", "nosuch"), ("vidyo-nosuch-other", "nosuch"), ("Vidyo", "Vidyo"), ("all-x_y", "x_y")]
        for server in self.servers():
            for slugs, first in cases:
                with self.subTest(server=server, slugs=slugs):
                    r = self.get(server, "main", f"/export/video/{slugs}.ics", key=self.env.demo)
                    self.assertError(r, 400, f"Unknown video service '{first}'; {KNOWN}")


class MethodErrors(harness.TestCase):
    def test_other_methods_get_405_with_allow(self):
        for server in self.servers():
            for method in ("POST", "PUT", "DELETE", "PATCH"):
                with self.subTest(server=server, method=method):
                    target = harness.ENV.feed_target("main", FEED, key=self.env.demo)
                    r = harness.ENV.request(server, "main", target, method=method)
                    self.assertError(r, 405, "Method not allowed; use GET or HEAD")
                    self.assertEqual(r.header("Allow"), "GET, HEAD")


class ParameterErrors(harness.TestCase):
    CASES = [
        ({"alarms": "x"}, ALARMS),
        ({"alarms": "-1"}, ALARMS),
        ({"alarms": "40321"}, ALARMS),
        ({"alarms": "1.5"}, ALARMS),
        ({"alarms": "+5"}, ALARMS),
        ({"alarms": ""}, ALARMS),
        ({"tz": "Mars/Olympus"}, "Bad timezone: 'Mars/Olympus'"),
        ({"from": "bogus"}, "Impossible to parse 'bogus'"),
        ({"f": "+"}, "Impossible to parse '+'"),
        ({"from": "2026-01-01T24:00"}, "Invalid time!"),
        ({"from": "2026-01-01T10:60"}, "Invalid time!"),
        ({"to": "-1d"}, "End date cannot be a negative offset"),
        ({"t": "-70000"}, "End date cannot be a negative offset"),
        ({"day": "today", "from": "today"}, "'day' can only be used without 'from' and 'to'"),
        ({"day": "2026-06-01", "t": "tomorrow"}, "'day' can only be used without 'from' and 'to'"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "'from' must not be after 'to'"),
        ({"limit": "-1"}, LIMIT),
        ({"limit": "x"}, LIMIT),
        ({"n": "1e3"}, LIMIT),
        ({"offset": "-1"}, OFFSET),
        ({"O": "x"}, OFFSET),
        ({"limit": "100001"},
         "You can only request up to 100000 records per request with the detail level 'all'"),
        ({"order": "nope"}, "Invalid order: 'nope'"),
        ({"o": "Start"}, "Invalid order: 'Start'"),
        ({"categ": "x"}, "'categ' must be a category id"),
        ({"detail": "basic"}, "Invalid detail level: basic"),
        ({"d": "ALL"}, "Invalid detail level: ALL"),
    ]

    def test_each_bad_parameter_has_its_message(self):
        for server in self.servers():
            for params, message in self.CASES:
                with self.subTest(server=server, params=params):
                    r = self.get(server, "main", FEED, params, key=self.env.demo)
                    self.assertError(r, 400, message)

    def test_the_json_type_reports_the_same_errors(self):
        for server in self.servers():
            for params, message in self.CASES[:3]:
                with self.subTest(server=server, params=params):
                    r = self.get(server, "main", "/export/video/all.json", params, key=self.env.demo)
                    self.assertError(r, 400, message)

    def test_limits_of_the_valid_ranges_are_accepted(self):
        for server in self.servers():
            for params in ({"alarms": "0"}, {"alarms": "40320"}, {"limit": "100000"}, {"limit": "0"},
                           {"from": "2026-01-01T23:59", "to": "2026-01-02"}, {"day": "-70000"},
                           {"categ": "999999"}, {"detail": "all"}, {"o": "title", "c": "yes"}):
                with self.subTest(server=server, params=params):
                    r = self.get(server, "main", FEED, params, key=self.env.demo)
                    self.assertEqual(r.status, 200, r)

    def test_a_malformed_query_string_is_refused_after_authentication(self):
        # Mode `key` (site prefixed): the key alone authenticates.
        token = self.env.demo.token
        for server in self.servers():
            for bad in ("x=%ZZ", "x=%FF", "x=%C3", "%E2%82=1", "x=%"):
                with self.subTest(server=server, query=bad):
                    r = harness.ENV.request(server, "prefixed", f"/indico{FEED}?ak={token}&{bad}")
                    self.assertError(r, 400, "Malformed query string")
                    r = harness.ENV.request(server, "prefixed", f"/indico{FEED}?{bad}")
                    self.assertError(r, 403, "Guest access to this resource is forbidden.")

    def test_no_input_makes_a_server_error(self):
        odd = [{"\x00": "\x00"}, {"from": "9999-12-31", "to": "9999-12-31T23:59"}, {"from": "0001-01-01"},
               {"alarms": "9" * 30}, {"limit": "9" * 30}, {"O": "9" * 30}, {"categ": "9" * 30},
               {"categ": "-1"}, {"tz": "../../../etc/passwd"}, {"tz": "x" * 3000}, {"from": "+999d99h99m"},
               {"from": "-999d"}, {"day": "+99999"}, {"q": "x" * 6000}, {"order": "title", "O": "100000"}]
        for server in self.servers():
            for params in odd:
                with self.subTest(server=server, params=str(params)[:80]):
                    r = self.get(server, "main", FEED, params, key=self.env.demo)
                    self.assertIn(r.status, (200, 400), r)


class DatabaseDown(harness.TestCase):
    def test_requests_get_503_while_the_database_is_unreachable(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "nodb", FEED, key=self.env.demo)
                self.assertError(r, 503)
                r = harness.ENV.request(server, "nodb", "/video-export/ping")
                self.assertEqual(r.status, 503, r)


if __name__ == "__main__":
    harness.main(sites=["main", "prefixed", "nodb"])
