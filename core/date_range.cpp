#include "core/date_range.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace vx {
namespace {

using std::chrono::microseconds;
using LocalTime = date::local_time<microseconds>;

enum class Side { from, to, day };

struct DateValue {
    bool is_day;          // a day form (else an exact instant)
    date::local_days day; // when is_day
    Timestamp instant;    // when !is_day
};

[[noreturn]] void unparseable(std::string_view text) {
    bad_request("Impossible to parse '" + utf8::sanitize(text) + "'");
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int to_int(std::string_view digits) {
    int v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    return v;
}

// Instant arithmetic in UTC, then the date that instant has in `zone`.
date::local_days day_of(Timestamp t, Zone zone) {
    return date::floor<date::days>(zone->to_local(t));
}

// The contract's DST rule. get_info() reports, for a local time in a gap, the
// offset in force before the gap as `first`; subtracting it moves the time
// forward by the gap. In an overlap `first` is the earlier period, so the
// same subtraction gives the earlier instant.
Timestamp resolve(LocalTime local, Zone zone) {
    const date::local_info info = zone->get_info(date::floor<std::chrono::seconds>(local));
    return Timestamp{local.time_since_epoch() - info.first.offset};
}

struct OffsetParts {
    int days, hours, minutes;
};

// "[+-]" then "Dd", "HHh", "MMm" in that order, each optional but not all.
std::optional<OffsetParts> parse_unit_offset(std::string_view s, std::string_view original) {
    int parts[3] = {0, 0, 0};
    const char units[3] = {'d', 'h', 'm'};
    const std::size_t max_digits[3] = {3, 2, 2};
    bool any = false;
    for (int k = 0; k < 3 && !s.empty(); ++k) {
        std::size_t n = 0;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
        if (n == 0 || n >= s.size()) break;
        if (s[n] != units[k]) continue;
        if (n > max_digits[k]) unparseable(original);
        parts[k] = to_int(s.substr(0, n));
        any = true;
        s.remove_prefix(n + 1);
    }
    if (!any || !s.empty()) return std::nullopt;
    return OffsetParts{parts[0], parts[1], parts[2]};
}

// The legacy compact offset "[+-]DHHMM" with one to three day digits.
std::optional<OffsetParts> parse_compact_offset(std::string_view s) {
    if (!all_digits(s) || s.size() < 5 || s.size() > 7) return std::nullopt;
    return OffsetParts{to_int(s.substr(0, s.size() - 4)), to_int(s.substr(s.size() - 4, 2)),
                       to_int(s.substr(s.size() - 2))};
}

std::optional<date::year_month_day> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2)))
        return std::nullopt;
    const date::year_month_day ymd{date::year{to_int(s.substr(0, 4))}, date::month(unsigned(to_int(s.substr(5, 2)))),
                                   date::day(unsigned(to_int(s.substr(8, 2))))};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

DateValue parse_date_value(std::string_view text, Side side, Zone zone, Timestamp now) {
    const auto day_value = [](date::local_days d) { return DateValue{true, d, {}}; };
    if (text == "now") return {false, {}, now};
    if (text == "today") return day_value(day_of(now, zone));
    if (text == "yesterday") return day_value(day_of(now, zone) - date::days{1});
    if (text == "tomorrow") return day_value(day_of(now, zone) + date::days{1});

    std::string_view body = text;
    bool negative = false;
    if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
        negative = body.front() == '-';
        body.remove_prefix(1);
        if (body.empty()) unparseable(text);
    }
    const bool signed_form = body.size() != text.size();
    auto offset = parse_compact_offset(body);
    if (!offset && (signed_form || (!body.empty() && body.find_first_of("dhm") != std::string_view::npos)))
        offset = parse_unit_offset(body, text);
    if (offset) {
        // Indico's order: the sign is judged before the ranges.
        if (negative && side == Side::to) bad_request("End date cannot be a negative offset");
        if (offset->hours > 23 || offset->minutes > 59) bad_request("Invalid time!");
        const std::chrono::minutes delta =
            std::chrono::days{offset->days} + std::chrono::hours{offset->hours} + std::chrono::minutes{offset->minutes};
        return day_value(day_of(negative ? now - delta : now + delta, zone));
    }
    if (signed_form) unparseable(text);

    if (const auto ymd = parse_iso_date(text)) return day_value(date::local_days{*ymd});
    // YYYY-MM-DDTHH:MM, an exact instant in `zone`.
    if (text.size() == 16 && text[10] == 'T' && text[13] == ':' && all_digits(text.substr(11, 2)) &&
        all_digits(text.substr(14, 2))) {
        if (const auto ymd = parse_iso_date(text.substr(0, 10))) {
            const int hours = to_int(text.substr(11, 2)), minutes = to_int(text.substr(14, 2));
            if (hours > 23 || minutes > 59) bad_request("Invalid time!");
            const LocalTime local{date::local_days{*ymd} + std::chrono::hours{hours} + std::chrono::minutes{minutes}};
            return {false, {}, resolve(local, zone)};
        }
    }
    unparseable(text);
}

Timestamp first_instant(date::local_days d, Zone zone) { return resolve(LocalTime{d}, zone); }
// The last representable instant of a day ("23:59:59" must also cover
// 23:59:59.5 with microsecond storage): one microsecond before the next day
// starts. Resolving local 23:59:59.999999 instead would take the earlier pass
// when a day ends in a DST overlap (America/Santiago, Africa/Cairo fall back
// from 24:00 to 23:00) and leave the repeated hour in no day at all.
Timestamp last_instant(date::local_days d, Zone zone) {
    return first_instant(d + date::days{1}, zone) - microseconds{1};
}

}  // namespace

Zone find_zone(std::string_view name) {
    try {
        return date::locate_zone(name);
    } catch (const std::runtime_error&) {
    }
    // Indico resolved zones with pytz, which ignores case ("europe/zurich"):
    // links made there must keep working. (With the system tzdata, old names
    // such as US/Eastern are zones of their own, so this finds them too.)
    const auto same = [name](std::string_view candidate) {
        return candidate.size() == name.size() &&
               std::equal(candidate.begin(), candidate.end(), name.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
               });
    };
    const date::tzdb& db = date::get_tzdb();
    for (const date::time_zone& z : db.zones)
        if (same(z.name())) return &z;
    bad_request("Bad timezone: '" + std::string(name) + "'");
}

std::optional<Timestamp> parse_utc_date(std::string_view text) {
    const auto ymd = parse_iso_date(text);
    if (!ymd) return std::nullopt;
    return Timestamp{date::sys_days{*ymd}.time_since_epoch()};
}

TimeWindow parse_time_window(std::optional<std::string_view> from, std::optional<std::string_view> to,
                             std::optional<std::string_view> day, Zone zone, Timestamp now) {
    TimeWindow w;
    if (day) {
        if (from || to) bad_request("'day' can only be used without 'from' and 'to'");
        const DateValue v = parse_date_value(*day, Side::day, zone, now);
        const date::local_days d = v.is_day ? v.day : day_of(v.instant, zone);
        w.from = first_instant(d, zone);
        w.to = last_instant(d, zone);
        return w;
    }
    if (from) {
        const DateValue v = parse_date_value(*from, Side::from, zone, now);
        w.from = v.is_day ? first_instant(v.day, zone) : v.instant;
    }
    if (to) {
        const DateValue v = parse_date_value(*to, Side::to, zone, now);
        w.to = v.is_day ? last_instant(v.day, zone) : v.instant;
    }
    if (w.from && w.to && *w.from > *w.to) bad_request("'from' must not be after 'to'");
    return w;
}

}  // namespace vx
