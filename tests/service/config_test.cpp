#include "fcgi/config.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using vx::SecurityMode;
using vx::service::Config;
using vx::service::ConfigError;
using vx::service::load_config;
using vx::service::parse_config;
using vx::service::render_config;
using vx::sql::StatementMode;

// The message parse_config throws for `text`, or "(accepted)".
std::string error_of(const std::string& text) {
    try {
        parse_config(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

void check_same(const Config& a, const Config& b) {
    CHECK(a.listen == b.listen);
    CHECK(a.workers == b.workers);
    CHECK(a.max_requests == b.max_requests);
    CHECK(a.request_timeout_s == b.request_timeout_s);
    CHECK(a.mount_prefix == b.mount_prefix);
    CHECK(a.status_path == b.status_path);
    CHECK(a.ping_path == b.ping_path);
    CHECK(a.log_file == b.log_file);
    CHECK(a.log_level == b.log_level);
    CHECK(a.database.dsn == b.database.dsn);
    CHECK(a.database.write_dsn == b.database.write_dsn);
    CHECK(a.database.statement_mode == b.database.statement_mode);
    CHECK(a.database.version_poll_ms == b.database.version_poll_ms);
    CHECK(a.api.security_mode == b.api.security_mode);
    CHECK(a.api.allow_persistent == b.api.allow_persistent);
    CHECK(a.api.signature_ttl == b.api.signature_ttl);
    CHECK(a.api.require_https == b.api.require_https);
    CHECK(a.api.trusted_proxies == b.api.trusted_proxies);
    CHECK(a.export_.default_timezone == b.export_.default_timezone);
    CHECK(a.export_.max_records == b.export_.max_records);
    CHECK(a.export_.uid_domain == b.export_.uid_domain);
    CHECK(a.export_.prodid == b.export_.prodid);
    CHECK(a.export_.event_url_template == b.export_.event_url_template);
    CHECK(a.export_.calendar_name == b.export_.calendar_name);
    CHECK(a.export_.refresh_interval == b.export_.refresh_interval);
    CHECK(a.cache.max_bytes == b.cache.max_bytes);
}

void check_documented_defaults(const Config& c) {
    CHECK(c.listen == "unix:/run/video-export/fcgi.sock");
    CHECK(c.workers == 4);
    CHECK(c.max_requests == 10000);
    CHECK(c.request_timeout_s == 30);
    CHECK(c.mount_prefix == "");
    CHECK(c.status_path == "/video-export/status");
    CHECK(c.ping_path == "/video-export/ping");
    CHECK(c.log_file == "-");
    CHECK(c.log_level == "info");
    CHECK(c.database.dsn == "dbname=indico");
    CHECK(c.database.write_dsn == "");
    CHECK(c.database.effective_write_dsn() == "dbname=indico");
    CHECK(c.database.statement_mode == StatementMode::prepared);
    CHECK(c.database.version_poll_ms == 1000);
    CHECK(c.api.security_mode == SecurityMode::onlykey_signed);
    CHECK(c.api.allow_persistent == true);
    CHECK(c.api.signature_ttl == 600);
    CHECK(c.api.require_https == false);
    CHECK(c.api.trusted_proxies.empty());
    CHECK(c.export_.default_timezone == "UTC");
    CHECK(c.export_.max_records == 100000);
    CHECK(c.export_.uid_domain == "indico");
    CHECK(c.export_.prodid == "-//Indico//Video Export//EN");
    CHECK(c.export_.event_url_template == "https://indico.example.org/event/{event_id}/");
    CHECK(c.export_.calendar_name == "Video services");
    CHECK(c.export_.refresh_interval == "PT1H");
    CHECK(c.cache.max_bytes == 67108864);
}

const std::string every_key = R"(listen = "127.0.0.1:9000"
workers = 16
max_requests = 0
request_timeout_s = 120
mount_prefix = "/indico"
status_path = "/status"
ping_path = "/ping"
log_file = "/var/log/video-export/video-export.log"
log_level = "debug"

[database]
dsn = "host=db1,db2 dbname=indico target_session_attrs=any"
write_dsn = "host=db1 dbname=indico target_session_attrs=read-write"
statement_mode = "unnamed"
version_poll_ms = 0

[api]
security_mode = "all_signed"
allow_persistent = false
signature_ttl = 300
require_https = true
trusted_proxies = ["127.0.0.1", "::1"]

[export]
default_timezone = "Europe/Zurich"
max_records = 5000
uid_domain = "indico.cern.ch"
prodid = "-//CERN//Indico Video Export//EN"
event_url_template = "https://indico.cern.ch/event/{event_id}/"
calendar_name = "CERN video services"
refresh_interval = "PT30M"

[cache]
max_bytes = 0
)";

// A temporary directory removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "config_test.XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        const auto file = path / name;
        std::ofstream(file) << text;
        return file.string();
    }
};

}  // namespace

// --- defaults --------------------------------------------------------------

TEST_CASE("an empty file gives every default DESIGN.md lists", "[config]") {
    check_documented_defaults(parse_config(""));
}

TEST_CASE("comments, blank lines and empty tables give the defaults", "[config]") {
    check_documented_defaults(parse_config("# nothing set\n\n[database]\n[api]\n# still nothing\n[export]\n[cache]\n"));
}

TEST_CASE("a default-constructed Config has the documented defaults", "[config]") {
    check_documented_defaults(Config{});
}

TEST_CASE("the example block of DESIGN.md section 8 gives exactly the defaults", "[config]") {
    const Config c = parse_config(
        R"(listen = "unix:/run/video-export/fcgi.sock"  # or "127.0.0.1:9000", or "inherit" (fd 0 / LISTEN_FDS)
workers = 4
max_requests = 10000          # recycle a worker after this many requests (0 = never)
request_timeout_s = 30        # kill a worker stuck longer than this
mount_prefix = ""             # e.g. "/indico"; stripped before routing and signing
status_path = "/video-export/status"
ping_path = "/video-export/ping"
log_file = "-"                # "-" = stderr
log_level = "info"

[database]
dsn = "dbname=indico"         # libpq conninfo; PG* environment variables apply as usual
write_dsn = ""                # empty = dsn
statement_mode = "prepared"   # or "unnamed" (PgBouncer transaction pooling)
version_poll_ms = 1000        # how stale a cached feed may be, at most

[api]
security_mode = "onlykey_signed"
allow_persistent = true
signature_ttl = 600
require_https = false
trusted_proxies = []          # addresses whose X-Forwarded-Proto is believed

[export]
default_timezone = "UTC"
max_records = 100000
uid_domain = "indico"
prodid = "-//Indico//Video Export//EN"
event_url_template = "https://indico.example.org/event/{event_id}/"
calendar_name = "Video services"
refresh_interval = "PT1H"

[cache]
max_bytes = 67108864          # per worker; 0 disables the response cache
)");
    check_documented_defaults(c);
}

// --- every key set ------------------------------------------------------------

TEST_CASE("every key can be set", "[config]") {
    const Config c = parse_config(every_key);
    CHECK(c.listen == "127.0.0.1:9000");
    CHECK(c.workers == 16);
    CHECK(c.max_requests == 0);
    CHECK(c.request_timeout_s == 120);
    CHECK(c.mount_prefix == "/indico");
    CHECK(c.status_path == "/status");
    CHECK(c.ping_path == "/ping");
    CHECK(c.log_file == "/var/log/video-export/video-export.log");
    CHECK(c.log_level == "debug");
    CHECK(c.database.dsn == "host=db1,db2 dbname=indico target_session_attrs=any");
    CHECK(c.database.write_dsn == "host=db1 dbname=indico target_session_attrs=read-write");
    CHECK(c.database.effective_write_dsn() == "host=db1 dbname=indico target_session_attrs=read-write");
    CHECK(c.database.statement_mode == StatementMode::unnamed);
    CHECK(c.database.version_poll_ms == 0);
    CHECK(c.api.security_mode == SecurityMode::all_signed);
    CHECK(c.api.allow_persistent == false);
    CHECK(c.api.signature_ttl == 300);
    CHECK(c.api.require_https == true);
    CHECK(c.api.trusted_proxies == std::vector<std::string>{"127.0.0.1", "::1"});
    CHECK(c.export_.default_timezone == "Europe/Zurich");
    CHECK(c.export_.max_records == 5000);
    CHECK(c.export_.uid_domain == "indico.cern.ch");
    CHECK(c.export_.prodid == "-//CERN//Indico Video Export//EN");
    CHECK(c.export_.event_url_template == "https://indico.cern.ch/event/{event_id}/");
    CHECK(c.export_.calendar_name == "CERN video services");
    CHECK(c.export_.refresh_interval == "PT30M");
    CHECK(c.cache.max_bytes == 0);
}

TEST_CASE("dotted keys and inline tables set table keys like table headers do", "[config]") {
    const Config c = parse_config("database.dsn = \"dbname=other\"\napi = { signature_ttl = 60 }\n");
    CHECK(c.database.dsn == "dbname=other");
    CHECK(c.api.signature_ttl == 60);
}

// --- listen -------------------------------------------------------------------

TEST_CASE("listen accepts a unix socket path, IPv4, [IPv6] or localhost with a port, and inherit", "[config]") {
    for (const std::string value : {"unix:/run/video-export/fcgi.sock", "unix:/tmp/x", "127.0.0.1:9000", "0.0.0.0:1",
                                    "[::1]:9000", "[::]:65535", "[2001:db8::1]:9000", "localhost:9000", "inherit"}) {
        INFO(value);
        CHECK(parse_config("listen = \"" + value + "\"").listen == value);
    }
}

TEST_CASE("listen refuses a relative or over-long unix socket path", "[config]") {
    CHECK(error_of("listen = \"unix:run/fcgi.sock\"") ==
          "config: key 'listen' at line 1: expected an absolute path after \"unix:\", got \"unix:run/fcgi.sock\"");
    CHECK(error_of("listen = \"unix:\"") ==
          "config: key 'listen' at line 1: expected an absolute path after \"unix:\", got \"unix:\"");
    const std::string path = "/" + std::string(107, 's');
    CHECK(error_of("listen = \"unix:" + path + "\"") ==
          "config: key 'listen' at line 1: the unix socket path is 108 bytes long, the limit is 107");
    const std::string longest = "/" + std::string(106, 's');
    CHECK(parse_config("listen = \"unix:" + longest + "\"").listen == "unix:" + longest);
}

TEST_CASE("listen refuses a value without a port, a bad port or a host that is not an address", "[config]") {
    CHECK(error_of("listen = \"fcgi.sock\"") ==
          "config: key 'listen' at line 1: expected \"unix:/absolute/path\", \"HOST:PORT\" or \"inherit\", got "
          "\"fcgi.sock\"");
    for (const std::string value : {"127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:+80",
                                    "127.0.0.1:000080", "[::1]:-1"}) {
        INFO(value);
        CHECK(error_of("listen = \"" + value + "\"") ==
              "config: key 'listen' at line 1: expected a port from 1 to 65535 after the last ':', got \"" + value +
                  "\"");
    }
    for (const std::string value : {"example.org:9000", "::1:9000", "[::1:9000", "[127.0.0.1]:9000", "256.0.0.1:80",
                                    ":9000", "[fe80::zz]:9000", "LOCALHOST:80"}) {
        INFO(value);
        CHECK(error_of("listen = \"" + value + "\"") ==
              "config: key 'listen' at line 1: expected an IPv4 address, an [IPv6] address or localhost before "
              "':PORT', got \"" +
                  value + "\"");
    }
}

// --- numbers ------------------------------------------------------------------

TEST_CASE("workers must be from 1 to 1024", "[config]") {
    CHECK(parse_config("workers = 1").workers == 1);
    CHECK(parse_config("workers = 1024").workers == 1024);
    CHECK(error_of("\n\nworkers = 0") == "config: key 'workers' at line 3: expected an integer from 1 to 1024, got 0");
    CHECK(error_of("workers = 1025") ==
          "config: key 'workers' at line 1: expected an integer from 1 to 1024, got 1025");
    CHECK(error_of("workers = -4") == "config: key 'workers' at line 1: expected an integer from 1 to 1024, got -4");
}

TEST_CASE("max_requests must not be negative; 0 never recycles", "[config]") {
    CHECK(parse_config("max_requests = 0").max_requests == 0);
    CHECK(parse_config("max_requests = 9223372036854775807").max_requests == 9223372036854775807);
    CHECK(error_of("max_requests = -1") ==
          "config: key 'max_requests' at line 1: expected a non-negative integer (0 = never recycle), got -1");
}

TEST_CASE("request_timeout_s must be from 1 to 86400 seconds", "[config]") {
    CHECK(parse_config("request_timeout_s = 1").request_timeout_s == 1);
    CHECK(parse_config("request_timeout_s = 86400").request_timeout_s == 86400);
    CHECK(error_of("request_timeout_s = 0") ==
          "config: key 'request_timeout_s' at line 1: expected an integer from 1 to 86400 (seconds), got 0");
    CHECK(error_of("request_timeout_s = 4294967297") ==
          "config: key 'request_timeout_s' at line 1: expected an integer from 1 to 86400 (seconds), got 4294967297");
}

TEST_CASE("version_poll_ms may be 0 (check every request) up to a day", "[config]") {
    CHECK(parse_config("[database]\nversion_poll_ms = 0").database.version_poll_ms == 0);
    CHECK(parse_config("[database]\nversion_poll_ms = 86400000").database.version_poll_ms == 86400000);
    CHECK(error_of("[database]\nversion_poll_ms = -1") ==
          "config: key 'database.version_poll_ms' at line 2: expected an integer from 0 to 86400000 (milliseconds), "
          "got -1");
    CHECK(error_of("[database]\nversion_poll_ms = 86400001") ==
          "config: key 'database.version_poll_ms' at line 2: expected an integer from 0 to 86400000 (milliseconds), "
          "got 86400001");
}

TEST_CASE("signature_ttl must be from 1 second to a year", "[config]") {
    CHECK(parse_config("[api]\nsignature_ttl = 1").api.signature_ttl == 1);
    CHECK(parse_config("[api]\nsignature_ttl = 31536000").api.signature_ttl == 31536000);
    CHECK(error_of("[api]\nsignature_ttl = 0") ==
          "config: key 'api.signature_ttl' at line 2: expected an integer from 1 to 31536000 (seconds), got 0");
    CHECK(error_of("[api]\nsignature_ttl = 31536001") ==
          "config: key 'api.signature_ttl' at line 2: expected an integer from 1 to 31536000 (seconds), got 31536001");
}

TEST_CASE("max_records must be positive", "[config]") {
    CHECK(parse_config("[export]\nmax_records = 1").export_.max_records == 1);
    CHECK(error_of("[export]\nmax_records = 0") ==
          "config: key 'export.max_records' at line 2: expected a positive integer, got 0");
}

TEST_CASE("cache.max_bytes must not be negative; 0 disables the cache", "[config]") {
    CHECK(parse_config("[cache]\nmax_bytes = 0").cache.max_bytes == 0);
    CHECK(parse_config("[cache]\nmax_bytes = 1_073_741_824").cache.max_bytes == 1073741824);
    CHECK(error_of("[cache]\nmax_bytes = -1") ==
          "config: key 'cache.max_bytes' at line 2: expected a non-negative integer (bytes; 0 disables the cache), "
          "got -1");
}

// --- paths and logging -------------------------------------------------------

TEST_CASE("mount_prefix is empty or a path; a trailing slash is dropped", "[config]") {
    CHECK(parse_config("mount_prefix = \"\"").mount_prefix == "");
    CHECK(parse_config("mount_prefix = \"/indico\"").mount_prefix == "/indico");
    CHECK(parse_config("mount_prefix = \"/indico/\"").mount_prefix == "/indico");
    CHECK(parse_config("mount_prefix = \"/a/b\"").mount_prefix == "/a/b");
    CHECK(parse_config("mount_prefix = \"/\"").mount_prefix == "");
    for (const std::string value :
         {"indico", "indico/", "/in dico", "/indico?x", "/indico#x", "//indico", "/a//b", "/indico//"}) {
        INFO(value);
        CHECK(error_of("mount_prefix = \"" + value + "\"") ==
              "config: key 'mount_prefix' at line 1: expected \"\" or a path such as \"/indico\", got \"" + value +
                  "\"");
    }
}

TEST_CASE("status_path and ping_path start with a slash and differ", "[config]") {
    CHECK(error_of("status_path = \"status\"") ==
          "config: key 'status_path' at line 1: expected a path starting with '/', got \"status\"");
    CHECK(error_of("ping_path = \"\"") ==
          "config: key 'ping_path' at line 1: expected a path starting with '/', got \"\"");
    CHECK(error_of("ping_path = \"/ping?x=1\"") ==
          "config: key 'ping_path' at line 1: expected a path starting with '/', got \"/ping?x=1\"");
    CHECK(error_of("status_path = \"/x\"\nping_path = \"/x\"") ==
          "config: key 'ping_path' at line 2: status_path and ping_path must differ, both are \"/x\"");
    CHECK(
        error_of("ping_path = \"/video-export/status\"") ==
        "config: key 'ping_path' at line 1: status_path and ping_path must differ, both are \"/video-export/status\"");
    CHECK(
        error_of("status_path = \"/video-export/ping\"") ==
        "config: key 'status_path' at line 1: status_path and ping_path must differ, both are \"/video-export/ping\"");
    const Config c = parse_config("status_path = \"/\"\nping_path = \"/ping/\"");
    CHECK(c.status_path == "/");
    CHECK(c.ping_path == "/ping/");
}

TEST_CASE("log_file is '-' or a path", "[config]") {
    CHECK(parse_config("log_file = \"relative.log\"").log_file == "relative.log");
    CHECK(error_of("log_file = \"\"") ==
          "config: key 'log_file' at line 1: expected \"-\" (stderr) or a file path, got \"\"");
    CHECK(error_of("log_file = \"a\\nb\"") ==
          "config: key 'log_file' at line 1: expected \"-\" (stderr) or a file path, got \"a\\nb\"");
}

TEST_CASE("log_level is one of debug, info, warning, error", "[config]") {
    for (const std::string level : {"debug", "info", "warning", "error"})
        CHECK(parse_config("log_level = \"" + level + "\"").log_level == level);
    CHECK(error_of("log_level = \"verbose\"") ==
          "config: key 'log_level' at line 1: expected one of debug, info, warning, error, got \"verbose\"");
    CHECK(error_of("log_level = \"INFO\"") ==
          "config: key 'log_level' at line 1: expected one of debug, info, warning, error, got \"INFO\"");
}

// --- database ---------------------------------------------------------------------

TEST_CASE("database.dsn and write_dsn are libpq connection strings", "[config]") {
    const Config c = parse_config(
        "[database]\ndsn = \"postgresql://replica1,replica2/indico?target_session_attrs=any\"\nwrite_dsn = \"\"");
    CHECK(c.database.dsn == "postgresql://replica1,replica2/indico?target_session_attrs=any");
    CHECK(c.database.effective_write_dsn() == c.database.dsn);
    CHECK(parse_config("[database]\ndsn = \"\"").database.dsn == "");
    CHECK(error_of("[database]\ndsn = \"dbname\"") ==
          "config: key 'database.dsn' at line 2: not a valid libpq connection string: missing \"=\" after \"dbname\" "
          "in connection info string");
    CHECK(error_of("[database]\n\nwrite_dsn = \"dbnam=indico\"") ==
          "config: key 'database.write_dsn' at line 3: not a valid libpq connection string: invalid connection "
          "option \"dbnam\"");
}

TEST_CASE("database.statement_mode is prepared or unnamed", "[config]") {
    CHECK(parse_config("[database]\nstatement_mode = \"prepared\"").database.statement_mode == StatementMode::prepared);
    CHECK(parse_config("[database]\nstatement_mode = \"unnamed\"").database.statement_mode == StatementMode::unnamed);
    CHECK(error_of("[database]\nstatement_mode = \"named\"") ==
          "config: key 'database.statement_mode' at line 2: expected \"prepared\" or \"unnamed\", got \"named\"");
}

// --- api ------------------------------------------------------------------------

TEST_CASE("api.security_mode takes Indico's five names", "[config]") {
    CHECK(parse_config("[api]\nsecurity_mode = \"key\"").api.security_mode == SecurityMode::key);
    CHECK(parse_config("[api]\nsecurity_mode = \"onlykey\"").api.security_mode == SecurityMode::onlykey);
    CHECK(parse_config("[api]\nsecurity_mode = \"signed\"").api.security_mode == SecurityMode::signed_);
    CHECK(parse_config("[api]\nsecurity_mode = \"onlykey_signed\"").api.security_mode == SecurityMode::onlykey_signed);
    CHECK(parse_config("[api]\nsecurity_mode = \"all_signed\"").api.security_mode == SecurityMode::all_signed);
}

TEST_CASE("api.security_mode takes Indico's numbers 0 to 4 and renders them as names", "[config]") {
    CHECK(parse_config("[api]\nsecurity_mode = 0").api.security_mode == SecurityMode::key);
    CHECK(parse_config("[api]\nsecurity_mode = 1").api.security_mode == SecurityMode::onlykey);
    CHECK(parse_config("[api]\nsecurity_mode = 2").api.security_mode == SecurityMode::signed_);
    CHECK(parse_config("[api]\nsecurity_mode = 3").api.security_mode == SecurityMode::onlykey_signed);
    CHECK(parse_config("[api]\nsecurity_mode = 4").api.security_mode == SecurityMode::all_signed);
    const std::string rendered = render_config(parse_config("[api]\nsecurity_mode = 2"));
    CHECK(rendered.find("\nsecurity_mode = \"signed\"  # default: \"onlykey_signed\"\n") != std::string::npos);
    CHECK(parse_config(rendered).api.security_mode == SecurityMode::signed_);
}

TEST_CASE("api.security_mode refuses other names and numbers", "[config]") {
    const std::string expected =
        "config: key 'api.security_mode' at line 2: expected one of key, onlykey, signed, onlykey_signed, all_signed "
        "(or Indico's 0 to 4), got ";
    CHECK(error_of("[api]\nsecurity_mode = \"strict\"") == expected + "\"strict\"");
    CHECK(error_of("[api]\nsecurity_mode = \"Signed\"") == expected + "\"Signed\"");
    CHECK(error_of("[api]\nsecurity_mode = \"3\"") == expected + "\"3\"");
    CHECK(error_of("[api]\nsecurity_mode = 5") == expected + "5");
    CHECK(error_of("[api]\nsecurity_mode = -1") == expected + "-1");
    CHECK(error_of("[api]\nsecurity_mode = true") == expected + "true");
}

TEST_CASE("api.trusted_proxies holds IP addresses, kept in canonical form", "[config]") {
    const Config c =
        parse_config("[api]\ntrusted_proxies = [\"10.0.0.1\", \"2001:DB8:0:0::0001\", \"::FFFF:192.0.2.1\", \"::1\"]");
    CHECK(c.api.trusted_proxies == std::vector<std::string>{"10.0.0.1", "2001:db8::1", "::ffff:192.0.2.1", "::1"});
    CHECK(parse_config("[api]\ntrusted_proxies = []").api.trusted_proxies.empty());
}

TEST_CASE("api.trusted_proxies names the element and its line when one is not an address", "[config]") {
    CHECK(error_of("[api]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]") ==
          "config: key 'api.trusted_proxies' at line 2: element 2: expected an IPv4 or IPv6 address (no CIDR ranges), "
          "got \"10.0.0.0/8\"");
    CHECK(error_of("[api]\ntrusted_proxies = [\n  \"127.0.0.1\",\n  \"localhost\",\n]") ==
          "config: key 'api.trusted_proxies' at line 4: element 2: expected an IPv4 or IPv6 address (no CIDR ranges), "
          "got \"localhost\"");
    CHECK(error_of("[api]\ntrusted_proxies = [1]") ==
          "config: key 'api.trusted_proxies' at line 2: element 1: expected an IPv4 or IPv6 address (no CIDR ranges), "
          "got 1");
    CHECK(error_of("[api]\ntrusted_proxies = \"127.0.0.1\"") ==
          "config: key 'api.trusted_proxies' at line 2: expected an array of IP addresses, got \"127.0.0.1\"");
}

// --- export ---------------------------------------------------------------------

TEST_CASE("export.default_timezone must be an IANA zone; its case is corrected", "[config]") {
    CHECK(parse_config("[export]\ndefault_timezone = \"America/New_York\"").export_.default_timezone ==
          "America/New_York");
    CHECK(parse_config("[export]\ndefault_timezone = \"europe/zurich\"").export_.default_timezone == "Europe/Zurich");
    CHECK(error_of("[export]\ndefault_timezone = \"Mars/Olympus_Mons\"") ==
          "config: key 'export.default_timezone' at line 2: expected an IANA time zone name such as \"Europe/Zurich\", "
          "got \"Mars/Olympus_Mons\"");
    CHECK(error_of("[export]\ndefault_timezone = \"\"") ==
          "config: key 'export.default_timezone' at line 2: expected an IANA time zone name such as \"Europe/Zurich\", "
          "got \"\"");
}

TEST_CASE("export.event_url_template is an http(s) URL containing {event_id}", "[config]") {
    CHECK(parse_config("[export]\nevent_url_template = \"http://localhost:8000/e/{event_id}\"")
              .export_.event_url_template == "http://localhost:8000/e/{event_id}");
    for (const std::string value : {"", "https://indico.example.org/event/", "ftp://example.org/{event_id}",
                                    "/event/{event_id}/", "https://example.org/{event_id} x", "https://x/{eventid}"}) {
        INFO(value);
        CHECK(error_of("[export]\nevent_url_template = \"" + value + "\"") ==
              "config: key 'export.event_url_template' at line 2: expected an http:// or https:// URL containing "
              "{event_id}, got \"" +
                  value + "\"");
    }
}

TEST_CASE("export.refresh_interval accepts RFC 5545 durations", "[config]") {
    for (const std::string value : {"PT1H", "PT30M", "PT90S", "P1D", "P1W", "PT1H30M", "PT1M30S", "PT1H0M5S", "P1DT12H",
                                    "P2DT0H", "PT0H15M", "P0DT1S"}) {
        INFO(value);
        CHECK(parse_config("[export]\nrefresh_interval = \"" + value + "\"").export_.refresh_interval == value);
    }
}

TEST_CASE("export.refresh_interval refuses what is not a positive RFC 5545 duration", "[config]") {
    for (const std::string value : {"", "1H", "P", "PT", "P1H", "P1DT", "PT0S", "P0D", "P0W", "pt1h", "-PT1H", "+PT1H",
                                    "P1W2D", "PT1H1H", "PT30M1H", "PT1.5H", "PT1H ", "P1M", "3600"}) {
        INFO(value);
        CHECK(
            error_of("[export]\nrefresh_interval = \"" + value + "\"") ==
            "config: key 'export.refresh_interval' at line 2: expected a positive RFC 5545 duration such as \"PT1H\", "
            "\"PT30M\" or \"P1D\", got \"" +
                value + "\"");
    }
}

TEST_CASE("export.prodid, calendar_name and uid_domain are non-empty and free of control characters", "[config]") {
    for (const std::string key : {"prodid", "calendar_name", "uid_domain"}) {
        INFO(key);
        CHECK(error_of("[export]\n" + key + " = \"\"") ==
              "config: key 'export." + key +
                  "' at line 2: expected a non-empty string without control "
                  "characters, got \"\"");
        CHECK(error_of("[export]\n" + key + " = \"a\\tb\"") == "config: key 'export." + key +
                                                                   "' at line 2: expected a non-empty string without "
                                                                   "control characters, got \"a\\tb\"");
        CHECK(error_of("[export]\n" + key + " = \"a\\u007Fb\"") == "config: key 'export." + key +
                                                                       "' at line 2: expected a non-empty string "
                                                                       "without control characters, got \"a\\u007Fb\"");
    }
    const Config c = parse_config("[export]\ncalendar_name = \"Vidéo; \\\"services\\\", CERN\"");
    CHECK(c.export_.calendar_name == "Vidéo; \"services\", CERN");
}

// --- unknown keys and wrong types ------------------------------------------------

TEST_CASE("an unknown top-level key is an error naming it and its line", "[config]") {
    CHECK(error_of("workers = 2\ncolour = \"blue\"") ==
          "config: key 'colour' at line 2: unknown key; known top-level keys: listen, workers, max_requests, "
          "request_timeout_s, mount_prefix, status_path, ping_path, log_file, log_level, database, api, export, cache");
    CHECK(error_of("wrkers = 2") == "config: key 'wrkers' at line 1: unknown key; did you mean 'workers'?");
    CHECK(error_of("\n[databse]\ndsn = \"x\"") ==
          "config: key 'databse' at line 2: unknown key; did you mean 'database'?");
}

TEST_CASE("an unknown key in a table is an error naming the table, the key and its line", "[config]") {
    CHECK(error_of("[database]\ndsn = \"dbname=indico\"\ndns = \"dbname=indico\"") ==
          "config: key 'database.dns' at line 3: unknown key; did you mean 'database.dsn'?");
    CHECK(error_of("[cache]\nsize = 1") ==
          "config: key 'cache.size' at line 2: unknown key; known keys in [cache]: max_bytes");
    CHECK(error_of("[api]\nworkers = 2") ==
          "config: key 'api.workers' at line 2: unknown key; known keys in [api]: security_mode, allow_persistent, "
          "signature_ttl, require_https, trusted_proxies");
    CHECK(error_of("export.max_record = 5") ==
          "config: key 'export.max_record' at line 1: unknown key; did you mean 'export.max_records'?");
    CHECK(error_of("[api.extra]\nx = 1") ==
          "config: key 'api.extra' at line 1: unknown key; known keys in [api]: security_mode, allow_persistent, "
          "signature_ttl, require_https, trusted_proxies");
}

TEST_CASE("a value of the wrong type names the key, the line and what was expected", "[config]") {
    CHECK(error_of("workers = \"4\"") ==
          "config: key 'workers' at line 1: expected an integer from 1 to 1024, got \"4\"");
    CHECK(error_of("workers = 4.0") == "config: key 'workers' at line 1: expected an integer from 1 to 1024, got 4.0");
    CHECK(error_of("listen = 9000") ==
          "config: key 'listen' at line 1: expected \"unix:/absolute/path\", \"HOST:PORT\" or \"inherit\", got 9000");
    CHECK(error_of("log_level = [\"info\"]") ==
          "config: key 'log_level' at line 1: expected one of debug, info, warning, error, got an array");
    CHECK(error_of("[api]\nallow_persistent = \"yes\"") ==
          "config: key 'api.allow_persistent' at line 2: expected true or false, got \"yes\"");
    CHECK(error_of("[api]\nrequire_https = 1") ==
          "config: key 'api.require_https' at line 2: expected true or false, got 1");
    CHECK(error_of("[database]\nstatement_mode = true") ==
          "config: key 'database.statement_mode' at line 2: expected \"prepared\" or \"unnamed\", got true");
    CHECK(error_of("[database]\ndsn = 5") ==
          "config: key 'database.dsn' at line 2: expected a libpq connection string, got 5");
    CHECK(error_of("[cache]\nmax_bytes = 1979-05-27") ==
          "config: key 'cache.max_bytes' at line 2: expected a non-negative integer (bytes; 0 disables the cache), got "
          "1979-05-27");
    CHECK(error_of("[export]\ncalendar_name = { text = \"x\" }") ==
          "config: key 'export.calendar_name' at line 2: expected a non-empty string, got a table");
}

TEST_CASE("a table given as a value, or a value as a table, is a type error", "[config]") {
    CHECK(error_of("database = \"dbname=indico\"") ==
          "config: key 'database' at line 1: expected a table ([database]), got \"dbname=indico\"");
    CHECK(error_of("[[api]]\nsignature_ttl = 60") ==
          "config: key 'api' at line 1: expected a table ([api]), got an array");
    CHECK(error_of("[workers]\ncount = 4") ==
          "config: key 'workers' at line 1: expected an integer from 1 to 1024, got a table");
}

TEST_CASE("of several errors, the first in the file is reported", "[config]") {
    // Tables are visited in name order (api before workers); the report is in line order.
    CHECK(error_of("# header\nworkers = 0\n\n[api]\nsignature_ttl = 0\n") ==
          "config: key 'workers' at line 2: expected an integer from 1 to 1024, got 0");
    CHECK(error_of("[export]\nmax_records = 0\n[api]\nbogus = 1\n") ==
          "config: key 'export.max_records' at line 2: expected a positive integer, got 0");
}

// --- TOML syntax --------------------------------------------------------------------

TEST_CASE("a TOML syntax error is a ConfigError with its line and column", "[config]") {
    using Catch::Matchers::StartsWith;
    CHECK_THAT(error_of("workers = 4\nlisten = \n"), StartsWith("config: syntax error at line 2, column "));
    CHECK_THAT(error_of("workers = 4\nworkers = 5\n"), StartsWith("config: syntax error at line 2, column "));
    CHECK_THAT(error_of("[database]\ndsn = \"x\"\n\n[database]\n"),
               StartsWith("config: syntax error at line 4, column "));
    CHECK_THAT(error_of("\n\nprodid = \"unterminated\n"), StartsWith("config: syntax error at line 3, column "));
    CHECK_THAT(error_of("workers = 99999999999999999999\n"), StartsWith("config: syntax error at line 1, column "));
    CHECK(error_of("workers = 4\nlisten = \n") ==
          "config: syntax error at line 2, column 10: Error while parsing key-value pair: expected value, saw '\\n'");
}

TEST_CASE("the source name given to parse_config starts every message", "[config]") {
    REQUIRE_THROWS_WITH(parse_config("workers = 0", "site.toml"),
                        "site.toml: key 'workers' at line 1: expected an integer from 1 to 1024, got 0");
    REQUIRE_THROWS_WITH(parse_config("workers =", "site.toml"),
                        Catch::Matchers::StartsWith("site.toml: syntax error at line 1"));
}

// --- rendering ------------------------------------------------------------------------

TEST_CASE("render_config of the defaults lists every key in DESIGN.md order", "[config]") {
    CHECK(render_config(Config{}) ==
          "# video-export configuration: the effective value of every key (docs/configuration.md)\n"
          "listen = \"unix:/run/video-export/fcgi.sock\"\n"
          "workers = 4\n"
          "max_requests = 10000\n"
          "request_timeout_s = 30\n"
          "mount_prefix = \"\"\n"
          "status_path = \"/video-export/status\"\n"
          "ping_path = \"/video-export/ping\"\n"
          "log_file = \"-\"\n"
          "log_level = \"info\"\n"
          "\n"
          "[database]\n"
          "dsn = \"dbname=indico\"\n"
          "write_dsn = \"\"\n"
          "statement_mode = \"prepared\"\n"
          "version_poll_ms = 1000\n"
          "\n"
          "[api]\n"
          "security_mode = \"onlykey_signed\"\n"
          "allow_persistent = true\n"
          "signature_ttl = 600\n"
          "require_https = false\n"
          "trusted_proxies = []\n"
          "\n"
          "[export]\n"
          "default_timezone = \"UTC\"\n"
          "max_records = 100000\n"
          "uid_domain = \"indico\"\n"
          "prodid = \"-//Indico//Video Export//EN\"\n"
          "event_url_template = \"https://indico.example.org/event/{event_id}/\"\n"
          "calendar_name = \"Video services\"\n"
          "refresh_interval = \"PT1H\"\n"
          "\n"
          "[cache]\n"
          "max_bytes = 67108864\n");
}

TEST_CASE("render_config marks a value that differs from the default with the default", "[config]") {
    const std::string rendered = render_config(parse_config(every_key));
    CHECK(rendered.find("\nworkers = 16  # default: 4\n") != std::string::npos);
    CHECK(rendered.find("\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]  # default: []\n") != std::string::npos);
    CHECK(rendered.find("\nmount_prefix = \"/indico\"  # default: \"\"\n") != std::string::npos);
    CHECK(rendered.find("\n[cache]\nmax_bytes = 0  # default: 67108864\n") != std::string::npos);
}

TEST_CASE("parse_config(render_config(c)) gives back c", "[config]") {
    SECTION("the defaults") {
        check_same(parse_config(render_config(Config{})), Config{});
    }
    SECTION("every key set in a file") {
        const Config c = parse_config(every_key);
        check_same(parse_config(render_config(c)), c);
    }
    SECTION("every key set in code, with strings TOML must escape") {
        Config c;
        c.listen = "[::1]:9000";
        c.workers = 1024;
        c.max_requests = 9223372036854775807;
        c.request_timeout_s = 1;
        c.mount_prefix = "/in\"dico";
        c.status_path = "/st\\atus";
        c.ping_path = "/pïng";
        c.log_file = "/var/log/video export/log #1.log";
        c.log_level = "error";
        c.database.dsn = "host=db\npassword='a\\'b\"c' dbname=indico";
        c.database.write_dsn = "dbname='x # y'";
        c.database.statement_mode = StatementMode::unnamed;
        c.database.version_poll_ms = 0;
        c.api.security_mode = SecurityMode::key;
        c.api.allow_persistent = false;
        c.api.signature_ttl = 1;
        c.api.require_https = true;
        c.api.trusted_proxies = {"192.0.2.1", "2001:db8::1"};
        c.export_.default_timezone = "Asia/Kolkata";
        c.export_.max_records = 1;
        c.export_.uid_domain = "uid's \"domain\"";
        c.export_.prodid = "-//Ünïcödé ✓ \\ '\"'''//EN";
        c.export_.event_url_template = "https://example.org/e?id={event_id}&x=\"'";
        c.export_.calendar_name = "Tab-free, comma; semicolon \\ backslash";
        c.export_.refresh_interval = "P1DT12H";
        c.cache.max_bytes = 0;
        const std::string rendered = render_config(c);
        INFO(rendered);
        const Config back = parse_config(rendered);
        check_same(back, c);
        CHECK(render_config(back) == rendered);
    }
    SECTION("Indico's numeric security modes") {
        for (int mode = 0; mode <= 4; ++mode) {
            const Config c = parse_config("[api]\nsecurity_mode = " + std::to_string(mode));
            check_same(parse_config(render_config(c)), c);
        }
    }
}

// --- load_config ------------------------------------------------------------------------

TEST_CASE("load_config reads a file", "[config]") {
    TempDir dir;
    const Config c = load_config(dir.write("config.toml", every_key));
    check_same(c, parse_config(every_key));
}

TEST_CASE("load_config names the file in validation and syntax errors", "[config]") {
    TempDir dir;
    const std::string path = dir.write("config.toml", "# site\nworkers = 0\n");
    REQUIRE_THROWS_WITH(load_config(path), "config file '" + path +
                                               "': key 'workers' at line 2: expected an integer from 1 to 1024, got 0");
    const std::string broken = dir.write("broken.toml", "[api\n");
    REQUIRE_THROWS_WITH(load_config(broken),
                        Catch::Matchers::StartsWith("config file '" + broken + "': syntax error at line 1, column "));
}

TEST_CASE("load_config names the path and the system error when the file cannot be read", "[config]") {
    TempDir dir;
    const std::string missing = (dir.path / "missing.toml").string();
    REQUIRE_THROWS_AS(load_config(missing), ConfigError);
    REQUIRE_THROWS_WITH(load_config(missing), "open config file '" + missing + "' failed: No such file or directory");
    REQUIRE_THROWS_WITH(load_config(dir.path.string()),
                        "read config file '" + dir.path.string() + "' failed: Is a directory");
}

TEST_CASE("load_config of an empty file gives the defaults", "[config]") {
    TempDir dir;
    check_documented_defaults(load_config(dir.write("empty.toml", "")));
}
