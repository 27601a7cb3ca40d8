// Signatures must verify exactly what independent signers produce. The
// vectors below were computed outside this project:
//
//   Python (Indico's documented client, Debian python3 3.11):
//     items = sorted(items, key=lambda x: x[0].lower())
//     url = '%s?%s' % (path, urllib.parse.urlencode(items))
//     hmac.new(secret.encode(), url.encode(), hashlib.sha1).hexdigest()
//   PHP (Indico's documented client, php-cli 8.2):
//     uksort($params, 'strcasecmp');
//     $url = $path . '?' . http_build_query($params);
//     hash_hmac('sha1', $url, $secret);
//   Indico's server (normalizeQuery: parse_qs, lower-cased names, sorted values):
//     see the "form B" vectors.
// with secret 3f6bd2a8-4a5e-4c43-9c4f-2c1b8e0f9a11 and
// apikey 0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4.

#include <catch2/catch.hpp>

#include "core/query_string.hpp"
#include "core/signature.hpp"

using namespace vx;

namespace {

constexpr std::string_view secret = "3f6bd2a8-4a5e-4c43-9c4f-2c1b8e0f9a11";

bool verifies(std::string_view path, std::string_view query, std::string_view signature) {
    return signature_matches(secret, path, QueryString::parse(query).pairs(), signature);
}

std::string with_signature(std::string_view query, std::string_view signature) {
    return std::string(query) + "&signature=" + std::string(signature);
}

}  // namespace

TEST_CASE("HMAC-SHA1 matches the RFC 2202 test vector") {
    // RFC 2202 §3, test case 2.
    CHECK(to_hex(hmac_sha1("Jefe", "what do ya want for nothing?")) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("a timestamped URL signed by the Python and the PHP client verifies") {
    const std::string_view query =
        "alarms=20&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&from=-7d&timestamp=1733310000";
    const std::string_view sig = "2a5e1627c5569bad19e242f38428cb158285a932";  // Python and PHP agree
    CHECK(verifies("/export/video/vidyo-evo.ics", with_signature(query, sig), sig));
}

TEST_CASE("a persistent URL (no timestamp) verifies") {
    const std::string_view sig = "fb5250a5562f3b5b50a83809e953669bb5404450";
    CHECK(verifies("/export/video/all.ics", "alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4", sig));
}

TEST_CASE("'~' verifies both as Python 3 writes it and as PHP writes it (%7E)") {
    // The server sees the same decoded pairs whichever encoding the client sent.
    const std::string_view python_query =
        "apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&q=Z%C3%BCrich+~test%2C+a%26b%3Dc&timestamp=1733310000&tz=Europe%"
        "2FZurich";
    const std::string_view php_query =
        "apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&q=Z%C3%BCrich+%7Etest%2C+a%26b%3Dc&timestamp=1733310000&tz=Europe%"
        "2FZurich";
    const std::string_view python_sig = "4048c63615bf27e89586210b63a700446f9eda53";
    const std::string_view php_sig = "fbad389b8e376e8d8813b63ca92851a1a2082718";
    CHECK(verifies("/export/video/evo-mcu.ics", python_query, python_sig));
    CHECK(verifies("/export/video/evo-mcu.ics", php_query, php_sig));
    // Either spelling in the URL verifies either signature.
    CHECK(verifies("/export/video/evo-mcu.ics", php_query, python_sig));
    CHECK(verifies("/export/video/evo-mcu.ics", python_query, php_sig));
}

TEST_CASE("names keep their case and blank values count in what clients sign (form A)") {
    const std::string_view query = "apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&detail=&O=5&o=title";
    CHECK(canonical_form_a("/export/video/vidyo.ics", QueryString::parse(query).pairs(), form::Tilde::keep) ==
          "/export/video/vidyo.ics?" + std::string(query));
    CHECK(verifies("/export/video/vidyo.ics", query, "559f0e24bf4243a2f1d1c73529120caf984603d0"));
}

TEST_CASE("what Indico's server computes (form B) verifies too") {
    const auto pairs = QueryString::parse("apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&O=5&detail=&o=title").pairs();
    CHECK(canonical_form_b("/export/video/vidyo.ics", pairs, form::Tilde::keep) ==
          "/export/video/vidyo.ics?apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&o=5&o=title");
    CHECK(verifies("/export/video/vidyo.ics", "apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&O=5&detail=&o=title",
                   "c58cb8b16d06cf7b5aae25fae7fe01c81570e793"));
    // Values of one name are sorted in form B.
    CHECK(verifies("/export/video/vidyo.ics", "categ=5&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&categ=3",
                   "4bd98cfcf2a77f829a5d21ee49d5f5df09ed959d"));
}

TEST_CASE("an upper-case hex signature verifies") {
    CHECK(verifies("/export/video/all.ics", "alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4",
                   "FB5250A5562F3B5B50A83809E953669BB5404450"));
}

TEST_CASE("a signature is refused when anything it covers changed") {
    const std::string_view sig = "fb5250a5562f3b5b50a83809e953669bb5404450";
    CHECK_FALSE(verifies("/export/video/all.ics", "alarms=31&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4", sig));
    CHECK_FALSE(verifies("/export/video/vidyo.ics", "alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4", sig));
    CHECK_FALSE(verifies("/export/video/all.ics", "alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&x=1", sig));
    CHECK_FALSE(signature_matches("another secret", "/export/video/all.ics",
                                  QueryString::parse("alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4").pairs(),
                                  sig));
}

TEST_CASE("a signature that is not 40 hex digits never verifies") {
    const std::string_view query = "alarms=30&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4";
    CHECK_FALSE(verifies("/export/video/all.ics", query, ""));
    CHECK_FALSE(verifies("/export/video/all.ics", query, "fb5250a5562f3b5b50a83809e953669bb540445"));
    CHECK_FALSE(verifies("/export/video/all.ics", query, "fb5250a5562f3b5b50a83809e953669bb54044500"));
    CHECK_FALSE(verifies("/export/video/all.ics", query, "zb5250a5562f3b5b50a83809e953669bb5404450"));
}

TEST_CASE("signed_query builds what the Python client builds") {
    const std::vector<QueryPair> pairs = {{"alarms", "20"},
                                          {"from", "-7d"},
                                          {"apikey", "0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4"},
                                          {"timestamp", "1733310000"}};
    CHECK(signed_query(secret, "/export/video/vidyo-evo.ics", pairs) ==
          "alarms=20&apikey=0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4&from=-7d&timestamp=1733310000"
          "&signature=2a5e1627c5569bad19e242f38428cb158285a932");
}

TEST_CASE("the canonical query for usage records drops the named parameters and sorts the rest") {
    const auto pairs = QueryString::parse("to=today&signature=ab&apikey=k&timestamp=1&From=x y").pairs();
    CHECK(canonical_query_a(pairs, {"signature", "timestamp"}) == "apikey=k&From=x+y&to=today");
}

TEST_CASE("what the signer prints verifies with the same library, and only with the right secret") {
    const std::vector<QueryPair> pairs = {{"tz", "Asia/Kolkata"}, {"q", "a~b c"}, {"apikey", "k"}, {"O", "2"}};
    const QueryString printed = QueryString::parse(signed_query(secret, "/export/video/all.json", pairs));
    const auto sig = printed.first("signature");
    REQUIRE(sig);
    CHECK(signature_matches(secret, "/export/video/all.json", printed.pairs(), *sig));
    CHECK_FALSE(signature_matches("other", "/export/video/all.json", printed.pairs(), *sig));
}
