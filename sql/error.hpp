#pragma once
// The one error type of sql/: what failed, with the SQLSTATE when the server
// gave one. A lost or refused connection is told apart because the service
// answers 503 and reconnects for those, and fails loudly for the rest.

#include <stdexcept>
#include <string>

namespace vx::sql {

class Error : public std::runtime_error {
public:
    Error(std::string message, std::string sqlstate = {}, bool connection_lost = false)
        : std::runtime_error(std::move(message)), sqlstate_(std::move(sqlstate)), connection_lost_(connection_lost) {}

    const std::string& sqlstate() const noexcept { return sqlstate_; }
    // The server is unreachable or the session died: worth a reconnect.
    bool connection_lost() const noexcept { return connection_lost_; }

private:
    std::string sqlstate_;
    bool connection_lost_;
};

}  // namespace vx::sql
