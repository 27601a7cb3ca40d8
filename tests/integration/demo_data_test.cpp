// `db demo-data`: deterministic, realistic, consistent with the triggers.

#include <catch2/catch.hpp>

#include "sql/demo_data.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::TestDatabase;

namespace {

constexpr auto anchor = Timestamp{std::chrono::seconds{1796083200}};  // 2026-12-01T00:00:00Z

std::string fingerprint(sql::Connection& c) {
    return scalar(c,
                  "SELECT md5(string_agg(b::text, '|' ORDER BY b.id)) || md5(string_agg(e::text, '|' ORDER BY e.id)) "
                  "FROM video_export.bookings b FULL JOIN video_export.events e ON false");
}

}  // namespace

TEST_CASE("the same seed and anchor give the same data, another seed other data") {
    TestDatabase a, b, other;
    sql::Connection ca = a.connect(), cb = b.connect(), co = other.connect();
    const auto sa = sql::load_demo_data(ca, {300, 2000, 42, anchor});
    const auto sb = sql::load_demo_data(cb, {300, 2000, 42, anchor});
    sql::load_demo_data(co, {300, 2000, 43, anchor});
    CHECK(fingerprint(ca) == fingerprint(cb));
    CHECK(fingerprint(ca) != fingerprint(co));
    CHECK(sa.demo_token == sb.demo_token);
    CHECK(sa.demo_secret == sb.demo_secret);
}

TEST_CASE("demo data is realistic: every service, status, protection mode, script and duration range") {
    TestDatabase db;
    sql::Connection c = db.connect();
    const auto s = sql::load_demo_data(c, {500, 5000, 1, anchor});
    CHECK(scalar(c, "SELECT count(*) FROM video_export.bookings") == "5000");
    CHECK(scalar(c, "SELECT count(DISTINCT service_type) FROM video_export.bookings") == "5");
    CHECK(scalar(c, "SELECT count(DISTINCT coalesce(status, 'NULL')) FROM video_export.bookings") == "4");
    CHECK(scalar(c, "SELECT count(DISTINCT protection_mode) FROM video_export.categories") == "3");
    CHECK(scalar(c, "SELECT count(DISTINCT protection_mode) FROM video_export.events") == "3");
    CHECK(scalar(c, "SELECT count(*) > 0 FROM video_export.category_acl") == "t");
    CHECK(scalar(c, "SELECT count(*) > 0 FROM video_export.event_acl") == "t");
    CHECK(scalar(c, "SELECT bool_or(title ~ '[А-я]') AND bool_or(title ~ '[一-龥]') AND bool_or(title LIKE '%;%') "
                    "AND bool_or(title LIKE E'%\\n%') AND bool_or(length(title) > 75) FROM video_export.bookings") == "t");
    CHECK(scalar(c, "SELECT min(end_dt - start_dt) >= interval '15 min' AND max(end_dt - start_dt) <= interval '240 min' "
                    "FROM video_export.bookings WHERE start_dt IS NOT NULL") == "t");
    CHECK(scalar(c, "SELECT min(export_start_dt) >= '2025-11-25Z' AND max(export_start_dt) <= '2027-12-08Z' "
                    "FROM video_export.bookings") == "t");
    CHECK(s.demo_token.size() == 36);
    CHECK(scalar(c, "SELECT is_persistent_allowed AND NOT is_admin FROM video_export.api_keys k JOIN video_export.users u "
                    "ON u.id = k.user_id WHERE k.token = '" + s.demo_token + "'") == "t");
}

TEST_CASE("demo export times follow the same rule as the trigger") {
    TestDatabase db;
    sql::Connection c = db.connect();
    sql::load_demo_data(c, {200, 3000, 5, anchor});
    CHECK(scalar(c,
                 "SELECT count(*) FROM video_export.bookings b JOIN video_export.events e ON e.id = b.event_id "
                 "WHERE (b.export_start_dt, b.export_end_dt) IS DISTINCT FROM "
                 "(CASE WHEN b.start_dt IS NOT NULL AND b.end_dt IS NOT NULL THEN b.start_dt ELSE e.start_dt END, "
                 " CASE WHEN b.start_dt IS NOT NULL AND b.end_dt IS NOT NULL THEN greatest(b.end_dt, b.start_dt) "
                 "      ELSE greatest(e.end_dt, e.start_dt) END)") == "0");
    // The trigger is back on after the load.
    c.exec("UPDATE video_export.bookings SET start_dt = NULL WHERE id = 1");
    CHECK(scalar(c, "SELECT b.export_start_dt = e.start_dt FROM video_export.bookings b JOIN video_export.events e "
                    "ON e.id = b.event_id WHERE b.id = 1") == "t");
}

TEST_CASE("demo data refuses a database that already has events") {
    TestDatabase db;
    sql::Connection c = db.connect();
    sql::load_demo_data(c, {10, 10, 1, anchor});
    CHECK_THROWS_WITH(sql::load_demo_data(c, {10, 10, 1, anchor}), Catch::Matchers::Contains("is not empty"));
}
