// Query parameters → a validated export request (DESIGN.md §3, parameter table).
// The date rules themselves are date_range_test.cpp's; here only that the
// parameters reach them (names, aliases, tz, the default zone).

#include <catch2/catch.hpp>

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/export_params.hpp"

namespace {

const vx::Timestamp now = vx::Timestamp{date::sys_days{date::year{2026} / 1 / 15}} + std::chrono::hours{12};

vx::ParamSettings settings(std::string_view default_zone = "UTC", std::int64_t max_records = 100000) {
    return {vx::find_zone(default_zone), max_records};
}

vx::ExportParams parse(std::string_view raw, const vx::ParamSettings& s = settings()) {
    return vx::parse_export_params(vx::QueryString::parse(raw), s, now);
}

// "400 <message>" for a refusal, "accepted" otherwise.
std::string refusal(std::string_view raw, const vx::ParamSettings& s = settings()) {
    try {
        parse(raw, s);
    } catch (const vx::RequestError& e) {
        return std::to_string(e.status()) + " " + std::string(e.message());
    }
    return "accepted";
}

std::string show(const std::optional<vx::Timestamp>& t) {
    if (!t) return "open";
    if (t->time_since_epoch() % std::chrono::seconds{1} == std::chrono::microseconds{0})
        return date::format("%FT%TZ", date::floor<std::chrono::seconds>(*t));
    return date::format("%FT%TZ", *t);
}

const std::string alarms_message = "400 'alarms' must be a whole number of minutes from 0 to 40320";
const std::string limit_message = "400 'limit' must be a non-negative integer";
const std::string offset_message = "400 'offset' must be a non-negative integer";
const std::string too_many_message =
    "400 You can only request up to 100000 records per request with the detail level 'all'";

}  // namespace

// ---------------------------------------------------------------------------
// Defaults

TEST_CASE("an empty query gives the default export request", "[export_params]") {
    const vx::ExportParams p = parse("");
    CHECK_FALSE(p.alarm_minutes.has_value());
    CHECK_FALSE(p.window.from.has_value());
    CHECK_FALSE(p.window.to.has_value());
    CHECK(p.limit == 0);
    CHECK(p.offset == 0);
    CHECK(p.order == vx::SortKey::start);
    CHECK_FALSE(p.descending);
    CHECK_FALSE(p.category.has_value());
    CHECK_FALSE(p.only_public);
    CHECK_FALSE(p.only_authed);
    CHECK_FALSE(p.no_cache);
}

TEST_CASE("unknown parameters are ignored", "[export_params]") {
    const vx::ExportParams p = parse("foo=bar&pretty=yes&ak=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&timestamp=1&signature=x");
    CHECK(p.limit == 0);
    CHECK(p.order == vx::SortKey::start);
    CHECK(refusal("garbage=%%%") == "400 Malformed query string");  // ignored, but still a query string
    CHECK(refusal("foo=not-a-number&bar=") == "accepted");
}

TEST_CASE("parameter names are case-sensitive: differently cased names are unknown and ignored", "[export_params]") {
    const vx::ExportParams p = parse("Alarms=5&LIMIT=abc&Order=nonsense&TZ=Nowhere&Day=x&C=yes&OP=yes");
    CHECK_FALSE(p.alarm_minutes.has_value());
    CHECK(p.limit == 0);
    CHECK(p.order == vx::SortKey::start);
    CHECK_FALSE(p.descending);
    CHECK_FALSE(p.only_public);
    CHECK_FALSE(p.window.from.has_value());
}

// ---------------------------------------------------------------------------
// alarms

TEST_CASE("alarms takes whole minutes from 0 to 40320", "[export_params]") {
    CHECK(parse("alarms=0").alarm_minutes == 0);
    CHECK(parse("alarms=20").alarm_minutes == 20);
    CHECK(parse("alarms=40320").alarm_minutes == 40320);
    CHECK(parse("alarms=007").alarm_minutes == 7);  // digits only; leading zeros are digits
}

TEST_CASE("alarms outside 0..40320 or not made of digits only are refused with the contract's message", "[export_params]") {
    for (const std::string_view value : {"-1", "40321", "1.5", "", "%205", "+5", "5%20", "1e3", "0x10", "twenty",
                                         "99999999999999999999999999"}) {
        INFO("alarms=" << value);
        CHECK(refusal("alarms=" + std::string(value)) == alarms_message);
    }
}

TEST_CASE("a '+' in alarms is a space once decoded, so '+5' is refused", "[export_params]") {
    CHECK(refusal("alarms=+5") == alarms_message);
    CHECK(refusal("alarms=%2B5") == alarms_message);
}

TEST_CASE("alarms absent means no alarms", "[export_params]") { CHECK_FALSE(parse("from=today").alarm_minutes.has_value()); }

// ---------------------------------------------------------------------------
// Repeated names

TEST_CASE("when a name repeats, its first value counts", "[export_params]") {
    CHECK(parse("alarms=10&alarms=abc").alarm_minutes == 10);
    CHECK(refusal("alarms=abc&alarms=10") == alarms_message);
    CHECK(parse("order=title&order=id").order == vx::SortKey::title);
    CHECK(parse("limit=5&limit=7").limit == 5);
}

TEST_CASE("a blank first value counts as given", "[export_params]") {
    CHECK(refusal("alarms=&alarms=10") == alarms_message);
    CHECK(refusal("limit&limit=5") == limit_message);
}

// ---------------------------------------------------------------------------
// limit / offset

TEST_CASE("limit and offset take non-negative integers", "[export_params]") {
    const vx::ExportParams p = parse("limit=50&offset=200");
    CHECK(p.limit == 50);
    CHECK(p.offset == 200);
}

TEST_CASE("limit has the short name n and offset the short name O", "[export_params]") {
    const vx::ExportParams p = parse("n=50&O=200");
    CHECK(p.limit == 50);
    CHECK(p.offset == 200);
}

TEST_CASE("'O' is offset and 'o' is order", "[export_params]") {
    const vx::ExportParams offset = parse("O=20");
    CHECK(offset.offset == 20);
    CHECK(offset.order == vx::SortKey::start);
    const vx::ExportParams order = parse("o=end");
    CHECK(order.order == vx::SortKey::end);
    CHECK(order.offset == 0);
    CHECK(refusal("o=20") == "400 Invalid order: '20'");
}

TEST_CASE("a limit that is not a non-negative integer is refused", "[export_params]") {
    for (const std::string_view value : {"-1", "1.5", "", "%205", "+5", "5%20", "1e3", "ten", "0x10"}) {
        INFO("limit=" << value);
        CHECK(refusal("limit=" + std::string(value)) == limit_message);
        CHECK(refusal("n=" + std::string(value)) == limit_message);
    }
}

TEST_CASE("an offset that is not a non-negative integer is refused", "[export_params]") {
    for (const std::string_view value : {"-1", "1.5", "", "%205", "+5", "5%20", "1e3", "ten", "0x10"}) {
        INFO("offset=" << value);
        CHECK(refusal("offset=" + std::string(value)) == offset_message);
        CHECK(refusal("O=" + std::string(value)) == offset_message);
    }
}

TEST_CASE("limit=0 means the caller set no limit, so the server's cap applies", "[export_params]") {
    const vx::ExportParams p = parse("limit=0");
    CHECK(p.limit == 0);
    CHECK(p.capped_by_server());
    CHECK(p.rows_to_fetch(100000) == 100001);  // one extra row tells that the cap cut something off
}

TEST_CASE("without a limit the server's cap applies with one row to spare", "[export_params]") {
    const vx::ExportParams p = parse("");
    CHECK(p.capped_by_server());
    CHECK(p.rows_to_fetch(500) == 501);
}

TEST_CASE("a caller's limit is fetched as is and the server's cap does not apply", "[export_params]") {
    const vx::ExportParams p = parse("limit=25");
    CHECK_FALSE(p.capped_by_server());
    CHECK(p.rows_to_fetch(100000) == 25);
}

TEST_CASE("a limit equal to max_records is accepted", "[export_params]") {
    CHECK(parse("limit=100000").limit == 100000);
    CHECK(parse("n=500", settings("UTC", 500)).limit == 500);
}

TEST_CASE("a limit above max_records is refused with the detail-level message", "[export_params]") {
    CHECK(refusal("limit=100001") == too_many_message);
    CHECK(refusal("n=501", settings("UTC", 500)) ==
          "400 You can only request up to 500 records per request with the detail level 'all'");
}

TEST_CASE("a limit too large for any integer type is above max_records, not malformed", "[export_params]") {
    CHECK(refusal("limit=99999999999999999999999999999") == too_many_message);
    CHECK(refusal("limit=9223372036854775808") == too_many_message);  // INT64_MAX + 1
}

TEST_CASE("a huge offset is accepted and selects nothing rather than failing", "[export_params]") {
    // Beyond every table: the value saturates at the largest offset there is.
    CHECK(parse("offset=99999999999999999999999999999").offset == std::numeric_limits<std::int64_t>::max());
    CHECK(parse("O=9223372036854775807").offset == std::numeric_limits<std::int64_t>::max());
}

// ---------------------------------------------------------------------------
// order / descending

TEST_CASE("order accepts id, start, end and title, with the short name o", "[export_params]") {
    CHECK(parse("order=id").order == vx::SortKey::id);
    CHECK(parse("order=start").order == vx::SortKey::start);
    CHECK(parse("order=end").order == vx::SortKey::end);
    CHECK(parse("order=title").order == vx::SortKey::title);
    CHECK(parse("o=title").order == vx::SortKey::title);
}

TEST_CASE("any other order is refused, quoted", "[export_params]") {
    CHECK(refusal("order=Start") == "400 Invalid order: 'Start'");
    CHECK(refusal("order=date") == "400 Invalid order: 'date'");
    CHECK(refusal("order=") == "400 Invalid order: ''");
    CHECK(refusal("o=start+") == "400 Invalid order: 'start '");
}

TEST_CASE("descending is on only for the value yes, with the short name c", "[export_params]") {
    CHECK(parse("descending=yes").descending);
    CHECK(parse("c=yes").descending);
    for (const std::string_view value : {"no", "YES", "Yes", "true", "1", "", "yes+"}) {
        INFO("c=" << value);
        CHECK_FALSE(parse("c=" + std::string(value)).descending);
        CHECK_FALSE(parse("descending=" + std::string(value)).descending);
    }
}

// ---------------------------------------------------------------------------
// detail

TEST_CASE("detail accepts only 'all', with the short name d", "[export_params]") {
    CHECK(refusal("detail=all") == "accepted");
    CHECK(refusal("d=all") == "accepted");
    CHECK(refusal("detail=events") == "400 Invalid detail level: events");
    CHECK(refusal("d=contributions") == "400 Invalid detail level: contributions");
    CHECK(refusal("d=ALL") == "400 Invalid detail level: ALL");
    CHECK(refusal("d=") == "400 Invalid detail level: ");
}

// ---------------------------------------------------------------------------
// categ

TEST_CASE("categ takes a category id", "[export_params]") {
    CHECK(parse("categ=42").category == 42);
    CHECK(parse("categ=0").category == 0);
}

TEST_CASE("a categ that is not an integer is refused", "[export_params]") {
    for (const std::string_view value : {"", "abc", "4.2", "42x", "x42", "%2042", "42%20"}) {
        INFO("categ=" << value);
        CHECK(refusal("categ=" + std::string(value)) == "400 'categ' must be a category id");
    }
}

// ---------------------------------------------------------------------------
// onlypublic / onlyauthed / nocache

TEST_CASE("onlypublic, onlyauthed and nocache are on only for the value yes", "[export_params]") {
    const vx::ExportParams on = parse("onlypublic=yes&onlyauthed=yes&nocache=yes");
    CHECK(on.only_public);
    CHECK(on.only_authed);
    CHECK(on.no_cache);
    const vx::ExportParams off = parse("onlypublic=no&onlyauthed=1&nocache=YES");
    CHECK_FALSE(off.only_public);
    CHECK_FALSE(off.only_authed);
    CHECK_FALSE(off.no_cache);
}

TEST_CASE("onlypublic, onlyauthed and nocache have the short names op, oa and nc", "[export_params]") {
    const vx::ExportParams p = parse("op=yes&oa=yes&nc=yes");
    CHECK(p.only_public);
    CHECK(p.only_authed);
    CHECK(p.no_cache);
    CHECK_FALSE(parse("op=true&oa=&nc=on").only_public);
}

// ---------------------------------------------------------------------------
// Dates, tz

TEST_CASE("from and to, or their short names f and t, set the window", "[export_params]") {
    const vx::ExportParams long_names = parse("from=2026-01-10&to=2026-01-20");
    CHECK(show(long_names.window.from) == "2026-01-10T00:00:00Z");
    CHECK(show(long_names.window.to) == "2026-01-20T23:59:59.999999Z");
    const vx::ExportParams short_names = parse("f=-7d&t=today");
    CHECK(show(short_names.window.from) == "2026-01-08T00:00:00Z");
    CHECK(show(short_names.window.to) == "2026-01-15T23:59:59.999999Z");
}

TEST_CASE("day sets a one-day window", "[export_params]") {
    const vx::ExportParams p = parse("day=2026-01-20");
    CHECK(show(p.window.from) == "2026-01-20T00:00:00Z");
    CHECK(show(p.window.to) == "2026-01-20T23:59:59.999999Z");
}

TEST_CASE("day together with from or to (long or short names) is refused", "[export_params]") {
    const std::string message = "400 'day' can only be used without 'from' and 'to'";
    CHECK(refusal("day=today&from=today") == message);
    CHECK(refusal("day=today&t=today") == message);
    CHECK(refusal("f=today&day=today") == message);
}

TEST_CASE("date errors reach the caller with the contract's messages", "[export_params]") {
    CHECK(refusal("to=-1d") == "400 End date cannot be a negative offset");
    CHECK(refusal("t=-70000") == "400 End date cannot be a negative offset");
    CHECK(refusal("from=2026-01-15T24:00") == "400 Invalid time!");
    CHECK(refusal("from=soon") == "400 Impossible to parse 'soon'");
    CHECK(refusal("from=2026-01-20&to=2026-01-10") == "400 'from' must not be after 'to'");
    CHECK(refusal("f=tomorrow&t=yesterday") == "400 'from' must not be after 'to'");
}

TEST_CASE("a '+' in an offset must be escaped, since a raw '+' decodes to a space", "[export_params]") {
    CHECK(show(parse("from=%2B1d").window.from) == "2026-01-16T00:00:00Z");
    CHECK(refusal("from=+1d") == "400 Impossible to parse ' 1d'");
}

TEST_CASE("tz sets the zone the dates are read in", "[export_params]") {
    const vx::ExportParams p = parse("from=2026-01-15&tz=Europe/Zurich");
    CHECK(show(p.window.from) == "2026-01-14T23:00:00Z");  // midnight CET (+1)
    const vx::ExportParams escaped = parse("day=2026-01-15&tz=America%2FNew_York");
    CHECK(show(escaped.window.from) == "2026-01-15T05:00:00Z");  // midnight EST (-5)
}

TEST_CASE("without tz the configured default zone is used", "[export_params]") {
    const vx::ExportParams p = parse("from=2026-01-15", settings("Asia/Kolkata"));
    CHECK(show(p.window.from) == "2026-01-14T18:30:00Z");  // midnight IST (+5:30)
    const vx::ExportParams overridden = parse("from=2026-01-15&tz=UTC", settings("Asia/Kolkata"));
    CHECK(show(overridden.window.from) == "2026-01-15T00:00:00Z");
}

TEST_CASE("an unknown tz is a bad timezone, even without dates", "[export_params]") {
    CHECK(refusal("tz=Mars/Olympus_Mons") == "400 Bad timezone: 'Mars/Olympus_Mons'");
    CHECK(refusal("tz=") == "400 Bad timezone: ''");
    CHECK(refusal("from=today&tz=europe/zurichh") == "400 Bad timezone: 'europe/zurichh'");
}

TEST_CASE("'today' through the parameters is today in the requested zone", "[export_params]") {
    // The clock is 2026-01-15 12:00 UTC = 2026-01-16 01:45 at +13:45 (Pacific/Chatham):
    // today there is the 16th, from 00:00 +13:45 = 2026-01-15 10:15 UTC.
    const vx::ExportParams p = parse("from=today&tz=Pacific/Chatham");
    CHECK(show(p.window.from) == "2026-01-15T10:15:00Z");
}

// ---------------------------------------------------------------------------
// Aliases

TEST_CASE("when both the short and the long name are given, the short one counts, as in Indico", "[export_params]") {
    // Indico's get_query_parameter(qdata, ['f', 'from']) looks the short name up first.
    CHECK(show(parse("from=2026-01-10&f=2026-01-12").window.from) == "2026-01-12T00:00:00Z");
    CHECK(parse("limit=5&n=7").limit == 7);
    CHECK(parse("offset=5&O=7").offset == 7);
    CHECK(parse("order=id&o=end").order == vx::SortKey::end);
    CHECK_FALSE(parse("descending=yes&c=no").descending);
}

// ---------------------------------------------------------------------------
// Malformed query strings

TEST_CASE("an invalid percent escape anywhere is a malformed query string", "[export_params]") {
    CHECK(refusal("alarms=%ZZ") == "400 Malformed query string");
    CHECK(refusal("from=today&x=%") == "400 Malformed query string");
    CHECK(refusal("x=%4") == "400 Malformed query string");
    CHECK(refusal("%G1=1") == "400 Malformed query string");  // in a name
}

TEST_CASE("invalid UTF-8 after decoding is a malformed query string", "[export_params]") {
    CHECK(refusal("x=%FF") == "400 Malformed query string");
    CHECK(refusal("order=%C3") == "400 Malformed query string");
    CHECK(refusal("%ED%A0%80=1") == "400 Malformed query string");  // an encoded surrogate, in a name
    CHECK(refusal("x=\xC3\x28") == "400 Malformed query string");   // raw invalid bytes
}

TEST_CASE("a malformed query string is refused before any other parameter error", "[export_params]") {
    CHECK(refusal("alarms=abc&x=%ZZ") == "400 Malformed query string");
    CHECK(refusal("tz=Nowhere&x=%FF") == "400 Malformed query string");
}

TEST_CASE("valid UTF-8 and percent escapes of either case are accepted", "[export_params]") {
    CHECK(refusal("title=%C3%A9t%c3%a9&x=%e2%82%ac") == "accepted");
    CHECK(refusal("x=\xC3\xA9") == "accepted");
}
