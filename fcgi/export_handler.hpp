#pragma once
// The export service's Handler: one FastCGI request in, one HTTP answer out
// (DESIGN.md §3–§5, §7). The order of checks is the contract's: path and
// type (404), method (405), authentication (400/403), parameters (400); then
// conditional requests (304) before any booking is read.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/export_params.hpp"
#include "core/feed.hpp"
#include "fcgi/config.hpp"
#include "fcgi/database.hpp"
#include "fcgi/fastcgi_output.hpp"
#include "fcgi/handler.hpp"
#include "fcgi/http_request.hpp"
#include "fcgi/pool.hpp"
#include "fcgi/response_cache.hpp"
#include "sql/api_keys.hpp"

namespace vx::service {

class ExportHandler final : public Handler {
public:
    // `context` is the worker's place in the pool (metrics); nullptr outside
    // one. It is copied: it refers to the pool's shared memory, not to itself.
    ExportHandler(const Config& config, const WorkerContext* context);

    void handle(FCGX_Request& request) noexcept override;
    void tick() noexcept override;
    void shutdown() noexcept override;

private:
    struct Outcome {
        int status = 0;
        std::int64_t key_id = 0;
        std::string services;
    };
    void answer(const HttpRequest& request, FastcgiOutput& out, Outcome& outcome);
    void answer_export(const HttpRequest& request, std::string_view api_path, FastcgiOutput& out, Outcome& outcome);
    void answer_ping(FastcgiOutput& out);
    void answer_status(FastcgiOutput& out);
    bool arrived_over_https(const HttpRequest& request) const;
    void flush_usage() noexcept;

    std::optional<WorkerContext> context_;
    Config config_;
    AccessSettings access_;
    ParamSettings params_;
    FeedSettings feed_;
    std::string fingerprint_;  // settings that shape the bytes, for the ETag
    Database db_;
    ResponseCache cache_;
    sql::UsageBatch usage_;
    std::chrono::steady_clock::time_point usage_since_{};
    std::uint64_t reconnects_reported_ = 0;
};

}  // namespace vx::service
