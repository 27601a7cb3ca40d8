// The feed query's latency on a real database: a 7-day window for one
// service, as the demo user (a regular account, so the visibility rule does
// real work), repeated and summarised. Run by hand against demo data, e.g.
//   video-export db demo-data --dsn DSN --events 100000 --bookings 1000000 --anchor 2026-12-01
//   feed_query_latency --dsn DSN --from 2026-12-01 --runs 20
// Reports in docs/performance.md.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/date_range.hpp"
#include "sql/booking_query.hpp"
#include "sql/catalogue_store.hpp"

int main(int argc, char** argv) {
    std::string dsn, from = "2026-12-01", service = "Vidyo";
    int runs = 20, days = 7;
    std::int64_t user = 1;
    CLI::App app{"feed query latency"};
    app.add_option("--dsn", dsn)->required();
    app.add_option("--from", from, "first day of the window (YYYY-MM-DD)")->capture_default_str();
    app.add_option("--days", days)->capture_default_str();
    app.add_option("--service", service, "bookings.service_type")->capture_default_str();
    app.add_option("--user", user, "viewer user id")->capture_default_str();
    app.add_option("--runs", runs)->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    const auto day = vx::parse_utc_date(from);
    if (!day) {
        std::fprintf(stderr, "--from must be a date YYYY-MM-DD\n");
        return 2;
    }
    const vx::Timestamp start = *day;

    vx::sql::Connection c = vx::sql::Connection::open(dsn);
    const vx::ServiceCatalogue catalogue = vx::sql::load_catalogue(c);
    vx::sql::BookingQuery q;
    q.service_types = {service};
    q.window = {start, start + std::chrono::days{days} - std::chrono::microseconds{1}};
    q.viewer_user_id = user;
    q.limit = 100001;

    std::vector<double> ms;
    std::int64_t rows = 0;
    for (int i = 0; i < runs + 1; ++i) {  // the first run warms caches and prepares the statement
        const auto t0 = std::chrono::steady_clock::now();
        rows = vx::sql::select_bookings(c, q, catalogue, [](const vx::BookingRow&) {});
        const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (i > 0) ms.push_back(elapsed);
    }
    std::sort(ms.begin(), ms.end());
    fmt::print("rows {}  runs {}  min {:.2f} ms  median {:.2f} ms  p90 {:.2f} ms  max {:.2f} ms\n", rows, runs,
               ms.front(), ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
}
