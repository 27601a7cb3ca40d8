// The raw query string and application/x-www-form-urlencoded (DESIGN.md §3,
// §4 step 1 and 2). Expected decodings follow Python's urllib.parse.parse_qsl
// (keep_blank_values=True, errors="replace"); expected encodings follow
// Python 3's urlencode (quote_plus) and, for Tilde::percent, PHP's
// http_build_query.

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/form_encoding.hpp"
#include "core/query_string.hpp"

namespace {

// "name=value" for each pair, joined by " | ", to compare a whole parse at once.
std::string pairs_of(std::string_view raw) {
    std::string out;
    const vx::QueryString q = vx::QueryString::parse(raw);
    for (const vx::QueryPair& p : q.pairs()) {
        if (!out.empty()) out += " | ";
        out += p.name + "=" + p.value;
    }
    return out;
}

bool malformed(std::string_view raw) { return vx::QueryString::parse(raw).malformed(); }

const std::string fffd = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

// ---------------------------------------------------------------------------
// QueryString::parse

TEST_CASE("an empty query string has no pairs", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("");
    CHECK(q.pairs().empty());
    CHECK_FALSE(q.malformed());
}

TEST_CASE("pairs are split on '&' and kept in order, repeats included", "[query_string]") {
    CHECK(pairs_of("b=2&a=1&b=3") == "b=2 | a=1 | b=3");
    const vx::QueryString q = vx::QueryString::parse("b=2&a=1&b=3");
    REQUIRE(q.pairs().size() == 3);
    CHECK(q.pairs()[0].name == "b");
    CHECK(q.pairs()[0].value == "2");
    CHECK(q.pairs()[2].value == "3");
}

TEST_CASE("a semicolon is not a pair separator", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("a=1;b=2");
    REQUIRE(q.pairs().size() == 1);
    CHECK(q.pairs()[0].name == "a");
    CHECK(q.pairs()[0].value == "1;b=2");
    CHECK_FALSE(q.first("b").has_value());
}

TEST_CASE("empty segments between, before and after '&' are skipped", "[query_string]") {
    CHECK(pairs_of("&a=1&&b=2&") == "a=1 | b=2");
    CHECK(vx::QueryString::parse("&&&").pairs().empty());
}

TEST_CASE("a pair without '=' has an empty value", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("flag&a=1");
    REQUIRE(q.pairs().size() == 2);
    CHECK(q.pairs()[0].name == "flag");
    CHECK(q.pairs()[0].value.empty());
    CHECK(q.first("flag") == std::string_view{});
}

TEST_CASE("blank values and blank names are kept as pairs", "[query_string]") {
    CHECK(pairs_of("a=&=b&=") == "a= | =b | =");
}

TEST_CASE("only the first '=' separates name from value", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("a=b=c");
    REQUIRE(q.pairs().size() == 1);
    CHECK(q.pairs()[0].name == "a");
    CHECK(q.pairs()[0].value == "b=c");
}

TEST_CASE("names and values are both decoded, and escaped separators do not split", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("a%26b=c%3Dd%26e&x+y=1+2");
    REQUIRE(q.pairs().size() == 2);
    CHECK(q.pairs()[0].name == "a&b");
    CHECK(q.pairs()[0].value == "c=d&e");
    CHECK(q.pairs()[1].name == "x y");
    CHECK(q.pairs()[1].value == "1 2");
}

TEST_CASE("first returns the first value of a repeated name", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("a=1&a=2");
    CHECK(q.first("a") == std::string_view{"1"});
}

TEST_CASE("first is case-sensitive and absent names give nothing", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("O=5&o=id");
    CHECK(q.first("O") == std::string_view{"5"});
    CHECK(q.first("o") == std::string_view{"id"});
    CHECK_FALSE(q.first("offset").has_value());
    CHECK_FALSE(q.first("A").has_value());
}

TEST_CASE("first with aliases takes the first listed name that is present, whatever the URL order", "[query_string]") {
    const vx::QueryString q = vx::QueryString::parse("from=long&f=short");
    CHECK(q.first({"f", "from"}) == std::string_view{"short"});
    CHECK(q.first({"from", "f"}) == std::string_view{"long"});
    CHECK(q.first({"x", "from"}) == std::string_view{"long"});
    CHECK_FALSE(q.first({"x", "y"}).has_value());
}

TEST_CASE("a well-formed query string is not malformed", "[query_string]") {
    CHECK_FALSE(malformed("a=1&b=%C3%A9&c=+&d=%7e"));
}

TEST_CASE("a bad escape in a name or in a value makes the query string malformed, other pairs still parsed", "[query_string]") {
    const vx::QueryString in_value = vx::QueryString::parse("a=%ZZ&b=2");
    CHECK(in_value.malformed());
    CHECK(pairs_of("a=%ZZ&b=2") == "a=%ZZ | b=2");
    CHECK(malformed("%G=1"));
    CHECK(malformed("a=1&b=%"));
}

TEST_CASE("invalid UTF-8 in a name or in a value makes the query string malformed", "[query_string]") {
    CHECK(malformed("a=%FF"));
    CHECK(malformed("%FF=a"));
    CHECK(pairs_of("a=%FF&b=2") == "a=" + fffd + " | b=2");
}

// ---------------------------------------------------------------------------
// form::decode

TEST_CASE("decoding turns '+' into a space", "[query_string]") {
    const vx::form::Decoded d = vx::form::decode("a+b++c");
    CHECK(d.text == "a b  c");
    CHECK_FALSE(d.malformed);
}

TEST_CASE("decoding reads %XX escapes in upper- and lower-case hex", "[query_string]") {
    CHECK(vx::form::decode("%C3%A9").text == "\xC3\xA9");
    CHECK(vx::form::decode("%c3%a9").text == "\xC3\xA9");
    CHECK(vx::form::decode("%c3%A9").text == "\xC3\xA9");
    CHECK(vx::form::decode("%2B%20%25%26%3D%7E%7e").text == "+ %&=~~");
    CHECK_FALSE(vx::form::decode("%c3%a9").malformed);
}

TEST_CASE("decoding an escaped '+' gives a plus sign, not a space", "[query_string]") {
    CHECK(vx::form::decode("%2B1d").text == "+1d");
}

TEST_CASE("decoding keeps other characters as they are", "[query_string]") {
    const vx::form::Decoded d = vx::form::decode("abc-_.~!*'();:@$,/?[]");
    CHECK(d.text == "abc-_.~!*'();:@$,/?[]");
    CHECK_FALSE(d.malformed);
    CHECK(vx::form::decode("").text.empty());
    CHECK_FALSE(vx::form::decode("").malformed);
}

TEST_CASE("decoding a NUL escape gives a NUL byte, which is valid UTF-8", "[query_string]") {
    const vx::form::Decoded d = vx::form::decode("a%00b");
    CHECK(d.text == std::string("a\0b", 3));
    CHECK_FALSE(d.malformed);
}

TEST_CASE("a bad escape is kept literally and flagged malformed", "[query_string]") {
    struct Case {
        std::string_view encoded, decoded;
    };
    for (const Case& c : {Case{"%", "%"}, Case{"%4", "%4"}, Case{"a%4", "a%4"}, Case{"%ZZ", "%ZZ"}, Case{"%4G", "%4G"},
                         Case{"%G4", "%G4"}, Case{"100%", "100%"}, Case{"% 1", "% 1"}}) {
        INFO(c.encoded);
        const vx::form::Decoded d = vx::form::decode(c.encoded);
        CHECK(d.text == c.decoded);
        CHECK(d.malformed);
    }
}

TEST_CASE("after a bad escape, decoding carries on with the next characters", "[query_string]") {
    // The first '%' is not an escape; "%41" after it is.
    const vx::form::Decoded d = vx::form::decode("%%41+%zz%42");
    CHECK(d.text == "%A %zzB");
    CHECK(d.malformed);
}

TEST_CASE("invalid UTF-8 after decoding becomes U+FFFD and is flagged malformed", "[query_string]") {
    const vx::form::Decoded lone = vx::form::decode("a%FFb");
    CHECK(lone.text == "a" + fffd + "b");
    CHECK(lone.malformed);

    const vx::form::Decoded truncated = vx::form::decode("%C3");
    CHECK(truncated.text == fffd);
    CHECK(truncated.malformed);

    // A truncated three-byte sequence is one maximal ill-formed subpart: one U+FFFD.
    CHECK(vx::form::decode("%E2%82x").text == fffd + "x");

    // Raw (unescaped) invalid bytes are handled the same way.
    const vx::form::Decoded raw = vx::form::decode("\xC3\x28");
    CHECK(raw.text == fffd + "(");
    CHECK(raw.malformed);
}

TEST_CASE("overlong encodings and encoded surrogates are invalid UTF-8", "[query_string]") {
    CHECK(vx::form::decode("%C0%AF").malformed);
    CHECK(vx::form::decode("%ED%A0%80").malformed);
    CHECK(vx::form::decode("%F4%90%80%80").malformed);  // above U+10FFFF
}

TEST_CASE("decoded text is always valid UTF-8", "[query_string]") {
    const vx::form::Decoded d = vx::form::decode("%80%80%FE");
    CHECK(d.malformed);
    CHECK(d.text.find('\x80') == std::string::npos);
    CHECK(d.text.find('\xFE') == std::string::npos);
}

TEST_CASE("valid multi-byte UTF-8, escaped or raw, decodes unchanged", "[query_string]") {
    CHECK(vx::form::decode("%E2%82%AC").text == "\xE2\x82\xAC");          // €
    CHECK(vx::form::decode("%F0%9F%98%80").text == "\xF0\x9F\x98\x80");   // 😀
    CHECK(vx::form::decode("\xE2\x82\xAC").text == "\xE2\x82\xAC");
    CHECK_FALSE(vx::form::decode("%F0%9F%98%80").malformed);
}

// ---------------------------------------------------------------------------
// form::encode

TEST_CASE("encoding keeps A-Z a-z 0-9 _ . - ~", "[query_string]") {
    const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
    CHECK(vx::form::encode(unreserved) == unreserved);
}

TEST_CASE("encoding writes a space as '+'", "[query_string]") {
    CHECK(vx::form::encode("a b  c") == "a+b++c");
}

TEST_CASE("encoding writes every other byte as %XX in upper-case hex", "[query_string]") {
    CHECK(vx::form::encode("+") == "%2B");
    CHECK(vx::form::encode("a&b=c") == "a%26b%3Dc");
    CHECK(vx::form::encode("/?#%") == "%2F%3F%23%25");
    CHECK(vx::form::encode("!*'();:@$,[]") == "%21%2A%27%28%29%3B%3A%40%24%2C%5B%5D");
    CHECK(vx::form::encode("\xC3\xA9") == "%C3%A9");
    CHECK(vx::form::encode("\xE2\x82\xAC") == "%E2%82%AC");
    CHECK(vx::form::encode(std::string_view("\0\x1F\x7F", 3)) == "%00%1F%7F");
    CHECK(vx::form::encode("\xFF") == "%FF");
}

TEST_CASE("encoding with Tilde::percent writes '~' as %7E and nothing else differently", "[query_string]") {
    CHECK(vx::form::encode("a~b c", vx::form::Tilde::percent) == "a%7Eb+c");
    CHECK(vx::form::encode("a~b c", vx::form::Tilde::keep) == "a~b+c");
    CHECK(vx::form::encode("a~b c") == "a~b+c");  // keep is the default
}

TEST_CASE("encode_to appends to what is already there", "[query_string]") {
    std::string out = "path?";
    vx::form::encode_to(out, "a b~", vx::form::Tilde::percent);
    CHECK(out == "path?a+b%7E");
    vx::form::encode_to(out, "&");
    CHECK(out == "path?a+b%7E%26");
}

TEST_CASE("encoding an empty string gives an empty string", "[query_string]") { CHECK(vx::form::encode("").empty()); }

TEST_CASE("decoding what encoding wrote gives back the original text", "[query_string]") {
    for (const std::string_view text :
         {std::string_view{"plain"}, std::string_view{"a b+c&d=e~f%g"}, std::string_view{"\xC3\xA9t\xC3\xA9 \xE2\x82\xAC"},
          std::string_view{"-7d"}, std::string_view{"+1d12h"}}) {
        INFO(text);
        for (const auto tilde : {vx::form::Tilde::keep, vx::form::Tilde::percent}) {
            const vx::form::Decoded d = vx::form::decode(vx::form::encode(text, tilde));
            CHECK(d.text == text);
            CHECK_FALSE(d.malformed);
        }
    }
}
