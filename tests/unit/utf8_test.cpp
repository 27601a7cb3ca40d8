#include <catch2/catch.hpp>

#include "core/utf8.hpp"

using namespace vx;

TEST_CASE("well-formed UTF-8 passes unchanged") {
    const std::string s = "Zürich – 東京 🎥";
    CHECK(utf8::is_valid(s));
    CHECK(utf8::sanitize(s) == s);
}

TEST_CASE("each maximal ill-formed subpart becomes one U+FFFD") {
    // Examples from Unicode §3.9 (U+FFFD substitution of maximal subparts).
    CHECK(utf8::sanitize("a\xF1\x80\x80" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(utf8::sanitize("\xE1\x80\x41") == "\xEF\xBF\xBD" "A");
    CHECK(utf8::sanitize("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong
    CHECK(utf8::sanitize("\xF4\x90\x80\x80").size() == 4 * 3);               // above U+10FFFF
    CHECK_FALSE(utf8::is_valid("\xED\xA0\x80"));                              // surrogate
    CHECK_FALSE(utf8::is_valid("\xE0\x80\x80"));                              // overlong 3-byte
}

TEST_CASE("code points encode to their UTF-8 bytes") {
    std::string out;
    for (const char32_t cp : {U'A', U'ü', U'東', U'🎥'}) utf8::append(out, cp);
    CHECK(out == "Aü東🎥");
}
