#pragma once
// The one time type of the project and its two printed forms. Stored times
// keep PostgreSQL's microseconds (selection and ordering use them); printed
// times are whole seconds, truncated (DESIGN.md §5).

#include <chrono>
#include <string>

namespace vx {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// iCalendar UTC DATE-TIME, "20261204T093000Z". Years outside 0001..9999 cannot
// be written in this form and are clamped to its range.
void append_ical_utc(std::string& out, Timestamp t);

// "2026-12-04T09:30:00Z", the JSON rendering.
void append_iso_utc(std::string& out, Timestamp t);
std::string iso_utc(Timestamp t);

}  // namespace vx
