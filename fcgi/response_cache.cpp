#include "fcgi/response_cache.hpp"

namespace vx::service {
namespace {

std::size_t cost(const std::string& etag, const CachedFeed& feed) {
    return etag.size() * 2 + feed.body.size() + 64;  // key twice (list + index) and bookkeeping
}

}  // namespace

const CachedFeed* ResponseCache::get(const std::string& etag) {
    const auto it = index_.find(etag);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return &it->second->feed;
}

void ResponseCache::put(const std::string& etag, CachedFeed feed) {
    const std::size_t size = cost(etag, feed);
    if (size > max_bytes_) return;
    if (const auto it = index_.find(etag); it != index_.end()) {
        bytes_ -= cost(it->second->etag, it->second->feed);
        lru_.erase(it->second);
        index_.erase(it);
    }
    evict_until_fits(size);
    lru_.push_front({etag, std::move(feed)});
    index_[etag] = lru_.begin();
    bytes_ += size;
}

void ResponseCache::keep_only_version(std::int64_t version) {
    if (version == version_) return;
    version_ = version;
    lru_.clear();
    index_.clear();
    bytes_ = 0;
}

void ResponseCache::evict_until_fits(std::size_t incoming) {
    while (!lru_.empty() && bytes_ + incoming > max_bytes_) {
        const Entry& victim = lru_.back();
        bytes_ -= cost(victim.etag, victim.feed);
        index_.erase(victim.etag);
        lru_.pop_back();
    }
}

}  // namespace vx::service
