// A tiny FastCGI application on the real worker pool, for pool_test.py.
//
//   pool_probe LISTEN [--workers N] [--max-requests N] [--timeout S]
//              [--log FILE] [--reload-workers N] [--fail-config] [--fail-start]
//
// Every request is answered "pid=<worker pid> n=<requests this worker served>
// path=<SCRIPT_NAME or DOCUMENT_URI>". The query string steers it:
//   sleep=S   sleep S seconds (fractions allowed) before answering
//   exit=N    the worker _exits with code N without answering
// --fail-config: the handler factory throws std::invalid_argument (a
// configuration error); --fail-start: it throws std::runtime_error.
// --reload-workers N: SIGHUP reloads with workers = N.

#include <fcgiapp.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fcgi/log.hpp"
#include "fcgi/pool.hpp"

namespace {

using namespace vx::service;

// The value of `name` in an a=1&b=2 query, or "".
std::string query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    }
    return "";
}

// Sleeps the whole time even when signals interrupt (they may: QUIT, USR1).
void sleep_seconds(double seconds) {
    timespec until{};
    ::clock_gettime(CLOCK_MONOTONIC, &until);
    const auto ns = static_cast<long long>(seconds * 1e9);
    until.tv_sec += static_cast<time_t>(ns / 1000000000);
    until.tv_nsec += static_cast<long>(ns % 1000000000);
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec += 1;
        until.tv_nsec -= 1000000000;
    }
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
    }
}

class ProbeHandler : public Handler {
public:
    void handle(FCGX_Request& request) noexcept override {
        ++served_;
        const char* path = FCGX_GetParam("SCRIPT_NAME", request.envp);
        if (path == nullptr || *path == '\0') path = FCGX_GetParam("DOCUMENT_URI", request.envp);
        const char* raw_query = FCGX_GetParam("QUERY_STRING", request.envp);
        const std::string query = raw_query ? raw_query : "";
        const std::string path_copy = path ? path : "";
        log::info("probe: request {} for {}?{}", served_, path_copy, query);

        if (const std::string code = query_value(query, "exit"); !code.empty()) ::_exit(std::atoi(code.c_str()));
        if (const std::string s = query_value(query, "sleep"); !s.empty())
            sleep_seconds(std::strtod(s.c_str(), nullptr));

        FCGX_FPrintF(request.out, "Content-Type: text/plain\r\n\r\npid=%d n=%lld path=%s\n", int(::getpid()),
                     static_cast<long long>(served_), path_copy.c_str());
    }
    void tick() noexcept override { ++ticks_; }
    void shutdown() noexcept override { log::info("probe: shutdown after {} requests, {} ticks", served_, ticks_); }

private:
    long long served_ = 0;
    long long ticks_ = 0;
};

[[noreturn]] void usage(const char* message) {
    std::fprintf(stderr, "pool_probe: %s\n", message);
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) usage("usage: pool_probe LISTEN [options]");
    PoolSettings settings;
    settings.listen = argv[1];
    std::string log_file = "-";
    bool fail_config = false;
    bool fail_start = false;
    int reload_workers = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage("an option lacks its value");
            return argv[++i];
        };
        if (arg == "--workers")
            settings.workers = std::atoi(value());
        else if (arg == "--max-requests")
            settings.max_requests = std::atoll(value());
        else if (arg == "--timeout")
            settings.request_timeout_s = std::atoi(value());
        else if (arg == "--log")
            log_file = value();
        else if (arg == "--reload-workers")
            reload_workers = std::atoi(value());
        else if (arg == "--fail-config")
            fail_config = true;
        else if (arg == "--fail-start")
            fail_start = true;
        else
            usage("unknown option");
    }
    log::configure(log_file, log::Level::info);

    const HandlerFactory factory = [&](const WorkerContext&) -> std::unique_ptr<Handler> {
        if (fail_config) throw std::invalid_argument("probe: --fail-config was given");
        if (fail_start) throw std::runtime_error("probe: --fail-start was given");
        return std::make_unique<ProbeHandler>();
    };
    SettingsReload reload;
    if (reload_workers > 0)
        reload = [&] {
            PoolSettings next = settings;
            next.workers = reload_workers;
            return next;
        };
    return run_pool(settings, factory, reload);
}
