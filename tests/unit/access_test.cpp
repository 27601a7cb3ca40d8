// Indico's HTTP API authentication (DESIGN.md §4) as a decision table.

#include <catch2/catch.hpp>

#include "core/access.hpp"
#include "core/error.hpp"
#include "core/signature.hpp"

using namespace vx;
using Kind = AccessOutcome::Kind;

namespace {

constexpr std::int64_t now = 1733310000;
constexpr std::string_view path = "/export/video/vidyo.ics";
constexpr std::string_view token = "0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f4";

ApiKeyRecord make_key(bool persistent_allowed = true) {
    ApiKeyRecord k;
    k.key_id = 7;
    k.user_id = 42;
    k.secret = "3f6bd2a8-4a5e-4c43-9c4f-2c1b8e0f9a11";
    k.is_persistent_allowed = persistent_allowed;
    return k;
}

enum class Cred { none, key, signed_fresh, signed_stale, signed_persistent };

std::string query_for(Cred cred, const ApiKeyRecord& key) {
    std::vector<QueryPair> pairs = {{"alarms", "20"}};
    if (cred == Cred::none) return "alarms=20";
    pairs.push_back({"ak", std::string(token)});
    if (cred == Cred::key) return "alarms=20&ak=" + std::string(token);
    if (cred == Cred::signed_fresh) pairs.push_back({"timestamp", std::to_string(now - 30)});
    if (cred == Cred::signed_stale) pairs.push_back({"timestamp", std::to_string(now - 601)});
    return signed_query(key.secret, path, pairs);
}

struct Result {
    Kind kind;
    int status;
    std::string message;
};

Result decide(SecurityMode mode, std::string_view query_text, const ApiKeyRecord* key, bool allow_persistent = true,
              bool require_https = false, bool secure = false, std::int64_t at = now) {
    const QueryString query = QueryString::parse(query_text);
    const KeyRequest kr = read_key_request(query);
    AccessSettings settings;
    settings.mode = mode;
    settings.allow_persistent = allow_persistent;
    settings.require_https = require_https;
    const AccessOutcome o = decide_access(settings, {path, &query, &kr, kr.token ? key : nullptr, at, secure});
    return {o.kind, o.status, o.message};
}

const SecurityMode all_modes[] = {SecurityMode::key, SecurityMode::onlykey, SecurityMode::signed_,
                                  SecurityMode::onlykey_signed, SecurityMode::all_signed};

}  // namespace

TEST_CASE("the five security modes decide as Indico does for every kind of credential") {
    struct Row {
        SecurityMode mode;
        Cred cred;
        bool persistent_allowed;
        Kind kind;
        std::string_view message;
    };
    using M = SecurityMode;
    const std::string_view missing = "API key is missing", no_ts = "Signature invalid (no timestamp)",
                           bad_ts = "Signature invalid (bad timestamp)", sig_missing = "Signature missing";
    std::vector<Row> rows = {
        // no key
        {M::key, Cred::none, true, Kind::guest, ""},
        {M::onlykey, Cred::none, true, Kind::refused, missing},
        {M::signed_, Cred::none, true, Kind::guest, ""},
        {M::onlykey_signed, Cred::none, true, Kind::refused, missing},
        {M::all_signed, Cred::none, true, Kind::refused, missing},
        // key without signature
        {M::key, Cred::key, true, Kind::user, ""},
        {M::onlykey, Cred::key, true, Kind::user, ""},
        {M::signed_, Cred::key, true, Kind::public_only, ""},
        {M::onlykey_signed, Cred::key, true, Kind::public_only, ""},
        {M::all_signed, Cred::key, true, Kind::refused, sig_missing},
    };
    // key + signature: the same in every mode.
    for (const M mode : all_modes) {
        for (const bool persistent : {true, false}) {
            rows.push_back({mode, Cred::signed_fresh, persistent, Kind::user, ""});
            rows.push_back({mode, Cred::signed_stale, persistent, Kind::refused, bad_ts});
            rows.push_back({mode, Cred::signed_persistent, persistent, persistent ? Kind::user : Kind::refused,
                            persistent ? "" : no_ts});
        }
    }
    for (const Row& row : rows) {
        const ApiKeyRecord key = make_key(row.persistent_allowed);
        const Result r = decide(row.mode, query_for(row.cred, key), &key);
        INFO("mode " << to_string(row.mode) << ", credential " << int(row.cred) << ", persistent allowed "
                     << row.persistent_allowed);
        CHECK(r.kind == row.kind);
        CHECK(r.message == row.message);
        if (row.kind == Kind::refused) CHECK(r.status == 403);
    }
}

TEST_CASE("a persistent signature is refused when the configuration disallows persistent links") {
    const ApiKeyRecord key = make_key(true);
    const Result r = decide(SecurityMode::all_signed, query_for(Cred::signed_persistent, key), &key, false);
    CHECK(r.kind == Kind::refused);
    CHECK(r.message == "Signature invalid (no timestamp)");
}

TEST_CASE("a bad signature is refused in every mode") {
    const ApiKeyRecord key = make_key();
    const std::string query = "alarms=20&ak=" + std::string(token) + "&signature=0000000000000000000000000000000000000000";
    for (const SecurityMode mode : all_modes) {
        const Result r = decide(mode, query, &key);
        CHECK(r.kind == Kind::refused);
        CHECK(r.status == 403);
        CHECK(r.message == "Signature invalid");
    }
}

TEST_CASE("the timestamp window is inclusive at both ends") {
    const ApiKeyRecord key = make_key(false);
    for (const std::int64_t skew : {-600, 600}) {
        const std::string q = signed_query(key.secret, path,
                                           {{"ak", std::string(token)}, {"timestamp", std::to_string(now + skew)}});
        CHECK(decide(SecurityMode::all_signed, q, &key).kind == Kind::user);
    }
    for (const std::int64_t skew : {-601, 601}) {
        const std::string q = signed_query(key.secret, path,
                                           {{"ak", std::string(token)}, {"timestamp", std::to_string(now + skew)}});
        CHECK(decide(SecurityMode::all_signed, q, &key).message == "Signature invalid (bad timestamp)");
    }
}

TEST_CASE("a timestamp that is not an integer is a bad timestamp") {
    const ApiKeyRecord key = make_key();
    for (const char* ts : {"", "abc", "1733310000.5", "+-1733310000", "99999999999999999999999", " 1733310000"}) {
        const std::string q = signed_query(key.secret, path, {{"ak", std::string(token)}, {"timestamp", ts}});
        INFO("timestamp '" << ts << "'");
        CHECK(decide(SecurityMode::all_signed, q, &key).message == "Signature invalid (bad timestamp)");
    }
    const std::string signed_plus =
        signed_query(key.secret, path, {{"ak", std::string(token)}, {"timestamp", "+1733310000"}});
    CHECK(decide(SecurityMode::all_signed, signed_plus, &key).kind == Kind::user);
}

TEST_CASE("a key that is not a UUID is malformed (400)") {
    const ApiKeyRecord key = make_key();
    for (const char* ak : {"nope", "0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8f", "0b5bd1ee7dc2-4bd9-8b94-b2b1b0b2a8f4-",
                           "0b5bd1ee-7dc2-4bd9-8b94-b2b1b0b2a8fg"}) {
        const Result r = decide(SecurityMode::key, std::string("ak=") + ak, &key);
        INFO(ak);
        CHECK(r.status == 400);
        CHECK(r.message == "Malformed API key");
    }
}

TEST_CASE("a key is accepted in any case and as 32 bare hex digits") {
    const QueryString upper = QueryString::parse("ak=0B5BD1EE-7DC2-4BD9-8B94-B2B1B0B2A8F4");
    CHECK(read_key_request(upper).token == std::string(token));
    const QueryString bare = QueryString::parse("apikey=0b5bd1ee7dc24bd98b94b2b1b0b2a8f4");
    CHECK(read_key_request(bare).token == std::string(token));
}

TEST_CASE("'ak' is preferred to 'apikey' and a blank key is no key") {
    const QueryString both = QueryString::parse("apikey=nope&ak=0b5bd1ee7dc24bd98b94b2b1b0b2a8f4");
    CHECK(read_key_request(both).token == std::string(token));
    CHECK_FALSE(read_key_request(QueryString::parse("ak=")).present);
}

TEST_CASE("unknown, inactive, and keys of deleted or blocked accounts are invalid, and a blocked key says so") {
    const std::string q = "ak=" + std::string(token);
    CHECK(decide(SecurityMode::key, q, nullptr).message == "Invalid API key");
    ApiKeyRecord k = make_key();
    k.is_active = false;
    CHECK(decide(SecurityMode::key, q, &k).message == "Invalid API key");
    k = make_key();
    k.user_is_deleted = true;
    CHECK(decide(SecurityMode::key, q, &k).message == "Invalid API key");
    k = make_key();
    k.user_is_blocked = true;
    CHECK(decide(SecurityMode::key, q, &k).message == "Invalid API key");
    k = make_key();
    k.is_blocked = true;
    const Result r = decide(SecurityMode::key, q, &k);
    CHECK(r.status == 403);
    CHECK(r.message == "API key is blocked");
}

TEST_CASE("with require_https an authenticated request over plain HTTP is refused") {
    const ApiKeyRecord key = make_key();
    const std::string q = query_for(Cred::signed_fresh, key);
    CHECK(decide(SecurityMode::all_signed, q, &key, true, true, false).message == "HTTPS is required");
    CHECK(decide(SecurityMode::all_signed, q, &key, true, true, true).kind == Kind::user);
    // A refusal for another reason keeps its own message.
    CHECK(decide(SecurityMode::all_signed, "ak=bad", &key, true, true, false).message == "Malformed API key");
}

TEST_CASE("the export serves only authenticated users") {
    const ApiKeyRecord key = make_key();
    AccessOutcome user{Kind::user, &key, 0, {}};
    CHECK(&require_user(user) == &key);
    for (const Kind k : {Kind::guest, Kind::public_only}) {
        try {
            require_user({k, &key, 0, {}});
            FAIL("expected a refusal");
        } catch (const RequestError& e) {
            CHECK(e.status() == 403);
            CHECK(e.message() == "Guest access to this resource is forbidden.");
        }
    }
    CHECK_THROWS_MATCHES(require_user({Kind::refused, nullptr, 400, "Malformed API key"}), RequestError,
                         Catch::Matchers::Message("Malformed API key"));
}

TEST_CASE("security modes parse from their configuration names") {
    for (const SecurityMode m : all_modes) CHECK(parse_security_mode(to_string(m)) == m);
    CHECK_FALSE(parse_security_mode("ONLYKEY").has_value());
}
