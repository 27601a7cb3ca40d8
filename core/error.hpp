#pragma once
// The one error type of core/: what went wrong, as the HTTP status and the
// message the contract (DESIGN.md §3, §4) gives. The fcgi/ edge turns it into
// a `{"message": ...}` response; nothing inside core/ knows about HTTP I/O.

#include <stdexcept>
#include <string>

namespace vx {

class RequestError : public std::runtime_error {
public:
    RequestError(int status, std::string message)
        : std::runtime_error(std::move(message)), status_(status) {}

    int status() const noexcept { return status_; }
    std::string_view message() const noexcept { return what(); }

private:
    int status_;
};

[[noreturn]] inline void bad_request(std::string message) { throw RequestError(400, std::move(message)); }
[[noreturn]] inline void forbidden(std::string message) { throw RequestError(403, std::move(message)); }
[[noreturn]] inline void not_found(std::string message) { throw RequestError(404, std::move(message)); }

}  // namespace vx
