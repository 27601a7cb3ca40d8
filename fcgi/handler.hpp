#pragma once
// The seam between the worker pool and request handling. The pool owns
// processes, the listening socket and the FastCGI accept loop; for every
// accepted request it calls a Handler, which each worker creates after fork
// (so every worker has its own database connection).

#include <memory>

struct FCGX_Request;

namespace vx::service {

class Handler {
public:
    virtual ~Handler() = default;
    // Answer one request completely (headers and body) on req's streams.
    // Must not throw: a handler maps every failure to an HTTP answer.
    virtual void handle(FCGX_Request& request) noexcept = 0;
    // Called about once a second while the worker waits for requests, and
    // once more before the worker exits (graceful stop, recycling): a chance
    // to flush batched work such as key usage.
    virtual void tick() noexcept {}
    virtual void shutdown() noexcept {}
};

}  // namespace vx::service
