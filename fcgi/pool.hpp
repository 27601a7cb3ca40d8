#pragma once
// The worker pool (DESIGN.md §8): one master process that opens the FastCGI
// socket, forks `workers` processes and supervises them; the workers accept
// and answer requests through a Handler each creates after fork.
//
// Signals, sent to the master (it forwards what workers need):
//   TERM, INT  stop now: workers get SIGTERM and exit after the request in
//              hand; leftovers are SIGKILLed after 5 s. Exit code 0.
//   QUIT       graceful stop: workers finish their request, then exit; the
//              wait is bounded by request_timeout_s (+5 s). Exit code 0.
//   HUP        reload: `reload` (if given) returns fresh settings, then every
//              worker is replaced gracefully, position by position (a new
//              generation). `listen` cannot change without a restart.
//   USR1       reopen the log file, in the master and in every worker.
//
// Worker exit codes (the worker <-> master contract):
//   0                    stopped as asked (or by somebody else's signal:
//                        respawned like a crash)
//   exit_recycled        served max_requests: respawned at once
//   exit_config_error    cannot start because of configuration (the handler
//                        factory threw ConfigError or std::invalid_argument):
//                        never respawned; the master stops with this code
//   anything else, or killed by a signal: respawned after a back-off per
//                        position, 100 ms doubling to 10 s, back to 100 ms
//                        once a worker has lived 10 s
// A worker busy in one request longer than request_timeout_s is SIGKILLed
// and respawned at once.
//
// run_pool returns: 0 after TERM/INT/QUIT, exit_config_error when the
// settings or the `listen` socket are unusable as configured (malformed,
// missing directory, not an inherited socket) or a worker reported a
// configuration error, and 1 when the operating system refused (bind, mmap...).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fcgi/handler.hpp"

namespace vx::service {

struct PoolSettings {
    std::string listen;  // see listen_socket.hpp
    int workers = 4;
    std::int64_t max_requests = 10000;  // 0 = never recycle
    int request_timeout_s = 30;         // 0 = no limit
};

class Scoreboard;
struct WorkerSlot;

// What a worker's handler may use of the pool: its own scoreboard slot (to
// count statuses and cache hits) and the whole board (for the status page).
struct WorkerContext {
    const Scoreboard& scoreboard;
    WorkerSlot& slot;
};

// Called in each worker after fork (each worker gets its own database
// connection). After a reload, the next workers call it again: a factory that
// reads configuration the reload callback updated gets the new values.
using HandlerFactory = std::function<std::unique_ptr<Handler>(const WorkerContext&)>;
// Called in the master on SIGHUP; throwing (e.g. ConfigError) keeps the
// running settings and workers, and the error is logged.
using SettingsReload = std::function<PoolSettings()>;

inline constexpr int exit_config_error = 78;  // EX_CONFIG (sysexits.h)
inline constexpr int exit_recycled = 75;      // EX_TEMPFAIL: "start me again"

// Runs the master until TERM/INT (immediate stop) or QUIT (graceful: workers
// finish their in-flight request); returns the process exit code. Logs
// through log.hpp. Does not return in the workers (they _exit).
int run_pool(const PoolSettings& settings, const HandlerFactory& make_handler, const SettingsReload& reload = {});

}  // namespace vx::service
