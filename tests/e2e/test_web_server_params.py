#!/usr/bin/python3
"""What nginx and Apache, configured from deploy/, hand the FastCGI
application: the contract fcgi/http_request.cpp reads. A FastCGI responder
that echoes its parameters (param_dump.cpp) stands in for the service, so
this runs without a database.

  nginx (fastcgi_params):  DOCUMENT_URI = SCRIPT_NAME = the decoded,
                           normalised path, mount prefix included
  Apache (mod_proxy_fcgi): SCRIPT_NAME = the same; no PATH_INFO, no DOCUMENT_URI
  both: QUERY_STRING raw (still percent-encoded), REQUEST_URI raw,
        HTTPS=on over TLS only, REMOTE_ADDR the client, HTTP_* the headers

Environment: VIDEO_EXPORT_PARAM_DUMP (the fcgi_param_dump binary; ctest
passes it; else it is compiled into the work directory with g++ -lfcgi).
"""

import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import unittest
from pathlib import Path

from processes import Child, free_port, wait_for_port
from webservers import SERVER_NAMES, Site, WebServers

HERE = Path(__file__).resolve().parent
STATE = {}


def dump_binary(workdir):
    env = os.environ.get("VIDEO_EXPORT_PARAM_DUMP")
    if env:
        return env
    out = Path(workdir) / "fcgi_param_dump"
    subprocess.run(["g++", "-std=c++20", "-O1", "-o", str(out), str(HERE / "param_dump.cpp"), "-lfcgi"], check=True,
                   timeout=300)
    return str(out)


def setUpModule():
    d = Path(tempfile.mkdtemp(prefix="video-export-e2e-params."))
    STATE["dir"] = d
    port = free_port()
    STATE["dump"] = Child("fcgi_param_dump", [dump_binary(d), f"127.0.0.1:{port}"], d / "dump.log")
    wait_for_port(port, child=STATE["dump"])
    sites = {"plain": Site("plain", port), "prefixed": Site("prefixed", port, "/indico", tls=True)}
    STATE["sites"] = sites
    web = WebServers(d, list(sites.values()))
    STATE["web"] = web
    web.start()
    STATE["ssl"] = ssl.create_default_context(cafile=str(web.cert))


def tearDownModule():
    if "web" in STATE:
        STATE["web"].stop()
    if "dump" in STATE:
        STATE["dump"].stop()
    if os.environ.get("E2E_KEEP") != "1":
        shutil.rmtree(STATE["dir"], ignore_errors=True)


def request(server, site, target, method="GET", headers=None, https=False, source=None):
    s = STATE["sites"][site]
    port = (s.https_port if https else s.http_port)[server]
    src = (source, 0) if source else None
    if https:
        c = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=STATE["ssl"], source_address=src)
    else:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=src)
    try:
        c.request(method, target, headers=headers or {})
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        c.close()


def params(server, site, target, **kw):
    status, headers, body = request(server, site, target, **kw)
    if status != 200:
        raise AssertionError(f"{server} {target}: status {status}: {body[:300]!r}")
    # param_dump writes bytes beyond ASCII as \u00XX: back to the exact bytes.
    return {k: v.encode("latin-1") for k, v in json.loads(body).items()}


class PathAndQuery(unittest.TestCase):
    # (request target, expected decoded path) — percent escapes, dot
    # segments, doubled slashes, '+' (literal in a path).
    CASES = [
        ("/export/video/vidyo-evo.ics?ak=x&q=%C3%BC+a%2Bb%26c&s=~%7E", b"/export/video/vidyo-evo.ics"),
        ("/export/video/vid%79o.ics?a=1", b"/export/video/vidyo.ics"),
        ("/export/video//x/../all.json?", b"/export/video/all.json"),
        ("/export/video/%C3%A9t%C3%A9+x.ics", "/export/video/été+x.ics".encode()),
        ("/export/video/a%3Fb.ics?x=%3F", b"/export/video/a?b.ics"),
    ]

    def check(self, server, site, prefix, https=False):
        for target, path in self.CASES:
            target = prefix + target
            with self.subTest(server=server, target=target, https=https):
                p = params(server, site, target, https=https)
                raw_path, _, raw_query = target.partition("?")
                self.assertEqual(p["SCRIPT_NAME"], prefix.encode() + path)
                if server == "nginx":
                    self.assertEqual(p["DOCUMENT_URI"], prefix.encode() + path)
                else:
                    self.assertNotIn("DOCUMENT_URI", p)
                    self.assertNotIn("PATH_INFO", p)
                self.assertEqual(p["QUERY_STRING"], raw_query.encode())
                self.assertEqual(p["REQUEST_URI"], target.encode())
                self.assertEqual(p["REQUEST_METHOD"], b"GET")
                self.assertEqual(p["REMOTE_ADDR"], b"127.0.0.1")
                if https:
                    self.assertEqual(p.get("HTTPS"), b"on")
                else:
                    self.assertNotIn("HTTPS", p)

    def test_the_path_arrives_decoded_and_the_query_raw(self):
        for server in SERVER_NAMES:
            self.check(server, "plain", "")

    def test_under_a_mount_prefix_the_prefix_stays_in_the_path(self):
        for server in SERVER_NAMES:
            self.check(server, "prefixed", "/indico")

    def test_https_is_on_only_over_tls(self):
        for server in SERVER_NAMES:
            self.check(server, "prefixed", "/indico", https=True)

    def test_an_encoded_slash_never_reaches_the_service_as_a_slash_in_a_slug(self):
        # nginx decodes %2F into the path (then the service's router sees
        # "x/y.ics": 404); Apache refuses it itself (AllowEncodedSlashes Off).
        for server in SERVER_NAMES:
            with self.subTest(server=server):
                status, _, body = request(server, "plain", "/export/video/x%2Fy.ics")
                if server == "nginx":
                    self.assertEqual(status, 200)
                    self.assertEqual(json.loads(body)["DOCUMENT_URI"], "/export/video/x/y.ics")
                else:
                    self.assertEqual(status, 404)


class Headers(unittest.TestCase):
    def test_conditional_and_forwarding_headers_arrive_as_http_params(self):
        headers = {"If-None-Match": '"v1-abc"', "If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT",
                   "X-Forwarded-Proto": "https"}
        for server in SERVER_NAMES:
            with self.subTest(server=server):
                p = params(server, "plain", "/export/video/all.ics", headers=headers)
                self.assertEqual(p["HTTP_IF_NONE_MATCH"], b'"v1-abc"')
                self.assertEqual(p["HTTP_IF_MODIFIED_SINCE"], b"Tue, 01 Dec 2026 10:00:00 GMT")
                self.assertEqual(p["HTTP_X_FORWARDED_PROTO"], b"https")
                # A client cannot set HTTPS itself through a header.
                self.assertNotIn("HTTPS", p)

    def test_remote_addr_is_the_client_address(self):
        for server in SERVER_NAMES:
            with self.subTest(server=server):
                p = params(server, "plain", "/export/video/all.ics", source="127.0.0.2")
                self.assertEqual(p["REMOTE_ADDR"], b"127.0.0.2")

    def test_every_method_reaches_the_service(self):
        for server in SERVER_NAMES:
            for method in ("HEAD", "POST", "PUT", "DELETE", "PATCH"):
                with self.subTest(server=server, method=method):
                    status, _, body = request(server, "plain", "/export/video/all.ics", method=method)
                    self.assertEqual(status, 200)
                    if method != "HEAD":
                        self.assertEqual(json.loads(body)["REQUEST_METHOD"], method)


class Answers(unittest.TestCase):
    def test_304_and_405_with_allow_pass_through(self):
        for server in SERVER_NAMES:
            with self.subTest(server=server):
                status, headers, body = request(server, "plain", "/export/video/x.ics?dump_status=304")
                self.assertEqual((status, body), (304, b""))
                status, headers, body = request(server, "plain", "/export/video/x.ics?dump_status=405",
                                                method="DELETE")
                self.assertEqual(status, 405)
                self.assertEqual(headers["Allow"], "GET, HEAD")
                self.assertTrue(headers["Content-Type"].startswith("application/json"))

    def test_error_bodies_of_the_service_are_not_replaced(self):
        for server in SERVER_NAMES:
            for code in (400, 403, 404, 503):
                with self.subTest(server=server, status=code):
                    status, headers, body = request(server, "plain", f"/export/video/x.ics?dump_status={code}")
                    self.assertEqual(status, code)
                    self.assertTrue(headers["Content-Type"].startswith("application/json"))
                    json.loads(body)


class StatusAndPing(unittest.TestCase):
    def test_status_and_ping_answer_loopback_and_sit_outside_the_mount_prefix(self):
        for server in SERVER_NAMES:
            for site in ("plain", "prefixed"):
                for path in ("/video-export/status", "/video-export/ping"):
                    with self.subTest(server=server, site=site, path=path):
                        p = params(server, site, path)
                        self.assertEqual(p["SCRIPT_NAME"], path.encode())

    def test_status_and_ping_refuse_other_addresses(self):
        # 127.0.0.2 is not 127.0.0.1: the shipped configs admit 127.0.0.1 and ::1 only.
        for server in SERVER_NAMES:
            for path in ("/video-export/status", "/video-export/ping"):
                with self.subTest(server=server, path=path):
                    status, _, _ = request(server, "plain", path, source="127.0.0.2")
                    self.assertEqual(status, 403)

    def test_only_the_exact_paths_are_forwarded(self):
        for server in SERVER_NAMES:
            for path in ("/video-export/statusx", "/video-export/ping/x", "/video-export/"):
                with self.subTest(server=server, path=path):
                    status, _, _ = request(server, "plain", path)
                    self.assertEqual(status, 404)


if __name__ == "__main__":
    # SIGALRM's default action ends the run; the servers follow (PDEATHSIG).
    signal.alarm(int(os.environ.get("E2E_TIMEOUT", "300")))
    unittest.main(verbosity=2)
