#pragma once
// API keys: the lookup authentication needs, and usage recording in batches
// (DESIGN.md §4): a worker collects usage in memory and writes one UPDATE per
// flush, one row per key, locking keys in id order so concurrent workers never
// deadlock and a busy key never becomes a per-request row-lock hot spot.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/access.hpp"
#include "sql/connection.hpp"

namespace vx::sql {

// By canonical token (lower-case 8-4-4-4-12); nullopt when no such key.
std::optional<ApiKeyRecord> find_api_key(Connection& connection, std::string_view token);

struct KeyUsage {
    Timestamp used_at{};
    std::string ip;   // REMOTE_ADDR; stored as NULL unless a valid IPv4/IPv6 address
    std::string uri;  // API path + canonical query without signature/timestamp
    bool authenticated = true;  // false when the request asked onlypublic=yes
};

class UsageBatch {
public:
    void record(std::int64_t key_id, KeyUsage usage);
    bool empty() const noexcept { return pending_.empty(); }
    std::size_t requests() const noexcept { return requests_; }

    // Writes everything recorded so far; the batch is emptied only once the
    // UPDATE committed, so a failed flush loses nothing and can be retried.
    void flush(Connection& connection);

private:
    struct Pending {
        KeyUsage last;
        std::int64_t count = 0;
    };
    std::map<std::int64_t, Pending> pending_;  // ordered by key id
    std::size_t requests_ = 0;
};

}  // namespace vx::sql
