// Validators: ETag, Last-Modified, conditional requests (DESIGN.md §7).

#include <catch2/catch.hpp>

#include "core/http_cache.hpp"
#include "tests/unit/writer_fixtures.hpp"

using namespace vx;
using vx::testing::utc;

namespace {

std::string etag_for(std::string_view query, std::int64_t version = 7, std::int64_t user = 3) {
    const std::string canonical = canonical_feed_query(QueryString::parse(query));
    return feed_etag({version, user, "/export/video/vidyo.ics", canonical, "cfg"});
}

}  // namespace

TEST_CASE("a persistent and a timestamped URL of one query share the ETag") {
    const std::string persistent = etag_for("alarms=20&ak=k&signature=aa");
    CHECK(persistent == etag_for("timestamp=1733310000&alarms=20&apikey=k&signature=bb"));
    CHECK(persistent == etag_for("alarms=20&nocache=yes&nc=yes"));
    CHECK(persistent.size() == 42);
    CHECK(persistent.front() == '"');
    CHECK(persistent.back() == '"');
}

TEST_CASE("the ETag changes with the data version, the user, the query and the configuration") {
    const std::string base = etag_for("alarms=20");
    CHECK(base != etag_for("alarms=20", 8));
    CHECK(base != etag_for("alarms=20", 7, 4));
    CHECK(base != etag_for("alarms=30"));
    CHECK(base != etag_for("alarms=20&onlypublic=yes"));
    CHECK(base != feed_etag({7, 3, "/export/video/vidyo.ics", "alarms=20", "other prodid"}));
    CHECK(base != feed_etag({7, 3, "/export/video/vidyo.json", "alarms=20", "cfg"}));
}

TEST_CASE("HTTP dates are IMF-fixdate and parse back, in all three RFC 9110 forms") {
    const Timestamp t = utc(1994, 11, 6, 8, 49, 37, 999999);
    CHECK(http_date(t) == "Sun, 06 Nov 1994 08:49:37 GMT");
    const Timestamp whole = utc(1994, 11, 6, 8, 49, 37);
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == whole);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == whole);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == whole);
    CHECK_FALSE(parse_http_date("yesterday").has_value());
    CHECK_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 CET").has_value());
}

TEST_CASE("If-None-Match answers 304 for the current tag, a list holding it, a weak form or *") {
    const Timestamp lm = utc(2026, 12, 1, 10, 0);
    const std::string tag = "\"abc\"";
    CHECK(is_not_modified("\"abc\"", std::nullopt, tag, lm));
    CHECK(is_not_modified("\"x\", \"abc\"", std::nullopt, tag, lm));
    CHECK(is_not_modified("W/\"abc\"", std::nullopt, tag, lm));
    CHECK(is_not_modified("*", std::nullopt, tag, lm));
    CHECK_FALSE(is_not_modified("\"abd\"", std::nullopt, tag, lm));
    // If-None-Match decides alone when present.
    CHECK_FALSE(is_not_modified("\"old\"", "Tue, 01 Dec 2026 10:00:00 GMT", tag, lm));
}

TEST_CASE("If-Modified-Since answers 304 unless the data changed after it, at second resolution") {
    const Timestamp lm = utc(2026, 12, 1, 10, 0, 0, 400000);
    CHECK(is_not_modified(std::nullopt, "Tue, 01 Dec 2026 10:00:00 GMT", "\"t\"", lm));
    CHECK(is_not_modified(std::nullopt, "Tue, 01 Dec 2026 11:00:00 GMT", "\"t\"", lm));
    CHECK_FALSE(is_not_modified(std::nullopt, "Tue, 01 Dec 2026 09:59:59 GMT", "\"t\"", lm));
    CHECK_FALSE(is_not_modified(std::nullopt, "garbage", "\"t\"", lm));
    CHECK_FALSE(is_not_modified(std::nullopt, std::nullopt, "\"t\"", lm));
}
