#pragma once
// Process-wide logging for the service: one line per message, to stderr or a
// file that USR1 reopens (log rotation). Never the secret or the signature.

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace vx::service::log {

enum class Level { debug, info, warning, error };

// Throws std::invalid_argument for an unknown level name.
Level parse_level(std::string_view name);

// "-" is stderr. Throws std::runtime_error naming the file when it cannot be opened.
void configure(const std::string& file, Level level);
// Reopens the file (after logrotate moved it); a no-op for stderr.
void reopen();
bool enabled(Level level) noexcept;
// Writes "2026-12-04T20:15:03Z video-export[pid] level: message\n" in one write(2).
void write(Level level, std::string_view message) noexcept;

template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warning(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::warning)) write(Level::warning, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
    if (enabled(Level::error)) write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace vx::service::log
