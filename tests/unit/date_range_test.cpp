// from / to / day → the time window (DESIGN.md §3, "Date rules").
//
// Every expected instant below was worked out by hand from the zone's offset
// (the reasoning is in a comment where it is not obvious) and cross-checked
// with Python's zoneinfo; none is computed by the code under test. Instants
// are compared as text, "2026-01-15T05:00:00Z", with the microseconds shown
// only when there are some ("2026-01-16T04:59:59.999999Z").

#include <catch2/catch.hpp>

#include <date/tz.h>

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/date_range.hpp"
#include "core/error.hpp"

namespace {

using Opt = std::optional<std::string_view>;
constexpr std::nullopt_t none = std::nullopt;

vx::Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return vx::Timestamp{date::sys_days{date::year{y} / date::month{mo} / date::day{d}}} + std::chrono::hours{h} +
           std::chrono::minutes{mi};
}

std::string show(const std::optional<vx::Timestamp>& t) {
    if (!t) return "open";
    if (t->time_since_epoch() % std::chrono::seconds{1} == std::chrono::microseconds{0})
        return date::format("%FT%TZ", date::floor<std::chrono::seconds>(*t));
    return date::format("%FT%TZ", *t);
}

struct Shown {
    std::string from, to;
};

Shown window(Opt from, Opt to, Opt day, std::string_view zone, vx::Timestamp now) {
    const vx::TimeWindow w = vx::parse_time_window(from, to, day, vx::find_zone(zone), now);
    return {show(w.from), show(w.to)};
}

Shown from_to(Opt from, Opt to, std::string_view zone, vx::Timestamp now) { return window(from, to, none, zone, now); }
Shown on_day(std::string_view day, std::string_view zone, vx::Timestamp now) { return window(none, none, day, zone, now); }

// The window's `from` for a lone from=value, and its `to` for a lone to=value.
std::string from_of(std::string_view value, std::string_view zone, vx::Timestamp now) {
    return from_to(value, none, zone, now).from;
}
std::string to_of(std::string_view value, std::string_view zone, vx::Timestamp now) {
    return from_to(none, value, zone, now).to;
}

// "400 <message>" for a refusal, "accepted" otherwise.
template <class F>
std::string refusal(F&& f) {
    try {
        f();
    } catch (const vx::RequestError& e) {
        return std::to_string(e.status()) + " " + std::string(e.message());
    }
    return "accepted";
}

std::string refusal_of(Opt from, Opt to, Opt day, std::string_view zone = "UTC",
                       vx::Timestamp now = utc(2026, 1, 15, 12)) {
    return refusal([&] { window(from, to, day, zone, now); });
}
std::string from_refusal(std::string_view value) { return refusal_of(value, none, none); }
std::string to_refusal(std::string_view value) { return refusal_of(none, value, none); }

// A plain clock for the cases where the zone's date and UTC's agree.
const vx::Timestamp noon_jan_15 = utc(2026, 1, 15, 12);

}  // namespace

// ---------------------------------------------------------------------------
// Absent bounds

TEST_CASE("without from, to or day the window is open at both ends", "[date_range]") {
    const Shown w = window(none, none, none, "UTC", noon_jan_15);
    CHECK(w.from == "open");
    CHECK(w.to == "open");
}

TEST_CASE("a lone 'from' leaves the end of the window open", "[date_range]") {
    CHECK(from_to("2026-01-10", none, "UTC", noon_jan_15).to == "open");
}

TEST_CASE("a lone 'to' leaves the start of the window open", "[date_range]") {
    CHECK(from_to(none, "2026-01-20", "UTC", noon_jan_15).from == "open");
}

// ---------------------------------------------------------------------------
// YYYY-MM-DD

TEST_CASE("a 'from' date starts at midnight of that day in the requested zone", "[date_range]") {
    CHECK(from_of("2026-01-15", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
    // Zurich is UTC+1 in January: local midnight is 23:00 UTC the day before.
    CHECK(from_of("2026-01-15", "Europe/Zurich", noon_jan_15) == "2026-01-14T23:00:00Z");
}

TEST_CASE("a 'to' day form ends at the last instant of that day in the requested zone", "[date_range]") {
    CHECK(to_of("2026-01-15", "UTC", noon_jan_15) == "2026-01-15T23:59:59.999999Z");
    // New York is UTC-5 in January: local 23:59:59.999999 is 04:59:59.999999 UTC the next day.
    CHECK(to_of("2026-01-15", "America/New_York", noon_jan_15) == "2026-01-16T04:59:59.999999Z");
}

TEST_CASE("a date is a day form even when the clock is on another day", "[date_range]") {
    const Shown w = from_to("2026-12-24", "2026-12-24", "UTC", noon_jan_15);
    CHECK(w.from == "2026-12-24T00:00:00Z");
    CHECK(w.to == "2026-12-24T23:59:59.999999Z");
}

TEST_CASE("a leap day is a valid date and 29 February of a common year is not", "[date_range]") {
    CHECK(from_of("2028-02-29", "UTC", noon_jan_15) == "2028-02-29T00:00:00Z");
    CHECK(from_refusal("2026-02-29") == "400 Impossible to parse '2026-02-29'");
}

TEST_CASE("dates that do not exist or are not zero-padded are unparseable", "[date_range]") {
    CHECK(from_refusal("2026-13-01") == "400 Impossible to parse '2026-13-01'");
    CHECK(from_refusal("2026-04-31") == "400 Impossible to parse '2026-04-31'");
    CHECK(from_refusal("2026-01-00") == "400 Impossible to parse '2026-01-00'");
    CHECK(from_refusal("2026-1-5") == "400 Impossible to parse '2026-1-5'");
    CHECK(from_refusal("20260115") == "400 Impossible to parse '20260115'");
    CHECK(from_refusal("2026/01/15") == "400 Impossible to parse '2026/01/15'");
}

// ---------------------------------------------------------------------------
// YYYY-MM-DDTHH:MM — exact instants

TEST_CASE("a date and time is the exact instant in the requested zone, for 'from' and for 'to'", "[date_range]") {
    const Shown w = from_to("2026-01-15T10:00", "2026-01-15T18:30", "UTC", noon_jan_15);
    CHECK(w.from == "2026-01-15T10:00:00Z");
    CHECK(w.to == "2026-01-15T18:30:00Z");  // not stretched to the end of the minute or day
}

TEST_CASE("a date and time in Europe/Zurich follows its winter and summer offsets", "[date_range]") {
    CHECK(from_of("2026-01-15T10:00", "Europe/Zurich", noon_jan_15) == "2026-01-15T09:00:00Z");  // CET, +1
    CHECK(from_of("2026-07-01T10:00", "Europe/Zurich", noon_jan_15) == "2026-07-01T08:00:00Z");  // CEST, +2
}

TEST_CASE("a date and time in Asia/Kolkata is shifted by five and a half hours", "[date_range]") {
    CHECK(from_of("2026-01-15T10:00", "Asia/Kolkata", noon_jan_15) == "2026-01-15T04:30:00Z");
    // 02:00 IST is 20:30 UTC the previous day.
    CHECK(from_of("2026-01-15T02:00", "Asia/Kolkata", noon_jan_15) == "2026-01-14T20:30:00Z");
}

TEST_CASE("a date and time in Pacific/Chatham uses +13:45 in its summer and +12:45 in its winter", "[date_range]") {
    // January is Chatham's summer: 10:00 - 13:45 = 20:15 the previous day.
    CHECK(from_of("2026-01-15T10:00", "Pacific/Chatham", noon_jan_15) == "2026-01-14T20:15:00Z");
    // July is standard time: 10:00 - 12:45 = 21:15 the previous day.
    CHECK(from_of("2026-07-01T10:00", "Pacific/Chatham", noon_jan_15) == "2026-06-30T21:15:00Z");
}

TEST_CASE("a date and time at the very start and end of the local day is accepted", "[date_range]") {
    CHECK(from_of("2026-01-15T00:00", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
    CHECK(to_of("2026-01-15T23:59", "UTC", noon_jan_15) == "2026-01-15T23:59:00Z");
}

TEST_CASE("hours over 23 or minutes over 59 in a date and time are an invalid time", "[date_range]") {
    CHECK(from_refusal("2026-01-15T24:00") == "400 Invalid time!");
    CHECK(from_refusal("2026-01-15T23:60") == "400 Invalid time!");
    CHECK(to_refusal("2026-01-15T99:99") == "400 Invalid time!");
}

TEST_CASE("date and time spellings other than YYYY-MM-DDTHH:MM are unparseable", "[date_range]") {
    CHECK(from_refusal("2026-01-15T10") == "400 Impossible to parse '2026-01-15T10'");
    CHECK(from_refusal("2026-01-15T10:00:00") == "400 Impossible to parse '2026-01-15T10:00:00'");
    CHECK(from_refusal("2026-01-15 10:00") == "400 Impossible to parse '2026-01-15 10:00'");
    CHECK(from_refusal("2026-01-15T1:00") == "400 Impossible to parse '2026-01-15T1:00'");
    CHECK(from_refusal("2026-01-15T10:00Z") == "400 Impossible to parse '2026-01-15T10:00Z'");
    CHECK(from_refusal("2026-02-30T10:00") == "400 Impossible to parse '2026-02-30T10:00'");
}

// ---------------------------------------------------------------------------
// DST gaps and overlaps

TEST_CASE("a local time in a spring-forward gap moves forward by the gap", "[date_range]") {
    // Europe/Zurich, 2026-03-29: 02:00 CET jumps to 03:00 CEST. 02:30 does not
    // exist; moved forward by one hour it is 03:30 CEST = 01:30 UTC.
    CHECK(from_of("2026-03-29T02:30", "Europe/Zurich", noon_jan_15) == "2026-03-29T01:30:00Z");
    // America/New_York, 2026-03-08: 02:00 EST jumps to 03:00 EDT. 02:30 → 03:30 EDT = 07:30 UTC.
    CHECK(from_of("2026-03-08T02:30", "America/New_York", noon_jan_15) == "2026-03-08T07:30:00Z");
    // Pacific/Chatham, 2026-09-27: 02:45 +12:45 jumps to 03:45 +13:45. 03:00 → 04:00 +13:45
    // = 14:15 UTC the previous day.
    CHECK(from_of("2026-09-27T03:00", "Pacific/Chatham", noon_jan_15) == "2026-09-26T14:15:00Z");
}

TEST_CASE("a local time in a fall-back overlap is the earlier of its two instants", "[date_range]") {
    // Europe/Zurich, 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30
    // happens twice; the first time is 02:30 CEST = 00:30 UTC (not 01:30 UTC).
    CHECK(from_of("2026-10-25T02:30", "Europe/Zurich", noon_jan_15) == "2026-10-25T00:30:00Z");
    // America/New_York, 2026-11-01: 01:30 EDT = 05:30 UTC (not 01:30 EST = 06:30 UTC).
    CHECK(to_of("2026-11-01T01:30", "America/New_York", noon_jan_15) == "2026-11-01T05:30:00Z");
    // Pacific/Chatham, 2026-04-05: 03:45 +13:45 falls back to 02:45 +12:45;
    // 03:00 +13:45 = 13:15 UTC the previous day (not 14:15).
    CHECK(from_of("2026-04-05T03:00", "Pacific/Chatham", noon_jan_15) == "2026-04-04T13:15:00Z");
}

TEST_CASE("the day of a spring-forward change is 23 hours long", "[date_range]") {
    // Starts at 00:00 CET (+1), ends at 23:59:59.999999 CEST (+2).
    const Shown w = on_day("2026-03-29", "Europe/Zurich", noon_jan_15);
    CHECK(w.from == "2026-03-28T23:00:00Z");
    CHECK(w.to == "2026-03-29T21:59:59.999999Z");
}

TEST_CASE("the day of a fall-back change is 25 hours long", "[date_range]") {
    // Starts at 00:00 CEST (+2), ends at 23:59:59.999999 CET (+1).
    const Shown w = on_day("2026-10-25", "Europe/Zurich", noon_jan_15);
    CHECK(w.from == "2026-10-24T22:00:00Z");
    CHECK(w.to == "2026-10-25T22:59:59.999999Z");
}

TEST_CASE("a day whose midnight falls in a DST gap starts at the first local time that exists", "[date_range]") {
    // America/Santiago, 2026-09-06: 00:00 -04 jumps to 01:00 -03 (tzdata: Sep
    // Sun>=2 at 04:00 UTC). Midnight moves forward by the gap to 01:00 -03 = 04:00 UTC.
    CHECK(from_of("2026-09-06", "America/Santiago", noon_jan_15) == "2026-09-06T04:00:00Z");
}

TEST_CASE("a day that ends in a DST overlap ends at the last instant of its repeated hour", "[date_range]") {
    // America/Santiago, Saturday 2026-04-04: at 24:00 -03 the clocks go back to
    // 23:00 -04, so 23:00-23:59 happen twice. The day's last microsecond is
    // 23:59:59.999999 -04 = 03:59:59.999999 UTC, not the earlier pass at -03
    // (02:59:59.999999 UTC), which would leave the second 23:xx hour in no day.
    const Shown w = on_day("2026-04-04", "America/Santiago", noon_jan_15);
    CHECK(w.from == "2026-04-04T03:00:00Z");  // 00:00 -03
    CHECK(w.to == "2026-04-05T03:59:59.999999Z");
    // Africa/Cairo, Thursday 2026-10-29: 24:00 +03 goes back to 23:00 +02;
    // the day ends at 23:59:59.999999 +02 = 21:59:59.999999 UTC.
    CHECK(to_of("2026-10-29", "Africa/Cairo", noon_jan_15) == "2026-10-29T21:59:59.999999Z");
}

TEST_CASE("consecutive days leave no instant out: a day's 'to' is one microsecond before the next day's 'from'",
          "[date_range]") {
    struct Case {
        std::string_view zone, day, next_day, to, next_from;
    };
    for (const Case& c : {
             Case{"UTC", "2026-01-15", "2026-01-16", "2026-01-15T23:59:59.999999Z", "2026-01-16T00:00:00Z"},
             // Spring forward in Zurich (23-hour day) and fall back (25-hour day).
             Case{"Europe/Zurich", "2026-03-29", "2026-03-30", "2026-03-29T21:59:59.999999Z", "2026-03-29T22:00:00Z"},
             Case{"Europe/Zurich", "2026-10-25", "2026-10-26", "2026-10-25T22:59:59.999999Z", "2026-10-25T23:00:00Z"},
             // Santiago: the next midnight is in a gap (Sep 6) or follows a repeated hour (Apr 5).
             Case{"America/Santiago", "2026-09-05", "2026-09-06", "2026-09-06T03:59:59.999999Z",
                  "2026-09-06T04:00:00Z"},
             Case{"America/Santiago", "2026-04-04", "2026-04-05", "2026-04-05T03:59:59.999999Z",
                  "2026-04-05T04:00:00Z"},
             Case{"Africa/Cairo", "2026-10-29", "2026-10-30", "2026-10-29T21:59:59.999999Z", "2026-10-29T22:00:00Z"},
         }) {
        INFO(c.zone << " " << c.day);
        CHECK(to_of(c.day, c.zone, noon_jan_15) == c.to);
        CHECK(from_of(c.next_day, c.zone, noon_jan_15) == c.next_from);
    }
}

// ---------------------------------------------------------------------------
// today / yesterday / tomorrow / now

TEST_CASE("'now' is the exact instant of the clock, microseconds included", "[date_range]") {
    const vx::Timestamp now = utc(2026, 1, 15, 12, 34) + std::chrono::microseconds{567890};
    const Shown w = from_to("now", "now", "Europe/Zurich", now);
    CHECK(w.from == "2026-01-15T12:34:00.567890Z");
    CHECK(w.to == "2026-01-15T12:34:00.567890Z");
}

TEST_CASE("'today' spans the whole current day in UTC", "[date_range]") {
    const Shown w = from_to("today", "today", "UTC", noon_jan_15);
    CHECK(w.from == "2026-01-15T00:00:00Z");
    CHECK(w.to == "2026-01-15T23:59:59.999999Z");
}

TEST_CASE("'today' is today in the requested zone when it is already tomorrow there", "[date_range]") {
    // 20:00 UTC on the 15th is 01:30 on the 16th in Kolkata (+5:30): today is the 16th,
    // 00:00 IST = 18:30 UTC on the 15th, 23:59:59.999999 IST = 18:29:59.999999 UTC on the 16th.
    const Shown w = from_to("today", "today", "Asia/Kolkata", utc(2026, 1, 15, 20));
    CHECK(w.from == "2026-01-15T18:30:00Z");
    CHECK(w.to == "2026-01-16T18:29:59.999999Z");
}

TEST_CASE("'today' is today in the requested zone when it is still yesterday there", "[date_range]") {
    // 03:00 UTC on the 16th is 22:00 on the 15th in New York (-5): today is the 15th.
    const Shown w = from_to("today", "today", "America/New_York", utc(2026, 1, 16, 3));
    CHECK(w.from == "2026-01-15T05:00:00Z");
    CHECK(w.to == "2026-01-16T04:59:59.999999Z");
}

TEST_CASE("'today' in Pacific/Chatham follows its quarter-hour offset", "[date_range]") {
    // 11:00 UTC on the 15th is 00:45 on the 16th at +13:45: today is the 16th,
    // 00:00 +13:45 = 10:15 UTC on the 15th; 23:59:59.999999 +13:45 = 10:14:59.999999 UTC on the 16th.
    const Shown w = from_to("today", "today", "Pacific/Chatham", utc(2026, 1, 15, 11));
    CHECK(w.from == "2026-01-15T10:15:00Z");
    CHECK(w.to == "2026-01-16T10:14:59.999999Z");
}

TEST_CASE("'yesterday' and 'tomorrow' are the neighbours of today in the requested zone", "[date_range]") {
    // Kolkata's today is the 16th (see above), so yesterday is the 15th and tomorrow the 17th.
    const vx::Timestamp now = utc(2026, 1, 15, 20);
    CHECK(from_of("yesterday", "Asia/Kolkata", now) == "2026-01-14T18:30:00Z");
    CHECK(to_of("yesterday", "Asia/Kolkata", now) == "2026-01-15T18:29:59.999999Z");
    CHECK(from_of("tomorrow", "Asia/Kolkata", now) == "2026-01-16T18:30:00Z");
    CHECK(to_of("tomorrow", "Asia/Kolkata", now) == "2026-01-17T18:29:59.999999Z");
}

TEST_CASE("'yesterday' and 'tomorrow' cross month and year boundaries", "[date_range]") {
    const vx::Timestamp new_year = utc(2026, 1, 1, 12);
    CHECK(from_of("yesterday", "UTC", new_year) == "2025-12-31T00:00:00Z");
    const vx::Timestamp leap_eve = utc(2028, 2, 28, 12);
    CHECK(from_of("tomorrow", "UTC", leap_eve) == "2028-02-29T00:00:00Z");
}

TEST_CASE("'yesterday' on the day after spring-forward is the 23-hour day", "[date_range]") {
    // 2026-03-30 10:00 UTC is 12:00 CEST; yesterday is 2026-03-29, from 00:00 CET to 23:59:59.999999 CEST.
    const Shown w = from_to("yesterday", "yesterday", "Europe/Zurich", utc(2026, 3, 30, 10));
    CHECK(w.from == "2026-03-28T23:00:00Z");
    CHECK(w.to == "2026-03-29T21:59:59.999999Z");
}

// ---------------------------------------------------------------------------
// Offsets [+/-][Dd][HHh][MMm]

TEST_CASE("a negative day offset is the day that many days ago", "[date_range]") {
    CHECK(from_of("-7d", "UTC", noon_jan_15) == "2026-01-08T00:00:00Z");
}

TEST_CASE("a positive day-and-hour offset lands on the day of now plus that delta", "[date_range]") {
    // 2026-01-15 12:00 + 1 day 12 hours = 2026-01-17 00:00: the 17th.
    CHECK(to_of("+1d12h", "UTC", noon_jan_15) == "2026-01-17T23:59:59.999999Z");
    CHECK(from_of("+1d12h", "UTC", noon_jan_15) == "2026-01-17T00:00:00Z");
}

TEST_CASE("an unsigned hour offset is positive and can cross midnight", "[date_range]") {
    // 22:00 + 3 hours = 01:00 on the 16th.
    CHECK(from_of("3h", "UTC", utc(2026, 1, 15, 22)) == "2026-01-16T00:00:00Z");
}

TEST_CASE("an unsigned minute offset is positive and can cross midnight", "[date_range]") {
    // 23:30 + 45 minutes = 00:15 on the 16th.
    CHECK(from_of("45m", "UTC", utc(2026, 1, 15, 23, 30)) == "2026-01-16T00:00:00Z");
    // 12:00 + 45 minutes stays on the 15th.
    CHECK(from_of("45m", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
}

TEST_CASE("an offset may combine days, hours and minutes in that order", "[date_range]") {
    // 2026-01-15 12:00 - (2 days 12 hours 1 minute) = 2026-01-12 23:59: the 12th.
    CHECK(from_of("-2d12h1m", "UTC", noon_jan_15) == "2026-01-12T00:00:00Z");
    // 12:00 + 11 hours 59 minutes = 23:59, still the 15th; one more minute would be the 16th.
    CHECK(from_of("+11h59m", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
    CHECK(from_of("+12h", "UTC", noon_jan_15) == "2026-01-16T00:00:00Z");
    CHECK(from_of("+1d30m", "UTC", noon_jan_15) == "2026-01-16T00:00:00Z");
}

TEST_CASE("offsets accept one to three day digits and one or two hour and minute digits", "[date_range]") {
    CHECK(from_of("+0d", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
    CHECK(from_of("+999d", "UTC", noon_jan_15) == "2028-10-10T00:00:00Z");  // 730 days to 2028-01-15, then 269
    CHECK(from_of("-5h", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
    CHECK(from_of("-05h05m", "UTC", noon_jan_15) == "2026-01-15T00:00:00Z");
}

TEST_CASE("an offset lands on a day of the requested zone, not of UTC", "[date_range]") {
    // 2026-01-15 20:00 UTC + 1 hour = 21:00 UTC = 02:30 on the 16th in Kolkata.
    CHECK(from_of("+1h", "Asia/Kolkata", utc(2026, 1, 15, 20)) == "2026-01-15T18:30:00Z");
    // The same instant in UTC is still the 15th.
    CHECK(from_of("+1h", "UTC", utc(2026, 1, 15, 20)) == "2026-01-15T00:00:00Z");
}

TEST_CASE("offsets are instant arithmetic, not local calendar arithmetic, across a DST change", "[date_range]") {
    // now = 2026-03-29 22:30 UTC = 2026-03-30 00:30 CEST. Minus 24 hours is
    // 2026-03-28 22:30 UTC = 23:30 CET on the 28th (the 29th had only 23 hours),
    // so "-1d" is the 28th, starting at 00:00 CET = 2026-03-27 23:00 UTC.
    CHECK(from_of("-1d", "Europe/Zurich", utc(2026, 3, 29, 22, 30)) == "2026-03-27T23:00:00Z");
}

TEST_CASE("an offset with too many digits is unparseable", "[date_range]") {
    CHECK(from_refusal("-1234d") == "400 Impossible to parse '-1234d'");
    CHECK(from_refusal("+123h") == "400 Impossible to parse '+123h'");
    CHECK(from_refusal("+123m") == "400 Impossible to parse '+123m'");
    CHECK(from_refusal("1d123m") == "400 Impossible to parse '1d123m'");
}

TEST_CASE("a bare sign is unparseable", "[date_range]") {
    CHECK(from_refusal("+") == "400 Impossible to parse '+'");
    CHECK(from_refusal("-") == "400 Impossible to parse '-'");
    CHECK(to_refusal("+") == "400 Impossible to parse '+'");
    CHECK(refusal_of(none, none, "-") == "400 Impossible to parse '-'");
}

TEST_CASE("offsets with units out of order, repeated, missing digits or trailing text are unparseable", "[date_range]") {
    CHECK(from_refusal("+12h1d") == "400 Impossible to parse '+12h1d'");
    CHECK(from_refusal("+1d1d") == "400 Impossible to parse '+1d1d'");
    CHECK(from_refusal("+d") == "400 Impossible to parse '+d'");
    CHECK(from_refusal("-7") == "400 Impossible to parse '-7'");
    CHECK(from_refusal("+1d2") == "400 Impossible to parse '+1d2'");
    CHECK(from_refusal("+1dx") == "400 Impossible to parse '+1dx'");
    CHECK(from_refusal("+1.5d") == "400 Impossible to parse '+1.5d'");
    CHECK(from_refusal("+1w") == "400 Impossible to parse '+1w'");
    CHECK(from_refusal("+ 1d") == "400 Impossible to parse '+ 1d'");
    CHECK(from_refusal("--1d") == "400 Impossible to parse '--1d'");
    CHECK(from_refusal("1D") == "400 Impossible to parse '1D'");
}

TEST_CASE("offset hours over 23 or minutes over 59 are an invalid time", "[date_range]") {
    CHECK(from_refusal("+24h") == "400 Invalid time!");
    CHECK(from_refusal("+60m") == "400 Invalid time!");
    CHECK(from_refusal("-1d99h") == "400 Invalid time!");
    CHECK(to_refusal("+1d23h60m") == "400 Invalid time!");
}

// ---------------------------------------------------------------------------
// Legacy compact offset [+/-]DHHMM

TEST_CASE("the compact offset -70000 is seven days ago", "[date_range]") {
    CHECK(from_of("-70000", "UTC", noon_jan_15) == "2026-01-08T00:00:00Z");
}

TEST_CASE("the compact offset reads its last four digits as HHMM and the rest as days", "[date_range]") {
    // +12330 = 1 day 23 hours 30 minutes: 2026-01-15 12:00 → 2026-01-17 11:30.
    CHECK(from_of("+12330", "UTC", noon_jan_15) == "2026-01-17T00:00:00Z");
    // -00001 = one minute ago: from 00:00:30 it is the previous day.
    CHECK(from_of("-00001", "UTC", utc(2026, 1, 15, 0, 0) + std::chrono::seconds{30}) ==
          "2026-01-14T00:00:00Z");
}

TEST_CASE("the compact offset takes one to three day digits", "[date_range]") {
    CHECK(from_of("+10000", "UTC", noon_jan_15) == "2026-01-16T00:00:00Z");    // 1 day
    CHECK(from_of("-120000", "UTC", noon_jan_15) == "2026-01-03T00:00:00Z");   // 12 days
    CHECK(from_of("-1000000", "UTC", noon_jan_15) == "2025-10-07T00:00:00Z");  // 100 days
}

TEST_CASE("an unsigned compact offset is positive", "[date_range]") {
    // 120000 = 12 days ahead; 12300 = 1 day 23 hours ahead (2026-01-17 11:00).
    CHECK(from_of("120000", "UTC", noon_jan_15) == "2026-01-27T00:00:00Z");
    CHECK(to_of("12300", "UTC", noon_jan_15) == "2026-01-17T23:59:59.999999Z");
}

TEST_CASE("a compact offset with too many or too few digits is unparseable", "[date_range]") {
    CHECK(from_refusal("-12345678") == "400 Impossible to parse '-12345678'");  // 4 day digits
    CHECK(from_refusal("12345678") == "400 Impossible to parse '12345678'");
    CHECK(from_refusal("-1234") == "400 Impossible to parse '-1234'");  // no day digit
    CHECK(from_refusal("1234") == "400 Impossible to parse '1234'");
}

TEST_CASE("compact offset hours over 23 or minutes over 59 are an invalid time", "[date_range]") {
    CHECK(from_refusal("+12400") == "400 Invalid time!");
    CHECK(from_refusal("-10060") == "400 Invalid time!");
    // Unsigned 123000 reads as 12 days, 30 hours, 00 minutes.
    CHECK(from_refusal("123000") == "400 Invalid time!");
}

// ---------------------------------------------------------------------------
// Negative 'to'

TEST_CASE("'to' cannot be a negative offset", "[date_range]") {
    CHECK(to_refusal("-1d") == "400 End date cannot be a negative offset");
    CHECK(to_refusal("-5m") == "400 End date cannot be a negative offset");
    CHECK(to_refusal("-0d") == "400 End date cannot be a negative offset");
}

TEST_CASE("'to' cannot be a negative compact offset", "[date_range]") {
    CHECK(to_refusal("-70000") == "400 End date cannot be a negative offset");
}

TEST_CASE("a negative 'to' offset is reported before its invalid time", "[date_range]") {
    CHECK(to_refusal("-24h") == "400 End date cannot be a negative offset");
    CHECK(to_refusal("-1d23h60m") == "400 End date cannot be a negative offset");
    CHECK(to_refusal("-12400") == "400 End date cannot be a negative offset");
}

TEST_CASE("'to' may be a positive offset, and 'from' and 'day' may be negative ones", "[date_range]") {
    CHECK(to_of("+1d", "UTC", noon_jan_15) == "2026-01-16T23:59:59.999999Z");
    CHECK(to_of("1d", "UTC", noon_jan_15) == "2026-01-16T23:59:59.999999Z");
    CHECK(from_of("-1d", "UTC", noon_jan_15) == "2026-01-14T00:00:00Z");
    CHECK(on_day("-1d", "UTC", noon_jan_15).from == "2026-01-14T00:00:00Z");
    CHECK(on_day("-70000", "UTC", noon_jan_15).from == "2026-01-08T00:00:00Z");
}

// ---------------------------------------------------------------------------
// Unparseable values

TEST_CASE("values of no known form are reported as impossible to parse, quoted", "[date_range]") {
    CHECK(from_refusal("") == "400 Impossible to parse ''");
    CHECK(from_refusal("soon") == "400 Impossible to parse 'soon'");
    CHECK(from_refusal("monday") == "400 Impossible to parse 'monday'");
    CHECK(to_refusal(" today") == "400 Impossible to parse ' today'");
    CHECK(to_refusal("today ") == "400 Impossible to parse 'today '");
    CHECK(refusal_of(none, none, "later") == "400 Impossible to parse 'later'");
}

// ---------------------------------------------------------------------------
// from ≤ to

TEST_CASE("'from' after 'to' is refused", "[date_range]") {
    CHECK(refusal_of("2026-01-20", "2026-01-10", none) == "400 'from' must not be after 'to'");
    CHECK(refusal_of("tomorrow", "today", none) == "400 'from' must not be after 'to'");
    CHECK(refusal_of("2026-01-15T10:01", "2026-01-15T10:00", none) == "400 'from' must not be after 'to'");
}

TEST_CASE("a day-form 'from' after an exact 'to' earlier the same day is refused", "[date_range]") {
    // from = 2026-01-15 00:00, to = 2026-01-14 23:59.
    CHECK(refusal_of("2026-01-15", "2026-01-14T23:59", none) == "400 'from' must not be after 'to'");
}

TEST_CASE("'from' equal to 'to' is an accepted, instant-wide window", "[date_range]") {
    const Shown w = from_to("2026-01-15T10:00", "2026-01-15T10:00", "UTC", noon_jan_15);
    CHECK(w.from == "2026-01-15T10:00:00Z");
    CHECK(w.to == "2026-01-15T10:00:00Z");
    // A day form's 'from' (00:00) and an exact 'to' at that same instant.
    CHECK(refusal_of("2026-01-15", "2026-01-15T00:00", none) == "accepted");
}

TEST_CASE("'from' and 'to' naming the same day cover the whole day", "[date_range]") {
    const Shown w = from_to("today", "2026-01-15", "UTC", noon_jan_15);
    CHECK(w.from == "2026-01-15T00:00:00Z");
    CHECK(w.to == "2026-01-15T23:59:59.999999Z");
}

// ---------------------------------------------------------------------------
// day

TEST_CASE("'day' with 'from' or 'to' is refused", "[date_range]") {
    const std::string message = "400 'day' can only be used without 'from' and 'to'";
    CHECK(refusal_of("today", none, "today") == message);
    CHECK(refusal_of(none, "today", "today") == message);
    CHECK(refusal_of("today", "tomorrow", "today") == message);
    // The combination is refused whatever the values are.
    CHECK(refusal_of("garbage", none, "garbage") == message);
}

TEST_CASE("'day' with a date spans that whole day in the requested zone", "[date_range]") {
    const Shown w = on_day("2026-01-15", "Asia/Kolkata", noon_jan_15);
    CHECK(w.from == "2026-01-14T18:30:00Z");
    CHECK(w.to == "2026-01-15T18:29:59.999999Z");
}

TEST_CASE("'day' with a date and time spans the local day containing that instant", "[date_range]") {
    // 23:30 in New York on the 15th (04:30 UTC on the 16th) belongs to the 15th there.
    const Shown w = on_day("2026-01-15T23:30", "America/New_York", noon_jan_15);
    CHECK(w.from == "2026-01-15T05:00:00Z");
    CHECK(w.to == "2026-01-16T04:59:59.999999Z");
}

TEST_CASE("'day=now' spans the local day containing the clock, not the UTC day", "[date_range]") {
    // 03:00 UTC on the 16th is 22:00 on the 15th in New York.
    const Shown w = on_day("now", "America/New_York", utc(2026, 1, 16, 3));
    CHECK(w.from == "2026-01-15T05:00:00Z");
    CHECK(w.to == "2026-01-16T04:59:59.999999Z");
}

TEST_CASE("'day' with today, yesterday, tomorrow and offsets spans the day they land on", "[date_range]") {
    CHECK(on_day("today", "UTC", noon_jan_15).from == "2026-01-15T00:00:00Z");
    CHECK(on_day("today", "UTC", noon_jan_15).to == "2026-01-15T23:59:59.999999Z");
    CHECK(on_day("yesterday", "UTC", noon_jan_15).to == "2026-01-14T23:59:59.999999Z");
    CHECK(on_day("tomorrow", "UTC", noon_jan_15).from == "2026-01-16T00:00:00Z");
    CHECK(on_day("+1d12h", "UTC", noon_jan_15).from == "2026-01-17T00:00:00Z");
    CHECK(on_day("+12330", "UTC", noon_jan_15).to == "2026-01-17T23:59:59.999999Z");
}

TEST_CASE("'day' rejects invalid times like 'from' does", "[date_range]") {
    CHECK(refusal_of(none, none, "2026-01-15T25:00") == "400 Invalid time!");
    CHECK(refusal_of(none, none, "+24h") == "400 Invalid time!");
}

// ---------------------------------------------------------------------------
// Zones

TEST_CASE("IANA zones are found by their exact names", "[date_range]") {
    for (const std::string_view name :
         {"UTC", "Europe/Zurich", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago",
          "Africa/Cairo"})
        CHECK(refusal([&] { vx::find_zone(name); }) == "accepted");
}

TEST_CASE("an unknown zone is a bad timezone, quoted", "[date_range]") {
    CHECK(refusal([] { vx::find_zone("Mars/Olympus_Mons"); }) == "400 Bad timezone: 'Mars/Olympus_Mons'");
    CHECK(refusal([] { vx::find_zone(""); }) == "400 Bad timezone: ''");
    CHECK(refusal([] { vx::find_zone("Europe/Zurich "); }) == "400 Bad timezone: 'Europe/Zurich '");
}

TEST_CASE("zone names in another case are found, as Indico's pytz found them", "[date_range]") {
    CHECK(vx::find_zone("europe/zurich") == vx::find_zone("Europe/Zurich"));
    CHECK(vx::find_zone("ASIA/KOLKATA") == vx::find_zone("Asia/Kolkata"));
    // An old name (a link in tzdata) in another case is found too.
    CHECK(vx::find_zone("us/eastern")->name() == vx::find_zone("US/Eastern")->name());
    CHECK(refusal([] { vx::find_zone("europe/zurichx"); }) == "400 Bad timezone: 'europe/zurichx'");
}

TEST_CASE("a command-line day is midnight UTC of a real calendar date", "[date_range]") {
    // 2026-12-01T00:00:00Z = 1796083200 (date -u -d 2026-12-01 +%s).
    CHECK(vx::parse_utc_date("2026-12-01") == vx::Timestamp{std::chrono::seconds{1796083200}});
    CHECK_FALSE(vx::parse_utc_date("2026-02-30").has_value());
    CHECK_FALSE(vx::parse_utc_date("2026-12-1").has_value());
    CHECK_FALSE(vx::parse_utc_date("today").has_value());
}
