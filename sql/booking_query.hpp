#pragma once
// The feed query (DESIGN.md §3, §4): the bookings of some services that
// overlap a window, that the viewer may see, in a total order, paged —
// streamed row by row to a callback.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/booking.hpp"
#include "core/date_range.hpp"
#include "core/export_params.hpp"
#include "sql/connection.hpp"

namespace vx::sql {

struct BookingQuery {
    std::vector<std::string> service_types;  // bookings.service_type values
    TimeWindow window;
    std::int64_t viewer_user_id = 0;
    bool viewer_is_admin = false;
    bool only_public = false;                // evaluate visibility for an anonymous user
    std::optional<std::int64_t> category;    // this category and everything below it
    SortKey order = SortKey::start;
    bool descending = false;
    std::optional<std::int64_t> limit;       // nullopt: all rows
    std::int64_t offset = 0;
};

// The statement text for one order and direction (for EXPLAIN in tests).
std::string_view booking_query_sql(SortKey order, bool descending);

// Rows handed to `on_row` point into libpq's buffers: valid during the call.
// Returns the number of rows.
std::int64_t select_bookings(Connection& connection, const BookingQuery& query, const ServiceCatalogue& catalogue,
                             const std::function<void(const BookingRow&)>& on_row);

}  // namespace vx::sql
