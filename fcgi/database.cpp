#include "fcgi/database.hpp"

#include "fcgi/log.hpp"
#include "sql/api_keys.hpp"

namespace vx::service {
namespace {

constexpr std::chrono::milliseconds first_backoff{100}, max_backoff{5000};
constexpr std::size_t max_cached_keys = 10000;

}  // namespace

Database::Database(const Config::Database& settings) : settings_(settings) {
    read_.dsn = settings.dsn;
    write_.dsn = settings.effective_write_dsn();
}

sql::Connection& Database::connect(Link& link) {
    if (link.connection && link.connection->healthy()) return *link.connection;
    link.connection.reset();
    const auto now = Clock::now();
    if (now < link.retry_at) throw DatabaseUnavailable("database unavailable (retrying)");
    try {
        link.connection = sql::Connection::open(link.dsn, settings_.statement_mode);
        if (link.backoff.count() > 0) {
            ++reconnects_;
            log::info("reconnected to \"{}\"", link.connection->target());
        }
        link.backoff = std::chrono::milliseconds{0};
        return *link.connection;
    } catch (const sql::Error& e) {
        link.backoff = link.backoff.count() == 0 ? first_backoff : std::min(link.backoff * 2, max_backoff);
        link.retry_at = now + link.backoff;
        log::warning("{} (next attempt in {} ms)", e.what(), link.backoff.count());
        throw DatabaseUnavailable(e.what());
    }
}

sql::Connection& Database::reader() { return connect(read_); }

sql::Connection& Database::writer() { return write_.dsn == read_.dsn ? connect(read_) : connect(write_); }

void Database::connection_lost(const sql::Error& error) {
    log::warning("database connection lost: {}", error.what());
    // Drop both: after a failover the other one is likely gone too. The next
    // request tries at once; further failures back off.
    for (Link* link : {&read_, &write_}) {
        if (!link->connection) continue;
        link->connection.reset();
        link->backoff = first_backoff;
        link->retry_at = Clock::now();
    }
    version_.reset();
}

const sql::DataVersion& Database::version() {
    const auto now = Clock::now();
    if (version_ && now - version_read_at_ < std::chrono::milliseconds{settings_.version_poll_ms}) return *version_;
    const sql::DataVersion fresh = guarded([&] { return sql::read_data_version(reader()); });
    if (!version_ || fresh.version != version_->version) {
        catalogue_.reset();
        keys_.clear();
    }
    version_ = fresh;
    version_read_at_ = now;
    return *version_;
}

const ServiceCatalogue& Database::catalogue() {
    version();
    if (!catalogue_) catalogue_ = guarded([&] { return sql::load_catalogue(reader()); });
    return *catalogue_;
}

std::optional<ApiKeyRecord> Database::api_key(const std::string& token) {
    version();
    if (const auto it = keys_.find(token); it != keys_.end()) return it->second;
    auto record = guarded([&] { return sql::find_api_key(reader(), token); });
    if (keys_.size() >= max_cached_keys) keys_.clear();
    keys_.emplace(token, record);
    return record;
}

}  // namespace vx::service
