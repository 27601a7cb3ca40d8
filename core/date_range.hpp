#pragma once
// from / to / day → the time window a feed covers (DESIGN.md §3, "Date rules").
//
// Two kinds of value: exact instants (`now`, `YYYY-MM-DDTHH:MM`) and day forms
// (dates, today/yesterday/tomorrow, offsets), which stand for the whole day
// they land on in the requested zone: `from` takes its first instant, `to` its
// last. Local times in a DST gap move forward by the gap; in an overlap the
// earlier instant wins (docs/api.md explains why). The clock is an argument.

#include <optional>
#include <string_view>

#include "core/time_format.hpp"

namespace date {
class time_zone;
}

namespace vx {

using Zone = const date::time_zone*;

// An IANA zone by its exact name; 400 "Bad timezone: 'X'" otherwise.
Zone find_zone(std::string_view name);

// "YYYY-MM-DD" (a valid calendar date) → 00:00 UTC of that day. For tools
// that take a day on the command line; requests go through parse_time_window.
std::optional<Timestamp> parse_utc_date(std::string_view text);

struct TimeWindow {
    std::optional<Timestamp> from;  // bookings ending before this are left out
    std::optional<Timestamp> to;    // bookings starting after this are left out
};

TimeWindow parse_time_window(std::optional<std::string_view> from, std::optional<std::string_view> to,
                             std::optional<std::string_view> day, Zone zone, Timestamp now);

}  // namespace vx
