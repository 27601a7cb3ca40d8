#include <catch2/catch.hpp>

#include "fcgi/response_cache.hpp"

using vx::service::CachedFeed;
using vx::service::ResponseCache;

TEST_CASE("the response cache returns what was put under an ETag") {
    ResponseCache cache(1 << 20);
    cache.keep_only_version(1);
    cache.put("\"a\"", {"BEGIN:VCALENDAR", true});
    REQUIRE(cache.get("\"a\""));
    CHECK(cache.get("\"a\"")->body == "BEGIN:VCALENDAR");
    CHECK_FALSE(cache.get("\"b\""));
}

TEST_CASE("the response cache stays within its byte budget, evicting the least recently used") {
    ResponseCache cache(3000);
    cache.keep_only_version(1);
    cache.put("\"a\"", {std::string(900, 'a'), true});
    cache.put("\"b\"", {std::string(900, 'b'), true});
    cache.put("\"c\"", {std::string(900, 'c'), true});
    CHECK(cache.get("\"a\""));  // a is now the most recently used
    cache.put("\"d\"", {std::string(900, 'd'), true});
    CHECK(cache.bytes() <= 3000);
    CHECK_FALSE(cache.get("\"b\""));
    CHECK(cache.get("\"a\""));
    CHECK(cache.get("\"d\""));
    cache.put("\"huge\"", {std::string(5000, 'h'), true});  // larger than the budget: not kept
    CHECK_FALSE(cache.get("\"huge\""));
    CHECK(cache.get("\"a\""));
}

TEST_CASE("a new data version empties the cache") {
    ResponseCache cache(1 << 20);
    cache.keep_only_version(1);
    cache.put("\"a\"", {"x", true});
    cache.keep_only_version(1);
    CHECK(cache.get("\"a\""));
    cache.keep_only_version(2);
    CHECK_FALSE(cache.get("\"a\""));
    CHECK(cache.bytes() == 0);
}
