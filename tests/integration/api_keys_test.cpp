// Key lookup for authentication, and usage recording in batches.

#include <catch2/catch.hpp>

#include <thread>

#include "sql/api_keys.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::Seed;
using vx::testing::TestDatabase;

namespace {

std::string add_key(sql::Connection& c, std::int64_t user, const std::string& extra_columns = "",
                    const std::string& extra_values = "") {
    return scalar(c, "INSERT INTO video_export.api_keys (user_id" + extra_columns + ") VALUES (" +
                         std::to_string(user) + extra_values + ") RETURNING token");
}

Timestamp now_ts() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

TEST_CASE("a key is found by its token with its owner's state") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto admin = seed.user(true);
    const std::string token = add_key(c, admin, ", is_persistent_allowed", ", true");
    const auto k = sql::find_api_key(c, token);
    REQUIRE(k);
    CHECK(k->user_id == admin);
    CHECK(k->user_is_admin);
    CHECK(k->is_active);
    CHECK(k->is_persistent_allowed);
    CHECK_FALSE(k->is_blocked);
    CHECK(k->secret == scalar(c, "SELECT secret FROM video_export.api_keys WHERE token = '" + token + "'"));
    CHECK_FALSE(sql::find_api_key(c, "00000000-0000-4000-8000-000000000000"));
}

TEST_CASE("inactive and blocked keys and deleted or blocked owners are reported as such") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const std::string inactive = add_key(c, seed.user(), ", is_active", ", false");
    const std::string blocked = add_key(c, seed.user(), ", is_blocked", ", true");
    const std::string of_deleted = add_key(c, seed.user(false, true));
    const std::string of_blocked = add_key(c, seed.user(false, false, true));
    CHECK_FALSE(sql::find_api_key(c, inactive)->is_active);
    CHECK(sql::find_api_key(c, blocked)->is_blocked);
    CHECK(sql::find_api_key(c, of_deleted)->user_is_deleted);
    CHECK(sql::find_api_key(c, of_blocked)->user_is_blocked);
    // What the access decision makes of them:
    for (const auto& [token, message] :
         {std::pair{inactive, "Invalid API key"}, {blocked, "API key is blocked"}, {of_deleted, "Invalid API key"},
          {of_blocked, "Invalid API key"}}) {
        const auto record = sql::find_api_key(c, token);
        const QueryString q = QueryString::parse("ak=" + token);
        const KeyRequest kr = read_key_request(q);
        const AccessOutcome o = decide_access({SecurityMode::key}, {"/export/video/all.ics", &q, &kr, &*record, 0});
        CHECK(o.message == message);
    }
}

TEST_CASE("usage batching loses nothing: N recorded requests add exactly N") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const std::string t1 = add_key(c, seed.user()), t2 = add_key(c, seed.user());
    const auto k1 = sql::find_api_key(c, t1)->key_id, k2 = sql::find_api_key(c, t2)->key_id;
    sql::UsageBatch batch;
    const Timestamp t0 = now_ts();
    for (int i = 0; i < 137; ++i)
        batch.record(k1, {t0 + std::chrono::seconds{i}, "192.0.2.7", "/export/video/all.ics?n=" + std::to_string(i), i % 2 == 0});
    for (int i = 0; i < 5; ++i) batch.record(k2, {t0, "2001:db8::1", "/export/video/evo.ics", true});
    CHECK(batch.requests() == 142);
    batch.flush(c);
    CHECK(batch.empty());
    CHECK(scalar(c, "SELECT use_count FROM video_export.api_keys WHERE id = " + std::to_string(k1)) == "137");
    CHECK(scalar(c, "SELECT use_count FROM video_export.api_keys WHERE id = " + std::to_string(k2)) == "5");
    // The last request's details are kept.
    CHECK(scalar(c, "SELECT last_used_uri || ' ' || host(last_used_ip) || ' ' || last_used_auth FROM "
                    "video_export.api_keys WHERE id = " + std::to_string(k1)) ==
          "/export/video/all.ics?n=136 192.0.2.7 true");
    CHECK(scalar(c, "SELECT last_used_dt = '" + std::string("epoch") + "'::timestamptz + interval '" +
                    std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                       (t0 + std::chrono::seconds{136}).time_since_epoch()).count()) +
                    " microseconds' FROM video_export.api_keys WHERE id = " + std::to_string(k1)) == "t");
    batch.record(k1, {t0 + std::chrono::seconds{200}, "not an address", "/x", false});
    batch.flush(c);
    CHECK(scalar(c, "SELECT use_count || ' ' || (last_used_ip IS NULL) FROM video_export.api_keys WHERE id = " +
                    std::to_string(k1)) == "138 true");
}

TEST_CASE("concurrent flushes from several workers add up exactly") {
    TestDatabase db;
    sql::Connection setup = db.connect();
    Seed seed(setup);
    std::vector<std::int64_t> keys;
    for (int i = 0; i < 4; ++i) keys.push_back(sql::find_api_key(setup, add_key(setup, seed.user()))->key_id);
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
            sql::Connection c = db.connect();
            for (int round = 0; round < 25; ++round) {
                sql::UsageBatch batch;
                // Each worker touches the keys in a different order.
                for (int i = 0; i < 4; ++i) batch.record(keys[std::size_t((i + w) % 4)], {now_ts(), "127.0.0.1", "/u", true});
                batch.flush(c);
            }
        });
    }
    for (auto& t : workers) t.join();
    CHECK(scalar(setup, "SELECT sum(use_count) FROM video_export.api_keys") == "400");
}
