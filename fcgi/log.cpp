#include "fcgi/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace vx::service::log {
namespace {

// Process state, set once at start-up (and on reopen) before workers fork.
struct State {
    std::string file = "-";
    int fd = STDERR_FILENO;
    std::atomic<int> level{int(Level::info)};
} state;

constexpr std::string_view names[] = {"debug", "info", "warning", "error"};

int open_log(const std::string& file) {
    if (file == "-") return STDERR_FILENO;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) throw std::runtime_error("open log file '" + file + "' failed: " + std::strerror(errno));
    return fd;
}

}  // namespace

Level parse_level(std::string_view name) {
    for (std::size_t i = 0; i < std::size(names); ++i)
        if (names[i] == name) return Level(i);
    throw std::invalid_argument("unknown log level '" + std::string(name) + "' (debug, info, warning, error)");
}

void configure(const std::string& file, Level level) {
    const int fd = open_log(file);
    if (state.fd != STDERR_FILENO) ::close(state.fd);
    state.fd = fd;
    state.file = file;
    state.level = int(level);
}

void reopen() {
    if (state.file == "-") return;
    try {
        const int fd = open_log(state.file);
        ::dup2(fd, state.fd);  // atomic swap: concurrent writers never see a closed fd
        ::close(fd);
    } catch (const std::exception& e) {
        write(Level::error, e.what());
    }
}

bool enabled(Level level) noexcept { return int(level) >= state.level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view message) noexcept {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string line;
    try {
        line = fmt::format("{} video-export[{}] {}: {}\n", stamp, ::getpid(), names[int(level)], message);
    } catch (...) {
        return;
    }
    // One write(2) of a whole line: lines of several workers never interleave.
    for (std::size_t done = 0; done < line.size();) {
        const ssize_t n = ::write(state.fd, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += std::size_t(n);
    }
}

}  // namespace vx::service::log
