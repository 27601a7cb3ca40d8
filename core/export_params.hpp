#pragma once
// Query parameters → a validated export request (DESIGN.md §3). Every refusal
// is a RequestError 400 with the contract's message. Authentication parameters
// (ak, signature, timestamp) are access.hpp's business.

#include <cstdint>
#include <optional>

#include "core/date_range.hpp"
#include "core/query_string.hpp"

namespace vx {

enum class SortKey { id, start, end, title };

struct ParamSettings {
    Zone default_zone;             // config export.default_timezone
    std::int64_t max_records;      // config export.max_records
};

struct ExportParams {
    std::optional<int> alarm_minutes;  // VALARM this many minutes before each start
    TimeWindow window;
    std::int64_t limit = 0;            // 0: the caller set no limit
    std::int64_t offset = 0;
    SortKey order = SortKey::start;
    bool descending = false;
    std::optional<std::int64_t> category;
    bool only_public = false;
    bool only_authed = false;
    bool no_cache = false;

    // Rows to select: the caller's limit, or max_records + 1 when the cap
    // applies, so that one extra row tells the cap cut something off.
    std::int64_t rows_to_fetch(std::int64_t max_records) const noexcept {
        return limit > 0 ? limit : max_records + 1;
    }
    // Whether the server's cap (not the caller) limits this request.
    bool capped_by_server() const noexcept { return limit == 0; }
};

ExportParams parse_export_params(const QueryString& query, const ParamSettings& settings, Timestamp now);

}  // namespace vx
