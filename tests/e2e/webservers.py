"""Real nginx and real Apache httpd (mod_proxy_fcgi) in front of FastCGI
backends, configured from the shipped deploy/ snippets.

Each Site is one FastCGI backend (a `video-export serve` or the parameter
dumper) with its mount prefix. Both servers get one plain-HTTP port per site,
and a TLS port (a self-signed certificate made for the run) for sites that
ask for one. The snippets are used as they ship, with only the socket and the
mount prefix replaced, so a change to deploy/ is tested here.

Both servers run in the foreground as children of the test driver (stopped by
PID, see processes.py). As root they drop to www-data like a packaged
installation; that user needs nothing of ours but the TCP ports.
"""

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from processes import Child, free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]
NGINX_SNIPPET = REPO / "deploy/nginx/video-export.conf"
APACHE_SNIPPET = REPO / "deploy/apache/video-export.conf"
NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2", path="/usr/sbin:/usr/bin") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
SHIPPED_SOCKET = "unix:/run/video-export/fcgi.sock"
SERVER_NAMES = ("nginx", "apache")


@dataclass
class Site:
    name: str
    backend_port: int               # the FastCGI backend on 127.0.0.1
    mount_prefix: str = ""          # "" or "/indico"
    tls: bool = False               # also serve it over HTTPS
    # Filled in by WebServers.start: {"nginx": port, "apache": port}
    http_port: dict = field(default_factory=dict)
    https_port: dict = field(default_factory=dict)


def _run_as_www_data():
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("www-data")
        return "www-data"
    except KeyError:
        return None


def nginx_site_conf(site):
    """The shipped nginx snippet for `site`: socket and prefix replaced."""
    text = NGINX_SNIPPET.read_text()
    count = text.count("fastcgi_pass " + SHIPPED_SOCKET + ";")
    if count != 3:
        raise AssertionError(f"{NGINX_SNIPPET}: expected 3 'fastcgi_pass {SHIPPED_SOCKET};', found {count}")
    text = text.replace("fastcgi_pass " + SHIPPED_SOCKET + ";", f"fastcgi_pass 127.0.0.1:{site.backend_port};")
    text, n = re.subn(r"^location \^~ /export/video/ \{", f"location ^~ {site.mount_prefix}/export/video/ {{",
                      text, flags=re.M)
    if n != 1:
        raise AssertionError(f"{NGINX_SNIPPET}: expected one 'location ^~ /export/video/ {{', found {n}")
    return text


def apache_site_conf(site):
    """The shipped Apache snippet for `site`: socket and prefix replaced."""
    text = APACHE_SNIPPET.read_text()
    shipped = SHIPPED_SOCKET + "|fcgi://localhost/"
    count = text.count('"' + shipped)
    if count != 2:
        raise AssertionError(f"{APACHE_SNIPPET}: expected 2 backends '\"{shipped}', found {count}")
    text = text.replace('"' + shipped, f'"fcgi://127.0.0.1:{site.backend_port}/')
    # The public path: the <Location> and ProxyPass's first argument.
    count = len(re.findall(r'^(?:<Location|ProxyPass) "/export/video/"', text, flags=re.M))
    if count != 2:
        raise AssertionError(f'{APACHE_SNIPPET}: expected <Location and ProxyPass "/export/video/", found {count}')
    text = re.sub(r'^(<Location|ProxyPass) "/export/video/"', rf'\1 "{site.mount_prefix}/export/video/"', text,
                  flags=re.M)
    return text


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 (and localhost); returns
    (cert, key) paths. The cert doubles as the clients' CA file."""
    cert, key = Path(directory) / "tls.crt", Path(directory) / "tls.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    return cert, key


class WebServers:
    """nginx and Apache for a list of sites; start() then stop()."""

    def __init__(self, workdir, sites, servers=SERVER_NAMES):
        self.dir = Path(workdir)
        self.sites = list(sites)
        self.servers = list(servers)
        self.children = {}
        self.cert = self.key = None
        self.user = _run_as_www_data()

    # ---- configuration -------------------------------------------------
    def _assign_ports(self):
        for site in self.sites:
            for server in self.servers:
                site.http_port[server] = free_port()
                if site.tls:
                    site.https_port[server] = free_port()

    def _nginx_conf(self):
        d = self.dir / "nginx"
        d.mkdir(exist_ok=True)
        # Relative includes ("include fastcgi_params;") resolve next to the
        # main configuration file: use Debian's file itself.
        params = d / "fastcgi_params"
        if not params.exists():
            params.symlink_to("/etc/nginx/fastcgi_params")
        temp = d / "temp"
        temp.mkdir(exist_ok=True)
        servers = []
        for site in self.sites:
            (d / f"site-{site.name}.conf").write_text(nginx_site_conf(site))
            listens = [(site.http_port["nginx"], False)]
            if site.tls:
                listens.append((site.https_port["nginx"], True))
            for port, tls in listens:
                tls_lines = (f"        ssl_certificate {self.cert};\n        ssl_certificate_key {self.key};\n"
                             if tls else "")
                servers.append(f"""
    server {{
        listen 127.0.0.1:{port}{' ssl' if tls else ''};
        server_name localhost;
{tls_lines}        include {d}/site-{site.name}.conf;
        location / {{ return 404; }}
    }}""")
        user = f"user {self.user};" if self.user else "# not root: workers run as the current user"
        conf = f"""# Generated by tests/e2e/webservers.py for one test run.
{user}
daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 512; }}
http {{
    log_format e2e '$remote_addr "$request" $status $body_bytes_sent $request_time upstream=$upstream_response_time';
    access_log {d}/access.log e2e;
    client_body_temp_path {temp}/client_body;
    fastcgi_temp_path {temp}/fastcgi;
    proxy_temp_path {temp}/proxy;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/octet-stream;
{''.join(servers)}
}}
"""
        path = d / "nginx.conf"
        path.write_text(conf)
        return path

    def _apache_conf(self):
        d = self.dir / "apache"
        d.mkdir(exist_ok=True)
        (d / "run").mkdir(exist_ok=True)
        modules = ["mpm_event", "authz_core", "authz_host", "proxy", "proxy_fcgi"]
        if any(s.tls for s in self.sites):
            modules += ["socache_shmcb", "ssl"]
        lines = ["# Generated by tests/e2e/webservers.py for one test run.",
                 "ServerName localhost",
                 f"PidFile {d}/apache.pid",
                 f"DefaultRuntimeDir {d}/run",
                 f"ErrorLog {d}/error.log",
                 "LogLevel info",
                 'LogFormat "%a \\"%r\\" %>s %B %D" e2e',
                 f"CustomLog {d}/access.log e2e",
                 f"DocumentRoot {d}/empty",
                 "StartServers 1", "ServerLimit 2", "ThreadsPerChild 25", "MaxRequestWorkers 50",
                 "MaxSpareThreads 50", "MinSpareThreads 5"]
        (d / "empty").mkdir(exist_ok=True)
        lines += [f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules]
        if self.user:
            lines += [f"User {self.user}", f"Group {self.user}"]
        if any(s.tls for s in self.sites):
            lines += [f"SSLSessionCache shmcb:{d}/run/ssl_scache(512000)"]
        for site in self.sites:
            (d / f"site-{site.name}.conf").write_text(apache_site_conf(site))
            listens = [(site.http_port["apache"], False)]
            if site.tls:
                listens.append((site.https_port["apache"], True))
            for port, tls in listens:
                lines.append(f"Listen 127.0.0.1:{port}")
                lines.append(f"<VirtualHost 127.0.0.1:{port}>")
                if tls:
                    lines += ["    SSLEngine on", f"    SSLCertificateFile {self.cert}",
                              f"    SSLCertificateKeyFile {self.key}"]
                lines.append(f"    Include {d}/site-{site.name}.conf")
                lines.append("</VirtualHost>")
        path = d / "apache2.conf"
        path.write_text("\n".join(lines) + "\n")
        return path

    # ---- life cycle ----------------------------------------------------
    def start(self, attempts=3):
        if self.user:
            # www-data must reach nginx's temp directories below ours.
            os.chmod(self.dir, 0o755)
        if any(s.tls for s in self.sites) and self.cert is None:
            self.cert, self.key = make_certificate(self.dir)
        for attempt in range(1, attempts + 1):
            self._assign_ports()
            try:
                self._start_once()
                return
            except RuntimeError as e:
                self.stop()
                if attempt == attempts or "Address already in use" not in str(e):
                    raise

    def _start_once(self):
        if "nginx" in self.servers:
            conf = self._nginx_conf()
            d = self.dir / "nginx"
            self.children["nginx"] = Child("nginx", [NGINX, "-p", f"{d}/", "-e", f"{d}/error.log", "-c", conf],
                                           d / "stdout.log")
        if "apache" in self.servers:
            conf = self._apache_conf()
            d = self.dir / "apache"
            # -D FOREGROUND: no daemon, so the PID we hold is the parent's.
            self.children["apache"] = Child("apache", [APACHE, "-f", conf, "-D", "FOREGROUND"], d / "stdout.log",
                                            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"})
        for server, child in self.children.items():
            for site in self.sites:
                ports = [site.http_port[server]] + ([site.https_port[server]] if site.tls else [])
                for port in ports:
                    try:
                        wait_for_port(port, child=child, timeout=20)
                    except RuntimeError as e:
                        raise RuntimeError(f"{e}\n{self.error_log(server)}") from None

    def stop(self):
        # nginx: QUIT finishes open requests; TERM for Apache is its normal stop.
        import signal
        for server, child in list(self.children.items()):
            child.stop(signum=signal.SIGQUIT if server == "nginx" else signal.SIGTERM)
        self.children.clear()

    def error_log(self, server, lines=40):
        path = self.dir / server / "error.log"
        try:
            text = path.read_text(errors="replace")
        except OSError:
            return ""
        return f"--- {path} (last {lines} lines) ---\n" + "\n".join(text.splitlines()[-lines:])

    def url(self, server, site, path, https=False):
        port = (site.https_port if https else site.http_port)[server]
        return f"{'https' if https else 'http'}://127.0.0.1:{port}{path}"
