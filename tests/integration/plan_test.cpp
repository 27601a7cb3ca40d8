// At 200k bookings, a 7-day window for one service must use an index and
// never scan the bookings table sequentially — with the statement the query
// layer really runs, planned for its parameters and as a generic plan.

#include <catch2/catch.hpp>

#include "sql/booking_query.hpp"
#include "sql/demo_data.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::TestDatabase;

namespace {

// Every "Seq Scan" node's relation. In PostgreSQL's JSON plans a node's
// "Relation Name" follows its "Node Type".
std::vector<std::string> sequentially_scanned(const std::string& plan) {
    std::vector<std::string> out;
    for (std::size_t at = 0; (at = plan.find("\"Node Type\": \"Seq Scan\"", at)) != std::string::npos; ++at) {
        const auto name = plan.find("\"Relation Name\": \"", at) + 18;
        out.push_back(plan.substr(name, plan.find('"', name) - name));
    }
    return out;
}

}  // namespace

TEST_CASE("a 7-day window query for one service uses an index, not a sequential scan of bookings") {
    TestDatabase db;
    sql::Connection c = db.connect();
    const auto anchor = Timestamp{std::chrono::seconds{1796083200}};  // 2026-12-01T00:00:00Z
    sql::load_demo_data(c, {20000, 200000, 3, anchor});
    REQUIRE(scalar(c, "SELECT count(*) FROM video_export.bookings") == "200000");
    c.exec("PREPARE feed (text[], timestamptz, timestamptz, bigint, boolean, boolean, bigint, bigint, bigint) AS " +
           std::string(sql::booking_query_sql(SortKey::start, false)));
    // The demo user (id 1, not an administrator), Vidyo, one week, no category.
    const std::string execute =
        "EXPLAIN (FORMAT JSON) EXECUTE feed ('{Vidyo}', '2026-12-01Z', '2026-12-08Z', 1, false, false, NULL, 100001, 0)";
    for (const char* mode : {"force_custom_plan", "force_generic_plan"}) {
        c.exec(std::string("SET plan_cache_mode = ") + mode);
        const std::string plan = scalar(c, execute);
        INFO(mode << "\n" << plan);
        CHECK(plan.find("bookings_export_window") != std::string::npos);
        for (const std::string& relation : sequentially_scanned(plan)) CHECK(relation != "bookings");
    }
}
