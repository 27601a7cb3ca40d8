// `video-export db migrate` and `video-export db demo-data`.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/date_range.hpp"
#include "sql/demo_data.hpp"
#include "sql/migrations.hpp"

namespace vx::cli {
namespace {

struct DbOptions {
    std::string dsn;
    std::int64_t events = 1000, bookings = 5000;
    std::uint64_t seed = 1;
    std::string anchor;  // YYYY-MM-DD; default: today (UTC)
};

void run_migrate(const DbOptions& o) {
    sql::Connection c = sql::Connection::open(o.dsn);
    const sql::MigrationReport r = sql::migrate(c);
    if (r.applied.empty()) fmt::print("schema is up to date at version {}\n", r.to_version);
    else fmt::print("migrated schema from version {} to {} ({} migrations)\n", r.from_version, r.to_version, r.applied.size());
}

Timestamp anchor_of(const std::string& text) {
    using namespace std::chrono;
    if (text.empty()) return Timestamp{floor<days>(system_clock::now()).time_since_epoch()};
    const auto day = parse_utc_date(text);
    if (!day) throw std::invalid_argument("--anchor must be a date YYYY-MM-DD, got '" + text + "'");
    return *day;
}

void run_demo(const DbOptions& o) {
    if (o.events < 1 || o.bookings < 0) throw std::invalid_argument("--events must be at least 1, --bookings at least 0");
    sql::Connection c = sql::Connection::open(o.dsn);
    const auto started = std::chrono::steady_clock::now();
    const sql::DemoSummary s = sql::load_demo_data(c, {o.events, o.bookings, o.seed, anchor_of(o.anchor)});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("loaded {} users, {} categories, {} events, {} bookings in {:.1f} s\n", s.users, s.categories, s.events,
               s.bookings, seconds);
    fmt::print("demo user key:    {}\ndemo user secret: {}\n", s.demo_token, s.demo_secret);
    fmt::print("admin key:        {}\nadmin secret:     {}\n", s.admin_token, s.admin_secret);
}

}  // namespace

void add_db_command(CLI::App& app) {
    auto o = std::make_shared<DbOptions>();
    CLI::App* db = app.add_subcommand("db", "Database schema and demo data");
    db->require_subcommand(1);

    CLI::App* migrate = db->add_subcommand("migrate", "Apply pending migrations (safe to run twice, or concurrently)");
    migrate->add_option("--dsn", o->dsn, "libpq connection string")->required();
    migrate->callback([o] { run_migrate(*o); });

    CLI::App* demo = db->add_subcommand("demo-data", "Load deterministic demo data into a fresh database");
    demo->add_option("--dsn", o->dsn, "libpq connection string")->required();
    demo->add_option("--events", o->events, "number of events")->capture_default_str();
    demo->add_option("--bookings", o->bookings, "number of bookings")->capture_default_str();
    demo->add_option("--seed", o->seed, "random seed: the same seed and anchor give the same data")->capture_default_str();
    demo->add_option("--anchor", o->anchor, "day the bookings spread ±1 year around (YYYY-MM-DD, default today UTC)");
    demo->callback([o] { run_demo(*o); });
}

}  // namespace vx::cli
