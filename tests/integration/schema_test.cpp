// Migrations and the triggers that keep derived data honest (DESIGN.md §6).

#include <catch2/catch.hpp>

#include <thread>

#include "sql/catalogue_store.hpp"
#include "sql/migrations.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::Seed;
using vx::testing::TestDatabase;

namespace {

std::int64_t version(sql::Connection& c) { return sql::read_data_version(c).version; }

}  // namespace

TEST_CASE("migrate applies every migration once and a second run changes nothing") {
    TestDatabase db(TestDatabase::Schema::empty);
    sql::Connection c = db.connect();
    const int latest = sql::known_migrations().back().version;
    const sql::MigrationReport first = sql::migrate(c);
    CHECK(first.from_version == 0);
    CHECK(first.to_version == latest);
    CHECK(first.applied.size() == sql::known_migrations().size());
    const sql::MigrationReport second = sql::migrate(c);
    CHECK(second.applied.empty());
    CHECK(second.to_version == latest);
    CHECK(scalar(c, "SELECT count(*) FROM video_export.schema_migrations") ==
          std::to_string(sql::known_migrations().size()));
}

TEST_CASE("two concurrent migrations of one database take turns and apply each migration once") {
    TestDatabase db(TestDatabase::Schema::empty);
    std::vector<sql::MigrationReport> reports(2);
    std::vector<std::string> errors(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
            try {
                sql::Connection c = db.connect();
                reports[std::size_t(i)] = sql::migrate(c);
            } catch (const std::exception& e) {
                errors[std::size_t(i)] = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(errors[0].empty());
    CHECK(errors[1].empty());
    CHECK(reports[0].applied.size() + reports[1].applied.size() == sql::known_migrations().size());
    sql::Connection c = db.connect();
    CHECK(sql::schema_version(c) == sql::known_migrations().back().version);
}

TEST_CASE("a database whose schema is newer than this binary is refused") {
    TestDatabase db;
    sql::Connection c = db.connect();
    c.exec("INSERT INTO video_export.schema_migrations (version, name) VALUES (999, '0999_future')");
    CHECK_THROWS_WITH(sql::migrate(c), Catch::Matchers::Contains("schema version 999 is newer"));
}

TEST_CASE("the CERN services are seeded and load as the catalogue") {
    TestDatabase db;
    sql::Connection c = db.connect();
    const ServiceCatalogue cat = sql::load_catalogue(c);
    CHECK(cat.known_slugs() == "all, evo, mcu, recording, vidyo, webcast");
    CHECK(cat.by_slug("mcu")->prefix() == "MCU");
    CHECK(cat.by_slug("webcast")->has_accept_reject);
    CHECK_FALSE(cat.by_slug("vidyo")->has_accept_reject);
}

TEST_CASE("a writer inserting only the contract's columns succeeds, with its own ids") {
    TestDatabase db;
    sql::Connection c = db.connect();
    c.exec("INSERT INTO video_export.users (id, email, full_name, is_admin, is_deleted, is_blocked) "
           "VALUES (7, 'a@b', 'A', false, false, false)");
    c.exec("INSERT INTO video_export.categories (id, parent_id, title, protection_mode) VALUES (1, NULL, 'Home', 'public')");
    c.exec("INSERT INTO video_export.events (id, category_id, title, start_dt, end_dt, location, room, "
           "protection_mode, is_deleted) VALUES (500, 1, 'E', '2026-01-01 10:00Z', '2026-01-01 11:00Z', NULL, NULL, "
           "'inheriting', false)");
    c.exec("INSERT INTO video_export.bookings (event_id, service_type, status, title, start_dt, end_dt, audience) "
           "VALUES (500, 'Vidyo', NULL, NULL, NULL, NULL, NULL)");
    c.exec("INSERT INTO video_export.api_keys (user_id) VALUES (7)");
    CHECK(scalar(c, "SELECT export_start_dt = '2026-01-01 10:00Z' FROM video_export.bookings") == "t");
}

TEST_CASE("constraints refuse bad modes, statuses, an inheriting root and a second active key") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto user = seed.user();
    CHECK_THROWS_AS(c.exec("INSERT INTO video_export.categories (parent_id, protection_mode) VALUES (NULL, 'inheriting')"),
                    sql::Error);
    CHECK_THROWS_AS(seed.category(seed.root(), "secret"), sql::Error);
    const auto ev = seed.event(seed.root(), "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    CHECK_THROWS_AS(seed.booking(ev, "Vidyo", "NULL", "NULL", "maybe"), sql::Error);
    CHECK_THROWS_AS(seed.booking(ev, "Skype", "NULL", "NULL"), sql::Error);
    c.exec("INSERT INTO video_export.api_keys (user_id) VALUES (" + std::to_string(user) + ")");
    try {
        c.exec("INSERT INTO video_export.api_keys (user_id) VALUES (" + std::to_string(user) + ")");
        FAIL("a second active key was accepted");
    } catch (const sql::Error& e) {
        CHECK(e.sqlstate() == "23505");  // unique_violation
    }
    c.exec("INSERT INTO video_export.api_keys (user_id, is_active) VALUES (" + std::to_string(user) + ", false)");
}

TEST_CASE("every kind of change that can alter a feed bumps the data version") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto user = seed.user();
    const auto cat = seed.category(seed.root(), "protected");
    const auto ev = seed.event(cat, "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    const auto b = seed.booking(ev, "Vidyo", "NULL", "NULL");
    c.exec("INSERT INTO video_export.api_keys (user_id) VALUES (" + std::to_string(user) + ")");
    const std::string u = std::to_string(user), e = std::to_string(ev), k = std::to_string(cat);
    const std::vector<std::string> changes = {
        "UPDATE video_export.bookings SET title = 'New' WHERE id = " + std::to_string(b),
        "UPDATE video_export.events SET room = 'R1' WHERE id = " + e,
        "UPDATE video_export.categories SET protection_mode = 'public' WHERE id = " + k,
        "INSERT INTO video_export.category_acl VALUES (" + k + ", " + u + ")",
        "DELETE FROM video_export.category_acl",
        "INSERT INTO video_export.event_acl VALUES (" + e + ", " + u + ")",
        "DELETE FROM video_export.event_acl",
        "UPDATE video_export.video_services SET summary_prefix = 'V' WHERE slug = 'vidyo'",
        "UPDATE video_export.users SET is_admin = true WHERE id = " + u,
        "UPDATE video_export.api_keys SET is_blocked = true",
        "INSERT INTO video_export.users (email) VALUES ('x')",
        "DELETE FROM video_export.bookings WHERE id = " + std::to_string(b),
    };
    for (const std::string& change : changes) {
        const auto before = sql::read_data_version(c);
        c.exec(change);
        const auto after = sql::read_data_version(c);
        INFO(change);
        CHECK(after.version > before.version);
        CHECK(after.changed_at >= before.changed_at);
    }
}

TEST_CASE("recording key usage does not bump the data version") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    c.exec("INSERT INTO video_export.api_keys (user_id) VALUES (" + std::to_string(seed.user()) + ")");
    const auto before = version(c);
    c.exec("UPDATE video_export.api_keys SET last_used_dt = now(), use_count = use_count + 1, last_used_uri = '/x'");
    CHECK(version(c) == before);
}

TEST_CASE("a changed booking gets a new modified_dt and sequence unless the writer set them") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto ev = seed.event(seed.root(), "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    const auto b = std::to_string(seed.booking(ev, "Vidyo", "NULL", "NULL"));
    c.exec("UPDATE video_export.bookings SET modified_dt = '2020-01-01Z', sequence = 4 WHERE id = " + b);
    CHECK(scalar(c, "SELECT sequence FROM video_export.bookings WHERE id = " + b) == "4");
    c.exec("UPDATE video_export.bookings SET title = 'Changed' WHERE id = " + b);
    CHECK(scalar(c, "SELECT sequence FROM video_export.bookings WHERE id = " + b) == "5");
    CHECK(scalar(c, "SELECT modified_dt > '2020-01-02Z' FROM video_export.bookings WHERE id = " + b) == "t");
    // An update that changes nothing a calendar shows leaves them alone.
    c.exec("UPDATE video_export.bookings SET title = 'Changed' WHERE id = " + b);
    CHECK(scalar(c, "SELECT sequence FROM video_export.bookings WHERE id = " + b) == "5");
}

TEST_CASE("an event change touches its bookings, and bookings without own times follow the event") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto ev = seed.event(seed.root(), "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    const auto own = std::to_string(seed.booking(ev, "Vidyo", "2026-01-01 10:15Z", "2026-01-01 10:45Z"));
    const auto inherited = std::to_string(seed.booking(ev, "EVO", "2026-01-01 09:00Z", "NULL"));
    CHECK(scalar(c, "SELECT export_start_dt = '2026-01-01 10:00Z' FROM video_export.bookings WHERE id = " + inherited) == "t");
    c.exec("UPDATE video_export.events SET start_dt = '2026-02-01 08:00Z', end_dt = '2026-02-01 09:00Z' WHERE id = " +
           std::to_string(ev));
    CHECK(scalar(c, "SELECT export_start_dt = '2026-02-01 08:00Z' AND export_end_dt = '2026-02-01 09:00Z' "
                    "FROM video_export.bookings WHERE id = " + inherited) == "t");
    CHECK(scalar(c, "SELECT export_start_dt = '2026-01-01 10:15Z' FROM video_export.bookings WHERE id = " + own) == "t");
    CHECK(scalar(c, "SELECT min(sequence) FROM video_export.bookings") == "1");
}

TEST_CASE("an end before the start is stored for selection as the start") {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto ev = seed.event(seed.root(), "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    const auto b = std::to_string(seed.booking(ev, "Vidyo", "2026-01-01 10:30Z", "2026-01-01 10:00Z"));
    CHECK(scalar(c, "SELECT export_end_dt = export_start_dt FROM video_export.bookings WHERE id = " + b) == "t");
}
