#pragma once
// The service configuration (TOML, DESIGN.md §8): every key, its default, and
// validation that names the key and the line. `video-export check-config`
// prints the effective values.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "sql/connection.hpp"

namespace vx::service {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Config {
    std::string listen = "unix:/run/video-export/fcgi.sock";  // or "127.0.0.1:9000", or "inherit"
    int workers = 4;
    std::int64_t max_requests = 10000;  // 0 = never recycle
    int request_timeout_s = 30;
    std::string mount_prefix;           // "" or "/indico": no trailing slash
    std::string status_path = "/video-export/status";
    std::string ping_path = "/video-export/ping";
    std::string log_file = "-";         // "-" = stderr
    std::string log_level = "info";     // debug, info, warning, error

    struct Database {
        std::string dsn = "dbname=indico";
        std::string write_dsn;          // "" = dsn
        sql::StatementMode statement_mode = sql::StatementMode::prepared;
        int version_poll_ms = 1000;

        const std::string& effective_write_dsn() const { return write_dsn.empty() ? dsn : write_dsn; }
    } database;

    struct Api {
        SecurityMode security_mode = SecurityMode::onlykey_signed;
        bool allow_persistent = true;
        std::int64_t signature_ttl = 600;
        bool require_https = false;
        std::vector<std::string> trusted_proxies;  // addresses whose X-Forwarded-Proto is believed
    } api;

    struct Export {
        std::string default_timezone = "UTC";
        std::int64_t max_records = 100000;
        std::string uid_domain = "indico";
        std::string prodid = "-//Indico//Video Export//EN";
        std::string event_url_template = "https://indico.example.org/event/{event_id}/";
        std::string calendar_name = "Video services";
        std::string refresh_interval = "PT1H";
    } export_;

    struct Cache {
        std::int64_t max_bytes = 67108864;  // per worker; 0 disables the response cache
    } cache;
};

// Reads and validates FILE. Throws ConfigError with messages such as
// "config: key 'workers' at line 3: expected a positive integer".
Config load_config(const std::string& path);

// The same from TOML text (`source` names it in messages).
Config parse_config(std::string_view toml_text, std::string_view source = "config");

// The effective configuration as TOML, every key present, loadable again.
std::string render_config(const Config& config);

}  // namespace vx::service
