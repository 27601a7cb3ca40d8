#!/usr/bin/python3
"""Authentication through nginx and Apache (DESIGN.md §4): the five security
modes, keys in every state, signatures from three independent signers
(`video-export sign`, Indico's Python client, Indico's PHP client), the
timestamp window, HTTPS required, and the order of checks."""

import subprocess
import time

import harness
from harness import (BLOCKED_KEY, BLOCKED_USER, DELETED_USER, INACTIVE_KEY, NO_PERSISTENT, OTHER, REPO,
                     UNKNOWN_KEY)

GUEST = "Guest access to this resource is forbidden."
MISSING = "API key is missing"
FEED = "/export/video/all.ics"
SITES = ["main", "prefixed", "onlykey", "signed", "all_signed", "https"]


class SecurityModes(harness.TestCase):
    # DESIGN.md §4's table: mode -> (no key, key without signature, key + signature).
    TABLE = {
        "prefixed": ("key", (403, GUEST), (200, None), (200, None)),
        "onlykey": ("onlykey", (403, MISSING), (200, None), (200, None)),
        "signed": ("signed", (403, GUEST), (403, GUEST), (200, None)),
        "main": ("onlykey_signed", (403, MISSING), (403, GUEST), (200, None)),
        "all_signed": ("all_signed", (403, MISSING), (403, "Signature missing"), (200, None)),
    }

    def check(self, r, expected):
        status, message = expected
        if status == 200:
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.body.startswith(b"BEGIN:VCALENDAR\r\n"), r)
        else:
            self.assertError(r, status, message)

    def test_each_mode_answers_as_the_table_says(self):
        for server in self.servers():
            for site, (mode, no_key, key_only, signed) in self.TABLE.items():
                with self.subTest(server=server, mode=mode, request="no key"):
                    self.check(self.get(server, site, FEED), no_key)
                with self.subTest(server=server, mode=mode, request="key without signature"):
                    self.check(self.get(server, site, FEED, key=self.env.demo, sign=False), key_only)
                with self.subTest(server=server, mode=mode, request="key + signature"):
                    self.check(self.get(server, site, FEED, key=self.env.demo), signed)
                with self.subTest(server=server, mode=mode, request="key + persistent signature"):
                    self.check(self.get(server, site, FEED, key=self.env.demo, persistent=True), signed)

    def test_a_bad_signature_is_refused_in_every_mode(self):
        for server in self.servers():
            for site in self.TABLE:
                with self.subTest(server=server, site=site):
                    r = self.get(server, site, FEED, key=self.env.demo, secret=OTHER.secret)
                    self.assertError(r, 403, "Signature invalid")

    def test_the_apikey_and_ak_names_both_carry_the_key(self):
        for server in self.servers():
            for name in ("ak", "apikey"):
                with self.subTest(server=server, name=name):
                    r = self.get(server, "main", FEED, key=self.env.demo, key_param=name)
                    self.assertEqual(r.status, 200, r)
                    r = self.get(server, "onlykey", FEED, key=self.env.demo, sign=False, key_param=name)
                    self.assertEqual(r.status, 200, r)


class Keys(harness.TestCase):
    def test_keys_in_every_state(self):
        cases = [
            (UNKNOWN_KEY, 403, "Invalid API key"),
            (INACTIVE_KEY, 403, "Invalid API key"),
            (BLOCKED_USER, 403, "Invalid API key"),
            (DELETED_USER, 403, "Invalid API key"),
            (BLOCKED_KEY, 403, "API key is blocked"),
        ]
        for server in self.servers():
            for key, status, message in cases:
                with self.subTest(server=server, key=key.label):
                    self.assertError(self.get(server, "main", FEED, key=key), status, message)
                    self.assertError(self.get(server, "onlykey", FEED, key=key, sign=False), status, message)

    def test_a_malformed_key_is_a_bad_request(self):
        for server in self.servers():
            for token in ("not-a-uuid", "5d0e9a43-13c1-4f4e-9d38", "g" * 32, ""):
                with self.subTest(server=server, token=token):
                    r = self.get(server, "onlykey", FEED, params={"ak": token})
                    self.assertError(r, 400 if token else 403, "Malformed API key" if token else MISSING)

    def test_a_key_may_be_written_in_upper_case_or_without_dashes(self):
        for server in self.servers():
            for spelling in (self.env.demo.token.upper(), self.env.demo.token.replace("-", "")):
                with self.subTest(server=server, spelling=spelling):
                    r = self.get(server, "main", FEED, key=self.env.demo, token=spelling)
                    self.assertEqual(r.status, 200, r)

    def test_persistent_links_need_a_key_that_allows_them(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "main", FEED, key=NO_PERSISTENT, persistent=True)
                self.assertError(r, 403, "Signature invalid (no timestamp)")
                r = self.get(server, "main", FEED, key=NO_PERSISTENT)
                self.assertEqual(r.status, 200, r)


class Timestamps(harness.TestCase):
    def test_the_timestamp_window_is_signature_ttl(self):
        now = int(time.time())
        cases = [(now - 590, 200), (now + 590, 200), (now - 700, 403), (now + 700, 403)]
        for server in self.servers():
            for ts, status in cases:
                with self.subTest(server=server, offset=ts - now):
                    r = self.get(server, "main", FEED, key=self.env.demo, timestamp=ts)
                    if status == 200:
                        self.assertEqual(r.status, 200, r)
                    else:
                        self.assertError(r, 403, "Signature invalid (bad timestamp)")

    def test_a_timestamp_that_is_not_an_integer_is_refused(self):
        for server in self.servers():
            for ts in ("abc", "12.5", "1e9", "0x10"):
                with self.subTest(server=server, timestamp=ts):
                    r = self.get(server, "main", FEED, key=self.env.demo, timestamp=ts)
                    self.assertError(r, 403, "Signature invalid (bad timestamp)")


class Signers(harness.TestCase):
    """URLs made by Indico's documented clients and by `video-export sign`
    verify through both servers, with characters that encode differently."""

    PARAMS = ["alarms=20", "from=2025-06-01", "tz=Europe/Zurich", "o=title", "c=yes",
              "q=Zürich, 東京 & co ~ 100%", "Day=x"]

    def signed_paths(self, key, persistent):
        ts = "-" if persistent else str(int(time.time()))
        path = "/export/video/vidyo-evo-webcast.ics"
        args = [path, key.token, key.secret, ts, *self.PARAMS]
        run = lambda argv: subprocess.run(argv, check=True, stdout=subprocess.PIPE,  # noqa: E731
                                          timeout=60).stdout.decode().strip()
        sign = [str(self.env.binary), "sign", "--key", key.token, "--secret", key.secret]
        if persistent:
            sign.append("--persistent")
        return {
            "video-export sign": run([*sign, path, *self.PARAMS]),
            "Indico's Python client": run(["/usr/bin/python3", str(REPO / "tests/cli/indico_client.py"), *args]),
            "Indico's PHP client": run(["php", str(REPO / "tests/cli/indico_client.php"), *args]),
        }

    def test_every_signer_is_accepted_by_both_servers(self):
        for persistent in (False, True):
            signed = self.signed_paths(self.env.demo, persistent)
            bodies = set()
            for server in self.servers():
                for site in ("main", "prefixed", "all_signed"):
                    for signer, target in signed.items():
                        with self.subTest(server=server, site=site, signer=signer, persistent=persistent):
                            self.assertTrue(target.startswith("/export/video/"), target)
                            r = harness.ENV.request(server, site, harness.ENV.sites[site].mount_prefix + target)
                            self.assertEqual(r.status, 200, r)
                            bodies.add(r.body)
            # Same user, same query: the same feed, whoever signed it.
            self.assertEqual(len(bodies), 1)

    def test_the_signed_path_is_the_one_below_the_mount_prefix(self):
        for server in self.servers():
            with self.subTest(server=server):
                # Signed over "/indico/export/...": not what clients sign.
                q = harness.sign_query("/indico" + FEED, [], self.env.demo)
                r = harness.ENV.request(server, "prefixed", f"/indico{FEED}?{q}")
                self.assertError(r, 403, "Signature invalid")
                q = harness.sign_query(FEED, [], self.env.demo)
                r = harness.ENV.request(server, "prefixed", f"/indico{FEED}?{q}")
                self.assertEqual(r.status, 200, r)

    def test_an_upper_case_signature_verifies(self):
        for server in self.servers():
            with self.subTest(server=server):
                q = harness.sign_query(FEED, [("alarms", "10")], self.env.demo)
                head, _, sig = q.rpartition("signature=")
                r = harness.ENV.request(server, "main", f"{FEED}?{head}signature={sig.upper()}")
                self.assertEqual(r.status, 200, r)


class RequireHttps(harness.TestCase):
    def test_over_tls_the_feed_is_served(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = self.get(server, "https", FEED, key=self.env.demo, https=True)
                self.assertEqual(r.status, 200, r)

    def test_plain_http_is_refused_for_an_authenticated_request(self):
        for server in self.servers():
            with self.subTest(server=server):
                self.assertError(self.get(server, "https", FEED, key=self.env.demo), 403, "HTTPS is required")
                # No key: the usual answer, not the HTTPS one.
                self.assertError(self.get(server, "https", FEED), 403, MISSING)

    def test_x_forwarded_proto_counts_from_a_trusted_proxy_only(self):
        https = {"X-Forwarded-Proto": "https"}
        for server in self.servers():
            with self.subTest(server=server, client="127.0.0.1 (trusted)"):
                r = self.get(server, "https", FEED, key=self.env.demo, headers=https)
                self.assertEqual(r.status, 200, r)
            with self.subTest(server=server, client="127.0.0.1, X-Forwarded-Proto: http"):
                r = self.get(server, "https", FEED, key=self.env.demo, headers={"X-Forwarded-Proto": "http"})
                self.assertError(r, 403, "HTTPS is required")
            with self.subTest(server=server, client="127.0.0.2 (not trusted)"):
                r = self.get(server, "https", FEED, key=self.env.demo, headers=https, source="127.0.0.2")
                self.assertError(r, 403, "HTTPS is required")


class OrderOfChecks(harness.TestCase):
    """Path and type (404), method (405), authentication (400/403),
    parameters (400)."""

    def test_path_errors_come_before_authentication(self):
        for server in self.servers():
            for path in ("/export/video/vidyo--evo.ics", "/export/video/vidyo.xml", "/export/video/vid%20yo.ics"):
                with self.subTest(server=server, path=path):
                    self.assertError(harness.ENV.request(server, "main", path), 404)

    def test_the_method_comes_before_authentication(self):
        for server in self.servers():
            with self.subTest(server=server):
                r = harness.ENV.request(server, "main", FEED, method="POST")
                self.assertError(r, 405, "Method not allowed; use GET or HEAD")
                self.assertEqual(r.header("Allow"), "GET, HEAD")

    def test_authentication_comes_before_parameters(self):
        for server in self.servers():
            for params in ({"alarms": "x"}, {"order": "nope"}, {"tz": "Mars/Olympus"}):
                with self.subTest(server=server, params=params):
                    self.assertError(self.get(server, "main", FEED, params), 403, MISSING)
            with self.subTest(server=server, params="unknown service"):
                self.assertError(self.get(server, "main", "/export/video/nosuch.ics"), 403, MISSING)
            with self.subTest(server=server, params="bad signature and bad parameter"):
                r = self.get(server, "main", FEED, {"alarms": "x"}, key=self.env.demo, secret=OTHER.secret)
                self.assertError(r, 403, "Signature invalid")


if __name__ == "__main__":
    harness.main(sites=SITES)
