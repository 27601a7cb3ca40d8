// Content lines: folding, escaping and sanitising, including property tests
// over random UTF-8 (fixed seeds, so a failure is reproducible).

#include <catch2/catch.hpp>

#include <random>

#include "core/text_line.hpp"
#include "core/utf8.hpp"

using namespace vx;

namespace {

std::vector<std::string> physical_lines(const std::string& s) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t at; (at = s.find("\r\n", start)) != std::string::npos; start = at + 2)
        lines.push_back(s.substr(start, at - start));
    REQUIRE(start == s.size());  // everything ends with CRLF
    return lines;
}

// RFC 5545 §3.1 unfolding: remove every CRLF followed by one space.
std::string unfold(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 3, "\r\n ") == 0) {
            i += 2;
            continue;
        }
        out.push_back(s[i]);
    }
    return out;
}

// RFC 5545 §3.3.11 TEXT unescaping.
std::string unescape(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
            const char n = v[++i];
            out.push_back(n == 'n' || n == 'N' ? '\n' : n);
        } else {
            out.push_back(v[i]);
        }
    }
    return out;
}

std::string property(std::string_view name, std::string_view value) {
    std::string out;
    ical::text_property(out, name, value);
    return out;
}

// What a TEXT value must come back as: controls dropped, line breaks as LF,
// invalid UTF-8 as U+FFFD.
std::string sanitized(std::string_view raw) {
    std::string valid = utf8::sanitize(raw), out;
    for (std::size_t i = 0; i < valid.size();) {
        const utf8::Step st = utf8::decode(valid, i);
        const char32_t cp = st.code_point;
        if (cp == '\r') {
            out.push_back('\n');
            if (i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
        } else if (cp == '\n' || cp == '\t' || (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F))) {
            out.append(valid, i, st.length);
        }
        i += st.length;
    }
    return out;
}

char32_t random_code_point(std::mt19937& rng) {
    // Weighted towards the characters that matter: ASCII specials, line
    // breaks and controls, 2-, 3- and 4-byte sequences.
    static const char32_t specials[] = {'\\', ';', ',', ':', '"', '\n', '\r', '\t', 0x01, 0x7F, 0x85, ' '};
    switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
        case 0: return specials[std::uniform_int_distribution<std::size_t>(0, std::size(specials) - 1)(rng)];
        case 1: return std::uniform_int_distribution<char32_t>(0x20, 0x7E)(rng);
        case 2: return std::uniform_int_distribution<char32_t>(0x80, 0x7FF)(rng);
        case 3: {
            char32_t cp;
            do cp = std::uniform_int_distribution<char32_t>(0x800, 0xFFFF)(rng);
            while (cp >= 0xD800 && cp <= 0xDFFF);
            return cp;
        }
        case 4: return std::uniform_int_distribution<char32_t>(0x10000, 0x10FFFF)(rng);
        default: return std::uniform_int_distribution<char32_t>(0x41, 0x5A)(rng);
    }
}

}  // namespace

TEST_CASE("TEXT values escape backslash, semicolon, comma and every kind of line break") {
    CHECK(property("SUMMARY", "a\\b;c,d:e\"f") == "SUMMARY:a\\\\b\\;c\\,d:e\"f\r\n");
    CHECK(property("SUMMARY", "1\r\n2\r3\n4") == "SUMMARY:1\\n2\\n3\\n4\r\n");
}

TEST_CASE("control characters other than TAB are dropped, TAB is kept") {
    CHECK(property("SUMMARY", std::string("a\x01" "b\x7F" "c\t" "d\xC2\x85" "e", 11)) == "SUMMARY:abc\tde\r\n");
    CHECK(property("SUMMARY", std::string("x\0y", 3)) == "SUMMARY:xy\r\n");
}

TEST_CASE("invalid UTF-8 is replaced, never emitted") {
    CHECK(property("SUMMARY", "caf\xE9!") == "SUMMARY:caf\xEF\xBF\xBD!\r\n");
    CHECK(property("SUMMARY", "\xED\xA0\x80") == "SUMMARY:\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\r\n");  // a surrogate
    CHECK(property("SUMMARY", "\xF0\x9F\x98") == "SUMMARY:\xEF\xBF\xBD\r\n");  // truncated 4-byte sequence
}

TEST_CASE("a line of exactly 75 octets is not folded, one more octet is") {
    CHECK(property("SUMMARY", std::string(67, 'x')) == "SUMMARY:" + std::string(67, 'x') + "\r\n");
    CHECK(property("SUMMARY", std::string(68, 'x')) == "SUMMARY:" + std::string(67, 'x') + "\r\n x\r\n");
}

TEST_CASE("continuation lines carry 74 octets after their leading space") {
    const std::string out = property("SUMMARY", std::string(67 + 74 + 1, 'y'));
    const auto lines = physical_lines(out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].size() == 75);
    CHECK(lines[1].size() == 75);
    CHECK(lines[2] == " y");
}

TEST_CASE("folding never splits a multi-byte character or an escape pair") {
    // 66 ASCII then a 4-byte emoji: 8 + 66 + 4 = 78 > 75, so the emoji moves.
    const std::string out = property("SUMMARY", std::string(66, 'a') + "\xF0\x9F\x8E\xA5");
    CHECK(out == "SUMMARY:" + std::string(66, 'a') + "\r\n \xF0\x9F\x8E\xA5\r\n");
    // 66 ASCII then "," (escaped to 2 octets): 8 + 66 + 2 = 76 > 75.
    CHECK(property("SUMMARY", std::string(66, 'a') + ",") == "SUMMARY:" + std::string(66, 'a') + "\r\n \\,\r\n");
}

TEST_CASE("raw values are folded but not escaped") {
    std::string out;
    ical::ContentLine(out, "URL").raw("https://x.org/a,b;c").end();
    CHECK(out == "URL:https://x.org/a,b;c\r\n");
}

TEST_CASE("property: random UTF-8 folds into valid lines of at most 75 octets and unfolds back") {
    for (const unsigned seed : {1u, 2u, 3u, 42u, 2026u}) {
        std::mt19937 rng(seed);
        for (int round = 0; round < 400; ++round) {
            std::string input;
            const int length = std::uniform_int_distribution<int>(0, 300)(rng);
            for (int i = 0; i < length; ++i) utf8::append(input, random_code_point(rng));
            if (round % 7 == 0 && !input.empty()) input[input.size() / 2] = '\xC3';  // inject invalid UTF-8

            const std::string out = property("DESCRIPTION", input);
            for (const std::string& line : physical_lines(out)) {
                INFO("seed " << seed << " round " << round);
                CHECK(line.size() <= 75);
                CHECK(utf8::is_valid(line));
                CHECK(line.find('\r') == std::string::npos);
                CHECK(line.find('\n') == std::string::npos);
            }
            const std::string logical = unfold(out);
            REQUIRE(logical.starts_with("DESCRIPTION:"));
            const std::string value = logical.substr(12, logical.size() - 12 - 2);
            INFO("seed " << seed << " round " << round);
            CHECK(unescape(value) == sanitized(input));
        }
    }
}
