#include "fcgi/metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace vx::service {

std::string render_metrics(const ScoreboardTotals& t) {
    std::string out;
    auto o = std::back_inserter(out);
    const auto metric = [&](std::string_view name, std::string_view type, std::string_view help) {
        fmt::format_to(o, "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    };
    metric("video_export_requests_total", "counter", "Requests answered, by status class.");
    for (std::size_t c = 1; c < t.responses_by_class.size(); ++c)
        fmt::format_to(o, "video_export_requests_total{{status=\"{}xx\"}} {}\n", c, t.responses_by_class[c]);
    metric("video_export_cache_hits_total", "counter", "Feeds served from a worker's response cache.");
    fmt::format_to(o, "video_export_cache_hits_total {}\n", t.cache_hits);
    metric("video_export_request_duration_seconds", "histogram", "Time to answer a request.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_bounds_ms.size(); ++i) {
        cumulative += t.latency_buckets[i];
        fmt::format_to(o, "video_export_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       double(latency_bounds_ms[i]) / 1000, cumulative);
    }
    cumulative += t.latency_buckets.back();
    fmt::format_to(o, "video_export_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
    fmt::format_to(o, "video_export_request_duration_seconds_sum {}\n", double(t.latency_sum_us) / 1e6);
    fmt::format_to(o, "video_export_request_duration_seconds_count {}\n", t.requests);
    metric("video_export_workers", "gauge", "Worker processes, by state.");
    fmt::format_to(o, "video_export_workers{{state=\"busy\"}} {}\n", t.workers_busy);
    fmt::format_to(o, "video_export_workers{{state=\"idle\"}} {}\n", t.workers_idle);
    metric("video_export_workers_configured", "gauge", "Workers the configuration asks for.");
    fmt::format_to(o, "video_export_workers_configured {}\n", t.workers_configured);
    metric("video_export_worker_respawns_total", "counter", "Workers started again after exiting or dying.");
    fmt::format_to(o, "video_export_worker_respawns_total {}\n", t.respawns);
    metric("video_export_request_timeouts_total", "counter", "Workers killed for exceeding request_timeout_s.");
    fmt::format_to(o, "video_export_request_timeouts_total {}\n", t.timeouts_killed);
    metric("video_export_database_reconnects_total", "counter", "Database connections re-established.");
    fmt::format_to(o, "video_export_database_reconnects_total {}\n", t.db_reconnects);
    return out;
}

}  // namespace vx::service
