#include "core/time_format.hpp"

#include <date/date.h>
#include <fmt/compile.h>


namespace vx {
namespace {

struct Fields {
    int year;
    unsigned month, day;
    long hour, minute, second;
};

Fields fields(Timestamp t) {
    using namespace std::chrono;
    const auto lowest = date::sys_days{date::year{1} / 1 / 1};
    const auto highest = date::sys_days{date::year{9999} / 12 / 31} + hours{23} + minutes{59} + seconds{59};
    auto s = floor<seconds>(t);
    if (s < lowest) s = lowest;
    if (s > highest) s = highest;
    const auto day = floor<date::days>(s);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss hms{s - day};
    return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
            long(hms.minutes().count()), long(hms.seconds().count())};
}

}  // namespace

// Formatted into a fixed buffer, then appended once: five of these per
// event, and a back_inserter would grow the string a character at a time.
void append_ical_utc(std::string& out, Timestamp t) {
    const Fields f = fields(t);
    char buffer[16];
    fmt::format_to(buffer, FMT_COMPILE("{:04}{:02}{:02}T{:02}{:02}{:02}Z"), f.year, f.month, f.day, f.hour, f.minute,
                   f.second);
    out.append(buffer, sizeof buffer);
}

void append_iso_utc(std::string& out, Timestamp t) {
    const Fields f = fields(t);
    char buffer[20];
    fmt::format_to(buffer, FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z"), f.year, f.month, f.day, f.hour,
                   f.minute, f.second);
    out.append(buffer, sizeof buffer);
}

std::string iso_utc(Timestamp t) {
    std::string out;
    append_iso_utc(out, t);
    return out;
}

}  // namespace vx
