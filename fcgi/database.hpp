#pragma once
// A worker's view of the database: one read connection (and one for usage
// recording when database.write_dsn differs), reconnected with back-off, and
// the small things every request needs — data version, service catalogue,
// API keys — cached until the data version moves. The version itself is
// re-read at most every database.version_poll_ms.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "core/access.hpp"
#include "core/service_catalogue.hpp"
#include "fcgi/config.hpp"
#include "sql/catalogue_store.hpp"
#include "sql/connection.hpp"

namespace vx::service {

// The database cannot be reached now: the request gets 503.
class DatabaseUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Database {
public:
    using Clock = std::chrono::steady_clock;

    explicit Database(const Config::Database& settings);

    // The read connection; connects if needed. Throws DatabaseUnavailable
    // (without trying) while in back-off after a failure.
    sql::Connection& reader();
    // The connection for usage recording (the reader when write_dsn is empty).
    sql::Connection& writer();
    // After a statement failed with connection_lost(): drop the connection so
    // the next request reconnects (after back-off).
    void connection_lost(const sql::Error& error);

    // The data version, re-read when older than version_poll_ms. A version
    // change empties the catalogue and key caches.
    const sql::DataVersion& version();
    const ServiceCatalogue& catalogue();
    std::optional<ApiKeyRecord> api_key(const std::string& token);

    // Runs `work` and maps lost connections to DatabaseUnavailable.
    template <class F>
    auto guarded(F&& work) -> decltype(work()) {
        try {
            return work();
        } catch (const sql::Error& e) {
            if (!e.connection_lost()) throw;
            connection_lost(e);
            throw DatabaseUnavailable(e.what());
        }
    }

    std::uint64_t reconnects() const noexcept { return reconnects_; }

private:
    struct Link {
        std::string dsn;
        std::optional<sql::Connection> connection;
        Clock::time_point retry_at{};
        std::chrono::milliseconds backoff{0};
    };
    sql::Connection& connect(Link& link);

    Config::Database settings_;
    Link read_, write_;
    std::optional<sql::DataVersion> version_;
    Clock::time_point version_read_at_{};
    std::optional<ServiceCatalogue> catalogue_;
    std::unordered_map<std::string, std::optional<ApiKeyRecord>> keys_;
    std::uint64_t reconnects_ = 0;
};

}  // namespace vx::service
