"""The end-to-end environment: a real PostgreSQL, the real `video-export
serve`, real nginx and real Apache, talked to over HTTP like a calendar client.

A test file lists the sites it needs and ends with `harness.main(...)`:

    class FeedTest(harness.TestCase):
        def test_something(self):
            for server in self.servers():
                with self.subTest(server=server):
                    r = self.get(server, "main", "/export/video/all.ics", key=self.env.demo)
                    ...
    if __name__ == "__main__":
        harness.main(sites=["main"])

main() builds the environment once for the file, runs its tests, prints the
servers' logs if anything failed, and always tears everything down, also on
SIGTERM/SIGINT and when its own time limit (E2E_TIMEOUT, default 900 s)
expires:

1. PostgreSQL: the cluster of ctest's `pg` fixture (VIDEO_EXPORT_TEST_DSN_FILE),
   else a private one from tests/pg/cluster.sh; in it a fresh database for
   this run, dropped at the end.
2. `video-export db migrate`, then `db demo-data` with a fixed seed and
   anchor day, then fixtures.sql-like rows of our own (FIXTURE_SQL below):
   users and keys in every state, a protected event, a mutable booking.
3. One `video-export serve` per site (SITES), each on a free 127.0.0.1 port
   with its own config (security mode, mount prefix, require_https, ...).
4. nginx and Apache (webservers.py) with one port per site, configured from
   deploy/nginx and deploy/apache.

Environment: VIDEO_EXPORT_BIN (the binary; ctest passes it), E2E_KEEP=1
keeps the work directory, E2E_TIMEOUT (seconds).

Run a file by hand (as root, from anywhere):
    VIDEO_EXPORT_BIN=build/cli/video-export /usr/bin/python3 tests/e2e/test_feeds.py -v
"""

import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import unittest
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from processes import Child, children_of, free_port, wait_for_port
from webservers import SERVER_NAMES, Site, WebServers

REPO = Path(__file__).resolve().parents[2]
CLUSTER_SH = REPO / "tests/pg/cluster.sh"
PG_BINDIR = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
ANCHOR = "2026-06-01"    # demo data spread ±1 year around this day
SEED = 7
EVENT_URL_TEMPLATE = "https://indico.example.org/event/{event_id}/"
CALENDAR_NAME = "Video services"
VERSION_POLL_MS = 200


# ---------------------------------------------------------------------------
# Keys


@dataclass(frozen=True)
class Key:
    token: str
    secret: str
    user_id: int
    label: str


# Users and keys of our own, in every state §4 distinguishes. Fixed UUIDs so a
# failing test names the same key in every run.
OTHER = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0001", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1001", 9001, "other user")
NO_PERSISTENT = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0002", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1002", 9002,
                    "key without persistent links")
BLOCKED_KEY = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0003", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1003", 9003, "blocked key")
BLOCKED_USER = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0004", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1004", 9004,
                   "key of a blocked user")
DELETED_USER = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0005", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1005", 9005,
                   "key of a deleted user")
INACTIVE_KEY = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1e0006", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0f1006", 9006,
                   "deleted (inactive) key")
UNKNOWN_KEY = Key("5d0e9a43-13c1-4f4e-9d38-0b7a0c1effff", "9c1f0a55-6e6b-4b58-8a51-3b1d2e0fffff", 0, "unknown key")

PROTECTED_EVENT = 90001      # protected, ACL: the demo user only
PROTECTED_BOOKING = 900001
INHERITING_EVENT = 90003     # inheriting, in a protected category whose ACL has the demo user
INHERITING_BOOKING = 900003
MUTABLE_EVENT = 90002        # public; its booking is changed by the revalidation tests
MUTABLE_BOOKING = 900002
PROTECTED_CATEGORY = 9001

FIXTURE_SQL = f"""
SET search_path = video_export;
INSERT INTO users (id, email, full_name, is_blocked, is_deleted) VALUES
    (9001, 'other@example.org', 'Other User', false, false),
    (9002, 'nopersist@example.org', 'No Persistent', false, false),
    (9003, 'blockedkey@example.org', 'Blocked Key', false, false),
    (9004, 'blocked@example.org', 'Blocked User', true, false),
    (9005, 'deleted@example.org', 'Deleted User', false, true),
    (9006, 'inactive@example.org', 'Inactive Key', false, false);
INSERT INTO api_keys (token, secret, user_id, is_persistent_allowed, is_blocked, is_active) VALUES
    ('{OTHER.token}', '{OTHER.secret}', 9001, true, false, true),
    ('{NO_PERSISTENT.token}', '{NO_PERSISTENT.secret}', 9002, false, false, true),
    ('{BLOCKED_KEY.token}', '{BLOCKED_KEY.secret}', 9003, true, true, true),
    ('{BLOCKED_USER.token}', '{BLOCKED_USER.secret}', 9004, true, false, true),
    ('{DELETED_USER.token}', '{DELETED_USER.secret}', 9005, true, false, true),
    ('{INACTIVE_KEY.token}', '{INACTIVE_KEY.secret}', 9006, true, false, false);

-- Visible to the demo user (own ACL) and admins only.
INSERT INTO events (id, category_id, title, start_dt, end_dt, location, room, protection_mode) VALUES
    ({PROTECTED_EVENT}, 1, 'E2E protected event', '2026-06-10 09:00+00', '2026-06-10 10:00+00',
     'CERN', '40-S2-A01', 'protected');
INSERT INTO event_acl (event_id, user_id) VALUES ({PROTECTED_EVENT}, 1);
INSERT INTO bookings (id, event_id, service_type, status, title, start_dt, end_dt, audience) VALUES
    ({PROTECTED_BOOKING}, {PROTECTED_EVENT}, 'Vidyo', NULL, 'E2E secret booking',
     '2026-06-10 09:00+00', '2026-06-10 10:00+00', 'Speakers only');

-- Visible through the category's ACL (the demo user), not to others.
INSERT INTO categories (id, parent_id, title, protection_mode) VALUES
    ({PROTECTED_CATEGORY}, 1, 'E2E protected category', 'protected');
INSERT INTO category_acl (category_id, user_id) VALUES ({PROTECTED_CATEGORY}, 1);
INSERT INTO events (id, category_id, title, start_dt, end_dt, location, room, protection_mode) VALUES
    ({INHERITING_EVENT}, {PROTECTED_CATEGORY}, 'E2E inheriting event', '2026-06-11 09:00+00',
     '2026-06-11 10:00+00', NULL, 'Salle Curie', 'inheriting');
INSERT INTO bookings (id, event_id, service_type, status, title, start_dt, end_dt, audience) VALUES
    ({INHERITING_BOOKING}, {INHERITING_EVENT}, 'RecordingRequest', 'accepted', NULL, NULL, NULL, '');

-- Public; the revalidation tests rename its booking.
INSERT INTO events (id, category_id, title, start_dt, end_dt, location, room, protection_mode) VALUES
    ({MUTABLE_EVENT}, 1, 'E2E public event', '2026-06-12 09:00+00', '2026-06-12 10:00+00',
     'Online', '', 'public');
INSERT INTO bookings (id, event_id, service_type, status, title, start_dt, end_dt, audience) VALUES
    ({MUTABLE_BOOKING}, {MUTABLE_EVENT}, 'WebcastRequest', 'pending', 'E2E mutable booking',
     '2026-06-12 09:00+00', '2026-06-12 10:30+00', NULL);
"""


# ---------------------------------------------------------------------------
# Sites: one `video-export serve` each, behind both web servers.


@dataclass
class SiteSpec:
    name: str
    mount_prefix: str = ""
    tls: bool = False
    workers: int = 1
    api: dict = field(default_factory=dict)       # [api] overrides
    database: dict = field(default_factory=dict)  # [database] overrides
    top: dict = field(default_factory=dict)       # top-level overrides
    export: dict = field(default_factory=dict)    # [export] overrides
    cache: dict = field(default_factory=dict)     # [cache] overrides
    # How the listening socket reaches the service:
    #   "tcp"      it opens listen = "127.0.0.1:PORT" itself
    #   "systemd"  listen = "inherit", from systemd-socket-activate (LISTEN_FDS, fd 3)
    #   "fd0"      listen = "inherit", the socket on fd 0 (spawn-fcgi, mod_fcgid)
    launcher: str = "tcp"


SITES = {
    # The default mode (onlykey_signed), no prefix: most tests.
    "main": SiteSpec("main", workers=2),
    # Mounted under /indico, in mode `key` (a key alone authenticates).
    "prefixed": SiteSpec("prefixed", mount_prefix="/indico", api={"security_mode": "key"}),
    "onlykey": SiteSpec("onlykey", api={"security_mode": "onlykey"}),
    "signed": SiteSpec("signed", api={"security_mode": "signed"}),
    "all_signed": SiteSpec("all_signed", api={"security_mode": "all_signed"}),
    # require_https, with X-Forwarded-Proto believed from 127.0.0.1 only.
    "https": SiteSpec("https", tls=True, api={"require_https": True, "trusted_proxies": ["127.0.0.1"]}),
    # max_records = 50: the cap and X-Export-Complete.
    "capped": SiteSpec("capped", export={"max_records": 50}),
    # A database that never answers: 503.
    "nodb": SiteSpec("nodb", database={"dsn": "host=127.0.0.1 port=1 dbname=nowhere connect_timeout=2"}),
}


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"no TOML form for {v!r}")


def render_config(sections):
    """{"": {...top level...}, "database": {...}, ...} as TOML."""
    lines = [f"{k} = {toml_value(v)}" for k, v in sections.get("", {}).items()]
    for name, values in sections.items():
        if name and values:
            lines.append(f"\n[{name}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# PostgreSQL


def psql(dsn, sql, *, tuples_only=True, timeout=300):
    """Runs SQL (any number of statements) and returns psql's output."""
    argv = [str(PG_BINDIR / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", "-"]
    if tuples_only:
        argv[1:1] = ["-A", "-t"]
    r = subprocess.run(argv, input=sql.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}): {r.stderr.decode(errors='replace')}\nSQL: {sql[:2000]}")
    return r.stdout.decode()


def query_json(dsn, sql):
    """The rows of a SELECT as a list of dicts (through json_agg)."""
    out = psql(dsn, f"SET TimeZone = 'UTC'; SELECT coalesce(json_agg(q), '[]') FROM ({sql}) q;")
    return json.loads(out)


def with_dbname(dsn, name):
    if re.search(r"\bdbname=\S+", dsn):
        return re.sub(r"\bdbname=\S+", f"dbname={name}", dsn)
    return f"{dsn} dbname={name}"


class Postgres:
    """The test cluster: ctest's `pg` fixture, else a private one."""

    def __init__(self, workdir):
        self.state = None
        dsn_file = os.environ.get("VIDEO_EXPORT_TEST_DSN_FILE")
        if dsn_file and Path(dsn_file).is_file():
            self.dsn = Path(dsn_file).read_text().strip()
        else:
            self.state = Path(workdir) / "pg-state"
            subprocess.run([str(CLUSTER_SH), "start", str(self.state)], check=True, timeout=300,
                           stdout=sys.stderr)
            self.dsn = (self.state / "dsn").read_text().strip()

    def create_database(self, name):
        psql(self.dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE); CREATE DATABASE "{name}";')
        return with_dbname(self.dsn, name)

    def drop_database(self, name):
        psql(self.dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')

    def stop(self):
        if self.state is not None:
            subprocess.run([str(CLUSTER_SH), "stop", str(self.state)], timeout=300, stdout=sys.stderr)


# ---------------------------------------------------------------------------
# HTTP


@dataclass
class Response:
    status: int
    headers: object  # http.client.HTTPMessage
    body: bytes
    url: str

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body)

    @property
    def message(self):
        try:
            return self.json().get("message")
        except (ValueError, AttributeError):
            return None

    def __repr__(self):
        return f"<{self.status} {self.url} {self.body[:300]!r}>"


def sign_query(path, params, key, *, timestamp="now", persistent=False, key_param="apikey", secret=None,
               token=None):
    """Indico's documented Python client (urllib + hmac): apikey, timestamp
    unless persistent, pairs sorted by lower-cased name, urlencoded, HMAC-SHA1
    of `path?query`. Returns the query string with the signature appended.
    `secret`/`token` override the key's (to make wrong signatures)."""
    items = list(params.items()) if isinstance(params, dict) else list(params)
    items.append((key_param, token or key.token))
    if not persistent:
        items.append(("timestamp", str(int(time.time())) if timestamp == "now" else str(timestamp)))
    items = sorted(items, key=lambda x: x[0].lower())
    url = f"{path}?{urlencode(items)}"
    signature = hmac.new((secret or key.secret).encode(), url.encode(), hashlib.sha1).hexdigest()
    items.append(("signature", signature))
    return urlencode(items)


# ---------------------------------------------------------------------------
# The environment


def listening_socket(port):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    return sock


class Service:
    """One `video-export serve` for one site."""

    def __init__(self, env, spec):
        self.env = env
        self.spec = spec
        self.port = free_port()
        self.config_path = env.dir / f"service-{spec.name}.toml"
        self.log_path = env.dir / f"service-{spec.name}.log"
        self.child = None
        self.write_config()

    def config(self):
        s = self.spec
        listen = f"127.0.0.1:{self.port}" if s.launcher == "tcp" else "inherit"
        return {
            "": {"listen": listen, "workers": s.workers, "request_timeout_s": 120,
                 "mount_prefix": s.mount_prefix, "log_file": "-", "log_level": "info", **s.top},
            "database": {"dsn": self.env.db_dsn, "version_poll_ms": VERSION_POLL_MS, **s.database},
            "api": {"signature_ttl": 600, "allow_persistent": True, **s.api},
            "export": {"default_timezone": "UTC", "uid_domain": "indico", "event_url_template": EVENT_URL_TEMPLATE,
                       "calendar_name": CALENDAR_NAME, **s.export},
            "cache": dict(s.cache),
        }

    def write_config(self):
        self.config_path.write_text(render_config(self.config()))

    def start(self):
        name = f"video-export serve ({self.spec.name})"
        argv = [self.env.binary, "serve", "--config", self.config_path]
        if self.spec.launcher == "tcp":
            self.child = Child(name, argv, self.log_path)
        elif self.spec.launcher == "systemd" and shutil.which("systemd-socket-activate"):
            # Binds, then execs the service on the first connection with the
            # socket as fd 3, LISTEN_FDS=1 and LISTEN_PID (same PID: exec).
            self.child = Child(name, ["systemd-socket-activate", "-l", f"127.0.0.1:{self.port}", *argv],
                               self.log_path)
        elif self.spec.launcher == "systemd":
            # What systemd does, without systemd: the socket as fd 3,
            # LISTEN_FDS=1 and LISTEN_PID = the PID that execs the service.
            with listening_socket(self.port) as sock:
                self.child = Child(name, ["/bin/sh", "-c", 'exec 3<&0 0</dev/null; LISTEN_FDS=1 LISTEN_PID=$$ '
                                          'exec "$@"', "sh", *argv], self.log_path, stdin=sock.fileno())
        elif self.spec.launcher == "fd0":
            # As spawn-fcgi does it: the listening socket is the child's stdin.
            with listening_socket(self.port) as sock:
                self.child = Child(name, argv, self.log_path, stdin=sock.fileno())
        else:
            raise ValueError(f"unknown launcher {self.spec.launcher!r}")
        wait_for_port(self.port, child=self.child, timeout=30)

    def workers(self):
        return children_of(self.child.pid) if self.child and self.child.alive() else []

    def stop(self, signum=signal.SIGTERM, timeout=30):
        if self.child is not None:
            status = self.child.stop(timeout=timeout, signum=signum)
            self.child = None
            return status
        return None


class Environment:
    def __init__(self, name, sites, *, events=120, bookings=600, servers=SERVER_NAMES, extra_sql=""):
        self.name = name
        self.extra_sql = extra_sql
        self.site_names = list(sites)
        self.events = events
        self.bookings = bookings
        self.server_names = list(servers)
        self.binary = find_binary()
        self.dir = Path(tempfile.mkdtemp(prefix=f"video-export-e2e-{name}."))
        self.pg = None
        self.db_name = None
        self.db_dsn = None
        self.services = {}
        self.sites = {}
        self.web = None
        self.demo = self.admin = None
        self.param_dump = None

    # ---- set-up ------------------------------------------------------------
    def start(self):
        self.pg = Postgres(self.dir)
        self.db_name = re.sub(r"[^a-z0-9_]", "_", f"e2e_{self.name}_{os.getpid()}".lower())
        self.db_dsn = self.pg.create_database(self.db_name)
        self.cli("db", "migrate", "--dsn", self.db_dsn)
        out = self.cli("db", "demo-data", "--dsn", self.db_dsn, "--events", str(self.events),
                       "--bookings", str(self.bookings), "--seed", str(SEED), "--anchor", ANCHOR)
        found = dict(re.findall(r"^(demo user key|demo user secret|admin key|admin secret):\s*(\S+)$", out, re.M))
        self.demo = Key(found["demo user key"], found["demo user secret"], 1, "demo user")
        self.admin = Key(found["admin key"], found["admin secret"], 2, "admin")
        psql(self.db_dsn, FIXTURE_SQL + self.extra_sql)

        for name in self.site_names:
            spec = SITES[name] if isinstance(name, str) else name
            self.services[spec.name] = Service(self, spec)
            self.sites[spec.name] = Site(spec.name, self.services[spec.name].port, spec.mount_prefix, spec.tls)
        for service in self.services.values():
            service.start()
        self.web = WebServers(self.dir, list(self.sites.values()), self.server_names)
        self.web.start()
        self.ssl_context = ssl.create_default_context(cafile=str(self.web.cert)) if self.web.cert else None

    def cli(self, *args, timeout=600):
        r = subprocess.run([str(self.binary), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"video-export {' '.join(args)} failed ({r.returncode}):\n"
                               f"{r.stdout.decode(errors='replace')}{r.stderr.decode(errors='replace')}")
        return r.stdout.decode()

    # ---- tear-down ---------------------------------------------------------
    def stop(self):
        errors = []
        for step in (lambda: self.web and self.web.stop(),
                     *[(lambda s=s: s.stop()) for s in self.services.values()],
                     lambda: self.db_name and self.pg and self.pg.drop_database(self.db_name),
                     lambda: self.pg and self.pg.stop()):
            try:
                step()
            except Exception as e:  # keep tearing down
                errors.append(e)
        if os.environ.get("E2E_KEEP") != "1" and not errors:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print(f"e2e: kept {self.dir}", file=sys.stderr)
        for e in errors:
            print(f"e2e: tear-down error: {e}", file=sys.stderr)

    def report_logs(self, lines=60):
        for name, service in self.services.items():
            print(f"--- service {name}: {service.log_path} (last {lines} lines) ---", file=sys.stderr)
            try:
                print("\n".join(service.log_path.read_text(errors="replace").splitlines()[-lines:]), file=sys.stderr)
            except OSError:
                pass
        if self.web:
            for server in self.server_names:
                print(self.web.error_log(server, lines), file=sys.stderr)

    # ---- requests ----------------------------------------------------------
    def request(self, server, site, target, *, method="GET", headers=None, https=False, source=None, timeout=120):
        """One HTTP request with the target (path and query) sent byte for
        byte as given. `source`: the client address to connect from (any
        127.0.0.0/8 address)."""
        s = self.sites[site]
        port = (s.https_port if https else s.http_port)[server]
        src = (source, 0) if source else None
        if https:
            conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=self.ssl_context,
                                               source_address=src)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=src)
        try:
            conn.request(method, target, headers=headers or {})
            r = conn.getresponse()
            body = r.read()
            return Response(r.status, r.headers, body, f"{server}:{site}:{method} {target}")
        finally:
            conn.close()

    def feed_target(self, site, path, params=None, key=None, *, sign=True, persistent=False, timestamp="now",
                    key_param=None, secret=None, token=None):
        """The request target for the API path `path` (as signed, without the
        mount prefix) on `site`. With a key and sign=True: signed like
        Indico's Python client (`apikey`); sign=False: the key alone (`ak`)."""
        params = list(params.items()) if isinstance(params, dict) else list(params or [])
        if key is not None and sign:
            query = sign_query(path, params, key, persistent=persistent, timestamp=timestamp,
                               key_param=key_param or "apikey", secret=secret, token=token)
        else:
            if key is not None:
                params.append((key_param or "ak", token or key.token))
            query = urlencode(params)
        prefix = self.sites[site].mount_prefix
        return f"{prefix}{path}" + (f"?{query}" if query else "")


def find_binary():
    env = os.environ.get("VIDEO_EXPORT_BIN")
    if env:
        return Path(env)
    candidates = sorted(REPO.glob("build*/cli/video-export"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not candidates:
        raise RuntimeError("video-export binary not found: set VIDEO_EXPORT_BIN")
    return candidates[0]


# ---------------------------------------------------------------------------
# Test cases


ENV = None


class TestCase(unittest.TestCase):
    maxDiff = 4000

    @property
    def env(self):
        return ENV

    def servers(self):
        return ENV.server_names

    def get(self, server, site, path, params=None, key=None, **kw):
        """GET (or kw method=) of API path `path` on `site`; see
        Environment.feed_target for key/sign/persistent."""
        target_kw = {k: kw.pop(k) for k in ("sign", "persistent", "timestamp", "key_param", "secret", "token")
                     if k in kw}
        return ENV.request(server, site, ENV.feed_target(site, path, params, key, **target_kw), **kw)

    def assertError(self, response, status, message=None):
        """A JSON error answer of the service: status, application/json,
        {"message": ...}."""
        self.assertEqual(response.status, status, response)
        self.assertTrue((response.header("Content-Type") or "").startswith("application/json"),
                        f"Content-Type {response.header('Content-Type')!r}: {response!r}")
        if response.body or response.status != 304:
            body = response.json()
            self.assertIsInstance(body.get("message"), str, response)
            if message is not None:
                self.assertEqual(body["message"], message, response)


def main(sites, *, name=None, **env_kw):
    """Builds the environment, runs the unittest tests of __main__, tears
    down. Exit status 0 only if every test passed."""
    global ENV
    name = name or Path(sys.argv[0]).stem.replace("test_", "")
    timeout = int(os.environ.get("E2E_TIMEOUT", "900"))

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    def on_alarm(signum, frame):
        # KeyboardInterrupt, not another exception: unittest records other
        # exceptions as one failed test and goes on with the next.
        raise KeyboardInterrupt(f"e2e {name}: time limit of {timeout} s reached")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    ok = False
    ENV = Environment(name, sites, **env_kw)
    try:
        started = time.monotonic()
        ENV.start()
        print(f"e2e {name}: environment up in {time.monotonic() - started:.1f} s ({ENV.dir})", file=sys.stderr)
        program = unittest.main(module="__main__", exit=False, verbosity=2)
        ok = program.result.wasSuccessful()
    except BaseException:
        traceback.print_exc()
    finally:
        signal.alarm(0)
        if not ok:
            ENV.report_logs()
        ENV.stop()
    sys.exit(0 if ok else 1)
