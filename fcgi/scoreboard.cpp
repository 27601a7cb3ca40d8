#include "fcgi/scoreboard.hpp"

#include <sys/mman.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <new>
#include <system_error>
#include <utility>

namespace vx::service {

// Shared between processes, these must not fall back to a lock.
static_assert(std::atomic<std::int32_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<WorkerState>::is_always_lock_free);

std::int64_t monotonic_ms() noexcept {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

void WorkerSlot::record_request(std::chrono::microseconds duration) noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    const std::int64_t us = std::max<std::int64_t>(duration.count(), 0);
    const auto bound = std::lower_bound(latency_bounds_ms.begin(), latency_bounds_ms.end(), (us + 999) / 1000);
    latency_buckets[std::size_t(bound - latency_bounds_ms.begin())].fetch_add(1, relaxed);
    latency_sum_us.fetch_add(std::uint64_t(us), relaxed);
    requests.fetch_add(1, relaxed);
    process_requests.fetch_add(1, relaxed);
}

void WorkerSlot::record_status(int status) noexcept {
    const std::size_t index = status >= 100 && status <= 599 ? std::size_t(status / 100) : 0;
    responses_by_class[index].fetch_add(1, std::memory_order_relaxed);
}

namespace {
constexpr std::size_t header_bytes =
    (sizeof(ScoreboardHeader) + alignof(WorkerSlot) - 1) / alignof(WorkerSlot) * alignof(WorkerSlot);
}

Scoreboard::Scoreboard(std::size_t slots) : bytes_(header_bytes + slots * sizeof(WorkerSlot)), slots_(slots) {
    // Anonymous and shared: inherited by every fork, invisible to anybody else.
    mapping_ = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::system_error(errno, std::generic_category(),
                                fmt::format("mmap() of the {}-byte scoreboard for {} workers failed", bytes_, slots));
    }
    auto* base = static_cast<unsigned char*>(mapping_);
    header_ = new (base) ScoreboardHeader();
    slot_array_ = reinterpret_cast<WorkerSlot*>(base + header_bytes);
    for (std::size_t i = 0; i < slots; ++i) new (&slot_array_[i]) WorkerSlot();
}

Scoreboard::Scoreboard(Scoreboard&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      slots_(std::exchange(other.slots_, 0)),
      header_(std::exchange(other.header_, nullptr)),
      slot_array_(std::exchange(other.slot_array_, nullptr)) {}

Scoreboard& Scoreboard::operator=(Scoreboard&& other) noexcept {
    if (this != &other) {
        unmap();
        mapping_ = std::exchange(other.mapping_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
        slots_ = std::exchange(other.slots_, 0);
        header_ = std::exchange(other.header_, nullptr);
        slot_array_ = std::exchange(other.slot_array_, nullptr);
    }
    return *this;
}

Scoreboard::~Scoreboard() {
    unmap();
}

void Scoreboard::unmap() noexcept {
    // The atomics are trivially destructible: unmapping is all there is to do.
    if (mapping_ != nullptr) ::munmap(mapping_, bytes_);
    mapping_ = nullptr;
}

ScoreboardTotals Scoreboard::totals() const noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    ScoreboardTotals t;
    t.workers_configured = header_->workers_configured.load(relaxed);
    for (std::size_t i = 0; i < slots_; ++i) {
        const WorkerSlot& s = slot_array_[i];
        if (s.pid.load(relaxed) != 0) {
            ++t.workers_live;
            const WorkerState state = s.state.load(relaxed);
            if (state == WorkerState::busy) ++t.workers_busy;
            if (state == WorkerState::idle) ++t.workers_idle;
        }
        t.requests += s.requests.load(relaxed);
        for (std::size_t c = 0; c < status_class_count; ++c)
            t.responses_by_class[c] += s.responses_by_class[c].load(relaxed);
        for (std::size_t b = 0; b < latency_bucket_count; ++b)
            t.latency_buckets[b] += s.latency_buckets[b].load(relaxed);
        t.latency_sum_us += s.latency_sum_us.load(relaxed);
        t.cache_hits += s.cache_hits.load(relaxed);
        t.db_reconnects += s.db_reconnects.load(relaxed);
        t.respawns += s.respawns.load(relaxed);
        t.timeouts_killed += s.timeouts_killed.load(relaxed);
    }
    return t;
}

}  // namespace vx::service
