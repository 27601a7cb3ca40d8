#pragma once
// The pool's scoreboard: shared memory the master maps (MAP_SHARED |
// MAP_ANONYMOUS) before it forks, so master and workers read and write the
// same slots without messages. One slot per worker position, like PHP-FPM's
// scoreboard; the status page (DESIGN.md §8) will sum the slots.
//
// Every field is a lock-free std::atomic: a process can be SIGKILLed at any
// moment, so nothing here may ever be guarded by a lock.
//
// Who writes what:
//   master  pid, generation, started_ms at spawn; state = empty at exit;
//           spawns, respawns, timeouts_killed
//   worker  state, busy_since_ms, process_requests, and the request counters
// "This process" fields are reset at every spawn; the cumulative ones are
// not, so counters never go backwards when a worker is recycled or respawned
// (Prometheus counters must be monotonic).

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vx::service {

enum class WorkerState : std::uint32_t { empty, starting, idle, busy, stopping };

// Request latency histogram: upper bounds in milliseconds (Prometheus `le`);
// the last bucket is +Inf.
inline constexpr std::array<std::int64_t, 11> latency_bounds_ms = {5,   10,   25,   50,   100,  250,
                                                                   500, 1000, 2500, 5000, 10000};
inline constexpr std::size_t latency_bucket_count = latency_bounds_ms.size() + 1;

// Response status classes: [0] unknown, [1] 1xx ... [5] 5xx.
inline constexpr std::size_t status_class_count = 6;

// CLOCK_MONOTONIC in milliseconds: the same clock in every process of the pool.
std::int64_t monotonic_ms() noexcept;

struct alignas(64) WorkerSlot {
    // ---- the process in this slot (reset at every spawn)
    std::atomic<std::int32_t> pid{0};  // 0: no process
    std::atomic<WorkerState> state{WorkerState::empty};
    std::atomic<std::uint64_t> generation{0};    // bumped by each reload (HUP)
    std::atomic<std::int64_t> started_ms{0};     // monotonic_ms() at fork
    std::atomic<std::int64_t> busy_since_ms{0};  // monotonic_ms() at accept; 0 between requests
    std::atomic<std::uint64_t> process_requests{0};

    // ---- cumulative over every process this slot has held
    std::atomic<std::uint64_t> requests{0};
    std::array<std::atomic<std::uint64_t>, status_class_count> responses_by_class{};
    // Requests per latency range (bucket i: above bound i-1, up to bound i);
    // Prometheus' cumulative `le` buckets are running sums of these.
    std::array<std::atomic<std::uint64_t>, latency_bucket_count> latency_buckets{};
    std::atomic<std::uint64_t> latency_sum_us{0};
    std::atomic<std::uint64_t> cache_hits{0};
    std::atomic<std::uint64_t> db_reconnects{0};
    std::atomic<std::uint64_t> spawns{0};
    std::atomic<std::uint64_t> respawns{0};         // spawns after the slot's first one
    std::atomic<std::uint64_t> timeouts_killed{0};  // SIGKILLed for request_timeout_s

    // A request of `duration` has ended (the pool calls this).
    void record_request(std::chrono::microseconds duration) noexcept;
    // The status the handler answered (for the status page; not yet wired).
    void record_status(int status) noexcept;
};

struct ScoreboardHeader {
    std::atomic<std::int32_t> master_pid{0};
    std::atomic<std::int64_t> started_ms{0};
    std::atomic<std::uint64_t> generation{0};
    std::atomic<std::uint32_t> workers_configured{0};
};

// Sums over all slots at one moment (each field read atomically; the whole
// is not a consistent snapshot, which metrics do not need).
struct ScoreboardTotals {
    std::uint32_t workers_configured = 0;
    std::uint32_t workers_live = 0;
    std::uint32_t workers_busy = 0;
    std::uint32_t workers_idle = 0;
    std::uint64_t requests = 0;
    std::array<std::uint64_t, status_class_count> responses_by_class{};
    std::array<std::uint64_t, latency_bucket_count> latency_buckets{};
    std::uint64_t latency_sum_us = 0;
    std::uint64_t cache_hits = 0;
    std::uint64_t db_reconnects = 0;
    std::uint64_t respawns = 0;
    std::uint64_t timeouts_killed = 0;
};

// Owns the mapping; move-only. Slots are value-initialised (state empty).
class Scoreboard {
public:
    // Throws std::system_error naming mmap() and the size.
    explicit Scoreboard(std::size_t slots);
    Scoreboard(Scoreboard&& other) noexcept;
    Scoreboard& operator=(Scoreboard&& other) noexcept;
    Scoreboard(const Scoreboard&) = delete;
    Scoreboard& operator=(const Scoreboard&) = delete;
    ~Scoreboard();

    std::size_t size() const noexcept { return slots_; }
    ScoreboardHeader& header() const noexcept { return *header_; }
    WorkerSlot& slot(std::size_t index) const noexcept { return slot_array_[index]; }
    ScoreboardTotals totals() const noexcept;

private:
    void unmap() noexcept;

    void* mapping_ = nullptr;
    std::size_t bytes_ = 0;
    std::size_t slots_ = 0;
    ScoreboardHeader* header_ = nullptr;
    WorkerSlot* slot_array_ = nullptr;
};

}  // namespace vx::service
