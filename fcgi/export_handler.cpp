#include "fcgi/export_handler.hpp"

#include <fcgiapp.h>

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/http_cache.hpp"
#include "core/ics_writer.hpp"
#include "core/json_writer.hpp"
#include "core/route.hpp"
#include "core/signature.hpp"
#include "fcgi/log.hpp"
#include "fcgi/metrics.hpp"
#include "sql/booking_query.hpp"
#include "sql/transaction.hpp"

namespace vx::service {
namespace {

using Clock = std::chrono::steady_clock;

// Feeds up to this size are sent whole with Content-Length and cached;
// larger ones are streamed.
constexpr std::size_t buffered_feed_limit = 4 * 1024 * 1024;
constexpr std::size_t usage_flush_requests = 200;
constexpr auto usage_flush_interval = std::chrono::seconds{2};

std::string json_message(std::string_view message) {
    std::string body = "{\"message\":";
    append_json_string(body, message);
    body += "}";
    return body;
}

void send_error(FastcgiOutput& out, int status, std::string_view message, Headers extra = {}) {
    extra.emplace_back("Content-Type", "application/json");
    extra.emplace_back("Cache-Control", "no-store");
    out.send(status, extra, json_message(message));
}

Timestamp now_utc() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

ExportHandler::ExportHandler(const Config& config, const WorkerContext* context)
    : config_(config), db_(config.database), cache_(std::size_t(config.cache.max_bytes)) {
    if (context) context_.emplace(*context);
    access_ = {config.api.security_mode, config.api.allow_persistent, config.api.signature_ttl, config.api.require_https};
    params_ = {find_zone(config.export_.default_timezone), config.export_.max_records};
    const auto& e = config.export_;
    feed_.prodid = e.prodid;
    feed_.uid_domain = e.uid_domain;
    feed_.calendar_name = e.calendar_name;
    feed_.refresh_interval = e.refresh_interval;
    feed_.event_url = EventUrlTemplate(e.event_url_template);
    fingerprint_ = fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}", e.prodid, e.uid_domain, e.calendar_name,
                               e.refresh_interval, e.event_url_template, e.max_records, config.mount_prefix);
    // Connect early so the first request does not pay for it; a database
    // that is down now is retried by requests.
    try {
        db_.reader();
    } catch (const DatabaseUnavailable&) {
    }
}

bool ExportHandler::arrived_over_https(const HttpRequest& request) const {
    if (request.https) return true;
    if (!request.forwarded_proto) return false;
    const auto& proxies = config_.api.trusted_proxies;
    std::string proto = *request.forwarded_proto;
    std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return proto == "https" && std::find(proxies.begin(), proxies.end(), request.remote_addr) != proxies.end();
}

void ExportHandler::handle(FCGX_Request& request) noexcept {
    const auto started = Clock::now();
    Outcome outcome;
    HttpRequest http;
    try {
        http = read_request(request);
    } catch (...) {
        return;
    }
    FastcgiOutput out(request, http.method == "HEAD");
    try {
        answer(http, out, outcome);
    } catch (const RequestError& e) {
        outcome.status = e.status();
        if (!out.started()) send_error(out, e.status(), e.message());
    } catch (const DatabaseUnavailable&) {
        outcome.status = 503;
        if (out.started()) out.abort();
        else send_error(out, 503, "The database is unavailable; try again later", {{"Retry-After", "5"}});
    } catch (const std::exception& e) {
        // Not the caller's fault (a lost client, a bug, the database refusing
        // a statement): a started stream is cut, otherwise a plain 500.
        log::error("{} {}: {}", http.method, http.path, e.what());
        outcome.status = out.started() ? out.status() : 500;
        if (out.started()) out.abort();
        else {
            try {
                send_error(out, 500, "Internal error");
            } catch (...) {
            }
        }
    }
    const auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    // Never the query string: it carries the signature.
    log::info("{} {} {} {}B {:.1f}ms services={} key={}", outcome.status ? outcome.status : out.status(), http.method,
              http.path, out.body_bytes(), ms, outcome.services.empty() ? "-" : outcome.services,
              outcome.key_id ? std::to_string(outcome.key_id) : "-");
    if (context_) {
        context_->slot.record_status(outcome.status ? outcome.status : out.status());
        if (db_.reconnects() != reconnects_reported_) {
            context_->slot.db_reconnects.fetch_add(db_.reconnects() - reconnects_reported_, std::memory_order_relaxed);
            reconnects_reported_ = db_.reconnects();
        }
    }
    tick();  // a busy worker is rarely idle: flush usage between requests too
}

void ExportHandler::answer(const HttpRequest& request, FastcgiOutput& out, Outcome& outcome) {
    if (request.path == config_.ping_path) {
        answer_ping(out);
        return;
    }
    if (request.path == config_.status_path) {
        answer_status(out);
        return;
    }
    const auto api_path = strip_mount_prefix(request.path, config_.mount_prefix);
    if (!api_path) not_found("Not found");
    answer_export(request, *api_path, out, outcome);
}

void ExportHandler::answer_ping(FastcgiOutput& out) {
    const Headers headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}};
    try {
        db_.guarded([&] { sql::ping(db_.reader()); });
        out.send(200, headers, "pong\n");
    } catch (const DatabaseUnavailable&) {
        out.send(503, headers, "database unavailable\n");
    }
}

void ExportHandler::answer_status(FastcgiOutput& out) {
    if (!context_) not_found("Not found");
    out.send(200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}, {"Cache-Control", "no-store"}},
             render_metrics(context_->scoreboard.totals()));
}

void ExportHandler::answer_export(const HttpRequest& request, std::string_view api_path, FastcgiOutput& out,
                                  Outcome& outcome) {
    const ExportRoute route = parse_export_route(api_path);
    for (const auto& slug : route.slugs) outcome.services += (outcome.services.empty() ? "" : "-") + slug;
    if (request.method != "GET" && request.method != "HEAD") {
        outcome.status = 405;
        send_error(out, 405, "Method not allowed; use GET or HEAD", {{"Allow", "GET, HEAD"}});
        return;
    }

    // Authentication.
    const QueryString query = QueryString::parse(request.query);
    const KeyRequest key_request = read_key_request(query);
    std::optional<ApiKeyRecord> key;
    if (key_request.token) key = db_.api_key(*key_request.token);
    const Timestamp now = now_utc();
    const std::int64_t now_unix = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const AccessOutcome access = decide_access(
        access_, {route.api_path, &query, &key_request, key ? &*key : nullptr, now_unix, arrived_over_https(request)});
    const ApiKeyRecord& user = require_user(access);
    outcome.key_id = user.key_id;

    // Parameters. The catalogue is copied (a handful of rows): a data-version
    // change later in this request reloads the worker's, and the selection
    // and the rows point into this one.
    const ServiceCatalogue catalogue = db_.catalogue();
    const ServiceSelection selection = catalogue.resolve(route.slugs);
    const ExportParams params = parse_export_params(query, params_, now);

    // Validators: a poll that changed nothing ends here.
    const std::string canonical = canonical_feed_query(query);
    sql::DataVersion version = db_.version();
    const auto validators = [&](const sql::DataVersion& v) {
        return std::pair{feed_etag({v.version, user.user_id, route.api_path, canonical, fingerprint_}), v.changed_at};
    };
    auto [etag, last_modified] = validators(version);
    const auto validator_headers = [&]() -> Headers {
        return {{"Cache-Control", "private"}, {"ETag", etag}, {"Last-Modified", http_date(last_modified)}};
    };
    const auto record_usage = [&] {
        if (usage_.empty()) usage_since_ = Clock::now();
        usage_.record(user.key_id, {now, request.remote_addr,
                                    route.api_path + "?" + canonical_query_a(query.pairs(), {"signature", "timestamp"}),
                                    !params.only_public});
    };
    Headers headers = validator_headers();
    if (is_not_modified(request.if_none_match, request.if_modified_since, etag, last_modified)) {
        outcome.status = 304;
        out.send(304, headers, {});
        record_usage();
        return;
    }

    const bool is_ics = route.format == FeedFormat::ics;
    const std::string content_type = is_ics ? "text/calendar; charset=utf-8" : "application/json";
    cache_.keep_only_version(version.version);
    if (!params.no_cache) {
        if (const CachedFeed* hit = cache_.get(etag)) {
            headers.emplace_back("Content-Type", content_type);
            headers.emplace_back("X-Export-Complete", hit->complete ? "true" : "false");
            outcome.status = 200;
            if (context_) context_->slot.cache_hits.fetch_add(1, std::memory_order_relaxed);
            out.send(200, headers, hit->body);
            record_usage();
            return;
        }
    }

    // Generate from one snapshot.
    db_.guarded([&] {
        sql::Connection& c = db_.reader();
        sql::ReadSnapshot snapshot(c);
        const sql::DataVersion seen = sql::read_data_version(c);
        if (seen.version != version.version) {
            version = seen;
            std::tie(etag, last_modified) = validators(version);
            headers = validator_headers();
        }
        sql::BookingQuery q;
        q.service_types = selection.types();
        q.window = params.window;
        q.viewer_user_id = user.user_id;
        q.viewer_is_admin = user.user_is_admin;
        q.only_public = params.only_public;
        q.category = params.category;
        q.order = params.order;
        q.descending = params.descending;
        q.offset = params.offset;

        // Without a limit of the caller's the server's cap applies; whether it
        // cuts anything off must be known before the headers go out.
        bool complete = true;
        if (params.capped_by_server()) {
            sql::BookingQuery probe = q;
            // Saturating: offsets near the int64 limit just find nothing.
            probe.offset = params.offset > std::numeric_limits<std::int64_t>::max() - params_.max_records
                               ? std::numeric_limits<std::int64_t>::max()
                               : params.offset + params_.max_records;
            probe.limit = 1;
            complete = sql::select_bookings(c, probe, catalogue, [](const BookingRow&) {}) == 0;
            q.limit = params_.max_records;
        } else {
            q.limit = params.limit;
        }
        headers.emplace_back("Content-Type", content_type);
        headers.emplace_back("X-Export-Complete", complete ? "true" : "false");

        FeedSink sink(out, buffered_feed_limit, headers);
        std::unique_ptr<FeedWriter> writer;
        if (is_ics) writer = std::make_unique<IcsWriter>(sink, feed_, params.alarm_minutes);
        else writer = std::make_unique<JsonWriter>(sink, feed_);
        writer->begin({calendar_title(feed_.calendar_name, selection)});
        sql::select_bookings(c, q, catalogue, [&](const BookingRow& row) { writer->add(row); });
        const std::string url = config_.mount_prefix + route.api_path + (canonical.empty() ? "" : "?" + canonical);
        writer->finish({complete,
                        std::chrono::duration_cast<std::chrono::seconds>(last_modified.time_since_epoch()).count(),
                        url});
        snapshot.commit();
        outcome.status = 200;
        if (const std::string* body = sink.finish()) {
            cache_.keep_only_version(version.version);
            cache_.put(etag, {*body, complete});
        }
    });
    record_usage();
}

void ExportHandler::flush_usage() noexcept {
    if (usage_.empty()) return;
    try {
        db_.guarded([&] { usage_.flush(db_.writer()); });
    } catch (const std::exception& e) {
        // Kept for the next flush: usage is never worth failing a request.
        log::warning("recording key usage failed, will retry: {}", e.what());
    }
}

void ExportHandler::tick() noexcept {
    if (!usage_.empty() &&
        (usage_.requests() >= usage_flush_requests || Clock::now() - usage_since_ >= usage_flush_interval))
        flush_usage();
}

void ExportHandler::shutdown() noexcept { flush_usage(); }

}  // namespace vx::service
