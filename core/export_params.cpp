#include "core/export_params.hpp"

#include <charconv>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace vx {
namespace {

constexpr int max_alarm_minutes = 40320;  // four weeks

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Digits only; values beyond int64 saturate (they exceed every bound anyway).
std::optional<std::int64_t> non_negative(std::string_view s) {
    if (!all_digits(s)) return std::nullopt;
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range) return std::numeric_limits<std::int64_t>::max();
    return v;
}

bool yes(std::optional<std::string_view> v) { return v && *v == "yes"; }

std::optional<SortKey> sort_key(std::string_view s) {
    if (s == "id") return SortKey::id;
    if (s == "start") return SortKey::start;
    if (s == "end") return SortKey::end;
    if (s == "title") return SortKey::title;
    return std::nullopt;
}

}  // namespace

ExportParams parse_export_params(const QueryString& query, const ParamSettings& settings, Timestamp now) {
    if (query.malformed()) bad_request("Malformed query string");
    ExportParams p;

    if (const auto v = query.first("alarms")) {
        const auto minutes = non_negative(*v);
        if (!minutes || *minutes > max_alarm_minutes)
            bad_request("'alarms' must be a whole number of minutes from 0 to 40320");
        p.alarm_minutes = int(*minutes);
    }

    Zone zone = settings.default_zone;
    if (const auto v = query.first("tz")) zone = find_zone(*v);
    p.window = parse_time_window(query.first({"f", "from"}), query.first({"t", "to"}), query.first("day"), zone, now);

    if (const auto v = query.first({"n", "limit"})) {
        const auto n = non_negative(*v);
        if (!n) bad_request("'limit' must be a non-negative integer");
        if (*n > settings.max_records)
            bad_request("You can only request up to " + std::to_string(settings.max_records) +
                        " records per request with the detail level 'all'");
        p.limit = *n;
    }
    if (const auto v = query.first({"O", "offset"})) {
        const auto n = non_negative(*v);
        if (!n) bad_request("'offset' must be a non-negative integer");
        p.offset = *n;
    }

    if (const auto v = query.first({"o", "order"})) {
        const auto key = sort_key(*v);
        if (!key) bad_request("Invalid order: '" + std::string(*v) + "'");
        p.order = *key;
    }
    p.descending = yes(query.first({"c", "descending"}));

    if (const auto v = query.first("categ")) {
        std::int64_t id = 0;
        const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
        if (v->empty() || ec != std::errc{} || ptr != v->data() + v->size()) bad_request("'categ' must be a category id");
        p.category = id;
    }

    p.only_public = yes(query.first({"op", "onlypublic"}));
    p.only_authed = yes(query.first({"oa", "onlyauthed"}));
    p.no_cache = yes(query.first({"nc", "nocache"}));

    if (const auto v = query.first({"d", "detail"}); v && *v != "all")
        bad_request("Invalid detail level: " + std::string(*v));
    return p;
}

}  // namespace vx
