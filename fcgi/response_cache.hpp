#pragma once
// The per-worker response cache: finished feeds keyed by their strong ETag,
// least recently used first out, bounded by cache.max_bytes. The ETag holds
// the data version, so an entry can never be served for newer data; entries
// of older versions are dropped as soon as a newer version is seen.

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

namespace vx::service {

struct CachedFeed {
    std::string body;
    bool complete = true;
};

class ResponseCache {
public:
    explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    // nullptr when absent. The pointer is valid until the next put/purge.
    const CachedFeed* get(const std::string& etag);
    // Ignored when the feed alone exceeds the budget.
    void put(const std::string& etag, CachedFeed feed);
    // Drops everything cached for other data versions than `version`.
    void keep_only_version(std::int64_t version);

    std::size_t bytes() const noexcept { return bytes_; }
    std::size_t entries() const noexcept { return index_.size(); }

private:
    struct Entry {
        std::string etag;
        CachedFeed feed;
    };
    void evict_until_fits(std::size_t incoming);

    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::int64_t version_ = -1;
    std::list<Entry> lru_;  // front: most recently used
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace vx::service
