#!/usr/bin/python3
"""Key usage recording through nginx and Apache (DESIGN.md §4): every keyed
request answered 200 or 304 (GET or HEAD), and no other, counts; the last
one's address, API path (without the mount prefix) + canonical query without
signature and timestamp, and onlypublic flag are stored; batches are flushed
when the service stops gracefully (SIGQUIT)."""

import signal

import harness
from harness import NO_PERSISTENT, OTHER, query_json

FEED = "/export/video/all.ics"


def usage(key):
    rows = query_json(harness.ENV.db_dsn,
                      "SELECT use_count, host(last_used_ip) AS ip, last_used_uri AS uri, last_used_auth AS auth, "
                      f"last_used_dt IS NOT NULL AS has_dt FROM video_export.api_keys WHERE token = '{key.token}'")
    return rows[0]


class Usage(harness.TestCase):
    def test_usage_is_recorded_for_200_and_304_only_and_flushed_at_graceful_stop(self):
        env = self.env
        counted = {env.demo: 0, OTHER: 0, NO_PERSISTENT: 0}
        for server in self.servers():
            # Counted: GET 200, HEAD 200, GET 304, JSON 200.
            target = env.feed_target("main", FEED, {"alarms": "20"}, env.demo)
            r = env.request(server, "main", target)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(env.request(server, "main", target, method="HEAD").status, 200)
            r304 = env.request(server, "main", target, headers={"If-None-Match": r.header("ETag")})
            self.assertEqual(r304.status, 304, r304)
            self.assertEqual(self.get(server, "main", "/export/video/vidyo.json", key=env.demo).status, 200)
            counted[env.demo] += 4
            # Not counted: 400, 403 (bad signature), 405, 404.
            self.assertEqual(self.get(server, "main", FEED, {"alarms": "x"}, key=env.demo).status, 400)
            self.assertEqual(self.get(server, "main", FEED, key=env.demo, secret=OTHER.secret).status, 403)
            self.assertEqual(env.request(server, "main", target, method="POST").status, 405)
            self.assertEqual(self.get(server, "main", "/export/video/x.xml", key=env.demo).status, 404)
            # onlypublic: recorded as not authenticated.
            r = self.get(server, "main", "/export/video/vidyo-evo.ics", {"op": "yes", "from": "2026-06-01"}, key=OTHER)
            self.assertEqual(r.status, 200, r)
            counted[OTHER] += 1
            # Mounted under /indico, key without signature (mode `key`).
            r = self.get(server, "prefixed", "/export/video/webcast.json", {"tz": "Europe/Zurich"}, key=NO_PERSISTENT,
                         sign=False)
            self.assertEqual(r.status, 200, r)
            counted[NO_PERSISTENT] += 1
        # The last demo request was the JSON one, signed with timestamp and
        # apikey: the URI keeps apikey, drops timestamp and signature.
        for name in ("main", "prefixed"):
            self.assertEqual(env.services[name].stop(signal.SIGQUIT), 0, f"service {name}: exit status")

        demo = usage(env.demo)
        self.assertEqual(demo["use_count"], counted[env.demo])
        self.assertEqual(demo["ip"], "127.0.0.1")
        self.assertIs(demo["auth"], True)
        self.assertTrue(demo["has_dt"])
        self.assertEqual(demo["uri"], f"/export/video/vidyo.json?apikey={env.demo.token}")

        other = usage(OTHER)
        self.assertEqual(other["use_count"], counted[OTHER])
        self.assertIs(other["auth"], False)
        self.assertEqual(other["uri"], f"/export/video/vidyo-evo.ics?apikey={OTHER.token}&from=2026-06-01&op=yes")

        nopersist = usage(NO_PERSISTENT)
        self.assertEqual(nopersist["use_count"], counted[NO_PERSISTENT])
        self.assertIs(nopersist["auth"], True)
        self.assertEqual(nopersist["uri"], f"/export/video/webcast.json?ak={NO_PERSISTENT.token}&tz=Europe%2FZurich")

        for key in (harness.BLOCKED_KEY, harness.INACTIVE_KEY):
            self.assertEqual(usage(key)["use_count"], 0)


if __name__ == "__main__":
    harness.main(sites=["main", "prefixed"])
